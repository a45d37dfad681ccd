/*
 * testfile.h - whole files in and out, for unit tests that damage the
 * files sockwatch writes (recordings, state files). Failures are cmocka
 * assertions.
 */
#ifndef SOCKWATCH_TESTFILE_H
#define SOCKWATCH_TESTFILE_H

#include <stddef.h>

char	*testfile_read(const char *path, size_t *size);	/* free() it */
void	 testfile_write(const char *path, const void *data, size_t size);

#endif
