/*
 * diag.c - ask the kernel for its TCP sockets over NETLINK_SOCK_DIAG.
 *
 * The kernel walks its socket tables once per request, and the walk is
 * most of the cost. The legacy TCPDIAG_GETSOCK request returns both
 * families in one walk, so it is used first; kernels that refuse it get
 * one SOCK_DIAG_BY_FAMILY request per family. Listeners are asked for
 * separately: that walk covers only the listening table, and it is the one
 * place where memory figures (a listener's drops) are cheap.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "diag.h"
#include "diag_reader.h"
#include "nls.h"
#include "replay.h"
#include "xmalloc.h"

#define DIAG_RCVBUF		(4u << 20)
#define DIAG_BUFSIZE		(64u << 10)	/* the kernel fills 32 KiB */
#define DIAG_MAX_RESTARTS	5

struct diag {
	struct mnl_socket	*nl;
	struct diag_blocks	*blocks;	/* the reader's, mapped at open */
	unsigned		 portid;
	uint32_t		 seq;
	char			*buf;
	enum diag_method	 method;
	enum diag_method	 used;
	struct recorder		*rec;
	size_t			 reply_len;	/* of diag_get_one's reply */
	struct mnl_socket	*gone;		/* destroy groups, or NULL */
	enum rec_kind		 record_as;	/* REC_DUMP, or REC_INFO */
	struct snapshot		 extra;		/* tcp_info asked for again */
	/* The dump under way's watcher (diag_request's), or NULL. */
	diag_parsed		*parsed;
	void			*parsed_arg;
};

/* One request on the wire: which message, which family, which states. */
struct diag_query {
	uint16_t	 type;		/* TCPDIAG_GETSOCK or SOCK_DIAG_BY_FAMILY */
	uint8_t		 family;
	uint8_t		 ext;
	uint32_t	 states;
	const void	*bytecode;
	size_t		 bytecode_len;
};

/* Why the netlink socket would not open, and what to do about it. */
static void
diag_open_failed(char **cause, int err)
{
	if (err == EPROTONOSUPPORT || err == ENOENT)
		xasprintf(cause, _("cannot open a sock_diag netlink socket: %s: "
		    "is the inet_diag module available?"), strerror(err));
	else if (err == EMFILE || err == ENFILE)
		xasprintf(cause, _("cannot open a sock_diag netlink socket: %s: "
		    "raise the limit of open files (ulimit -n)"), strerror(err));
	else
		xasprintf(cause, _("cannot open a sock_diag netlink socket: %s"),
		    strerror(err));
}

struct diag *
diag_open(char **cause)
{
	struct diag *d;
	int rcvbuf = DIAG_RCVBUF;

	d = xcalloc(1, sizeof *d);
	if ((d->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC)) == NULL) {
		diag_open_failed(cause, errno);
		free(d);
		return NULL;
	}
	if (mnl_socket_bind(d->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		xasprintf(cause, _("cannot bind the netlink socket: %s"),
		    strerror(errno));
		mnl_socket_close(d->nl);
		free(d);
		return NULL;
	}
	/* A large buffer only helps; the forced variant needs CAP_NET_ADMIN. */
	if (setsockopt(mnl_socket_get_fd(d->nl), SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcvbuf, sizeof rcvbuf) < 0)
		setsockopt(mnl_socket_get_fd(d->nl), SOL_SOCKET, SO_RCVBUF,
		    &rcvbuf, sizeof rcvbuf);
	d->portid = mnl_socket_get_portid(d->nl);
	d->seq = (uint32_t)getpid() << 8;
	d->buf = xmalloc(DIAG_BUFSIZE);
	d->blocks = diag_blocks_new();
	snapshot_init(&d->extra);
	d->method = d->used = DIAG_METHOD_AUTO;
	d->record_as = REC_DUMP;
	return d;
}

void
diag_close(struct diag *d)
{
	if (d == NULL)
		return;
	mnl_socket_close(d->nl);
	if (d->gone != NULL)
		mnl_socket_close(d->gone);
	free(d->buf);
	diag_blocks_free(d->blocks);
	snapshot_free(&d->extra);
	free(d);
}

/*
 * Be told of every TCP socket the kernel frees from now on, as `ss -E` is:
 * the sock_diag destroy groups, which only CAP_NET_ADMIN may join. Returns
 * -1 when they cannot be joined (then nobody is told).
 */
int
diag_watch_destroy(struct diag *d)
{
	unsigned groups = 1u << (SKNLGRP_INET_TCP_DESTROY - 1) |
	    1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
	int rcvbuf = DIAG_RCVBUF;

	if (d->gone != NULL)
		return 0;
	d->gone = mnl_socket_open2(NETLINK_SOCK_DIAG,
	    SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (d->gone == NULL)
		return -1;
	if (mnl_socket_bind(d->gone, groups, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(d->gone);
		d->gone = NULL;
		return -1;
	}
	if (setsockopt(mnl_socket_get_fd(d->gone), SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcvbuf, sizeof rcvbuf) < 0)
		setsockopt(mnl_socket_get_fd(d->gone), SOL_SOCKET, SO_RCVBUF,
		    &rcvbuf, sizeof rcvbuf);
	return 0;
}

/*
 * The sockets freed since the last call, into gone (cleared first).
 * Returns -1 when some were lost (the kernel's queue overflowed): then
 * gone is not the whole story. Without the groups, gone stays empty.
 */
int
diag_destroyed(struct diag *d, struct snapshot *gone)
{
	ssize_t len;
	char *why = NULL;
	int lost = 0;

	snapshot_clear(gone);
	if (d->gone == NULL)
		return 0;
	for (;;) {
		len = mnl_socket_recvfrom(d->gone, d->buf, DIAG_BUFSIZE);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == ENOBUFS) {
			lost = 1;
			continue;
		}
		if (len <= 0)
			break;
		if (diag_parse(d->buf, (size_t)len, 0, gone, &why) ==
		    DIAG_PARSE_ERROR) {
			free(why);
			why = NULL;
			lost = 1;
		}
	}
	return lost ? -1 : 0;
}

void
diag_set_method(struct diag *d, enum diag_method method)
{
	d->method = d->used = method;
}

void
diag_set_recorder(struct diag *d, struct recorder *rec)
{
	d->rec = rec;
}

const char *
diag_method_name(const struct diag *d)
{
	switch (d->used) {
	case DIAG_METHOD_LEGACY:
		return "TCPDIAG_GETSOCK";
	case DIAG_METHOD_FAMILY:
		return "SOCK_DIAG_BY_FAMILY";
	default:
		return "auto";
	}
}

static void
build_query(struct nlmsghdr *nlh, const struct diag_query *q)
{
	nlh->nlmsg_type = q->type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (q->type == TCPDIAG_GETSOCK) {
		struct inet_diag_req *req;

		req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
		req->idiag_family = q->family;
		req->idiag_ext = q->ext;
		req->idiag_states = q->states;
	} else {
		struct inet_diag_req_v2 *req;

		req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
		req->sdiag_family = q->family;
		req->sdiag_protocol = IPPROTO_TCP;
		req->idiag_ext = q->ext;
		req->idiag_states = q->states;
	}
	if (q->bytecode != NULL)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, q->bytecode_len,
		    q->bytecode);
}

static int
send_query(struct diag *d, const struct diag_query *q, char **cause)
{
	struct nlmsghdr *nlh;

	if (q->bytecode_len > DIAG_BUFSIZE / 2) {
		xasprintf(cause, _("the filter is too large for the kernel "
		    "(%zu bytes): simplify it"), q->bytecode_len);
		errno = E2BIG;
		return -1;
	}
	nlh = mnl_nlmsg_put_header(d->buf);
	nlh->nlmsg_seq = ++d->seq;
	build_query(nlh, q);
	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0) {
		xasprintf(cause, _("cannot send the sock_diag request: %s"),
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
record(struct diag *d, enum rec_kind kind, const void *buf, size_t len)
{
	if (d->rec != NULL)
		recorder_frame(d->rec, kind, buf, len);
}

/* One datagram of a dump into snap; its watcher is told of new records. */
static int
parse_reply(struct diag *d, const void *buf, size_t len,
    struct snapshot *snap, char **cause)
{
	size_t from = snap->n;
	int ret;

	ret = diag_parse(buf, len, d->seq, snap, cause);
	if (ret != DIAG_PARSE_ERROR && d->parsed != NULL && snap->n > from)
		d->parsed(snap, from, d->parsed_arg);
	return ret;
}

/*
 * Read the reply to the last request until NLMSG_DONE, here. An
 * interrupted dump (EINTR) is read to its end first, so the next request
 * starts clean.
 */
static int
read_reply_here(struct diag *d, struct snapshot *snap, int interrupted,
    char **cause)
{
	ssize_t len;
	int ret;

	for (;;) {
		len = mnl_socket_recvfrom(d->nl, d->buf, DIAG_BUFSIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			free(*cause);
			xasprintf(cause, _("cannot read the sock_diag reply: %s"),
			    strerror(errno));
			return -1;
		}
		if (interrupted) {
			if (diag_reader_dump_ended(d->buf, (size_t)len))
				break;
			continue;
		}
		ret = parse_reply(d, d->buf, (size_t)len, snap, cause);
		if (ret == DIAG_PARSE_ERROR) {
			if (errno != EINTR || diag_reader_dump_ended(d->buf, (size_t)len))
				return -1;
			interrupted = 1;
			continue;
		}
		record(d, d->record_as, d->buf, (size_t)len);
		if (ret == DIAG_PARSE_DONE)
			return 0;
	}
	errno = EINTR;
	return -1;
}

/*
 * The same with the reads on a thread of their own (diag_reader.c): this
 * one parses a datagram while the kernel fills the next ones. Should the
 * reader stop short of our NLMSG_DONE, the rest is read here.
 */
static int
read_reply(struct diag *d, struct snapshot *snap, char **cause)
{
	struct diag_reader *r;
	const void *buf;
	size_t len;
	int ret, err, interrupted = 0;

	r = diag_reader_start(mnl_socket_get_fd(d->nl), DIAG_BUFSIZE,
	    d->blocks);
	if (r == NULL)
		return read_reply_here(d, snap, 0, cause);
	while ((buf = diag_reader_next(r, &len, &err)) != NULL) {
		if (interrupted)
			continue;
		ret = parse_reply(d, buf, len, snap, cause);
		if (ret == DIAG_PARSE_ERROR) {
			if (errno != EINTR) {
				diag_reader_finish(r);
				return -1;
			}
			interrupted = 1;
			continue;
		}
		record(d, d->record_as, buf, len);
		if (ret == DIAG_PARSE_DONE) {
			diag_reader_finish(r);
			return 0;
		}
	}
	diag_reader_finish(r);
	if (err != 0) {
		free(*cause);
		xasprintf(cause, _("cannot read the sock_diag reply: %s"),
		    strerror(err));
		errno = err;
		return -1;
	}
	if (interrupted) {
		errno = EINTR;
		return -1;
	}
	return read_reply_here(d, snap, 0, cause);
}

/* Run one query, restarting it when the tables changed under the walk. */
static int
run_query(struct diag *d, const struct diag_query *q, struct snapshot *snap,
    char **cause)
{
	size_t mark = snap->n;
	int tries;

	for (tries = 0; tries <= DIAG_MAX_RESTARTS; tries++) {
		if (send_query(d, q, cause) < 0)
			return -1;
		if (read_reply(d, snap, cause) == 0)
			return 0;
		if (errno != EINTR)
			return -1;
		free(*cause);
		*cause = NULL;
		snapshot_truncate(snap, mark);
		if (d->record_as == REC_DUMP)	/* INFO frames merge twice fine */
			record(d, REC_RESTART, NULL, 0);
	}
	xasprintf(cause, _("the socket tables kept changing during %d dumps: "
	    "try again"), DIAG_MAX_RESTARTS + 1);
	errno = EAGAIN;
	return -1;
}

static uint8_t
ext_bits(int info, int mem)
{
	uint8_t ext = 0;

	if (info)
		ext |= 1 << (INET_DIAG_INFO - 1);
	if (mem)
		ext |= 1 << (INET_DIAG_SKMEMINFO - 1);
	return ext;
}

/* A refusal that means "this kernel does not know the legacy request". */
static int
legacy_refused(int err)
{
	return err == EINVAL || err == ENOENT || err == EOPNOTSUPP ||
	    err == EPROTONOSUPPORT || err == EAFNOSUPPORT;
}

static int
run_families(struct diag *d, struct diag_query *q, unsigned families,
    struct snapshot *snap, char **cause)
{
	int both = (families & DIAG_FAMILY_V4) && (families & DIAG_FAMILY_V6);
	size_t mark = snap->n;

	if (both && d->method != DIAG_METHOD_FAMILY) {
		q->type = TCPDIAG_GETSOCK;
		q->family = AF_UNSPEC;
		if (run_query(d, q, snap, cause) == 0) {
			d->used = DIAG_METHOD_LEGACY;
			return 0;
		}
		if (d->method == DIAG_METHOD_LEGACY || !legacy_refused(errno))
			return -1;
		free(*cause);
		*cause = NULL;
		snapshot_truncate(snap, mark);
		d->method = DIAG_METHOD_FAMILY;
	}
	d->used = DIAG_METHOD_FAMILY;
	q->type = SOCK_DIAG_BY_FAMILY;
	if (families & DIAG_FAMILY_V4) {
		q->family = AF_INET;
		if (run_query(d, q, snap, cause) < 0)
			return -1;
	}
	if (families & DIAG_FAMILY_V6) {
		q->family = AF_INET6;
		if (run_query(d, q, snap, cause) < 0)
			return -1;
	}
	return 0;
}

/*
 * Wrap the cause of a failed dump: fmt, a translated message of the
 * caller's, holds one %s for it; no literal to check here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
explain(char **cause, const char *fmt)
{
	char *inner = *cause;

	xasprintf(cause, fmt, inner != NULL ? inner : strerror(errno));
	free(inner);
	return -1;
}
#pragma GCC diagnostic pop

/*
 * Dump the sockets the request asks for into snap (cleared first). Two
 * walks at most: listeners (with their memory, for drops) and the rest.
 */
int
diag_dump(struct diag *d, const struct diag_request *req,
    struct snapshot *snap, char **cause)
{
	struct diag_query q;
	uint32_t states = diag_kernel_states(req->states);
	int ret = 0;

	*cause = NULL;
	snapshot_want_only(snap, req->want_info,
	    req->want_mem || req->listen_mem);
	snapshot_clear(snap);
	clock_gettime(CLOCK_REALTIME, &snap->when);
	memset(&q, 0, sizeof q);
	q.bytecode = req->bytecode;
	q.bytecode_len = req->bytecode_len;
	d->parsed = req->parsed;
	d->parsed_arg = req->parsed_arg;

	if (states & TS_BIT(TS_LISTEN)) {
		q.states = TS_BIT(TS_LISTEN);
		q.ext = ext_bits(req->want_info, req->want_mem || req->listen_mem);
		if (run_families(d, &q, req->families, snap, cause) < 0)
			ret = explain(cause,
			    _("cannot dump the listening sockets: %s"));
	}
	if (ret == 0 && (states & ~TS_BIT(TS_LISTEN))) {
		q.states = states & ~TS_BIT(TS_LISTEN);
		q.ext = ext_bits(req->want_info, req->want_mem);
		if (run_families(d, &q, req->families, snap, cause) < 0)
			ret = explain(cause,
			    _("cannot dump the connected sockets: %s"));
	}
	d->parsed = NULL;
	return ret;
}

/*
 * One socket again, found by its identity, with tcp_info when asked: a
 * lookup in the kernel's hash tables, not a walk. The dashboard uses it
 * for the rows on the screen, so that the dump of every socket need not
 * carry tcp_info. out is cleared and holds the socket alone; returns -1
 * with errno ENOENT (or ESTALE) when the socket is gone.
 */
int
diag_get_one(struct diag *d, const struct sock_rec *s, int want_info,
    struct snapshot *out, char **cause)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	ssize_t len;
	int ret;

	*cause = NULL;
	snapshot_want(out, want_info, 0);
	snapshot_clear(out);
	nlh = mnl_nlmsg_put_header(d->buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++d->seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
	req->sdiag_family = s->family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_ext = ext_bits(want_info, 0);
	req->idiag_states = ~0u;
	req->id.idiag_sport = htons(s->sport);
	req->id.idiag_dport = htons(s->dport);
	memcpy(req->id.idiag_src, s->src, sizeof req->id.idiag_src);
	memcpy(req->id.idiag_dst, s->dst, sizeof req->id.idiag_dst);
	req->id.idiag_if = s->ifindex;
	req->id.idiag_cookie[0] = (uint32_t)s->cookie;
	req->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0) {
		xasprintf(cause, _("cannot send the sock_diag request: %s"),
		    strerror(errno));
		return -1;
	}
	do {
		len = mnl_socket_recvfrom(d->nl, d->buf, DIAG_BUFSIZE);
	} while (len < 0 && errno == EINTR);
	if (len < 0) {
		xasprintf(cause, _("cannot read the sock_diag reply: %s"),
		    strerror(errno));
		return -1;
	}
	ret = diag_parse(d->buf, (size_t)len, d->seq, out, cause);
	if (ret == DIAG_PARSE_ERROR)
		return -1;
	if (out->n == 0) {
		errno = ENOENT;
		return -1;
	}
	d->reply_len = (size_t)len;
	return 0;
}

/*
 * tcp_info for the sockets of `states` only, by a dump of those states
 * recorded as INFO frames, merged into snap by cookie.
 */
static int
dump_info(struct diag *d, const struct diag_request *req, uint32_t states,
    struct snapshot *snap, char **cause)
{
	struct diag_request r = *req;
	int ret;

	r.states = states;
	r.want_info = 1;
	r.want_mem = r.listen_mem = 0;
	r.parsed = NULL;		/* the watcher's dump is snap's */
	d->record_as = REC_INFO;
	ret = diag_dump(d, &r, &d->extra, cause);
	d->record_as = REC_DUMP;
	if (ret < 0)
		return -1;
	snapshot_take_info(snap, &d->extra);
	return 0;
}

/*
 * tcp_info for the sockets `want` picks, added to the snapshot of a dump
 * made without it: asking for it on every socket doubles the kernel's
 * work. Few sockets are looked up one by one; more than max, by one dump
 * of just their states (req gives the families and filter).
 */
int
diag_fill_info(struct diag *d, const struct diag_request *req,
    struct snapshot *snap, diag_want_info *want, void *arg, size_t max,
    char **cause)
{
	struct snapshot *one = &d->extra;
	uint8_t wanted[1024];
	uint32_t states = 0;
	size_t i, at, len, n = 0, *pick;

	*cause = NULL;
	pick = xreallocarray(NULL, max + 1, sizeof *pick);
	for (at = 0; at < snap->n; at += len) {
		len = snap->n - at < sizeof wanted ? snap->n - at : sizeof wanted;
		memset(wanted, 0, len);
		want(snap, at, len, wanted, arg);
		for (i = at; i < at + len; i++) {
			if (!wanted[i - at])
				continue;
			if (n <= max)
				pick[n] = i;
			n++;
			states |= TS_BIT(snap->socks[i].state);
		}
	}
	if (n == 0 || n > max) {
		free(pick);
		return n == 0 ? 0 : dump_info(d, req, states, snap, cause);
	}
	snapshot_want(snap, 1, 0);
	for (i = 0; i < n; i++) {
		struct sock_rec *s = &snap->socks[pick[i]];

		if (s->flags & SOCK_HAS_INFO)
			continue;
		if (diag_get_one(d, s, 1, one, cause) < 0 ||
		    !(one->socks[0].flags & SOCK_HAS_INFO)) {
			free(*cause);	/* gone since the dump: nothing to add */
			*cause = NULL;
			continue;
		}
		record(d, REC_INFO, d->buf, d->reply_len);
		snap->info[pick[i]] = one->info[0];
		s->flags |= SOCK_HAS_INFO;
	}
	free(pick);
	return 0;
}
