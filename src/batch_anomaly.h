/*
 * batch_anomaly.h - the parts of batch reports that come from the monitor
 * (findings, ages, processes), and the prometheus and nagios formats.
 * batch.c calls these hooks; each does nothing when the report has no
 * monitor.
 */
#ifndef SOCKWATCH_BATCH_ANOMALY_H
#define SOCKWATCH_BATCH_ANOMALY_H

#include <stddef.h>

#include "format.h"
#include "group.h"

struct report;

void	batch_text_findings(struct out *, const struct report *);
void	batch_text_socket_header(struct out *, const struct report *);
void	batch_text_socket_extra(struct out *, const struct report *, size_t);
void	batch_json_findings(struct out *, const struct report *);
void	batch_json_socket_extra(struct out *, const struct report *, size_t);
void	batch_json_listener_extra(struct out *, const struct report *,
	    const struct listener *);
void	batch_csv_findings(struct out *, const struct report *);
void	batch_write_prometheus(struct out *, const struct report *);
void	batch_write_nagios(struct out *, const struct report *);

#endif
