# tests/unit/local.mk - cmocka unit tests, one program per module (two for
# the parser: hand-built messages, recorded dumps). Each links
# src/libsockwatch.a, from which the linker takes the module under test and
# the few it needs (sock.c, xmalloc.c, log.c), nothing else.

EXTRA_DIST += tests/data/make-basic.sh tests/data/basic.rec \
	tests/data/basic-family.rec

if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test_diag_parse \
	tests/unit/test_diag_recorded \
	tests/unit/test_format \
	tests/unit/test_group \
	tests/unit/test_replay \
	tests/unit/test_sock
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_DATADIR='"$(abs_top_srcdir)/tests/data"'
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBMNL_CFLAGS)
UNIT_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) $(LIBMNL_LIBS) $(LIBINTL)

tests_unit_test_diag_parse_SOURCES = tests/unit/test_diag_parse.c
tests_unit_test_diag_parse_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_diag_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_diag_parse_LDADD = $(UNIT_LDADD)

tests_unit_test_diag_recorded_SOURCES = tests/unit/test_diag_recorded.c
tests_unit_test_diag_recorded_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_diag_recorded_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_diag_recorded_LDADD = $(UNIT_LDADD)

tests_unit_test_format_SOURCES = tests/unit/test_format.c
tests_unit_test_format_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_format_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_format_LDADD = $(UNIT_LDADD)

tests_unit_test_group_SOURCES = tests/unit/test_group.c
tests_unit_test_group_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_group_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_group_LDADD = $(UNIT_LDADD)

tests_unit_test_replay_SOURCES = tests/unit/test_replay.c
tests_unit_test_replay_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_replay_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_replay_LDADD = $(UNIT_LDADD)

tests_unit_test_sock_SOURCES = tests/unit/test_sock.c
tests_unit_test_sock_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_sock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sock_LDADD = $(UNIT_LDADD)
endif
