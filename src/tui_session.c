/*
 * tui_session.c - what the dashboard's screens and keys ask of the session
 * (tui_screen.h's struct tui): load a poll into the view, keeping the
 * selected and the explained finding; fetch what a socket on screen lacks;
 * follow the detail page's socket; messages, the clock and the next poll.
 * It calls no screen and no key handler, so that they can all call it.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nls.h"
#include "tui_curses.h"
#include "tui_screen.h"

#define BULK_INFO_MAX	5000	/* below, tcp_info of all sockets is cheap */

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof t->message, fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_MONOTONIC, &t->message_until);
	t->message_until.tv_sec += 3;
}

int
tui_can_kill(const struct tui *t)
{
	return t->cfg->core != NULL && t->cfg->core->kill != NULL &&
	    !t->cfg->readonly && t->cfg->npolls == 0;	/* not a recording */
}

double
tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
tui_schedule(struct tui *t, double from)
{
	double next = from + t->interval;

	t->next_poll.tv_sec = (time_t)next;
	t->next_poll.tv_nsec = (long)((next - (double)(time_t)next) * 1e9);
}

/*
 * The detail page follows its socket: rebuilt from each new poll. Returns
 * 0 when the socket is gone (the page is left as it was).
 */
int
tui_detail_refresh(struct tui *t)
{
	size_t i;

	if (t->screen != TUI_SCREEN_PAGE || t->page_kind != TUI_PAGE_DETAIL)
		return 1;
	for (i = 0; i < t->snap.n; i++)
		if (t->snap.socks[i].cookie == t->page_cookie)
			break;
	if (i == t->snap.n) {
		tui_message(t, "%s", _("this socket is gone"));
		return 0;
	}
	tui_lines_free(&t->page);
	tui_fetch_info(t, (long)i);
	tui_detail(&t->view, i, &t->page, COLS);
	t->page_state = t->snap.socks[i].state;
	return 1;
}

/*
 * tcp_info for every socket costs the kernel a quarter more per dump: ask
 * for it when sorting needs it, or when there are few sockets; otherwise
 * the rows on screen fetch theirs one by one.
 */
int
tui_want_bulk_info(const struct tui *t)
{
	enum tui_col col = t->view.sort_col[TUI_GROUP_SOCKETS];

	return t->cfg->lookup == NULL || t->snap.n <= BULK_INFO_MAX ||
	    (t->view.group == TUI_GROUP_SOCKETS &&
	    (tui_columns[col].flags & TUI_CF_INFO));
}

/*
 * Fetch what the poll lacks of one socket on screen, once per poll: its
 * tcp_info, and a carried one's queues and timer (pacing keeps those of
 * the last full poll, up to a few polls old).
 */
void
tui_fetch_info(struct tui *t, long sock)
{
	struct sock_info info;
	struct sock_rec now;
	int carried, wanted, found;

	if (sock < 0 || t->cfg->lookup == NULL || t->cfg->npolls > 0)
		return;
	carried = (t->snap.socks[sock].flags & SOCK_CARRIED) != 0;
	wanted = tui_sock_info_wanted(&t->view, (size_t)sock);
	if (!carried && !wanted)
		return;
	found = t->cfg->lookup(t->cfg->poll_arg, &t->snap.socks[sock], &now,
	    &info) == 0;
	if (carried)
		snapshot_refresh(&t->snap, (size_t)sock, found ? &now : NULL,
		    found && (now.flags & SOCK_HAS_INFO) ? &info : NULL);
	if (wanted)
		tui_sock_info_put(&t->view, (size_t)sock,
		    found && (now.flags & SOCK_HAS_INFO) ? &info : NULL);
}

/* A finding's identity across polls: its rule and subject ("" for none). */
static void
finding_key(const struct tui *t, long i, char *buf, size_t size)
{
	const struct tui_finding *f;

	buf[0] = '\0';
	if (i < 0 || (size_t)i >= t->nfindings)
		return;
	f = &t->findings[i];
	snprintf(buf, size, "%s\n%s", f->rule != NULL ? f->rule : "",
	    f->subject != NULL ? f->subject : "");
}

static long
finding_find(const struct tui *t, const char *key, long otherwise)
{
	char k[320];
	size_t i;

	for (i = 0; key[0] != '\0' && i < t->nfindings; i++) {
		finding_key(t, (long)i, k, sizeof k);
		if (strcmp(k, key) == 0)
			return (long)i;
	}
	return otherwise;
}

/* Ask the driver for the next poll (of the recording, or live). */
static int
ask_poll(struct tui *t, struct tui_ask *ask)
{
	ask->want_info = tui_want_bulk_info(t);
	ask->want_all = t->want_all;
	ask->interval = t->interval;
	return t->cfg->poll(t->cfg->poll_arg, ask, &t->snap);
}

/*
 * A recording taken again from an earlier poll than the next, or the same
 * (stepped back, played again): the driver rewinds its source and forgets
 * what the core remembers, and the polls before `which` go through the
 * view again, so that ages, findings, marks and sparklines are those the
 * way forward showed, not those of a first poll or of polls counted twice.
 */
static void
replay_rewind(struct tui *t, size_t which)
{
	struct tui_ask ask;
	size_t k;

	t->cfg->rewind(t->cfg->poll_arg);
	tui_view_restart(&t->view);
	for (k = 0; k < which && ask_poll(t, &ask); k++)
		tui_view_feed(&t->view, &t->snap);
}

/* Load a poll into the view; 0 when the source has no such poll. */
int
tui_load_poll(struct tui *t, size_t which)
{
	const struct tui_core *x = t->cfg->core;
	struct tui_ask ask;
	char sel_key[320], page_key[320];

	/*
	 * Findings come worst first, so the selected and the explained one
	 * may move: remember them before polling (a recording stepped back
	 * updates the findings while it polls).
	 */
	finding_key(t, (long)t->finding_sel, sel_key, sizeof sel_key);
	finding_key(t, t->page_finding, page_key, sizeof page_key);
	if (t->cfg->npolls > 0 && t->have_snap && which <= t->replay_pos)
		replay_rewind(t, which);
	if (!ask_poll(t, &ask))
		return 0;
	t->want_all = 0;
	t->bulk_info = ask.want_info;
	if (t->snap.over_budget && !t->told_over)
		tui_message(t, _("polling costs more than --cpu-budget even "
		    "with the bulk every %u polls: + polls less often"),
		    t->snap.bulk_every);
	t->told_over = t->snap.over_budget;
	t->have_snap = 1;
	t->replay_pos = which;
	tui_view_update(&t->view, &t->snap, 1);
	t->nfindings = 0;
	t->findings = NULL;
	if (x != NULL && x->findings != NULL)
		t->findings = x->findings(x->arg, &t->nfindings);
	t->finding_sel = (size_t)finding_find(t, sel_key, (long)t->finding_sel);
	if (t->page_finding >= 0)	/* LONG_MAX: gone, its text stays */
		t->page_finding = finding_find(t, page_key, LONG_MAX);
	if (t->finding_sel >= t->nfindings)
		t->finding_sel = t->nfindings > 0 ? t->nfindings - 1 : 0;
	if (t->nfindings == 0)
		t->focus_findings = 0;
	tui_detail_refresh(t);
	return 1;
}

/* p, or a filter on processes (tui_page.c): look the owners up or stop. */
void
tui_set_processes(struct tui *t, int on)
{
	const struct tui_core *x = t->cfg->core;

	if (x == NULL || x->process == NULL) {	/* dashboard.c: a recording */
		tui_message(t, "%s", _("a recording holds no processes: -p and "
		    "the process and pid filters need a live host, not "
		    "--replay"));
		return;
	}
	if (t->view.processes == on)
		return;
	t->view.processes = on;
	if (x->set_processes != NULL)
		x->set_processes(x->arg, on);
	tui_view_rebuild(&t->view);
}

/* Up and down in a dialog's list of n lines: 1 when key was one of them. */
int
tui_dialog_move(struct tui *t, int key, size_t n)
{
	if (key == KEY_UP) {
		if (t->dialog_sel > 0)
			t->dialog_sel--;
		return 1;
	}
	if (key == KEY_DOWN) {
		if (t->dialog_sel + 1 < n)
			t->dialog_sel++;
		return 1;
	}
	return 0;
}
