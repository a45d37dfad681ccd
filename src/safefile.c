/*
 * safefile.c - what sockwatch may replace: a path that is absent, or a
 * regular file of this user with no other name. Anything else (a device
 * like /dev/null, a FIFO, a link that may point anywhere, a file another
 * user could read back through a second link) is refused untouched.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "nls.h"
#include "safefile.h"

/* What a file of this mode is, as the end of "FILE is ...". */
const char *
safefile_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return _("is a symbolic link");
	if (S_ISDIR(mode))
		return _("is a directory");
	if (S_ISFIFO(mode))
		return _("is a FIFO or a pipe");
	if (S_ISSOCK(mode))
		return _("is a socket");
	if (S_ISCHR(mode))
		return _("is a character device");
	if (S_ISBLK(mode))
		return _("is a block device");
	if (!S_ISREG(mode))
		return _("is not a regular file");
	return NULL;
}

/* Why a file with this lstat() may not be replaced, or NULL. */
static const char *
refusal(const struct stat *st)
{
	const char *kind = safefile_kind(st->st_mode);

	if (kind != NULL)
		return kind;
	if (st->st_uid != geteuid())
		return _("belongs to another user");
	if (st->st_nlink != 1)
		return _("has other hard links");
	return NULL;
}

/*
 * SAFEFILE_OK when path may be replaced: it is absent, or a regular file
 * of this user with one link. Never opens it, so a FIFO cannot block.
 */
int
safefile_replaceable(const char *path, const char **what)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? SAFEFILE_OK : SAFEFILE_ERROR;
	if ((*what = refusal(&st)) != NULL)
		return SAFEFILE_UNSAFE;
	return SAFEFILE_OK;
}

/*
 * Create path, or empty it when it may be replaced; its descriptor, or a
 * safefile_result. The checks are made again on what was opened, so a
 * path swapped meanwhile is refused, and nothing is truncated before.
 */
int
safefile_create(const char *path, const char **what)
{
	struct stat st;
	int fd, ret, err;

	*what = NULL;
	if ((ret = safefile_replaceable(path, what)) != SAFEFILE_OK)
		return ret;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno != ELOOP)
			return SAFEFILE_ERROR;
		*what = safefile_kind(S_IFLNK);
		return SAFEFILE_UNSAFE;
	}
	if (fstat(fd, &st) < 0 || (*what = refusal(&st)) != NULL ||
	    ftruncate(fd, 0) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return *what != NULL ? SAFEFILE_UNSAFE : SAFEFILE_ERROR;
	}
	return fd;
}
