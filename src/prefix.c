/*
 * prefix.c - tallies of peer prefixes and their spread.
 *
 * A prefix packs into 64 bits: bit 63 set for IPv6, then the /24 or /48
 * bytes, so tallies hash plain integers. IPv4-mapped IPv6 counts as IPv4.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "prefix.h"
#include "xmalloc.h"

#define PREFIX_V6	(1ULL << 63)
#define PREFIX_EMPTY	UINT64_MAX

uint64_t
prefix_of(int family, const uint8_t *addr)
{
	uint64_t p = 0;
	int i;

	if (family == AF_INET || format_is_v4mapped(family, addr)) {
		if (family != AF_INET)
			addr += 12;
		return (uint64_t)addr[0] << 16 | (uint64_t)addr[1] << 8 | addr[2];
	}
	for (i = 0; i < 6; i++)
		p = p << 8 | addr[i];
	return p | PREFIX_V6;
}

/* "10.1.2.0/24", "2001:db8:1::/48". */
size_t
prefix_format(char *buf, size_t size, uint64_t prefix)
{
	uint8_t a[16];
	size_t n;
	int i;

	memset(a, 0, sizeof a);
	if (prefix & PREFIX_V6) {
		for (i = 5; i >= 0; i--, prefix >>= 8)
			a[i] = (uint8_t)prefix;
		n = format_ip(buf, size, AF_INET6, a);
		return n + (size_t)snprintf(buf + n, size - n, "/48");
	}
	a[0] = (uint8_t)(prefix >> 16);
	a[1] = (uint8_t)(prefix >> 8);
	a[2] = (uint8_t)prefix;
	n = format_ip(buf, size, AF_INET, a);
	return n + (size_t)snprintf(buf + n, size - n, "/24");
}

static size_t
slot(const struct prefix_tally *t, uint64_t p)
{
	p *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(p >> 20) & (t->cap - 1);
}

void
prefix_tally_init(struct prefix_tally *t)
{
	memset(t, 0, sizeof *t);
}

static void
grow(struct prefix_tally *t)
{
	struct prefix_count *old = t->tab;
	size_t oldcap = t->cap, i, j;

	t->cap = t->cap == 0 ? 64 : t->cap * 2;
	t->tab = xreallocarray(NULL, t->cap, sizeof *t->tab);
	for (i = 0; i < t->cap; i++)
		t->tab[i].prefix = PREFIX_EMPTY;
	for (i = 0; i < oldcap; i++) {
		if (old[i].prefix == PREFIX_EMPTY)
			continue;
		for (j = slot(t, old[i].prefix); t->tab[j].prefix != PREFIX_EMPTY;
		    j = (j + 1) & (t->cap - 1))
			;
		t->tab[j] = old[i];
	}
	free(old);
}

void
prefix_tally_add(struct prefix_tally *t, uint64_t p)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	for (i = slot(t, p); t->tab[i].prefix != PREFIX_EMPTY;
	    i = (i + 1) & (t->cap - 1))
		if (t->tab[i].prefix == p)
			break;
	if (t->tab[i].prefix == PREFIX_EMPTY) {
		t->tab[i].prefix = p;
		t->tab[i].count = 0;
		t->n++;
	}
	t->tab[i].count++;
	t->total++;
}

uint64_t
prefix_tally_count(const struct prefix_tally *t, uint64_t p)
{
	size_t i;

	if (t->cap == 0)
		return 0;
	for (i = slot(t, p); t->tab[i].prefix != PREFIX_EMPTY;
	    i = (i + 1) & (t->cap - 1))
		if (t->tab[i].prefix == p)
			return t->tab[i].count;
	return 0;
}

/* Keep the PREFIX_TOP largest, largest first; ties by prefix value. */
static void
keep_top(struct prefix_stats *st, const struct prefix_count *c)
{
	size_t k;

	if (st->ntop == PREFIX_TOP && c->count <= st->top[PREFIX_TOP - 1].count)
		return;
	k = st->ntop < PREFIX_TOP ? st->ntop++ : PREFIX_TOP - 1;
	while (k > 0 && (st->top[k - 1].count < c->count ||
	    (st->top[k - 1].count == c->count &&
	    st->top[k - 1].prefix > c->prefix))) {
		st->top[k] = st->top[k - 1];
		k--;
	}
	st->top[k] = *c;
}

/*
 * Entropy of the prefix distribution divided by log(total): 1 when every
 * socket comes from its own prefix (random spoofed sources), near 0 when
 * one prefix sends them all.
 */
void
prefix_tally_stats(const struct prefix_tally *t, struct prefix_stats *st)
{
	double h = 0, p;
	size_t i;

	memset(st, 0, sizeof *st);
	st->total = t->total;
	st->distinct = t->n;
	for (i = 0; i < t->cap; i++) {
		if (t->tab[i].prefix == PREFIX_EMPTY)
			continue;
		p = (double)t->tab[i].count / (double)t->total;
		h -= p * log(p);
		keep_top(st, &t->tab[i]);
	}
	if (t->total > 1)
		st->entropy = h / log((double)t->total);
}

void
prefix_tally_free(struct prefix_tally *t)
{
	if (t == NULL)
		return;
	free(t->tab);
	memset(t, 0, sizeof *t);
}
