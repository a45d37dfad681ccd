/*
 * test_kill.c - the destroy request names exactly one socket, and every
 * answer of the kernel becomes the right outcome, explanation and exit
 * status. The kernel is replaced by an injected exchange, so refusals that
 * this machine would never give (EOPNOTSUPP) are tested too.
 */
#include "config.h"

#include <arpa/inet.h>
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

#include "filter.h"
#include "kill.h"
#include "kill_cli.h"
#include "log.h"
#include "sock.h"

/* The injected kernel: answers from a script, remembers the requests. */
struct fake {
	const int	*answers;
	size_t		 n;
	size_t		 calls;
	struct inet_diag_req_v2 last;
	uint16_t	 type;
	uint16_t	 flags;
};

static int
fake_exchange(void *arg, const void *req, size_t len)
{
	struct fake *f = arg;
	const struct nlmsghdr *nlh = req;

	assert_int_equal(len, nlh->nlmsg_len);
	assert_true(len >= NLMSG_LENGTH(sizeof f->last));
	memcpy(&f->last, NLMSG_DATA(nlh), sizeof f->last);
	f->type = nlh->nlmsg_type;
	f->flags = nlh->nlmsg_flags;
	return f->answers[f->calls++ % f->n];
}

static struct sock_rec
rec(const char *src, int sport, const char *dst, int dport)
{
	struct sock_rec s;
	int fam = strchr(src, ':') ? AF_INET6 : AF_INET;

	memset(&s, 0, sizeof s);
	s.family = (uint8_t)fam;
	s.state = TS_ESTABLISHED;
	inet_pton(fam, src, s.src);
	inet_pton(fam, dst, s.dst);
	s.sport = (uint16_t)sport;
	s.dport = (uint16_t)dport;
	s.ifindex = 3;
	s.cookie = 0x1122334455667788ULL;
	return s;
}

static void
test_request(void **state)
{
	static const int ok[] = { 0 };
	struct fake f = { ok, 1, 0, { 0 }, 0, 0 };
	struct sock_rec s = rec("2001:db8::1", 8080, "2001:db8::2", 51514);
	struct kill *k = kill_open_with(fake_exchange, &f);
	struct in6_addr a;

	(void)state;
	assert_int_equal(kill_destroy(k, &s, NULL), KILL_DESTROYED);
	assert_int_equal(f.type, SOCK_DESTROY);
	assert_int_equal(f.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(f.last.sdiag_family, AF_INET6);
	assert_int_equal(f.last.sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(ntohs(f.last.id.idiag_sport), 8080);
	assert_int_equal(ntohs(f.last.id.idiag_dport), 51514);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	assert_memory_equal(f.last.id.idiag_src, &a, 16);
	inet_pton(AF_INET6, "2001:db8::2", &a);
	assert_memory_equal(f.last.id.idiag_dst, &a, 16);
	assert_int_equal(f.last.id.idiag_if, 3);
	assert_int_equal(f.last.id.idiag_cookie[0], 0x55667788);
	assert_int_equal(f.last.id.idiag_cookie[1], 0x11223344);

	s = rec("10.0.0.1", 80, "10.0.0.2", 40000);
	assert_int_equal(kill_destroy(k, &s, NULL), KILL_DESTROYED);
	assert_int_equal(f.last.sdiag_family, AF_INET);
	assert_int_equal(f.last.id.idiag_src[0], htonl(0x0a000001));
	assert_int_equal(f.last.id.idiag_dst[0], htonl(0x0a000002));
	assert_int_equal(f.last.id.idiag_src[1], 0);
	kill_close(k);
	kill_close(NULL);
}

static void
test_build_small_buffer(void **state)
{
	struct sock_rec s = rec("10.0.0.1", 80, "10.0.0.2", 40000);
	char buf[16];

	(void)state;
	assert_int_equal(kill_build(buf, sizeof buf, &s, 1), 0);
}

/* Each answer of the kernel, its outcome, and the status of a batch of it. */
static void
test_outcomes(void **state)
{
	static const struct {
		int			err;
		enum kill_outcome	outcome;
		int			status;
	} cases[] = {
		{ 0, KILL_DESTROYED, EXIT_OK },
		{ ENOENT, KILL_GONE, EXIT_OK },
		{ EOPNOTSUPP, KILL_UNSUPPORTED, EXIT_FAILURE_JOB },
		{ EPERM, KILL_DENIED, EXIT_FAILURE_JOB },
		{ EACCES, KILL_DENIED, EXIT_FAILURE_JOB },
		{ EIO, KILL_FAILED, EXIT_PARTIAL },
	};
	struct sock_rec socks[3];
	enum kill_outcome out[3];
	char *causes[3];
	size_t i, j;

	(void)state;
	for (i = 0; i < 3; i++)
		socks[i] = rec("10.0.0.1", (int)(80 + i), "10.0.0.2", 40000);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fake f = { &cases[i].err, 1, 0, { 0 }, 0, 0 };
		struct kill *k = kill_open_with(fake_exchange, &f);

		kill_batch(k, socks, 3, out, causes);
		assert_int_equal(f.calls, 3);
		for (j = 0; j < 3; j++) {
			assert_int_equal(out[j], cases[i].outcome);
			if (cases[i].outcome == KILL_FAILED)
				assert_string_equal(causes[j], strerror(EIO));
			else
				assert_null(causes[j]);
			free(causes[j]);
		}
		assert_int_equal(kill_status(out, 3), cases[i].status);
		kill_close(k);
	}
	assert_int_equal(kill_status(out, 0), EXIT_OK);
}

static void
test_mixed(void **state)
{
	static const int answers[] = { 0, EOPNOTSUPP, ENOENT };
	struct fake f = { answers, 3, 0, { 0 }, 0, 0 };
	struct sock_rec socks[3];
	enum kill_outcome out[3];
	struct kill *k = kill_open_with(fake_exchange, &f);
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		socks[i] = rec("10.0.0.1", (int)(80 + i), "10.0.0.2", 40000);
	kill_batch(k, socks, 3, out, NULL);
	assert_int_equal(out[0], KILL_DESTROYED);
	assert_int_equal(out[1], KILL_UNSUPPORTED);
	assert_int_equal(out[2], KILL_GONE);
	assert_true(kill_gone(out[0]) && kill_gone(out[2]) && !kill_gone(out[1]));
	assert_int_equal(kill_status(out, 3), EXIT_PARTIAL);
	out[0] = KILL_DENIED;
	out[2] = KILL_UNSUPPORTED;
	assert_int_equal(kill_status(out, 3), EXIT_FAILURE_JOB);
	kill_close(k);
}

static void
test_advice(void **state)
{
	(void)state;
	assert_string_equal(kill_outcome_name(KILL_UNSUPPORTED), "not supported");
	assert_string_equal(kill_outcome_advice(KILL_UNSUPPORTED),
	    "the kernel cannot destroy sockets (it lacks "
	    "CONFIG_INET_DIAG_DESTROY), or not in this state");
	assert_string_equal(kill_outcome_advice(KILL_DENIED),
	    "destroying a socket needs CAP_NET_ADMIN in its network "
	    "namespace: run as root");
	assert_non_null(kill_outcome_advice(KILL_GONE));
	assert_null(kill_outcome_advice(KILL_DESTROYED));
	assert_string_equal(kill_outcome_name(KILL_GONE), "already gone");
}

/* The whole --kill conversation with --yes, against the injected kernel. */
static void
test_cli(void **state)
{
	static const int unsupported[] = { EOPNOTSUPP };
	static const int mixed[] = { 0, EOPNOTSUPP };
	struct fake f = { unsupported, 1, 0, { 0 }, 0, 0 };
	struct kill_cli opt = { 1, 0 };
	struct snapshot snap;
	struct kill *k;
	size_t i, idx;

	(void)state;
	snapshot_init(&snap);
	assert_int_equal(kill_cli_run(NULL, &snap, &opt, 0, NULL), EXIT_OK);
	for (i = 0; i < 2; i++)
		*snapshot_add(&snap, &idx) = rec("10.0.0.1", (int)(80 + i),
		    "10.0.0.2", 40000);
	k = kill_open_with(fake_exchange, &f);
	assert_int_equal(kill_cli_run(k, &snap, &opt, 0, NULL), EXIT_FAILURE_JOB);
	assert_int_equal(f.calls, 2);
	kill_close(k);

	f.answers = mixed;
	f.n = 2;
	f.calls = 0;
	k = kill_open_with(fake_exchange, &f);
	assert_int_equal(kill_cli_run(k, &snap, &opt, 0, NULL), EXIT_PARTIAL);
	kill_close(k);

	opt.dry_run = 1;
	f.calls = 0;
	assert_int_equal(kill_cli_run(NULL, &snap, &opt, 0, NULL), EXIT_OK);
	assert_int_equal(f.calls, 0);
	snapshot_free(&snap);
}

/*
 * The world as it is at the answer, looked up again by sport: 80 became
 * CLOSE_WAIT, 81 has gone, 82 has an empty queue now, 83 is unchanged.
 */
static int
fake_lookup(void *arg, const struct sock_rec *s, struct sock_rec *now,
    char **cause)
{
	size_t *calls = arg;

	(void)cause;
	(*calls)++;
	*now = *s;
	switch (s->sport) {
	case 80:
		now->state = TS_CLOSE_WAIT;
		return 1;
	case 81:
		return 0;
	case 82:
		now->rqueue = 0;
		return 1;
	default:
		return 1;
	}
}

/* --kill destroys only what still matches when the answer comes. */
static void
test_cli_recheck(void **state)
{
	static const int ok[] = { 0 };
	struct fake f = { ok, 1, 0, { 0 }, 0, 0 };
	struct kill_cli opt = { 1, 0 };
	struct kill_recheck rc;
	struct snapshot snap;
	struct filter *flt;
	struct kill *k;
	size_t i, idx, lookups = 0;
	char *cause = NULL;

	(void)state;
	flt = filter_parse("state established and recv-q > 0", &cause);
	assert_non_null(flt);
	snapshot_init(&snap);
	for (i = 0; i < 4; i++) {
		struct sock_rec *s = snapshot_add(&snap, &idx);

		*s = rec("10.0.0.1", (int)(80 + i), "10.0.0.2", 40000);
		s->rqueue = 5;
	}
	memset(&rc, 0, sizeof rc);
	rc.lookup = fake_lookup;
	rc.lookup_arg = &lookups;
	rc.filter = flt;
	rc.states = TS_BIT(TS_ESTABLISHED);
	k = kill_open_with(fake_exchange, &f);
	assert_int_equal(kill_cli_run(k, &snap, &opt, 0, &rc), EXIT_OK);
	assert_int_equal(lookups, 4);
	assert_int_equal(f.calls, 1);		/* 83 alone */
	assert_int_equal(ntohs(f.last.id.idiag_sport), 83);
	kill_close(k);
	snapshot_free(&snap);
	filter_free(flt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_build_small_buffer),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_advice),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_cli_recheck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
