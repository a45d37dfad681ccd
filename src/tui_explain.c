/*
 * tui_explain.c - TCP's states and the anomaly rules in plain words: what
 * each state means in the handshake or the teardown, who is waiting for
 * whom, and what usually causes a pile of them and how to fix it.
 *
 * The texts are whole paragraphs for translators. The facts follow the
 * kernel (see doc/rules.md); they explain, the rules judge. Each rule's
 * paragraph is in the rule table (anomaly.c), with the rule.
 */
#include "config.h"

#include <string.h>

#include "anomaly.h"
#include "format.h"
#include "nls.h"
#include "tui_text.h"

struct explanation {
	const char	*what;		/* the state in the state machine */
	const char	*waiting;	/* who waits for whom */
	const char	*causes;	/* why many of them, and the fix */
};

static const struct explanation states[TS_MAX + 1] = {
	[TS_LISTEN] = {
	    N_("A listening socket: a server called listen() and waits for "
	    "connections. Completed handshakes wait in its accept queue "
	    "(Recv-Q) until the process calls accept(); Send-Q is the size of "
	    "that queue, the smaller of the listen() backlog and "
	    "net.core.somaxconn."),
	    N_("The kernel waits for SYNs from clients; the process is "
	    "expected to accept() what arrives."),
	    N_("When Recv-Q passes Send-Q the queue is full and new "
	    "handshakes are dropped (ListenOverflows): the process accepts "
	    "too slowly, or the backlog is too small. Raise the listen() "
	    "backlog (net.core.somaxconn caps it), or add workers. A queue "
	    "that never moves is a process that stopped calling accept(). "
	    "Restarting the server: its closed connections stay in TIME_WAIT "
	    "on this port for 60 s, and bind() fails with EADDRINUSE unless "
	    "the server sets SO_REUSEADDR before it.") },
	[TS_SYN_SENT] = {
	    N_("We sent a SYN to open a connection (connect()) and wait for "
	    "the peer's SYN-ACK."),
	    N_("We wait for the peer. The SYN is retransmitted with growing "
	    "delays (net.ipv4.tcp_syn_retries) before connect() fails."),
	    N_("Many SYN_SENT sockets mean the peers do not answer: a host "
	    "down, a firewall dropping SYNs silently, or a route missing. A "
	    "firewall that rejects would give an error at once.") },
	[TS_SYN_RECV] = {
	    N_("A peer sent a SYN to one of our listeners and we answered "
	    "with a SYN-ACK; the handshake is half done. The kernel keeps a "
	    "small request socket, not a full one, until the final ACK."),
	    N_("We wait for the peer's ACK. The SYN-ACK is retransmitted "
	    "(net.ipv4.tcp_synack_retries) and the request is dropped if no "
	    "ACK comes."),
	    N_("Many of them at once is a SYN flood when the sources look "
	    "random and the SYN-ACKs go unanswered (spoofed addresses): keep "
	    "net.ipv4.tcp_syncookies=1, which answers without keeping state. "
	    "When the handshakes do complete it is a flash crowd or slow "
	    "clients: raise the backlog and net.ipv4.tcp_max_syn_backlog.") },
	[TS_ESTABLISHED] = {
	    N_("The handshake is complete and data flows both ways. This is "
	    "the normal state of an open connection."),
	    N_("Nobody waits for the other: either side may send, or close."),
	    N_("Worth a look when Recv-Q stays high (our process does not "
	    "read), Send-Q stays high (the peer or the network does not take "
	    "the data), or retransmits grow (loss on the path).") },
	[TS_FIN_WAIT1] = {
	    N_("Our side closed first (close() or shutdown()) and sent a FIN; "
	    "the peer has not acknowledged it yet."),
	    N_("We wait for the peer's ACK of our FIN, and may still have "
	    "data in Send-Q to deliver before the FIN."),
	    N_("Many FIN_WAIT1 sockets mean the peers are gone or their "
	    "receive window is closed, so our last data cannot leave. Orphans "
	    "(closed by their process) are limited by "
	    "net.ipv4.tcp_max_orphans and retried by "
	    "net.ipv4.tcp_orphan_retries.") },
	[TS_FIN_WAIT2] = {
	    N_("Our FIN was acknowledged; the peer has not closed its side "
	    "yet. We can still receive data."),
	    N_("We wait for the peer's FIN, that is for the application on "
	    "the other side to call close()."),
	    N_("An orphan waits net.ipv4.tcp_fin_timeout (60 s) at most. A "
	    "socket our process still holds waits forever: the peer never "
	    "sends its FIN, often a peer application that leaks its "
	    "connections.") },
	[TS_TIME_WAIT] = {
	    N_("We closed first and the teardown is over. The active closer "
	    "keeps the connection's address and ports for twice the maximum "
	    "segment lifetime (2 MSL, a fixed 60 s on Linux), so that late "
	    "segments of the old connection are not taken for a new one."),
	    N_("Nobody: the kernel waits for the timer; no process owns the "
	    "socket any more."),
	    N_("Thousands are normal on a busy client, and on a server that "
	    "closes first they sit on its listening port, which is normal "
	    "too (sockwatch never warns of them). That server's restart is "
	    "the hazard: bind() to its port fails with EADDRINUSE while they "
	    "last, unless it sets SO_REUSEADDR. An abortive close (SO_LINGER "
	    "{1, 0}) sends a reset and leaves no TIME_WAIT at all, by choice. "
	    "TIME_WAIT becomes a problem when one destination uses up the "
	    "local port range: connect() fails with EADDRNOTAVAIL. Reuse "
	    "connections (keep-alive, pools), let the client close first, or "
	    "enable net.ipv4.tcp_tw_reuse for outgoing connections.") },
	[TS_CLOSE] = {
	    N_("The socket is not connected: it was created or bound but "
	    "neither connected nor listening, or it was reset."),
	    N_("Nobody waits: the process may connect(), listen() or close() "
	    "it."),
	    N_("Many sockets in CLOSE are usually bound sockets a process "
	    "keeps without using them, or a leak of sockets after failed "
	    "connects.") },
	[TS_CLOSE_WAIT] = {
	    N_("The peer closed its side (we received its FIN) and our "
	    "application has not called close() yet."),
	    N_("The kernel waits for our process: only close() moves the "
	    "connection on to LAST_ACK. The peer waits in FIN_WAIT2."),
	    N_("CLOSE_WAIT that lasts is a bug in the application: it "
	    "forgets to close sockets, often on an error path, or a thread "
	    "is stuck. Recv-Q 1 (the FIN alone) means everything was read but "
	    "close() was never called; a larger Recv-Q means the process "
	    "stopped reading. Fix the application; restarting it frees the "
	    "sockets, and destroying them frees the connection but not the "
	    "process's file descriptor.") },
	[TS_LAST_ACK] = {
	    N_("The peer closed first, then our application closed too and "
	    "we sent our FIN."),
	    N_("We wait for the peer's ACK of our FIN; then the socket is "
	    "gone."),
	    N_("Many LAST_ACK sockets mean the peers disappeared before "
	    "acknowledging: the FIN is retransmitted until it times out.") },
	[TS_CLOSING] = {
	    N_("Both sides sent a FIN at the same time (a simultaneous "
	    "close): we received the peer's FIN before the ACK of ours."),
	    N_("We wait for the ACK of our FIN, then go to TIME_WAIT."),
	    N_("Rare; many of them point at lost ACKs on the path.") },
};

static void
paragraph(struct tui_lines *l, const char *title, const char *text,
    int width)
{
	tui_lines_add(l, "%s", title);
	tui_lines_wrap(l, text, width - 2, 0);
	tui_lines_add(l, "%s", "");
}

/* Whole paragraphs first, then the state's neighbours in the machine. */
void
tui_explain_state(int state, struct tui_lines *l, int width)
{
	const struct explanation *e;

	if (state == TS_NEW_SYN_RECV)
		state = TS_SYN_RECV;
	if (state < 1 || state > TS_MAX || states[state].what == NULL) {
		tui_lines_add(l, "%s", _("No explanation for this state."));
		return;
	}
	e = &states[state];
	tui_lines_add(l, "%s", sock_state_name(state));
	tui_lines_add(l, "%s", "");
	paragraph(l, _("What it means"), _(e->what), width);
	paragraph(l, _("Who is waiting"), _(e->waiting), width);
	paragraph(l, _("When there are many"), _(e->causes), width);
}

/* Findings quote the system (process names): never raw to a terminal. */
static void
clean_paragraph(struct tui_lines *l, const char *title, const char *text,
    int width)
{
	char clean[1024];

	format_sanitize(clean, sizeof clean, text);
	paragraph(l, title, clean, width);
}

void
tui_explain_finding(const struct tui_finding *f, struct tui_lines *l,
    int width)
{
	char rule[64], subject[256];
	int r;

	format_sanitize(rule, sizeof rule, f->rule != NULL ? f->rule : "?");
	format_sanitize(subject, sizeof subject, f->subject != NULL ?
	    f->subject : "");
	tui_lines_add(l, "%s: %s", rule, subject);
	tui_lines_add(l, "%s", "");
	if (f->summary != NULL)
		clean_paragraph(l, _("What was found"), f->summary, width);
	if (f->cause != NULL && *f->cause != '\0')
		clean_paragraph(l, _("Likely cause"), f->cause, width);
	if (f->advice != NULL && *f->advice != '\0')
		clean_paragraph(l, _("What to do"), f->advice, width);
	r = f->rule != NULL ? anomaly_rule_index(f->rule) : -1;
	if (r >= 0)
		paragraph(l, _("About this rule"),
		    _(anomaly_rules()[r].explain), width);
}
