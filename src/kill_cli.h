/*
 * kill_cli.h - the --kill command of batch mode.
 */
#ifndef SOCKWATCH_KILL_CLI_H
#define SOCKWATCH_KILL_CLI_H

#include "kill.h"
#include "sock.h"

struct kill_cli {
	int	yes;		/* do not ask */
	int	dry_run;	/* list only */
};

int	kill_cli_run(struct kill *, const struct snapshot *,
	    const struct kill_cli *, size_t undecided);

#endif
