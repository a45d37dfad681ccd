# bench/local.mk - make bench (not part of make check)

# The dashboard's cost on a large population (root; not part of make bench's
# default run): sh bench/tui-cpu.sh [N [SECONDS]]
EXTRA_DIST += bench/tui-cpu.sh bench/tui-population.py
