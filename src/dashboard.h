/*
 * dashboard.h - what the dashboard is plugged into: the monitor (model,
 * process map, rules) and the kill engine, behind the one struct
 * tui_extras the view reads.
 */
#ifndef SOCKWATCH_DASHBOARD_H
#define SOCKWATCH_DASHBOARD_H

#include "anomaly.h"
#include "counters.h"
#include "tui_view.h"

struct allns;
struct dashboard;

struct dashboard	*dashboard_create(const struct anomaly_config *,
			     int processes, int readonly, int live);
void			 dashboard_watch_all(struct dashboard *,
			     struct allns *);
const struct tui_extras	*dashboard_extras(struct dashboard *);
struct counters		*dashboard_counters(struct dashboard *);
int			 dashboard_wants_info(const struct sock_rec *, void *);
void			 dashboard_restart(struct dashboard *);
void			 dashboard_free(struct dashboard *);

#endif
