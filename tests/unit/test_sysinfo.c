/*
 * test_sysinfo.c - how many sockets a dump will hold, told by the kernel's
 * /proc/net/sockstat and sockstat6: the room made for the dump before it
 * begins, which the dump must not outgrow (a snapshot that grows while it
 * is filled is copied).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sysinfo.h"

/* A namespace's files, as the kernel wrote them, for this dump:
   ESTABLISHED 132000, FIN_WAIT2 6000, CLOSE_WAIT 6000, LISTEN 21 and
   TIME_WAIT 150000, a fifth of them IPv6 (and 6000 request sockets, in
   neither file). */
static const char sockstat[] =
    "sockets: used 144021\n"
    "TCP: inuse 115091 orphan 0 tw 150000 alloc 144022 mem 6210\n"
    "UDP: inuse 0 mem 0\n"
    "UDPLITE: inuse 0\n"
    "RAW: inuse 0\n"
    "FRAG: inuse 0 memory 0\n";
static const char sockstat6[] =
    "TCP6: inuse 28930\n"
    "UDP6: inuse 0\n"
    "UDPLITE6: inuse 0\n"
    "RAW6: inuse 0\n"
    "FRAG6: inuse 0 memory 0\n";

#define FULL_SOCKETS	(132000 + 6000 + 6000 + 21 + 150000)

static void
test_both_families(void **state)
{
	(void)state;
	/* inuse of sockstat is IPv4's alone: IPv6's is in sockstat6 */
	assert_int_equal(sysinfo_count_tcp(sockstat, sockstat6), FULL_SOCKETS);
}

static void
test_without_ipv6(void **state)
{
	(void)state;
	/* ipv6.disable=1: no sockstat6 */
	assert_int_equal(sysinfo_count_tcp(sockstat, NULL), 115091 + 150000);
	assert_int_equal(sysinfo_count_tcp(sockstat, "UDP6: inuse 0\n"),
	    115091 + 150000);
}

static void
test_unknown(void **state)
{
	(void)state;
	assert_int_equal(sysinfo_count_tcp("", sockstat6), 0);
	assert_int_equal(sysinfo_count_tcp("TCP: inuse x\n", sockstat6), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_families),
		cmocka_unit_test(test_without_ipv6),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
