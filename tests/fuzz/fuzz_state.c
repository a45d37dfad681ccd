/*
 * fuzz_state.c - libFuzzer target for the state file loader (statefile_load,
 * anomaly_restore), and for what a loaded state is used for next: the
 * findings' texts are rendered and a poll runs on the loaded model.
 *
 * The loader ignores history of another boot or namespace and stale
 * history: the target writes this run's boot id and namespace into the
 * header and asks at a time just after the file's, so the fuzzer spends
 * its time past those checks. The offsets are those of struct
 * state_header in statefile.c.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "fuzz_file.h"
#include "statefile.h"

#define BOOT_ID		"fuzz-boot-id"
#define OFF_BOOT_ID	32
#define OFF_NETNS	72
#define OFF_SAVED	80
#define HEADER_LEN	128

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
render(const struct monitor *mon)
{
	char buf[1024];
	size_t i;
	int k;

	for (i = 0; i < mon->engine.ntracks; i++)
		for (k = 0; k < FINDING_PARTS; k++) {
			if (anomaly_text(buf, sizeof buf,
			    &mon->engine.tracks[i].f, k, anomaly_english) >=
			    sizeof buf || strlen(buf) >= sizeof buf)
				abort();
			anomaly_text(buf, 7, &mon->engine.tracks[i].f, k,
			    anomaly_gettext);
		}
}

/*
 * One more poll, seen no sooner than the saved one, of the sockets the
 * history knows (their cookies are its keys, in the states it saved), so
 * their ages are computed from what was loaded.
 */
static void
poll_once(struct monitor *mon, double now)
{
	struct snapshot snap;
	struct counters c;
	struct sock_rec *s;
	size_t i, at;

	snapshot_init(&snap);
	for (i = 0; i < mon->model.cap && snap.n < 4096; i++) {
		if (mon->model.tab[i].key == 0)
			continue;
		s = snapshot_add(&snap, &at);
		s->cookie = mon->model.tab[i].key;
		s->family = AF_INET;
		s->state = mon->model.tab[i].state >= TS_ESTABLISHED &&
		    mon->model.tab[i].state <= TS_CLOSING ?
		    mon->model.tab[i].state : TS_ESTABLISHED;
	}
	snprintf(snap.boot_id, sizeof snap.boot_id, "%s", BOOT_ID);
	snap.when.tv_sec = (time_t)now + 1;
	counters_init(&c);
	monitor_update(mon, &snap, &c);
	render(mon);
	snapshot_free(&snap);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t ino;
	struct anomaly_config cfg;
	struct monitor mon;
	struct stat st;
	uint8_t *buf;
	double saved, now = 1e9;
	char *cause = NULL;
	enum statefile_result r;

	if (ino == 0 && stat("/proc/self/ns/net", &st) == 0)
		ino = (uint64_t)st.st_ino;
	buf = malloc(size > 0 ? size : 1);
	memcpy(buf, data, size);
	if (size >= HEADER_LEN) {
		memset(buf + OFF_BOOT_ID, 0, 40);
		memcpy(buf + OFF_BOOT_ID, BOOT_ID, sizeof BOOT_ID);
		memcpy(buf + OFF_NETNS, &ino, sizeof ino);
		memcpy(&saved, buf + OFF_SAVED, sizeof saved);
		if (isfinite(saved) && saved > 0 && saved < 4e9)
			now = saved + 1;
	}
	anomaly_config_defaults(&cfg);
	monitor_init(&mon, &cfg, 0);
	r = statefile_load(&mon, fuzz_file(buf, size), BOOT_ID, "", now, &cause);
	free(buf);
	if (r == STATEFILE_BAD && cause == NULL)
		abort();
	free(cause);
	if (r == STATEFILE_LOADED) {
		render(&mon);
		poll_once(&mon, now);
	}
	monitor_free(&mon);
	return 0;
}
