/*
 * kill_cli.c - `sockwatch --kill FILTER`: list what the filter matches, ask
 * once on a terminal (or take --yes), destroy, and report every outcome.
 *
 * The destroying itself is kill.c's; this file is the conversation with the
 * user and the exit status.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "kill.h"
#include "kill_cli.h"
#include "log.h"
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

/* One line per socket, then one explanation per kind of refusal. */
static void
report(const struct snapshot *snap, const enum kill_outcome *out,
    char **causes)
{
	size_t i, count[KILL_NOUTCOMES] = { 0 };
	char prefix[32];
	int o;

	for (i = 0; i < snap->n; i++) {
		snprintf(prefix, sizeof prefix, "%-17s ",
		    kill_outcome_name(out[i]));
		print_sock(stdout, prefix, &snap->socks[i]);
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

/*
 * Destroy the sockets of snap, which the filter already selected. k may be
 * NULL with dry_run. undecided: sockets left out because the filter's age
 * term could not judge them (said, so that "age < 1m" matching nothing is
 * not taken for "no young connection"). Returns the exit status.
 */
int
kill_cli_run(struct kill *k, const struct snapshot *snap,
    const struct kill_cli *opt, size_t undecided)
{
	enum kill_outcome *out;
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
	kill_batch(k, snap->socks, snap->n, out, causes);
	report(snap, out, causes);
	status = kill_status(out, snap->n);
	for (i = 0; i < snap->n; i++)
		free(causes[i]);
	free(causes);
	free(out);
	return status;
}
