# tests/unit/local.mk - cmocka unit tests, one program per module (two for
# the parser: hand-built messages, recorded dumps). Each links
# src/libsockwatch.a, from which the linker takes the module under test and
# the few it needs, nothing else. Programs without their own _LDADD get
# UNIT_LDADD through the top-level LDADD.

EXTRA_DIST += tests/data/make-basic.sh tests/data/basic.rec \
	tests/data/basic-family.rec \
	tests/data/filter-pop.rec tests/data/make-filter-pop.sh \
	tests/data/proc-netstat.txt tests/data/proc-snmp.txt \
	tests/data/proc-sockstat.txt

UNIT_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) $(LIBMNL_LIBS) $(LIBINTL)
# Only the unit tests see cmocka and where the recorded dumps are.
UNIT_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) \
	-DTEST_DATADIR='"$(abs_top_srcdir)/tests/data"'

if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test_anomaly \
	tests/unit/test_anomaly_text \
	tests/unit/test_batch_lines \
	tests/unit/test_bytecode \
	tests/unit/test_conf \
	tests/unit/test_counters \
	tests/unit/test_diag_parse \
	tests/unit/test_diag_reader \
	tests/unit/test_diag_recorded \
	tests/unit/test_filter \
	tests/unit/test_format \
	tests/unit/test_format_oracle \
	tests/unit/test_group \
	tests/unit/test_group_sort \
	tests/unit/test_kill \
	tests/unit/test_model \
	tests/unit/test_netns \
	tests/unit/test_pace \
	tests/unit/test_proc \
	tests/unit/test_replay \
	tests/unit/test_sock \
	tests/unit/test_source \
	tests/unit/test_statefile \
	tests/unit/test_sysinfo \
	tests/unit/test_tui_frame \
	tests/unit/test_tui_view
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_anomaly_SOURCES = tests/unit/test_anomaly.c
tests_unit_test_anomaly_text_SOURCES = tests/unit/test_anomaly_text.c
tests_unit_test_batch_lines_SOURCES = tests/unit/test_batch_lines.c
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_counters_SOURCES = tests/unit/test_counters.c
tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_netns_SOURCES = tests/unit/test_netns.c
tests_unit_test_pace_SOURCES = tests/unit/test_pace.c
tests_unit_test_proc_SOURCES = tests/unit/test_proc.c
tests_unit_test_bytecode_SOURCES = tests/unit/test_bytecode.c \
	tests/unit/bc_kernel.c tests/unit/bc_kernel.h
tests_unit_test_diag_parse_SOURCES = tests/unit/test_diag_parse.c
tests_unit_test_diag_reader_SOURCES = tests/unit/test_diag_reader.c
tests_unit_test_diag_recorded_SOURCES = tests/unit/test_diag_recorded.c
tests_unit_test_filter_SOURCES = tests/unit/test_filter.c
tests_unit_test_format_SOURCES = tests/unit/test_format.c
tests_unit_test_format_oracle_SOURCES = tests/unit/test_format_oracle.c
tests_unit_test_group_SOURCES = tests/unit/test_group.c
tests_unit_test_group_sort_SOURCES = tests/unit/test_group_sort.c
tests_unit_test_kill_SOURCES = tests/unit/test_kill.c
tests_unit_test_replay_SOURCES = tests/unit/test_replay.c \
	tests/unit/testfile.c tests/unit/testfile.h
tests_unit_test_sock_SOURCES = tests/unit/test_sock.c
tests_unit_test_source_SOURCES = tests/unit/test_source.c
# The save's rename is wrapped: a signal arrives just before it.
tests_unit_test_statefile_SOURCES = tests/unit/test_statefile.c \
	tests/unit/testfile.c tests/unit/testfile.h
tests_unit_test_statefile_LDFLAGS = -Wl,--wrap=rename -Wl,--wrap=renameat2
tests_unit_test_sysinfo_SOURCES = tests/unit/test_sysinfo.c
tests_unit_test_tui_view_SOURCES = tests/unit/test_tui_view.c
# The dashboard's loop and drawing, on a terminal that writes to /dev/null.
tests_unit_test_tui_frame_SOURCES = tests/unit/test_tui_frame.c \
	src/tui.c src/tui_draw.c src/tui_keys.c src/tui_page.c src/tui_paint.c \
	src/tui_panel.c src/tui_session.c src/tui_setup.c
tests_unit_test_tui_frame_CPPFLAGS = $(UNIT_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_frame_LDADD = $(UNIT_LDADD) $(NCURSES_LIBS)
tests_unit_test_anomaly_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_anomaly_text_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_batch_lines_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_conf_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_counters_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_model_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_netns_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_pace_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_proc_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_bytecode_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_diag_parse_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_diag_reader_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_diag_recorded_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_filter_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_format_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_format_oracle_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_group_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_group_sort_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_kill_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_replay_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_sock_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_source_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_statefile_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_sysinfo_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_tui_view_CPPFLAGS = $(UNIT_CPPFLAGS)
endif
