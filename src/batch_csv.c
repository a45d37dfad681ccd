/*
 * batch_csv.c - the CSV formats (RFC 4180, CRLF): csv, one table of the
 * sockets with the same columns whatever the flags (batch_cols.c), or
 * with --summary the counts by state (and namespace, with -N all); and
 * csv-findings, the findings as a table of their own.
 *
 * Words are English and numbers use '.' whatever the locale; names from
 * outside keep their bytes, quoted where they must be.
 */
#include "config.h"

#include "batch.h"
#include "batch_cols.h"
#include "format.h"
#include "netns.h"

/* A value of batch_cols.c's table: nothing when unknown. */
static void
csv_value(struct out *o, const struct batch_val *v)
{
	if (!batch_val_number(o, v) && v->kind == BATCH_VAL_TEXT)
		out_csv_str(o, v->text);
}

static void
csv_header(struct out *o)
{
	size_t i;

	for (i = 0; i < batch_ncols; i++) {
		if (i > 0)
			out_char(o, ',');
		out_str(o, batch_cols[i].name);
	}
	out_str(o, "\r\n");
}

/* Fifty cells: a group the socket has no figures of is only commas. */
static void
csv_row(struct out *o, const struct report *r, size_t idx)
{
	struct batch_val v;
	int known[BATCH_COLS_NGROUPS], g;
	size_t i;

	for (g = 0; g < BATCH_COLS_NGROUPS; g++)
		known[g] = batch_group_known((enum batch_col_group)g, r, idx);
	for (i = 0; i < batch_ncols; i++) {
		if (i > 0)
			out_char(o, ',');
		if (!known[batch_cols[i].group])
			continue;
		batch_col_get(&batch_cols[i], r, idx, &v);
		csv_value(o, &v);
	}
	out_str(o, "\r\n");
}

/* "LISTEN,9\r\n"..., after NETNS, when given, in each row. */
static void
csv_states(struct out *o, const char *netns, const uint64_t *states)
{
	const int *st;

	for (st = sock_state_order(); *st != 0; st++) {
		if (netns != NULL) {
			out_csv_str(o, netns);
			out_char(o, ',');
		}
		out_str(o, sock_state_name(*st));
		out_char(o, ',');
		out_uint(o, states[*st]);
		out_str(o, "\r\n");
	}
}

/* --summary: state,count; with -N all netns,state,count. */
static void
csv_counts(struct out *o, const struct report *r)
{
	size_t i;

	if (r->ns == NULL) {
		out_str(o, "state,count\r\n");
		csv_states(o, NULL, r->groups->states);
		return;
	}
	out_str(o, "netns,state,count\r\n");
	for (i = 0; i < r->ns->n; i++)
		csv_states(o, r->ns->nets[i].label, r->ns->counts[i].states);
}

static void
csv_line(struct out *o, const struct report *r, size_t k, void *arg)
{
	(void)arg;
	csv_row(o, r, r->order[k]);
}

static void
write_csv(struct out *o, const struct report *r)
{
	if (r->summary) {
		csv_counts(o, r);
		return;
	}
	csv_header(o);
	batch_lines(o, r, csv_line, NULL);
}

/*
 * -f csv-findings: the findings as one table of their own, its header
 * even when there are none. netns is the namespace of each finding with
 * -N all, else the report's.
 */
static void
write_csv_findings(struct out *o, const struct report *r)
{
	const struct finding *const *fs;
	char ev[BATCH_EVIDENCE_MAX], w[BATCH_WORDS_MAX];
	const char *ns;
	size_t i, n;

	fs = batch_findings(r, &n);
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
		out_csv_str(o, batch_words(w, f, FINDING_SUMMARY, anomaly_english));
		out_char(o, ',');
		out_csv_str(o, batch_words(w, f, FINDING_CAUSE, anomaly_english));
		out_char(o, ',');
		out_csv_str(o, batch_words(w, f, FINDING_ADVICE, anomaly_english));
		out_char(o, ',');
		if (f->pid != 0)
			out_int(o, f->pid);
		out_char(o, ',');
		batch_evidence(ev, sizeof ev, f, "; ");
		out_csv_str(o, ev);
		out_str(o, "\r\n");
	}
}

const struct batch_format batch_format_csv = {
	.name = "csv",
	.write = write_csv,
};

const struct batch_format batch_format_csv_findings = {
	.name = "csv-findings",
	.write = write_csv_findings,
};
