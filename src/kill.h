/*
 * kill.h - ending TCP connections: the kernel's abortive close of one socket
 * (the sock_diag destroy request), by its exact identity.
 *
 * kill.c is the only file that sends that request, so the privileged action
 * can be audited in one place (a test fails the build otherwise). The batch
 * command (kill_cli.c) and the dashboard call kill_destroy or kill_batch.
 */
#ifndef SOCKWATCH_KILL_H
#define SOCKWATCH_KILL_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

enum kill_outcome {
	KILL_DESTROYED,		/* the kernel aborted it */
	KILL_GONE,		/* ENOENT: it had already gone; not a failure */
	KILL_UNSUPPORTED,	/* EOPNOTSUPP: no CONFIG_INET_DIAG_DESTROY, or
				   this state cannot be destroyed */
	KILL_DENIED,		/* EPERM: no CAP_NET_ADMIN in its namespace */
	KILL_SKIPPED,		/* looked up again, it no longer matched: not
				   asked of the kernel (kill_cli.c) */
	KILL_FAILED,		/* anything else: see the cause */
};
#define KILL_NOUTCOMES	(KILL_FAILED + 1)

/*
 * Sends one request and returns the kernel's answer: 0, or a positive
 * errno. Tests replace it to inject errors.
 */
typedef int (*kill_exchange_fn)(void *arg, const void *req, size_t len);

struct kill;

struct kill	*kill_open(char **cause);
struct kill	*kill_open_with(kill_exchange_fn, void *arg);
void		 kill_close(struct kill *);
size_t		 kill_build(void *buf, size_t size, const struct sock_rec *,
		     uint32_t seq);
enum kill_outcome kill_destroy(struct kill *, const struct sock_rec *,
		     char **cause);
void		 kill_batch(struct kill *, const struct sock_rec *, size_t n,
		     enum kill_outcome *, char **causes);
int		 kill_gone(enum kill_outcome);
int		 kill_status(const enum kill_outcome *, size_t n);
const char	*kill_outcome_name(enum kill_outcome);
const char	*kill_outcome_advice(enum kill_outcome);

#endif
