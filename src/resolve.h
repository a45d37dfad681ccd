/*
 * resolve.h - names, at the edge: service and host names of a filter
 * (/etc/services, getaddrinfo) and the host names of peers for -r
 * (getnameinfo), each address asked once per run.
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

#endif
