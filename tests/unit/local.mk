# tests/unit/local.mk

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_tui_view
TESTS += tests/unit/test_tui_view
tests_unit_test_tui_view_SOURCES = tests/unit/test_tui_view.c
tests_unit_test_tui_view_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_tui_view_LDADD = src/libsockwatch.a $(CMOCKA_LIBS) $(LIBINTL)
endif
