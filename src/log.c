/*
 * log.c - one-line messages on stderr.
 *
 * fatal() is for states that cannot happen; errors a user can cause go
 * through log_die() with the exit status that names them. A cleanup hook
 * lets the dashboard restore the terminal before anything is printed.
 * Messages quote paths and names from outside sockwatch: each goes through
 * the sanitiser, so it stays one line and cannot drive the terminal.
 *
 * Under --check sockwatch is a monitoring plugin: Nagios reads the first
 * line of standard output and knows only the statuses 0 to 3, so an error
 * also says "SOCKWATCH UNKNOWN - what happened" there and exits 3.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "log.h"
#include "nls.h"

static void (*cleanup)(void);
static const char *plugin;	/* "SOCKWATCH", or NULL: not a plugin */

void
log_set_cleanup(void (*fn)(void))
{
	cleanup = fn;
}

static void
log_vprint(const char *fmt, va_list ap)
{
	char *msg = NULL, *clean = NULL;
	size_t size;

	if (vasprintf(&msg, fmt, ap) >= 0 &&
	    (clean = malloc(size = 4 * strlen(msg) + 1)) != NULL)
		format_sanitize(clean, size, msg);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", PACKAGE, clean != NULL ? clean :
	    "(out of memory)");
	free(clean);
	free(msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

/* Restore what the cleanup hook guards (the terminal), then speak. */
static void
log_vfinal(const char *fmt, va_list ap)
{
	if (cleanup != NULL)
		cleanup();
	log_vprint(fmt, ap);
}

void
log_set_plugin(const char *prefix)
{
	plugin = prefix;
}

/* The plugin's UNKNOWN status line, the message on one line. */
static void
log_plugin_line(const char *fmt, va_list ap)
{
	char msg[1024], *p;

	vsnprintf(msg, sizeof msg, fmt, ap);
	for (p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '|')
			*p = ' ';	/* '|' would start the perfdata */
	printf("%s UNKNOWN - %s\n", plugin, msg);
	fflush(stdout);
}

void
log_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vfinal(fmt, ap);
	va_end(ap);
	if (plugin != NULL && status != EXIT_OK) {
		va_start(ap, fmt);
		log_plugin_line(fmt, ap);
		va_end(ap);
		status = EXIT_FAILURE_JOB;
	}
	exit(status);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vfinal(fmt, ap);
	va_end(ap);
	abort();
}

/* A full disk under cron must be an error, not silence. */
void
close_stdout(void)
{
	if (fclose(stdout) != 0 && errno != EBADF)
		log_die(EXIT_FAILURE_JOB, _("cannot write to standard output: %s"),
		    strerror(errno));
}
