# bench/local.mk - make bench (not part of make check): builds a population
# of SOCKETS sockets in a namespace of its own and times sockwatch against ss.
#   make bench                      100,000 sockets, 5 runs
#   make bench SOCKETS=1000000      needs about 2.4 GiB of kernel memory

EXTRA_PROGRAMS = bench/popgen bench/dumpcount
bench_popgen_SOURCES = bench/popgen.c
bench_dumpcount_SOURCES = bench/dumpcount.c
CLEANFILES += bench/popgen$(EXEEXT) bench/dumpcount$(EXEEXT)
EXTRA_DIST += bench/run.sh

SOCKETS = 100000
RUNS = 5

bench: bench-batch bench-tui

bench-batch: src/sockwatch$(EXEEXT) bench/popgen$(EXEEXT) \
    bench/dumpcount$(EXEEXT)
	SOCKWATCH='$(abs_top_builddir)/src/sockwatch$(EXEEXT)' \
	POPGEN='$(abs_top_builddir)/bench/popgen$(EXEEXT)' \
	DUMPCOUNT='$(abs_top_builddir)/bench/dumpcount$(EXEEXT)' \
	bash $(abs_top_srcdir)/bench/run.sh $(SOCKETS) $(RUNS)

# The dashboard's CPU share at one poll a second, against watch ss (root;
# needs tmux): make bench-tui [SOCKETS=N] [BENCH_SECONDS=S]
BENCH_SECONDS = 30
bench-tui: src/sockwatch$(EXEEXT) bench/popgen$(EXEEXT)
	SOCKWATCH='$(abs_top_builddir)/src/sockwatch$(EXEEXT)' \
	POPGEN='$(abs_top_builddir)/bench/popgen$(EXEEXT)' \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests' \
	sh $(abs_top_srcdir)/bench/tui-cpu.sh $(SOCKETS) $(BENCH_SECONDS)

.PHONY: bench bench-batch bench-tui
EXTRA_DIST += bench/tui-cpu.sh

# Short connections opened and closed as fast as asked: make soak, and
# tests/sys/dump_churn.sh (so make check builds it).
check_PROGRAMS += bench/churn
bench_churn_SOURCES = bench/churn.c
bench_churn_LDADD =

# The churn soak (root; needs tmux, jq): make soak [SOAK_SECONDS=S]
# [SOAK_RATE=N]: N connections a second for S seconds while the dashboard
# and sockwatch -c run; RSS, errors, counts against ss.
SOAK_SECONDS = 60
SOAK_RATE = 3000
soak: src/sockwatch$(EXEEXT) bench/churn$(EXEEXT) tests/sockgen$(EXEEXT)
	SOCKWATCH='$(abs_top_builddir)/src/sockwatch$(EXEEXT)' \
	CHURN='$(abs_top_builddir)/bench/churn$(EXEEXT)' \
	SOCKGEN='$(abs_top_builddir)/tests/sockgen$(EXEEXT)' \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests' \
	sh $(abs_top_srcdir)/bench/soak.sh $(SOAK_SECONDS) $(SOAK_RATE)
.PHONY: soak
EXTRA_DIST += bench/soak.sh
