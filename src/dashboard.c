/*
 * dashboard.c - the dashboard's extras: kill for now.
 *
 * The netlink socket for destroying is opened at the first kill, not at
 * start: most dashboards never kill, and a user without CAP_NET_ADMIN
 * should learn that when they try, with the reason.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "kill.h"
#include "nls.h"
#include "xmalloc.h"

struct dashboard {
	struct tui_extras	 extras;
	struct kill		*kill;
};

/* Why the first failure failed, with what to do about it. */
static void
explain_failure(char **cause, enum kill_outcome outcome, char *why)
{
	const char *advice = kill_outcome_advice(outcome);

	if (*cause != NULL)
		return;
	if (advice != NULL && *advice != '\0')
		xasprintf(cause, "%s: %s", why != NULL ? why :
		    kill_outcome_name(outcome), advice);
	else
		*cause = xstrdup(why != NULL ? why : kill_outcome_name(outcome));
}

static int
dashboard_kill(void *arg, const struct snapshot *snap, const uint32_t *idx,
    size_t n, char **cause)
{
	struct dashboard *d = arg;
	enum kill_outcome outcome;
	char *why;
	size_t i;
	int gone = 0;

	*cause = NULL;
	if (d->kill == NULL && (d->kill = kill_open(cause)) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		why = NULL;
		outcome = kill_destroy(d->kill, &snap->socks[idx[i]], &why);
		if (kill_gone(outcome))
			gone++;
		else
			explain_failure(cause, outcome, why);
		free(why);
	}
	return gone;
}

struct dashboard *
dashboard_create(int readonly)
{
	struct dashboard *d = xcalloc(1, sizeof *d);

	d->extras.arg = d;
	if (!readonly)
		d->extras.kill = dashboard_kill;
	return d;
}

const struct tui_extras *
dashboard_extras(struct dashboard *d)
{
	return &d->extras;
}

void
dashboard_free(struct dashboard *d)
{
	if (d == NULL)
		return;
	kill_close(d->kill);
	free(d);
}
