/*
 * tui_text.h - the dashboard's pages of text: the detail of one socket, the
 * help, and the explanations of TCP states and findings.
 *
 * Pure: the pages are lines of text wrapped to a width, so they are tested
 * without a terminal and translated as whole sentences.
 */
#ifndef SOCKWATCH_TUI_TEXT_H
#define SOCKWATCH_TUI_TEXT_H

#include <stddef.h>

#include "tui_view.h"

struct tui_lines {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

void	tui_lines_add(struct tui_lines *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	tui_lines_wrap(struct tui_lines *, const char *, int width,
	    int indent);
void	tui_lines_free(struct tui_lines *);
size_t	tui_text_fit(const char *, int width, int *cols);

void	tui_detail(const struct tui_view *, size_t sock, struct tui_lines *,
	    int width);
void	tui_help(struct tui_lines *, int width, int can_kill);
void	tui_explain_state(int state, struct tui_lines *, int width);
void	tui_explain_finding(const struct tui_finding *, struct tui_lines *,
	    int width);

#endif
