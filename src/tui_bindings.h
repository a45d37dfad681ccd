/*
 * tui_bindings.h - the keys of the dashboard's main screen, as one table
 * read by both the key handler (tui_keys.c) and the help page (tui_help.c),
 * as tmux's key tables: a key that works is a key the help lists.
 *
 * Keys are named, not coded ("F1", "Enter", "q"), so the table stays free
 * of curses: the handler names the key it read and looks the name up.
 */
#ifndef SOCKWATCH_TUI_BINDINGS_H
#define SOCKWATCH_TUI_BINDINGS_H

#include <stddef.h>

enum tui_action {
	TUI_ACT_HELP,
	TUI_ACT_SEARCH,		/* / prompts; n, F3 and N find again */
	TUI_ACT_FILTER,
	TUI_ACT_SETUP,		/* F2: the columns */
	TUI_ACT_SCROLL,		/* left and right */
	TUI_ACT_SORT,		/* F6 a dialog; < and > step */
	TUI_ACT_INVERT,
	TUI_ACT_ENTER,
	TUI_ACT_BACK,
	TUI_ACT_VIEW,
	TUI_ACT_EXPLAIN,
	TUI_ACT_FINDINGS,
	TUI_ACT_PAUSE,
	TUI_ACT_STEP,
	TUI_ACT_INTERVAL,
	TUI_ACT_PROCESSES,
	TUI_ACT_MOVE,
	TUI_ACT_QUIT,
	TUI_ACT_KILL,
	TUI_ACT_KILL_FILTERED,
};
#define TUI_ACT_COUNT (TUI_ACT_KILL_FILTERED + 1)

#define TUI_BIND_KILL	0x1	/* offered only when kill is */

struct tui_binding {
	const char	*keys;		/* key names, one space between */
	const char	*label;		/* shown instead of keys, or NULL */
	enum tui_action	 action;
	int		 flags;
	const char	*what;		/* N_(), for the help */
};

extern const struct tui_binding tui_bindings[];
extern const size_t tui_nbindings;

const struct tui_binding *tui_binding_find(const char *name);
int	tui_binding_has(const struct tui_binding *, const char *name);

#endif
