/* test_eval -- targets, domains, references, sample sets, scoring and the exhaustive verifier.  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "eval/rng.h"
#include "eval/ulp.h"
#include "tests/tap.h"

/* OpenMP directives that vanish without -fopenmp (no unknown-pragma warnings).  */
#ifdef _OPENMP
#define OMP(directive) _Pragma (#directive)
#else
#define OMP(directive)
#endif

static uint64_t seed;

static int
is_zero_bits (uint32_t b)
{
  return (b & 0x7fffffffu) == 0;
}

static int
is_inf_or_nan_bits (uint32_t b)
{
  return (b & 0x7fffffffu) >= 0x7f800000u;
}

static dsl_prog *
parse (const char *text)
{
  dsl_prog *p = NULL;
  dsl_error e;
  if (dsl_parse (text, DSL_FLOAT32, 0, &p, &e))
    tap_diag ("parse error %d:%d: %s", e.line, e.col, e.msg);
  return p;
}

/* ---- the target table ---- */

static void
test_table (void)
{
  static const char *const want[] = {"exp", "exp2", "exp10", "expm1", "log", "log2", "log10",
                                     "log1p", "tanh", "erf", "mul", "hypot"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    tap_ok (eval_target_lookup (want[i]) != NULL, "target %s exists", want[i]);
  tap_ok (eval_target_lookup ("nosuch") == NULL, "unknown target: NULL");
  tap_ok (eval_target_at (-1) == NULL && eval_target_at (eval_target_count ()) == NULL,
          "eval_target_at out of range: NULL");
  int bad = 0;
  for (int i = 0; i < eval_target_count (); i++)
    {
      const eval_target *t = eval_target_at (i);
      const eval_domain *d = &t->domain[DSL_FLOAT32];
      int ok = t->name && t->formula && t->enclose && t->arity >= 1 && t->arity <= EVAL_MAXARITY
               && eval_target_lookup (t->name) == t && t->has_domain[DSL_FLOAT32]
               && t->fast_relerr >= 0 && (t->nspecial == 0 || t->arity == 1);
      for (int j = 0; ok && j < t->arity; j++)
        ok = d->lo[j] <= d->hi[j] && (double) (float) d->lo[j] == d->lo[j]
             && (double) (float) d->hi[j] == d->hi[j];
      for (int k = 0; ok && k < t->nspecial; k++)
        ok = (double) (float) t->special[k] == t->special[k] && t->special[k] >= d->lo[0]
             && t->special[k] <= d->hi[0];
      dsl_error e;
      ok = ok && eval_domain_check (t, DSL_FLOAT32, d, &e) == 0;
      if (!ok)
        {
          bad++;
          tap_diag ("target %s: malformed row", t->name);
        }
    }
  tap_ok (bad == 0, "every row is well formed (domain of float32 values, specials inside)");
}

/* ---- default domains: each endpoint re-derived with MPFR ---- */

/* The next float32 outward from V (towards -inf when DOWN).  */
static float
outward (float v, int down)
{
  return nextafterf (v, down ? -INFINITY : INFINITY);
}

/* Nonzero when the input OUT is past the domain: infinite, or its correctly
   rounded value is 0 or infinite (an infinite value also stands for "outside
   the function's domain", e.g. log 0 = -inf); for an FPCore target, whose
   domain keeps results that underflow, infinite or unresolved (NaN).  */
static int
past_the_end (const eval_target *t, const float *out)
{
  for (int j = 0; j < t->arity; j++)
    if (isinf (out[j]))
      return 1;
  uint32_t r = eval_ref_f32 (t, out);
  return (is_zero_bits (r) && !t->expr) || is_inf_or_nan_bits (r);
}

static void
test_domain_ends (void)
{
  for (int i = 0; i < eval_target_count (); i++)
    {
      const eval_target *t = eval_target_at (i);
      const eval_domain *d = &t->domain[DSL_FLOAT32];
      if (t->vectors)
        continue;   /* softmax: the domain of its kernel, not where e^x is finite (test_softmax) */
      double l, h;
      int strict;
      if (t->expr && eval_expr_bound (t->expr, 0, 0, &l, &h, &strict))
        continue;   /* a :pre box (logbesseli): the domain declared, not derived (test_expr) */
      for (int end = 0; end < 2; end++)
        {
          /* Arity 1: the endpoint.  Arity > 1: the corner of the box.  */
          float x[EVAL_MAXARITY], out[EVAL_MAXARITY];
          for (int j = 0; j < t->arity; j++)
            {
              x[j] = (float) (end ? d->hi[j] : d->lo[j]);
              out[j] = outward (x[j], !end);
            }
          uint32_t r = eval_ref_f32 (t, x);
          tap_ok ((!is_zero_bits (r) || t->expr) && !is_inf_or_nan_bits (r) && past_the_end (t, out),
                  "%s float32 domain %s end %a: f rounds to %a; next float outward %a is past it",
                  t->name, end ? "upper" : "lower", (double) x[0],
                  (double) eval_f32_from_bits (r), (double) out[0]);
        }
    }
}

/* ---- the fast double references against MPFR ---- */

/* A random float32 value of [LO, HI]: uniform bit pattern or uniform value.  */
static float
random_in (an_rng *r, double lo, double hi)
{
  if (an_rng_next (r) & 1)
    {
      uint32_t klo = dsl_key_of_bits (eval_f32_bits ((float) lo)), khi = dsl_key_of_bits (eval_f32_bits ((float) hi));
      return eval_f32_from_bits (dsl_bits_of_key (klo + (uint32_t) an_rng_below (r, (uint64_t) khi - klo + 1)));
    }
  float v = (float) (lo + (hi - lo) * an_rng_unit (r));
  return v < lo ? (float) lo : v > hi ? (float) hi : v;
}

/* The largest relative error of the fast references against MPFR on N
   random points of T's float32 domain: T->fast, and libmvec's vector
   function (VEC) where eval_fastref picks it.  */
static void
fast_errors (const eval_target *t, const eval_fastref *vec, int n, uint64_t sd, double *worst_scalar,
             double *worst_vector, int *bad_scalar, int *bad_vector)
{
  const eval_domain *d = &t->domain[DSL_FLOAT32];
  double (*pts)[EVAL_MAXARITY] = malloc (n * sizeof *pts), *fv = malloc (n * sizeof *fv),
    *xs = malloc (n * sizeof *xs);
  an_rng r;
  an_rng_seed (&r, sd);
  for (int k = 0; k < n; k++)
    for (int j = 0; j < t->arity; j++)
      pts[k][j] = random_in (&r, d->lo[j], d->hi[j]);
  if (vec)
    {
      for (int k = 0; k < n; k++)
        xs[k] = pts[k][0];
      eval_fastref_run (vec, xs, fv, (size_t) n);
    }
  double ws = 0, wv = 0;
  int bs = 0, bv = 0;
  OMP (omp parallel for num_threads (2) schedule (dynamic, 256) reduction (max : ws, wv) reduction (+ : bs, bv))
  for (int k = 0; k < n; k++)
    {
      double hi, lo;
      eval_ref_dd (t, pts[k], &hi, &lo);
      double fd = t->fast (t, pts[k]);
      /* An FPCore target's NaN: the point is left to Arb (eval_expr_fast).  */
      double rel = isnan (fd) && t->expr ? 0
                   : hi == 0 ? (fd == 0 ? 0 : INFINITY) : fabs ((fd - hi) - lo) / fabs (hi);
      ws = rel > ws ? rel : ws;
      bs += !(rel <= t->fast_relerr);
      if (vec)
        {
          rel = hi == 0 ? (fv[k] == 0 ? 0 : INFINITY) : fabs ((fv[k] - hi) - lo) / fabs (hi);
          wv = rel > wv ? rel : wv;
          bv += !(rel <= vec->relerr);
        }
    }
  *worst_scalar = ws;
  *worst_vector = wv;
  *bad_scalar = bs;
  *bad_vector = bv;
  free (pts);
  free (fv);
  free (xs);
}

static void
test_fast_bound (void)
{
  enum { N = 100000 };
  int nvec = 0;
  for (int i = 0; i < eval_target_count (); i++)
    {
      const eval_target *t = eval_target_at (i);
      if (!t->fast)
        continue;
      eval_fastref vec;
      eval_fastref_init (&vec, t);
      nvec += vec.vec != NULL;
      double ws, wv;
      int bs, bv;
      /* FPCore targets' references cost microseconds (Arb): fewer points;
         tests/test_expr checks their bound in more detail.  */
      int n = t->expr ? N / 10 : N;
      fast_errors (t, vec.vec ? &vec : NULL, n, seed + (uint64_t) i, &ws, &wv, &bs, &bv);
      tap_ok (bs == 0, "%s: glibc's double within %a relative on %d random points "
              "(largest seen %a = %.2f of the bound)", t->name, t->fast_relerr, n, ws,
              t->fast_relerr > 0 ? ws / t->fast_relerr : 0.0);
      if (vec.vec)
        tap_ok (bv == 0, "%s: libmvec's _ZGVdN4v_%s within %a relative on the same points "
                "(largest seen %a = %.3f of the bound, %.2f of glibc's documented 4 ulps)", t->name,
                t->vector, vec.relerr, wv, wv / vec.relerr, wv / 0x1p-50);
    }
  tap_diag ("libmvec vector references in use for %d targets", nvec);
}

/* ---- the side hints against MPFR ---- */

/* The sign of f(X) - C by MPFR (at 2000 bits: all the points below are
   within 2^-200 of C only when exact).  */
static int
mpfr_side (const eval_target *t, double x, double c)
{
  mpfr_t xm, lo, hi;
  mpfr_init2 (xm, 53);
  mpfr_inits2 (2000, lo, hi, (mpfr_ptr) 0);
  mpfr_set_d (xm, x, MPFR_RNDN);
  int exact = t->enclose (t, lo, hi, (const mpfr_t *) &xm, 2000);
  int s = exact && mpfr_cmp_d (lo, c) == 0 ? 0
          : mpfr_cmp_d (lo, c) > 0 ? 1 : mpfr_cmp_d (hi, c) < 0 ? -1 : 2;
  mpfr_clears (xm, lo, hi, (mpfr_ptr) 0);
  return s;
}

static void
test_side (void)
{
  /* Points where f(x) is within 2^-40 of C (where the verifier asks).  */
  static const struct { const char *t; double x, c; } pts[] = {
    {"exp", 0x1p-60, 1}, {"exp", -0x1p-60, 1}, {"exp", 0x1p-149, 1}, {"exp", -0x1p-149, 1},
    {"exp", 0, 1}, {"exp2", -0x1p-70, 1}, {"exp2", 3, 8}, {"exp2", 0x1.8p+1 + 0x1p-22, 8},
    {"exp2", -0x1p-149, 1}, {"exp10", 0x1p-100, 1}, {"exp10", -0x1p-100, 1},
    {"expm1", -50, -1}, {"expm1", -100, -1}, {"expm1", 0x1p-80, 0x1p-80},
    {"expm1", -0x1p-80, -0x1p-80}, {"log1p", 0x1p-90, 0x1p-90}, {"log1p", -0x1p-90, -0x1p-90},
    {"tanh", 20, 1}, {"tanh", -20, -1}, {"tanh", 300, 1}, {"tanh", 0x1p-70, 0x1p-70},
    {"tanh", -0x1p-70, -0x1p-70}, {"erf", 7, 1}, {"erf", -7, -1}, {"erf", 20, 1},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++)
    {
      const eval_target *t = eval_target_lookup (pts[i].t);
      int want = mpfr_side (t, pts[i].x, pts[i].c), got = t->side ? t->side (&pts[i].x, pts[i].c) : 2;
      if (got != want)
        {
          bad++;
          tap_diag ("%s side at x = %a, c = %a: %d, MPFR says %d", t->name, pts[i].x, pts[i].c, got,
                    want);
        }
    }
  tap_ok (bad == 0, "side hints agree with MPFR at %zu points", sizeof pts / sizeof pts[0]);
  /* Where a hint has no rule it must say unknown (2), never guess.  */
  static const struct { const char *t; double x, c; } none[] = {
    {"exp2", 3, 0x1.8p+3}, {"exp2", 0x1.8p+1, 0x1.000002p+3}, {"exp", 0x1.62e43p-1, 2},
    {"tanh", 0.5, 0x1.d9353ep-2}, {"erf", 0.5, 0x1.0a7ef6p-1}, {"expm1", 1, 0x1.b7e152p+0},
  };
  bad = 0;
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
    {
      const eval_target *t = eval_target_lookup (none[i].t);
      bad += t->side (&none[i].x, none[i].c) != 2;
    }
  tap_ok (bad == 0, "side hints say unknown where they have no rule");
}

/* ---- correctly rounded references ---- */

static void
check_ref (const char *name, float x0, float x1, uint32_t want, const char *why)
{
  const eval_target *t = eval_target_lookup (name);
  float x[2] = {x0, x1};
  uint32_t got = eval_ref_f32 (t, x);
  tap_ok (got == want, "%s(%a%s): %a (bits %08x), want %a: %s", name, (double) x0,
          t->arity > 1 ? ", ..." : "", (double) eval_f32_from_bits (got), (unsigned) got,
          (double) eval_f32_from_bits (want), why);
}

static void
test_ref_known (void)
{
  /* Values from mpmath at 200 bits (scaled significands in the comments).  */
  check_ref ("exp", 1, 0, eval_f32_bits (0x1.5bf0a8p+1f), "e = 11401300.346 * 2^-22");
  check_ref ("exp", 0, 0, eval_f32_bits (1.0f), "exact");
  check_ref ("exp", -0.0f, 0, eval_f32_bits (1.0f), "exact");
  /* e^-100 = 3.72007597602083596e-44 = 26.547 * 2^-149: subnormal 27 * 2^-149.  */
  check_ref ("exp", -100, 0, 27, "subnormal result");
  /* 2^-149.5 = 0.707 * 2^-149 rounds to the smallest subnormal; 2^-150 is a tie, to even 0.  */
  check_ref ("exp2", -149.5f, 0, 1, "0.707 of the smallest subnormal");
  check_ref ("exp2", -150, 0, 0, "exactly half the smallest subnormal: ties to +0");
  check_ref ("exp2", 128, 0, 0x7f800000u, "2^128 overflows");
  check_ref ("log", 2, 0, eval_f32_bits (0x1.62e43p-1f), "ln 2 = 11629079.968 * 2^-24");
  check_ref ("log", 1, 0, 0, "ln 1 = +0 exactly");
  check_ref ("log", 0, 0, 0xff800000u, "ln 0 = -inf");
  check_ref ("tanh", 1, 0, eval_f32_bits (0x1.85efacp-1f), "tanh 1 = 12777429.659 * 2^-24");
  check_ref ("tanh", -0.0f, 0, 0x80000000u, "tanh -0 = -0");
  check_ref ("erf", 1, 0, eval_f32_bits (0x1.af767ap-1f), "erf 1 = 14138173.227 * 2^-24");
  check_ref ("log10", 3, 0, eval_f32_bits (0x1.e8927ap-2f), "log10 3 = 16009532.697 * 2^-25");
  check_ref ("log10", 1000, 0, eval_f32_bits (3.0f), "log10 1000 = 3 exactly");
  check_ref ("expm1", 0x1p-10f, 0, eval_f32_bits (0x1.002002p-10f), "8392705.334 * 2^-33");
  check_ref ("exp10", -1, 0, eval_f32_bits (0.1f), "0.1");
  /* (1 + 2^-23) * 1.5 = 1.5 + 1.5 * 2^-23: a tie between two floats, to even.  */
  check_ref ("mul", 0x1.000002p+0f, 1.5f, eval_f32_bits (0x1.800004p+0f), "exact tie, to even");
  check_ref ("mul", 0x1p-100f, 0x1p-100f, 0, "2^-200 underflows to +0");
  check_ref ("mul", -0x1p-75f, 0x1p-75f, 0x80000000u, "-2^-150: a tie, to -0");
  check_ref ("hypot", 3, 4, eval_f32_bits (5.0f), "exact");
}

/* ---- domains: parsing and checking ---- */

static int
parse_fails_with (const char *text, int arity, const char *needle)
{
  eval_domain d;
  dsl_error e = {0};
  eval_target t = {.name = "t", .label = "t", .arity = arity};   /* arguments x, y, z */
  int rc = eval_domain_parse (text, &t, &d, &e);
  int ok = rc == -1 && strstr (e.msg, needle) != NULL;
  if (!ok)
    tap_diag ("\"%s\": rc %d, message \"%s\"", text, rc, e.msg);
  return ok;
}

static int
check_fails_with (const char *target, dsl_type y, double lo, double hi, const char *needle)
{
  const eval_target *t = eval_target_lookup (target);
  eval_domain d;
  for (int j = 0; j < EVAL_MAXARITY; j++)
    {
      d.lo[j] = lo;
      d.hi[j] = hi;
    }
  dsl_error e = {0};
  int rc = eval_domain_check (t, y, &d, &e);
  int ok = rc == -1 && strstr (e.msg, needle) != NULL;
  if (!ok)
    tap_diag ("%s [%a, %a]: rc %d, message \"%s\"", target, lo, hi, rc, e.msg);
  return ok;
}

static void
test_domains (void)
{
  eval_domain d;
  dsl_error e;
  tap_ok (eval_domain_parse ("-1.5:0x1p+3", eval_target_lookup ("exp"), &d, &e) == 0 && d.lo[0] == -1.5 && d.hi[0] == 8,
          "parse \"-1.5:0x1p+3\"");
  tap_ok (eval_domain_parse (" -2 : 3 ", eval_target_lookup ("mul"), &d, &e) == 0 && d.lo[0] == -2 && d.hi[1] == 3
          && d.lo[1] == -2, "parse \" -2 : 3 \" for arity 2: both arguments");
  tap_ok (eval_domain_parse ("0:1,-4:4", eval_target_lookup ("mul"), &d, &e) == 0 && d.hi[0] == 1 && d.lo[1] == -4,
          "parse \"0:1,-4:4\" per argument");
  tap_ok (parse_fails_with ("1", 1, "expected ':'"), "\"1\": missing colon");
  tap_ok (parse_fails_with ("abc:1", 1, "expected a number"), "\"abc:1\": not a number");
  tap_ok (parse_fails_with ("1:", 1, "expected a number"), "\"1:\": missing HI");
  tap_ok (parse_fails_with ("1:2x", 1, "unexpected \"x\""), "\"1:2x\": trailing junk");
  tap_ok (parse_fails_with ("1:2,3:4", 1, "more intervals"), "two intervals for arity 1");
  tap_ok (parse_fails_with ("1:2,3:4,5:6", 2, "more intervals"), "three intervals for arity 2");
  tap_ok (parse_fails_with ("1:2,3:4", 3, "2 intervals for a target of 3"), "two intervals for arity 3");
  tap_ok (parse_fails_with ("nan:1", 1, "not a number"), "\"nan:1\": NaN bound");
  tap_ok (parse_fails_with ("x=1:2,3:4", 2, "name every interval"), "named and unnamed intervals mixed");
  tap_ok (parse_fails_with ("x=1:2,x=3:4", 2, "given twice"), "an argument named twice");
  tap_ok (parse_fails_with ("v=1:2", 2, "\"v\" is not an argument of t (its arguments: x, y)"), "an unknown name");
  tap_ok (parse_fails_with ("x=1:2", 2, "1 intervals for a target of 2"), "a named domain must give every argument");
  {
    eval_target t = {.name = "t", .label = "t", .arity = 2};
    tap_ok (eval_domain_parse (" y=-4:4, x=0:1", &t, &d, &e) == 0 && d.lo[0] == 0 && d.hi[0] == 1 && d.lo[1] == -4
            && d.hi[1] == 4, "parse \" y=-4:4, x=0:1\": named, in any order");
    d.lo[0] = 0.001, d.hi[0] = 1000.1, d.lo[1] = -1000, d.hi[1] = 0x1p200;
    eval_domain_round_in (&t, DSL_FLOAT32, &d);
    tap_ok (d.lo[0] == (double) 0x1.0624dep-10f && d.lo[0] > 0.001 && d.hi[0] == (double) 1000.0999755859375f
            && d.lo[1] == -1000 && d.hi[1] == 0x1p200, "bounds rounded inward to float32, past its range left as given");
  }

  tap_ok (check_fails_with ("exp", DSL_FLOAT32, -200, 0,
                            "domain [-200, 0] is outside exp's float32 domain "
                            "[-0x1.9fe368p+6, 0x1.62e42ep+6]"),
          "exp [-200, 0]: outside, with the natural domain in the message");
  tap_ok (check_fails_with ("exp", DSL_FLOAT32, 2, 1, "LO > HI"), "exp [2, 1]: empty");
  tap_ok (check_fails_with ("exp", DSL_FLOAT32, 0.1, 1, "0.10000000000000001 is not a float32 value"),
          "exp [0.1, 1]: 0.1 is no float32 value");
  tap_ok (check_fails_with ("log", DSL_FLOAT32, -1, 1, "outside log's float32 domain"),
          "log [-1, 1]: outside");
  tap_ok (check_fails_with ("exp", DSL_FP8E4M3, -448, 448, "outside exp's fp8e4m3 domain"),
          "exp in fp8e4m3 on [-448, 448]: outside");
  tap_ok (check_fails_with ("exp", DSL_FP8E4M3, -500, 0, "not a fp8e4m3 value"),
          "exp in fp8e4m3 on [-500, 0]: -500 is no fp8e4m3 value");
  tap_ok (check_fails_with ("mul", DSL_FLOAT32, -0x1p+70, 1, "argument 1 domain"),
          "mul: the message names the argument");
  const eval_target *t = eval_target_lookup ("exp");
  d.lo[0] = -1;
  d.hi[0] = 1;
  tap_ok (eval_domain_check (t, DSL_FLOAT32, &d, &e) == 0, "exp [-1, 1] is fine");
  tap_ok (eval_domain_check (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], &e) == 0,
          "exp's own domain is fine");
}

/* ---- sample sets ---- */

static int
same_samples (const eval_samples *a, const eval_samples *b)
{
  if (a->n != b->n)
    return 0;
  for (int j = 0; j < a->target->arity; j++)
    if (memcmp (a->in[j], b->in[j], a->n * sizeof (float)))
      return 0;
  return memcmp (a->ref_hi, b->ref_hi, a->n * sizeof (double)) == 0
         && memcmp (a->ref_lo, b->ref_lo, a->n * sizeof (double)) == 0;
}

/* Every point in the domain (by bit pattern order), and every reference
   consistent with the correctly rounded value: err(ref_f32, ref) <= 1/2.  */
static int
samples_sane (const eval_samples *s)
{
  const eval_target *t = s->target;
  for (size_t i = 0; i < s->n; i++)
    {
      float x[EVAL_MAXARITY];
      for (int j = 0; j < t->arity; j++)
        {
          x[j] = ((const float *) s->in[j])[i];
          if (dsl_key_of_bits (eval_f32_bits (x[j])) < dsl_key_of_bits (eval_f32_bits ((float) s->dom.lo[j])) || dsl_key_of_bits (eval_f32_bits (x[j])) > dsl_key_of_bits (eval_f32_bits ((float) s->dom.hi[j])))
            {
              tap_diag ("%s sample %zu: %a outside the domain", t->name, i, (double) x[j]);
              return 0;
            }
        }
      if (i % 7 == 0)
        {
          float y = eval_f32_from_bits (eval_ref_f32 (t, x));
          if (!(eval_ulp_error_f32 (y, s->ref_hi[i], s->ref_lo[i]) <= 0.5))
            {
              tap_diag ("%s sample %zu at %a: reference %a + %a vs correctly rounded %a", t->name, i,
                        (double) x[0], s->ref_hi[i], s->ref_lo[i], (double) y);
              return 0;
            }
        }
    }
  return 1;
}

/* The stratified block [from, from + m) has equal counts (within one) in
   every binade of [lo, hi].  */
static int
stratified_evenly (const float *v, size_t m, float lo, float hi)
{
  uint32_t b0 = dsl_key_of_bits (eval_f32_bits (lo)) >> 23, nb = (dsl_key_of_bits (eval_f32_bits (hi)) >> 23) - b0 + 1;
  size_t *count = calloc (nb, sizeof *count);
  for (size_t i = 0; i < m; i++)
    count[(dsl_key_of_bits (eval_f32_bits (v[i])) >> 23) - b0]++;
  size_t mn = m, mx = 0;
  for (uint32_t b = 0; b < nb; b++)
    {
      mn = count[b] < mn ? count[b] : mn;
      mx = count[b] > mx ? count[b] : mx;
    }
  free (count);
  return mx - mn <= 1;
}

static void
test_samples (void)
{
  const eval_target *t = eval_target_lookup ("exp");
  eval_domain d = t->domain[DSL_FLOAT32];
  eval_samples *a = NULL, *b = NULL, *c = NULL;
  dsl_error e;
  int rc = eval_samples_build (t, DSL_FLOAT32, &d, 3000, seed, 2, &a, &e)
           | eval_samples_build (t, DSL_FLOAT32, &d, 3000, seed, 1, &b, &e)
           | eval_samples_build (t, DSL_FLOAT32, &d, 3000, seed + 1, 2, &c, &e);
  tap_ok (rc == 0, "exp sample sets built");
  if (rc)
    return;
  tap_ok (same_samples (a, b), "same seed, 2 threads vs 1: same points and references, bit for bit");
  tap_ok (!same_samples (a, c), "different seed: different points");
  tap_ok (samples_sane (a), "every exp point in the domain; references agree with eval_ref_f32");
  /* The fixed points: specials in the domain (all 8 of exp's), then the ends.  */
  const float *x = a->in[0];
  int fixed_ok = a->n == 3000 && x[8] == (float) d.lo[0] && x[9] == (float) d.hi[0];
  for (int k = 0; k < t->nspecial; k++)
    fixed_ok &= eval_f32_bits (x[k]) == eval_f32_bits ((float) t->special[k]);
  tap_ok (fixed_ok, "special points first (bit for bit, -0 included), then the domain ends");
  size_t rest = 3000 - 10, nout = rest / 3, nunif = (rest - nout) / 2, nstrat = rest - nout - nunif;
  tap_ok (stratified_evenly (x + 10, nstrat, (float) d.lo[0], (float) d.hi[0]),
          "the stratified third has equal counts per binade (within one)");
  /* The uniform third: mean near the middle of the interval.  */
  double mean = 0;
  for (size_t i = 10 + nstrat + nout; i < 3000; i++)
    mean += x[i];
  mean /= (double) nunif;
  double mid = 0.5 * (d.lo[0] + d.hi[0]), sd = (d.hi[0] - d.lo[0]) / sqrt (12.0 * (double) nunif);
  tap_ok (fabs (mean - mid) < 5 * sd, "the uniform third is uniform in value (mean %.3f, middle %.3f)",
          mean, mid);
  eval_samples_free (a);
  a = NULL;

  /* The third over f's binades: ln on its float32 domain has a zero at 1, where f runs
     through 24 binades inside two of x.  Each (sign, binade) of f's value the domain
     reaches gets its share: every one from 2^-23 to 2^6 (and of either sign where it
     exists) holds points, and the block has points within 2^-16 of 1, which the binades
     of x and the uniform third almost never give.  */
  const eval_target *ln = eval_target_lookup ("log");
  d = ln->domain[DSL_FLOAT32];
  int counts[2][40] = { { 0 } }, near1 = 0;
  if (eval_samples_build (ln, DSL_FLOAT32, &d, 3000, seed, 2, &a, &e) == 0)
    {
      size_t nf = 0;
      while (nf < a->n && eval_f32_bits (((const float *) a->in[0])[nf]) != eval_f32_bits ((float) d.hi[0]))
        nf++;   /* the fixed points end with the domain's high end */
      size_t r2 = a->n - nf - 1, no = r2 / 3, nu = (r2 - no) / 2, ns = r2 - no - nu;
      for (size_t i = nf + 1 + ns; i < nf + 1 + ns + no; i++)
        {
          double v = a->ref_hi[i];
          int b = ilogb (v) + 23;
          if (v != 0 && b >= 0 && b < 30)
            counts[v < 0][b]++;
          near1 += fabs (((const float *) a->in[0])[i] - 1.0) < 0x1p-16;
        }
    }
  int filled = 1, lo = 1 << 30, hi = 0;
  for (int b = 0; b < 30; b++)
    for (int sg = 0; sg < 2; sg++)
      if (!(sg == 1 && b > 23 + 6) && !(sg == 0 && b > 23 + 6))
        {
          filled &= counts[sg][b] > 0;
          lo = counts[sg][b] < lo ? counts[sg][b] : lo;
          hi = counts[sg][b] > hi ? counts[sg][b] : hi;
        }
  tap_ok (a && filled && hi <= 2 * lo && near1 > 100,
          "ln: the third over f's binades fills every binade of f from 2^-23 to 2^6, both signs (counts %d to %d), "
          "%d points within 2^-16 of 1", lo, hi, near1);
  eval_samples_free (a);
  eval_samples_free (b);
  eval_samples_free (c);

  /* Arity 2: a box, each coordinate on its own.  */
  t = eval_target_lookup ("hypot");
  d.lo[0] = -8;
  d.hi[0] = 8;
  d.lo[1] = 0x1p-20;
  d.hi[1] = 4;
  rc = eval_samples_build (t, DSL_FLOAT32, &d, 2000, seed, 2, &a, &e);
  tap_ok (rc == 0 && samples_sane (a), "hypot samples in the box [-8, 8] x [2^-20, 4]");
  if (rc == 0)
    {
      const float *x0 = a->in[0], *x1 = a->in[1];
      tap_ok (x0[0] == -8 && x1[0] == 0x1p-20f && x0[3] == 8 && x1[3] == 4, "corners first");
      tap_ok (stratified_evenly (x1 + 4, 998, 0x1p-20f, 4), "second coordinate stratified evenly");
      eval_samples_free (a);
    }
  tap_ok (eval_samples_build (eval_target_lookup ("exp"), DSL_FLOAT32, &d, 0, seed, 1, &a, &e) == -1,
          "n = 0 refused: %s", e.msg);
  d.lo[0] = -200;
  tap_ok (eval_samples_build (eval_target_lookup ("exp"), DSL_FLOAT32, &d, 10, seed, 1, &a, &e) == -1
          && strstr (e.msg, "outside"), "a domain outside exp's refused: %s", e.msg);
}

/* ---- scoring ---- */

static const char *const expf_prog = "in x\nv1 = exp x\nout v1\n";

static void
test_score (void)
{
  const eval_target *t = eval_target_lookup ("exp");
  eval_samples *s = NULL;
  dsl_error e;
  if (eval_samples_build (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], 20000, seed, 2, &s, &e))
    {
      tap_ok (0, "samples: %s", e.msg);
      return;
    }
  dsl_prog *p = parse (expf_prog), *id = parse ("in x\nout x\n"), *two = parse ("in x y\nv1 = add x y\nout v1\n");
  eval_score sc;
  tap_ok (p && eval_score_prog (p, s, EVAL_ULP, 1.0, &sc, &e) == 0, "score expf on 20000 exp samples");
  tap_ok (sc.npoints == 20000 && sc.max_ulp < 1 && sc.max_ulp > 0 && sc.exceeded == 0
          && sc.mean_ulp <= sc.max_ulp && sc.worst < s->n,
          "glibc expf: max %.4f ULP (< 1), mean %.4f, none over 1 ULP", sc.max_ulp, sc.mean_ulp);
  float y = expf (((const float *) s->in[0])[sc.worst]);
  tap_ok (eval_ulp_error_f32 (y, s->ref_hi[sc.worst], s->ref_lo[sc.worst]) == sc.max_ulp,
          "the worst point carries the max error");
  eval_score sc2;
  int rc = eval_score_prog (p, s, EVAL_ULP, 0.5, &sc2, &e);
  tap_ok (rc == 0 && (sc2.exceeded > 0) == (sc.max_ulp > 0.5),
          "bound 0.5: %zu points over (some exactly when the max is over 0.5)", sc2.exceeded);
  rc = eval_score_prog (id, s, EVAL_ULP, 1.0, &sc, &e);
  tap_ok (rc == 0 && sc.max_ulp > 1e30 && sc.exceeded > 10000,
          "identity as exp: max %.3g ULP, %zu of %zu over 1 ULP", sc.max_ulp, sc.exceeded, sc.npoints);
  dsl_prog *nan = parse ("in x\nv1 = sub x x\nv2 = div v1 v1\nout v2\n");
  rc = eval_score_prog (nan, s, EVAL_ULP, 1.0, &sc, &e);
  tap_ok (rc == 0 && isinf (sc.max_ulp) && sc.exceeded == sc.npoints && sc.worst == 0,
          "NaN everywhere: max %g, %zu of %zu over, worst the first point", sc.max_ulp, sc.exceeded,
          sc.npoints);
  dsl_prog_free (nan);
  tap_ok (eval_score_prog (two, s, EVAL_ULP, 1.0, &sc, &e) == -1 && strstr (e.msg, "2 inputs"),
          "a 2-input program on exp refused: %s", e.msg);
  dsl_prog *f64 = dsl_prog_new (DSL_FLOAT64, 1);
  tap_ok (eval_score_prog (f64, s, EVAL_ULP, 1.0, &sc, &e) == -1 && strstr (e.msg, "float64"),
          "a float64 program on float32 samples refused: %s", e.msg);
  dsl_prog_free (f64);
  dsl_prog_free (p);
  dsl_prog_free (id);
  dsl_prog_free (two);
  eval_samples_free (s);
}

/* ---- the exhaustive verifier ---- */

typedef struct {
  uint64_t checked, exceeded;
  double max_ulp;
  uint32_t worst;
} brute_result;

/* Every float of [lo, hi] with MPFR only (eval_ref_dd and eval/ulp.h).  */
static brute_result
brute_force (const dsl_prog *p, const eval_target *t, float lo, float hi, double bound)
{
  uint32_t klo = dsl_key_of_bits (eval_f32_bits (lo)), khi = dsl_key_of_bits (eval_f32_bits (hi));
  size_t n = (size_t) khi - klo + 1;
  float *x = malloc (n * sizeof *x), *y = malloc (n * sizeof *y);
  double *err = malloc (n * sizeof *err);
  for (size_t i = 0; i < n; i++)
    x[i] = eval_f32_from_bits (dsl_bits_of_key (klo + (uint32_t) i));
  const void *in[1] = {x};
  dsl_run (p, n, in, y);
  OMP (omp parallel for num_threads (2) schedule (dynamic, 256))
  for (size_t i = 0; i < n; i++)
    {
      double xd = x[i], h, l;
      eval_ref_dd (t, &xd, &h, &l);
      err[i] = eval_ulp_error_f32 (y[i], h, l);
    }
  brute_result r = {.checked = n, .max_ulp = -1};
  for (size_t i = 0; i < n; i++)
    {
      r.exceeded += err[i] > bound;
      if (err[i] > r.max_ulp)
        {
          r.max_ulp = err[i];
          r.worst = eval_f32_bits (x[i]);
        }
    }
  free (x);
  free (y);
  free (err);
  return r;
}

static int
run_verify (const dsl_prog *p, const char *target, double lo, double hi, double bound, int threads,
            eval_verify_result *v)
{
  eval_domain d = {{lo}, {hi}};
  dsl_error e;
  if (eval_verify (p, eval_target_lookup (target), &d, EVAL_ULP, bound, threads, NULL, NULL, v, &e))
    {
      tap_diag ("verify: %s", e.msg);
      return -1;
    }
  return 0;
}

/* Verify against brute force on [lo, hi]; WORST_TOO: compare the worst input
   (only meaningful where errors are not within 2^-25 ULP of each other).  */
static void
compare_with_brute (const char *what, const char *prog, const char *target, float lo, float hi,
                    double bound, int worst_too)
{
  dsl_prog *p = parse (prog);
  eval_verify_result v;
  if (!p || run_verify (p, target, lo, hi, bound, 2, &v))
    {
      tap_ok (0, "%s: verify ran", what);
      dsl_prog_free (p);
      return;
    }
  brute_result b = brute_force (p, eval_target_lookup (target), lo, hi, bound);
  tap_ok (v.checked == b.checked && v.exceeded == b.exceeded && fabs (v.max_ulp - b.max_ulp) <= 1e-6
          && (!worst_too || v.worst[0] == b.worst),
          "%s on [%a, %a], bound %g: verify %llu checked, %llu over, max %.9f at %a (%llu slow); "
          "brute force %llu, %llu, %.9f at %a", what, (double) lo, (double) hi, bound,
          (unsigned long long) v.checked, (unsigned long long) v.exceeded, v.max_ulp,
          (double) eval_f32_from_bits (v.worst[0]), (unsigned long long) v.slow_path,
          (unsigned long long) b.checked, (unsigned long long) b.exceeded, b.max_ulp,
          (double) eval_f32_from_bits (b.worst));
  dsl_prog_free (p);
}

/* y = 1 - 2^-24 wherever expf(x) = 1: the exact value's binade decides the error.  */
static const char *const below_one_prog = "in x\nv1 = exp x\nv2 = mul v1 0x1.fffffep-1\nout v2\n";
/* y = 1 - 2^-24 for tanh's saturated range.  */
static const char *const tanh_sat_prog = "in x\nv1 = min x 0x1.fffffep-1\nout v1\n";

/* The verifier decides the same with libmvec's references as with the
   scalar ones: every count, the maximum and the worst input, on stretches
   where glibc's float functions are compared with the exact values.  */
static void
test_vector_reference (void)
{
  static const struct {
    const char *target, *prog;
    float lo, hi;
    double bound;
  } c[] = {
    {"exp", "in x\nv1 = exp x\nout v1\n", 10, 10.125f, 0.5},
    {"exp", "in x\nv1 = exp x\nout v1\n", -0x1.2p-30f, -0x1p-30f, 0.5},
    {"exp", "in x\nv1 = exp x\nout v1\n", 0x1p-30f, 0x1.2p-30f, 0.5},
    {"exp", "in x\nv1 = exp x\nout v1\n", -0x1.9fe368p+6f, -0x1.9f8p+6f, 0.5},
    {"log", "in x\nv1 = log x\nout v1\n", 0.9375f, 1.0625f, 0.5},
    {"log1p", "in x\nv1 = log1p x\nout v1\n", -0x1.4p-8f, -0x1p-8f, 0.5},
    {"erf", "in x\nv1 = erf x\nout v1\n", 3.5f, 4.5f, 0.5},
    {"tanh", "in x\nv1 = min x 0x1.fffffep-1\nout v1\n", 8.5f, 9.5f, 1},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      dsl_prog *p = parse (c[i].prog);
      eval_verify_result v[2];
      int rc = !p;
      for (int vec = 1; vec >= 0 && !rc; vec--)
        {
          eval_fastref_vector (vec);
          rc = run_verify (p, c[i].target, c[i].lo, c[i].hi, c[i].bound, 2, &v[vec]);
        }
      eval_fastref_vector (1);
      tap_ok (rc == 0 && v[0].checked == v[1].checked && v[0].exceeded == v[1].exceeded
              && v[0].max_ulp == v[1].max_ulp && v[0].worst[0] == v[1].worst[0],
              "%s on [%a, %a]: the same verdict with the vector and the scalar reference "
              "(%llu inputs, %llu over %g, max %.9f at %a; %llu and %llu slow; %.2f and %.2f s)",
              c[i].target, (double) c[i].lo, (double) c[i].hi, rc ? 0ull : (unsigned long long) v[1].checked,
              rc ? 0ull : (unsigned long long) v[1].exceeded, c[i].bound, rc ? 0.0 : v[1].max_ulp,
              rc ? 0.0 : (double) eval_f32_from_bits (v[1].worst[0]), rc ? 0ull : (unsigned long long) v[1].slow_path,
              rc ? 0ull : (unsigned long long) v[0].slow_path, rc ? 0.0 : v[1].seconds, rc ? 0.0 : v[0].seconds);
      dsl_prog_free (p);
    }
}

/* The verifier runs big domains as compiled C (the exported text) and
   small ones interpreted: forced both ways, every figure is the same,
   including NaN, infinite and integer-op results.  */
static void
test_native_verify (void)
{
  static const struct {
    const char *what, *prog, *target;
    float lo, hi;
    double bound;
  } c[] = {
    {"Cody-Waite exp", "in x\nt = mul x 0x1.715476p+0\nkf = rint t\nr1 = fma kf -0x1.62e4p-1 x\n"
     "r = fma kf -0x1.7f7d1cp-20 r1\np3 = fma r 0x1.5555p-3 0x1p-1\np2 = fma p3 r 0x1p+0\n"
     "p1 = fma p2 r 0x1p+0\nk = toint kf\ny = ldexp p1 k\nout y\n", "exp", -0x1.9fe368p+6f, -0x1.8p+6f, 1},
    {"exp near 0", "in x\nt = mul x 0x1.715476p+0\nkf = rint t\nr1 = fma kf -0x1.62e4p-1 x\n"
     "p1 = fma r1 0x1p-1 0x1p+0\np0 = fma p1 r1 0x1p+0\nk = toint kf\ny = ldexp p0 k\nout y\n",
     "exp", -0x1p-3f, -0x1.cp-4f, 1},
    {"bits and selects", "in x\nb = asint x\nm = and b 0x7fffff\ne = shr b 23\nf = tofloat e\n"
     "l = lt x 0x1p+0\ny = select l f x\nq = div y x\nout q\n", "log", 0x1p-2f, 0x1.2p+1f, 1},
    {"NaN and infinity", "in x\nv1 = sub x x\nv2 = div v1 v1\nv3 = div x 0x0p+0\nv4 = min v2 v3\nout v4\n",
     "exp", 1, 0x1.1p+0f, 1},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      dsl_prog *p = parse (c[i].prog);
      eval_verify_result v[2];
      int rc = !p;
      for (int nat = 1; nat >= 0 && !rc; nat--)
        {
          eval_verify_native (nat ? 1 : -1);
          rc = run_verify (p, c[i].target, c[i].lo, c[i].hi, c[i].bound, 2, &v[nat]);
        }
      eval_verify_native (0);
      tap_ok (rc == 0 && v[1].native == 1 && v[0].native == 0 && v[0].checked == v[1].checked
              && v[0].exceeded == v[1].exceeded && v[0].slow_path == v[1].slow_path
              && (v[0].max_ulp == v[1].max_ulp || (isinf (v[0].max_ulp) && isinf (v[1].max_ulp)))
              && v[0].worst[0] == v[1].worst[0],
              "%s: compiled and interpreted, the same verification (%llu inputs, %llu over, max %.9f; "
              "%.2f and %.2f s)", c[i].what, rc ? 0ull : (unsigned long long) v[1].checked,
              rc ? 0ull : (unsigned long long) v[1].exceeded, rc ? 0.0 : v[1].max_ulp,
              rc ? 0.0 : v[1].seconds, rc ? 0.0 : v[0].seconds);
      dsl_prog_free (p);
    }
}

static void
test_verify (void)
{
  /* glibc expf on 65537 inputs, some over half an ulp.  */
  compare_with_brute ("expf", expf_prog, "exp", 10, 10.0625f, 0.5, 1);
  compare_with_brute ("expf", expf_prog, "exp", -0x1.9fe368p+6f, -0x1.9fp+6f, 0.5, 1);
  /* Near 0, e^x is within 2^-50 of 1: the binade of the exact value is
     unknown to the double reference.  y = 1 (expf), y = 1 - 2^-24 (error
     near 1 below 1, near 1/2 above it).  */
  compare_with_brute ("expf near 0", expf_prog, "exp", -0x1.0004p-60f, -0x1p-60f, 0.5, 0);
  compare_with_brute ("1 - 2^-24 near 0-", below_one_prog, "exp", -0x1.0004p-60f, -0x1p-60f, 0.75, 0);
  compare_with_brute ("1 - 2^-24 near 0+", below_one_prog, "exp", 0x1p-60f, 0x1.0004p-60f, 0.75, 0);
  compare_with_brute ("1 - 2^-24 near 0+", below_one_prog, "exp", 0x1p-60f, 0x1.0004p-60f, 0.25, 0);
  compare_with_brute ("tanh saturated", tanh_sat_prog, "tanh", 20, 20.0078125f, 0.999, 0);
  compare_with_brute ("tanh saturated", tanh_sat_prog, "tanh", 20, 20.0078125f, 1, 0);

  /* The side hints keep those off the slow path.  */
  dsl_prog *p = parse (below_one_prog);
  eval_verify_result v;
  if (p && run_verify (p, "exp", -0x1p-49, -0x1p-54, 0.75, 2, &v) == 0)
    tap_ok (v.slow_path * 1000 < v.checked && v.exceeded == v.checked,
            "exp near 0 with y = 1 - 2^-24: %llu of %llu inputs on the slow path, all over 0.75",
            (unsigned long long) v.slow_path, (unsigned long long) v.checked);
  dsl_prog_free (p);

  /* Determinism: 1 vs 2 threads; ties resolved to the first input.  */
  p = parse (below_one_prog);
  eval_verify_result v1, v2;
  if (p && run_verify (p, "exp", -0x1.04p-60, -0x1p-60, 0.75, 1, &v1) == 0
      && run_verify (p, "exp", -0x1.04p-60, -0x1p-60, 0.75, 2, &v2) == 0)
    tap_ok (v1.checked == v2.checked && v1.exceeded == v2.exceeded && v1.slow_path == v2.slow_path
            && v1.max_ulp == v2.max_ulp && v1.worst[0] == v2.worst[0]
            && v1.worst[0] == eval_f32_bits (-0x1.04p-60f),
            "tied errors: 1 and 2 threads agree on everything; worst = the first input %a",
            (double) eval_f32_from_bits (v1.worst[0]));
  dsl_prog_free (p);
  p = parse (expf_prog);
  if (p && run_verify (p, "exp", 1, 4, 0.5, 1, &v1) == 0 && run_verify (p, "exp", 1, 4, 0.5, 2, &v2) == 0)
    tap_ok (v1.checked == v2.checked && v1.checked == (1u << 24) + 1 && v1.exceeded == v2.exceeded
            && v1.slow_path == v2.slow_path && v1.max_ulp == v2.max_ulp && v1.worst[0] == v2.worst[0],
            "expf on [1, 4]: 1 and 2 threads agree (%llu inputs, %llu over 0.5, max %.6f, "
            "%.2f s and %.2f s)", (unsigned long long) v1.checked, (unsigned long long) v1.exceeded,
            v1.max_ulp, v1.seconds, v2.seconds);

  /* NaN and infinite results: infinite error, every input over.  */
  static const char *const bad[] = {"in x\nv1 = sub x x\nv2 = div v1 v1\nout v2\n",
                                    "in x\nv1 = div x 0x0p+0\nout v1\n"};
  for (int i = 0; i < 2; i++)
    {
      dsl_prog *q = parse (bad[i]);
      int rc = q ? run_verify (q, "exp", 1, 0x1.01p+0, 1, 2, &v) : -1;
      tap_ok (rc == 0 && isinf (v.max_ulp) && v.exceeded == v.checked && v.slow_path == 0
              && v.worst[0] == eval_f32_bits (1.0f),
              "%s results: max %g ULP, %llu of %llu over, worst the first input", i ? "infinite" : "NaN",
              v.max_ulp, (unsigned long long) v.exceeded, (unsigned long long) v.checked);
      dsl_prog_free (q);
    }

  /* Refusals.  */
  dsl_error e;
  eval_domain d = {{1, 1}, {2, 2}};
  dsl_prog *two = parse ("in x y\nv1 = mul x y\nout v1\n");
  tap_ok (eval_verify (two, eval_target_lookup ("mul"), &d, EVAL_ULP, 1, 1, NULL, NULL, &v, &e) == 0
          && v.method == EVAL_SEARCHED && v.max_ulp <= 0.5 && v.checked > 1000,
          "two float32 arguments: sampled + searched (%llu points, %.3f ULP)", (unsigned long long) v.checked,
          v.max_ulp);
  dsl_prog *f64 = parse ("in x\nv1 = tof32 x\nout v1\n");
  tap_ok (f64 == NULL, "a float32 program cannot narrow its float32 input");
  dsl_prog_free (f64);
  f64 = dsl_prog_new (DSL_FLOAT64, 1);
  tap_ok (eval_verify (f64, eval_target_lookup ("exp"), &d, EVAL_ULP, 1, 1, NULL, NULL, &v, &e) == 0
          && v.method == EVAL_SEARCHED && v.exceeded > 0,
          "float64 identity as exp on [1, 2]: sampled + searched, %.3g ULP", v.max_ulp);
  d.lo[0] = -200;
  tap_ok (eval_verify (p, eval_target_lookup ("exp"), &d, EVAL_ULP, 1, 1, NULL, NULL, &v, &e) == -1
          && strstr (e.msg, "outside"), "verify refuses a domain outside exp's: %s", e.msg);
  dsl_prog_free (two);
  dsl_prog_free (f64);
  dsl_prog_free (p);
}

static void
count_calls (double done, void *arg)
{
  int *n = arg;
  if (done >= 0 && done <= 1)
    (*n)++;
}

static void
test_progress (void)
{
  dsl_prog *p = parse (expf_prog);
  eval_domain d = {{1}, {2}};
  eval_verify_result v;
  dsl_error e;
  int calls = 0;
  int rc = p ? eval_verify (p, eval_target_lookup ("exp"), &d, EVAL_ULP, 1, 2, count_calls, &calls, &v, &e) : -1;
  tap_ok (rc == 0 && calls >= 1 && calls <= 2 + (int) (v.seconds / 0.3) && v.seconds > 0,
          "progress called %d times in %.2f s, fractions in [0, 1]", calls, v.seconds);
  dsl_prog_free (p);
}

/* Early exit: a program that fails is refuted after the first failing pass,
   at the same input for any thread count; one that passes is checked whole.  */
static void
test_refute (void)
{
  /* Degree-3 Taylor exp on [0.5, 2]: thousands of ULPs, everywhere.  */
  dsl_prog *bad = parse ("in x\np = fma x 0x1.555556p-3 0x1p-1\np2 = fma p x 0x1p+0\np3 = fma p2 x 0x1p+0\nout p3\n");
  dsl_prog *good = parse (expf_prog);
  eval_domain d = {{0.5}, {2}};
  const eval_target *t = eval_target_lookup ("exp");
  eval_verify_result a, b, full, g;
  dsl_error e;
  int rc = !bad || !good || eval_verify_until (bad, t, &d, EVAL_ULP, 1, 1, 1, NULL, NULL, &a, &e)
           || eval_verify_until (bad, t, &d, EVAL_ULP, 1, 2, 1, NULL, NULL, &b, &e)
           || eval_verify (bad, t, &d, EVAL_ULP, 1, 2, NULL, NULL, &full, &e)
           || eval_verify_until (good, t, &d, EVAL_ULP, 1, 2, 1, NULL, NULL, &g, &e);
  tap_ok (rc == 0 && !a.complete && a.checked < full.checked / 8 && a.max_ulp > 1 && a.max_ulp <= full.max_ulp
            && full.complete,
          "a failing program is refuted after %llu of %llu inputs (max there %.3g, overall %.3g ULP)",
          (unsigned long long) a.checked, (unsigned long long) full.checked, a.max_ulp, full.max_ulp);
  tap_ok (rc == 0 && a.worst[0] == b.worst[0] && a.max_ulp == b.max_ulp && a.checked == b.checked,
          "at the same input on 1 and 2 threads (0x%08x)", (unsigned) a.worst[0]);
  tap_ok (rc == 0 && g.complete && g.exceeded == 0 && g.checked == full.checked,
          "a passing program is checked on every input (%.6f ULP)", g.max_ulp);
  dsl_prog_free (bad);
  dsl_prog_free (good);
}

/* ---- two arguments of a 16-bit type: every pair ---- */

static dsl_prog *
parse_typed (const char *text, dsl_type y)
{
  dsl_prog *p = NULL;
  dsl_error e;
  if (dsl_parse (text, y, 0, &p, &e))
    tap_diag ("parse error %d:%d: %s", e.line, e.col, e.msg);
  return p;
}

/* Mitchell's product: the float32 patterns of x and y added as integers,
   the bias taken once.  */
static const char mitchell_prog[] = "in x y\na = asint x\nb = asint y\nc = iadd a b\n"
                                    "d = iadd c -1065353216\nr = asfloat d\nout r\n";

/* X (P significant bits) rounded to nearest even, for normal values.  */
static double
round_to_p (double x, int p)
{
  int e;
  frexp (x, &e);
  return ldexp (nearbyint (ldexp (x, p - e)), e - p);
}

/* Mitchell's product of X and Y as a program of the type computes it (in
   float32, rounded once to P bits by out), and its max relative error
   over every pair of the type's values in [LO, HI]^2, with the pairs
   above BOUND: by brute force, independently of the verifier.  */
static double
mitchell_max_rel (dsl_type y, int p, double lo, double hi, double bound, uint64_t *over, uint64_t *npairs)
{
  double max = 0;
  *over = *npairs = 0;
  for (uint64_t i = eval_key_of (y, lo); i <= eval_key_of (y, hi); i++)
    for (uint64_t j = eval_key_of (y, lo); j <= eval_key_of (y, hi); j++)
      {
        float a = (float) eval_value_of_key (y, i), b = (float) eval_value_of_key (y, j);
        uint32_t c = eval_f32_bits (a) + eval_f32_bits (b) - 0x3f800000u;
        double r = round_to_p (eval_f32_from_bits (c), p), f = (double) a * b;
        double rel = fabs (r - f) / f;
        max = rel > max ? rel : max;
        *over += rel > bound;
        ++*npairs;
      }
  return max;
}

static void
test_verify_pairs (void)
{
  const eval_target *mul = eval_target_lookup ("mul");
  dsl_error e;
  tap_ok (eval_verify_method (mul, DSL_BFLOAT16) == EVAL_EXHAUSTIVE && eval_verify_method (mul, DSL_FLOAT16) == EVAL_EXHAUSTIVE
          && eval_verify_method (mul, DSL_FLOAT32) == EVAL_SEARCHED,
          "pairs of 16-bit values are verified, pairs of float32 values searched");
  struct {
    dsl_type y;
    int p;
    double lo, hi, wide;   /* WIDE: [1, WIDE]^2 has 16 chunks or more */
  } cases[] = {{DSL_BFLOAT16, 8, 1, 4, 256}, {DSL_FLOAT16, 11, 1, 2, 4}};
  for (int c = 0; c < 2; c++)
    {
      dsl_type y = cases[c].y;
      const char *name = dsl_type_name (y);
      eval_domain d = {{cases[c].lo, cases[c].lo}, {cases[c].hi, cases[c].hi}};
      uint64_t n = eval_key_of (y, cases[c].hi) - eval_key_of (y, cases[c].lo) + 1;
      /* The exact product, correctly rounded by out: within half an ULP,
         interpreted and compiled alike.  */
      dsl_prog *p = parse_typed ("in x y\nv1 = mul x y\nout v1\n", y);
      eval_verify_result v[2];
      int rc = !p;
      for (int nat = 0; nat < 2 && rc == 0; nat++)
        {
          eval_verify_native (nat ? 1 : -1);
          rc = eval_verify (p, mul, &d, EVAL_ULP, 0.5, 2, NULL, NULL, &v[nat], &e);
        }
      eval_verify_native (0);
      if (rc)
        tap_diag ("%s", e.msg);
      tap_ok (rc == 0 && v[0].method == EVAL_EXHAUSTIVE && v[0].complete && v[0].checked == n * n
                && v[0].max_ulp == 0.5 && v[0].exceeded == 0 && v[0].slow_path == 0 && v[0].err.max[EVAL_REL] > 0
                && v[0].err.max[EVAL_REL] <= ldexp (1, -cases[c].p) && v[0].err.mean[EVAL_ULP] < 0.5,
              "%s mul on [%g, %g]^2: every one of %llu pairs, max %.3f ULP, %.3g rel", name, cases[c].lo,
              cases[c].hi, (unsigned long long) v[0].checked, v[0].max_ulp, v[0].err.max[EVAL_REL]);
      tap_ok (rc == 0 && v[1].native && !v[0].native && v[1].max_ulp == v[0].max_ulp && v[1].worst[0] == v[0].worst[0]
                && v[1].worst[1] == v[0].worst[1] && v[1].err.mean[EVAL_ULP] == v[0].err.mean[EVAL_ULP],
              "%s mul: compiled as interpreted, worst (0x%04llx, 0x%04llx)", name,
              (unsigned long long) v[0].worst[0], (unsigned long long) v[0].worst[1]);
      dsl_prog_free (p);

      /* Mitchell's product on [1, 2]^2 against the brute force above.  */
      p = parse_typed (mitchell_prog, y);
      uint64_t over, npairs;
      double bound = 0.04, want = mitchell_max_rel (y, cases[c].p, 1, 2, bound, &over, &npairs);
      eval_domain d12 = {{1, 1}, {2, 2}};
      eval_verify_result w[2];
      rc = !p;
      for (int th = 0; th < 2 && rc == 0; th++)
        rc = eval_verify (p, mul, &d12, EVAL_REL, bound, th + 1, NULL, NULL, &w[th], &e);
      tap_ok (rc == 0 && w[0].complete && w[0].checked == npairs && w[0].max_err == want && w[0].exceeded == over
                && w[0].err.max[EVAL_REL] == want,
              "%s Mitchell product on [1, 2]^2: max rel %.9g (brute force %.9g), %llu over %g (brute force %llu)",
              name, w[0].max_err, want, (unsigned long long) w[0].exceeded, bound, (unsigned long long) over);
      tap_ok (rc == 0 && w[1].max_err == w[0].max_err && w[1].worst[0] == w[0].worst[0] && w[1].worst[1] == w[0].worst[1]
                && w[1].exceeded == w[0].exceeded && w[1].err.mean[EVAL_ULP] == w[0].err.mean[EVAL_ULP],
              "%s Mitchell product: the same figures on 1 and 2 threads", name);

      /* Refuted after the first of the interleaved passes that finds a pair
         over the bound, at the same pair for any thread count.  */
      eval_domain wide = {{1, 1}, {cases[c].wide, cases[c].wide}};
      eval_verify_result a, b, full;
      rc = !p || eval_verify_until (p, mul, &wide, EVAL_REL, bound, 1, 1, NULL, NULL, &a, &e)
           || eval_verify_until (p, mul, &wide, EVAL_REL, bound, 2, 1, NULL, NULL, &b, &e)
           || eval_verify (p, mul, &wide, EVAL_REL, bound, 2, NULL, NULL, &full, &e);
      tap_ok (rc == 0 && !a.complete && a.checked < full.checked / 8 && full.complete && a.max_err <= full.max_err
                && a.checked == b.checked && a.worst[0] == b.worst[0] && a.worst[1] == b.worst[1]
                && a.max_err == b.max_err && full.max_err == want,
              "%s Mitchell product on [1, %g]^2: refuted after %llu of %llu pairs on 1 and 2 threads", name, cases[c].wide,
              (unsigned long long) a.checked, (unsigned long long) full.checked);
      dsl_prog_free (p);
    }
}

/* ---- softmax ---- */

/* The ULP error of V against the long double X, for float32 (subnormals' ulp 2^-149).  */
static double
ulp_err_ld (double v, long double x)
{
  if (x == 0)
    return v == 0 ? 0 : fabs (v) / 0x1p-149;
  int e;
  frexpl (fabsl (x), &e);
  double ulp = ldexp (1, (e - 1 - 23 < -149 ? -149 : e - 1 - 23));
  return (double) (fabsl ((long double) v - x) / ulp);
}

static void
test_softmax (void)
{
  const eval_target *t = eval_target_lookup ("softmax");
  dsl_error e;
  size_t nv, *end;
  int ok = eval_softmax_lengths (100000, 7, &nv, &end, &e) == 0 && nv > 2 && end[nv - 1] == 100000;
  for (size_t v = 0; ok && v < nv; v++)
    ok = end[v] - (v ? end[v - 1] : 0) >= 2;
  size_t nv2, *end2;
  ok = ok && eval_softmax_lengths (100000, 7, &nv2, &end2, &e) == 0 && nv2 == nv
       && memcmp (end, end2, nv * sizeof *end) == 0;
  tap_ok (ok, "softmax: vector lengths from the size and seed alone (%zu vectors, each of 2 or more)", nv);
  /* The kernel's domain holds every r the reduction gives: |r| <= ln2/2 + 2^-14 (dsl/softmax_form.h).  */
  tap_ok (t->dflt[DSL_FLOAT32].hi[0] >= M_LN2 / 2 + 0x1p-14 && t->dflt[DSL_FLOAT32].lo[0] == -t->dflt[DSL_FLOAT32].hi[0],
          "softmax: the kernel's float32 domain [%a, %a] holds ln2/2 + 2^-14", t->dflt[DSL_FLOAT32].lo[0],
          t->dflt[DSL_FLOAT32].hi[0]);
  free (end);
  free (end2);

  /* The engine's softmax of a Taylor kernel against an independent long double softmax
     (expl of x - max, summed in long double): eval_score_prog's max ULP error is the
     largest of the independently computed errors.  */
  eval_samples *s = NULL;
  dsl_prog *p = parse ("in x\nv1 = fma x 0x1.6c16c2p-10 0x1.111112p-7\nv2 = fma x v1 0x1.555556p-5\n"
                       "v3 = fma x v2 0x1.555556p-3\nv4 = fma x v3 0x1p-1\nv5 = fma x v4 0x1p+0\n"
                       "v6 = fma x v5 0x1p+0\nout v6\n");
  ok = p && eval_samples_build (t, DSL_FLOAT32, &t->dflt[DSL_FLOAT32], 20000, seed, 0, &s, &e) == 0;
  tap_ok (ok, "softmax: a sample set of 20000 elements in %zu vectors", ok ? s->nvec : 0);
  if (!ok)
    return;
  double *y = malloc (s->n * sizeof *y), worst = 0, refdiff = 0;
  eval_score sc;
  ok = y && eval_softmax_score (p, s, EVAL_SOFTMAX_TWO_PASS, y, &e) == 0
       && eval_score_prog (p, s, EVAL_ULP, 1, &sc, &e) == 0;
  size_t from = 0;
  for (size_t v = 0; ok && v < s->nvec; from = s->vend[v++])
    {
      long double max = -INFINITY, sum = 0;
      for (size_t i = from; i < s->vend[v]; i++)
        max = fmaxl (max, (long double) eval_value (s->type, s->logit, i));
      for (size_t i = from; i < s->vend[v]; i++)
        sum += expl ((long double) eval_value (s->type, s->logit, i) - max);
      for (size_t i = from; i < s->vend[v]; i++)
        {
          long double ref = expl ((long double) eval_value (s->type, s->logit, i) - max) / sum;
          double err = ulp_err_ld (y[i], ref);
          worst = err > worst ? err : worst;
          /* MPFR's reference against the long double one (64 bits): within 2^-50 relative
             (where a double-double holds it: above 2^-1000).  */
          if (ref > 0x1p-1000L)
            refdiff = fmax (refdiff, (double) fabsl (((long double) s->ref_hi[i] + s->ref_lo[i]) / ref - 1));
        }
    }
  tap_ok (ok && refdiff < 0x1p-50, "softmax: the MPFR reference agrees with a long double softmax (%.3g)", refdiff);
  tap_ok (ok && fabs (sc.max_ulp - worst) < 1e-3 && sc.max_ulp < 8,
          "softmax: the score's max (%.6f ULP) is the independent one (%.6f)", ok ? sc.max_ulp : NAN, worst);
  /* The proven bound depends on k(r) / e^r's spread, not on the sign of c: a kernel with
     c < 0 (k / e^r = 1 + e in [-1 - 2^-6, -1 - 2^-7]) gets the bound of -k; a sign change, none.  */
  double bpos = eval_softmax_bound (DSL_FLOAT32, 0x1p-7, 0x1p-6, 1 << 20);
  double bneg = eval_softmax_bound (DSL_FLOAT32, -2 - 0x1p-6, -2 - 0x1p-7, 1 << 20);
  tap_ok (isfinite (bpos) && bpos > 0.5 && bpos == bneg && eval_softmax_bound (DSL_FLOAT32, -2.02, 0.01, 1 << 20) == INFINITY,
          "softmax: the proven bound for c > 0 and c < 0 (%.6g, %.6g ULP), none across a sign change", bpos, bneg);
  free (y);
  eval_samples_free (s);
  dsl_prog_free (p);
}

int
main (void)
{
  seed = tap_seed (20240601);
  test_table ();
  test_domain_ends ();
  test_fast_bound ();
  test_side ();
  test_ref_known ();
  test_domains ();
  test_samples ();
  test_score ();
  test_verify ();
  test_vector_reference ();
  test_native_verify ();
  test_progress ();
  test_refute ();
  test_verify_pairs ();
  test_softmax ();
  return tap_done ();
}
