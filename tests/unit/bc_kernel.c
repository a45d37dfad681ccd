/*
 * bc_kernel.c - the kernel's inet_diag bytecode interpreter and audit,
 * written again from their behaviour (net/ipv4/inet_diag.c:
 * inet_diag_bc_run, inet_diag_bc_audit) so that tests and the fuzzer can
 * check the compiler without a kernel.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>

#include "bc_kernel.h"

#define OP_LEN	4

struct inet_diag_bc_op
bc_kernel_op(const uint8_t *bc, int off)
{
	struct inet_diag_bc_op op;

	memcpy(&op, bc + off, sizeof op);
	return op;
}

static int
bits_match(const uint8_t *a, const uint8_t *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)bytes) != 0)
		return 0;
	return rest == 0 || ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest))) == 0;
}

static int
cond_run(const uint8_t *bc, int off, int src, const struct sock_rec *s)
{
	struct inet_diag_hostcond c;
	const uint8_t *addr = src ? s->src : s->dst;
	const uint8_t *caddr = bc + off + OP_LEN + sizeof c;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	memcpy(&c, bc + off + OP_LEN, sizeof c);
	if (c.port != -1 && c.port != (src ? s->sport : s->dport))
		return 0;
	if (c.family != AF_UNSPEC && c.family != s->family) {
		if (s->family == AF_INET6 && c.family == AF_INET)
			return memcmp(addr, mapped, 12) == 0 &&
			    bits_match(addr + 12, caddr, c.prefix_len);
		return 0;
	}
	return c.prefix_len == 0 || bits_match(addr, caddr, c.prefix_len);
}

/* The kernel's interpreter: accept when the program ends at its length. */
int
bc_kernel_run(const uint8_t *bc, int len, const struct sock_rec *s)
{
	int off = 0, yes = 0;

	while (off < len) {
		struct inet_diag_bc_op op = bc_kernel_op(bc, off);
		int port = off + OP_LEN < len ? bc_kernel_op(bc, off + OP_LEN).no : 0;

		switch (op.code) {
		case INET_DIAG_BC_NOP: yes = 1; break;
		case INET_DIAG_BC_JMP: yes = 0; break;
		case INET_DIAG_BC_S_GE: yes = s->sport >= port; break;
		case INET_DIAG_BC_S_LE: yes = s->sport <= port; break;
		case INET_DIAG_BC_D_GE: yes = s->dport >= port; break;
		case INET_DIAG_BC_D_LE: yes = s->dport <= port; break;
		case INET_DIAG_BC_S_COND: yes = cond_run(bc, off, 1, s); break;
		case INET_DIAG_BC_D_COND: yes = cond_run(bc, off, 0, s); break;
		default: return -1;
		}
		off += yes ? op.yes : op.no;
	}
	return off == len;
}

/* Whether a jump target cc bytes before the end lies on an instruction. */
static int
valid_cc(const uint8_t *bc, int len, int cc)
{
	int off = 0;

	while (len - off >= 0) {
		struct inet_diag_bc_op op = bc_kernel_op(bc, off);

		if (cc > len - off)
			return 0;
		if (cc == len - off)
			return 1;
		if (op.yes < 4 || op.yes & 3)
			return 0;
		off += op.yes;
	}
	return 0;
}

static int
min_len(const uint8_t *bc, int off, int len)
{
	struct inet_diag_bc_op op = bc_kernel_op(bc, off);
	struct inet_diag_hostcond c;
	int alen;

	switch (op.code) {
	case INET_DIAG_BC_S_COND:
	case INET_DIAG_BC_D_COND:
		if (len - off < OP_LEN + (int)sizeof c)
			return -1;
		memcpy(&c, bc + off + OP_LEN, sizeof c);
		alen = c.family == AF_INET ? 4 : c.family == AF_INET6 ? 16 :
		    c.family == AF_UNSPEC ? 0 : -1;
		if (alen < 0 || c.prefix_len > 8 * alen ||
		    len - off < OP_LEN + (int)sizeof c + alen)
			return -1;
		return OP_LEN + (int)sizeof c + alen;
	case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE:
		return len - off < 2 * OP_LEN ? -1 : 2 * OP_LEN;
	case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_NOP:
		return OP_LEN;
	default:
		return -1;
	}
}

/* The kernel's audit: 0 when it would accept the program. */
int
bc_kernel_audit(const uint8_t *bc, int len)
{
	int off = 0, min, rem;

	if (len < OP_LEN)
		return -1;
	while (off < len) {
		struct inet_diag_bc_op op = bc_kernel_op(bc, off);

		rem = len - off;
		if ((min = min_len(bc, off, len)) < 0)
			return -1;
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min || op.no > rem + 4 || op.no & 3)
				return -1;
			if (op.no < rem && !valid_cc(bc, len, rem - op.no))
				return -1;
		}
		if (op.yes < min || op.yes > rem + 4 || op.yes & 3)
			return -1;
		off += op.yes;
	}
	return off == len ? 0 : -1;
}

