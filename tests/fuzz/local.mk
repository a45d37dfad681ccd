# tests/fuzz/local.mk - libFuzzer targets (--enable-fuzzing, clang), and a
# run of each over its seed corpus in make check otherwise.
#
#   CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address' \
#       ./configure --enable-fuzzing && make
#   tests/fuzz/fuzz_filter -dict=tests/fuzz/filter.dict -max_total_time=60 \
#       tests/fuzz/corpus-filter

FUZZ_FILTER_SOURCES = tests/fuzz/fuzz_filter.c tests/unit/bc_kernel.c \
	tests/unit/bc_kernel.h
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
EXTRA_DIST += tests/fuzz/corpus-filter tests/fuzz/filter.dict

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_filter
tests_fuzz_fuzz_filter_SOURCES = $(FUZZ_FILTER_SOURCES)
tests_fuzz_fuzz_filter_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_filter_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
tests_fuzz_fuzz_filter_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_filter_LDADD = src/libsockwatch.a $(LIBMNL_LIBS) $(LIBINTL)
else
check_PROGRAMS += tests/fuzz/fuzz_filter_corpus
TESTS += tests/fuzz/fuzz_filter_corpus
tests_fuzz_fuzz_filter_corpus_SOURCES = $(FUZZ_FILTER_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_filter_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-filter"'
tests_fuzz_fuzz_filter_corpus_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
tests_fuzz_fuzz_filter_corpus_LDADD = src/libsockwatch.a $(LIBMNL_LIBS) \
	$(LIBINTL)
endif
