/*
 * filter.c - the filter language: words to tokens to a tree.
 *
 * A recursive-descent parser over a token array. "or" binds loosest, then
 * "and" (which may be left out, as in ss), then "not". Every error names
 * the column where the parser gave up and what it expected there, because
 * the same text is typed at a shell, in a config file and in the dashboard.
 * Values (addresses, ports, durations) are parsed in filter_value.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "filter_parse.h"
#include "nls.h"
#include "xmalloc.h"

static struct filter_node *parse_or(struct parser *);

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

static int
lex(struct parser *p)
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

static int
starts_term(const struct token *t)
{
	return t->type == TOK_WORD || t->type == TOK_LPAREN ||
	    t->type == TOK_NOT;
}

static int
enter(struct parser *p, const struct token *t)
{
	if (++p->depth > FILTER_MAX_DEPTH) {
		parser_error(p, t->col, _("the filter nests too deeply (more "
		    "than %d levels of parentheses and 'not')"),
		    FILTER_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Explain a token that cannot start a term. */
static void
not_a_term(struct parser *p, const struct token *t, const char *after)
{
	switch (t->type) {
	case TOK_END:
		if (after == NULL)
			parser_error(p, t->col, "%s", _("expected a term such "
			    "as state, sport or dst"));
		else
			parser_error(p, t->col, _("expected a term after '%s'"),
			    after);
		break;
	case TOK_RPAREN:
		if (p->depth > 0)
			parser_error(p, t->col, "%s", _("expected a term before "
			    "')'"));
		else
			parser_error(p, t->col, "%s", _("unexpected ')': there "
			    "is no '(' to close"));
		break;
	case TOK_CMP:
		parser_error(p, t->col, _("unexpected '%s': a comparison "
		    "follows a term such as sport or recv-q"),
		    parser_tok_text(t));
		break;
	default:
		parser_error(p, t->col, _("unexpected '%s': it needs a term "
		    "on its left"), parser_tok_text(t));
		break;
	}
}

static struct filter_node *
parse_primary(struct parser *p, const char *after)
{
	const struct token *t = parser_peek(p), *open;
	struct filter_node *n;

	if (t->type == TOK_WORD)
		return parser_term(p);
	if (t->type != TOK_LPAREN) {
		not_a_term(p, t, after);
		return NULL;
	}
	open = parser_next(p);
	if (enter(p, open) < 0)
		return NULL;
	if ((n = parse_or(p)) == NULL)
		return NULL;
	if (parser_peek(p)->type != TOK_RPAREN) {
		filter_node_free(n);
		if (parser_peek(p)->type == TOK_END)
			parser_error(p, parser_peek(p)->col, _("expected ')' to "
			    "close the '(' at col %d"), open->col);
		else
			parser_error(p, parser_peek(p)->col, _("unexpected '%s': "
			    "expected 'and', 'or' or ')'"),
			    parser_tok_text(parser_peek(p)));
		return NULL;
	}
	parser_next(p);
	p->depth--;
	return n;
}

static struct filter_node *
parse_unary(struct parser *p, const char *after)
{
	const struct token *t = parser_peek(p);
	struct filter_node *n;

	if (t->type != TOK_NOT)
		return parse_primary(p, after);
	parser_next(p);
	if (enter(p, t) < 0)
		return NULL;
	if ((n = parse_unary(p, parser_tok_text(t))) == NULL)
		return NULL;
	p->depth--;
	return parser_node(FILTER_NOT, n, NULL);
}

/* "state a state b" means either state, as in ss; "exclude c" removes one. */
static int
merge_state(struct filter_node *last, struct filter_node *n, int exclude)
{
	if (last == NULL || n == NULL || n->kind != FILTER_STATE)
		return 0;
	if (exclude)
		last->u.states &= n->u.states;
	else
		last->u.states |= n->u.states;
	filter_node_free(n);
	return 1;
}

static struct filter_node *
parse_and(struct parser *p, const char *after)
{
	struct filter_node *left, *right, *last_state = NULL;
	const struct token *t;
	const char *op;
	int state_word, exclude;

	state_word = parser_is_state_word(parser_peek(p), NULL);
	if ((left = parse_unary(p, after)) == NULL)
		return NULL;
	if (state_word)
		last_state = left;
	for (;;) {
		t = parser_peek(p);
		op = NULL;
		if (t->type == TOK_AND)
			op = parser_tok_text(parser_next(p));
		else if (!starts_term(t))
			break;
		state_word = parser_is_state_word(parser_peek(p), &exclude);
		if ((right = parse_unary(p, op)) == NULL) {
			filter_node_free(left);
			return NULL;
		}
		if (op == NULL && state_word && merge_state(last_state, right,
		    exclude))
			continue;
		last_state = state_word ? right : NULL;
		left = parser_node(FILTER_AND, left, right);
	}
	return left;
}

static struct filter_node *
parse_or(struct parser *p)
{
	struct filter_node *left, *right;

	if ((left = parse_and(p, NULL)) == NULL)
		return NULL;
	while (parser_peek(p)->type == TOK_OR) {
		parser_next(p);
		if ((right = parse_and(p, "or")) == NULL) {
			filter_node_free(left);
			return NULL;
		}
		left = parser_node(FILTER_OR, left, right);
	}
	return left;
}

static void
parser_free(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->ntoks; i++)
		free(p->toks[i].word);
	free(p->toks);
}

static unsigned
node_needs(const struct filter_node *n)
{
	if (n == NULL)
		return 0;
	switch (n->kind) {
	case FILTER_AGE:
	case FILTER_STATE_AGE:
		return FILTER_NEEDS_AGES;
	case FILTER_PROCESS:
	case FILTER_PID:
		return FILTER_NEEDS_PROCS;
	default:
		return node_needs(n->left) | node_needs(n->right);
	}
}

/*
 * Parse a filter. Empty text (or only blanks) is the empty filter, which
 * matches every socket. NULL with *cause set on a bad filter.
 */
struct filter *
filter_parse(const char *text, char **cause)
{
	struct parser p;
	struct filter *f;
	struct filter_node *root = NULL;

	memset(&p, 0, sizeof p);
	p.text = text;
	*cause = NULL;
	if (lex(&p) == 0 && parser_peek(&p)->type != TOK_END) {
		root = parse_or(&p);
		if (root != NULL && parser_peek(&p)->type != TOK_END) {
			not_a_term(&p, parser_peek(&p), NULL);
			filter_node_free(root);
			root = NULL;
		}
	}
	parser_free(&p);
	if (p.cause != NULL) {
		*cause = p.cause;
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->root = root;
	f->needs = node_needs(root);
	return f;
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

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	filter_node_free(f->root);
	free(f);
}

/* The FILTER arguments of the command line, joined with spaces as ss does. */
char *
filter_join(int argc, char *const *argv)
{
	size_t len = 1, off = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i > 0)
			s[off++] = ' ';
		memcpy(s + off, argv[i], n);
		off += n;
	}
	s[off] = '\0';
	return s;
}
