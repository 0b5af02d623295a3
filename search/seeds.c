/* seeds -- the scaffolds a search starts from, built from what probing the reference found
   (search/probe.c), never from a target's name.

   The population must reach the whole domain from the first generation, so a target gets
   the reduction its structure allows:
   - exponential (f(x) = off + scale b^x): Cody-Waite reduction k = rint(x log2 b),
     r = x - k log_b 2 in one or two fma steps, a Horner polynomial for b^r with Taylor
     coefficients (constant fitting turns them into minimax ones), reconstruction by ldexp
     or by adding k to the exponent bits, and off + scale y; with an offset (e^x - 1 cancels
     near 0) also a polynomial regime for small |x|;
   - logarithmic (f(x) = off + c log2 (x + s)): u = x + s split into its exponent e and
     significand m, m folded into [sqrt(1/2), sqrt(2)), c e + P(m - 1), subnormal u scaled
     first; with a shift, the rounding error of x + s corrected to first order;
   - table-driven exponentials (2^(j/N) from the program's table) where the bound asks for
     less than 3/4 ULP;
   - piecewise cores on a bounded interval: equal pieces whose coefficients an index reads
     from the program's table, each fitted on its own nodes;
   - otherwise polynomials and rational functions P/Q with one division;
   and around any of these: symmetry (the core on |x|, the sign restored for an odd f),
   saturation (the limit where the rounded result stops changing), and the slope at 0 where
   |x| is tiny.  Each comes in the type's compute width and, where that is float32, with a
   float64 body (kept when the search allows the conversions).  Evolution may change every
   instruction.  With kernels evolved for other targets (search_kernel_seeds, at the end),
   also their compositions x^j R(g(a x + b)) where probing both references finds one.  */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "eval/ulp.h"
#include "search/internal.h"

/* ---- program text ---- */

typedef struct {
  char *buf;
  size_t size, n;
  int rc;
  int w;          /* the width the body computes in (1: float64) */
  int k;          /* values named so far */
  char name[96][16];
  int mixed;      /* a float64 body in a float32 program: a literal where an op takes the
                     default width is float32 */
} text;

static void
put (text *t, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
put (text *t, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int k = t->n < t->size ? vsnprintf (t->buf + t->n, t->size - t->n, fmt, ap) : -1;
  va_end (ap);
  if (k < 0 || (size_t) k >= t->size - t->n)
    t->rc = -1;
  else
    t->n += (size_t) k;
}

/* A new value: "vN = " is written, its name returned.  */
static const char *
def (text *t)
{
  if (t->k == (int) (sizeof t->name / sizeof t->name[0]))
    {
      t->rc = -1;
      t->k = 0;
    }
  char *s = t->name[t->k++];
  snprintf (s, sizeof t->name[0], "s%d", t->k);
  put (t, "%s = ", s);
  return s;
}

/* V rounded to the body's width, as a literal.  */
static void
lit (text *t, double v)
{
  put (t, "%a", eval_width_value (eval_width_bits (v, t->w), t->w));
}

/* "op a b" lines with one float literal at the end: OP A LIT.  */
static const char *
op_lit (text *t, const char *op, const char *a, double c)
{
  const char *r = def (t);
  put (t, "%s %s ", op, a);
  lit (t, c);
  put (t, "\n");
  return r;
}

static const char *
op2 (text *t, const char *op, const char *a, const char *b)
{
  const char *r = def (t);
  put (t, "%s %s %s\n", op, a, b);
  return r;
}

static const char *
op1 (text *t, const char *op, const char *a)
{
  const char *r = def (t);
  put (t, "%s %s\n", op, a);
  return r;
}

/* Horner: C[DEG] A^DEG + ... + C[0], with fmas.  */
static const char *
horner (text *t, const char *a, const double *c, int deg)
{
  const char *p = def (t);
  put (t, "fma ");
  lit (t, c[deg]);
  put (t, " %s ", a);
  lit (t, c[deg - 1]);
  put (t, "\n");
  for (int i = deg - 2; i >= 0; i--)
    {
      const char *q = def (t);
      put (t, "fma %s %s ", p, a);
      lit (t, c[i]);
      put (t, "\n");
      p = q;
    }
  return p;
}

/* ---- cores: each computes f from A (the input, or |x| for a symmetric f) ---- */

/* The constants of an exponential scaffold in width W, each rounded to it:
   log2(b), log_b(2) and log_b(2) as hi + lo (hi with 8 trailing zero bits,
   so that k hi is exact for every k the domain reaches), ln b.  Computed
   with MPFR from b: an integer or e, recognised from the probed value, is
   taken exactly (the lo part needs more than double precision).  */
typedef struct {
  double log2b, ln2, ln2hi, ln2lo, lnb;
} exp_consts;

static exp_consts
exp_constants (double log2b, int w)
{
  int p = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32)->p;
  mpfr_t lnb, ln2, c, hi, tt;
  mpfr_inits2 (256, lnb, ln2, c, hi, tt, (mpfr_ptr) 0);
  mpfr_const_log2 (ln2, MPFR_RNDN);
  double b = exp2 (log2b);
  if (fabs (b - nearbyint (b)) < 1e-9 * b)
    mpfr_set_d (tt, nearbyint (b), MPFR_RNDN), mpfr_log (lnb, tt, MPFR_RNDN);
  else if (fabs (b - M_E) < 1e-12)
    mpfr_set_ui (lnb, 1, MPFR_RNDN);
  else
    mpfr_set_d (lnb, log2b, MPFR_RNDN), mpfr_mul (lnb, lnb, ln2, MPFR_RNDN);
  exp_consts k;
  mpfr_div (c, lnb, ln2, MPFR_RNDN);
  mpfr_set (tt, c, MPFR_RNDN), mpfr_prec_round (tt, p, MPFR_RNDN), k.log2b = mpfr_get_d (tt, MPFR_RNDN);
  mpfr_div (c, ln2, lnb, MPFR_RNDN);
  mpfr_set (tt, c, MPFR_RNDN), mpfr_prec_round (tt, p, MPFR_RNDN), k.ln2 = mpfr_get_d (tt, MPFR_RNDN);
  mpfr_set (hi, c, MPFR_RNDN), mpfr_prec_round (hi, p - 8, MPFR_RNDN), k.ln2hi = mpfr_get_d (hi, MPFR_RNDN);
  mpfr_sub (tt, c, hi, MPFR_RNDN), mpfr_prec_round (tt, p, MPFR_RNDN), k.ln2lo = mpfr_get_d (tt, MPFR_RNDN);
  k.lnb = mpfr_get_d (lnb, MPFR_RNDN);
  mpfr_clears (lnb, ln2, c, hi, tt, (mpfr_ptr) 0);
  return k;
}

/* off + scale b^A: TWO_STEP reduction, polynomial degree DEG, BITS reconstruction (1: on the
   exponent bits, 2: with the offset absorbed).  A (LO, HI: its range, NAN where unknown)
   is clamped where b^A underflows in the body's width: beyond it f is OFF to the last bit,
   and the reduction's integer stays small (no total rint and toint on huge values).  */
static const char *
core_exp (text *t, const char *a, const search_props *pr, int deg, int two_step, int bits, int tbits, double lo,
          double hi)
{
  exp_consts c = exp_constants (pr->exp_log2b, t->w);
  if (tbits)
    {
      /* With a table of N = 2^TBITS entries 2^(j/N): k = rint (A log2 b N), r = A - k log_b 2 / N,
         b^A = 2^(k >> TBITS) T[k mod N] b^r, and |r| is N times smaller.  */
      double n = ldexp (1, tbits);
      c.log2b *= n, c.ln2 /= n, c.ln2hi /= n, c.ln2lo /= n;
    }
  const dsl_typeinfo *wi = dsl_type_info (t->w ? DSL_FLOAT64 : DSL_FLOAT32);
  int m = wi->p - 1;
  double under = (wi->submin - 3) / pr->exp_log2b;   /* b^under < 2^(submin - 2) */
  if (bits == 2)   /* with the offset absorbed: where scale b^A is 2^-60 of it (and k small) */
    under = (ilogb (pr->exp_off) - 60 - log2 (fabs (pr->exp_scale))) / pr->exp_log2b;
  if (pr->exp_log2b > 0 && lo < under)
    a = op_lit (t, "max", a, under);
  else if (pr->exp_log2b < 0 && hi > under)
    a = op_lit (t, "min", a, under);
  const char *kf, *r;
  if (c.log2b != 1)
    {
      kf = op1 (t, "rint", op_lit (t, "mul", a, c.log2b));
      if (two_step)
        {
          const char *r1 = def (t);
          put (t, "fma %s ", kf), lit (t, -c.ln2hi), put (t, " %s\n", a);
          r = def (t);
          put (t, "fma %s ", kf), lit (t, -c.ln2lo), put (t, " %s\n", r1);
        }
      else
        {
          r = def (t);
          put (t, "fma %s ", kf), lit (t, -c.ln2), put (t, " %s\n", a);
        }
    }
  else
    {
      kf = op1 (t, "rint", a);
      r = op2 (t, "sub", a, kf);
    }
  /* b^r: Taylor coefficients (ln b)^i / i!.  */
  double co[32];
  co[0] = 1;
  for (int i = 1; i <= deg; i++)
    co[i] = co[i - 1] * c.lnb / i;
  if (bits == 2)
    {
      /* off + scale 2^k (1 + q) = s q + (s + off), s = scale 2^k, q = b^r - 1 with no constant
         term: one rounding where f is small (e^x - 1 near 0: k = 0, s + off = 0) and no
         cancellation anywhere.  In float32 s is computed as s / 2 (2^128 overflows) and
         the sum doubled.  */
      co[0] = 0;
      const char *q = horner (t, r, co, deg);
      const char *k = op1 (t, "toint", kf);
      double h = t->w ? 1 : 0.5;
      const char *one = "";
      if (t->mixed)
        {
          one = def (t);
          put (t, "tof64 "), lit (t, pr->exp_scale * h), put (t, "\n");
        }
      const char *sh = def (t);
      put (t, "ldexp ");
      if (t->mixed)
        put (t, "%s", one);
      else
        lit (t, pr->exp_scale * h);
      put (t, " %s\n", k);
      const char *so = op_lit (t, "add", sh, pr->exp_off * h);
      const char *y = def (t);
      put (t, "fma %s %s %s\n", sh, q, so);
      return h == 1 ? y : op2 (t, "add", y, y);
    }
  const char *p, *k, *y;
  if (tbits)
    {
      co[0] = 0;
      const char *q = horner (t, r, co, deg);
      k = op1 (t, "toint", kf);
      const char *tv = def (t);
      put (t, "lut %s 0\n", k);
      p = def (t);
      put (t, "fma %s %s %s\n", q, tv, tv);   /* T (1 + q), q = b^r - 1 */
      const char *e = def (t);
      put (t, "shr %s %d\n", k, tbits);
      k = e;
    }
  else
    {
      p = horner (t, r, co, deg);
      k = op1 (t, "toint", kf);
    }
  if (bits)
    {
      const char *e = def (t);
      put (t, "shl %s %d\n", k, m);
      y = op1 (t, "asfloat", op2 (t, "iadd", op1 (t, "asint", p), e));
    }
  else
    y = op2 (t, "ldexp", p, k);
  if (pr->exp_scale == 1 && pr->exp_off == 0)
    return y;
  const char *z = def (t);
  put (t, "fma %s ", y), lit (t, pr->exp_scale), put (t, " "), lit (t, pr->exp_off), put (t, "\n");
  return z;
}

/* off + c log2 (A + s), polynomial degree DEG in m - 1; SUBNORMAL: A may be subnormal.  */
static const char *
core_log (text *t, const char *a, const search_props *pr, int deg, int subnormal, int ln_form)
{
  const dsl_typeinfo *ti = dsl_type_info (t->w ? DSL_FLOAT64 : DSL_FLOAT32);
  int m = ti->p - 1;
  const char *u = pr->log_shift != 0 ? op_lit (t, "add", a, pr->log_shift) : a;
  const char *us = u, *sub = NULL;
  if (subnormal)
    {
      /* A subnormal u scaled into the normal range first (its exponent corrected below).  */
      sub = def (t);
      put (t, "lt %s ", u), lit (t, ldexp (1, ti->emin)), put (t, "\n");
      const char *scaled = op_lit (t, "mul", u, ldexp (1, m));
      us = def (t);
      put (t, "select %s %s %s\n", sub, scaled, u);
    }
  const char *ui = op1 (t, "asint", us);
  const char *e = def (t);
  put (t, "shr %s %d\n", ui, m);
  const char *mi = def (t);
  put (t, "and %s %llu\n", ui, (unsigned long long) ((UINT64_C (1) << m) - 1));
  const char *mo = def (t);
  put (t, "or %s %llu\n", mi, (unsigned long long) ((uint64_t) ti->emax << m));
  const char *mf = op1 (t, "asfloat", mo);
  const char *big = def (t);
  put (t, "lt "), lit (t, M_SQRT2), put (t, " %s\n", mf);
  const char *half = op_lit (t, "mul", mf, 0.5);
  const char *m2 = def (t);
  put (t, "select %s %s %s\n", big, half, mf);
  const char *e1 = op2 (t, "isub", e, big);
  const char *e2 = def (t);
  put (t, "isub %s %d\n", e1, ti->emax);
  const char *ef = op1 (t, "tofloat", e2);
  if (subnormal)
    {
      const char *efm = op_lit (t, "sub", ef, m);
      const char *ef2 = def (t);
      put (t, "select %s %s %s\n", sub, efm, ef);
      ef = ef2;
    }
  const char *tt = op_lit (t, "sub", m2, 1);
  /* c log2 (1 + t) = K ln (1 + t), K = c / ln 2 = 1 / ln b for b = 2^(1/c).  */
  exp_consts ec = exp_constants (1 / pr->log_c, t->w);
  double K = 1 / ec.lnb, co[32];
  const char *r;
  if (!ln_form)
    {
      /* K t + t^2 Q(t), Q from Taylor's K (-1/2 + t/3 - ...): the leading term K t
         rounded once, in an fma with the rest; then c e added in two parts (the fma
         multiplies exactly, the second part carries c's bits past the width).  */
      for (int i = 0; i + 2 <= deg; i++)
        co[i] = K * ((i & 1) ? 1.0 : -1.0) / (i + 2);
      const char *q = horner (t, tt, co, deg - 2);   /* deg >= 3 */
      const char *p = op2 (t, "mul", op2 (t, "mul", tt, tt), q);
      /* K in two parts where it is not a value of the width (log2, log10): K's
         rounding alone would be worth half an ULP of K t.  */
      double khi = eval_width_value (eval_width_bits (K, t->w), t->w), klo = K - khi;
      if (eval_width_value (eval_width_bits (klo, t->w), t->w) != 0)
        {
          const char *p2 = def (t);
          put (t, "fma %s ", tt), lit (t, klo), put (t, " %s\n", p);
          p = p2;
        }
      const char *lt1 = def (t);
      put (t, "fma %s ", tt), lit (t, khi), put (t, " %s\n", p);
      double chi = ec.ln2, clo = (ec.ln2hi - ec.ln2) + ec.ln2lo;
      r = lt1;
      if (eval_width_value (eval_width_bits (clo, t->w), t->w) != 0)
        {
          r = def (t);
          put (t, "fma %s ", ef), lit (t, clo), put (t, " %s\n", lt1);
        }
      const char *r1 = def (t);
      put (t, "fma %s ", ef), lit (t, chi), put (t, " %s\n", r);
      r = r1;
    }
  else
    {
      /* ln u = A + B: A = e ln2_hi + t, exact where the two cancel (|e| = 1: ln2_hi
         has 8 bits fewer than the width), B = e ln2_lo + t^2 Q(t) small; then
         K (A + B) as K_hi A + (K_lo A + K B), rounded once at the end.  */
      exp_consts l2 = exp_constants (M_LOG2E, t->w);
      for (int i = 0; i + 2 <= deg; i++)
        co[i] = ((i & 1) ? 1.0 : -1.0) / (i + 2);
      const char *A = def (t);
      put (t, "fma %s ", ef), lit (t, l2.ln2hi), put (t, " %s\n", tt);
      const char *q = horner (t, tt, co, deg - 2);
      const char *tq = op2 (t, "mul", op2 (t, "mul", tt, tt), q);
      const char *B = def (t);
      put (t, "fma %s ", ef), lit (t, l2.ln2lo), put (t, " %s\n", tq);
      double khi = eval_width_value (eval_width_bits (K, t->w), t->w), klo = K - khi;
      if (khi == 1 && eval_width_value (eval_width_bits (klo, t->w), t->w) == 0)
        r = op2 (t, "add", A, B);
      else
        {
          const char *KB = op_lit (t, "mul", B, K);
          const char *C = def (t);
          put (t, "fma %s ", A), lit (t, klo), put (t, " %s\n", KB);
          r = def (t);
          put (t, "fma %s ", A), lit (t, khi), put (t, " %s\n", C);
        }
    }
  if (pr->log_shift != 0 && !t->mixed)
    {
      /* x + s rounded: add K ((x - (u - s)) / u), its first-order effect (in a float64
         body x + s of a float32 x is within 2^-53 of itself: nothing to correct).  */
      const char *um = op_lit (t, "sub", u, pr->log_shift);
      const char *dx = op2 (t, "sub", a, um);
      const char *rel = op2 (t, "div", dx, u);
      const char *r2 = def (t);
      put (t, "fma %s ", rel), lit (t, K), put (t, " %s\n", r);
      r = r2;
    }
  if (pr->log_off != 0)
    r = op_lit (t, "add", r, pr->log_off);
  return r;
}

/* A polynomial of degree DEG in A, starting from the slope at 0 (or the identity).  */
static const char *
core_poly (text *t, const char *a, const search_props *pr, int deg)
{
  double co[32] = { 0 };
  co[0] = pr->has0 && isfinite (pr->f0) ? pr->f0 : 0;
  co[1] = pr->has0 && isfinite (pr->slope0) ? pr->slope0 : 1;
  return horner (t, a, co, deg);
}

/* P (A) / Q (A), degrees NP and NQ, Q's constant term 1.  */
static const char *
core_rational (text *t, const char *a, const search_props *pr, int np, int nq)
{
  double qc[32] = { 1 };
  const char *p = core_poly (t, a, pr, np);
  const char *q = horner (t, a, qc, nq);
  return op2 (t, "div", p, q);
}

/* ---- rational functions of x^2 for symmetric targets ----

   An odd f is x R(x^2), an even one R(x^2), and one whose odd part is c x
   (GELU, SiLU) x (c + x R(x^2)), with R = P/Q.  Beyond a point T where the
   clamped input changes f by less than the bound allows (f saturates, or
   follows its asymptote; within a 16th of the bound), x is clamped to [-T, T] first, so that R only has
   to hold on [0, T^2].  R's constants are fitted here, before evolution, by
   linearised least squares (P - h Q = 0, weighted by the previous Q:
   Sanathanan-Koerner), then reweighted towards minimax (Lawson), in the
   error of the bound's metric: a rational function started from Q = 1 is
   too far from the answer for the search's Gauss-Newton.  */

typedef enum { SYM_ODD, SYM_EVEN, SYM_LIN } sym_kind;

/* f at X from the double-double reference, rounded to double.  */
static double
ref_at (const eval_target *t, double x)
{
  double hi, lo;
  return eval_ref_dd (t, &x, &hi, &lo) < 0 ? NAN : hi + lo;
}

/* What the program computes at x when its R is exact, with x clamped to [-T, T].  */
static double
clamped_model (const eval_target *t, sym_kind k, double x, double T)
{
  double xc = fmax (-T, fmin (T, x));
  if (xc == x)
    return ref_at (t, x);
  double fc = ref_at (t, xc);
  return k == SYM_LIN ? x * (fc / xc) : fc;   /* x (c + xc R) with R exact at xc */
}

/* Whether clamping at T keeps f within BOUND / 16 (in METRIC) at every probed |x| >= T of D: the
   rest of the bound is left to R and to the program's roundings.  */
static int
clamp_ok (const eval_target *t, sym_kind k, dsl_type y, const eval_domain *d,
          eval_metric metric, double bound, double T)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  for (int side = -1; side <= 1; side += 2)
    {
      double end = side > 0 ? d->hi[0] : -d->lo[0];
      for (double a = T; a <= end; a = a * 1.25 + 0x1p-20)
        {
          double x = eval_round_to (y, side * fmin (a, end)), hi, lo;
          if (x < d->lo[0] || x > d->hi[0] || eval_ref_dd (t, &x, &hi, &lo) < 0)
            continue;
          double v = eval_round_to (y, clamped_model (t, k, x, T));
          if (!(eval_error (metric, ti, v, hi, lo) <= bound / 16))
            return 0;
          if (a >= end)
            break;
        }
    }
  return 1;
}

/* The smallest T (a value of Y) that clamp_ok accepts, by bisection; the domain's
   largest magnitude where none is smaller.  */
static double
clamp_point (const eval_target *t, sym_kind k, dsl_type y, const eval_domain *d,
             eval_metric metric, double bound)
{
  double m = fmax (-d->lo[0], d->hi[0]);
  uint64_t lo = eval_key_of (y, eval_round_to (y, fmin (1, m) * 0x1p-4)), hi = eval_key_of (y, m);
  while (lo + 1 < hi)
    {
      uint64_t mid = lo + (hi - lo) / 2;
      if (clamp_ok (t, k, y, d, metric, bound, eval_value_of_key (y, mid)))
        hi = mid;
      else
        lo = mid;
    }
  return eval_value_of_key (y, hi);
}

#define RAT_NODES 400

/* Lawson's step towards minimax: each of the M weights (square roots of Lawson's) times the
   square root of its point's error E, normalised; 0 when no error is left.  */
static int
lawson (double *lw, const double *e, int m)
{
  double sum = 0;
  for (int i = 0; i < m; i++)
    sum += lw[i] = lw[i] * lw[i] * (isfinite (e[i]) ? e[i] : 0);
  if (!(sum > 0))
    return 0;
  for (int i = 0; i < m; i++)
    lw[i] = sqrt (lw[i] / sum * m);
  return 1;
}

/* P (degree NP) and Q (degree NQ, Q(0) = 1) in u = x^2 with P/Q ~ h on [0, T^2],
   minimising the largest weighted error.  Returns that error (relative to the
   weights), INFINITY when the fit fails.  */
static double
fit_rational_u (const eval_target *t, const search_props *pr, sym_kind k, double T, int np, int nq,
                eval_metric metric, double *p, double *q)
{
  int n = np + 1 + nq;
  if (n > SEARCH_LSQ_MAXN)
    return INFINITY;
  double v[RAT_NODES], h[RAT_NODES], w[RAT_NODES], qprev[RAT_NODES], lw[RAT_NODES];
  int m = 0;
  for (int i = 0; i < RAT_NODES; i++)
    {
      /* Chebyshev nodes of [0, T]: dense at both ends.  */
      double x = T / 2 * (1 - cos (M_PI * (i + 0.5) / RAT_NODES)), f = ref_at (t, x);
      if (!(x > 0) || !isfinite (f))
        continue;
      double g = k == SYM_EVEN ? f : f / x;
      double hv = k == SYM_LIN ? (g - pr->lin_c) / x : g;
      /* The program's error is |x|^j |R - h| (j = 2, 1, 0); in ULPs or relative, over |f|.  */
      double wv = k == SYM_LIN ? x * x : k == SYM_ODD ? x : 1;
      if (metric != EVAL_ABS)
        wv /= fmax (fabs (f), 0x1p-1000);
      if (!isfinite (hv) || !isfinite (wv))
        continue;
      v[m] = (x / T) * (x / T);
      h[m] = hv;
      w[m] = wv;
      qprev[m] = 1;
      lw[m] = 1;
      m++;
    }
  if (m < 2 * n)
    return INFINITY;
  double *a = malloc ((size_t) m * n * sizeof *a), b[RAT_NODES], c[SEARCH_LSQ_MAXN], best[SEARCH_LSQ_MAXN];
  double besterr = INFINITY;
  if (!a)
    return INFINITY;
  for (int it = 0; it < 24; it++)
    {
      /* Rows: (P(v) - h (Q(v) - 1)) s = h s, s = w lw / Qprev.  */
      for (int i = 0; i < m; i++)
        {
          double sc = w[i] * lw[i] / qprev[i], pw = 1;
          for (int j = 0; j <= np; j++, pw *= v[i])
            a[(size_t) j * m + i] = pw * sc;
          pw = v[i];
          for (int j = 0; j < nq; j++, pw *= v[i])
            a[(size_t) (np + 1 + j) * m + i] = -h[i] * pw * sc;
          b[i] = h[i] * sc;
        }
      if (search_lsq_solve (a, b, m, n, c) < 0)
        break;
      /* The weighted errors of this R; Lawson's weights after the first 8 (SK) steps.  */
      double err = 0, e[RAT_NODES];
      for (int i = 0; i < m; i++)
        {
          double pv = 0, qv = 0;
          for (int j = np; j >= 0; j--)
            pv = pv * v[i] + c[j];
          for (int j = nq - 1; j >= 0; j--)
            qv = qv * v[i] + c[np + 1 + j];
          qv = qv * v[i] + 1;
          e[i] = fabs (pv / qv - h[i]) * w[i];
          err = fmax (err, isfinite (e[i]) ? e[i] : INFINITY);
          qprev[i] = fabs (qv) > 1e-3 ? qv : 1e-3;
        }
      if (err < besterr)
        {
          besterr = err;
          memcpy (best, c, n * sizeof *c);
        }
      if (it >= 8 && !lawson (lw, e, m))
        break;
    }
  free (a);
  if (!isfinite (besterr))
    return INFINITY;
  /* Back from v = u / T^2 to u.  */
  double s = 1, t2 = T * T;
  for (int j = 0; j <= np; j++, s /= t2)
    p[j] = best[j] * s;
  s = 1 / t2;
  for (int j = 0; j < nq; j++, s /= t2)
    q[j] = best[np + 1 + j] * s;
  return besterr;
}

/* The program for kind K: x clamped to [-T, T] (no clamp where T is the domain's
   edge), then R (x^2) and the symmetry's wrapper.  */
static int
seed_rational_u (const search_props *pr, sym_kind k, const eval_domain *d, double T, const double *p, int np,
                 const double *q, int nq, int w, int mixed, char *buf, size_t size)
{
  text t = { buf, size, 0, 0, w || mixed, 0, { { 0 } }, mixed };
  put (&t, "in x\n");
  const char *x = mixed ? op1 (&t, "tof64", "x") : "x", *xc = x;
  if (T < fmax (-d->lo[0], d->hi[0]))
    {
      xc = op_lit (&t, "max", op_lit (&t, "min", x, T), -T);
    }
  const char *u = op2 (&t, "mul", xc, xc);
  const char *r = np ? horner (&t, u, p, np) : NULL;
  if (!r)
    return -1;
  if (nq)
    {
      double qc[SEARCH_LSQ_MAXN + 1] = { 1 };
      memcpy (qc + 1, q, nq * sizeof *q);
      r = op2 (&t, "div", r, horner (&t, u, qc, nq));
    }
  const char *y;
  if (k == SYM_EVEN)
    y = r;
  else if (k == SYM_ODD)
    y = op2 (&t, "mul", xc, r);
  else
    {
      const char *g = def (&t);
      put (&t, "fma %s %s ", xc, r), lit (&t, pr->lin_c), put (&t, "\n");
      y = op2 (&t, "mul", x, g);
    }
  put (&t, "out %s\n", mixed ? op1 (&t, "tof32", y) : y);
  return t.rc;
}

/* Adds the rational seeds of a symmetric target to OUT (up to MAX): a few degree
   pairs, each fitted; returns how many.  */
static int
rational_u_seeds (const eval_target *tg, const search_props *pr, dsl_type y, const eval_domain *d,
                  eval_metric metric, double bound, dsl_prog **out, int max)
{
  sym_kind k = pr->lin_odd ? SYM_LIN : pr->odd ? SYM_ODD : SYM_EVEN;
  if (!(pr->lin_odd || pr->odd || pr->even) || !(d->lo[0] < 0 && d->hi[0] > 0))
    return 0;
  double T = clamp_point (tg, k, y, d, metric, bound);
  static const int degs[][2] = { { 4, 0 }, { 6, 0 }, { 3, 2 }, { 4, 3 }, { 5, 4 }, { 6, 5 }, { 7, 6 } };
  int w = dsl_compute_wide (y), count = 0;
  char buf[8192];
  for (size_t i = 0; i < sizeof degs / sizeof degs[0] && count < max; i++)
    {
      double p[SEARCH_LSQ_MAXN], q[SEARCH_LSQ_MAXN];
      int np = degs[i][0], nq = degs[i][1];
      if (!isfinite (fit_rational_u (tg, pr, k, T, np, nq, metric, p, q)))
        continue;
      /* In the type's compute width, and where that is float32, in a float64 body: the
         approximation error is then nearly all, and one rounding at the end.  */
      for (int mixed = 0; mixed <= !w && count < max; mixed++)
        {
          dsl_error err;
          if (seed_rational_u (pr, k, d, T, p, np, q, nq, w, mixed, buf, sizeof buf) == 0
              && dsl_parse (buf, y, 0, &out[count], &err) == 0)
            count++;
        }
    }
  return count;
}

/* ---- the log domain: f = p(x) e^H(x) ----

   A target of one sign (p = 1) or of the sign of x (p = x, f(0) = 0) whose size spans many
   binades (a Gaussian tail: GELU's negative side, erfc, a sigmoid's) is e^H with H = ln (f /
   p) smooth and of modest size: a polynomial fits H to an absolute error that is f's relative
   one.  x is clamped on each side where the clamped program stays within a 16th of the
   bound, modelling float32's underflow of e^H (past GELU's underflow e^H flushes to 0); H is
   a polynomial of t = (x - m) / s on the clamped interval, fitted in double (least squares,
   then Lawson towards minimax), and e^H is the exponential scaffold of core_exp (Cody-Waite,
   ldexp, no libm).  */

/* f(x) / p(x), with P_X: p = x.  */
static double
over_p (const eval_target *t, double x, int p_x)
{
  double f = ref_at (t, x);
  return p_x ? f / x : f;
}

/* Whether f / p spans more than 2^20 on [LO, HI] (65 points): a log domain is worth it only
   across many binades.  */
static int
spans_binades (const eval_target *t, int p_x, double lo, double hi)
{
  double gmin = INFINITY, gmax = 0;
  for (int i = 0; i <= 64; i++)
    {
      double g = over_p (t, lo + (hi - lo) * i / 64, p_x);
      if (g > 0 && isfinite (g))
        gmin = fmin (gmin, g), gmax = fmax (gmax, g);
    }
  return gmax > 0x1p20 * gmin;
}

/* Whether clamping x to [LO, HI] keeps p(x) fl32(f(xc) / p(xc)) within BOUND / 16 of f at the
   probed x beyond the clamp on SIDE (-1: below LO, 1: above HI).  */
static int
log_clamp_ok (const eval_target *t, int p_x, dsl_type y, const eval_domain *d, eval_metric metric, double bound,
              int side, double at)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  double end = side > 0 ? d->hi[0] : d->lo[0];
  float g = (float) over_p (t, at, p_x);   /* what e^H gives in float32 at the clamp, underflow included */
  for (double a = fabs (at); a <= fabs (end); a = a * 1.25 + 0x1p-20)
    {
      double x = eval_round_to (y, side * fmin (a, fabs (end))), hi, lo;
      if ((side > 0 && x < at) || (side < 0 && x > at) || eval_ref_dd (t, &x, &hi, &lo) < 0)
        continue;
      double v = eval_round_to (y, (p_x ? x : 1) * (double) g);
      if (!(eval_error (metric, ti, v, hi, lo) <= bound / 16))
        return 0;
      if (a >= fabs (end))
        break;
    }
  return 1;
}

/* The clamp on SIDE: the value of Y nearest 0 that log_clamp_ok accepts (bisection from the
   domain's end).  */
static double
log_clamp (const eval_target *t, int p_x, dsl_type y, const eval_domain *d, eval_metric metric, double bound,
           int side)
{
  double end = side > 0 ? d->hi[0] : d->lo[0];
  uint64_t kin = eval_key_of (y, 0.0), kout = eval_key_of (y, end);
  while (kin + 1 != kout && kout + 1 != kin)
    {
      uint64_t mid = kin < kout ? kin + (kout - kin) / 2 : kout + (kin - kout) / 2;
      if (log_clamp_ok (t, p_x, y, d, metric, bound, side, eval_value_of_key (y, mid)))
        kout = mid;
      else
        kin = mid;
    }
  return eval_value_of_key (y, kout);
}

/* The polynomial C (degree DEG) in T closest to H at the K nodes T, in the error weighted by
   WT (NULL: 1): least squares, then up to STEPS - 1 of Lawson's reweightings towards minimax.
   Returns the smallest weighted max error met (C: its coefficients), INFINITY if none.  */
static double
minimax_poly (const double *tt, const double *h, const double *wt, int k, int deg, int steps, double *c)
{
  int n = deg + 1;
  double *a = malloc ((size_t) k * n * sizeof *a), *b = malloc ((size_t) k * sizeof *b);
  double *lw = malloc ((size_t) k * sizeof *lw), *e = malloc ((size_t) k * sizeof *e), x[SEARCH_LSQ_MAXN];
  double best = INFINITY;
  for (int i = 0; lw && i < k; i++)
    lw[i] = 1;
  for (int it = 0; a && b && lw && e && n <= SEARCH_LSQ_MAXN && it < steps; it++)
    {
      for (int i = 0; i < k; i++)
        {
          double pw = 1, w = wt ? wt[i] : 1;
          for (int j = 0; j < n; j++, pw *= tt[i])
            a[(size_t) j * k + i] = pw * w * lw[i];
          b[i] = h[i] * w * lw[i];
        }
      if (search_lsq_solve (a, b, k, n, x) < 0)
        break;
      double err = 0;
      for (int i = 0; i < k; i++)
        {
          double pv = 0;
          for (int j = deg; j >= 0; j--)
            pv = pv * tt[i] + x[j];
          e[i] = fabs (pv - h[i]) * (wt ? wt[i] : 1);
          err = fmax (err, e[i]);
        }
      if (err < best)
        best = err, memcpy (c, x, n * sizeof *x);
      if (!lawson (lw, e, k))
        break;
    }
  free (a);
  free (b);
  free (lw);
  free (e);
  return best;
}

/* H's coefficients in t = (x - M) / S on [LO, HI], degree DEG: returns the largest error
   in H (absolute: f's relative error), INFINITY when the fit fails.  */
static double
fit_log_poly (const eval_target *t, int p_x, double lo, double hi, int deg, double *c)
{
  int n = deg + 1;
  if (n > SEARCH_LSQ_MAXN)
    return INFINITY;
  double m = (lo + hi) / 2, sc = (hi - lo) / 2, tt[RAT_NODES], h[RAT_NODES];
  int k = 0;
  for (int i = 0; i < RAT_NODES; i++)
    {
      double u = -cos (M_PI * (i + 0.5) / RAT_NODES), x = m + sc * u, g = over_p (t, x, p_x);
      if (!(g > 0) || !isfinite (g) || !isfinite (log (g)))
        continue;
      tt[k] = u, h[k] = log (g), k++;
    }
  if (k < 2 * n)
    return INFINITY;
  return minimax_poly (tt, h, NULL, k, deg, 16, c);
}

/* e^H(XC) with H the polynomial C (degree DEG) of t = (XC - M) / S mapping [LO, HI] to
   [-1, 1], e^ by the exponential scaffold in the text's width.  */
static const char *
exp_of_poly (text *t, const search_props *pr, const char *xc, double lo, double hi, const double *c, int deg)
{
  search_props ep = *pr;
  ep.exp_like = 1, ep.exp_log2b = M_LOG2E, ep.exp_off = 0, ep.exp_scale = 1;
  int p = dsl_type_info (t->w ? DSL_FLOAT64 : DSL_FLOAT32)->p;
  const char *u = def (t);
  put (t, "fma %s ", xc), lit (t, 2 / (hi - lo)), put (t, " "), lit (t, -(hi + lo) / (hi - lo)), put (t, "\n");
  return core_exp (t, horner (t, u, c, deg), &ep, (p + 3) / 4, 1, 0, 0, NAN, NAN);
}

/* The half-domain form: with f's odd part c x, f(x) = 2 c max (x, 0) + f(-|x|); with its even
   part a constant K, f(x) = (x > 0 ? 2K - f(-|x|) : f(-|x|)).  Only f's negative half is
   approximated, where activations decay (GELU, SiLU, softplus, a sigmoid): no large value
   is computed to cancel against another, and the core is the log domain's.  Returns how
   many seeds were written.  */
static int
half_domain_seeds (const eval_target *tg, const search_props *pr, dsl_type y, const eval_domain *d,
                   eval_metric metric, double bound, dsl_prog **out, int max)
{
  if (!(pr->lin_odd || pr->even_const) || !(d->lo[0] < 0 && d->hi[0] > 0))
    return 0;
  /* f's sign on the negative half: one sign (p = 1) or x's (p = x).  */
  int neg = 0, pos = 0;
  for (int k = -40; k <= 14; k++)
    {
      double x = -exp2 (k / 2.0), f = x >= d->lo[0] ? ref_at (tg, x) : NAN;
      neg += f < 0, pos += f > 0;
    }
  if (neg && pos)
    return 0;
  int p_x = neg > 0;
  double lo = log_clamp (tg, p_x, y, d, metric, bound, -1);
  if (!(lo < 0) || !spans_binades (tg, p_x, lo, 0))
    return 0;
  int w = dsl_compute_wide (y), count = 0;
  char buf[8192];
  for (int deg = 6; deg <= 14 && count < max; deg += 2)
    {
      double c[SEARCH_LSQ_MAXN];
      if (!isfinite (fit_log_poly (tg, p_x, lo, 0, deg, c)))
        continue;
      text t = { buf, sizeof buf, 0, 0, w, 0, { { 0 } }, 0 };
      put (&t, "in x\n");
      const char *xn = op1 (&t, "neg", op1 (&t, "abs", "x"));
      const char *e = exp_of_poly (&t, pr, op_lit (&t, "max", xn, lo), lo, 0, c, deg);
      const char *v = p_x ? op2 (&t, "mul", xn, e) : e;
      const char *r;
      if (pr->lin_odd)
        {
          const char *xp = op_lit (&t, "max", "x", 0);
          r = def (&t);
          put (&t, "fma %s ", xp), lit (&t, 2 * pr->lin_c), put (&t, " %s\n", v);
        }
      else
        {
          const char *flip = def (&t);
          put (&t, "lt "), lit (&t, 0), put (&t, " x\n");
          const char *w2 = def (&t);
          put (&t, "sub "), lit (&t, 2 * pr->even_k), put (&t, " %s\n", v);
          r = def (&t);
          put (&t, "select %s %s %s\n", flip, w2, v);
        }
      put (&t, "out %s\n", r);
      dsl_error err;
      if (t.rc == 0 && dsl_parse (buf, y, 0, &out[count], &err) == 0)
        dsl_prog_strip_dead (out[count]), count++;
    }
  return count;
}

/* Log-domain seeds for T on D (one argument), a few degrees of H; returns how many were written.  */
static int
log_domain_seeds (const eval_target *tg, const search_props *pr, dsl_type y, const eval_domain *d,
                  eval_metric metric, double bound, dsl_prog **out, int max)
{
  /* f of one sign (p = 1), or of the sign of x (p = x): on probe points across the domain.  */
  int one_sign = 1, x_sign = d->lo[0] < 0 && d->hi[0] > 0;
  for (int i = 0; i <= 82; i++)
    {
      /* +-2^(k/2), k = -20 .. 20, where in the domain.  */
      double x = (i & 1 ? -1 : 1) * exp2 ((i / 2 - 20) / 2.0), f = ref_at (tg, x);
      if (x < d->lo[0] || x > d->hi[0] || f == 0 || !isfinite (f))
        continue;   /* a value that underflows has no sign to give */
      one_sign &= f > 0;
      x_sign &= f / x > 0;
    }
  if (!one_sign && !x_sign)
    return 0;
  int p_x = !one_sign;
  double lo = log_clamp (tg, p_x, y, d, metric, bound, -1), hi = log_clamp (tg, p_x, y, d, metric, bound, 1);
  if (!(lo < hi) || !spans_binades (tg, p_x, lo, hi))
    return 0;
  int w = dsl_compute_wide (y), count = 0;
  char buf[8192];
  for (int deg = 6; deg <= 14 && count < max; deg += 2)
    {
      double c[SEARCH_LSQ_MAXN];
      if (!isfinite (fit_log_poly (tg, p_x, lo, hi, deg, c)))
        continue;
      text t = { buf, sizeof buf, 0, 0, w, 0, { { 0 } }, 0 };
      put (&t, "in x\n");
      const char *xc = op_lit (&t, "max", op_lit (&t, "min", "x", hi), lo);
      const char *e = exp_of_poly (&t, pr, xc, lo, hi, c, deg);
      const char *r = p_x ? op2 (&t, "mul", "x", e) : e;
      put (&t, "out %s\n", r);
      dsl_error err;
      if (t.rc == 0 && dsl_parse (buf, y, 0, &out[count], &err) == 0)
        dsl_prog_strip_dead (out[count]), count++;
    }
  return count;
}

/* ---- piecewise cores ----

   A on [LO, HI] cut into N = 2^NBITS equal pieces, each a polynomial of degree DEG in its
   centred offset t (|t| <= 1/2 inside), whose coefficients the index of the piece reads from
   the program's table: entry j N + i is the t^j coefficient of piece i.  The index is proven
   within [0, N) (A is clamped first), so the reads lower to plain loads.  Each piece is fitted
   here on its own Chebyshev nodes, in double, in the relative error (the absolute one for
   --abs); the search's fit then moves every entry jointly.  Beyond [LO, HI] the end pieces
   extrapolate (a saturation or a regime takes over there).  */

static const char *
core_pieces (text *t, const char *a, int deg, int nbits, double lo, double hi)
{
  int n = 1 << nbits;
  double sc = n / (hi - lo);
  const char *v = def (t);
  put (t, "fma %s ", a), lit (t, sc), put (t, " "), lit (t, -lo * sc - 0.5), put (t, "\n");
  const char *vc = op_lit (t, "max", op_lit (t, "min", v, n - 1), 0);
  const char *kf = op1 (t, "rint", vc);
  const char *u = op2 (t, "sub", v, kf);
  const char *i = op1 (t, "toint", kf);
  const char *y = def (t);
  put (t, "lut %s %d\n", i, deg * n);
  for (int j = deg - 1; j >= 0; j--)
    {
      const char *c = def (t);
      put (t, "lut %s %d\n", i, j * n);
      const char *z = def (t);
      put (t, "fma %s %s %s\n", y, u, c);
      y = z;
    }
  return y;
}

/* The coefficients of the pieces (TAB: (DEG + 1) 2^NBITS entries) of f on [LO, HI], each piece
   by least squares on 4 DEG + 12 Chebyshev nodes of its own, then 8 steps of Lawson towards
   minimax.  Returns the largest relative (ABS: absolute) error on the nodes, or INFINITY. */
static double
fit_pieces (const eval_target *tg, int abs_err, double lo, double hi, int deg, int nbits, double *tab)
{
  int n = 1 << nbits, m = 4 * deg + 12, cols = deg + 1;
  double h = (hi - lo) / n, worst = 0, tt[64], fx[64], wt[64], c[SEARCH_LSQ_MAXN];
  if (m > 64)
    return INFINITY;
  for (int i = 0; i < n && isfinite (worst); i++)
    {
      double big = 0;
      for (int k = 0; k < m; k++)
        {
          tt[k] = 0.5 * cos (M_PI * (k + 0.5) / m);
          fx[k] = ref_at (tg, lo + (i + 0.5 + tt[k]) * h);
          big = fmax (big, fabs (fx[k]));
        }
      for (int k = 0; k < m; k++)   /* relative, but not where f crosses 0 inside the piece */
        wt[k] = abs_err ? 1 : 1 / fmax (fabs (fx[k]), 0x1p-30 * big);
      double best = isfinite (big) ? minimax_poly (tt, fx, wt, m, deg, 8, c) : INFINITY;
      worst = fmax (worst, best);
      for (int j = 0; j < cols && isfinite (best); j++)
        tab[j * n + i] = c[j];
    }
  return worst;
}

/* ---- whole programs ---- */

typedef enum { CORE_EXP, CORE_LOG, CORE_POLY, CORE_RATIONAL, CORE_PIECES } core_kind;

/* ---- two arguments: power laws from integer adds on the bits ----

   A float's bits, read as an integer, are its log2 to first order: bits(v) ~ (log2 |v| +
   bias) 2^m (m the significand's bits), exact at powers of two.  So for f = c x^a y^b,
   bits(f) ~ a bits(x) + b bits(y) + K, K = (1 - a - b) bias 2^m + log2(c) 2^m: Mitchell's
   product (1962) where a = b = 1, always low by up to 1/9, and with an offset in K L-Mul's
   (Luo and Sun 2024).  Where f is linear in y (b = 1) the seed also splits y into its power
   of two p (the sign and exponent bits) and d = y - p (exact): c x^a p is exact from the
   bits, and only c x^a d takes Mitchell's error, which d / y < 1/2 halves.  Both use only
   integer adds, shifts and bit operations and float adds (the mulfree op set); the offsets
   are fitted below on points of the domain.  */

typedef struct {
  int split, pos;          /* the split form; both arguments positive (the guard is a max) */
  double a, b, c;
  int64_t one;             /* bias 2^m */
  int m, w;                /* significand bits, 64-bit integers */
  int fold;                /* the split form's offset in c x^a's bits (both terms) instead of the second's */
  int scale;               /* S > 0: x below THR computed as x 2^S, the result scaled back by 2^-aS */
  double thr;
  double top, bottom;      /* nonzero: the result clamped to at most TOP, at least BOTTOM */
} power_form;

/* "OP A K" with K an integer literal (wrapped to 32 bits unless W), or "OP K A" when K_FIRST.  */
static const char *
op_int (text *t, const char *op, const char *a, int64_t k, int w, int k_first)
{
  const char *r = def (t);
  long long v = w ? k : (int32_t) (uint32_t) k;
  if (k_first)
    put (t, "%s %lld %s\n", op, v, a);
  else
    put (t, "%s %s %lld\n", op, a, v);
  return r;
}

static const char *
iadd_lit (text *t, const char *a, int64_t k, int w)
{
  return op_int (t, "iadd", a, k, w, 0);
}

/* A bits(V) (the integer value named IV): IV, 2 IV, -IV, IV / 2 or -IV / 2, -2 IV.  */
static const char *
power_term (text *t, const char *iv, double a, int w)
{
  const char *r = iv;
  if (fabs (a) == 2)
    r = op2 (t, "iadd", iv, iv);
  else if (fabs (a) == 0.5)
    r = op_int (t, "shr", iv, 1, w, 0);
  return a < 0 ? op_int (t, "isub", r, 0, w, 1) : r;
}

/* The program of form F with offset OFF added to the approximated part's bits.  */
static int
power_program (const void *ctx, int64_t off, char *buf, size_t size)
{
  const power_form *f = ctx;
  text t = { buf, size, 0, 0, f->w, 0, { { 0 } }, 0 };
  put (&t, "in x y\n");
  const char *ix = op1 (&t, "asint", "x"), *iy = op1 (&t, "asint", "y");
  int64_t k0 = (int64_t) llrint (log2 (f->c) * ldexp (1, f->m));
  if (!f->split)
    {
      const char *s = op2 (&t, "iadd", power_term (&t, ix, f->a, f->w), power_term (&t, iy, f->b, f->w));
      s = iadd_lit (&t, s, (int64_t) ((1 - f->a - f->b) * (double) f->one) + k0 + off, f->w);
      put (&t, "out %s\n", op1 (&t, "asfloat", s));
      return t.rc;
    }
  /* Linear in y: c x^a y = c x^a p + c x^a d.  Where the box reaches down to where c x^a d
     (down to 2^-m of the result) would underflow, x below THR is first scaled by 2^S (its
     bits plus S 2^m: exact) and the result scaled back by 2^-aS (minus aS 2^m: exact where
     it is a normal number), so that every term stays a normal number.  */
  const char *low = NULL;
  if (f->scale)
    {
      low = def (&t);
      put (&t, "lt x "), lit (&t, f->thr), put (&t, "\n");
      const char *xs = op1 (&t, "asfloat", iadd_lit (&t, ix, (int64_t) f->scale << f->m, f->w));
      const char *xx = def (&t);
      put (&t, "select %s %s x\n", low, xs);
      ix = op1 (&t, "asint", xx);
    }
  const char *e = op_int (&t, "and", iy, -((int64_t) 1 << f->m), f->w, 0);   /* the sign and exponent bits */
  const char *p = op1 (&t, "asfloat", e);
  const char *d = op2 (&t, "sub", "y", p);
  const char *tx = iadd_lit (&t, power_term (&t, ix, f->a, f->w),
                             (int64_t) (-f->a * (double) f->one) + k0 + (f->fold ? off : 0), f->w);
  const char *xp = op1 (&t, "asfloat", op2 (&t, "iadd", tx, e));
  const char *md = op2 (&t, "iadd", tx, op1 (&t, "asint", d));
  const char *m = op1 (&t, "asfloat", f->fold ? md : iadd_lit (&t, md, off, f->w));
  /* d = 0 (y a power of two): m is not c x^a 0 but garbage; then xp is exact alone.  */
  const char *g;
  if (f->pos)
    {
      g = def (&t);
      put (&t, "max %s 0\n", m);
    }
  else
    {
      const char *ad = op1 (&t, "abs", d), *nz = def (&t);
      put (&t, "lt 0 %s\n", ad);
      g = def (&t);
      put (&t, "select %s %s 0\n", nz, m);
    }
  const char *r = op2 (&t, "add", xp, g);
  if (f->scale)
    {
      const char *back = op1 (&t, "asfloat", op_int (&t, "isub", op1 (&t, "asint", r),
                                                    (int64_t) llrint (f->a * f->scale) << f->m, f->w, 0));
      const char *rs = def (&t);
      put (&t, "select %s %s %s\n", low, back, r);
      r = rs;
    }
  /* Near the type's largest value an estimate high by a few percent would round to inf, near
     its least normal one scaled back below it would read as a subnormal: clamped (float
     compares, no integer op).  */
  if (f->top)
    r = op_lit (&t, "min", r, f->top);
  if (f->bottom)
    r = op_lit (&t, "max", r, f->bottom);
  put (&t, "out %s\n", r);
  return t.rc;
}

/* A program text from a form CTX and an integer offset OFF: 0, or -1.  */
typedef int (*offset_form) (const void *ctx, int64_t off, char *buf, size_t size);

/* The max relative error of FORM with offset OFF on the N points IN (references R), or
   INFINITY.  */
static double
offset_error (offset_form form, const void *ctx, dsl_type ty, int64_t off, int n, void *const *in, const double *r,
              void *out)
{
  char buf[4096];
  dsl_prog *q;
  dsl_error err;
  if (form (ctx, off, buf, sizeof buf) < 0 || dsl_parse (buf, ty, 0, &q, &err) < 0)
    return INFINITY;
  double e = 0;
  if (dsl_run (q, (size_t) n, (const void *const *) in, out) < 0)
    e = INFINITY;
  for (int i = 0; i < n && e < INFINITY; i++)
    {
      double v = eval_value (ty, out, (size_t) i);
      e = fmax (e, isfinite (v) ? fabs (v - r[i]) / fabs (r[i]) : INFINITY);
    }
  dsl_prog_free (q);
  return e;
}

/* FORM's program with the offset of least max relative error on the points: a scan over
   +-2^(M-2) in steps of 2^(M-7) (M the significand's bits: a 64th of a binade), then
   halving steps down to 2^(M-16).  1 with OUT set, or 0.  */
static int
offset_fit (offset_form form, const void *ctx, dsl_type ty, int m, int n, void *const *in, const double *r,
            void *o, dsl_prog **out)
{
  int64_t best = 0, step = (int64_t) 1 << (m - 7);
  double be = offset_error (form, ctx, ty, 0, n, in, r, o);
  for (int64_t k = -32; k <= 32; k++)
    {
      double e = offset_error (form, ctx, ty, k * step, n, in, r, o);
      if (e < be)
        be = e, best = k * step;
    }
  for (step /= 2; step >= (int64_t) 1 << (m > 16 ? m - 16 : 0); step /= 2)
    for (int s = -1; s <= 1; s += 2)
      {
        double e = offset_error (form, ctx, ty, best + s * step, n, in, r, o);
        if (e < be)
          be = e, best += s * step;
      }
  char buf[4096];
  dsl_error err;
  return isfinite (be) && form (ctx, best, buf, sizeof buf) == 0 && dsl_parse (buf, ty, 0, out, &err) == 0;
}

#define POWER_POINTS 512

static int
power_seeds (const eval_target *tg, const search_props *pr, dsl_type y, const eval_domain *d, dsl_prog **out,
             int max)
{
  /* Exponents of 3/2 would take a shift and an add: not built.  */
  if (!pr->pow_like || max <= 0 || fabs (pr->pow_a) == 1.5 || fabs (pr->pow_b) == 1.5)
    return 0;
  int w = dsl_compute_wide (y);
  const dsl_typeinfo *ci = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32), *ti = dsl_type_info (y);
  power_form f = { .a = pr->pow_a, .b = pr->pow_b, .c = pr->pow_c, .m = ci->p - 1, .w = w,
                   .pos = d->lo[0] > 0 && d->lo[1] > 0 };
  f.one = (int64_t) (1 - ci->emin) << f.m;
  /* Fitting points: log-uniform over the positive part of the box, on the type's grid.  */
  void *in[2] = { malloc (POWER_POINTS * eval_type_size (y)), malloc (POWER_POINTS * eval_type_size (y)) };
  void *o = malloc (POWER_POINTS * eval_type_size (y));
  double *r = malloc (POWER_POINTS * sizeof *r);
  int count = 0, n = 0;
  uint64_t st = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 4 * POWER_POINTS && n < POWER_POINTS && in[0] && in[1] && o && r; i++)
    {
      double v[2];
      for (int j = 0; j < 2; j++)
        {
          double lo = log2 (fmax (pr->pos_lo[j], ldexp (1, ci->emin))), hi = log2 (pr->pos_hi[j]);
          st = st * 6364136223846793005u + 1442695040888963407u;
          v[j] = eval_round_to (y, exp2 (lo + (hi - lo) * (double) (st >> 11) * 0x1p-53));
          v[j] = fmin (fmax (v[j], pr->pos_lo[j]), pr->pos_hi[j]);
        }
      double hi, lo;
      /* Only points whose result is a normal number of Y: no form follows an underflow.  */
      if (!(v[0] > 0 && v[1] > 0) || eval_ref_dd (tg, v, &hi, &lo) < 0 || !(fabs (hi) >= ldexp (1, ti->emin))
          || !(fabs (hi) <= ti->max))
        continue;
      for (int j = 0; j < 2; j++)
        eval_store_value (y, in[j], (size_t) n, v[j]);
      r[n++] = hi + lo;
    }
  for (int split = 0; split < 1 + (f.b == 1) && n >= 16 && count < max; split++)
    {
      f.split = split;
      count += offset_fit (power_program, &f, y, f.m, n, in, r, o, &out[count]);
    }
  /* The split form with its offset in both terms (one integer add less), and where the box's
     least result is within 2^(m + 2) of the least normal number (the second term is down to
     2^-m of the result), scaled: x below THR, the geometric middle of its interval rounded to
     a power of two, times 2^S, S the even number of binades from x's low end up to THR, so
     that scaled x covers what x above THR covers.  */
  double xlo = pr->pos_lo[0], xhi = pr->pos_hi[0], ylo = pr->pos_lo[1], yhi = pr->pos_hi[1];
  double least = pr->pow_c * pow (xlo, f.a) * ylo, most = pr->pow_c * pow (xhi, f.a) * yhi;
  int s2 = 0;
  if (f.pos && xlo > 0 && xhi > xlo)
    {
      f.thr = exp2 (round ((log2 (xlo) + log2 (xhi)) / 2));
      s2 = 2 * (int) floor ((log2 (f.thr) - log2 (xlo)) / 2);
    }
  int underflows = f.pos && f.a > 0 && least < ldexp (1, ti->emin + ti->p + 2) && s2 >= 2;
  f.split = 1;
  f.fold = 1;
  for (int scaled = 0; scaled <= underflows && f.b == 1 && f.pos && n >= 16 && count < max; scaled++)
    {
      f.scale = scaled ? s2 : 0;
      f.top = scaled && most > ti->max / 1.25 ? ti->max : 0;
      f.bottom = scaled ? ldexp (1, ti->emin) : 0;
      count += offset_fit (power_program, &f, y, f.m, n, in, r, o, &out[count]);
    }
  free (in[0]), free (in[1]), free (o), free (r);
  return count;
}

/* ---- one argument: an exponential from integer adds on the bits ----

   Schraudolph's exponential (1999): the bits of 2^v are about (v + bias) 2^m, so an integer
   holding v in fixed point, shifted into the exponent field, is 2^v with a linear
   significand 1 + f for 2^f (up to 6.1% high).  Without a multiply: x to fixed point by the
   magic addition x + 1.5 2^(m - S) (its low bits are x 2^S rounded, S fraction bits), times
   log2 b by shifts and adds of its signed digits, plus log2(scale).  The significand's error
   1 + f - 2^f, a concave bump, is taken off as the least of three lines (its tangents at 0
   and 1, its peak), each a sum of shifts of f or 1 - f; the least is a float min of the
   integers read as (subnormal) floats, which order as the integers do.  */

typedef struct {
  double log2b, log2s;
  int64_t one;
  int m, w, s;             /* significand bits, 64-bit integers, fraction bits of x */
} bits_exp_form;

/* The signed power-of-two digits of C (at most 8, down to 2^-LOW): E[i], SIGN[i].  */
static int
signed_digits (double c, int low, int *e, int *sign)
{
  int n = 0;
  for (double rem = c; n < 8 && rem != 0; n++)
    {
      /* The power of two nearest |rem|: 2^k or 2^(k+1) for 2^k <= |rem| < 2^(k+1).  */
      int k;
      frexp (fabs (rem), &k);
      k--;
      if (fabs (rem) - ldexp (1, k) > ldexp (1, k + 1) - fabs (rem))
        k++;
      if (k < -low)
        break;
      e[n] = k;
      sign[n] = rem > 0 ? 1 : -1;
      rem -= sign[n] * ldexp (1, k);
    }
  return n;
}

/* V times the constant C by shifts and adds (at most 8 digits down to 2^-LOW).  */
static const char *
times_const (text *t, const char *v, double c, int low)
{
  int e[8], sg[8];
  int n = signed_digits (c, low, e, sg);
  const char *acc = NULL;
  for (int i = 0; i < n; i++)
    {
      const char *term = e[i] ? op_int (t, e[i] > 0 ? "shl" : "shr", v, abs (e[i]), t->w, 0) : v;
      if (acc)
        acc = op2 (t, sg[i] > 0 ? "iadd" : "isub", acc, term);
      else
        acc = sg[i] > 0 ? term : op_int (t, "isub", term, 0, t->w, 1);
    }
  return acc ? acc : op_int (t, "and", v, 0, t->w, 0);
}

static int
bits_exp_text (const void *ctx, int64_t off, char *buf, size_t size)
{
  const bits_exp_form *f = ctx;
  text t = { buf, size, 0, 0, f->w, 0, { { 0 } }, 0 };
  put (&t, "in x\n");
  /* X = x 2^S: the magic's low bits after x + magic, less the magic's own.  */
  double magic = ldexp (1.5, f->m - f->s);
  const char *xm = op_lit (&t, "add", "x", magic);
  uint64_t mbits = eval_width_bits (magic, f->w);
  const char *X = iadd_lit (&t, op1 (&t, "asint", xm), -(int64_t) mbits, f->w);
  /* V = X log2 b + log2(scale) 2^S + the offset: v = x log2 b + log2 scale in fixed point.  */
  const char *V = times_const (&t, X, f->log2b, f->s + 2);
  V = iadd_lit (&t, V, (int64_t) llrint (ldexp (f->log2s, f->s)), f->w);
  /* The bump of 2^f's significand, least of three lines on F = frac(v) 2^S.  */
  const char *F = op_int (&t, "and", V, ((int64_t) 1 << f->s) - 1, f->w, 0);
  const char *G = op_int (&t, "isub", F, (int64_t) 1 << f->s, f->w, 1);
  const char *l1 = times_const (&t, F, 1 - M_LN2, 8), *l3 = times_const (&t, G, 2 * M_LN2 - 1, 8);
  const char *m1 = op2 (&t, "min", op1 (&t, "asfloat", l1), op1 (&t, "asfloat", l3));
  const char *m2 = def (&t);
  put (&t, "min %s ", m1);
  /* The bump's peak, 1 - (1 + ln ln 2) / ln 2 at f = -log2 ln 2, as a subnormal's bits.  */
  lit (&t, eval_width_value ((uint64_t) llrint (ldexp (1 - (1 + log (M_LN2)) / M_LN2, f->s)), f->w));
  put (&t, "\n");
  const char *c = op2 (&t, "isub", V, op1 (&t, "asint", m2));
  c = iadd_lit (&t, c, off, f->w);
  const char *sh = op_int (&t, "shl", c, f->m - f->s, f->w, 0);
  put (&t, "out %s\n", op1 (&t, "asfloat", iadd_lit (&t, sh, f->one, f->w)));
  return t.rc;
}

#define BITS_EXP_POINTS 1024

/* For f = scale b^x (no offset) on a domain whose results are normal numbers of the compute
   type: the multiply-free exponential above, its offset fitted (the offset enters before
   the shift, in units of 2^-S of v).  */
static int
bits_exp_seeds (const eval_target *tg, const search_props *pr, dsl_type y, const eval_domain *d, dsl_prog **out,
                int max)
{
  if (!pr->exp_like || pr->exp_off != 0 || !(pr->exp_scale > 0) || max <= 0)
    return 0;
  int w = dsl_compute_wide (y);
  const dsl_typeinfo *ci = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32);
  double xmax = fmax (fabs (d->lo[0]), fabs (d->hi[0]));
  bits_exp_form f = { .log2b = pr->exp_log2b, .log2s = log2 (pr->exp_scale), .m = ci->p - 1, .w = w };
  f.one = (int64_t) (1 - ci->emin) << f.m;
  /* |x 2^S| below 2^(m - 1), and |v 2^S| times the remaining shift within the integer.  */
  int ex;
  frexp (xmax * fmax (1, fabs (f.log2b)), &ex);
  f.s = f.m - 1 - ex;
  if (!(xmax > 0) || f.s < 8 || !isfinite (f.log2s))
    return 0;
  void *in = malloc (BITS_EXP_POINTS * eval_type_size (y)), *o = malloc (BITS_EXP_POINTS * eval_type_size (y));
  double *r = malloc (BITS_EXP_POINTS * sizeof *r);
  int n = 0, count = 0;
  for (int i = 0; i < BITS_EXP_POINTS && in && o && r; i++)
    {
      double x = eval_round_to (y, d->lo[0] + (d->hi[0] - d->lo[0]) * (i + 0.5) / BITS_EXP_POINTS), hi, lo;
      if (x < d->lo[0] || x > d->hi[0] || eval_ref_dd (tg, &x, &hi, &lo) < 0 || !(fabs (hi) >= ldexp (1, ci->emin))
          || !(fabs (hi) <= ci->max))
        continue;
      eval_store_value (y, in, (size_t) n, x);
      r[n++] = hi + lo;
    }
  if (n >= 16)
    count = offset_fit (bits_exp_text, &f, y, f.s, n, &in, r, o, &out[0]);
  free (in), free (o), free (r);
  return count;
}

typedef struct {
  core_kind kind;
  int deg, deg2;            /* polynomial degree; the denominator's for a rational core */
  int two_step, bits;       /* exponential cores; for a logarithmic core, TWO_STEP: the ln form */
  int tbits;                /* exponential cores: a table of 2^TBITS entries 2^(j/2^TBITS) (0: none);
                               piecewise cores: 2^TBITS pieces */
  double lo, hi;            /* piecewise cores: the interval of A cut into pieces */
  const double *tab;        /* piecewise cores: the coefficients (entry j 2^TBITS + i: t^j of piece i) */
  int small_deg;            /* a polynomial of this degree for |x| below SMALL_X (0: none) */
  double small_x;
} seed_shape;

/* The program of shape S for target properties PR, body in float64 when WIDE (a
   float32-computing type only when MIXED).  */
static int
seed_program (const search_props *pr, const eval_domain *d, const seed_shape *s, int wide, int mixed,
              char *buf, size_t size)
{
  text t = { buf, size, 0, 0, wide, 0, { { 0 } }, mixed };
  put (&t, "in x\n");
  if (s->tbits)
    {
      /* An exponential's 2^(j/N), or a piecewise core's coefficients.  */
      int n = s->kind == CORE_PIECES ? (s->deg + 1) << s->tbits : 1 << s->tbits;
      put (&t, "table %s", wide ? "f64" : "f32");
      for (int j = 0; j < n; j++)
        put (&t, " "), lit (&t, s->kind == CORE_PIECES ? s->tab[j] : exp2 (ldexp (j, -s->tbits)));
      put (&t, "\n");
    }
  const char *x = "x";
  if (mixed)
    {
      put (&t, "xd = tof64 x\n");
      x = "xd";
    }
  int sym = pr->odd || pr->even;
  const char *a = sym ? op1 (&t, "abs", x) : x;
  const char *c;
  switch (s->kind)
    {
    case CORE_EXP:
      c = core_exp (&t, a, pr, s->deg, s->two_step, s->bits, s->tbits, sym ? 0 : d->lo[0], d->hi[0]);
      break;
    case CORE_LOG:
      c = core_log (&t, a, pr, s->deg, d->lo[0] + pr->log_shift < ldexp (1, dsl_type_info (wide ? DSL_FLOAT64 : DSL_FLOAT32)->emin),
                    s->two_step);
      break;
    case CORE_RATIONAL: c = core_rational (&t, a, pr, s->deg, s->deg2); break;
    case CORE_PIECES: c = core_pieces (&t, a, s->deg, s->tbits, s->lo, s->hi); break;
    default: c = core_poly (&t, a, pr, s->deg); break;
    }
  if (pr->saturates)
    {
      const char *beyond = def (&t);
      put (&t, "le "), lit (&t, pr->sat_x), put (&t, " %s\n", a);
      const char *r = def (&t);
      put (&t, "select %s ", beyond), lit (&t, pr->sat_v), put (&t, " %s\n", c);
      c = r;
    }
  if (s->small_deg)
    {
      const char *ax = sym ? a : op1 (&t, "abs", x);
      const char *tiny = def (&t);
      put (&t, "lt %s ", ax), lit (&t, s->small_x), put (&t, "\n");
      const char *p = core_poly (&t, sym ? a : x, pr, s->small_deg);   /* on |x| where the sign is restored below */
      const char *r = def (&t);
      put (&t, "select %s %s %s\n", tiny, p, c);
      c = r;
    }
  if (pr->odd)
    {
      /* The sign of x onto |f|: sign bit of x xor the bits of the result.  */
      const char *sx = op1 (&t, "asint", x);
      const char *sb = def (&t);
      put (&t, "and %s %s\n", sx, wide ? "-9223372036854775808" : "-2147483648");
      const char *ci = op1 (&t, "asint", c);
      c = op1 (&t, "asfloat", op2 (&t, "xor", ci, sb));
    }
  if (mixed && !pr->wide_out)
    c = op1 (&t, "tof32", c);
  put (&t, "out %s\n", c);
  return t.rc;
}

int
search_target_seed (const eval_target *t, dsl_type y, dsl_prog **out)
{
  *out = NULL;
  if (!t->seed || t->seed_type != y)
    return 0;
  dsl_prog *p;
  dsl_error err;
  if (dsl_parse (t->seed, y, 0, &p, &err) < 0)
    return -1;   /* a declared seed that does not parse: tests/test_search checks every one */
  if (!t->seed_bind)
    {
      *out = p;
      return 1;
    }
  *out = dsl_prog_bind_input (p, 0, t->seed_value);
  dsl_prog_free (p);
  return *out ? 1 : -1;
}

int
search_seeds (const eval_target *t, dsl_type y, const eval_domain *d, eval_metric metric, double bound,
              uint64_t ops, dsl_prog **out, int max, int *unparsed)
{
  /* Where float multiplies are not allowed, the forms made of integer adds on the bits.  */
  int mulfree = !((ops >> DSL_MUL) & 1);
  char text_buf[8192];
  int count = 0;
  dsl_error err;
  search_props pr;
  search_probe (t, y, d, &pr);
  if (t->arity == 2)
    {
      if (dsl_parse ("in x y\nv1 = mul x y\nout v1\n", y, 0, &out[count], &err) == 0)
        count++;
      return count + (mulfree ? power_seeds (t, &pr, y, d, out + count, max - count) : 0);
    }
  int cw = dsl_compute_wide (y);
  /* Polynomials up to degree 7 for float32 precision, in proportion for
     others (16 for float64): a minimax polynomial gains about 3.5 bits per
     degree on a reduced range.  */
  seed_shape shapes[64];
  int ns = 0;
  /* At most 63 shapes (float64 exponentials): the bound only guards the array.  */
#define ADD(...) (ns < (int) (sizeof shapes / sizeof shapes[0]) ? (void) (shapes[ns++] = (seed_shape) __VA_ARGS__) : (void) 0)
  int maxdeg = (7 * dsl_type_info (cw ? DSL_FLOAT64 : DSL_FLOAT32)->p + 23) / 24;
  if (pr.exp_like)
    {
      for (int deg = 3; deg <= maxdeg; deg++)
        for (int variant = 0; variant < 3; variant++)
          if (!(variant == 1 && fabs (exp2 (pr.exp_log2b) - 2) < 1e-12))   /* base 2: one- and two-step are one */
            ADD ({ .kind = CORE_EXP, .deg = deg, .two_step = variant != 1, .bits = variant == 2 });
      if (pr.exp_off != 0)   /* the offset absorbed: no cancellation where off + scale b^x is small */
        for (int deg = maxdeg - 1; deg <= maxdeg + 1; deg++)
          ADD ({ .kind = CORE_EXP, .deg = deg, .two_step = 1, .bits = 2 });
      /* Table-driven (where no offset cancels against the scaled power): N = 16 entries, the
         lowest degree whose Taylor remainder on the N times smaller |r ln b| <= ln 2 / 2N is
         below half an ulp of the type, plus one.  Only for a bound within 3/4 ULP: at
         1 ULP the polynomial scaffolds are cheaper (exp2 in float32: cost 13 against 28 to 40),
         and verifying the table seeds at generation 0, which are within the bound from the
         start, delayed the default exp, exp2 searches' first solutions by 3.4 to 4.2 s (13.2
         s against 9.8, 15.7 against 11.5, 13.2 against 9.1; bench/first_solution.sh).  */
      int tables = metric == EVAL_ULP && bound < 0.75;
      for (int tbits = 4; tbits <= 4 && pr.exp_off == 0 && tables; tbits += 2)
        {
          /* One shape (16 entries, one degree more than the remainder needs): the 64-entry and
             lower-degree ones were no better (exp2 float32: 0.5001 ULP for the best of each)
             and fitting every table seed on the 8192 points made generation 0 of an exp search
             within 0.7 ULP 1.9 to 3.7 times slower.  */
          double rmax = M_LN2 / ldexp (2, tbits), term = rmax;
          int deg = 1;
          for (; deg < maxdeg && term * rmax / (deg + 1) >= ldexp (1, -dsl_type_info (y)->p - 1); deg++)
            term *= rmax / (deg + 1);
          int two = fabs (exp2 (pr.exp_log2b) - 2) >= 1e-12;   /* base 2: k / N is exact, one step */
          ADD ({ .kind = CORE_EXP, .deg = deg + 1, .two_step = two, .tbits = tbits });
        }
      if (pr.exp_off != 0 && pr.has0 && pr.f0 == 0)   /* off + scale b^x cancels near 0 */
        for (int deg = maxdeg - 2; deg <= maxdeg; deg++)
          ADD ({ .kind = CORE_EXP, .deg = maxdeg, .two_step = 1, .small_deg = deg, .small_x = 0.35 });
    }
  if (pr.log_like)
    for (int deg = maxdeg - 2; deg <= maxdeg + 3; deg++)
      for (int ln_form = 0; ln_form < 2; ln_form++)
        ADD ({ .kind = CORE_LOG, .deg = deg, .two_step = ln_form });
  /* Plain polynomials for every target (in the compute width only, after a reduction's
     shapes): material for evolution where no reduction applies, and diversity where one
     does.  Then rational functions where no reduction was found.  */
  int structured = ns;
  for (int deg = 2; deg < maxdeg; deg++)
    ADD ({ .kind = CORE_POLY, .deg = deg });
  /* Piecewise cores where no reduction applies and A's interval is bounded (|x| up to the
     saturation for a symmetric target, else the domain up to it): 16 cubic, 32 linear and 8
     degree-7 pieces, the most a 64-entry table holds.  */
  static const int piece_shape[][2] = { { 4, 3 }, { 5, 1 }, { 3, 7 } };
  double ptab[3][DSL_MAXTAB];
  int sym = pr.odd || pr.even;
  double plo = sym ? 0 : d->lo[0], phi = sym ? fmax (fabs (d->lo[0]), fabs (d->hi[0])) : d->hi[0];
  if (pr.saturates)
    phi = fmin (phi, pr.sat_x);
  /* Where f(0) = 0 at the interval's low end, the first piece cannot follow f's relative
     error down to tiny |x| (its offset t rounds to -1/2 there): a cubic from the slope at 0
     takes the first piece's width.  */
  int zero_end = plo == 0 && pr.has0 && pr.f0 == 0;
  for (int q = 0; q < 3 && !structured && phi > plo && phi - plo <= 64; q++)
    if (isfinite (fit_pieces (t, metric == EVAL_ABS, plo, phi, piece_shape[q][1], piece_shape[q][0], ptab[q])))
      ADD ({ .kind = CORE_PIECES, .deg = piece_shape[q][1], .tbits = piece_shape[q][0], .lo = plo, .hi = phi,
             .tab = ptab[q], .small_deg = zero_end ? 3 : 0, .small_x = ldexp (phi - plo, -piece_shape[q][0]) });
  if (!structured)
    for (int np = 3; np <= 5; np++)
      ADD ({ .kind = CORE_RATIONAL, .deg = np, .deg2 = np - 1 });
  /* A tiny-|x| regime on the slope at 0, where f(0) = 0 and the core is not exact there.  */
  int small = pr.lin_x > 0 && !pr.exp_like;
  for (int mixed = 0; mixed <= (cw == 0); mixed++)
    for (int i = 0; i < ns && count < max; i++)
      {
        if (mixed && structured && i >= structured)
          break;   /* the plain polynomials of a reduced target: once */
        seed_shape s = shapes[i];
        if (small && !s.small_deg)
          s.small_deg = 1, s.small_x = pr.lin_x;
        if (seed_program (&pr, d, &s, cw || mixed, mixed, text_buf, sizeof text_buf) < 0)
          continue;
        if (dsl_parse (text_buf, y, 0, &out[count], &err) == 0)
          dsl_prog_strip_dead (out[count]), count++;
        else if (unparsed)
          ++*unparsed;   /* a bug of this file: tests/test_search checks there are none */
      }
  count += rational_u_seeds (t, &pr, y, d, metric, bound, out + count, max - count);
  if (mulfree)
    {
      count += bits_exp_seeds (t, &pr, y, d, out + count, max - count);
      /* Material for evolution where no form applies: x, |x| and f at the domain's middle.  */
      char c[64];
      double mid = ref_at (t, eval_round_to (y, (d->lo[0] + d->hi[0]) / 2));
      snprintf (c, sizeof c, "%a", isfinite (mid) ? mid : 0);
      const char *plain[] = { "in x\nv1 = max x x\nout v1\n", "in x\nv1 = abs x\nout v1\n", NULL };
      char cbuf[192];
      snprintf (cbuf, sizeof cbuf, "in x\nv1 = max %s %s\nout v1\n", c, c);
      plain[2] = cbuf;
      for (int i = 0; i < 3 && count < max; i++)
        if (dsl_parse (plain[i], y, 0, &out[count], &err) == 0)
          count++;
    }
  if (!pr.exp_like && !pr.log_like)
    {
      count += log_domain_seeds (t, &pr, y, d, metric, bound, out + count, max - count);
      count += half_domain_seeds (t, &pr, y, d, metric, bound, out + count, max - count);
    }
  return count;
#undef ADD
}

/* ---- composition: f(x) = x^j R(g(a x + b)), g a kernel evolved for another target ----

   A kernel is a program another search found for a target G (`--kernel FILE`, or the
   cheapest verified front member of another run in the database).  Where probing both
   references shows f(x) = x^j R(G(a x + b)) to within a relative 2^-30 on the points of
   the domain, for a small integer j, a and b from a short list, and R a Moebius map (p0 +
   p1 u) / (1 + q1 u) fitted by least squares (an affine R first), the kernel's
   instructions are spliced into a program that computes exactly that: sigmoid and tanh
   from an exponential kernel, log2 or log1p from a logarithm kernel.  Where the kernel
   works in float64 (its input converted by tof64, its result narrowed by a last tof32),
   the float64 path gets a x + b in float64 and R is computed there, so that the result is
   rounded once; R is also offered in float64 around a float32 kernel.  A saturating
   target's input is clamped to where it saturates (the kernel's argument stays finite).
   The relation is found from the references only: nothing depends on the names.  */

typedef struct {
  double a, b;
  int j;
  double p[3];   /* R(u) = (p[0] + p[1] u) / (1 + p[2] u); p[2] = 0: affine */
} kernel_rel;

#define REL_NODES 256

/* C when it is within a relative 2^-30 of a multiple of 1/256, that multiple then.  */
static double
snap (double c)
{
  double r = nearbyint (c * 256) / 256;
  return fabs (c - r) <= 0x1p-30 * fmax (1, fabs (c)) ? r : c;
}

/* R fitted to H at the M points U in relative error (NQ = 0: affine, 1: Moebius), its
   coefficients snapped; returns R's largest relative error there (INFINITY: no fit).  */
static double
fit_moebius (const double *u, const double *h, int m, int nq, double *p)
{
  int n = 2 + nq;
  double *a = malloc ((size_t) m * n * sizeof *a), *b = malloc ((size_t) m * sizeof *b), c[3] = { 0, 0, 0 };
  double err = INFINITY;
  if (a && b)
    {
      for (int i = 0; i < m; i++)
        {
          /* Each row of h (1 + q1 u) = p0 + p1 u scaled to entries of at most 1.  */
          double s = 1 / (fabs (h[i]) * (nq ? 1 + fabs (u[i]) : 1));
          a[i] = s;
          a[(size_t) m + i] = u[i] * s;
          if (nq)
            a[(size_t) 2 * m + i] = -h[i] * u[i] * s;
          b[i] = h[i] * s;
        }
      if (search_lsq_solve (a, b, m, n, c) == 0)
        {
          err = 0;
          for (int k = 0; k < 3; k++)
            p[k] = snap (c[k]);
          for (int i = 0; i < m && isfinite (err); i++)
            {
              double r = (p[0] + p[1] * u[i]) / (1 + p[2] * u[i]);
              err = fmax (err, isfinite (r) ? fabs (r - h[i]) / fabs (h[i]) : INFINITY);
            }
        }
    }
  free (a);
  free (b);
  return err;
}

/* The relations of f to kernel target G (at most MAX, the simplest first), probed at the M
   points X where f is F.  */
static int
kernel_relations (const eval_target *g, const double *x, const double *f, int m, kernel_rel *out, int max)
{
  static const double as[] = { 1, -1, 2, -2, 0.5, -0.5 }, bs[] = { 0, 1, -1 };
  double u[REL_NODES], h[REL_NODES];
  int count = 0;
  for (int j = 0; j <= 1 && count < max; j++)
    for (size_t ia = 0, found = 0; ia < sizeof as / sizeof *as && count < max; ia++)
      for (size_t ib = 0; ib < sizeof bs / sizeof *bs && count < max; ib++)
        {
          /* Once a scale works, another only moves constants into R (and overflows sooner).  */
          if (found && fabs (as[ia]) != fabs (out[count - 1].a))
            break;
          int n = 0;
          for (int i = 0; i < m; i++)
            {
              double gv = ref_at (g, as[ia] * x[i] + bs[ib]), hv = j ? f[i] / x[i] : f[i];
              if (isfinite (gv) && isfinite (hv) && hv != 0)
                u[n] = gv, h[n++] = hv;
            }
          if (n < 16)
            continue;
          kernel_rel r = { as[ia], bs[ib], j, { 0, 0, 0 } };
          if (!(fit_moebius (u, h, n, 0, r.p) <= 0x1p-30) && !(fit_moebius (u, h, n, 1, r.p) <= 0x1p-30))
            continue;
          if (!(r.p[0] == 0 && r.p[1] == 1 && r.p[2] == 0 && j == 0 && r.a == 1 && r.b == 0))
            out[count++] = r, found = 1;   /* else f is g itself: the kernel is no composition */
          break;   /* one shift per scale: the others only move constants into R */
        }
  return count;
}

/* How kernel K reads its input: *WIDE set where some instruction is tof64 of it, *NARROW
   where any other reads it.  */
static void
kernel_reads (const dsl_prog *k, int *wide, int *narrow)
{
  *wide = *narrow = 0;
  for (int i = 0; i < k->ninsn; i++)
    for (int s = 0; s < dsl_op ((dsl_opcode) k->insn[i].op)->arity; s++)
      if (!k->insn[i].a[s].is_const && k->insn[i].a[s].ref == 0)
        {
          if (k->insn[i].op == DSL_TOF64)
            *wide = 1;
          else
            *narrow = 1;
        }
}

/* Operand A of kernel K renamed: its input XN, a tof64 of the input (one of the NALIAS
   names in ALIAS) XW, another value's name prefixed with "k"; a literal as it is.  The
   printer names values v1, v2, ...; literals start with a digit, a sign or 0x, or are inf
   or nan.  */
static const char *
kernel_arg (const dsl_prog *k, const char *a, const char *xn, const char *xw, char (*alias)[64], int nalias,
            char *buf /* 72 bytes */)
{
  if (strcmp (a, k->inname[0]) == 0)
    return xn;
  for (int i = 0; i < nalias; i++)
    if (strcmp (a, alias[i]) == 0)
      return xw;
  if (!isalpha ((unsigned char) a[0]) || strcmp (a, "inf") == 0 || strncmp (a, "nan", 3) == 0)
    return a;
  snprintf (buf, 72, "k%s", a);
  return buf;
}

/* Kernel K's printed text, its names prefixed with "k", its input read as XN and its tof64
   of the input as XW, written into T.  Returns the name of its result: where K ends with
   tof32 V and XW is given, V's (*WIDE = 1).  TABLES: write K's table lines instead.  */
static const char *
splice_kernel (text *t, const dsl_prog *k, const char *xn, const char *xw, int tables, int *wide, char *res,
               size_t rsize)
{
  char *s = dsl_print (k, 0);
  if (!s)
    {
      t->rc = -1;
      return "x";
    }
  char last[64] = "", lastop[16] = "", lastarg[64] = "", outname[64] = "", alias[8][64], nbuf[72], *save;
  int nalias = 0;
  for (char *line = strtok_r (s, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (strncmp (line, "table", 5) == 0)
        {
          if (tables)
            put (t, "%s\n", line);
          continue;
        }
      if (tables || strncmp (line, "in ", 3) == 0 || line[0] == '#')
        continue;
      char name[64], op[16], args[3][64];
      int na = sscanf (line, "%63s = %15s %63s %63s %63s", name, op, args[0], args[1], args[2]);
      if (strncmp (line, "out ", 4) == 0)
        {
          snprintf (outname, sizeof outname, "%s", line + 4);
          continue;
        }
      if (na < 2)
        {
          t->rc = -1;
          break;
        }
      /* The kernel's tof64 of its input becomes XW itself.  */
      if (xw && strcmp (op, "tof64") == 0 && na == 3 && strcmp (args[0], k->inname[0]) == 0)
        {
          if (nalias < (int) (sizeof alias / sizeof *alias))
            {
              snprintf (alias[nalias++], sizeof alias[0], "%s", name);
              continue;
            }
        }
      put (t, "k%s = %s", name, op);
      for (int i = 0; i < na - 2; i++)
        put (t, " %s", kernel_arg (k, args[i], xn, xw, alias, nalias, nbuf));
      put (t, "\n");
      snprintf (last, sizeof last, "%s", name);
      snprintf (lastop, sizeof lastop, "%s", op);
      snprintf (lastarg, sizeof lastarg, "%s", na >= 3 ? args[0] : "");
    }
  free (s);
  *wide = 0;
  if (tables)
    return "x";
  if (strcmp (outname, last) == 0 && strcmp (lastop, "tof32") == 0 && strcmp (lastarg, k->inname[0]) != 0
      && isalpha ((unsigned char) lastarg[0]))
    {
      *wide = 1;
      snprintf (res, rsize, "%s", kernel_arg (k, lastarg, xn, xw, alias, nalias, nbuf));
    }
  else
    snprintf (res, rsize, "%s", kernel_arg (k, outname, xn, xw, alias, nalias, nbuf));
  return res;
}

/* The program f = x^j R(K(a x + b)) for relation R, kernel K: R in float64 where WIDE_R
   (a float32-computing type) or where K's result is K's float64 value.  */
static int
kernel_program (const search_props *pr, dsl_type y, const eval_domain *d, const dsl_prog *k, const double *kd,
                const double *klim, const kernel_rel *r, int wide_r, char *buf, size_t size)
{
  int cw = dsl_compute_wide (y), kw, kn;
  text t = { buf, size, 0, 0, cw, 0, { { 0 } }, 0 };
  char res[72];
  kernel_reads (k, &kw, &kn);
  put (&t, "in x\n");
  splice_kernel (&t, k, "x", NULL, 1, &(int) { 0 }, res, sizeof res);   /* its table */
  const char *x = "x", *xd = NULL, *ud = NULL, *un = "x", *arg = NULL;
  /* Past a saturation point f is its limit: the kernel's argument stays where it is finite.  */
  if (pr->saturates && r->j == 0)
    {
      x = op_lit (&t, "min", x, pr->sat_x);
      if (pr->odd || pr->even)   /* f(-x) = -f(x) or f(x): the limit's sign or itself below -sat_x */
        x = op_lit (&t, "max", x, -pr->sat_x);
    }
  /* The kernel's argument clamped to KD, the kernel's domain, where a x + b leaves it (so
     that the kernel computes what it was verified on); past an end where the kernel's
     target rounds to 0 or overflows (KLIM: that value, else NAN), the kernel's result is
     that value.  */
  double xlo = d->lo[0], xhi = d->hi[0];
  if (pr->saturates && r->j == 0)
    {
      xhi = fmin (xhi, pr->sat_x);
      if (pr->odd || pr->even)
        xlo = fmax (xlo, -pr->sat_x);
    }
  double ilo = fmin (r->a * xlo, r->a * xhi) + r->b, ihi = fmax (r->a * xlo, r->a * xhi) + r->b;
  int cut_lo = ilo < kd[0], cut_hi = ihi > kd[1];
  if (!cw && (kw || (wide_r && r->j)))
    xd = op1 (&t, "tof64", x);
  if (!cw && kw)
    {
      t.w = 1;
      ud = r->b != 0 ? (r->a == 1 ? op_lit (&t, "add", xd, r->b) : NULL) : r->a != 1 ? op_lit (&t, "mul", xd, r->a) : xd;
      if (!ud)
        {
          const char *v = def (&t);
          put (&t, "fma %s ", xd), lit (&t, r->a), put (&t, " "), lit (&t, r->b), put (&t, "\n");
          ud = v;
        }
      arg = ud;
      if (cut_hi)
        ud = op_lit (&t, "min", ud, kd[1]);
      if (cut_lo)
        ud = op_lit (&t, "max", ud, kd[0]);
      t.w = cw;
    }
  if (kn)
    {
      if (ud)
        un = ud == xd ? x : op1 (&t, "tof32", ud);
      else if (r->b == 0)
        un = r->a != 1 ? op_lit (&t, "mul", x, r->a) : x;
      else if (r->a == 1)
        un = op_lit (&t, "add", x, r->b);
      else
        {
          un = def (&t);
          put (&t, "fma %s ", x), lit (&t, r->a), put (&t, " "), lit (&t, r->b), put (&t, "\n");
        }
      if (!ud)
        arg = un;
      if (cut_hi && !ud)
        un = op_lit (&t, "min", un, kd[1]);
      if (cut_lo && !ud)
        un = op_lit (&t, "max", un, kd[0]);
    }
  int gw;
  const char *g = splice_kernel (&t, k, un, ud, 0, &gw, res, sizeof res);
  if (!cw && wide_r && !gw)
    g = op1 (&t, "tof64", g), gw = 1;
  t.w = gw || cw;
  const char *num = g;
  if (r->p[1] != 1 || r->p[0] != 0)
    {
      if (r->p[1] == 0)
        num = NULL;   /* the constant p0 */
      else if (r->p[0] == 0)
        num = op_lit (&t, "mul", g, r->p[1]);
      else if (r->p[1] == 1)
        num = op_lit (&t, "add", g, r->p[0]);
      else
        {
          num = def (&t);
          put (&t, "fma %s ", g), lit (&t, r->p[1]), put (&t, " "), lit (&t, r->p[0]), put (&t, "\n");
        }
    }
  const char *v = num;
  if (r->p[2] != 0)
    {
      const char *den = r->p[2] == 1 ? op_lit (&t, "add", g, 1) : NULL;
      if (!den)
        {
          den = def (&t);
          put (&t, "fma %s ", g), lit (&t, r->p[2]), put (&t, " 0x1p+0\n");
        }
      v = def (&t);
      if (num)
        put (&t, "div %s %s\n", num, den);
      else
        put (&t, "div "), lit (&t, r->p[0]), put (&t, " %s\n", den);
    }
  else if (!num)
    return -1;   /* a constant f: no composition */
  /* Past an end of KD with a limit, R of it: p1 / q1 or +-inf as g overflows, p0 as it
     vanishes.  */
  for (int side = 0; side < 2 && arg; side++)
    if ((side ? cut_hi : cut_lo) && !isnan (klim[side]))
      {
        double rl = klim[side] == 0 ? r->p[0] : r->p[2] != 0 ? r->p[1] / r->p[2] : r->p[1] * klim[side];
        const char *past = def (&t);
        t.w = (arg == ud && !cw) || cw;
        if (side)
          put (&t, "lt "), lit (&t, kd[1]), put (&t, " %s\n", arg);
        else
          put (&t, "lt %s ", arg), lit (&t, kd[0]), put (&t, "\n");
        t.w = gw || cw;
        const char *w = def (&t);
        put (&t, "select %s ", past), lit (&t, rl), put (&t, " %s\n", v);
        v = w;
      }
  if (r->j && gw && !cw && !xd)
    xd = op1 (&t, "tof64", x);
  if (r->j)
    v = op2 (&t, "mul", v, gw && !cw ? xd : "x");
  if (gw && !cw && !pr->wide_out)
    v = op1 (&t, "tof32", v);
  t.w = cw;
  /* Where |x| is tiny, the slope at 0 (f(0) = 0): a + b x rounds away what R(g) is made of
     (1 + x in log (1 + x); e^x - 1, e^2x - 1 cancel).  */
  if (pr->lin_x > 0)
    {
      const char *ax = op1 (&t, "abs", "x"), *tiny = def (&t);
      put (&t, "lt %s ", ax), lit (&t, pr->lin_x), put (&t, "\n");
      const char *lin = pr->slope0 == 1 ? "x" : op_lit (&t, "mul", "x", pr->slope0), *w = def (&t);
      put (&t, "select %s %s %s\n", tiny, lin, v);
      v = w;
    }
  put (&t, "out %s\n", v);
  return t.rc;
}

int
search_kernel_seeds (const eval_target *t, dsl_type y, const eval_domain *d, const search_kernel *k, int nk,
                     dsl_prog **out, int max)
{
  if (t->arity != 1 || t->vectors || nk <= 0 || max <= 0)
    return 0;
  search_props pr;
  search_probe (t, y, d, &pr);
  /* Points of the domain where f is finite and nonzero and does not saturate: 2^e (1 + i/8)
     of either sign, e in [-6, 5], and 64 spread over the domain's finite middle.  */
  double x[REL_NODES], f[REL_NODES], top = pr.saturates ? pr.sat_x : INFINITY;
  double bottom = pr.saturates && (pr.odd || pr.even) ? -top : -INFINITY;
  int m = 0;
  for (int e = -6; e <= 5; e++)
    for (int i = 0; i < 8; i++)
      for (int s = -1; s <= 1 && m < REL_NODES - 64; s += 2)
        {
          double v = eval_round_to (y, s * ldexp (1 + i / 8.0, e)), fv;
          if (v >= fmax (d->lo[0], bottom) && v <= fmin (d->hi[0], top) && isfinite (fv = ref_at (t, v)) && fv != 0)
            x[m] = v, f[m++] = fv;
        }
  double lo = fmax (d->lo[0], fmax (bottom, -64)), hi = fmin (d->hi[0], fmin (top, 64));
  for (int i = 0; i < 64 && lo < hi; i++)
    {
      double v = eval_round_to (y, lo + (hi - lo) * (i + 0.5) / 64), fv;
      if (v >= d->lo[0] && v <= d->hi[0] && v != 0 && isfinite (fv = ref_at (t, v)) && fv != 0)
        x[m] = v, f[m++] = fv;
    }
  int count = 0, cw = dsl_compute_wide (y);
  char buf[65536];
  for (int i = 0; i < nk && count < max; i++)
    {
      const eval_target *g = k[i].target;
      if (g == t || g->arity != 1 || g->vectors || k[i].prog->nin != 1 || k[i].prog->type != y)
        continue;
      /* The kernel's domain: its program's header, else its target's for Y.  */
      const dsl_prog *kp = k[i].prog;
      const eval_domain *gd = &g->dflt[y];
      double kd[2] = { kp->has_domain ? kp->domain_lo[0] : g->has_domain[y] ? gd->lo[0] : -INFINITY,
                       kp->has_domain ? kp->domain_hi[0] : g->has_domain[y] ? gd->hi[0] : INFINITY };
      double klim[2];
      for (int side = 0; side < 2; side++)
        {
          uint64_t key = eval_key_of (y, eval_round_to (y, kd[side]));   /* the next value of Y past the end */
          double past = isinf (kd[side]) ? NAN : eval_round_to (y, ref_at (g, eval_value_of_key (y, side ? key + 1 : key - 1)));
          klim[side] = past == 0 || isinf (past) ? past : NAN;
        }
      kernel_rel rel[3];
      int nr = kernel_relations (g, x, f, m, rel, 3);
      for (int q = 0; q < nr; q++)
        for (int wide_r = !cw; wide_r >= 0 && count < max; wide_r--)
          {
            dsl_error err;
            if (kernel_program (&pr, y, d, kp, kd, klim, &rel[q], wide_r, buf, sizeof buf) < 0
                || dsl_parse (buf, y, 0, &out[count], &err) < 0)
              continue;
            dsl_prog_strip_dead (out[count]);
            /* A kernel whose result is its float64 value gives R in float64 either way.  */
            if (count > 0 && dsl_prog_equal (out[count], out[count - 1]))
              dsl_prog_free (out[count]);
            else
              count++;
          }
    }
  return count;
}
