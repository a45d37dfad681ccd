# tests/sys/local.mk - real sockets in namespaces the tests create (root).
KILL_SYS_TESTS = tests/sys/kill_states.sh tests/sys/kill_synrecv.sh \
	tests/sys/kill_select.sh tests/sys/kill_eperm.sh \
	tests/sys/filter_kernel.sh
TESTS += $(KILL_SYS_TESTS)
EXTRA_DIST += $(KILL_SYS_TESTS) tests/sys/tcpsocks.sh tests/sys/tcpsocks.py
