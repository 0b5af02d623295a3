/* test_expr -- FPCore targets: parsing and its errors, domains from :pre, the Arb reference
   against MPFR, the double evaluation's error bound against Arb, unresolved points.  */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arb_hypgeom.h>

#include "eval/eval.h"
#include "eval/rng.h"
#include "tests/tap.h"

static uint64_t seed;

/* ---- parsing ---- */

static void
test_errors (void)
{
  static const struct {
    const char *text, *want;
  } bad[] = {
    {"(FPCore (x) (log x)", "'(' is never closed (line 1, column 1)"},
    {"(FPCore (x) (foo x))", "unsupported operation 'foo' (line 1, column 13)"},
    {"(FPCore (x) (+ x y))", "unknown name 'y'"},
    {"(FPCore (x) (sin x x))", "'sin' takes 1 operand, not 2"},
    {"(FPCore (x) :pre (<= 1 x) (log x))", ":pre does not bound 'x' from above"},
    {"(FPCore (x) :pre (<= 1 x y 2) (log x))", "unknown name 'y'"},
    {"(FPCore (x y z) (+ x y))", "one or two arguments, not 3"},
    {"(FPCore (x) (while (< x 1) ([x 0 (+ x 1)]) x))", "unsupported operation 'while'"},
    {"(FPCore (x) (if x 1 2))", "'x' where a condition belongs"},
    {"(FPCore (x) (+ (< x 1) 2))", "'<' is a condition, where a number belongs"},
    {"(FPCore (x) (* x 0x1.00000000000001p0))", "hexadecimal literal"},
    {"(FPCore (x) (* x 1/0))", "divides by zero"},
    {"(FPCore (x)\n  (+ x\n     ))", "'+' takes 2 operands, not 1 (line 2, column 3)"},
    {"(FPCore (x) (let ([y 1] z) (+ x y)))", "binding is [name value]"},
    {"(FPCore (x) (! :precision binary32 (+ x 1)))", "unsupported operation '!'"},
    {"(FPCore ((! :precision binary32 x)) x)", "annotations"},
    {"(FPCore (x) x) (FPCore (y) y)", "several FPCores"},
    {"(exp x)", "expected (FPCore"},
    {"", "no expression"},
    {"(FPCore (x) :name \"a */ b\" x)", "would end a C comment"},
    {"(FPCore (x) :name \"a\tb\" x)", ":name must be printable"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      eval_expr *x = NULL;
      dsl_error e = {0};
      int rc = eval_expr_parse (bad[i].text, NULL, &x, &e);
      tap_ok (rc == -1 && !x && strstr (e.msg, bad[i].want), "bad FPCore %zu: '%s'", i, e.msg);
    }
}

static void
test_parse (void)
{
  /* let, let*, if, variadic comparisons, rationals, hex, constants, the FPCore 2.0 symbol.  */
  static const struct {
    const char *text;
    double x, want;
  } good[] = {
    {"(FPCore (x) (let ([a (* x 2)] [b 3]) (+ a b)))", 1.5, 6},
    {"(FPCore (x) (let* ([a (* x 2)] [b (+ a 1)]) b))", 1.5, 4},
    {"(FPCore f (x) :name \"f\" (if (< 0 x 2) (- x) x))", 1, -1},
    {"(FPCore (x) (if (and (<= 0 x) (not (== x 1))) 1/4 0x1.8p1))", 1, 3},
    {"(FPCore (x) (+ x 1 2 3))", 1, 7},
    {"(FPCore (x) (- (* PI x) (* 2 (atan 1))))", 0.5, 0},
    {"(FPCore (x) (fma x 2 (copysign 1 (- x))))", 3, 5},
    {"(FPCore (x) (cbrt (- x)))", 8, -2},
    {"(FPCore (x) x)", 2.5, 2.5},
    {"; a comment\n(FPCore (x) (fmax x (fmin 1 2)))", 0, 1},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    {
      eval_expr *x = NULL;
      dsl_error e = {0};
      int rc = eval_expr_parse (good[i].text, NULL, &x, &e);
      double v = NAN, err = NAN;
      if (rc == 0)
        v = eval_expr_fast_bound (x, &good[i].x, &err);
      tap_ok (rc == 0 && fabs (v - good[i].want) <= 1e-15 && err < 1e-14, "FPCore %zu at %g: %g (bound %g) %s", i,
              good[i].x, v, err, rc ? e.msg : "");
      eval_expr_free (x);
    }
  /* Whitespace and bracket style do not change the canonical text, hence the target.  */
  dsl_error e;
  const eval_target *a = eval_target_resolve ("(FPCore (x)\n   (* x   (exp x)))", &e);
  const eval_target *b = eval_target_resolve ("  (FPCore (x) (* x (exp x)))", &e);
  tap_ok (a && a == b && strcmp (a->name, "(FPCore (x) (* x (exp x)))") == 0 && strcmp (a->label, "expression") == 0,
          "one canonical text, one target: %s", a ? a->name : e.msg);
  /* FILE:NAME and FILE.  */
  char path[] = "/tmp/autonum-test-XXXXXX";
  int fd = mkstemp (path);
  FILE *f = fd >= 0 ? fdopen (fd, "w") : NULL;
  if (f)
    {
      fputs ("(FPCore (x) :name \"sq\" :pre (<= 0 x 4) (* x x))\n(FPCore cube (x) (* x (* x x)))\n", f);
      fclose (f);
    }
  char spec[64];
  snprintf (spec, sizeof spec, "%s:cube", path);
  const eval_target *c = eval_target_resolve (spec, &e);
  tap_ok (c && c->arity == 1 && strstr (c->name, "(* x (* x x))"), "FILE:NAME by symbol");
  snprintf (spec, sizeof spec, "%s:sq", path);
  c = eval_target_resolve (spec, &e);
  tap_ok (c && strcmp (c->label, "sq") == 0 && c->domain[DSL_FLOAT32].lo[0] == 0 && c->domain[DSL_FLOAT32].hi[0] == 4,
          "FILE:NAME by :name, domain from :pre");
  c = eval_target_resolve (path, &e);
  tap_ok (!c && strstr (e.msg, "several FPCores"), "FILE with two FPCores: %s", e.msg);
  snprintf (spec, sizeof spec, "%s:nope", path);
  c = eval_target_resolve (spec, &e);
  tap_ok (!c && strstr (e.msg, "no FPCore named 'nope'"), "FILE:NAME, no such name: %s", e.msg);
  remove (path);
  c = eval_target_resolve ("/nonexistent/file.fpcore:x", &e);
  tap_ok (!c && strstr (e.msg, "unknown target"), "unreadable file: %s", e.msg);
  /* A program header carries an FPCore target through print and parse.  */
  dsl_prog *p = NULL;
  const char *prog = "in x\nr = mul x x\nout r\n";
  if (dsl_parse (prog, DSL_FLOAT32, 0, &p, &e) == 0)
    {
      snprintf (p->target, sizeof p->target, "%s", a->name);
      p->has_domain = 1, p->domain_lo[0] = -1, p->domain_hi[0] = 1;
      char *text = dsl_print (p, 1);
      dsl_prog *q = NULL;
      int rc = text ? dsl_parse (text, DSL_FLOAT32, 1, &q, &e) : -1;
      tap_ok (rc == 0 && strcmp (q->target, a->name) == 0 && q->domain_hi[0] == 1, "header round trip: %s",
              text ? strtok (text, "\n") : "");
      free (text);
      dsl_prog_free (q);
    }
  dsl_prog_free (p);
}

/* ---- domains ---- */

static void
test_domains (void)
{
  dsl_error e;
  /* :pre bounds rounded inward to each type; strict bounds exclude the end.  */
  const eval_target *t = eval_target_resolve ("(FPCore (x) :pre (and (< 0.1 x) (<= x 1/3)) (sqrt x))", &e);
  tap_ok (t && t->domain[DSL_FLOAT32].lo[0] == (double) 0x1.99999ap-4f
              && t->domain[DSL_FLOAT32].hi[0] == (double) 0x1.555554p-2f
              && t->domain[DSL_BFLOAT16].lo[0] == 0x1.9ap-4 && t->domain[DSL_FLOAT64].lo[0] == 0.1,   /* the double 0.1 lies above 1/10 */
          "pre: rounded inward per type");
  t = eval_target_resolve ("(FPCore (x) :pre (< 1 x 1) (sqrt x))", &e);
  tap_ok (t && !t->has_domain[DSL_FLOAT32], "an empty :pre: no domain");
  /* Derived domains allow underflow: GELU's negative tail is in its domain.  */
  const eval_target *g = eval_target_lookup ("gelu");
  tap_ok (g && g->expr && g->has_domain[DSL_FLOAT32] && g->domain[DSL_FLOAT32].lo[0] < -1e5
              && g->domain[DSL_FLOAT32].hi[0] == 0x1.fffffep+127 && g->domain[DSL_BFLOAT16].lo[0] < -100,
          "gelu: float32 domain [%a, %a]", g ? g->domain[DSL_FLOAT32].lo[0] : 0,
          g ? g->domain[DSL_FLOAT32].hi[0] : 0);
  const char *acts[] = {"gelu", "gelu_tanh", "sigmoid", "silu", "mish"};
  for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
    {
      const eval_target *a = eval_target_lookup (acts[i]);
      int all = a != NULL;
      for (int y = 0; all && y < DSL_NTYPES; y++)
        all = a->has_domain[y] && a->domain[y].lo[0] < -8 && a->domain[y].hi[0] > 8;
      tap_ok (all, "%s: a domain for every type", acts[i]);
    }
}

/* ---- the Arb reference against MPFR's ---- */

static void
test_against_mpfr (void)
{
  static const struct {
    const char *mpfr, *fpcore;
  } pairs[] = {
    {"exp", "(FPCore (x) (exp x))"},
    {"expm1", "(FPCore (x) (- (exp x) 1))"},     /* cancellation: Arb resolves it */
    {"log1p", "(FPCore (x) (log (+ 1 x)))"},
    {"log10", "(FPCore (x) (/ (log x) (log 10)))"},
    {"tanh", "(FPCore (x) (/ (- (exp (* 2 x)) 1) (+ (exp (* 2 x)) 1)))"},
    {"erf", "(FPCore (x) (- 1 (erfc x)))"},
    {"exp2", "(FPCore (x) (pow 2 x))"},
    {"hypot", "(FPCore (x y) (sqrt (+ (* x x) (* y y))))"},
  };
  an_rng r;
  an_rng_seed (&r, seed);
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    {
      dsl_error e;
      const eval_target *m = eval_target_lookup (pairs[i].mpfr), *a = eval_target_resolve (pairs[i].fpcore, &e);
      if (!m || !a)
        {
          tap_ok (0, "%s: targets exist (%s)", pairs[i].mpfr, e.msg);
          continue;
        }
      const dsl_type types[] = {DSL_FLOAT32, DSL_BFLOAT16, DSL_FLOAT64};
      int same = 1, tried = 0;
      for (size_t ty = 0; ty < 3; ty++)
        {
          dsl_type y = types[ty];
          const eval_domain *d = &m->domain[y];
          uint64_t klo = eval_key_of (y, d->lo[0]), khi = eval_key_of (y, d->hi[0]);
          for (int k = 0; k < 300 && same; k++)
            {
              double x[2];
              for (int j = 0; j < m->arity; j++)
                x[j] = eval_value_of_key (y, klo + an_rng_next (&r) % (khi - klo + 1));
              same = eval_ref_bits (m, y, x) == eval_ref_bits (a, y, x);
              if (!same)
                tap_diag ("%s differs at %a", pairs[i].mpfr, x[0]);
              tried++;
            }
        }
      tap_ok (same, "%s: Arb on %s rounds as MPFR on %d points of three types", pairs[i].mpfr, pairs[i].fpcore, tried);
    }
}

/* ---- the double evaluation's bound against Arb ---- */

static void
test_fast_bound (void)
{
  static const char *exprs[] = {
    "(FPCore (x) (* (* 1/2 x) (erfc (/ (- x) (sqrt 2)))))",
    "(FPCore (x) (* x (tanh (log1p (exp x)))))",
    "(FPCore (x) (- (exp x) 1))",
    "(FPCore (x) (/ (sin x) x))",
    "(FPCore (x) (- (sqrt (+ (* x x) 1)) x))",
    "(FPCore (x) (pow (fabs x) 0.3))",
    "(FPCore (x) (if (< x 0) (atan x) (log1p (* x x))))",
    "(FPCore (x) (lgamma (+ (fabs x) 0.25)))",
    "(FPCore (x) (/ (cosh x) (acosh (+ 2 (fabs x)))))",
  };
  an_rng r;
  an_rng_seed (&r, seed + 1);
  for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
    {
      dsl_error e;
      const eval_target *t = eval_target_resolve (exprs[i], &e);
      if (!t)
        {
          tap_ok (0, "%s: %s", exprs[i], e.msg);
          continue;
        }
      int held = 1, answered = 0, n = 3000;
      double worst = 0;
      for (int k = 0; k < n; k++)
        {
          /* Stratified: a random binade of [2^-30, 2^8], either sign.  */
          double x = ldexp (1 + (double) (an_rng_next (&r) >> 11) * 0x1p-53, (int) (an_rng_next (&r) % 38) - 30);
          x = (an_rng_next (&r) & 1) ? -x : x;
          double hi, lo;
          if (eval_ref_dd (t, &x, &hi, &lo) < 0 || !isfinite (hi))
            continue;
          double err, v = eval_expr_fast_bound (t->expr, &x, &err);
          double fv = eval_expr_fast (t->expr, &x);
          if (!isfinite (v))
            continue;
          double actual = fabs ((v - hi) - lo);
          if (!(actual <= err))
            {
              held = 0;
              tap_diag ("%s at %a: |error| %g > bound %g", exprs[i], x, actual, err);
              break;
            }
          if (!isnan (fv))
            {
              answered++;
              double rel = actual / fabs (hi);
              worst = rel > worst ? rel : worst;
              held &= rel <= EVAL_EXPR_RELERR;
            }
        }
      /* The bound must hold everywhere; where it is too wide (cancellation
         in e^x - 1 near 0, ...) the fast evaluation leaves the point to Arb.  */
      tap_ok (held && answered > n / 4, "%s: the bound holds on %d points; %d answered, worst relative %g",
              exprs[i], n, answered, worst);
    }
}

/* ---- points the reference cannot resolve ---- */

static void
test_unresolved (void)
{
  dsl_error e;
  /* 1 / 0 where Arb cannot prove the 0: an unbounded ball at every precision.  */
  const eval_target *t = eval_target_resolve ("(FPCore (x) :pre (<= 1 x 2) (/ 1 (- (sin x) (sin x))))", &e);
  double x = 1.5, hi, lo;
  tap_ok (t && eval_ref_dd (t, &x, &hi, &lo) == -1 && isnan (hi), "1 / (sin x - sin x): not resolved, no value");
  tap_ok (t && isnan (dsl_value_of_bits (DSL_FLOAT32, eval_ref_bits (t, DSL_FLOAT32, &x))), "ref_bits: NaN");
  eval_samples *s = NULL;
  e.msg[0] = '\0';
  int rc = t ? eval_samples_build (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], 64, seed, 1, &s, &e) : 0;
  tap_ok (rc == -1 && !s && strstr (e.msg, "does not resolve at"), "samples: %s", e.msg);
  /* Outside the function's domain: log of a negative number.  */
  t = eval_target_resolve ("(FPCore (x) :pre (<= -2 x 2) (log x))", &e);
  e.msg[0] = '\0';
  rc = t ? eval_samples_build (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], 64, seed, 1, &s, &e) : 0;
  tap_ok (rc == -1 && strstr (e.msg, "does not resolve"), "log on [-2, 2]: %s", e.msg);
  /* A ball around an exact zero resolves: its value is within 2^-1100 of 0.  */
  t = eval_target_resolve ("(FPCore (x) :pre (<= 1 x 2) (- (sin x) (sin x)))", &e);
  tap_ok (t && eval_ref_dd (t, &x, &hi, &lo) == 0 && hi == 0 && lo == 0, "sin x - sin x: 0");
  /* The verifier counts such inputs and does not call the program verified
     (a zero Arb cannot prove against the program's 1: the sign of the
     error's ulp stays open at every precision).  */
  dsl_prog *p = NULL;
  t = eval_target_resolve ("(FPCore (x) :pre (<= 1 x 1.001) (- (sin x) (sin x)))", &e);
  eval_domain d = t->domain[DSL_FLOAT32];
  eval_verify_result v;
  if (dsl_parse ("in x\nout x\n", DSL_FLOAT32, 0, &p, &e) == 0
      && eval_verify (p, t, &d, EVAL_ULP, 1, 2, NULL, NULL, &v, &e) == 0)
    tap_ok (v.unresolved == v.checked && v.exceeded == v.checked && isinf (v.max_ulp),
            "verify: %llu of %llu inputs unresolved, counted over the bound", (unsigned long long) v.unresolved,
            (unsigned long long) v.checked);
  else
    tap_ok (0, "verify ran: %s", e.msg);
  dsl_prog_free (p);
}

/* ---- Bessel functions (FPCore extensions), and fixing an argument ---- */

/* T and U round alike at N random float32 points of the box [XLO, XHI] (and V in [VLO, VHI]
   for two-argument targets), drawn uniformly in log x.  */
static int
same_refs (const eval_target *t, const eval_target *u, double vlo, double vhi, double xlo, double xhi, int n,
           an_rng *r)
{
  for (int k = 0; k < n; k++)
    {
      double a = (double) (an_rng_next (r) >> 11) * 0x1p-53, b = (double) (an_rng_next (r) >> 11) * 0x1p-53;
      double x[2];
      double xv = (double) (float) (xlo * pow (xhi / xlo, a));
      if (t->arity == 2)
        x[0] = (double) (float) (vlo + (vhi - vlo) * b), x[1] = xv;
      else
        x[0] = xv;
      if (eval_ref_bits (t, DSL_FLOAT32, x) != eval_ref_bits (u, DSL_FLOAT32, x))
        {
          tap_diag ("%s and %s differ at %a %a", t->label, u->label, x[0], t->arity == 2 ? x[1] : 0.0);
          return 0;
        }
    }
  return 1;
}

static void
test_bessel (void)
{
  dsl_error e;
  an_rng r;
  an_rng_seed (&r, seed);
  const eval_target *li = eval_target_lookup ("logbesseli"), *lk = eval_target_lookup ("logbesselk");
  tap_ok (li && lk && li->arity == 2 && lk->arity == 2 && li->domain[DSL_FLOAT32].lo[0] == 0
              && li->domain[DSL_FLOAT32].hi[0] == 1000 && li->domain[DSL_FLOAT32].lo[1] == (double) 0x1.0624dep-10f
              && li->domain[DSL_FLOAT32].hi[1] == 1000,
          "logbesseli, logbesselk: two arguments, v in [0, 1000], x in [0.001, 1000] rounded inward");
  /* Order 1/2 has closed forms: I = sqrt(2/(pi x)) sinh x, K = sqrt(pi/(2x)) e^-x.  */
  const eval_target *i5 = eval_target_fix (li, "0.5", &e), *k5 = eval_target_fix (lk, "1/2", &e);
  const eval_target *ic = eval_target_resolve ("(FPCore (x) (log (* (sqrt (/ 2 (* PI x))) (sinh x))))", &e);
  const eval_target *kc = eval_target_resolve ("(FPCore (x) (- (* 1/2 (log (/ PI (* 2 x)))) x))", &e);
  tap_ok (i5 && ic && same_refs (i5, ic, 0, 0, 0.001, 80, 60, &r), "log I_1/2 (x): Arb's Bessel rounds as the closed form");
  tap_ok (k5 && kc && same_refs (k5, kc, 0, 0, 0.001, 1000, 60, &r), "log K_1/2 (x): Arb's Bessel rounds as the closed form");
  /* Small x: log I_v(x) = v log(x/2) - lgamma(v+1) + log1p(x^2 / (4(v+1))) + O(x^4): the
     omitted term is below 2^-40 of the value for x <= 0.01, v >= 1, where I_1000 (0.001)
     is 10^-5869, far below every type's range.  */
  const eval_target *is = eval_target_resolve (
    "(FPCore (v x) (+ (- (* v (log (/ x 2))) (lgamma (+ v 1))) (log1p (/ (* x x) (* 4 (+ v 1))))))", &e);
  tap_ok (is && same_refs (li, is, 1, 1000, 0.001, 0.01, 60, &r), "log I_v(x), small x: rounds as its series");
  /* Large x: log K_v(x) = log(sqrt(pi/(2x)) e^-x (1 + (mu-1)/(8x) + (mu-1)(mu-9)/(2 (8x)^2))) + O(x^-3), mu = 4v^2. */
  const eval_target *kl = eval_target_resolve (
    "(FPCore (v x) (let ((m (* 4 (* v v))) (z (* 8 x))) (+ (- (* 1/2 (log (/ PI (* 2 x)))) x)"
    " (log1p (+ (/ (- m 1) z) (/ (* (- m 1) (- m 9)) (* 2 (* z z))))))))", &e);
  tap_ok (kl && same_refs (lk, kl, 0, 1, 900, 1000, 60, &r), "log K_v(x), large x: rounds as its expansion");
  /* Where eval/expr.c tries the expansion in 1/x first (x >= 25, any half-integer v): the same
     float32 values as Arb's own method at 1024 bits.  */
  static const char *const orders[] = { "0", "1", "9/4", "7/2" };
  for (int k = 0; k < 4; k++)
    {
      const eval_target *kf = eval_target_fix (lk, orders[k], &e);
      arb_t v, x, y;
      arb_init (v);
      arb_init (x);
      arb_init (y);
      arb_set_str (v, k == 2 ? "2.25" : k == 3 ? "3.5" : orders[k], 64);
      int same = kf != NULL, n = 0;
      for (int i = 0; i < 40 && same; i++)
        {
          double xd = (float) (k == 3 && i < 20 ? 0.01 + 20 * an_rng_unit (&r) : 16 * exp2 (3 * an_rng_unit (&r)));
          float ours = eval_f32_from_bits ((uint32_t) eval_ref_bits (kf, DSL_FLOAT32, &xd));
          arb_set_d (x, xd);
          arb_hypgeom_bessel_k (y, v, x, 1024);
          arb_log (y, y, 1024);
          mpfr_t m;
          mpfr_init2 (m, 24);
          arf_get_mpfr (m, arb_midref (y), MPFR_RNDN);   /* 100 bits and more: the correct rounding */
          same = arb_rel_accuracy_bits (y) > 100 && ours == mpfr_get_flt (m, MPFR_RNDN);
          if (!same)
            tap_diag ("x = %a: ours %a, Arb's %a (%ld bits)", xd, ours, mpfr_get_flt (m, MPFR_RNDN),
                      (long) arb_rel_accuracy_bits (y));
          mpfr_clear (m);
          n++;
        }
      tap_ok (same, "log K_%s (x), %d x in [16, 128]%s: the expansion's enclosure rounds as Arb's series at 1024 bits",
              orders[k], n, k == 3 ? " and [0.01, 20]" : "");
      arb_clear (v);
      arb_clear (x);
      arb_clear (y);
    }

  /* --order: the first argument fixed.  */
  tap_ok (i5 && i5->arity == 1 && i5->expr && strcmp (eval_expr_text (i5->expr),
          "(FPCore (x) :name \"logbesseli (v = 0.5)\" :pre (<= 1/1000 x 1000) (let ((v 0.5)) (log (besseli v x))))") == 0
              && i5->domain[DSL_FLOAT32].lo[0] == (double) 0x1.0624dep-10f && i5->domain[DSL_FLOAT32].hi[0] == 1000,
          "fixing v: %s", i5 ? eval_expr_text (i5->expr) : e.msg);
  tap_ok (eval_target_fix (li, "0.5", &e) == i5, "fixing v again: the same target");
  e.msg[0] = '\0';
  tap_ok (!eval_target_fix (li, "1000.5", &e) && strstr (e.msg, "outside the :pre bounds"), "v past 1000: %s", e.msg);
  tap_ok (!eval_target_fix (li, "-1", &e) && strstr (e.msg, "outside the :pre bounds"), "v below 0: %s", e.msg);
  tap_ok (!eval_target_fix (li, "(+ 1 2)", &e) && strstr (e.msg, "not a number"), "an expression: %s", e.msg);
  tap_ok (!eval_target_fix (eval_target_lookup ("exp"), "1", &e) && strstr (e.msg, "not an expression"),
          "a built-in of one argument: %s", e.msg);
  tap_ok (!eval_target_fix (ic, "1", &e) && strstr (e.msg, "one argument"), "an FPCore of one argument: %s", e.msg);
  /* Shadowing: the let binds v around the body, whose own let still wins.  */
  const eval_target *sh = eval_target_resolve ("(FPCore (v x) (let ((v (* 2 x))) (+ v x)))", &e);
  const eval_target *shf = sh ? eval_target_fix (sh, "7", &e) : NULL;
  double x3 = 3;
  tap_ok (shf && eval_ref_bits (shf, DSL_FLOAT32, &x3) == eval_f32_bits (9.0f), "a let inside the body shadows the fixed v");
  /* Named domains use the arguments' names.  */
  eval_domain d;
  tap_ok (li && eval_domain_parse ("x=0.5:2,v=3:4", li, &d, &e) == 0 && d.lo[0] == 3 && d.hi[1] == 2,
          "logbesseli: domain x=0.5:2,v=3:4");
}

int
main (void)
{
  seed = tap_seed (20261201);
  test_errors ();
  test_parse ();
  test_domains ();
  test_against_mpfr ();
  test_fast_bound ();
  test_unresolved ();
  test_bessel ();
  return tap_done ();
}
