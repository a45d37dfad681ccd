/*
 * format.h - turning values into text: addresses, durations, timers,
 * escaping for JSON and CSV, and making system text safe for a terminal.
 *
 * Pure functions writing into caller buffers, plus `struct out`, a buffer
 * in front of a FILE that appends without printf, because the batch
 * listing formats a million lines.
 */
#ifndef SOCKWATCH_FORMAT_H
#define SOCKWATCH_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sock.h"

#define ADDR_STRLEN	64	/* "[" v6 "%ifname" "]:" port */
#define DURATION_STRLEN	32

size_t	format_addr(char *, size_t, int family, const uint8_t *addr,
	    uint16_t port);
size_t	format_ip(char *, size_t, int family, const uint8_t *addr);
size_t	format_duration(char *, size_t, double seconds);
size_t	format_age(char *, size_t, double seconds, int known);
size_t	format_timer(char *, size_t, const struct sock_rec *);
size_t	format_sanitize(char *, size_t, const char *);
size_t	format_iso_time(char *, size_t, time_t);
int	format_is_v4mapped(int family, const uint8_t *addr);

struct out {
	FILE	*f;
	size_t	 len;
	int	 error;		/* errno of the first failed write */
	char	 buf[1 << 16];
};

void	out_init(struct out *, FILE *);
int	out_flush(struct out *);
void	out_mem_flush(struct out *, const char *, size_t);

/*
 * The appends of every field of every line: inline, so that the common
 * case (room left) is a copy, and a literal's length is known when
 * compiling. Only a full buffer calls out.
 */
static inline void
out_mem(struct out *o, const char *p, size_t n)
{
	/* len never exceeds the buffer; saying so lets the compiler see
	 * that the copy stays inside it. */
	if (o->len > sizeof o->buf || n > sizeof o->buf - o->len) {
		out_mem_flush(o, p, n);
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static inline void
out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static inline void
out_char(struct out *o, char c)
{
	if (o->len == sizeof o->buf)
		out_flush(o);
	o->buf[o->len++] = c;
}

void	out_uint(struct out *, uint64_t);
size_t	out_addr(struct out *, int family, const uint8_t *addr, uint16_t port);
void	out_int(struct out *, int64_t);
void	out_double(struct out *, double, int decimals);
void	out_hex(struct out *, uint64_t);
void	out_pad(struct out *, size_t written, size_t width);
size_t	format_char_cols(const char *, int *cols);
size_t	format_text_width(const char *);
void	out_field(struct out *, const char *, size_t width);
void	out_rfield_uint(struct out *, uint64_t, size_t width);
void	out_printf(struct out *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	out_sanitized(struct out *, const char *, const char *also);
void	out_json_str(struct out *, const char *);
void	out_csv_str(struct out *, const char *);

#endif
