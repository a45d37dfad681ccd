# doc/local.mk - the manual page and examples
dist_man_MANS += doc/sockwatch.8
