/*
 * test_format.c - addresses, durations, timers, sanitising, and the output
 * buffer with its JSON and CSV escaping.
 *
 * JSON strings are decoded back by jq and CSV fields by Python's csv module
 * when those are installed: a real reader, not our idea of the format.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "format.h"
#include "sock.h"

/* ---- addresses ---- */

static const char *
addr(int family, const char *text, uint16_t port)
{
	static char buf[ADDR_STRLEN];
	uint8_t a[16] = { 0 };
	size_t n;

	assert_int_equal(inet_pton(family, text, a), 1);
	n = format_addr(buf, sizeof buf, family, a, port);
	assert_int_equal(n, strlen(buf));
	return buf;
}

static void
test_addr(void **state)
{
	(void)state;
	assert_string_equal(addr(AF_INET, "10.0.0.1", 80), "10.0.0.1:80");
	assert_string_equal(addr(AF_INET, "0.0.0.0", 0), "0.0.0.0:*");
	assert_string_equal(addr(AF_INET, "255.255.255.255", 65535),
	    "255.255.255.255:65535");
	assert_string_equal(addr(AF_INET6, "2001:db8::1", 443),
	    "[2001:db8::1]:443");
	assert_string_equal(addr(AF_INET6, "::", 0), "[::]:*");
	assert_string_equal(addr(AF_INET6, "::1", 1), "[::1]:1");
	assert_string_equal(addr(AF_INET6,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535),
	    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	/* IPv4-mapped shows as IPv4, without brackets. */
	assert_string_equal(addr(AF_INET6, "::ffff:10.0.0.5", 80),
	    "10.0.0.5:80");
	assert_string_equal(addr(AF_INET6, "::ffff:0.0.0.0", 0), "0.0.0.0:*");
	/* Nearly mapped is not mapped. */
	assert_string_equal(addr(AF_INET6, "::fffe:a00:5", 80),
	    "[::fffe:a00:5]:80");
	assert_string_equal(addr(AF_INET6, "1::ffff:a00:5", 80),
	    "[1::ffff:a00:5]:80");
}

static void
test_addr_small_buffer(void **state)
{
	uint8_t a[16] = { 10, 0, 0, 1 };
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(format_addr(buf, 5, AF_INET, a, 80), 4);
	assert_string_equal(buf, "10.0");
	assert_int_equal(buf[5], 'x');
	assert_int_equal(format_ip(buf, sizeof buf, AF_INET, a), 7);
	assert_string_equal(buf, "10.0.0.");
}

static void
test_ip(void **state)
{
	uint8_t a[16];
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	inet_pton(AF_INET6, "::ffff:192.0.2.1", a);
	assert_true(format_is_v4mapped(AF_INET6, a));
	assert_false(format_is_v4mapped(AF_INET, a));
	assert_int_equal(format_ip(buf, sizeof buf, AF_INET6, a), 9);
	assert_string_equal(buf, "192.0.2.1");
	inet_pton(AF_INET6, "fe80::1:2", a);
	assert_false(format_is_v4mapped(AF_INET6, a));
	format_ip(buf, sizeof buf, AF_INET6, a);
	assert_string_equal(buf, "fe80::1:2");
}

/* ---- durations and timers ---- */

static const char *
dur(double s)
{
	static char buf[DURATION_STRLEN];
	size_t n = format_duration(buf, sizeof buf, s);

	assert_int_equal(n, strlen(buf));
	return buf;
}

static void
test_duration(void **state)
{
	char small[4];

	(void)state;
	assert_string_equal(dur(-5), "0ms");
	assert_string_equal(dur(0), "0ms");
	assert_string_equal(dur(0.0009), "0ms");
	assert_string_equal(dur(0.85), "850ms");
	assert_string_equal(dur(0.9999), "999ms");
	assert_string_equal(dur(1), "1s");
	assert_string_equal(dur(42.7), "42s");
	assert_string_equal(dur(59.999), "59s");
	assert_string_equal(dur(60), "1m00s");
	assert_string_equal(dur(312), "5m12s");
	assert_string_equal(dur(3599.9), "59m59s");
	assert_string_equal(dur(3600), "1h00m");
	assert_string_equal(dur(3 * 3600 + 5 * 60 + 59), "3h05m");
	assert_string_equal(dur(86399), "23h59m");
	assert_string_equal(dur(86400), "1d00h");
	assert_string_equal(dur(2 * 86400 + 4 * 3600 + 3599), "2d04h");
	assert_string_equal(dur(1000.0 * 86400), "1000d00h");
	/* Cut to the buffer, never past it. */
	assert_int_equal(format_duration(small, sizeof small, 312), 3);
	assert_string_equal(small, "5m1");
}

static const char *
timer(int kind, uint32_t ms, int retrans)
{
	static char buf[64];
	struct sock_rec s;
	size_t n;

	memset(&s, 0, sizeof s);
	s.timer = (uint8_t)kind;
	s.expires_ms = ms;
	s.retrans = (uint8_t)retrans;
	n = format_timer(buf, sizeof buf, &s);
	assert_int_equal(n, strlen(buf));
	return buf;
}

static void
test_timer(void **state)
{
	char small[6];
	struct sock_rec s;

	(void)state;
	assert_string_equal(timer(TIMER_NONE, 5000, 0), "-");
	assert_string_equal(timer(TIMER_KEEPALIVE, 7199000, 0),
	    "keepalive 1h59m");
	assert_string_equal(timer(TIMER_RETRANS, 180, 2), "on 180ms (2)");
	assert_string_equal(timer(TIMER_TIME_WAIT, 59000, 0), "timewait 59s");
	assert_string_equal(timer(TIMER_PROBE, 0, 255), "persist 0ms (255)");
	memset(&s, 0, sizeof s);
	s.timer = TIMER_KEEPALIVE;
	s.expires_ms = 7199000;
	assert_int_equal(format_timer(small, sizeof small, &s), 5);
	assert_string_equal(small, "keepa");
}

/* ---- sanitising ---- */

static const char *
clean(const char *in)
{
	static char buf[256];
	size_t n = format_sanitize(buf, sizeof buf, in);

	assert_int_equal(n, strlen(buf));
	return buf;
}

static void
test_sanitize(void **state)
{
	(void)state;
	assert_string_equal(clean(""), "");
	assert_string_equal(clean("nginx: worker"), "nginx: worker");
	assert_string_equal(clean("a\033[31mred\033[0m"),
	    "a\\x1b[31mred\\x1b[0m");
	assert_string_equal(clean("\t\r\n\001"), "\\x09\\x0d\\x0a\\x01");
	assert_string_equal(clean("del\177"), "del\\x7f");
	assert_string_equal(clean("back\\slash"), "back\\\\slash");
	/* C1 controls, encoded as UTF-8: CSI is as dangerous as ESC [. */
	assert_string_equal(clean("\xc2\x9b" "2J"), "\\xc2\\x9b2J");
	assert_string_equal(clean("\xc2\x80\xc2\x9f"),
	    "\\xc2\\x80\\xc2\\x9f");
	/* Invalid UTF-8: stray bytes, overlong forms, surrogates, > U+10FFFF. */
	assert_string_equal(clean("\xff\xfe"), "\\xff\\xfe");
	assert_string_equal(clean("\x80x"), "\\x80x");
	assert_string_equal(clean("\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(clean("\xc1\xbf"), "\\xc1\\xbf");
	assert_string_equal(clean("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	assert_string_equal(clean("\xf0\x80\x80\xaf"),
	    "\\xf0\\x80\\x80\\xaf");
	assert_string_equal(clean("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(clean("\xf4\x90\x80\x80"),
	    "\\xf4\\x90\\x80\\x80");
	assert_string_equal(clean("\xf5\x80\x80\x80"),
	    "\\xf5\\x80\\x80\\x80");
	/* A sequence cut short by the end of the string, or by ASCII. */
	assert_string_equal(clean("ok\xe2\x82"), "ok\\xe2\\x82");
	assert_string_equal(clean("\xe2\x82z"), "\\xe2\\x82z");
	/* Valid multibyte text is kept as it is. */
	assert_string_equal(clean("h\xc3\xa9llo"), "h\xc3\xa9llo");
	assert_string_equal(clean("\xc2\xa0"), "\xc2\xa0");	/* NBSP */
	assert_string_equal(clean("\xe2\x82\xac 5"), "\xe2\x82\xac 5");
	assert_string_equal(clean("\xe4\xb8\xad\xe6\x96\x87"),
	    "\xe4\xb8\xad\xe6\x96\x87");
	assert_string_equal(clean("\xf0\x9d\x84\x9e"), "\xf0\x9d\x84\x9e");
	assert_string_equal(clean("\xef\xbf\xbd"), "\xef\xbf\xbd");
	assert_string_equal(clean("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
}

static void
test_sanitize_truncation(void **state)
{
	char buf[16];
	size_t n;

	(void)state;
	/* A multibyte character that does not fit is left out whole. */
	assert_int_equal(format_sanitize(buf, 6, "ab\xe2\x82\xac" "cd"), 5);
	assert_string_equal(buf, "ab\xe2\x82\xac");
	assert_int_equal(format_sanitize(buf, 5, "ab\xe2\x82\xac" "cd"), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(format_sanitize(buf, 4, "ab\xe2\x82\xac" "cd"), 2);
	/* So is an escape. */
	assert_int_equal(format_sanitize(buf, 5, "\001"), 4);
	assert_string_equal(buf, "\\x01");
	assert_int_equal(format_sanitize(buf, 4, "\001"), 0);
	assert_string_equal(buf, "");
	/* Whole escapes only, whatever room is left. */
	n = format_sanitize(buf, 7, "a\\\\");
	assert_true(n == 3 || n == 5);
	assert_string_equal(buf, n == 3 ? "a\\\\" : "a\\\\\\\\");
	assert_int_equal(format_sanitize(buf, 1, "abc"), 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(format_sanitize(buf, 0, "abc"), 0);
	assert_int_equal(buf[0], 'x');		/* nothing written */
}

/*
 * The property that matters: whatever the input, the output is valid UTF-8
 * without control characters, C0, DEL or C1.
 */
static int
safe_for_terminal(const unsigned char *p)
{
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			return 0;
		{
			int n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2, i;
			uint32_t cp = *p & (0x7f >> n);

			if (*p < 0xc2 || *p > 0xf4)
				return 0;
			for (i = 1; i < n; i++) {
				if ((p[i] & 0xc0) != 0x80)
					return 0;
				cp = cp << 6 | (p[i] & 0x3f);
			}
			if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
			    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return 0;
			p += n;
		}
	}
	return 1;
}

static void
test_sanitize_property(void **state)
{
	static const unsigned char pieces[] = {
		0x01, 0x1b, '[', 'a', '\\', 0x7f, 0x80, 0x9b, 0xa0, 0xbf, 0xc0,
		0xc2, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
	};
	char in[24], out[40];
	unsigned seed = 12345;
	int round, i;

	(void)state;
	for (round = 0; round < 50000; round++) {
		int len = 1 + (int)(seed % 20);

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)pieces[(seed >> 16) % sizeof pieces];
		}
		in[len] = '\0';
		format_sanitize(out, 1 + (seed >> 8) % sizeof out, in);
		if (!safe_for_terminal((const unsigned char *)out))
			fail_msg("round %d: unsafe output", round);
	}
}

/* ---- the output buffer ---- */

struct capture {
	char		*text;
	size_t		 len;
	FILE		*f;
	struct out	 o;
};

static struct capture cap;

static void
cap_begin(void)
{
	cap.text = NULL;
	cap.len = 0;
	cap.f = open_memstream(&cap.text, &cap.len);
	assert_non_null(cap.f);
	out_init(&cap.o, cap.f);
}

static const char *
cap_end(void)
{
	assert_int_equal(out_flush(&cap.o), 0);
	assert_int_equal(fclose(cap.f), 0);
	return cap.text;
}

static void
cap_free(void)
{
	free(cap.text);
	cap.text = NULL;
}

#define expect_out(call, want) do {					\
	cap_begin();							\
	call;								\
	assert_string_equal(cap_end(), want);				\
	cap_free();							\
} while (0)

static void
test_out_numbers(void **state)
{
	(void)state;
	expect_out(out_uint(&cap.o, 0), "0");
	expect_out(out_uint(&cap.o, UINT64_MAX), "18446744073709551615");
	expect_out(out_int(&cap.o, -1), "-1");
	expect_out(out_int(&cap.o, INT64_MIN), "-9223372036854775808");
	expect_out(out_int(&cap.o, INT64_MAX), "9223372036854775807");
	expect_out(out_hex(&cap.o, 0), "0x0");
	expect_out(out_hex(&cap.o, 0x1a2b), "0x1a2b");
	expect_out(out_hex(&cap.o, UINT64_MAX), "0xffffffffffffffff");
	expect_out(out_hex(&cap.o, 1ULL << 63), "0x8000000000000000");
	expect_out(out_double(&cap.o, 0, 1), "0.0");
	expect_out(out_double(&cap.o, 312.4, 1), "312.4");
	expect_out(out_double(&cap.o, 1.25, 1), "1.3");
	expect_out(out_double(&cap.o, 0.05, 3), "0.050");
	expect_out(out_double(&cap.o, 9.9996, 3), "10.000");
	expect_out(out_double(&cap.o, -2.5, 2), "-2.50");
	expect_out(out_double(&cap.o, 3.4, 0), "3");
	expect_out(out_double(&cap.o, 1e12 + 0.5, 1), "1000000000000.5");
}

/*
 * Without an installed German locale, compile one from the locale sources
 * into a private directory (LOCPATH), as the CLI tests do.
 */
static char locale_dir[64];

static int
make_locale(void)
{
	char cmd[256];

	snprintf(locale_dir, sizeof locale_dir, "/tmp/sw-locale-XXXXXX");
	if (mkdtemp(locale_dir) == NULL)
		return 0;
	snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 "
	    ">/dev/null 2>&1", locale_dir);
	if (system(cmd) != 0)
		return 0;
	setenv("LOCPATH", locale_dir, 1);
	return 1;
}

static int
remove_locale(void **state)
{
	char cmd[128];

	(void)state;
	setlocale(LC_ALL, "C");
	if (locale_dir[0] == '\0')
		return 0;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", locale_dir);
	unsetenv("LOCPATH");
	return system(cmd) == 0 ? 0 : -1;
}

/* A locale with a decimal comma must not reach machine output. */
static void
test_out_double_locale(void **state)
{
	static const char *const locales[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8", NULL,
	};
	char probe[16];
	int i;

	(void)state;
	for (i = 0; locales[i] != NULL; i++)
		if (setlocale(LC_ALL, locales[i]) != NULL)
			break;
	if (locales[i] == NULL && make_locale())
		i = setlocale(LC_ALL, "de_DE.UTF-8") != NULL ? 0 : i;
	if (locales[i] == NULL)
		skip();		/* no decimal-comma locale on this machine */
	snprintf(probe, sizeof probe, "%.1f", 1.5);
	assert_string_equal(probe, "1,5");	/* the locale is in force */
	expect_out(out_double(&cap.o, 312.4, 1), "312.4");
	expect_out(out_double(&cap.o, 1234567.891, 2), "1234567.89");
	expect_out(out_uint(&cap.o, 1234567), "1234567");
	setlocale(LC_ALL, "C");
}

/* Fields are padded to display columns: a translation may be two wide. */
static void
test_out_field_wide(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(format_text_width("\xe8\xad\xa6\xe5\x91\x8a"), 4);
	assert_int_equal(format_text_width("WARNING"), 7);
	assert_int_equal(format_text_width("caf\xc3\xa9"), 4);
	expect_out(out_field(&cap.o, "\xe8\xad\xa6\xe5\x91\x8a", 10),
	    "\xe8\xad\xa6\xe5\x91\x8a      ");
	expect_out(out_field(&cap.o, "\xff\xfe" "ab", 6), "\xff\xfe" "ab  ");
	setlocale(LC_ALL, "C");
}

static void
test_out_fields(void **state)
{
	(void)state;
	expect_out(out_field(&cap.o, "LISTEN", 12), "LISTEN      ");
	expect_out(out_field(&cap.o, "ESTABLISHED+", 5), "ESTABLISHED+");
	expect_out(out_rfield_uint(&cap.o, 42, 6), "    42");
	expect_out(out_rfield_uint(&cap.o, 1234567, 3), "1234567");
	expect_out(out_pad(&cap.o, 0, 0), "");
	cap_begin();
	out_pad(&cap.o, 0, 150);	/* more than the spaces it keeps */
	out_char(&cap.o, '|');
	assert_int_equal(strlen(cap_end()), 151);
	assert_int_equal(cap.text[149], ' ');
	assert_int_equal(cap.text[150], '|');
	cap_free();
	expect_out(out_printf(&cap.o, "%s=%d", "n", 7), "n=7");
}

/* More than the buffer holds, in pieces and at once, keeps its order. */
static void
test_out_large(void **state)
{
	size_t big = sizeof cap.o.buf + 1000, i;
	char *chunk = malloc(big);

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 'x', big);
	cap_begin();
	out_str(&cap.o, "head");
	out_mem(&cap.o, chunk, big);
	for (i = 0; i < 70000; i++)
		out_char(&cap.o, (char)('a' + i % 26));
	out_str(&cap.o, "tail");
	cap_end();
	assert_int_equal(cap.len, 4 + big + 70000 + 4);
	assert_memory_equal(cap.text, "head", 4);
	assert_memory_equal(cap.text + 4, chunk, big);
	for (i = 0; i < 70000; i++)
		assert_int_equal(cap.text[4 + big + i], 'a' + i % 26);
	assert_memory_equal(cap.text + 4 + big + 70000, "tail", 4);
	cap_free();
	free(chunk);
}

/* A full disk is reported, not lost. */
static void
test_out_full_disk(void **state)
{
	static struct out o;
	FILE *f;
	size_t i;

	(void)state;
	if ((f = fopen("/dev/full", "w")) == NULL)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	out_init(&o, f);
	out_str(&o, "x");
	assert_int_equal(out_flush(&o), -1);
	assert_int_equal(o.error, ENOSPC);
	for (i = 0; i < 3 * sizeof o.buf; i++)	/* flushes on its own */
		out_char(&o, 'y');
	assert_int_equal(o.error, ENOSPC);	/* the first error stays */
	assert_int_equal(out_flush(&o), -1);
	fclose(f);
}

static void
test_json_str(void **state)
{
	(void)state;
	expect_out(out_json_str(&cap.o, ""), "\"\"");
	expect_out(out_json_str(&cap.o, "nginx"), "\"nginx\"");
	expect_out(out_json_str(&cap.o, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	expect_out(out_json_str(&cap.o, "\n\t\001\037\177"),
	    "\"\\u000a\\u0009\\u0001\\u001f\\u007f\"");
	expect_out(out_json_str(&cap.o, "/ \xc3\xa9"), "\"/ \xc3\xa9\"");
	/* The raw bytes, not the sanitiser's text: ESC is \u001b, once. */
	expect_out(out_json_str(&cap.o, "a\033]0;x\a\\x1b"),
	    "\"a\\u001b]0;x\\u0007\\\\x1b\"");
	/* C1 controls and the JavaScript line breaks, escaped losslessly. */
	expect_out(out_json_str(&cap.o, "\xc2\x9b" "2J\xe2\x80\xa8\xe2\x80\xa9"),
	    "\"\\u009b2J\\u2028\\u2029\"");
	/* Invalid UTF-8: each stray byte is U+FFFD; valid text around stays. */
	expect_out(out_json_str(&cap.o, "\xff\xc3\xa9\xe2\x82z\xc0\xaf"),
	    "\"\\ufffd\xc3\xa9\\ufffd\\ufffdz\\ufffd\\ufffd\"");
}

/* The sanitiser on a stream, with the bytes a format reserves escaped too. */
static void
test_sanitized(void **state)
{
	(void)state;
	expect_out(out_sanitized(&cap.o, "", NULL), "");
	expect_out(out_sanitized(&cap.o, "a\033[2J\\b\xc3\xa9\xff", NULL),
	    "a\\x1b[2J\\\\b\xc3\xa9\\xff");
	expect_out(out_sanitized(&cap.o, "pid 5 (a|b)", "|"),
	    "pid 5 (a\\x7cb)");
	expect_out(out_sanitized(&cap.o, "a|b", NULL), "a|b");
}

static void
test_csv_str(void **state)
{
	(void)state;
	expect_out(out_csv_str(&cap.o, "plain"), "plain");
	expect_out(out_csv_str(&cap.o, ""), "");
	expect_out(out_csv_str(&cap.o, "[::1]:80"), "[::1]:80");
	expect_out(out_csv_str(&cap.o, "a,b"), "\"a,b\"");
	expect_out(out_csv_str(&cap.o, "say \"hi\""), "\"say \"\"hi\"\"\"");
	expect_out(out_csv_str(&cap.o, "\""), "\"\"\"\"");
	/* Text from outside is sanitised: no line break, no escape byte. */
	expect_out(out_csv_str(&cap.o, "two\nlines"), "two\\x0alines");
	expect_out(out_csv_str(&cap.o, "esc\033[2J,"), "\"esc\\x1b[2J,\"");
	/* A cell that starts like a formula is prefixed with a quote (OWASP). */
	expect_out(out_csv_str(&cap.o, "=cmd|' /C calc'!A0"),
	    "\"'=cmd|' /C calc'!A0\"");
	expect_out(out_csv_str(&cap.o, "+1"), "\"'+1\"");
	expect_out(out_csv_str(&cap.o, "-2+3"), "\"'-2+3\"");
	expect_out(out_csv_str(&cap.o, "@SUM(A1)"), "\"'@SUM(A1)\"");
	expect_out(out_csv_str(&cap.o, "\tx"), "\"'\\x09x\"");
	expect_out(out_csv_str(&cap.o, "\rx"), "\"'\\x0dx\"");
	expect_out(out_csv_str(&cap.o, "a=b"), "a=b");
}

/* Strings that tempt an escaper to get something wrong. */
static const char *const tricky[] = {
	"", "plain", "a,b", "\"quoted\"", "\"", "\"\"", "line\nbreak", "cr\rlf\r\n",
	"back\\slash", "\\", "\\\"", "tab\there", "\001\002\037", "del\177",
	"h\xc3\xa9llo \xe4\xb8\xad", ",", ",,\"\n", " lead and trail ",
	"\xf0\x9d\x84\x9e", "esc\033[2J", "\xc2\x9b" "c1", "ls\xe2\x80\xa8",
	"=cmd", "+1", "-1", "@x", "\tt", "\rr",
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

/* Run a reader over a file; its output holds the decoded fields. */
static char *
run_reader(const char *cmd, const char *input, size_t inlen, size_t *outlen)
{
	char path[] = "/tmp/sockwatch-unit-XXXXXX", *line, *text = NULL;
	size_t size = 0;
	FILE *in, *mem;
	int fd, c;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, input, inlen), (ssize_t)inlen);
	close(fd);
	if (asprintf(&line, "%s < %s", cmd, path) < 0)
		fail();
	in = popen(line, "r");
	assert_non_null(in);
	mem = open_memstream(&text, &size);
	while ((c = fgetc(in)) != EOF)
		fputc(c, mem);
	fclose(mem);
	assert_int_equal(pclose(in), 0);
	unlink(path);
	free(line);
	*outlen = size;
	return text;
}

static int
have(const char *cmd)
{
	char *line;
	int ret;

	if (asprintf(&line, "command -v %s >/dev/null 2>&1", cmd) < 0)
		fail();
	ret = system(line);
	free(line);
	return ret == 0;
}

/* jq decodes each string of an array and prints it followed by NUL. */
static void
test_json_jq(void **state)
{
	char *decoded;
	size_t i, len, off = 0;

	(void)state;
	if (!have("jq"))
		skip();
	cap_begin();
	out_char(&cap.o, '[');
	for (i = 0; i < NTRICKY; i++) {
		if (i > 0)
			out_char(&cap.o, ',');
		out_json_str(&cap.o, tricky[i]);
	}
	out_char(&cap.o, ']');
	cap_end();
	decoded = run_reader("jq -j '.[] | (., \"\\u0000\")'", cap.text,
	    cap.len, &len);
	for (i = 0; i < NTRICKY; i++) {
		assert_true(off < len);
		assert_string_equal(decoded + off, tricky[i]);
		off += strlen(tricky[i]) + 1;
	}
	assert_int_equal(off, len);
	free(decoded);
	cap_free();
}

/*
 * Python's csv module reads two rows back; each field is printed in hex.
 * A field is what the sanitiser made of it, after the quote that disarms
 * a formula.
 */
static void
test_csv_python(void **state)
{
	static const char script[] = "python3 -c '"
	    "import csv, sys\n"
	    "rows = list(csv.reader(open(sys.stdin.fileno(), newline=\"\", "
	    "encoding=\"utf-8\")))\n"
	    "for r in rows:\n"
	    "    print(\" \".join(f.encode().hex() or \"-\" for f in r))\n"
	    "'";
	char *decoded, *want, *p;
	const char *c;
	size_t i, j, len, wlen = 0;
	int row;

	(void)state;
	if (!have("python3"))
		skip();
	cap_begin();
	for (row = 0; row < 2; row++) {
		for (i = 0; i < NTRICKY; i++) {
			if (i > 0)
				out_char(&cap.o, ',');
			out_csv_str(&cap.o, tricky[i]);
		}
		out_str(&cap.o, "\r\n");
	}
	cap_end();
	decoded = run_reader(script, cap.text, cap.len, &len);

	want = malloc(8192);
	assert_non_null(want);
	for (row = 0; row < 2; row++) {
		for (i = 0; i < NTRICKY; i++) {
			p = want + wlen;
			if (i > 0)
				*p++ = ' ';
			c = clean(tricky[i]);
			if (*c == '\0')
				*p++ = '-';
			if (*c != '\0' && strchr("=+-@\t\r", tricky[i][0]) != NULL)
				p += sprintf(p, "%02x", '\'');
			for (j = 0; c[j] != '\0'; j++)
				p += sprintf(p, "%02x", (unsigned char)c[j]);
			wlen = (size_t)(p - want);
		}
		want[wlen++] = '\n';
	}
	want[wlen] = '\0';
	assert_string_equal(decoded, want);
	free(want);
	free(decoded);
	cap_free();
}

static void
test_iso_time(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(format_iso_time(buf, sizeof buf, 0), 20);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	format_iso_time(buf, sizeof buf, 1795348800);
	assert_string_equal(buf, "2026-11-22T12:00:00Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_small_buffer),
		cmocka_unit_test(test_ip),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_truncation),
		cmocka_unit_test(test_sanitize_property),
		cmocka_unit_test(test_out_numbers),
		cmocka_unit_test_teardown(test_out_double_locale, remove_locale),
		cmocka_unit_test(test_out_fields),
		cmocka_unit_test(test_out_field_wide),
		cmocka_unit_test(test_out_large),
		cmocka_unit_test(test_out_full_disk),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_sanitized),
		cmocka_unit_test(test_csv_str),
		cmocka_unit_test(test_json_jq),
		cmocka_unit_test(test_csv_python),
		cmocka_unit_test(test_iso_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
