/*
 * fuzz_corpus.c - run a fuzz target over its seed corpus once, so that
 * make check exercises the target and its corpus without libFuzzer (and
 * under the sanitizers CI builds with). Each input is handed over in an
 * allocation of exactly its size, as libFuzzer does, so a read past its
 * end is caught.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The whole file in an allocation of its size; NULL on error. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	long size;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(size > 0 ? (size_t)size : 1);
		*len = fread(buf, 1, (size_t)size, f);
		if (*len != (size_t)size) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int
main(void)
{
	char path[4096];
	struct dirent *e;
	size_t len, n = 0;
	uint8_t *buf;
	DIR *d;

	if ((d = opendir(FUZZ_CORPUS)) == NULL) {
		perror(FUZZ_CORPUS);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", FUZZ_CORPUS, e->d_name);
		if ((buf = slurp(path, &len)) == NULL) {
			perror(path);
			return 1;
		}
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	printf("%zu inputs\n", n);
	return n == 0;
}
