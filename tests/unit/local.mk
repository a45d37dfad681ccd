# tests/unit/local.mk

# bench branch: the fast formatters and the key sort against the libc code
# they replaced (inet_ntop, snprintf, a stable qsort). When merging with the
# unit-test branch, these two programs join its UNIT_TESTS list.
if HAVE_CMOCKA
ORACLE_TESTS = tests/unit/test_format_oracle tests/unit/test_group_sort
check_PROGRAMS += $(ORACLE_TESTS)
TESTS += $(ORACLE_TESTS)

tests_unit_test_format_oracle_SOURCES = tests/unit/test_format_oracle.c
tests_unit_test_format_oracle_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_format_oracle_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) \
	$(LIBMNL_LIBS) $(LIBINTL)

tests_unit_test_group_sort_SOURCES = tests/unit/test_group_sort.c
tests_unit_test_group_sort_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_group_sort_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) \
	$(LIBMNL_LIBS) $(LIBINTL)
endif
