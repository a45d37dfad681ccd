/*
 * test_conf.c - the configuration parser: settings applied, and every bad
 * line named by file and line with what is wrong.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"

static double
param(const struct anomaly_config *cfg, const char *rule, const char *name)
{
	int r = anomaly_rule_index(rule);

	return cfg->param[r][anomaly_param_index(r, name)];
}

static void
test_good(void **state)
{
	static const char text[] =
	    "# thresholds for the test\n"
	    "\n"
	    "hysteresis.raise_after = 1\n"
	    "  hysteresis.clear_after=5   # trailing comment\n"
	    "hysteresis.clear_ratio = 0.5\n"
	    "rule.close-wait.warning_count = 3\n"
	    "rule.syn-flood.min_syn_recv = 4\n"
	    "rule.orphans.enabled = no\n"
	    "findings.max_per_rule = 7";
	struct anomaly_config cfg;
	char *cause = NULL;

	(void)state;
	anomaly_config_defaults(&cfg);
	assert_true(param(&cfg, "close-wait", "warning_count") == 10);
	assert_int_equal(conf_parse(&cfg, "t.conf", text, sizeof text - 1,
	    &cause), 0);
	assert_int_equal(cfg.raise_after, 1);
	assert_int_equal(cfg.clear_after, 5);
	assert_true(cfg.clear_ratio == 0.5);
	assert_true(param(&cfg, "close-wait", "warning_count") == 3);
	assert_true(param(&cfg, "syn-flood", "min_syn_recv") == 4);
	assert_false(cfg.enabled[anomaly_rule_index("orphans")]);
	assert_true(cfg.enabled[anomaly_rule_index("close-wait")]);
	assert_int_equal(cfg.max_findings, 7);
}

static void
expect_error(const char *text, const char *message)
{
	struct anomaly_config cfg;
	char *cause = NULL;

	anomaly_config_defaults(&cfg);
	assert_int_equal(conf_parse(&cfg, "/etc/x.conf", text, strlen(text),
	    &cause), -1);
	assert_non_null(cause);
	if (strcmp(cause, message) != 0)
		fail_msg("got '%s', want '%s'", cause, message);
	free(cause);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("hysteresis.raise_after = 2\nnonsense\n",
	    "/etc/x.conf:2: expected 'key = value'");
	expect_error("rule.close-wiat.warning_count = 3\n",
	    "/etc/x.conf:1: unknown rule 'close-wiat': rules are syn-flood, "
	    "accept-queue, close-wait, fin-wait2, orphans, time-wait, "
	    "retransmits, zero-window, dead-peer");
	expect_error("\n\nrule.close-wait.warn = 3\n",
	    "/etc/x.conf:3: rule close-wait has no setting 'warn'");
	expect_error("rule.close-wait.warning_count = many\n",
	    "/etc/x.conf:1: 'many' is not a number of at least 0");
	expect_error("rule.close-wait.warning_count = -1\n",
	    "/etc/x.conf:1: '-1' is not a number of at least 0");
	expect_error("rule.close-wait.enabled = maybe\n",
	    "/etc/x.conf:1: expected yes or no");
	expect_error("hysteresis.raise_after = 0\n",
	    "/etc/x.conf:1: expected a whole number in range");
	expect_error("hysteresis.clear_ratio = 2\n",
	    "/etc/x.conf:1: expected a number above 0 and at most 1");
	expect_error("colour = blue\n", "/etc/x.conf:1: unknown setting 'colour'");
	expect_error(" = 3\n", "/etc/x.conf:1: the key is missing before '='");
	expect_error("rule.syn-flood.min_syn_recv =\n",
	    "/etc/x.conf:1: the value is missing");
	expect_error("rule = 3\n", "/etc/x.conf:1: unknown setting 'rule'");
}

static void
test_missing_file(void **state)
{
	struct anomaly_config cfg;
	char *cause = NULL;

	(void)state;
	anomaly_config_defaults(&cfg);
	assert_int_equal(conf_load_file(&cfg, "/nonexistent/sockwatch.conf", 0,
	    &cause), 0);
	assert_int_equal(conf_load_file(&cfg, "/nonexistent/sockwatch.conf", 1,
	    &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/sockwatch.conf"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
