/*
 * safefile.h - the files sockwatch replaces (--state-file, --record) and
 * the files it reads as recordings: only what is plainly the user's own.
 *
 * sockwatch runs as root from cron, in directories others may write: a
 * path that is a link, a device, a FIFO or another user's file is never
 * written, truncated or renamed over, and never waited on.
 */
#ifndef SOCKWATCH_SAFEFILE_H
#define SOCKWATCH_SAFEFILE_H

#include <sys/stat.h>

enum safefile_result {
	SAFEFILE_OK = 0,
	SAFEFILE_ERROR = -1,	/* a system error: errno */
	SAFEFILE_UNSAFE = -2,	/* of the wrong kind or owner: *what says */
};

const char	*safefile_kind(mode_t);
int		 safefile_replaceable(const char *path, const char **what);
int		 safefile_create(const char *path, const char **what);

#endif
