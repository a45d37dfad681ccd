/*
 * anomaly_rules.h - what the rule checks share: the context they run in
 * and helpers to propose a finding and fill its evidence. Only anomaly*.c
 * include it.
 */
#ifndef SOCKWATCH_ANOMALY_RULES_H
#define SOCKWATCH_ANOMALY_RULES_H

#include "anomaly.h"
#include "prefix.h"

/* One rule's proposals of a poll (anomaly_emit's). */
struct proposals {
	struct finding	*f;
	size_t		 n;
	size_t		 cap;
};

struct anomaly_ctx {
	const struct anomaly_input	*in;
	const struct anomaly_config	*cfg;
	const struct anomaly_engine	*engine;
	int				 rule;
	const double			*p;	/* this rule's thresholds */
	size_t				 emitted;
	struct proposals		*out;
};

/* A socket index and the key of the group it belongs to. */
struct keyed {
	uint64_t	 key;
	uint32_t	 idx;
};

struct finding	*anomaly_emit(struct anomaly_ctx *, const char *key,
		     enum severity raise, enum severity hold);
const struct finding *anomaly_previous(const struct anomaly_ctx *,
		     const char *key);
void		 anomaly_level(const struct anomaly_ctx *, double value,
		     double warn, double crit, enum severity *raise,
		     enum severity *hold);
void		 anomaly_max(enum severity *, enum severity);
/*
 * The words of a finding (anomaly_text.c): an English printf format,
 * extracted for translation by xgettext (po/Makevars names these two as
 * keywords), and its arguments. anomaly_nsay picks the form by n, like
 * ngettext. Formats take %d %i %u %x %o %f %e %g %s with ll, l or z.
 */
void		 anomaly_say(struct finding *, enum finding_part,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void		 anomaly_nsay(struct finding *, enum finding_part,
		     unsigned long n, const char *one, const char *other, ...)
		     __attribute__((format(printf, 4, 6)));
void		 anomaly_ev_num(struct finding *, const char *key, double v,
		     int decimals);
void		 anomaly_ev_text(struct finding *, const char *key, const char *);
void		 anomaly_ev_prefixes(struct finding *, const char *key,
		     const struct prefix_stats *);
void		 anomaly_ev_socket(struct finding *, const char *key,
		     const struct sock_rec *);
void		 anomaly_owner(const struct anomaly_ctx *,
		     const struct sock_rec *, uint64_t *key, char *subject,
		     size_t size, int32_t *pid);
int32_t		 anomaly_holder(const struct anomaly_ctx *,
		     const struct sock_rec *, char *buf, size_t size);
uint32_t	 anomaly_local_listener(const struct anomaly_ctx *,
		     const struct sock_rec *);
uint64_t	 anomaly_mix(uint64_t h, uint64_t v);
void		 anomaly_sort_keyed(struct keyed *, size_t);
double		 anomaly_sysctl(const struct anomaly_ctx *, enum sysctl_id,
		     double fallback);

extern const struct rule_param anomaly_syn_flood_params[];
extern const struct rule_param anomaly_accept_queue_params[];
extern const struct rule_param anomaly_close_wait_params[];
extern const struct rule_param anomaly_fin_wait2_params[];
extern const struct rule_param anomaly_orphans_params[];
extern const struct rule_param anomaly_time_wait_params[];
extern const struct rule_param anomaly_retransmits_params[];
extern const struct rule_param anomaly_zero_window_params[];
extern const struct rule_param anomaly_dead_peer_params[];

void	anomaly_check_syn_flood(struct anomaly_ctx *);
void	anomaly_check_accept_queue(struct anomaly_ctx *);
void	anomaly_check_close_wait(struct anomaly_ctx *);
void	anomaly_check_fin_wait2(struct anomaly_ctx *);
void	anomaly_check_orphans(struct anomaly_ctx *);
void	anomaly_check_time_wait(struct anomaly_ctx *);
void	anomaly_check_retransmits(struct anomaly_ctx *);
void	anomaly_check_zero_window(struct anomaly_ctx *);
void	anomaly_check_dead_peer(struct anomaly_ctx *);

int	anomaly_wants_close_wait(const struct sock_rec *, int is_new);
int	anomaly_wants_fin_wait2(const struct sock_rec *, int is_new);
int	anomaly_wants_retransmits(const struct sock_rec *, int is_new);
int	anomaly_wants_zero_window(const struct sock_rec *, int is_new);
int	anomaly_wants_dead_peer(const struct sock_rec *, int is_new);

#endif
