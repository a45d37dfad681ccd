/*
 * test_filter.c - the filter language: what parses, what it matches, and
 * every error message with its column.
 */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "filter.h"
#include "sock.h"
#include "xmalloc.h"

/* A record "state local -> peer"; addresses in text form. */
static struct sock_rec
rec(int state, const char *src, int sport, const char *dst, int dport)
{
	struct sock_rec s;
	int fam = strchr(src, ':') != NULL ? AF_INET6 : AF_INET;

	memset(&s, 0, sizeof s);
	s.family = (uint8_t)fam;
	s.state = (uint8_t)state;
	assert_int_equal(inet_pton(fam, src, s.src), 1);
	assert_int_equal(inet_pton(fam, dst, s.dst), 1);
	s.sport = (uint16_t)sport;
	s.dport = (uint16_t)dport;
	return s;
}

static int
matches(const char *text, const struct sock_rec *s)
{
	struct filter *f;
	char *cause = NULL;
	int m;

	f = filter_parse(text, &cause);
	if (f == NULL)
		fail_msg("'%s' did not parse: %s", text, cause);
	m = filter_match(f, s, NULL, &cause);
	if (m < 0)
		fail_msg("'%s' did not match: %s", text, cause);
	filter_free(f);
	return m;
}

static void
test_empty(void **state)
{
	struct sock_rec s = rec(TS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	struct filter *f;
	char *cause = NULL;

	(void)state;
	f = filter_parse("   ", &cause);
	assert_non_null(f);
	assert_true(filter_is_empty(f));
	assert_int_equal(filter_match(f, &s, NULL, &cause), 1);
	assert_int_equal(filter_states(f), TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV));
	filter_free(f);
	filter_free(NULL);
}

static void
test_states(void **state)
{
	struct sock_rec est = rec(TS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 5000);
	struct sock_rec cw = rec(TS_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.2", 5001);
	struct sock_rec lis = rec(TS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);

	(void)state;
	assert_true(matches("state established", &est));
	assert_false(matches("state established", &cw));
	assert_true(matches("state CLOSE_WAIT", &cw));
	assert_true(matches("state closewait", &cw));
	/* ss: consecutive state words add up, exclude takes away. */
	assert_true(matches("state established state close-wait", &cw));
	assert_true(matches("state established state close-wait", &est));
	assert_false(matches("state established state close-wait", &lis));
	assert_true(matches("exclude listen", &cw));
	assert_false(matches("exclude listen", &lis));
	assert_false(matches("state connected exclude close-wait", &cw));
	assert_true(matches("state connected exclude close-wait", &est));
	assert_false(matches("state connected", &lis));
	assert_true(matches("state synchronized", &cw));
	/* With an explicit "and" they are two conditions. */
	assert_false(matches("state established and state close-wait", &est));
	assert_true(matches("excl listen", &est));
}

static void
test_filter_states(void **state)
{
	struct filter *f;
	char *cause = NULL;

	(void)state;
	f = filter_parse("state established or ( state close-wait and sport = :80 )",
	    &cause);
	assert_int_equal(filter_states(f),
	    TS_BIT(TS_ESTABLISHED) | TS_BIT(TS_CLOSE_WAIT));
	filter_free(f);
	f = filter_parse("not ( state listen or state time-wait )", &cause);
	assert_int_equal(filter_states(f), TS_ALL_MASK &
	    ~(TS_BIT(TS_NEW_SYN_RECV) | TS_BIT(TS_LISTEN) | TS_BIT(TS_TIME_WAIT)));
	filter_free(f);
	f = filter_parse("state listen or sport = :80", &cause);
	assert_int_equal(filter_states(f), TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV));
	filter_free(f);
	f = filter_parse("state listen and state established", &cause);
	assert_int_equal(filter_states(f), 0);
	filter_free(f);
	/* A bare state name is short for "state NAME"; quoted, it is not. */
	f = filter_parse("CLOSE_WAIT or time-wait", &cause);
	assert_non_null(f);
	assert_int_equal(filter_states(f),
	    TS_BIT(TS_CLOSE_WAIT) | TS_BIT(TS_TIME_WAIT));
	filter_free(f);
	f = filter_parse("connected and sport = :80", &cause);
	assert_non_null(f);
	assert_false(filter_states(f) & TS_BIT(TS_LISTEN));
	filter_free(f);
	assert_null(filter_parse("'close-wait'", &cause));
	assert_non_null(cause);
	free(cause);
}

static void
test_ports(void **state)
{
	struct sock_rec s = rec(TS_ESTABLISHED, "10.0.0.1", 8080, "10.0.0.2", 443);

	(void)state;
	assert_true(matches("sport = :8080", &s));
	assert_true(matches("sport == 8080", &s));
	assert_true(matches("sport eq *:8080", &s));
	assert_true(matches("sport=:8080", &s));
	assert_true(matches("sport :8080", &s));
	assert_false(matches("sport != :8080", &s));
	assert_true(matches("sport ne :80", &s));
	assert_true(matches("sport > :8079", &s));
	assert_false(matches("sport gt :8080", &s));
	assert_true(matches("sport >= :8080", &s));
	assert_true(matches("sport geq :8080", &s));
	assert_true(matches("sport < :8081", &s));
	assert_false(matches("sport lt :8080", &s));
	assert_true(matches("sport <= :8080", &s));
	assert_true(matches("sport le :8080", &s));
	assert_true(matches("sport leq :8080", &s));
	assert_true(matches("dport = :443", &s));
	assert_false(matches("dport = :8080", &s));
}

static void
test_hosts(void **state)
{
	struct sock_rec v4 = rec(TS_ESTABLISHED, "10.1.2.3", 80, "192.168.7.9", 5000);
	struct sock_rec v6 = rec(TS_ESTABLISHED, "2001:db8::5", 443, "fe80::1", 6000);
	struct sock_rec mapped = rec(TS_ESTABLISHED, "::ffff:10.1.2.3", 80,
	    "::ffff:192.168.7.9", 5000);

	(void)state;
	assert_true(matches("src 10.0.0.0/8", &v4));
	assert_true(matches("src 10/8", &v4));
	assert_true(matches("src 10.1.2.3", &v4));
	assert_false(matches("src 10.1.2.4", &v4));
	assert_true(matches("src 10.1.2.3:80", &v4));
	assert_false(matches("src 10.1.2.3:81", &v4));
	assert_true(matches("src 10.1.0.0/16:80", &v4));
	assert_true(matches("src = 10.1.2.0/23", &v4));
	assert_true(matches("dst != 10.0.0.0/8", &v4));
	assert_true(matches("dst 192.168.7.8/31", &v4));
	assert_false(matches("dst 192.168.7.8/32", &v4));
	assert_true(matches("src *", &v4));
	assert_true(matches("src *:80", &v4));
	assert_true(matches("src :80", &v4));
	assert_true(matches("src :*", &v4));
	assert_false(matches("src :81", &v4));
	assert_true(matches("src 0.0.0.0/0", &v4));
	assert_false(matches("src ::/0", &v4));
	/* IPv6, with and without brackets. */
	assert_true(matches("src [2001:db8::]/32:443", &v6));
	assert_false(matches("src [2001:db8::]/32:80", &v6));
	assert_true(matches("src 2001:db8::/32", &v6));
	assert_true(matches("src [2001:db8::5]", &v6));
	assert_true(matches("src [2001:db8::5]:443", &v6));
	assert_false(matches("src 10.0.0.0/8", &v6));
	assert_true(matches("dst fe80::/10", &v6));
	assert_true(matches("src [2001:db8::]/127:*", &v6) == 0);
	/* IPv4 conditions see IPv4-mapped addresses, as the kernel does. */
	assert_true(matches("src 10.0.0.0/8", &mapped));
	assert_true(matches("dst 192.168.7.9:5000", &mapped));
	assert_true(matches("src ::ffff:10.1.2.3", &mapped));
	assert_false(matches("src ::ffff:10.1.2.4", &mapped));
	assert_true(matches("src ::ffff:0:0/96", &mapped));
}

/* A resolver of our own: names mean what the test says, never DNS. */
static int
fake_service(const char *name, uint16_t *port)
{
	if (strcmp(name, "ssh") != 0)
		return -1;
	*port = 22;
	return 0;
}

static size_t
fake_host(const char *name, struct filter_host *h, size_t max)
{
	if (strcmp(name, "web") != 0 || max < 2)
		return 0;
	memset(h, 0, 2 * sizeof *h);
	h[0].family = AF_INET;
	inet_pton(AF_INET, "10.1.2.3", h[0].addr);
	h[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::5", h[1].addr);
	return 2;
}

static void
test_names(void **state)
{
	static const struct filter_names fake = { fake_service, fake_host };
	struct sock_rec v4 = rec(TS_ESTABLISHED, "10.1.2.3", 80, "192.168.7.9", 22);
	struct sock_rec v6 = rec(TS_ESTABLISHED, "2001:db8::5", 443, "fe80::1", 6000);
	struct sock_rec other = rec(TS_ESTABLISHED, "10.1.2.4", 80, "10.9.9.9", 23);
	char *cause = NULL;

	(void)state;
	filter_set_names(&fake);
	assert_true(matches("dport = :ssh", &v4));
	assert_false(matches("dport = :ssh", &other));
	assert_true(matches("dst *:ssh", &v4));
	assert_true(matches("dport != :ssh", &other));
	/* Every address of a name, of either family. */
	assert_true(matches("src web", &v4));
	assert_true(matches("src web", &v6));
	assert_false(matches("src web", &other));
	assert_true(matches("src web:80", &v4));
	assert_false(matches("src web:80", &v6));
	assert_true(matches("src != web", &other));
	assert_false(matches("src != web", &v6));
	assert_null(filter_parse("dst nosuchhost", &cause));
	assert_string_equal(cause, "filter: col 5: unknown host 'nosuchhost': "
	    "give an address such as 10.0.0.0/8, or a name the resolver knows");
	free(cause);
	cause = NULL;
	assert_null(filter_parse("dport = :nosuch", &cause));
	free(cause);
	filter_set_names(NULL);
	cause = NULL;
	assert_null(filter_parse("dport = :ssh", &cause));
	free(cause);
}

static void
test_logic(void **state)
{
	struct sock_rec s = rec(TS_CLOSE_WAIT, "10.0.0.1", 8080, "10.9.9.9", 40000);

	(void)state;
	assert_true(matches("state close-wait and ( sport = :8080 or dst 10.0.0.0/8 )", &s));
	assert_true(matches("state close-wait ( sport = :80 or dst 10.0.0.0/8 )", &s));
	assert_false(matches("state close-wait ( sport = :80 or dst 11.0.0.0/8 )", &s));
	/* "and" binds tighter than "or". */
	assert_true(matches("sport = :8080 or sport = :1 and dport = :1", &s));
	assert_false(matches("( sport = :8080 or sport = :1 ) and dport = :1", &s));
	/* "not" binds tightest. */
	assert_false(matches("not sport = :8080 and dport = :40000", &s));
	assert_true(matches("! sport = :80", &s));
	assert_true(matches("!(sport = :80)", &s));
	assert_true(matches("not not sport = :8080", &s));
	assert_true(matches("sport = :8080 && dport = :40000", &s));
	assert_true(matches("sport = :1 || dport = :40000", &s));
	assert_true(matches("sport = :1 | dport = :40000", &s));
	assert_true(matches("sport = :8080 & dport = :40000", &s));
	assert_true(matches("SPORT = :8080 AND Dport = :40000", &s));
	assert_true(matches("((((sport = :8080))))", &s));
}

static void
test_numbers(void **state)
{
	struct sock_rec s = rec(TS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 5000);

	(void)state;
	s.rqueue = 10;
	s.wqueue = 0;
	s.uid = 33;
	s.retrans = 3;
	assert_true(matches("recv-q > 0", &s));
	assert_true(matches("Recv-Q = 10", &s));
	assert_true(matches("recv_q ge 10", &s));
	assert_false(matches("send-q > 0", &s));
	assert_true(matches("sendq = 0", &s));
	assert_true(matches("uid 33", &s));
	assert_true(matches("uid != 0", &s));
	assert_true(matches("retrans >= 3", &s));
	assert_false(matches("retrans > 3", &s));
	assert_false(matches("uid = 4294967295", &s));
}

/* sport 1: no age at all; sport 2: at least 400 s (first seen then). */
static void
ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	(void)arg;
	age->s = s->sport == 1 ? -1 : 400;
	age->known = s->sport != 2;
	state_age->s = 20;
	state_age->known = s->sport != 2;
}

static size_t
procs(void *arg, const struct sock_rec *s, const struct filter_proc **out)
{
	static const struct filter_proc p[] = {
		{ 812, "nginx" }, { 813, "nginx: worker" },
	};

	(void)arg;
	*out = p;
	return s->inode != 0 ? 2 : 0;
}

static int
match_ex(const char *text, const struct sock_rec *s)
{
	struct filter_facts ex = { ages, procs, NULL };
	struct filter *f;
	char *cause = NULL;
	int m;

	f = filter_parse(text, &cause);
	assert_non_null(f);
	m = filter_match(f, s, &ex, &cause);
	assert_true(m >= 0);
	filter_free(f);
	return m == FILTER_UNKNOWN ? -2 : m;	/* never taken for a match */
}

static void
test_extras(void **state)
{
	struct sock_rec s = rec(TS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 5000);
	struct sock_rec unknown = s, orphan = s;

	(void)state;
	s.inode = 42;
	unknown.sport = 1;
	assert_true(match_ex("age > 5m", &s));
	assert_false(match_ex("age > 6m40s", &s));
	assert_true(match_ex("age >= 6m40s", &s));
	assert_true(match_ex("age < 1h", &s));
	assert_true(match_ex("age < 0.5d", &s));
	assert_true(match_ex("age > 399999ms", &s));
	assert_true(match_ex("age = 400", &s));
	assert_true(match_ex("state-age < 30s", &s));
	assert_false(match_ex("stateage > 30s", &s));
	assert_true(match_ex("age > 1h30m or state-age le 20s", &s));
	/* An unknown age is neither older nor younger. */
	assert_int_equal(match_ex("age > 0", &unknown), -2);
	assert_int_equal(match_ex("age < 1d", &unknown), -2);
	assert_true(match_ex("process nginx", &s));
	assert_true(match_ex("process = 'nginx: worker'", &s));
	assert_true(match_ex("process \"ngin*\"", &s));
	assert_false(match_ex("process apache", &s));
	assert_true(match_ex("process != apache", &s));
	assert_false(match_ex("process nginx", &orphan));
	assert_true(match_ex("process ne nginx", &orphan));
	assert_true(match_ex("pid 813", &s));
	assert_true(match_ex("pid > 812", &s));
	assert_false(match_ex("pid != 812", &s));
	assert_false(match_ex("pid 1", &orphan));
	/* "process ne" names a process called ne. */
	assert_false(match_ex("process ne", &s));
}

/*
 * An age known only as a lower bound (at least 400 s) proves "older than"
 * and disproves "younger than" up to its bound; past that the answer stays
 * open, through not, and, or, and such a socket never matches.
 */
static void
test_lower_bound(void **state)
{
	struct sock_rec s = rec(TS_ESTABLISHED, "10.0.0.1", 2, "10.0.0.2", 5000);

	(void)state;
	assert_int_equal(match_ex("age > 5m", &s), 1);
	assert_int_equal(match_ex("age >= 6m40s", &s), 1);
	assert_int_equal(match_ex("age != 1m", &s), 1);
	assert_int_equal(match_ex("age > 1h", &s), -2);
	assert_int_equal(match_ex("age < 1m", &s), 0);
	assert_int_equal(match_ex("age <= 6m39s", &s), 0);
	assert_int_equal(match_ex("age = 1m", &s), 0);
	assert_int_equal(match_ex("age < 1h", &s), -2);
	assert_int_equal(match_ex("age = 1h", &s), -2);
	assert_int_equal(match_ex("age != 1h", &s), -2);
	assert_int_equal(match_ex("not age < 1h", &s), -2);
	assert_int_equal(match_ex("not age < 1m", &s), 1);
	assert_int_equal(match_ex("state-age < 1m", &s), -2);
	/* Kleene: false and open is false, true or open is true. */
	assert_int_equal(match_ex("sport = :3 and age < 1h", &s), 0);
	assert_int_equal(match_ex("age < 1h and sport = :3", &s), 0);
	assert_int_equal(match_ex("sport = :2 and age < 1h", &s), -2);
	assert_int_equal(match_ex("age < 1h or sport = :2", &s), 1);
	assert_int_equal(match_ex("age < 1h or sport = :3", &s), -2);
	assert_int_equal(match_ex("not (age < 1h or sport = :2)", &s), 0);
}

static void
test_needs(void **state)
{
	struct sock_rec s = rec(TS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 5000);
	struct filter_facts only_ages = { ages, NULL, NULL };
	struct snapshot snap;
	struct filter *f;
	char *cause = NULL;

	(void)state;
	f = filter_parse("age > 5m", &cause);
	assert_int_equal(filter_needs(f), FILTER_NEEDS_AGES);
	assert_int_equal(filter_match(f, &s, NULL, &cause), -1);
	assert_string_equal(cause, "filter: 'age' and 'state-age' need the "
	    "sockets' history, which is not kept here: remove them from the "
	    "filter");
	free(cause);
	cause = NULL;
	assert_int_equal(filter_match(f, &s, &only_ages, &cause), 1);
	filter_free(f);

	f = filter_parse("sport = :80 or pid 1", &cause);
	assert_int_equal(filter_needs(f), FILTER_NEEDS_PROCS);
	assert_int_equal(filter_check_facts(f, &only_ages, &cause), -1);
	assert_string_equal(cause, "filter: 'process' and 'pid' need the "
	    "process map, which is not built here: remove them from the "
	    "filter");
	free(cause);
	cause = NULL;
	snapshot_init(&snap);
	*snapshot_add(&snap, &(size_t){ 0 }) = s;
	assert_int_equal(filter_snapshot(f, &snap, NULL, &cause), -1);
	free(cause);
	filter_free(f);
	snapshot_free(&snap);
}

static void
test_snapshot(void **state)
{
	struct snapshot snap;
	struct filter *f;
	char *cause = NULL;
	size_t i, idx;

	(void)state;
	snapshot_init(&snap);
	snapshot_want(&snap, 1, 0);
	for (i = 0; i < 10; i++) {
		*snapshot_add(&snap, &idx) = rec(TS_ESTABLISHED, "10.0.0.1",
		    (int)(1000 + i), "10.0.0.2", 80);
		snap.info[idx].rtt_us = (uint32_t)(1000 + i);
		snap.socks[idx].flags |= SOCK_HAS_INFO;
	}
	f = filter_parse("sport >= :1003 and sport < :1006 or sport = :1009",
	    &cause);
	assert_int_equal(filter_snapshot(f, &snap, NULL, &cause), 0);
	assert_int_equal(snap.n, 4);
	for (i = 0; i < snap.n; i++)
		assert_int_equal(snap.info[i].rtt_us, snap.socks[i].sport);
	assert_int_equal(snap.socks[3].sport, 1009);
	filter_free(f);
	snapshot_free(&snap);
}

static void
test_join(void **state)
{
	char *argv[] = { "state", "close-wait", "and", "( sport = :80 )" };
	char *s;

	(void)state;
	s = filter_join(4, argv);
	assert_string_equal(s, "state close-wait and ( sport = :80 )");
	free(s);
	s = filter_join(0, argv);
	assert_string_equal(s, "");
	free(s);
}

/* Every message the parser can give, with its column. */
static const struct {
	const char	*text;
	const char	*cause;
} errors[] = {
	{ "process 'nginx", "filter: col 9: unterminated quoted text: add the "
	    "closing '" },
	{ "(", "filter: col 2: expected a term such as state, sport or dst" },
	{ "state listen and", "filter: col 17: expected a term after 'and'" },
	{ "state listen or", "filter: col 16: expected a term after 'or'" },
	{ "not", "filter: col 4: expected a term after 'not'" },
	{ "state listen )", "filter: col 14: unexpected ')': there is no '(' "
	    "to close" },
	{ "state listen ( )", "filter: col 16: expected a term before ')'" },
	{ "= :80", "filter: col 1: unexpected '=': a comparison follows a term "
	    "such as sport or recv-q" },
	{ "or state listen", "filter: col 1: unexpected 'or': it needs a term "
	    "on its left" },
	{ "( state listen", "filter: col 15: expected ')' to close the '(' at "
	    "col 1" },
	{ "( sport = :80 >= )", "filter: col 15: unexpected '>=': expected "
	    "'and', 'or' or ')'" },
	{ "state", "filter: col 6: expected a state name after 'state'" },
	{ "state sleeping", "filter: col 7: unknown state 'sleeping': use a "
	    "name such as established, close-wait or TIME_WAIT, or a group: "
	    "connected, synchronized, bucket, big, all" },
	{ "sport = :80 or dport = :", "filter: col 25: expected a port after "
	    "':'" },
	{ "sport = :http", "filter: col 10: bad port 'http': use a number from "
	    "0 to 65535 or a service name of /etc/services" },
	{ "dport >", "filter: col 8: expected a port after '>', such as :8080" },
	{ "src 10.0.0.0/", "filter: col 14: expected a prefix length after '/'" },
	{ "dst [2001:db8::]/129", "filter: col 18: bad prefix length '129': "
	    "use 0 to 128" },
	{ "src 10.0.0.256", "filter: col 5: bad IPv4 address '10.0.0.256': "
	    "give an address such as 10.0.0.0/8" },
	{ "src [2001:db8::g]", "filter: col 6: bad IPv6 address '2001:db8::g'" },
	{ "src [::1", "filter: col 9: expected ']' after the IPv6 address" },
	{ "src [::1]x", "filter: col 10: unexpected 'x' after the address: "
	    "expected '/' and a prefix length, or ':' and a port" },
	{ "dst >= 10.0.0.1", "filter: col 5: 'dst' compares addresses with = "
	    "or != only: use sport or dport for port ranges" },
	{ "src", "filter: col 4: expected an address after 'src', such as "
	    "10.0.0.0/8, [2001:db8::1]:443 or :80" },
	{ "age 5m", "filter: col 5: expected a comparison (<, >, <=, >=, =, "
	    "!=) after 'age'" },
	{ "state-age >", "filter: col 12: expected a duration after '>', such "
	    "as 30s, 5m or 2h" },
	{ "age > 5min", "filter: col 7: bad duration '5min': use a number "
	    "and a unit: 500ms, 30s, 5m, 2h, 1d" },
	{ "process < nginx", "filter: col 9: 'process' compares names with = "
	    "or != only" },
	{ "process", "filter: col 8: expected a process name after 'process'" },
	{ "pid =", "filter: col 6: expected a number after '='" },
	{ "recv-q > lots", "filter: col 10: bad number 'lots': use a whole "
	    "number from 0 to 4294967295" },
	{ "sprot = :80", "filter: col 1: unknown term 'sprot': use state, "
	    "exclude, sport, dport, src, dst, age, state-age, process, pid, "
	    "uid, recv-q, send-q or retrans" },
	{ "src 10.0.0.1:", "filter: col 14: expected a port after ':'" },
	{ "src 10.0.0.1:99999", "filter: col 14: bad port '99999': use a number "
	    "from 0 to 65535 or a service name of /etc/services" },
	{ "dst db1", "filter: col 5: unknown host 'db1': give an address such "
	    "as 10.0.0.0/8, or a name the resolver knows" },
	{ "age > 1h30", "filter: col 7: bad duration '1h30': use a number and "
	    "a unit: 500ms, 30s, 5m, 2h, 1d" },
};

static void
test_errors(void **state)
{
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		assert_null(filter_parse(errors[i].text, &cause));
		if (cause == NULL || strcmp(cause, errors[i].cause) != 0)
			fail_msg("'%s' gave '%s', expected '%s'", errors[i].text,
			    cause, errors[i].cause);
		free(cause);
		cause = NULL;
	}
}

static void
test_limits(void **state)
{
	char *text, *cause = NULL;
	size_t i, n;

	(void)state;
	n = FILTER_MAX_DEPTH + 1;
	text = xcalloc(1, 4 * n + 32);
	for (i = 0; i < n; i++)
		strcat(text, "not ");
	strcat(text, "sport = :1");
	assert_null(filter_parse(text, &cause));
	assert_string_equal(cause, "filter: col 257: the filter nests too "
	    "deeply (more than 64 levels of parentheses and 'not')");
	free(cause);
	free(text);

	/* 1366 terms of 3 tokens: token 4097 is the "=" of term 1366. */
	n = FILTER_MAX_TOKENS / 3 + 1;
	text = xcalloc(1, 11 * n + 1);
	for (i = 0; i < n; i++)
		strcat(text, "sport = :1 ");
	assert_null(filter_parse(text, &cause));
	assert_string_equal(cause, "filter: col 15022: the filter is too long "
	    "(more than 4096 words): simplify it");
	free(cause);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_filter_states),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_extras),
		cmocka_unit_test(test_lower_bound),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
