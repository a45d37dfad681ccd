# tests/local.mk - make check: unit tests (cmocka), system tests (namespaces)
