/*
 * tui_setup.c - F2, the column chooser of htop's setup screen: the
 * columns of the current view, each shown or hidden, in the order the
 * table shows them. What it changes holds for the rest of the run, view
 * by view (struct tui_colset, tui_cell.c).
 */
#include "config.h"

#include <stdio.h>

#include "nls.h"
#include "tui_curses.h"
#include "tui_screen.h"

#define KEY_ESC		27

void
tui_setup_open(struct tui *t)
{
	t->dialog_sel = 0;
	t->dialog = TUI_DIALOG_SETUP;
}

/* "[x] PROCESS (with p)": an owner column shows only while p is on. */
static void
setup_line(const struct tui *t, enum tui_col col, char *buf, size_t size)
{
	const struct tui_view *v = &t->view;
	int hidden = tui_cell_hidden(v, col);

	if (!hidden && !tui_cell_shown(v, col))
		snprintf(buf, size, "[x] %-10s %s", tui_cell_title(col),
		    _("(with p)"));
	else
		snprintf(buf, size, "[%c] %s", hidden ? ' ' : 'x',
		    tui_cell_title(col));
}

void
tui_setup_draw(struct tui *t)
{
	const enum tui_col *cols;
	char line[64], title[96];
	size_t n, i;
	int h, w = 48, y, x;

	cols = tui_cell_columns(&t->view, &n);
	h = (int)n + 6;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_box(t, y, x, h, w);
	snprintf(title, sizeof title, _("Setup: columns of the %s view"),
	    _(tui_group_name(t->view.group)));
	attrset(A_BOLD);
	tui_put(y + 1, x + 2, title, w - 4, 0);
	for (i = 0; i < n; i++) {
		setup_line(t, cols[i], line, sizeof line);
		attrset(tui_attr(t, i == t->dialog_sel ? TUI_ROLE_SELECT :
		    TUI_ROLE_NORMAL));
		tui_put(y + 2 + (int)i, x + 2, line, w - 4, 0);
	}
	attrset(A_NORMAL);
	tui_put(y + h - 3, x + 2, _("space: show or hide  F7 F8: move up, "
	    "down"), w - 4, 0);
	tui_put(y + h - 2, x + 2, _("Esc or F2: done"), w - 4, 0);
}

/* Keys while the chooser is open: it takes them all. */
int
tui_setup_key(struct tui *t, int key)
{
	struct tui_view *v = &t->view;
	size_t n;

	tui_cell_columns(v, &n);
	if (tui_dialog_move(t, key, n))
		return 1;
	switch (key) {
	case ' ':
	case '\n':
	case '\r':
	case KEY_ENTER:
		tui_cell_toggle(v, t->dialog_sel);
		break;
	case KEY_F(7):
	case '[':
		t->dialog_sel = tui_cell_move(v, t->dialog_sel, -1);
		break;
	case KEY_F(8):
	case ']':
		t->dialog_sel = tui_cell_move(v, t->dialog_sel, 1);
		break;
	case KEY_ESC:
	case 'q':
	case KEY_F(2):
	case KEY_F(10):
		t->dialog = TUI_DIALOG_NONE;
		/* A hidden sort column: the view orders by the first shown. */
		if (tui_cell_hidden(v, v->sort_col[v->group]))
			tui_view_sort_next(v, 1);
		break;
	}
	return 1;
}
