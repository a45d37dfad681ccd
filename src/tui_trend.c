/*
 * tui_trend.c - recent state counts, one sample per poll, and the
 * sparklines the state bar draws from them.
 */
#include "config.h"

#include <string.h>

#include "tui_view.h"

void
tui_trend_push(struct tui_trend *h, const uint64_t *states)
{
	int s;

	for (s = 0; s <= TS_MAX; s++)
		h->counts[h->next][s] = states[s] > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)states[s];
	h->next = (h->next + 1) % TUI_TREND;
	if (h->len < TUI_TREND)
		h->len++;
}

/* The largest of the last `width` samples of one state. */
uint32_t
tui_trend_max(const struct tui_trend *h, int state, size_t width)
{
	size_t n = h->len < width ? h->len : width, i;
	uint32_t max = 0, c;

	for (i = 0; i < n; i++) {
		c = h->counts[(h->next + TUI_TREND - n + i) % TUI_TREND][state];
		if (c > max)
			max = c;
	}
	return max;
}

/*
 * The last `width` samples of one state, scaled to the largest of them,
 * right-aligned: eighths of a block in UTF-8, a ramp of characters in
 * ASCII. Zero is a space, any non-zero count at least the lowest step.
 */
size_t
tui_trend_sparkline(const struct tui_trend *h, int state, size_t width,
    int utf8, char *buf, size_t size)
{
	static const char *const blocks[9] = { " ", "\u2581", "\u2582",
	    "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ramp[] = " .:-=+*#@";
	size_t n = h->len < width ? h->len : width, i, len = 0, k;
	uint32_t max = tui_trend_max(h, state, width), c;
	int level;

	for (i = 0; i < width - n && len + 1 < size; i++)
		buf[len++] = ' ';
	for (i = 0; i < n; i++) {
		c = h->counts[(h->next + TUI_TREND - n + i) % TUI_TREND][state];
		level = c == 0 ? 0 : 1 + (int)((uint64_t)c * 7 / max);
		if (level > 8)
			level = 8;
		k = utf8 ? strlen(blocks[level]) : 1;
		if (len + k >= size)
			break;
		if (utf8)
			memcpy(buf + len, blocks[level], k);
		else
			buf[len] = ramp[level];
		len += k;
	}
	buf[len] = '\0';
	return len;
}
