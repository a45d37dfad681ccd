# tests/unit/local.mk - cmocka unit tests, one program per module.

EXTRA_DIST += tests/data/filter-pop.rec tests/data/make-filter-pop.sh

if HAVE_CMOCKA
FILTER_UNIT_TESTS = \
	tests/unit/test_filter \
	tests/unit/test_bytecode \
	tests/unit/test_kill
check_PROGRAMS += $(FILTER_UNIT_TESTS)
TESTS += $(FILTER_UNIT_TESTS)

FILTER_UNIT_CPPFLAGS = $(AM_CPPFLAGS) \
	-DTEST_DATADIR='"$(abs_top_srcdir)/tests/data"'
FILTER_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBMNL_CFLAGS)
FILTER_UNIT_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) $(LIBMNL_LIBS) $(LIBINTL)

tests_unit_test_filter_SOURCES = tests/unit/test_filter.c
tests_unit_test_filter_CPPFLAGS = $(FILTER_UNIT_CPPFLAGS)
tests_unit_test_filter_CFLAGS = $(FILTER_UNIT_CFLAGS)
tests_unit_test_filter_LDADD = $(FILTER_UNIT_LDADD)

tests_unit_test_bytecode_SOURCES = tests/unit/test_bytecode.c \
	tests/unit/bc_kernel.c tests/unit/bc_kernel.h
tests_unit_test_bytecode_CPPFLAGS = $(FILTER_UNIT_CPPFLAGS)
tests_unit_test_bytecode_CFLAGS = $(FILTER_UNIT_CFLAGS)
tests_unit_test_bytecode_LDADD = $(FILTER_UNIT_LDADD)

tests_unit_test_kill_SOURCES = tests/unit/test_kill.c
tests_unit_test_kill_CPPFLAGS = $(FILTER_UNIT_CPPFLAGS)
tests_unit_test_kill_CFLAGS = $(FILTER_UNIT_CFLAGS)
tests_unit_test_kill_LDADD = $(FILTER_UNIT_LDADD)
endif
