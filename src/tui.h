/*
 * tui.h - the live dashboard on a terminal.
 *
 * The dashboard asks its driver (dashboard.c) for polls, which the driver
 * takes from its source and judges, hands them to the view and draws the
 * view. It knows nothing of netlink or files.
 */
#ifndef SOCKWATCH_TUI_H
#define SOCKWATCH_TUI_H

#include <stddef.h>

#include "sock.h"
#include "tui_view.h"

/* What the view asks of a poll. */
struct tui_ask {
	int		 want_info;	/* tcp_info for every socket (sorting by it) */
	int		 want_all;	/* every socket fresh, none carried: after a kill */
	double		 interval;	/* seconds until the poll after it */
};

struct tui_config {
	double		 interval;	/* seconds between polls */
	int		 color;		/* 0: --no-color or NO_COLOR */
	int		 processes;	/* start with processes shown */
	int		 readonly;	/* never offer to kill */
	/* A command-line filter that needs ages or processes: the view's. */
	const char	*filter_text;
	/*
	 * What the source was told to read, shown in the table's title
	 * (watching only: IPv4, LISTEN, port 80) so that counts are not
	 * misread: a family, states, a filter.
	 */
	int		 watch_family;	/* AF_INET or AF_INET6 alone; 0: both */
	uint32_t	 watch_states;	/* -l and --state; 0: every state */
	const char	*source_filter;	/* the filter the source applies */
	/* 1: that is filter_text, of which it applies only the states,
	   ports and addresses (the view applies all of it). */
	int		 source_filter_part;
	/*
	 * Fill the snapshot with the next poll, judged: the core reads
	 * what the rules and the model made of it. Returns 0 when a
	 * recording has no more.
	 */
	int		(*poll)(void *, const struct tui_ask *,
			    struct snapshot *);
	/* A recording: the next poll is its first again, and what the
	   model and the rules remember is forgotten. NULL when live. */
	void		(*rewind)(void *);
	/*
	 * One socket of the last poll as the kernel has it now: its record
	 * (for a carried one on screen) and, when now's flags have
	 * SOCK_HAS_INFO, its tcp_info (for the rows on screen), asked
	 * before a frame is drawn, never while. NULL when the source cannot
	 * (a recording). Returns 0 when found.
	 */
	int		(*lookup)(void *, const struct sock_rec *,
			    struct sock_rec *now, struct sock_info *);
	void		*poll_arg;
	size_t		 npolls;	/* > 0: a recording of that many polls */
	const struct tui_core *core;
};

int	tui_run(const struct tui_config *);
int	tui_color_wanted(int no_color_option);

#endif
