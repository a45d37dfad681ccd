/*
 * sockgen.h - the test socket generator: what its two files share.
 *
 * sockgen.c builds the sockets and says what it built; sockgen_net.c does
 * what touches namespaces, nftables, sysctls and /proc, so the generator's
 * own view of the kernel does not go through sockwatch's code.
 */
#ifndef SOCKGEN_H
#define SOCKGEN_H

#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define SOCKGEN_ADDR_STRLEN	(INET6_ADDRSTRLEN + 9)	/* "[addr]:65535" */
#define SOCKGEN_ROW_STRLEN	(2 * SOCKGEN_ADDR_STRLEN + 16)

void		 sockgen_die(const char *, ...)
		     __attribute__((format(printf, 1, 2), noreturn));
void		*sockgen_reallocarray(void *, size_t, size_t);

const char	*sockgen_state_name(int state);
const char	*sockgen_family_name(const struct sockaddr_storage *);
size_t		 sockgen_format_addr(char *, size_t,
		     const struct sockaddr_storage *);
void		 sockgen_format_row(char *, size_t, int state,
		     const struct sockaddr_storage *local,
		     const struct sockaddr_storage *peer);

int		 sockgen_netns_open(const char *name);
void		 sockgen_netns_enter(int fd, const char *name);
void		 sockgen_sysctl(const char *path, const char *value);
void		 sockgen_nft(const char *script);
char		**sockgen_proc_rows(size_t *n);

#endif
