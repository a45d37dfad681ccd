/*
 * monitor.h - the core of one poll after the source: counters to rates,
 * the model, processes, and the rules, in the order they depend on each
 * other. Batch mode and the dashboard both drive it; sinks read it.
 */
#ifndef SOCKWATCH_MONITOR_H
#define SOCKWATCH_MONITOR_H

#include "anomaly.h"
#include "counters.h"
#include "model.h"
#include "proc.h"

#define MONITOR_READINGS		64	/* counter readings kept */
#define MONITOR_LONG_S		60	/* the window of "over a minute" rates */

struct monitor {
	struct anomaly_config	 cfg;
	struct model		 model;
	struct proc_map		 proc;
	int			 use_proc;	/* -p */
	/* -N all: one map for every namespace's monitor, brought up to date
	   by the caller (monitor_update_procs) before their updates. */
	struct proc_map		*shared_proc;
	struct anomaly_engine	 engine;
	struct counters		 readings[MONITOR_READINGS];	/* oldest first */
	size_t			 nreadings;
	struct counter_rates	 rates;
	struct counter_rates	 rates_long;
	int			 hidden_told;	/* said once: processes hidden */
	/* Whether each socket a dump's parse has tracked needs tcp_info
	   (monitor_track_parsed), parallel to the snapshot. */
	uint8_t			*want;
	size_t			 want_cap;
	/* monitor_select: sockets left out because an age term could not
	   judge them (their age is only a lower bound). */
	size_t			 undecided;
};

void	monitor_init(struct monitor *, const struct anomaly_config *,
	    int use_proc);
void	monitor_free(struct monitor *);
void	monitor_update(struct monitor *, const struct snapshot *,
	    const struct counters *);
void	monitor_update_procs(struct monitor *, const struct snapshot *);
const struct proc_map *monitor_procs(const struct monitor *);
const struct counters *monitor_counters(const struct monitor *);
int	monitor_wants_info(const struct monitor *, const struct sock_rec *);
void	monitor_wants_info_of(const struct monitor *, const struct snapshot *,
	    size_t from, size_t n, uint8_t *want);
void	monitor_track_parsed(struct monitor *, const struct snapshot *,
	    size_t from);
void	monitor_set_proc_budget(struct monitor *, size_t);
void	monitor_use_procs(struct monitor *, int on);
void	monitor_share_procs(struct monitor *, struct monitor *whole);
void	monitor_merge(struct monitor *, const struct snapshot *,
	    const struct monitor *const *, size_t,
	    const struct finding *const *, size_t);
/* What the judged poll left, read by the sinks, kill and the drivers. */
const struct model_sock *monitor_sock(const struct monitor *, size_t idx);
const struct groups *monitor_groups(const struct monitor *);
const struct finding *const *monitor_findings(const struct monitor *,
	    size_t *n);
enum severity	monitor_worst(const struct monitor *);
size_t	monitor_pending(const struct monitor *);
void	monitor_raise_at_once(struct monitor *);
struct filter;
struct filter_proc;
int	monitor_select(struct monitor *, struct snapshot *,
	    const struct filter *, char **cause);
size_t	monitor_filter_proc(const struct monitor *, const struct sock_rec *,
	    struct filter_proc *);

#endif
