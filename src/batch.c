/*
 * batch.c - one report of a snapshot as text, JSON or CSV.
 *
 * Machine formats keep English keys and '.' decimals whatever the locale;
 * the text format is for people and its words are translated.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "batch.h"
#include "batch_anomaly.h"
#include "batch_cols.h"
#include "batch_netns.h"
#include "netns.h"
#include "format.h"
#include "nls.h"

#define TEXT_MIN_ADDR_WIDTH	21	/* "255.255.255.255:65535" */
#define REPORT_PREFETCH		16	/* rows ahead; a row takes ~100 ns */

/*
 * The k-th socket in display order. Rows come in sorted order, which jumps
 * all over a snapshot that at a million sockets is far larger than the
 * cache, so the record some rows ahead is asked for early: waiting for
 * each record in turn took a third of a listing's time.
 */
static const struct sock_rec *
report_sock(const struct report *r, size_t k)
{
	if (k + REPORT_PREFETCH < r->norder) {
		const char *ahead = (const char *)
		    &r->snap->socks[r->order[k + REPORT_PREFETCH]];

		__builtin_prefetch(ahead);
		__builtin_prefetch(ahead + sizeof(struct sock_rec) - 1);
	}
	return &r->snap->socks[r->order[k]];
}

/* Host and namespace names may come from a recording: sanitised. */
static void
text_header(struct out *o, const struct report *r)
{
	char when[32], host[4 * sizeof r->snap->host],
	    netns[4 * sizeof r->snap->netns];

	format_iso_time(when, sizeof when, r->snap->when.tv_sec);
	format_sanitize(host, sizeof host, r->snap->host);
	format_sanitize(netns, sizeof netns, r->snap->netns);
	if (r->ns != NULL)
		out_printf(o, _("%s %s on %s, every network namespace (%zu), at "
		    "%s: %llu TCP sockets"), PACKAGE, VERSION, host,
		    r->ns->n, when, (unsigned long long)r->groups->total);
	else if (r->snap->netns[0] != '\0')
		out_printf(o, _("%s %s on %s, network namespace %s, at %s: "
		    "%llu TCP sockets"), PACKAGE, VERSION, host,
		    netns, when, (unsigned long long)r->groups->total);
	else
		out_printf(o, _("%s %s on %s at %s: %llu TCP sockets"), PACKAGE,
		    VERSION, host, when,
		    (unsigned long long)r->groups->total);
	out_str(o, "\n");
	if (r->snap->carried > 0)
		out_printf(o, _("%zu ESTABLISHED and TIME_WAIT sockets are "
		    "carried from an earlier poll (--cpu-budget)\n"),
		    r->snap->carried);
	out_str(o, "\n");
}

static void
text_states(struct out *o, const struct report *r)
{
	const int *st;

	out_str(o, "STATE         COUNT\n");
	for (st = sock_state_order(); *st != 0; st++) {
		out_field(o, sock_state_name(*st), 12);
		out_rfield_uint(o, r->groups->states[*st], 7);
		out_char(o, '\n');
	}
	if (r->groups->orphans > 0)
		out_printf(o, _("%llu orphaned sockets (closed by their process, "
		    "still ending in the kernel)\n"),
		    (unsigned long long)r->groups->orphans);
	batch_netns_text_counts(o, r);
}

static void
text_listeners(struct out *o, const struct report *r)
{
	struct batch_netns_col col;
	char addr[ADDR_STRLEN];
	size_t i, n, width = TEXT_MIN_ADDR_WIDTH;

	if (r->groups->nlisteners == 0)
		return;
	for (i = 0; i < r->groups->nlisteners; i++) {
		const struct sock_rec *s = &r->snap->socks[r->groups->listeners[i].sock];

		n = format_addr(addr, sizeof addr, s->family, s->src, s->sport);
		if (n > width)
			width = n;
	}
	out_char(o, '\n');
	batch_netns_col_init(&col, r);
	batch_netns_col_title(o, &col);
	out_field(o, "LISTENER", width + 1);
	out_str(o, "ACCEPT-Q  BACKLOG  SYN-RECV    DROPS     UID  SOCKETS\n");
	for (i = 0; i < r->groups->nlisteners; i++) {
		const struct listener *l = &r->groups->listeners[i];
		const struct sock_rec *s = &r->snap->socks[l->sock];

		format_addr(addr, sizeof addr, s->family, s->src, s->sport);
		batch_netns_col_put(o, &col, s);
		out_field(o, addr, width + 1);
		out_rfield_uint(o, l->accept_queue, 8);
		out_rfield_uint(o, l->backlog, 9);
		out_rfield_uint(o, l->syn_recv, 10);
		if (l->drops_known)
			out_rfield_uint(o, l->drops, 9);
		else
			out_str(o, "        -");
		out_rfield_uint(o, l->uid, 8);
		out_rfield_uint(o, l->members, 9);
		out_char(o, '\n');
	}
	batch_netns_col_free(&col);
}

/* -r: the host name of an address; NULL when it has none or no -r. */
const char *
batch_peer_name(const struct report *r, const struct sock_rec *s)
{
	if (!(r->show & BATCH_SHOW_NAMES) || r->peer_name == NULL)
		return NULL;
	return r->peer_name(r->peer_name_arg, s->family, s->dst);
}

/* The peer as ss -r writes it: "name:port", else the address. */
static size_t
text_peer(struct out *o, const struct report *r, const struct sock_rec *s)
{
	const char *name = batch_peer_name(r, s);
	char buf[256], line[300];

	if (name == NULL)
		return out_addr(o, s->family, s->dst, s->dport);
	format_sanitize(buf, sizeof buf, name);
	snprintf(line, sizeof line, "%s:%u", buf, (unsigned)s->dport);
	out_str(o, line);
	return format_text_width(line);
}

/* -r: peer names are wider than addresses (IPv4 ones too). */
static void
names_width(const struct report *r, size_t *pw)
{
	char buf[256];
	const char *name;
	size_t k, n;

	for (k = 0; k < r->norder; k++) {
		const struct sock_rec *s = report_sock(r, k);

		if ((name = batch_peer_name(r, s)) == NULL)
			continue;
		format_sanitize(buf, sizeof buf, name);
		n = format_text_width(buf) + 6;
		if (n > *pw)
			*pw = n;
	}
}

/* The widest local and peer address, so the columns line up. */
static void
text_widths(const struct report *r, size_t *lw, size_t *pw)
{
	char addr[ADDR_STRLEN];
	size_t k, n;

	*lw = *pw = TEXT_MIN_ADDR_WIDTH;
	for (k = 0; k < r->norder; k++) {
		const struct sock_rec *s = report_sock(r, k);

		if (s->family == AF_INET)
			continue;	/* never wider than the minimum */
		n = format_addr(addr, sizeof addr, s->family, s->src, s->sport);
		if (n > *lw)
			*lw = n;
		n = format_addr(addr, sizeof addr, s->family, s->dst, s->dport);
		if (n > *pw)
			*pw = n;
	}
	if (r->show & BATCH_SHOW_NAMES)
		names_width(r, pw);
}

static void
text_socket(struct out *o, const struct report *r, size_t idx, size_t lw,
    size_t pw, const struct batch_netns_col *col)
{
	const struct sock_rec *s = &r->snap->socks[idx];
	char buf[ADDR_STRLEN];
	size_t n;

	batch_netns_col_put(o, col, s);
	out_field(o, sock_state_name(s->state), 12);
	out_pad(o, out_addr(o, s->family, s->src, s->sport), lw + 1);
	out_pad(o, text_peer(o, r, s), pw);
	out_rfield_uint(o, s->rqueue, 8);
	out_rfield_uint(o, s->wqueue, 8);
	out_char(o, ' ');
	n = format_timer(buf, sizeof buf, s);
	out_mem(o, buf, n);
	out_pad(o, n, 20);
	out_rfield_uint(o, s->uid, 6);
	out_rfield_uint(o, s->inode, 10);
	if (r->show & BATCH_SHOW_EXTENDED) {
		n = (size_t)snprintf(buf, sizeof buf, " 0x%llx",
		    (unsigned long long)s->cookie);
		out_mem(o, buf, n);
		out_pad(o, n, 19);
	}
	batch_text_socket_extra(o, r, idx);
	if (r->show & BATCH_SHOW_MEMORY)
		batch_cols_text_group(o, r, idx, BATCH_COLS_MEMORY);
	if (r->show & BATCH_SHOW_INFO)
		batch_cols_text_group(o, r, idx, BATCH_COLS_INFO);
	out_char(o, '\n');
}

static void
text_sockets(struct out *o, const struct report *r)
{
	struct batch_netns_col col;
	size_t k, lw, pw;

	if (r->norder == 0)
		return;
	text_widths(r, &lw, &pw);
	out_char(o, '\n');
	batch_netns_col_init(&col, r);
	batch_netns_col_title(o, &col);
	out_field(o, "STATE", 12);
	out_field(o, "LOCAL", lw + 1);
	out_field(o, "PEER", pw);
	out_str(o, "  RECV-Q  SEND-Q TIMER                  UID     INODE");
	if (r->show & BATCH_SHOW_EXTENDED)
		out_str(o, " COOKIE            ");
	batch_text_socket_header(o, r);
	out_char(o, '\n');
	for (k = 0; k < r->norder; k++)
		text_socket(o, r, r->order[k], lw, pw, &col);
	batch_netns_col_free(&col);
}

static void
write_text(struct out *o, const struct report *r)
{
	text_header(o, r);
	text_states(o, r);
	text_listeners(o, r);
	batch_text_findings(o, r);
	if (!r->summary)
		text_sockets(o, r);
}

static void
json_key(struct out *o, const char *key, int first)
{
	if (!first)
		out_char(o, ',');
	out_char(o, '"');
	out_str(o, key);
	out_str(o, "\":");
}

/* Addresses hold only hex digits, '.', ':', '[', ']' and '*': no escaping. */
static void
json_addr(struct out *o, const char *key, int family, const uint8_t *a,
    uint16_t port)
{
	json_key(o, key, 0);
	out_char(o, '"');
	out_addr(o, family, a, port);
	out_char(o, '"');
}

static void
json_states(struct out *o, const struct report *r)
{
	const int *st;

	json_key(o, "states", 0);
	out_char(o, '{');
	for (st = sock_state_order(); *st != 0; st++) {
		json_key(o, sock_state_name(*st), st == sock_state_order());
		out_uint(o, r->groups->states[*st]);
	}
	out_char(o, '}');
}

static void
json_listener(struct out *o, const struct report *r, const struct listener *l)
{
	const struct sock_rec *s = &r->snap->socks[l->sock];
	char buf[ADDR_STRLEN];

	format_addr(buf, sizeof buf, s->family, s->src, s->sport);
	json_key(o, "local", 1);
	out_json_str(o, buf);
	json_key(o, "accept_queue", 0);
	out_uint(o, l->accept_queue);
	json_key(o, "backlog", 0);
	out_uint(o, l->backlog);
	json_key(o, "syn_recv", 0);
	out_uint(o, l->syn_recv);
	json_key(o, "drops", 0);
	if (l->drops_known)
		out_uint(o, l->drops);
	else
		out_str(o, "null");
	json_key(o, "uid", 0);
	out_uint(o, l->uid);
	json_key(o, "sockets", 0);
	out_uint(o, l->members);
	batch_netns_json(o, r, s);
	batch_json_listener_extra(o, r, l);
}

static void
json_socket(struct out *o, const struct report *r, size_t idx)
{
	const struct sock_rec *s = &r->snap->socks[idx];

	json_key(o, "state", 1);
	out_json_str(o, sock_state_name(s->state));
	json_addr(o, "local", s->family, s->src, s->sport);
	json_addr(o, "peer", s->family, s->dst, s->dport);
	json_key(o, "recv_q", 0);
	out_uint(o, s->rqueue);
	json_key(o, "send_q", 0);
	out_uint(o, s->wqueue);
	json_key(o, "timer", 0);
	out_json_str(o, s->timer == TIMER_NONE ? "off" : sock_timer_name(s->timer));
	json_key(o, "expires_ms", 0);
	out_uint(o, s->expires_ms);
	json_key(o, "retrans", 0);
	out_uint(o, s->retrans);
	json_key(o, "uid", 0);
	out_uint(o, s->uid);
	json_key(o, "inode", 0);
	out_uint(o, s->inode);
	json_key(o, "cookie", 0);
	out_char(o, '"');
	out_hex(o, s->cookie);
	out_char(o, '"');
	batch_netns_json(o, r, s);
	batch_json_socket_extra(o, r, idx);
	if (r->show & BATCH_SHOW_NAMES) {
		json_key(o, "peer_name", 0);
		if (batch_peer_name(r, s) != NULL)
			out_json_str(o, batch_peer_name(r, s));
		else
			out_str(o, "null");
	}
	if (r->show & BATCH_SHOW_MEMORY)
		batch_cols_json_group(o, r, idx, BATCH_COLS_MEMORY, "skmem");
	if (r->show & BATCH_SHOW_INFO)
		batch_cols_json_group(o, r, idx, BATCH_COLS_INFO, "tcp_info");
}

/* One document on one line: a stream of reports is JSON Lines. */
static void
write_json(struct out *o, const struct report *r)
{
	char when[32];
	size_t i, k;

	format_iso_time(when, sizeof when, r->snap->when.tv_sec);
	out_char(o, '{');
	json_key(o, "sockwatch", 1);
	out_json_str(o, VERSION);
	json_key(o, "time", 0);
	out_json_str(o, when);
	json_key(o, "host", 0);
	out_json_str(o, r->snap->host);
	json_key(o, "netns", 0);
	out_json_str(o, r->snap->netns);
	json_key(o, "total", 0);
	out_uint(o, r->groups->total);
	if (r->snap->bulk_every > 1) {	/* --cpu-budget: see pace.h */
		json_key(o, "bulk_every", 0);
		out_uint(o, r->snap->bulk_every);
		json_key(o, "carried", 0);
		out_uint(o, r->snap->carried);
		json_key(o, "over_budget", 0);
		out_str(o, r->snap->over_budget ? "true" : "false");
	}
	json_states(o, r);
	json_key(o, "orphans", 0);
	out_uint(o, r->groups->orphans);
	batch_netns_json_counts(o, r);
	json_key(o, "listeners", 0);
	out_char(o, '[');
	for (i = 0; i < r->groups->nlisteners; i++) {
		out_str(o, i == 0 ? "{" : ",{");
		json_listener(o, r, &r->groups->listeners[i]);
		out_char(o, '}');
	}
	out_char(o, ']');
	if (!r->summary) {
		json_key(o, "sockets", 0);
		out_char(o, '[');
		for (k = 0; k < r->norder; k++) {
			out_str(o, k == 0 ? "{" : ",{");
			json_socket(o, r, r->order[k]);
			out_char(o, '}');
		}
		out_char(o, ']');
	}
	batch_json_findings(o, r);
	out_str(o, "}\n");
}

/*
 * One RFC 4180 table per report: the sockets with the same columns
 * whatever the flags (batch_cols.c), or with --summary the state counts.
 * Findings are a table of their own: the format csv-findings.
 */
static void
write_csv(struct out *o, const struct report *r)
{
	const int *st;
	size_t k;

	if (r->summary && r->ns != NULL) {
		batch_netns_csv_counts(o, r);
		return;
	}
	if (r->summary) {
		out_str(o, "state,count\r\n");
		for (st = sock_state_order(); *st != 0; st++) {
			out_str(o, sock_state_name(*st));
			out_char(o, ',');
			out_uint(o, r->groups->states[*st]);
			out_str(o, "\r\n");
		}
		return;
	}
	batch_cols_csv_header(o);
	for (k = 0; k < r->norder; k++)
		batch_cols_csv_row(o, r, r->order[k]);
}

static const struct batch_format formats[] = {
	{ .name = "text", .write = write_text },
	{ .name = "json", .write = write_json },
	{ .name = "csv", .write = write_csv },
	{ .name = "csv-findings", .write = batch_csv_findings },
	{ .name = "prometheus", .write = batch_write_prometheus },
	{ .name = "nagios", .write = batch_write_nagios },
};

const struct batch_format *
batch_find_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const char *
batch_format_names(void)
{
	return "text, json, csv, csv-findings, prometheus, nagios";
}

/* Returns 0, or -1 with errno when the output could not be written. */
int
batch_write(const struct batch_format *fmt, FILE *f, const struct report *r)
{
	static struct out o;

	out_init(&o, f);
	fmt->write(&o, r);
	if (out_flush(&o) < 0 || fflush(f) != 0) {
		errno = o.error != 0 ? o.error : errno;
		return -1;
	}
	return 0;
}
