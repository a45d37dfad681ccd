# tests/sys/local.mk - real sockets in network namespaces the tests create.
# The generator builds every TCP state; the scripts exit 77 without root.

check_PROGRAMS += tests/sockgen
tests_sockgen_SOURCES = tests/sockgen.c tests/sockgen.h tests/sockgen_net.c

TESTS += tests/sys/states.sh tests/sys/states-many.sh
EXTRA_DIST += tests/sys/states.sh tests/sys/states-many.sh \
	tests/sys/states-lib.sh
