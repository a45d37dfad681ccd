/*
 * thread.h - start a helper thread that leaves signals to the caller.
 */
#ifndef SOCKWATCH_THREAD_H
#define SOCKWATCH_THREAD_H

#include <pthread.h>

int	thread_start(pthread_t *, void *(*)(void *), void *);

#endif
