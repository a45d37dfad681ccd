/*
 * test_format_oracle.c - the hand-written formatters of format.c against
 * the libc functions they replaced for speed: inet_ntop for IPv6, snprintf
 * for durations. The listing must not change by a byte when they do.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "format.h"

static void
check_ipv6(const uint8_t *a)
{
	char want[INET6_ADDRSTRLEN], got[ADDR_STRLEN];

	if (format_is_v4mapped(AF_INET6, a))
		return;		/* shown as IPv4 on purpose */
	assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
	assert_int_equal(format_ip(got, sizeof got, AF_INET6, a), strlen(want));
	assert_string_equal(got, want);
}

/* Every pattern of zero and non-zero groups, with short and long groups. */
static void
test_ipv6_zero_runs(void **state)
{
	static const unsigned vals[] = { 1, 0xf, 0x10, 0xff, 0x100, 0xfff,
	    0x1000, 0xffff, 0xabc };
	uint8_t a[16];
	unsigned mask, v, w, j, g;

	(void)state;
	for (mask = 0; mask < 256; mask++) {
		for (v = 0; v < 9; v++) {
			for (w = 0; w < 9; w++) {
				for (j = 0; j < 8; j++) {
					g = (mask >> j & 1) ? vals[j & 1 ? v : w] : 0;
					a[2 * j] = (uint8_t)(g >> 8);
					a[2 * j + 1] = (uint8_t)g;
				}
				check_ipv6(a);
			}
		}
	}
}

/* IPv4-compatible forms, which inet_ntop ends in dotted IPv4. */
static void
test_ipv6_embedded_ipv4(void **state)
{
	uint8_t a[16];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(a, 0, sizeof a);
		a[12] = 10;
		a[15] = (uint8_t)(i + 1);
		if (i == 1)
			a[13] = 1;
		if (i == 2)
			a[9] = 1;	/* not compatible: plain hex */
		check_ipv6(a);
	}
	memset(a, 0, sizeof a);
	a[15] = 1;
	check_ipv6(a);		/* ::1, not ::0.0.0.1 */
	memset(a, 0, sizeof a);
	check_ipv6(a);		/* :: */
}

static void
test_ipv6_random(void **state)
{
	uint8_t a[16];
	int i, j;

	(void)state;
	srandom(57);
	for (i = 0; i < 200000; i++) {
		for (j = 0; j < 16; j += 2) {
			long r = random();

			/* Zero groups half of the time, so runs of them occur. */
			a[j] = r & 1 ? 0 : (uint8_t)(r >> 8);
			a[j + 1] = r & 1 ? 0 : (uint8_t)(r >> 16);
		}
		check_ipv6(a);
	}
}

/* The snprintf code format_duration replaced. */
static size_t
old_duration(char *buf, size_t size, double seconds)
{
	unsigned long long s;
	int n;

	if (seconds < 0)
		seconds = 0;
	if (seconds < 1)
		n = snprintf(buf, size, "%dms", (int)(seconds * 1000));
	else if ((s = (unsigned long long)seconds) < 60)
		n = snprintf(buf, size, "%llus", s);
	else if (s < 3600)
		n = snprintf(buf, size, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		n = snprintf(buf, size, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		n = snprintf(buf, size, "%llud%02lluh", s / 86400,
		    s % 86400 / 3600);
	return (size_t)n < size ? (size_t)n : size - 1;
}

static void
check_duration(double seconds, size_t size)
{
	char want[DURATION_STRLEN], got[DURATION_STRLEN];

	assert_int_equal(format_duration(got, size, seconds),
	    old_duration(want, size, seconds));
	assert_string_equal(got, want);
}

static void
test_duration(void **state)
{
	static const double edges[] = { -5, -0.001, 0, 0.0005, 0.999, 1,
	    59.999, 60, 61, 3599.99, 3600, 86399, 86400, 4294967.295, 1e9 };
	size_t i, size;
	uint64_t ms;

	(void)state;
	for (ms = 0; ms < 4000000; ms += 13)	/* timers are in ms */
		check_duration(ms / 1000.0, DURATION_STRLEN);
	for (i = 0; i < sizeof edges / sizeof edges[0]; i++)
		for (size = 1; size <= DURATION_STRLEN; size++)
			check_duration(edges[i], size);
}

static void
test_timer(void **state)
{
	struct sock_rec s;
	char buf[64];

	(void)state;
	memset(&s, 0, sizeof s);
	assert_int_equal(format_timer(buf, sizeof buf, &s), 1);
	assert_string_equal(buf, "-");
	s.timer = TIMER_TIME_WAIT;
	s.expires_ms = 59123;
	format_timer(buf, sizeof buf, &s);
	assert_string_equal(buf, "timewait 59s");
	s.timer = TIMER_RETRANS;
	s.expires_ms = 180;
	s.retrans = 12;
	format_timer(buf, sizeof buf, &s);
	assert_string_equal(buf, "on 180ms (12)");
	assert_int_equal(format_timer(buf, 5, &s), 4);
	assert_string_equal(buf, "on 1");
}

/* out_addr, out_pad and out_rfield_uint write what the old copies did. */
static void
test_out_fields(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v4[4] = { 10, 0, 200, 7 };
	struct out *o = malloc(sizeof *o);
	char *text = NULL;
	size_t len = 0, n;
	FILE *f;

	(void)state;
	assert_non_null(o);
	assert_non_null(f = open_memstream(&text, &len));
	out_init(o, f);
	n = out_addr(o, AF_INET6, v6, 443);
	out_pad(o, n, 20);
	out_char(o, '|');
	n = out_addr(o, AF_INET, v4, 0);
	out_pad(o, n, 3);
	out_rfield_uint(o, 42, 6);
	out_rfield_uint(o, 1234567, 3);
	out_rfield_uint(o, 0, 1);
	out_uint(o, UINT64_MAX);
	assert_int_equal(out_flush(o), 0);
	fclose(f);
	assert_string_equal(text, "[2001:db8::1]:443   |10.0.200.7:*    "
	    "4212345670" "18446744073709551615");
	free(text);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_zero_runs),
		cmocka_unit_test(test_ipv6_embedded_ipv4),
		cmocka_unit_test(test_ipv6_random),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_out_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
