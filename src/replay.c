/*
 * replay.c - write and read recordings of netlink dumps.
 *
 * The file is native-endian, like netlink itself; a recording from a host
 * of the other byte order is refused rather than misread. The reader maps
 * the file and indexes its polls once, so the dashboard can step back and
 * forth without reading it again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "nls.h"
#include "replay.h"
#include "safefile.h"
#include "xmalloc.h"

#define REC_MAGIC	"SOCKWREC"
#define REC_VERSION	1
#define REC_BYTE_ORDER	0x01020304u
#define REC_MAX_FRAME	(64u << 20)

struct rec_header {
	char		magic[8];
	uint32_t	version;
	uint32_t	byte_order;
};

struct rec_frame {
	uint32_t	kind;
	uint32_t	len;
	uint64_t	time_ns;	/* CLOCK_REALTIME */
};

struct recorder {
	FILE		*f;
	char		*path;
	int		 failed;
};

struct replay {
	const uint8_t	*map;
	size_t		 size;
	size_t		*polls;		/* offset of each POLL frame */
	size_t		 npolls;
	struct snapshot	 extra;		/* an INFO frame, merged into a poll */
};

static size_t
frame_padded(size_t len)
{
	return (len + 7) & ~(size_t)7;
}

struct recorder *
recorder_open(const char *path, char **cause)
{
	struct recorder *rec;
	struct rec_header h;
	const char *what;
	FILE *f = NULL;
	int fd, err;

	if ((fd = safefile_create(path, &what)) == SAFEFILE_UNSAFE) {
		xasprintf(cause, _("recording %s %s: give the path of a new "
		    "file or of a regular file of your own"), path, what);
		errno = EINVAL;
		return NULL;
	}
	if (fd < 0 || (f = fdopen(fd, "wb")) == NULL) {
		err = errno;
		xasprintf(cause, _("cannot create recording %s: %s"), path,
		    strerror(err));
		if (fd >= 0)
			close(fd);
		errno = err;
		return NULL;
	}
	memset(&h, 0, sizeof h);
	memcpy(h.magic, REC_MAGIC, sizeof h.magic);
	h.version = REC_VERSION;
	h.byte_order = REC_BYTE_ORDER;
	rec = xcalloc(1, sizeof *rec);
	rec->f = f;
	rec->path = xstrdup(path);
	if (fwrite(&h, sizeof h, 1, f) != 1)
		rec->failed = errno != 0 ? errno : EIO;
	return rec;
}

int
recorder_frame(struct recorder *rec, enum rec_kind kind, const void *buf,
    size_t len)
{
	static const uint8_t pad[8];
	struct rec_frame fr;
	struct timespec ts;

	if (len > REC_MAX_FRAME) {
		rec->failed = EFBIG;
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	fr.kind = kind;
	fr.len = (uint32_t)len;
	fr.time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (fwrite(&fr, sizeof fr, 1, rec->f) != 1 ||
	    (len > 0 && fwrite(buf, len, 1, rec->f) != 1) ||
	    (frame_padded(len) != len &&
	    fwrite(pad, frame_padded(len) - len, 1, rec->f) != 1)) {
		rec->failed = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

int
recorder_poll(struct recorder *rec, const struct snapshot *snap)
{
	char *text;
	int n, ret;

	n = xasprintf(&text, "host=%s\nboot_id=%s\nnetns=%s\ntime=%lld.%09ld\n",
	    snap->host, snap->boot_id, snap->netns, (long long)snap->when.tv_sec,
	    snap->when.tv_nsec);
	ret = recorder_frame(rec, REC_POLL, text, (size_t)n);
	free(text);
	return ret;
}

int
recorder_close(struct recorder *rec, char **cause)
{
	int err;

	if (rec == NULL)
		return 0;
	err = rec->failed;
	if (fclose(rec->f) != 0 && err == 0)
		err = errno;
	if (err != 0)
		xasprintf(cause, _("cannot write recording %s: %s"), rec->path,
		    strerror(err));
	free(rec->path);
	free(rec);
	return err != 0 ? -1 : 0;
}

/* The frame at *off, or NULL when the file ends inside it. */
static const struct rec_frame *
frame_at(const struct replay *r, size_t off)
{
	const struct rec_frame *fr;

	if (r->size - off < sizeof *fr)
		return NULL;
	fr = (const struct rec_frame *)(r->map + off);
	if (fr->len > REC_MAX_FRAME ||
	    r->size - off - sizeof *fr < frame_padded(fr->len))
		return NULL;
	return fr;
}

static int
replay_index(struct replay *r, const char *path, char **cause)
{
	size_t off = sizeof(struct rec_header), cap = 0, last_end = 0;
	const struct rec_frame *fr;
	int open_poll = 0;

	while (off < r->size) {
		if ((fr = frame_at(r, off)) == NULL) {
			if (r->npolls == 0) {
				xasprintf(cause, _("recording %s is truncated "
				    "before its first complete poll"), path);
				return -1;
			}
			break;
		}
		if (fr->kind == REC_POLL) {
			if (r->npolls == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				r->polls = xreallocarray(r->polls, cap,
				    sizeof *r->polls);
			}
			r->polls[r->npolls++] = off;
			open_poll = 1;
		} else if (fr->kind == REC_END) {
			open_poll = 0;
			last_end = r->npolls;
		} else if (fr->kind < REC_POLL || fr->kind > REC_INFO) {
			xasprintf(cause, _("recording %s has an unknown frame at "
			    "byte %zu: it is corrupt or from a newer sockwatch"),
			    path, off);
			return -1;
		}
		off += sizeof *fr + frame_padded(fr->len);
	}
	(void)open_poll;
	r->npolls = last_end;	/* a poll without END is incomplete */
	if (r->npolls == 0) {
		xasprintf(cause, _("recording %s holds no complete poll"), path);
		return -1;
	}
	return 0;
}

static int
replay_check_header(const struct replay *r, const char *path, char **cause)
{
	const struct rec_header *h = (const struct rec_header *)r->map;

	if (r->size < sizeof *h || memcmp(h->magic, REC_MAGIC, 8) != 0) {
		xasprintf(cause, _("%s is not a sockwatch recording"), path);
		return -1;
	}
	if (h->byte_order != REC_BYTE_ORDER) {
		xasprintf(cause, _("recording %s comes from a host of the other "
		    "byte order: replay it there"), path);
		return -1;
	}
	if (h->version != REC_VERSION) {
		xasprintf(cause, _("recording %s has version %u; this sockwatch "
		    "reads version %u"), path, h->version, REC_VERSION);
		return -1;
	}
	return 0;
}

/* Refuse what is not a file (a FIFO without a writer would block). */
static int
replay_check_kind(const struct stat *st, const char *path, char **cause)
{
	const char *kind = safefile_kind(st->st_mode);

	if (kind == NULL || S_ISLNK(st->st_mode))
		return 0;
	xasprintf(cause, _("recording %s %s: give a file written by "
	    "--record"), path, kind);
	return -1;
}

/* Map the file; NULL with errno set (EINVAL: not a file) and a cause. */
static struct replay *
replay_map(const char *path, char **cause)
{
	struct replay *r;
	struct stat st;
	int fd, err;

	if (stat(path, &st) == 0 && replay_check_kind(&st, path, cause) < 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0) {
		err = errno;
		xasprintf(cause, _("cannot open recording %s: %s"), path,
		    strerror(err));
		if (fd >= 0)
			close(fd);
		errno = err;
		return NULL;
	}
	if (replay_check_kind(&st, path, cause) < 0) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	snapshot_init(&r->extra);
	r->size = (size_t)st.st_size;
	err = EINVAL;
	if (r->size > 0 && (r->map = mmap(NULL, r->size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		err = errno;
	close(fd);
	if (r->size == 0 || r->map == MAP_FAILED) {
		if (r->size == 0)
			xasprintf(cause, _("recording %s is empty"), path);
		else
			xasprintf(cause, _("cannot read recording %s: %s"),
			    path, strerror(err));
		r->map = NULL;
		replay_close(r);
		errno = err;
		return NULL;
	}
	return r;
}

struct replay *
replay_open(const char *path, char **cause)
{
	struct replay *r;

	if ((r = replay_map(path, cause)) == NULL)
		return NULL;
	if (replay_check_header(r, path, cause) < 0 ||
	    replay_index(r, path, cause) < 0) {
		replay_close(r);
		errno = EINVAL;
		return NULL;
	}
	return r;
}

size_t
replay_polls(const struct replay *r)
{
	return r->npolls;
}

/* Fill host, boot id and netns from the POLL frame's text. */
static void
load_poll_meta(struct snapshot *snap, const char *text, size_t len)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
		{ "host=", offsetof(struct snapshot, host), sizeof snap->host },
		{ "boot_id=", offsetof(struct snapshot, boot_id),
		    sizeof snap->boot_id },
		{ "netns=", offsetof(struct snapshot, netns), sizeof snap->netns },
	};
	const char *line = text, *end = text + len, *nl;
	size_t i, klen, vlen;

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			klen = strlen(keys[i].key);
			if ((size_t)(nl - line) < klen ||
			    memcmp(line, keys[i].key, klen) != 0)
				continue;
			vlen = (size_t)(nl - line) - klen;
			if (vlen >= keys[i].size)
				vlen = keys[i].size - 1;
			memcpy((char *)snap + keys[i].off, line + klen, vlen);
			((char *)snap + keys[i].off)[vlen] = '\0';
		}
	}
}

static int
load_dump_frame(struct snapshot *snap, const struct rec_frame *fr,
    size_t *mark, size_t poll, char **cause)
{
	char *why = NULL;
	int ret;

	ret = diag_parse(fr + 1, fr->len, 0, snap, &why);
	if (ret == DIAG_PARSE_ERROR) {
		xasprintf(cause, _("poll %zu of the recording is corrupt: %s"),
		    poll + 1, why);
		free(why);
		return -1;
	}
	if (ret == DIAG_PARSE_DONE)
		*mark = snap->n;
	return 0;
}

/*
 * A REC_INFO frame holds sockets asked for again, after the dump, for
 * their tcp_info: merge it into the sockets of the same cookie.
 */
static void
merge_info_frame(struct replay *r, struct snapshot *snap,
    uint32_t **by_cookie, const struct rec_frame *fr)
{
	struct snapshot *more = &r->extra;
	char *why = NULL;

	snapshot_want(more, 1, 0);
	snapshot_clear(more);
	if (diag_parse(fr + 1, fr->len, 0, more, &why) == DIAG_PARSE_ERROR) {
		free(why);
		return;		/* a damaged extra is no reason to lose the poll */
	}
	if (*by_cookie == NULL)
		*by_cookie = snapshot_cookie_index(snap);
	snapshot_merge_info(snap, *by_cookie, more);
}

/* Replace the snapshot's sockets with those of poll number `poll`. */
int
replay_load(struct replay *r, size_t poll, struct snapshot *snap, char **cause)
{
	const struct rec_frame *fr;
	size_t off, mark = 0;
	uint32_t *by_cookie = NULL;

	if (poll >= r->npolls) {
		xasprintf(cause, _("the recording has no poll %zu"), poll + 1);
		return -1;
	}
	/* Keep whatever the recording carries (tcp_info, a listener's drops). */
	snapshot_want(snap, 1, 1);
	snapshot_clear(snap);
	off = r->polls[poll];
	fr = frame_at(r, off);
	load_poll_meta(snap, (const char *)(fr + 1), fr->len);
	snap->when.tv_sec = (time_t)(fr->time_ns / 1000000000u);
	snap->when.tv_nsec = (long)(fr->time_ns % 1000000000u);
	for (off += sizeof *fr + frame_padded(fr->len);
	    (fr = frame_at(r, off)) != NULL && fr->kind != REC_END;
	    off += sizeof *fr + frame_padded(fr->len)) {
		if (fr->kind == REC_DUMP || fr->kind == REC_RESTART) {
			/* The sockets change: an index of them is stale. */
			free(by_cookie);
			by_cookie = NULL;
		}
		if (fr->kind == REC_DUMP &&
		    load_dump_frame(snap, fr, &mark, poll, cause) < 0)
			return -1;
		if (fr->kind == REC_RESTART)
			snapshot_truncate(snap, mark);
		if (fr->kind == REC_INFO)
			merge_info_frame(r, snap, &by_cookie, fr);
	}
	free(by_cookie);
	return 0;
}

/* The contents of a file recorded with poll `poll`, or NULL. */
const void *
replay_file(const struct replay *r, size_t poll, const char *path, size_t *len)
{
	const struct rec_frame *fr;
	size_t off, plen = strlen(path) + 1;

	if (poll >= r->npolls)
		return NULL;
	off = r->polls[poll];
	fr = frame_at(r, off);
	for (off += sizeof *fr + frame_padded(fr->len);
	    (fr = frame_at(r, off)) != NULL && fr->kind != REC_END;
	    off += sizeof *fr + frame_padded(fr->len)) {
		if (fr->kind == REC_FILE && fr->len >= plen &&
		    memcmp(fr + 1, path, plen) == 0) {
			*len = fr->len - plen;
			return (const char *)(fr + 1) + plen;
		}
	}
	return NULL;
}

void
replay_close(struct replay *r)
{
	if (r == NULL)
		return;
	if (r->map != NULL)
		munmap((void *)r->map, r->size);
	free(r->polls);
	snapshot_free(&r->extra);
	free(r);
}
