/*
 * diag_reader.h - a dump's datagrams read on a thread of their own, so the
 * caller parses while the kernel walks its tables.
 */
#ifndef SOCKWATCH_DIAG_READER_H
#define SOCKWATCH_DIAG_READER_H

#include <stddef.h>

struct diag_reader;
struct diag_blocks;

/* Where readers put their datagrams: one per socket, kept across dumps. */
struct diag_blocks *diag_blocks_new(void);
void		 diag_blocks_free(struct diag_blocks *);

struct diag_reader *diag_reader_start(int fd, size_t maxlen,
		    struct diag_blocks *);
const void	*diag_reader_next(struct diag_reader *, size_t *len, int *err);
void		 diag_reader_finish(struct diag_reader *);
/* Whether a reply datagram holds the last message of its dump. */
int		 diag_reader_dump_ended(const void *buf, size_t len);

#endif
