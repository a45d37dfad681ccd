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

/* What -o, -e, -m, -i and -r add to a report, as in ss. */
#define BATCH_SHOW_TIMERS	0x01	/* -o: always shown */
#define BATCH_SHOW_EXTENDED	0x02	/* -e: the cookie in text */
#define BATCH_SHOW_MEMORY	0x04	/* -m: skmem */
#define BATCH_SHOW_INFO		0x08	/* -i: tcp_info */
#define BATCH_SHOW_NAMES	0x10	/* -r: peer host names */

struct report {
	const struct snapshot	*snap;
	const struct groups	*groups;
	const uint32_t		*order;		/* display order of snap->socks */
	size_t			 norder;
	int			 summary;	/* counts only, no socket list */
	const struct monitor	*mon;		/* ages, owners, findings; or NULL */
	const struct netns_view	*ns;		/* -N all: the namespaces; or NULL */
	int			 history_unsaved; /* --check: the state file */
	unsigned		 show;		/* BATCH_SHOW_* */
	/* -r: the host name of an address, or NULL (none, or no -r). */
	const char		*(*peer_name)(void *, int family,
				    const uint8_t *addr);
	void			*peer_name_arg;
};

struct batch_format {
	const char	*name;
	void		(*write)(struct out *, const struct report *);
};

const struct batch_format *batch_find_format(const char *name);
const char	*batch_format_names(void);
const char	*batch_peer_name(const struct report *, const struct sock_rec *);
int		 batch_write(const struct batch_format *, FILE *,
		     const struct report *);

#endif
