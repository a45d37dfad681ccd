/*
 * tui_text.c - lines of text for the dashboard's pages, wrapped to the
 * width of the screen by display columns (a translation may use
 * characters two columns wide).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "tui_text.h"
#include "xmalloc.h"

static void
lines_push(struct tui_lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = s;
}

void
tui_lines_add(struct tui_lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("");
	va_end(ap);
	lines_push(l, s);
}

void
tui_lines_free(struct tui_lines *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* How many bytes of s fit in width columns; their columns in *cols. */
size_t
tui_text_fit(const char *s, int width, int *cols)
{
	const char *p = s;
	size_t n;
	int c;

	*cols = 0;
	while (*p != '\0') {
		n = format_char_cols(p, &c);
		if (*cols + c > width)
			break;
		*cols += c;
		p += n;
	}
	return (size_t)(p - s);
}

/*
 * Text without spaces (CJK) may break between two characters when one of
 * them is wide, but not before closing punctuation nor after opening.
 */
static int
no_break_before(const char *q, size_t n)
{
	static const char *const closing[] = {
		"\uff0c", "\u3002", "\u3001", "\uff1b", "\uff1a", "\uff01",
		"\uff1f", "\uff09", "\u201d", "\u2019", "\u300b", "\u300d",
		"\u2026", ",", ".", ";", ":", ")", "!", "?",
	};
	size_t i;

	for (i = 0; i < sizeof closing / sizeof closing[0]; i++)
		if (strlen(closing[i]) == n && memcmp(q, closing[i], n) == 0)
			return 1;
	return 0;
}

static int
no_break_after(const char *q)
{
	static const char *const opening[] = {
		"\uff08", "\u201c", "\u2018", "\u300a", "\u300c", "(",
	};
	size_t i;

	for (i = 0; i < sizeof opening / sizeof opening[0]; i++)
		if (strncmp(q, opening[i], strlen(opening[i])) == 0)
			return 1;
	return 0;
}

/*
 * Break a paragraph into lines of at most width columns, at spaces when
 * there are any (CJK text has none: it breaks between characters). Lines
 * after the first are indented.
 */
void
tui_lines_wrap(struct tui_lines *l, const char *text, int width, int indent)
{
	const char *p = text, *brk, *q, *pq = text;
	int col, c, pc, first = 1, room;
	size_t n;

	if (width < 20)
		width = 20;
	while (*p != '\0') {
		room = width - (first ? 0 : indent);
		for (q = p, brk = NULL, col = 0, pc = 0; *q != '\0'; q += n) {
			n = format_char_cols(q, &c);
			if (q != p && (*q == ' ' || ((c == 2 || pc == 2) &&
			    !no_break_before(q, n) && !no_break_after(pq))))
				brk = q;
			if (col + c > room)
				break;
			col += c;
			pc = c;
			pq = q;
		}
		if (*q == '\0' || brk == NULL || brk == p)
			brk = q;
		tui_lines_add(l, "%*s%.*s", first ? 0 : indent, "",
		    (int)(brk - p), p);
		p = brk;
		while (*p == ' ')
			p++;
		first = 0;
	}
	if (first)
		tui_lines_add(l, "%s", "");
}
