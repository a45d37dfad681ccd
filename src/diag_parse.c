/*
 * diag_parse.c - inet_diag reply bytes to socket records.
 *
 * Pure: it reads a buffer and appends to a snapshot. Every message and
 * attribute length is checked before use, because the same code reads
 * recordings from disk, and a recording can be truncated or hostile.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "diag.h"
#include "nls.h"
#include "xmalloc.h"

/* struct tcp_info up to tcpi_total_retrans: what every kernel since 2.6 sends. */
#define TCP_INFO_MIN_LEN	104
#define MEMINFO_MIN_LEN		(4 * sizeof(uint32_t))

static int
parse_fail(char **cause, int err, const char *msg)
{
	if (cause != NULL)
		*cause = xstrdup(msg);
	errno = err;
	return DIAG_PARSE_ERROR;
}

/*
 * Collect the attributes after the fixed header; fail if one overruns the
 * message. Unknown types (newer kernels) are skipped.
 */
static int
collect_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const struct nlattr *attr;
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);

	memset(tb, 0, sizeof(*tb) * (INET_DIAG_MAX + 1));
	mnl_attr_for_each(attr, nlh, sizeof(struct inet_diag_msg)) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type <= INET_DIAG_MAX)
			tb[type] = attr;
	}
	/* The loop stops at the first attribute that does not fit. */
	if ((const char *)attr < tail &&
	    tail - (const char *)attr >= (long)sizeof(struct nlattr))
		return -1;
	return 0;
}

static void
copy_info(struct sock_info *out, const struct nlattr *attr)
{
	struct tcp_info ti;
	size_t len = mnl_attr_get_payload_len(attr);

	memset(&ti, 0, sizeof ti);
	memcpy(&ti, mnl_attr_get_payload(attr), len < sizeof ti ? len : sizeof ti);
	out->ca_state = ti.tcpi_ca_state;
	out->retransmits = ti.tcpi_retransmits;
	out->probes = ti.tcpi_probes;
	out->backoff = ti.tcpi_backoff;
	out->options = ti.tcpi_options;
	out->snd_wscale = ti.tcpi_snd_wscale;
	out->rcv_wscale = ti.tcpi_rcv_wscale;
	out->rto_us = ti.tcpi_rto;
	out->rtt_us = ti.tcpi_rtt;
	out->rttvar_us = ti.tcpi_rttvar;
	out->min_rtt_us = ti.tcpi_min_rtt;
	out->snd_mss = ti.tcpi_snd_mss;
	out->snd_cwnd = ti.tcpi_snd_cwnd;
	out->snd_ssthresh = ti.tcpi_snd_ssthresh;
	out->unacked = ti.tcpi_unacked;
	out->lost = ti.tcpi_lost;
	out->total_retrans = ti.tcpi_total_retrans;
	out->last_data_sent_ms = ti.tcpi_last_data_sent;
	out->last_data_recv_ms = ti.tcpi_last_data_recv;
	out->last_ack_recv_ms = ti.tcpi_last_ack_recv;
	out->rcv_space = ti.tcpi_rcv_space;
	out->snd_wnd = ti.tcpi_snd_wnd;
	out->notsent_bytes = ti.tcpi_notsent_bytes;
	out->bytes_acked = ti.tcpi_bytes_acked;
	out->bytes_received = ti.tcpi_bytes_received;
	out->bytes_retrans = ti.tcpi_bytes_retrans;
	out->delivery_rate = ti.tcpi_delivery_rate;
	out->busy_time_us = ti.tcpi_busy_time;
	out->rwnd_limited_us = ti.tcpi_rwnd_limited;
	out->sndbuf_limited_us = ti.tcpi_sndbuf_limited;
	out->len = (uint32_t)len;
}

static void
copy_mem(struct sock_mem *out, const struct nlattr *attr)
{
	uint32_t v[SK_MEMINFO_VARS];
	size_t len = mnl_attr_get_payload_len(attr);

	memset(v, 0, sizeof v);
	memcpy(v, mnl_attr_get_payload(attr), len < sizeof v ? len : sizeof v);
	out->rmem_alloc = v[SK_MEMINFO_RMEM_ALLOC];
	out->rcvbuf = v[SK_MEMINFO_RCVBUF];
	out->wmem_alloc = v[SK_MEMINFO_WMEM_ALLOC];
	out->sndbuf = v[SK_MEMINFO_SNDBUF];
	out->fwd_alloc = v[SK_MEMINFO_FWD_ALLOC];
	out->wmem_queued = v[SK_MEMINFO_WMEM_QUEUED];
	out->optmem = v[SK_MEMINFO_OPTMEM];
	out->backlog = v[SK_MEMINFO_BACKLOG];
	out->drops = v[SK_MEMINFO_DROPS];
}

/* Check the lengths of the attributes we read; NULL when all are sound. */
static const char *
check_attrs(const struct nlattr **tb)
{
	if (tb[INET_DIAG_INFO] != NULL &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_INFO]) < TCP_INFO_MIN_LEN)
		return _("attribute INET_DIAG_INFO is too short");
	if (tb[INET_DIAG_SKMEMINFO] != NULL &&
	    (mnl_attr_get_payload_len(tb[INET_DIAG_SKMEMINFO]) < MEMINFO_MIN_LEN ||
	    mnl_attr_get_payload_len(tb[INET_DIAG_SKMEMINFO]) % 4 != 0))
		return _("attribute INET_DIAG_SKMEMINFO has a bad length");
	if (tb[INET_DIAG_SHUTDOWN] != NULL &&
	    mnl_attr_validate(tb[INET_DIAG_SHUTDOWN], MNL_TYPE_U8) < 0)
		return _("attribute INET_DIAG_SHUTDOWN has a bad length");
	return NULL;
}

static void
fill_record(struct sock_rec *s, const struct inet_diag_msg *m)
{
	size_t alen = m->idiag_family == AF_INET ? 4 : 16;

	s->family = m->idiag_family;
	s->state = m->idiag_state == TS_NEW_SYN_RECV ? TS_SYN_RECV :
	    m->idiag_state;
	s->timer = m->idiag_timer;
	s->retrans = m->idiag_retrans;
	s->expires_ms = m->idiag_expires;
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
	s->ifindex = m->id.idiag_if;
	s->sport = ntohs(m->id.idiag_sport);
	s->dport = ntohs(m->id.idiag_dport);
	memcpy(s->src, m->id.idiag_src, alen);
	memcpy(s->dst, m->id.idiag_dst, alen);
	s->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 |
	    m->id.idiag_cookie[0];
}

static int
parse_sock(const struct nlmsghdr *nlh, struct snapshot *snap, char **cause)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[INET_DIAG_MAX + 1];
	const char *bad;
	struct sock_rec *s;
	size_t i;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof *m)
		return parse_fail(cause, EBADMSG,
		    _("a socket message is shorter than inet_diag_msg"));
	if (collect_attrs(nlh, tb) < 0)
		return parse_fail(cause, EBADMSG,
		    _("an attribute overruns its message"));
	if ((bad = check_attrs(tb)) != NULL)
		return parse_fail(cause, EBADMSG, bad);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return DIAG_PARSE_MORE;
	if (m->idiag_state < 1 || m->idiag_state > TS_MAX)
		return DIAG_PARSE_MORE;

	s = snapshot_add(snap, &i);
	fill_record(s, m);
	if (tb[INET_DIAG_SHUTDOWN] != NULL) {
		s->shutdown = mnl_attr_get_u8(tb[INET_DIAG_SHUTDOWN]);
		s->flags |= SOCK_HAS_SHUT;
	}
	if (tb[INET_DIAG_INFO] != NULL && snap->info != NULL) {
		copy_info(&snap->info[i], tb[INET_DIAG_INFO]);
		s->flags |= SOCK_HAS_INFO;
	}
	if (tb[INET_DIAG_SKMEMINFO] != NULL && snap->mem != NULL) {
		copy_mem(&snap->mem[i], tb[INET_DIAG_SKMEMINFO]);
		s->flags |= SOCK_HAS_MEM;
	}
	return DIAG_PARSE_MORE;
}

/*
 * The errno of a kernel's negative error number. Anything out of the
 * kernel's range (a corrupt recording; negating INT_MIN overflows) is a
 * protocol error.
 */
static int
kernel_errno(int32_t error)
{
	return error < 0 && error >= -4095 ? -error : EPROTO;
}

static int
parse_error_msg(const struct nlmsghdr *nlh, char **cause)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof *err)
		return parse_fail(cause, EBADMSG,
		    _("a netlink error message is truncated"));
	if (err->error == 0)
		return DIAG_PARSE_MORE;	/* an acknowledgement */
	return parse_fail(cause, kernel_errno(err->error),
	    _("the kernel refused the request"));
}

static int
parse_done_msg(const struct nlmsghdr *nlh, char **cause)
{
	int32_t status;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof status)
		return DIAG_PARSE_DONE;
	memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof status);
	if (status < 0)
		return parse_fail(cause, kernel_errno(status),
		    _("the kernel ended the dump with an error"));
	return DIAG_PARSE_DONE;
}

static int
parse_one(const struct nlmsghdr *nlh, uint32_t seq, struct snapshot *snap,
    char **cause)
{
	if (seq != 0 && nlh->nlmsg_seq != seq)
		return DIAG_PARSE_MORE;	/* a stale reply to an earlier request */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return parse_fail(cause, EINTR,
		    _("the socket tables changed during the dump"));
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return DIAG_PARSE_MORE;
	case NLMSG_ERROR:
		return parse_error_msg(nlh, cause);
	case NLMSG_DONE:
		return parse_done_msg(nlh, cause);
	case SOCK_DIAG_BY_FAMILY:
	case TCPDIAG_GETSOCK:
		return parse_sock(nlh, snap, cause);
	default:
		return parse_fail(cause, EBADMSG,
		    _("an unexpected netlink message type"));
	}
}

/*
 * Whether a whole message lies in the `left` bytes at nlh. Not
 * mnl_nlmsg_ok(): it compares nlmsg_len as an int, so a length with the
 * top bit set (a corrupt recording) passes and the reader leaves the buffer.
 */
static int
message_fits(const struct nlmsghdr *nlh, int left)
{
	return left >= (int)sizeof *nlh && nlh->nlmsg_len >= sizeof *nlh &&
	    nlh->nlmsg_len <= (uint32_t)left;
}

/*
 * Parse one datagram of a dump reply (netlink never splits a message across
 * datagrams). Returns DIAG_PARSE_MORE while the dump goes on, DIAG_PARSE_DONE
 * at its end, DIAG_PARSE_ERROR with errno and *cause set. With seq non-zero,
 * messages of another sequence are ignored.
 */
int
diag_parse(const void *buf, size_t len, uint32_t seq, struct snapshot *snap,
    char **cause)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	int ret;

	while (message_fits(nlh, left)) {
		ret = parse_one(nlh, seq, snap, cause);
		if (ret != DIAG_PARSE_MORE)
			return ret;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	if (left != 0)
		return parse_fail(cause, EBADMSG,
		    _("a truncated netlink message"));
	return DIAG_PARSE_MORE;
}

/* Request sockets live in TCP_NEW_SYN_RECV: ask for them with SYN_RECV. */
uint32_t
diag_kernel_states(uint32_t states)
{
	if (states & TS_BIT(TS_SYN_RECV))
		states |= TS_BIT(TS_NEW_SYN_RECV);
	return states;
}
