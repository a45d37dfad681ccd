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
	tests/cli/layout.sh \
	tests/cli/locale.sh \
	tests/cli/manpage.sh \
	tests/cli/nagios.sh \
	tests/cli/numeric-locale.sh \
	tests/cli/prometheus.sh \
	tests/cli/record.sh \
	tests/cli/select.sh \
	tests/cli/structure.sh \
	tests/cli/ss.sh \
	tests/cli/lib_fail.sh \
	tests/cli/text.sh
EXTRA_DIST += $(CLI_TESTS) tests/cli/cli-lib.sh tests/data/findings.conf \
	tests/data/formats.golden
TESTS += $(CLI_TESTS)

# structure.sh reads the build: the compiler and flags that built the
# objects, and which sources went into the library and the program.
AM_TESTS_ENVIRONMENT += \
	STRUCTURE_CC='$(CC)'; export STRUCTURE_CC; \
	STRUCTURE_CPPFLAGS='$(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) $(LIBMNL_CFLAGS)'; \
	export STRUCTURE_CPPFLAGS; \
	STRUCTURE_PROG_CFLAGS='$(NCURSES_CFLAGS)'; export STRUCTURE_PROG_CFLAGS; \
	STRUCTURE_LIB_SOURCES='$(src_libsockwatch_a_SOURCES)'; \
	export STRUCTURE_LIB_SOURCES; \
	STRUCTURE_PROG_SOURCES='$(src_sockwatch_SOURCES)'; \
	export STRUCTURE_PROG_SOURCES;
