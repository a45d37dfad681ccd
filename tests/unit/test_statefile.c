/*
 * test_statefile.c - the state file between batch runs: a real one (two polls
 * of a committed recording, with findings and counter readings) saved and
 * loaded back; every byte of it damaged in turn, loaded and polled on:
 * each load starts afresh or gives ages that are ages (never negative,
 * never older than the history). Run under UBSan, no arithmetic on what
 * was loaded may overflow. A termination signal during the save leaves no
 * temporary file behind, and a save over an old file leaves only the new.
 * A file of an earlier boot is no history, whatever it holds. A peek
 * before the load finds what the load would.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "counters.h"
#include "monitor.h"
#include "replay.h"
#include "statefile.h"
#include "testfile.h"

#define RECORDING	TEST_DATADIR "/states-v4v6-client.rec"
#define T0		1795348800

static char dir[64];
static struct snapshot snap;
static struct counters ctr;

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct replay *r;
	char *cause = NULL;

	(void)state;
	snprintf(dir, sizeof dir, "%s/sw-state-XXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snapshot_init(&snap);
	if ((r = replay_open(RECORDING, &cause)) == NULL ||
	    replay_load(r, 0, &snap, &cause) < 0)
		return -1;
	counters_replay(&ctr, r, 0);
	replay_close(r);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snapshot_free(&snap);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
path_of(const char *name)
{
	static char path[128];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* The recording's poll again at T0 + sec. */
static void
poll_at(struct monitor *mon, long sec)
{
	snap.when.tv_sec = T0 + sec;
	snap.when.tv_nsec = 0;
	ctr.when = snap.when;
	monitor_update(mon, &snap, &ctr);
}

/*
 * A poll of a million sockets: its time is when the dump began, and its
 * counters are read when the dump and its tcp_info are done, seconds on.
 */
static void
slow_poll_at(struct monitor *mon, long sec, long read_after)
{
	snap.when.tv_sec = T0 + sec;
	snap.when.tv_nsec = 0;
	ctr.when.tv_sec = T0 + sec + read_after;
	ctr.when.tv_nsec = 0;
	monitor_update(mon, &snap, &ctr);
}

/* Thresholds low enough that the recording's sockets raise findings. */
static void
config(struct anomaly_config *cfg)
{
	static const char text[] = "hysteresis.raise_after = 1\n"
	    "rule.fin-wait2.warning_count = 1\n"
	    "rule.fin-wait2.age_factor = 0\n"
	    "rule.orphans.warning_share = 0\n";
	char *cause = NULL;

	anomaly_config_defaults(cfg);
	if (conf_parse(cfg, "test", text, sizeof text - 1, &cause) < 0)
		fail_msg("%s", cause);
}

/* A monitor of three polls, saved; the file's bytes through *size. */
static char *
saved_state(const char *path, size_t *size)
{
	struct anomaly_config cfg;
	struct monitor *mon = calloc(1, sizeof *mon);
	char *cause = NULL;

	config(&cfg);
	monitor_init(mon, &cfg, 0);
	poll_at(mon, 0);
	poll_at(mon, 10);
	poll_at(mon, 20);
	assert_true(mon->engine.ntracks > 0);
	assert_true(mon->nreadings > 1);
	assert_int_equal(statefile_save(mon, path, 0, &cause), 0);
	monitor_free(mon);
	free(mon);
	return testfile_read(path, size);
}

/* An age: not negative, and within what the model's ticks can hold. */
static int
age_valid(float age)
{
	return age >= 0 && age <= INT32_MAX / 10.0;
}

/* Load path at T0 + 30 and poll: the ages must be ages. */
static enum statefile_result
load_and_poll(const char *path)
{
	struct anomaly_config cfg;
	struct monitor *mon = calloc(1, sizeof *mon);
	enum statefile_result res;
	char *cause = NULL;
	size_t i;

	config(&cfg);
	monitor_init(mon, &cfg, 0);
	res = statefile_load(mon, path, snap.boot_id, snap.netns, T0 + 30, &cause);
	free(cause);
	poll_at(mon, 30);
	for (i = 0; i < snap.n; i++) {
		const struct model_sock *ms = &mon->model.socks[i];

		if (!(age_valid(ms->age_s) && age_valid(ms->state_age_s) &&
		    age_valid(ms->queue_age_s)))
			fail_msg("socket %zu: ages %g %g %g", i, ms->age_s,
			    ms->state_age_s, ms->queue_age_s);
	}
	monitor_free(mon);
	free(mon);
	return res;
}

static void
test_roundtrip(void **state)
{
	const char *path = path_of("state");
	uint64_t n, ntracks, ncounters;
	size_t size, fixed;
	char *file;

	(void)state;
	file = saved_state(path, &size);
	assert_int_equal(load_and_poll(path), STATEFILE_LOADED);
	/* packed: under half the size of the fixed records of version 3 */
	memcpy(&n, file + 104, sizeof n);
	memcpy(&ntracks, file + 112, sizeof ntracks);
	memcpy(&ncounters, file + 120, sizeof ncounters);
	fixed = 128 + n * sizeof(struct model_entry) +
	    ntracks * sizeof(struct anomaly_track) +
	    ncounters * sizeof(struct counters);
	assert_true(n >= 10);
	assert_true(size - (fixed - n * sizeof(struct model_entry)) <
	    n * sizeof(struct model_entry) / 2);
	free(file);
}

/* Counters read seconds after their poll began are history, not corrupt. */
static void
test_slow_poll(void **state)
{
	const char *path = path_of("slow");
	struct anomaly_config cfg;
	struct monitor *mon = calloc(1, sizeof *mon);
	char *cause = NULL;

	(void)state;
	config(&cfg);
	monitor_init(mon, &cfg, 0);
	slow_poll_at(mon, 0, 3);
	slow_poll_at(mon, 10, 3);
	assert_int_equal(statefile_save(mon, path, 0, &cause), 0);
	monitor_free(mon);
	free(mon);
	assert_int_equal(load_and_poll(path), STATEFILE_LOADED);
}

/*
 * A batch run's model is not swept after its last poll (model_sweep_later):
 * the save writes the sockets of that poll, as a swept model would, and
 * what the poll did not see stays out of the file.
 */
static struct monitor *
two_polls(int sweep_later, const struct snapshot *second)
{
	struct anomaly_config cfg;
	struct monitor *mon = calloc(1, sizeof *mon);

	config(&cfg);
	monitor_init(mon, &cfg, 0);
	if (sweep_later)
		model_sweep_later(&mon->model);
	poll_at(mon, 0);
	snap.when.tv_sec = T0 + 10;
	ctr.when = snap.when;
	monitor_update(mon, second, &ctr);
	return mon;
}

static struct monitor *
loaded(const char *path)
{
	struct anomaly_config cfg;
	struct monitor *mon = calloc(1, sizeof *mon);
	char *cause = NULL;

	config(&cfg);
	monitor_init(mon, &cfg, 0);
	assert_int_equal(statefile_load(mon, path, snap.boot_id, snap.netns,
	    T0 + 20, &cause), STATEFILE_LOADED);
	return mon;
}

static void
test_unswept(void **state)
{
	struct snapshot half;
	struct monitor *lazy, *swept, *a, *b;
	char *cause = NULL;
	size_t i, gone = 0;

	(void)state;
	snapshot_init(&half);
	memcpy(half.host, snap.host, sizeof half.host);
	memcpy(half.netns, snap.netns, sizeof half.netns);
	memcpy(half.boot_id, snap.boot_id, sizeof half.boot_id);
	half.unasked = snap.unasked;
	snapshot_want(&half, snap.info != NULL, snap.mem != NULL);
	for (i = 0; i < snap.n; i++)
		if (i % 2 == 0 || snap.socks[i].state == TS_LISTEN)
			snapshot_append(&half, &snap, i);
	half.when.tv_sec = T0 + 10;
	lazy = two_polls(1, &half);
	swept = two_polls(0, &half);
	assert_true(lazy->model.n > swept->model.n);	/* not swept */
	for (i = 0; i < snap.n; i++)	/* but found as if it were */
		assert_int_equal(model_find(&lazy->model, snap.socks[i].cookie)
		    == NULL, model_find(&swept->model, snap.socks[i].cookie) ==
		    NULL);
	assert_int_equal(statefile_save(lazy, path_of("lazy"), 0, &cause), 0);
	assert_int_equal(statefile_save(swept, path_of("swept"), 0, &cause), 0);
	a = loaded(path_of("lazy"));
	b = loaded(path_of("swept"));
	assert_int_equal(a->model.n, swept->model.n);
	assert_int_equal(b->model.n, swept->model.n);
	for (i = 0; i < swept->model.cap; i++) {
		const struct model_entry *e = &swept->model.tab[i], *f;

		if (e->key == 0)
			continue;
		assert_non_null(f = model_find(&a->model, e->key));
		assert_memory_equal(f, e, sizeof *e - sizeof e->flags);
	}
	for (i = 1; i < snap.n; i += 2)
		if (snap.socks[i].state != TS_LISTEN) {
			assert_null(model_find(&a->model, snap.socks[i].cookie));
			gone++;
		}
	assert_true(gone > 0);
	/* its next poll sweeps first: the same table as the swept one's */
	poll_at(lazy, 20);
	poll_at(swept, 20);
	assert_int_equal(lazy->model.n, swept->model.n);
	monitor_free(lazy);
	monitor_free(swept);
	monitor_free(a);
	monitor_free(b);
	free(lazy);
	free(swept);
	free(a);
	free(b);
	snapshot_free(&half);
}

/*
 * Every byte of a real state file flipped in turn (the high bit, the low
 * bit, or all of them): loaded or refused, never undefined.
 */
static void
test_mutations(void **state)
{
	static const uint8_t flips[] = { 0x80, 0x01, 0xff };
	const char *path = path_of("state");
	size_t size, off, loaded = 0, refused = 0;
	char *data;

	(void)state;
	data = saved_state(path, &size);
	for (off = 0; off < size; off++) {
		data[off] ^= flips[off % 3];
		testfile_write(path, data, size);
		if (load_and_poll(path) == STATEFILE_LOADED)
			loaded++;
		else
			refused++;
		data[off] ^= flips[off % 3];
	}
	/* Flips of names and texts load; flips of times and counts do not. */
	assert_true(loaded > 0);
	assert_true(refused > 0);
	free(data);
}

/* The files of the directory whose names begin with name and a dot. */
static int
temporary_files(const char *name)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t len = strlen(name);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, name, len) == 0 &&
		    de->d_name[len] == '.';
	closedir(d);
	return n;
}

/* The save's rename (or exchange), with SIGTERM arriving just before it. */
int __real_rename(const char *, const char *);
int __wrap_rename(const char *, const char *);
int __real_renameat2(int, const char *, int, const char *, unsigned);
int __wrap_renameat2(int, const char *, int, const char *, unsigned);
static int term_before_rename;

int
__wrap_rename(const char *from, const char *to)
{
	if (term_before_rename)
		kill(getpid(), SIGTERM);
	return __real_rename(from, to);
}

int
__wrap_renameat2(int fromdir, const char *from, int todir, const char *to,
    unsigned flags)
{
	if (term_before_rename)
		kill(getpid(), SIGTERM);
	return __real_renameat2(fromdir, from, todir, to, flags);
}

/* A monitor of one poll saved at path by a child that SIGTERM kills. */
static void
save_killed(const char *path)
{
	struct anomaly_config cfg;
	struct monitor mon;
	char *cause = NULL;
	int status;
	pid_t pid;

	config(&cfg);
	monitor_init(&mon, &cfg, 0);
	poll_at(&mon, 0);
	if ((pid = fork()) == 0) {
		signal(SIGTERM, SIG_DFL);
		term_before_rename = 1;
		statefile_save(&mon, path, 0, &cause);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	monitor_free(&mon);
}

static void
test_signal(void **state)
{
	const char *path = path_of("sig");
	static const char old[] = "the file of an earlier save";
	size_t size;
	char *data;

	(void)state;
	save_killed(path);		/* a first save: renamed */
	assert_int_equal(temporary_files("sig"), 0);
	assert_int_equal(access(path, F_OK), 0);	/* the save was done */
	testfile_write(path, old, sizeof old);
	save_killed(path);		/* over an old file: exchanged */
	assert_int_equal(temporary_files("sig"), 0);
	data = testfile_read(path, &size);
	assert_false(size == sizeof old && memcmp(data, old, size) == 0);
	free(data);
	assert_int_equal(load_and_poll(path), STATEFILE_LOADED);
}

/* A save over an old file leaves the new one alone, loaded whole. */
static void
test_replace(void **state)
{
	const char *path = path_of("again");
	size_t first, second;
	char *a, *b;

	(void)state;
	a = saved_state(path, &first);
	b = saved_state(path, &second);
	assert_int_equal(temporary_files("again"), 0);
	assert_int_equal(first, second);
	assert_memory_equal(a, b, first);
	assert_int_equal(load_and_poll(path), STATEFILE_LOADED);
	free(a);
	free(b);
}

/*
 * A file written before this boot holds sockets that are gone: no history,
 * and no complaint, even when a crash left it short. The same bytes
 * written in this boot are corrupt.
 */
static void
test_before_boot(void **state)
{
	const char *path = path_of("booted");
	static const char cut[] = "SOCKWATC";	/* a save cut short */
	struct timeval long_ago[2] = { { 1000, 0 }, { 1000, 0 } };
	struct anomaly_config cfg;
	struct monitor mon;
	char *cause = NULL;

	(void)state;
	config(&cfg);
	testfile_write(path, cut, sizeof cut);
	monitor_init(&mon, &cfg, 0);
	assert_int_equal(statefile_load(&mon, path, snap.boot_id, snap.netns,
	    T0 + 30, &cause), STATEFILE_BAD);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	monitor_free(&mon);
	assert_int_equal(utimes(path, long_ago), 0);
	monitor_init(&mon, &cfg, 0);
	assert_int_equal(statefile_load(&mon, path, snap.boot_id, snap.netns,
	    T0 + 30, &cause), STATEFILE_NONE);
	assert_null(cause);
	monitor_free(&mon);
}

/*
 * What a run reads before its history loads: the time of the last poll and
 * its counters, when the file holds history the load would take.
 */
static void
test_peek(void **state)
{
	const char *path = path_of("peek");
	struct counters last;
	uint64_t then, now;
	double saved = 0;
	size_t size;
	char *file;

	(void)state;
	file = saved_state(path, &size);
	assert_int_equal(statefile_peek(path, snap.boot_id, T0 + 30, &saved,
	    &last), 0);
	assert_true(saved == T0 + 20);
	assert_true(counters_opens(&ctr, &now));
	assert_true(counters_opens(&last, &then));
	assert_true(then == now);
	/* another boot's, too old, cut short, missing: none to load */
	assert_int_equal(statefile_peek(path, "another boot", T0 + 30, &saved,
	    &last), -1);
	assert_int_equal(statefile_peek(path, snap.boot_id,
	    T0 + 20 + STATEFILE_MAX_AGE_S + 1, &saved, &last), -1);
	testfile_write(path, file, size / 2);
	assert_int_equal(statefile_peek(path, snap.boot_id, T0 + 30, &saved,
	    &last), -1);
	unlink(path);
	assert_int_equal(statefile_peek(path, snap.boot_id, T0 + 30, &saved,
	    &last), -1);
	assert_false(counters_opens(&last, &then));
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_slow_poll),
		cmocka_unit_test(test_unswept),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_before_boot),
		cmocka_unit_test(test_peek),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
