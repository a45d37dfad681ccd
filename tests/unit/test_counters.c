/*
 * test_counters.c - the /proc counter parsers on real kernel text, and
 * rates that treat a decrease as a reset.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "counters.h"
#include "replay.h"

static char *
slurp(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;

	snprintf(path, sizeof path, "%s/data/%s", getenv("TESTS_SRCDIR") ?
	    getenv("TESTS_SRCDIR") : "tests", name);
	f = fopen(path, "r");
	assert_non_null(f);
	buf = malloc(1 << 16);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void
test_netstat(void **state)
{
	struct counters c;
	size_t len;
	char *text = slurp("proc-netstat.txt", &len);

	(void)state;
	counters_init(&c);
	assert_int_equal(counters_parse_table(&c, text, len), 0);
	assert_true(COUNTER_KNOWN(&c, CTR_TW));
	assert_int_equal(c.v[CTR_TW], 19);
	assert_int_equal(c.v[CTR_TIMEOUTS], 2);
	assert_true(COUNTER_KNOWN(&c, CTR_LISTEN_OVERFLOWS));
	assert_int_equal(c.v[CTR_LISTEN_OVERFLOWS], 0);
	assert_true(COUNTER_KNOWN(&c, CTR_REQQ_FULL_DROP));
	/* netstat has no Tcp: line */
	assert_false(COUNTER_KNOWN(&c, CTR_OUT_SEGS));
	free(text);
}

static void
test_snmp(void **state)
{
	struct counters c;
	size_t len;
	char *text = slurp("proc-snmp.txt", &len);

	(void)state;
	counters_init(&c);
	assert_int_equal(counters_parse_table(&c, text, len), 0);
	assert_int_equal(c.v[CTR_ACTIVE_OPENS], 23);
	assert_int_equal(c.v[CTR_PASSIVE_OPENS], 6);
	assert_int_equal(c.v[CTR_OUT_SEGS], 401);
	assert_int_equal(c.v[CTR_OUT_RSTS], 5);
	assert_false(COUNTER_KNOWN(&c, CTR_TW));
	free(text);
}

static void
test_table_bad(void **state)
{
	static const char mismatch[] = "TcpExt: A B\nIpExt: 1 2\n";
	static const char short_values[] = "TcpExt: TW ListenDrops\nTcpExt: 7\n";
	static const char odd[] = "TcpExt: TW\n";
	struct counters c;

	(void)state;
	counters_init(&c);
	assert_int_equal(counters_parse_table(&c, mismatch,
	    sizeof mismatch - 1), -1);
	assert_int_equal(counters_parse_table(&c, short_values,
	    sizeof short_values - 1), -1);
	assert_int_equal(counters_parse_table(&c, odd, sizeof odd - 1), -1);
}

static void
test_sockstat(void **state)
{
	static const char text[] = "sockets: used 16\n"
	    "TCP: inuse 7 orphan 3 tw 1042 alloc 9 mem 97\nUDP: inuse 0 mem 0\n";
	struct counters c;
	size_t len;
	char *real = slurp("proc-sockstat.txt", &len);

	(void)state;
	counters_init(&c);
	assert_int_equal(counters_parse_sockstat(&c, text, sizeof text - 1), 0);
	assert_int_equal(c.v[CTR_ORPHANS], 3);
	assert_int_equal(c.v[CTR_TW_SOCKETS], 1042);
	counters_init(&c);
	assert_int_equal(counters_parse_sockstat(&c, real, len), 0);
	assert_true(COUNTER_KNOWN(&c, CTR_ORPHANS));
	free(real);
}

static void
test_sysctls(void **state)
{
	struct counters c;

	(void)state;
	counters_init(&c);
	assert_int_equal(counters_parse_sysctl(&c, SYS_SOMAXCONN, "4096\n", 5), 0);
	assert_int_equal(c.sys[SYS_SOMAXCONN], 4096);
	/* reservations need the range first */
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORTS_RESERVED,
	    "40000\n", 6), -1);
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORT_LOW,
	    "32768\t60999\n", 12), 0);
	assert_int_equal(c.sys[SYS_PORT_HIGH], 60999);
	assert_int_equal(counters_usable_ports(&c), 28232);
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORTS_RESERVED,
	    "8080,40000-40009,60990-61010\n", 29), 0);
	assert_int_equal(c.sys[SYS_PORTS_RESERVED], 20);
	assert_int_equal(counters_usable_ports(&c), 28212);
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORTS_RESERVED, "\n", 1),
	    0);
	assert_int_equal(c.sys[SYS_PORTS_RESERVED], 0);
	assert_int_equal(counters_parse_sysctl(&c, SYS_FIN_TIMEOUT, "x", 1), -1);
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORT_LOW, "9 5", 3), -1);
	/* A recording's hostile values are refused, not summed. */
	assert_int_equal(counters_parse_sysctl(&c, SYS_PORT_LOW,
	    "0 18446744073709551615", 22), -1);
	assert_int_equal(counters_parse_sysctl(&c, SYS_SOMAXCONN,
	    "9223372036854775807", 19), -1);
	c.sys[SYS_PORT_LOW] = INT64_MIN;
	c.sys[SYS_PORT_HIGH] = INT64_MAX;
	c.sys[SYS_PORTS_RESERVED] = INT64_MIN;
	assert_int_equal(counters_usable_ports(&c), 65536);
}

static void
test_rates(void **state)
{
	struct counters a, b;
	struct counter_rates r;

	(void)state;
	counters_init(&a);
	counters_init(&b);
	a.when.tv_sec = 100;
	b.when.tv_sec = 102;
	a.v[CTR_LISTEN_DROPS] = 10;
	b.v[CTR_LISTEN_DROPS] = 30;
	a.v[CTR_OUT_SEGS] = 500;
	b.v[CTR_OUT_SEGS] = 20;		/* reset (namespace recreated) */
	a.known = b.known = 1u << CTR_LISTEN_DROPS | 1u << CTR_OUT_SEGS;
	counters_rates(&a, &b, &r);
	assert_true(r.known & 1u << CTR_LISTEN_DROPS);
	assert_int_equal(r.delta[CTR_LISTEN_DROPS], 20);
	assert_true(r.rate[CTR_LISTEN_DROPS] > 9.99 &&
	    r.rate[CTR_LISTEN_DROPS] < 10.01);
	assert_false(r.known & 1u << CTR_OUT_SEGS);
	assert_true(r.reset & 1u << CTR_OUT_SEGS);
	counters_rates(NULL, &b, &r);
	assert_true(r.seconds == 0 && r.known == 0);
}

/* Counters recorded with a poll come back from the replay unchanged. */
static void
test_record_replay(void **state)
{
	char path[] = "/tmp/sockwatch-counters-XXXXXX";
	struct snapshot snap;
	struct recorder *rec;
	struct replay *r;
	struct counters live, again;
	char *cause = NULL;
	int fd, i;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	snapshot_init(&snap);
	strcpy(snap.host, "h");
	assert_non_null(rec = recorder_open(path, &cause));
	assert_int_equal(recorder_poll(rec, &snap), 0);
	counters_read(&live, rec);
	assert_int_equal(recorder_frame(rec, REC_END, NULL, 0), 0);
	assert_int_equal(recorder_close(rec, &cause), 0);
	assert_true(COUNTER_KNOWN(&live, CTR_OUT_SEGS));
	assert_true(SYSCTL_KNOWN(&live, SYS_PORT_LOW));

	assert_non_null(r = replay_open(path, &cause));
	counters_replay(&again, r, 0);
	assert_int_equal(again.known, live.known);
	assert_int_equal(again.sys_known, live.sys_known);
	for (i = 0; i < CTR_COUNT; i++)
		assert_int_equal(again.v[i], live.v[i]);
	for (i = 0; i < SYS_COUNT; i++)
		assert_int_equal(again.sys[i], live.sys[i]);
	replay_close(r);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netstat),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_table_bad),
		cmocka_unit_test(test_sockstat),
		cmocka_unit_test(test_sysctls),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_record_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
