# tests/sys/local.mk - real sockets in network namespaces the tests create.
# The generator builds every TCP state; the scripts exit 77 without root.

check_PROGRAMS += tests/sockgen
tests_sockgen_SOURCES = tests/sockgen.c tests/sockgen.h tests/sockgen_build.c \
	tests/sockgen_net.c tests/sockgen_verify.c

TESTS += tests/sys/states.sh tests/sys/states-many.sh \
	tests/sys/replay-states.sh
EXTRA_DIST += tests/sys/states.sh tests/sys/states-many.sh \
	tests/sys/replay-states.sh tests/sys/states-lib.sh \
	tests/data/README tests/data/make-recordings.sh \
	tests/data/states-v4v6-server.rec tests/data/states-v4v6-client.rec \
	tests/data/states-v4v6.manifest \
	tests/data/states-v4v6-server.expected.json \
	tests/data/states-v4v6-client.expected.json
