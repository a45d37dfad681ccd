/*
 * filter_match.c - whether a socket record is one the filter means.
 *
 * Pure: a tree and a record in, a truth value out. Terms about history
 * (age) and processes (process, pid) read what the caller hands in through
 * struct filter_facts; without it they are an error, never a silent
 * "no", so a caller must say what to enable.
 */
#include "config.h"

#include <fnmatch.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "format.h"
#include "nls.h"
#include "xmalloc.h"

#define ALL_STATES	(TS_ALL_MASK & ~TS_BIT(TS_NEW_SYN_RECV))

static int
cmp_num(enum filter_cmp cmp, double a, double b)
{
	switch (cmp) {
	case FILTER_EQ:
		return a == b;
	case FILTER_NE:
		return a != b;
	case FILTER_LT:
		return a < b;
	case FILTER_GT:
		return a > b;
	case FILTER_LE:
		return a <= b;
	case FILTER_GE:
		return a >= b;
	}
	return 0;
}

/* The first bits of two addresses in network order, as the kernel compares. */
static int
prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

/*
 * An address condition, with the kernel's rules: an IPv4 condition also
 * matches an IPv6 socket whose address is IPv4-mapped.
 */
static int
host_match(const struct filter_host *h, const struct sock_rec *s, int src)
{
	const uint8_t *addr = src ? s->src : s->dst;
	int port = src ? s->sport : s->dport;

	if (h->port != -1 && h->port != port)
		return 0;
	if (h->family == AF_UNSPEC)
		return 1;
	if (h->family != s->family) {
		if (h->family == AF_INET && format_is_v4mapped(s->family, addr))
			return prefix_match(addr + 12, h->addr, h->prefix);
		return 0;
	}
	return prefix_match(addr, h->addr, h->prefix);
}

static int
procs_match(const struct filter_node *n, const struct sock_rec *s,
    const struct filter_facts *ex)
{
	const struct filter_proc *procs;
	size_t i, count = ex->procs(ex->arg, s, &procs);
	enum filter_cmp cmp = n->cmp == FILTER_NE ? FILTER_EQ : n->cmp;
	int any = 0;

	for (i = 0; i < count && !any; i++) {
		if (n->kind == FILTER_PROCESS)
			any = procs[i].name != NULL &&
			    fnmatch(n->u.name, procs[i].name, 0) == 0;
		else
			any = cmp_num(cmp, procs[i].pid, (double)n->u.num);
	}
	return n->cmp == FILTER_NE ? !any : any;
}

/*
 * An age term, in three values: an age known only as a lower bound can
 * prove "older than", never "younger than"; what it cannot prove is
 * FILTER_UNKNOWN, and a socket the filter cannot judge does not match.
 */
static int
ages_match(const struct filter_node *n, const struct sock_rec *s,
    const struct filter_facts *ex)
{
	struct filter_age age = { -1, 0 }, state_age = { -1, 0 }, *a;
	double x = n->u.seconds;

	ex->ages(ex->arg, s, &age, &state_age);
	a = n->kind == FILTER_AGE ? &age : &state_age;
	if (a->s < 0)
		return FILTER_UNKNOWN;
	if (a->known)
		return cmp_num(n->cmp, a->s, x);
	switch (n->cmp) {
	case FILTER_GT:
		return a->s > x ? 1 : FILTER_UNKNOWN;
	case FILTER_GE:
		return a->s >= x ? 1 : FILTER_UNKNOWN;
	case FILTER_NE:
		return a->s > x ? 1 : FILTER_UNKNOWN;
	case FILTER_LT:
		return a->s >= x ? 0 : FILTER_UNKNOWN;
	case FILTER_LE:
	case FILTER_EQ:
		return a->s > x ? 0 : FILTER_UNKNOWN;
	}
	return FILTER_UNKNOWN;
}

static int
leaf_match(const struct filter_node *n, const struct sock_rec *s,
    const struct filter_facts *ex)
{
	switch (n->kind) {
	case FILTER_STATE:
		return (n->u.states & TS_BIT(s->state)) != 0;
	case FILTER_SPORT:
		return cmp_num(n->cmp, s->sport, (double)n->u.num);
	case FILTER_DPORT:
		return cmp_num(n->cmp, s->dport, (double)n->u.num);
	case FILTER_SRC:
	case FILTER_DST:
		return host_match(&n->u.host, s, n->kind == FILTER_SRC);
	case FILTER_AGE:
	case FILTER_STATE_AGE:
		return ex != NULL && ex->ages != NULL ? ages_match(n, s, ex) : -1;
	case FILTER_PROCESS:
	case FILTER_PID:
		return ex != NULL && ex->procs != NULL ? procs_match(n, s, ex) : -1;
	case FILTER_UID:
		return cmp_num(n->cmp, s->uid, (double)n->u.num);
	case FILTER_RECVQ:
		return cmp_num(n->cmp, s->rqueue, (double)n->u.num);
	case FILTER_SENDQ:
		return cmp_num(n->cmp, s->wqueue, (double)n->u.num);
	case FILTER_RETRANS:
		return cmp_num(n->cmp, s->retrans, (double)n->u.num);
	default:
		return -1;
	}
}

/*
 * 1 or 0, FILTER_UNKNOWN when an age leaves it open (Kleene's logic: "and"
 * is false if either side is, "or" true if either is); -1 when a term
 * needs facts that were not given.
 */
static int
node_match(const struct filter_node *n, const struct sock_rec *s,
    const struct filter_facts *ex)
{
	int a, b;

	switch (n->kind) {
	case FILTER_AND:
	case FILTER_OR:
		if ((a = node_match(n->left, s, ex)) < 0 ||
		    a == (n->kind == FILTER_OR))
			return a;
		if ((b = node_match(n->right, s, ex)) < 0 ||
		    b == (n->kind == FILTER_OR))
			return b;
		return a == FILTER_UNKNOWN || b == FILTER_UNKNOWN ?
		    FILTER_UNKNOWN : a;
	case FILTER_NOT:
		if ((a = node_match(n->left, s, ex)) < 0 ||
		    a == FILTER_UNKNOWN)
			return a;
		return !a;
	default:
		return leaf_match(n, s, ex);
	}
}

/* What the filter needs from facts that ex does not give; 0 if nothing. */
static unsigned
missing(const struct filter *f, const struct filter_facts *ex)
{
	unsigned need = f->needs;

	if (ex != NULL && ex->ages != NULL)
		need &= ~FILTER_NEEDS_AGES;
	if (ex != NULL && ex->procs != NULL)
		need &= ~FILTER_NEEDS_PROCS;
	return need;
}

/*
 * Whether ex gives what the filter needs; -1 with *cause saying what is
 * missing. Callers check this before a dump rather than fail in the middle.
 */
int
filter_check_facts(const struct filter *f, const struct filter_facts *ex,
    char **cause)
{
	unsigned need;

	if (f == NULL || (need = missing(f, ex)) == 0)
		return 0;
	if (need & FILTER_NEEDS_AGES)
		xasprintf(cause, "%s", _("filter: 'age' and 'state-age' need "
		    "the sockets' history, which is not kept here: remove them "
		    "from the filter"));
	else
		xasprintf(cause, "%s", _("filter: 'process' and 'pid' need the "
		    "process map, which is not built here: remove them from the "
		    "filter"));
	return -1;
}

/*
 * 1 when the record matches, 0 when not, FILTER_UNKNOWN when an age known
 * only as a lower bound leaves it open (not a match); -1 with *cause when
 * the filter needs ages or processes that ex does not give.
 */
int
filter_match(const struct filter *f, const struct sock_rec *s,
    const struct filter_facts *ex, char **cause)
{
	if (f == NULL || f->root == NULL)
		return 1;
	if (filter_check_facts(f, ex, cause) < 0)
		return -1;
	return node_match(f->root, s, ex);
}

struct select_args {
	const struct filter		*f;
	const struct filter_facts	*ex;
};

static int
select_match(const struct sock_rec *s, void *arg)
{
	const struct select_args *a = arg;

	return node_match(a->f->root, s, a->ex) == 1;
}

/* Keep only the sockets of snap that match; -1 as filter_match. */
int
filter_snapshot(const struct filter *f, struct snapshot *snap,
    const struct filter_facts *ex, char **cause)
{
	struct select_args a = { f, ex };

	if (f == NULL || f->root == NULL)
		return 0;
	if (filter_check_facts(f, ex, cause) < 0)
		return -1;
	snapshot_select(snap, select_match, &a);
	return 0;
}

int
filter_is_empty(const struct filter *f)
{
	return f == NULL || f->root == NULL;
}

unsigned
filter_needs(const struct filter *f)
{
	return f == NULL ? 0 : f->needs;
}

/* The states a node can accept, negated when neg: never too few. */
static uint32_t
node_states(const struct filter_node *n, int neg)
{
	switch (n->kind) {
	case FILTER_STATE:
		return neg ? ALL_STATES & ~n->u.states : n->u.states;
	case FILTER_AND:
	case FILTER_OR:
		if ((n->kind == FILTER_AND) != neg)
			return node_states(n->left, neg) &
			    node_states(n->right, neg);
		return node_states(n->left, neg) | node_states(n->right, neg);
	case FILTER_NOT:
		return node_states(n->left, !neg);
	default:
		return ALL_STATES;
	}
}

/*
 * The states a socket must be in to match: the kernel's state mask of the
 * request. Every other term is taken as able to match any state.
 */
uint32_t
filter_states(const struct filter *f)
{
	if (f == NULL || f->root == NULL)
		return ALL_STATES;
	return node_states(f->root, 0);
}
