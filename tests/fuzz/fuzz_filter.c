/*
 * fuzz_filter.c - libFuzzer target for the filter language.
 *
 * Any text must parse or be refused with a message, never crash; what
 * parses must compile to bytecode the kernel's audit accepts, and the
 * bytecode must accept every record the filter matches.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bc_kernel.h"
#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
ages(void *arg, const struct sock_rec *s, struct filter_age *age,
    struct filter_age *state_age)
{
	(void)arg;
	age->s = s->sport;
	age->known = s->sport % 3 != 0;	/* some only a lower bound */
	state_age->s = s->sport % 2 ? -1 : 30;
	state_age->known = 1;
}

static size_t
procs(void *arg, const struct sock_rec *s, const struct filter_proc **out)
{
	static const struct filter_proc p[] = { { 1, "init" }, { 812, "nginx" } };

	(void)arg;
	*out = p;
	return s->dport % 3;
}

static const struct filter_facts facts = { ages, procs, NULL };

static void
records(struct sock_rec *r)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 127, 0,
	    0, 1 };
	static const uint8_t v4[4] = { 10, 1, 2, 3 };
	int i;

	memset(r, 0, 4 * sizeof *r);
	for (i = 0; i < 4; i++) {
		r[i].family = i == 0 ? AF_INET : AF_INET6;
		r[i].state = (uint8_t)(1 + i * 3);
		r[i].sport = (uint16_t)(80 + i * 1000);
		r[i].dport = (uint16_t)(443 * i);
		r[i].rqueue = (uint32_t)i;
	}
	memcpy(r[0].src, v4, 4);
	memcpy(r[1].src, v6, 16);
	memcpy(r[2].src, mapped, 16);
	memcpy(r[3].dst, mapped, 16);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_rec r[4];
	struct filter *f;
	char *text, *cause = NULL;
	void *bc;
	size_t len;
	int i, m, k;

	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	f = filter_parse(text, &cause);
	free(text);
	if (f == NULL) {
		if (cause == NULL || strncmp(cause, "filter: col ", 12) != 0)
			abort();
		free(cause);
		return 0;
	}
	filter_compile(f, &bc, &len);
	if (bc != NULL && bc_kernel_audit(bc, (int)len) < 0)
		abort();
	records(r);
	for (i = 0; i < 4; i++) {
		m = filter_match(f, &r[i], &facts, &cause);
		k = bc == NULL ? 1 : bc_kernel_run(bc, (int)len, &r[i]);
		if (m < 0 || k < 0)
			abort();
		if (m && !(k && (filter_states(f) & TS_BIT(r[i].state))))
			abort();
	}
	free(bc);
	filter_free(f);
	return 0;
}
