# tests/sys/local.mk

# Anomaly rules against real sockets in the test's namespaces (issue 3).
ANOMALY_SYS_TESTS = tests/sys/anomaly_syn_flood.sh \
	tests/sys/anomaly_flash_crowd.sh tests/sys/anomaly_close_wait.sh \
	tests/sys/anomaly_accept_queue.sh tests/sys/anomaly_time_wait.sh \
	tests/sys/anomaly_zero_window.sh tests/sys/anomaly_orphans.sh \
	tests/sys/anomaly_retransmits.sh tests/sys/anomaly_fin_wait2.sh
TESTS += $(ANOMALY_SYS_TESTS)
dist_check_SCRIPTS += $(ANOMALY_SYS_TESTS)
EXTRA_DIST += tests/sys/anomaly_lib.sh tests/sys/anomaly_peer.py
