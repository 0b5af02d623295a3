/* exp_cw_check -- independent exhaustive ULP check of tests/progs/exp_cw.anp (and of libm expf), using no autonum code.

   Build and run (about a minute on 2 cores):
     gcc -std=gnu11 -O2 -march=native -ffp-contract=off -fopenmp -Wall -Wextra \
         tests/indep/exp_cw_check.c -o /tmp/exp_cw_check -lmpfr -lgmp -lm
     OMP_NUM_THREADS=2 /tmp/exp_cw_check prog      # the program, re-implemented in C99
     OMP_NUM_THREADS=2 /tmp/exp_cw_check expf      # the platform's expf, to check this checker
   Optional third and fourth arguments LO HI (hex floats) restrict the sweep.

   ULP error as in eval/ulp.h, restated here on purpose (this file must not share
   code with autonum): for exact f with 2^(E-1) <= |f| < 2^E,
   ulp(f) = 2^max(E-24, -149) and err = |y - f| / ulp(f); results whose exact
   value rounds past FLT_MAX must be +inf.

   Reference: x87 expl (64-bit significand; a degree-4 Taylor polynomial in
   long double for |x| < 2^-20), whose relative error we assume below
   EXPL_RELERR and check against MPFR on a regular subsample.  Wherever
   that bound leaves a decision open (err near the bound, f near a power of two
   or the overflow threshold, f near a rounding midpoint), the point is redone
   with MPFR at 200 bits.  The largest errors are kept as candidates and all
   recomputed with MPFR, so the reported maximum is MPFR's.  */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define BOUND 1.0
/* Assumed relative error of exp_ld: 64 ulps of long double, far above
   glibc expl's documented 1-2 ulps, and checked by ref_selfcheck.  */
#define EXPL_RELERR 0x1p-58L
#define MPFR_PREC 200
#define SELFCHECK_STRIDE 4096     /* every 4096th point is also done with MPFR */
#define NCAND 32                  /* per-thread candidates for the maximum */

/* The whole float32 exp domain: results finite and not flushed to zero.  */
#define DOM_LO (-0x1.9fe368p+6f)
#define DOM_HI 0x1.62e42ep+6f
/* The smallest |f| that rounds to infinity in binary32.  */
#define OVERFLOW_F 0x1.ffffffp+127L

/* exp_cw.anp, step by step.  Constants from tests/indep/exp_cw.sollya.  */
static float
exp_cw (float x)
{
  float t = x * 0x1.715476p+0f;               /* x * log2(e) */
  float kf = rintf (t);                       /* half-even in the default mode */
  float r = fmaf (kf, -0x1.62e4p-1f, x);      /* ln2_hi: 15 bits, k*ln2_hi exact */
  r = fmaf (kf, -0x1.7f7d1cp-20f, r);         /* ln2_lo */
  float p = fmaf (0x1.686a92p-10f, r, 0x1.123dp-7f);
  p = fmaf (p, r, 0x1.555b82p-5f);
  p = fmaf (p, r, 0x1.55548cp-3f);
  p = fmaf (p, r, 0x1.fffff8p-2f);
  p = fmaf (p, r, 0x1p+0f);
  p = fmaf (p, r, 0x1p+0f);
  return ldexpf (p, (int) kf);
}

static float
libm_expf (float x)
{
  return expf (x);
}

static float
from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

static uint32_t
to_bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

/* Maps 0 .. count-1 onto the bit patterns of [lo, hi] in increasing order.  */
typedef struct {
  uint32_t neg_first;   /* the negative part runs from bits neg_first down to 0x80000000 (-0) */
  uint64_t nneg, count;
  uint32_t pos_first;   /* the rest runs up from pos_first */
} sweep;

static sweep
sweep_make (float lo, float hi)
{
  sweep s = { 0, 0, 0, 0 };
  if (lo < 0 || (lo == 0 && signbit (lo)))
    {
      float nhi = hi < 0 ? hi : -0.0f;
      s.neg_first = to_bits (lo);
      s.nneg = (uint64_t) to_bits (lo) - to_bits (nhi) + 1;
    }
  if (hi >= 0 && !(hi == 0 && signbit (hi)))
    {
      float plo = lo > 0 ? lo : 0.0f;
      s.pos_first = to_bits (plo);
      s.count = s.nneg + (uint64_t) to_bits (hi) - to_bits (plo) + 1;
    }
  else
    s.count = s.nneg;
  return s;
}

static uint32_t
sweep_bits (const sweep *s, uint64_t i)
{
  if (i < s->nneg)
    return s->neg_first - (uint32_t) i;
  return s->pos_first + (uint32_t) (i - s->nneg);
}

/* Exact results from MPFR for one input.  */
typedef struct {
  double err;        /* ULP error of y */
  uint32_t cr;       /* correctly rounded binary32 result */
} exact_result;

typedef struct {
  mpfr_t x, f, d, r24;
} mpfr_ws;

static void
ws_init (mpfr_ws *w)
{
  mpfr_inits2 (MPFR_PREC, w->x, w->f, w->d, (mpfr_ptr) 0);
  mpfr_init2 (w->r24, 24);
}

static void
ws_clear (mpfr_ws *w)
{
  mpfr_clears (w->x, w->f, w->d, w->r24, (mpfr_ptr) 0);
}

static uint32_t
mpfr_cr_binary32 (mpfr_ws *w)
{
  mpfr_exp_t emin = mpfr_get_emin (), emax = mpfr_get_emax ();
  mpfr_set_emin (-148);                 /* 2^-149 = 0.5 * 2^-148 */
  mpfr_set_emax (128);
  int t = mpfr_exp (w->r24, w->x, MPFR_RNDN);
  t = mpfr_check_range (w->r24, t, MPFR_RNDN);
  mpfr_subnormalize (w->r24, t, MPFR_RNDN);
  float c = mpfr_get_flt (w->r24, MPFR_RNDN);
  mpfr_set_emin (emin);
  mpfr_set_emax (emax);
  return to_bits (c);
}

static exact_result
mpfr_exact (mpfr_ws *w, float x, float y)
{
  exact_result e;
  mpfr_set_flt (w->x, x, MPFR_RNDN);
  mpfr_exp (w->f, w->x, MPFR_RNDN);     /* 200 bits, default (wide) exponent range */
  e.cr = mpfr_cr_binary32 (w);
  if (mpfr_cmp_ld (w->f, OVERFLOW_F) >= 0)
    e.err = isinf (y) && y > 0 ? 0.0 : INFINITY;
  else if (isnan (y) || isinf (y))
    e.err = INFINITY;
  else
    {
      long ex = mpfr_get_exp (w->f);    /* 2^(ex-1) <= f < 2^ex */
      long ue = ex - 24 > -149 ? ex - 24 : -149;
      mpfr_set_flt (w->d, y, MPFR_RNDN);
      mpfr_sub (w->d, w->d, w->f, MPFR_RNDN);
      mpfr_abs (w->d, w->d, MPFR_RNDN);
      mpfr_div_2si (w->d, w->d, ue, MPFR_RNDN);
      e.err = mpfr_get_d (w->d, MPFR_RNDN);
    }
  return e;
}

/* What the long double reference says about one point; DECIDED is 0 when
   MPFR must redo it.  */
typedef struct {
  int decided;
  double err;
  double slack;      /* bound on |err - true err| */
  uint32_t cr;
} fast_result;

/* The x87 long double layout: 64-bit significand with an explicit integer
   bit, then sign and 15-bit exponent.  Reading it directly keeps the sweep
   free of frexpl/ldexpl calls, which cost more than expl's neighbours.  */
_Static_assert (LDBL_MANT_DIG == 64, "this checker needs x87 extended precision");

static uint64_t
ld_significand (long double f)
{
  uint64_t m;
  memcpy (&m, &f, sizeof m);
  return m;
}

/* E with 2^(E-1) <= f < 2^E, for f > 0 normal.  */
static int
ld_binade (long double f)
{
  uint16_t se;
  memcpy (&se, (const char *) &f + 8, sizeof se);
  return (se & 0x7fff) - 16382;
}

/* Nonzero when f is so close to a power of two that expl's error might put
   the exact value in the other binade.  */
static int
near_power_of_two (long double f)
{
  uint64_t m = ld_significand (f);
  uint64_t tol = (uint64_t) (2 * EXPL_RELERR * 0x1p64L);
  return m - 0x8000000000000000u <= tol || ~m <= tol;
}

/* The binade of e^x from its long double approximation F, or BINADE_UNKNOWN
   if F cannot tell.  Near 1 (half of all binary32 inputs have |x| < 2^-57)
   the sign of x decides, since e^x > 1 exactly when x > 0; near any other
   power of two only MPFR can.  */
#define BINADE_UNKNOWN INT_MIN

static int
exp_binade (float x, long double f)
{
  if (!near_power_of_two (f))
    return ld_binade (f);
  if (fabsl (f - 1) < 0.25L)
    return x >= 0 ? 1 : 0;
  return BINADE_UNKNOWN;
}

static double
pow2 (int e)
{
  uint64_t u = (uint64_t) (1023 + e) << 52;
  double d;
  memcpy (&d, &u, sizeof d);
  return d;
}

/* e^x in long double with relative error below EXPL_RELERR.  Four fifths of
   the binary32 domain has |x| < 2^-20, where a degree-4 Taylor polynomial
   (truncation error below x^5/120 < 2^-106, rounding a few 2^-64) is exact
   enough and about ten times cheaper than expl.  */
static long double
exp_ld (float x)
{
  long double t = x;
  if (fabsf (x) >= 0x1p-20f)
    return expl (t);
  return 1 + t * (1 + t * (0.5L + t * (1 / 6.0L + t * (1 / 24.0L))));
}

static fast_result
fast_exact (float x, float y)
{
  fast_result r = { 0, 0, 0, 0 };
  long double f = exp_ld (x);
  int e = exp_binade (x, f);
  if (!(f < OVERFLOW_F * (1 - 2 * EXPL_RELERR)) || e == BINADE_UNKNOWN)
    return r;
  if (isnan (y) || isinf (y))
    return r;                           /* rare; let MPFR say */
  int ue = e - 24 > -149 ? e - 24 : -149;
  long double scale = pow2 (-ue);
  long double g = f * scale;            /* f in ulps: exact, < 2^24 */
  long double slack = 2 * EXPL_RELERR * g;
  long double frac = g - (long double) (uint32_t) g;
  if (fabsl (frac - 0.5L) <= slack)
    return r;                           /* near a midpoint: rounding undecided */
  long double err = fabsl ((long double) y * scale - g);
  if (fabsl (err - BOUND) <= slack)
    return r;
  r.decided = 1;
  r.err = (double) err;
  r.slack = (double) slack;
  r.cr = to_bits ((float) f);
  return r;
}

/* The candidates for the maximum: the NCAND largest fast errors of a thread.  */
typedef struct {
  int n;
  double err[NCAND];
  uint32_t bits[NCAND];
} cands;

static void
cands_add (cands *c, double err, uint32_t bits)
{
  int i = c->n < NCAND ? c->n++ : NCAND - 1;
  if (i == NCAND - 1 && c->n == NCAND && err <= c->err[i])
    return;
  while (i > 0 && c->err[i - 1] < err)
    {
      c->err[i] = c->err[i - 1];
      c->bits[i] = c->bits[i - 1];
      i--;
    }
  c->err[i] = err;
  c->bits[i] = bits;
}

typedef struct {
  uint64_t checked, exceeded, slow, misrounded, selfchecked, selfcheck_bad;
  double selfcheck_max;     /* max relative error of exp_ld seen, in units of 2^-64 */
  double max_slack;
  cands top;
} tally;

static void
ref_selfcheck (mpfr_ws *w, float x, tally *t)
{
  long double f = exp_ld (x);
  mpfr_set_flt (w->x, x, MPFR_RNDN);
  mpfr_exp (w->f, w->x, MPFR_RNDN);
  mpfr_set_ld (w->d, f, MPFR_RNDN);
  mpfr_sub (w->d, w->d, w->f, MPFR_RNDN);
  mpfr_div (w->d, w->d, w->f, MPFR_RNDN);
  double rel = fabs (mpfr_get_d (w->d, MPFR_RNDN)) * 0x1p64;
  t->selfchecked++;
  if (rel > t->selfcheck_max)
    t->selfcheck_max = rel;
  if (rel > (double) (EXPL_RELERR * 0x1p64L))
    t->selfcheck_bad++;
}

static void
check_point (mpfr_ws *w, float (*impl) (float), float x, uint64_t i, tally *t)
{
  float y = impl (x);
  fast_result fr = fast_exact (x, y);
  double err;
  uint32_t cr;
  if (fr.decided)
    {
      err = fr.err;
      cr = fr.cr;
      if (fr.slack > t->max_slack)
        t->max_slack = fr.slack;
    }
  else
    {
      exact_result er = mpfr_exact (w, x, y);
      err = er.err;
      cr = er.cr;
      t->slow++;
    }
  t->checked++;
  t->exceeded += err > BOUND;
  t->misrounded += to_bits (y) != cr;
  if (t->top.n < NCAND || err > t->top.err[NCAND - 1])
    cands_add (&t->top, err, to_bits (x));
  if (i % SELFCHECK_STRIDE == 0)
    ref_selfcheck (w, x, t);
}

static void
tally_merge (tally *into, const tally *t)
{
  into->checked += t->checked;
  into->exceeded += t->exceeded;
  into->slow += t->slow;
  into->misrounded += t->misrounded;
  into->selfchecked += t->selfchecked;
  into->selfcheck_bad += t->selfcheck_bad;
  if (t->selfcheck_max > into->selfcheck_max)
    into->selfcheck_max = t->selfcheck_max;
  if (t->max_slack > into->max_slack)
    into->max_slack = t->max_slack;
  for (int k = 0; k < t->top.n; k++)
    if (into->top.n < NCAND || t->top.err[k] > into->top.err[NCAND - 1])
      cands_add (&into->top, t->top.err[k], t->top.bits[k]);
}

static void
sweep_all (const sweep *s, float (*impl) (float), tally *total)
{
  memset (total, 0, sizeof *total);
#pragma omp parallel
  {
    tally t;
    mpfr_ws w;
    memset (&t, 0, sizeof t);
    ws_init (&w);
#pragma omp for schedule(dynamic, 1)
    for (uint64_t b = 0; b < (s->count + 65535) / 65536; b++)
      {
        uint64_t end = (b + 1) * 65536 < s->count ? (b + 1) * 65536 : s->count;
        for (uint64_t i = b * 65536; i < end; i++)
          check_point (&w, impl, from_bits (sweep_bits (s, i)), i, &t);
      }
#pragma omp critical
    tally_merge (total, &t);
    ws_clear (&w);
    mpfr_free_cache ();
  }
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main (int argc, char **argv)
{
  const char *which = argc > 1 ? argv[1] : "prog";
  float (*impl) (float) = strcmp (which, "expf") == 0 ? libm_expf : exp_cw;
  if (strcmp (which, "prog") != 0 && strcmp (which, "expf") != 0)
    {
      fprintf (stderr, "usage: %s [prog|expf] [LO HI]\n", argv[0]);
      return 2;
    }
  float lo = argc > 3 ? strtof (argv[2], NULL) : DOM_LO;
  float hi = argc > 3 ? strtof (argv[3], NULL) : DOM_HI;
  sweep s = sweep_make (lo, hi);
  tally t;
  double t0 = now ();
  sweep_all (&s, impl, &t);
  double secs = now ();
  secs -= t0;

  /* The maximum: every candidate recomputed with MPFR.  The list is complete
     if its smallest fast error is below the largest minus twice the slack.  */
  mpfr_ws w;
  ws_init (&w);
  double maxerr = -1;
  uint32_t worst = 0;
  for (int k = 0; k < t.top.n; k++)
    {
      float x = from_bits (t.top.bits[k]);
      exact_result er = mpfr_exact (&w, x, impl (x));
      if (er.err > maxerr || (er.err == maxerr && t.top.bits[k] < worst))
        maxerr = er.err, worst = t.top.bits[k];
    }
  int complete = t.top.n < NCAND || t.top.err[NCAND - 1] < t.top.err[0] - 2 * t.max_slack;
  float wx = from_bits (worst), wy = impl (wx);
  exact_result we = mpfr_exact (&w, wx, wy);
  ws_clear (&w);

  printf ("implementation: %s\n", impl == exp_cw ? "exp_cw (tests/progs/exp_cw.anp in C99)" : "libm expf");
  printf ("domain: [%a, %a]\n", (double) lo, (double) hi);
  printf ("points checked: %llu\n", (unsigned long long) t.checked);
  printf ("max ULP: %.9f\n", maxerr);
  printf ("worst input: 0x%08x (%a)\n", worst, (double) wx);
  printf ("worst output: %a (correctly rounded: %a)\n", (double) wy, (double) from_bits (we.cr));
  printf ("exceeded bound: %llu (bound %g ULP)\n", (unsigned long long) t.exceeded, BOUND);
  printf ("not correctly rounded: %llu\n", (unsigned long long) t.misrounded);
  printf ("slow path (MPFR): %llu\n", (unsigned long long) t.slow);
  printf ("long double reference self-check: %llu points against MPFR, max relative error %.3g * 2^-64, %llu above the assumed bound\n",
          (unsigned long long) t.selfchecked, t.selfcheck_max, (unsigned long long) t.selfcheck_bad);
  printf ("candidate list complete: %s\n", complete ? "yes" : "NO");
  printf ("seconds: %.1f\n", secs);
  return t.selfcheck_bad || !complete || t.checked != s.count ? 1 : 0;
}
