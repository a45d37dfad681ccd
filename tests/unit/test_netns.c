/*
 * test_netns.c - the scan of -N all over a made-up /proc and /run/netns:
 * ours is always listed, a name is a namespace only when it is one, and
 * nothing planted under /run/netns can stop the scan. Needs only Linux's
 * /proc/self/ns/net, which any user may open.
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
	assert_int_equal(netns_scan(&l, proc_root, run_dir, &cause), 0);
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
	assert_int_equal(netns_scan(&l, proc_root, p, &cause), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.v[0].named);	/* ours, with no name: by inode */
	assert_memory_equal(l.v[0].label, "net:[", 5);
	netns_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_scan_skips_what_is_no_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_without_run_dir,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
