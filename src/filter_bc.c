/*
 * filter_bc.c - the kernel's share of a filter, as inet_diag bytecode.
 *
 * The kernel runs INET_DIAG_REQ_BYTECODE on every socket of a dump and
 * sends only those it accepts, which saves most of the dump when the filter
 * is selective. It knows ports and addresses; states go to the request's
 * state mask (filter_states); everything else (queues, ages, processes)
 * compiles to "accept", because the whole filter is checked again in user
 * space. So the bytecode must accept at least every socket the filter
 * does: negations are pushed down to the terms, and the negation of a term
 * the kernel cannot test is "accept" too.
 *
 * A fragment accepts by running off its end and rejects by jumping four
 * bytes past it, as ss does, so fragments concatenate: the kernel accepts
 * when the program ends exactly at its length. Its audit
 * (inet_diag_bc_audit) wants every jump to land on an instruction or just
 * past the end, which this layout gives by construction.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>

#include "filter.h"
#include "xmalloc.h"

/* Far below the 16-bit jump limit and what diag.c accepts. */
#define BC_MAX_LEN	8192

#define OP_LEN		((int)sizeof(struct inet_diag_bc_op))
#define COND_LEN	((int)sizeof(struct inet_diag_hostcond))

struct frag {
	uint8_t	*buf;
	int	 len;
	int	 all;	/* accepts everything: nothing for the kernel to do */
};

static struct frag
frag_all(void)
{
	struct frag f = { NULL, 0, 1 };

	return f;
}

static void
put_op(uint8_t *p, uint8_t code, int yes, int no)
{
	struct inet_diag_bc_op op;

	op.code = code;
	op.yes = (uint8_t)yes;
	op.no = (uint16_t)no;
	memcpy(p, &op, sizeof op);
}

/* S_GE, S_LE and friends: the port sits in the "no" of a second op. */
static struct frag
port_range(uint8_t code, uint16_t port)
{
	struct frag f = { xmalloc(2 * OP_LEN), 2 * OP_LEN, 0 };

	put_op(f.buf, code, 2 * OP_LEN, 2 * OP_LEN + 4);
	put_op(f.buf + OP_LEN, 0, 0, port);
	return f;
}

static struct frag
host_cond(uint8_t code, const struct filter_host *h)
{
	struct inet_diag_hostcond c;
	int alen = h->family == AF_INET ? 4 : h->family == AF_INET6 ? 16 : 0;
	struct frag f;

	f.len = OP_LEN + COND_LEN + alen;
	f.buf = xcalloc(1, (size_t)f.len);
	f.all = 0;
	put_op(f.buf, code, f.len, f.len + 4);
	memset(&c, 0, sizeof c);
	c.family = h->family;
	c.prefix_len = alen == 0 ? 0 : h->prefix;
	c.port = h->port;
	memcpy(f.buf + OP_LEN, &c, sizeof c);
	memcpy(f.buf + OP_LEN + COND_LEN, h->addr, (size_t)alen);
	return f;
}

/* Reject where a accepted and accept where it rejected. */
static struct frag
frag_not(struct frag a)
{
	if (a.all)
		return a;
	a.buf = xreallocarray(a.buf, 1, (size_t)a.len + OP_LEN);
	put_op(a.buf + a.len, INET_DIAG_BC_JMP, OP_LEN, 2 * OP_LEN);
	a.len += OP_LEN;
	return a;
}

/* a's rejections must now jump past b too. */
static void
patch_rejects(uint8_t *buf, int len, int extra)
{
	struct inet_diag_bc_op op;
	int off = 0;

	while (off < len) {
		memcpy(&op, buf + off, sizeof op);
		if (op.no == len - off + 4) {
			op.no = (uint16_t)(op.no + extra);
			memcpy(buf + off, &op, sizeof op);
		}
		off += op.yes;
	}
}

static struct frag
frag_join(struct frag a, struct frag b, int is_or)
{
	struct frag f;
	int gap = is_or ? OP_LEN : 0;

	if (a.all || b.all) {
		if (is_or || (a.all && b.all)) {
			free(a.buf);
			free(b.buf);
			return frag_all();
		}
		return a.all ? b : a;
	}
	f.len = a.len + gap + b.len;
	if (f.len > BC_MAX_LEN) {
		free(a.buf);
		free(b.buf);
		return frag_all();
	}
	f.buf = xmalloc((size_t)f.len);
	f.all = 0;
	memcpy(f.buf, a.buf, (size_t)a.len);
	if (is_or)
		put_op(f.buf + a.len, INET_DIAG_BC_JMP, OP_LEN, b.len + OP_LEN);
	else
		patch_rejects(f.buf, a.len, b.len);
	memcpy(f.buf + a.len + gap, b.buf, (size_t)b.len);
	free(a.buf);
	free(b.buf);
	return f;
}

static struct frag
port_term(const struct filter_node *n, int neg)
{
	int src = n->kind == FILTER_SPORT;
	struct filter_host any;
	struct frag f;

	switch (n->cmp) {
	case FILTER_EQ:
	case FILTER_NE:
		memset(&any, 0, sizeof any);
		any.port = (int32_t)n->u.num;
		f = host_cond(src ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND,
		    &any);
		neg ^= n->cmp == FILTER_NE;
		break;
	case FILTER_GE:
	case FILTER_LT:
		f = port_range(src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE,
		    (uint16_t)n->u.num);
		neg ^= n->cmp == FILTER_LT;
		break;
	default:
		f = port_range(src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE,
		    (uint16_t)n->u.num);
		neg ^= n->cmp == FILTER_GT;
		break;
	}
	return neg ? frag_not(f) : f;
}

/* The node, negated when neg, or something that accepts more. */
static struct frag
compile(const struct filter_node *n, int neg)
{
	struct frag f;

	switch (n->kind) {
	case FILTER_AND:
	case FILTER_OR:
		return frag_join(compile(n->left, neg), compile(n->right, neg),
		    (n->kind == FILTER_OR) != neg);
	case FILTER_NOT:
		return compile(n->left, !neg);
	case FILTER_SPORT:
	case FILTER_DPORT:
		return port_term(n, neg);
	case FILTER_SRC:
	case FILTER_DST:
		f = host_cond(n->kind == FILTER_SRC ? INET_DIAG_BC_S_COND :
		    INET_DIAG_BC_D_COND, &n->u.host);
		return neg ? frag_not(f) : f;
	default:
		return frag_all();
	}
}

/*
 * The bytecode for the kernel, or *bytecode NULL when the kernel has
 * nothing to test (the state mask may still select). The caller frees it.
 */
int
filter_compile(const struct filter *f, void **bytecode, size_t *len)
{
	struct frag fr;

	*bytecode = NULL;
	*len = 0;
	if (f == NULL || f->root == NULL)
		return 0;
	fr = compile(f->root, 0);
	if (fr.all)
		return 0;
	*bytecode = fr.buf;
	*len = (size_t)fr.len;
	return 0;
}
