/*
 * batch.h - reports for scripts, cron and pipes: text, JSON, CSV,
 * Prometheus textfile metrics and the Nagios status line.
 *
 * A sink formats what the core hands it and computes nothing itself.
 */
#ifndef SOCKWATCH_BATCH_H
#define SOCKWATCH_BATCH_H

#include <stdio.h>

#include "format.h"
#include "group.h"
#include "sock.h"

struct monitor;
struct netns_view;

struct report {
	const struct snapshot	*snap;
	const struct groups	*groups;
	const uint32_t		*order;		/* display order of snap->socks */
	size_t			 norder;
	int			 summary;	/* counts only, no socket list */
	const struct monitor	*mon;		/* ages, owners, findings; or NULL */
	const struct netns_view	*ns;		/* -N all: the namespaces; or NULL */
	int			 history_unsaved; /* --check: the state file */
};

struct batch_format {
	const char	*name;
	void		(*write)(struct out *, const struct report *);
};

const struct batch_format *batch_find_format(const char *name);
const char	*batch_format_names(void);
int		 batch_write(const struct batch_format *, FILE *,
		     const struct report *);

#endif
