/*
 * tui_view.h - what the dashboard shows, computed without a terminal.
 *
 * A view turns each snapshot into the rows of the current grouped view
 * (sockets, listeners, peers by prefix, processes), filtered and sorted,
 * keeps the selection on the same thing across polls, marks new sockets
 * and state changes for one poll, remembers recent state counts for the
 * sparklines, and formats each cell as text. The curses files only place
 * that text on the screen, so everything here is tested without one.
 *
 * Ages, processes, findings and kill come from other modules through
 * struct tui_core: the view reads them when they are plugged in and
 * shows "-" when they are not.
 */
#ifndef SOCKWATCH_TUI_VIEW_H
#define SOCKWATCH_TUI_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "group.h"
#include "sock.h"

enum tui_severity {
	TUI_SEV_WARNING = 1,
	TUI_SEV_CRITICAL = 2,
};

/* One current finding of the anomaly rules, as the panel shows it. */
struct tui_finding {
	const char	*rule;		/* "close-wait" */
	int		 severity;	/* enum tui_severity */
	const char	*subject;	/* "pid 812 (nginx)" */
	const char	*summary;	/* one line */
	const char	*cause;		/* the likely cause, or NULL */
	const char	*advice;	/* what to do, or NULL */
	int		 clearing;	/* held, no longer raised by this poll */
};

/*
 * What the model, the process scanner, the rules and kill add. Every
 * pointer may be NULL; arg is passed back to each call.
 */
struct tui_core {
	void	*arg;
	/* The groups of this snapshot when already built (the model's), or
	   NULL: the view then builds its own. */
	const struct groups *(*groups)(void *, const struct snapshot *);
	/* Seconds since it began / since entering its state; < 0 unknown;
	   *known 0 when the socket is at least that old, maybe older. */
	double	(*age)(void *, const struct snapshot *, size_t, int *known);
	double	(*state_age)(void *, const struct snapshot *, size_t,
		    int *known);
	/* Owning process name (unsanitised) or NULL; *pid 0 when unknown. */
	const char *(*process)(void *, const struct snapshot *, size_t,
		    int *pid);
	/* The p key: start or stop attributing sockets to processes. */
	void	(*set_processes)(void *, int on);
	/* Current findings, worst first. */
	const struct tui_finding *(*findings)(void *, size_t *n);
	/* Destroy these sockets; returns how many went, explains the rest. */
	int	(*kill)(void *, const struct snapshot *, const uint32_t *idx,
		    size_t n, char **cause);
	/* -r: the peer's host name (unsanitised) when known by now, or
	   NULL: never waits for a resolver. */
	const char *(*peer_name)(void *, const struct snapshot *, size_t);
	/* -N all: the name of a socket's network namespace (unsanitised);
	   the views gain a NETNS column only when this is set. */
	const char *(*netns)(void *, const struct snapshot *, size_t);
};

/* The dashboard's views, in the order they cycle (tui_mode.c). */
enum tui_group {
	TUI_GROUP_SOCKETS,
	TUI_GROUP_LISTENERS,
	TUI_GROUP_PEERS,
	TUI_GROUP_PROCESSES,
	TUI_GROUP_COUNT		/* not a view: how many there are */
};

/* How a view's rows are made. */
enum tui_rows {
	TUI_ROWS_SOCKETS,	/* the sockets themselves */
	TUI_ROWS_LISTENERS,	/* group.c's listeners, with their queues */
	TUI_ROWS_SUMS,		/* sockets added up by the view's key */
};

struct tui_agg;
struct tui_view;

/* One view of the dashboard (tui_mode.c), as tmux's window modes. */
struct tui_mode {
	const char	*name;		/* N_() */
	enum tui_rows	 rows;
	const enum tui_col *cols;	/* in display order */
	size_t		 ncols;
	const enum tui_col *ns_cols;	/* -N all: with the namespace */
	size_t		 nns_cols;
	int		 sort;		/* enum tui_col, the first order */
	/* The key of the row a socket belongs to; 0 for none. */
	uint64_t	(*key)(const struct tui_view *, size_t sock);
	/* TUI_ROWS_SUMS: what names a new row, from its first socket. */
	void		(*label)(struct tui_agg *, const struct sock_rec *);
	int		 owners;	/* shows processes without p */
	int		 state;		/* the TCP state e explains; 0 none */
};

/* Columns of all views; each view shows a subset (see tui_cell.c). */
enum tui_col {
	TUI_COL_STATE,
	TUI_COL_LOCAL,
	TUI_COL_PEER,
	TUI_COL_RECVQ,
	TUI_COL_SENDQ,
	TUI_COL_AGE,
	TUI_COL_STATE_AGE,
	TUI_COL_RTT,
	TUI_COL_RETRANS,
	TUI_COL_PROCESS,
	TUI_COL_PREFIX,		/* group views */
	TUI_COL_PID,
	TUI_COL_SOCKETS,
	TUI_COL_ESTAB,
	TUI_COL_SYNRECV,
	TUI_COL_CLOSEWAIT,
	TUI_COL_TIMEWAIT,
	TUI_COL_ACCEPTQ,
	TUI_COL_BACKLOG,
	TUI_COL_DROPS,
	TUI_COL_NETNS,		/* -N all */
};
#define TUI_COL_COUNT (TUI_COL_NETNS + 1)

/* How a column orders the rows (every order ends on the rows' identity). */
enum tui_sort_key {
	TUI_SORT_UNSET,		/* a column must say: 0 is a forgotten one */
	TUI_SORT_NONE,		/* no key of its own: the identity alone */
	TUI_SORT_MOST,		/* its value, largest first */
	TUI_SORT_LEAST,		/* its value, smallest first (pids) */
	TUI_SORT_TEXT,		/* its text, unknown last */
	TUI_SORT_LOCAL,		/* the local address, port */
	TUI_SORT_PEER,		/* the peer's address, port */
};

#define TUI_CF_RIGHT	0x1	/* right-aligned: numbers */
#define TUI_CF_ADDR	0x2	/* an address: IPv6 wide, cut from the left */
#define TUI_CF_INFO	0x4	/* needs tcp_info: sorting asks for all of it */
#define TUI_CF_OWNER	0x8	/* shown while processes are looked up (p) */

struct tui_view;

/*
 * One column (tui_cell.c). Its functions take a row's item: a snapshot
 * index on the sockets view, an aggregate's index on a grouped one; arg
 * is the column's own, so that one function serves several columns.
 */
struct tui_column {
	const char	*title;		/* English, as ss and ps */
	int		 width;		/* what it needs at least */
	int		 max;		/* what it may grow to */
	int		 flags;		/* TUI_CF_* */
	enum tui_sort_key sort;
	int		 arg;
	/* The text of the cell; "-" when unknown. */
	size_t		(*cell)(const struct tui_view *, uint32_t, int arg,
			    char *, size_t);
	/* TUI_SORT_MOST and _LEAST: the value; *at_least for a lower bound. */
	double		(*value)(const struct tui_view *, uint32_t, int arg,
			    int *at_least);
	/* TUI_SORT_TEXT: the text (unsanitised), or NULL when unknown. */
	const char	*(*text)(const struct tui_view *, uint32_t);
};

extern const struct tui_column tui_columns[];
extern const struct tui_mode tui_modes[];

#define TUI_MARK_NEW		1
#define TUI_MARK_CHANGED	2

/* The filter typed at the \ prompt (see tui_filter_compile). */
struct filter;

struct tui_filter {
	char		 text[256];
	struct filter	*expr;		/* the command line's language; or NULL */
	/* Drill-down from a group row: only its sockets. */
	int		 group;		/* enum tui_group, SOCKETS for none */
	uint64_t	 group_key;
	uint8_t		 group_family;	/* listeners: their address */
	uint8_t		 group_addr[16];
	uint16_t	 group_port;
	uint16_t	 group_netns;	/* -N all: a listener's namespace */
	char		 group_label[64];
};

/* One row of a grouped view: sockets added up. */
struct tui_agg {
	uint64_t	 key;		/* stable identity across polls */
	uint8_t		 family;
	uint8_t		 addr[16];	/* peers: prefix; listeners: address */
	uint16_t	 port;
	int		 pid;
	const char	*process;
	size_t		 listener;	/* index in groups.listeners */
	size_t		 first;		/* a socket of the group */
	uint64_t	 n;
	uint64_t	 states[TS_MAX + 1];
	uint64_t	 recvq;
	uint64_t	 sendq;
};

/* Recent state counts, one sample per poll. */
#define TUI_TREND	240
struct tui_trend {
	uint32_t	 counts[TUI_TREND][TS_MAX + 1];
	size_t		 next;
	size_t		 len;
};

/*
 * tcp_info of single sockets, fetched for the rows on screen when the
 * dump did not carry it for every socket. Emptied at each poll.
 */
#define TUI_INFO_CACHE	512
struct tui_info_cache {
	uint32_t	 sock[TUI_INFO_CACHE];	/* snapshot index + 1; 0 free */
	uint8_t		 ok[TUI_INFO_CACHE];
	struct sock_info info[TUI_INFO_CACHE];
	size_t		 n;
};

/* Cookie -> state of the previous poll, to mark what changed. */
struct tui_seen {
	uint64_t	*cookies;	/* 0 empty, UINT64_MAX freed */
	uint8_t		*states;
	uint32_t	*ranks;		/* row in the last sockets order */
	uint8_t		*gens;		/* the poll that last showed it */
	size_t		 mask;		/* capacity - 1, a power of two */
	size_t		 n;		/* cookies */
	size_t		 gone;		/* freed slots */
	uint8_t		 gen;		/* this poll's */
};

/* The columns of one view as F2 left them, for the run (tui_cell.c). */
struct tui_colset {
	enum tui_col	 col[TUI_COL_COUNT];	/* display order */
	size_t		 n;
	uint32_t	 hidden;		/* bits 1 << enum tui_col */
};

struct tui_view {
	const struct snapshot	*snap;
	const struct tui_core	*core;
	struct groups		 groups;	/* borrowed unless own_groups */
	int			 have_groups;
	int			 own_groups;	/* built here: freed here */

	enum tui_group		 group;
	enum tui_col		 sort_col[TUI_GROUP_COUNT];
	int			 sort_invert;
	struct tui_filter	 filter;
	int			 processes;	/* the p key */
	struct tui_colset	 colsets[TUI_GROUP_COUNT];

	uint32_t		*rows;	/* socket or aggregate indexes */
	size_t			 nrows;
	size_t			 rows_cap;
	struct tui_agg		*aggs;
	size_t			 naggs;
	size_t			 aggs_cap;

	size_t			 sel;	/* selected row */
	size_t			 top;	/* first row on screen */
	uint64_t		 sel_key;
	int			 sel_valid;

	uint8_t			*marks;	/* per snapshot socket */
	uint32_t		*prev_rank;	/* its row in the last order */
	uint32_t		*slot;		/* its place in seen */
	size_t			 marks_cap;
	size_t			 nnew;
	size_t			 nchanged;
	struct tui_seen		 seen;
	int			 polls;
	/* What the ranks in seen were sorted by (see tui_sort.c). */
	int			 ranked;
	enum tui_col		 ranked_col;
	int			 ranked_invert;
	int			 ranked_processes;
	size_t			 ranked_n;

	struct tui_trend	 trend;
	struct tui_info_cache	 info;
};

/* tui_view.c */
void		 tui_view_init(struct tui_view *, const struct tui_core *);
void		 tui_view_free(struct tui_view *);
void		 tui_view_update(struct tui_view *, const struct snapshot *,
		     int new_poll);
void		 tui_view_rebuild(struct tui_view *);
void		 tui_view_feed(struct tui_view *, const struct snapshot *);
void		 tui_view_restart(struct tui_view *);
void		 tui_view_set_group(struct tui_view *, enum tui_group);
void		 tui_view_move(struct tui_view *, long delta);
void		 tui_view_select(struct tui_view *, size_t row);
void		 tui_view_scroll(struct tui_view *, size_t height);
int		 tui_view_search(struct tui_view *, const char *, int dir);
int		 tui_view_drill(struct tui_view *);
void		 tui_view_undrill(struct tui_view *);
long		 tui_view_socket(const struct tui_view *, size_t row);
uint32_t	*tui_view_filtered_sockets(const struct tui_view *, size_t *n,
		     size_t *listeners);
uint32_t	*tui_view_row_sockets(const struct tui_view *, size_t row,
		     size_t *n);
const char	*tui_group_name(enum tui_group);
void		 tui_view_sort_next(struct tui_view *, int dir);

/* tui_sock.c */
const struct sock_info *tui_sock_info(const struct tui_view *, size_t sock);
int		 tui_sock_info_wanted(const struct tui_view *, size_t sock);
void		 tui_sock_info_put(struct tui_view *, size_t sock,
		     const struct sock_info *);
const char	*tui_sock_process(const struct tui_view *, size_t sock,
		     int *pid);
double		 tui_sock_age(const struct tui_view *, size_t sock, int state,
		     int *known);

/* tui_mode.c */
uint64_t	 tui_mode_key(const struct tui_view *, enum tui_group,
		     size_t sock);

/* tui_filter.c */
int		 tui_filter_compile(struct tui_filter *, const char *,
		     char **cause);
int		 tui_filter_match(const struct tui_filter *,
		     const struct tui_view *, size_t sock);
void		 tui_filter_clear(struct tui_filter *);
int		 tui_filter_active(const struct tui_filter *);

/* tui_group.c */
void		 tui_rows_build(struct tui_view *);
uint64_t	 tui_row_key(const struct tui_view *, size_t row);

/* tui_sort.c */
void		 tui_rows_sort(struct tui_view *);
size_t		 tui_sort_columns(const struct tui_view *, enum tui_col *);
void		 tui_sort_sockets(const struct tui_view *, uint32_t *, size_t);

/* tui_cell.c */
void		 tui_cell_init(struct tui_view *);
const enum tui_col *tui_cell_columns(const struct tui_view *, size_t *n);
int		 tui_cell_shown(const struct tui_view *, enum tui_col);
int		 tui_cell_hidden(const struct tui_view *, enum tui_col);
void		 tui_cell_toggle(struct tui_view *, size_t i);
size_t		 tui_cell_move(struct tui_view *, size_t i, int dir);
const char	*tui_cell_title(enum tui_col);
int		 tui_cell_right(enum tui_col);
size_t		 tui_cell_layout(const struct tui_view *, size_t first,
		     size_t count, enum tui_col *cols, int *widths);
size_t		 tui_cell(const struct tui_view *, size_t row, enum tui_col,
		     char *, size_t);

/* tui_trend.c */
void		 tui_trend_push(struct tui_trend *, const uint64_t *);
uint32_t	 tui_trend_max(const struct tui_trend *, int state,
		     size_t width);
size_t		 tui_trend_sparkline(const struct tui_trend *, int state,
		     size_t width, int utf8, char *, size_t);

#endif
