/*
 * batch.c - the list of report formats and writing a report in one; what
 * the formats share is in batch_report.c.
 *
 * Each format is a file of its own (batch.h). Machine formats keep English
 * keys and '.' decimals whatever the locale; text and Nagios are for
 * people and their words are translated.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "batch.h"
#include "format.h"

/* The order of --list-formats, --help and the error for an unknown one. */
static const struct batch_format *const formats[] = {
	&batch_format_text,
	&batch_format_json,
	&batch_format_csv,
	&batch_format_csv_findings,
	&batch_format_prometheus,
	&batch_format_nagios,
};
#define NFORMATS	(sizeof formats / sizeof formats[0])

const struct batch_format *
batch_find_format(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

/* The i-th format, or NULL past the last. */
const struct batch_format *
batch_format_at(size_t i)
{
	return i < NFORMATS ? formats[i] : NULL;
}

/* The names, sep between them, in buf: "text, json, ..." */
const char *
batch_format_names(char *buf, size_t size, const char *sep)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NFORMATS && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
		    i > 0 ? sep : "", formats[i]->name);
	return buf;
}

/*
 * Returns 0, or -1 with errno when the output could not be written. The
 * caller's buffer o (64 KiB) is the report's way out.
 */
int
batch_write(const struct batch_format *fmt, struct out *o, FILE *f,
    const struct report *r)
{
	out_init(o, f);
	fmt->write(o, r);
	if (out_flush(o) < 0 || fflush(f) != 0) {
		errno = o->error != 0 ? o->error : errno;
		return -1;
	}
	return 0;
}
