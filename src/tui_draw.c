/*
 * tui_draw.c - the main screen: the layout of the panels, and the
 * connection table. Colours and putting text are tui_paint.c's.
 *
 * Every frame is drawn into curses' virtual screen after erase(), and
 * refresh() sends the terminal only the characters that differ: a poll
 * that changes three rows costs three rows of output. clear(), which
 * repaints everything, is never used; frames are drawn only when a poll,
 * a key or a resize changed something.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "nls.h"
#include "tui_curses.h"
#include "tui_screen.h"

static void
draw_too_small(void)
{
	struct tui_lines l = { 0 };
	char text[256];
	size_t i;
	int y;

	snprintf(text, sizeof text, _("sockwatch needs a terminal of at least "
	    "%dx%d; this one is %dx%d. Enlarge it, or press q to quit."),
	    TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
	tui_lines_wrap(&l, text, COLS - 2, 0);
	y = (LINES - (int)l.n) / 2;
	for (i = 0; i < l.n; i++)
		if (y + (int)i >= 0 && y + (int)i < LINES)
			tui_put(y + (int)i, 1, l.v[i], COLS - 1, 0);
	tui_lines_free(&l);
}

static const char *
mark_char(const struct tui_view *v, size_t row)
{
	long sock;

	if (v->group != TUI_GROUP_SOCKETS)
		return " ";
	sock = tui_view_socket(v, row);
	if (sock < 0 || (size_t)sock >= v->marks_cap)
		return " ";
	switch (v->marks[sock]) {
	case TUI_MARK_NEW:
		return "+";
	case TUI_MARK_CHANGED:
		return "*";
	default:
		return " ";
	}
}

static int
state_role(const struct tui_view *v, size_t row)
{
	long sock = tui_view_socket(v, row);

	if (sock < 0)
		return TUI_ROLE_NORMAL;
	switch (v->snap->socks[sock].state) {
	case TS_CLOSE_WAIT:
	case TS_SYN_RECV:
		return TUI_ROLE_WARN;
	case TS_TIME_WAIT:
		return TUI_ROLE_DIM;
	default:
		return TUI_ROLE_NORMAL;
	}
}

/*
 * A cell too wide is marked where it was cut: an address keeps its end
 * (the port matters most), a name its start.
 */
static void
put_cell(int y, int x, const char *cell, int width, enum tui_col col)
{
	size_t len = strlen(cell);

	if ((tui_columns[col].flags & TUI_CF_ADDR) &&
	    (int)len > width && width > 1) {
		mvaddstr(y, x, "<");
		tui_put(y, x + 1, cell + len - (size_t)(width - 1), width - 1, 0);
		return;
	}
	if (!tui_cell_right(col) && width > 1 &&
	    (int)format_text_width(cell) > width) {
		tui_put(y, x, cell, width - 1, 0);
		mvaddstr(y, x + width - 1, ">");
		return;
	}
	tui_put(y, x, cell, width, tui_cell_right(col));
}

/*
 * A cell at x, cut by the right edge of the screen (more lies beyond): a
 * text shows its start, a number nothing, as a cut number reads as
 * another.
 */
static void
put_clipped(int y, int x, const char *cell, int width, enum tui_col col)
{
	if (x + width <= COLS)
		put_cell(y, x, cell, width, col);
	else if (x < COLS && !tui_cell_right(col))
		tui_put(y, x, cell, COLS - x, 0);
}

static void
draw_row(struct tui *t, int y, size_t row, const enum tui_col *cols,
    const int *widths, size_t ncols)
{
	struct tui_view *v = &t->view;
	int selected = row == v->sel, x = 1, attr;
	const char *mark = mark_char(v, row);
	char cell[160];
	size_t c;

	attr = tui_attr(t, selected ? TUI_ROLE_SELECT : TUI_ROLE_NORMAL);
	attrset(selected ? attr : tui_attr(t, *mark != ' ' ? TUI_ROLE_NEW :
	    TUI_ROLE_NORMAL));
	mvaddstr(y, 0, mark);
	for (c = 0; c < ncols && x < COLS; c++) {
		tui_cell(v, row, cols[c], cell, sizeof cell);
		attrset(attr);
		if (!selected && cols[c] == TUI_COL_STATE)
			attrset(tui_attr(t, state_role(v, row)));
		put_clipped(y, x, cell, widths[c], cols[c]);
		attrset(attr);
		if (x + widths[c] < COLS)
			mvaddch(y, x + widths[c], ' ');
		x += widths[c] + 1;
	}
	if (x < COLS)
		tui_put(y, x, "", COLS - x, 0);
	attrset(A_NORMAL);
}

/* The states of mask as the state bar names them: LISTEN/SYN_RECV. */
static void
state_names(uint32_t mask, char *buf, size_t size)
{
	const int *st;
	size_t n = 0;

	buf[0] = '\0';
	for (st = sock_state_order(); *st != 0 && n < size; st++)
		if (mask & TS_BIT(*st))
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
			    n > 0 ? "/" : "", sock_state_name(*st));
}

/*
 * The states of mask, or those it leaves out when that is shorter (all but
 * LISTEN/CLOSE); "" when it leaves out none.
 */
static void
states_text(uint32_t mask, char *buf, size_t size)
{
	const int *st;
	uint32_t all = 0;
	char names[160], others[192];

	for (st = sock_state_order(); *st != 0; st++)
		all |= TS_BIT(*st);
	buf[0] = '\0';
	if (mask == 0 || (mask & all) == all)
		return;
	state_names(mask, buf, size);
	state_names(all & ~mask, names, sizeof names);
	snprintf(others, sizeof others, _("all but %s"), names);
	if (format_text_width(others) < format_text_width(buf))
		snprintf(buf, size, "%s", others);
}

static void
watching_add(char *buf, size_t size, const char *part)
{
	size_t n = strlen(buf);

	if (part[0] == '\0' || n >= size)
		return;
	/* TRANSLATORS: between the parts of "watching only: IPv4, LISTEN,
	   sport = :80" (a family, states, a filter). */
	snprintf(buf + n, size - n, "%s%s", n > 0 ? _(", ") : "", part);
}

/*
 * What the source reads: a family, states, the command line's filter.
 * Only part of a filter the view applies too is the source's: it is
 * shown once the view's filter is no longer that one.
 */
static void
watching_text(const struct tui *t, char *buf, size_t size)
{
	const struct tui_config *c = t->cfg;
	const char *f = c->source_filter;
	char part[320];

	buf[0] = '\0';
	if (c->watch_family != 0)
		watching_add(buf, size, c->watch_family == AF_INET ? "IPv4" :
		    "IPv6");
	states_text(c->watch_states, part, sizeof part);
	watching_add(buf, size, part);
	if (f == NULL || f[0] == '\0')
		return;
	if (!c->source_filter_part)
		watching_add(buf, size, f);
	else if (strcmp(f, t->view.filter.text) != 0) {
		snprintf(part, sizeof part, _("part of %s"), f);
		watching_add(buf, size, part);
	}
}

static void
draw_view_line(struct tui *t, int y)
{
	const struct tui_view *v = &t->view;
	const struct tui_filter *f = &v->filter;
	char line[512], watching[384];
	int n;

	n = snprintf(line, sizeof line, ngettext("%s: %zu row, sorted by %s%s",
	    "%s: %zu rows, sorted by %s%s", v->nrows),
	    _(tui_group_name(v->group)), v->nrows,
	    tui_cell_title(v->sort_col[v->group]),
	    v->sort_invert ? _(" (inverted)") : "");
	if (f->group != TUI_GROUP_SOCKETS && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n,
		    _(", in %s %s"), _(tui_group_name(f->group)),
		    f->group_label);
	if (f->text[0] != '\0' && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n,
		    _(", filter: %s"), f->text);
	/* The state bar counts only what the source reads: say what it is. */
	watching_text(t, watching, sizeof watching);
	if (watching[0] != '\0' && n > 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n,
		    _(", watching only: %s"), watching);
	attrset(A_BOLD);
	tui_put(y, 0, line, COLS, 0);
	attrset(A_NORMAL);
}

/*
 * The titles; the sorted column's mark is inside its own cell (the layout
 * made room for it). "<" and ">" at the edges: columns lie beyond, which
 * the left and right arrows bring in.
 */
static void
draw_titles(struct tui *t, int y, const enum tui_col *cols,
    const int *widths, size_t ncols, int left)
{
	const struct tui_view *v = &t->view;
	char title[32];
	size_t c;
	int x = 1;

	attrset(tui_attr(t, TUI_ROLE_TITLE));
	tui_put(y, 0, left ? "<" : "", COLS, 0);
	for (c = 0; c < ncols && x < COLS; c++) {
		const char *name = tui_cell_title(cols[c]);

		snprintf(title, sizeof title, "%s%s", name,
		    cols[c] != v->sort_col[v->group] ? "" :
		    v->sort_invert ? "^" : "v");
		if (x + widths[c] <= COLS || !tui_cell_right(cols[c]))
			tui_put(y, x, title, x + widths[c] <= COLS ?
			    widths[c] : COLS - x, tui_cell_right(cols[c]));
		x += widths[c] + 1;
	}
	if (c < ncols || x - 1 > COLS)
		tui_put(y, COLS - 1, ">", 1, 0);
	attrset(A_NORMAL);
}

/*
 * The first column on screen: the one the arrows asked for, but no
 * further right than needed to show the last column whole.
 */
static size_t
first_column(struct tui *t, const int *widths, size_t ncols, int width)
{
	size_t last = ncols;
	int used = 0;

	while (last > 0 && used + widths[last - 1] + (used > 0) <= width)
		used += widths[--last] + (used > 0);
	if (t->hscroll > last)
		t->hscroll = last;
	return t->hscroll;
}

static void
draw_table(struct tui *t, int y, int height)
{
	struct tui_view *v = &t->view;
	enum tui_col cols[TUI_COL_COUNT];
	int widths[TUI_COL_COUNT], i;
	size_t ncols, row, first;

	draw_view_line(t, y);
	t->table_height = height - 2;
	tui_view_scroll(v, (size_t)t->table_height);
	ncols = tui_cell_layout(v, v->top, (size_t)t->table_height, cols,
	    widths);
	first = first_column(t, widths, ncols, COLS - 1);
	draw_titles(t, y + 1, cols + first, widths + first, ncols - first,
	    first > 0);
	if (v->nrows == 0) {
		tui_put(y + 2, 1, tui_filter_active(&v->filter) ?
		    _("No socket matches the filter.") :
		    t->have_snap ? _("No sockets.") : _("Reading sockets..."),
		    COLS - 1, 0);
		return;
	}
	for (i = 0; i < t->table_height; i++) {
		row = v->top + (size_t)i;
		if (row >= v->nrows)
			break;
		draw_row(t, y + 2 + i, row, cols + first, widths + first,
		    ncols - first);
	}
}

void
tui_draw(struct tui *t)
{
	int y;

	erase();
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		draw_too_small();
		refresh();
		return;
	}
	y = tui_draw_header(t, 0);
	if (t->screen == TUI_SCREEN_PAGE) {
		tui_page_draw(t);
	} else {
		y = tui_draw_states(t, y);
		y = tui_draw_findings(t, y, (LINES - y) / 3);
		draw_table(t, y, LINES - 1 - y);
	}
	tui_draw_footer(t);
	tui_dialog_draw(t);
	refresh();
}
