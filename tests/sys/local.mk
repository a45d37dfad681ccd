# tests/sys/local.mk
