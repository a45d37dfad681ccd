/*
 * tui_filter.c - the filter typed at the dashboard's \ prompt.
 *
 * This is the one place where prompt text becomes a filter, so the
 * command line's filter language replaces it here alone. Until then a
 * filter is words: state names and groups (close-wait, TIME_WAIT,
 * connected: any of them), and any other word must appear in the local
 * address, the peer address or the process name (all of them, any case).
 * A drill-down from a group row adds that group to the filter.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "nls.h"
#include "tui_view.h"
#include "xmalloc.h"

void
tui_filter_clear(struct tui_filter *f)
{
	memset(f, 0, sizeof *f);
	f->group = TUI_GROUP_SOCKETS;
}

int
tui_filter_active(const struct tui_filter *f)
{
	return f->states != 0 || f->nwords > 0 || f->group != TUI_GROUP_SOCKETS;
}

static int
add_word(struct tui_filter *f, const char *w, size_t len, char **cause)
{
	char word[sizeof f->words[0]];
	uint32_t mask;
	size_t i;

	if (len >= sizeof word) {
		xasprintf(cause, _("filter word too long: %.*s..."), 20, w);
		return -1;
	}
	for (i = 0; i < len; i++)
		word[i] = (char)tolower((unsigned char)w[i]);
	word[len] = '\0';
	if (sock_state_parse(word, &mask) == 0) {
		f->states |= mask;
		return 0;
	}
	if (f->nwords == TUI_FILTER_WORDS) {
		xasprintf(cause, _("too many filter words: at most %d"),
		    TUI_FILTER_WORDS);
		return -1;
	}
	memcpy(f->words[f->nwords++], word, len + 1);
	return 0;
}

/*
 * Replace the words of f with those of text; a drill-down stays. On an
 * error f is unchanged and *cause says why.
 */
int
tui_filter_compile(struct tui_filter *f, const char *text, char **cause)
{
	struct tui_filter n = *f;
	const char *p = text, *start;

	if (strlen(text) >= sizeof n.text) {
		xasprintf(cause, "%s", _("filter too long"));
		return -1;
	}
	n.states = 0;
	n.nwords = 0;
	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (start = p; *p != '\0' && !isspace((unsigned char)*p); p++)
			;
		if (add_word(&n, start, (size_t)(p - start), cause) < 0)
			return -1;
	}
	strcpy(n.text, text);
	*f = n;
	return 0;
}

static int
lower_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n; i++)
			if (tolower((unsigned char)hay[i]) != needle[i])
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

static int
match_words(const struct tui_filter *f, const struct tui_view *v, size_t i)
{
	const struct sock_rec *s = &v->snap->socks[i];
	char local[ADDR_STRLEN], peer[ADDR_STRLEN];
	const char *proc;
	int k, pid;

	format_addr(local, sizeof local, s->family, s->src, s->sport);
	format_addr(peer, sizeof peer, s->family, s->dst, s->dport);
	proc = tui_sock_process(v, i, &pid);
	for (k = 0; k < f->nwords; k++) {
		if (!lower_contains(local, f->words[k]) &&
		    !lower_contains(peer, f->words[k]) &&
		    (proc == NULL || !lower_contains(proc, f->words[k])))
			return 0;
	}
	return 1;
}

/* A socket of the listener: same port, same address or a wildcard. */
static int
match_listener(const struct tui_filter *f, const struct sock_rec *s)
{
	static const uint8_t any[16];
	size_t alen = f->group_family == AF_INET ? 4 : 16;

	if (s->sport != f->group_port)
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

	if (f->states != 0 && !(f->states & TS_BIT(s->state)))
		return 0;
	if (f->group == TUI_GROUP_LISTENERS && !match_listener(f, s))
		return 0;
	if (f->group != TUI_GROUP_SOCKETS && f->group != TUI_GROUP_LISTENERS &&
	    tui_socket_group_key(v, f->group, i) != f->group_key)
		return 0;
	return f->nwords == 0 || match_words(f, v, i);
}
