/* targets -- the target table: reference enclosures, fast double references, domains, special points.  */
#define _GNU_SOURCE   /* exp10 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "eval/seeds.inc"

/* Encloses f(x) for an MPFR function, which rounds correctly in every mode:
   rounded down it gives LO <= f(x), and unless the ternary says LO is exact,
   the value rounded up is the next number above LO (half the cost of a
   second evaluation).  */
static int
enclose_from_down (int ternary, mpfr_t lo, mpfr_t hi)
{
  mpfr_set (hi, lo, MPFR_RNDN);   /* same precision: exact */
  if (ternary == 0)
    return 1;
  mpfr_nextabove (hi);
  return 0;
}

static int
enclose_mpfr1 (int (*f) (mpfr_ptr, mpfr_srcptr, mpfr_rnd_t), mpfr_t lo, mpfr_t hi, const mpfr_t *x)
{
  return enclose_from_down (f (lo, x[0], MPFR_RNDD), lo, hi);
}

static int
enclose_mpfr2 (int (*f) (mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t), mpfr_t lo, mpfr_t hi,
               const mpfr_t *x)
{
  return enclose_from_down (f (lo, x[0], x[1], MPFR_RNDD), lo, hi);
}

#define UNARY(NAME)                                                          \
  static int                                                                 \
  enclose_##NAME (const eval_target *t, mpfr_t lo, mpfr_t hi, const mpfr_t *x, \
                  mpfr_prec_t prec)                                          \
  {                                                                          \
    (void) t, (void) prec;                                                   \
    return enclose_mpfr1 (mpfr_##NAME, lo, hi, x);                           \
  }                                                                          \
  static double                                                              \
  fast_##NAME (const eval_target *t, const double *x)                        \
  {                                                                          \
    (void) t;                                                                \
    return NAME (x[0]);                                                      \
  }

UNARY (exp)
UNARY (exp2)
UNARY (exp10)
UNARY (expm1)
UNARY (log)
UNARY (log2)
UNARY (log10)
UNARY (log1p)
UNARY (tanh)
UNARY (erf)

static int
enclose_mul (const eval_target *t, mpfr_t lo, mpfr_t hi, const mpfr_t *x, mpfr_prec_t prec)
{
  (void) t, (void) prec;
  return enclose_mpfr2 (mpfr_mul, lo, hi, x);
}

/* Exact: a product of two float32 values has at most 48 significant bits.  */
static double
fast_mul (const eval_target *t, const double *x)
{
  (void) t;
  return x[0] * x[1];
}

static int
enclose_hypot (const eval_target *t, mpfr_t lo, mpfr_t hi, const mpfr_t *x, mpfr_prec_t prec)
{
  (void) t, (void) prec;
  return enclose_mpfr2 (mpfr_hypot, lo, hi, x);
}

static double
fast_hypot (const eval_target *t, const double *x)
{
  (void) t;
  return hypot (x[0], x[1]);
}

/* Signs of f(x) - c for a float32 value c next to f(x), from the functions'
   shapes, where glibc's double value cannot tell (see eval.h); 2 means unknown.  */
static int
sign_of (double v)
{
  return (v > 0) - (v < 0);
}

/* e^x and 10^x meet a power of two closely only at x = 0 (value 1).  */
static int
side_exp (const double *x, double c)
{
  return c == 1 ? sign_of (x[0]) : 2;
}

/* 2^x - 2^k has the sign of x - k (exact: |x| < 2^8, k an integer).  */
static int
side_exp2 (const double *x, double c)
{
  int k;
  return c > 0 && frexp (c, &k) == 0.5 ? sign_of (x[0] - (k - 1)) : 2;
}

/* e^x - 1 > -1, and e^x - 1 > x for x != 0.  */
static int
side_expm1 (const double *x, double c)
{
  return c == -1 || (c == x[0] && x[0] != 0) ? 1 : 2;
}

/* ln(1 + x) < x for x != 0.  */
static int
side_log1p (const double *x, double c)
{
  return c == x[0] && x[0] != 0 ? -1 : 2;
}

/* -1 < tanh x < 1, and |tanh x| < |x| for x != 0.  */
static int
side_tanh (const double *x, double c)
{
  if (c == 1 || c == -1)
    return c > 0 ? -1 : 1;
  return c == x[0] && x[0] != 0 ? -sign_of (x[0]) : 2;
}

/* -1 < erf x < 1.  */
static int
side_erf (const double *x, double c)
{
  (void) x;
  return c == 1 || c == -1 ? -sign_of (c) : 2;
}

/* Relative error bound of glibc's double functions, used by the exhaustive
   verifier to decide most points without MPFR.  glibc documents its double
   functions within a few ulps: sysdeps/x86_64/fpu/libm-test-ulps lists at
   most 2 ulps for exp10, log2, log10 and tanh and 1 for the others here
   (round to nearest), i.e. a relative error of at most 2 * 2^-52.  2^-50
   leaves a factor 2.  tests/test_eval.c checks the bound against MPFR on
   10^5 random points per target (the largest seen is about a third of it,
   for exp10), and the verifier relies on it only to decide a point: where
   the bound cannot decide, MPFR does.  */
#define GLIBC_RELERR 0x1p-50

/* Domains for float32 (where the correctly rounded float32 result is finite
   and not flushed to zero; domains hold finite inputs only).  Each endpoint
   was found by bisection over float32 values with MPFR (eval_ref_f32), and
   tests/test_eval.c re-derives it: the endpoint rounds to a finite nonzero
   value, the next float outward rounds to 0 or infinity, or lies outside the
   function's domain, or is infinite.  */
#define F32_MAX 0x1.fffffep+127
#define F32_TINY 0x1p-149         /* smallest subnormal */

#define F32_DOMAIN(LO, HI)                                      \
  .has_domain = {[DSL_FLOAT32] = 1},                            \
  .domain = {[DSL_FLOAT32] = {{LO, LO, LO}, {HI, HI, HI}}}

#define SPECIALS(A) .nspecial = sizeof A / sizeof A[0], .special = A

static const double exp_special[] = {0.0, -0.0, 1.0, -1.0, 0x1p-25, -0x1p-25, 0x1.62e43p-1, -0x1.62e43p-1};
static const double exp2_special[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0x1p-24, -0x1p-24};
static const double exp10_special[] = {0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 0x1p-25, -0x1p-25};
static const double expm1_special[] = {0.0, -0.0, 0x1p-149, -0x1p-149, 0x1p-24, -0x1p-24, 1.0, -1.0};
static const double log_special[] = {1.0, 0x1.fffffep-1, 0x1.000002p+0, 2.0, 0.5, 0x1.5bf0a8p+1,
                                     0x1p-126, F32_TINY, F32_MAX};
static const double log2_special[] = {1.0, 0x1.fffffep-1, 0x1.000002p+0, 2.0, 0.5, 0x1p-126,
                                      F32_TINY, F32_MAX};
static const double log10_special[] = {1.0, 0x1.fffffep-1, 0x1.000002p+0, 10.0, 0.1f, 0x1p-126,
                                       F32_TINY, F32_MAX};
static const double log1p_special[] = {0.0, -0.0, 0x1p-149, -0x1p-149, 1.0, -0.5, 0x1p-24,
                                       -0x1p-24};
static const double tanh_special[] = {0.0, -0.0, 0x1p-149, -0x1p-149, 0x1p-12, 1.0, -1.0, 9.0, -9.0};
static const double erf_special[] = {0.0, -0.0, 0x1p-149, -0x1p-149, 0x1p-12, 1.0, -1.0, 4.0, -4.0};

/* The log-Bessel targets cross zero (I_v(x) = 1, K_v(x) = 1): the metric there.  */
#define LOGBESSEL_NOTE                                                                            \
  "error metric: ULPs of the correctly rounded value (floor 2^-149) everywhere, also where the "   \
  "value crosses 0 (log I_v(x) = 0 where I_v(x) = 1): relative accuracy of a small value; "       \
  "--abs E bounds the absolute error instead"

/* Arity-2 targets: the box [-A, A]^2 with the largest A whose corner
   result (A, A) is finite; results inside may underflow (the ULP error's
   subnormal floor scores them like any other).  The other types' domains
   are derived from the same rules (derive_domains).  */
static eval_target targets[] = {
  {.name = "exp", .formula = "e^x", .arity = 1, .enclose = enclose_exp, .fast = fast_exp, .vector = "exp",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-0x1.9fe368p+6, 0x1.62e42ep+6), SPECIALS (exp_special),
   .side = side_exp},
  {.name = "exp2", .formula = "2^x", .arity = 1, .enclose = enclose_exp2, .fast = fast_exp2, .vector = "exp2",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-0x1.2bfffep+7, 0x1.fffffep+6), SPECIALS (exp2_special),
   .side = side_exp2},
  {.name = "exp10", .formula = "10^x", .arity = 1, .enclose = enclose_exp10, .fast = fast_exp10, .vector = "exp10",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-0x1.693c6ap+5, 0x1.344134p+5), SPECIALS (exp10_special),
   .side = side_exp},
  {.name = "expm1", .formula = "e^x - 1", .arity = 1, .enclose = enclose_expm1, .fast = fast_expm1, .vector = "expm1",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-F32_MAX, 0x1.62e42ep+6), SPECIALS (expm1_special),
   .side = side_expm1},
  {.name = "log", .formula = "ln x", .arity = 1, .enclose = enclose_log, .fast = fast_log, .vector = "log",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (F32_TINY, F32_MAX), SPECIALS (log_special)},
  {.name = "log2", .formula = "log2 x", .arity = 1, .enclose = enclose_log2, .fast = fast_log2, .vector = "log2",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (F32_TINY, F32_MAX), SPECIALS (log2_special)},
  {.name = "log10", .formula = "log10 x", .arity = 1, .enclose = enclose_log10, .fast = fast_log10, .vector = "log10",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (F32_TINY, F32_MAX), SPECIALS (log10_special)},
  {.name = "log1p", .formula = "ln(1 + x)", .arity = 1, .enclose = enclose_log1p, .fast = fast_log1p, .vector = "log1p",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-0x1.fffffep-1, F32_MAX), SPECIALS (log1p_special),
   .side = side_log1p},
  {.name = "tanh", .formula = "tanh x", .arity = 1, .enclose = enclose_tanh, .fast = fast_tanh, .vector = "tanh",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-F32_MAX, F32_MAX), SPECIALS (tanh_special),
   .side = side_tanh},
  {.name = "erf", .formula = "erf x", .arity = 1, .enclose = enclose_erf, .fast = fast_erf, .vector = "erf",
   .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-F32_MAX, F32_MAX), SPECIALS (erf_special),
   .side = side_erf},
  {.name = "mul", .formula = "x * y", .arity = 2, .enclose = enclose_mul, .fast = fast_mul,
   .fast_relerr = 0, F32_DOMAIN (-0x1.fffffep+63, 0x1.fffffep+63), .positive_normal = 1},
  /* The softmax target: its program is the kernel of the softmax forms, scored as the
     softmax of whole vectors (eval/softmax.c); domains set by softmax_domains.  */
  {.name = "softmax", .formula = "e^x_i / sum_j e^x_j, with the program k(r) = c e^r for |r| <= ln2/2",
   .arity = 1, .enclose = enclose_exp, .fast = fast_exp, .vector = "exp", .fast_relerr = GLIBC_RELERR,
   .vectors = 1},
  {.name = "hypot", .formula = "sqrt(x^2 + y^2)", .arity = 2, .enclose = enclose_hypot,
   .fast = fast_hypot, .fast_relerr = GLIBC_RELERR, F32_DOMAIN (-0x1.6a09e4p+127, 0x1.6a09e4p+127)},
  /* Built-in FPCore targets: the common ML activations.  GELU is x Phi(x)
     in the erfc form (1 + erf(x/sqrt 2) cancels below about -3);
     gelu_tanh is the tanh approximation many models were trained with.  */
  {.name = "gelu", .fpcore = "(FPCore (x) :name \"gelu\" (* (* 1/2 x) (erfc (/ (- x) (sqrt 2)))))"},
  {.name = "gelu_tanh",
   .fpcore = "(FPCore (x) :name \"gelu_tanh\" (* (* 1/2 x) (+ 1 (tanh (* (sqrt (/ 2 PI)) "
             "(+ x (* 0.044715 (* x (* x x)))))))))"},
  {.name = "sigmoid", .fpcore = "(FPCore (x) :name \"sigmoid\" (/ 1 (+ 1 (exp (- x)))))"},
  {.name = "silu", .fpcore = "(FPCore (x) :name \"silu\" (/ x (+ 1 (exp (- x)))))"},
  {.name = "mish", .fpcore = "(FPCore (x) :name \"mish\" (* x (tanh (log1p (exp x)))))"},
  /* log I_v(x) and log K_v(x), the modified Bessel functions of order v, on Arb's balls
     (FPCore extensions besseli, besselk): finite where I_v and K_v overflow or underflow
     every type (v = 1000, x = 0.001: log I = -13513).  The box of von Mises-Fisher and
     scientific use; an FPCore with a wider :pre gives more.  */
  {.name = "logbesseli",
   .fpcore = "(FPCore (v x) :name \"logbesseli\" :pre (and (<= 0 v 1000) (<= 1/1000 x 1000)) (log (besseli v x)))",
   .seed = seed_logbesseli, .seed_type = DSL_FLOAT32, .note = LOGBESSEL_NOTE},
  {.name = "logbesselk",
   .fpcore = "(FPCore (v x) :name \"logbesselk\" :pre (and (<= 0 v 1000) (<= 1/1000 x 1000)) (log (besselk v x)))",
   .seed = seed_logbesselk, .seed_type = DSL_FLOAT32, .note = LOGBESSEL_NOTE},
};

/* ---- the domains of the other types ----

   The same rules as float32's, applied by bisection over the values of each
   type with the correctly rounded reference in that type (eval_ref_bits):
   an arity-1 domain is the largest interval around a valid point whose
   every bound is valid, a valid input being finite with a finite exact
   value whose rounding is finite and nonzero (a saturating type's +-max
   is finite); an arity-2 one is
   [-A, A]^2 with the largest A whose corner result is finite.  For float32
   the rules give back the table above (tests/test_eval.c checks it), for
   the other types the points are only derived, never typed in.  */

/* f(X) is a real number (MPFR's exponent range holds 10^448 and the like):
   a saturating type rounds -inf to -max, which must not count as valid.  */
static int
exact_finite (const eval_target *t, const double *x)
{
  mpfr_t xm[EVAL_MAXARITY], lo, hi;
  for (int j = 0; j < t->arity; j++)
    mpfr_init2 (xm[j], 53), mpfr_set_d (xm[j], x[j], MPFR_RNDN);
  mpfr_inits2 (64, lo, hi, (mpfr_ptr) 0);
  int ok = 0;
  /* An expression's enclosure may need more than 64 bits to be finite.  */
  for (mpfr_prec_t prec = 64; !ok; prec *= 2)
    {
      mpfr_set_prec (lo, prec);
      mpfr_set_prec (hi, prec);
      if (t->enclose (t, lo, hi, (const mpfr_t *) xm, prec) < 0)
        break;
      ok = mpfr_number_p (lo) && mpfr_number_p (hi);
      if (!t->expr)
        break;
    }
  mpfr_clears (lo, hi, (mpfr_ptr) 0);
  for (int j = 0; j < t->arity; j++)
    mpfr_clear (xm[j]);
  return ok;
}

static int
valid1 (const eval_target *t, dsl_type y, double x)
{
  if (!isfinite (x) || !exact_finite (t, &x))
    return 0;
  double r = dsl_value_of_bits (y, eval_ref_bits (t, y, &x));
  return isfinite (r) && (r != 0 || t->expr);
}

static int
valid2 (const eval_target *t, dsl_type y, double a)
{
  double x[2] = {a, a};
  return isfinite (a) && exact_finite (t, x) && isfinite (dsl_value_of_bits (y, eval_ref_bits (t, y, x)));
}

/* The key furthest from GOOD (a valid key) towards END with every key between
   valid, assuming validity changes once on the way (bisection).  */
static uint64_t
furthest (const eval_target *t, dsl_type y, int (*valid) (const eval_target *, dsl_type, double), uint64_t good,
          uint64_t end)
{
  if (valid (t, y, eval_value_of_key (y, end)))
    return end;
  uint64_t bad = end;
  while (good + 1 != bad && bad + 1 != good)
    {
      uint64_t mid = good < bad ? good + (bad - good) / 2 : bad + (good - bad) / 2;
      if (valid (t, y, eval_value_of_key (y, mid)))
        good = mid;
      else
        bad = mid;
    }
  return good;
}

/* f(A, A) is exact and a normal number of Y, not past its largest value (where a saturating
   type's result stops following f).  */
static int
normal2 (const eval_target *t, dsl_type y, double a)
{
  double x[2] = {a, a}, hi, lo;
  return a > 0 && exact_finite (t, x) && eval_ref_dd (t, x, &hi, &lo) == 0
         && fabs (hi) >= ldexp (1, dsl_type_info (y)->emin) && fabs (hi) <= dsl_type_info (y)->max;
}

/* The default domain of T for Y (the natural one D unless T declares POSITIVE_NORMAL).  */
static void
default_domain (const eval_target *t, dsl_type y, const eval_domain *d, eval_domain *dflt)
{
  *dflt = *d;
  if (!t->positive_normal || t->arity != 2 || !normal2 (t, y, 1) || !(d->hi[0] >= 1))
    return;
  double a = eval_value_of_key (y, furthest (t, y, normal2, eval_key_of (y, 1), eval_key_of (y, 0)));
  double b = eval_value_of_key (y, furthest (t, y, normal2, eval_key_of (y, 1), eval_key_of (y, d->hi[0])));
  for (int j = 0; j < 2; j++)
    dflt->lo[j] = a, dflt->hi[j] = fmin (b, d->hi[1]);
}

int
eval_derive_domain (const eval_target *t, dsl_type y, eval_domain *d)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  uint64_t kmin = eval_key_of (y, -ti->max), kmax = eval_key_of (y, ti->max);
  if (t->arity == 2)
    {
      if (!valid2 (t, y, 1))
        return 0;
      double a = eval_value_of_key (y, furthest (t, y, valid2, eval_key_of (y, 1), kmax));
      for (int j = 0; j < 2; j++)
        d->lo[j] = -a, d->hi[j] = a;
      return 1;
    }
  /* A valid point to start from: a special point, else one of a few.  */
  static const double starts[] = {1.0, 0.5, 0.0, -1.0, 2.0, 10.0, 100.0, -10.0};
  int nstart = (int) (sizeof starts / sizeof starts[0]);
  double start = NAN;
  for (int i = 0; i < t->nspecial + nstart && isnan (start); i++)
    {
      double c = i < t->nspecial ? t->special[i] : starts[i - t->nspecial];
      if (eval_round_to (y, c) == c && valid1 (t, y, c))
        start = c;
    }
  if (isnan (start))
    return 0;
  uint64_t k = eval_key_of (y, start);
  double lo = eval_value_of_key (y, furthest (t, y, valid1, k, kmin));
  double hi = eval_value_of_key (y, furthest (t, y, valid1, k, kmax));
  for (int j = 0; j < EVAL_MAXARITY; j++)
    d->lo[j] = lo, d->hi[j] = hi;
  return 1;
}

/* ---- targets given as FPCore expressions ---- */

static int
enclose_expr (const eval_target *t, mpfr_t lo, mpfr_t hi, const mpfr_t *x, mpfr_prec_t prec)
{
  return eval_expr_enclose (t->expr, lo, hi, x, prec);
}

static double
fast_expr (const eval_target *t, const double *x)
{
  return eval_expr_fast (t->expr, x);
}

double
eval_round_inward (dsl_type y, double v, int up)
{
  double max = dsl_type_info (y)->max;
  if (v > max)
    return up ? INFINITY : max;
  if (v < -max)
    return up ? -max : -INFINITY;
  double r = eval_round_to (y, v);
  if (up && r < v)
    r = eval_value_of_key (y, eval_key_of (y, r) + 1);
  if (!up && r > v)
    r = eval_value_of_key (y, eval_key_of (y, r) - 1);
  return r;
}

/* The :pre box rounded inward to values of Y: 1, or 0 when it holds none.  */
static int
pre_domain (const eval_target *t, dsl_type y, eval_domain *d)
{
  for (int j = 0; j < t->arity; j++)
    {
      double l, h;
      int strict;
      if (!eval_expr_bound (t->expr, j, 0, &l, &h, &strict))
        return 0;
      double lo = eval_round_inward (y, h, 1);
      if (strict && l == h && lo == h)
        lo = eval_value_of_key (y, eval_key_of (y, lo) + 1);
      if (!eval_expr_bound (t->expr, j, 1, &l, &h, &strict))
        return 0;
      double hi = eval_round_inward (y, l, 0);
      if (strict && l == h && hi == l)
        hi = eval_value_of_key (y, eval_key_of (y, hi) - 1);
      if (!(lo <= hi) || !isfinite (lo) || !isfinite (hi))
        return 0;
      d->lo[j] = lo, d->hi[j] = hi;
    }
  for (int j = t->arity; j < EVAL_MAXARITY; j++)
    d->lo[j] = d->lo[0], d->hi[j] = d->hi[0];
  return 1;
}

/* Makes T (its name set) the target of expression X, domains included.  */
static void
expr_target (eval_target *t, eval_expr *x)
{
  t->expr = x;
  t->arity = eval_expr_arity (x);
  t->formula = eval_expr_body (x);
  t->label = eval_expr_name (x)[0] ? eval_expr_name (x) : "expression";
  t->enclose = enclose_expr;
  t->fast = fast_expr;
  t->fast_relerr = EVAL_EXPR_RELERR;
  int pre = eval_expr_bound (x, 0, 0, &(double) {0}, &(double) {0}, &(int) {0});
  for (int y = 0; y < DSL_NTYPES; y++)
    {
      t->has_domain[y] = pre ? pre_domain (t, (dsl_type) y, &t->domain[y])
                             : eval_derive_domain (t, (dsl_type) y, &t->domain[y]);
      t->dflt[y] = t->domain[y];
    }
}

/* The softmax kernel's domain in each type it has: the r of x = n ln 2 + r the forms
   give (dsl/softmax_form.h: |r| <= ln2/2 plus 2^-14 at most, rounded to the type), up
   to ln2/2 + 2^-13.  */
static void
softmax_domains (eval_target *t)
{
  static const dsl_type types[] = {DSL_FLOAT32, DSL_BFLOAT16, DSL_FLOAT16};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    {
      dsl_type y = types[i];
      double r = eval_round_to (y, (float) (0x1.62e42fefa39efp-2 + 0x1p-13));
      t->has_domain[y] = 1;
      for (int j = 0; j < EVAL_MAXARITY; j++)
        t->domain[y].lo[j] = -r, t->domain[y].hi[j] = r;
      t->dflt[y] = t->domain[y];
    }
}

static pthread_once_t derived = PTHREAD_ONCE_INIT;

static void
derive_domains (void)
{
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
    {
      eval_target *t = &targets[i];
      if (!t->label)
        t->label = t->name;
      if (t->fpcore)
        {
          eval_expr *x;
          int rc = eval_expr_parse (t->fpcore, NULL, &x, NULL);
          assert (rc == 0 && "a built-in FPCore does not parse");
          (void) rc;
          expr_target (t, x);
          continue;
        }
      if (t->vectors)
        {
          softmax_domains (t);
          continue;
        }
      for (int y = 0; y < DSL_NTYPES; y++)
        {
          if (!t->has_domain[y])
            t->has_domain[y] = eval_derive_domain (t, (dsl_type) y, &t->domain[y]);
          if (t->has_domain[y])
            default_domain (t, (dsl_type) y, &t->domain[y], &t->dflt[y]);
        }
    }
}

const char *
eval_target_var (const eval_target *t, int j)
{
  static const char *const xyz[EVAL_MAXARITY] = {"x", "y", "z"};
  return t->expr ? eval_expr_var (t->expr, j) : xyz[j];
}

int
eval_target_count (void)
{
  return (int) (sizeof targets / sizeof targets[0]);
}

const eval_target *
eval_target_at (int i)
{
  pthread_once (&derived, derive_domains);
  return i >= 0 && i < eval_target_count () ? &targets[i] : NULL;
}

const eval_target *
eval_target_lookup (const char *name)
{
  for (int i = 0; i < eval_target_count (); i++)
    if (strcmp (targets[i].name, name) == 0)
      return eval_target_at (i);
  return NULL;
}

/* Targets parsed from FPCore texts, kept for the life of the process.  */
typedef struct interned {
  eval_target t;
  struct interned *next;
} interned;

static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;
static interned *interned_list;

static char *
read_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  if (!f)
    return NULL;
  size_t n = 0, cap = 4096;
  char *buf = malloc (cap);
  for (size_t got; buf && (got = fread (buf + n, 1, cap - 1 - n, f)) > 0;)
    {
      n += got;
      if (n + 1 == cap)
        {
          char *b = realloc (buf, cap *= 2);
          if (!b)
            free (buf);
          buf = b;
        }
    }
  fclose (f);
  if (buf)
    buf[n] = '\0';
  return buf;
}

const eval_target *
eval_target_resolve (const char *spec, dsl_error *err)
{
  const eval_target *t = eval_target_lookup (spec);
  if (t)
    return t;
  const char *p = spec + strspn (spec, " \t\r\n");
  char *text = NULL, *file = NULL;
  const char *name = NULL;
  eval_expr *x = NULL;
  int rc;
  if (*p == '(')
    rc = eval_expr_parse (spec, NULL, &x, err);
  else
    {
      /* FILE, else FILE:NAME.  */
      text = read_file (spec);
      const char *colon = strrchr (spec, ':');
      if (!text && colon && colon > spec && colon[1])
        {
          file = strndup (spec, (size_t) (colon - spec));
          name = colon + 1;
          text = file ? read_file (file) : NULL;
        }
      if (!text)
        {
          dsl_error_set (err, "unknown target '%s' (not a built-in, an FPCore text or a readable file; see 'autonum targets')",
                         spec);
          free (file);
          return NULL;
        }
      rc = eval_expr_parse (text, name, &x, err);
      if (rc < 0 && err)
        {
          char msg[sizeof err->msg];
          snprintf (msg, sizeof msg, "%s", err->msg);
          dsl_error_set (err, "%s: %s", file ? file : spec, msg);
        }
    }
  free (text);
  free (file);
  if (rc < 0)
    return NULL;
  if (strlen (eval_expr_text (x)) >= DSL_MAXTARGET)
    {
      eval_expr_free (x);
      dsl_error_set (err, "FPCore text longer than %d characters", DSL_MAXTARGET - 1);
      return NULL;
    }
  pthread_once (&derived, derive_domains);
  pthread_mutex_lock (&interned_lock);
  interned *found = interned_list;
  while (found && strcmp (found->t.name, eval_expr_text (x)) != 0)
    found = found->next;
  if (!found && (found = calloc (1, sizeof *found)))
    {
      found->t.name = eval_expr_text (x);
      expr_target (&found->t, x);
      found->next = interned_list;
      interned_list = found;
      x = NULL;
    }
  pthread_mutex_unlock (&interned_lock);
  eval_expr_free (x);
  if (!found)
    dsl_error_set (err, "out of memory");
  return found ? &found->t : NULL;
}

const eval_target *
eval_target_fix (const eval_target *t, const char *value, dsl_error *err)
{
  if (!t->expr || t->vectors)
    return dsl_error_set (err, "--order: target %s is not an expression of several arguments", t->label), NULL;
  char *text;
  double v;
  if (eval_expr_fix (t->expr, 0, value, &text, &v, err) < 0)
    return NULL;
  const eval_target *f = eval_target_resolve (text, err);
  free (text);
  if (f && f->expr && !f->seed && (t->seed || t->note))
    {
      /* An interned target (ours to annotate): the parent's seed, its input 0 bound.  */
      eval_target *g = (eval_target *) f;
      pthread_mutex_lock (&interned_lock);
      g->note = t->note;
      if (t->seed && !t->seed_bind)
        {
          g->seed_value = v;
          g->seed_type = t->seed_type;
          g->seed_bind = 1;
          g->seed = t->seed;
        }
      pthread_mutex_unlock (&interned_lock);
    }
  return f;
}
