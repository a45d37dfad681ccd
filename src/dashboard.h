/*
 * dashboard.h - the dashboard: its driver (source, monitor, view) and
 * what it is plugged into (the monitor's model, process map and rules,
 * and the kill engine), behind the one struct tui_core the view reads.
 */
#ifndef SOCKWATCH_DASHBOARD_H
#define SOCKWATCH_DASHBOARD_H

#include "anomaly.h"

/* A dashboard left open all day on a busy host costs at most this. */
#define DASHBOARD_CPU_BUDGET	0.08

struct options;
struct source_options;

int	dashboard_run(const struct options *, const struct anomaly_config *,
	    const struct source_options *);

#endif
