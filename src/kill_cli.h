/*
 * kill_cli.h - the --kill command of batch mode.
 *
 * What was listed may have changed while the question waited: each socket
 * is looked up again just before it is destroyed and judged by the whole
 * filter as it is now; what no longer matches is skipped and reported in
 * its current state.
 */
#ifndef SOCKWATCH_KILL_CLI_H
#define SOCKWATCH_KILL_CLI_H

#include <stdint.h>

#include "kill.h"
#include "sock.h"

struct kill_cli {
	int	yes;		/* do not ask */
	int	dry_run;	/* list only */
};

struct filter;
struct monitor;

struct kill_recheck {
	/* The socket as the kernel has it now: 1, 0 when it has gone, -1
	   with *cause when it could not be asked. */
	int			(*lookup)(void *arg, const struct sock_rec *,
				    struct sock_rec *now, char **cause);
	void			*lookup_arg;
	const struct filter	*filter;
	uint32_t		 states;	/* the source's TS_BIT() mask */
	const struct monitor	*mon;		/* ages, processes; or NULL */
};

int	kill_cli_run(struct kill *, const struct snapshot *,
	    const struct kill_cli *, size_t undecided,
	    const struct kill_recheck *);
/* kill_cli_lookup's argument: the source's netlink socket and the
   snapshot its answers land in, both the caller's. */
struct kill_cli_kernel {
	void		*diag;
	struct snapshot	 one;
};
int	kill_cli_lookup(void *kernel, const struct sock_rec *,
	    struct sock_rec *now, char **cause);

#endif
