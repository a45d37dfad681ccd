/*
 * sockgen_verify.c - what was built, checked and told.
 *
 * Before anything is announced, /proc/net/tcp{,6} of each namespace must
 * hold exactly the sockets built, in their states and families: a view of
 * the kernel independent of sock_diag, which sockwatch uses. Then the
 * manifest says what the tests must find.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>

#include "sockgen.h"

static int
compare_rows(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
expected_rows(enum sockgen_role role, size_t *n)
{
	char **rows = NULL, row[SOCKGEN_ROW_STRLEN];
	size_t i;

	*n = 0;
	for (i = 0; i < sockgen_nsocks; i++) {
		const struct gsock *g = &sockgen_socks[i];

		if (g->role != role || g->state == 0)
			continue;
		sockgen_format_row(row, sizeof row, g->state, &g->local,
		    &g->peer);
		rows = sockgen_reallocarray(rows, *n + 1, sizeof *rows);
		if ((rows[(*n)++] = strdup(row)) == NULL)
			sockgen_die("out of memory");
	}
	qsort(rows, *n, sizeof *rows, compare_rows);
	return rows;
}

static void
free_rows(char **rows, size_t n)
{
	while (n > 0)
		free(rows[--n]);
	free(rows);
}

/* Print up to a few rows found on one side only; returns how many differ. */
static size_t
report_diff(char **want, size_t nw, char **have, size_t nh, int print)
{
	size_t i = 0, j = 0, diff = 0;
	int c;

	while (i < nw || j < nh) {
		c = i == nw ? 1 : j == nh ? -1 : strcmp(want[i], have[j]);
		if (c != 0 && print && diff < 10)
			fprintf(stderr, "sockgen: %s: %s\n",
			    c < 0 ? "missing" : "unexpected",
			    c < 0 ? want[i] : have[j]);
		diff += c != 0;
		i += c <= 0;
		j += c >= 0;
	}
	return diff;
}

/*
 * A socket closed in FIN_WAIT2 is usually turned into a timewait mini
 * socket, but when the peer's ACK of its FIN arrives while close() still
 * holds the socket, the kernel keeps it whole, an orphan, for
 * tcp_fin_timeout. Only the kernel knows which; its timer column says.
 */
static void
learn_holders(enum sockgen_role role)
{
	char row[SOCKGEN_ROW_STRLEN];
	size_t i;

	for (i = 0; i < sockgen_nsocks; i++) {
		struct gsock *g = &sockgen_socks[i];

		if (g->role != role || g->state != TCP_FIN_WAIT2 ||
		    g->holder == NULL)
			continue;
		sockgen_format_row(row, sizeof row, g->state, &g->local,
		    &g->peer);
		g->holder = sockgen_has_row(row, 1) ? "timewait" : "orphan";
	}
}

/* /proc/net/tcp{,6} of a namespace must hold exactly what was built. */
void
sockgen_verify(enum sockgen_role role)
{
	double deadline = sockgen_now() + sockgen_opt.timeout;
	char **want, **have;
	size_t nw, nh, diff;

	sockgen_enter(role);
	want = expected_rows(role, &nw);
	for (;;) {
		have = sockgen_proc_rows(&nh, 0);
		qsort(have, nh, sizeof *have, compare_rows);
		diff = report_diff(want, nw, have, nh,
		    sockgen_now() > deadline);
		free_rows(have, nh);
		if (diff == 0)
			break;
		if (sockgen_now() > deadline)
			sockgen_die("namespace %s: %zu sockets differ from "
			    "what was built after %u s",
			    sockgen_opt.ns_name[role], diff,
			    sockgen_opt.timeout);
		sockgen_nap();
	}
	free_rows(want, nw);
	learn_holders(role);
}

static void
print_listener(const struct gsock *l)
{
	char a[SOCKGEN_ADDR_STRLEN];
	unsigned queued = 0, requests = 0;
	size_t i;

	for (i = 0; i < sockgen_nsocks; i++) {
		const struct gsock *g = &sockgen_socks[i];

		if (g->role != SERVER || g->scen != l->scen || g->fd >= 0)
			continue;
		if (!sockgen_scenarios[l->scen].dual &&
		    g->local.ss_family != l->local.ss_family)
			continue;
		queued += g->state == TCP_ESTABLISHED;
		requests += g->state == TCP_SYN_RECV;
	}
	sockgen_format_addr(a, sizeof a, &l->local);
	printf("listener %s %s %u %d %u\n", sockgen_opt.ns_name[SERVER], a,
	    queued, sockgen_backlog(l->scen), requests);
}

void
sockgen_print_manifest(void)
{
	char l[SOCKGEN_ADDR_STRLEN], p[SOCKGEN_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < sockgen_nsocks; i++) {
		const struct gsock *g = &sockgen_socks[i];

		if (g->state == 0)
			continue;
		sockgen_format_addr(l, sizeof l, &g->local);
		sockgen_format_addr(p, sizeof p, &g->peer);
		printf("socket %s %s %s %s %s %s %s\n",
		    sockgen_opt.ns_name[g->role], sockgen_state_name(g->state),
		    sockgen_family_name(&g->local), l, p,
		    sockgen_scenarios[g->scen].name,
		    g->fd >= 0 ? "file" : g->holder != NULL ? g->holder :
		    "queue");
	}
	for (i = 0; i < sockgen_nsocks; i++)
		if (sockgen_socks[i].listener)
			print_listener(&sockgen_socks[i]);
	printf("READY\n");
	if (fflush(stdout) != 0)
		sockgen_die("cannot write the manifest: %s", strerror(errno));
}
