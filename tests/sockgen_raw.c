/*
 * sockgen_raw.c - SYNs from many source addresses, sent through a raw
 * socket (root), in the current namespace:
 *
 *   sockgen synflood --dst A --port P: spoofed SYNs whose SYN-ACKs nobody
 *     answers, --rate a second (0: as fast as it goes), --count at most;
 *   sockgen crowd --dst A --port P: a flash crowd of slow but real
 *     clients: SYNs from --sources addresses, --rate a second, each
 *     SYN-ACK (read from --ifname with a packet socket) answered with the
 *     handshake's ACK --delay seconds later.
 *
 * Sources are random in 10.0.0.0/8 below 10.200.0.0, so never the test
 * link 10.201.0.0/24: the test routes them into its own namespaces, where
 * nftables drops the SYN-ACKs before the kernel could reset them. Both end
 * after --count SYNs or --seconds, and tell on stderr what they did.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>

#include "sockgen.h"

/*
 * One handshake of ours: the SYN's source and sequence number, and once
 * the SYN-ACK came, what the ACK acknowledges and when it goes out.
 */
struct syn {
	uint32_t	src;	/* network order, as the port */
	uint16_t	sport;
	uint32_t	seq;
	uint32_t	ack;
	double		due;
};

static uint64_t rng;

/* splitmix64: the same seed, the same SYNs. */
static uint32_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(((uint64_t)rnd() * n) >> 32);
}

/* 10.a.b.c with a below 200 (the test link is 10.201.0.0/24), c 1..254. */
static uint32_t
random_source(void)
{
	return htonl(10U << 24 | rnd_below(200) << 16 | rnd_below(256) << 8 |
	    (1 + rnd_below(254)));
}

static uint16_t
random_port(void)
{
	return htons((uint16_t)(1024 + rnd_below(65535 - 1024)));
}

/* The Internet checksum (RFC 1071): 16-bit words summed, then folded. */
static uint32_t
sum16(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len % 2)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* An IPv4 packet with a TCP header and no options, checksums computed. */
struct packet {
	struct iphdr	ip;
	struct tcphdr	tcp;
};

/* What the TCP checksum covers of the IP header. */
struct pseudo_header {
	uint32_t	src, dst;
	uint8_t		zero, proto;
	uint16_t	len;
};

/* A SYN, or the ACK that completes its handshake. */
static void
make_packet(struct packet *pk, const struct syn *s, uint32_t dst,
    uint16_t dport, uint8_t flags)
{
	struct pseudo_header ph = { .src = s->src, .dst = dst,
	    .proto = IPPROTO_TCP, .len = htons(sizeof pk->tcp) };

	memset(pk, 0, sizeof *pk);
	pk->tcp.th_sport = s->sport;
	pk->tcp.th_dport = dport;
	pk->tcp.th_seq = htonl(flags & TH_ACK ? s->seq + 1 : s->seq);
	pk->tcp.th_ack = htonl(s->ack);
	pk->tcp.th_off = sizeof pk->tcp / 4;
	pk->tcp.th_flags = flags;
	pk->tcp.th_win = htons(65535);
	pk->tcp.th_sum = fold(sum16(&pk->tcp, sizeof pk->tcp,
	    sum16(&ph, sizeof ph, 0)));
	pk->ip.version = 4;
	pk->ip.ihl = sizeof pk->ip / 4;
	pk->ip.tot_len = htons(sizeof *pk);
	pk->ip.ttl = 64;
	pk->ip.protocol = IPPROTO_TCP;
	pk->ip.saddr = s->src;
	pk->ip.daddr = dst;
	pk->ip.check = fold(sum16(&pk->ip, sizeof pk->ip, 0));
}

static int
raw_sender(void)
{
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one) < 0)
		sockgen_die("raw socket: %s: run as root", strerror(errno));
	return fd;
}

/* Send one; a full queue drops it, as a wire would. */
static int
send_packet(int fd, const struct syn *s, const struct sockaddr_in *to,
    uint8_t flags)
{
	struct packet pk;

	make_packet(&pk, s, to->sin_addr.s_addr, to->sin_port, flags);
	if (sendto(fd, &pk, sizeof pk, 0, (const struct sockaddr *)to,
	    sizeof *to) == (ssize_t)sizeof pk)
		return 1;
	if (errno != ENOBUFS && errno != EAGAIN)
		sockgen_die("sendto: %s", strerror(errno));
	return 0;
}

static void
destination(const struct sockgen_peer *p, struct sockaddr_in *to)
{
	struct sockaddr_storage ss;

	if (sockgen_parse_addr(p->addr, p->port, &ss) < 0 ||
	    ss.ss_family != AF_INET)
		sockgen_die("--dst '%s': give an IPv4 address", p->addr);
	memcpy(to, &ss, sizeof *to);
	rng = p->seed;
}

int
sockgen_synflood(const struct sockgen_peer *p)
{
	struct sockaddr_in to;
	struct syn s = { 0 };
	double start = sockgen_now(), now;
	unsigned i, sent = 0;
	int fd = raw_sender();

	destination(p, &to);
	for (i = 0; i < p->count && (now = sockgen_now()) < start +
	    p->seconds; i++) {
		if (p->rate > 0 && i > (now - start) * p->rate)
			sockgen_sleep(1 / p->rate);
		s.src = random_source();
		s.sport = random_port();
		s.seq = rnd();
		sent += send_packet(fd, &s, &to, TH_SYN);
	}
	fprintf(stderr, "# sockgen: sent %u spoofed SYNs\n", sent);
	return 0;
}

static int
packet_reader(const char *ifname)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_IP) };
	int fd;

	if ((ll.sll_ifindex = (int)if_nametoindex(ifname)) == 0)
		sockgen_die("no interface %s: give --ifname", ifname);
	if ((fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(ETH_P_IP))) < 0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof ll) < 0)
		sockgen_die("packet socket on %s: %s", ifname,
		    strerror(errno));
	return fd;
}

/* The crowd's SYNs waiting for a SYN-ACK, and its ACKs waiting to go. */
struct crowd {
	struct syn	*pending;
	unsigned	 npending;
	struct syn	*acks;	/* in the order they are due */
	unsigned	 nacks, head;
};

/*
 * A SYN-ACK from the server to one of the pending SYNs: that one moves to
 * the queue of ACKs, due then. Packets are read only as far as both
 * headers: the SYN-ACK's options do not matter.
 */
static void
read_synacks(int fd, const struct sockaddr_in *to, double due,
    struct crowd *c)
{
	struct packet pk;
	struct syn *s;
	unsigned i, reads;
	ssize_t n;

	for (reads = 0; reads < 1000 && (n = recv(fd, &pk, sizeof pk, 0)) >= 0;
	    reads++) {
		if (n < (ssize_t)sizeof pk || pk.ip.ihl != 5 ||
		    pk.ip.protocol != IPPROTO_TCP ||
		    pk.ip.saddr != to->sin_addr.s_addr ||
		    pk.tcp.th_sport != to->sin_port ||
		    (pk.tcp.th_flags & (TH_SYN | TH_ACK)) != (TH_SYN | TH_ACK))
			continue;
		for (i = 0; i < c->npending; i++) {
			s = &c->pending[i];
			if (s->src != pk.ip.daddr || s->sport != pk.tcp.th_dport)
				continue;
			s->ack = ntohl(pk.tcp.th_seq) + 1;
			s->due = due;
			c->acks[c->nacks++] = *s;
			*s = c->pending[--c->npending];
			break;
		}
	}
}

int
sockgen_crowd(const struct sockgen_peer *p)
{
	struct sockaddr_in to;
	struct crowd c = { 0 };
	struct syn *s;
	uint32_t *sources;
	double start = sockgen_now(), next = start, now;
	unsigned i, tried = 0, sent = 0, answered = 0;
	int fd = raw_sender(), cap = packet_reader(p->ifname);

	destination(p, &to);
	if (p->rate <= 0)
		sockgen_die("crowd: give a --rate above 0");
	sources = sockgen_reallocarray(NULL, p->sources, sizeof *sources);
	c.pending = sockgen_reallocarray(NULL, p->count, sizeof *c.pending);
	c.acks = sockgen_reallocarray(NULL, p->count, sizeof *c.acks);
	for (i = 0; i < p->sources; i++)
		sources[i] = random_source();
	while ((now = sockgen_now()) - start < p->seconds) {
		if (now >= next && tried < p->count) {
			tried++;
			s = &c.pending[c.npending++];
			*s = (struct syn){ .src = sources[rnd_below(p->sources)],
			    .sport = random_port(), .seq = rnd() };
			sent += send_packet(fd, s, &to, TH_SYN);
			next += 1 / p->rate;
		}
		read_synacks(cap, &to, now + p->delay, &c);
		for (; c.head < c.nacks && c.acks[c.head].due <= now; c.head++)
			answered += send_packet(fd, &c.acks[c.head], &to,
			    TH_ACK);
		sockgen_sleep(0.001);
	}
	fprintf(stderr, "# sockgen: crowd: %u SYNs, %u handshakes completed\n",
	    sent, answered);
	free(sources);
	free(c.pending);
	free(c.acks);
	return 0;
}
