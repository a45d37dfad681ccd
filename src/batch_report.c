/*
 * batch_report.c - what every report format reads of a report: its
 * findings and their words, owners, peer names and namespace labels.
 *
 * Kept apart from the list of formats (batch.c), which calls the formats
 * that call these.
 */
#include "config.h"

#include "batch.h"
#include "format.h"
#include "monitor.h"
#include "netns.h"

/* The findings a report shows, worst first; none without a monitor. */
const struct finding *const *
batch_findings(const struct report *r, size_t *n)
{
	*n = 0;
	return r->mon != NULL ? monitor_findings(r->mon, n) : NULL;
}

/* One part of a finding's words, in buf of BATCH_WORDS_MAX. */
const char *
batch_words(char *buf, const struct finding *f, enum finding_part part,
    anomaly_translate *tr)
{
	anomaly_text(buf, BATCH_WORDS_MAX, f, part, tr);
	return buf;
}

/* "verdict=spoofed syn_recv=250 top_prefixes=[a 1%, b 2%]" into buf. */
void
batch_evidence(char *buf, size_t size, const struct finding *f,
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

/*
 * Ask early for what the row REPORT_PREFETCH after the k-th will read: its
 * record and the model's figures. Rows come in sorted order, which jumps
 * all over a snapshot that at a million sockets is far larger than the
 * cache; waiting for each record in turn took a third of a listing's time.
 */
void
batch_prefetch(const struct report *r, size_t k)
{
	const char *ahead;
	uint32_t idx;

	if (k + REPORT_PREFETCH >= r->norder)
		return;
	idx = r->order[k + REPORT_PREFETCH];
	ahead = (const char *)&r->snap->socks[idx];
	__builtin_prefetch(ahead);
	__builtin_prefetch(ahead + sizeof(struct sock_rec) - 1);
	if (r->mon != NULL)
		__builtin_prefetch(monitor_sock(r->mon, idx));
}

/* -p: the process holding a socket, or NULL (none found, or no -p). */
const struct proc_owner *
batch_owner(const struct report *r, const struct sock_rec *s)
{
	const struct proc_map *procs;

	if (r->mon == NULL || (procs = monitor_procs(r->mon)) == NULL)
		return NULL;
	return proc_lookup(procs, s->inode);
}

/* -r: the host name of an address; NULL when it has none or no -r. */
const char *
batch_peer_name(const struct report *r, const struct sock_rec *s)
{
	if (!(r->show & BATCH_SHOW_NAMES) || r->peer_name == NULL)
		return NULL;
	return r->peer_name(r->peer_name_arg, s->family, s->dst);
}

/* -N all: the namespace of a socket, or NULL in a report of one. */
const char *
batch_netns_label(const struct report *r, const struct sock_rec *s)
{
	if (r->ns == NULL || s->netns >= r->ns->n)
		return NULL;
	return r->ns->nets[s->netns].label;
}

/* -N all: the namespace of the report monitor's i-th finding, or NULL. */
const char *
batch_netns_finding(const struct report *r, size_t i)
{
	if (r->ns == NULL || r->ns->finding_ns == NULL)
		return NULL;
	return r->ns->nets[r->ns->finding_ns[i]].label;
}
