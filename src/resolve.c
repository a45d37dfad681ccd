/*
 * resolve.c - names for the filter and for -r (resolve.h).
 *
 * Lookups may wait for DNS, so nothing asks for them unless the user
 * wrote a name (a filter) or asked for names (-r); the dashboard's -r
 * asks through a thread (resolve_async.c), so its refresh never waits.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "resolve.h"
#include "xmalloc.h"

static int
service_port(const char *name, uint16_t *port)
{
	struct servent *se = getservbyname(name, "tcp");

	if (se == NULL)
		return -1;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static int
same_host(const struct filter_host *a, const struct filter_host *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
}

/* Every address getaddrinfo has for name, once each. */
static size_t
host_addrs(const char *name, struct filter_host *out, size_t max)
{
	struct addrinfo hints, *res, *ai;
	struct filter_host h;
	size_t n = 0, i;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next) {
		memset(&h, 0, sizeof h);
		h.family = (uint8_t)ai->ai_family;
		if (ai->ai_family == AF_INET)
			memcpy(h.addr, &((struct sockaddr_in *)(void *)
			    ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(h.addr, &((struct sockaddr_in6 *)(void *)
			    ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		for (i = 0; i < n && !same_host(&out[i], &h); i++)
			;
		if (i == n)
			out[n++] = h;
	}
	freeaddrinfo(res);
	return n;
}

const struct filter_names resolve_filter_names = {
	.service = service_port,
	.host = host_addrs,
};

/* Peer names, by address: a report of many sockets has few peers. */
#define CACHE_BUCKETS	1024

struct resolve_entry {
	struct resolve_entry	*next;
	uint8_t			 family;
	uint8_t			 addr[16];
	char			*name;		/* NULL: it has none */
};

struct resolve_cache {
	struct resolve_entry	*bucket[CACHE_BUCKETS];
};

struct resolve_cache *
resolve_cache_create(void)
{
	return xcalloc(1, sizeof(struct resolve_cache));
}

void
resolve_cache_free(struct resolve_cache *c)
{
	struct resolve_entry *e, *next;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_BUCKETS; i++)
		for (e = c->bucket[i]; e != NULL; e = next) {
			next = e->next;
			free(e->name);
			free(e);
		}
	free(c);
}

/* The host name of an address (getnameinfo; may wait), or NULL. */
char *
resolve_lookup(int family, const uint8_t *addr)
{
	struct sockaddr_storage ss;
	char host[NI_MAXHOST];
	socklen_t len;

	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
		len = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
		len = sizeof *sin6;
	}
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0,
	    NI_NAMEREQD) != 0)
		return NULL;
	return xstrdup(host);
}

/*
 * Where a peer's address goes in a cache of n buckets; -1 for the
 * wildcard of a listener, which has no name. *len: the address's bytes.
 */
long
resolve_bucket(int family, const uint8_t *addr, size_t n, size_t *len)
{
	static const uint8_t zero[16];
	uint32_t h = 2166136261u;
	size_t i;

	*len = family == AF_INET ? 4 : 16;
	if (memcmp(addr, zero, *len) == 0)
		return -1;
	for (i = 0; i < *len; i++)
		h = (h ^ addr[i]) * 16777619u;
	return (long)((h ^ (uint32_t)family) % n);
}

/* The host name of a peer, or NULL; the wildcard of a listener has none. */
const char *
resolve_peer(void *cache, int family, const uint8_t *addr)
{
	struct resolve_cache *c = cache;
	struct resolve_entry *e;
	size_t len;
	long h;

	if ((h = resolve_bucket(family, addr, CACHE_BUCKETS, &len)) < 0)
		return NULL;
	for (e = c->bucket[h]; e != NULL; e = e->next)
		if (e->family == family && memcmp(e->addr, addr, len) == 0)
			return e->name;
	e = xcalloc(1, sizeof *e);
	e->family = (uint8_t)family;
	memcpy(e->addr, addr, len);
	e->name = resolve_lookup(family, addr);
	e->next = c->bucket[h];
	c->bucket[h] = e;
	return e->name;
}
