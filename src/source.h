/*
 * source.h - one interface over the live kernel and a recording: open it,
 * take polls from it, close it. Errors end the run with the exit status
 * that names them (3 for the kernel, 64 for a bad recording or filter).
 */
#ifndef SOCKWATCH_SOURCE_H
#define SOCKWATCH_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "pace.h"
#include "sock.h"

struct counters;
struct filter;
struct recorder;
struct replay;

struct source_options {
	const char		*replay;	/* read this recording, or NULL */
	const char		*record;	/* also write this one, or NULL */
	const char		*netns;		/* entered, or NULL */
	const char		*netns_name;	/* stamped on polls */
	unsigned		 families;	/* DIAG_FAMILY_* */
	uint32_t		 states;
	const struct filter	*filter;
	int			 no_bytecode;
	enum diag_method	 method;
	double			 cpu_budget;	/* share of a core; 0: no pacing */
	double			 interval;	/* seconds between polls */
	int			 want_info;	/* -i: tcp_info of every socket */
	int			 want_mem;	/* -m: SK_MEMINFO of every socket */
};

struct source {
	struct diag		*diag;
	struct replay		*replay;
	struct recorder		*recorder;
	struct diag_request	 req;
	size_t			 next_poll;
	const char		*netns;
	const struct filter	*filter;
	void			*bytecode;
	/* The rules' choice of sockets that need tcp_info, or NULL. */
	int			(*info_for)(const struct sock_rec *, void *);
	void			*info_arg;
	/* Pacing, live and not recording: the caller keeps interval current
	   and sets fresh_all when the next poll must see every socket. */
	int			 paced;
	struct pace		 pace;
	double			 cpu_mark;	/* CPU seconds at the last poll */
	double			 interval;
	int			 fresh_all;
};

void	source_open(struct source *, const struct source_options *);
int	source_poll(struct source *, struct snapshot *, struct counters *);
void	source_close(struct source *);

#endif
