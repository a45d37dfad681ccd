/*
 * test_proc.c - inodes to processes on a fake /proc: no work while every
 * inode is known, a walk when an unknown one appears, a bounded walk that
 * resumes, unknown inodes remembered, names kept as the kernel has them
 * (the sinks sanitise them; JSON keeps their bytes).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"

static char root[] = "/tmp/sockwatch-proc-XXXXXX";

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
fd(int pid, int n, const char *target)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d/fd/%d", root, pid, n);
	assert_int_equal(symlink(target, path), 0);
}

static void
process(int pid, const char *comm)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/%d/fd", root, pid);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%d/comm", pid);
	put(path, comm);
}

static int
setup(void **state)
{
	char target[32];
	int i;

	(void)state;
	assert_non_null(mkdtemp(root));
	process(100, "web\n");
	fd(100, 0, "/dev/null");
	fd(100, 3, "socket:[555]");
	process(200, "bad\x1b[2Jname\n");
	for (i = 0; i < 10; i++) {
		snprintf(target, sizeof target, "socket:[%d]", 600 + i);
		fd(200, i, target);
	}
	process(300, "late\n");
	fd(300, 4, "socket:[900]");
	put("self", "not a pid\n");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd);
}

static void
poll_inodes(struct snapshot *snap, const uint32_t *inodes, size_t n)
{
	size_t i, k;

	snapshot_clear(snap);
	for (k = 0; k < n; k++) {
		struct sock_rec *s = snapshot_add(snap, &i);

		memset(s, 0, sizeof *s);
		s->family = AF_INET;
		s->state = TS_ESTABLISHED;
		s->inode = inodes[k];
	}
}

static void
test_lookup(void **state)
{
	static const uint32_t inodes[] = { 555, 603, 0 };
	struct snapshot snap;
	struct proc_map p;
	const struct proc_owner *o;
	unsigned long work;

	(void)state;
	snapshot_init(&snap);
	proc_init(&p, root);
	poll_inodes(&snap, inodes, 3);
	proc_update(&p, &snap);
	assert_non_null(o = proc_lookup(&p, 555));
	assert_int_equal(o->pid, 100);
	assert_string_equal(o->name, "web");
	assert_non_null(o = proc_lookup(&p, 603));
	assert_int_equal(o->pid, 200);
	assert_string_equal(o->name, "bad\x1b[2Jname");	/* raw */
	assert_null(proc_lookup(&p, 0));

	{
		struct proc_group *g;
		size_t n = proc_groups(&p, &snap, &g);

		assert_int_equal(n, 3);
		assert_int_equal(g[0].total, 1);	/* ties by pid: 0 first */
		assert_int_equal(g[0].pid, 0);
		assert_int_equal(g[1].pid, 100);
		assert_int_equal(g[1].states[TS_ESTABLISHED], 1);
		assert_int_equal(g[2].pid, 200);
		free(g);
	}
	/* Everything known: the next poll reads nothing. */
	work = p.fds_read;
	proc_update(&p, &snap);
	assert_int_equal(p.fds_read, work);
	proc_free(&p);
	snapshot_free(&snap);
}

static void
test_unknown_remembered(void **state)
{
	static const uint32_t inodes[] = { 555, 999 };
	struct snapshot snap;
	struct proc_map p;
	unsigned long work;

	(void)state;
	snapshot_init(&snap);
	proc_init(&p, root);
	poll_inodes(&snap, inodes, 2);
	proc_update(&p, &snap);
	assert_null(proc_lookup(&p, 999));	/* nobody holds it */
	assert_int_equal(p.scans, 1);
	work = p.fds_read;
	proc_update(&p, &snap);
	assert_int_equal(p.fds_read, work);	/* no walk for it again */
	proc_free(&p);
	snapshot_free(&snap);
}

/*
 * A poll with far fewer sockets than the map remembers prunes it, while an
 * inode is still wanted: the map must keep working and free cleanly (it
 * once freed the wanted list twice).
 */
static void
test_prune_while_wanted(void **state)
{
	static uint32_t many[600];
	static const uint32_t few[] = { 555, 999 };
	struct snapshot snap;
	struct proc_map p;
	const struct proc_owner *o;
	size_t i;

	(void)state;
	for (i = 0; i < 600; i++)
		many[i] = 10000 + (uint32_t)i;	/* held by nobody */
	many[0] = 555;
	snapshot_init(&snap);
	proc_init(&p, root);
	poll_inodes(&snap, many, 600);
	proc_update(&p, &snap);
	assert_true(p.n >= 600);
	poll_inodes(&snap, few, 2);
	proc_update(&p, &snap);
	assert_true(p.n < 600);			/* pruned */
	assert_non_null(o = proc_lookup(&p, 555));
	assert_int_equal(o->pid, 100);
	assert_null(proc_lookup(&p, 10001));
	proc_update(&p, &snap);
	proc_free(&p);
	snapshot_free(&snap);
}

static void
test_budget(void **state)
{
	static const uint32_t inodes[] = { 555, 900 };
	struct snapshot snap;
	struct proc_map p;

	(void)state;
	snapshot_init(&snap);
	proc_init(&p, root);
	p.budget = 5;		/* pid 200 alone is 11 units of work */
	poll_inodes(&snap, inodes, 2);
	proc_update(&p, &snap);
	assert_true(p.scanning);
	assert_non_null(proc_lookup(&p, 555));
	assert_null(proc_lookup(&p, 900));	/* pid 300 not reached yet */
	proc_update(&p, &snap);
	assert_false(p.scanning);
	assert_non_null(proc_lookup(&p, 900));
	assert_int_equal(proc_lookup(&p, 900)->pid, 300);
	proc_free(&p);
	snapshot_free(&snap);
}

/* The walk ends as soon as every wanted inode is found. */
static void
test_early_stop(void **state)
{
	static const uint32_t inodes[] = { 555 };
	struct snapshot snap;
	struct proc_map p;

	(void)state;
	snapshot_init(&snap);
	proc_init(&p, root);
	poll_inodes(&snap, inodes, 1);
	proc_update(&p, &snap);
	assert_int_equal(proc_lookup(&p, 555)->pid, 100);
	assert_false(p.scanning);
	assert_int_equal(p.fds_read, 3);	/* pid 100 only: 2 fds + 1 */
	assert_null(proc_lookup(&p, 603));	/* pid 200 never read */
	proc_free(&p);
	snapshot_free(&snap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_unknown_remembered),
		cmocka_unit_test(test_prune_while_wanted),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_early_stop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
