/*
 * fuzz_proc.c - libFuzzer target for the /proc process walk (proc.c):
 * pid directories, fd links, comm files and network namespaces, as a
 * fake /proc tree the input describes, one entry a line:
 *
 *	self NS			this process's namespace is NS (a number)
 *	pid NAME NS COMM	a directory NAME (a pid, or not) in namespace
 *				NS, whose comm file holds COMM (any bytes)
 *	fd NAME TARGET		a link NAME in the last pid's fd/ to TARGET
 *	want INODE		a socket of this inode in the snapshot
 *	budget N		descriptors read per poll
 *
 * The tree is built, walked over a few polls (a walk out of budget
 * resumes), then removed. An owner found must be sanitised text and one
 * of the directories made.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_file.h"
#include "proc.h"

#define MAX_LINES	512
#define POLLS		4

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct tree {
	char		 root[256];
	char		 pid[320];	/* the last pid directory, or "" */
	struct snapshot	 snap;
	size_t		 budget;
};

/* A name that stays inside its directory. */
static int
safe_name(const char *s)
{
	return *s != '\0' && strlen(s) < 40 && strchr(s, '/') == NULL &&
	    strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static void
put_file(const char *path, const char *text)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return;
	if (write(fd, text, strlen(text)) < 0 || write(fd, "\n", 1) < 0)
		abort();
	close(fd);
}

/* ROOT/.ns/NS, a file whose inode stands for a namespace. */
static void
ns_link(const struct tree *t, const char *ns, const char *dir)
{
	char path[400], target[400];

	if (!safe_name(ns))
		return;
	snprintf(path, sizeof path, "%s/.ns", t->root);
	mkdir(path, 0755);
	snprintf(target, sizeof target, "%s/.ns/%.40s", t->root, ns);
	put_file(target, "");
	snprintf(path, sizeof path, "%s/ns", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/ns/net", dir);
	if (symlink(target, path) < 0 && errno != EEXIST)
		abort();
}

static void
add_pid(struct tree *t, char *rest)
{
	char *name = strsep(&rest, " "), *ns = strsep(&rest, " ");
	char path[400];

	t->pid[0] = '\0';
	if (ns == NULL || !safe_name(name))
		return;
	snprintf(t->pid, sizeof t->pid, "%s/%.40s", t->root, name);
	mkdir(t->pid, 0755);
	snprintf(path, sizeof path, "%s/fd", t->pid);
	mkdir(path, 0755);
	ns_link(t, ns, t->pid);
	snprintf(path, sizeof path, "%s/comm", t->pid);
	put_file(path, rest != NULL ? rest : "");
}

static void
add_line(struct tree *t, char *line)
{
	char *word = strsep(&line, " "), *name, path[400];
	struct sock_rec *s;
	size_t at;

	if (line == NULL)
		return;
	if (strcmp(word, "self") == 0) {
		snprintf(path, sizeof path, "%s/self", t->root);
		mkdir(path, 0755);
		ns_link(t, line, path);
	} else if (strcmp(word, "pid") == 0)
		add_pid(t, line);
	else if (strcmp(word, "fd") == 0 && t->pid[0] != '\0') {
		name = strsep(&line, " ");
		if (line == NULL || !safe_name(name) || *line == '\0')
			return;
		snprintf(path, sizeof path, "%s/fd/%s", t->pid, name);
		if (symlink(line, path) < 0 && errno != EEXIST)
			abort();
	} else if (strcmp(word, "want") == 0) {
		s = snapshot_add(&t->snap, &at);
		s->state = TS_ESTABLISHED;
		s->inode = (uint32_t)strtoul(line, NULL, 10);
	} else if (strcmp(word, "budget") == 0)
		t->budget = strtoul(line, NULL, 10) % 100000;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path) < 0 ? -1 : 0;
}

/* An owner is one of the pid directories made, its name sanitised. */
static void
check_owner(const struct tree *t, const struct proc_owner *o)
{
	char path[400];
	struct stat st;
	const char *c;

	for (c = o->name; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			abort();
	snprintf(path, sizeof path, "%s/%d/fd", t->root, (int)o->pid);
	if (o->pid <= 0 || stat(path, &st) < 0)
		abort();
}

static void
walk(struct tree *t)
{
	const struct proc_owner *o;
	struct proc_group *g;
	struct proc_map p;
	size_t i, k, n;
	uint64_t total;

	proc_init(&p, t->root);
	if (t->budget > 0)
		p.budget = t->budget;
	for (k = 0; k < POLLS; k++) {
		proc_update(&p, &t->snap);
		for (i = 0; i < t->snap.n; i++)
			if ((o = proc_lookup(&p, t->snap.socks[i].inode)) != NULL)
				check_owner(t, o);
		n = proc_groups(&p, &t->snap, &g);
		for (i = 0, total = 0; i < n; i++)
			total += g[i].total;
		if (total != t->snap.n)
			abort();	/* every socket in one group */
		free(g);
	}
	proc_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tree t;
	char *text, *p, *line;
	size_t nlines = 0;

	memset(&t, 0, sizeof t);
	snprintf(t.root, sizeof t.root, "%s/proc", fuzz_dir());
	nftw(t.root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(t.root, 0755) < 0)
		abort();
	snapshot_init(&t.snap);
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; (line = strsep(&p, "\n")) != NULL &&
	    nlines++ < MAX_LINES;)
		add_line(&t, line);
	free(text);
	walk(&t);
	snapshot_free(&t.snap);
	nftw(t.root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
