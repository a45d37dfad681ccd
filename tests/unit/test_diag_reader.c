/*
 * test_diag_reader.c - the dump reader hands over every datagram once, in
 * order, up to the one that ends the dump, from blocks of its pool: with a
 * caller that parses late, it reads ahead until BLOCKS_AHEAD blocks wait,
 * and after the dump the backlog's memory goes back to the kernel. The
 * datagrams come over a socketpair, as the kernel's come over netlink.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/netlink.h>

#include "diag_reader.h"

#define DGRAM		(32u << 10)	/* what the kernel fills */
#define MAXLEN		(64u << 10)
#define DGRAMS		3000		/* 94 MiB: more than the pool */

struct sender {
	int	 fd;
	size_t	 n;
};

/* Datagram k: a netlink header of sequence k, then k's byte over and over. */
static void
fill(char *buf, size_t k, int last)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)buf;

	memset(buf, (int)(k & 0xff), DGRAM);
	nlh->nlmsg_len = DGRAM;
	nlh->nlmsg_type = last ? NLMSG_DONE : 100;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = (uint32_t)k;
}

static void *
send_all(void *arg)
{
	struct sender *s = arg;
	char *buf = malloc(DGRAM);
	size_t k;

	for (k = 0; k < s->n; k++) {
		fill(buf, k, k == s->n - 1);
		if (send(s->fd, buf, DGRAM, 0) != (ssize_t)DGRAM)
			break;
	}
	free(buf);
	return NULL;
}

/* Resident memory, in MiB. */
static long
resident_mib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * sysconf(_SC_PAGESIZE) / (1 << 20);
}

static void
test_order_and_memory(void **state)
{
	struct diag_blocks *pool = diag_blocks_new();
	struct diag_reader *r;
	struct sender s;
	pthread_t t;
	const void *buf;
	const struct nlmsghdr *nlh;
	size_t len, k = 0, i;
	long before, ahead, after;
	int sv[2], err = -1, bad = 0;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	s.fd = sv[1];
	s.n = DGRAMS;
	before = resident_mib();
	assert_int_equal(pthread_create(&t, NULL, send_all, &s), 0);
	r = diag_reader_start(sv[0], MAXLEN, pool);
	assert_non_null(r);
	/* The caller is late: the reader reads ahead, until it must wait. */
	for (i = 0, ahead = 0; i < 100; i++) {
		usleep(50000);
		if (resident_mib() - before == ahead && ahead >= 32)
			break;
		ahead = resident_mib() - before;
	}
	while ((buf = diag_reader_next(r, &len, &err)) != NULL) {
		nlh = buf;
		assert_int_equal(len, DGRAM);
		assert_int_equal(nlh->nlmsg_seq, k);
		for (i = sizeof *nlh; i < len; i += 4093)
			bad += ((const unsigned char *)buf)[i] != (k & 0xff);
		k++;
	}
	assert_int_equal(err, 0);
	assert_int_equal(bad, 0);
	assert_int_equal(k, DGRAMS);
	diag_reader_finish(r);
	pthread_join(t, NULL);
	after = resident_mib() - before;
	print_message("ahead %ld after %ld MiB\n", ahead, after);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	/* Read ahead as far as it may, no further; then given back. (A
	   sanitizer's shadow memory would count too.) */
	assert_in_range(ahead, 32, 90);
	assert_true(after < ahead / 4);
#endif
	close(sv[0]);
	close(sv[1]);
	diag_blocks_free(pool);
}

/* A reader on a socket that ends short: the error, after what came. */
static void
test_closed(void **state)
{
	struct diag_blocks *pool = diag_blocks_new();
	struct diag_reader *r;
	char buf[DGRAM];
	size_t len, n = 0;
	int sv[2], err = 0;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	fill(buf, 0, 0);
	assert_int_equal(send(sv[1], buf, DGRAM, 0), (ssize_t)DGRAM);
	close(sv[1]);
	r = diag_reader_start(sv[0], MAXLEN, pool);
	assert_non_null(r);
	while (diag_reader_next(r, &len, &err) != NULL)
		n++;
	assert_int_equal(n, 1);
	assert_int_equal(err, EPIPE);
	diag_reader_finish(r);
	close(sv[0]);
	diag_blocks_free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_memory),
		cmocka_unit_test(test_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
