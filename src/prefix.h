/*
 * prefix.h - peers grouped by network prefix: /24 for IPv4, /48 for IPv6.
 *
 * A flood from spoofed sources spreads over thousands of prefixes; a real
 * client population or a single attacker sits in a few. A tally counts
 * sockets per prefix and summarises the spread: distinct prefixes, the top
 * ones with their shares, and the entropy normalised to 0..1. A tally
 * counts any 64-bit key except UINT64_MAX.
 */
#ifndef SOCKWATCH_PREFIX_H
#define SOCKWATCH_PREFIX_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

#define PREFIX_TOP	5
#define PREFIX_STRLEN	48

struct prefix_count {
	uint64_t	 prefix;
	uint64_t	 count;
};

struct prefix_stats {
	uint64_t		total;
	size_t			distinct;
	double			entropy;	/* 0: one prefix, 1: all distinct */
	struct prefix_count	top[PREFIX_TOP];
	size_t			ntop;
};

struct prefix_tally {
	struct prefix_count	*tab;
	size_t			 cap;
	size_t			 n;
	uint64_t		 total;
};

uint64_t prefix_of(int family, const uint8_t *addr);
size_t	 prefix_format(char *, size_t, uint64_t prefix);
void	 prefix_tally_init(struct prefix_tally *);
void	 prefix_tally_add(struct prefix_tally *, uint64_t prefix);
uint64_t prefix_tally_count(const struct prefix_tally *, uint64_t prefix);
void	 prefix_tally_stats(const struct prefix_tally *, struct prefix_stats *);
void	 prefix_tally_free(struct prefix_tally *);

#endif
