/*
 * batch_prometheus.c - the report as Prometheus metrics, for
 * node_exporter's textfile collector: sockets by state (and namespace),
 * orphans, each listener's queues and drops, the findings and when the
 * report was taken.
 *
 * An exposition holds each series once: with --count only the last poll
 * is written (the polls before feed the rules' counter deltas). Label
 * values may hold process or namespace names: sanitised, then escaped.
 */
#include "config.h"

#include "batch.h"
#include "format.h"
#include "netns.h"

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
	fs = batch_findings(r, &n);
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
static void
write_prometheus(struct out *o, const struct report *r)
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

const struct batch_format batch_format_prometheus = {
	.name = "prometheus",
	.write = write_prometheus,
	.flags = BATCH_FORMAT_LAST,
};
