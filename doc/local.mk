# doc/local.mk - the manual page and examples
