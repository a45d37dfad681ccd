/*
 * filter_term.c - the terms of the filter language and their values.
 *
 * A term is a name from a const table, an optional comparison and a value:
 * "sport >= :1024", "dst [2001:db8::]/32:443", "age > 5m", "process nginx".
 * Numbers and addresses are parsed here by hand; service and host names,
 * as in ss, are looked up once, at parse time, through the hooks of
 * filter_set_names: the filter then holds the addresses they had, and
 * means the same thing in a replay read later.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "filter_parse.h"
#include "nls.h"
#include "xmalloc.h"

struct term;
typedef struct filter_node *(*term_fn)(struct parser *, const struct term *,
    const struct token *);

struct term {
	const char		*name;	/* lower case, without '-' and '_' */
	enum filter_kind	 kind;
	term_fn			 parse;
};

static struct filter_node *term_state(struct parser *, const struct term *,
    const struct token *);
static struct filter_node *term_port(struct parser *, const struct term *,
    const struct token *);
static struct filter_node *term_host(struct parser *, const struct term *,
    const struct token *);
static struct filter_node *term_duration(struct parser *, const struct term *,
    const struct token *);
static struct filter_node *term_process(struct parser *, const struct term *,
    const struct token *);
static struct filter_node *term_number(struct parser *, const struct term *,
    const struct token *);

static const struct term terms[] = {
	{ "state", FILTER_STATE, term_state },
	{ "exclude", FILTER_STATE, term_state },
	{ "excl", FILTER_STATE, term_state },
	{ "sport", FILTER_SPORT, term_port },
	{ "dport", FILTER_DPORT, term_port },
	{ "src", FILTER_SRC, term_host },
	{ "dst", FILTER_DST, term_host },
	{ "age", FILTER_AGE, term_duration },
	{ "stateage", FILTER_STATE_AGE, term_duration },
	{ "process", FILTER_PROCESS, term_process },
	{ "pid", FILTER_PID, term_number },
	{ "uid", FILTER_UID, term_number },
	{ "recvq", FILTER_RECVQ, term_number },
	{ "sendq", FILTER_SENDQ, term_number },
	{ "retrans", FILTER_RETRANS, term_number },
};

static const struct {
	const char	*word;
	enum filter_cmp	 cmp;
} cmp_words[] = {
	{ "eq", FILTER_EQ }, { "ne", FILTER_NE }, { "neq", FILTER_NE },
	{ "lt", FILTER_LT }, { "gt", FILTER_GT }, { "le", FILTER_LE },
	{ "leq", FILTER_LE }, { "ge", FILTER_GE }, { "geq", FILTER_GE },
};

/* "Recv-Q", "recv_q" and "recvq" are one word. */
static void
normalise(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s != '\0' && n < size - 1; s++)
		if (*s != '-' && *s != '_')
			buf[n++] = (char)tolower((unsigned char)*s);
	buf[n] = '\0';
	if (*s != '\0')
		buf[0] = '\0';
}

static const struct term *
term_find(const struct token *t)
{
	char word[16];
	size_t i;

	if (t->type != TOK_WORD)
		return NULL;
	normalise(t->word, word, sizeof word);
	for (i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(word, terms[i].name) == 0)
			return &terms[i];
	return NULL;
}

int
parser_is_state_word(const struct token *t, int *exclude)
{
	const struct term *term = term_find(t);

	if (term == NULL || term->kind != FILTER_STATE)
		return 0;
	if (exclude != NULL)
		*exclude = strcmp(term->name, "state") != 0;
	return 1;
}

/*
 * An optional comparison. A word such as "ne" is one only when a value
 * follows it, so that "process ne" still means a process called ne.
 */
static int
take_cmp(struct parser *p, enum filter_cmp *cmp)
{
	const struct token *t = parser_peek(p);
	size_t i;

	if (t->type == TOK_CMP) {
		*cmp = t->cmp;
		parser_next(p);
		return 1;
	}
	if (t->type != TOK_WORD || t->quoted || t[1].type != TOK_WORD)
		return 0;
	for (i = 0; i < sizeof cmp_words / sizeof cmp_words[0]; i++) {
		if (strcasecmp(t->word, cmp_words[i].word) == 0) {
			*cmp = cmp_words[i].cmp;
			parser_next(p);
			return 1;
		}
	}
	return 0;
}

/*
 * The value word after a term and its comparison; fmt, a message of the
 * caller's, holds one %s for the term: no literal to check here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static const struct token *
take_value(struct parser *p, const char *fmt)
{
	const struct token *prev = &p->toks[p->pos - 1];
	const struct token *v = parser_peek(p);

	if (v->type == TOK_WORD && (v->word[0] != '\0' || v->quoted))
		return parser_next(p);
	parser_error(p, v->col, fmt, parser_tok_text(prev));
	return NULL;
}
#pragma GCC diagnostic pop

/* A node of the term's kind, comparing with cmp; the caller sets the value. */
static struct filter_node *
cmp_node(const struct term *term, enum filter_cmp cmp)
{
	struct filter_node *n = parser_node(term->kind, NULL, NULL);

	n->cmp = cmp;
	return n;
}

static struct filter_node *
term_state(struct parser *p, const struct term *term, const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	uint32_t mask, all;

	(void)name;
	if ((v = take_value(p, _("expected a state name after '%s'"))) == NULL)
		return NULL;
	if (sock_state_parse(v->word, &mask) < 0) {
		parser_error(p, v->col, _("unknown state '%s': use a name such "
		    "as established, close-wait or TIME_WAIT, or a group: "
		    "connected, synchronized, bucket, big, all"), v->word);
		return NULL;
	}
	sock_state_parse("all", &all);
	n = parser_node(FILTER_STATE, NULL, NULL);
	n->u.states = strcmp(term->name, "state") == 0 ? mask : all & ~mask;
	return n;
}

/* Digits only, at most max; -1 otherwise. */
static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

static const struct filter_names *names;

void
filter_set_names(const struct filter_names *n)
{
	names = n;
}

/* A port number, a service name, or "*" for any port (-1). */
static int
port_value(struct parser *p, const char *s, int col, int star, int32_t *port)
{
	uint64_t v;
	uint16_t sp;

	if (*s == '\0') {
		parser_error(p, col, "%s", _("expected a port after ':'"));
		return -1;
	}
	if (star && strcmp(s, "*") == 0) {
		*port = -1;
		return 0;
	}
	if (parse_uint(s, 65535, &v) == 0) {
		*port = (int32_t)v;
		return 0;
	}
	if (names != NULL && names->service != NULL && !isdigit((unsigned
	    char)*s) && names->service(s, &sp) == 0) {
		*port = sp;
		return 0;
	}
	parser_error(p, col, _("bad port '%s': use a number from 0 to 65535 "
	    "or a service name of /etc/services"), s);
	return -1;
}

static struct filter_node *
term_port(struct parser *p, const struct term *term, const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	enum filter_cmp cmp = FILTER_EQ;
	int32_t port;
	int skip = 0;

	(void)name;
	take_cmp(p, &cmp);
	if ((v = take_value(p, _("expected a port after '%s', such as "
	    ":8080"))) == NULL)
		return NULL;
	if (v->word[0] == ':')
		skip = 1;
	else if (v->word[0] == '*' && v->word[1] == ':')
		skip = 2;
	if (port_value(p, v->word + skip, v->col + skip, 0, &port) < 0)
		return NULL;
	n = cmp_node(term, cmp);
	n->u.num = (uint64_t)port;
	return n;
}

/* "10", "10.1", "10.1.2.3": missing parts are zero, as iproute2 reads them. */
static int
parse_ipv4(const char *s, uint8_t *addr)
{
	uint64_t v;
	char part[4];
	size_t n;
	int i;

	memset(addr, 0, 4);
	for (i = 0; i < 4; i++) {
		for (n = 0; isdigit((unsigned char)s[n]); n++)
			if (n == 3)
				return -1;
		memcpy(part, s, n);
		part[n] = '\0';
		if (parse_uint(part, 255, &v) < 0)
			return -1;
		addr[i] = (uint8_t)v;
		s += n;
		if (*s == '\0')
			return 0;
		if (*s++ != '.')
			return -1;
	}
	return -1;
}

static int
prefix_value(struct parser *p, const char *s, int col, int max, uint8_t *out)
{
	uint64_t v;

	if (*s == '\0') {
		parser_error(p, col, "%s", _("expected a prefix length after "
		    "'/'"));
		return -1;
	}
	if (parse_uint(s, (uint64_t)max, &v) < 0) {
		parser_error(p, col, _("bad prefix length '%s': use 0 to %d"),
		    s, max);
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

/* "addr[/len]" of one family into h; the text is cut at the slash. */
static int
host_addr(struct parser *p, char *s, int col, int family, struct filter_host *h)
{
	char *slash = strchr(s, '/');
	int max = family == AF_INET ? 32 : 128;

	if (slash != NULL)
		*slash = '\0';
	h->family = (uint8_t)family;
	h->prefix = (uint8_t)max;
	if (family == AF_INET ? parse_ipv4(s, h->addr) < 0 :
	    inet_pton(AF_INET6, s, h->addr) != 1) {
		if (family == AF_INET)
			parser_error(p, col, _("bad IPv4 address '%s': give an "
			    "address such as 10.0.0.0/8"), s);
		else
			parser_error(p, col, _("bad IPv6 address '%s'"), s);
		return -1;
	}
	if (slash == NULL)
		return 0;
	return prefix_value(p, slash + 1, col + (int)(slash + 1 - s), max,
	    &h->prefix);
}

/* "[2001:db8::]/32:443", "[::1]", "[::1]:22". */
static int
host_bracketed(struct parser *p, char *s, int col, struct filter_host *h)
{
	char *close = strchr(s, ']'), *rest, *colon;
	int rcol;

	if (close == NULL) {
		parser_error(p, col + (int)strlen(s), "%s", _("expected ']' "
		    "after the IPv6 address"));
		return -1;
	}
	*close = '\0';
	rest = close + 1;
	rcol = col + (int)(rest - s);
	if (host_addr(p, s + 1, col + 1, AF_INET6, h) < 0)
		return -1;
	colon = strchr(rest, ':');
	if (colon != NULL)
		*colon = '\0';
	if (*rest == '/' && prefix_value(p, rest + 1, rcol + 1, 128,
	    &h->prefix) < 0)
		return -1;
	if (*rest != '\0' && *rest != '/') {
		parser_error(p, rcol, _("unexpected '%s' after the address: "
		    "expected '/' and a prefix length, or ':' and a port"), rest);
		return -1;
	}
	if (colon == NULL)
		return 0;
	return port_value(p, colon + 1, col + (int)(colon + 1 - s), 1, &h->port);
}

static int
host_value(struct parser *p, const struct token *v, struct filter_host *h)
{
	char *s = xstrdup(v->word), *colon;
	int col = v->col, ret;

	memset(h, 0, sizeof *h);
	h->port = -1;
	if (strcmp(s, "*") == 0)
		ret = 0;
	else if (s[0] == ':' && s[1] != ':')
		ret = port_value(p, s + 1, col + 1, 1, &h->port);
	else if (s[0] == '*' && s[1] == ':')
		ret = port_value(p, s + 2, col + 2, 1, &h->port);
	else if (s[0] == '[')
		ret = host_bracketed(p, s, col, h);
	else if ((colon = strchr(s, ':')) != NULL && strchr(colon + 1, ':'))
		ret = host_addr(p, s, col, AF_INET6, h);
	else {
		if (colon != NULL)
			*colon = '\0';
		ret = host_addr(p, s, col, AF_INET, h);
		if (ret == 0 && colon != NULL)
			ret = port_value(p, colon + 1,
			    col + (int)(colon + 1 - s), 1, &h->port);
	}
	free(s);
	return ret;
}

/* "localhost", "db1:5432": a name, not an address (at most one colon). */
static int
is_host_name(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s), i;

	if (colon != NULL && strchr(colon + 1, ':') != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]))
			return strchr("*[:", s[0]) == NULL &&
			    memchr(s, '/', n) == NULL;
	return 0;
}

#define HOST_ADDRS_MAX	16

/* Every address of a host name, or-ed: "dst localhost" is both loopbacks. */
static struct filter_node *
host_name_node(struct parser *p, const struct term *term,
    const struct token *v)
{
	struct filter_host hosts[HOST_ADDRS_MAX];
	struct filter_node *n = NULL, *one;
	char *s = xstrdup(v->word), *colon = strchr(s, ':');
	int32_t port = -1;
	size_t i, k = 0;

	if (colon != NULL)
		*colon = '\0';
	if (colon != NULL && port_value(p, colon + 1,
	    v->col + (int)(colon + 1 - s), 1, &port) < 0)
		goto out;
	if (names != NULL && names->host != NULL)
		k = names->host(s, hosts, HOST_ADDRS_MAX);
	if (k == 0) {
		parser_error(p, v->col, _("unknown host '%s': give an address "
		    "such as 10.0.0.0/8, or a name the resolver knows"), s);
		goto out;
	}
	for (i = 0; i < k; i++) {
		one = parser_node(term->kind, NULL, NULL);
		one->u.host = hosts[i];
		one->u.host.prefix = hosts[i].family == AF_INET ? 32 : 128;
		one->u.host.port = port;
		n = n == NULL ? one : parser_node(FILTER_OR, n, one);
	}
out:
	free(s);
	return n;
}

static struct filter_node *
term_host(struct parser *p, const struct term *term, const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	enum filter_cmp cmp = FILTER_EQ;
	int col = parser_peek(p)->col;

	take_cmp(p, &cmp);
	if (cmp != FILTER_EQ && cmp != FILTER_NE) {
		parser_error(p, col, _("'%s' compares addresses with = or != "
		    "only: use sport or dport for port ranges"), name->word);
		return NULL;
	}
	if ((v = take_value(p, _("expected an address after '%s', such as "
	    "10.0.0.0/8, [2001:db8::1]:443 or :80"))) == NULL)
		return NULL;
	if (is_host_name(v->word)) {
		if ((n = host_name_node(p, term, v)) == NULL)
			return NULL;
	} else {
		n = parser_node(term->kind, NULL, NULL);
		if (host_value(p, v, &n->u.host) < 0) {
			filter_node_free(n);
			return NULL;
		}
	}
	if (cmp == FILTER_NE)
		n = parser_node(FILTER_NOT, n, NULL);
	return n;
}

/* One number with an optional fraction: "5", "1.5". */
static const char *
decimal(const char *s, double *out)
{
	double v = 0, scale = 1;
	int digits = 0;

	for (; isdigit((unsigned char)*s) && digits < 12; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s) && digits < 12; s++,
		    digits++)
			v += (*s - '0') * (scale /= 10);
	*out = v;
	return digits == 0 || isdigit((unsigned char)*s) ? NULL : s;
}

/* "500ms", "30s", "5m", "2h", "1d", "1h30m"; a bare number is seconds. */
static int
parse_duration(const char *s, double *out)
{
	static const struct {
		const char	*unit;
		double		 seconds;
	} units[] = {
		{ "ms", 0.001 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
		{ "d", 86400 },
	};
	double total = 0, v;
	size_t i, n;

	if ((s = decimal(s, &v)) == NULL)
		return -1;
	if (*s == '\0') {
		*out = v;
		return 0;
	}
	for (;;) {
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			n = strlen(units[i].unit);
			if (strncmp(s, units[i].unit, n) == 0 &&
			    !isalpha((unsigned char)s[n]))
				break;
		}
		if (i == sizeof units / sizeof units[0])
			return -1;
		total += v * units[i].seconds;
		if (*(s += n) == '\0')
			break;
		if ((s = decimal(s, &v)) == NULL || *s == '\0')
			return -1;
	}
	*out = total;
	return 0;
}

static struct filter_node *
term_duration(struct parser *p, const struct term *term,
    const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	enum filter_cmp cmp;
	double seconds;

	if (!take_cmp(p, &cmp)) {
		parser_error(p, parser_peek(p)->col, _("expected a comparison "
		    "(<, >, <=, >=, =, !=) after '%s'"), name->word);
		return NULL;
	}
	if ((v = take_value(p, _("expected a duration after '%s', such as "
	    "30s, 5m or 2h"))) == NULL)
		return NULL;
	if (parse_duration(v->word, &seconds) < 0) {
		parser_error(p, v->col, _("bad duration '%s': use a number and "
		    "a unit: 500ms, 30s, 5m, 2h, 1d"), v->word);
		return NULL;
	}
	n = cmp_node(term, cmp);
	n->u.seconds = seconds;
	return n;
}

static struct filter_node *
term_process(struct parser *p, const struct term *term,
    const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	enum filter_cmp cmp = FILTER_EQ;
	int col = parser_peek(p)->col;

	take_cmp(p, &cmp);
	if (cmp != FILTER_EQ && cmp != FILTER_NE) {
		parser_error(p, col, _("'%s' compares names with = or != only"),
		    name->word);
		return NULL;
	}
	if ((v = take_value(p, _("expected a process name after '%s'"))) ==
	    NULL)
		return NULL;
	n = cmp_node(term, cmp);
	n->u.name = xstrdup(v->word);
	return n;
}

static struct filter_node *
term_number(struct parser *p, const struct term *term,
    const struct token *name)
{
	const struct token *v;
	struct filter_node *n;
	enum filter_cmp cmp = FILTER_EQ;
	uint64_t num;

	(void)name;
	take_cmp(p, &cmp);
	if ((v = take_value(p, _("expected a number after '%s'"))) == NULL)
		return NULL;
	if (parse_uint(v->word, UINT32_MAX, &num) < 0) {
		parser_error(p, v->col, _("bad number '%s': use a whole number "
		    "from 0 to 4294967295"), v->word);
		return NULL;
	}
	n = cmp_node(term, cmp);
	n->u.num = num;
	return n;
}

/* A term at the current token, which is a word. */
struct filter_node *
parser_term(struct parser *p)
{
	const struct token *name = parser_peek(p);
	const struct term *term = term_find(name);
	struct filter_node *n;
	uint32_t mask;

	/* A bare state name or group is short for "state NAME". */
	if (term == NULL && !name->quoted &&
	    sock_state_parse(name->word, &mask) == 0) {
		parser_next(p);
		n = parser_node(FILTER_STATE, NULL, NULL);
		n->u.states = mask;
		return n;
	}
	if (term == NULL) {
		parser_error(p, name->col, _("unknown term '%s': use state, "
		    "exclude, sport, dport, src, dst, age, state-age, process, "
		    "pid, uid, recv-q, send-q or retrans"), name->word);
		return NULL;
	}
	parser_next(p);
	return term->parse(p, term, name);
}
