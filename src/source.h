/*
 * source.h - where polls come from, behind one interface (struct
 * source_ops, as tmux's window_mode): the live kernel and a recording
 * (struct source, here) and every network namespace at once (allns.c).
 * A driver takes polls from it, asks it for one socket as the kernel has
 * it now, rewinds a recording, closes it. Errors end the run with the
 * exit status that names them (3 for the kernel, 64 for a bad recording
 * or filter).
 */
#ifndef SOCKWATCH_SOURCE_H
#define SOCKWATCH_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "pace.h"
#include "sock.h"

struct counters;
struct filter;
struct recorder;
struct replay;

struct source_options {
	const char		*replay;	/* read this recording, or NULL */
	const char		*record;	/* also write this one, or NULL */
	const char		*netns;		/* entered, or NULL */
	const char		*netns_name;	/* stamped on polls */
	unsigned		 families;	/* DIAG_FAMILY_* */
	uint32_t		 states;
	const struct filter	*filter;
	int			 no_bytecode;
	enum diag_method	 method;
	double			 cpu_budget;	/* share of a core; 0: no pacing */
	double			 interval;	/* seconds between polls */
	int			 want_info;	/* -i: tcp_info of every socket */
	int			 want_mem;	/* -m: SK_MEMINFO of every socket */
	/* The rules' choice of sockets that need tcp_info, or NULL. */
	diag_want_info		*info_for;
	void			*info_arg;
};

/* What the driver asks of one poll. */
struct source_ask {
	int		 want_info;	/* tcp_info of every socket */
	int		 want_all;	/* every socket fresh, none carried */
	double		 interval;	/* seconds until the poll after it */
};

/*
 * What every source does; arg is the source's own data. A NULL lookup:
 * the source cannot ask again (a recording); a NULL rewind and polls: it
 * is live.
 */
struct source_ops {
	const char	*name;
	/* The next poll into snap, and c the counters read with it; 0
	   when a recording has no more. c may be ignored (-N all keeps its
	   namespaces' own). */
	int		(*poll)(void *, const struct source_ask *,
			    struct snapshot *, struct counters *c);
	/* One socket of the last poll as the kernel has it now, into one
	   (the caller's buffer), with its tcp_info; -1 when it is gone. */
	int		(*lookup)(void *, const struct sock_rec *,
			    struct snapshot *one);
	/* The next poll is the recording's first again. */
	void		(*rewind)(void *);
	size_t		(*polls)(void *);	/* a recording's count */
	void		(*close)(void *);
};

/* A source of any kind: its operations and its data. */
struct source_entry {
	const struct source_ops	*ops;
	void			*data;
};

/* The kernel, or a recording read back. */
struct source {
	struct diag		*diag;
	struct replay		*replay;
	struct recorder		*recorder;
	struct diag_request	 req;
	size_t			 next_poll;
	const char		*netns;
	const struct filter	*filter;
	void			*bytecode;
	/* The rules' choice of sockets that need tcp_info, or NULL. */
	diag_want_info		*info_for;
	void			*info_arg;
	size_t			 expect_info;	/* source_expect_info */
	/* Told of a full poll's sockets as its dump is read, or NULL. */
	diag_parsed		*track;
	void			*track_arg;
	/* Pacing, live and not recording: the caller keeps interval current
	   and sets fresh_all when the next poll must see every socket. */
	int			 paced;
	struct pace		 pace;
	double			 cpu_mark;	/* CPU seconds at the last poll */
	double			 interval;
	int			 fresh_all;
	/* Scratch of pacing's lookups, of the sockets the kernel freed and
	   of a partial poll's dump (appended after the carry, which stays
	   where it is in the caller's snapshot): ours, freed with us. */
	struct snapshot		 one;
	struct snapshot		 gone;
	struct snapshot		 part;
	const struct snapshot	*last;		/* the carry's, or NULL */
};

void	source_open(struct source *, const struct source_options *);
int	source_poll(struct source *, struct snapshot *, struct counters *);
int	source_poll_ask(struct source *, const struct source_ask *,
	    struct snapshot *, struct counters *);
void	source_close(struct source *);
void	source_set_info(struct source *, diag_want_info *, void *);
void	source_expect_info(struct source *, size_t sockets);
void	source_set_track(struct source *, diag_parsed *, void *);
int	source_lookup(struct source *, const struct sock_rec *,
	    struct snapshot *one);

/*
 * Open the kernel or a recording as a source_entry (the recording's
 * rewinds and counts its polls, the kernel's looks sockets up); its close
 * frees what the open made.
 */
void	source_entry_open(struct source_entry *, const struct source_options *);
void	source_entry_close(struct source_entry *);

#endif
