/*
 * options.h - the command line: what each option asks for, checked and
 * combined (conflicts refused with exit 64), so the modes read plain data.
 */
#ifndef SOCKWATCH_OPTIONS_H
#define SOCKWATCH_OPTIONS_H

#include <stdint.h>

#include "diag.h"
#include "kill_cli.h"

struct batch_format;
struct filter;

struct options {
	const struct batch_format *format;
	double		 interval;
	long		 count;		/* -1: mode default */
	int		 summary;
	int		 families;	/* bit 0 IPv4, bit 1 IPv6 */
	uint32_t	 states;
	uint32_t	 states_asked;	/* by -l and --state alone; 0: none */
	const char	*record;
	const char	*replay;
	const char	*netns;
	int		 all_netns;	/* -N all */
	/* Shown and keying history: -N's, else the one we run in (main). */
	const char	*netns_name;
	enum diag_method method;
	struct filter	*filter;	/* never NULL; may be empty */
	char		*filter_text;
	int		 kill;
	int		 readonly;
	int		 no_bytecode;
	struct kill_cli	 kill_cli;
	int		 batch;		/* -b, -c, -f, -s: a report, not the dashboard */
	int		 no_color;
	int		 processes;	/* -p */
	int		 check;		/* --check */
	int		 format_given;
	int		 interval_given;
	double		 cpu_budget;	/* share of one core; < 0: the mode's */
	const char	*config;
	const char	*state_file;
	const char	**sets;		/* --set KEY=VALUE, in order */
	size_t		 nsets;
	const char	*output;	/* --output FILE, or NULL: stdout */
	unsigned	 show;		/* BATCH_SHOW_*: -o -e -m -i -r */
};

void	options_parse(int argc, char **argv, struct options *);

#endif
