/*
 * filter_parse.h - what filter.c (the expression grammar) and filter_term.c
 * (the terms and their values) share, most of it in filter_lex.c (the
 * tokens and nodes). Not for other modules.
 */
#ifndef SOCKWATCH_FILTER_PARSE_H
#define SOCKWATCH_FILTER_PARSE_H

#include "filter.h"

enum tok {
	TOK_END,
	TOK_WORD,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_NOT,
	TOK_AND,
	TOK_OR,
	TOK_CMP,
};

struct token {
	enum tok	 type;
	int		 col;		/* 1-based, of its first character */
	int		 quoted;
	enum filter_cmp	 cmp;		/* TOK_CMP */
	char		*word;		/* TOK_WORD, without quotes */
};

struct parser {
	const char	*text;
	struct token	*toks;
	size_t		 ntoks;
	size_t		 cap;
	size_t		 pos;
	int		 depth;
	char		*cause;		/* the first error */
};

/* filter_lex.c */
int		 parser_lex(struct parser *);
void		 parser_free(struct parser *);
void		 parser_error(struct parser *, int col, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
const struct token *parser_peek(const struct parser *);
const struct token *parser_next(struct parser *);
const char	*parser_tok_text(const struct token *);
struct filter_node *parser_node(enum filter_kind, struct filter_node *,
		     struct filter_node *);
void		 filter_node_free(struct filter_node *);

/* filter_term.c */
struct filter_node *parser_term(struct parser *);
int		 parser_is_state_word(const struct token *, int *exclude);

#endif
