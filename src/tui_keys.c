/*
 * tui_keys.c - what each key of the main screen does, with htop's habits:
 * F1 help, / search, \ filter, F6 sort, Enter detail, F9 kill, F10 quit.
 *
 * The kill key exists only when a kill function was plugged in and
 * --readonly was not given: a key that can only say "no" is noise.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "nls.h"
#include "tui_bindings.h"
#include "tui_curses.h"
#include "tui_screen.h"

#define KEY_ESC		27

static const double intervals[] = {
	0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60, 300,
};
#define NINTERVALS (sizeof intervals / sizeof intervals[0])

static void
open_help(struct tui *t)
{
	tui_lines_free(&t->page);
	tui_help(&t->page, COLS, tui_can_kill(t));
	t->page_kind = TUI_PAGE_HELP;
	tui_page_open(t, _("Help"));
}

static void
open_detail(struct tui *t, long sock)
{
	const struct sock_rec *s = &t->snap.socks[sock];
	char l[ADDR_STRLEN], p[ADDR_STRLEN], title[160];

	format_addr(l, sizeof l, s->family, s->src, s->sport);
	format_addr(p, sizeof p, s->family, s->dst, s->dport);
	snprintf(title, sizeof title, _("Socket %s -> %s"), l, p);
	tui_lines_free(&t->page);
	tui_fetch_info(t, sock);
	tui_detail(&t->view, (size_t)sock, &t->page, COLS);
	t->page_kind = TUI_PAGE_DETAIL;
	t->page_cookie = s->cookie;
	t->page_state = s->state;
	tui_page_open(t, title);
}

static void
explain(struct tui *t)
{
	const struct tui_view *v = &t->view;
	long sock;
	int state;

	t->page_finding = -1;
	if (t->focus_findings && t->finding_sel < t->nfindings) {
		tui_lines_free(&t->page);
		tui_explain_finding(&t->findings[t->finding_sel], &t->page, COLS);
		t->page_finding = (long)t->finding_sel;
	} else {
		if (tui_modes[v->group].state != 0)
			state = tui_modes[v->group].state;
		else if (v->group == TUI_GROUP_SOCKETS &&
		    (sock = tui_view_socket(v, v->sel)) >= 0)
			state = t->snap.socks[sock].state;
		else {
			tui_message(t, "%s", _("select a socket or a finding to "
			    "explain"));
			return;
		}
		tui_lines_free(&t->page);
		tui_explain_state(state, &t->page, COLS);
	}
	t->page_kind = TUI_PAGE_EXPLAIN;
	tui_page_open(t, _("Explanation"));
}

static void
enter(struct tui *t)
{
	struct tui_view *v = &t->view;
	long sock;

	if (t->focus_findings) {
		explain(t);
	} else if (v->group != TUI_GROUP_SOCKETS) {
		tui_view_drill(v);
	} else if ((sock = tui_view_socket(v, v->sel)) >= 0) {
		open_detail(t, sock);
	}
}

static void
start_prompt(struct tui *t, enum tui_prompt p)
{
	t->prompt = p;
	if (p == TUI_PROMPT_FILTER)
		snprintf(t->input, sizeof t->input, "%s", t->view.filter.text);
	else
		t->input[0] = '\0';
	curs_set(1);
}

/* k or K where nothing can be destroyed: say why rather than nothing. */
static void
kill_refused(struct tui *t)
{
	const struct tui_core *x = t->cfg->core;

	if (t->cfg->readonly)
		tui_message(t, "%s", _("--readonly: sockets are not destroyed "
		    "(run without --readonly to kill)"));
	else if (t->cfg->npolls > 0)
		tui_message(t, "%s", _("a recording cannot destroy sockets: "
		    "k and K work on a live host"));
	else if (x == NULL || x->kill == NULL)
		tui_message(t, "%s", _("destroying sockets is not available "
		    "here"));
}

/* Nothing to destroy: on a listener, say where the listener goes. */
static void
kill_nothing(struct tui *t, size_t listeners)
{
	if (listeners > 0 || t->view.group == TUI_GROUP_LISTENERS)
		tui_message(t, "%s", _("no connections to destroy; a listening "
		    "socket is destroyed alone: k on its LISTEN row in the "
		    "sockets view (g)"));
	else
		tui_message(t, "%s", _("nothing to destroy here"));
}

/*
 * k: the selected row; a group row means its connections, never a
 * listener. K: every connection the filter shows.
 */
static void
start_kill(struct tui *t, int all_filtered)
{
	size_t listeners = 0;

	if (!tui_can_kill(t)) {
		kill_refused(t);
		return;
	}
	free(t->kill_idx);
	if (all_filtered) {
		t->kill_idx = tui_view_filtered_sockets(&t->view, &t->kill_n,
		    &listeners);
		if (t->kill_idx == NULL) {
			tui_message(t, "%s", _("K destroys what the filter shows: "
			    "set a filter with \\ first"));
			return;
		}
	} else
		t->kill_idx = tui_view_row_sockets(&t->view, t->view.sel,
		    &t->kill_n);
	if (t->kill_n == 0) {
		free(t->kill_idx);
		t->kill_idx = NULL;
		kill_nothing(t, listeners);
		return;
	}
	t->dialog = TUI_DIALOG_KILL;
}

static void
start_sort(struct tui *t)
{
	enum tui_col cols[TUI_COL_COUNT];
	size_t n, i;

	n = tui_sort_columns(&t->view, cols);
	for (i = 0; i < n && cols[i] != t->view.sort_col[t->view.group]; i++)
		;
	t->dialog_sel = i < n ? i : 0;
	t->dialog = TUI_DIALOG_SORT;
}

/* The next step of the table up (+) or down (-); -i may be off the table. */
static void
change_interval(struct tui *t, int dir)
{
	size_t i;

	if (dir > 0) {
		for (i = 0; i < NINTERVALS; i++)
			if (intervals[i] > t->interval) {
				t->interval = intervals[i];
				break;
			}
	} else {
		for (i = NINTERVALS; i-- > 0; )
			if (intervals[i] < t->interval) {
				t->interval = intervals[i];
				break;
			}
	}
	tui_schedule(t, tui_now());
	tui_message(t, _("polling every %gs"), t->interval);
}

static void
pause_or_play(struct tui *t)
{
	if (t->cfg->npolls == 0) {
		t->paused = !t->paused;
		return;
	}
	t->playing = !t->playing;
	if (t->playing && t->replay_pos + 1 >= t->cfg->npolls)
		tui_load_poll(t, 0);	/* at the end: play from the start */
	tui_schedule(t, tui_now());
}

static void
step(struct tui *t, int dir)
{
	if (t->cfg->npolls == 0) {
		tui_message(t, "%s", _("[ and ] step through a recording "
		    "(--replay)"));
		return;
	}
	t->playing = 0;
	if (dir < 0 && t->replay_pos > 0)
		tui_load_poll(t, t->replay_pos - 1);
	else if (dir > 0 && t->replay_pos + 1 < t->cfg->npolls)
		tui_load_poll(t, t->replay_pos + 1);
}

static void
move_findings(struct tui *t, long delta)
{
	long sel = (long)t->finding_sel + delta;

	if (sel >= (long)t->nfindings)
		sel = (long)t->nfindings - 1;
	if (sel < 0)
		sel = 0;
	t->finding_sel = (size_t)sel;
}

/* Arrows, pages, Home and End move in the table or the findings. */
static int
key_move(struct tui *t, int key)
{
	long page = t->table_height > 1 ? t->table_height - 1 : 1, d;

	switch (key) {
	case KEY_UP:
		d = -1;
		break;
	case KEY_DOWN:
		d = 1;
		break;
	case KEY_PPAGE:
		d = -page;
		break;
	case KEY_NPAGE:
		d = page;
		break;
	case KEY_HOME:
		d = -(long)(t->view.nrows + t->nfindings);
		break;
	case KEY_END:
		d = (long)(t->view.nrows + t->nfindings);
		break;
	default:
		return 0;
	}
	if (t->focus_findings)
		move_findings(t, d);
	else
		tui_view_move(&t->view, d);
	return 1;
}

static void
search_again(struct tui *t, int dir)
{
	if (t->search[0] == '\0')
		start_prompt(t, TUI_PROMPT_SEARCH);
	else if (!tui_view_search(&t->view, t->search, dir))
		tui_message(t, _("no row contains '%s'"), t->search);
}

static void
back(struct tui *t)
{
	if (t->focus_findings)
		t->focus_findings = 0;
	else if (t->view.filter.group != TUI_GROUP_SOCKETS)
		tui_view_undrill(&t->view);
}

static void
toggle_findings(struct tui *t)
{
	if (t->nfindings == 0 && !t->focus_findings) {
		tui_message(t, "%s", _("no anomalies right now"));
		return;
	}
	t->focus_findings = !t->focus_findings;
}

static void
next_view(struct tui *t)
{
	struct tui_view *v = &t->view;

	tui_view_set_group(v, (enum tui_group)((v->group + 1) %
	    TUI_GROUP_COUNT));
	if (tui_modes[v->group].owners && !v->processes &&
	    t->cfg->core != NULL && t->cfg->core->process != NULL)
		tui_message(t, "%s", _("p looks up the processes that "
		    "own the sockets"));
}

static void
sort_key(struct tui *t, int key)
{
	if (key == KEY_F(6))
		start_sort(t);
	else
		tui_view_sort_next(&t->view, key == '>' ? 1 : -1);
}

/* Left and right: a column at a time; tui_draw.c stops at the last. */
static void
scroll_sideways(struct tui *t, int dir)
{
	if (dir < 0 && t->hscroll > 0)
		t->hscroll--;
	else if (dir > 0)
		t->hscroll++;
}

static void
search_key(struct tui *t, int key)
{
	if (key == '/')
		start_prompt(t, TUI_PROMPT_SEARCH);
	else
		search_again(t, key == 'N' ? -1 : 1);
}

/* What each action of the key table (tui_bindings.c) does. */
static void
act(struct tui *t, enum tui_action a, int key)
{
	switch (a) {
	case TUI_ACT_HELP:
		open_help(t);
		break;
	case TUI_ACT_SEARCH:
		search_key(t, key);
		break;
	case TUI_ACT_FILTER:
		start_prompt(t, TUI_PROMPT_FILTER);
		break;
	case TUI_ACT_SETUP:
		tui_setup_open(t);
		break;
	case TUI_ACT_SCROLL:
		scroll_sideways(t, key == KEY_RIGHT ? 1 : -1);
		break;
	case TUI_ACT_SORT:
		sort_key(t, key);
		break;
	case TUI_ACT_INVERT:
		t->view.sort_invert = !t->view.sort_invert;
		tui_view_rebuild(&t->view);
		break;
	case TUI_ACT_ENTER:
		enter(t);
		break;
	case TUI_ACT_BACK:
		back(t);
		break;
	case TUI_ACT_VIEW:
		next_view(t);
		break;
	case TUI_ACT_EXPLAIN:
		explain(t);
		break;
	case TUI_ACT_FINDINGS:
		toggle_findings(t);
		break;
	case TUI_ACT_PAUSE:
		pause_or_play(t);
		break;
	case TUI_ACT_STEP:
		step(t, key == ']' ? 1 : -1);
		break;
	case TUI_ACT_INTERVAL:
		change_interval(t, key == '+' ? 1 : -1);
		break;
	case TUI_ACT_PROCESSES:
		tui_set_processes(t, !t->view.processes);
		break;
	case TUI_ACT_MOVE:
		key_move(t, key);
		break;
	case TUI_ACT_QUIT:
		t->quit = 1;
		break;
	case TUI_ACT_KILL:
	case TUI_ACT_KILL_FILTERED:
		start_kill(t, a == TUI_ACT_KILL_FILTERED);
		break;
	}
}

/* The name the key table knows a key by, or NULL. */
static const char *
binding_name(int key, char *buf, size_t size)
{
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return "Enter";
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return "Backspace";
	case KEY_ESC:
		return "Esc";
	case ' ':
		return "space";
	case KEY_UP:
		return "Up";
	case KEY_DOWN:
		return "Down";
	case KEY_PPAGE:
		return "PgUp";
	case KEY_NPAGE:
		return "PgDn";
	case KEY_HOME:
		return "Home";
	case KEY_END:
		return "End";
	case KEY_LEFT:
		return "Left";
	case KEY_RIGHT:
		return "Right";
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, size, "F%d", key - KEY_F0);
	else if (key > ' ' && key < 127)
		snprintf(buf, size, "%c", key);
	else
		return NULL;
	return buf;
}

void
tui_keys_main(struct tui *t, int key)
{
	const struct tui_binding *b;
	const char *name;
	char buf[8];

	if ((name = binding_name(key, buf, sizeof buf)) != NULL &&
	    (b = tui_binding_find(name)) != NULL)
		act(t, b->action, key);
}
