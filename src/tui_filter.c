/*
 * tui_filter.c - the filter typed at the dashboard's \ prompt.
 *
 * The prompt takes the command line's filter language (filter.c), so what
 * a user learnt for "sockwatch FILTER" works here, ages and processes
 * included: the view lends the filter its ages and owners. A drill-down
 * from a group row adds that group to the filter.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "format.h"
#include "nls.h"
#include "tui_view.h"
#include "xmalloc.h"

/* Forget the filter; the drill-down too. */
void
tui_filter_clear(struct tui_filter *f)
{
	filter_free(f->expr);
	memset(f, 0, sizeof *f);
	f->group = TUI_GROUP_SOCKETS;
}

int
tui_filter_active(const struct tui_filter *f)
{
	return f->expr != NULL || f->group != TUI_GROUP_SOCKETS;
}

/*
 * Replace the expression of f with text's; a drill-down stays. On an
 * error f is unchanged and *cause says why, with the column.
 */
int
tui_filter_compile(struct tui_filter *f, const char *text, char **cause)
{
	struct filter *expr;

	if (strlen(text) >= sizeof f->text) {
		xasprintf(cause, "%s", _("filter too long"));
		return -1;
	}
	if ((expr = filter_parse(text, cause)) == NULL)
		return -1;
	if (filter_is_empty(expr)) {
		filter_free(expr);
		expr = NULL;
	}
	filter_free(f->expr);
	f->expr = expr;
	strcpy(f->text, text);
	return 0;
}

struct view_sock {
	const struct tui_view	*v;
	struct filter_proc	 proc;
};

static size_t
sock_index(const struct tui_view *v, const struct sock_rec *s)
{
	return (size_t)(s - v->snap->socks);
}

static void
view_ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	const struct view_sock *vs = arg;
	size_t i = sock_index(vs->v, s);

	age->s = tui_sock_age(vs->v, i, 0, &age->known);
	state_age->s = tui_sock_age(vs->v, i, 1, &state_age->known);
}

static size_t
view_procs(void *arg, const struct sock_rec *s, const struct filter_proc **out)
{
	struct view_sock *vs = arg;
	int pid = 0;

	vs->proc.name = tui_sock_process(vs->v, sock_index(vs->v, s), &pid);
	vs->proc.pid = pid;
	*out = &vs->proc;
	return vs->proc.name != NULL ? 1 : 0;
}

/* The expression on socket i; one it cannot judge (no age yet) fails. */
static int
match_expr(const struct tui_filter *f, const struct tui_view *v, size_t i)
{
	struct view_sock vs = { v, { 0, NULL } };
	struct filter_facts ex = { view_ages, view_procs, &vs };
	char *cause = NULL;
	int ret;

	ret = filter_match(f->expr, &v->snap->socks[i], &ex, &cause);
	free(cause);
	return ret == 1;
}

/*
 * A socket of the listener: same namespace (-N all), same port, same
 * address or a wildcard.
 */
static int
match_listener(const struct tui_filter *f, const struct sock_rec *s)
{
	static const uint8_t any[16];
	size_t alen = f->group_family == AF_INET ? 4 : 16;

	if (s->sport != f->group_port || s->netns != f->group_netns)
		return 0;
	if (memcmp(f->group_addr, any, alen) == 0)
		return s->family == f->group_family ||
		    f->group_family == AF_INET6;
	return s->family == f->group_family &&
	    memcmp(s->src, f->group_addr, alen) == 0;
}

int
tui_filter_match(const struct tui_filter *f, const struct tui_view *v,
    size_t i)
{
	const struct sock_rec *s = &v->snap->socks[i];

	enum tui_rows rows = tui_modes[f->group].rows;

	if (rows == TUI_ROWS_LISTENERS && !match_listener(f, s))
		return 0;
	if (rows == TUI_ROWS_SUMS &&
	    tui_mode_key(v, f->group, i) != f->group_key)
		return 0;
	return f->expr == NULL || match_expr(f, v, i);
}
