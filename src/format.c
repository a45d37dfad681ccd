/*
 * format.c - values to text, and the output buffer of the batch sinks.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "format.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
format_is_v4mapped(int family, const uint8_t *addr)
{
	return family == AF_INET6 &&
	    memcmp(addr, v4mapped_prefix, sizeof v4mapped_prefix) == 0;
}

/* Decimal digits of v into p (no terminator); returns their count. */
static size_t
put_uint(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

static size_t
put_ipv4(char *p, const uint8_t *a)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			p[n++] = '.';
		n += put_uint(p + n, a[i]);
	}
	return n;
}

/* Copy n bytes of tmp into buf, truncated to fit, NUL-terminated. */
static size_t
copy_out(char *buf, size_t size, const char *tmp, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

/* The address alone; IPv4-mapped IPv6 shows as IPv4. */
size_t
format_ip(char *buf, size_t size, int family, const uint8_t *addr)
{
	char tmp[INET6_ADDRSTRLEN];
	size_t n;

	if (family == AF_INET || format_is_v4mapped(family, addr)) {
		n = put_ipv4(tmp, family == AF_INET ? addr : addr + 12);
		tmp[n] = '\0';
	} else if (inet_ntop(AF_INET6, addr, tmp, sizeof tmp) == NULL) {
		strcpy(tmp, "?");
	}
	return copy_out(buf, size, tmp, strlen(tmp));
}

/* "10.0.0.1:80", "[2001:db8::1]:443", port 0 as "*" like ss. */
size_t
format_addr(char *buf, size_t size, int family, const uint8_t *addr,
    uint16_t port)
{
	char tmp[ADDR_STRLEN];
	size_t n = 0;
	int bracket = family == AF_INET6 && !format_is_v4mapped(family, addr);

	if (bracket)
		tmp[n++] = '[';
	n += format_ip(tmp + n, sizeof tmp - n - 8, family, addr);
	if (bracket)
		tmp[n++] = ']';
	tmp[n++] = ':';
	if (port == 0)
		tmp[n++] = '*';
	else
		n += put_uint(tmp + n, port);
	return copy_out(buf, size, tmp, n);
}

/* "850ms", "42s", "5m12s", "3h05m", "2d04h": two units at most. */
size_t
format_duration(char *buf, size_t size, double seconds)
{
	unsigned long long s;
	int n;

	if (seconds < 0)
		seconds = 0;
	if (seconds < 1)
		n = snprintf(buf, size, "%dms", (int)(seconds * 1000));
	else if ((s = (unsigned long long)seconds) < 60)
		n = snprintf(buf, size, "%llus", s);
	else if (s < 3600)
		n = snprintf(buf, size, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		n = snprintf(buf, size, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		n = snprintf(buf, size, "%llud%02lluh", s / 86400,
		    s % 86400 / 3600);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* "keepalive 1h59m", "on 180ms (2)", "timewait 59s", or "-" without one. */
size_t
format_timer(char *buf, size_t size, const struct sock_rec *s)
{
	char dur[DURATION_STRLEN];
	int n;

	if (s->timer == TIMER_NONE)
		return (size_t)snprintf(buf, size, "-");
	format_duration(dur, sizeof dur, s->expires_ms / 1000.0);
	if (s->retrans != 0)
		n = snprintf(buf, size, "%s %s (%u)", sock_timer_name(s->timer),
		    dur, s->retrans);
	else
		n = snprintf(buf, size, "%s %s", sock_timer_name(s->timer), dur);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* Length of the valid UTF-8 sequence at p (at most left bytes), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t left)
{
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Reject overlong forms and surrogates. */
	if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) ||
	    (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (n == 4 && p[0] == 0xf0 && p[1] < 0x90) ||
	    (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/*
 * Text from the system (process names, paths) may hold escape sequences:
 * control bytes, DEL, C1 controls and invalid UTF-8 become visible \xNN, and
 * a backslash becomes "\\", so the result cannot drive a terminal.
 */
size_t
format_sanitize(char *buf, size_t size, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)src;
	size_t n = 0, left = strlen(src), len;

	if (size == 0)
		return 0;
	while (*p != '\0') {
		len = utf8_len(p, left);
		if (len == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\') {
			if (n + 1 >= size)
				break;
			buf[n++] = (char)*p;
		} else if (len > 1 && !(p[0] == 0xc2 && p[1] < 0xa0)) {
			if (n + len >= size)
				break;
			memcpy(buf + n, p, len);
			n += len;
		} else {
			if (n + 4 >= size)
				break;
			buf[n++] = '\\';
			if (*p == '\\') {
				buf[n++] = '\\';
			} else {
				buf[n++] = 'x';
				buf[n++] = hex[*p >> 4];
				buf[n++] = hex[*p & 15];
			}
			len = 1;
		}
		p += len;
		left -= len;
	}
	buf[n] = '\0';
	return n;
}

size_t
format_iso_time(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return (size_t)snprintf(buf, size, "?");
	return strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
out_init(struct out *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->error = 0;
}

int
out_flush(struct out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len &&
	    o->error == 0)
		o->error = errno != 0 ? errno : EIO;
	o->len = 0;
	return o->error != 0 ? -1 : 0;
}

void
out_mem(struct out *o, const char *p, size_t n)
{
	if (n > sizeof o->buf - o->len) {
		out_flush(o);
		if (n > sizeof o->buf) {
			if (fwrite(p, 1, n, o->f) != n && o->error == 0)
				o->error = errno != 0 ? errno : EIO;
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void
out_char(struct out *o, char c)
{
	if (o->len == sizeof o->buf)
		out_flush(o);
	o->buf[o->len++] = c;
}

void
out_uint(struct out *o, uint64_t v)
{
	char tmp[24];

	out_mem(o, tmp, put_uint(tmp, v));
}

void
out_int(struct out *o, int64_t v)
{
	if (v < 0) {
		out_char(o, '-');
		out_uint(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_uint(o, (uint64_t)v);
	}
}

/* Fixed-point with '.' whatever the locale: machine output is LC_NUMERIC=C. */
void
out_double(struct out *o, double v, int decimals)
{
	uint64_t scale = 1, whole, frac;
	char tmp[24];
	size_t n;
	int i;

	if (v < 0) {
		out_char(o, '-');
		v = -v;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	frac = (uint64_t)(v * (double)scale + 0.5);
	whole = frac / scale;
	frac %= scale;
	out_uint(o, whole);
	if (decimals == 0)
		return;
	out_char(o, '.');
	n = put_uint(tmp, frac);
	for (i = (int)n; i < decimals; i++)
		out_char(o, '0');
	out_mem(o, tmp, n);
}

void
out_hex(struct out *o, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18];
	size_t n = sizeof tmp;

	do {
		tmp[--n] = hex[v & 15];
		v >>= 4;
	} while (v != 0);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	out_mem(o, tmp + n, sizeof tmp - n);
}

/* Spaces after a field of `written` bytes, up to width plus a separator. */
void
out_pad(struct out *o, size_t written, size_t width)
{
	static const char spaces[] = "                                        "
	    "                        ";

	while (written < width) {
		size_t n = width - written;

		if (n > sizeof spaces - 1)
			n = sizeof spaces - 1;
		out_mem(o, spaces, n);
		written += n;
	}
}

void
out_field(struct out *o, const char *s, size_t width)
{
	size_t n = strlen(s);

	out_mem(o, s, n);
	out_pad(o, n, width);
}

void
out_rfield_uint(struct out *o, uint64_t v, size_t width)
{
	char tmp[24];
	size_t n = put_uint(tmp, v);

	out_pad(o, n, width);
	out_mem(o, tmp, n);
}

void
out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_mem(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void
out_json_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	out_char(o, '"');
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			out_char(o, '\\');
			out_char(o, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			out_str(o, "\\u00");
			out_char(o, hex[*p >> 4]);
			out_char(o, hex[*p & 15]);
		} else {
			out_char(o, (char)*p);
		}
	}
	out_char(o, '"');
}

/* RFC 4180: quote when the field holds a comma, quote or line break. */
void
out_csv_str(struct out *o, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		out_str(o, s);
		return;
	}
	out_char(o, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			out_char(o, '"');
		out_char(o, *s);
	}
	out_char(o, '"');
}
