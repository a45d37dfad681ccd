/*
 * batch_cols.c - the columns of a socket in reports (batch_cols.h).
 *
 * Each column is a getter that hands over a plain value; the formats say
 * how a number, a text or an unknown value is written. An unknown value
 * is honest: no tcp_info asked for, no owner found, no name resolved.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "batch_cols.h"
#include "format.h"
#include "monitor.h"

#define SOCK(r, idx)	(&(r)->snap->socks[idx])

static void
val_uint(struct batch_val *v, uint64_t u)
{
	v->kind = BATCH_VAL_UINT;
	v->u = u;
}

static void
val_ms(struct batch_val *v, uint32_t us)
{
	v->kind = BATCH_VAL_DOUBLE;
	v->d = us / 1000.0;
	v->decimals = 3;
}

static void
val_text(struct batch_val *v, const char *s)
{
	size_t n = strlen(s);

	/* What snprintf("%s") would copy, without its cost per cell. */
	if (n > sizeof v->text - 1)
		n = sizeof v->text - 1;
	v->kind = BATCH_VAL_TEXT;
	memcpy(v->text, s, n);
	v->text[n] = '\0';
}

static void
get_state(const struct report *r, size_t idx, struct batch_val *v)
{
	val_text(v, sock_state_name(SOCK(r, idx)->state));
}

static void
get_local(const struct report *r, size_t idx, struct batch_val *v)
{
	const struct sock_rec *s = SOCK(r, idx);

	v->kind = BATCH_VAL_TEXT;
	format_addr(v->text, sizeof v->text, s->family, s->src, s->sport);
}

static void
get_peer(const struct report *r, size_t idx, struct batch_val *v)
{
	const struct sock_rec *s = SOCK(r, idx);

	v->kind = BATCH_VAL_TEXT;
	format_addr(v->text, sizeof v->text, s->family, s->dst, s->dport);
}

static void
get_recv_q(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->rqueue);
}

static void
get_send_q(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->wqueue);
}

static void
get_timer(const struct report *r, size_t idx, struct batch_val *v)
{
	int t = SOCK(r, idx)->timer;

	val_text(v, t == TIMER_NONE ? "off" : sock_timer_name(t));
}

static void
get_expires_ms(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->expires_ms);
}

static void
get_retrans(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->retrans);
}

static void
get_uid(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->uid);
}

static void
get_inode(const struct report *r, size_t idx, struct batch_val *v)
{
	val_uint(v, SOCK(r, idx)->inode);
}

static void
get_cookie(const struct report *r, size_t idx, struct batch_val *v)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t c = SOCK(r, idx)->cookie;
	char tmp[16];
	size_t n = 0;

	/* "0x%llx", written here: it runs once per row. */
	do {
		tmp[n++] = hex[c & 15];
		c >>= 4;
	} while (c != 0);
	v->kind = BATCH_VAL_TEXT;
	v->text[0] = '0';
	v->text[1] = 'x';
	for (c = 0; c < n; c++)
		v->text[2 + c] = tmp[n - 1 - c];
	v->text[2 + n] = '\0';
}

/* An age, or nothing when only a lower bound is known (at_least). */
static void
val_age(const struct report *r, size_t idx, int state, int at_least,
    struct batch_val *v)
{
	const struct model_sock *ms;
	int known;

	if (r->mon == NULL)
		return;
	ms = monitor_sock(r->mon, idx);
	known = (ms->flags & (state ? MODEL_STATE_KNOWN : MODEL_AGE_KNOWN)) != 0;
	if (!at_least && !known)
		return;
	v->kind = BATCH_VAL_DOUBLE;
	v->d = state ? ms->state_age_s : ms->age_s;
	v->decimals = 1;
}

static void
get_age(const struct report *r, size_t idx, struct batch_val *v)
{
	val_age(r, idx, 0, 0, v);
}

static void
get_age_at_least(const struct report *r, size_t idx, struct batch_val *v)
{
	val_age(r, idx, 0, 1, v);
}

static void
get_state_age(const struct report *r, size_t idx, struct batch_val *v)
{
	val_age(r, idx, 1, 0, v);
}

static void
get_state_age_at_least(const struct report *r, size_t idx,
    struct batch_val *v)
{
	val_age(r, idx, 1, 1, v);
}

static void
get_pid(const struct report *r, size_t idx, struct batch_val *v)
{
	const struct proc_owner *ow = batch_owner(r, SOCK(r, idx));

	if (ow != NULL) {
		v->kind = BATCH_VAL_INT;
		v->i = ow->pid;
	}
}

static void
get_process(const struct report *r, size_t idx, struct batch_val *v)
{
	const struct proc_owner *ow = batch_owner(r, SOCK(r, idx));

	if (ow != NULL)
		val_text(v, ow->name);
}

static void
get_netns(const struct report *r, size_t idx, struct batch_val *v)
{
	const char *label = batch_netns_label(r, SOCK(r, idx));

	val_text(v, label != NULL ? label : r->snap->netns);
}

static void
get_peer_name(const struct report *r, size_t idx, struct batch_val *v)
{
	const char *name = batch_peer_name(r, SOCK(r, idx));

	if (name != NULL)
		val_text(v, name);
}

int
batch_group_known(enum batch_col_group g, const struct report *r, size_t idx)
{
	const struct sock_rec *s = SOCK(r, idx);

	switch (g) {
	case BATCH_COLS_MEMORY:
		return r->snap->mem != NULL && (s->flags & SOCK_HAS_MEM);
	case BATCH_COLS_INFO:
		return r->snap->info != NULL && (s->flags & SOCK_HAS_INFO);
	default:
		return 1;
	}
}

/* SK_MEMINFO, when the kernel sent it (-m; listeners always). */
static const struct sock_mem *
mem(const struct report *r, size_t idx)
{
	return batch_group_known(BATCH_COLS_MEMORY, r, idx) ?
	    &r->snap->mem[idx] : NULL;
}

#define MEM_GETTER(field)						\
static void								\
get_mem_##field(const struct report *r, size_t idx, struct batch_val *v)\
{									\
	if (mem(r, idx) != NULL)					\
		val_uint(v, mem(r, idx)->field);			\
}
MEM_GETTER(rmem_alloc)
MEM_GETTER(rcvbuf)
MEM_GETTER(wmem_alloc)
MEM_GETTER(sndbuf)
MEM_GETTER(fwd_alloc)
MEM_GETTER(wmem_queued)
MEM_GETTER(optmem)
MEM_GETTER(backlog)
MEM_GETTER(drops)

/* tcp_info, when the kernel sent it (-i, or a rule asked for it). */
static const struct sock_info *
info(const struct report *r, size_t idx)
{
	return batch_group_known(BATCH_COLS_INFO, r, idx) ?
	    &r->snap->info[idx] : NULL;
}

#define INFO_GETTER(field)						\
static void								\
get_info_##field(const struct report *r, size_t idx, struct batch_val *v)\
{									\
	if (info(r, idx) != NULL)					\
		val_uint(v, info(r, idx)->field);			\
}
#define INFO_MS_GETTER(field)						\
static void								\
get_info_##field(const struct report *r, size_t idx, struct batch_val *v)\
{									\
	if (info(r, idx) != NULL)					\
		val_ms(v, info(r, idx)->field);				\
}
INFO_MS_GETTER(rtt_us)
INFO_MS_GETTER(rttvar_us)
INFO_MS_GETTER(rto_us)
INFO_MS_GETTER(min_rtt_us)
INFO_GETTER(snd_mss)
INFO_GETTER(snd_cwnd)
INFO_GETTER(snd_ssthresh)
INFO_GETTER(unacked)
INFO_GETTER(lost)
INFO_GETTER(total_retrans)
INFO_GETTER(bytes_acked)
INFO_GETTER(bytes_received)
INFO_GETTER(bytes_retrans)
INFO_GETTER(delivery_rate)
INFO_GETTER(last_data_sent_ms)
INFO_GETTER(last_data_recv_ms)
INFO_GETTER(last_ack_recv_ms)
INFO_GETTER(snd_wnd)
INFO_GETTER(rcv_space)
INFO_GETTER(notsent_bytes)

/* The order of the CSV columns: new ones go at the end of their group. */
const struct batch_col batch_cols[] = {
	{ "state", NULL, BATCH_COLS_SOCKET, get_state },
	{ "local", NULL, BATCH_COLS_SOCKET, get_local },
	{ "peer", NULL, BATCH_COLS_SOCKET, get_peer },
	{ "recv_q", NULL, BATCH_COLS_SOCKET, get_recv_q },
	{ "send_q", NULL, BATCH_COLS_SOCKET, get_send_q },
	{ "timer", NULL, BATCH_COLS_SOCKET, get_timer },
	{ "expires_ms", NULL, BATCH_COLS_SOCKET, get_expires_ms },
	{ "retrans", NULL, BATCH_COLS_SOCKET, get_retrans },
	{ "uid", NULL, BATCH_COLS_SOCKET, get_uid },
	{ "inode", NULL, BATCH_COLS_SOCKET, get_inode },
	{ "cookie", NULL, BATCH_COLS_SOCKET, get_cookie },
	{ "age_s", NULL, BATCH_COLS_SOCKET, get_age },
	{ "age_at_least_s", NULL, BATCH_COLS_SOCKET, get_age_at_least },
	{ "state_age_s", NULL, BATCH_COLS_SOCKET, get_state_age },
	{ "state_age_at_least_s", NULL, BATCH_COLS_SOCKET,
	  get_state_age_at_least },
	{ "pid", NULL, BATCH_COLS_SOCKET, get_pid },
	{ "process", NULL, BATCH_COLS_SOCKET, get_process },
	{ "netns", NULL, BATCH_COLS_SOCKET, get_netns },
	{ "peer_name", NULL, BATCH_COLS_SOCKET, get_peer_name },
	{ "rmem_alloc", "r", BATCH_COLS_MEMORY, get_mem_rmem_alloc },
	{ "rcvbuf", "rb", BATCH_COLS_MEMORY, get_mem_rcvbuf },
	{ "wmem_alloc", "t", BATCH_COLS_MEMORY, get_mem_wmem_alloc },
	{ "sndbuf", "tb", BATCH_COLS_MEMORY, get_mem_sndbuf },
	{ "fwd_alloc", "f", BATCH_COLS_MEMORY, get_mem_fwd_alloc },
	{ "wmem_queued", "w", BATCH_COLS_MEMORY, get_mem_wmem_queued },
	{ "optmem", "o", BATCH_COLS_MEMORY, get_mem_optmem },
	{ "backlog", "bl", BATCH_COLS_MEMORY, get_mem_backlog },
	{ "sk_drops", "d", BATCH_COLS_MEMORY, get_mem_drops },
	{ "rtt_ms", "rtt", BATCH_COLS_INFO, get_info_rtt_us },
	{ "rttvar_ms", "rttvar", BATCH_COLS_INFO, get_info_rttvar_us },
	{ "rto_ms", "rto", BATCH_COLS_INFO, get_info_rto_us },
	{ "min_rtt_ms", "minrtt", BATCH_COLS_INFO, get_info_min_rtt_us },
	{ "mss", "mss", BATCH_COLS_INFO, get_info_snd_mss },
	{ "cwnd", "cwnd", BATCH_COLS_INFO, get_info_snd_cwnd },
	{ "ssthresh", "ssthresh", BATCH_COLS_INFO, get_info_snd_ssthresh },
	{ "unacked", "unacked", BATCH_COLS_INFO, get_info_unacked },
	{ "lost", "lost", BATCH_COLS_INFO, get_info_lost },
	{ "total_retrans", "retrans", BATCH_COLS_INFO,
	  get_info_total_retrans },
	{ "bytes_acked", "bytes_acked", BATCH_COLS_INFO, get_info_bytes_acked },
	{ "bytes_received", "bytes_received", BATCH_COLS_INFO,
	  get_info_bytes_received },
	{ "bytes_retrans", "bytes_retrans", BATCH_COLS_INFO,
	  get_info_bytes_retrans },
	{ "delivery_rate", "delivery_rate", BATCH_COLS_INFO,
	  get_info_delivery_rate },
	{ "last_send_ms", "lastsnd", BATCH_COLS_INFO,
	  get_info_last_data_sent_ms },
	{ "last_recv_ms", "lastrcv", BATCH_COLS_INFO,
	  get_info_last_data_recv_ms },
	{ "last_ack_ms", "lastack", BATCH_COLS_INFO,
	  get_info_last_ack_recv_ms },
	{ "snd_wnd", "snd_wnd", BATCH_COLS_INFO, get_info_snd_wnd },
	{ "rcv_space", "rcv_space", BATCH_COLS_INFO, get_info_rcv_space },
	{ "notsent_bytes", "notsent", BATCH_COLS_INFO, get_info_notsent_bytes },
};
const size_t batch_ncols = sizeof batch_cols / sizeof batch_cols[0];
