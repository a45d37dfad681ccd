/*
 * fuzz_file.h - for targets whose parser starts from a path (a recording,
 * the state file, a small /proc file): the input as a private file.
 */
#ifndef SOCKWATCH_FUZZ_FILE_H
#define SOCKWATCH_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

const char	*fuzz_file(const uint8_t *, size_t);
const char	*fuzz_dir(void);

#endif
