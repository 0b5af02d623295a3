/* expr -- targets typed as FPCore expressions: the parser, Arb enclosures, a double evaluation with an error bound.

   A text "(FPCore (x) :pre (<= -4 x 4) (* x (tanh (log1p (exp x)))))" becomes
   a DAG of nodes, children before parents (let-bound values are shared).
   The reference evaluates it on Arb balls at the precision the caller's
   Ziv loop asks for; the fast reference evaluates it in double while
   propagating a first-order bound on the absolute error of every node, and
   returns NaN (undecided: the verifier asks Arb) wherever that bound is not
   below EXPR_FAST_RELERR of the value.  */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arb.h>
#include <arb_hypgeom.h>
#include <acb_hypgeom.h>

#include "dsl/internal.h"
#include "eval/eval.h"

/* Ziv's loops double the precision; past this an enclosure is given up
   (an exact value Arb cannot prove, a singularity, a NaN): the point is
   reported as unresolved, never given a value.  */
#define EXPR_MAXPREC 4096
#define EXPR_MAXNODES 1024
#define EXPR_MAXDEPTH 200

typedef enum {
  X_NUM, X_VAR, X_PI, X_E,
  /* arithmetic */
  X_ADD, X_SUB, X_MUL, X_DIV, X_NEG, X_FABS, X_FMA, X_SQRT, X_CBRT, X_HYPOT,
  X_EXP, X_EXP2, X_EXPM1, X_LOG, X_LOG2, X_LOG10, X_LOG1P, X_POW,
  X_SIN, X_COS, X_TAN, X_ASIN, X_ACOS, X_ATAN, X_ATAN2,
  X_SINH, X_COSH, X_TANH, X_ASINH, X_ACOSH, X_ATANH,
  X_ERF, X_ERFC, X_TGAMMA, X_LGAMMA, X_FMIN, X_FMAX, X_COPYSIGN,
  /* extensions of FPCore: the modified Bessel functions I_v(x), K_v(x) (order first) */
  X_BESSELI, X_BESSELK,
  X_IF,
  /* booleans */
  X_LT, X_LE, X_GT, X_GE, X_EQ, X_NE, X_AND, X_OR, X_NOT, X_TRUE, X_FALSE
} xop;

static const struct {
  const char *name;
  xop op;
  int arity;
} ops[] = {
  {"+", X_ADD, 2}, {"-", X_SUB, 2}, {"*", X_MUL, 2}, {"/", X_DIV, 2}, {"fabs", X_FABS, 1}, {"fma", X_FMA, 3},
  {"sqrt", X_SQRT, 1}, {"cbrt", X_CBRT, 1}, {"hypot", X_HYPOT, 2}, {"exp", X_EXP, 1}, {"exp2", X_EXP2, 1},
  {"expm1", X_EXPM1, 1}, {"log", X_LOG, 1}, {"log2", X_LOG2, 1}, {"log10", X_LOG10, 1}, {"log1p", X_LOG1P, 1},
  {"pow", X_POW, 2}, {"sin", X_SIN, 1}, {"cos", X_COS, 1}, {"tan", X_TAN, 1}, {"asin", X_ASIN, 1},
  {"acos", X_ACOS, 1}, {"atan", X_ATAN, 1}, {"atan2", X_ATAN2, 2}, {"sinh", X_SINH, 1}, {"cosh", X_COSH, 1},
  {"tanh", X_TANH, 1}, {"asinh", X_ASINH, 1}, {"acosh", X_ACOSH, 1}, {"atanh", X_ATANH, 1}, {"erf", X_ERF, 1},
  {"erfc", X_ERFC, 1}, {"tgamma", X_TGAMMA, 1}, {"lgamma", X_LGAMMA, 1}, {"fmin", X_FMIN, 2},
  {"fmax", X_FMAX, 2}, {"copysign", X_COPYSIGN, 2}, {"besseli", X_BESSELI, 2},
  {"besselk", X_BESSELK, 2}, {"if", X_IF, 3}, {"not", X_NOT, 1},
};

static int
is_bool (xop op)
{
  return op >= X_LT;
}

typedef struct {
  uint8_t op;
  int a[3];            /* children */
  int var;             /* X_VAR: the variable's index */
  double num;          /* X_NUM: the nearest double */
  double num_err;      /* X_NUM: |num - exact| bound (0: exact) */
  char *lit;           /* X_NUM: the literal's text (decimal, hex or P/Q) */
} xnode;

struct eval_expr {
  int nvars;
  char var[EVAL_MAXARITY][32];
  int n, root;         /* nodes, and the body's value (the :pre nodes follow it) */
  xnode node[EXPR_MAXNODES];
  /* :pre bounds per variable: node of the bound (-1: none), strictness.  */
  int lo[EVAL_MAXARITY], hi[EVAL_MAXARITY];
  int lo_strict[EVAL_MAXARITY], hi_strict[EVAL_MAXARITY];
  char name[64];       /* :name, or "" */
  char *text;          /* canonical text (one line) */
  char *body;          /* the body alone, for display */
};

/* ---- S-expressions ---- */

typedef enum { SX_ATOM, SX_STRING, SX_LIST } sx_kind;

typedef struct sx {
  sx_kind kind;
  int pos;             /* offset in the source */
  char *text;          /* atom or string */
  int n;
  struct sx **kid;
} sx;

typedef struct {
  const char *src, *p;
  dsl_error *err;
  int failed;
} reader;

static void
sx_free (sx *s)
{
  if (!s)
    return;
  for (int i = 0; i < s->n; i++)
    sx_free (s->kid[i]);
  free (s->kid);
  free (s->text);
  free (s);
}

/* "FPCore: MSG at line L, column C" with ERR's position set.  */
static int
fail_at (dsl_error *err, const char *src, int pos, const char *fmt, ...)
{
  if (!err)
    return -1;
  int line = 1, col = 1;
  for (int i = 0; i < pos && src[i]; i++)
    if (src[i] == '\n')
      line++, col = 1;
    else
      col++;
  char msg[200];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  dsl_error_set (err, "FPCore: %s (line %d, column %d)", msg, line, col);
  err->line = line;
  err->col = col;
  return -1;
}

static void
skip_space (reader *r)
{
  for (;;)
    {
      while (isspace ((unsigned char) *r->p))
        r->p++;
      if (*r->p != ';')
        return;
      while (*r->p && *r->p != '\n')
        r->p++;
    }
}

static sx *
sx_new (sx_kind kind, int pos)
{
  sx *s = calloc (1, sizeof *s);
  if (s)
    s->kind = kind, s->pos = pos;
  return s;
}

static sx *
read_sx (reader *r, int depth)
{
  skip_space (r);
  int pos = (int) (r->p - r->src);
  char c = *r->p;
  if (c == '\0')
    return fail_at (r->err, r->src, pos, "unexpected end of text"), NULL;
  if (depth > EXPR_MAXDEPTH)
    return fail_at (r->err, r->src, pos, "nested too deeply"), NULL;
  if (c == ')' || c == ']')
    return fail_at (r->err, r->src, pos, "unexpected '%c'", c), NULL;
  if (c == '(' || c == '[')
    {
      char close = c == '(' ? ')' : ']';
      r->p++;
      sx *s = sx_new (SX_LIST, pos);
      if (!s)
        return dsl_error_set (r->err, "out of memory"), NULL;
      for (;;)
        {
          skip_space (r);
          if (*r->p == close)
            {
              r->p++;
              return s;
            }
          if (*r->p == '\0')
            return fail_at (r->err, r->src, pos, "'%c' is never closed", c), sx_free (s), NULL;
          sx *k = read_sx (r, depth + 1);
          sx **kid = k ? realloc (s->kid, (size_t) (s->n + 1) * sizeof *kid) : NULL;
          if (!kid)
            {
              if (k)
                dsl_error_set (r->err, "out of memory");
              sx_free (k);
              sx_free (s);
              return NULL;
            }
          s->kid = kid;
          s->kid[s->n++] = k;
        }
    }
  const char *start = r->p;
  sx *s;
  if (c == '"')
    {
      r->p++;
      while (*r->p && *r->p != '"')
        r->p += r->p[0] == '\\' && r->p[1] ? 2 : 1;
      if (*r->p != '"')
        return fail_at (r->err, r->src, pos, "string is never closed"), NULL;
      r->p++;
      s = sx_new (SX_STRING, pos);
      start++;
    }
  else
    {
      while (*r->p && !isspace ((unsigned char) *r->p) && !strchr ("()[];\"", *r->p))
        r->p++;
      s = sx_new (SX_ATOM, pos);
    }
  size_t n = (size_t) (r->p - start) - (c == '"');
  if (!s || !(s->text = strndup (start, n)))
    return dsl_error_set (r->err, "out of memory"), free (s), NULL;
  return s;
}

/* Appends S to B in one line with single spaces.  */
static void
sx_print (dsl_strbuf *b, const sx *s)
{
  if (s->kind == SX_ATOM)
    dsl_sb_printf (b, "%s", s->text);
  else if (s->kind == SX_STRING)
    dsl_sb_printf (b, "\"%s\"", s->text);
  else
    {
      dsl_sb_printf (b, "(");
      for (int i = 0; i < s->n; i++)
        {
          if (i)
            dsl_sb_printf (b, " ");
          sx_print (b, s->kid[i]);
        }
      dsl_sb_printf (b, ")");
    }
}

/* ---- compiling an S-expression to nodes ---- */

typedef struct binding {
  const char *name;
  int node;
  const struct binding *up;
} binding;

typedef struct {
  eval_expr *x;
  const char *src;
  dsl_error *err;
} compiler;

static int
add_node (compiler *c, const sx *at, xop op, int a, int b, int d)
{
  if (c->x->n == EXPR_MAXNODES)
    return fail_at (c->err, c->src, at->pos, "expression too large (at most %d operations)", EXPR_MAXNODES);
  xnode *nd = &c->x->node[c->x->n];
  memset (nd, 0, sizeof *nd);
  nd->op = (uint8_t) op;
  nd->a[0] = a, nd->a[1] = b, nd->a[2] = d;
  return c->x->n++;
}

/* Numbers: decimal ([+-]digits[.digits][e[+-]digits]), hexadecimal
   (0x..p..) and rationals P/Q.  */
static int
is_decimal (const char *s)
{
  const char *p = s + (*s == '+' || *s == '-');
  int digits = 0;
  while (isdigit ((unsigned char) *p))
    p++, digits++;
  if (*p == '.')
    for (p++; isdigit ((unsigned char) *p); p++)
      digits++;
  if (!digits)
    return 0;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      p += *p == '+' || *p == '-';
      if (!isdigit ((unsigned char) *p))
        return 0;
      while (isdigit ((unsigned char) *p))
        p++;
    }
  return *p == '\0';
}

static int
is_integer (const char *s, const char *end)
{
  const char *p = s + (*s == '+' || *s == '-');
  if (p == end)
    return 0;
  for (; p < end; p++)
    if (!isdigit ((unsigned char) *p))
      return 0;
  return 1;
}

/* Sets ND's value from literal S, or returns 0 when S is not a number.  */
static int
parse_number (compiler *c, const sx *at, xnode *nd, const char *s)
{
  const char *slash = strchr (s, '/');
  mpfr_t m;
  if (slash)
    {
      if (!is_integer (s, slash) || !is_integer (slash + 1, slash + strlen (slash)) || slash[1] == '-'
          || slash[1] == '+')
        return 0;
      mpfr_t q;
      mpfr_inits2 (256, m, q, (mpfr_ptr) 0);
      mpfr_set_str (q, slash + 1, 10, MPFR_RNDN);
      char *num = strndup (s, (size_t) (slash - s));
      if (!num)
        return mpfr_clears (m, q, (mpfr_ptr) 0), 0;
      mpfr_set_str (m, num, 10, MPFR_RNDN);
      free (num);
      if (mpfr_zero_p (q))
        {
          mpfr_clears (m, q, (mpfr_ptr) 0);
          return fail_at (c->err, c->src, at->pos, "rational '%s' divides by zero", s), -1;
        }
      mpfr_div (m, m, q, MPFR_RNDN);
      mpfr_clear (q);
    }
  else if (is_decimal (s))
    {
      mpfr_init2 (m, 256);
      mpfr_set_str (m, s, 10, MPFR_RNDN);
    }
  else if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
           || ((s[0] == '-' || s[0] == '+') && s[1] == '0' && (s[2] == 'x' || s[2] == 'X')))
    {
      char *end;
      errno = 0;
      double d = strtod (s, &end);
      if (*end || !isfinite (d))
        return 0;
      /* Exact in double?  MPFR reads the hex digits exactly.  */
      mpfr_init2 (m, 4096);
      if (mpfr_set_str (m, s, 16, MPFR_RNDN) != 0 || mpfr_cmp_d (m, d) != 0)
        {
          mpfr_clear (m);
          return fail_at (c->err, c->src, at->pos, "hexadecimal literal '%s' is not a double", s), -1;
        }
    }
  else
    return 0;
  nd->op = X_NUM;
  nd->num = mpfr_get_d (m, MPFR_RNDN);
  if (!isfinite (nd->num) || (nd->num == 0 && !mpfr_zero_p (m)))
    {
      mpfr_clear (m);
      return fail_at (c->err, c->src, at->pos, "literal '%s' is out of the double range", s), -1;
    }
  mpfr_sub_d (m, m, nd->num, MPFR_RNDA);
  nd->num_err = fabs (mpfr_get_d (m, MPFR_RNDU));
  mpfr_clear (m);
  if (!(nd->lit = strdup (s)))
    return dsl_error_set (c->err, "out of memory"), -1;
  return 1;
}

static int compile (compiler *c, const sx *s, const binding *env, int want_bool);

static const char *
kind_name (int want_bool)
{
  return want_bool ? "a condition" : "a number";
}

/* (OP a b c ...) for variadic arithmetic: left fold; comparisons: a
   conjunction of adjacent pairs; and/or: fold.  */
static int
compile_fold (compiler *c, const sx *s, const binding *env, xop op, int args_bool)
{
  int nargs = s->n - 1;
  int cmp = op >= X_LT && op <= X_NE;
  if (nargs < (cmp || op == X_AND || op == X_OR ? 1 : 2))
    return fail_at (c->err, c->src, s->pos, "'%s' needs more operands", s->kid[0]->text);
  int k[64];
  if (nargs > 64)
    return fail_at (c->err, c->src, s->pos, "'%s' has too many operands", s->kid[0]->text);
  for (int i = 0; i < nargs; i++)
    if ((k[i] = compile (c, s->kid[i + 1], env, args_bool)) < 0)
      return -1;
  if (nargs == 1)
    return cmp ? add_node (c, s, X_TRUE, -1, -1, -1) : k[0];
  if (!cmp)
    {
      int acc = k[0];
      for (int i = 1; i < nargs && acc >= 0; i++)
        acc = add_node (c, s, op, acc, k[i], -1);
      return acc;
    }
  if (op == X_NE && nargs > 2)
    {
      /* != on several operands: every pair differs.  */
      int acc = -1;
      for (int i = 0; i < nargs; i++)
        for (int j = i + 1; j < nargs; j++)
          {
            int t = add_node (c, s, X_NE, k[i], k[j], -1);
            acc = t < 0 ? -1 : acc < 0 ? t : add_node (c, s, X_AND, acc, t, -1);
            if (acc < 0)
              return -1;
          }
      return acc;
    }
  int acc = -1;
  for (int i = 0; i + 1 < nargs; i++)
    {
      int t = add_node (c, s, op, k[i], k[i + 1], -1);
      acc = t < 0 ? -1 : acc < 0 ? t : add_node (c, s, X_AND, acc, t, -1);
      if (acc < 0)
        return -1;
    }
  return acc;
}

static int
compile_let (compiler *c, const sx *s, const binding *env, int want_bool, int sequential)
{
  const char *what = s->kid[0]->text;
  if (s->n != 3 || s->kid[1]->kind != SX_LIST)
    return fail_at (c->err, c->src, s->pos, "'%s' takes a list of [name value] bindings and a body", what);
  const sx *bs = s->kid[1];
  binding *b = calloc ((size_t) bs->n + 1, sizeof *b);
  if (!b)
    return dsl_error_set (c->err, "out of memory");
  const binding *inner = env;
  for (int i = 0; i < bs->n; i++)
    {
      const sx *p = bs->kid[i];
      if (p->kind != SX_LIST || p->n != 2 || p->kid[0]->kind != SX_ATOM)
        return free (b), fail_at (c->err, c->src, p->pos, "a '%s' binding is [name value]", what);
      int v = compile (c, p->kid[1], sequential ? inner : env, 0);
      if (v < 0)
        return free (b), -1;
      b[i].name = p->kid[0]->text;
      b[i].node = v;
      b[i].up = inner;
      inner = &b[i];
    }
  int r = compile (c, s->kid[2], inner, want_bool);
  free (b);
  return r;
}

static int
compile (compiler *c, const sx *s, const binding *env, int want_bool)
{
  if (s->kind == SX_STRING)
    return fail_at (c->err, c->src, s->pos, "a string where %s belongs", kind_name (want_bool));
  if (s->kind == SX_ATOM)
    {
      const char *t = s->text;
      if (strcmp (t, "TRUE") == 0 || strcmp (t, "FALSE") == 0)
        {
          if (!want_bool)
            return fail_at (c->err, c->src, s->pos, "'%s' where a number belongs", t);
          return add_node (c, s, t[0] == 'T' ? X_TRUE : X_FALSE, -1, -1, -1);
        }
      if (want_bool)
        return fail_at (c->err, c->src, s->pos, "'%s' where a condition belongs", t);
      for (const binding *b = env; b; b = b->up)
        if (strcmp (b->name, t) == 0)
          return b->node;
      for (int j = 0; j < c->x->nvars; j++)
        if (strcmp (c->x->var[j], t) == 0)
          {
            int k = add_node (c, s, X_VAR, -1, -1, -1);
            if (k >= 0)
              c->x->node[k].var = j;
            return k;
          }
      if (strcmp (t, "PI") == 0 || strcmp (t, "E") == 0)
        return add_node (c, s, t[0] == 'P' ? X_PI : X_E, -1, -1, -1);
      int k = add_node (c, s, X_NUM, -1, -1, -1);
      if (k < 0)
        return -1;
      int r = parse_number (c, s, &c->x->node[k], t);
      if (r < 0)
        return -1;
      if (r == 0)
        return fail_at (c->err, c->src, s->pos, "unknown name '%s' (not a variable, a binding, PI or E)", t);
      return k;
    }
  if (s->n == 0 || s->kid[0]->kind != SX_ATOM)
    return fail_at (c->err, c->src, s->pos, "an operation must start with its name");
  const char *op = s->kid[0]->text;
  if (strcmp (op, "let") == 0 || strcmp (op, "let*") == 0)
    return compile_let (c, s, env, want_bool, op[3] == '*');
  static const struct {
    const char *name;
    xop op;
    int args_bool;
  } folds[] = {{"<", X_LT, 0}, {"<=", X_LE, 0}, {">", X_GT, 0}, {">=", X_GE, 0}, {"==", X_EQ, 0},
               {"!=", X_NE, 0}, {"and", X_AND, 1}, {"or", X_OR, 1}};
  for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++)
    if (strcmp (op, folds[i].name) == 0)
      {
        if (!want_bool)
          return fail_at (c->err, c->src, s->pos, "'%s' is a condition, where a number belongs", op);
        return compile_fold (c, s, env, folds[i].op, folds[i].args_bool);
      }
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    {
      if (strcmp (op, ops[i].name) != 0)
        continue;
      int boolean = ops[i].op == X_NOT;
      if (boolean != want_bool)
        return fail_at (c->err, c->src, s->pos, "'%s' where %s belongs", op, kind_name (want_bool));
      int nargs = s->n - 1;
      if (ops[i].op == X_SUB && nargs == 1)
        {
          int a = compile (c, s->kid[1], env, 0);
          return a < 0 ? -1 : add_node (c, s, X_NEG, a, -1, -1);
        }
      if ((ops[i].op == X_ADD || ops[i].op == X_MUL) && nargs > 2)
        return compile_fold (c, s, env, ops[i].op, 0);
      if (nargs != ops[i].arity)
        return fail_at (c->err, c->src, s->pos, "'%s' takes %d operand%s, not %d", op, ops[i].arity,
                        ops[i].arity == 1 ? "" : "s", nargs);
      int a[3] = {-1, -1, -1};
      for (int j = 0; j < nargs; j++)
        if ((a[j] = compile (c, s->kid[j + 1], env, boolean || (ops[i].op == X_IF && j == 0))) < 0)
          return -1;
      return add_node (c, s, ops[i].op, a[0], a[1], a[2]);
    }
  return fail_at (c->err, c->src, s->pos, "unsupported operation '%s'", op);
}

/* ---- :pre ---- */

/* Whether node K depends on no variable.  */
static int
constant_node (const eval_expr *x, int k)
{
  const xnode *nd = &x->node[k];
  if (nd->op == X_VAR)
    return 0;
  for (int j = 0; j < 3; j++)
    if (nd->a[j] >= 0 && !constant_node (x, nd->a[j]))
      return 0;
  return 1;
}

/* Records the bound of one comparison A op B (a variable against a constant).  */
static int
pre_compare (compiler *c, const sx *at, int k)
{
  eval_expr *x = c->x;
  const xnode *nd = &x->node[k];
  if (nd->op == X_TRUE)
    return 0;
  if (nd->op == X_AND)
    return pre_compare (c, at, nd->a[0]) < 0 ? -1 : pre_compare (c, at, nd->a[1]);
  if (nd->op < X_LT || nd->op > X_GE)
    return fail_at (c->err, c->src, at->pos, ":pre must be a conjunction of bounds (<, <=, >, >=) on the variables");
  int a = nd->a[0], b = nd->a[1];
  int less = nd->op == X_LT || nd->op == X_LE, strict = nd->op == X_LT || nd->op == X_GT;
  /* Normalise to "VAR op C" with op a lower or upper bound.  */
  int var, bound, upper;
  if (x->node[a].op == X_VAR && constant_node (x, b))
    var = x->node[a].var, bound = b, upper = less;
  else if (x->node[b].op == X_VAR && constant_node (x, a))
    var = x->node[b].var, bound = a, upper = !less;
  else
    return fail_at (c->err, c->src, at->pos, ":pre: each comparison must bound one variable by a constant");
  /* The tightest of several bounds is not known before rounding: keep the last, and say so.  */
  int *slot = upper ? &x->hi[var] : &x->lo[var];
  if (*slot >= 0)
    return fail_at (c->err, c->src, at->pos, ":pre bounds variable '%s' %s twice", x->var[var],
                    upper ? "from above" : "from below");
  *slot = bound;
  (upper ? x->hi_strict : x->lo_strict)[var] = strict;
  return 0;
}

/* ---- parsing a whole FPCore ---- */

void
eval_expr_free (eval_expr *x)
{
  if (!x)
    return;
  for (int k = 0; k < x->n; k++)
    free (x->node[k].lit);
  free (x->text);
  free (x->body);
  free (x);
}

static char *
print_sx (const sx *s)
{
  dsl_strbuf b = {NULL, 0, 0, 0};
  sx_print (&b, s);
  if (b.failed)
    {
      free (b.s);
      return NULL;
    }
  return b.s;
}

/* Compiles the FPCore S (a list starting with FPCore).  */
static eval_expr *
compile_fpcore (const sx *s, const char *src, dsl_error *err)
{
  int i = 1;
  if (i < s->n && s->kid[i]->kind == SX_ATOM)   /* FPCore 2.0: (FPCore name (args) ...) */
    i++;
  if (i >= s->n || s->kid[i]->kind != SX_LIST)
    return fail_at (err, src, s->pos, "an FPCore starts with its list of arguments"), NULL;
  const sx *args = s->kid[i++];
  if (args->n < 1 || args->n > 2)
    return fail_at (err, src, args->pos, "one or two arguments, not %d", args->n), NULL;
  eval_expr *x = calloc (1, sizeof *x);
  if (!x)
    return dsl_error_set (err, "out of memory"), NULL;
  compiler c = {x, src, err};
  x->nvars = args->n;
  for (int j = 0; j < EVAL_MAXARITY; j++)
    x->lo[j] = x->hi[j] = -1;
  for (int j = 0; j < args->n; j++)
    {
      const sx *a = args->kid[j];
      if (a->kind != SX_ATOM)
        {
          fail_at (err, src, a->pos, "an argument must be a plain name (annotations such as '!' are not supported)");
          goto fail;
        }
      if (strlen (a->text) >= sizeof x->var[j] || !(isalpha ((unsigned char) a->text[0]) || a->text[0] == '_'))
        {
          fail_at (err, src, a->pos, "bad argument name '%s'", a->text);
          goto fail;
        }
      strcpy (x->var[j], a->text);
      if (j == 1 && strcmp (x->var[0], x->var[1]) == 0)
        {
          fail_at (err, src, a->pos, "argument '%s' given twice", a->text);
          goto fail;
        }
    }
  const sx *pre = NULL;
  for (; i + 1 < s->n; i += 2)
    {
      const sx *k = s->kid[i];
      if (k->kind != SX_ATOM || k->text[0] != ':')
        {
          fail_at (err, src, k->pos, "expected a property (:name, :pre, ...) or the body");
          goto fail;
        }
      if (strcmp (k->text, ":name") == 0)
        {
          const sx *v = s->kid[i + 1];
          if (v->kind == SX_LIST)
            {
              fail_at (err, src, v->pos, ":name must be a string or a symbol");
              goto fail;
            }
          /* It is printed in exported C's header comment.  */
          int ok = strlen (v->text) < sizeof x->name;
          for (const char *c = v->text; ok && *c; c++)
            ok = isprint ((unsigned char) *c);
          if (!ok)
            {
              fail_at (err, src, v->pos, ":name must be printable text of at most %d characters",
                       (int) sizeof x->name - 1);
              goto fail;
            }
          snprintf (x->name, sizeof x->name, "%s", v->text);
        }
      else if (strcmp (k->text, ":pre") == 0)
        pre = s->kid[i + 1];
      /* Other properties (:description, :cite, :precision, ...) are metadata.  */
    }
  if (i != s->n - 1)
    {
      fail_at (err, src, s->pos, "an FPCore ends with one body expression");
      goto fail;
    }
  int root = compile (&c, s->kid[i], NULL, 0);
  if (root < 0)
    goto fail;
  x->root = root;
  if (pre)
    {
      int p = compile (&c, pre, NULL, 1);
      if (p < 0 || pre_compare (&c, pre, p) < 0)
        goto fail;
      for (int j = 0; j < x->nvars; j++)
        if (x->lo[j] < 0 || x->hi[j] < 0)
          {
            fail_at (err, src, pre->pos, ":pre does not bound '%s' %s", x->var[j],
                     x->lo[j] < 0 ? "from below" : "from above");
            goto fail;
          }
    }
  x->text = print_sx (s);
  x->body = print_sx (s->kid[s->n - 1]);
  if (!x->text || !x->body)
    {
      dsl_error_set (err, "out of memory");
      goto fail;
    }
  if (strstr (x->text, "*/"))
    {
      /* The text goes into exported C's header comments.  */
      fail_at (err, src, s->pos, "the text holds \"*/\", which would end a C comment");
      goto fail;
    }
  return x;
fail:
  eval_expr_free (x);
  return NULL;
}

/* ---- fixing one argument ---- */

static int
mentions (const sx *s, const char *name)
{
  if (s->kind == SX_ATOM)
    return strcmp (s->text, name) == 0;
  for (int i = 0; i < s->n; i++)
    if (mentions (s->kid[i], name))
      return 1;
  return 0;
}

/* Appends the conjuncts of PRE that do not mention NAME, each after a space.  */
static void
other_conjuncts (dsl_strbuf *b, const sx *pre, const char *name, int *count)
{
  if (pre->kind == SX_LIST && pre->n > 0 && pre->kid[0]->kind == SX_ATOM && strcmp (pre->kid[0]->text, "and") == 0)
    {
      for (int i = 1; i < pre->n; i++)
        other_conjuncts (b, pre->kid[i], name, count);
      return;
    }
  if (mentions (pre, name))
    return;
  dsl_sb_printf (b, " ");
  sx_print (b, pre);
  ++*count;
}

int
eval_expr_fix (const eval_expr *x, int j, const char *value, char **text, double *vd, dsl_error *err)
{
  *text = NULL;
  if (x->nvars < 2)
    return dsl_error_set (err, "%s has one argument: there is none to fix", x->name[0] ? x->name : "the expression");
  /* VALUE must be a number, inside the :pre bounds of argument J.  */
  compiler c = {NULL, value, NULL};
  sx at = {.kind = SX_ATOM};
  xnode nd;
  memset (&nd, 0, sizeof nd);
  int isnum = value[strcspn (value, " \t\n()[];\"")] == '\0' && parse_number (&c, &at, &nd, value) == 1;
  double v = nd.num;
  free (nd.lit);
  if (!isnum)
    return dsl_error_set (err, "'%s' is not a number (decimal, hexadecimal or P/Q)", value);
  *vd = v;
  for (int upper = 0; upper < 2; upper++)
    {
      double l, h;
      int strict;
      if (x->lo[j] >= 0 && eval_expr_bound (x, j, upper, &l, &h, &strict)
          && (upper ? (v > l || (strict && v == l)) : (v < h || (strict && v == h))))
        return dsl_error_set (err, "%s = %s is outside the :pre bounds of %s (%s %.17g)", x->var[j], value,
                              x->name[0] ? x->name : "the expression", upper ? (strict ? "<" : "<=") : (strict ? ">" : ">="),
                              upper ? l : h);
    }
  reader r = {x->text, x->text, err, 0};
  sx *s = read_sx (&r, 0);
  if (!s)
    return -1;
  /* (FPCore [symbol] (args) props... body): the canonical text was compiled once.  */
  int i = 1 + (s->kid[1]->kind == SX_ATOM);
  const sx *args = s->kid[i];
  dsl_strbuf b = {NULL, 0, 0, 0};
  dsl_sb_printf (&b, "(FPCore (");
  for (int k = 0, first = 1; k < args->n; k++)
    if (k != j)
      dsl_sb_printf (&b, "%s%s", first ? "" : " ", args->kid[k]->text), first = 0;
  dsl_sb_printf (&b, ")");
  char name[sizeof x->name];
  int n = snprintf (name, sizeof name, "%s (%s = %s)", x->name[0] ? x->name : "expression", x->var[j], value);
  if (n < 0 || (size_t) n >= sizeof name)
    snprintf (name, sizeof name, "%s", x->name);
  dsl_sb_printf (&b, " :name \"%s\"", name);
  for (i++; i + 1 < s->n; i += 2)
    {
      const sx *k = s->kid[i], *val = s->kid[i + 1];
      if (strcmp (k->text, ":name") == 0)
        continue;
      if (strcmp (k->text, ":pre") == 0)
        {
          dsl_strbuf pb = {NULL, 0, 0, 0};
          int count = 0;
          other_conjuncts (&pb, val, x->var[j], &count);
          if (count == 1)
            dsl_sb_printf (&b, " :pre%s", pb.s);
          else if (count > 1)
            dsl_sb_printf (&b, " :pre (and%s)", pb.s);
          free (pb.s);
          continue;
        }
      dsl_sb_printf (&b, " %s ", k->text);
      sx_print (&b, val);
    }
  /* The body sees the argument as a let-bound constant (shadowing inside stays right).  */
  dsl_sb_printf (&b, " (let ((%s %s)) ", x->var[j], value);
  sx_print (&b, s->kid[s->n - 1]);
  dsl_sb_printf (&b, "))");
  sx_free (s);
  if (b.failed)
    {
      free (b.s);
      return dsl_error_set (err, "out of memory");
    }
  *text = b.s;
  return 0;
}

/* The last FPCore of TEXT, or with NAME non-NULL the one whose :name is NAME.  */
int
eval_expr_parse (const char *text, const char *name, eval_expr **out, dsl_error *err)
{
  reader r = {text, text, err, 0};
  sx *chosen = NULL;
  int count = 0;
  for (;;)
    {
      skip_space (&r);
      if (!*r.p)
        break;
      sx *s = read_sx (&r, 0);
      if (!s)
        return sx_free (chosen), -1;
      if (s->kind != SX_LIST || s->n < 1 || s->kid[0]->kind != SX_ATOM || strcmp (s->kid[0]->text, "FPCore") != 0)
        {
          int pos = s->pos;
          sx_free (s);
          sx_free (chosen);
          return fail_at (err, text, pos, "expected (FPCore (args) ... body)");
        }
      int match = !name;
      if (name)
        for (int i = 1; i + 1 < s->n; i++)
          if (s->kid[i]->kind != SX_LIST && strcmp (s->kid[i]->text, ":name") == 0
              && strcmp (s->kid[i + 1]->text, name) == 0)
            match = 1;
      if (name && s->n > 1 && s->kid[1]->kind == SX_ATOM && strcmp (s->kid[1]->text, name) == 0)
        match = 1;
      if (match)
        {
          sx_free (chosen);
          chosen = s;
          count++;
        }
      else
        sx_free (s);
    }
  if (!chosen)
    return name ? dsl_error_set (err, "no FPCore named '%s'", name) : dsl_error_set (err, "FPCore: no expression");
  if (count > 1)
    {
      sx_free (chosen);
      return name ? dsl_error_set (err, "several FPCores are named '%s'", name)
                  : dsl_error_set (err, "several FPCores: name one (FILE:NAME)");
    }
  *out = compile_fpcore (chosen, text, err);
  sx_free (chosen);
  return *out ? 0 : -1;
}

const char *
eval_expr_text (const eval_expr *x)
{
  return x->text;
}

const char *
eval_expr_body (const eval_expr *x)
{
  return x->body;
}

const char *
eval_expr_name (const eval_expr *x)
{
  return x->name;
}

const char *
eval_expr_var (const eval_expr *x, int j)
{
  return x->var[j];
}

int
eval_expr_arity (const eval_expr *x)
{
  return x->nvars;
}

/* ---- Arb: an enclosure at a given precision ---- */

/* Tri-state truth of a comparison on balls: 1, 0, or -1 when the balls overlap.  */
static int
compare (xop op, const arb_t a, const arb_t b)
{
  switch (op)
    {
    case X_LT: return arb_lt (a, b) ? 1 : arb_ge (a, b) ? 0 : -1;
    case X_LE: return arb_le (a, b) ? 1 : arb_gt (a, b) ? 0 : -1;
    case X_GT: return arb_gt (a, b) ? 1 : arb_le (a, b) ? 0 : -1;
    case X_GE: return arb_ge (a, b) ? 1 : arb_lt (a, b) ? 0 : -1;
    case X_EQ: return arb_eq (a, b) ? 1 : arb_ne (a, b) ? 0 : -1;
    case X_NE: return arb_ne (a, b) ? 1 : arb_eq (a, b) ? 0 : -1;
    default: return -1;
    }
}

static void
arb_literal (arb_t r, const xnode *nd, slong prec)
{
  if (nd->num_err == 0)
    {
      arb_set_d (r, nd->num);
      return;
    }
  const char *slash = strchr (nd->lit, '/');
  if (!slash)
    {
      arb_set_str (r, nd->lit, prec);
      return;
    }
  char *num = strndup (nd->lit, (size_t) (slash - nd->lit));
  if (!num)
    {
      arb_indeterminate (r);
      return;
    }
  arb_t q;
  arb_init (q);
  arb_set_str (r, num, prec);
  free (num);
  arb_set_str (q, slash + 1, prec);
  arb_div (r, r, q, prec);
  arb_clear (q);
}

/* log|Gamma(a)|: Arb's lgamma is for a > 0.  */
static void
arb_lgamma_abs (arb_t r, const arb_t a, slong prec)
{
  if (arb_is_positive (a))
    {
      arb_lgamma (r, a, prec);
      return;
    }
  arb_gamma (r, a, prec);
  arb_abs (r, r);
  arb_log (r, r, prec);
}

/* K_v(x) on balls, with the asymptotic expansion in 1/x tried first where it may do: where it
   terminates (v a half-integer: K_v(x) e^x sqrt(x) is a polynomial in 1/x) or where its
   least term, about e^-2x, is below 2^-(PREC/2).  Arb's own choice at these precisions takes
   the convergent series up to x near 50, whose cancellation (about 2x / ln 2 bits) leaves
   the ball wide or indeterminate there: the verifier's first attempts on log K_0 and log K_1/2
   over [24, 64] cost 340 to 1000 us a point and one or two doublings of the precision,
   against 2 to 60 us for the expansion.  The expansion's ball (Arb's, with its rigorous
   remainder bound) is taken where it is within 16 bits of PREC, or on the first attempts
   (PREC < 256) where it holds PREC / 2 bits: a caller that needs more comes back with a
   larger PREC.  Otherwise Arb's method decides, intersected with the expansion's ball: both
   hold K_v(x), so the Ziv loops of the callers converge as with Arb's alone.  */
static void
arb_bessel_k (arb_t r, const arb_t v, const arb_t x, slong prec)
{
  arb_t t;
  arb_init (t);
  arb_mul_2exp_si (t, v, 1);
  int half = arb_is_int (t) && !arb_is_int (v), asymp = 0;
  if (arb_is_positive (x) && arb_is_finite (v) && (half || arf_cmp_si (arb_midref (x), prec * 7 / 40) >= 0))
    {
      acb_t cv, cx, cr;
      acb_init (cv);
      acb_init (cx);
      acb_init (cr);
      acb_set_arb (cv, v);
      acb_set_arb (cx, x);
      acb_hypgeom_bessel_k_asymp (cr, cv, cx, 0, prec);
      arb_set (t, acb_realref (cr));   /* K_v(x) is real for x > 0: the real part's ball holds it */
      slong acc = arb_rel_accuracy_bits (t);
      asymp = acc >= prec - 16 || (prec < 256 && 2 * acc >= prec) ? 2 : arb_is_finite (t);
      acb_clear (cv);
      acb_clear (cx);
      acb_clear (cr);
    }
  if (asymp == 2)
    arb_set (r, t);
  else
    {
      arb_hypgeom_bessel_k (r, v, x, prec);
      if (asymp && !arb_intersection (r, r, t, prec))
        arb_indeterminate (r);   /* disjoint enclosures: cannot happen; claim nothing */
    }
  arb_clear (t);
}

/* Arb's functions of one and two balls, by op.  */
typedef void (*arb_fn1) (arb_ptr, arb_srcptr, slong);
typedef void (*arb_fn2) (arb_ptr, arb_srcptr, arb_srcptr, slong);
static const arb_fn1 arb_unary[] = {
  [X_EXPM1] = arb_expm1, [X_LOG] = arb_log, [X_LOG1P] = arb_log1p, [X_SIN] = arb_sin, [X_COS] = arb_cos,
  [X_TAN] = arb_tan, [X_ASIN] = arb_asin, [X_ACOS] = arb_acos, [X_ATAN] = arb_atan, [X_SINH] = arb_sinh,
  [X_COSH] = arb_cosh, [X_TANH] = arb_tanh, [X_ASINH] = arb_asinh, [X_ACOSH] = arb_acosh, [X_ATANH] = arb_atanh,
  [X_ERF] = arb_hypgeom_erf, [X_ERFC] = arb_hypgeom_erfc, [X_TGAMMA] = arb_gamma, [X_LGAMMA] = arb_lgamma_abs,
};
static const arb_fn2 arb_binary[] = {
  [X_POW] = arb_pow, [X_ATAN2] = arb_atan2, [X_FMIN] = arb_min, [X_FMAX] = arb_max,
  /* Arb's I_v(x) and K_v(x) on balls: no overflow or underflow (arf exponents
     are unbounded), so (log (besseli v x)) is right where double I_v is not;
     outside v, x >= 0 (complex values) the ball is indeterminate.  */
  [X_BESSELI] = arb_hypgeom_bessel_i, [X_BESSELK] = arb_bessel_k,
};

/* The truth value of a logical node from its operands' (tri-state: 1, 0, -1 unknown).  */
static int
logic (xop op, int ba, int bb)
{
  switch (op)
    {
    case X_AND: return ba == 0 || bb == 0 ? 0 : ba == 1 && bb == 1 ? 1 : -1;
    case X_OR: return ba == 1 || bb == 1 ? 1 : ba == 0 && bb == 0 ? 0 : -1;
    case X_NOT: return ba < 0 ? -1 : !ba;
    case X_TRUE: return 1;
    default: return 0;   /* X_FALSE */
    }
}

/* Evaluates every node of X at precision PREC (V: the values, B: the
   truth values of the conditions).  */
static void
arb_eval (const eval_expr *x, int last, const double *in, arb_ptr v, int *b, slong prec)
{
  for (int k = 0; k <= last; k++)
    {
      const xnode *nd = &x->node[k];
      arb_ptr r = v + k;
      arb_srcptr a = nd->a[0] >= 0 ? v + nd->a[0] : NULL, c = nd->a[1] >= 0 ? v + nd->a[1] : NULL;
      arb_srcptr d = nd->a[2] >= 0 ? v + nd->a[2] : NULL;
      int ba = nd->a[0] >= 0 ? b[nd->a[0]] : 0, bb = nd->a[1] >= 0 ? b[nd->a[1]] : 0;
      switch ((xop) nd->op)
        {
        case X_NUM: arb_literal (r, nd, prec); break;
        case X_VAR: arb_set_d (r, in[nd->var]); break;
        case X_PI: arb_const_pi (r, prec); break;
        case X_E: arb_const_e (r, prec); break;
        case X_ADD: arb_add (r, a, c, prec); break;
        case X_SUB: arb_sub (r, a, c, prec); break;
        case X_MUL: arb_mul (r, a, c, prec); break;
        case X_DIV: arb_div (r, a, c, prec); break;
        case X_NEG: arb_neg (r, a); break;
        case X_FABS: arb_abs (r, a); break;
        case X_FMA: arb_fma (r, a, c, d, prec); break;
        case X_SQRT: arb_sqrt (r, a, prec); break;
        case X_CBRT:
          /* The real cube root, odd.  */
          if (arb_is_negative (a))
            {
              arb_neg (r, a);
              arb_root_ui (r, r, 3, prec);
              arb_neg (r, r);
            }
          else
            arb_root_ui (r, a, 3, prec);
          break;
        case X_HYPOT: arb_hypot (r, a, c, prec); break;
        case X_EXP: arb_exp (r, a, prec); break;
        case X_EXP2:
          arb_set_ui (r, 2);
          arb_pow (r, r, a, prec);
          break;
        case X_LOG2: arb_log_base_ui (r, a, 2, prec); break;
        case X_LOG10: arb_log_base_ui (r, a, 10, prec); break;
        case X_EXPM1: case X_LOG: case X_LOG1P: case X_SIN: case X_COS: case X_TAN: case X_ASIN: case X_ACOS:
        case X_ATAN: case X_SINH: case X_COSH: case X_TANH: case X_ASINH: case X_ACOSH: case X_ATANH:
        case X_ERF: case X_ERFC: case X_TGAMMA: case X_LGAMMA:
          arb_unary[nd->op] (r, a, prec);
          break;
        case X_POW: case X_ATAN2: case X_FMIN: case X_FMAX: case X_BESSELI: case X_BESSELK:
          arb_binary[nd->op] (r, a, c, prec);
          break;
        case X_COPYSIGN:
          /* The sign of a real number: zero counts as positive.  */
          if (arb_is_nonnegative (c))
            arb_abs (r, a);
          else if (arb_is_negative (c))
            {
              arb_abs (r, a);
              arb_neg (r, r);
            }
          else
            arb_indeterminate (r);
          break;
        case X_IF:
          /* An undecided condition: both branches, as one ball.  */
          if (ba == 1)
            arb_set (r, c);
          else if (ba == 0)
            arb_set (r, d);
          else
            arb_union (r, c, d, prec);
          break;
        case X_LT: case X_LE: case X_GT: case X_GE: case X_EQ: case X_NE:
          b[k] = compare ((xop) nd->op, a, c);
          break;
        case X_AND: case X_OR: case X_NOT: case X_TRUE: case X_FALSE:
          b[k] = logic ((xop) nd->op, ba, bb);
          break;
        }
    }
}

int
eval_expr_enclose (const eval_expr *x, mpfr_t lo, mpfr_t hi, const mpfr_t *in, mpfr_prec_t prec)
{
  /* Every caller's Ziv loop meets the same precisions (powers of two), so
     that what resolves for one resolves for all.  */
  mpfr_prec_t p2 = 64;
  while (p2 < prec)
    p2 *= 2;
  if (p2 > EXPR_MAXPREC)
    return -1;
  prec = p2;
  double xd[EVAL_MAXARITY];
  for (int j = 0; j < x->nvars; j++)
    xd[j] = mpfr_get_d (in[j], MPFR_RNDN);   /* inputs are values of a type: exact */
  arb_ptr v = _arb_vec_init (x->n);
  int *b = calloc ((size_t) x->n, sizeof *b);
  int exact = 0;
  if (!b)
    {
      _arb_vec_clear (v, x->n);
      return -1;
    }
  /* A little more than the caller asks, for the roundings on the way.  */
  arb_eval (x, x->root, xd, v, b, (slong) prec + 16);
  arb_srcptr r = v + x->root;
  if (arb_is_finite (r))
    {
      arb_get_interval_mpfr (lo, hi, r);
      exact = arb_is_exact (r);
    }
  else
    {
      mpfr_set_inf (lo, -1);
      mpfr_set_inf (hi, 1);
    }
  free (b);
  _arb_vec_clear (v, x->n);
  return exact;
}

/* The :pre bound of variable J (UPPER: from above) as an Arb ball, 0 when
   it does not evaluate to a finite ball.  */
int
eval_expr_bound (const eval_expr *x, int j, int upper, double *lo, double *hi, int *strict)
{
  int k = upper ? x->hi[j] : x->lo[j];
  if (k < 0)
    return 0;
  arb_ptr v = _arb_vec_init (x->n);
  int *b = calloc ((size_t) x->n, sizeof *b);
  double zero[EVAL_MAXARITY] = {0};
  int ok = 0;
  if (b)
    {
      arb_eval (x, x->n - 1, zero, v, b, 256);
      if (arb_is_finite (v + k))
        {
          mpfr_t l, h;
          mpfr_inits2 (53, l, h, (mpfr_ptr) 0);
          arb_get_interval_mpfr (l, h, v + k);
          *lo = mpfr_get_d (l, MPFR_RNDD);
          *hi = mpfr_get_d (h, MPFR_RNDU);
          mpfr_clears (l, h, (mpfr_ptr) 0);
          *strict = upper ? x->hi_strict[j] : x->lo_strict[j];
          ok = 1;
        }
    }
  free (b);
  _arb_vec_clear (v, x->n);
  return ok;
}

/* ---- double evaluation with a running error bound ----

   Each node carries its double value V and a bound E on |V - exact|, to
   first order: an operation's own rounding (half an ulp for + - * / sqrt
   fma, EXPR_LIBM_RELERR for a libm call: glibc documents its double
   functions, and libmvec its vector ones, within 4 ulps) plus the
   operands' bounds times the derivative's largest magnitude on the
   operand's interval.  Where the first order is not safe (an operand's
   bound not far below the distance to a singularity, or a condition whose
   sides are within their bounds), the value is NaN and the verifier asks
   Arb.  tests/test_expr compares the bound with Arb on stratified samples
   of nine expressions.

   Points go through in batches, node by node, so that the basic operations
   vectorise and the libm calls are libmvec's 4-lane ones where it has them
   (eval_mvec_lookup).  */

#define U53 0x1p-53
#define EXPR_LIBM_RELERR 0x1p-48
/* An operand's relative bound past which first order is not trusted.  */
#define EXPR_FIRST_ORDER 0x1p-20
/* Absolute slack per operation for values near double's underflow.  */
#define EXPR_TINY 0x1p-1070
#define FAST_BATCH 64
/* A loop the vectoriser may take as it is (no aliasing: see fast_eval).  */
#ifdef _OPENMP
#define SIMD _Pragma ("omp simd")
#else
#define SIMD
#endif

static double (*const libm1[]) (double) = {
  [X_CBRT] = cbrt, [X_EXP] = exp, [X_EXP2] = exp2, [X_EXPM1] = expm1, [X_LOG] = log, [X_LOG2] = log2,
  [X_LOG10] = log10, [X_LOG1P] = log1p, [X_SIN] = sin, [X_COS] = cos, [X_TAN] = tan, [X_ASIN] = asin,
  [X_ACOS] = acos, [X_ATAN] = atan, [X_SINH] = sinh, [X_COSH] = cosh, [X_TANH] = tanh, [X_ASINH] = asinh,
  [X_ACOSH] = acosh, [X_ATANH] = atanh, [X_ERF] = erf, [X_ERFC] = erfc, [X_TGAMMA] = tgamma, [X_LGAMMA] = lgamma,
};
static const char *const libm_name[] = {
  [X_CBRT] = "cbrt", [X_EXP] = "exp", [X_EXP2] = "exp2", [X_EXPM1] = "expm1", [X_LOG] = "log",
  [X_LOG2] = "log2", [X_LOG10] = "log10", [X_LOG1P] = "log1p", [X_SIN] = "sin", [X_COS] = "cos",
  [X_TAN] = "tan", [X_ASIN] = "asin", [X_ACOS] = "acos", [X_ATAN] = "atan", [X_SINH] = "sinh",
  [X_COSH] = "cosh", [X_TANH] = "tanh", [X_ASINH] = "asinh", [X_ACOSH] = "acosh", [X_ATANH] = "atanh",
  [X_ERF] = "erf", [X_ERFC] = "erfc",
};
#define NLIBM ((int) (sizeof libm1 / sizeof libm1[0]))

static void *mvec[NLIBM];
static pthread_once_t mvec_once = PTHREAD_ONCE_INIT;

static void
mvec_init (void)
{
  for (int op = 0; op < NLIBM; op++)
    if (op < (int) (sizeof libm_name / sizeof libm_name[0]) && libm_name[op])
      mvec[op] = eval_mvec_lookup (libm_name[op]);
}

/* Y[i] = f(X[i]) for the libm function of OP.  */
static void
libm_run (int op, const double *x, double *y, size_t n)
{
  pthread_once (&mvec_once, mvec_init);
  if (mvec[op])
    eval_mvec_run (mvec[op], x, y, n);
  else
    for (size_t i = 0; i < n; i++)
      y[i] = libm1[op] (x[i]);
}

static double
gamma_slope (double a, int log)
{
  double h = 0x1p-20 * fmax (1, fabs (a));
  double fp = log ? lgamma (a + h) : tgamma (a + h), fm = log ? lgamma (a - h) : tgamma (a - h);
  return fabs (fp - fm) / (2 * h);
}

/* The nodes up to the root over N points (N <= FAST_BATCH): IN[j][i] the
   inputs, node k's values V[k N + i], bounds E[k N + i], truth values
   B[k N + i] (1, 0, -1 unknown).  */
static void
fast_eval (const eval_expr *x, const double *const *in, size_t n, double *v, double *e, signed char *b)
{
  double tmp[FAST_BATCH];
  for (int k = 0; k <= x->root; k++)
    {
      const xnode *nd = &x->node[k];
      /* A node's operands come before it: no row overlaps another.  */
      double *restrict r = v + (size_t) k * n, *restrict er = e + (size_t) k * n;
      const double *restrict A = nd->a[0] >= 0 ? v + (size_t) nd->a[0] * n : NULL;
      const double *restrict C = nd->a[1] >= 0 ? v + (size_t) nd->a[1] * n : NULL;
      const double *restrict D = nd->a[2] >= 0 ? v + (size_t) nd->a[2] * n : NULL;
      const double *restrict EA = nd->a[0] >= 0 ? e + (size_t) nd->a[0] * n : NULL;
      const double *restrict EC = nd->a[1] >= 0 ? e + (size_t) nd->a[1] * n : NULL;
      const double *restrict ED = nd->a[2] >= 0 ? e + (size_t) nd->a[2] * n : NULL;
      const signed char *restrict BA = nd->a[0] >= 0 ? b + (size_t) nd->a[0] * n : NULL;
      const signed char *restrict BB = nd->a[1] >= 0 ? b + (size_t) nd->a[1] * n : NULL;
      signed char *restrict rb = b + (size_t) k * n;
      double own = U53;   /* the operation's own relative rounding error */
      xop op = (xop) nd->op;
      if (op < NLIBM && libm1[op])
        {
          own = op == X_TGAMMA || op == X_LGAMMA ? 0x1p-44 : EXPR_LIBM_RELERR;
          if (op == X_TGAMMA || op == X_LGAMMA)
            for (size_t i = 0; i < n; i++)
              r[i] = libm1[op] (A[i]);
          else
            libm_run (op, A, r, n);
        }
      switch (op)
        {
        case X_NUM:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = nd->num, er[i] = nd->num_err;
          own = 0;
          break;
        case X_VAR:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = in[nd->var][i], er[i] = 0;
          own = 0;
          break;
        case X_PI:
        case X_E:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = op == X_PI ? M_PI : M_E, er[i] = 0x1p-52;   /* |pi - M_PI|, |e - M_E| < 2^-52 */
          own = 0;
          break;
        case X_ADD:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = A[i] + C[i], er[i] = EA[i] + EC[i];
          break;
        case X_SUB:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = A[i] - C[i], er[i] = EA[i] + EC[i];
          break;
        case X_MUL:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = A[i] * C[i], er[i] = fabs (C[i]) * EA[i] + fabs (A[i]) * EC[i] + EA[i] * EC[i];
          break;
        case X_DIV:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              double q = A[i] / C[i], ac = fabs (C[i]);
              int ok = C[i] != 0 && EC[i] <= 0.5 * ac;
              r[i] = ok ? q : NAN;
              er[i] = (EA[i] + fabs (q) * EC[i]) / (ac - EC[i]);
            }
          break;
        case X_NEG:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = -A[i], er[i] = EA[i];
          own = 0;
          break;
        case X_FABS:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = fabs (A[i]), er[i] = EA[i];
          own = 0;
          break;
        case X_FMA:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = fma (A[i], C[i], D[i]), er[i] = fabs (C[i]) * EA[i] + fabs (A[i]) * EC[i] + EA[i] * EC[i] + ED[i];
          break;
        case X_SQRT:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              int zero = A[i] == 0 && EA[i] == 0;
              r[i] = A[i] - EA[i] > 0 || zero ? sqrt (A[i]) : NAN;
              er[i] = zero ? 0 : EA[i] / (2 * sqrt (A[i] - EA[i]));
            }
          break;
        case X_CBRT:
          for (size_t i = 0; i < n; i++)
            {
              int zero = A[i] == 0 && EA[i] == 0;
              double m = cbrt (fabs (A[i]) - EA[i]);
              r[i] = fabs (A[i]) - EA[i] > 0 || zero ? r[i] : NAN;
              er[i] = zero ? 0 : EA[i] / (3 * m * m);
            }
          break;
        case X_HYPOT:
          for (size_t i = 0; i < n; i++)
            r[i] = hypot (A[i], C[i]), er[i] = EA[i] + EC[i];
          own = EXPR_LIBM_RELERR;
          break;
        case X_EXP:
        case X_EXP2:
          {
            double ln = op == X_EXP2 ? M_LN2 : 1;
            SIMD
            for (size_t i = 0; i < n; i++)
              {
                er[i] = r[i] * ln * EA[i] * (1 + 2 * ln * EA[i]);
                r[i] = EA[i] <= EXPR_FIRST_ORDER ? r[i] : NAN;
              }
          }
          break;
        case X_EXPM1:
          libm_run (X_EXP, A, tmp, n);
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              er[i] = tmp[i] * EA[i] * (1 + 2 * EA[i]);
              r[i] = EA[i] <= EXPR_FIRST_ORDER ? r[i] : NAN;
            }
          break;
        case X_LOG:
        case X_LOG2:
        case X_LOG10:
          {
            double ln = op == X_LOG ? 1 : op == X_LOG2 ? M_LN2 : M_LN10;
            SIMD
            for (size_t i = 0; i < n; i++)
              {
                er[i] = EA[i] / ((A[i] - EA[i]) * ln);
                r[i] = A[i] > 0 && EA[i] <= EXPR_FIRST_ORDER * A[i] ? r[i] : NAN;
              }
          }
          break;
        case X_LOG1P:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              double u = 1 + A[i];
              er[i] = EA[i] / (u - EA[i]);
              r[i] = u - EA[i] > 0 && EA[i] <= EXPR_FIRST_ORDER * u ? r[i] : NAN;
            }
          break;
        case X_POW:
          own = EXPR_LIBM_RELERR;
          for (size_t i = 0; i < n; i++)
            {
              double a = A[i], c = C[i], ea = EA[i], ec = EC[i], rela = a != 0 ? ea / fabs (a) : 0;
              r[i] = NAN;
              if ((a > 0 && rela <= EXPR_FIRST_ORDER) || (a == 0 && ea == 0)
                  || (a < 0 && ec == 0 && rela <= EXPR_FIRST_ORDER))
                {
                  double p = pow (a, c), g = fabs (c) * rela + (a != 0 ? fabs (log (fabs (a))) * ec : 0);
                  if (a == 0 || g <= EXPR_FIRST_ORDER)
                    r[i] = p, er[i] = fabs (p) * g * (1 + 2 * g);
                }
            }
          break;
        case X_SIN:
        case X_COS:
        case X_ATAN:
        case X_TANH:
        case X_ASINH:
          /* Slopes at most 1.  */
          SIMD
          for (size_t i = 0; i < n; i++)
            er[i] = EA[i];
          break;
        case X_TAN:
          for (size_t i = 0; i < n; i++)
            {
              er[i] = EA[i] * (1 + r[i] * r[i]) * (1 + 4 * fabs (r[i]) * EA[i]);
              r[i] = EA[i] <= EXPR_FIRST_ORDER * fmax (1, fabs (A[i])) ? r[i] : NAN;
            }
          break;
        case X_ASIN:
        case X_ACOS:
        case X_ATANH:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              double dist = 1 - fabs (A[i]) - EA[i], top = fabs (A[i]) + EA[i];
              er[i] = op == X_ATANH ? EA[i] / (1 - top * top) : EA[i] / sqrt (1 - top * top);
              r[i] = dist > 0 && EA[i] <= EXPR_FIRST_ORDER * (1 - fabs (A[i])) ? r[i] : NAN;
            }
          break;
        case X_ACOSH:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              double lo = A[i] - EA[i];
              er[i] = EA[i] / sqrt (lo * lo - 1);
              r[i] = A[i] - 1 - EA[i] > 0 && EA[i] <= EXPR_FIRST_ORDER * (A[i] - 1) ? r[i] : NAN;
            }
          break;
        case X_ATAN2:
          own = EXPR_LIBM_RELERR;
          for (size_t i = 0; i < n; i++)
            {
              double a = A[i], c = C[i], r2 = a * a + c * c, m = EA[i] + EC[i];
              int ok = r2 > 0 && m * m <= EXPR_FIRST_ORDER * EXPR_FIRST_ORDER * r2;
              r[i] = ok ? atan2 (a, c) : NAN;
              er[i] = (fabs (c) * EA[i] + fabs (a) * EC[i]) / r2 * (1 + 4 * m / sqrt (r2));
            }
          break;
        case X_SINH:
        case X_COSH:
          libm_run (X_COSH, A, tmp, n);
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              er[i] = tmp[i] * EA[i] * (1 + 2 * EA[i]);
              r[i] = EA[i] <= EXPR_FIRST_ORDER ? r[i] : NAN;
            }
          break;
        case X_ERF:
        case X_ERFC:
          /* The slope 2/sqrt(pi) e^(-t^2) is at most 2/sqrt(pi); where erfc (t)
             is small (t >= ea) it is below erfc (t) (t + sqrt(t^2 + 2)) (the
             Mills-ratio bound erfc t > 2 e^(-t^2) / (sqrt(pi) (t + sqrt(t^2 + 2))))
             at t, and the interval's largest, at t - ea, within e^(2 t ea) <= 1 +
             2^-17 of it (t ea <= 2^-20).  */
          for (size_t i = 0; i < n; i++)
            {
              double a = A[i], ea = EA[i], flat = 0x1.20dd750429b6dp+0 * ea;   /* 2/sqrt(pi) */
              int mills = op == X_ERFC && a >= ea && a * ea <= EXPR_FIRST_ORDER;
              double tail = r[i] * (1 + EXPR_LIBM_RELERR) * (a + sqrt (a * a + 2)) * (1 + 0x1p-17) * ea;
              er[i] = mills ? fmin (flat, tail) : flat;
            }
          break;
        case X_TGAMMA:
        case X_LGAMMA:
          /* Away from the poles (0, -1, -2, ...): the slope estimated by a
             central difference, with a factor 4 (no first-order guarantee
             here; tests/test_expr checks it against Arb).  */
          for (size_t i = 0; i < n; i++)
            {
              double a = A[i], ea = EA[i];
              int ok = ea <= EXPR_FIRST_ORDER * fmax (1, fabs (a))
                       && (a > 0 || fabs (a - nearbyint (a)) > 0x1p10 * ea + 0x1p-20);
              er[i] = ok ? 4 * gamma_slope (a, op == X_LGAMMA) * ea : 0;
              r[i] = ok ? r[i] : NAN;
            }
          break;
        case X_FMIN:
        case X_FMAX:
          for (size_t i = 0; i < n; i++)
            r[i] = op == X_FMIN ? fmin (A[i], C[i]) : fmax (A[i], C[i]), er[i] = fmax (EA[i], EC[i]);
          own = 0;
          break;
        case X_COPYSIGN:
          for (size_t i = 0; i < n; i++)
            r[i] = fabs (C[i]) > EC[i] || A[i] == 0 ? copysign (A[i], C[i]) : NAN, er[i] = EA[i];
          own = 0;
          break;
        case X_BESSELI:
        case X_BESSELK:
          /* No double evaluation with a bound: undecided, Arb answers.  */
          for (size_t i = 0; i < n; i++)
            r[i] = NAN, er[i] = INFINITY;
          break;
        case X_IF:
          SIMD
          for (size_t i = 0; i < n; i++)
            r[i] = BA[i] < 0 ? NAN : BA[i] ? C[i] : D[i], er[i] = BA[i] ? EC[i] : ED[i];
          own = 0;
          break;
        case X_LT: case X_LE: case X_GT: case X_GE: case X_EQ: case X_NE:
          SIMD
          for (size_t i = 0; i < n; i++)
            {
              /* Decided only where the two sides differ by more than their bounds.  */
              double a = A[i], c = C[i];
              int sure = fabs (a - c) > (EA[i] + EC[i]) * (1 + 4 * U53) || (EA[i] == 0 && EC[i] == 0);
              int t = op == X_LT ? a < c : op == X_LE ? a <= c : op == X_GT ? a > c : op == X_GE ? a >= c
                      : op == X_EQ ? a == c : a != c;
              rb[i] = (signed char) (sure && !isnan (a) && !isnan (c) ? t : -1);
            }
          break;
        case X_AND: case X_OR: case X_NOT: case X_TRUE: case X_FALSE:
          SIMD
          for (size_t i = 0; i < n; i++)
            rb[i] = (signed char) logic (op, BA ? BA[i] : 0, BB ? BB[i] : 0);
          break;
        }
      if (is_bool (op))
        continue;
      /* The operation's rounding is relative to the exact result, which is
         within ER of R: own (|r| + er), and a tiny absolute term.  */
      double tiny = own > 0 ? EXPR_TINY : 0;
      SIMD
      for (size_t i = 0; i < n; i++)
        {
          int bad = !isfinite (r[i]) || !isfinite (er[i]);
          double ev = (er[i] + own * (fabs (r[i]) + er[i]) + tiny) * (1 + 4 * U53);
          r[i] = bad ? NAN : r[i];
          er[i] = bad ? INFINITY : ev;
        }
    }
}

/* The answer at one point: the value where 4 times its bound (a safety
   factor over the first order) is within EVAL_EXPR_RELERR of it, else NaN.  */
static double
answer (double r, double er)
{
  return 4 * er <= EVAL_EXPR_RELERR * fabs (r) ? r : NAN;
}

double
eval_expr_fast (const eval_expr *x, const double *in)
{
  double v[EXPR_MAXNODES], e[EXPR_MAXNODES];
  signed char b[EXPR_MAXNODES];
  const double *col[EVAL_MAXARITY] = {in, in + 1, in + 2};
  fast_eval (x, col, 1, v, e, b);
  return answer (v[x->root], e[x->root]);
}

int
eval_expr_fast_batch (const eval_expr *x, const double *in, double *out, size_t n)
{
  if (x->nvars != 1)
    return -1;
  size_t nn = (size_t) x->root + 1;
  double *v = malloc (nn * FAST_BATCH * sizeof *v), *e = malloc (nn * FAST_BATCH * sizeof *e);
  signed char *b = malloc (nn * FAST_BATCH);
  if (!v || !e || !b)
    {
      free (v), free (e), free (b);
      return -1;
    }
  for (size_t at = 0; at < n; at += FAST_BATCH)
    {
      size_t m = n - at < FAST_BATCH ? n - at : FAST_BATCH;
      const double *col[1] = {in + at};
      fast_eval (x, col, m, v, e, b);
      const double *r = v + (size_t) x->root * m, *er = e + (size_t) x->root * m;
      for (size_t i = 0; i < m; i++)
        out[at + i] = answer (r[i], er[i]);
    }
  free (v), free (e), free (b);
  return 0;
}

double
eval_expr_fast_bound (const eval_expr *x, const double *in, double *err)
{
  double v[EXPR_MAXNODES], e[EXPR_MAXNODES];
  signed char b[EXPR_MAXNODES];
  const double *col[EVAL_MAXARITY] = {in, in + 1, in + 2};
  fast_eval (x, col, 1, v, e, b);
  *err = e[x->root];
  return v[x->root];
}
