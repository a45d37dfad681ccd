/*
 * statefile.h - what a cron run leaves for the next one: socket history,
 * rule hysteresis and counter readings, so ages, rates and "raised after
 * two polls" work across runs a few minutes apart.
 *
 * The file is keyed by the boot id and the network namespace: anything
 * else is history of other sockets and is ignored. It is written to a
 * temporary file and swapped into place, and never opened through a
 * symbolic link.
 */
#ifndef SOCKWATCH_STATEFILE_H
#define SOCKWATCH_STATEFILE_H

#include "monitor.h"

#define STATEFILE_MAX_AGE_S	3600	/* older history is stale */
#define STATEFILE_EXPIRE_S	86400	/* and its file is removed after a day */

enum statefile_result {
	STATEFILE_LOADED,
	STATEFILE_NONE,		/* missing, stale, or of another boot */
	STATEFILE_BAD,		/* corrupt or unsafe: cause says why */
};

char		*statefile_default_path(const char *netns, const char *view);
enum statefile_result statefile_load(struct monitor *, const char *path,
		     const char *boot_id, const char *netns, double now,
		     char **cause);
int		 statefile_peek(const char *path, const char *boot_id,
		     double now, double *saved, struct counters *last);
int		 statefile_check_path(const char *path, int given, char **cause);
int		 statefile_save(const struct monitor *, const char *path,
		     int make_dir, char **cause);
size_t		 statefile_expire(const char *path);

#endif
