/*
 * batch_nagios.c - the status line of a Nagios or Icinga check (--check,
 * or -f nagios): the verdict, the first findings in the user's language,
 * and perfdata of the states and of each listener's queues with the
 * thresholds at which the listener rules raise. The exit status is the
 * verdict (0 OK, 1 warning, 2 critical): Nagios reads the status, not the
 * line.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "batch.h"
#include "format.h"
#include "monitor.h"

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

/* One gauge: 'label'=value;warn;crit;0;max, max left out past it. */
static void
nagios_gauge(struct out *o, const char *what, const char *addr,
    uint64_t value, double warn, double crit, uint64_t max)
{
	out_char(o, ' ');
	nagios_label(o, what, addr);
	out_uint(o, value);
	out_char(o, ';');
	nagios_threshold(o, warn, max);
	out_char(o, ';');
	nagios_threshold(o, crit, max);
	out_str(o, ";0;");
	if (value <= max)
		out_uint(o, max);
}

static void
nagios_perfdata(struct out *o, const struct report *r)
{
	static const struct anomaly_listener_limits none;
	struct anomaly_listener_limits lim = none;
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

		nagios_addr(addr, sizeof addr, r, &r->snap->socks[l->sock]);
		if (r->mon != NULL)
			anomaly_listener_limits(&r->mon->cfg, l->backlog, &lim);
		/* Both queues hold at most backlog + 1: the kernel calls them
		   full when longer than the backlog (a flood fills the SYN
		   queue of a backlog of 256 to 257). A count beyond that (a
		   reuseport group) leaves max out rather than break it. */
		nagios_gauge(o, "syn_recv ", addr, l->syn_recv,
		    lim.syn_recv_warning, lim.syn_recv_critical,
		    (uint64_t)l->backlog + 1);
		nagios_gauge(o, "accept_queue ", addr, l->accept_queue,
		    lim.accept_warning, lim.accept_critical,
		    (uint64_t)l->backlog + 1);
	}
}

/*
 * "SOCKWATCH CRITICAL - 1 critical, 0 warnings: ... | perfdata". Nagios
 * cuts the status text at the first '|': names in it (a process sets its
 * own) are sanitised with '|' escaped too, as \x7c.
 */
static void
write_nagios(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	size_t i, n, crit = 0;
	enum severity worst;
	char w[BATCH_WORDS_MAX];

	fs = batch_findings(r, &n);
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
		out_sanitized(o, batch_words(w, fs[i], FINDING_SUMMARY,
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

const struct batch_format batch_format_nagios = {
	.name = "nagios",
	.write = write_nagios,
	.flags = BATCH_FORMAT_VERDICT,
};
