/*
 * tui_sock.c - what the view knows of one socket beyond its record: its
 * tcp_info (from the dump or fetched for the screen), its ages and owner
 * (lent by the core).
 *
 * Every other tui file reads sockets through these, so they live apart
 * from the view, the groups, the filter and the cells that all use them.
 */
#include "config.h"

#include <string.h>
#include "tui_view.h"

const char *
tui_sock_process(const struct tui_view *v, size_t i, int *pid)
{
	*pid = 0;
	if (!v->processes || v->core->process == NULL)
		return NULL;
	return v->core->process(v->core->arg, v->snap, i, pid);
}

/*
 * Seconds since the socket began (or entered its state); < 0 when nobody
 * knows; *known 0 when it is at least that old. The tcp_info fetched for
 * the screen may prove it older (its last send, receive, ACK): the page
 * that shows those never shows a shorter age.
 */
double
tui_sock_age(const struct tui_view *v, size_t i, int state_age, int *known)
{
	double (*fn)(void *, const struct snapshot *, size_t, int *);
	const struct sock_info *t;
	double age, proven;

	*known = 0;
	fn = state_age ? v->core->state_age : v->core->age;
	if (fn == NULL || (age = fn(v->core->arg, v->snap, i, known)) < 0)
		return -1;
	if ((t = tui_sock_info(v, i)) != NULL &&
	    (proven = sock_proven_age(&v->snap->socks[i], t, state_age)) > age)
		age = proven;
	return age;
}

static int
has_bulk_info(const struct tui_view *v, size_t i)
{
	return v->snap->info != NULL &&
	    (v->snap->socks[i].flags & SOCK_HAS_INFO);
}

static size_t
info_slot(const struct tui_info_cache *c, size_t i)
{
	size_t h = i % TUI_INFO_CACHE;

	while (c->sock[h] != 0 && c->sock[h] != i + 1)
		h = (h + 1) % TUI_INFO_CACHE;
	return h;
}

/* A socket's tcp_info from the dump or fetched for it; NULL if unknown. */
const struct sock_info *
tui_sock_info(const struct tui_view *v, size_t i)
{
	size_t h;

	if (has_bulk_info(v, i))
		return &v->snap->info[i];
	if (v->info.n == 0)
		return NULL;
	h = info_slot(&v->info, i);
	return v->info.sock[h] != 0 && v->info.ok[h] ? &v->info.info[h] : NULL;
}

/* Whether fetching this socket's tcp_info would tell anything new. */
int
tui_sock_info_wanted(const struct tui_view *v, size_t i)
{
	if (has_bulk_info(v, i) || v->info.n >= TUI_INFO_CACHE * 3 / 4)
		return 0;
	return v->info.sock[info_slot(&v->info, i)] == 0;
}

/* Remember what a fetch found, or (info NULL) that it found nothing. */
void
tui_sock_info_put(struct tui_view *v, size_t i,
    const struct sock_info *info)
{
	size_t h;

	if (v->info.n >= TUI_INFO_CACHE * 3 / 4)
		return;
	h = info_slot(&v->info, i);
	if (v->info.sock[h] == 0)
		v->info.n++;
	v->info.sock[h] = (uint32_t)(i + 1);
	v->info.ok[h] = info != NULL;
	if (info != NULL)
		v->info.info[h] = *info;
}
