/*
 * test_diag_recorded.c - the inet_diag reply parser on dumps the kernel
 * really sent: tests/data/basic*.rec, made by tests/data/make-basic.sh.
 *
 * The frames are read here directly (the file format is tested in
 * test_replay), so this program links the parser alone. Every socket the
 * script built is looked up and checked, and every prefix of every
 * recorded datagram is parsed to show a cut never yields a record.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "diag.h"
#include "sock.h"

struct recording {
	char	*data;
	size_t	 size;
};

#define REC_HEADER_LEN	16
#define REC_FRAME_LEN	16
#define REC_DUMP	2
#define REC_RESTART	3
#define REC_END		4

static void
recording_load(struct recording *r, const char *name)
{
	char path[4096];
	FILE *f;
	long size;

	snprintf(path, sizeof path, "%s/%s", TEST_DATADIR, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	assert_true(size > REC_HEADER_LEN);
	r->size = (size_t)size;
	r->data = malloc(r->size);
	assert_non_null(r->data);
	assert_int_equal(fread(r->data, 1, r->size, f), r->size);
	fclose(f);
	assert_memory_equal(r->data, "SOCKWREC", 8);
}

/* The next frame at *off of the kind; its payload and length, or NULL. */
static const char *
recording_next(const struct recording *r, size_t *off, uint32_t *kind,
    uint32_t *len)
{
	const char *p;

	if (*off + REC_FRAME_LEN > r->size)
		return NULL;
	p = r->data + *off;
	memcpy(kind, p, 4);
	memcpy(len, p + 4, 4);
	assert_true(*off + REC_FRAME_LEN + *len <= r->size);
	*off += REC_FRAME_LEN + ((*len + 7) & ~7u);
	return p + REC_FRAME_LEN;
}

/*
 * Parse the first poll of a recording; check every datagram holds only the
 * message type of its method. Returns the number of dumps that ended.
 */
static int
recording_parse(const struct recording *r, struct snapshot *snap,
    uint16_t type, size_t *datagrams)
{
	size_t off = REC_HEADER_LEN;
	const char *p;
	uint32_t kind, len;
	int done = 0;

	*datagrams = 0;
	while ((p = recording_next(r, &off, &kind, &len)) != NULL &&
	    kind != REC_END) {
		const struct nlmsghdr *nlh = (const void *)p;
		int left = (int)len;
		char *cause = NULL;
		int ret;

		assert_int_not_equal(kind, REC_RESTART);
		if (kind != REC_DUMP)
			continue;
		(*datagrams)++;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			assert_true(nlh->nlmsg_type == type ||
			    nlh->nlmsg_type == NLMSG_DONE);
		ret = diag_parse(p, len, 0, snap, &cause);
		if (ret == DIAG_PARSE_ERROR)
			fail_msg("recorded datagram: %s", cause);
		if (ret == DIAG_PARSE_DONE)
			done++;
	}
	return done;
}

static const struct sock_rec *
find_sock(const struct snapshot *snap, int state, uint16_t sport,
    uint16_t dport)
{
	size_t i;

	for (i = 0; i < snap->n; i++)
		if (snap->socks[i].state == state &&
		    snap->socks[i].sport == sport &&
		    snap->socks[i].dport == dport)
			return &snap->socks[i];
	fail_msg("no %s socket %u -> %u", sock_state_name(state), sport, dport);
	return NULL;
}

static void
check_basic_counts(const struct snapshot *snap)
{
	unsigned counts[TS_MAX + 1] = { 0 };
	size_t i;

	for (i = 0; i < snap->n; i++)
		counts[snap->socks[i].state]++;
	assert_int_equal(snap->n, 30);
	assert_int_equal(counts[TS_LISTEN], 9);
	assert_int_equal(counts[TS_SYN_SENT], 2);
	assert_int_equal(counts[TS_SYN_RECV], 3);
	assert_int_equal(counts[TS_ESTABLISHED], 11);
	assert_int_equal(counts[TS_FIN_WAIT2], 2);
	assert_int_equal(counts[TS_CLOSE_WAIT], 2);
	assert_int_equal(counts[TS_TIME_WAIT], 1);
	assert_int_equal(counts[TS_NEW_SYN_RECV], 0);
}

/* The population tests/data/make-basic.sh builds, socket by socket. */
static void
check_basic_socks(const struct snapshot *snap)
{
	static const uint8_t lo4[16] = { 127, 0, 0, 1 };
	static const uint8_t lo6[16] = { [15] = 1 };
	static const uint8_t lomapped[16] = { [10] = 0xff, 0xff, 127, 0, 0, 1 };
	static const uint8_t any[16];
	const struct sock_rec *s;
	size_t i;

	s = find_sock(snap, TS_LISTEN, 7001, 0);
	assert_int_equal(s->family, AF_INET);
	assert_memory_equal(s->src, lo4, 16);
	assert_int_equal(s->rqueue, 1);		/* 40002 waits in the queue */
	assert_int_equal(s->wqueue, 8);
	assert_true(s->inode != 0);
	assert_true(s->flags & SOCK_HAS_MEM);	/* asked for listeners */

	s = find_sock(snap, TS_LISTEN, 7002, 0);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->src, lo6, 16);
	s = find_sock(snap, TS_LISTEN, 7003, 0);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->src, any, 16);
	s = find_sock(snap, TS_LISTEN, 7007, 0);
	assert_int_equal(s->uid, 65534);

	s = find_sock(snap, TS_ESTABLISHED, 7001, 40002);
	assert_int_equal(s->inode, 0);		/* not accepted yet */
	s = find_sock(snap, TS_ESTABLISHED, 40003, 7002);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->dst, lo6, 16);
	s = find_sock(snap, TS_ESTABLISHED, 7003, 40004);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->src, lomapped, 16);
	assert_memory_equal(s->dst, lomapped, 16);

	s = find_sock(snap, TS_FIN_WAIT2, 7005, 40005);
	assert_true(s->inode != 0);
	assert_true(s->flags & SOCK_HAS_SHUT);
	assert_int_equal(s->shutdown, 2);	/* SEND_SHUTDOWN */
	s = find_sock(snap, TS_CLOSE_WAIT, 40005, 7005);
	assert_int_equal(s->shutdown & 1, 1);	/* RCV_SHUTDOWN: got a FIN */
	assert_int_equal(s->rqueue, 1);		/* the FIN counts as a byte */
	s = find_sock(snap, TS_FIN_WAIT2, 7005, 40006);
	assert_int_equal(s->inode, 0);
	assert_int_equal(s->timer, TIMER_TIME_WAIT);
	s = find_sock(snap, TS_TIME_WAIT, 40007, 7005);
	assert_int_equal(s->inode, 0);
	assert_int_equal(s->timer, TIMER_TIME_WAIT);
	assert_true(s->expires_ms > 0 && s->expires_ms <= 60000);

	s = find_sock(snap, TS_SYN_RECV, 7006, 40008);
	assert_int_equal(s->inode, 0);
	assert_memory_equal(s->dst, lo4, 16);
	/* An IPv4 request to a dual-stack listener is IPv6, v4-mapped. */
	s = find_sock(snap, TS_SYN_RECV, 7008, 40011);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->src, lomapped, 16);
	assert_memory_equal(s->dst, lomapped, 16);
	s = find_sock(snap, TS_SYN_RECV, 7008, 40012);
	assert_int_equal(s->family, AF_INET6);
	assert_memory_equal(s->src, lo6, 16);
	s = find_sock(snap, TS_ESTABLISHED, 40011, 7008);
	assert_int_equal(s->family, AF_INET);
	s = find_sock(snap, TS_SYN_SENT, 40009, 7999);
	assert_int_equal(s->src[3], 2);		/* 127.0.0.2 */
	assert_int_equal(s->timer, TIMER_RETRANS);
	assert_int_equal(s->wqueue, 1);		/* the SYN */
	s = find_sock(snap, TS_SYN_SENT, 40010, 7999);
	assert_int_equal(s->family, AF_INET6);

	for (i = 0; i < snap->n; i++) {
		assert_true(snap->socks[i].cookie != 0);
		assert_true(snap->socks[i].family == AF_INET ||
		    snap->socks[i].family == AF_INET6);
	}
}

static void
test_recorded(const char *name, uint16_t type, int dumps)
{
	struct recording r;
	struct snapshot snap;
	size_t datagrams;

	recording_load(&r, name);
	snapshot_init(&snap);
	snapshot_want(&snap, 1, 1);
	assert_int_equal(recording_parse(&r, &snap, type, &datagrams), dumps);
	assert_true(datagrams >= (size_t)dumps);
	check_basic_counts(&snap);
	check_basic_socks(&snap);
	snapshot_free(&snap);
	free(r.data);
}

static void
test_recorded_legacy(void **state)
{
	(void)state;
	/* Listeners, then the rest: one walk each for both families. */
	test_recorded("basic.rec", TCPDIAG_GETSOCK, 2);
}

static void
test_recorded_family(void **state)
{
	(void)state;
	test_recorded("basic-family.rec", SOCK_DIAG_BY_FAMILY, 4);
}

static size_t
count_messages(const char *p, uint32_t len)
{
	const struct nlmsghdr *nlh = (const void *)p;
	int left = (int)len;
	size_t n = 0;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		n++;
	return n;
}

/*
 * Every prefix of every recorded datagram: a clean stop exactly at each
 * message boundary, EBADMSG everywhere else, and never a record from a
 * partial message.
 */
static void
test_recorded_truncated(void **state)
{
	struct recording r;
	struct snapshot part;
	size_t off = REC_HEADER_LEN, cut, boundaries, cuts = 0;
	const char *p;
	uint32_t kind, len;

	(void)state;
	recording_load(&r, "basic.rec");
	snapshot_init(&part);
	snapshot_want(&part, 1, 1);
	while ((p = recording_next(&r, &off, &kind, &len)) != NULL &&
	    kind != REC_END) {
		if (kind != REC_DUMP)
			continue;
		boundaries = 0;
		for (cut = 1; cut < len; cut++) {
			char *copy = malloc(cut), *cause = NULL;
			int ret;

			/* A copy of exactly `cut` bytes: ASan sees overreads. */
			memcpy(copy, p, cut);
			snapshot_clear(&part);
			ret = diag_parse(copy, cut, 0, &part, &cause);
			if (ret == DIAG_PARSE_ERROR) {
				assert_int_equal(errno, EBADMSG);
				assert_non_null(cause);
			} else {
				boundaries++;
				assert_null(cause);
			}
			free(cause);
			free(copy);
			cuts++;
		}
		assert_int_equal(boundaries, count_messages(p, len) - 1);
	}
	assert_true(cuts > 1000);
	snapshot_free(&part);
	free(r.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_legacy),
		cmocka_unit_test(test_recorded_family),
		cmocka_unit_test(test_recorded_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
