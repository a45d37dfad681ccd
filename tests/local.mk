# tests/local.mk - make check. Each area keeps its tests in its own fragment.
#
# Script tests get these variables; a test that needs root or namespaces
# exits 77 without them (reported as SKIP), and runs as root in CI.

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	SOCKWATCH='$(abs_top_builddir)/src/sockwatch'; export SOCKWATCH; \
	SOCKGEN='$(abs_top_builddir)/tests/sockgen'; export SOCKGEN; \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests'; export TESTS_SRCDIR; \
	TESTS_BUILDDIR='$(abs_top_builddir)/tests'; export TESTS_BUILDDIR; \
	LC_ALL=C.UTF-8; export LC_ALL;

EXTRA_DIST += tests/lib.sh tests/perfdata.py

include tests/unit/local.mk
include tests/cli/local.mk
include tests/sys/local.mk
include tests/tui/local.mk
include tests/fuzz/local.mk
