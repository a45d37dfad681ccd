/*
 * tui_page.c - what takes over part of the screen for a moment: pages of
 * text (help, detail, explanation), the dialogs (sort column, kill
 * confirmation; F2's is tui_setup.c's) and the prompt line (search,
 * filter).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "format.h"
#include "nls.h"
#include "tui_curses.h"
#include "tui_screen.h"

#define KEY_ESC		27
#define DIALOG_SHOWN	6	/* sockets listed in the kill dialog */

/* Show t->page (filled by the caller) instead of the main screen. */
void
tui_page_open(struct tui *t, const char *title)
{
	snprintf(t->page_title, sizeof t->page_title, "%s", title);
	t->page_top = 0;
	t->screen = TUI_SCREEN_PAGE;
}

static int
page_height(void)
{
	return LINES - 3;	/* header, title, footer */
}

void
tui_page_draw(struct tui *t)
{
	int i, h = page_height();

	attrset(tui_attr(t, TUI_ROLE_TITLE));
	tui_put(1, 0, t->page_title, COLS, 0);
	attrset(A_NORMAL);
	for (i = 0; i < h && t->page_top + (size_t)i < t->page.n; i++)
		tui_put(2 + i, 0, t->page.v[t->page_top + (size_t)i], COLS, 0);
}

/* Back to the detail an explanation was opened from, or to the table. */
static void
page_close(struct tui *t)
{
	if (t->back_to_detail) {
		t->back_to_detail = 0;
		t->page_kind = TUI_PAGE_DETAIL;
		if (tui_detail_refresh(t)) {
			snprintf(t->page_title, sizeof t->page_title, "%s",
			    t->back_title);
			t->page_top = t->back_top;
			return;
		}
	}
	tui_lines_free(&t->page);
	t->screen = TUI_SCREEN_MAIN;
}

/* Scroll, or go back; returns 0 for keys a page does not take. */
int
tui_page_key(struct tui *t, int key)
{
	size_t h = (size_t)page_height(), last;

	last = t->page.n > h ? t->page.n - h : 0;
	switch (key) {
	case KEY_UP:
		if (t->page_top > 0)
			t->page_top--;
		break;
	case KEY_DOWN:
		if (t->page_top < last)
			t->page_top++;
		break;
	case KEY_PPAGE:
		t->page_top = t->page_top > h ? t->page_top - h : 0;
		break;
	case KEY_NPAGE:
	case ' ':
		t->page_top = t->page_top + h < last ? t->page_top + h : last;
		break;
	case KEY_HOME:
		t->page_top = 0;
		break;
	case KEY_END:
		t->page_top = last;
		break;
	case KEY_ESC:
	case 'q':
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_F(1):
	case '?':
	case KEY_LEFT:
	case KEY_BACKSPACE:
		page_close(t);
		break;
	default:
		return 0;
	}
	return 1;
}

static void
sort_dialog_draw(struct tui *t)
{
	enum tui_col cols[TUI_COL_COUNT];
	size_t n, i;
	int h, w = 24, y, x;

	n = tui_sort_columns(&t->view, cols);
	h = (int)n + 3;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_box(t, y, x, h, w);
	attrset(A_BOLD);
	tui_put(y + 1, x + 2, _("Sort by"), w - 4, 0);
	for (i = 0; i < n; i++) {
		attrset(tui_attr(t, i == t->dialog_sel ? TUI_ROLE_SELECT :
		    TUI_ROLE_NORMAL));
		tui_put(y + 2 + (int)i, x + 2, tui_cell_title(cols[i]), w - 4, 0);
	}
	attrset(A_NORMAL);
}

static void
kill_line(struct tui *t, char *buf, size_t size, uint32_t i)
{
	const struct sock_rec *s = &t->snap.socks[i];
	const struct tui_core *x = t->cfg->core;
	char l[ADDR_STRLEN], p[ADDR_STRLEN], name[64] = "";
	const char *proc = NULL;
	int pid = 0;

	format_addr(l, sizeof l, s->family, s->src, s->sport);
	format_addr(p, sizeof p, s->family, s->dst, s->dport);
	if (x != NULL && x->process != NULL)
		proc = x->process(x->arg, &t->snap, i, &pid);
	if (proc != NULL)
		format_sanitize(name, sizeof name, proc);
	if (pid > 0)
		snprintf(buf, size, "%-11s %s -> %s  pid %d (%s)",
		    sock_state_name(s->state), l, p, pid, name);
	else
		snprintf(buf, size, "%-11s %s -> %s", sock_state_name(s->state),
		    l, p);
}

static int
kill_has_listener(const struct tui *t)
{
	size_t i;

	for (i = 0; i < t->kill_n; i++)
		if (t->snap.socks[t->kill_idx[i]].state == TS_LISTEN)
			return 1;
	return 0;
}

static void
kill_dialog_draw(struct tui *t)
{
	struct tui_lines text = { 0 };
	char line[256];
	size_t i, shown = t->kill_n < DIALOG_SHOWN ? t->kill_n : DIALOG_SHOWN;
	int w = COLS - 8 < 96 ? COLS - 8 : 96, h, y, x, row;

	tui_lines_wrap(&text, _("The kernel aborts each connection, "
	    "as close() with SO_LINGER 0 would: the peer "
	    "receives a RST and the owning process gets an error on its next "
	    "call."), w - 4, 0);
	if (kill_has_listener(t))
		tui_lines_wrap(&text, _("A listening socket stops accepting: "
		    "its service takes no new connections on that port until "
		    "it listens again (a restart)."), w - 4, 0);
	h = (int)shown + (int)text.n + 6 + (t->kill_n > shown);
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	tui_box(t, y, x, h, w);
	if (t->kill_n == 1 && kill_has_listener(t))	/* not a connection */
		snprintf(line, sizeof line, "%s",
		    _("Destroy this listening socket?"));
	else
		snprintf(line, sizeof line, ngettext("Destroy %zu connection?",
		    "Destroy %zu connections?", t->kill_n), t->kill_n);
	attrset(tui_attr(t, TUI_ROLE_CRIT));
	tui_put(y + 1, x + 2, line, w - 4, 0);
	attrset(A_NORMAL);
	row = y + 2;
	for (i = 0; i < shown; i++) {
		kill_line(t, line, sizeof line, t->kill_idx[i]);
		tui_put(row++, x + 4, line, w - 6, 0);
	}
	if (t->kill_n > shown) {
		snprintf(line, sizeof line, _("... and %zu more"),
		    t->kill_n - shown);
		tui_put(row++, x + 4, line, w - 6, 0);
	}
	row++;
	for (i = 0; i < text.n; i++)
		tui_put(row++, x + 2, text.v[i], w - 4, 0);
	attrset(A_BOLD);
	tui_put(row + 0, x + 2, ngettext("y: destroy    n or Esc: keep it",
	    "y: destroy    n or Esc: keep them", t->kill_n), w - 4, 0);
	attrset(A_NORMAL);
	tui_lines_free(&text);
}

void
tui_dialog_draw(struct tui *t)
{
	if (t->dialog == TUI_DIALOG_SORT)
		sort_dialog_draw(t);
	else if (t->dialog == TUI_DIALOG_SETUP)
		tui_setup_draw(t);
	else if (t->dialog == TUI_DIALOG_KILL)
		kill_dialog_draw(t);
}

static void
kill_confirmed(struct tui *t)
{
	const struct tui_core *x = t->cfg->core;
	char *cause = NULL;
	int done;

	done = x->kill(x->arg, &t->snap, t->kill_idx, t->kill_n, &cause);
	if (cause != NULL)
		tui_message(t, _("destroyed %d of %zu: %s"), done, t->kill_n,
		    cause);
	else
		tui_message(t, _("destroyed %d of %zu"), done, t->kill_n);
	free(cause);
	t->want_all = 1;
	if (t->paused)	/* the rows destroyed must not stay until resumed */
		tui_load_poll(t, 0);
	else
		t->next_poll.tv_sec = 0;	/* show what is left at once */
}

static void
dialog_close(struct tui *t)
{
	t->dialog = TUI_DIALOG_NONE;
	free(t->kill_idx);
	t->kill_idx = NULL;
	t->kill_n = 0;
}

/* Keys while a dialog is open: it takes them all. */
int
tui_dialog_key(struct tui *t, int key)
{
	enum tui_col cols[TUI_COL_COUNT];
	size_t n = tui_sort_columns(&t->view, cols);

	if (t->dialog == TUI_DIALOG_SETUP)
		return tui_setup_key(t, key);
	if (t->dialog == TUI_DIALOG_KILL) {
		if (key == 'y' || key == 'Y')
			kill_confirmed(t);
		if (key == 'y' || key == 'Y' || key == 'n' || key == 'N' ||
		    key == KEY_ESC || key == 'q')
			dialog_close(t);
		return 1;
	}
	if (tui_dialog_move(t, key, n))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		t->view.sort_col[t->view.group] = cols[t->dialog_sel];
		tui_view_rebuild(&t->view);
		dialog_close(t);
		break;
	case KEY_ESC:
	case 'q':
	case KEY_F(6):
		dialog_close(t);
		break;
	}
	return 1;
}

static void
input_backspace(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && ((unsigned char)s[n - 1] & 0xc0) == 0x80)
		n--;	/* continuation bytes of a UTF-8 character */
	if (n > 0)
		n--;
	s[n] = '\0';
}

static void
prompt_accept(struct tui *t)
{
	char *cause = NULL;

	if (t->prompt == TUI_PROMPT_SEARCH) {
		snprintf(t->search, sizeof t->search, "%s", t->input);
		/* Said while typing; the prompt gone, say it again. */
		if (t->input[0] != '\0' &&
		    !tui_view_search(&t->view, t->input, 0))
			tui_message(t, _("no row contains '%s'"), t->input);
	} else if (tui_filter_compile(&t->view.filter, t->input, &cause) < 0) {
		/* The prompt stays, with the text to correct; Esc leaves. */
		tui_message(t, "%s", cause);
		free(cause);
		return;
	} else {
		/* As on the command line, process and pid terms imply p. */
		if ((filter_needs(t->view.filter.expr) & FILTER_NEEDS_PROCS) &&
		    !t->view.processes) {
			tui_set_processes(t, 1);
			if (t->view.processes)	/* not on a recording */
				t->next_poll.tv_sec = 0;  /* owners at once */
		}
		t->view.sel = t->view.top = 0;
		tui_view_rebuild(&t->view);
	}
	t->prompt = TUI_PROMPT_NONE;
	curs_set(0);
}

/* Keys while the prompt line is open: it takes them all. */
int
tui_prompt_key(struct tui *t, int key)
{
	size_t n = strlen(t->input);

	t->message[0] = '\0';	/* what it said was about the text before */
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		prompt_accept(t);
		return 1;
	case KEY_ESC:
		t->prompt = TUI_PROMPT_NONE;
		curs_set(0);
		return 1;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		input_backspace(t->input);
		break;
	case 21:	/* ^U, as in a shell: start again */
		t->input[0] = '\0';
		break;
	default:
		if (key < 32 || key > 255 || key == 127 ||
		    n + 1 >= sizeof t->input)
			return 1;
		t->input[n] = (char)key;
		t->input[n + 1] = '\0';
		break;
	}
	if (t->prompt == TUI_PROMPT_SEARCH && t->input[0] != '\0' &&
	    !tui_view_search(&t->view, t->input, 0))
		tui_message(t, _("no row contains '%s'"), t->input);
	return 1;
}
