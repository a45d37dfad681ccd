/*
 * batch_json.c - the JSON report: one document on one line, so a stream
 * of reports (--count) is JSON Lines. Counts, listeners, sockets with
 * their ages and owners, findings; with -N all each socket's namespace
 * and the counts of each namespace.
 *
 * Keys are English and numbers use '.' whatever the locale; names from
 * outside keep their bytes, escaped as JSON strings.
 */
#include "config.h"

#include <string.h>

#include "batch.h"
#include "batch_cols.h"
#include "format.h"
#include "monitor.h"
#include "netns.h"

/*
 * ,"key": -- keys are sockwatch's own identifiers (columns, states,
 * evidence), never escaped: this runs some twenty times per socket,
 * inline so that a literal key is copied with its length known.
 */
static inline void
json_key(struct out *o, const char *key, int first)
{
	if (!first)
		out_char(o, ',');
	out_char(o, '"');
	out_str(o, key);
	out_str(o, "\":");
}

/* ,"key":number -- the most common member. */
static inline void
json_uint(struct out *o, const char *key, uint64_t v)
{
	json_key(o, key, 0);
	out_uint(o, v);
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

/* ,"states":{"LISTEN":n,...}: of the report, or of one namespace. */
static void
json_states(struct out *o, const uint64_t *states)
{
	const int *st;

	json_key(o, "states", 0);
	out_char(o, '{');
	for (st = sock_state_order(); *st != 0; st++) {
		json_key(o, sock_state_name(*st), st == sock_state_order());
		out_uint(o, states[*st]);
	}
	out_char(o, '}');
}

/* ,"netns":"blue" in a socket or listener object with -N all. */
static void
json_netns(struct out *o, const struct report *r, const struct sock_rec *s)
{
	const char *label;

	if ((label = batch_netns_label(r, s)) == NULL)
		return;
	json_key(o, "netns", 0);
	out_json_str(o, label);
}

/* ,"namespaces":{"blue":{"inode":...,"pid":...,"total":...,"states":{}}} */
static void
json_namespaces(struct out *o, const struct report *r)
{
	size_t i;

	if (r->ns == NULL)
		return;
	json_key(o, "namespaces", 0);
	out_char(o, '{');
	for (i = 0; i < r->ns->n; i++) {
		const struct netns *ns = &r->ns->nets[i];
		const struct netns_count *c = &r->ns->counts[i];

		if (i > 0)
			out_char(o, ',');
		out_json_str(o, ns->label);
		out_str(o, ":{");
		json_key(o, "inode", 1);
		out_uint(o, ns->inode);
		json_key(o, "pid", 0);
		if (ns->pid != 0)
			out_uint(o, (uint64_t)ns->pid);
		else
			out_str(o, "null");
		json_key(o, "named", 0);
		out_str(o, ns->named ? "true" : "false");
		json_key(o, "self", 0);
		out_str(o, ns->self ? "true" : "false");
		json_uint(o, "total", c->total);
		json_states(o, c->states);
		out_char(o, '}');
	}
	out_char(o, '}');
}

/* -p: ,"pid":n,"process":"name", null when no owner was found. */
static void
json_owner(struct out *o, const struct proc_owner *ow)
{
	json_key(o, "pid", 0);
	if (ow != NULL)
		out_int(o, ow->pid);
	else
		out_str(o, "null");
	json_key(o, "process", 0);
	if (ow != NULL)
		out_json_str(o, ow->name);
	else
		out_str(o, "null");
}

/* The age if known, else null; what is proven either way. */
static void
json_age(struct out *o, const char *key, const char *at_least_key,
    double age, int known)
{
	json_key(o, key, 0);
	if (known)
		out_double(o, age, 1);
	else
		out_str(o, "null");
	json_key(o, at_least_key, 0);
	out_double(o, age, 1);
}

static void
json_listener(struct out *o, const struct report *r, const struct listener *l)
{
	const struct sock_rec *s = &r->snap->socks[l->sock];
	char buf[ADDR_STRLEN];

	format_addr(buf, sizeof buf, s->family, s->src, s->sport);
	json_key(o, "local", 1);
	out_json_str(o, buf);
	json_uint(o, "accept_queue", l->accept_queue);
	json_uint(o, "backlog", l->backlog);
	json_uint(o, "syn_recv", l->syn_recv);
	json_key(o, "drops", 0);
	if (l->drops_known)
		out_uint(o, l->drops);
	else
		out_str(o, "null");
	json_uint(o, "uid", l->uid);
	json_uint(o, "sockets", l->members);
	json_netns(o, r, s);
	if (r->mon != NULL && monitor_procs(r->mon) != NULL)
		json_owner(o, batch_owner(r, s));
}

/* A value of batch_cols.c's table: null when unknown. */
static void
json_value(struct out *o, const struct batch_val *v)
{
	if (batch_val_number(o, v))
		return;
	if (v->kind == BATCH_VAL_TEXT)
		out_json_str(o, v->text);
	else
		out_str(o, "null");
}

/* ,"key":{"name":value,...}: one group of columns as an object. */
static void
json_cols(struct out *o, const struct report *r, size_t idx,
    enum batch_col_group group, const char *key)
{
	struct batch_val v;
	size_t i;
	int first = 1;

	json_key(o, key, 0);
	out_char(o, '{');
	for (i = 0; i < batch_ncols; i++) {
		if (batch_cols[i].group != group)
			continue;
		json_key(o, batch_cols[i].name, first);
		batch_col_get(&batch_cols[i], r, idx, &v);
		json_value(o, &v);
		first = 0;
	}
	out_char(o, '}');
}

/* What the monitor knows of a socket: its ages, and with -p its owner. */
static void
json_socket_model(struct out *o, const struct report *r, size_t idx)
{
	const struct model_sock *ms;

	if (r->mon == NULL)
		return;
	ms = monitor_sock(r->mon, idx);
	json_age(o, "age_s", "age_at_least_s", ms->age_s,
	    (ms->flags & MODEL_AGE_KNOWN) != 0);
	json_age(o, "state_age_s", "state_age_at_least_s", ms->state_age_s,
	    (ms->flags & MODEL_STATE_KNOWN) != 0);
	if (monitor_procs(r->mon) != NULL)
		json_owner(o, batch_owner(r, &r->snap->socks[idx]));
}

static void
json_socket(struct out *o, const struct report *r, size_t idx)
{
	const struct sock_rec *s = &r->snap->socks[idx];

	json_key(o, "state", 1);
	out_json_str(o, sock_state_name(s->state));
	json_addr(o, "local", s->family, s->src, s->sport);
	json_addr(o, "peer", s->family, s->dst, s->dport);
	json_uint(o, "recv_q", s->rqueue);
	json_uint(o, "send_q", s->wqueue);
	json_key(o, "timer", 0);
	out_json_str(o, s->timer == TIMER_NONE ? "off" : sock_timer_name(s->timer));
	json_uint(o, "expires_ms", s->expires_ms);
	json_uint(o, "retrans", s->retrans);
	json_uint(o, "uid", s->uid);
	json_uint(o, "inode", s->inode);
	json_key(o, "cookie", 0);
	out_char(o, '"');
	out_hex(o, s->cookie);
	out_char(o, '"');
	json_netns(o, r, s);
	json_socket_model(o, r, idx);
	if (r->show & BATCH_SHOW_NAMES) {
		json_key(o, "peer_name", 0);
		if (batch_peer_name(r, s) != NULL)
			out_json_str(o, batch_peer_name(r, s));
		else
			out_str(o, "null");
	}
	if (r->show & BATCH_SHOW_MEMORY)
		json_cols(o, r, idx, BATCH_COLS_MEMORY, "skmem");
	if (r->show & BATCH_SHOW_INFO)
		json_cols(o, r, idx, BATCH_COLS_INFO, "tcp_info");
}

static void
json_line(struct out *o, const struct report *r, size_t k, void *arg)
{
	(void)arg;
	out_str(o, k == 0 ? "{" : ",{");
	json_socket(o, r, r->order[k]);
	out_char(o, '}');
}

static void
json_evidence(struct out *o, const struct finding *f)
{
	const char *p, *nl;
	char item[EVIDENCE_TEXT];
	int i;

	out_char(o, '{');
	for (i = 0; i < f->nev; i++) {
		const struct evidence *ev = &f->ev[i];

		json_key(o, ev->key, i == 0);
		if (ev->kind == EV_NUMBER) {
			out_double(o, ev->num, ev->decimals);
		} else if (ev->kind == EV_TEXT) {
			out_json_str(o, ev->text);
		} else {
			out_char(o, '[');
			for (p = ev->text; *p != '\0'; p = *nl ? nl + 1 : nl) {
				nl = p + strcspn(p, "\n");
				snprintf(item, sizeof item, "%.*s",
				    (int)(nl - p), p);
				if (p != ev->text)
					out_char(o, ',');
				out_json_str(o, item);
			}
			out_char(o, ']');
		}
	}
	out_char(o, '}');
}

/* One finding's object; its words in English, for scripts. */
static void
json_finding(struct out *o, const struct report *r, const struct finding *f,
    size_t i)
{
	char w[BATCH_WORDS_MAX];

	json_key(o, "rule", 1);
	out_json_str(o, anomaly_rule_id(f->rule));
	json_key(o, "severity", 0);
	out_json_str(o, anomaly_severity_name(f->severity));
	json_key(o, "clearing", 0);
	out_str(o, anomaly_clearing(f) ? "true" : "false");
	json_key(o, "subject", 0);
	out_json_str(o, f->subject);
	if (batch_netns_finding(r, i) != NULL) {
		json_key(o, "netns", 0);
		out_json_str(o, batch_netns_finding(r, i));
	}
	json_key(o, "summary", 0);
	out_json_str(o, batch_words(w, f, FINDING_SUMMARY, anomaly_english));
	json_key(o, "cause", 0);
	out_json_str(o, batch_words(w, f, FINDING_CAUSE, anomaly_english));
	json_key(o, "advice", 0);
	out_json_str(o, batch_words(w, f, FINDING_ADVICE, anomaly_english));
	if (f->pid != 0) {
		json_key(o, "pid", 0);
		out_int(o, f->pid);
	}
	json_key(o, "evidence", 0);
	json_evidence(o, f);
}

/* ,"anomalies":[{...}], empty without a monitor or findings. */
static void
json_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	size_t i, n;

	fs = batch_findings(r, &n);
	json_key(o, "anomalies", 0);
	out_char(o, '[');
	for (i = 0; i < n; i++) {
		out_str(o, i == 0 ? "{" : ",{");
		json_finding(o, r, fs[i], i);
		out_char(o, '}');
	}
	out_char(o, ']');
}

static void
json_header(struct out *o, const struct report *r)
{
	char when[32];

	format_iso_time(when, sizeof when, r->snap->when.tv_sec);
	json_key(o, "sockwatch", 1);
	out_json_str(o, VERSION);
	json_key(o, "time", 0);
	out_json_str(o, when);
	json_key(o, "host", 0);
	out_json_str(o, r->snap->host);
	json_key(o, "netns", 0);
	out_json_str(o, r->snap->netns);
	json_uint(o, "total", r->groups->total);
	if (r->snap->bulk_every > 1) {	/* --cpu-budget: see pace.h */
		json_uint(o, "bulk_every", r->snap->bulk_every);
		json_uint(o, "carried", r->snap->carried);
		json_key(o, "over_budget", 0);
		out_str(o, r->snap->over_budget ? "true" : "false");
	}
}

static void
write_json(struct out *o, const struct report *r)
{
	size_t i;

	out_char(o, '{');
	json_header(o, r);
	json_states(o, r->groups->states);
	json_uint(o, "orphans", r->groups->orphans);
	json_namespaces(o, r);
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
		batch_lines(o, r, json_line, NULL);
		out_char(o, ']');
	}
	json_findings(o, r);
	out_str(o, "}\n");
}

const struct batch_format batch_format_json = {
	.name = "json",
	.write = write_json,
};
