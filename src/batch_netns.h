/*
 * batch_netns.h - what reports add with -N all: the namespace of each
 * socket, listener and finding, and counts per namespace. Each hook does
 * nothing when the report is of one namespace, so those reports stay as
 * scripts know them.
 */
#ifndef SOCKWATCH_BATCH_NETNS_H
#define SOCKWATCH_BATCH_NETNS_H

#include <stddef.h>

#include "format.h"
#include "sock.h"

struct report;

const char *batch_netns_label(const struct report *, const struct sock_rec *);
const char *batch_netns_finding(const struct report *, size_t i);
size_t	batch_netns_width(const struct report *);
void	batch_netns_text_field(struct out *, const struct report *,
	    const struct sock_rec *, size_t width);
void	batch_netns_text_counts(struct out *, const struct report *);
void	batch_netns_json(struct out *, const struct report *,
	    const struct sock_rec *);
void	batch_netns_json_counts(struct out *, const struct report *);
void	batch_netns_csv(struct out *, const struct report *,
	    const struct sock_rec *);
void	batch_netns_csv_counts(struct out *, const struct report *);

#endif
