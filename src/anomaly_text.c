/*
 * anomaly_text.c - the words of a finding, said once and rendered twice.
 *
 * A rule says a summary, a cause and an advice as an English printf format
 * with its arguments (anomaly_say, anomaly_nsay). The finding keeps the
 * format by content and the arguments by value, not the sentence: machine
 * outputs (JSON, CSV) render it in English whatever the locale, people's
 * outputs (the text report, Nagios, the dashboard) through gettext, which
 * finds a translation by its English text. Kept by content, a finding
 * read back from a state file written before a sentence changed still
 * renders: a format no longer in the catalogue stays English.
 *
 * Formats are rendered here, conversion by conversion, and never handed
 * whole to printf: a translation may reorder the arguments ("%2$s"), and a
 * format read from the state file is not trusted. An argument is printed
 * as the type it was recorded with, whatever its conversion says.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "anomaly_rules.h"
#include "log.h"
#include "nls.h"

/* One conversion: "%[n$][flags][width][.precision][length]conv". */
struct spec {
	int		 pos;		/* from "n$", 1-based; 0 when none */
	char		 flags[16];	/* flags, width and precision */
	char		 len[3];	/* length modifier */
	char		 conv;		/* 0: not one we know */
	size_t		 size;		/* characters after the '%' */
};

/*
 * A width or precision has at most this many digits: printf pads to what
 * it is told, a second of CPU per 10^8 characters, and an untrusted
 * format could ask for 10^9 at every frame of the dashboard.
 */
#define SPEC_DIGITS	3

/* s follows a '%'; sp->conv stays 0 when it is no conversion we know. */
static void
parse_spec(const char *s, struct spec *sp)
{
	const char *p = s, *q;
	size_t n, w, prec = 0;

	memset(sp, 0, sizeof *sp);
	for (q = p; *q >= '0' && *q <= '9' && q - p < 3; q++)
		sp->pos = sp->pos * 10 + (*q - '0');
	if (q > p && *q == '$')
		p = q + 1;
	else
		sp->pos = 0;
	q = p + strspn(p, "-+ #0");
	q += (w = strspn(q, "0123456789"));
	if (*q == '.')
		q += 1 + (prec = strspn(q + 1, "0123456789"));
	if (w > SPEC_DIGITS || prec > SPEC_DIGITS ||
	    (n = (size_t)(q - p)) >= sizeof sp->flags)
		return;
	memcpy(sp->flags, p, n);
	if ((n = strspn(q, "hlLzjt")) >= sizeof sp->len)
		return;
	memcpy(sp->len, q, n);
	q += n;
	if (*q == '\0' || strchr("diouxXeEfFgGs%", *q) == NULL)
		return;
	sp->conv = *q;
	sp->size = (size_t)(q + 1 - s);
}

static enum farg_type
conv_type(char conv)
{
	if (strchr("di", conv) != NULL)
		return FARG_INT;
	if (strchr("ouxX", conv) != NULL)
		return FARG_UINT;
	if (strchr("eEfFgG", conv) != NULL)
		return FARG_DOUBLE;
	return FARG_STRING;
}

/* Take the next argument off ap as the conversion says it was passed. */
static void
take(struct finding_text *t, struct finding_arg *a, const struct spec *sp,
    va_list *ap)
{
	const char *s;
	size_t room;

	a->type = conv_type(sp->conv);
	switch (a->type) {
	case FARG_INT:
		if (strcmp(sp->len, "ll") == 0)
			a->i = va_arg(*ap, long long);
		else if (strcmp(sp->len, "l") == 0)
			a->i = va_arg(*ap, long);
		else if (strcmp(sp->len, "z") == 0)
			a->i = va_arg(*ap, ssize_t);
		else
			a->i = va_arg(*ap, int);
		break;
	case FARG_UINT:
		if (strcmp(sp->len, "ll") == 0)
			a->i = (long long)va_arg(*ap, unsigned long long);
		else if (strcmp(sp->len, "l") == 0)
			a->i = (long long)va_arg(*ap, unsigned long);
		else if (strcmp(sp->len, "z") == 0)
			a->i = (long long)va_arg(*ap, size_t);
		else
			a->i = va_arg(*ap, unsigned);
		break;
	case FARG_DOUBLE:
		a->d = va_arg(*ap, double);
		break;
	case FARG_STRING:
		s = va_arg(*ap, const char *);
		room = sizeof t->strs - t->nstrs;
		if (room == 0) {	/* full: the '\0' that ends the last */
			a->off = sizeof t->strs - 1;
			break;
		}
		a->off = t->nstrs;
		snprintf(t->strs + t->nstrs, room, "%s", s != NULL ? s : "");
		t->nstrs += (uint16_t)(strlen(t->strs + t->nstrs) + 1);
		break;
	}
}

/*
 * The types of fmt's conversions as letters, "us" for "%zu in %s"; the
 * lengths take() knows are the only ones a rule may use.
 */
static void
signature(const char *fmt, char *sig, size_t size)
{
	struct spec sp;
	const char *p;
	size_t n = 0;

	for (p = fmt; (p = strchr(p, '%')) != NULL; p += 1 + sp.size) {
		parse_spec(p + 1, &sp);
		if (sp.conv == 0 || sp.pos != 0 || (*sp.len != '\0' &&
		    strcmp(sp.len, "l") != 0 && strcmp(sp.len, "ll") != 0 &&
		    strcmp(sp.len, "z") != 0))
			fatal("finding format \"%s\": unsupported conversion",
			    fmt);
		if (sp.conv != '%' && n + 1 < size)
			sig[n++] = "iufs"[conv_type(sp.conv)];
	}
	sig[n] = '\0';
}

static void
record(struct finding *f, enum finding_part part, unsigned long n,
    const char *one, const char *other, va_list ap)
{
	struct finding_text *t = &f->text[part];
	size_t lone = strlen(one), lother = other != NULL ? strlen(other) : 0;
	char sig[FINDING_ARGS + 2], sig2[FINDING_ARGS + 2];
	struct spec sp;
	const char *p;
	va_list aq;

	signature(one, sig, sizeof sig);
	if (strlen(sig) > FINDING_ARGS || lone + lother + 2 > sizeof t->fmt)
		fatal("finding format \"%s\": too long", one);
	if (other != NULL) {
		signature(other, sig2, sizeof sig2);
		if (strcmp(sig, sig2) != 0)
			fatal("finding formats \"%s\" and \"%s\" differ", one,
			    other);
	}
	memset(t, 0, sizeof *t);
	memcpy(t->fmt, one, lone);
	if (other != NULL) {
		memcpy(t->fmt + lone + 1, other, lother);
		t->plural = 1;
		t->n = n;
	}
	va_copy(aq, ap);
	for (p = one; (p = strchr(p, '%')) != NULL; p += 1 + sp.size) {
		parse_spec(p + 1, &sp);
		if (sp.conv != '%')
			take(t, &t->arg[t->nargs++], &sp, &aq);
	}
	va_end(aq);
}

void
anomaly_say(struct finding *f, enum finding_part part, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(f, part, 0, fmt, NULL, ap);
	va_end(ap);
}

void
anomaly_nsay(struct finding *f, enum finding_part part, unsigned long n,
    const char *one, const char *other, ...)
{
	va_list ap;

	va_start(ap, other);
	record(f, part, n, one, other, ap);
	va_end(ap);
}

const char *
anomaly_english(const char *msgid, const char *plural, unsigned long n)
{
	return plural != NULL && n != 1 ? plural : msgid;
}

const char *
anomaly_gettext(const char *msgid, const char *plural, unsigned long n)
{
	return plural != NULL ? ngettext(msgid, plural, n) : _(msgid);
}

/*
 * Append one argument, as the type it was recorded with. Its format is
 * built here from a spec parse_spec checked: it can be no literal.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
put_arg(char *buf, size_t size, const struct spec *sp,
    const struct finding_text *t, const struct finding_arg *a)
{
	char f[32];
	char c = sp->conv;

	switch (a->type) {
	case FARG_INT:
	case FARG_UINT:
		if (conv_type(c) == FARG_DOUBLE) {
			snprintf(f, sizeof f, "%%%s%c", sp->flags, c);
			return snprintf(buf, size, f, (double)a->i);
		}
		if (c == 's' || conv_type(c) != a->type)
			c = a->type == FARG_INT ? 'd' : 'u';
		snprintf(f, sizeof f, "%%%sll%c", sp->flags, c);
		if (a->type == FARG_INT)
			return snprintf(buf, size, f, a->i);
		return snprintf(buf, size, f, (unsigned long long)a->i);
	case FARG_DOUBLE:
		if (conv_type(c) != FARG_DOUBLE)
			c = 'g';
		snprintf(f, sizeof f, "%%%s%c", sp->flags, c);
		return snprintf(buf, size, f, a->d);
	case FARG_STRING:
		snprintf(f, sizeof f, "%%%ss", sp->flags);
		return snprintf(buf, size, f, a->off < sizeof t->strs ?
		    t->strs + a->off : "");
	}
	return snprintf(buf, size, "?");
}
#pragma GCC diagnostic pop

/*
 * The text of one part of a finding, in the language tr picks:
 * anomaly_english for machines, anomaly_gettext for people. Returns its
 * length; an empty string when the rule said nothing.
 */
size_t
anomaly_text(char *buf, size_t size, const struct finding *f,
    enum finding_part part, anomaly_translate *tr)
{
	const struct finding_text *t = &f->text[part];
	const char *other = NULL, *fmt, *p;
	size_t n = 0, lone, seq = 0, idx;
	struct spec sp;
	int w;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	lone = strnlen(t->fmt, sizeof t->fmt);
	if (lone == sizeof t->fmt || t->fmt[0] == '\0')
		return 0;
	if (t->plural && lone + 1 < sizeof t->fmt &&
	    memchr(t->fmt + lone + 1, '\0', sizeof t->fmt - lone - 1) != NULL)
		other = t->fmt + lone + 1;
	fmt = tr(t->fmt, other, (unsigned long)t->n);
	for (p = fmt; *p != '\0' && n + 1 < size; p++) {
		if (*p != '%') {
			buf[n++] = *p;
			continue;
		}
		parse_spec(p + 1, &sp);
		if (sp.conv == 0) {
			buf[n++] = '%';
			continue;
		}
		p += sp.size;
		if (sp.conv == '%') {
			buf[n++] = '%';
			continue;
		}
		idx = sp.pos > 0 ? (size_t)sp.pos - 1 : seq++;
		if (t->nargs >= 0 && t->nargs <= FINDING_ARGS &&
		    idx < (size_t)t->nargs)
			w = put_arg(buf + n, size - n, &sp, t, &t->arg[idx]);
		else
			w = snprintf(buf + n, size - n, "?");
		if (w > 0)
			n += (size_t)w < size - n ? (size_t)w : size - n - 1;
	}
	buf[n] = '\0';
	return n;
}
