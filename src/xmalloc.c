/*
 * xmalloc.c - allocation wrappers that end the program on failure, so
 * callers never carry out-of-memory paths.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

void *
xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		fatal("allocation of %zu x %zu bytes overflows", n, size);
	p = realloc(old, n * size == 0 ? 1 : n * size);
	if (p == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(xmalloc(len), s, len);
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("out of memory formatting a message");
	return n;
}

#define POPULATE_STEP	((uintptr_t)2 << 20)

/*
 * Fault in the pages of [p, p + len) with few system calls, before they
 * are written. A million sockets fill a few hundred megabytes of fresh
 * pages, and one page fault each, an exception on every 4 KiB, cost more
 * system time than the kernel's walk of its tables; MADV_POPULATE_WRITE
 * (Linux 5.14) maps them in one pass. Only whole pages inside the range
 * are asked for, so a caller's neighbours are never touched. Advice only:
 * an older kernel refuses it, and the pages fault in as before.
 *
 * A step at a time: the call holds the process's mmap lock while it zeroes
 * its pages (160 ms for a million sockets' table here), and every other
 * thread's mmap, munmap or mremap waits for it (the dump's arrays).
 */
void
populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end, step;

	start = ((uintptr_t)p + page - 1) & ~(page - 1);
	end = ((uintptr_t)p + len) & ~(page - 1);
	for (; start < end; start += step) {
		step = end - start < POPULATE_STEP ? end - start : POPULATE_STEP;
		if (madvise((void *)start, step, MADV_POPULATE_WRITE) < 0)
			break;
	}
#else
	(void)p;
	(void)len;
#endif
}

/*
 * Ask for huge pages under the whole 2 MiB steps of [p, p + len): for an
 * array filled from one end, written once and read in passes. In a guest
 * whose page tables the host shadows, the first touch of every 4 KiB page
 * costs an exit to the host, even once the page is mapped.
 */
void
advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/*
 * size zeroed bytes straight from the kernel, faulted in, on huge pages
 * where it has them (transparent huge pages, "madvise" or "always"): for a
 * large table read at random, where a miss of the TLB on every lookup
 * costs as much as the cache miss. Free it with xunmap(p, size).
 */
void *
xmap(size_t size)
{
	size_t len = size + HUGE_PAGE;
	char *p, *start;

	if (size < HUGE_PAGE)
		return xcalloc(1, size);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		fatal("out of memory mapping %zu bytes", size);
	/* Keep the part aligned to a huge page, and give the rest back. */
	start = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
	if (start > p)
		munmap(p, (size_t)(start - p));
	len -= (size_t)(start - p);
	size = (size + 4095) & ~(size_t)4095;
	if (len > size)
		munmap(start + size, len - size);
#ifdef MADV_HUGEPAGE
	(void)madvise(start, size, MADV_HUGEPAGE);
#endif
	populate(start, size);
	return start;
}

void
xunmap(void *p, size_t size)
{
	if (p == NULL)
		return;
	if (size < HUGE_PAGE)
		free(p);
	else
		munmap(p, (size + 4095) & ~(size_t)4095);
}
