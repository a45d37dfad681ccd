/*
 * diag.h - the TCP socket collector: NETLINK_SOCK_DIAG dumps into snapshots.
 *
 * diag.c owns the netlink socket and the requests; diag_parse.c turns reply
 * bytes into records and touches nothing else, so it can be fed recordings.
 */
#ifndef SOCKWATCH_DIAG_H
#define SOCKWATCH_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

struct recorder;

#define DIAG_FAMILY_V4	0x1
#define DIAG_FAMILY_V6	0x2

/*
 * Told as a dump is read: snap holds the records parsed so far, those
 * from `from` on new since the last call (lower than then when the dump
 * restarted and parses again). Called on the parsing thread, while the
 * kernel fills the next datagrams.
 */
typedef void diag_parsed(const struct snapshot *snap, size_t from,
    void *arg);

/* What to ask the kernel for. */
struct diag_request {
	unsigned	 families;	/* DIAG_FAMILY_* */
	uint32_t	 states;	/* TS_BIT() mask */
	int		 want_info;	/* INET_DIAG_INFO (struct tcp_info) */
	int		 want_mem;	/* INET_DIAG_SKMEMINFO */
	int		 listen_mem;	/* SKMEMINFO for listeners (their drops) */
	const void	*bytecode;	/* INET_DIAG_REQ_BYTECODE, or NULL */
	size_t		 bytecode_len;
	diag_parsed	*parsed;	/* or NULL */
	void		*parsed_arg;
};

enum diag_method {
	DIAG_METHOD_AUTO,	/* legacy one-walk request, else per family */
	DIAG_METHOD_LEGACY,	/* TCPDIAG_GETSOCK: both families, one walk */
	DIAG_METHOD_FAMILY,	/* SOCK_DIAG_BY_FAMILY, one walk per family */
};

/* Parser results. */
#define DIAG_PARSE_MORE	1
#define DIAG_PARSE_DONE	0
#define DIAG_PARSE_ERROR (-1)

struct diag;

/*
 * Which of snap's sockets [from, from + n) need their tcp_info:
 * want[i - from] set non-zero for those. Asked a range at a time, so that
 * the answer can look ahead (it searches a table far larger than the
 * cache).
 */
typedef void diag_want_info(const struct snapshot *snap, size_t from,
    size_t n, uint8_t *want, void *arg);

struct diag	*diag_open(char **cause);
void		 diag_close(struct diag *);
int		 diag_watch_destroy(struct diag *);
int		 diag_destroyed(struct diag *, struct snapshot *gone);
void		 diag_set_method(struct diag *, enum diag_method);
void		 diag_set_recorder(struct diag *, struct recorder *);
int		 diag_dump(struct diag *, const struct diag_request *,
		     struct snapshot *, char **cause);
const char	*diag_method_name(const struct diag *);
int		 diag_get_one(struct diag *, const struct sock_rec *,
		     int want_info, struct snapshot *, char **cause);

int		 diag_fill_info(struct diag *, const struct diag_request *,
		     struct snapshot *, diag_want_info *, void *arg, size_t max,
		     char **cause);
int		 diag_parse(const void *buf, size_t len, uint32_t seq,
		     struct snapshot *, char **cause);
uint32_t	 diag_kernel_states(uint32_t states);

#endif
