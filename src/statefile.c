/*
 * statefile.c - the state file between batch runs.
 *
 * A header that says how many records of each kind follow: the model's
 * entries, packed (version 4; fixed records before), then the rules'
 * tracks and the counter readings, native-endian fixed records. The size
 * must match exactly, or the file is corrupt. The network namespace is
 * identified by the inode of /proc/self/ns/net, so runs in different
 * namespaces never mix their history.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nls.h"
#include "safefile.h"
#include "statefile.h"
#include "xmalloc.h"

#define STATE_MAGIC	"SOCKWST1"
#define STATE_VERSION	4	/* 4: entries packed, of varying length */
#define STATE_VERSION_FIXED 3	/* 3: fixed entries that say which ages */
				/* are known, read */
#define STATE_VERSION_OLD 2	/* 2: read, every age taken as a lower bound */
#define STATE_ORDER	0x01020304u
#define SAVE_BUFFER	(1u << 20)

/*
 * The model's times are deciseconds since its base in an int32_t, and it
 * subtracts them: history that spans more, or lies outside, is corrupt.
 */
#define STATE_TIME_MIN	(-(INT32_MAX / 4))
#define STATE_TIME_MAX	(INT32_MAX / 2)

struct state_header {
	char		 magic[8];
	uint32_t	 version;
	uint32_t	 byte_order;
	uint32_t	 sizes[4];	/* of each record type: a layout check */
	char		 boot_id[40];
	uint64_t	 netns_ino;
	double		 saved;		/* model->now of the last poll */
	int64_t		 base;
	uint64_t	 polls;
	uint64_t	 nentries;
	uint64_t	 ntracks;
	uint64_t	 ncounters;
};

static uint64_t
netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static void
fill_sizes(uint32_t *sizes)
{
	sizes[0] = sizeof(struct model_entry);
	sizes[1] = sizeof(struct anomaly_track);
	sizes[2] = sizeof(struct counters);
	sizes[3] = sizeof(struct state_header);
}

/*
 * $SOCKWATCH_STATE_DIR/state if set; else /var/lib/sockwatch/state for root,
 * and under $XDG_STATE_HOME (or ~/.local/state) for others; .NETNS after
 * it for another namespace, and .VIEW for a run that sees only some of the
 * sockets (its model must not overwrite the history of all of them).
 */
char *
statefile_default_path(const char *netns, const char *view)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	const char *own = getenv("SOCKWATCH_STATE_DIR");
	const char *suffix = netns != NULL && *netns != '\0' ? netns : NULL;
	char *dir = NULL, *path;

	if (own != NULL && *own == '/')
		dir = xstrdup(own);
	else if (geteuid() == 0)
		dir = xstrdup("/var/lib/sockwatch");
	else if (xdg != NULL && *xdg == '/')
		xasprintf(&dir, "%s/sockwatch", xdg);
	else if (home != NULL && *home == '/')
		xasprintf(&dir, "%s/.local/state/sockwatch", home);
	else
		return NULL;
	xasprintf(&path, "%s/state%s%s%s%s", dir, suffix != NULL ? "." : "",
	    suffix != NULL ? suffix : "", view != NULL ? "." : "",
	    view != NULL ? view : "");
	free(dir);
	return path;
}

static int
read_exact(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = read(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
bad(char **cause, const char *path, const char *why)
{
	xasprintf(cause, _("state file %s %s: starting afresh"), path, why);
	return STATEFILE_BAD;
}

/*
 * A packed entry (version 4): a byte that says which fields follow, the
 * key (a varint), born, the states, the fields that differ from what most
 * sockets hold, and the flags. Most sockets have empty queues and have
 * been in their state since they began, and their cookies take four
 * bytes: twelve or so of the 32 of a struct, so that the file the run
 * writes, and the kernel copies and flushes, is a third as large.
 */
#define PACK_STATE_SINCE	0x01	/* state_since - born follows */
#define PACK_QUEUE_SINCE	0x02	/* queue_since - born follows */
#define PACK_RQUEUE		0x04
#define PACK_WQUEUE		0x08
#define PACK_FLAGS_HIGH		0x10	/* the flags' high byte follows */
#define PACK_MIN		8	/* bytes of the shortest entry */
#define PACK_MAX		40	/* and at least those of the longest */

static size_t
put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* A varint of the len bytes at p from *at on; -1 when it does not fit. */
static int
get_varint(const uint8_t *p, size_t len, size_t *at, uint64_t *v)
{
	unsigned shift = 0;
	uint8_t b;

	*v = 0;
	do {
		if (*at >= len || shift > 63 || (shift == 63 && p[*at] > 1))
			return -1;
		b = p[(*at)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return 0;
}

/* A time as its distance from born, sign in the low bit (zigzag). */
static size_t
put_since(uint8_t *p, int32_t t, int32_t born)
{
	int64_t d = (int64_t)t - born;

	return put_varint(p, d < 0 ? ~((uint64_t)d << 1) : (uint64_t)d << 1);
}

static int
get_since(const uint8_t *p, size_t len, size_t *at, int32_t born,
    int32_t *t)
{
	uint64_t u;
	int64_t when;

	if (get_varint(p, len, at, &u) < 0 || u > UINT32_MAX * 4ULL)
		return -1;
	when = (int64_t)born + ((u & 1) ? -(int64_t)(u >> 1) - 1 :
	    (int64_t)(u >> 1));
	if (when < INT32_MIN || when > INT32_MAX)
		return -1;
	*t = (int32_t)when;
	return 0;
}

static size_t
pack_entry(uint8_t *p, const struct model_entry *e)
{
	size_t n = 1;
	uint8_t tag = 0;

	n += put_varint(p + n, e->key);
	memcpy(p + n, &e->born, sizeof e->born);
	n += sizeof e->born;
	p[n++] = (uint8_t)(e->state | e->prev_state << 4);
	if (e->state_since != e->born) {
		tag |= PACK_STATE_SINCE;
		n += put_since(p + n, e->state_since, e->born);
	}
	if (e->queue_since != e->born) {
		tag |= PACK_QUEUE_SINCE;
		n += put_since(p + n, e->queue_since, e->born);
	}
	if (e->rqueue != 0) {
		tag |= PACK_RQUEUE;
		n += put_varint(p + n, e->rqueue);
	}
	if (e->wqueue != 0) {
		tag |= PACK_WQUEUE;
		n += put_varint(p + n, e->wqueue);
	}
	p[n++] = (uint8_t)e->flags;
	if (e->flags > 0xff) {
		tag |= PACK_FLAGS_HIGH;
		p[n++] = (uint8_t)(e->flags >> 8);
	}
	p[0] = tag;
	return n;
}

static int
get_queue(const uint8_t *p, size_t len, size_t *at, uint32_t *q)
{
	uint64_t v;

	if (get_varint(p, len, at, &v) < 0 || v > UINT32_MAX)
		return -1;
	*q = (uint32_t)v;
	return 0;
}

/* The entry at p, of len bytes at most: its length, or 0 if corrupt. */
static size_t
unpack_entry(const uint8_t *p, size_t len, struct model_entry *e)
{
	size_t at = 1;
	uint8_t tag;

	memset(e, 0, sizeof *e);
	if (len < PACK_MIN || ((tag = p[0]) & ~(PACK_STATE_SINCE |
	    PACK_QUEUE_SINCE | PACK_RQUEUE | PACK_WQUEUE | PACK_FLAGS_HIGH)))
		return 0;
	if (get_varint(p, len, &at, &e->key) < 0 || len - at < 6)
		return 0;
	memcpy(&e->born, p + at, sizeof e->born);
	at += sizeof e->born;
	e->state = p[at] & 0x0f;
	e->prev_state = p[at++] >> 4;
	e->state_since = e->queue_since = e->born;
	if (((tag & PACK_STATE_SINCE) &&
	    get_since(p, len, &at, e->born, &e->state_since) < 0) ||
	    ((tag & PACK_QUEUE_SINCE) &&
	    get_since(p, len, &at, e->born, &e->queue_since) < 0) ||
	    ((tag & PACK_RQUEUE) && get_queue(p, len, &at, &e->rqueue) < 0) ||
	    ((tag & PACK_WQUEUE) && get_queue(p, len, &at, &e->wqueue) < 0) ||
	    at >= len)
		return 0;
	e->flags = p[at++];
	if (tag & PACK_FLAGS_HIGH) {
		if (at >= len)
			return 0;
		e->flags |= (uint16_t)(p[at++] << 8);
	}
	return at;
}

/*
 * Header checks that need no more than the header and the file size;
 * *entry_bytes gets the size of the entries, what the rest leaves.
 */
static int
check_header(const struct state_header *h, off_t size, uint64_t *entry_bytes)
{
	uint32_t sizes[4];
	uint64_t rest;

	fill_sizes(sizes);
	if (memcmp(h->magic, STATE_MAGIC, 8) != 0 ||
	    h->byte_order != STATE_ORDER || (h->version != STATE_VERSION &&
	    h->version != STATE_VERSION_FIXED &&
	    h->version != STATE_VERSION_OLD) ||
	    memcmp(h->sizes, sizes, sizeof sizes) != 0)
		return -1;
	if (h->nentries > (1ULL << 32) || h->ntracks > 4096 ||
	    h->ncounters > MONITOR_READINGS)
		return -1;
	rest = sizeof *h + h->ntracks * sizeof(struct anomaly_track) +
	    h->ncounters * sizeof(struct counters);
	if ((uint64_t)size < rest)
		return -1;
	*entry_bytes = (uint64_t)size - rest;
	if (h->version < STATE_VERSION)
		return *entry_bytes == h->nentries * sizeof(struct model_entry) ?
		    0 : -1;
	return *entry_bytes >= h->nentries * PACK_MIN &&
	    *entry_bytes <= h->nentries * PACK_MAX ? 0 : -1;
}

static int
entry_valid(const struct model_entry *e, int32_t last)
{
	const int32_t t[] = { e->born, e->state_since, e->queue_since };
	size_t i;

	if (e->key == 0 || e->state > TS_MAX || e->prev_state > TS_MAX)
		return 0;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i] < STATE_TIME_MIN || t[i] > last)
			return 0;
	return 1;
}

/*
 * An entry of the file into the model, without the marks of the poll it
 * was saved at. Before version 3 an entry's times were when it was first
 * seen (or what a timer or tcp_info estimated) and said nothing of being
 * known: they are lower bounds.
 */
static int
take_entry(struct model *m, const struct model_entry *in, uint32_t version)
{
	struct model_entry *e;
	int created;

	if (!entry_valid(in, model_time(m, m->prev) + 1))
		return -1;
	e = model_insert(m, in->key, &created);
	*e = *in;
	e->flags &= ~(MODEL_SEEN | MODEL_FRESH);
	if (version < STATE_VERSION_FIXED)
		e->flags &= MODEL_LISTENER;
	return 0;
}

/* Fixed entries (versions 2 and 3). */
static int
load_fixed(struct model *m, int fd, uint64_t n, uint32_t version)
{
	struct model_entry buf[1024];
	size_t chunk, i;

	while (n > 0) {
		chunk = n < 1024 ? (size_t)n : 1024;
		if (read_exact(fd, buf, chunk * sizeof *buf) < 0)
			return -1;
		for (i = 0; i < chunk; i++)
			if (take_entry(m, &buf[i], version) < 0)
				return -1;
		n -= chunk;
	}
	return 0;
}

/* n packed entries in exactly bytes bytes, read a buffer at a time. */
static int
load_packed(struct model *m, int fd, uint64_t n, uint64_t bytes)
{
	uint8_t buf[1 << 16];
	struct model_entry e;
	size_t have = 0, at = 0, len;

	while (n > 0) {
		if (have - at < PACK_MAX && bytes > 0) {
			memmove(buf, buf + at, have - at);
			have -= at;
			at = 0;
			len = sizeof buf - have < bytes ? sizeof buf - have :
			    (size_t)bytes;
			if (read_exact(fd, buf + have, len) < 0)
				return -1;
			have += len;
			bytes -= len;
		}
		if ((len = unpack_entry(buf + at, have - at, &e)) == 0 ||
		    take_entry(m, &e, STATE_VERSION) < 0)
			return -1;
		at += len;
		n--;
	}
	return at == have && bytes == 0 ? 0 : -1;
}

static int
load_entries(struct monitor *mon, int fd, const struct state_header *h,
    uint64_t bytes)
{
	/* Room for a quarter more, the sockets new since: a table that
	   fills mid-dump is copied into a larger one (model_insert). */
	model_reserve(&mon->model,
	    (size_t)h->nentries + (size_t)h->nentries / 4);
	if (h->version < STATE_VERSION)
		return load_fixed(&mon->model, fd, h->nentries, h->version);
	return load_packed(&mon->model, fd, h->nentries, bytes);
}

/*
 * Counter readings: oldest first, none in the future. Not "none after the
 * last poll": a poll's time is when its dump began, and its counters are
 * read when the dump ends, seconds later at a million sockets.
 */
static int
history_valid(const struct monitor *mon, size_t n, double now)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!counters_valid(&mon->readings[i],
		    i > 0 ? &mon->readings[i - 1] : NULL, now))
			return 0;
	return 1;
}

/*
 * The poll times of a header that passed check_header and is recent: the
 * model's base must be before them, and near enough for its ticks.
 */
static int
times_valid(const struct state_header *h)
{
	double span = h->saved - (double)h->base;

	return isfinite(h->saved) && h->base > 0 && span >= 0 &&
	    span * 10 <= STATE_TIME_MAX;
}

static int
load_body(struct monitor *mon, int fd, const struct state_header *h,
    uint64_t entry_bytes, double now)
{
	struct anomaly_track *t;
	int ret;

	if (load_entries(mon, fd, h, entry_bytes) < 0)
		return -1;
	t = xreallocarray(NULL, h->ntracks + 1, sizeof *t);
	ret = read_exact(fd, t, h->ntracks * sizeof *t);
	if (ret == 0)
		ret = anomaly_restore(&mon->engine, t, h->ntracks);
	free(t);
	if (ret < 0 || read_exact(fd, mon->readings,
	    h->ncounters * sizeof *mon->readings) < 0 ||
	    !history_valid(mon, h->ncounters, now))
		return -1;
	mon->nreadings = h->ncounters;
	return 0;
}

/*
 * When this boot began, in Unix seconds (a second early: the two clocks
 * are read apart), or 0 when the clocks cannot say.
 */
static time_t
boot_time(time_t *now)
{
	struct timespec up, real;

	if (clock_gettime(CLOCK_BOOTTIME, &up) < 0 ||
	    clock_gettime(CLOCK_REALTIME, &real) < 0)
		return 0;
	if (now != NULL)
		*now = real.tv_sec;
	return real.tv_sec - up.tv_sec - 1;
}

/*
 * Open the history at path and check its header: STATEFILE_LOADED with
 * *fd open when it holds recent history of this boot and namespace; else
 * the file is closed and NONE or BAD says why (with a cause).
 */
static enum statefile_result
open_history(const char *path, const char *boot_id, double now, int *fd,
    struct state_header *h, struct stat *st, uint64_t *entry_bytes,
    char **cause)
{
	/* Never wait on a FIFO: O_NONBLOCK, then the checks below. */
	if ((*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0) {
		char why[256];

		if (errno == ENOENT)
			return STATEFILE_NONE;
		if (errno == ELOOP)
			return bad(cause, path, _("is a symbolic link"));
		/* TRANSLATORS: the reason the state file could not be read. */
		snprintf(why, sizeof why, _("cannot be read (%s)"),
		    strerror(errno));
		return bad(cause, path, why);
	}
	if (fstat(*fd, st) < 0 || !S_ISREG(st->st_mode) ||
	    st->st_uid != geteuid()) {
		close(*fd);
		return bad(cause, path, _("is not a regular file of this user"));
	}
	/* Of an earlier boot: its sockets are gone, whatever it holds. A
	   crash soon after a save may leave it short (see replace_file). */
	if (st->st_mtime < boot_time(NULL)) {
		close(*fd);
		return STATEFILE_NONE;
	}
	if (read_exact(*fd, h, sizeof *h) < 0 ||
	    check_header(h, st->st_size, entry_bytes) < 0) {
		close(*fd);
		return bad(cause, path, _("is corrupt or from another version"));
	}
	h->boot_id[sizeof h->boot_id - 1] = '\0';
	if (strcmp(h->boot_id, boot_id) != 0 || h->netns_ino != netns_ino() ||
	    !(h->saved <= now && now - h->saved <= STATEFILE_MAX_AGE_S)) {
		close(*fd);
		return STATEFILE_NONE;
	}
	if (!times_valid(h)) {
		close(*fd);
		return bad(cause, path, _("is corrupt"));
	}
	return STATEFILE_LOADED;
}

/*
 * Load the history the last run left. STATEFILE_NONE when there is none for
 * this boot and namespace (or it is stale); STATEFILE_BAD with a cause when
 * the file is unsafe or corrupt. Either way the monitor starts afresh.
 */
enum statefile_result
statefile_load(struct monitor *mon, const char *path, const char *boot_id,
    const char *netns, double now, char **cause)
{
	struct state_header h;
	struct stat st;
	enum statefile_result ret;
	uint64_t entry_bytes;
	int fd;

	ret = open_history(path, boot_id, now, &fd, &h, &st, &entry_bytes,
	    cause);
	if (ret != STATEFILE_LOADED)
		return ret;
	snprintf(mon->model.boot_id, sizeof mon->model.boot_id, "%s", boot_id);
	snprintf(mon->model.netns, sizeof mon->model.netns, "%s", netns);
	mon->model.base = h.base;
	mon->model.prev = h.saved;
	mon->model.polls = (unsigned long)h.polls;
	if (load_body(mon, fd, &h, entry_bytes, now) < 0) {
		close(fd);
		model_reset(&mon->model);
		anomaly_free(&mon->engine);
		anomaly_init(&mon->engine);
		mon->nreadings = 0;
		return bad(cause, path, _("is corrupt"));
	}
	close(fd);
	return STATEFILE_LOADED;
}

/*
 * What a run must know of its history before the load (which reads it on
 * a thread while the first dump runs): whether the file holds history
 * statefile_load would take, the time of its last poll, and its last
 * reading of the counters (left as counters_init makes it when there is
 * none). Returns 0 when it holds history, else -1.
 */
int
statefile_peek(const char *path, const char *boot_id, double now,
    double *saved, struct counters *last)
{
	struct state_header h;
	struct stat st;
	uint64_t entry_bytes;
	char *cause = NULL;
	int fd;

	counters_init(last);
	if (open_history(path, boot_id, now, &fd, &h, &st, &entry_bytes,
	    &cause) != STATEFILE_LOADED) {
		free(cause);	/* the load says it */
		return -1;
	}
	*saved = h.saved;
	/* The readings come last, the latest at the end. */
	if (h.ncounters > 0 && pread(fd, last, sizeof *last,
	    st.st_size - (off_t)sizeof *last) != (ssize_t)sizeof *last)
		counters_init(last);
	close(fd);
	return 0;
}

static int
write_all(FILE *f, const void *buf, size_t len)
{
	return len == 0 || fwrite(buf, len, 1, f) == 1 ? 0 : -1;
}

/*
 * The header, the entries of the sockets the model holds, the rules'
 * tracks and the counters. The header says how many entries follow, and
 * is written again once they are counted: a table not swept holds others
 * (model_sweep_later).
 */
static int
write_body(const struct monitor *mon, FILE *f, struct state_header *h)
{
	const struct model *m = &mon->model;
	uint8_t buf[1 << 15];
	size_t i, n = 0;

	h->nentries = 0;
	if (write_all(f, h, sizeof *h) < 0)
		return -1;
	/* Gathered into blocks: one fwrite per entry was most of the save. */
	for (i = 0; i < m->cap; i++) {
		if (!model_entry_live(m, &m->tab[i]))
			continue;
		n += pack_entry(buf + n, &m->tab[i]);
		h->nentries++;
		if (n > sizeof buf - PACK_MAX) {
			if (write_all(f, buf, n) < 0)
				return -1;
			n = 0;
		}
	}
	if (write_all(f, buf, n) < 0)
		return -1;
	if (write_all(f, mon->engine.tracks,
	    mon->engine.ntracks * sizeof *mon->engine.tracks) < 0 ||
	    write_all(f, mon->readings, mon->nreadings * sizeof *mon->readings) < 0)
		return -1;
	if (fseek(f, 0, SEEK_SET) < 0 || write_all(f, h, sizeof *h) < 0)
		return -1;
	return 0;
}

/* Create the directory of path and its parents, private to this user. */
static void
make_dirs(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *p;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		for (p = dir + 1; *p != '\0'; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
		mkdir(dir, 0700);
	}
	free(dir);
}

/*
 * Whether path may hold the state file: absent, or a regular file of this
 * user with one link. given: it came from --state-file (the message says
 * what to give instead).
 */
int
statefile_check_path(const char *path, int given, char **cause)
{
	const char *what;

	if (safefile_replaceable(path, &what) != SAFEFILE_UNSAFE)
		return 0;
	if (given)
		xasprintf(cause, _("state file %s %s: give --state-file the path "
		    "of a new file or of a regular file of your own"), path,
		    what);
	else
		xasprintf(cause, _("state file %s %s: move it away, or give "
		    "--state-file another path"), path, what);
	return -1;
}

/*
 * Hold the termination signals until a save is over (*old: the mask to
 * put back): a run killed between the temporary file and its rename would
 * leave the file behind. (A save on a thread of its own is guarded by its
 * caller: run.c.)
 */
static void
hold_signals(sigset_t *old)
{
	sigset_t term;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigaddset(&term, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &term, old);
}

/*
 * Put tmp in the place of path. Swapped in (RENAME_EXCHANGE), the old file
 * then removed: ext4 writes a file renamed over another out at once
 * (auto_da_alloc), 7 ms of a save at a million sockets, where an exchange
 * leaves the writing to its flusher. A crash before then may leave the new
 * file short; it was of this boot, and the next boot's load ignores it.
 * Plain rename where the exchange is not to be had (no old file, a file
 * system without it).
 */
static int
replace_file(const char *tmp, const char *path)
{
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
		unlink(tmp);	/* the old file now */
		return 0;
	}
#endif
	return rename(tmp, path);
}

/*
 * Write tmp and rename it over path. Termination signals wait until the
 * temporary file is renamed or removed: a run killed meanwhile leaves
 * none behind.
 */
static int
save_file(const struct monitor *mon, struct state_header *h,
    const char *path, char *tmp, const char **what)
{
	sigset_t old;
	char *vbuf;
	FILE *f;
	int fd, err = 0;

	hold_signals(&old);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 ||
	    (f = fdopen(fd, "wb")) == NULL) {
		err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
	} else {
		/* A few large writes, not 600 of 4 and 28 KiB (10 ms at
		   300k sockets); glibc takes the size only with a buffer. */
		vbuf = xmalloc(SAVE_BUFFER);
		setvbuf(f, vbuf, _IOFBF, SAVE_BUFFER);
		if (write_body(mon, f, h) < 0)
			err = errno != 0 ? errno : EIO;
		if (fclose(f) != 0 && err == 0)
			err = errno;
		free(vbuf);
		/* What is there now, not what was there at the start. */
		if (err == 0 && safefile_replaceable(path, what) ==
		    SAFEFILE_UNSAFE)
			err = EPERM;
		if (err == 0 && replace_file(tmp, path) < 0)
			err = errno;
		if (err != 0)
			unlink(tmp);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

/* make_dir: the directory is sockwatch's own (not --state-file's). */
int
statefile_save(const struct monitor *mon, const char *path, int make_dir,
    char **cause)
{
	struct state_header h;
	const char *what = NULL;
	char *tmp;
	int err;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, STATE_MAGIC, 8);
	h.version = STATE_VERSION;
	h.byte_order = STATE_ORDER;
	fill_sizes(h.sizes);
	snprintf(h.boot_id, sizeof h.boot_id, "%s", mon->model.boot_id);
	h.netns_ino = netns_ino();
	h.saved = mon->model.now;
	h.base = mon->model.base;
	h.polls = mon->model.polls;
	h.ntracks = mon->engine.ntracks;
	h.ncounters = mon->nreadings;

	if (make_dir)
		make_dirs(path);
	xasprintf(&tmp, "%s.XXXXXX", path);
	err = save_file(mon, &h, path, tmp, &what);
	if (err != 0 && what != NULL)
		xasprintf(cause, _("state file %s %s: move it away, or give "
		    "--state-file another path"), path, what);
	else if (err != 0)
		xasprintf(cause, _("cannot write state file %s: %s"), path,
		    strerror(err));
	free(tmp);
	return err != 0 ? -1 : 0;
}

/*
 * Whether a file of sockwatch's own directory is history nobody will
 * read: written before this boot (its sockets are gone), or not for
 * STATEFILE_EXPIRE_S (a load ignores anything older than STATEFILE_MAX_AGE_S).
 */
static int
expired(const struct stat *st, time_t now, time_t boot)
{
	return S_ISREG(st->st_mode) && st->st_uid == geteuid() &&
	    st->st_nlink == 1 &&
	    (st->st_mtime < boot || now - st->st_mtime > STATEFILE_EXPIRE_S);
}

/*
 * After a save to the default path: remove the history files of its
 * directory ("state", "state.NETNS", "state.view-HASH", temporary files
 * of a killed run) that expired. Each filter or selection leaves its own
 * file, and as root ad-hoc ones would pile up. Returns how many went.
 */
size_t
statefile_expire(const char *path)
{
	struct dirent *de;
	struct stat st;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	size_t gone = 0;
	time_t now, boot = boot_time(&now);
	DIR *d;
	int fd;

	if (slash == NULL || boot == 0) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if ((d = opendir(*dir != '\0' ? dir : "/")) != NULL) {
		fd = dirfd(d);
		while ((de = readdir(d)) != NULL) {
			if ((strcmp(de->d_name, "state") != 0 &&
			    strncmp(de->d_name, "state.", 6) != 0) ||
			    strcmp(de->d_name, slash + 1) == 0 ||
			    fstatat(fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) < 0 ||
			    !expired(&st, now, boot))
				continue;
			gone += unlinkat(fd, de->d_name, 0) == 0;
		}
		closedir(d);
	}
	free(dir);
	return gone;
}

