/*
 * fuzz_file.c - the input of one run as a regular file of this user, made
 * once and rewritten in place, so millions of runs make no garbage. It
 * lives in /dev/shm when there is one: a run should cost no disk write.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"

static char	dir[256];
static char	file[300];
static int	fd = -1;

static void
fuzz_cleanup(void)
{
	if (fd >= 0)
		unlink(file);
	if (dir[0] != '\0')
		rmdir(dir);
}

/* A private directory, removed at exit (what a target puts in it too). */
const char *
fuzz_dir(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";

	if (dir[0] != '\0')
		return dir;
	snprintf(dir, sizeof dir, "%s/sockwatch-fuzz.XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(fuzz_cleanup);
	return dir;
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		snprintf(file, sizeof file, "%s/input", fuzz_dir());
		if ((fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) < 0) {
			perror(file);
			abort();
		}
	}
	if (ftruncate(fd, 0) < 0 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size)) {
		perror(file);
		abort();
	}
	return file;
}
