/*
 * tui_paint.c - what every drawing file paints with: a colour (or, without
 * colours, an attribute) for each role, text put into a width, clipped or
 * padded, and a dialog's frame. Below the screens that use it, so that
 * they call it and not each other.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "format.h"
#include "tui_curses.h"
#include "tui_screen.h"

struct role_style {
	short	 fg;
	short	 bg;
	int	 attr;		/* with colours */
	int	 mono;		/* without */
};

static const struct role_style role_styles[TUI_ROLE_COUNT] = {
	[TUI_ROLE_NORMAL] = { -1, -1, 0, 0 },
	[TUI_ROLE_HEADER] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TUI_ROLE_TITLE] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[TUI_ROLE_SELECT] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TUI_ROLE_KEY] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TUI_ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TUI_ROLE_CRIT] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TUI_ROLE_NEW] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TUI_ROLE_DIM] = { COLOR_CYAN, -1, 0, 0 },
	[TUI_ROLE_SPARK] = { COLOR_GREEN, -1, 0, 0 },
};

void
tui_colors_init(struct tui *t)
{
	short fg, bg;
	int i, defaults;

	if (t->color && (!has_colors() || start_color() == ERR))
		t->color = 0;
	if (!t->color)
		return;
	defaults = use_default_colors() == OK;
	for (i = 1; i < TUI_ROLE_COUNT; i++) {
		fg = role_styles[i].fg;
		bg = role_styles[i].bg;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)i, fg, bg);
	}
}

int
tui_attr(const struct tui *t, enum tui_role role)
{
	if (!t->color)
		return role_styles[role].mono;
	if (role == TUI_ROLE_NORMAL)
		return 0;
	return (int)COLOR_PAIR(role) | role_styles[role].attr;
}

/* Text in width columns at (y, x), cut or padded with spaces. */
void
tui_put(int y, int x, const char *text, int width, int right)
{
	size_t n;
	int cols;

	if (width <= 0)
		return;
	n = tui_text_fit(text, width, &cols);
	if (right && cols < width)
		mvprintw(y, x, "%*s", width - cols, "");
	else
		move(y, x);
	addnstr(text, (int)n);
	if (!right && cols < width)
		printw("%*s", width - cols, "");
}

/*
 * As tui_put, but text too wide ends before a sep (" " between words, "  "
 * between the header's fields), not inside: "78 s" of "78 sockets" or "up
 * to 4" of "up to 4m12s" would read as another number.
 */
void
tui_put_whole(int y, int x, const char *text, int width, const char *sep)
{
	char buf[512];
	size_t n, k, sl = strlen(sep);
	int cols;

	n = tui_text_fit(text, width, &cols);
	for (k = n; k > 0 && text[n] != '\0'; k--)
		if (strncmp(text + k, sep, sl) == 0)
			break;
	if (text[n] == '\0' || k == 0 || k >= sizeof buf) {
		tui_put(y, x, text, width, 0);
		return;
	}
	memcpy(buf, text, k);
	buf[k] = '\0';
	tui_put(y, x, buf, width, 0);
}

/*
 * As tui_put_whole between words, but a text cut says so: it ends in
 * ellipsis ("...holds" lost "5 of 4" and read as whole).
 */
void
tui_put_cut(int y, int x, const char *text, int width, const char *ellipsis)
{
	char buf[512];
	int ew = (int)format_text_width(ellipsis), cols;
	size_t n, k;

	if ((int)format_text_width(text) <= width || width <= ew) {
		tui_put(y, x, text, width, 0);
		return;
	}
	n = tui_text_fit(text, width - ew, &cols);
	for (k = n; k > 0 && text[k] != ' '; k--)
		;
	if (k == 0)		/* one word: cut inside it */
		k = n;
	if (k >= sizeof buf - 8)
		k = sizeof buf - 8;
	memcpy(buf, text, k);
	snprintf(buf + k, sizeof buf - k, "%s", ellipsis);
	tui_put(y, x, buf, width, 0);
}

/* A framed, blank box for a dialog. */
void
tui_box(struct tui *t, int y, int x, int h, int w)
{
	int i;

	attrset(A_NORMAL);
	for (i = 0; i < h; i++)
		tui_put(y + i, x, "", w, 0);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	(void)t;
}
