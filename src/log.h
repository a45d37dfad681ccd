/*
 * log.h - messages to the user on stderr, and the exit statuses they end with.
 *
 * Every message is one line: "sockwatch: what happened: what to do".
 */
#ifndef SOCKWATCH_LOG_H
#define SOCKWATCH_LOG_H

enum exit_status {
	EXIT_OK = 0,
	EXIT_WARNING = 1,
	EXIT_CRITICAL = 2,
	EXIT_FAILURE_JOB = 3,	/* could not do the job: kernel, privilege;
				   Nagios' UNKNOWN */
	EXIT_PARTIAL = 5,	/* --kill: some sockets could not be destroyed */
	EXIT_USAGE = 64,	/* bad option, filter or configuration */
};

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_die(int status, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	log_set_cleanup(void (*)(void));
void	log_set_plugin(const char *prefix);
void	close_stdout(void);

#endif
