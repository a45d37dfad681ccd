/*
 * testfile.c - whole files in and out, for the unit tests (testfile.h).
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testfile.h"

char *
testfile_read(const char *path, size_t *size)
{
	struct stat st;
	char *data;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	*size = (size_t)st.st_size;
	data = malloc(*size + 1);	/* + 1: an empty file is not NULL */
	assert_non_null(data);
	assert_int_equal(read(fd, data, *size), (ssize_t)*size);
	close(fd);
	return data;
}

void
testfile_write(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), (ssize_t)size);
	close(fd);
}
