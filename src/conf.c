/*
 * conf.c - read the configuration files into rule thresholds.
 *
 * A bad line stops the program (exit 64) with "FILE:LINE: what is wrong":
 * a monitor that silently ignores a mistyped threshold is worse than one
 * that refuses to start.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "nls.h"
#include "xmalloc.h"

#define CONF_MAX_SIZE		(1u << 20)
#define CONF_LINE_MAX		1024

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int
parse_number(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	return errno == 0 && end != v && *end == '\0' && isfinite(*out) ? 0 : -1;
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static const char *
rule_list(void)
{
	static char list[256];
	const struct anomaly_rule *rules = anomaly_rules();
	size_t n = 0;
	int r;

	if (list[0] != '\0')
		return list;
	for (r = 0; r < RULE_COUNT; r++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
		    r == 0 ? "" : ", ", rules[r].id);
	return list;
}

/* An integer setting between lo and hi. */
static const char *
set_int(int *out, const char *v, int lo, int hi)
{
	double d;

	if (parse_number(v, &d) < 0 || d != floor(d) || d < lo || d > hi)
		return _("expected a whole number in range");
	*out = (int)d;
	return NULL;
}

static const char *
set_rule(struct anomaly_config *cfg, const char *key, const char *v,
    char *why, size_t size)
{
	const char *dot = strchr(key, '.');
	char rule[64];
	double d;
	int r, p;

	if (dot == NULL || (size_t)(dot - key) >= sizeof rule) {
		snprintf(why, size, _("expected rule.RULE.SETTING, rules are %s"),
		    rule_list());
		return why;
	}
	memcpy(rule, key, (size_t)(dot - key));
	rule[dot - key] = '\0';
	if ((r = anomaly_rule_index(rule)) < 0) {
		snprintf(why, size, _("unknown rule '%s': rules are %s"), rule,
		    rule_list());
		return why;
	}
	if (strcmp(dot + 1, "enabled") == 0)
		return parse_bool(v, &cfg->enabled[r]) < 0 ?
		    _("expected yes or no") : NULL;
	if ((p = anomaly_param_index(r, dot + 1)) < 0) {
		snprintf(why, size, _("rule %s has no setting '%s'"), rule,
		    dot + 1);
		return why;
	}
	if (parse_number(v, &d) < 0 || d < 0) {
		snprintf(why, size, _("'%s' is not a number of at least 0"), v);
		return why;
	}
	cfg->param[r][p] = d;
	return NULL;
}

/* Apply one "key = value"; NULL, or what is wrong. */
static const char *
set_value(struct anomaly_config *cfg, const char *key, const char *v,
    char *why, size_t size)
{
	double d;

	if (*v == '\0')
		return _("the value is missing");
	if (strncmp(key, "rule.", 5) == 0)
		return set_rule(cfg, key + 5, v, why, size);
	if (strcmp(key, "hysteresis.raise_after") == 0)
		return set_int(&cfg->raise_after, v, 1, 1000);
	if (strcmp(key, "hysteresis.clear_after") == 0)
		return set_int(&cfg->clear_after, v, 1, 1000);
	if (strcmp(key, "findings.max_per_rule") == 0)
		return set_int(&cfg->max_findings, v, 1, 1000);
	if (strcmp(key, "hysteresis.clear_ratio") == 0) {
		if (parse_number(v, &d) < 0 || d <= 0 || d > 1)
			return _("expected a number above 0 and at most 1");
		cfg->clear_ratio = d;
		return NULL;
	}
	snprintf(why, size, _("unknown setting '%s'"), key);
	return why;
}

static const char *
parse_line(struct anomaly_config *cfg, char *line, char *why, size_t size)
{
	char *hash, *eq, *key, *value;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	line = trim(line);
	if (*line == '\0')
		return NULL;
	if ((eq = strchr(line, '=')) == NULL)
		return _("expected 'key = value'");
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (*key == '\0')
		return _("the key is missing before '='");
	return set_value(cfg, key, value, why, size);
}

/* Parse the text of a file called name (used in messages). */
int
conf_parse(struct anomaly_config *cfg, const char *name, const char *text,
    size_t len, char **cause)
{
	char line[CONF_LINE_MAX], why[512];
	const char *p = text, *end = text + len, *nl, *err;
	size_t lineno = 0, n;

	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n >= sizeof line || memchr(p, '\0', n) != NULL) {
			xasprintf(cause, "%s:%zu: %s", name, lineno, n >=
			    sizeof line ? _("the line is too long") :
			    _("the line holds a NUL byte"));
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if ((err = parse_line(cfg, line, why, sizeof why)) != NULL) {
			xasprintf(cause, "%s:%zu: %s", name, lineno, err);
			return -1;
		}
	}
	return 0;
}

/*
 * The whole of fd, up to CONF_MAX_SIZE: a file given as <(...) or a pipe
 * arrives in pieces, and a value cut between two reads would be another
 * number. Returns its length, or -1 with errno (EFBIG when too large).
 */
static ssize_t
read_to_end(int fd, char *buf)
{
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if ((r = read(fd, buf + n, CONF_MAX_SIZE - n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return (ssize_t)n;
		n += (size_t)r;
		if (n == CONF_MAX_SIZE) {
			errno = EFBIG;
			return -1;
		}
	}
}

int
conf_load_file(struct anomaly_config *cfg, const char *path, int must_exist,
    char **cause)
{
	char *buf;
	ssize_t n;
	int fd, ret;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		/* Optional files this user may not read are not theirs (a
		   HOME left to another user by su), not a bad command line. */
		if (!must_exist && (errno == ENOENT || errno == EACCES))
			return 0;
		xasprintf(cause, _("cannot read configuration %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	buf = xmalloc(CONF_MAX_SIZE);
	n = read_to_end(fd, buf);
	if (n < 0) {
		xasprintf(cause, _("cannot read configuration %s: %s"), path,
		    errno == EFBIG ? _("larger than 1 MiB") : strerror(errno));
		close(fd);
		free(buf);
		return -1;
	}
	close(fd);
	ret = conf_parse(cfg, path, buf, (size_t)n, cause);
	free(buf);
	return ret;
}

/* One "key=value" of --set, after the files: as a line of them. */
int
conf_set(struct anomaly_config *cfg, const char *assignment, char **cause)
{
	char line[CONF_LINE_MAX], why[512];
	const char *err;

	if (strlen(assignment) >= sizeof line)
		err = _("the line is too long");
	else if (strchr(assignment, '=') == NULL)
		err = _("expected 'key = value'");
	else {
		memcpy(line, assignment, strlen(assignment) + 1);
		err = parse_line(cfg, line, why, sizeof why);
	}
	if (err == NULL)
		return 0;
	xasprintf(cause, _("--set %s: %s"), assignment, err);
	return -1;
}

/* Defaults, then the system and user files, or only explicit_path. */
int
conf_load(struct anomaly_config *cfg, const char *explicit_path,
    char **cause)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *user = NULL;
	int ret;

	anomaly_config_defaults(cfg);
	if (explicit_path != NULL)
		return conf_load_file(cfg, explicit_path, 1, cause);
	if (conf_load_file(cfg, CONF_SYSTEM_FILE, 0, cause) < 0)
		return -1;
	if (xdg != NULL && *xdg == '/')
		xasprintf(&user, "%s/sockwatch/sockwatch.conf", xdg);
	else if (home != NULL && *home == '/')
		xasprintf(&user, "%s/.config/sockwatch/sockwatch.conf", home);
	ret = user != NULL ? conf_load_file(cfg, user, 0, cause) : 0;
	free(user);
	return ret;
}
