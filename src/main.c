/*
 * main.c - mode dispatch: the batch report and --kill (run.c), the
 * dashboard (dashboard.c).
 *
 * One pipeline serves every mode: a source (the kernel, or a recording)
 * fills a snapshot, the core groups it, a sink prints it.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include "anomaly.h"
#include "dashboard.h"
#include "filter.h"
#include "log.h"
#include "netns.h"
#include "nls.h"
#include "options.h"
#include "resolve.h"
#include "run.h"
#include "source.h"


/* The dashboard.c's driver, with the thresholds and its source's options. */
static int
run_dashboard(const struct options *opt)
{
	struct anomaly_config acfg;
	struct source_options so;

	run_load_config(opt, &acfg);
	run_source_options(&so, opt, DASHBOARD_CPU_BUDGET);
	return dashboard_run(opt, &acfg, &so);
}

/*
 * The name reports show and history is kept under: -N's, else that of the
 * namespace sockwatch runs in (`ip netns exec NAME`) unless it is the
 * host's. Returns what to free.
 */
static char *
name_netns(struct options *opt)
{
	char *own = NULL;

	if (opt->netns == NULL && opt->replay == NULL)
		own = netns_self_name("/proc", "/run/netns");
	opt->netns_name = opt->netns != NULL ? opt->netns : own;
	return own;
}

int
main(int argc, char **argv)
{
	struct options opt;
	char *own_netns;
	int status;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
#if ENABLE_NLS
	{
		/* Tests read catalogues from the build tree. */
		const char *dir = getenv("SOCKWATCH_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
		    LOCALEDIR);
		textdomain(PACKAGE);
	}
#endif
	filter_set_names(&resolve_filter_names);
	options_parse(argc, argv, &opt);
	own_netns = name_netns(&opt);
	if (opt.kill)
		status = run_kill(&opt);
	else if (!opt.batch && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
		status = run_dashboard(&opt);
	else if (opt.all_netns)
		status = run_batch_all(&opt);
	else
		status = run_batch(&opt);
	filter_free(opt.filter);
	free(opt.filter_text);
	free(own_netns);
	free(opt.sets);
	close_stdout();
	return status;
}
