/*
 * filter.h - the filter language: which sockets a user means.
 *
 * The grammar is the one ss taught users (state/exclude, sport, dport, src,
 * dst, and/or/not, parentheses, implicit "and") plus terms of our own (age,
 * state-age, process, pid, uid, recv-q, send-q, retrans). One parser serves
 * the command line, the configuration file and the dashboard's prompt.
 *
 * Pure: filter_parse turns text into a tree, filter_match tests one record.
 * The parts the kernel understands are also compiled to inet_diag bytecode
 * (filter_bc.c) so that the kernel sends less; the tree is always checked
 * again in user space, so the bytecode only has to let through at least
 * every socket the tree accepts.
 */
#ifndef SOCKWATCH_FILTER_H
#define SOCKWATCH_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

#define FILTER_MAX_DEPTH	64	/* nested parentheses and "not" */
#define FILTER_MAX_TOKENS	4096

enum filter_cmp {
	FILTER_EQ,
	FILTER_NE,
	FILTER_LT,
	FILTER_GT,
	FILTER_LE,
	FILTER_GE,
};

enum filter_kind {
	FILTER_AND,
	FILTER_OR,
	FILTER_NOT,
	FILTER_STATE,		/* u.states */
	FILTER_SPORT,		/* cmp, u.num */
	FILTER_DPORT,
	FILTER_SRC,		/* u.host */
	FILTER_DST,
	FILTER_AGE,		/* cmp, u.seconds: since first seen */
	FILTER_STATE_AGE,	/* cmp, u.seconds: since the last transition */
	FILTER_PROCESS,		/* cmp (EQ, NE), u.name: a glob */
	FILTER_PID,		/* cmp, u.num */
	FILTER_UID,
	FILTER_RECVQ,
	FILTER_SENDQ,
	FILTER_RETRANS,
};

/* An address condition, as the kernel's inet_diag_hostcond has it. */
struct filter_host {
	uint8_t		family;		/* AF_UNSPEC: any address */
	uint8_t		prefix;		/* bits compared */
	int32_t		port;		/* -1: any port */
	uint8_t		addr[16];
};

/*
 * Service and host names in ports and addresses ("dport = :ssh", "dst
 * localhost"), looked up once while parsing through hooks the program
 * installs (resolve.c); without them, as in the fuzzer, names are refused.
 * host() fills at most max addresses (prefix and port left to the caller)
 * and returns how many, 0 for an unknown name.
 */
struct filter_names {
	int	(*service)(const char *name, uint16_t *port);
	size_t	(*host)(const char *name, struct filter_host *, size_t max);
};

void	filter_set_names(const struct filter_names *);

struct filter_node {
	enum filter_kind	 kind;
	enum filter_cmp		 cmp;
	struct filter_node	*left;	/* AND, OR, NOT */
	struct filter_node	*right;	/* AND, OR */
	union {
		uint32_t		states;
		uint64_t		num;
		double			seconds;
		char			*name;
		struct filter_host	host;
	} u;
};

#define FILTER_NEEDS_AGES	0x1	/* age, state-age: the model's history */
#define FILTER_NEEDS_PROCS	0x2	/* process, pid: the process map */

struct filter {
	struct filter_node	*root;	/* NULL: the empty filter, all sockets */
	unsigned		 needs;	/* FILTER_NEEDS_* */
};

/* A process holding a socket, as the process map knows it. */
struct filter_proc {
	int32_t		 pid;
	const char	*name;
};

/* An age as the model has it: known, or only a lower bound. */
struct filter_age {
	double	 s;		/* seconds; < 0: nothing known */
	int	 known;		/* 0: the age is at least s */
};

/*
 * What a filter needs beyond the record. Either callback may be NULL; a
 * filter whose needs are not met fails in filter_match with a reason, so a
 * caller checks filter_needs() first and says what to enable.
 */
struct filter_facts {
	/* The socket's age and its time in its state. */
	void	(*ages)(void *arg, const struct sock_rec *,
		    struct filter_age *age, struct filter_age *state_age);
	/* The processes holding the socket; their number. */
	size_t	(*procs)(void *arg, const struct sock_rec *,
		    const struct filter_proc **);
	void	*arg;
};

struct filter	*filter_parse(const char *text, char **cause);
void		 filter_free(struct filter *);
int		 filter_is_empty(const struct filter *);
unsigned	 filter_needs(const struct filter *);
uint32_t	 filter_states(const struct filter *);
int		 filter_check_facts(const struct filter *,
		     const struct filter_facts *, char **cause);
#define FILTER_UNKNOWN	2	/* filter_match: an age only a lower bound
				   leaves the answer open */
int		 filter_match(const struct filter *, const struct sock_rec *,
		     const struct filter_facts *, char **cause);
int		 filter_snapshot(const struct filter *, struct snapshot *,
		     const struct filter_facts *, char **cause);
char		*filter_join(int argc, char *const *argv);

/* filter_bc.c: the kernel's share of the filter. */
int		 filter_compile(const struct filter *, void **bytecode,
		     size_t *len);

#endif
