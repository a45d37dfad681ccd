# doc/local.mk - the manual page and examples
EXTRA_DIST += doc/sockwatch.conf
