/*
 * test_anomaly.c - each rule on synthetic models: thresholds, hysteresis
 * (raise after N, clear after M, critical to warning to OK) and the three
 * syn-flood verdicts.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "anomaly.h"

struct fixture {
	struct snapshot		snap;
	struct model		m;
	struct anomaly_engine	e;
	struct anomaly_config	cfg;
	struct counters		c;
	struct counter_rates	r;
	time_t			t;
};

static struct fixture fx;

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	snapshot_init(&fx.snap);
	snapshot_want(&fx.snap, 1, 1);
	model_init(&fx.m);
	anomaly_init(&fx.e);
	fx.e.parallel_from = 0;		/* every poll's rules on two threads */
	anomaly_config_defaults(&fx.cfg);
	fx.cfg.raise_after = 1;
	counters_init(&fx.c);
	fx.t = 100000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	anomaly_free(&fx.e);
	model_free(&fx.m);
	snapshot_free(&fx.snap);
	return 0;
}

static void
begin(void)
{
	snapshot_clear(&fx.snap);
	fx.snap.when.tv_sec = fx.t;
	strcpy(fx.snap.boot_id, "test");
}

static struct sock_rec *
sock(uint64_t cookie, int state, uint32_t peer)
{
	size_t i;
	struct sock_rec *s = snapshot_add(&fx.snap, &i);

	memset(s, 0, sizeof *s);
	memset(&fx.snap.info[i], 0, sizeof fx.snap.info[i]);
	memset(&fx.snap.mem[i], 0, sizeof fx.snap.mem[i]);
	s->cookie = cookie;
	s->family = AF_INET;
	s->state = (uint8_t)state;
	s->src[0] = 10;
	s->src[3] = 1;
	s->sport = 80;
	s->dst[0] = (uint8_t)(peer >> 24);
	s->dst[1] = (uint8_t)(peer >> 16);
	s->dst[2] = (uint8_t)(peer >> 8);
	s->dst[3] = (uint8_t)peer;
	s->dport = (uint16_t)(1024 + cookie % 60000);
	s->uid = 33;
	s->inode = state == TS_SYN_RECV ? 0 : (uint32_t)(cookie + 1000);
	return s;
}

static void
listener(uint64_t cookie, uint32_t backlog, uint32_t queue)
{
	struct sock_rec *s = sock(cookie, TS_LISTEN, 0);

	s->wqueue = backlog;
	s->rqueue = queue;
}

/* Finish the poll: model, rules; the clock moves on by step seconds. */
static void
eval(time_t step)
{
	struct anomaly_input in;

	model_update(&fx.m, &fx.snap);
	memset(&in, 0, sizeof in);
	in.model = &fx.m;
	in.counters = &fx.c;
	in.rates = &fx.r;
	anomaly_eval(&fx.e, &fx.cfg, &in);
	fx.t += step;
}

static const struct finding *
shown(const char *rule)
{
	size_t i;

	for (i = 0; i < fx.e.nshown; i++)
		if (strcmp(anomaly_rule_id(fx.e.shown[i]->rule), rule) == 0)
			return fx.e.shown[i];
	return NULL;
}

/* A part of a finding's words as JSON has it. */
static const char *
english(const struct finding *f, enum finding_part part)
{
	static char buf[1024];

	anomaly_text(buf, sizeof buf, f, part, anomaly_english);
	return buf;
}

/* The words of a rule's finding through a translation of them. */
static const char *
zh(const char *msgid, const char *plural, unsigned long n)
{
	if (strcmp(msgid, "%zu connection in CLOSE_WAIT for up to %s") == 0)
		return "%zu 个连接处于 CLOSE_WAIT 状态，最长已达 %s";
	if (strcmp(msgid, "%zu connection in CLOSE_WAIT for at least %s") == 0)
		return "%zu 个连接处于 CLOSE_WAIT 状态，最久的至少 %s";
	return plural != NULL && n != 1 ? plural : msgid;
}

static const char *
chinese(const struct finding *f, enum finding_part part)
{
	static char buf[1024];

	anomaly_text(buf, sizeof buf, f, part, zh);
	return buf;
}

static const struct evidence *
evidence(const struct finding *f, const char *key)
{
	int i;

	for (i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].key, key) == 0)
			return &f->ev[i];
	fail_msg("no evidence %s", key);
	return NULL;
}

/* A listener of backlog 100 and n half-open requests. */
static void
syn_poll(int n, int spread, int unanswered)
{
	int i;

	begin();
	listener(1, 100, 0);
	for (i = 0; i < n; i++) {
		uint32_t peer = spread ? (uint32_t)(0x0b000000 + (i << 8) + 5) :
		    0xc0000205;
		struct sock_rec *s = sock(1000 + (uint64_t)i, TS_SYN_RECV, peer);

		s->retrans = unanswered ? 1 : 0;
	}
	eval(1);
}

/*
 * The table describes every rule, and each stays at the index the state
 * file stores for it: rules are appended, never moved (anomaly.h).
 */
static void
test_rule_table(void **state)
{
	static const char *const order[RULE_COUNT] = {
		"syn-flood", "accept-queue", "close-wait", "fin-wait2",
		"orphans", "time-wait", "retransmits", "zero-window",
		"dead-peer",
	};
	const struct anomaly_rule *rules = anomaly_rules();
	int r;

	(void)state;
	for (r = 0; r < RULE_COUNT; r++) {
		assert_non_null(rules[r].id);
		assert_string_equal(rules[r].id, order[r]);
		assert_int_equal(anomaly_rule_index(order[r]), r);
		assert_non_null(rules[r].check);
		assert_non_null(rules[r].params);
		assert_non_null(rules[r].doc);
		assert_non_null(rules[r].explain);
	}
	assert_int_equal(anomaly_rule_index("dead-peer"), RULE_DEAD_PEER);
}

/* Each rule names the sockets whose tcp_info it reads; off, it asks none. */
static void
test_rule_wants_info(void **state)
{
	struct anomaly_config cfg;
	struct sock_rec s;

	(void)state;
	anomaly_config_defaults(&cfg);
	memset(&s, 0, sizeof s);
	s.state = TS_ESTABLISHED;
	s.inode = 1;
	assert_false(anomaly_wants_info(&cfg, &s, 1));
	s.timer = TIMER_KEEPALIVE;
	s.retrans = 2;			/* unanswered keepalives */
	assert_true(anomaly_wants_info(&cfg, &s, 1));
	cfg.enabled[RULE_DEAD_PEER] = 0;
	assert_false(anomaly_wants_info(&cfg, &s, 1));
	s.timer = TIMER_NONE;
	s.retrans = 0;
	s.state = TS_FIN_WAIT2;
	assert_true(anomaly_wants_info(&cfg, &s, 1));
	assert_false(anomaly_wants_info(&cfg, &s, 0));	/* tracked: its age */
	cfg.enabled[RULE_FIN_WAIT2] = 0;
	assert_false(anomaly_wants_info(&cfg, &s, 1));
	s.state = TS_LISTEN;
	s.wqueue = 128;			/* a backlog, not data to send */
	assert_false(anomaly_wants_info(&cfg, &s, 1));
}

static void
test_syn_flood_spoofed(void **state)
{
	const struct finding *f;

	(void)state;
	fx.cfg.raise_after = 2;
	syn_poll(95, 1, 1);
	assert_null(shown("syn-flood"));	/* one poll is not enough */
	syn_poll(95, 1, 1);
	assert_non_null(f = shown("syn-flood"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(evidence(f, "verdict")->text, "spoofed");
	assert_true(evidence(f, "entropy")->num > 0.9);
	assert_true(evidence(f, "unanswered_share")->num > 0.99);
	assert_int_equal((int)evidence(f, "distinct_prefixes")->num, 95);
	assert_string_equal(f->subject, "listener 10.0.0.1:80");
}

static void
test_syn_flood_concentrated(void **state)
{
	const struct finding *f;

	(void)state;
	syn_poll(60, 0, 1);
	assert_non_null(f = shown("syn-flood"));
	assert_int_equal(f->severity, SEV_WARNING);	/* 60 % of backlog */
	assert_string_equal(evidence(f, "verdict")->text, "concentrated");
	assert_non_null(strstr(evidence(f, "top_prefixes")->text,
	    "192.0.2.0/24 100.0%"));
}

static void
test_syn_flood_flash_crowd(void **state)
{
	(void)state;
	syn_poll(95, 1, 0);		/* handshakes complete */
	assert_null(shown("syn-flood"));
	syn_poll(95, 1, 0);
	assert_null(shown("syn-flood"));
}

static void
test_syn_flood_thresholds(void **state)
{
	(void)state;
	syn_poll(40, 1, 1);		/* 40 % of the backlog */
	assert_null(shown("syn-flood"));
	fx.cfg.param[anomaly_rule_index("syn-flood")][
	    anomaly_param_index(anomaly_rule_index("syn-flood"),
	    "warning_share")] = 0.3;
	syn_poll(40, 1, 1);
	assert_non_null(shown("syn-flood"));
	assert_int_equal(shown("syn-flood")->severity, SEV_WARNING);
}

static void
test_syn_flood_min(void **state)
{
	int i;

	(void)state;
	begin();
	listener(1, 10, 0);
	for (i = 0; i < 10; i++)
		sock(100 + (uint64_t)i, TS_SYN_RECV,
		    0x0b000000 + (uint32_t)(i << 8))->retrans = 2;
	eval(1);
	assert_null(shown("syn-flood"));	/* full, but fewer than 16 */
}

/* Raise after 2, lower one level after 3 polls below the clear level. */
static void
test_hysteresis(void **state)
{
	int i;

	(void)state;
	fx.cfg.raise_after = 2;
	fx.cfg.clear_after = 3;
	for (i = 0; i < 2; i++) {
		begin();
		listener(1, 10, 11);	/* overflowing: critical */
		eval(1);
	}
	assert_int_equal(shown("accept-queue")->severity, SEV_CRITICAL);
	for (i = 0; i < 2; i++) {
		begin();
		listener(1, 10, 0);
		eval(1);
		assert_int_equal(shown("accept-queue")->severity, SEV_CRITICAL);
	}
	begin();
	listener(1, 10, 0);
	eval(1);
	assert_int_equal(shown("accept-queue")->severity, SEV_WARNING);
	/* Between the clear and the raise level: held at warning. */
	for (i = 0; i < 5; i++) {
		begin();
		listener(1, 10, 7);	/* 70 %: above 0.8 * 80 % */
		eval(1);
		assert_int_equal(shown("accept-queue")->severity, SEV_WARNING);
	}
	for (i = 0; i < 2; i++) {
		begin();
		listener(1, 10, 0);
		eval(1);
		assert_non_null(shown("accept-queue"));
	}
	begin();
	listener(1, 10, 0);
	eval(1);
	assert_null(shown("accept-queue"));
	assert_int_equal(fx.e.ntracks, 0);	/* forgotten */
	assert_int_equal(anomaly_worst(&fx.e), SEV_OK);
}

static void
test_accept_queue(void **state)
{
	const struct finding *f;

	(void)state;
	begin();
	listener(1, 64, 52);	/* 81 % */
	eval(1);
	assert_non_null(f = shown("accept-queue"));
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(english(f, FINDING_ADVICE),
	    "raise the listen() backlog"));
	assert_int_equal((int)evidence(f, "accept_queue")->num, 52);
	begin();
	listener(1, 512, 100);
	eval(1);
	/* held, not raised: 20 % is below the clear level */
	begin();
	listener(1, 512, 100);
	eval(1);
	begin();
	listener(1, 512, 100);
	eval(1);
	assert_null(shown("accept-queue"));
}

static void
test_accept_queue_drops(void **state)
{
	struct sock_rec *s;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		begin();
		s = sock(1, TS_LISTEN, 0);
		s->wqueue = 512;
		s->flags |= SOCK_HAS_MEM;
		fx.snap.mem[0].drops = (uint32_t)(i * 100);	/* 50/s */
		eval(2);
	}
	assert_int_equal(shown("accept-queue")->severity, SEV_CRITICAL);
}

/*
 * A SYN flood without syncookies makes a listener drop SYNs while its
 * accept queue is empty: with ListenOverflows still, those drops are the
 * SYN queue's, not the accept queue's. When it rises, they are.
 */
static void
test_accept_queue_drops_syn_queue(void **state)
{
	struct sock_rec *s;
	int overflows, i;

	(void)state;
	for (overflows = 0; overflows <= 1; overflows++) {
		for (i = 0; i < 3; i++) {
			begin();
			s = sock(1, TS_LISTEN, 0);
			s->wqueue = 512;
			s->flags |= SOCK_HAS_MEM;
			fx.snap.mem[0].drops = (uint32_t)((overflows * 3 + i) *
			    100);		/* 50/s */
			fx.r.known |= 1u << CTR_LISTEN_OVERFLOWS;
			fx.r.delta[CTR_LISTEN_OVERFLOWS] =
			    (uint64_t)(overflows * 100);
			eval(2);
		}
		if (overflows)
			assert_int_equal(shown("accept-queue")->severity,
			    SEV_CRITICAL);
		else
			assert_null(shown("accept-queue"));
	}
}

static void
close_wait_polls(int n, uint32_t rqueue, time_t gap)
{
	int p, i;

	for (p = 0; p < 2; p++) {
		begin();
		for (i = 0; i < n; i++)
			sock(500 + (uint64_t)i, TS_CLOSE_WAIT, 0x0a000002)->rqueue =
			    rqueue;
		eval(gap);
	}
}

static void
test_close_wait(void **state)
{
	const struct finding *f;
	int i;

	(void)state;
	close_wait_polls(12, 1, 30);	/* only 30 s old */
	assert_null(shown("close-wait"));
	close_wait_polls(12, 1, 40);	/* now 100 s */
	assert_non_null(f = shown("close-wait"));
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->subject, "uid 33");
	assert_int_equal((int)evidence(f, "count")->num, 12);
	assert_int_equal((int)evidence(f, "never_closed")->num, 12);
	/* Seen from the model's first poll on: a lower bound, said so. */
	assert_string_equal(english(f, FINDING_SUMMARY),
	    "12 connections in CLOSE_WAIT, the oldest for at least 1m40s");
	assert_string_equal(chinese(f, FINDING_SUMMARY),
	    "12 个连接处于 CLOSE_WAIT 状态，最久的至少 1m40s");
	for (i = 0; i < f->nev; i++)	/* no exact age it cannot know */
		assert_string_not_equal(f->ev[i].key, "oldest_s");
	assert_int_equal((int)evidence(f, "oldest_at_least_s")->num, 100);
	assert_string_equal(english(f, FINDING_CAUSE),
	    "the peer closed; the process has not called close()");
}

static void
test_close_wait_critical(void **state)
{
	const struct finding *f;

	(void)state;
	close_wait_polls(120, 4000, 70);
	assert_non_null(f = shown("close-wait"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(strstr(english(f, FINDING_CAUSE), "stopped reading"));
}

static void
test_fin_wait2(void **state)
{
	int p, i;

	(void)state;
	for (p = 0; p < 3; p++) {
		begin();
		for (i = 0; i < 11; i++)
			sock(700 + (uint64_t)i, TS_FIN_WAIT2, 0x0a000003);
		eval(70);
	}
	assert_non_null(shown("fin-wait2"));
	assert_int_equal(shown("fin-wait2")->severity, SEV_WARNING);
}

static void
test_orphans(void **state)
{
	struct sock_rec *s;

	(void)state;
	fx.c.sys[SYS_MAX_ORPHANS] = 100;
	fx.c.sys_known |= 1u << SYS_MAX_ORPHANS;
	fx.c.v[CTR_ORPHANS] = 20;
	fx.c.known |= 1u << CTR_ORPHANS;
	begin();
	sock(1, TS_ESTABLISHED, 0x0a000004);
	eval(1);
	assert_null(shown("orphans"));
	fx.c.v[CTR_ORPHANS] = 30;
	begin();
	eval(1);
	assert_int_equal(shown("orphans")->severity, SEV_WARNING);
	fx.c.v[CTR_ORPHANS] = 60;
	begin();
	eval(1);
	assert_int_equal(shown("orphans")->severity, SEV_CRITICAL);
	/* a stuck orphan alone is a warning */
	anomaly_free(&fx.e);
	anomaly_init(&fx.e);
	fx.c.v[CTR_ORPHANS] = 1;
	begin();
	s = sock(9, TS_LAST_ACK, 0x0a000005);
	s->inode = 0;
	s->retrans = 4;
	eval(1);
	assert_int_equal(shown("orphans")->severity, SEV_WARNING);
	assert_int_equal((int)evidence(shown("orphans"), "stuck")->num, 1);
}

static void
time_wait_poll(int n)
{
	struct sock_rec *s;
	int i;

	begin();
	for (i = 0; i < n; i++) {
		s = sock(2000 + (uint64_t)i, i % 2 ? TS_TIME_WAIT : TS_ESTABLISHED,
		    0x0a000009);
		s->sport = (uint16_t)(1000 + i);
		s->dport = 443;
	}
	eval(1);
}

static void
test_time_wait(void **state)
{
	const struct finding *f;

	(void)state;
	fx.c.sys[SYS_PORT_LOW] = 1000;
	fx.c.sys[SYS_PORT_HIGH] = 1099;
	fx.c.sys_known |= 1u << SYS_PORT_LOW | 1u << SYS_PORT_HIGH;
	time_wait_poll(30);
	assert_null(shown("time-wait"));
	time_wait_poll(60);
	assert_non_null(f = shown("time-wait"));
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->subject, "10.0.0.1 -> 10.0.0.9:443");
	assert_int_equal((int)evidence(f, "time_wait")->num, 30);
	assert_int_equal((int)evidence(f, "usable_ports")->num, 100);
	time_wait_poll(85);
	assert_int_equal(shown("time-wait")->severity, SEV_CRITICAL);
}

static void
test_retransmits(void **state)
{
	struct sock_rec *s;

	(void)state;
	begin();
	s = sock(1, TS_ESTABLISHED, 0x0a000007);
	s->flags |= SOCK_HAS_INFO;
	fx.snap.info[0].retransmits = 4;
	eval(1);
	assert_int_equal(shown("retransmits")->severity, SEV_WARNING);
	assert_string_equal(shown("retransmits")->subject, "peers 10.0.0.0/24");
	begin();
	s = sock(1, TS_ESTABLISHED, 0x0a000007);
	s->flags |= SOCK_HAS_INFO;
	fx.snap.info[0].retransmits = 7;
	eval(1);
	assert_int_equal(shown("retransmits")->severity, SEV_CRITICAL);
}

static void
test_retransmits_system(void **state)
{
	(void)state;
	fx.r.seconds = 60;
	fx.r.known = 1u << CTR_OUT_SEGS | 1u << CTR_RETRANS_SEGS;
	fx.r.delta[CTR_OUT_SEGS] = 600;		/* too few to judge */
	fx.r.rate[CTR_OUT_SEGS] = 10;
	fx.r.delta[CTR_RETRANS_SEGS] = 300;
	begin();
	eval(1);
	assert_null(shown("retransmits"));
	fx.r.delta[CTR_OUT_SEGS] = 10000;
	fx.r.rate[CTR_OUT_SEGS] = 10000 / 60.0;
	fx.r.delta[CTR_RETRANS_SEGS] = 500;	/* 5 % */
	begin();
	eval(1);
	assert_int_equal(shown("retransmits")->severity, SEV_WARNING);
	fx.r.delta[CTR_RETRANS_SEGS] = 1500;
	begin();
	eval(1);
	assert_int_equal(shown("retransmits")->severity, SEV_CRITICAL);
}

static void
test_zero_window(void **state)
{
	struct sock_rec *s;
	const struct finding *f;
	int p;

	(void)state;
	begin();
	s = sock(1, TS_ESTABLISHED, 0x0a000008);
	s->timer = TIMER_PROBE;
	s->retrans = 2;
	s->wqueue = 5000;
	eval(1);
	assert_non_null(f = shown("zero-window"));
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(evidence(f, "side")->text, "peer");
	s = &fx.snap.socks[0];
	begin();
	s = sock(1, TS_ESTABLISHED, 0x0a000008);
	s->timer = TIMER_PROBE;
	s->retrans = 7;
	eval(1);
	assert_int_equal(shown("zero-window")->severity, SEV_CRITICAL);

	anomaly_free(&fx.e);
	anomaly_init(&fx.e);
	for (p = 0; p < 3; p++) {
		begin();
		sock(2, TS_ESTABLISHED, 0x0a000008)->rqueue = 65536;
		eval(20);
	}
	assert_non_null(f = shown("zero-window"));
	assert_string_equal(evidence(f, "side")->text, "local");
	assert_non_null(strstr(english(f, FINDING_CAUSE),
	    "our process is not reading"));
}

/*
 * A finding held by hysteresis quotes this poll's numbers and says it is
 * clearing; once its subject is gone it keeps no number at all.
 */
static void
test_held_present_tense(void **state)
{
	const struct finding *f;
	int i;

	(void)state;
	fx.cfg.raise_after = 2;
	for (i = 0; i < 2; i++) {
		begin();
		listener(1, 10, 11);
		eval(1);
	}
	assert_non_null(f = shown("accept-queue"));
	assert_false(anomaly_clearing(f));
	begin();
	listener(1, 10, 0);
	eval(1);
	assert_non_null(f = shown("accept-queue"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(anomaly_clearing(f));
	assert_int_equal((int)evidence(f, "accept_queue")->num, 0);
	begin();			/* the listener is gone */
	eval(1);
	assert_non_null(f = shown("accept-queue"));
	assert_true(anomaly_clearing(f));
	assert_int_equal(f->nev, 0);
	assert_string_equal(english(f, FINDING_SUMMARY),
	    "no longer seen; clearing");
}

/*
 * Sockets past an age threshold prove the condition has lasted: the first
 * poll that sees them raises, whatever raise_after says; a count needs a
 * second poll, which anomaly_pending announces.
 */
static void
test_durable_raises_at_once(void **state)
{
	int i;

	(void)state;
	fx.cfg.raise_after = 2;
	fx.t += 100;
	begin();
	for (i = 0; i < 12; i++)
		sock(500 + (uint64_t)i, TS_CLOSE_WAIT, 0x0a000002)->rqueue = 1;
	listener(1, 10, 11);
	fx.snap.info[0].last_ack_recv_ms = 90000;	/* in it for 90 s */
	for (i = 0; i < 12; i++) {
		fx.snap.socks[i].flags |= SOCK_HAS_INFO;
		fx.snap.info[i].last_ack_recv_ms = 90000;
	}
	eval(1);
	assert_non_null(shown("close-wait"));
	assert_null(shown("accept-queue"));
	assert_int_equal(anomaly_pending(&fx.e), 1);
}

/* A one-off report shows what its poll sees. */
static void
test_raise_at_once(void **state)
{
	(void)state;
	fx.cfg.raise_after = 2;
	begin();
	listener(1, 10, 11);
	anomaly_raise_at_once(&fx.e);
	eval(1);
	assert_non_null(shown("accept-queue"));
	assert_int_equal(anomaly_pending(&fx.e), 0);
	begin();			/* once only */
	listener(1, 10, 11);
	listener(2, 10, 11);
	fx.snap.socks[1].sport = 81;
	eval(1);
	assert_int_equal(fx.e.nshown, 1);
	assert_int_equal(anomaly_pending(&fx.e), 1);
}

static void
test_disabled(void **state)
{
	(void)state;
	fx.cfg.enabled[anomaly_rule_index("accept-queue")] = 0;
	begin();
	listener(1, 10, 11);
	eval(1);
	assert_null(shown("accept-queue"));
}


/* Sysctls as the kernel would report them. */
static void
sysctl_set(enum sysctl_id id, int64_t v)
{
	fx.c.sys[id] = v;
	fx.c.sys_known |= 1u << id;
}

static void
rate_set(enum counter_id id, uint64_t delta)
{
	fx.r.seconds = 1;
	fx.r.delta[id] = delta;
	fx.r.rate[id] = (double)delta;
	fx.r.known |= 1u << id;
}

static int
has_evidence(const struct finding *f, const char *key)
{
	int i;

	for (i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].key, key) == 0)
			return 1;
	return 0;
}

/*
 * A flash crowd from one client host: its half-open requests (SYN-ACKs
 * sent again: the full accept queue dropped their ACKs) come from the
 * address that already holds completed connections to the listener.
 */
static void
test_syn_flood_real_clients(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		int j;

		begin();
		listener(1, 64, 65);
		for (j = 0; j < 64; j++)
			sock(1000 + (uint64_t)j, TS_SYN_RECV, 0x0a000002)->retrans = 1;
		for (j = 0; j < 40; j++)
			sock(5000 + (uint64_t)j, TS_ESTABLISHED, 0x0a000002);
		eval(1);
	}
	assert_null(shown("syn-flood"));
	assert_non_null(shown("accept-queue"));
}

/* The same requests from an address with no completed connection. */
static void
test_syn_flood_concentrated_unknown(void **state)
{
	int j;

	(void)state;
	begin();
	listener(1, 64, 0);
	for (j = 0; j < 64; j++)
		sock(1000 + (uint64_t)j, TS_SYN_RECV, 0x0a000002)->retrans = 1;
	sock(5000, TS_ESTABLISHED, 0x0a000009);
	eval(1);
	assert_non_null(shown("syn-flood"));
	assert_string_equal(evidence(shown("syn-flood"), "verdict")->text,
	    "concentrated");
	assert_true(evidence(shown("syn-flood"), "completed_share")->num == 0);
}

/* System level: cookies that come back are real clients, no flood. */
static void
test_syn_flood_system_cookies(void **state)
{
	const struct finding *f;

	(void)state;
	sysctl_set(SYS_SYNCOOKIES, 1);
	rate_set(CTR_SYNCOOKIES_SENT, 1558);
	rate_set(CTR_SYNCOOKIES_RECV, 11096);
	rate_set(CTR_SYNCOOKIES_FAILED, 0);
	begin();
	eval(1);
	assert_null(shown("syn-flood"));
	rate_set(CTR_SYNCOOKIES_SENT, 400);
	rate_set(CTR_SYNCOOKIES_RECV, 0);
	begin();
	eval(1);
	assert_non_null(f = shown("syn-flood"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(f->subject, "system");
	assert_non_null(strstr(english(f, FINDING_ADVICE),
	    "keep net.ipv4.tcp_syncookies=1"));
}

/* Without cookies, SYNs dropped while handshakes complete: load. */
static void
test_syn_flood_system_no_cookies(void **state)
{
	const struct finding *f;

	(void)state;
	sysctl_set(SYS_SYNCOOKIES, 0);
	rate_set(CTR_SYNCOOKIES_SENT, 0);
	rate_set(CTR_REQQ_FULL_DROP, 300);
	rate_set(CTR_PASSIVE_OPENS, 900);
	begin();
	eval(1);
	assert_null(shown("syn-flood"));
	rate_set(CTR_PASSIVE_OPENS, 2);
	begin();
	eval(1);
	assert_non_null(f = shown("syn-flood"));
	assert_non_null(strstr(english(f, FINDING_ADVICE),
	    "turn on net.ipv4.tcp_syncookies=1 (it is 0)"));
}

/* A listener flood with syncookies off: the advice turns them on. */
static void
test_syn_flood_cookies_off(void **state)
{
	const struct finding *f;

	(void)state;
	sysctl_set(SYS_SYNCOOKIES, 0);
	syn_poll(95, 1, 1);
	assert_non_null(f = shown("syn-flood"));
	assert_non_null(strstr(english(f, FINDING_ADVICE),
	    "turn on net.ipv4.tcp_syncookies=1 (it is 0)"));
	assert_null(strstr(english(f, FINDING_ADVICE), "keep"));
}

/* Advice from the values: the backlog, or somaxconn when it caps it. */
static void
test_accept_queue_advice(void **state)
{
	const struct finding *f;

	(void)state;
	sysctl_set(SYS_SOMAXCONN, 4096);
	begin();
	listener(1, 4, 5);
	eval(1);
	assert_non_null(f = shown("accept-queue"));
	assert_non_null(strstr(english(f, FINDING_ADVICE),
	    "raise the listen() backlog of the process (it is 4; "
	    "net.core.somaxconn allows 4096)"));
	assert_null(strstr(english(f, FINDING_ADVICE), "raise net.core"));
	anomaly_free(&fx.e);
	anomaly_init(&fx.e);
	sysctl_set(SYS_SOMAXCONN, 64);
	begin();
	listener(1, 64, 65);
	eval(1);
	assert_non_null(strstr(english(shown("accept-queue"), FINDING_ADVICE),
	    "raise net.core.somaxconn (it is 64"));
}

/*
 * A connection waiting a long time in the accept queue (no file yet):
 * the process accepts nothing, a hung acceptor, even with a small queue.
 */
static void
test_accept_queue_hung(void **state)
{
	const struct finding *f;
	struct sock_rec *s;
	int p;

	(void)state;
	for (p = 0; p < 3; p++) {
		begin();
		listener(1, 128, 2);
		s = sock(7, TS_ESTABLISHED, 0x0a000002);
		s->inode = 0;
		s->sport = 80;
		s = sock(8, TS_ESTABLISHED, 0x0a000002);
		s->inode = 0;
		eval(40);
	}
	assert_non_null(f = shown("accept-queue"));
	assert_string_equal(evidence(f, "acceptor")->text, "hung");
	assert_true(evidence(f, "oldest_waiting_s")->num >= 60);
	assert_non_null(strstr(english(f, FINDING_CAUSE), "a hung acceptor"));
	assert_non_null(strstr(english(f, FINDING_ADVICE), "strace"));
}

/*
 * SYN_SENT toward a full listener of this host: not retransmits, the
 * listener's finding counts them; no time since an ACK never received.
 */
static void
test_retransmits_local_listener(void **state)
{
	const struct finding *f;
	struct sock_rec *s;
	int i;

	(void)state;
	begin();
	listener(1, 4, 5);
	for (i = 0; i < 3; i++) {
		s = sock(10 + (uint64_t)i, TS_SYN_SENT, 0x0a000001);
		s->dport = 80;		/* to 10.0.0.1:80, from 10.0.0.1 */
		s->sport = (uint16_t)(40000 + i);
		s->flags |= SOCK_HAS_INFO;
		fx.snap.info[fx.snap.n - 1].retransmits = 4;
		fx.snap.info[fx.snap.n - 1].last_ack_recv_ms = 1211544;
	}
	eval(1);
	assert_null(shown("retransmits"));
	assert_non_null(f = shown("accept-queue"));
	assert_int_equal((int)evidence(f, "local_clients_waiting")->num, 3);
	assert_non_null(strstr(english(f, FINDING_CAUSE),
	    "3 local clients wait on this full listener"));

	/* A remote destination that does not answer is retransmits. */
	anomaly_free(&fx.e);
	anomaly_init(&fx.e);
	begin();
	s = sock(20, TS_SYN_SENT, 0xc0000201);
	s->flags |= SOCK_HAS_INFO;
	fx.snap.info[0].retransmits = 4;
	fx.snap.info[0].last_ack_recv_ms = 1211544;
	eval(1);
	assert_non_null(f = shown("retransmits"));
	assert_false(has_evidence(f, "last_ack_recv_ms"));
}

/* SYN-ACKs sent again are the server's, not loss on the path. */
static void
test_retransmits_system_synack(void **state)
{
	(void)state;
	fx.r.seconds = 60;
	rate_set(CTR_OUT_SEGS, 30000);
	fx.r.rate[CTR_OUT_SEGS] = 500;
	fx.r.seconds = 60;
	rate_set(CTR_RETRANS_SEGS, 12000);
	rate_set(CTR_SYN_RETRANS, 11900);
	fx.r.seconds = 60;
	begin();
	eval(1);
	assert_null(shown("retransmits"));
	rate_set(CTR_SYN_RETRANS, 0);
	fx.r.seconds = 60;
	begin();
	eval(1);
	assert_non_null(shown("retransmits"));
}

/* Keepalive probes unanswered: warning at 3, critical at 6. */
static void
dead_poll(unsigned probes, int timer)
{
	struct sock_rec *s;

	begin();
	s = sock(1, TS_ESTABLISHED, 0x0a000007);
	s->timer = (uint8_t)timer;
	s->retrans = (uint8_t)probes;
	s = sock(2, TS_ESTABLISHED, 0x0a000007);
	s->timer = (uint8_t)timer;
	s->retrans = 1;
	eval(1);
}

static void
test_dead_peer(void **state)
{
	const struct finding *f;

	(void)state;
	sysctl_set(SYS_KEEPALIVE_PROBES, 9);
	dead_poll(2, TIMER_KEEPALIVE);
	assert_null(shown("dead-peer"));
	dead_poll(3, TIMER_KEEPALIVE);
	assert_non_null(f = shown("dead-peer"));
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->subject, "peer 10.0.0.7");
	assert_string_equal(evidence(f, "timer")->text, "keepalive");
	assert_int_equal((int)evidence(f, "probes")->num, 3);
	assert_string_equal(evidence(f, "process")->text, "uid 33");
	assert_string_equal(english(f, FINDING_SUMMARY),
	    "10.0.0.7 has not answered 3 keepalive probes (1 connection)");
	dead_poll(6, TIMER_KEEPALIVE);
	assert_int_equal(shown("dead-peer")->severity, SEV_CRITICAL);

	anomaly_free(&fx.e);
	anomaly_init(&fx.e);
	dead_poll(4, TIMER_PROBE);
	assert_string_equal(evidence(shown("dead-peer"), "timer")->text,
	    "zero-window");
}

/* Data retransmitted to a peer that acknowledged nothing for a while. */
static void
test_dead_peer_data(void **state)
{
	struct sock_rec *s;
	int silent;

	(void)state;
	for (silent = 0; silent < 2; silent++) {
		anomaly_free(&fx.e);
		anomaly_init(&fx.e);
		begin();
		s = sock(1, TS_ESTABLISHED, 0x0a000007);
		s->timer = TIMER_RETRANS;
		s->retrans = 4;
		s->flags |= SOCK_HAS_INFO;
		fx.snap.info[0].retransmits = 4;
		fx.snap.info[0].backoff = 4;
		fx.snap.info[0].last_ack_recv_ms = silent ? 20000 : 2000;
		eval(1);
		if (silent) {
			assert_non_null(shown("dead-peer"));
			assert_string_equal(evidence(shown("dead-peer"),
			    "timer")->text, "retransmit");
		} else
			assert_null(shown("dead-peer"));
	}
}

/* A finding's identity is what the kernel shows: the uid, not -p. */
static void
test_close_wait_key(void **state)
{
	int p;

	(void)state;
	fx.cfg.param[anomaly_rule_index("close-wait")][0] = 0;
	for (p = 0; p < 2; p++) {
		int i;

		begin();
		for (i = 0; i < 12; i++)
			sock(100 + (uint64_t)i, TS_CLOSE_WAIT, 0x0a000007);
		eval(1);
	}
	assert_non_null(shown("close-wait"));
	assert_string_equal(shown("close-wait")->key, "uid 33");
	assert_string_equal(shown("close-wait")->subject, "uid 33");
}

/* Polls that four rules raise on: old CLOSE_WAIT and FIN_WAIT2, a
   retransmitting and a dead peer. */
static void
mixed_polls(size_t parallel_from)
{
	struct sock_rec *s;
	int p, i;

	fx.e.parallel_from = parallel_from;
	for (p = 0; p < 3; p++) {
		begin();
		for (i = 0; i < 12; i++)
			sock(500 + (uint64_t)i, TS_CLOSE_WAIT, 0x0a000002);
		for (i = 0; i < 11; i++)
			sock(700 + (uint64_t)i, TS_FIN_WAIT2, 0x0a000003);
		s = sock(900, TS_ESTABLISHED, 0x0a000007);
		s->flags |= SOCK_HAS_INFO;
		fx.snap.info[s - fx.snap.socks].retransmits = 4;
		s = sock(901, TS_ESTABLISHED, 0x0a000008);
		s->timer = TIMER_KEEPALIVE;
		s->retrans = 9;
		eval(70);
	}
}

/*
 * The proposals of rules run on two threads come in the table's order,
 * as those of one thread: the same findings, in the same order.
 */
static void
test_parallel_order(void **state)
{
	struct finding one[16];
	size_t n, i;

	(void)state;
	mixed_polls(SIZE_MAX);
	n = fx.e.ncand;
	assert_in_range(n, 4, 16);
	memcpy(one, fx.e.cand, n * sizeof *one);
	teardown(NULL);
	setup(NULL);
	mixed_polls(0);
	assert_int_equal(fx.e.ncand, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(fx.e.cand[i].rule, one[i].rule);
		assert_string_equal(fx.e.cand[i].key, one[i].key);
		assert_int_equal(fx.e.cand[i].raise, one[i].raise);
		if (i > 0)
			assert_true(one[i].rule >= one[i - 1].rule);
	}
	assert_true(one[n - 1].rule > one[0].rule);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_rule_table),
		T(test_rule_wants_info),
		T(test_parallel_order),
		T(test_syn_flood_spoofed),
		T(test_syn_flood_concentrated),
		T(test_syn_flood_flash_crowd),
		T(test_syn_flood_thresholds),
		T(test_syn_flood_min),
		T(test_hysteresis),
		T(test_accept_queue),
		T(test_accept_queue_drops),
		T(test_accept_queue_drops_syn_queue),
		T(test_close_wait),
		T(test_close_wait_critical),
		T(test_fin_wait2),
		T(test_orphans),
		T(test_time_wait),
		T(test_retransmits),
		T(test_retransmits_system),
		T(test_zero_window),
		T(test_held_present_tense),
		T(test_durable_raises_at_once),
		T(test_raise_at_once),
		T(test_disabled),
		T(test_syn_flood_real_clients),
		T(test_syn_flood_concentrated_unknown),
		T(test_syn_flood_system_cookies),
		T(test_syn_flood_system_no_cookies),
		T(test_syn_flood_cookies_off),
		T(test_accept_queue_advice),
		T(test_accept_queue_hung),
		T(test_retransmits_local_listener),
		T(test_retransmits_system_synack),
		T(test_dead_peer),
		T(test_dead_peer_data),
		T(test_close_wait_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
