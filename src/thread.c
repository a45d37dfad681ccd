/*
 * thread.c - the helper threads' start (the dump reader, the -r resolver).
 *
 * A signal sent to the process goes to any thread that does not block it.
 * SIGINT, SIGTERM and SIGWINCH are the main thread's to handle (its loop
 * and the terminal), so a helper starts with every signal blocked: it
 * inherits the mask of the thread that creates it, blocked only for the
 * moment of pthread_create.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>

#include "thread.h"

/* pthread_create's result: 0, or the error number. */
int
thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}
