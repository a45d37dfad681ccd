# tests/cli/local.mk - the command line, without root
TESTS += tests/cli/manpage.sh
EXTRA_DIST += tests/cli/manpage.sh
TESTS += tests/cli/completion.sh
EXTRA_DIST += tests/cli/completion.sh
TESTS += tests/cli/locale.sh
EXTRA_DIST += tests/cli/locale.sh
