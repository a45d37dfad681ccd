/*
 * batch_text.c - the text report, for people: counts by state, listeners,
 * findings and the socket table as ss lays it out; with -N all a NETNS
 * column and the counts of each namespace, with -p the age in state and
 * the owner of each socket.
 *
 * Its words are translated. Names from outside (hosts, namespaces,
 * processes, findings' subjects) are shown through the sanitiser.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "batch.h"
#include "batch_cols.h"
#include "format.h"
#include "monitor.h"
#include "netns.h"
#include "nls.h"
#include "xmalloc.h"

#define TEXT_MIN_ADDR_WIDTH	21	/* "255.255.255.255:65535" */
#define NETNS_MAX_WIDTH		32	/* a longer name widens its rows only */

/* The NETNS column of -N all: labels sanitised once, not per row. */
struct netns_col {
	size_t		  width;	/* 0: no column */
	char		(*labels)[64];
	size_t		  n;
};

/* The k-th socket in display order. */
static const struct sock_rec *
report_sock(const struct report *r, size_t k)
{
	batch_prefetch(r, k);
	return &r->snap->socks[r->order[k]];
}

/*
 * The NETNS column, empty without -N all: names as they will be shown,
 * and the width of the longest (up to a limit).
 */
static void
netns_col_init(struct netns_col *c, const struct report *r)
{
	size_t i, n;

	memset(c, 0, sizeof *c);
	if (r->ns == NULL)
		return;
	c->n = r->ns->n;
	c->labels = xreallocarray(NULL, c->n + 1, sizeof *c->labels);
	c->width = 5;	/* "NETNS" */
	for (i = 0; i < c->n; i++) {
		n = format_sanitize(c->labels[i], sizeof c->labels[i],
		    r->ns->nets[i].label);
		if (n > c->width)
			c->width = n < NETNS_MAX_WIDTH ? n : NETNS_MAX_WIDTH;
	}
}

static void
netns_col_title(struct out *o, const struct netns_col *c)
{
	if (c->width > 0)
		out_field(o, "NETNS", c->width + 1);
}

static void
netns_col_put(struct out *o, const struct netns_col *c,
    const struct sock_rec *s)
{
	if (c->width > 0)
		out_field(o, s->netns < c->n ? c->labels[s->netns] : "-",
		    c->width + 1);
}

static void
netns_col_free(struct netns_col *c)
{
	free(c->labels);
	memset(c, 0, sizeof *c);
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

/* -N all: "blue      12  LISTEN=2 ESTABLISHED=8", one per namespace. */
static void
text_netns_counts(struct out *o, const struct report *r)
{
	struct netns_col col;
	const int *st;
	size_t i;
	int first;

	if (r->ns == NULL)
		return;
	netns_col_init(&col, r);
	out_char(o, '\n');
	netns_col_title(o, &col);
	out_str(o, "    PID  SOCKETS  STATES\n");
	for (i = 0; i < r->ns->n; i++) {
		const struct netns *ns = &r->ns->nets[i];
		const struct netns_count *c = &r->ns->counts[i];

		out_field(o, col.labels[i], col.width + 1);
		if (ns->pid != 0)
			out_rfield_uint(o, (uint64_t)ns->pid, 7);
		else
			out_str(o, "      -");
		out_rfield_uint(o, c->total, 9);
		first = 1;
		for (st = sock_state_order(); *st != 0; st++) {
			if (c->states[*st] == 0)
				continue;
			out_printf(o, "%s%s=%llu", first ? "  " : " ",
			    sock_state_name(*st),
			    (unsigned long long)c->states[*st]);
			first = 0;
		}
		out_char(o, '\n');
	}
	netns_col_free(&col);
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
	text_netns_counts(o, r);
}

static void
text_listeners(struct out *o, const struct report *r)
{
	struct netns_col col;
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
	netns_col_init(&col, r);
	netns_col_title(o, &col);
	out_field(o, "LISTENER", width + 1);
	out_str(o, "ACCEPT-Q  BACKLOG  SYN-RECV    DROPS     UID  SOCKETS\n");
	for (i = 0; i < r->groups->nlisteners; i++) {
		const struct listener *l = &r->groups->listeners[i];
		const struct sock_rec *s = &r->snap->socks[l->sock];

		format_addr(addr, sizeof addr, s->family, s->src, s->sport);
		netns_col_put(o, &col, s);
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
	netns_col_free(&col);
}

/* One part of a finding's words in the user's language, sanitised. */
static const char *
clean_words(char *buf, const struct finding *f, enum finding_part part)
{
	char w[BATCH_WORDS_MAX];

	format_sanitize(buf, 4 * BATCH_WORDS_MAX,
	    batch_words(w, f, part, anomaly_gettext));
	return buf;
}

/* -N all: " (netns blue)" after a finding's subject. */
static void
text_finding_netns(struct out *o, const struct report *r, size_t i)
{
	const char *label = batch_netns_finding(r, i);
	char buf[256];

	if (label == NULL)
		return;
	format_sanitize(buf, sizeof buf, label);
	out_printf(o, " (netns %s)", buf);
}

static void
text_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	char ev[BATCH_EVIDENCE_MAX], w[4 * BATCH_WORDS_MAX];
	size_t i, n;

	fs = batch_findings(r, &n);
	if (n == 0)
		return;
	out_str(o, "\n");
	out_str(o, _("ANOMALIES"));
	out_char(o, '\n');
	for (i = 0; i < n; i++) {
		const struct finding *f = fs[i];

		out_field(o, f->severity == SEV_CRITICAL ? _("CRITICAL") :
		    _("WARNING"), 10);
		out_field(o, anomaly_rule_id(f->rule), 14);
		out_sanitized(o, f->subject, NULL);
		text_finding_netns(o, r, i);
		if (anomaly_clearing(f))
			out_printf(o, " (%s)", _("clearing"));
		out_str(o, "\n          ");
		out_str(o, clean_words(w, f, FINDING_SUMMARY));
		out_str(o, "\n          ");
		out_printf(o, _("cause: %s"), clean_words(w, f, FINDING_CAUSE));
		out_str(o, "\n          ");
		out_printf(o, _("what to do: %s"),
		    clean_words(w, f, FINDING_ADVICE));
		out_str(o, "\n          ");
		batch_evidence(ev, sizeof ev, f, " ");
		out_str(o, _("evidence: "));
		out_sanitized(o, ev, NULL);
		out_char(o, '\n');
	}
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

/*
 * With -p, extra columns at the end of a socket line: time in state and
 * owner. Without it the lines stay as scripts know them.
 */
static void
text_socket_owner(struct out *o, const struct report *r, size_t idx)
{
	const struct model_sock *ms;
	const struct proc_owner *ow;
	char buf[DURATION_STRLEN + 4];

	if (r->mon == NULL || monitor_procs(r->mon) == NULL)
		return;
	ms = monitor_sock(r->mon, idx);
	format_age(buf, sizeof buf, ms->state_age_s,
	    (ms->flags & MODEL_STATE_KNOWN) != 0);
	out_pad(o, format_text_width(buf), 10);
	out_str(o, buf);
	out_char(o, ' ');
	if ((ow = batch_owner(r, &r->snap->socks[idx])) != NULL) {
		out_int(o, ow->pid);
		out_char(o, '/');
		out_sanitized(o, ow->name, NULL);
	} else {
		out_char(o, '-');
	}
}

/*
 * A group of columns as ss writes it: "skmem:(r0,rb131072,...)" for the
 * memory, "rtt:0.051 cwnd:10 ..." for tcp_info; nothing when unknown.
 */
static void
text_cols(struct out *o, const struct report *r, size_t idx,
    enum batch_col_group group)
{
	struct batch_val v;
	size_t i;
	int first = 1;

	for (i = 0; i < batch_ncols; i++) {
		if (batch_cols[i].group != group)
			continue;
		batch_col_get(&batch_cols[i], r, idx, &v);
		if (v.kind == BATCH_VAL_NONE)
			return;		/* a group is known in full or not */
		if (group == BATCH_COLS_MEMORY)
			out_str(o, first ? " skmem:(" : ",");
		else
			out_char(o, ' ');
		out_str(o, batch_cols[i].text);
		if (group != BATCH_COLS_MEMORY)
			out_char(o, ':');
		if (!batch_val_number(o, &v))
			out_csv_str(o, v.text);
		first = 0;
	}
	if (group == BATCH_COLS_MEMORY && !first)
		out_char(o, ')');
}

static void
text_socket(struct out *o, const struct report *r, size_t idx, size_t lw,
    size_t pw, const struct netns_col *col)
{
	const struct sock_rec *s = &r->snap->socks[idx];
	char buf[ADDR_STRLEN];
	size_t n;

	netns_col_put(o, col, s);
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
	text_socket_owner(o, r, idx);
	if (r->show & BATCH_SHOW_MEMORY)
		text_cols(o, r, idx, BATCH_COLS_MEMORY);
	if (r->show & BATCH_SHOW_INFO)
		text_cols(o, r, idx, BATCH_COLS_INFO);
	out_char(o, '\n');
}

/* What every line of the listing shares. */
struct text_line {
	size_t			 lw, pw;
	const struct netns_col	*col;
};

static void
text_line(struct out *o, const struct report *r, size_t k, void *arg)
{
	const struct text_line *t = arg;

	text_socket(o, r, r->order[k], t->lw, t->pw, t->col);
}

static void
text_sockets(struct out *o, const struct report *r)
{
	struct netns_col col;
	struct text_line line;
	size_t lw, pw;

	if (r->norder == 0)
		return;
	text_widths(r, &lw, &pw);
	out_char(o, '\n');
	netns_col_init(&col, r);
	netns_col_title(o, &col);
	out_field(o, "STATE", 12);
	out_field(o, "LOCAL", lw + 1);
	out_field(o, "PEER", pw);
	out_str(o, "  RECV-Q  SEND-Q TIMER                  UID     INODE");
	if (r->show & BATCH_SHOW_EXTENDED)
		out_str(o, " COOKIE            ");
	if (r->mon != NULL && monitor_procs(r->mon) != NULL)
		out_str(o, "  IN-STATE PROCESS");
	out_char(o, '\n');
	line.lw = lw;
	line.pw = pw;
	line.col = &col;
	batch_lines(o, r, text_line, &line);
	netns_col_free(&col);
}

static void
write_text(struct out *o, const struct report *r)
{
	text_header(o, r);
	text_states(o, r);
	text_listeners(o, r);
	text_findings(o, r);
	if (!r->summary)
		text_sockets(o, r);
}

const struct batch_format batch_format_text = {
	.name = "text",
	.write = write_text,
};
