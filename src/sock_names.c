/*
 * sock_names.c - TCP state and timer names: as sockwatch and ss print them,
 * the words a filter or -s accepts, and the order users read. Nothing but
 * tables, so that the formatting (format.c) reads them without reaching
 * the snapshot array, which needs the allocator and the log.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "sock.h"

static const char *const state_names[TS_MAX + 1] = {
	[TS_ESTABLISHED] = "ESTABLISHED",
	[TS_SYN_SENT] = "SYN_SENT",
	[TS_SYN_RECV] = "SYN_RECV",
	[TS_FIN_WAIT1] = "FIN_WAIT1",
	[TS_FIN_WAIT2] = "FIN_WAIT2",
	[TS_TIME_WAIT] = "TIME_WAIT",
	[TS_CLOSE] = "CLOSE",
	[TS_CLOSE_WAIT] = "CLOSE_WAIT",
	[TS_LAST_ACK] = "LAST_ACK",
	[TS_LISTEN] = "LISTEN",
	[TS_CLOSING] = "CLOSING",
	[TS_NEW_SYN_RECV] = "SYN_RECV",
};

/* The order of a connection's life, which is the order users read. */
static const int state_order[TS_COUNT + 1] = {
	TS_LISTEN, TS_SYN_SENT, TS_SYN_RECV, TS_ESTABLISHED, TS_FIN_WAIT1,
	TS_FIN_WAIT2, TS_CLOSE_WAIT, TS_CLOSING, TS_LAST_ACK, TS_TIME_WAIT,
	TS_CLOSE, 0
};

#define M(s) TS_BIT(TS_##s)
#define ALL_STATES (TS_ALL_MASK & ~M(NEW_SYN_RECV))
#define BUCKET_STATES (M(SYN_RECV) | M(TIME_WAIT))
#define CONNECTED_STATES (ALL_STATES & ~(M(LISTEN) | M(CLOSE)))

static const struct {
	const char	*name;	/* lower case, without '-' and '_' */
	uint32_t	 mask;
} state_words[] = {
	{ "established", M(ESTABLISHED) },
	{ "synsent", M(SYN_SENT) },
	{ "synrecv", M(SYN_RECV) },
	{ "synreceived", M(SYN_RECV) },
	{ "finwait1", M(FIN_WAIT1) },
	{ "finwait2", M(FIN_WAIT2) },
	{ "timewait", M(TIME_WAIT) },
	{ "close", M(CLOSE) },
	{ "closed", M(CLOSE) },
	{ "closewait", M(CLOSE_WAIT) },
	{ "lastack", M(LAST_ACK) },
	{ "listen", M(LISTEN) },
	{ "listening", M(LISTEN) },
	{ "closing", M(CLOSING) },
	{ "all", ALL_STATES },
	{ "bucket", BUCKET_STATES },
	{ "big", ALL_STATES & ~BUCKET_STATES },
	{ "connected", CONNECTED_STATES },
	{ "synchronized", CONNECTED_STATES & ~M(SYN_SENT) },
};

const char *
sock_state_name(int state)
{
	if (state < 1 || state > TS_MAX)
		return "UNKNOWN";
	return state_names[state];
}

/*
 * Accept CLOSE_WAIT, close-wait, closewait in any case, and the groups of
 * ss (all, bucket, big, connected, synchronized).
 */
int
sock_state_parse(const char *name, uint32_t *mask)
{
	char word[32];
	size_t i, n = 0;

	for (; *name != '\0'; name++) {
		if (*name == '-' || *name == '_')
			continue;
		if (n == sizeof word - 1)
			return -1;
		word[n++] = (char)tolower((unsigned char)*name);
	}
	word[n] = '\0';
	for (i = 0; i < sizeof state_words / sizeof state_words[0]; i++) {
		if (strcmp(word, state_words[i].name) == 0) {
			*mask = state_words[i].mask;
			return 0;
		}
	}
	return -1;
}

/* The eleven states in display order, ending with 0. */
const int *
sock_state_order(void)
{
	return state_order;
}

int
sock_state_rank(int state)
{
	int i;

	for (i = 0; i < TS_COUNT; i++)
		if (state_order[i] == state)
			return i;
	return TS_COUNT;
}

const char *
sock_timer_name(int timer)
{
	switch (timer) {
	case TIMER_RETRANS:
		return "on";
	case TIMER_KEEPALIVE:
		return "keepalive";
	case TIMER_TIME_WAIT:
		return "timewait";
	case TIMER_PROBE:
		return "persist";
	default:
		return "off";
	}
}
