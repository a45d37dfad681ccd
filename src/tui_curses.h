/*
 * tui_curses.h - the one include point for curses, for the files that draw.
 *
 * Only the dashboard's drawing files include this; the view, the model and
 * everything else never see the terminal.
 */
#ifndef SOCKWATCH_TUI_CURSES_H
#define SOCKWATCH_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1	/* UTF-8 text through addstr */
#endif
#include <curses.h>

#endif
