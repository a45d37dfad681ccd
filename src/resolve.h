/*
 * resolve.h - names, at the edge: service and host names of a filter
 * (/etc/services, getaddrinfo) and the host names of peers for -r
 * (getnameinfo), each address asked once per run; for the dashboard, by
 * a thread of its own (resolve_async.c).
 */
#ifndef SOCKWATCH_RESOLVE_H
#define SOCKWATCH_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "filter.h"

extern const struct filter_names resolve_filter_names;

struct resolve_cache;

struct resolve_cache *resolve_cache_create(void);
void	resolve_cache_free(struct resolve_cache *);
const char *resolve_peer(void *cache, int family, const uint8_t *addr);
char	*resolve_lookup(int family, const uint8_t *addr);
long	 resolve_bucket(int family, const uint8_t *addr, size_t n,
	    size_t *len);

/* resolve_async.c: the dashboard's, never waiting. */
struct resolve_async;

struct resolve_async *resolve_async_create(void);
void	resolve_async_free(struct resolve_async *);
const char *resolve_async_peer(struct resolve_async *, int family,
	    const uint8_t *addr);

#endif
