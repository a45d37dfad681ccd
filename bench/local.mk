# bench/local.mk - make bench (not part of make check): builds a population
# of SOCKETS sockets in a namespace of its own and times sockwatch against ss.
#   make bench                      100,000 sockets, 5 runs
#   make bench SOCKETS=1000000      needs about 2.4 GiB of kernel memory

EXTRA_PROGRAMS = bench/popgen
bench_popgen_SOURCES = bench/popgen.c
CLEANFILES += bench/popgen$(EXEEXT)
EXTRA_DIST += bench/run.sh

SOCKETS = 100000
RUNS = 5

bench: src/sockwatch$(EXEEXT) bench/popgen$(EXEEXT)
	SOCKWATCH='$(abs_top_builddir)/src/sockwatch$(EXEEXT)' \
	POPGEN='$(abs_top_builddir)/bench/popgen$(EXEEXT)' \
	bash $(abs_top_srcdir)/bench/run.sh $(SOCKETS) $(RUNS)

.PHONY: bench

# The dashboard's cost on a large population (root; not part of make bench's
# default run): sh bench/tui-cpu.sh [N [SECONDS]]
EXTRA_DIST += bench/tui-cpu.sh bench/tui-population.py
