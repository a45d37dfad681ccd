/*
 * conf.h - thresholds of the rules, from configuration files.
 *
 * The files are read in order, later ones overriding earlier ones:
 * /etc/sockwatch.conf, then $XDG_CONFIG_HOME/sockwatch/sockwatch.conf
 * (~/.config when unset); --config FILE replaces both. The format is one
 * "key = value" per line, '#' starts a comment:
 *
 *	hysteresis.raise_after = 2	polls above a level before it is shown
 *	hysteresis.clear_after = 3	polls below the clear level to lower it
 *	hysteresis.clear_ratio = 0.8	clear level = raise level * ratio
 *	findings.max_per_rule = 20
 *	rule.RULE.enabled = yes|no
 *	rule.RULE.PARAM = NUMBER	(doc/sockwatch.conf lists them)
 */
#ifndef SOCKWATCH_CONF_H
#define SOCKWATCH_CONF_H

#include <stddef.h>

#include "anomaly.h"

#define CONF_SYSTEM_FILE	"/etc/sockwatch.conf"

int	conf_parse(struct anomaly_config *, const char *name,
	    const char *text, size_t len, char **cause);
int	conf_load_file(struct anomaly_config *, const char *path,
	    int must_exist, char **cause);
int	conf_load(struct anomaly_config *, const char *explicit_path,
	    char **cause);
int	conf_set(struct anomaly_config *, const char *assignment,
	    char **cause);

#endif
