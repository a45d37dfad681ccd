/*
 * tui_detail.c - every field known about one socket, as a page of
 * "label  value" lines: identity, state and timers, queues, what tcp_info
 * and the memory figures say when the kernel sent them, process and ages
 * when the model knows them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "nls.h"
#include "tui_text.h"

/* The kernel's TCP_INFINITE_SSTHRESH: no loss has set one (ss hides it). */
#define INFINITE_SSTHRESH	0x7fffffffU

#define LABEL_WIDTH 24

static void
field(struct tui_lines *l, const char *label, const char *value)
{
	size_t w = format_text_width(label);

	tui_lines_add(l, "  %s%*s %s", label,
	    w < LABEL_WIDTH ? (int)(LABEL_WIDTH - w) : 0, "", value);
}

static void
field_u(struct tui_lines *l, const char *label, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%llu", v);
	field(l, label, buf);
}

static void
field_ms(struct tui_lines *l, const char *label, double ms)
{
	char buf[DURATION_STRLEN];

	format_duration(buf, sizeof buf, ms / 1000.0);
	field(l, label, buf);
}

static void
field_us(struct tui_lines *l, const char *label, uint32_t us)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.3f ms", us / 1000.0);
	field(l, label, buf);
}

/*
 * "≥35s" when the age is only a lower bound: the largest one the model and
 * this page's tcp_info prove, so never shorter than the last send below.
 */
static void
field_age(struct tui_lines *l, const char *label, const struct tui_view *v,
    size_t i, int state)
{
	char buf[DURATION_STRLEN + 4];
	int known;
	double age = tui_sock_age(v, i, state, &known);

	if (age < 0) {
		field(l, label, "-");
		return;
	}
	format_age(buf, sizeof buf, age, known);
	field(l, label, buf);
}

static void
detail_identity(const struct tui_view *v, size_t i, struct tui_lines *l)
{
	const struct sock_rec *s = &v->snap->socks[i];
	char buf[ADDR_STRLEN + 160], name[128];
	const char *proc;
	int pid;

	field(l, _("State"), sock_state_name(s->state));
	format_addr(buf, sizeof buf, s->family, s->src, s->sport);
	field(l, _("Local address"), buf);
	format_addr(buf, sizeof buf, s->family, s->dst, s->dport);
	field(l, _("Peer address"), buf);
	field(l, _("Family"), s->family == AF_INET ? "IPv4" : "IPv6");
	if (v->core != NULL && v->core->netns != NULL &&
	    (proc = v->core->netns(v->core->arg, v->snap, i)) != NULL) {
		format_sanitize(name, sizeof name, proc);
		field(l, _("Network namespace"), name);
	}
	snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)s->cookie);
	field(l, _("Cookie"), buf);
	field_u(l, _("Inode"), s->inode);
	field_u(l, _("UID"), s->uid);
	if (s->ifindex != 0)
		field_u(l, _("Interface index"), s->ifindex);
	proc = tui_sock_process(v, i, &pid);
	if (proc != NULL || pid != 0) {
		format_sanitize(name, sizeof name, proc != NULL ? proc : "?");
		snprintf(buf, sizeof buf, "%d (%s)", pid, name);
		field(l, _("Process"), buf);
	} else {
		field(l, _("Process"), "-");
	}
	field_age(l, _("Age"), v, i, 0);
	field_age(l, _("Time in this state"), v, i, 1);
}

static void
detail_queues(const struct tui_view *v, size_t i, struct tui_lines *l)
{
	const struct sock_rec *s = &v->snap->socks[i];
	char buf[64];

	if (s->state == TS_LISTEN) {
		field_u(l, _("Accept queue"), s->rqueue);
		field_u(l, _("Backlog"), s->wqueue);
	} else {
		field_u(l, _("Recv-Q"), s->rqueue);
		field_u(l, _("Send-Q"), s->wqueue);
	}
	format_timer(buf, sizeof buf, s);
	field(l, _("Timer"), buf);
	if (s->flags & SOCK_HAS_SHUT)
		field(l, _("Shut down"), s->shutdown == 0 ? "-" :
		    s->shutdown == 1 ? _("reading") : s->shutdown == 2 ?
		    _("writing") : _("reading and writing"));
}

static void
detail_info_rtt(const struct sock_info *t, struct tui_lines *l)
{
	field_us(l, _("RTT"), t->rtt_us);
	field_us(l, _("RTT variance"), t->rttvar_us);
	field_us(l, _("Minimum RTT"), t->min_rtt_us);
	field_us(l, _("Retransmit timeout"), t->rto_us);
	field_u(l, _("Congestion window"), t->snd_cwnd);
	if (t->snd_ssthresh >= INFINITE_SSTHRESH)
		field(l, _("Slow start threshold"), _("none yet (no loss)"));
	else
		field_u(l, _("Slow start threshold"), t->snd_ssthresh);
	field_u(l, _("MSS"), t->snd_mss);
	field_u(l, _("Send window"), t->snd_wnd);
	field_u(l, _("Receive space"), t->rcv_space);
}

static void
detail_info(const struct sock_info *t, struct tui_lines *l)
{
	char buf[64];

	tui_lines_add(l, "%s", "");
	tui_lines_add(l, "%s", _("TCP (tcp_info)"));
	detail_info_rtt(t, l);
	field_u(l, _("Retransmits (current)"), t->retransmits);
	field_u(l, _("Retransmits (total)"), t->total_retrans);
	field_u(l, _("Lost"), t->lost);
	field_u(l, _("Unacknowledged"), t->unacked);
	field_u(l, _("Bytes acked"), (unsigned long long)t->bytes_acked);
	field_u(l, _("Bytes received"), (unsigned long long)t->bytes_received);
	field_u(l, _("Bytes retransmitted"),
	    (unsigned long long)t->bytes_retrans);
	snprintf(buf, sizeof buf, "%llu B/s",
	    (unsigned long long)t->delivery_rate);
	field(l, _("Delivery rate"), buf);
	field_ms(l, _("Last send"), t->last_data_sent_ms);
	field_ms(l, _("Last receive"), t->last_data_recv_ms);
	field_ms(l, _("Last ACK received"), t->last_ack_recv_ms);
	field_u(l, _("Not sent bytes"), t->notsent_bytes);
	field_ms(l, _("Busy time"), t->busy_time_us / 1000.0);
	field_ms(l, _("Limited by receive window"), t->rwnd_limited_us / 1000.0);
	field_ms(l, _("Limited by send buffer"), t->sndbuf_limited_us / 1000.0);
}

static void
detail_mem(const struct sock_mem *m, struct tui_lines *l)
{
	tui_lines_add(l, "%s", "");
	tui_lines_add(l, "%s", _("Memory (bytes)"));
	field_u(l, _("Receive queue memory"), m->rmem_alloc);
	field_u(l, _("Receive buffer"), m->rcvbuf);
	field_u(l, _("Send queue memory"), m->wmem_alloc);
	field_u(l, _("Send buffer"), m->sndbuf);
	field_u(l, _("Forward allocation"), m->fwd_alloc);
	field_u(l, _("Queued for sending"), m->wmem_queued);
	field_u(l, _("Options memory"), m->optmem);
	field_u(l, _("Backlog"), m->backlog);
	field_u(l, _("Drops"), m->drops);
}

void
tui_detail(const struct tui_view *v, size_t i, struct tui_lines *l,
    int width)
{
	const struct sock_rec *s = &v->snap->socks[i];
	const struct sock_info *t = tui_sock_info(v, i);

	(void)width;
	detail_identity(v, i, l);
	detail_queues(v, i, l);
	if (t != NULL)
		detail_info(t, l);
	if ((s->flags & SOCK_HAS_MEM) && v->snap->mem != NULL)
		detail_mem(&v->snap->mem[i], l);
	if (v->marks != NULL && i < v->marks_cap && v->marks[i] != 0) {
		tui_lines_add(l, "%s", "");
		tui_lines_add(l, "  %s", v->marks[i] == TUI_MARK_NEW ?
		    _("New since the previous poll.") :
		    _("Its state changed since the previous poll."));
	}
}
