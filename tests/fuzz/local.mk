# tests/fuzz/local.mk - libFuzzer targets (--enable-fuzzing, clang), and a
# run of each over its seed corpus in make check otherwise (under the
# sanitizers when CI builds with them).
#
#   CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined' \
#       ./configure --enable-fuzzing && make
#   make fuzz FUZZ_SECONDS=60       every target, 60 s each
#
# Targets: filter (the filter language), replay (recordings), diag (netlink
# replies), state (the state file), conf (configuration), counters (/proc/net
# and sysctls), proc (the /proc process walk, on a fake tree). The seeds in
# tests/fuzz/corpus-NAME come from real data (tests/fuzz/make-corpus.sh).

FUZZ_TARGETS = filter replay diag state conf counters proc
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
FUZZ_LIBS = src/libsockwatch.a $(LIBMNL_LIBS) $(LIBINTL)
FUZZ_FILE = tests/fuzz/fuzz_file.c tests/fuzz/fuzz_file.h
FUZZ_FILTER_SOURCES = tests/fuzz/fuzz_filter.c tests/unit/bc_kernel.c \
	tests/unit/bc_kernel.h
FUZZ_REPLAY_SOURCES = tests/fuzz/fuzz_replay.c $(FUZZ_FILE)
FUZZ_DIAG_SOURCES = tests/fuzz/fuzz_diag.c
FUZZ_STATE_SOURCES = tests/fuzz/fuzz_state.c $(FUZZ_FILE)
FUZZ_CONF_SOURCES = tests/fuzz/fuzz_conf.c
FUZZ_COUNTERS_SOURCES = tests/fuzz/fuzz_counters.c $(FUZZ_FILE)
FUZZ_PROC_SOURCES = tests/fuzz/fuzz_proc.c $(FUZZ_FILE)
EXTRA_DIST += tests/fuzz/filter.dict tests/fuzz/run.sh \
	tests/fuzz/make-corpus.sh tests/fuzz/corpus-filter \
	tests/fuzz/corpus-replay tests/fuzz/corpus-diag tests/fuzz/corpus-state \
	tests/fuzz/corpus-conf tests/fuzz/corpus-counters tests/fuzz/corpus-proc

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_filter tests/fuzz/fuzz_replay \
	tests/fuzz/fuzz_diag tests/fuzz/fuzz_state tests/fuzz/fuzz_conf \
	tests/fuzz/fuzz_counters tests/fuzz/fuzz_proc
tests_fuzz_fuzz_filter_SOURCES = $(FUZZ_FILTER_SOURCES)
tests_fuzz_fuzz_filter_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_filter_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_filter_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_replay_SOURCES = $(FUZZ_REPLAY_SOURCES)
tests_fuzz_fuzz_replay_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_MUTATOR
tests_fuzz_fuzz_replay_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_replay_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_diag_SOURCES = $(FUZZ_DIAG_SOURCES)
tests_fuzz_fuzz_diag_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_diag_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_diag_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_state_SOURCES = $(FUZZ_STATE_SOURCES)
tests_fuzz_fuzz_state_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_state_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_state_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_conf_SOURCES = $(FUZZ_CONF_SOURCES)
tests_fuzz_fuzz_conf_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_conf_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_counters_SOURCES = $(FUZZ_COUNTERS_SOURCES)
tests_fuzz_fuzz_counters_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_counters_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_counters_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_proc_SOURCES = $(FUZZ_PROC_SOURCES)
tests_fuzz_fuzz_proc_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_proc_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_proc_LDADD = $(FUZZ_LIBS)

# make fuzz [FUZZ_SECONDS=S] [FUZZ_RUN='replay state']: each target for S
# seconds from its seeds; what it learns goes to tests/fuzz/work-NAME and
# crashes to tests/fuzz/crashes-found, in the build tree (not the sources).
FUZZ_SECONDS = 60
FUZZ_RUN = $(FUZZ_TARGETS)
fuzz: $(noinst_PROGRAMS)
	FUZZ_BIN='$(abs_top_builddir)/tests/fuzz' \
	FUZZ_SRC='$(abs_top_srcdir)/tests/fuzz' \
	sh $(abs_top_srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_RUN)
else
check_PROGRAMS += tests/fuzz/fuzz_filter_corpus tests/fuzz/fuzz_replay_corpus \
	tests/fuzz/fuzz_diag_corpus tests/fuzz/fuzz_state_corpus \
	tests/fuzz/fuzz_conf_corpus tests/fuzz/fuzz_counters_corpus \
	tests/fuzz/fuzz_proc_corpus
TESTS += tests/fuzz/fuzz_filter_corpus tests/fuzz/fuzz_replay_corpus \
	tests/fuzz/fuzz_diag_corpus tests/fuzz/fuzz_state_corpus \
	tests/fuzz/fuzz_conf_corpus tests/fuzz/fuzz_counters_corpus \
	tests/fuzz/fuzz_proc_corpus
tests_fuzz_fuzz_filter_corpus_SOURCES = $(FUZZ_FILTER_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_filter_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-filter"'
tests_fuzz_fuzz_filter_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_replay_corpus_SOURCES = $(FUZZ_REPLAY_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_replay_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-replay"'
tests_fuzz_fuzz_replay_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_diag_corpus_SOURCES = $(FUZZ_DIAG_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_diag_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-diag"'
tests_fuzz_fuzz_diag_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_state_corpus_SOURCES = $(FUZZ_STATE_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_state_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-state"'
tests_fuzz_fuzz_state_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_conf_corpus_SOURCES = $(FUZZ_CONF_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_conf_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-conf"'
tests_fuzz_fuzz_conf_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_counters_corpus_SOURCES = $(FUZZ_COUNTERS_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_counters_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-counters"'
tests_fuzz_fuzz_counters_corpus_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_proc_corpus_SOURCES = $(FUZZ_PROC_SOURCES) \
	tests/fuzz/fuzz_corpus.c
tests_fuzz_fuzz_proc_corpus_CPPFLAGS = $(FUZZ_CPPFLAGS) \
	-DFUZZ_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus-proc"'
tests_fuzz_fuzz_proc_corpus_LDADD = $(FUZZ_LIBS)
fuzz:
	@echo 'make fuzz: configure with CC=clang --enable-fuzzing first' >&2
	@exit 1
endif
.PHONY: fuzz
