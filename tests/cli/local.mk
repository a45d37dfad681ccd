# tests/cli/local.mk - the command line, without root.
CLI_TESTS = tests/cli/kill_boundary.sh tests/cli/filter_cli.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
