/*
 * anomaly.h - the rules that say what is wrong, and their hysteresis.
 *
 * A rule is an entry of a const table: an id, a check, and its thresholds
 * with their defaults (doc/rules.md has the facts behind each). A check
 * reads the model, the processes and the counter deltas and proposes
 * findings with two levels: the level whose raising condition holds, and
 * the level whose clearing condition does not yet hold. The engine turns
 * those into what is shown: raised after N consecutive polls, lowered one
 * level (critical, warning, OK) after M polls below the clear level.
 *
 * A finding keeps its words as English formats and their arguments
 * (anomaly_text.c): machine outputs render them in English, people's
 * outputs in their language.
 */
#ifndef SOCKWATCH_ANOMALY_H
#define SOCKWATCH_ANOMALY_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "model.h"
#include "proc.h"

enum severity {
	SEV_OK = 0,
	SEV_WARNING = 1,
	SEV_CRITICAL = 2,
};

enum evidence_kind {
	EV_NUMBER,
	EV_TEXT,
	EV_LIST,	/* text items separated by '\n' */
};

#define EVIDENCE_MAX	16
#define EVIDENCE_TEXT	160

struct evidence {
	char		 key[24];
	enum evidence_kind kind;
	double		 num;
	int		 decimals;
	char		 text[EVIDENCE_TEXT];
};

/*
 * The summary, the cause and the advice of a finding: an English printf
 * format, kept by content (gettext finds a translation by it), then, for
 * a plural, '\0' and the plural format; and the arguments by value.
 */
enum finding_part {
	FINDING_SUMMARY,
	FINDING_CAUSE,
	FINDING_ADVICE,
	FINDING_PARTS,
};

enum farg_type {
	FARG_INT,
	FARG_UINT,
	FARG_DOUBLE,
	FARG_STRING,
};

#define FINDING_FMT	320
#define FINDING_ARGS	5
#define FINDING_STRS	224

struct finding_arg {
	enum farg_type	 type;
	uint16_t	 off;		/* a string's offset in strs */
	long long	 i;		/* integers, signed or not */
	double		 d;
};

struct finding_text {
	char		 fmt[FINDING_FMT];
	int		 plural;	/* a plural format follows the first */
	uint64_t	 n;		/* the count that picks the form */
	int		 nargs;
	uint16_t	 nstrs;		/* bytes of strs in use */
	struct finding_arg arg[FINDING_ARGS];
	char		 strs[FINDING_STRS];	/* each ends with '\0' */
};

/* Plain data, no pointers: the state file stores findings as they are. */
struct finding {
	int		 rule;		/* index in the rule table */
	enum severity	 severity;	/* what is shown */
	enum severity	 raise;		/* this poll: level that is raised */
	enum severity	 hold;		/* this poll: level not yet cleared */
	double		 metric;	/* the rule's main number, for trends */
	int32_t		 pid;		/* 0: no process */
	/* The evidence proves the condition has lasted (sockets past an age
	   threshold): it needs no further poll to confirm it. */
	uint8_t		 durable;
	char		 key[96];	/* identity across polls */
	char		 subject[160];
	struct finding_text text[FINDING_PARTS];
	struct evidence	 ev[EVIDENCE_MAX];
	int		 nev;
};

#define RULE_PARAM_MAX	10

struct rule_param {
	const char	*name;
	double		 def;
	const char	*doc;
};

struct anomaly_ctx;

/*
 * The rules, in the order of the table. Append only: the state file stores
 * a finding's rule as this index, so a rule removed or moved would give a
 * saved finding to another rule. A rule retired keeps its place.
 */
enum rule_id {
	RULE_SYN_FLOOD,
	RULE_ACCEPT_QUEUE,
	RULE_CLOSE_WAIT,
	RULE_FIN_WAIT2,
	RULE_ORPHANS,
	RULE_TIME_WAIT,
	RULE_RETRANSMITS,
	RULE_ZERO_WINDOW,
	RULE_DEAD_PEER,
	RULE_COUNT		/* not a rule: how many there are */
};

/*
 * A rule describes itself: which sockets' tcp_info it reads (asking the
 * kernel for it doubles the cost of a dump, so a rule names the few it
 * needs, reading the model of earlier polls), and
 * what it is about, in a line (--list-rules) and in a paragraph (the
 * dashboard's explanation). doc/rules.md has the facts behind each.
 */
struct anomaly_rule {
	const char		*id;
	void			(*check)(struct anomaly_ctx *);
	const struct rule_param	*params;	/* ends with a NULL name */
	/* NULL: none; is_new: the model had not seen the socket before */
	int			(*wants_info)(const struct sock_rec *,
				    int is_new);
	int			 durable;	/* every finding is durable */
	const char		*doc;		/* a line, N_() */
	const char		*explain;	/* a paragraph, N_() */
};

/* Thresholds after the configuration files. */
struct anomaly_config {
	double		 param[RULE_COUNT][RULE_PARAM_MAX];
	int		 enabled[RULE_COUNT];
	int		 raise_after;	/* polls */
	int		 clear_after;	/* polls */
	double		 clear_ratio;	/* clear level = raise level * this */
	int		 max_findings;	/* per rule and poll */
};

/* What the rules read. */
struct anomaly_input {
	const struct model		*model;
	const struct proc_map		*proc;		/* NULL without -p */
	const struct counters		*counters;
	const struct counter_rates	*rates;		/* since the last poll */
	const struct counter_rates	*rates_long;	/* over about a minute */
};

struct anomaly_track {
	struct finding	 f;
	int		 up;		/* polls in a row above what is shown */
	int		 down;		/* polls in a row below the clear level */
	int		 touched;
};

struct anomaly_engine {
	struct anomaly_track	*tracks;
	size_t			 ntracks;
	size_t			 cap;
	struct finding		*cand;		/* this poll's proposals */
	size_t			 ncand;
	size_t			 cand_cap;
	const struct finding	**shown;	/* sorted, severity first */
	size_t			 nshown;
	int			 at_once;	/* the next eval raises at once */
	/* From this many sockets up the rules run on two threads: each
	   reads the poll only, and proposes into a list of its own. */
	size_t			 parallel_from;
};

const struct anomaly_rule *anomaly_rules(void);
int		 anomaly_rule_index(const char *id);

/*
 * The queue lengths at which the listener rules raise for a listener of
 * some backlog (the gauges' thresholds of a Nagios check): a value at or
 * above one raises; 0 where a rule that is off never does.
 */
struct anomaly_listener_limits {
	double	syn_recv_warning, syn_recv_critical;	/* syn-flood */
	double	accept_warning, accept_critical;	/* accept-queue */
};
void		 anomaly_listener_limits(const struct anomaly_config *,
		     uint64_t backlog, struct anomaly_listener_limits *);
int		 anomaly_param_index(int rule, const char *name);
void		 anomaly_config_defaults(struct anomaly_config *);
int		 anomaly_wants_info(const struct anomaly_config *,
		     const struct sock_rec *, int is_new);

void		 anomaly_init(struct anomaly_engine *);
void		 anomaly_free(struct anomaly_engine *);
void		 anomaly_eval(struct anomaly_engine *,
		     const struct anomaly_config *, const struct anomaly_input *);
void		 anomaly_raise_at_once(struct anomaly_engine *);
void		 anomaly_show(struct anomaly_engine *,
		     const struct finding *const *, size_t);
size_t		 anomaly_pending(const struct anomaly_engine *);
int		 anomaly_clearing(const struct finding *);
enum severity	 anomaly_worst(const struct anomaly_engine *);
const char	*anomaly_severity_name(enum severity);
const char	*anomaly_rule_id(int rule);
int		 anomaly_compare_findings(const struct finding *,
		     const struct finding *);
int		 anomaly_restore(struct anomaly_engine *,
		     const struct anomaly_track *, size_t n);

/* Picks the format of a finding's words: English, or the user's language. */
typedef const char *anomaly_translate(const char *msgid, const char *plural,
		     unsigned long n);
const char	*anomaly_english(const char *, const char *, unsigned long);
const char	*anomaly_gettext(const char *, const char *, unsigned long);
size_t		 anomaly_text(char *buf, size_t size, const struct finding *,
		     enum finding_part, anomaly_translate *);

#endif
