/*
 * replay.h - recordings of raw netlink dumps, written by --record and read
 * back by --replay instead of the kernel.
 *
 * A recording is a header and a sequence of frames. Each poll is a POLL
 * frame (host, boot id, netns), the netlink datagrams of its dumps exactly as
 * the kernel sent them, RESTART frames where an interrupted dump started
 * over, INFO frames with the tcp_info of some sockets asked for after the
 * dump, FILE frames with /proc counters, and an END frame; a poll without
 * its END is incomplete.
 */
#ifndef SOCKWATCH_REPLAY_H
#define SOCKWATCH_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

enum rec_kind {
	REC_POLL = 1,		/* "key=value\n" text: host, boot_id, netns */
	REC_DUMP = 2,		/* one netlink datagram of a dump reply */
	REC_RESTART = 3,	/* forget records since the last finished dump */
	REC_END = 4,		/* the poll is complete */
	REC_FILE = 5,		/* "path\0contents": a /proc file read with the poll */
	REC_INFO = 6,		/* sockets again, with tcp_info: merged by cookie */
};

struct recorder;
struct replay;

/*
 * recorder_open and replay_open fail with errno EINVAL when the file named
 * is of the wrong kind (a link, a device, another user's; not a recording
 * or a corrupt one): the command line's fault. Any other errno is the
 * system's (no such file, permission, I/O).
 */

struct recorder	*recorder_open(const char *path, char **cause);
int		 recorder_frame(struct recorder *, enum rec_kind,
		     const void *, size_t);
int		 recorder_poll(struct recorder *, const struct snapshot *);
int		 recorder_close(struct recorder *, char **cause);

struct replay	*replay_open(const char *path, char **cause);
size_t		 replay_polls(const struct replay *);
int		 replay_load(struct replay *, size_t poll, struct snapshot *,
		     char **cause);
const void	*replay_file(const struct replay *, size_t poll,
		     const char *path, size_t *len);
void		 replay_close(struct replay *);

#endif
