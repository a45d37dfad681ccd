/*
 * batch_anomaly.c - what the core adds to a report: findings in every
 * format, socket ages and owners, and the two formats that are about
 * health rather than sockets: Prometheus textfile metrics and the Nagios
 * status line of --check.
 *
 * Like batch.c, it formats what the monitor computed and computes nothing.
 * The words of the findings are in the user's language where people read
 * them (text, Nagios) and English where scripts do (JSON, CSV). Process and
 * namespace names in them come from outside: every format but JSON shows
 * them through the sanitiser (format_sanitize), JSON keeps their bytes.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "batch.h"
#include "batch_anomaly.h"
#include "batch_netns.h"
#include "netns.h"
#include "format.h"
#include "monitor.h"
#include "nls.h"

static const struct finding *const *
findings(const struct report *r, size_t *n)
{
	*n = r->mon != NULL ? r->mon->engine.nshown : 0;
	return r->mon != NULL ? r->mon->engine.shown : NULL;
}

/* One part of a finding's words, in a buffer of the caller's. */
#define WORDS_MAX	1024

static const char *
words(char *buf, const struct finding *f, enum finding_part part,
    anomaly_translate *tr)
{
	anomaly_text(buf, WORDS_MAX, f, part, tr);
	return buf;
}

/* The same, sanitised, in a buffer of 4 * WORDS_MAX. */
static const char *
clean_words(char *buf, const struct finding *f, enum finding_part part)
{
	char w[WORDS_MAX];

	format_sanitize(buf, 4 * WORDS_MAX, words(w, f, part, anomaly_gettext));
	return buf;
}

static const struct proc_owner *
owner_of(const struct report *r, const struct sock_rec *s)
{
	if (r->mon == NULL || !r->mon->use_proc)
		return NULL;
	return proc_lookup(&r->mon->proc, s->inode);
}

/* "verdict=spoofed syn_recv=250 top_prefixes=[a 1%, b 2%]" into buf. */
static void
evidence_string(char *buf, size_t size, const struct finding *f,
    const char *sep)
{
	size_t n = 0;
	char *p;
	int i;

	buf[0] = '\0';
	for (i = 0; i < f->nev && n < size; i++) {
		const struct evidence *ev = &f->ev[i];
		size_t start;

		n += (size_t)snprintf(buf + n, size - n, "%s%s=", i > 0 ? sep : "",
		    ev->key);
		if (n >= size)
			break;
		start = n;
		if (ev->kind == EV_NUMBER)
			n += (size_t)snprintf(buf + n, size - n, "%.*f",
			    ev->decimals, ev->num);
		else
			n += (size_t)snprintf(buf + n, size - n,
			    ev->kind == EV_LIST ? "[%s]" : "%s", ev->text);
		for (p = buf + start; p < buf + (n < size ? n : size - 1); p++)
			if (*p == '\n')
				*p = ',';
	}
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

void
batch_text_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	char ev[EVIDENCE_MAX * (EVIDENCE_TEXT + 32)], w[4 * WORDS_MAX];
	size_t i, n;

	fs = findings(r, &n);
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
		evidence_string(ev, sizeof ev, f, " ");
		out_str(o, _("evidence: "));
		out_sanitized(o, ev, NULL);
		out_char(o, '\n');
	}
}

/*
 * With -p, extra columns at the end of a text socket line: time in state
 * and owner. Without it the lines stay as scripts know them.
 */
void
batch_text_socket_extra(struct out *o, const struct report *r, size_t idx)
{
	const struct model_sock *ms;
	const struct proc_owner *ow;
	char buf[DURATION_STRLEN + 4];

	if (r->mon == NULL || !r->mon->use_proc)
		return;
	ms = &r->mon->model.socks[idx];
	format_age(buf, sizeof buf, ms->state_age_s,
	    (ms->flags & MODEL_STATE_KNOWN) != 0);
	out_pad(o, format_text_width(buf), 10);
	out_str(o, buf);
	out_char(o, ' ');
	if ((ow = owner_of(r, &r->snap->socks[idx])) != NULL) {
		out_int(o, ow->pid);
		out_char(o, '/');
		out_sanitized(o, ow->name, NULL);
	} else {
		out_char(o, '-');
	}
}

void
batch_text_socket_header(struct out *o, const struct report *r)
{
	if (r->mon == NULL || !r->mon->use_proc)
		return;
	out_str(o, "  IN-STATE PROCESS");
}

static void
json_key(struct out *o, const char *key, int first)
{
	if (!first)
		out_char(o, ',');
	out_json_str(o, key);
	out_char(o, ':');
}

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

void
batch_json_socket_extra(struct out *o, const struct report *r, size_t idx)
{
	const struct model_sock *ms;

	if (r->mon == NULL)
		return;
	ms = &r->mon->model.socks[idx];
	json_age(o, "age_s", "age_at_least_s", ms->age_s,
	    (ms->flags & MODEL_AGE_KNOWN) != 0);
	json_age(o, "state_age_s", "state_age_at_least_s", ms->state_age_s,
	    (ms->flags & MODEL_STATE_KNOWN) != 0);
	if (r->mon->use_proc)
		json_owner(o, owner_of(r, &r->snap->socks[idx]));
}

void
batch_json_listener_extra(struct out *o, const struct report *r,
    const struct listener *l)
{
	if (r->mon != NULL && r->mon->use_proc)
		json_owner(o, owner_of(r, &r->snap->socks[l->sock]));
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

/* ,"anomalies":[{...}] */
void
batch_json_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	char w[WORDS_MAX];
	size_t i, n;

	fs = findings(r, &n);
	json_key(o, "anomalies", 0);
	out_char(o, '[');
	for (i = 0; i < n; i++) {
		const struct finding *f = fs[i];

		out_str(o, i == 0 ? "{" : ",{");
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
		out_json_str(o, words(w, f, FINDING_SUMMARY, anomaly_english));
		json_key(o, "cause", 0);
		out_json_str(o, words(w, f, FINDING_CAUSE, anomaly_english));
		json_key(o, "advice", 0);
		out_json_str(o, words(w, f, FINDING_ADVICE, anomaly_english));
		if (f->pid != 0) {
			json_key(o, "pid", 0);
			out_int(o, f->pid);
		}
		json_key(o, "evidence", 0);
		json_evidence(o, f);
		out_char(o, '}');
	}
	out_char(o, ']');
}

/*
 * -f csv-findings: the findings as one table of their own, its header
 * even when there are none. netns is the namespace of each finding with
 * -N all, else the report's.
 */
void
batch_csv_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	char ev[EVIDENCE_MAX * (EVIDENCE_TEXT + 32)], w[WORDS_MAX];
	const char *ns;
	size_t i, n;

	fs = findings(r, &n);
	out_str(o, "netns,rule,severity,subject,summary,cause,advice,pid,"
	    "evidence\r\n");
	for (i = 0; i < n; i++) {
		const struct finding *f = fs[i];

		ns = batch_netns_finding(r, i);
		out_csv_str(o, ns != NULL ? ns : r->snap->netns);
		out_char(o, ',');
		out_str(o, anomaly_rule_id(f->rule));
		out_char(o, ',');
		out_str(o, anomaly_severity_name(f->severity));
		out_char(o, ',');
		out_csv_str(o, f->subject);
		out_char(o, ',');
		out_csv_str(o, words(w, f, FINDING_SUMMARY, anomaly_english));
		out_char(o, ',');
		out_csv_str(o, words(w, f, FINDING_CAUSE, anomaly_english));
		out_char(o, ',');
		out_csv_str(o, words(w, f, FINDING_ADVICE, anomaly_english));
		out_char(o, ',');
		if (f->pid != 0)
			out_int(o, f->pid);
		out_char(o, ',');
		evidence_string(ev, sizeof ev, f, "; ");
		out_csv_str(o, ev);
		out_str(o, "\r\n");
	}
}

/*
 * A Prometheus label value: sanitised (it may hold a process or namespace
 * name), then backslash, quote and newline escaped.
 */
static void
prom_label(struct out *o, const char *name, const char *raw, int first)
{
	char clean[4 * 256];
	const char *v = clean;

	format_sanitize(clean, sizeof clean, raw);
	if (!first)
		out_char(o, ',');
	out_str(o, name);
	out_str(o, "=\"");
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			out_char(o, '\\');
		if (*v == '\n')
			out_str(o, "\\n");
		else
			out_char(o, *v);
	}
	out_char(o, '"');
}

static void
prom_head(struct out *o, const char *name, const char *type,
    const char *help)
{
	out_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * The report of one named namespace (-N NAME, `ip netns exec NAME`) labels
 * its series with it, so textfiles of several namespaces never collide;
 * -N all labels each series with its own. NULL: no such label.
 */
static const char *
prom_netns(const struct report *r)
{
	return r->ns == NULL && r->snap->netns[0] != '\0' ? r->snap->netns :
	    NULL;
}

/* "NAME{" and the netns label; returns whether the next label is first. */
static int
prom_open(struct out *o, const struct report *r, const char *name)
{
	out_str(o, name);
	out_char(o, '{');
	if (prom_netns(r) == NULL)
		return 1;
	prom_label(o, "netns", prom_netns(r), 1);
	return 0;
}

/* The name of a series with no labels of its own, and the netns label. */
static void
prom_name(struct out *o, const struct report *r, const char *name)
{
	out_str(o, name);
	if (prom_netns(r) == NULL)
		return;
	out_char(o, '{');
	prom_label(o, "netns", prom_netns(r), 1);
	out_char(o, '}');
}

static void
prom_listeners(struct out *o, const struct report *r)
{
	static const struct {
		const char *name, *type, *help;
	} metrics[] = {
		{ "sockwatch_listener_accept_queue", "gauge",
		  "Connections waiting for accept()." },
		{ "sockwatch_listener_backlog", "gauge",
		  "Accept queue limit: min(listen() backlog, somaxconn)." },
		{ "sockwatch_listener_syn_recv", "gauge",
		  "Half-open connections attributed to the listener." },
		{ "sockwatch_listener_drops_total", "counter",
		  "Packets the listening socket dropped." },
	};
	char addr[ADDR_STRLEN];
	size_t m, i;
	int first;

	for (m = 0; m < sizeof metrics / sizeof metrics[0]; m++) {
		prom_head(o, metrics[m].name, metrics[m].type, metrics[m].help);
		for (i = 0; i < r->groups->nlisteners; i++) {
			const struct listener *l = &r->groups->listeners[i];
			const struct sock_rec *s = &r->snap->socks[l->sock];
			uint64_t v[] = { l->accept_queue, l->backlog,
			    l->syn_recv, l->drops };

			if (m == 3 && !l->drops_known)
				continue;
			format_addr(addr, sizeof addr, s->family, s->src, s->sport);
			first = prom_open(o, r, metrics[m].name);
			if (batch_netns_label(r, s) != NULL) {
				prom_label(o, "netns", batch_netns_label(r, s), 1);
				first = 0;
			}
			prom_label(o, "local", addr, first);
			out_str(o, "} ");
			out_uint(o, v[m]);
			out_char(o, '\n');
		}
	}
}

static void
prom_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	size_t i, n, count[3] = { 0, 0, 0 };

	/*
	 * A finding is one series for as long as it lasts: the severity is
	 * its value, not a label, so a warning that becomes critical does
	 * not start a new series.
	 */
	fs = findings(r, &n);
	prom_head(o, "sockwatch_anomaly", "gauge",
	    "A finding of a rule: 1 warning, 2 critical.");
	for (i = 0; i < n; i++) {
		count[fs[i]->severity]++;
		prom_label(o, "rule", anomaly_rule_id(fs[i]->rule),
		    prom_open(o, r, "sockwatch_anomaly"));
		prom_label(o, "subject", fs[i]->subject, 0);
		if (batch_netns_finding(r, i) != NULL)
			prom_label(o, "netns", batch_netns_finding(r, i), 0);
		out_str(o, "} ");
		out_uint(o, fs[i]->severity);
		out_char(o, '\n');
	}
	prom_head(o, "sockwatch_anomalies", "gauge", "Findings by severity.");
	prom_label(o, "severity", "warning",
	    prom_open(o, r, "sockwatch_anomalies"));
	out_printf(o, "} %zu\n", count[SEV_WARNING]);
	prom_label(o, "severity", "critical",
	    prom_open(o, r, "sockwatch_anomalies"));
	out_printf(o, "} %zu\n", count[SEV_CRITICAL]);
}

/* -N all: sockets by namespace and state; sum(...) by (state) adds up. */
static void
prom_states_netns(struct out *o, const struct report *r)
{
	const int *st;
	size_t i;

	for (i = 0; i < r->ns->n; i++)
		for (st = sock_state_order(); *st != 0; st++) {
			out_str(o, "sockwatch_sockets{");
			prom_label(o, "netns", r->ns->nets[i].label, 1);
			prom_label(o, "state", sock_state_name(*st), 0);
			out_str(o, "} ");
			out_uint(o, r->ns->counts[i].states[*st]);
			out_char(o, '\n');
		}
}

/* node_exporter textfile collector format. */
void
batch_write_prometheus(struct out *o, const struct report *r)
{
	const int *st;

	prom_head(o, "sockwatch_sockets", "gauge", "TCP sockets by state.");
	if (r->ns != NULL)
		prom_states_netns(o, r);
	else
		for (st = sock_state_order(); *st != 0; st++) {
			prom_label(o, "state", sock_state_name(*st),
			    prom_open(o, r, "sockwatch_sockets"));
			out_str(o, "} ");
			out_uint(o, r->groups->states[*st]);
			out_char(o, '\n');
		}
	prom_head(o, "sockwatch_orphans", "gauge",
	    "Sockets closed by their process, still ending in the kernel.");
	prom_name(o, r, "sockwatch_orphans");
	out_printf(o, " %llu\n",
	    (unsigned long long)r->groups->orphans);
	prom_listeners(o, r);
	prom_findings(o, r);
	prom_head(o, "sockwatch_last_run_timestamp_seconds", "gauge",
	    "When this report was taken.");
	prom_name(o, r, "sockwatch_last_run_timestamp_seconds");
	out_printf(o, " %lld\n",
	    (long long)r->snap->when.tv_sec);
}

/* A perfdata label: quoted, a quote doubled. */
static void
nagios_label(struct out *o, const char *what, const char *name)
{
	out_char(o, '\'');
	out_str(o, what);
	for (; *name != '\0'; name++) {
		if (*name == '\'')
			out_char(o, '\'');
		if (*name != '=')
			out_char(o, *name);
	}
	out_str(o, "'=");
}

static int
rule_on(const struct report *r, const char *rule)
{
	int ri = anomaly_rule_index(rule);

	return r->mon != NULL && ri >= 0 && r->mon->cfg.enabled[ri];
}

/* A rule's setting; 0 (no threshold) when the rule is off. */
static double
param(const struct report *r, const char *rule, const char *name)
{
	int ri = anomaly_rule_index(rule), pi;

	if (!rule_on(r, rule) || (pi = anomaly_param_index(ri, name)) < 0)
		return 0;
	return r->mon->cfg.param[ri][pi];
}

/*
 * A threshold as the plugin guidelines read it, "alert when the value is
 * above T", for a rule that raises at value >= at_least (integer values):
 * T = ceil(at_least) - 1, and never above max, where it would mean the
 * same (never) while looking like a value the gauge cannot reach. Empty
 * when the rule is off.
 */
static void
nagios_threshold(struct out *o, double at_least, uint64_t max)
{
	double t;

	if (at_least <= 0)
		return;
	t = ceil(at_least - 1e-9) - 1;
	out_uint(o, t < 0 ? 0 : t > (double)max ? max : (uint64_t)t);
}

/* A listener's address, after its namespace's name with -N all. */
static void
nagios_addr(char *buf, size_t size, const struct report *r,
    const struct sock_rec *s)
{
	char addr[ADDR_STRLEN], label[78];	/* fits the caller's buffer */

	format_addr(addr, sizeof addr, s->family, s->src, s->sport);
	if (batch_netns_label(r, s) != NULL) {
		format_sanitize(label, sizeof label, batch_netns_label(r, s));
		snprintf(buf, size, "%s %s", label, addr);
	} else {
		snprintf(buf, size, "%s", addr);
	}
}

static void
nagios_perfdata(struct out *o, const struct report *r)
{
	char addr[ADDR_STRLEN + 80];
	const int *st;
	size_t i;

	for (st = sock_state_order(); *st != 0; st++) {
		out_char(o, ' ');
		nagios_label(o, sock_state_name(*st), "");
		out_uint(o, r->groups->states[*st]);
		out_str(o, ";;;0");
	}
	for (i = 0; i < r->groups->nlisteners; i++) {
		const struct listener *l = &r->groups->listeners[i];
		const struct sock_rec *s = &r->snap->socks[l->sock];
		double b = (double)l->backlog, warn, crit, least;

		nagios_addr(addr, sizeof addr, r, s);
		/* Both queues hold at most backlog + 1: the kernel calls them
		   full when longer than the backlog (a flood fills the SYN
		   queue of a backlog of 256 to 257). A count beyond that (a
		   reuseport group) leaves max out rather than break it. */
		out_char(o, ' ');
		nagios_label(o, "syn_recv ", addr);
		out_uint(o, l->syn_recv);
		out_char(o, ';');
		least = param(r, "syn-flood", "min_syn_recv");
		warn = b * param(r, "syn-flood", "warning_share");
		crit = b * param(r, "syn-flood", "critical_share");
		nagios_threshold(o, warn > 0 && warn < least ? least : warn,
		    l->backlog + 1);
		out_char(o, ';');
		nagios_threshold(o, crit > 0 && crit < least ? least : crit,
		    l->backlog + 1);
		out_str(o, ";0;");
		if (l->syn_recv <= l->backlog + 1)
			out_uint(o, l->backlog + 1);
		/* The accept-queue rule is critical above the backlog. */
		out_char(o, ' ');
		nagios_label(o, "accept_queue ", addr);
		out_uint(o, l->accept_queue);
		out_char(o, ';');
		nagios_threshold(o, b * param(r, "accept-queue", "warning_share"),
		    (uint64_t)l->backlog + 1);
		out_char(o, ';');
		if (rule_on(r, "accept-queue"))
			nagios_threshold(o, b + 1, (uint64_t)l->backlog + 1);
		out_str(o, ";0;");
		if (l->accept_queue <= (uint64_t)l->backlog + 1)
			out_uint(o, l->backlog + 1);
	}
}

/*
 * "SOCKWATCH CRITICAL - 1 critical, 0 warnings: ... | perfdata". Nagios
 * cuts the status text at the first '|': names in it (a process sets its
 * own) are sanitised with '|' escaped too, as \x7c.
 */
void
batch_write_nagios(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	size_t i, n, crit = 0;
	enum severity worst;
	char w[WORDS_MAX];

	fs = findings(r, &n);
	worst = n > 0 ? fs[0]->severity : SEV_OK;
	for (i = 0; i < n; i++)
		crit += fs[i]->severity == SEV_CRITICAL;
	out_str(o, "SOCKWATCH ");
	out_str(o, worst == SEV_CRITICAL ? "CRITICAL" :
	    worst == SEV_WARNING ? "WARNING" : "OK");
	out_str(o, " - ");
	if (n == 0)
		out_printf(o, "%llu TCP sockets, no anomalies",
		    (unsigned long long)r->groups->total);
	else
		out_printf(o, "%zu critical, %zu warning", crit, n - crit);
	for (i = 0; i < n && i < 5; i++) {
		out_printf(o, "%s%s ", i == 0 ? ": " : "; ",
		    anomaly_rule_id(fs[i]->rule));
		out_sanitized(o, fs[i]->subject, "|");
		if (batch_netns_finding(r, i) != NULL) {
			out_str(o, " (netns ");
			out_sanitized(o, batch_netns_finding(r, i), "|");
			out_char(o, ')');
		}
		if (anomaly_clearing(fs[i]))
			out_str(o, " (clearing)");
		out_str(o, ": ");
		out_sanitized(o, words(w, fs[i], FINDING_SUMMARY,
		    anomaly_gettext), "|");
	}
	if (n > 5)
		out_printf(o, "; %zu more", n - 5);
	if (r->history_unsaved)	/* the verdict stands; the next run knows less */
		out_str(o, "; history not saved");
	out_str(o, " |");
	nagios_perfdata(o, r);
	out_char(o, '\n');
}
