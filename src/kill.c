/*
 * kill.c - the kernel's abortive close of a TCP socket, by exact identity.
 *
 * This is the only file that sends SOCK_DESTROY. The request names the
 * socket by family, both addresses and ports, interface and cookie; the
 * kernel looks the 4-tuple up and then compares the cookie, so a socket
 * that has gone and whose tuple was reused since is never hit: the kernel
 * answers ENOENT, which is the truth (what we saw is gone). The peer of a
 * destroyed connection gets an RST, as with SO_LINGER {1, 0}.
 *
 * Every answer is kept and explained, never swallowed.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "kill.h"
#include "log.h"
#include "nls.h"
#include "xmalloc.h"

#define KILL_BUFSIZE	8192

struct kill {
	struct mnl_socket	*nl;
	kill_exchange_fn	 exchange;
	void			*arg;
	uint32_t		 seq;
	char			 buf[KILL_BUFSIZE];
};

/* The kernel's answer to the request in req: 0 or a positive errno. */
static int
netlink_exchange(void *arg, const void *req, size_t len)
{
	struct kill *k = arg;
	const struct nlmsghdr *sent = req, *nlh;
	const struct nlmsgerr *err;
	ssize_t n;
	int left;

	if (mnl_socket_sendto(k->nl, req, len) < 0)
		return errno;
	for (;;) {
		if ((n = mnl_socket_recvfrom(k->nl, k->buf, sizeof k->buf)) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)k->buf; mnl_nlmsg_ok(nlh, left);
		    nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != sent->nlmsg_seq ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof *err)
				return EBADMSG;
			err = mnl_nlmsg_get_payload(nlh);
			return -err->error;
		}
	}
}

struct kill *
kill_open(char **cause)
{
	struct kill *k = xcalloc(1, sizeof *k);

	if ((k->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(k->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		xasprintf(cause, _("cannot open a sock_diag netlink socket: %s: "
		    "is the inet_diag module available?"), strerror(errno));
		if (k->nl != NULL)
			mnl_socket_close(k->nl);
		free(k);
		return NULL;
	}
	k->exchange = netlink_exchange;
	k->arg = k;
	k->seq = (uint32_t)getpid() << 8;
	return k;
}

/* A killer whose requests go to fn instead of the kernel (tests). */
struct kill *
kill_open_with(kill_exchange_fn fn, void *arg)
{
	struct kill *k = xcalloc(1, sizeof *k);

	k->exchange = fn;
	k->arg = arg;
	return k;
}

void
kill_close(struct kill *k)
{
	if (k == NULL)
		return;
	if (k->nl != NULL)
		mnl_socket_close(k->nl);
	free(k);
}

/*
 * The request that destroys exactly s; its length, 0 if buf is too small.
 * Pure, so a test can read every field.
 */
size_t
kill_build(void *buf, size_t size, const struct sock_rec *s, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	size_t alen = s->family == AF_INET ? 4 : 16;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof *req))
		return 0;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof *req));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof *req);
	req->sdiag_family = s->family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->id.idiag_sport = htons(s->sport);
	req->id.idiag_dport = htons(s->dport);
	memcpy(req->id.idiag_src, s->src, alen);
	memcpy(req->id.idiag_dst, s->dst, alen);
	req->id.idiag_if = s->ifindex;
	req->id.idiag_cookie[0] = (uint32_t)s->cookie;
	req->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	return nlh->nlmsg_len;
}

static enum kill_outcome
outcome_of(int err)
{
	switch (err) {
	case 0:
		return KILL_DESTROYED;
	case ENOENT:
		return KILL_GONE;
	case EOPNOTSUPP:
		return KILL_UNSUPPORTED;
	case EPERM:
	case EACCES:
		return KILL_DENIED;
	default:
		return KILL_FAILED;
	}
}

/*
 * Destroy one socket. For KILL_FAILED, *cause (if cause is not NULL) gets
 * the system's words; the other outcomes explain themselves.
 */
enum kill_outcome
kill_destroy(struct kill *k, const struct sock_rec *s, char **cause)
{
	char req[256];
	size_t len;
	int err;

	if (cause != NULL)
		*cause = NULL;
	if (s->family != AF_INET && s->family != AF_INET6)
		fatal("kill_destroy: socket of family %d", s->family);
	len = kill_build(req, sizeof req, s, ++k->seq);
	err = k->exchange(k->arg, req, len);
	if (outcome_of(err) == KILL_FAILED && cause != NULL)
		*cause = xstrdup(strerror(err));
	return outcome_of(err);
}

/* Destroy n sockets; out[i] and causes[i] (may be NULL) for each. */
void
kill_batch(struct kill *k, const struct sock_rec *socks, size_t n,
    enum kill_outcome *out, char **causes)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = kill_destroy(k, &socks[i],
		    causes != NULL ? &causes[i] : NULL);
}

/* Whether the socket is gone after this outcome. */
int
kill_gone(enum kill_outcome o)
{
	return o == KILL_DESTROYED || o == KILL_GONE;
}

/*
 * The exit status of a batch: 0 when every socket is gone or was rightly
 * skipped (or there were none), 3 when killing is impossible here (every one refused for lack of
 * privilege or kernel support), 5 when some could not be destroyed.
 */
int
kill_status(const enum kill_outcome *out, size_t n)
{
	size_t i, gone = 0, impossible = 0;

	for (i = 0; i < n; i++) {
		if (kill_gone(out[i]) || out[i] == KILL_SKIPPED)
			gone++;
		else if (out[i] == KILL_DENIED || out[i] == KILL_UNSUPPORTED)
			impossible++;
	}
	if (gone == n)
		return EXIT_OK;
	if (impossible == n)
		return EXIT_FAILURE_JOB;
	return EXIT_PARTIAL;
}

const char *
kill_outcome_name(enum kill_outcome o)
{
	static const char *const names[KILL_NOUTCOMES] = {
		[KILL_DESTROYED] = N_("destroyed"),
		[KILL_GONE] = N_("already gone"),
		[KILL_UNSUPPORTED] = N_("not supported"),
		[KILL_DENIED] = N_("permission denied"),
		[KILL_SKIPPED] = N_("skipped"),
		[KILL_FAILED] = N_("failed"),
	};

	return _(names[o]);
}

/* What the user should know about an outcome that is not plain success. */
const char *
kill_outcome_advice(enum kill_outcome o)
{
	switch (o) {
	case KILL_GONE:
		return _("the socket had already gone (closed, or its cookie "
		    "changed): nothing to do");
	case KILL_UNSUPPORTED:
		return _("the kernel cannot destroy sockets (it lacks "
		    "CONFIG_INET_DIAG_DESTROY), or not in this state");
	case KILL_DENIED:
		return _("destroying a socket needs CAP_NET_ADMIN in its network "
		    "namespace: run as root");
	case KILL_SKIPPED:
		return _("it changed after it was listed and no longer matches "
		    "the filter (its line shows it as it is now): not destroyed");
	default:
		return NULL;
	}
}
