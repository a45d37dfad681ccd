/*
 * anomaly_evidence.c - helpers the rule checks share: levels against
 * thresholds, evidence entries, and naming the owner of a socket.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly_rules.h"
#include "format.h"

/*
 * The level value raises (warn and crit thresholds; a threshold of 0 or
 * less is off) and the level it holds (the clear level is the threshold
 * times the clear ratio).
 */
void
anomaly_level(const struct anomaly_ctx *ctx, double value, double warn,
    double crit, enum severity *raise, enum severity *hold)
{
	double ratio = ctx->cfg->clear_ratio;
	enum severity r = SEV_OK, h = SEV_OK;

	if (warn > 0 && value >= warn)
		r = SEV_WARNING;
	if (crit > 0 && value >= crit)
		r = SEV_CRITICAL;
	if (warn > 0 && value >= warn * ratio)
		h = SEV_WARNING;
	if (crit > 0 && value >= crit * ratio)
		h = SEV_CRITICAL;
	anomaly_max(raise, r);
	anomaly_max(hold, h);
}

void
anomaly_max(enum severity *s, enum severity v)
{
	if (v > *s)
		*s = v;
}

static struct evidence *
ev_add(struct finding *f, const char *key)
{
	struct evidence *ev;

	if (f == NULL || f->nev >= EVIDENCE_MAX)
		return NULL;
	ev = &f->ev[f->nev++];
	memset(ev, 0, sizeof *ev);
	snprintf(ev->key, sizeof ev->key, "%s", key);
	return ev;
}

void
anomaly_ev_num(struct finding *f, const char *key, double v, int decimals)
{
	struct evidence *ev = ev_add(f, key);

	if (ev == NULL)
		return;
	ev->kind = EV_NUMBER;
	ev->num = v;
	ev->decimals = decimals;
}

void
anomaly_ev_text(struct finding *f, const char *key, const char *text)
{
	struct evidence *ev = ev_add(f, key);

	if (ev == NULL)
		return;
	ev->kind = EV_TEXT;
	snprintf(ev->text, sizeof ev->text, "%s", text);
}

/* "10.1.2.0/24 62.5%" per top prefix, as a list. */
void
anomaly_ev_prefixes(struct finding *f, const char *key,
    const struct prefix_stats *st)
{
	struct evidence *ev = ev_add(f, key);
	char buf[PREFIX_STRLEN];
	size_t i, n = 0;

	if (ev == NULL)
		return;
	ev->kind = EV_LIST;
	for (i = 0; i < st->ntop && n < sizeof ev->text; i++) {
		prefix_format(buf, sizeof buf, st->top[i].prefix);
		n += (size_t)snprintf(ev->text + n, sizeof ev->text - n,
		    "%s%s %.1f%%", i == 0 ? "" : "\n", buf,
		    100.0 * (double)st->top[i].count / (double)st->total);
	}
}

/* "10.0.0.1:80 -> 10.0.0.2:51514". */
void
anomaly_ev_socket(struct finding *f, const char *key,
    const struct sock_rec *s)
{
	char local[ADDR_STRLEN], peer[ADDR_STRLEN], buf[EVIDENCE_TEXT];

	format_addr(local, sizeof local, s->family, s->src, s->sport);
	format_addr(peer, sizeof peer, s->family, s->dst, s->dport);
	snprintf(buf, sizeof buf, "%s -> %s", local, peer);
	anomaly_ev_text(f, key, buf);
}

/*
 * Who holds a socket, as the kernel shows it: its user. The key groups
 * sockets of one owner and never depends on -p, so a finding keeps its
 * identity whether processes are looked up or not; pid is the process
 * when it is known (evidence), else 0.
 */
void
anomaly_owner(const struct anomaly_ctx *ctx, const struct sock_rec *s,
    uint64_t *key, char *subject, size_t size, int32_t *pid)
{
	*key = 1ULL << 40 | s->uid;
	if (subject != NULL)
		snprintf(subject, size, "uid %u", (unsigned)s->uid);
	*pid = anomaly_holder(ctx, s, NULL, 0);
}

/*
 * Who holds a socket, in words: "pid 812 (nginx)" with -p when the
 * process is known, else "uid 33". Returns the pid, 0 when not known.
 */
int32_t
anomaly_holder(const struct anomaly_ctx *ctx, const struct sock_rec *s,
    char *buf, size_t size)
{
	const struct proc_owner *o = NULL;

	if (ctx->in->proc != NULL && s->inode != 0)
		o = proc_lookup(ctx->in->proc, s->inode);
	if (buf != NULL && o != NULL)
		snprintf(buf, size, "pid %d (%s)", (int)o->pid, o->name);
	else if (buf != NULL)
		snprintf(buf, size, "uid %u", (unsigned)s->uid);
	return o != NULL ? o->pid : 0;
}

/* A step of a 64-bit hash: keys made of several fields. */
uint64_t
anomaly_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static int
compare_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

void
anomaly_sort_keyed(struct keyed *k, size_t n)
{
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(k, n, sizeof *k, compare_keyed);
}

double
anomaly_sysctl(const struct anomaly_ctx *ctx, enum sysctl_id id,
    double fallback)
{
	const struct counters *c = ctx->in->counters;

	if (c == NULL || !SYSCTL_KNOWN(c, id))
		return fallback;
	return (double)c->sys[id];
}
