/*
 * dashboard.h - what the dashboard is plugged into: the kill engine (and,
 * as they land, the model, the process map and the rules), behind the one
 * struct tui_extras the view reads.
 */
#ifndef SOCKWATCH_DASHBOARD_H
#define SOCKWATCH_DASHBOARD_H

#include "tui_view.h"

struct dashboard;

struct dashboard	*dashboard_create(int readonly);
const struct tui_extras	*dashboard_extras(struct dashboard *);
void			 dashboard_free(struct dashboard *);

#endif
