# bench/local.mk - make bench (not part of make check)
