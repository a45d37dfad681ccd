/*
 * tui.c - the dashboard's session: the terminal, the main loop, signals
 * and the keys of the main screen.
 *
 * The loop sleeps in getch() until the next poll is due or a key comes,
 * and draws only after something happened. The terminal is given back on
 * every way out: q, SIGTERM/SIGINT/SIGHUP (then the signal is raised again
 * so the parent sees it), and fatal errors (through log_set_cleanup).
 * Resizing is curses' own SIGWINCH handling, which returns KEY_RESIZE.
 */
#include "config.h"

#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "nls.h"
#include "tui_curses.h"
#include <term.h>		/* tigetstr: after curses.h */
#include "tui_screen.h"

#define KEY_ESC		27
#define MAX_WAIT_MS	1000

static volatile sig_atomic_t tui_caught;
static int tui_started;


static void
tui_restore(void)
{
	if (tui_started && !isendwin())
		endwin();
	tui_started = 0;
}

static void
tui_on_signal(int sig)
{
	tui_caught = sig;
}

/* No SA_RESTART: getch() must return so the loop sees the signal. */
static void
signals_install(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int
tui_color_wanted(int no_color_option)
{
	const char *nc = getenv("NO_COLOR");

	return !no_color_option && (nc == NULL || *nc == '\0');
}

static void
screen_start(struct tui *t)
{
	const char *term = getenv("TERM");
	char *cup;

	if (newterm(NULL, stdout, stdin) == NULL)
		log_die(EXIT_FAILURE_JOB, _("cannot drive terminal type '%s': "
		    "set TERM, or use --batch"), term != NULL ? term : "");
	tui_started = 1;
	log_set_cleanup(tui_restore);
	/* Without cursor addressing (TERM=dumb) a frame is one line of mess. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1)
		log_die(EXIT_FAILURE_JOB, _("cannot drive terminal type '%s': "
		    "set TERM, or use --batch"), term != NULL ? term : "");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	tui_colors_init(t);
}

static double
ts_seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

/* Poll when it is time; returns 1 when the screen must be drawn again. */
static int
tick(struct tui *t)
{
	double now = tui_now();

	if (t->cfg->npolls == 0 && !t->paused && !t->bulk_info &&
	    tui_want_bulk_info(t))
		t->next_poll.tv_sec = 0;	/* sorting by rtt: poll now */
	if (now < ts_seconds(&t->next_poll))
		return 0;
	if (t->cfg->npolls > 0) {
		if (!t->playing)
			return 0;
		if (t->replay_pos + 1 >= t->cfg->npolls ||
		    !tui_load_poll(t, t->replay_pos + 1))
			t->playing = 0;
	} else if (!t->paused) {
		tui_load_poll(t, 0);
	} else {
		return 0;
	}
	tui_schedule(t, now);
	return 1;
}

static int
wait_ms(const struct tui *t)
{
	double left = MAX_WAIT_MS / 1000.0;
	int polling = t->cfg->npolls > 0 ? t->playing : !t->paused;

	if (polling)
		left = ts_seconds(&t->next_poll) - tui_now();
	if (t->message[0] != '\0') {
		double m = ts_seconds(&t->message_until) - tui_now();

		if (m > 0 && m < left)
			left = m;
	}
	if (left < 0)
		return 0;
	if (left > MAX_WAIT_MS / 1000.0)
		return MAX_WAIT_MS;
	return (int)(left * 1000) + 1;
}

/* After a resize: the open page again, wrapped to the new width. */
static void
page_rewrap(struct tui *t)
{
	const struct tui_finding *f = NULL;

	if (t->screen != TUI_SCREEN_PAGE)
		return;
	if (t->page_kind == TUI_PAGE_DETAIL) {
		tui_detail_refresh(t);
		return;
	}
	if (t->page_finding >= 0) {
		if ((size_t)t->page_finding >= t->nfindings)
			return;	/* the finding explained is gone */
		f = &t->findings[t->page_finding];
	}
	tui_lines_free(&t->page);
	if (t->page_kind == TUI_PAGE_HELP)
		tui_help(&t->page, COLS, tui_can_kill(t));
	else if (f != NULL)
		tui_explain_finding(f, &t->page, COLS);
	else
		tui_explain_state(t->page_state, &t->page, COLS);
	if (t->page_top >= t->page.n)
		t->page_top = t->page.n > 0 ? t->page.n - 1 : 0;
}

static void
dispatch(struct tui *t, int key)
{
	if (key == KEY_RESIZE) {
		page_rewrap(t);
		return;
	}
	/* Too small: the screen offers only q, whatever is open behind it. */
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		if (key == 'q' || key == 'Q' || key == KEY_F(10))
			t->quit = 1;
		return;
	}
	if (t->dialog != TUI_DIALOG_NONE)
		tui_dialog_key(t, key);
	else if (t->prompt != TUI_PROMPT_NONE)
		tui_prompt_key(t, key);
	else if (t->screen == TUI_SCREEN_PAGE && (key == 'e' &&
	    t->page_kind == TUI_PAGE_DETAIL)) {
		/* Esc comes back to this detail (tui_page.c). */
		snprintf(t->back_title, sizeof t->back_title, "%s",
		    t->page_title);
		t->back_top = t->page_top;
		t->back_to_detail = 1;
		tui_lines_free(&t->page);
		tui_explain_state(t->page_state, &t->page, COLS);
		t->page_kind = TUI_PAGE_EXPLAIN;
		t->page_finding = -1;
		tui_page_open(t, _("Explanation"));
	} else if (t->screen == TUI_SCREEN_PAGE) {
		if (!tui_page_key(t, key) && (key == 'Q' || key == KEY_F(10)))
			t->quit = 1;
	} else {
		tui_keys_main(t, key);
	}
}

/* The rows of the sockets table that the last frame showed, if any. */
static void
shown_rows(const struct tui *t, size_t *top, size_t *n)
{
	*top = t->view.top;
	*n = 0;
	if (t->screen == TUI_SCREEN_MAIN && t->view.group == TUI_GROUP_SOCKETS &&
	    t->table_height > 0)
		*n = (size_t)t->table_height;
}

/*
 * A frame: what its rows lack is fetched first (drawing reads only), for
 * the rows the last frame showed, scrolled to the selection. When the
 * drawing moved the table or made it taller (a findings panel that
 * changed size), the rows it shows now are fetched and drawn again.
 */
void
tui_frame(struct tui *t)
{
	size_t top, n, now_top, now_n, i;
	int k;

	for (k = 0; k < 2; k++) {
		shown_rows(t, &top, &n);
		if (n > 0) {
			tui_view_scroll(&t->view, n);
			top = t->view.top;
		}
		for (i = 0; i < n && top + i < t->view.nrows; i++)
			tui_fetch_info(t, tui_view_socket(&t->view, top + i));
		tui_draw(t);
		shown_rows(t, &now_top, &now_n);
		if (now_n == 0 || (now_top >= top && now_top + now_n <= top + n))
			return;
	}
}

static void
loop(struct tui *t)
{
	int key, dirty = 1;

	while (!t->quit && tui_caught == 0) {
		if (tick(t))
			dirty = 1;
		if (dirty)
			tui_frame(t);
		dirty = 0;
		timeout(wait_ms(t));
		key = getch();
		if (key == ERR) {
			if (t->message[0] != '\0' && tui_now() >=
			    ts_seconds(&t->message_until)) {
				t->message[0] = '\0';
				dirty = 1;
			}
			continue;
		}
		dispatch(t, key);
		dirty = 1;
	}
}

int
tui_run(const struct tui_config *cfg)
{
	struct tui t;
	int sig;

	memset(&t, 0, sizeof t);
	t.cfg = cfg;
	t.interval = cfg->interval;
	t.color = cfg->color;
	snapshot_init(&t.snap);
	tui_view_init(&t.view, cfg->core);
	t.view.processes = cfg->processes;
	if (cfg->filter_text != NULL) {
		char *cause = NULL;

		/* The command line parsed it already: it cannot fail here. */
		if (tui_filter_compile(&t.view.filter, cfg->filter_text,
		    &cause) < 0)
			fatal("filter: %s", cause);
	}
	if (cfg->processes && cfg->core != NULL &&
	    cfg->core->set_processes != NULL)
		cfg->core->set_processes(cfg->core->arg, 1);
	signals_install();
	screen_start(&t);
	tui_draw(&t);
	tui_load_poll(&t, 0);
	tui_schedule(&t, tui_now());
	loop(&t);
	tui_restore();
	tui_lines_free(&t.page);
	free(t.kill_idx);
	tui_view_free(&t.view);
	snapshot_free(&t.snap);
	if ((sig = tui_caught) != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return EXIT_OK;
}
