# tests/sys/local.mk - real sockets in namespaces the tests create (root).
KILL_SYS_TESTS = tests/sys/kill_states.sh tests/sys/kill_synrecv.sh \
	tests/sys/kill_select.sh tests/sys/kill_eperm.sh \
	tests/sys/filter_kernel.sh tests/sys/kill_recheck.sh
TESTS += $(KILL_SYS_TESTS)
EXTRA_DIST += $(KILL_SYS_TESTS) tests/sys/tcpsocks.sh

# Anomaly rules against real sockets in the test's namespaces (issue 3).
ANOMALY_SYS_TESTS = tests/sys/anomaly_syn_flood.sh \
	tests/sys/anomaly_flash_crowd.sh tests/sys/anomaly_close_wait.sh \
	tests/sys/anomaly_cron.sh tests/sys/anomaly_accept_queue.sh tests/sys/anomaly_time_wait.sh \
	tests/sys/anomaly_zero_window.sh tests/sys/anomaly_orphans.sh \
	tests/sys/anomaly_retransmits.sh tests/sys/anomaly_fin_wait2.sh \
	tests/sys/anomaly_real_crowd.sh tests/sys/anomaly_spoofed_flood.sh \
	tests/sys/anomaly_dead_peer.sh tests/sys/anomaly_local_listener.sh \
	tests/sys/anomaly_quiet.sh
TESTS += $(ANOMALY_SYS_TESTS) tests/sys/hostile_names.sh
EXTRA_DIST += $(ANOMALY_SYS_TESTS) tests/sys/hostile_names.sh
EXTRA_DIST += tests/sys/anomaly_lib.sh

# tests/sockgen builds every TCP state between two namespaces; the state
# tests compare sockwatch with what it built and with ss (issue 2).
check_PROGRAMS += tests/sockgen
tests_sockgen_SOURCES = tests/sockgen.c tests/sockgen.h tests/sockgen_build.c \
	tests/sockgen_net.c tests/sockgen_verify.c tests/sockgen_hold.c \
	tests/sockgen_peer.c tests/sockgen_raw.c
TESTS += tests/sys/states.sh tests/sys/states-many.sh \
	tests/sys/replay-states.sh
EXTRA_DIST += tests/sys/states.sh tests/sys/states-many.sh \
	tests/sys/replay-states.sh tests/sys/states-lib.sh \
	tests/data/README tests/data/make-recordings.sh \
	tests/data/states-v4v6-server.rec tests/data/states-v4v6-client.rec \
	tests/data/states-v4v6.manifest \
	tests/data/states-v4v6-server.expected.json \
	tests/data/states-v4v6-client.expected.json

# --cpu-budget: paced polls against ss, a connection leaving the carry.
TESTS += tests/sys/pace.sh tests/sys/pace_follow.sh tests/sys/pace_destroy.sh
EXTRA_DIST += tests/sys/pace.sh tests/sys/pace_follow.sh tests/sys/pace_destroy.sh \
	tests/sys/pace-lib.sh

# The state file: ages across runs, partial views kept apart; tcp_info in
# the dump of a run that expects many sockets it cannot date.
TESTS += tests/sys/history_views.sh tests/sys/history_info.sh
EXTRA_DIST += tests/sys/history_views.sh tests/sys/history_info.sh

# Ages known or at least, never invented (issue 10).
TESTS += tests/sys/ages.sh
EXTRA_DIST += tests/sys/ages.sh

# -N all: every namespace in one report, against ss inside each.
TESTS += tests/sys/netns_all.sh
TESTS += tests/sys/netns_many.sh
TESTS += tests/sys/netns_all_polls.sh
EXTRA_DIST += tests/sys/netns_all.sh
EXTRA_DIST += tests/sys/netns_many.sh
EXTRA_DIST += tests/sys/netns_all_polls.sh

# ip netns exec NAME sockwatch: the name, and a history of its own.
TESTS += tests/sys/netns_exec.sh
EXTRA_DIST += tests/sys/netns_exec.sh
# Dumps under churn, and interrupted (NLM_F_DUMP_INTR) by the shim
# tests/dump_intr.so, count a stable population exactly.
TESTS += tests/sys/dump_churn.sh
EXTRA_DIST += tests/sys/dump_churn.sh tests/dump_intr.c
check_DATA = tests/dump_intr.so
CLEANFILES += tests/dump_intr.so
tests/dump_intr.so: tests/dump_intr.c
	@$(MKDIR_P) tests
	$(CC) -shared -fPIC -O1 -o $@ $(srcdir)/tests/dump_intr.c -ldl

# ss's options and columns, names in filters, Nagios perfdata of a full queue.
TESTS += tests/sys/ss_columns.sh
EXTRA_DIST += tests/sys/ss_columns.sh
