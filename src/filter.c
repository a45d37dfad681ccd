/*
 * filter.c - the filter language: tokens to a tree.
 *
 * A recursive-descent parser over a token array. "or" binds loosest, then
 * "and" (which may be left out, as in ss), then "not". Every error names
 * the column where the parser gave up and what it expected there, because
 * the same text is typed at a shell, in a config file and in the dashboard.
 * Words become tokens in filter_lex.c; terms and their values (addresses,
 * ports, durations) are parsed in filter_term.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "filter_parse.h"
#include "nls.h"
#include "xmalloc.h"

static struct filter_node *parse_or(struct parser *);

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
	if (parser_lex(&p) == 0 && parser_peek(&p)->type != TOK_END) {
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
