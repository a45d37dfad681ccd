/*
 * format.c - values to text, and the output buffer of the batch sinks.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <wchar.h>

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

/* How many decimal digits v has. */
static size_t
uint_len(uint64_t v)
{
	uint64_t limit = 10;
	size_t n = 1;

	while (n < 20 && v >= limit) {
		n++;
		limit *= 10;
	}
	return n;
}

/* Decimal digits of v into p (no terminator); returns their count. */
static size_t
put_uint(char *p, uint64_t v)
{
	size_t n = uint_len(v), i = n;

	do {
		p[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return n;
}

static size_t
put_ipv4(char *p, const uint8_t *a)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i > 0)
			p[n++] = '.';
		if (v >= 100)
			p[n++] = (char)('0' + v / 100);
		if (v >= 10)
			p[n++] = (char)('0' + v / 10 % 10);
		p[n++] = (char)('0' + v % 10);
	}
	return n;
}

/* A 16-bit group in lower-case hex without leading zeros. */
static size_t
put_hex16(char *p, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int shift;

	for (shift = 12; shift > 0 && (v >> shift) == 0; shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		p[n++] = hex[(v >> shift) & 15];
	return n;
}

/*
 * IPv6 as inet_ntop(3) writes it, without its sprintf per group (the
 * listing formats a million addresses): the first longest run of two or
 * more zero groups becomes "::", and an address of 96 zero bits, or of 80
 * zero bits and ffff, ends in dotted IPv4. A unit test holds it to glibc.
 */
static size_t
put_ipv6(char *p, const uint8_t *a)
{
	unsigned w[8];
	int i, cur = -1, base = -1, len = 0;
	size_t n = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] != 0)
			cur = -1;
		else if (cur < 0)
			cur = i;
		if (cur >= 0 && i - cur + 1 > len) {
			base = cur;
			len = i - cur + 1;
		}
	}
	if (len < 2)
		base = -1;
	for (i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + len) {
			if (i == base)
				p[n++] = ':';
			continue;
		}
		if (i != 0)
			p[n++] = ':';
		if (i == 6 && base == 0 &&
		    (len == 6 || (len == 5 && w[5] == 0xffff)))
			return n + put_ipv4(p + n, a + 12);
		n += put_hex16(p + n, w[i]);
	}
	if (base >= 0 && base + len == 8)
		p[n++] = ':';
	return n;
}

/* The address into p, which has room for INET6_ADDRSTRLEN bytes. */
static size_t
put_ip(char *p, int family, const uint8_t *addr)
{
	if (family == AF_INET)
		return put_ipv4(p, addr);
	if (format_is_v4mapped(family, addr))
		return put_ipv4(p, addr + 12);
	if (family == AF_INET6)
		return put_ipv6(p, addr);
	*p = '?';
	return 1;
}

/* "10.0.0.1:80" or "[2001:db8::1]:443" into p, which has ADDR_STRLEN bytes. */
static size_t
put_addr(char *p, int family, const uint8_t *addr, uint16_t port)
{
	int bracket = family == AF_INET6 && !format_is_v4mapped(family, addr);
	size_t n = 0;

	if (bracket)
		p[n++] = '[';
	n += put_ip(p + n, family, addr);
	if (bracket)
		p[n++] = ']';
	p[n++] = ':';
	if (port == 0)
		p[n++] = '*';
	else
		n += put_uint(p + n, port);
	return n;
}

/* Copy n bytes of tmp to buf as snprintf would: clipped, terminated. */
static size_t
put_clipped(char *buf, size_t size, const char *tmp, size_t n)
{
	if (size == 0)
		return 0;
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

	if (size == 0)
		return 0;
	if (size >= sizeof tmp) {
		n = put_ip(buf, family, addr);
		buf[n] = '\0';
		return n;
	}
	n = put_ip(tmp, family, addr);
	return put_clipped(buf, size, tmp, n);
}

/* "10.0.0.1:80", "[2001:db8::1]:443", port 0 as "*" like ss. */
size_t
format_addr(char *buf, size_t size, int family, const uint8_t *addr,
    uint16_t port)
{
	char tmp[ADDR_STRLEN];
	size_t n;

	if (size == 0)
		return 0;
	if (size >= sizeof tmp) {
		n = put_addr(buf, family, addr, port);
		buf[n] = '\0';
		return n;
	}
	n = put_addr(tmp, family, addr, port);
	return put_clipped(buf, size, tmp, n);
}

/* A number and its unit, then a second one on two digits: "5m07". */
static size_t
put_units(char *p, unsigned long long a, char ua, unsigned b, char ub)
{
	size_t n = put_uint(p, a);

	p[n++] = ua;
	p[n++] = (char)('0' + b / 10 % 10);
	p[n++] = (char)('0' + b % 10);
	p[n++] = ub;
	return n;
}

/*
 * "850ms", "42s", "5m12s", "3h05m", "2d04h": two units at most. Built by
 * hand, not snprintf: every TIME_WAIT row of a listing has one.
 */
size_t
format_duration(char *buf, size_t size, double seconds)
{
	char tmp[DURATION_STRLEN];
	unsigned long long s;
	size_t n;

	if (seconds < 0)
		seconds = 0;
	if (seconds < 1) {
		n = put_uint(tmp, (uint64_t)(int)(seconds * 1000));
		tmp[n++] = 'm';
		tmp[n++] = 's';
	} else if ((s = (unsigned long long)seconds) < 60) {
		n = put_uint(tmp, s);
		tmp[n++] = 's';
	} else if (s < 3600) {
		n = put_units(tmp, s / 60, 'm', (unsigned)(s % 60), 's');
	} else if (s < 86400) {
		n = put_units(tmp, s / 3600, 'h', (unsigned)(s % 3600 / 60), 'm');
	} else {
		n = put_units(tmp, s / 86400, 'd', (unsigned)(s % 86400 / 3600),
		    'h');
	}
	return put_clipped(buf, size, tmp, n);
}

/*
 * An age: "2m05s" when known, "≥2m05s" when only at least that long
 * (">=2m05s" where the terminal's character set is not UTF-8).
 */
size_t
format_age(char *buf, size_t size, double seconds, int known)
{
	char tmp[DURATION_STRLEN + 4];
	size_t n = 0;

	if (!known) {
		n = (size_t)snprintf(tmp, sizeof tmp, "%s",
		    strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2265" :
		    ">=");
	}
	n += format_duration(tmp + n, sizeof tmp - n, seconds);
	return put_clipped(buf, size, tmp, n);
}

/* "keepalive 1h59m", "on 180ms (2)", "timewait 59s", or "-" without one. */
size_t
format_timer(char *buf, size_t size, const struct sock_rec *s)
{
	char tmp[64];
	const char *name;
	size_t n;

	if (s->timer == TIMER_NONE)
		return put_clipped(buf, size, "-", 1);
	name = sock_timer_name(s->timer);
	n = strlen(name);
	memcpy(tmp, name, n);
	tmp[n++] = ' ';
	n += format_duration(tmp + n, DURATION_STRLEN, s->expires_ms / 1000.0);
	if (s->retrans != 0) {
		tmp[n++] = ' ';
		tmp[n++] = '(';
		n += put_uint(tmp + n, s->retrans);
		tmp[n++] = ')';
	}
	return put_clipped(buf, size, tmp, n);
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
 * The sanitiser: one character of text from outside sockwatch (process
 * names, host and namespace names from a recording, paths) as it may be
 * shown. Control bytes, DEL, C1 controls, invalid UTF-8 and the ASCII bytes
 * in `also` become a visible \xNN, a backslash becomes "\\", so the result
 * cannot drive a terminal and can be read back. Writes at most 4 bytes to
 * out; returns their count and in *used the bytes of p it took.
 */
static size_t
sanitize_char(const unsigned char *p, size_t left, const char *also,
    char *out, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = utf8_len(p, left);

	*used = 1;
	if (len == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\' &&
	    (also == NULL || strchr(also, *p) == NULL)) {
		out[0] = (char)*p;
		return 1;
	}
	if (len > 1 && !(p[0] == 0xc2 && p[1] < 0xa0)) {
		memcpy(out, p, len);
		*used = len;
		return len;
	}
	out[0] = '\\';
	if (*p == '\\') {
		out[1] = '\\';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[*p >> 4];
	out[3] = hex[*p & 15];
	return 4;
}

/* src sanitised into buf, clipped to whole characters; returns its length. */
size_t
format_sanitize(char *buf, size_t size, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t n = 0, left = strlen(src), len, used;
	char tmp[4];

	if (size == 0)
		return 0;
	while (left > 0) {
		len = sanitize_char(p, left, NULL, tmp, &used);
		if (n + len >= size)
			break;
		memcpy(buf + n, tmp, len);
		n += len;
		p += used;
		left -= used;
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

/* Room for n more bytes, n at most the buffer's size; flushes if need be. */
static char *
out_room(struct out *o, size_t n)
{
	if (n > sizeof o->buf - o->len)
		out_flush(o);
	return o->buf + o->len;
}

/* out_mem's slow path: the buffer is full, or p larger than it. */
void
out_mem_flush(struct out *o, const char *p, size_t n)
{
	out_flush(o);
	if (n > sizeof o->buf) {
		if (fwrite(p, 1, n, o->f) != n && o->error == 0)
			o->error = errno != 0 ? errno : EIO;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
out_uint(struct out *o, uint64_t v)
{
	o->len += put_uint(out_room(o, 20), v);
}

/* An address as format_addr writes it; returns its length, for padding. */
size_t
out_addr(struct out *o, int family, const uint8_t *addr, uint16_t port)
{
	size_t n = put_addr(out_room(o, ADDR_STRLEN), family, addr, port);

	o->len += n;
	return n;
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
	char tmp[24], *p;
	size_t n;
	int i;

	p = out_room(o, 1 + 20 + 1 + 20);
	n = 0;
	if (v < 0) {
		p[n++] = '-';
		v = -v;
	}
	for (i = 0; i < decimals; i++)
		scale *= 10;
	frac = (uint64_t)(v * (double)scale + 0.5);
	whole = frac / scale;
	frac %= scale;
	n += put_uint(p + n, whole);
	if (decimals > 0) {
		p[n++] = '.';
		i = (int)put_uint(tmp, frac);
		memset(p + n, '0', (size_t)(decimals - i));
		n += (size_t)(decimals - i);
		memcpy(p + n, tmp, (size_t)i);
		n += (size_t)i;
	}
	o->len += n;
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
	size_t n;

	while (written < width) {
		n = width - written;
		if (n > sizeof o->buf)
			n = sizeof o->buf;
		memset(out_room(o, n), ' ', n);
		o->len += n;
		written += n;
	}
}

/* Bytes and display columns of the character at p (1 and 1 if invalid). */
size_t
format_char_cols(const char *p, int *cols)
{
	mbstate_t ps;
	wchar_t wc;
	size_t n;
	int w;

	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, p, MB_CUR_MAX, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	return n;
}

/* Display columns of s: a translation may hold characters two wide. */
size_t
format_text_width(const char *s)
{
	const char *p;
	size_t w = 0;
	int c;

	for (p = s; (unsigned char)*p < 0x80; p++)	/* ASCII: bytes */
		if (*p == '\0')
			return (size_t)(p - s);
	w = (size_t)(p - s);
	while (*p != '\0') {
		p += format_char_cols(p, &c);
		w += (size_t)c;
	}
	return w;
}

void
out_field(struct out *o, const char *s, size_t width)
{
	out_mem(o, s, strlen(s));
	out_pad(o, format_text_width(s), width);
}

void
out_rfield_uint(struct out *o, uint64_t v, size_t width)
{
	size_t n = uint_len(v);

	out_pad(o, n, width);
	o->len += put_uint(out_room(o, n), v);
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

/*
 * Text from outside sockwatch through the sanitiser (format_sanitize),
 * with the ASCII bytes of also (or NULL) escaped too: '|' in a Nagios
 * status line, which would start its performance data.
 */
void
out_sanitized(struct out *o, const char *s, const char *also)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), used;

	while (left > 0) {
		/* Printable ASCII goes as it is, in runs: most of a CSV. */
		for (used = 0; used < left && p[used] >= 0x20 &&
		    p[used] < 0x7f && p[used] != '\\' &&
		    (also == NULL || strchr(also, p[used]) == NULL); used++)
			;
		if (used == 0)
			o->len += sanitize_char(p, left, also, out_room(o, 4),
			    &used);
		else
			out_mem(o, (const char *)p, used);
		p += used;
		left -= used;
	}
}

static void
out_json_u(struct out *o, unsigned v)
{
	static const char hex[] = "0123456789abcdef";

	out_str(o, "\\u");
	out_char(o, hex[v >> 12 & 15]);
	out_char(o, hex[v >> 8 & 15]);
	out_char(o, hex[v >> 4 & 15]);
	out_char(o, hex[v & 15]);
}

/*
 * A JSON string of the raw bytes: nothing is sanitised first, so a name
 * comes back exactly. Controls (C0, DEL, C1) and U+2028/U+2029 are written
 * as \uXXXX escapes, so the document is safe to print and to embed. JSON is
 * UTF-8: a byte that is not part of valid UTF-8 becomes U+FFFD, the
 * replacement character (that one byte is lost; the manual says so).
 */
void
out_json_str(struct out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), len;

	out_char(o, '"');
	for (; left > 0; p += len, left -= len) {
		/* Printable ASCII other than " and \ goes as it is, in runs:
		   addresses, states, most names. */
		for (len = 0; len < left && p[len] >= 0x20 && p[len] < 0x7f &&
		    p[len] != '"' && p[len] != '\\'; len++)
			;
		if (len > 0) {
			out_mem(o, (const char *)p, len);
			continue;
		}
		len = utf8_len(p, left);
		if (len == 0) {
			out_json_u(o, 0xfffd);
			len = 1;
		} else if (*p == '"' || *p == '\\') {
			out_char(o, '\\');
			out_char(o, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			out_json_u(o, *p);
		} else if (len == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			out_json_u(o, p[1]);
		} else if (len == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			out_json_u(o, p[2] == 0xa8 ? 0x2028 : 0x2029);
		} else {
			out_mem(o, (const char *)p, len);
		}
	}
	out_char(o, '"');
}

/*
 * A CSV cell of text from outside sockwatch: sanitised (so it holds no line
 * break), a cell that starts like a formula (= + - @, tab, CR) prefixed
 * with a quote as OWASP advises against formula injection, and quoted
 * (RFC 4180) when it holds a comma or a quote, or was prefixed.
 */
void
out_csv_str(struct out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	size_t left, used;

	/* Most cells are printable ASCII with nothing to quote: one pass. */
	for (left = 0; !formula && p[left] >= 0x20 && p[left] < 0x7f &&
	    p[left] != '\\' && p[left] != ',' && p[left] != '"'; left++)
		;
	if (!formula && p[left] == '\0') {
		out_mem(o, s, left);
		return;
	}
	left = strlen(s);
	if (!formula && strpbrk(s, ",\"") == NULL) {
		out_sanitized(o, s, NULL);
		return;
	}
	out_char(o, '"');
	if (formula)
		out_char(o, '\'');
	while (left > 0) {
		if (*p == '"')
			out_char(o, '"');
		o->len += sanitize_char(p, left, NULL, out_room(o, 4), &used);
		p += used;
		left -= used;
	}
	out_char(o, '"');
}
