/*
 * fuzz_counters.c - libFuzzer target for the /proc/net and sysctl
 * parsers, and sysinfo_read_file that reads the small files.
 *
 * The first byte picks the parser: 0 a table (/proc/net/netstat, snmp),
 * 1 /proc/net/sockstat, 2 a sysctl (the second byte picks which; for the
 * reserved ports, text before a NUL is the port range they fall in),
 * 3 sysinfo_read_file into a buffer the second byte sizes. The rest is
 * the file's text. What is read must then give rates and usable ports.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "fuzz_file.h"
#include "sysinfo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
parse_sysctl(struct counters *c, unsigned which, const char *text, size_t len)
{
	enum sysctl_id id = (enum sysctl_id)(which % SYS_COUNT);
	const char *nul = memchr(text, '\0', len);

	if (id == SYS_PORTS_RESERVED && nul != NULL) {
		counters_parse_sysctl(c, SYS_PORT_LOW, text,
		    (size_t)(nul - text));
		len -= (size_t)(nul + 1 - text);
		text = nul + 1;
	}
	counters_parse_sysctl(c, id, text, len);
}

static void
read_file(unsigned which, const uint8_t *data, size_t size)
{
	char *buf;
	size_t bufsize = which + 1;
	int n;

	buf = malloc(bufsize);
	n = sysinfo_read_file(fuzz_file(data, size), buf, bufsize);
	if (n < 0 || (size_t)n >= bufsize || buf[n] != '\0' ||
	    strlen(buf) > (size_t)n || (n > 0 && buf[n - 1] == '\n'))
		abort();
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct counters prev, cur;
	struct counter_rates rates;
	const char *text = (const char *)data + 2;
	size_t len = size - 2;

	if (size < 2)
		return 0;
	counters_init(&prev);
	counters_init(&cur);
	switch (data[0] % 4) {
	case 0:
		counters_parse_table(&cur, text, len);
		break;
	case 1:
		counters_parse_sockstat(&cur, text, len);
		break;
	case 2:
		parse_sysctl(&cur, data[1], text, len);
		break;
	default:
		read_file(data[1], data + 2, len);
		return 0;
	}
	cur.when.tv_sec = 60;
	counters_rates(&prev, &cur, &rates);
	counters_rates(&cur, &prev, &rates);
	if (counters_usable_ports(&cur) < 1)
		abort();
	return 0;
}
