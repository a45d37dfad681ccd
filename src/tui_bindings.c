/*
 * tui_bindings.c - the key table of the dashboard's main screen: which
 * keys do what, in the order the help lists them. Adding a key is a row
 * here and, for a new action, a function in tui_keys.c.
 */
#include "config.h"

#include <string.h>

#include "nls.h"
#include "tui_bindings.h"

const struct tui_binding tui_bindings[] = {
	{ "F1 ? h", NULL, TUI_ACT_HELP, 0, N_("this help") },
	{ "/ n N F3", NULL, TUI_ACT_SEARCH, 0,
	    N_("search the rows; n and N find the next and previous") },
	{ "\\ F4", NULL, TUI_ACT_FILTER, 0,
	    N_("filter, as on the command line: close-wait, "
	    "sport = :443, dst 10.0.0.0/8, process nginx, age > 5m, with and, "
	    "or, not; empty to clear") },
	{ "F2", NULL, TUI_ACT_SETUP, 0, N_("setup: show, hide and order the "
	    "columns of this view (kept until sockwatch ends)") },
	{ "Left Right", NULL, TUI_ACT_SCROLL, 0,
	    N_("scroll the table sideways, a column at a time, to the "
	    "columns beyond the screen's edge") },
	{ "F6 < >", NULL, TUI_ACT_SORT, 0, N_("choose the sort column") },
	{ "I", NULL, TUI_ACT_INVERT, 0, N_("invert the order") },
	{ "Enter", NULL, TUI_ACT_ENTER, 0,
	    N_("details of the socket, or the sockets of a group") },
	{ "Backspace Esc", NULL, TUI_ACT_BACK, 0,
	    N_("leave the group opened with Enter") },
	{ "g", NULL, TUI_ACT_VIEW, 0,
	    N_("next view: sockets, listeners, peers, processes") },
	{ "e", NULL, TUI_ACT_EXPLAIN, 0, N_("explain the state of the "
	    "selected socket, or the selected finding") },
	{ "a", NULL, TUI_ACT_FINDINGS, 0,
	    N_("go to the anomalies panel and back") },
	{ "space", NULL, TUI_ACT_PAUSE, 0,
	    N_("pause and resume; in a replay, play and stop") },
	{ "[ ]", NULL, TUI_ACT_STEP, 0,
	    N_("in a replay, one poll back or forward") },
	{ "+ -", NULL, TUI_ACT_INTERVAL, 0, N_("poll less or more often") },
	{ "p", NULL, TUI_ACT_PROCESSES, 0,
	    N_("show the owning processes, or stop looking them up") },
	{ "Up Down PgUp PgDn Home End", N_("arrows PgUp PgDn Home End"),
	    TUI_ACT_MOVE, 0, N_("move") },
	{ "q Q F10", NULL, TUI_ACT_QUIT, 0, N_("quit") },
	{ "F9 k", NULL, TUI_ACT_KILL, TUI_BIND_KILL,
	    N_("destroy the selected connection, or those of the selected "
	    "group, after asking") },
	{ "K", NULL, TUI_ACT_KILL_FILTERED, TUI_BIND_KILL,
	    N_("destroy every connection the filter shows, after asking") },
};
const size_t tui_nbindings = sizeof tui_bindings / sizeof tui_bindings[0];

/* Whether name is one of the binding's keys (names are whole words). */
int
tui_binding_has(const struct tui_binding *b, const char *name)
{
	size_t n = strlen(name);
	const char *p = b->keys;

	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

/* The binding of a key name, or NULL when the key does nothing. */
const struct tui_binding *
tui_binding_find(const char *name)
{
	size_t i;

	for (i = 0; i < tui_nbindings; i++)
		if (tui_binding_has(&tui_bindings[i], name))
			return &tui_bindings[i];
	return NULL;
}
