# tests/cli/local.mk - the command line, mostly on recordings: no privilege needed.

CLI_TESTS = \
	tests/cli/anomaly_cli.sh \
	tests/cli/completion.sh \
	tests/cli/csv.sh \
	tests/cli/errors.sh \
	tests/cli/examples.sh \
	tests/cli/filter_cli.sh \
	tests/cli/formats.sh \
	tests/cli/hostile.sh \
	tests/cli/hostile_files.sh \
	tests/cli/json.sh \
	tests/cli/kill_boundary.sh \
	tests/cli/layout.sh \
	tests/cli/locale.sh \
	tests/cli/manpage.sh \
	tests/cli/nagios.sh \
	tests/cli/numeric-locale.sh \
	tests/cli/prometheus.sh \
	tests/cli/record.sh \
	tests/cli/select.sh \
	tests/cli/ss.sh \
	tests/cli/lib_fail.sh \
	tests/cli/text.sh
EXTRA_DIST += $(CLI_TESTS) tests/cli/cli-lib.sh tests/data/findings.conf \
	tests/data/formats.golden
TESTS += $(CLI_TESTS)
