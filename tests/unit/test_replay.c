/*
 * test_replay.c - recordings: written with recorder_*, read back with
 * replay_*; damaged files are refused or cut to their complete polls, with
 * a message that says what is wrong.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>

#include "diag.h"
#include "replay.h"
#include "sock.h"
#include "testfile.h"

#define HEADER_LEN	16
#define FRAME_LEN	16

static char dir[64];

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof dir, "%s/sw-replay-XXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
path_of(const char *name)
{
	static char path[2][128];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof path[which], "%s/%s", dir, name);
	return path[which];
}

/* One datagram: sockets in the given states (sport = 1000 + i), maybe DONE. */
static size_t
dgram(char *buf, const int *states, size_t n, int done)
{
	struct nlmsghdr *nlh;
	struct inet_diag_msg *m;
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		nlh = mnl_nlmsg_put_header(buf + len);
		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		m = mnl_nlmsg_put_extra_header(nlh, sizeof *m);
		m->idiag_family = AF_INET;
		m->idiag_state = (uint8_t)states[i];
		m->id.idiag_sport = htons((uint16_t)(1000 + i));
		m->id.idiag_src[0] = htonl(0x7f000001);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (done) {
		nlh = mnl_nlmsg_put_header(buf + len);
		nlh->nlmsg_type = NLMSG_DONE;
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return len;
}

static void
frame_dump(struct recorder *rec, const int *states, size_t n, int done)
{
	char buf[4096] __attribute__((aligned(8)));

	assert_int_equal(recorder_frame(rec, REC_DUMP, buf,
	    dgram(buf, states, n, done)), 0);
}

static void
stamp(struct snapshot *snap, const char *host, long sec)
{
	snapshot_init(snap);
	snprintf(snap->host, sizeof snap->host, "%s", host);
	snprintf(snap->boot_id, sizeof snap->boot_id, "boot-%ld", sec);
	snprintf(snap->netns, sizeof snap->netns, "ns-%ld", sec);
	snap->when.tv_sec = sec;
}

static const int est3[] = { TS_ESTABLISHED, TS_TIME_WAIT, TS_CLOSE_WAIT };
static const int listen1[] = { TS_LISTEN };
static const int two[] = { TS_SYN_SENT, TS_FIN_WAIT1 };
static const char netstat[] = "TcpExt: ListenDrops\nTcpExt: 3\n";

/*
 * Three polls:
 *   1: one dump of three sockets
 *   2: a finished dump (LISTEN), an interrupted one (two sockets), RESTART,
 *      its retry (three sockets), and a recorded /proc file
 *   3: a dump with no END frame: the recorder died
 */
static void
write_sample(const char *path)
{
	struct recorder *rec;
	struct snapshot snap;
	char *cause = NULL;

	rec = recorder_open(path, &cause);
	assert_non_null(rec);
	assert_null(cause);

	stamp(&snap, "web1", 1795348800);
	assert_int_equal(recorder_poll(rec, &snap), 0);
	frame_dump(rec, est3, 3, 1);
	assert_int_equal(recorder_frame(rec, REC_END, NULL, 0), 0);

	stamp(&snap, "web1", 1795348801);
	assert_int_equal(recorder_poll(rec, &snap), 0);
	frame_dump(rec, listen1, 1, 1);
	frame_dump(rec, two, 2, 0);
	assert_int_equal(recorder_frame(rec, REC_RESTART, NULL, 0), 0);
	frame_dump(rec, est3, 3, 0);
	frame_dump(rec, NULL, 0, 1);
	{
		char file[128];
		size_t n = sizeof "/proc/net/netstat";

		memcpy(file, "/proc/net/netstat", n);
		memcpy(file + n, netstat, sizeof netstat - 1);
		assert_int_equal(recorder_frame(rec, REC_FILE, file,
		    n + sizeof netstat - 1), 0);
	}
	assert_int_equal(recorder_frame(rec, REC_END, NULL, 0), 0);

	stamp(&snap, "web1", 1795348802);
	assert_int_equal(recorder_poll(rec, &snap), 0);
	frame_dump(rec, est3, 3, 1);

	assert_int_equal(recorder_close(rec, &cause), 0);
	assert_null(cause);
}

static void
test_roundtrip(void **state)
{
	const char *path = path_of("sample.rec");
	struct replay *r;
	struct snapshot snap;
	char *cause = NULL;

	(void)state;
	write_sample(path);
	r = replay_open(path, &cause);
	assert_non_null(r);
	assert_int_equal(replay_polls(r), 2);	/* poll 3 never ended */

	snapshot_init(&snap);
	assert_int_equal(replay_load(r, 0, &snap, &cause), 0);
	assert_int_equal(snap.n, 3);
	assert_int_equal(snap.socks[0].state, TS_ESTABLISHED);
	assert_int_equal(snap.socks[1].state, TS_TIME_WAIT);
	assert_int_equal(snap.socks[2].state, TS_CLOSE_WAIT);
	assert_int_equal(snap.socks[2].sport, 1002);
	assert_int_equal(snap.socks[0].src[0], 127);
	assert_string_equal(snap.host, "web1");
	assert_string_equal(snap.boot_id, "boot-1795348800");
	assert_string_equal(snap.netns, "ns-1795348800");
	/* The poll's time is when it was recorded: now, not snap.when. */
	assert_true(snap.when.tv_sec > 1700000000);

	/* RESTART drops the interrupted dump, keeps the finished one. */
	assert_int_equal(replay_load(r, 1, &snap, &cause), 0);
	assert_int_equal(snap.n, 4);
	assert_int_equal(snap.socks[0].state, TS_LISTEN);
	assert_int_equal(snap.socks[1].state, TS_ESTABLISHED);
	assert_int_equal(snap.socks[3].state, TS_CLOSE_WAIT);
	assert_string_equal(snap.netns, "ns-1795348801");

	/* Loading again replaces, never appends. */
	assert_int_equal(replay_load(r, 0, &snap, &cause), 0);
	assert_int_equal(snap.n, 3);

	assert_int_equal(replay_load(r, 2, &snap, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no poll 3"));
	free(cause);
	snapshot_free(&snap);
	replay_close(r);
	replay_close(NULL);
}

/* A lookup's reply: one socket with a cookie and tcp_info (rtt in us). */
static size_t
info_dgram(char *buf, int state, uint16_t sport, uint32_t cookie,
    uint32_t rtt)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_msg *m;
	struct tcp_info ti;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof *m);
	m->idiag_family = AF_INET;
	m->idiag_state = (uint8_t)state;
	m->id.idiag_sport = htons(sport);
	m->id.idiag_cookie[0] = cookie;
	memset(&ti, 0, sizeof ti);
	ti.tcpi_rtt = rtt;
	mnl_attr_put(nlh, INET_DIAG_INFO, sizeof ti, &ti);
	return NLMSG_ALIGN(nlh->nlmsg_len);
}

/*
 * tcp_info fetched after the dump (REC_INFO) lands on the socket of the
 * same cookie, whether a lookup's reply or a dump of a few states.
 */
static void
test_info_frames(void **state)
{
	const char *path = path_of("info.rec");
	char buf[4096] __attribute__((aligned(8)));
	struct recorder *rec;
	struct replay *r;
	struct snapshot snap;
	char *cause = NULL;
	size_t n;

	(void)state;
	rec = recorder_open(path, &cause);
	assert_non_null(rec);
	stamp(&snap, "web1", 1795348800);
	assert_int_equal(recorder_poll(rec, &snap), 0);
	/* Three sockets, cookies 0 (dgram leaves them 0): give them ids. */
	n = dgram(buf, est3, 3, 1);
	{
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		int left = (int)n;
		uint32_t c = 7;

		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (nlh->nlmsg_type == TCPDIAG_GETSOCK)
				((struct inet_diag_msg *)mnl_nlmsg_get_payload(
				    nlh))->id.idiag_cookie[0] = c++;
	}
	assert_int_equal(recorder_frame(rec, REC_DUMP, buf, n), 0);
	n = info_dgram(buf, TS_CLOSE_WAIT, 1002, 9, 4321);
	assert_int_equal(recorder_frame(rec, REC_INFO, buf, n), 0);
	n = info_dgram(buf, TS_ESTABLISHED, 1, 99, 1);	/* gone: ignored */
	assert_int_equal(recorder_frame(rec, REC_INFO, buf, n), 0);
	assert_int_equal(recorder_frame(rec, REC_END, NULL, 0), 0);

	assert_int_equal(recorder_close(rec, &cause), 0);

	assert_non_null(r = replay_open(path, &cause));
	snapshot_init(&snap);
	assert_int_equal(replay_load(r, 0, &snap, &cause), 0);
	assert_int_equal(snap.n, 3);
	assert_false(snap.socks[0].flags & SOCK_HAS_INFO);
	assert_false(snap.socks[1].flags & SOCK_HAS_INFO);
	assert_true(snap.socks[2].flags & SOCK_HAS_INFO);
	assert_int_equal(snap.socks[2].cookie, 9);
	assert_int_equal(snap.info[2].rtt_us, 4321);
	snapshot_free(&snap);
	replay_close(r);
}

static void
test_replay_file(void **state)
{
	const char *path = path_of("files.rec");
	struct replay *r;
	const char *p;
	char *cause = NULL;
	size_t len = 0;

	(void)state;
	write_sample(path);
	r = replay_open(path, &cause);
	assert_non_null(r);
	p = replay_file(r, 1, "/proc/net/netstat", &len);
	assert_non_null(p);
	assert_int_equal(len, sizeof netstat - 1);
	assert_memory_equal(p, netstat, len);
	assert_null(replay_file(r, 0, "/proc/net/netstat", &len));
	assert_null(replay_file(r, 1, "/proc/net/snmp", &len));
	assert_null(replay_file(r, 1, "/proc/net/net", &len));	/* prefix */
	assert_null(replay_file(r, 1, "/proc/net/netstat/x", &len));
	assert_null(replay_file(r, 2, "/proc/net/netstat", &len));
	replay_close(r);
}

/* Offsets just past each END frame, from the file itself. */
static size_t
poll_ends(const char *data, size_t size, size_t *ends, size_t max)
{
	size_t off = HEADER_LEN, n = 0;
	uint32_t kind, len;

	while (off + FRAME_LEN <= size) {
		memcpy(&kind, data + off, 4);
		memcpy(&len, data + off + 4, 4);
		off += FRAME_LEN + ((len + 7) & ~7u);
		if (kind == REC_END && n < max)
			ends[n++] = off;
	}
	return n;
}

/* Open a damaged file: it must fail, with a message holding `why`. */
static void
refused(const char *path, const char *why)
{
	char *cause = NULL;

	assert_null(replay_open(path, &cause));
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("'%s' does not say '%s'", cause, why);
	assert_non_null(strstr(cause, path));	/* and names the file */
	assert_null(strchr(cause, '\n'));	/* on one line */
	free(cause);
}

/* Cut the file at every length: the complete polls before the cut survive. */
static void
test_truncated(void **state)
{
	const char *full = path_of("full.rec"), *cut = path_of("cut.rec");
	size_t size, len, ends[8], nends, k, want;
	struct snapshot snap;
	char *data, *cause = NULL;

	(void)state;
	write_sample(full);
	data = testfile_read(full, &size);
	nends = poll_ends(data, size, ends, 8);
	assert_int_equal(nends, 2);
	snapshot_init(&snap);
	for (len = 0; len <= size; len++) {
		struct replay *r;

		testfile_write(cut, data, len);
		for (want = 0, k = 0; k < nends; k++)
			if (ends[k] <= len)
				want++;
		if (len == 0) {
			refused(cut, "is empty");
			continue;
		}
		if (len < HEADER_LEN) {
			refused(cut, "not a sockwatch recording");
			continue;
		}
		if (want == 0) {
			char *c2 = NULL;

			assert_null(r = replay_open(cut, &c2));
			assert_true(strstr(c2, "truncated") != NULL ||
			    strstr(c2, "no complete poll") != NULL);
			free(c2);
			continue;
		}
		r = replay_open(cut, &cause);
		if (r == NULL)
			fail_msg("cut at %zu of %zu: %s", len, size, cause);
		assert_int_equal(replay_polls(r), want);
		for (k = 0; k < want; k++)
			assert_int_equal(replay_load(r, k, &snap, &cause), 0);
		assert_int_equal(snap.n, want == 1 ? 3 : 4);
		replay_close(r);
	}
	snapshot_free(&snap);
	free(data);
}

static void
test_bad_headers(void **state)
{
	const char *full = path_of("h.rec"), *bad = path_of("bad.rec");
	size_t size;
	char *data;
	uint32_t v;

	(void)state;
	write_sample(full);
	data = testfile_read(full, &size);

	data[0] = 'X';
	testfile_write(bad, data, size);
	refused(bad, "is not a sockwatch recording");
	data[0] = 'S';

	v = 2;
	memcpy(data + 8, &v, 4);
	testfile_write(bad, data, size);
	refused(bad, "has version 2; this sockwatch reads version 1");
	v = 1;
	memcpy(data + 8, &v, 4);

	v = 0x04030201;		/* what the other byte order reads */
	memcpy(data + 12, &v, 4);
	testfile_write(bad, data, size);
	refused(bad, "other byte order");
	v = 0x01020304;
	memcpy(data + 12, &v, 4);

	testfile_write(bad, data, size);	/* restored: fine again */
	{
		char *cause = NULL;
		struct replay *r = replay_open(bad, &cause);

		assert_non_null(r);
		replay_close(r);
	}

	testfile_write(bad, "", 0);
	refused(bad, "is empty");
	testfile_write(bad, "hello, world\n", 13);
	refused(bad, "not a sockwatch recording");
	testfile_write(bad, data, HEADER_LEN);
	refused(bad, "holds no complete poll");
	refused(path_of("missing.rec"), "No such file");
	refused(dir, "");	/* a directory: mmap or read fails */
	free(data);
}

static void
test_bad_frames(void **state)
{
	const char *full = path_of("f.rec"), *bad = path_of("badf.rec");
	size_t size, off;
	uint32_t kind, len;
	struct replay *r;
	struct snapshot snap;
	char *data, *cause = NULL;

	(void)state;
	write_sample(full);
	data = testfile_read(full, &size);

	/* An unknown kind in the second frame. */
	memcpy(&len, data + HEADER_LEN + 4, 4);
	off = HEADER_LEN + FRAME_LEN + ((len + 7) & ~7u);
	memcpy(&kind, data + off, 4);
	assert_int_equal(kind, REC_DUMP);
	kind = 99;
	memcpy(data + off, &kind, 4);
	testfile_write(bad, data, size);
	refused(bad, "unknown frame");
	kind = REC_DUMP;
	memcpy(data + off, &kind, 4);

	/* A dump whose netlink bytes are garbage: found when loaded. */
	memset(data + off + FRAME_LEN, 0xff, 8);
	testfile_write(bad, data, size);
	r = replay_open(bad, &cause);
	assert_non_null(r);
	snapshot_init(&snap);
	assert_int_equal(replay_load(r, 0, &snap, &cause), -1);
	assert_non_null(strstr(cause, "poll 1 of the recording is corrupt"));
	free(cause);
	cause = NULL;
	assert_int_equal(replay_load(r, 1, &snap, &cause), 0);	/* intact */
	snapshot_free(&snap);
	replay_close(r);

	/* A frame length beyond reason ends the file there. */
	len = 0xfffffff0u;
	memcpy(data + off + 4, &len, 4);
	testfile_write(bad, data, size);
	refused(bad, "holds no complete poll");
	free(data);
}

static void
test_recorder_errors(void **state)
{
	struct recorder *rec;
	struct snapshot snap;
	char *cause = NULL;
	int i;

	(void)state;
	assert_null(recorder_open(path_of("no/such/dir.rec"), &cause));
	assert_non_null(strstr(cause, "cannot create recording"));
	free(cause);
	cause = NULL;

	/* A device is no file to record to: refused, untouched. */
	assert_null(recorder_open("/dev/full", &cause));
	assert_non_null(strstr(cause, "/dev/full is a character device"));
	assert_int_equal(errno, EINVAL);
	free(cause);
	cause = NULL;

	/* A write error (here the file size limit) is said when closing. */
	{
		struct rlimit lim, old;

		signal(SIGXFSZ, SIG_IGN);
		assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
		lim = old;
		lim.rlim_cur = 4096;
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
		rec = recorder_open(path_of("big.rec"), &cause);
		assert_non_null(rec);
		stamp(&snap, "h", 1);
		for (i = 0; i < 2000; i++)	/* more than stdio buffers */
			recorder_poll(rec, &snap);
		assert_int_equal(recorder_close(rec, &cause), -1);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		signal(SIGXFSZ, SIG_DFL);
	}
	assert_non_null(cause);
	assert_non_null(strstr(cause, "big.rec"));
	assert_non_null(strstr(cause, strerror(EFBIG)));
	free(cause);
	assert_int_equal(recorder_close(NULL, NULL), 0);
}

/* Long values in the POLL text are cut to their fields, not overflowed. */
static void
test_long_meta(void **state)
{
	const char *path = path_of("long.rec");
	struct recorder *rec;
	struct replay *r;
	struct snapshot snap;
	char text[1024], *cause = NULL;
	int n;

	(void)state;
	memset(text, 0, sizeof text);
	n = snprintf(text, sizeof text, "junk line\nhost=%0600d\nnetns=%0100d"
	    "\nboot_id", 7, 8);
	rec = recorder_open(path, &cause);
	assert_non_null(rec);
	assert_int_equal(recorder_frame(rec, REC_POLL, text, (size_t)n), 0);
	frame_dump(rec, est3, 1, 1);
	assert_int_equal(recorder_frame(rec, REC_END, NULL, 0), 0);
	assert_int_equal(recorder_close(rec, &cause), 0);
	r = replay_open(path, &cause);
	assert_non_null(r);
	snapshot_init(&snap);
	assert_int_equal(replay_load(r, 0, &snap, &cause), 0);
	assert_int_equal(strlen(snap.host), sizeof snap.host - 1);
	assert_int_equal(strlen(snap.netns), sizeof snap.netns - 1);
	assert_string_equal(snap.boot_id, "");
	assert_int_equal(snap.n, 1);
	snapshot_free(&snap);
	replay_close(r);
}

/*
 * sockwatch asks for the memory of listeners (their drops): a replay keeps
 * it, so its report matches the live one.
 */
static void
check_listener_mem(const struct snapshot *snap)
{
	size_t i, listeners = 0;

	assert_non_null(snap->mem);
	for (i = 0; i < snap->n; i++) {
		if (snap->socks[i].state != TS_LISTEN)
			continue;
		listeners++;
		assert_true(snap->socks[i].flags & SOCK_HAS_MEM);
		assert_true(snap->mem[i].rcvbuf > 0);
	}
	assert_int_equal(listeners, 9);
}

/* The committed recordings open, and hold what make-basic.sh built. */
static void
test_committed(void **state)
{
	static const struct {
		const char	*name;
		size_t		 polls;
	} files[] = {
		{ TEST_DATADIR "/basic.rec", 1 },
		{ TEST_DATADIR "/basic-family.rec", 2 },
	};
	struct snapshot snap;
	struct replay *r;
	char *cause = NULL;
	size_t f, p;

	(void)state;
	snapshot_init(&snap);
	for (f = 0; f < sizeof files / sizeof files[0]; f++) {
		r = replay_open(files[f].name, &cause);
		if (r == NULL)
			fail_msg("%s", cause);
		assert_int_equal(replay_polls(r), files[f].polls);
		for (p = 0; p < files[f].polls; p++) {
			assert_int_equal(replay_load(r, p, &snap, &cause), 0);
			assert_int_equal(snap.n, 30);
			assert_memory_equal(snap.netns, "sw-unit-", 8);
			assert_true(snap.host[0] != '\0');
			assert_int_equal(strlen(snap.boot_id), 36);
			check_listener_mem(&snap);
		}
		replay_close(r);
	}
	snapshot_free(&snap);
}

/* The offsets of a recording's frames, in file order; returns how many. */
static size_t
frame_offsets(const char *data, size_t size, size_t *offs, size_t max)
{
	size_t off = HEADER_LEN, n = 0;
	uint32_t len;

	while (off + FRAME_LEN <= size && n < max) {
		offs[n++] = off;
		memcpy(&len, data + off + 4, 4);
		off += FRAME_LEN + ((len + 7) & ~(size_t)7);
	}
	return n;
}

static uint32_t
frame_kind(const char *data, size_t off)
{
	uint32_t kind;

	memcpy(&kind, data + off, 4);
	return kind;
}

/* Append the frame at `off` of data to out (at *at). */
static void
copy_frame(char *out, size_t *at, const char *data, size_t off)
{
	uint32_t len;
	size_t n;

	memcpy(&len, data + off + 4, 4);
	n = FRAME_LEN + ((len + 7) & ~(size_t)7);
	memcpy(out + *at, data + off, n);
	*at += n;
}

/*
 * A real recording (a poll of POLL, DUMP..., INFO..., FILE..., END) with
 * an INFO frame moved before the dumps, as a hostile file may: the cookie
 * index built at that INFO must not serve the sockets the dumps add (it
 * read and wrote past its array), and the INFO frames after the dumps
 * still land on their sockets. A corrupt DUMP after an INFO frees the
 * index too.
 */
static void
test_info_reordered(void **state)
{
	const char *orig = TEST_DATADIR "/states-v4v6-client.rec";
	const char *path = path_of("reordered.rec");
	struct snapshot want, got;
	struct replay *r;
	size_t offs[64], size, n, i, at, with_info = 0, first_info = 0;
	char *data, *out, *cause = NULL;

	(void)state;
	data = testfile_read(orig, &size);
	n = frame_offsets(data, size, offs, 64);
	for (i = 0; i < n && first_info == 0; i++)
		if (frame_kind(data, offs[i]) == REC_INFO)
			first_info = offs[i];
	assert_true(first_info != 0);
	assert_int_equal(frame_kind(data, offs[0]), REC_POLL);

	/* POLL, INFO, then every frame after the POLL in its order. */
	out = malloc(size * 2);
	assert_non_null(out);
	memcpy(out, data, HEADER_LEN);
	at = HEADER_LEN;
	copy_frame(out, &at, data, offs[0]);
	copy_frame(out, &at, data, first_info);
	for (i = 1; i < n; i++)
		copy_frame(out, &at, data, offs[i]);
	testfile_write(path, out, at);

	snapshot_init(&want);
	snapshot_init(&got);
	assert_non_null(r = replay_open(orig, &cause));
	assert_int_equal(replay_load(r, 0, &want, &cause), 0);
	replay_close(r);
	assert_non_null(r = replay_open(path, &cause));
	assert_int_equal(replay_load(r, 0, &got, &cause), 0);
	replay_close(r);
	assert_int_equal(got.n, want.n);
	for (i = 0; i < want.n; i++) {
		assert_int_equal(got.socks[i].cookie, want.socks[i].cookie);
		assert_int_equal(got.socks[i].flags & SOCK_HAS_INFO,
		    want.socks[i].flags & SOCK_HAS_INFO);
		if (!(want.socks[i].flags & SOCK_HAS_INFO))
			continue;
		with_info++;
		assert_memory_equal(&got.info[i], &want.info[i],
		    sizeof want.info[i]);
	}
	assert_true(with_info >= 12);

	/* POLL, INFO, a corrupt DUMP: refused, and nothing leaks. */
	at = HEADER_LEN;
	copy_frame(out, &at, data, offs[0]);
	copy_frame(out, &at, data, first_info);
	for (i = 1; i < n; i++) {
		if (frame_kind(data, offs[i]) != REC_DUMP)
			continue;
		copy_frame(out, &at, data, offs[i]);
		memset(out + at - 8, 0xff, 8);
	}
	copy_frame(out, &at, data, offs[n - 1]);
	testfile_write(path, out, at);
	assert_non_null(r = replay_open(path, &cause));
	assert_int_equal(replay_load(r, 0, &got, &cause), -1);
	assert_non_null(strstr(cause, "corrupt"));
	free(cause);
	replay_close(r);

	snapshot_free(&want);
	snapshot_free(&got);
	free(out);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_info_frames),
		cmocka_unit_test(test_replay_file),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_frames),
		cmocka_unit_test(test_recorder_errors),
		cmocka_unit_test(test_long_meta),
		cmocka_unit_test(test_committed),
		cmocka_unit_test(test_info_reordered),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
