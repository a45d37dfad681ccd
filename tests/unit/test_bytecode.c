/*
 * test_bytecode.c - the inet_diag bytecode compiler against the user-space
 * matcher.
 *
 * The kernel's interpreter and audit are written again in bc_kernel.c from
 * their behaviour (net/ipv4/inet_diag.c). For every filter and record: the audit passes; the
 * bytecode and the state mask accept every record the filter matches; and
 * for filters made only of terms the kernel knows, they accept exactly
 * those. Records come from synthetic sets, random filters and recorded
 * dumps in tests/data.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/inet_diag.h>

#include "bc_kernel.h"
#include "filter.h"
#include "replay.h"
#include "sock.h"
#include "xmalloc.h"

static void
ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	(void)arg;
	age->s = s->sport % 600;
	age->known = 1;
	state_age->s = s->dport % 600;
	state_age->known = 1;
}

static size_t
procs(void *arg, const struct sock_rec *s, const struct filter_proc **out)
{
	static const struct filter_proc p = { 812, "nginx" };

	(void)arg;
	*out = &p;
	return s->sport % 2;
}

static const struct filter_facts facts = { ages, procs, NULL };

/*
 * Check one filter on n records. exact: the filter uses only terms the
 * kernel evaluates, so bytecode and state mask must agree exactly.
 */
static void
check_filter(const char *text, const struct sock_rec *socks, size_t n,
    int exact)
{
	struct filter *f;
	char *cause = NULL;
	void *bc;
	size_t len, i;
	uint32_t states;
	int m, k;

	if ((f = filter_parse(text, &cause)) == NULL)
		fail_msg("'%s': %s", text, cause);
	assert_int_equal(filter_compile(f, &bc, &len), 0);
	if (bc != NULL && bc_kernel_audit(bc, (int)len) < 0)
		fail_msg("'%s': the kernel's audit would refuse the bytecode",
		    text);
	states = filter_states(f);
	for (i = 0; i < n; i++) {
		m = filter_match(f, &socks[i], &facts, &cause);
		k = bc == NULL ? 1 : bc_kernel_run(bc, (int)len, &socks[i]);
		if (k < 0)
			fail_msg("'%s': an unknown instruction", text);
		k = k && (states & TS_BIT(socks[i].state)) != 0;
		if (m == 1 && !k)
			fail_msg("'%s': the kernel would drop record %zu that "
			    "the filter matches", text, i);
		if (exact && m != k)
			fail_msg("'%s': kernel %d, filter %d on record %zu",
			    text, k, m, i);
	}
	free(bc);
	filter_free(f);
}

static const struct {
	const char	*text;
	int		 exact;
} filters[] = {
	{ "sport = :80", 1 },
	{ "sport != :80", 1 },
	{ "sport < :1024", 1 },
	{ "sport > :1024", 1 },
	{ "sport <= :1024", 1 },
	{ "sport >= :1024 and dport < :2000", 1 },
	{ "dport = :443 or dport = :8443", 1 },
	{ "not ( dport = :443 or sport = :8080 )", 1 },
	{ "src 10.0.0.0/8", 1 },
	{ "src 127.0.0.1:80", 1 },
	{ "dst [::1]", 1 },
	{ "dst ::/0", 1 },
	{ "src ::ffff:127.0.0.0/104", 1 },
	{ "src 0.0.0.0/0", 1 },
	{ "src *:80 or dst :80", 1 },
	{ "src != 127.0.0.0/8 and not dst [2001:db8::]/32:443", 1 },
	{ "state established", 1 },
	{ "state listen or state time-wait", 1 },
	{ "exclude listen sport = :80", 1 },
	{ "state connected and ( sport = :80 or dport = :80 )", 1 },
	{ "state listen or sport = :80", 0 },
	{ "not ( state listen and src 127.0.0.1 )", 0 },
	{ "recv-q > 0", 0 },
	{ "recv-q > 0 or sport = :80", 0 },
	{ "recv-q > 0 and sport = :80", 0 },
	{ "not ( recv-q > 0 and sport = :80 )", 0 },
	{ "not ( recv-q > 0 or sport = :80 )", 0 },
	{ "age > 5m and dst 10.0.0.0/8", 0 },
	{ "not ( process nginx or not dport = :80 )", 0 },
	{ "uid 0 or not ( pid > 100 and sport > :5 )", 0 },
	{ "not not not sport = :80", 1 },
};

/* Records over families, addresses and ports, in many states. */
static struct sock_rec *
synthetic(size_t *n)
{
	static const char *const addrs[] = {
		"127.0.0.1", "10.1.2.3", "0.0.0.0", "::1", "2001:db8::7",
		"::ffff:127.0.0.1", "::ffff:10.9.9.9", "::",
	};
	static const int ports[] = { 0, 1, 80, 443, 1023, 1024, 1025, 8080,
	    8443, 65535 };
	size_t na = sizeof addrs / sizeof addrs[0];
	size_t np = sizeof ports / sizeof ports[0];
	struct sock_rec *v = xcalloc(na * na * np * np, sizeof *v), *s;
	size_t a, b, p, q;

	*n = 0;
	for (a = 0; a < na; a++)
	for (b = 0; b < na; b++) {
		int fa = strchr(addrs[a], ':') ? AF_INET6 : AF_INET;
		int fb = strchr(addrs[b], ':') ? AF_INET6 : AF_INET;

		if (fa != fb)
			continue;
		for (p = 0; p < np; p++)
		for (q = 0; q < np; q++) {
			s = &v[(*n)++];
			s->family = (uint8_t)fa;
			inet_pton(fa, addrs[a], s->src);
			inet_pton(fb, addrs[b], s->dst);
			s->sport = (uint16_t)ports[p];
			s->dport = (uint16_t)ports[q];
			s->state = (uint8_t)(1 + (*n % TS_COUNT));
			s->rqueue = (uint32_t)(*n % 3);
		}
	}
	return v;
}

static void
test_synthetic(void **state)
{
	struct sock_rec *socks;
	size_t n, i;

	(void)state;
	socks = synthetic(&n);
	for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
		check_filter(filters[i].text, socks, n, filters[i].exact);
	free(socks);
}

/* A random filter of depth at most d; *exact cleared by other terms. */
static void
random_filter(char *buf, size_t size, int d, int *exact)
    __attribute__((nonnull));

/* Depth 4 stays under 600 characters, so nothing is cut. */
static void
random_filter(char *buf, size_t size, int d, int *exact)
{
	static const char *const kernel[] = {
		"sport = :80", "sport > :1024", "dport < :1025", "dport >= :443",
		"sport <= :8080", "src 127.0.0.0/8", "dst ::1", "src *:8443",
		"dst 10.0.0.0/8:80", "src ::ffff:10.0.0.0/104", "dst 0/0",
		"state established", "exclude listen", "state bucket",
		"src [2001:db8::]/32", "dport != :0",
	};
	static const char *const other[] = {
		"recv-q > 0", "uid 0", "age > 1m", "process nginx", "pid 812",
	};
	char a[480], b[480];
	int r = rand() % 10;

	if (d == 0 || r < 3) {
		if (rand() % 6 == 0) {
			*exact = 0;
			snprintf(buf, size, "%s", other[rand() % 5]);
		} else
			snprintf(buf, size, "%s", kernel[rand() % 16]);
		return;
	}
	random_filter(a, sizeof a, d - 1, exact);
	if (r < 5) {
		snprintf(buf, size, "not ( %s )", a);
		return;
	}
	random_filter(b, sizeof b, d - 1, exact);
	snprintf(buf, size, "( %s ) %s ( %s )", a, r < 8 ? "and" : "or", b);
}

static void
test_random(void **state)
{
	struct sock_rec *socks;
	char text[1024];
	size_t n;
	int i, exact;

	(void)state;
	srand(5757);
	socks = synthetic(&n);
	for (i = 0; i < 300; i++) {
		exact = 1;
		random_filter(text, sizeof text, 4, &exact);
		/* States are exact only through the mask, at the top. */
		check_filter(text, socks, n, exact && strstr(text, "state") ==
		    NULL && strstr(text, "exclude") == NULL);
	}
	free(socks);
}

static void
test_recorded(void **state)
{
	struct snapshot snap;
	struct replay *r;
	struct dirent *e;
	char path[4096], *cause = NULL;
	size_t i, p, files = 0;
	DIR *d;

	(void)state;
	assert_non_null(d = opendir(TEST_DATADIR));
	snapshot_init(&snap);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".rec") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", TEST_DATADIR, e->d_name);
		if ((r = replay_open(path, &cause)) == NULL)
			fail_msg("%s: %s", path, cause);
		for (p = 0; p < replay_polls(r); p++) {
			assert_int_equal(replay_load(r, p, &snap, &cause), 0);
			for (i = 0; i < sizeof filters / sizeof filters[0]; i++)
				check_filter(filters[i].text, snap.socks, snap.n,
				    filters[i].exact);
		}
		replay_close(r);
		files++;
	}
	closedir(d);
	snapshot_free(&snap);
	assert_true(files >= 1);
}

static void
test_layout(void **state)
{
	struct filter *f;
	char *cause = NULL;
	void *bc;
	size_t len;

	(void)state;
	/* Nothing for the kernel: no bytecode at all. */
	f = filter_parse("state listen or recv-q > 0", &cause);
	assert_int_equal(filter_compile(f, &bc, &len), 0);
	assert_null(bc);
	assert_int_equal(len, 0);
	filter_free(f);
	/* One port: S_COND with an address-less hostcond. */
	f = filter_parse("sport = :80 and recv-q > 0", &cause);
	assert_int_equal(filter_compile(f, &bc, &len), 0);
	assert_int_equal(len, 12);
	assert_int_equal(((uint8_t *)bc)[0], INET_DIAG_BC_S_COND);
	assert_int_equal(bc_kernel_op(bc, 0).yes, 12);
	assert_int_equal(bc_kernel_op(bc, 0).no, 16);
	free(bc);
	filter_free(f);
}

static void
test_too_large(void **state)
{
	struct sock_rec *socks;
	char *text;
	size_t n, i;
	struct filter *f;
	char *cause = NULL;
	void *bc;

	(void)state;
	text = xcalloc(1, 1000 * 24);
	strcpy(text, "sport = :1");
	for (i = 2; i <= 1000; i++)
		sprintf(text + strlen(text), " or sport = :%zu", i);
	f = filter_parse(text, &cause);
	assert_non_null(f);
	assert_int_equal(filter_compile(f, &bc, &n), 0);
	assert_null(bc);	/* past 8 KiB the kernel gets nothing */
	filter_free(f);
	socks = synthetic(&n);
	check_filter(text, socks, n, 0);
	free(socks);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
