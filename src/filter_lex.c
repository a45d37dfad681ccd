/*
 * filter_lex.c - the filter language's words to tokens, and what the
 * grammar (filter.c) and the terms (filter_term.c) both use to walk the
 * tokens, report an error at a column and build the tree's nodes. Kept
 * apart so that the two parsers use it without calling each other.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "filter_parse.h"
#include "nls.h"
#include "xmalloc.h"

/* Record the first error only: later ones are consequences of it. */
void
parser_error(struct parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->cause != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	va_end(ap);
	xasprintf(&p->cause, _("filter: col %d: %s"), col, msg);
	free(msg);
}

static int
is_symbol(char c)
{
	return c != '\0' && strchr("()!=<>&|\"'", c) != NULL;
}

static void
add_token(struct parser *p, enum tok type, int col)
{
	struct token *t;

	if (p->ntoks == p->cap) {
		p->cap = p->cap == 0 ? 16 : p->cap * 2;
		p->toks = xreallocarray(p->toks, p->cap, sizeof *p->toks);
	}
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->col = col;
}

/* An operator of one or two characters at s; its length, 0 if none. */
static size_t
lex_symbol(struct parser *p, const char *s, int col)
{
	static const struct {
		const char	*text;
		enum tok	 type;
		enum filter_cmp	 cmp;
	} syms[] = {
		{ "&&", TOK_AND, 0 }, { "||", TOK_OR, 0 },
		{ "==", TOK_CMP, FILTER_EQ }, { "!=", TOK_CMP, FILTER_NE },
		{ "<=", TOK_CMP, FILTER_LE }, { ">=", TOK_CMP, FILTER_GE },
		{ "(", TOK_LPAREN, 0 }, { ")", TOK_RPAREN, 0 },
		{ "!", TOK_NOT, 0 }, { "&", TOK_AND, 0 }, { "|", TOK_OR, 0 },
		{ "=", TOK_CMP, FILTER_EQ }, { "<", TOK_CMP, FILTER_LT },
		{ ">", TOK_CMP, FILTER_GT },
	};
	size_t i, n;

	for (i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		n = strlen(syms[i].text);
		if (strncmp(s, syms[i].text, n) == 0) {
			add_token(p, syms[i].type, col);
			p->toks[p->ntoks - 1].cmp = syms[i].cmp;
			return n;
		}
	}
	return 0;
}

/* A word, quoted or bare; "and", "or", "not" become operators. */
static size_t
lex_word(struct parser *p, const char *s, int col)
{
	struct token *t;
	const char *end;
	char quote = 0;
	size_t n;

	if (*s == '"' || *s == '\'') {
		quote = *s;
		if ((end = strchr(s + 1, quote)) == NULL) {
			parser_error(p, col, _("unterminated quoted text: add "
			    "the closing %c"), quote);
			return 0;
		}
		n = (size_t)(end - s - 1);
		add_token(p, TOK_WORD, col + 1);
		t = &p->toks[p->ntoks - 1];
		t->word = xmalloc(n + 1);
		memcpy(t->word, s + 1, n);
		t->word[n] = '\0';
		t->quoted = 1;
		return n + 2;
	}
	for (n = 0; s[n] != '\0' && !isspace((unsigned char)s[n]) &&
	    !is_symbol(s[n]); n++)
		;
	add_token(p, TOK_WORD, col);
	t = &p->toks[p->ntoks - 1];
	t->word = xmalloc(n + 1);
	memcpy(t->word, s, n);
	t->word[n] = '\0';
	if (strcasecmp(t->word, "and") == 0)
		t->type = TOK_AND;
	else if (strcasecmp(t->word, "or") == 0)
		t->type = TOK_OR;
	else if (strcasecmp(t->word, "not") == 0)
		t->type = TOK_NOT;
	return n;
}

/* The text to tokens, ending with TOK_END; -1 with the error recorded. */
int
parser_lex(struct parser *p)
{
	const char *s = p->text;
	size_t n;

	while (*s != '\0') {
		int col = (int)(s - p->text) + 1;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (p->ntoks >= FILTER_MAX_TOKENS) {
			parser_error(p, col, _("the filter is too long (more "
			    "than %d words): simplify it"), FILTER_MAX_TOKENS);
			return -1;
		}
		if ((n = lex_symbol(p, s, col)) == 0 &&
		    (n = lex_word(p, s, col)) == 0)
			return -1;
		s += n;
	}
	add_token(p, TOK_END, (int)(s - p->text) + 1);
	return 0;
}

const struct token *
parser_peek(const struct parser *p)
{
	return &p->toks[p->pos];
}

const struct token *
parser_next(struct parser *p)
{
	const struct token *t = &p->toks[p->pos];

	if (t->type != TOK_END)
		p->pos++;
	return t;
}

/* How a token reads in a message. */
const char *
parser_tok_text(const struct token *t)
{
	static const char *const names[] = {
		[TOK_END] = "", [TOK_LPAREN] = "(", [TOK_RPAREN] = ")",
		[TOK_NOT] = "not", [TOK_AND] = "and", [TOK_OR] = "or",
		[TOK_CMP] = "=",
	};
	static const char *const cmps[] = {
		[FILTER_EQ] = "=", [FILTER_NE] = "!=", [FILTER_LT] = "<",
		[FILTER_GT] = ">", [FILTER_LE] = "<=", [FILTER_GE] = ">=",
	};

	if (t->type == TOK_WORD)
		return t->word;
	if (t->type == TOK_CMP)
		return cmps[t->cmp];
	return names[t->type];
}

struct filter_node *
parser_node(enum filter_kind kind, struct filter_node *left,
    struct filter_node *right)
{
	struct filter_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->left = left;
	n->right = right;
	return n;
}

void
parser_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->ntoks; i++)
		free(p->toks[i].word);
	free(p->toks);
}

void
filter_node_free(struct filter_node *n)
{
	if (n == NULL)
		return;
	filter_node_free(n->left);
	filter_node_free(n->right);
	if (n->kind == FILTER_PROCESS)
		free(n->u.name);
	free(n);
}
