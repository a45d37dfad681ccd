/*
 * fuzz_diag.c - libFuzzer target for the netlink reply parser: any bytes
 * in one datagram give records, the end of the dump or an error with a
 * cause, never a read outside the buffer. What it adds are records a
 * user can be shown: a TCP state, an address family.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
parse(const uint8_t *data, size_t size, uint32_t seq, int info, int mem)
{
	struct snapshot snap;
	char *cause = NULL;
	size_t i;
	int ret;

	snapshot_init(&snap);
	snapshot_want(&snap, info, mem);
	ret = diag_parse(data, size, seq, &snap, &cause);
	if (ret == DIAG_PARSE_ERROR) {
		if (cause == NULL)
			abort();
		free(cause);
	} else if (ret != DIAG_PARSE_MORE && ret != DIAG_PARSE_DONE)
		abort();
	for (i = 0; i < snap.n; i++) {
		const struct sock_rec *s = &snap.socks[i];

		if ((s->family != AF_INET && s->family != AF_INET6) ||
		    s->state < TS_ESTABLISHED || s->state > TS_CLOSING ||
		    ((s->flags & SOCK_HAS_INFO) && snap.info == NULL) ||
		    ((s->flags & SOCK_HAS_MEM) && snap.mem == NULL))
			abort();
	}
	snapshot_free(&snap);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(data, size, 0, 1, 1);	/* as a recording is read */
	parse(data, size, 0x1234, 0, 0);	/* as a live reply is */
	return 0;
}
