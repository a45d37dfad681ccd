/*
 * tui_screen.h - shared by the curses files of the dashboard: the state of
 * one dashboard session, and the drawing functions of each part.
 */
#ifndef SOCKWATCH_TUI_SCREEN_H
#define SOCKWATCH_TUI_SCREEN_H

#include <stddef.h>
#include <time.h>

#include "tui.h"
#include "tui_text.h"
#include "tui_view.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24

enum tui_screen_kind {
	TUI_SCREEN_MAIN,
	TUI_SCREEN_PAGE,	/* help, detail, explanation */
};

enum tui_page_kind {
	TUI_PAGE_HELP,
	TUI_PAGE_DETAIL,	/* follows its socket across polls */
	TUI_PAGE_EXPLAIN,
};

enum tui_prompt {
	TUI_PROMPT_NONE,
	TUI_PROMPT_SEARCH,
	TUI_PROMPT_FILTER,
};

enum tui_dialog {
	TUI_DIALOG_NONE,
	TUI_DIALOG_SORT,
	TUI_DIALOG_KILL,
	TUI_DIALOG_SETUP,	/* F2: the columns of the view */
};

/* What a colour or, without colours, an attribute is used for. */
enum tui_role {
	TUI_ROLE_NORMAL,
	TUI_ROLE_HEADER,
	TUI_ROLE_TITLE,
	TUI_ROLE_SELECT,
	TUI_ROLE_KEY,
	TUI_ROLE_WARN,
	TUI_ROLE_CRIT,
	TUI_ROLE_NEW,
	TUI_ROLE_DIM,
	TUI_ROLE_SPARK,
};
#define TUI_ROLE_COUNT 10

struct tui {
	const struct tui_config	*cfg;
	struct tui_view		 view;
	struct snapshot		 snap;
	int			 have_snap;
	int			 quit;

	enum tui_screen_kind	 screen;
	struct tui_lines	 page;
	char			 page_title[128];
	size_t			 page_top;
	enum tui_page_kind	 page_kind;
	uint64_t		 page_cookie;	/* the detail's socket */
	int			 page_state;	/* what e explains there */
	long			 page_finding;	/* the finding explained, or -1 */
	int			 back_to_detail; /* an explanation over a detail */
	char			 back_title[128];
	size_t			 back_top;

	enum tui_prompt		 prompt;
	char			 input[256];
	char			 search[256];

	enum tui_dialog		 dialog;
	size_t			 dialog_sel;
	uint32_t		*kill_idx;
	size_t			 kill_n;

	int			 focus_findings;
	size_t			 finding_sel;
	const struct tui_finding *findings;
	size_t			 nfindings;

	char			 message[256];
	struct timespec		 message_until;

	int			 paused;
	int			 playing;	/* a recording plays on */
	size_t			 replay_pos;
	double			 interval;
	struct timespec		 next_poll;

	int			 bulk_info;	/* the last poll carried it */
	int			 want_all;	/* the next poll: every socket fresh */
	int			 told_over;	/* said the polls cost too much */
	int			 utf8;
	int			 color;
	int			 table_height;
	size_t			 hscroll;	/* first column on screen */
};

/* tui_session.c */
void	tui_message(struct tui *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	tui_can_kill(const struct tui *);
int	tui_load_poll(struct tui *, size_t which);
int	tui_want_bulk_info(const struct tui *);
void	tui_fetch_info(struct tui *, long sock);
void	tui_frame(struct tui *);
int	tui_detail_refresh(struct tui *);
void	tui_schedule(struct tui *, double from);
double	tui_now(void);
void	tui_set_processes(struct tui *, int on);
int	tui_dialog_move(struct tui *, int key, size_t n);

/* tui_keys.c */
void	tui_keys_main(struct tui *, int key);

/* tui_paint.c */
void	tui_colors_init(struct tui *);
int	tui_attr(const struct tui *, enum tui_role);
void	tui_put(int y, int x, const char *, int width, int right);
void	tui_put_whole(int y, int x, const char *, int width, const char *sep);
void	tui_put_cut(int y, int x, const char *, int width,
	    const char *ellipsis);
void	tui_box(struct tui *, int y, int x, int h, int w);

/* tui_draw.c */
void	tui_draw(struct tui *);

/* tui_setup.c */
void	tui_setup_open(struct tui *);
void	tui_setup_draw(struct tui *);
int	tui_setup_key(struct tui *, int key);

/* tui_panel.c */
int	tui_draw_header(struct tui *, int y);
int	tui_draw_states(struct tui *, int y);
int	tui_draw_findings(struct tui *, int y, int max);
void	tui_draw_footer(struct tui *);

/* tui_page.c */
void	tui_page_open(struct tui *, const char *title);
void	tui_page_draw(struct tui *);
int	tui_page_key(struct tui *, int key);
void	tui_dialog_draw(struct tui *);
int	tui_dialog_key(struct tui *, int key);
int	tui_prompt_key(struct tui *, int key);

#endif
