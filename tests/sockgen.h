/*
 * sockgen.h - the test socket generator: what its files share.
 *
 * sockgen.c reads the options and holds what was built; sockgen_build.c
 * builds it, scenario by scenario; sockgen_verify.c checks the namespaces'
 * tables against it and prints the manifest; sockgen_net.c does what
 * touches namespaces, nftables, sysctls and /proc, so the generator's own
 * view of the kernel never goes through sockwatch's code.
 *
 * Besides that two-namespace mode, sub-commands act in the namespace they
 * run in (the test enters it with ip netns exec): sockgen_hold.c holds
 * sockets named on the command line and reports what their peers saw;
 * sockgen_peer.c runs servers and clients that misbehave on purpose;
 * sockgen_raw.c sends raw SYNs from many sources, a flood or a crowd.
 */
#ifndef SOCKGEN_H
#define SOCKGEN_H

#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define SOCKGEN_ADDR_STRLEN	(INET6_ADDRSTRLEN + 9)	/* "[addr]:65535" */
#define SOCKGEN_ROW_STRLEN	(2 * SOCKGEN_ADDR_STRLEN + 32)
#define SOCKGEN_MAX_SCENARIOS	16
#define SOCKGEN_SKIP		77	/* a tool it needs is missing: as automake's SKIP */

enum sockgen_role { CLIENT, SERVER };
enum sockgen_action { ACT_NONE, ACT_SHUT_WR, ACT_CLOSE };

/*
 * How one kind of connection is led to its states: rules installed in the
 * client namespace from the start and in the server namespace once every
 * connection is up, what each side does, and the states that follow.
 */
struct sockgen_scenario {
	const char		*name;
	/* What the nft rule does to the scenario's packets arriving in the
	 * client namespace (from the server port) or in the server's (to
	 * it, once the connection is up): "drop", or a match then "drop". */
	const char		*client_drop;
	const char		*server_drop;
	int			 handshake;	/* 0: no SYN-ACK ever arrives */
	int			 accept;	/* 0: left in accept queue */
	int			 dual;		/* one [::] listener for both */
	enum sockgen_action	 client_act;
	int			 mid_client, mid_server;
	enum sockgen_action	 server_act;
	int			 end_client, end_server; /* 0: nothing left */
};

/* One socket built; fd -1 when only the kernel holds it. */
struct gsock {
	int			 fd;
	enum sockgen_role	 role;
	int			 listener;
	size_t			 scen;
	int			 state;	/* what it must be; 0: gone */
	const char		*holder; /* once closed: orphan, timewait */
	struct sockaddr_storage	 local;
	struct sockaddr_storage	 peer;
};

struct sockgen_options {
	const char	*ns_name[2];	/* [role] */
	int		 ns_fd[2];
	unsigned	 count;
	unsigned	 port;
	unsigned	 families;	/* bit 0 IPv4, bit 1 IPv6 */
	unsigned	 hold;
	unsigned	 timeout;
	int		 want[SOCKGEN_MAX_SCENARIOS];
};

/* The options of the misbehaving peers (sockgen_peer.c, sockgen_raw.c). */
struct sockgen_peer {
	const char	*addr;		/* server: bind; clients: connect */
	unsigned	 port;
	unsigned	 backlog;
	const char	*mode;
	unsigned	 rcvbuf;	/* 0: the kernel's */
	double		 seconds;	/* how long it lives, at most */
	const char	*ready;		/* file that gets the pid once ready */
	unsigned	 count;
	double		 rate;		/* SYNs a second; 0: at once */
	unsigned	 seed;
	double		 delay;		/* crowd: before an ACK is sent */
	unsigned	 sources;
	const char	*ifname;
};

extern struct sockgen_options		 sockgen_opt;
extern const struct sockgen_scenario	 sockgen_scenarios[];
extern const size_t			 sockgen_nscenarios;
extern struct gsock			*sockgen_socks;
extern size_t				 sockgen_nsocks;

/* sockgen.c */
/* -H/--hold and -t/--timeout, which building and `hold` share. */
#define SOCKGEN_HOLD_OPTIONS \
	{ "hold", required_argument, NULL, 'H' }, \
	{ "timeout", required_argument, NULL, 't' }
int		 sockgen_hold_option(int c, const char *arg);
unsigned	 sockgen_parse_uint(const char *arg, const char *what,
		     unsigned min, unsigned max);
double		 sockgen_parse_double(const char *arg, const char *what,
		     double max);
void		 sockgen_raise_nofile(unsigned long need, const char *hint);
ssize_t		 sockgen_read_stdin(double seconds, char *buf, size_t size);
void		 sockgen_wait_stdin(double seconds, int any_input);

/* sockgen_hold.c */
int		 sockgen_hold_main(int argc, char **argv);

/* sockgen_peer.c */
int		 sockgen_peer_main(int argc, char **argv);
void		 sockgen_peer_ready(const struct sockgen_peer *);
void		 sockgen_sleep(double seconds);

/* sockgen_raw.c */
int		 sockgen_synflood(const struct sockgen_peer *);
int		 sockgen_crowd(const struct sockgen_peer *);

/* sockgen_build.c */
void		 sockgen_build(void);
int		 sockgen_backlog(size_t scen);
double		 sockgen_now(void);
void		 sockgen_nap(void);
void		 sockgen_enter(enum sockgen_role);

/* sockgen_verify.c */
void		 sockgen_verify(enum sockgen_role);
void		 sockgen_print_manifest(void);

/* sockgen_net.c */
void		 sockgen_die(const char *, ...)
		     __attribute__((format(printf, 1, 2), noreturn));
void		*sockgen_reallocarray(void *, size_t, size_t);
const char	*sockgen_state_name(int state);
const char	*sockgen_family_name(const struct sockaddr_storage *);
int		 sockgen_parse_addr(const char *addr, unsigned port,
		     struct sockaddr_storage *);
socklen_t	 sockgen_addr_len(const struct sockaddr_storage *);
int		 sockgen_tcp_state(int fd);
size_t		 sockgen_format_addr(char *, size_t,
		     const struct sockaddr_storage *);
void		 sockgen_format_row(char *, size_t, int state,
		     const struct sockaddr_storage *local,
		     const struct sockaddr_storage *peer);
int		 sockgen_netns_open(const char *name);
void		 sockgen_netns_enter(int fd, const char *name);
void		 sockgen_sysctl(const char *path, const char *value);
void		 sockgen_nft(const char *script);
char		**sockgen_proc_rows(size_t *n, int timewait_only);
int		  sockgen_has_row(const char *want, int timewait_only);

#endif
