/*
 * batch_netns.c - the namespace column and the counts per namespace of
 * reports made with -N all.
 *
 * Names come from /run/netns and may hold anything a file name can: the
 * text report shows them sanitised, JSON and CSV quote them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "batch_netns.h"
#include "format.h"
#include "netns.h"
#include "xmalloc.h"

#define NETNS_MAX_WIDTH	32	/* a longer name widens only its own rows */

const char *
batch_netns_label(const struct report *r, const struct sock_rec *s)
{
	if (r->ns == NULL || s->netns >= r->ns->n)
		return NULL;
	return r->ns->nets[s->netns].label;
}

/* The namespace of the report monitor's i-th finding, or NULL. */
const char *
batch_netns_finding(const struct report *r, size_t i)
{
	if (r->ns == NULL || r->ns->finding_ns == NULL)
		return NULL;
	return r->ns->nets[r->ns->finding_ns[i]].label;
}

/*
 * The NETNS column of the text report, empty without -N all: names as
 * they will be shown, and the width of the longest (up to a limit).
 */
void
batch_netns_col_init(struct batch_netns_col *c, const struct report *r)
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

void
batch_netns_col_title(struct out *o, const struct batch_netns_col *c)
{
	if (c->width > 0)
		out_field(o, "NETNS", c->width + 1);
}

void
batch_netns_col_put(struct out *o, const struct batch_netns_col *c,
    const struct sock_rec *s)
{
	if (c->width > 0)
		out_field(o, s->netns < c->n ? c->labels[s->netns] : "-",
		    c->width + 1);
}

void
batch_netns_col_free(struct batch_netns_col *c)
{
	free(c->labels);
	memset(c, 0, sizeof *c);
}

/* "blue      12  LISTEN=2 ESTABLISHED=8 TIME_WAIT=2", one per namespace. */
void
batch_netns_text_counts(struct out *o, const struct report *r)
{
	struct batch_netns_col col;
	const int *st;
	size_t i;
	int first;

	if (r->ns == NULL)
		return;
	batch_netns_col_init(&col, r);
	out_char(o, '\n');
	batch_netns_col_title(o, &col);
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
	batch_netns_col_free(&col);
}

/* ,"netns":"blue" in a socket or listener object. */
void
batch_netns_json(struct out *o, const struct report *r,
    const struct sock_rec *s)
{
	const char *label;

	if ((label = batch_netns_label(r, s)) == NULL)
		return;
	out_str(o, ",\"netns\":");
	out_json_str(o, label);
}

/* ,"namespaces":{"blue":{"inode":...,"pid":...,"total":...,"states":{}}} */
void
batch_netns_json_counts(struct out *o, const struct report *r)
{
	const int *st;
	size_t i;

	if (r->ns == NULL)
		return;
	out_str(o, ",\"namespaces\":{");
	for (i = 0; i < r->ns->n; i++) {
		const struct netns *ns = &r->ns->nets[i];
		const struct netns_count *c = &r->ns->counts[i];

		if (i > 0)
			out_char(o, ',');
		out_json_str(o, ns->label);
		out_str(o, ":{\"inode\":");
		out_uint(o, ns->inode);
		out_str(o, ",\"pid\":");
		if (ns->pid != 0)
			out_uint(o, (uint64_t)ns->pid);
		else
			out_str(o, "null");
		out_str(o, ns->named ? ",\"named\":true" : ",\"named\":false");
		out_str(o, ns->self ? ",\"self\":true" : ",\"self\":false");
		out_str(o, ",\"total\":");
		out_uint(o, c->total);
		out_str(o, ",\"states\":{");
		for (st = sock_state_order(); *st != 0; st++) {
			if (st != sock_state_order())
				out_char(o, ',');
			out_json_str(o, sock_state_name(*st));
			out_char(o, ':');
			out_uint(o, c->states[*st]);
		}
		out_str(o, "}}");
	}
	out_char(o, '}');
}

/* The first column of a CSV socket row: "blue," */
void
batch_netns_csv(struct out *o, const struct report *r,
    const struct sock_rec *s)
{
	const char *label;

	if ((label = batch_netns_label(r, s)) == NULL)
		return;
	out_csv_str(o, label);
	out_char(o, ',');
}

/* --summary in CSV: netns,state,count for every namespace and state. */
void
batch_netns_csv_counts(struct out *o, const struct report *r)
{
	const int *st;
	size_t i;

	out_str(o, "netns,state,count\r\n");
	for (i = 0; i < r->ns->n; i++)
		for (st = sock_state_order(); *st != 0; st++) {
			out_csv_str(o, r->ns->nets[i].label);
			out_char(o, ',');
			out_str(o, sock_state_name(*st));
			out_char(o, ',');
			out_uint(o, r->ns->counts[i].states[*st]);
			out_str(o, "\r\n");
		}
}
