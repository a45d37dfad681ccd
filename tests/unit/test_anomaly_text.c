/*
 * test_anomaly_text.c - a finding's words said once and rendered both
 * ways: English for JSON and CSV, through a translation for people, with
 * plural forms, arguments reordered by the translation, and formats that
 * cannot be trusted (a translation, a state file) rendered safely.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "anomaly_rules.h"

static struct finding f;
static char buf[1024];

static const char *
english(enum finding_part part)
{
	anomaly_text(buf, sizeof buf, &f, part, anomaly_english);
	return buf;
}

/* A catalogue of two entries, as msgfmt would have checked them. */
static const char *
zh(const char *msgid, const char *plural, unsigned long n)
{
	(void)plural;
	(void)n;
	if (strcmp(msgid, "%zu connection in CLOSE_WAIT for up to %s") == 0)
		return "%zu 个连接处于 CLOSE_WAIT 状态，最长已达 %s";
	if (strcmp(msgid, "%llu half-open connection on %s, %.0f%% of its "
	    "backlog of %llu (spoofed)") == 0)
		return "%2$s 上有 %1$llu 个半连接，占其 backlog（%4$llu）的 "
		    "%3$.0f%%（伪造源地址）";
	return plural != NULL && n != 1 ? plural : msgid;
}

static const char *
chinese(enum finding_part part)
{
	anomaly_text(buf, sizeof buf, &f, part, zh);
	return buf;
}

static const char *untrusted;

static const char *
bad_translation(const char *msgid, const char *plural, unsigned long n)
{
	(void)msgid;
	(void)plural;
	(void)n;
	return untrusted;
}

static void
close_wait(size_t n)
{
	memset(&f, 0, sizeof f);
	anomaly_nsay(&f, FINDING_SUMMARY, n,
	    "%zu connection in CLOSE_WAIT for up to %s",
	    "%zu connections in CLOSE_WAIT for up to %s", n, "5m12s");
}

static void
test_plural(void **state)
{
	(void)state;
	close_wait(1);
	assert_string_equal(english(FINDING_SUMMARY),
	    "1 connection in CLOSE_WAIT for up to 5m12s");
	close_wait(14);
	assert_string_equal(english(FINDING_SUMMARY),
	    "14 connections in CLOSE_WAIT for up to 5m12s");
	close_wait(0);
	assert_string_equal(english(FINDING_SUMMARY),
	    "0 connections in CLOSE_WAIT for up to 5m12s");
}

static void
test_both_ways(void **state)
{
	(void)state;
	close_wait(14);
	assert_string_equal(chinese(FINDING_SUMMARY),
	    "14 个连接处于 CLOSE_WAIT 状态，最长已达 5m12s");
	assert_string_equal(english(FINDING_SUMMARY),
	    "14 connections in CLOSE_WAIT for up to 5m12s");

	/* The translation puts the listener first: "%2$s ... %1$llu". */
	memset(&f, 0, sizeof f);
	anomaly_nsay(&f, FINDING_SUMMARY, 250,
	    "%llu half-open connection on %s, %.0f%% of its backlog of %llu "
	    "(spoofed)",
	    "%llu half-open connections on %s, %.0f%% of its backlog of %llu "
	    "(spoofed)", 250ULL, "0.0.0.0:80", 97.66, 256ULL);
	assert_string_equal(english(FINDING_SUMMARY), "250 half-open "
	    "connections on 0.0.0.0:80, 98% of its backlog of 256 (spoofed)");
	assert_string_equal(chinese(FINDING_SUMMARY), "0.0.0.0:80 上有 250 "
	    "个半连接，占其 backlog（256）的 98%（伪造源地址）");
}

/* Numbers print as printf prints them under LC_NUMERIC=C. */
static void
test_numbers(void **state)
{
	(void)state;
	memset(&f, 0, sizeof f);
	anomaly_say(&f, FINDING_SUMMARY, "%.1f%% over %.0f s", 12.345, 60.0);
	anomaly_say(&f, FINDING_CAUSE, "%d %u %llu %zu %x", -1, 4000000000u,
	    18446744073709551615ULL, (size_t)7, 255u);
	assert_string_equal(english(FINDING_SUMMARY), "12.3% over 60 s");
	assert_string_equal(english(FINDING_CAUSE),
	    "-1 4000000000 18446744073709551615 7 ff");
	assert_int_equal(anomaly_text(buf, sizeof buf, &f, FINDING_ADVICE,
	    anomaly_english), 0);
	assert_string_equal(buf, "");
}

/* A translation is not trusted: unknown conversions print as they are. */
static void
test_untrusted_translation(void **state)
{
	(void)state;
	close_wait(3);
	untrusted = "%n%p%*d %5$s %9$llu %2$d %1$s 100%";
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, bad_translation);
	assert_string_equal(buf, "%n%p%*d ? ? 5m12s 3 100%");
}

/* A finding read back from a damaged state file. */
static void
test_damaged(void **state)
{
	(void)state;
	close_wait(3);
	f.text[FINDING_SUMMARY].arg[1].off = 60000;
	assert_string_equal(english(FINDING_SUMMARY),
	    "3 connections in CLOSE_WAIT for up to ");
	f.text[FINDING_SUMMARY].nargs = 1;
	assert_string_equal(english(FINDING_SUMMARY),
	    "3 connections in CLOSE_WAIT for up to ?");
	memset(f.text[FINDING_SUMMARY].fmt, 'x', FINDING_FMT);
	assert_int_equal(anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY,
	    anomaly_english), 0);

	/* A negative count of arguments reads none, not arg[-1]'s sequels. */
	close_wait(3);
	f.text[FINDING_SUMMARY].nargs = -1;
	f.text[FINDING_SUMMARY].arg[4].type = FARG_UINT;
	f.text[FINDING_SUMMARY].arg[4].i = 77;
	untrusted = "%5$llu";
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, bad_translation);
	assert_string_equal(buf, "?");
}

/*
 * A width or precision of more than three digits is no conversion: printf
 * would pad to it (a second of CPU per 10^8 characters, at every frame)
 * though the text holds a few hundred bytes.
 */
static void
test_huge_width(void **state)
{
	(void)state;
	close_wait(3);
	untrusted = "%1$9999zu|%2$.9999s|%1$.2000000000zu|%1$.3zu";
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, bad_translation);
	assert_string_equal(buf,
	    "%1$9999zu|%2$.9999s|%1$.2000000000zu|003");
	untrusted = "%1$999zu";		/* three digits: still a width */
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, bad_translation);
	assert_int_equal(strlen(buf), 999);
	assert_int_equal(buf[998], '3');

	memset(&f, 0, sizeof f);
	anomaly_say(&f, FINDING_CAUSE, "%.1f%% over %s", 12.34, "5m");
	strcpy(f.text[FINDING_CAUSE].fmt, "%.99999999f%% over %99999999s");
	assert_string_equal(english(FINDING_CAUSE),
	    "%.99999999f% over %99999999s");
}

static void
test_truncated(void **state)
{
	char small[12];

	(void)state;
	close_wait(14);
	memset(small, '#', sizeof small);
	assert_int_equal(anomaly_text(small, 8, &f, FINDING_SUMMARY,
	    anomaly_english), 7);
	assert_string_equal(small, "14 conn");
	assert_int_equal(small[8], '#');
}

/* Without a catalogue, gettext gives the English forms back. */
static void
test_gettext_fallback(void **state)
{
	(void)state;
	close_wait(1);
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, anomaly_gettext);
	assert_string_equal(buf, "1 connection in CLOSE_WAIT for up to 5m12s");
	close_wait(2);
	anomaly_text(buf, sizeof buf, &f, FINDING_SUMMARY, anomaly_gettext);
	assert_string_equal(buf,
	    "2 connections in CLOSE_WAIT for up to 5m12s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plural),
		cmocka_unit_test(test_both_ways),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_untrusted_translation),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_huge_width),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_gettext_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
