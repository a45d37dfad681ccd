/*
 * run.h - the modes that poll and exit: the batch report, of one network
 * namespace or of all (-N all), and --kill. main.c parses the options and
 * picks one; the dashboard has its own driver.
 */
#ifndef SOCKWATCH_RUN_H
#define SOCKWATCH_RUN_H

#include "anomaly.h"
#include "options.h"
#include "source.h"

int	run_batch(const struct options *);
int	run_batch_all(const struct options *);
int	run_kill(const struct options *);

/* What every mode reads: the rules' settings, the source's options. */
void	run_load_config(const struct options *, struct anomaly_config *);
void	run_source_options(struct source_options *, const struct options *,
	    double mode_budget);

#endif
