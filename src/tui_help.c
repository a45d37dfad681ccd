/*
 * tui_help.c - the help page: every key of the key table (tui_bindings.c),
 * in its order, grouped as htop users expect.
 */
#include "config.h"

#include "format.h"
#include "nls.h"
#include "tui_bindings.h"
#include "tui_text.h"

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
	for (i = 0; i < tui_nbindings; i++) {
		const struct tui_binding *b = &tui_bindings[i];

		if ((b->flags & TUI_BIND_KILL) && !can_kill)
			continue;
		key_line(l, b->label != NULL ? _(b->label) : b->keys,
		    _(b->what), width);
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
