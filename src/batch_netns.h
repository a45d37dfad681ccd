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

/* The NETNS column of a text table: labels sanitised once, not per row. */
struct batch_netns_col {
	size_t		  width;	/* 0: no column */
	char		(*labels)[64];
	size_t		  n;
};

const char *batch_netns_label(const struct report *, const struct sock_rec *);
const char *batch_netns_finding(const struct report *, size_t i);
void	batch_netns_col_init(struct batch_netns_col *, const struct report *);
void	batch_netns_col_title(struct out *, const struct batch_netns_col *);
void	batch_netns_col_put(struct out *, const struct batch_netns_col *,
	    const struct sock_rec *);
void	batch_netns_col_free(struct batch_netns_col *);
void	batch_netns_text_counts(struct out *, const struct report *);
void	batch_netns_json(struct out *, const struct report *,
	    const struct sock_rec *);
void	batch_netns_json_counts(struct out *, const struct report *);
void	batch_netns_csv(struct out *, const struct report *,
	    const struct sock_rec *);
void	batch_netns_csv_counts(struct out *, const struct report *);

#endif
