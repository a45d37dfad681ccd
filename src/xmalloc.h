/*
 * xmalloc.h - allocation that cannot fail: running out of memory is fatal.
 */
#ifndef SOCKWATCH_XMALLOC_H
#define SOCKWATCH_XMALLOC_H

#include <stddef.h>
#include <stdlib.h>

/* A transparent huge page (x86-64, arm64 with 4 KiB pages). */
#define HUGE_PAGE	((size_t)2 << 20)

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
void	 populate(void *, size_t);
void	 advise_huge(void *, size_t);
void	*xmap(size_t);
void	 xunmap(void *, size_t);
int	 xasprintf(char **, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

#endif
