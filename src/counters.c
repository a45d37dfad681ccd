/*
 * counters.c - read and parse the kernel's TCP counters and limits.
 *
 * /proc/net/netstat and /proc/net/snmp share one layout: a line of names
 * and a line of values, both starting with the same "Prefix:". Names are
 * looked up, never assumed to sit at a position, because kernels add
 * counters over the years. /proc/net and the net sysctls show the network
 * namespace of the reader, so after --netns they describe that namespace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "replay.h"

#define COUNTERS_FILE_MAX	(256u << 10)
#define PORT_MAX		65535

static const struct {
	const char	*prefix;
	const char	*name;
	enum counter_id	 id;
} table_names[] = {
	{ "TcpExt", "ListenOverflows", CTR_LISTEN_OVERFLOWS },
	{ "TcpExt", "ListenDrops", CTR_LISTEN_DROPS },
	{ "TcpExt", "SyncookiesSent", CTR_SYNCOOKIES_SENT },
	{ "TcpExt", "SyncookiesRecv", CTR_SYNCOOKIES_RECV },
	{ "TcpExt", "SyncookiesFailed", CTR_SYNCOOKIES_FAILED },
	{ "TcpExt", "TCPReqQFullDrop", CTR_REQQ_FULL_DROP },
	{ "TcpExt", "TCPReqQFullDoCookies", CTR_REQQ_FULL_COOKIES },
	{ "TcpExt", "TCPTimeWaitOverflow", CTR_TW_OVERFLOW },
	{ "TcpExt", "TCPAbortOnMemory", CTR_ABORT_ON_MEMORY },
	{ "TcpExt", "TCPAbortOnTimeout", CTR_ABORT_ON_TIMEOUT },
	{ "TcpExt", "TCPTimeouts", CTR_TIMEOUTS },
	{ "TcpExt", "TCPSynRetrans", CTR_SYN_RETRANS },
	{ "TcpExt", "TW", CTR_TW },
	{ "Tcp", "PassiveOpens", CTR_PASSIVE_OPENS },
	{ "Tcp", "ActiveOpens", CTR_ACTIVE_OPENS },
	{ "Tcp", "RetransSegs", CTR_RETRANS_SEGS },
	{ "Tcp", "OutSegs", CTR_OUT_SEGS },
	{ "Tcp", "OutRsts", CTR_OUT_RSTS },
	{ "Tcp", "AttemptFails", CTR_ATTEMPT_FAILS },
};

static const char *const counter_names[CTR_COUNT] = {
	[CTR_LISTEN_OVERFLOWS] = "ListenOverflows",
	[CTR_LISTEN_DROPS] = "ListenDrops",
	[CTR_SYNCOOKIES_SENT] = "SyncookiesSent",
	[CTR_SYNCOOKIES_RECV] = "SyncookiesRecv",
	[CTR_SYNCOOKIES_FAILED] = "SyncookiesFailed",
	[CTR_REQQ_FULL_DROP] = "TCPReqQFullDrop",
	[CTR_REQQ_FULL_COOKIES] = "TCPReqQFullDoCookies",
	[CTR_TW_OVERFLOW] = "TCPTimeWaitOverflow",
	[CTR_ABORT_ON_MEMORY] = "TCPAbortOnMemory",
	[CTR_ABORT_ON_TIMEOUT] = "TCPAbortOnTimeout",
	[CTR_TIMEOUTS] = "TCPTimeouts",
	[CTR_SYN_RETRANS] = "TCPSynRetrans",
	[CTR_TW] = "TW",
	[CTR_PASSIVE_OPENS] = "PassiveOpens",
	[CTR_ACTIVE_OPENS] = "ActiveOpens",
	[CTR_RETRANS_SEGS] = "RetransSegs",
	[CTR_OUT_SEGS] = "OutSegs",
	[CTR_OUT_RSTS] = "OutRsts",
	[CTR_ATTEMPT_FAILS] = "AttemptFails",
	[CTR_ORPHANS] = "orphan",
	[CTR_TW_SOCKETS] = "tw",
};

/* Where each sysctl lives; the port range fills two values. */
static const struct {
	const char	*path;
	const char	*name;
} sysctl_files[SYS_COUNT] = {
	[SYS_SOMAXCONN] = { "/proc/sys/net/core/somaxconn", "somaxconn" },
	[SYS_MAX_SYN_BACKLOG] = { "/proc/sys/net/ipv4/tcp_max_syn_backlog",
	    "tcp_max_syn_backlog" },
	[SYS_SYNCOOKIES] = { "/proc/sys/net/ipv4/tcp_syncookies",
	    "tcp_syncookies" },
	[SYS_MAX_ORPHANS] = { "/proc/sys/net/ipv4/tcp_max_orphans",
	    "tcp_max_orphans" },
	[SYS_MAX_TW_BUCKETS] = { "/proc/sys/net/ipv4/tcp_max_tw_buckets",
	    "tcp_max_tw_buckets" },
	[SYS_PORT_LOW] = { "/proc/sys/net/ipv4/ip_local_port_range",
	    "ip_local_port_range" },
	[SYS_PORT_HIGH] = { NULL, "ip_local_port_range_high" },
	[SYS_PORTS_RESERVED] = { "/proc/sys/net/ipv4/ip_local_reserved_ports",
	    "ip_local_reserved_ports" },
	[SYS_FIN_TIMEOUT] = { "/proc/sys/net/ipv4/tcp_fin_timeout",
	    "tcp_fin_timeout" },
	[SYS_TW_REUSE] = { "/proc/sys/net/ipv4/tcp_tw_reuse", "tcp_tw_reuse" },
	[SYS_KEEPALIVE_PROBES] = { "/proc/sys/net/ipv4/tcp_keepalive_probes",
	    "tcp_keepalive_probes" },
};

#define SNMP_FILE	"/proc/net/snmp"

static const char *const table_files[] = {
	"/proc/net/netstat",
	SNMP_FILE,
};
#define SOCKSTAT_FILE	"/proc/net/sockstat"

void
counters_init(struct counters *c)
{
	memset(c, 0, sizeof *c);
}

const char *
counters_name(enum counter_id id)
{
	return id < CTR_COUNT ? counter_names[id] : "?";
}

const char *
counters_sysctl_name(enum sysctl_id id)
{
	return id < SYS_COUNT ? sysctl_files[id].name : "?";
}

/* The next line of [*p, end) without its newline; NULL at the end. */
static const char *
next_line(const char **p, const char *end, size_t *len)
{
	const char *line = *p, *nl;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*len = (size_t)(nl - line);
	*p = nl < end ? nl + 1 : end;
	return line;
}

/* The next space-separated word of [*p, end). */
static const char *
next_word(const char **p, const char *end, size_t *len)
{
	const char *w = *p;

	while (w < end && (*w == ' ' || *w == '\t'))
		w++;
	if (w >= end)
		return NULL;
	*p = w;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*len = (size_t)(*p - w);
	return w;
}

static int
parse_u64(const char *s, size_t len, uint64_t *v)
{
	char buf[32], *end;

	if (len == 0 || len >= sizeof buf || *s == '-')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static void
store_counter(struct counters *c, const char *prefix, size_t plen,
    const char *name, size_t nlen, const char *value, size_t vlen)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof table_names / sizeof table_names[0]; i++) {
		if (strlen(table_names[i].prefix) != plen ||
		    memcmp(table_names[i].prefix, prefix, plen) != 0 ||
		    strlen(table_names[i].name) != nlen ||
		    memcmp(table_names[i].name, name, nlen) != 0)
			continue;
		if (parse_u64(value, vlen, &v) == 0) {
			c->v[table_names[i].id] = v;
			c->known |= 1u << table_names[i].id;
		}
		return;
	}
}

/* One "Prefix: names" line and its "Prefix: values" line. */
static int
parse_pair(struct counters *c, const char *names, size_t nlen,
    const char *values, size_t vlen)
{
	const char *colon = memchr(names, ':', nlen), *np, *vp, *n, *v;
	size_t plen, wl, vl;

	if (colon == NULL)
		return -1;
	plen = (size_t)(colon - names);
	if (vlen <= plen || memcmp(values, names, plen + 1) != 0)
		return -1;
	np = colon + 1;
	vp = values + plen + 1;
	while ((n = next_word(&np, names + nlen, &wl)) != NULL) {
		if ((v = next_word(&vp, values + vlen, &vl)) == NULL)
			return -1;
		store_counter(c, names, plen, n, wl, v, vl);
	}
	return 0;
}

/* /proc/net/netstat or /proc/net/snmp; -1 if the layout is not theirs. */
int
counters_parse_table(struct counters *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *names, *values;
	size_t nlen, vlen;

	while ((names = next_line(&p, end, &nlen)) != NULL) {
		if ((values = next_line(&p, end, &vlen)) == NULL)
			return -1;
		if (parse_pair(c, names, nlen, values, vlen) < 0)
			return -1;
	}
	return 0;
}

/* "TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 97": orphan and tw. */
int
counters_parse_sockstat(struct counters *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *line, *lp, *k, *v;
	size_t llen, kl, vl;
	uint64_t n;

	while ((line = next_line(&p, end, &llen)) != NULL) {
		if (llen < 4 || memcmp(line, "TCP:", 4) != 0)
			continue;
		lp = line + 4;
		while ((k = next_word(&lp, line + llen, &kl)) != NULL &&
		    (v = next_word(&lp, line + llen, &vl)) != NULL) {
			if (parse_u64(v, vl, &n) < 0)
				return -1;
			if (kl == 6 && memcmp(k, "orphan", 6) == 0) {
				c->v[CTR_ORPHANS] = n;
				c->known |= 1u << CTR_ORPHANS;
			} else if (kl == 2 && memcmp(k, "tw", 2) == 0) {
				c->v[CTR_TW_SOCKETS] = n;
				c->known |= 1u << CTR_TW_SOCKETS;
			}
		}
		return 0;
	}
	return -1;
}

/* Reserved ports ("8080,9000-9100") that fall inside the port range. */
static int
parse_reserved(struct counters *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *dash, *comma;
	uint64_t lo, hi, low, high, count = 0;

	if (!SYSCTL_KNOWN(c, SYS_PORT_LOW))
		return -1;
	low = (uint64_t)c->sys[SYS_PORT_LOW];
	high = (uint64_t)c->sys[SYS_PORT_HIGH];
	while (p < end && *p != '\n') {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		while (comma > p && comma[-1] == '\n')
			comma--;
		dash = memchr(p, '-', (size_t)(comma - p));
		if (parse_u64(p, (size_t)((dash != NULL ? dash : comma) - p),
		    &lo) < 0)
			return -1;
		hi = lo;
		if (dash != NULL &&
		    parse_u64(dash + 1, (size_t)(comma - dash - 1), &hi) < 0)
			return -1;
		if (lo < low)
			lo = low;
		if (hi > high)
			hi = high;
		if (hi >= lo)
			count += hi - lo + 1;
		p = comma + 1;
	}
	c->sys[SYS_PORTS_RESERVED] = (int64_t)count;
	c->sys_known |= 1u << SYS_PORTS_RESERVED;
	return 0;
}

static int
parse_range(struct counters *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *w;
	uint64_t lo, hi;
	size_t wl;

	while (end > p && end[-1] == '\n')
		end--;
	if ((w = next_word(&p, end, &wl)) == NULL || parse_u64(w, wl, &lo) < 0)
		return -1;
	if ((w = next_word(&p, end, &wl)) == NULL || parse_u64(w, wl, &hi) < 0 ||
	    hi < lo || hi > PORT_MAX)
		return -1;
	c->sys[SYS_PORT_LOW] = (int64_t)lo;
	c->sys[SYS_PORT_HIGH] = (int64_t)hi;
	c->sys_known |= 1u << SYS_PORT_LOW | 1u << SYS_PORT_HIGH;
	return 0;
}

int
counters_parse_sysctl(struct counters *c, enum sysctl_id id, const char *text,
    size_t len)
{
	char buf[32], *end;
	long long v;

	if (id == SYS_PORT_LOW)
		return parse_range(c, text, len);
	if (id == SYS_PORTS_RESERVED)
		return parse_reserved(c, text, len);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len == 0 || len >= sizeof buf || id >= SYS_COUNT)
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX)
		return -1;	/* the kernel's sysctls we read are ints */
	c->sys[id] = v;
	c->sys_known |= 1u << id;
	return 0;
}

/*
 * Whether a reading kept in a state file can be one: a time of the epoch
 * and not after `latest` (later readings must not come before earlier
 * ones either: rates divide by the difference), sysctls that are ints.
 */
int
counters_valid(const struct counters *c, const struct counters *earlier,
    double latest)
{
	int id;

	if (c->when.tv_sec <= 0 || c->when.tv_nsec < 0 ||
	    c->when.tv_nsec >= 1000000000 || (double)c->when.tv_sec > latest)
		return 0;
	if (earlier != NULL && c->when.tv_sec < earlier->when.tv_sec)
		return 0;
	for (id = 0; id < SYS_COUNT; id++)
		if (c->sys[id] < INT32_MIN || c->sys[id] > INT32_MAX)
			return 0;
	return 1;
}

static int64_t
clamp_port(int64_t v)
{
	return v < 0 ? 0 : v > PORT_MAX ? PORT_MAX : v;
}

/* Ports connect() can pick: the range less its reserved ports. */
int64_t
counters_usable_ports(const struct counters *c)
{
	int64_t low, high, n;

	if (!SYSCTL_KNOWN(c, SYS_PORT_LOW))
		return 28232;	/* the kernel's default range */
	/* Clamped to ports, so that no reading can overflow the sums. */
	low = clamp_port(c->sys[SYS_PORT_LOW]);
	high = clamp_port(c->sys[SYS_PORT_HIGH]);
	n = high - low + 1;
	if (SYSCTL_KNOWN(c, SYS_PORTS_RESERVED))
		n -= clamp_port(c->sys[SYS_PORTS_RESERVED]);
	return n > 0 ? n : 1;
}

/* Read a whole /proc file; /proc sizes are unknown until read. */
static char *
read_all(const char *path, size_t *len)
{
	size_t cap = 8192, n = 0;
	ssize_t r;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	buf = malloc(cap);
	while (buf != NULL) {
		if (n == cap) {
			char *nb = cap < COUNTERS_FILE_MAX ?
			    realloc(buf, cap * 2) : NULL;

			if (nb == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
		if ((r = read(fd, buf + n, cap - n)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

static void
record_file(struct recorder *rec, const char *path, const char *text,
    size_t len)
{
	size_t plen = strlen(path) + 1;
	char *frame;

	if (rec == NULL)
		return;
	frame = malloc(plen + len);
	if (frame == NULL)
		return;
	memcpy(frame, path, plen);
	memcpy(frame + plen, text, len);
	recorder_frame(rec, REC_FILE, frame, plen + len);
	free(frame);
}

/* Feed one file's text to its parser. */
static void
parse_file(struct counters *c, const char *path, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof table_files / sizeof table_files[0]; i++)
		if (strcmp(path, table_files[i]) == 0) {
			counters_parse_table(c, text, len);
			return;
		}
	if (strcmp(path, SOCKSTAT_FILE) == 0) {
		counters_parse_sockstat(c, text, len);
		return;
	}
	for (i = 0; i < SYS_COUNT; i++)
		if (sysctl_files[i].path != NULL &&
		    strcmp(path, sysctl_files[i].path) == 0) {
			counters_parse_sysctl(c, (enum sysctl_id)i, text, len);
			return;
		}
}

/* Every file, the port range before its reservations. */
static const char *const all_files[] = {
	"/proc/net/netstat",
	SNMP_FILE,
	SOCKSTAT_FILE,
	"/proc/sys/net/core/somaxconn",
	"/proc/sys/net/ipv4/tcp_max_syn_backlog",
	"/proc/sys/net/ipv4/tcp_syncookies",
	"/proc/sys/net/ipv4/tcp_max_orphans",
	"/proc/sys/net/ipv4/tcp_max_tw_buckets",
	"/proc/sys/net/ipv4/ip_local_port_range",
	"/proc/sys/net/ipv4/ip_local_reserved_ports",
	"/proc/sys/net/ipv4/tcp_fin_timeout",
	"/proc/sys/net/ipv4/tcp_tw_reuse",
	"/proc/sys/net/ipv4/tcp_keepalive_probes",
};
#define NFILES (sizeof all_files / sizeof all_files[0])

/* Read everything now; a missing file leaves its values unknown. */
void
counters_read(struct counters *c, struct recorder *rec)
{
	size_t i, len;
	char *text;

	counters_init(c);
	clock_gettime(CLOCK_REALTIME, &c->when);
	for (i = 0; i < NFILES; i++) {
		if ((text = read_all(all_files[i], &len)) == NULL)
			continue;
		record_file(rec, all_files[i], text, len);
		parse_file(c, all_files[i], text, len);
		free(text);
	}
}

/*
 * Only the connections opened so far (counters_opens), for a decision
 * made before a poll: the one file that counts them.
 */
void
counters_read_opens(struct counters *c)
{
	size_t len;
	char *text;

	counters_init(c);
	clock_gettime(CLOCK_REALTIME, &c->when);
	if ((text = read_all(SNMP_FILE, &len)) == NULL)
		return;
	counters_parse_table(c, text, len);
	free(text);
}

/* Connections opened so far, both ways; 0 when the reading lacks them. */
int
counters_opens(const struct counters *c, uint64_t *opens)
{
	if (!COUNTER_KNOWN(c, CTR_ACTIVE_OPENS) ||
	    !COUNTER_KNOWN(c, CTR_PASSIVE_OPENS))
		return 0;
	*opens = c->v[CTR_ACTIVE_OPENS] + c->v[CTR_PASSIVE_OPENS];
	return 1;
}

/* The same files from a recording; a recording without them has none. */
void
counters_replay(struct counters *c, const struct replay *r, size_t poll)
{
	const char *text;
	size_t i, len;

	counters_init(c);
	for (i = 0; i < NFILES; i++)
		if ((text = replay_file(r, poll, all_files[i], &len)) != NULL)
			parse_file(c, all_files[i], text, len);
}

/* Deltas and rates; a counter that went down was reset, so no rate. */
void
counters_rates(const struct counters *prev, const struct counters *cur,
    struct counter_rates *r)
{
	double dt;
	int i;

	memset(r, 0, sizeof *r);
	if (prev == NULL)
		return;
	dt = (double)(cur->when.tv_sec - prev->when.tv_sec) +
	    (double)(cur->when.tv_nsec - prev->when.tv_nsec) / 1e9;
	if (dt <= 0)
		return;
	r->seconds = dt;
	for (i = 0; i < CTR_GAUGES; i++) {
		if (!COUNTER_KNOWN(prev, i) || !COUNTER_KNOWN(cur, i))
			continue;
		if (cur->v[i] < prev->v[i]) {
			r->reset |= 1u << i;
			continue;
		}
		r->delta[i] = cur->v[i] - prev->v[i];
		r->rate[i] = (double)r->delta[i] / dt;
		r->known |= 1u << i;
	}
}
