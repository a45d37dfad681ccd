/*
 * batch_cols.h - the columns of a socket in reports: one table that CSV
 * writes in full (the same columns whatever the flags, empty where a
 * value is unknown), JSON by group (the socket memory of -m and the
 * tcp_info of -i as objects of their own) and text as ss does (-m, -i).
 * Each format writes the values its own way (batch_csv.c, batch_json.c,
 * batch_text.c).
 *
 * Adding a column is one line in the table of batch_cols.c.
 */
#ifndef SOCKWATCH_BATCH_COLS_H
#define SOCKWATCH_BATCH_COLS_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

struct report;

enum batch_col_group {
	BATCH_COLS_SOCKET,	/* always */
	BATCH_COLS_MEMORY,	/* -m: SK_MEMINFO */
	BATCH_COLS_INFO,	/* -i: tcp_info */
	BATCH_COLS_NGROUPS
};

enum batch_val_kind {
	BATCH_VAL_NONE,		/* unknown: empty in CSV, null in JSON */
	BATCH_VAL_UINT,
	BATCH_VAL_INT,
	BATCH_VAL_DOUBLE,
	BATCH_VAL_TEXT,		/* quoted as the format needs */
};

struct batch_val {
	enum batch_val_kind	 kind;
	uint64_t		 u;
	int64_t			 i;
	double			 d;
	int			 decimals;
	char			 text[ADDR_STRLEN + 192];
};

struct batch_col {
	const char		*name;	/* CSV header and JSON key */
	const char		*text;	/* ss's short name in text, or NULL */
	enum batch_col_group	 group;
	void			(*get)(const struct report *, size_t idx,
				    struct batch_val *);
};

extern const struct batch_col	batch_cols[];
extern const size_t		batch_ncols;

/* Whether the socket has its group's figures; without, all are unknown. */
int	batch_group_known(enum batch_col_group, const struct report *,
	    size_t idx);

/*
 * A known number as every format writes it; returns 0, writing nothing,
 * for a text or an unknown value, which each format writes its own way.
 */
static inline int
batch_val_number(struct out *o, const struct batch_val *v)
{
	switch (v->kind) {
	case BATCH_VAL_UINT:
		out_uint(o, v->u);
		return 1;
	case BATCH_VAL_INT:
		out_int(o, v->i);
		return 1;
	case BATCH_VAL_DOUBLE:
		out_double(o, v->d, v->decimals);
		return 1;
	default:
		return 0;
	}
}

/* A column's value of the socket snap->socks[idx]. Inline: CSV asks for
   fifty a row. */
static inline void
batch_col_get(const struct batch_col *c, const struct report *r, size_t idx,
    struct batch_val *v)
{
	v->kind = BATCH_VAL_NONE;
	c->get(r, idx, v);
}

#endif
