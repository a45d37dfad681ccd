/*
 * fuzz_corpus.c - run a fuzz target over its seed corpus once, so that
 * make check exercises the target and its corpus without libFuzzer.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(void)
{
	char path[4096], buf[65536];
	struct dirent *e;
	size_t len, n = 0;
	FILE *f;
	DIR *d;

	if ((d = opendir(FUZZ_CORPUS)) == NULL) {
		perror(FUZZ_CORPUS);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", FUZZ_CORPUS, e->d_name);
		if ((f = fopen(path, "rb")) == NULL) {
			perror(path);
			return 1;
		}
		len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		n++;
	}
	closedir(d);
	printf("%zu inputs\n", n);
	return n == 0;
}
