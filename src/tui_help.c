/*
 * tui_help.c - the help page: every key, grouped as htop users expect.
 */
#include "config.h"

#include "format.h"
#include "nls.h"
#include "tui_text.h"

struct key_help {
	const char	*keys;
	const char	*what;
};

static const struct key_help keys[] = {
	{ "F1 ?", N_("this help") },
	{ "/", N_("search the rows; n and N find the next and previous") },
	{ "\\ F4", N_("filter, as on the command line: close-wait, "
	    "sport = :443, dst 10.0.0.0/8, process nginx, age > 5m, with and, "
	    "or, not; empty to clear") },
	{ "F6 < >", N_("choose the sort column") },
	{ "I", N_("invert the order") },
	{ "Enter", N_("details of the socket, or the sockets of a group") },
	{ "Backspace", N_("leave the group opened with Enter") },
	{ "g", N_("next view: sockets, listeners, peers, processes") },
	{ "e", N_("explain the state of the selected socket, or the "
	    "selected finding") },
	{ "a", N_("go to the anomalies panel and back") },
	{ "space", N_("pause and resume; in a replay, play and stop") },
	{ "[ ]", N_("in a replay, one poll back or forward") },
	{ "+ -", N_("poll less or more often") },
	{ "p", N_("show the owning processes, or stop looking them up") },
	{ N_("arrows PgUp PgDn Home End"), N_("move") },
	{ "q F10", N_("quit") },
};

/* The keys in a column of 14 display columns (a translation may be wide). */
static void
key_line(struct tui_lines *l, const char *k, const char *what, int width)
{
	struct tui_lines tmp = { 0 };
	int kw = (int)format_text_width(k);
	size_t i;

	tui_lines_wrap(&tmp, what, width - 18, 0);
	if (kw > 14)
		tui_lines_add(l, "  %s", k);	/* too long: a line of its own */
	for (i = 0; i < tmp.n; i++) {
		if (i == 0 && kw <= 14)
			tui_lines_add(l, "  %s%*s %s", k, 14 - kw, "", tmp.v[i]);
		else
			tui_lines_add(l, "  %14s %s", "", tmp.v[i]);
	}
	tui_lines_free(&tmp);
}

void
tui_help(struct tui_lines *l, int width, int can_kill)
{
	size_t i;

	tui_lines_add(l, "%s", _("Keys"));
	tui_lines_add(l, "%s", "");
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		key_line(l, _(keys[i].keys), _(keys[i].what), width);
	if (can_kill) {
		key_line(l, "F9 k", _("destroy the selected connection, or "
		    "those of the selected group, after asking"), width);
		key_line(l, "K", _("destroy every connection the filter "
		    "shows, after asking"), width);
	}
	tui_lines_add(l, "%s", "");
	tui_lines_add(l, "%s", _("Marks in the first column"));
	tui_lines_add(l, "  +  %s", _("new since the previous poll"));
	tui_lines_add(l, "  *  %s", _("changed state since the previous poll"));
	tui_lines_add(l, "%s", "");
	tui_lines_wrap(l, _("The state bar counts each TCP state; the "
	    "sparklines show the last polls of the states that tell most "
	    "about trouble."), width - 2, 0);
	tui_lines_add(l, "%s", "");
	tui_lines_wrap(l, _("\"bulk\" in the header: asking the kernel for "
	    "every socket at every poll would cost more than --cpu-budget "
	    "allows, so ESTABLISHED and TIME_WAIT sockets are asked for only "
	    "as often as it says and carried over between; the other states "
	    "are fresh at every poll."), width - 2, 0);
	tui_lines_add(l, "%s", "");
	tui_lines_wrap(l, _("Press Esc or q to return."), width - 2, 0);
}
