# tests/cli/local.mk

# The anomaly engine's options, files and formats (issue 3).
ANOMALY_CLI_TESTS = tests/cli/anomaly_cli.sh
TESTS += $(ANOMALY_CLI_TESTS)
dist_check_SCRIPTS += $(ANOMALY_CLI_TESTS)
