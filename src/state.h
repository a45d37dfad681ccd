/*
 * state.h - what a cron run leaves for the next one: socket history,
 * rule hysteresis and counter readings, so ages, rates and "raised after
 * two polls" work across runs a few minutes apart.
 *
 * The file is keyed by the boot id and the network namespace: anything
 * else is history of other sockets and is ignored. It is written to a
 * temporary file and renamed into place, and never opened through a
 * symbolic link.
 */
#ifndef SOCKWATCH_STATE_H
#define SOCKWATCH_STATE_H

#include "monitor.h"

#define STATE_MAX_AGE_S	3600	/* older history is stale */
#define STATE_EXPIRE_S	86400	/* and its file is removed after a day */

enum state_result {
	STATE_LOADED,
	STATE_NONE,		/* missing, stale, or of another boot */
	STATE_BAD,		/* corrupt or unsafe: cause says why */
};

char		*state_default_path(const char *netns, const char *view);
enum state_result state_load(struct monitor *, const char *path,
		     const char *boot_id, const char *netns, double now,
		     char **cause);
int		 state_check_path(const char *path, int given, char **cause);
int		 state_save(const struct monitor *, const char *path,
		     int make_dir, char **cause);
size_t		 state_expire(const char *path);

#endif
