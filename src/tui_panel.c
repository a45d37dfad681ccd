/*
 * tui_panel.c - the fixed parts of the main screen: the header line, the
 * state bar with its sparklines, the anomalies panel and the footer of
 * keys (or the prompt, or a message).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "nls.h"
#include "tui_curses.h"
#include "tui_screen.h"

/* The states whose recent history tells most about trouble. */
static const int spark_states[] = {
	TS_SYN_RECV, TS_ESTABLISHED, TS_CLOSE_WAIT, TS_TIME_WAIT,
};

static int
header_mode(const struct tui *t, char *buf, size_t size)
{
	if (t->cfg->npolls > 0)
		return snprintf(buf, size, _("REPLAY %zu/%zu %s"),
		    t->replay_pos + 1, t->cfg->npolls,
		    t->playing ? _("playing") : _("stopped"));
	if (t->paused)
		return snprintf(buf, size, "%s", _("PAUSED"));
	return snprintf(buf, size, "%s", "");
}

int
tui_draw_header(struct tui *t, int y)
{
	const struct snapshot *s = &t->snap;
	char line[512], when[16] = "--:--:--", mode[64], host[128], ns[96];
	struct tm tm;
	int m;

	if (t->have_snap && localtime_r(&s->when.tv_sec, &tm) != NULL)
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	format_sanitize(host, sizeof host, s->host);
	format_sanitize(ns, sizeof ns, s->netns[0] != '\0' ? s->netns : "-");
	if (t->have_snap && s->bulk_every > 1)	/* pace.h: within the budget */
		snprintf(line, sizeof line, _(" sockwatch  %s  netns %s  %s  "
		    "every %gs, bulk %gs  %llu sockets"), host, ns, when,
		    t->interval, t->interval * s->bulk_every,
		    (unsigned long long)t->view.groups.total);
	else
		snprintf(line, sizeof line, _(" sockwatch  %s  netns %s  %s  "
		    "every %gs  %llu sockets"), host, ns, when, t->interval,
		    (unsigned long long)t->view.groups.total);
	m = header_mode(t, mode, sizeof mode);
	attrset(tui_attr(t, TUI_ROLE_HEADER));
	tui_put(y, 0, "", COLS, 0);
	if (m > 0 && m + 2 < COLS) {	/* the mode matters more than the rest */
		tui_put_whole(y, 0, line, COLS - m - 2, "  ");
		attron(A_BOLD);
		tui_put(y, COLS - m - 1, mode, m, 0);
	} else {
		tui_put_whole(y, 0, line, COLS, "  ");
	}
	attrset(A_NORMAL);
	return y + 1;
}

/* "LISTEN 26": the columns of one state's count. */
static int
count_width(const struct tui *t, int st)
{
	char count[24];

	return (int)strlen(sock_state_name(st)) + 1 + snprintf(count,
	    sizeof count, "%llu", (unsigned long long)t->view.groups.states[st]);
}

/*
 * How many counts go on a line: all when they fit, else as evenly as the
 * fewest lines allow, so that no line holds one state alone ("CLOSE 0").
 */
static int
counts_per_line(const struct tui *t, const int *order, int n)
{
	int lines, per, i, x;

	for (lines = 1; lines < n; lines++) {
		per = (n + lines - 1) / lines;
		for (i = 0, x = 0; i < n; i++) {
			if (i % per == 0)
				x = 0;
			x += (x > 0 ? 2 : 0) + count_width(t, order[i]);
			if (x > COLS)
				break;
		}
		if (i == n)
			return per;
	}
	return 1;
}

static int
draw_counts(struct tui *t, int y)
{
	const int *order = sock_state_order();
	char count[24];
	int n, per, i, x = 0, len, nlen;

	for (n = 0; order[n] != 0; n++)
		;
	per = counts_per_line(t, order, n);
	for (i = 0; i < n; i++) {
		const char *name = sock_state_name(order[i]);
		uint64_t c = t->view.groups.states[order[i]];

		if (i > 0 && i % per == 0) {
			y++;
			x = 0;
		}
		nlen = (int)strlen(name);
		len = snprintf(count, sizeof count, "%llu",
		    (unsigned long long)c);
		attrset(A_NORMAL);
		tui_put(y, x, name, nlen, 0);
		attrset(c > 0 ? A_BOLD : A_NORMAL);
		tui_put(y, x + nlen + 1, count, len, 0);
		x += nlen + 1 + len + 2;
	}
	attrset(A_NORMAL);
	return y + 1;
}

int
tui_draw_states(struct tui *t, int y)
{
	char spark[TUI_TREND * 4], label[48];
	int k, cellw = COLS / 2, sw;

	y = draw_counts(t, y);
	for (k = 0; k < 4; k++) {
		int sy = y + k / 2, sx = (k % 2) * cellw, st = spark_states[k];

		snprintf(label, sizeof label, _("max %u"),
		    tui_trend_max(&t->view.trend, st, TUI_TREND));
		tui_put(sy, sx, sock_state_name(st), 12, 0);
		sw = cellw - 12 - 12;
		tui_trend_sparkline(&t->view.trend, st, (size_t)sw,
		    t->utf8, spark, sizeof spark);
		attrset(tui_attr(t, TUI_ROLE_SPARK));
		tui_put(sy, sx + 12, spark, sw, 0);
		attrset(A_NORMAL);
		tui_put(sy, sx + 12 + sw + 1, label, 10, 0);
	}
	return y + 2;
}

static void
draw_finding(struct tui *t, int y, size_t i)
{
	const struct tui_finding *f = &t->findings[i];
	char subject[128], summary[256], line[512];
	int crit = f->severity >= TUI_SEV_CRITICAL;
	int sel = t->focus_findings && i == t->finding_sel;

	format_sanitize(subject, sizeof subject, f->subject != NULL ?
	    f->subject : "");
	format_sanitize(summary, sizeof summary, f->summary != NULL ?
	    f->summary : "");
	attrset(sel ? tui_attr(t, TUI_ROLE_SELECT) :
	    tui_attr(t, crit ? TUI_ROLE_CRIT : TUI_ROLE_WARN));
	tui_put(y, 0, crit ? _("CRIT") : _("WARN"), 5, 0);
	if (!sel)
		attrset(A_NORMAL);
	snprintf(line, sizeof line, "%-13s %s%s%s%s: %s", f->rule != NULL ?
	    f->rule : "?", subject, f->clearing ? " (" : "",
	    f->clearing ? _("clearing") : "", f->clearing ? ")" : "", summary);
	tui_put_cut(y, 5, line, COLS - 5, t->utf8 ? "\u2026" : "...");
	attrset(A_NORMAL);
}

/* Hidden when there is nothing to show; at most max lines. */
int
tui_draw_findings(struct tui *t, int y, int max)
{
	char title[128];
	size_t i, first = 0, shown;

	if (t->nfindings == 0 || max < 2)
		return y;
	shown = (size_t)max - 1;
	if (shown > t->nfindings)
		shown = t->nfindings;
	if (t->finding_sel >= shown)
		first = t->finding_sel - shown + 1;
	snprintf(title, sizeof title, _("Anomalies: %zu (a to select, e to "
	    "explain)"), t->nfindings);
	attrset(tui_attr(t, t->focus_findings ? TUI_ROLE_TITLE :
	    TUI_ROLE_HEADER) | A_BOLD);
	tui_put(y, 0, title, COLS, 0);
	attrset(A_NORMAL);
	for (i = 0; i < shown; i++)
		draw_finding(t, y + 1 + (int)i, first + i);
	return y + 1 + (int)shown;
}

struct footer_key {
	const char	*key;
	const char	*label;
};

static int
put_keys(struct tui *t, const struct footer_key *keys, size_t n)
{
	size_t i;
	int x = 0, kl, ll;

	for (i = 0; i < n; i++) {
		const char *label = _(keys[i].label);

		kl = (int)format_text_width(keys[i].key);
		ll = (int)format_text_width(label);
		if (x + kl + ll + 1 > COLS)
			break;
		attrset(A_BOLD);
		tui_put(LINES - 1, x, keys[i].key, kl, 0);
		attrset(tui_attr(t, TUI_ROLE_KEY));
		tui_put(LINES - 1, x + kl, label, ll + 1, 0);
		x += kl + ll + 1;
	}
	attrset(A_NORMAL);
	return x;
}

static void
draw_keys(struct tui *t)
{
	static const struct footer_key main_keys[] = {
		{ "F1", N_("Help") }, { "/", N_("Search") },
		{ "\\", N_("Filter") }, { "F6", N_("Sort") },
		{ "\u21b5", N_("Detail") }, { "g", N_("View") },
		{ "e", N_("Explain") }, { "F9", N_("Kill") },
		{ "\u2423", N_("Pause") }, { "q", N_("Quit") },
		{ "F2", N_("Setup") },	/* last: where there is room */
	};
	static const struct footer_key page_keys[] = {
		{ "Esc", N_("Back") }, { "PgDn", N_("Scroll") },
		{ "q", N_("Back") }, { "e", N_("Explain") },
	};
	struct footer_key keys[11];
	size_t i, n = 0;

	if (t->screen == TUI_SCREEN_PAGE) {	/* e explains a detail only */
		put_keys(t, page_keys, t->page_kind == TUI_PAGE_DETAIL ? 4 : 3);
		return;
	}
	for (i = 0; i < sizeof main_keys / sizeof main_keys[0]; i++) {
		keys[n] = main_keys[i];
		if (strcmp(keys[n].key, "F9") == 0 && !tui_can_kill(t))
			continue;
		if (!t->utf8 && strcmp(keys[n].key, "\u21b5") == 0)
			keys[n].key = "Enter";
		if (strcmp(main_keys[i].key, "\u2423") == 0) {
			keys[n].key = t->utf8 ? "\u2423" : "Spc";
			if (t->cfg->npolls > 0)
				keys[n].label = N_("Play");
		}
		n++;
	}
	put_keys(t, keys, n);
}

static int
message_shown(const struct tui *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return t->message[0] != '\0' && (now.tv_sec < t->message_until.tv_sec ||
	    (now.tv_sec == t->message_until.tv_sec &&
	    now.tv_nsec < t->message_until.tv_nsec));
}

/*
 * The message ends on line bottom; one longer than the screen is wide
 * takes the lines above, so that what to do (at its end) is not cut off.
 */
static void
draw_message(struct tui *t, int bottom)
{
	struct tui_lines l = { 0 };
	size_t i;
	int y = bottom;

	tui_lines_wrap(&l, t->message, COLS, 0);
	if (l.n > 1)
		y = bottom - (int)l.n + 1;
	attrset(A_BOLD);
	for (i = 0; i < l.n; i++)
		if (y + (int)i >= 1)
			tui_put(y + (int)i, 0, l.v[i], COLS, 0);
	attrset(A_NORMAL);
	tui_lines_free(&l);
}

void
tui_draw_footer(struct tui *t)
{
	char line[512];

	tui_put(LINES - 1, 0, "", COLS, 0);
	if (t->prompt != TUI_PROMPT_NONE) {
		/* Above the prompt: what it found wrong, or no match. */
		if (message_shown(t))
			draw_message(t, LINES - 2);
		snprintf(line, sizeof line, "%s%s", t->prompt ==
		    TUI_PROMPT_SEARCH ? _("Search: ") : _("Filter: "), t->input);
		attrset(A_BOLD);
		tui_put(LINES - 1, 0, line, COLS - 1, 0);
		attrset(A_NORMAL);
		move(LINES - 1, (int)format_text_width(line) < COLS - 1 ?
		    (int)format_text_width(line) : COLS - 1);
		return;
	}
	if (message_shown(t)) {
		draw_message(t, LINES - 1);
		return;
	}
	draw_keys(t);
}
