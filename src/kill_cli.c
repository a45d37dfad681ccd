/*
 * kill_cli.c - `sockwatch --kill FILTER`: list what the filter matches, ask
 * once on a terminal (or take --yes), destroy, and report every outcome.
 *
 * The answer may come minutes after the list: just before each destroy the
 * socket is looked up again and the whole filter judges it as it is now
 * (an ESTABLISHED connection listed may be in CLOSE_WAIT by then). What no
 * longer matches is skipped; every line shows the socket as it is now.
 *
 * The destroying itself is kill.c's; this file is the conversation with the
 * user and the exit status.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "filter.h"
#include "format.h"
#include "kill.h"
#include "kill_cli.h"
#include "log.h"
#include "monitor.h"
#include "nls.h"
#include "xmalloc.h"

static void
print_sock(FILE *f, const char *prefix, const struct sock_rec *s)
{
	char local[ADDR_STRLEN], peer[ADDR_STRLEN];

	format_addr(local, sizeof local, s->family, s->src, s->sport);
	format_addr(peer, sizeof peer, s->family, s->dst, s->dport);
	fprintf(f, "%s%-12s %-24s %-24s uid %u cookie 0x%llx\n", prefix,
	    sock_state_name(s->state), local, peer, s->uid,
	    (unsigned long long)s->cookie);
}

/* Ask once for all of them; only a "yes" in the user's language counts. */
static int
confirm(size_t n)
{
	char line[64];

	fprintf(stderr, ngettext("Destroy this socket? [y/N] ",
	    "Destroy these %zu sockets? [y/N] ", n), n);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return rpmatch(line) == 1;
}

/* One line per socket as it is now, then one explanation per outcome. */
static void
report(const struct sock_rec *now, size_t n, const enum kill_outcome *out,
    char **causes)
{
	size_t i, count[KILL_NOUTCOMES] = { 0 };
	char prefix[32];
	int o;

	for (i = 0; i < n; i++) {
		snprintf(prefix, sizeof prefix, "%-17s ",
		    kill_outcome_name(out[i]));
		print_sock(stdout, prefix, &now[i]);
		count[out[i]]++;
		if (out[i] == KILL_FAILED)
			log_warn(_("could not destroy a socket: %s"), causes[i]);
	}
	for (o = KILL_GONE; o < KILL_FAILED; o++) {
		if (count[o] == 0 || kill_outcome_advice(o) == NULL)
			continue;
		log_warn(ngettext("%s (%zu socket): %s", "%s (%zu sockets): %s",
		    count[o]), kill_outcome_name(o), count[o],
		    kill_outcome_advice(o));
	}
}

/* The lookup of the live kernel, through the source's netlink socket. */
int
kill_cli_lookup(void *kernel, const struct sock_rec *s, struct sock_rec *now,
    char **cause)
{
	struct kill_cli_kernel *k = kernel;

	if (diag_get_one(k->diag, s, 0, &k->one, cause) < 0)
		return -1;
	if (k->one.n == 0 || k->one.socks[0].cookie != s->cookie)
		return 0;
	*now = k->one.socks[0];
	return 1;
}

/* What the filter's age and process terms read for a socket looked up again. */
struct recheck_ctx {
	const struct kill_recheck	*rc;
	const struct sock_rec		*listed;
	const struct model_sock		*ms;	/* the listed one's figures */
	double				 since;	/* seconds since the listing */
	struct filter_proc		 proc;
};

/*
 * Its ages grew by the time since the listing (a known age stays known, a
 * lower bound stays one); a socket that changed state since has a state
 * age no one measured, only its lower bound 0, which leaves an age term
 * undecided: not destroyed.
 */
static void
recheck_ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	const struct recheck_ctx *c = arg;

	age->s = c->ms->age_s + c->since;
	age->known = (c->ms->flags & MODEL_AGE_KNOWN) != 0;
	if (s->state != c->listed->state) {
		state_age->s = 0;	/* at least: it began after the listing */
		state_age->known = 0;
	} else {
		state_age->s = c->ms->state_age_s + c->since;
		state_age->known = (c->ms->flags & MODEL_STATE_KNOWN) != 0;
	}
}

static size_t
recheck_procs(void *arg, const struct sock_rec *s,
    const struct filter_proc **out)
{
	struct recheck_ctx *c = arg;

	*out = &c->proc;
	return monitor_filter_proc(c->rc->mon, s, &c->proc);
}

static double
seconds_since(const struct timespec *then)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)(ts.tv_sec - then->tv_sec) +
	    (double)(ts.tv_nsec - then->tv_nsec) / 1e9;
}

/*
 * Look the i-th listed socket up again into *now and judge it by the whole
 * filter. Returns 1 when it is still to be destroyed, else 0 with its
 * outcome (gone, skipped, or failed with a cause).
 */
static int
still_matches(const struct kill_recheck *rc, const struct snapshot *snap,
    size_t i, struct sock_rec *now, enum kill_outcome *out, char **cause)
{
	struct recheck_ctx ctx = { rc, &snap->socks[i], NULL, 0, { 0, NULL } };
	struct filter_facts ex = { recheck_ages, recheck_procs, &ctx };
	char *why = NULL;
	int ret;

	*now = snap->socks[i];
	if ((ret = rc->lookup(rc->lookup_arg, &snap->socks[i], now, &why)) < 0) {
		xasprintf(cause, _("cannot look it up again: %s"), why);
		free(why);
		*out = KILL_FAILED;
		return 0;
	}
	if (ret == 0) {
		*out = KILL_GONE;
		return 0;
	}
	if (now->state != snap->socks[i].state &&
	    (rc->states & TS_BIT(now->state)) == 0) {
		*out = KILL_SKIPPED;
		return 0;
	}
	if (rc->mon != NULL) {
		ctx.ms = monitor_sock(rc->mon, i);
		ctx.since = seconds_since(&snap->when);
	}
	ret = filter_match(rc->filter, now, rc->mon != NULL ? &ex : NULL, &why);
	free(why);
	if (ret != 1) {
		*out = KILL_SKIPPED;
		return 0;
	}
	return 1;
}

/* Destroy what still matches, each right after its lookup. */
static void
destroy(struct kill *k, const struct snapshot *snap,
    const struct kill_recheck *rc, struct sock_rec *now,
    enum kill_outcome *out, char **causes)
{
	size_t i;

	for (i = 0; i < snap->n; i++) {
		now[i] = snap->socks[i];
		if (rc == NULL || still_matches(rc, snap, i, &now[i], &out[i],
		    &causes[i]))
			out[i] = kill_destroy(k, &now[i], &causes[i]);
	}
}

/*
 * Destroy the sockets of snap, which the filter already selected; rc (may
 * be NULL: no second look) looks each up again first. k may be NULL with
 * dry_run. undecided: sockets left out because the filter's age term could
 * not judge them (said, so that "age < 1m" matching nothing is not taken
 * for "no young connection"). Returns the exit status.
 */
int
kill_cli_run(struct kill *k, const struct snapshot *snap,
    const struct kill_cli *opt, size_t undecided,
    const struct kill_recheck *rc)
{
	enum kill_outcome *out;
	struct sock_rec *now;
	char **causes;
	size_t i;
	int status;

	if (undecided > 0)
		log_warn(ngettext("skipped %zu socket whose age is not known, "
		    "only a lower bound (sockwatch did not see it begin): "
		    "the filter's age term cannot judge it",
		    "skipped %zu sockets whose age is not known, only a lower "
		    "bound (sockwatch did not see them begin): the filter's "
		    "age term cannot judge them", undecided), undecided);
	if (snap->n == 0) {
		log_warn("%s", _("no socket matches the filter: nothing to "
		    "destroy"));
		return EXIT_OK;
	}
	for (i = 0; i < snap->n; i++)
		print_sock(stdout, "", &snap->socks[i]);
	fflush(stdout);
	if (opt->dry_run) {
		log_warn(ngettext("dry run: %zu socket matches, none destroyed",
		    "dry run: %zu sockets match, none destroyed", snap->n),
		    snap->n);
		return EXIT_OK;
	}
	if (!opt->yes && !isatty(STDIN_FILENO))
		log_die(EXIT_USAGE, "%s", _("--kill asks for confirmation on a "
		    "terminal: add --yes to destroy without asking"));
	if (!opt->yes && !confirm(snap->n)) {
		log_warn("%s", _("nothing destroyed"));
		return EXIT_OK;
	}
	out = xcalloc(snap->n, sizeof *out);
	causes = xcalloc(snap->n, sizeof *causes);
	now = xcalloc(snap->n, sizeof *now);
	destroy(k, snap, rc, now, out, causes);
	report(now, snap->n, out, causes);
	status = kill_status(out, snap->n);
	for (i = 0; i < snap->n; i++)
		free(causes[i]);
	free(causes);
	free(now);
	free(out);
	return status;
}
