/*
 * nls.h - the one place that decides how messages are translated.
 */
#ifndef SOCKWATCH_NLS_H
#define SOCKWATCH_NLS_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	(s)
#define ngettext(s, p, n)	((n) == 1 ? (s) : (p))
#endif
#define N_(s)	(s)

#endif
