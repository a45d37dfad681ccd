/*
 * test_netns.c - the scan of -N all over a made-up /proc and /run/netns:
 * ours is always listed, a name is a namespace only when it is one, and
 * nothing planted under /run/netns can stop the scan; between full scans
 * of /proc a namespace whose process left goes at once and a new one
 * comes within the bound. Needs only Linux's /proc/self/ns files, which
 * any user may open: the made-up processes "hold" our uts, ipc, mnt and
 * cgroup namespaces, other inodes of nsfs, as if they were network ones.
 */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns.h"

static char	 top[PATH_MAX];
static char	 proc_root[PATH_MAX + 16];
static char	 run_dir[PATH_MAX + 16];

static void
path(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static int
setup(void **state)
{
	char p[PATH_MAX + 64];

	(void)state;
	strcpy(top, "/tmp/sw-test-netns.XXXXXX");
	if (mkdtemp(top) == NULL || access("/proc/self/ns/net", R_OK) != 0)
		return -1;
	path(proc_root, sizeof proc_root, top, "proc");
	path(run_dir, sizeof run_dir, top, "run");
	mkdir(proc_root, 0700);
	mkdir(run_dir, 0700);
	/* self/ns/net: the real one, through a link. */
	path(p, sizeof p, proc_root, "self");
	mkdir(p, 0700);
	path(p, sizeof p, proc_root, "self/ns");
	mkdir(p, 0700);
	path(p, sizeof p, proc_root, "self/ns/net");
	return symlink("/proc/self/ns/net", p);
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* A FIFO, a plain file and a name for our own namespace under run_dir. */
static void
test_scan_skips_what_is_no_namespace(void **state)
{
	struct netns_list l = { 0 };
	char p[PATH_MAX + 64], *cause = NULL;
	struct stat self;

	(void)state;
	path(p, sizeof p, run_dir, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	path(p, sizeof p, run_dir, "plain");
	fclose(fopen(p, "w"));
	path(p, sizeof p, run_dir, "ours");
	assert_int_equal(symlink("/proc/self/ns/net", p), 0);
	assert_int_equal(stat("/proc/self/ns/net", &self), 0);

	alarm(10);		/* a FIFO opened for reading blocks: fail, not hang */
	assert_int_equal(netns_scan(&l, NULL, proc_root, run_dir, &cause), 0);
	alarm(0);
	assert_null(cause);
	/* One namespace, counted once whatever names lead to it. */
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].self);
	assert_int_equal(l.v[0].inode, (uint64_t)self.st_ino);
	assert_true(l.v[0].fd >= 0);
	netns_list_free(&l);
}

static void
test_scan_without_run_dir(void **state)
{
	struct netns_list l = { 0 };
	char p[PATH_MAX + 64], *cause = NULL;

	(void)state;
	path(p, sizeof p, top, "nowhere");
	assert_int_equal(netns_scan(&l, NULL, proc_root, p, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.v[0].named);	/* ours, with no name: by inode */
	assert_memory_equal(l.v[0].label, "net:[", 5);
	netns_list_free(&l);
}

/* A made-up process PID in the namespace TARGET (a /proc/self/ns file). */
static void
proc_in(int pid, const char *target)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof p, "%s/%d", proc_root, pid);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/%d/ns", proc_root, pid);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/%d/ns/net", proc_root, pid);
	unlink(p);
	assert_int_equal(symlink(target, p), 0);
}

/* The made-up process PID ends. */
static void
proc_end(int pid)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof p, "%s/%d/ns/net", proc_root, pid);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof p, "%s/%d/ns", proc_root, pid);
	assert_int_equal(rmdir(p), 0);
	snprintf(p, sizeof p, "%s/%d", proc_root, pid);
	assert_int_equal(rmdir(p), 0);
}

static uint64_t
inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

/* The namespace of l with that inode, or NULL. */
static const struct netns *
listed(const struct netns_list *l, const char *target)
{
	uint64_t inode = inode_of(target);
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].inode == inode)
			return &l->v[i];
	return NULL;
}

/* One scan with memory m, into l (emptied first). */
static void
scan(struct netns_list *l, struct netns_memory *m)
{
	char *cause = NULL;

	assert_int_equal(netns_scan(l, m, proc_root, run_dir, &cause), 0);
	assert_null(cause);
}

/*
 * Few processes: /proc is read in full at each scan. 500 of them: every
 * other scan.
 */
static void
test_full_scans_follow_processes(void **state)
{
	struct netns_memory m = { 0 };
	struct netns_list l = { 0 };
	int pid;

	(void)state;
	proc_in(10, "/proc/self/ns/uts");
	scan(&l, &m);
	assert_int_equal(m.procs, 1);
	assert_int_equal(m.every, 1);
	proc_in(20, "/proc/self/ns/ipc");
	scan(&l, &m);
	assert_non_null(listed(&l, "/proc/self/ns/ipc"));
	assert_int_equal(l.n, 3);	/* ours, uts, ipc */
	assert_int_equal(m.procs, 2);
	assert_int_equal(m.since, 0);

	for (pid = 1000; pid < 1498; pid++)
		proc_in(pid, "/proc/self/ns/net");
	scan(&l, &m);
	assert_int_equal(m.procs, 500);
	assert_int_equal(m.every, 2);
	proc_in(30, "/proc/self/ns/mnt");
	scan(&l, &m);
	assert_int_equal(m.since, 1);
	assert_null(listed(&l, "/proc/self/ns/mnt"));
	scan(&l, &m);
	assert_int_equal(m.since, 0);
	assert_non_null(listed(&l, "/proc/self/ns/mnt"));
	assert_int_equal(m.procs, 501);
	netns_list_free(&l);
	netns_memory_free(&m);
}

/*
 * Many processes (every 3rd scan in full): the held namespaces are kept
 * through their pids, and one only a new process holds appears at the
 * third scan, not before.
 */
static void
test_new_namespace_within_every_scans(void **state)
{
	struct netns_memory m = { 0 };
	struct netns_list l = { 0 };
	const struct netns *ns;
	int i;

	(void)state;
	proc_in(10, "/proc/self/ns/uts");
	proc_in(20, "/proc/self/ns/net");
	proc_in(30, "/proc/self/ns/ipc");
	proc_in(31, "/proc/self/ns/ipc");
	scan(&l, &m);
	assert_int_equal(l.n, 3);
	assert_int_equal(m.since, 0);
	m.every = 3;			/* as netns_full_every(1000..1499) */
	proc_in(40, "/proc/self/ns/mnt");
	for (i = 1; i < 3; i++) {
		scan(&l, &m);
		assert_int_equal(m.since, i);
		assert_int_equal(l.n, 3);
		assert_null(listed(&l, "/proc/self/ns/mnt"));
		assert_true(l.v[0].self);
		assert_int_equal(l.v[0].pid, 20);
		assert_non_null(ns = listed(&l, "/proc/self/ns/uts"));
		assert_int_equal(ns->pid, 10);
		assert_true(ns->fd >= 0);
		assert_non_null(ns = listed(&l, "/proc/self/ns/ipc"));
		assert_int_equal(ns->pid, 30);
	}
	scan(&l, &m);
	assert_int_equal(m.since, 0);
	assert_int_equal(l.n, 4);
	assert_non_null(ns = listed(&l, "/proc/self/ns/mnt"));
	assert_int_equal(ns->pid, 40);
	assert_true(ns->fd >= 0);
	assert_false(ns->named);
	netns_list_free(&l);
	netns_memory_free(&m);
}

/*
 * Between full scans, an unnamed namespace none of whose pids is in it
 * any more starts a full scan at once: there it goes if nothing else holds
 * it, and whatever else changed is seen. One that another of its pids
 * still holds needs no full scan.
 */
static void
test_holder_gone_scans_in_full(void **state)
{
	struct netns_memory m = { 0 };
	struct netns_list l = { 0 };
	const struct netns *ns;

	(void)state;
	proc_in(10, "/proc/self/ns/uts");
	proc_in(30, "/proc/self/ns/ipc");
	proc_in(31, "/proc/self/ns/ipc");
	scan(&l, &m);
	m.every = 10;
	scan(&l, &m);
	assert_int_equal(m.since, 1);

	proc_end(30);			/* 31 still holds ipc */
	scan(&l, &m);
	assert_int_equal(m.since, 2);
	assert_non_null(ns = listed(&l, "/proc/self/ns/ipc"));
	assert_int_equal(ns->pid, 31);
	assert_true(ns->fd >= 0);

	proc_end(10);			/* ended: uts is held no more */
	proc_in(40, "/proc/self/ns/mnt");
	scan(&l, &m);
	assert_int_equal(m.since, 0);
	assert_null(listed(&l, "/proc/self/ns/uts"));
	assert_non_null(listed(&l, "/proc/self/ns/mnt"));
	assert_int_equal(l.n, 3);	/* ours, ipc, mnt */

	m.every = 10;
	proc_in(40, "/proc/self/ns/cgroup");	/* moved (setns) */
	scan(&l, &m);
	assert_int_equal(m.since, 0);
	assert_null(listed(&l, "/proc/self/ns/mnt"));
	assert_non_null(ns = listed(&l, "/proc/self/ns/cgroup"));
	assert_int_equal(ns->pid, 40);
	assert_int_equal(l.n, 3);	/* ours, ipc, cgroup */
	netns_list_free(&l);
	netns_memory_free(&m);
}

/*
 * Names are read at every scan: a new one shows at once, and one whose
 * name went while a process holds it stays, by inode, with that pid; a
 * named one whose process ended needs no full scan.
 */
static void
test_names_between_full_scans(void **state)
{
	struct netns_memory m = { 0 };
	struct netns_list l = { 0 };
	char p[PATH_MAX + 64];
	const struct netns *ns;

	(void)state;
	path(p, sizeof p, run_dir, "web");
	assert_int_equal(symlink("/proc/self/ns/uts", p), 0);
	proc_in(10, "/proc/self/ns/uts");
	scan(&l, &m);
	assert_non_null(ns = listed(&l, "/proc/self/ns/uts"));
	assert_true(ns->named);
	assert_string_equal(ns->label, "web");
	assert_int_equal(ns->pid, 10);
	m.every = 10;

	path(p, sizeof p, run_dir, "db");
	assert_int_equal(symlink("/proc/self/ns/ipc", p), 0);
	scan(&l, &m);
	assert_int_equal(m.since, 1);
	assert_non_null(ns = listed(&l, "/proc/self/ns/ipc"));
	assert_true(ns->named);
	assert_string_equal(ns->label, "db");

	path(p, sizeof p, run_dir, "web");
	assert_int_equal(unlink(p), 0);
	scan(&l, &m);
	assert_int_equal(m.since, 2);
	assert_non_null(ns = listed(&l, "/proc/self/ns/uts"));
	assert_false(ns->named);
	assert_memory_equal(ns->label, "net:[", 5);
	assert_int_equal(ns->pid, 10);

	path(p, sizeof p, run_dir, "db");
	assert_int_equal(unlink(p), 0);
	scan(&l, &m);
	assert_int_equal(m.since, 3);
	assert_null(listed(&l, "/proc/self/ns/ipc"));	/* held by none */
	assert_int_equal(l.n, 2);

	/* Named again, its process gone: listed, with no pid, no full scan. */
	path(p, sizeof p, run_dir, "web");
	assert_int_equal(symlink("/proc/self/ns/uts", p), 0);
	proc_end(10);
	scan(&l, &m);
	assert_int_equal(m.since, 4);
	assert_non_null(ns = listed(&l, "/proc/self/ns/uts"));
	assert_true(ns->named);
	assert_int_equal(ns->pid, 0);
	netns_list_free(&l);
	netns_memory_free(&m);
}

/*
 * The name of the namespace we run in (ip netns exec NAME): the host's
 * (process 1's) has none even when named; another is named as under
 * run_dir, else by inode; when process 1's is unknown, only a name says.
 */
static void
test_self_name(void **state)
{
	char p[PATH_MAX + 64], want[64], *name;

	(void)state;
	path(p, sizeof p, run_dir, "db");
	assert_int_equal(symlink("/proc/self/ns/ipc", p), 0);
	assert_null(netns_self_name(proc_root, run_dir));	/* no process 1 */

	proc_in(1, "/proc/self/ns/net");	/* we run in the host's */
	path(p, sizeof p, run_dir, "web");
	assert_int_equal(symlink("/proc/self/ns/net", p), 0);
	assert_null(netns_self_name(proc_root, run_dir));

	proc_in(1, "/proc/self/ns/uts");	/* in one of our own */
	name = netns_self_name(proc_root, run_dir);
	assert_non_null(name);
	assert_string_equal(name, "web");
	free(name);

	assert_int_equal(unlink(p), 0);		/* no name: by inode */
	snprintf(want, sizeof want, "net:[%llu]",
	    (unsigned long long)inode_of("/proc/self/ns/net"));
	name = netns_self_name(proc_root, run_dir);
	assert_non_null(name);
	assert_string_equal(name, want);
	free(name);

	proc_end(1);				/* process 1 unknown */
	assert_null(netns_self_name(proc_root, run_dir));
	path(p, sizeof p, top, "nowhere");
	assert_null(netns_self_name(p, run_dir));	/* no /proc */
}

/* Every scan up to 499 processes, then about 500 a scan, at most 10th. */
static void
test_full_every(void **state)
{
	(void)state;
	assert_int_equal(netns_full_every(0), 1);
	assert_int_equal(netns_full_every(499), 1);
	assert_int_equal(netns_full_every(500), 2);
	assert_int_equal(netns_full_every(2600), 6);
	assert_int_equal(netns_full_every(4499), 9);
	assert_int_equal(netns_full_every(4500), 10);
	assert_int_equal(netns_full_every(100000), 10);
	netns_memory_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_scan_skips_what_is_no_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_without_run_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_full_scans_follow_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_new_namespace_within_every_scans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holder_gone_scans_in_full,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_names_between_full_scans,
		    setup, teardown),
		cmocka_unit_test(test_full_every),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
