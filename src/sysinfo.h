/*
 * sysinfo.h - facts about the host a poll is taken on: its name, boot id
 * and network namespace, and small /proc readers shared by other modules.
 */
#ifndef SOCKWATCH_SYSINFO_H
#define SOCKWATCH_SYSINFO_H

#include <stddef.h>

#include "sock.h"

void	sysinfo_stamp(struct snapshot *, const char *netns);
int	sysinfo_read_file(const char *path, char *buf, size_t size);
size_t	sysinfo_tcp_sockets(void);
size_t	sysinfo_count_tcp(const char *sockstat, const char *sockstat6);
int	sysinfo_enter_netns(const char *name, char **cause);

#endif
