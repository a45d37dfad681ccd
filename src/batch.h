/*
 * batch.h - reports for scripts, cron and pipes: text, JSON, CSV,
 * Prometheus textfile metrics and the Nagios status line.
 *
 * A format is one file (batch_text.c, batch_json.c, batch_csv.c,
 * batch_prometheus.c, batch_nagios.c) that writes everything of its
 * report: sockets, listeners, findings and, with -N all, the namespaces.
 * What they share is here and in batch.c. A sink formats what the core
 * hands it and computes nothing itself.
 */
#ifndef SOCKWATCH_BATCH_H
#define SOCKWATCH_BATCH_H

#include <stdio.h>

#include "anomaly.h"
#include "format.h"
#include "group.h"
#include "proc.h"
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

/* What a format asks of the run, beyond writing its report. */
#define BATCH_FORMAT_VERDICT	0x01	/* the exit status is the verdict */
#define BATCH_FORMAT_LAST	0x02	/* --count: the last poll only */

struct batch_format {
	const char	*name;
	void		(*write)(struct out *, const struct report *);
	unsigned	 flags;		/* BATCH_FORMAT_* */
};

/* The formats, each defined in its own file; batch.c lists them. */
extern const struct batch_format batch_format_text;
extern const struct batch_format batch_format_json;
extern const struct batch_format batch_format_csv;
extern const struct batch_format batch_format_csv_findings;
extern const struct batch_format batch_format_prometheus;
extern const struct batch_format batch_format_nagios;

const struct batch_format *batch_find_format(const char *name);
const struct batch_format *batch_format_at(size_t);
const char	*batch_format_names(char *, size_t, const char *sep);
int		 batch_write(const struct batch_format *, struct out *, FILE *,
		     const struct report *);

/* One line of the socket listing: the k-th socket in r->order. */
typedef void (*batch_line_fn)(struct out *, const struct report *, size_t k,
    void *arg);

/* Shared by the formats. */
#define REPORT_PREFETCH	16	/* rows read ahead; a row takes ~100 ns */
#define BATCH_WORDS_MAX	1024	/* one part of a finding's words */
#define BATCH_EVIDENCE_MAX (EVIDENCE_MAX * (EVIDENCE_TEXT + 32))

void		 batch_lines(struct out *, const struct report *, batch_line_fn,
		     void *arg);
void		 batch_prefetch(const struct report *, size_t k);
const struct finding *const *batch_findings(const struct report *, size_t *);
const char	*batch_words(char *, const struct finding *, enum finding_part,
		    anomaly_translate *);
void		 batch_evidence(char *, size_t, const struct finding *,
		    const char *sep);
const struct proc_owner *batch_owner(const struct report *,
		    const struct sock_rec *);
const char	*batch_peer_name(const struct report *, const struct sock_rec *);
const char	*batch_netns_label(const struct report *,
		    const struct sock_rec *);
const char	*batch_netns_finding(const struct report *, size_t i);

#endif
