/*
 * fuzz_conf.c - libFuzzer target for the configuration parser: any text
 * is taken or refused with "NAME:LINE: why", and what is taken leaves
 * every threshold a number the rules can use.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anomaly_config cfg;
	char *cause = NULL;
	int r, k;

	anomaly_config_defaults(&cfg);
	if (conf_parse(&cfg, "fuzz.conf", (const char *)data, size,
	    &cause) < 0) {
		if (cause == NULL || strncmp(cause, "fuzz.conf:", 10) != 0)
			abort();
		free(cause);
		return 0;
	}
	for (r = 0; r < RULE_COUNT; r++)
		for (k = 0; k < RULE_PARAM_MAX; k++)
			if (!isfinite(cfg.param[r][k]) || cfg.param[r][k] < 0)
				abort();
	if (!isfinite(cfg.clear_ratio) || cfg.raise_after < 1 ||
	    cfg.clear_after < 1 || cfg.max_findings < 0)
		abort();
	return 0;
}
