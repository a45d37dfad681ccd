/*
 * fuzz_replay.c - libFuzzer target for the recording reader: replay_open
 * (header and frame index), replay_load of every poll, and the /proc
 * files a poll carries (counters_replay).
 *
 * An input that does not start with the recording's magic gets a valid
 * header in front, so the fuzzer spends its time on frames. With
 * libFuzzer, a custom mutator also moves, copies and drops whole frames:
 * frames in any order and any count, as a hostile file has them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "fuzz_file.h"
#include "replay.h"

#define MAGIC		"SOCKWREC"
#define HEADER_LEN	16
#define FRAME_LEN	16	/* kind, len, time */
#define MAX_POLLS	64	/* a bound on the work of one input */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
load_polls(struct replay *r)
{
	struct snapshot snap;
	struct counters c;
	size_t i, len, n = replay_polls(r);
	char *cause = NULL;

	snapshot_init(&snap);
	for (i = 0; i < n && i < MAX_POLLS; i++) {
		if (replay_load(r, i, &snap, &cause) < 0) {
			if (cause == NULL)
				abort();	/* a failure must say why */
			free(cause);
			cause = NULL;
		}
		counters_replay(&c, r, i);
		replay_file(r, i, "", &len);
	}
	snapshot_free(&snap);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t head[2] = { 1, 0x01020304u };
	struct replay *r;
	uint8_t *buf = NULL;
	char *cause = NULL;
	const char *path;

	if (size < 8 || memcmp(data, MAGIC, 8) != 0) {
		buf = malloc(HEADER_LEN + size);
		memcpy(buf, MAGIC, 8);
		memcpy(buf + 8, head, sizeof head);
		if (size > 0)
			memcpy(buf + HEADER_LEN, data, size);
		path = fuzz_file(buf, HEADER_LEN + size);
		free(buf);
	} else
		path = fuzz_file(data, size);
	if ((r = replay_open(path, &cause)) == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	load_polls(r);
	replay_close(r);
	return 0;
}

#ifdef FUZZ_MUTATOR
size_t	LLVMFuzzerMutate(uint8_t *, size_t, size_t);
size_t	LLVMFuzzerCustomMutator(uint8_t *, size_t, size_t, unsigned int);

#define MAX_FRAMES	256

struct span {
	size_t	off, len;
};

/* The frames after the header, as whole spans (the last may be cut). */
static size_t
split_frames(const uint8_t *data, size_t size, struct span *f)
{
	size_t off = HEADER_LEN, n = 0, len;
	uint32_t plen;

	while (off + FRAME_LEN <= size && n < MAX_FRAMES) {
		memcpy(&plen, data + off + 4, sizeof plen);
		len = FRAME_LEN + (((size_t)plen + 7) & ~(size_t)7);
		if (len > size - off)
			len = size - off;
		f[n].off = off;
		f[n++].len = len;
		off += len;
	}
	return n;
}

/* Move, copy or drop one frame; 0 when the input has no frames. */
static size_t
mutate_frames(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	struct span f[MAX_FRAMES];
	size_t n, a, b, out, i, pick[MAX_FRAMES + 1], npick = 0;
	uint8_t *copy;

	if (size < HEADER_LEN || memcmp(data, MAGIC, 8) != 0 ||
	    (n = split_frames(data, size, f)) < 2)
		return 0;
	srand(seed);
	a = (size_t)rand() % n;
	b = (size_t)rand() % n;
	for (i = 0; i < n; i++) {
		if (i == b && seed % 3 == 0)
			pick[npick++] = a;	/* a copied before b */
		if (i == a && seed % 3 == 1)
			continue;		/* a dropped */
		if (seed % 3 == 2 && (i == a || i == b))
			pick[npick++] = i == a ? b : a;	/* swapped */
		else
			pick[npick++] = i;
	}
	copy = malloc(size);
	memcpy(copy, data, size);
	out = HEADER_LEN;
	for (i = 0; i < npick; i++) {
		if (out + f[pick[i]].len > max)
			break;
		memcpy(data + out, copy + f[pick[i]].off, f[pick[i]].len);
		out += f[pick[i]].len;
	}
	free(copy);
	return out;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
    unsigned int seed)
{
	size_t n;

	if (seed % 2 == 0 && (n = mutate_frames(data, size, max, seed / 2)) > 0)
		return n;
	return LLVMFuzzerMutate(data, size, max);
}
#endif
