/* verify -- exhaustive checks: every input of a domain (float32, 16-bit pairs: a fast double reference, MPFR where it cannot decide).  */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval/eval.h"
#include "eval/omp.h"
#include "eval/rng.h"
#include "eval/ulp.h"

#ifdef _OPENMP
#define THREAD_NUM omp_get_thread_num ()
#else
#define THREAD_NUM 0
#endif

#define VERIFY_CHUNK (1u << 16)     /* inputs per scheduling unit (a few ms) */
#define VERIFY_BATCH 4096           /* inputs per interpreter call */
#define VERIFY_REPORT_EVERY 0.3     /* seconds between progress calls */
#define VERIFY_PREC0 80             /* first MPFR precision of the slow path */
/* From this many inputs on, the program runs as compiled C (about 0.2 s of
   cc, against 4 ns per input for the interpreter).  */
#define VERIFY_NATIVE_MIN (1u << 24)
#ifndef AN_BENCH_CFLAGS
#define AN_BENCH_CFLAGS "-O3"
#endif
#define VERIFY_MAXPREC 65536

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* One thread's tools: its interpreter, buffers and MPFR variables.  */
typedef struct {
  dsl_interp *interp;
  uint32_t *x;           /* a batch of inputs (bit patterns) */
  float *y;              /* the program's results */
  float *ycheck;         /* the interpreter's, where it checks the compiled C */
  double *xd;            /* the inputs as doubles */
  double *fd, *est;      /* the fast reference and the error estimates */
  unsigned char *code;   /* PASS, FAIL or UNDECIDED per point */
  eval_metric metric;    /* what EST and the verdicts are in */
  mpfr_t xm, lo, hi, dmin, dmax;
} worker;

static void
worker_free (worker *w)
{
  if (!w)
    return;
  dsl_interp_free (w->interp);
  free (w->x);
  free (w->y);
  free (w->ycheck);
  free (w->xd);
  free (w->fd);
  free (w->est);
  free (w->code);
  mpfr_clears (w->xm, w->lo, w->hi, w->dmin, w->dmax, (mpfr_ptr) 0);
  free (w);
}

static worker *
worker_new (const dsl_prog *p, eval_metric metric)
{
  worker *w = calloc (1, sizeof *w);
  if (!w)
    return NULL;
  w->metric = metric;
  mpfr_init2 (w->xm, EVAL_F32_P);
  mpfr_inits2 (VERIFY_PREC0, w->lo, w->hi, w->dmin, w->dmax, (mpfr_ptr) 0);
  w->interp = dsl_interp_new (p);
  w->x = malloc (VERIFY_BATCH * sizeof (uint32_t));
  w->y = malloc (VERIFY_BATCH * sizeof (float));
  w->ycheck = malloc (VERIFY_BATCH * sizeof (float));
  w->xd = malloc (VERIFY_BATCH * sizeof (double));
  w->fd = malloc (VERIFY_BATCH * sizeof (double));
  w->est = malloc (VERIFY_BATCH * sizeof (double));
  w->code = malloc (VERIFY_BATCH);
  if (!w->interp || !w->x || !w->y || !w->ycheck || !w->xd || !w->fd || !w->est || !w->code)
    {
      worker_free (w);
      return NULL;
    }
  return w;
}

/* Disagreements: the lowered C and the total C, the compiled C and the interpreter.  */
enum { DIFFER_LOWERED = 1, DIFFER_INTERP = 2 };

/* What one thread found.  */
typedef struct {
  uint64_t exceeded, slow, unresolved;
  double max;        /* the largest error (estimate) seen, -1 before the first */
  uint64_t worst;    /* its key; the first in enumeration order among equals */
  double msum;       /* the sum of the finite estimates, and their count: the mean */
  uint64_t mcount;
  double umax, usum; /* with a bound in another metric, the ULP estimates beside: max (at uworst), sum */
  uint64_t ucount, uworst;
  int differ;        /* DIFFER_LOWERED or DIFFER_INTERP at input DIFFER_X, else 0 */
  uint32_t differ_x;
} tally;

static void
tally_point (tally *s, uint64_t key, double err)
{
  if (err > s->max || (err == s->max && key < s->worst))
    {
      s->max = err;
      s->worst = key;
    }
}

/* ---- the slow path: MPFR ---- */

enum { PASS, FAIL, UNDECIDED, UNRESOLVED };

/* With f(x) in [W->lo, W->hi] (EXACT: a single value), tries to decide
   whether err(Y, f) exceeds BOUND.  Returns PASS, FAIL or UNDECIDED, and in
   *ERR the error to within 2^-40 ULP (relative 2^-40 above 1 ULP) when
   decided.  */
static int
decide_enclosure (worker *w, int exact, float y, double bound, double *err)
{
  mpfr_ptr lo = w->lo, hi = w->hi;
  /* Results at or past the overflow threshold round to infinity.  */
  if (mpfr_cmp_d (lo, EVAL_F32_OVERFLOW) >= 0 || mpfr_cmp_d (hi, -EVAL_F32_OVERFLOW) <= 0)
    {
      int right = isinf (y) && (y > 0) == (mpfr_sgn (lo) > 0);
      *err = right ? 0.0 : INFINITY;
      return *err > bound ? FAIL : PASS;
    }
  if (mpfr_cmp_d (lo, -EVAL_F32_OVERFLOW) <= 0 || mpfr_cmp_d (hi, EVAL_F32_OVERFLOW) >= 0)
    return UNDECIDED;
  if (isinf (y))
    {
      *err = INFINITY;
      return *err > bound ? FAIL : PASS;
    }
  /* The exponent of ulp(f): one value for the whole enclosure, or undecided.  */
  mpfr_exp_t ue = 0;
  if (w->metric != EVAL_ULP)
    {
      if (!exact && (!mpfr_regular_p (lo) || !mpfr_regular_p (hi) || mpfr_sgn (lo) != mpfr_sgn (hi)))
        return UNDECIDED;
    }
  else if (exact && mpfr_zero_p (lo))
    ue = EVAL_F32_SUBMIN;
  else
    {
      if (!mpfr_regular_p (lo) || !mpfr_regular_p (hi) || mpfr_sgn (lo) != mpfr_sgn (hi))
        return UNDECIDED;
      mpfr_exp_t a = mpfr_get_exp (lo) - EVAL_F32_P, b = mpfr_get_exp (hi) - EVAL_F32_P;
      a = a > EVAL_F32_SUBMIN ? a : EVAL_F32_SUBMIN;
      b = b > EVAL_F32_SUBMIN ? b : EVAL_F32_SUBMIN;
      if (a != b)
        return UNDECIDED;
      ue = a;
    }
  /* |y - f| over f in [lo, hi], rounded outward.  */
  mpfr_prec_t prec = mpfr_get_prec (lo);
  mpfr_set_prec (w->dmin, prec);
  mpfr_set_prec (w->dmax, prec);
  if (mpfr_cmp_d (hi, y) <= 0)
    {
      mpfr_d_sub (w->dmin, y, hi, MPFR_RNDD);
      mpfr_d_sub (w->dmax, y, lo, MPFR_RNDU);
    }
  else if (mpfr_cmp_d (lo, y) >= 0)
    {
      mpfr_sub_d (w->dmin, lo, y, MPFR_RNDD);
      mpfr_sub_d (w->dmax, hi, y, MPFR_RNDU);
    }
  else
    {
      mpfr_set_zero (w->dmin, 1);
      mpfr_d_sub (w->dmax, y, lo, MPFR_RNDU);
      mpfr_sub_d (w->hi, hi, y, MPFR_RNDU);   /* hi is no longer needed */
      mpfr_max (w->dmax, w->dmax, w->hi, MPFR_RNDU);
    }
  if (w->metric == EVAL_ULP)
    {
      mpfr_mul_2si (w->dmin, w->dmin, -ue, MPFR_RNDD);   /* exact: powers of two */
      mpfr_mul_2si (w->dmax, w->dmax, -ue, MPFR_RNDU);
    }
  else if (w->metric == EVAL_REL)
    {
      /* |y - f| / |f| over f in [lo, hi] (one sign), or 0 / infinite for f = 0.  */
      if (exact && mpfr_zero_p (lo))
        {
          *err = y == 0 ? 0.0 : INFINITY;
          return *err > bound ? FAIL : PASS;
        }
      mpfr_t m;
      mpfr_init2 (m, prec);
      mpfr_abs (m, mpfr_sgn (lo) > 0 ? hi : lo, MPFR_RNDU);   /* the largest |f| */
      mpfr_div (w->dmin, w->dmin, m, MPFR_RNDD);
      mpfr_abs (m, mpfr_sgn (lo) > 0 ? lo : hi, MPFR_RNDD);   /* the smallest */
      mpfr_div (w->dmax, w->dmax, m, MPFR_RNDU);
      mpfr_clear (m);
    }
  int v = mpfr_cmp_d (w->dmax, bound) <= 0 ? PASS
          : mpfr_cmp_d (w->dmin, bound) > 0 ? FAIL : UNDECIDED;
  /* Also narrow enough to report the error itself: to 2^-40 of it (ULP:
     to 2^-40 ULP below 1 ULP).  */
  *err = mpfr_get_d (w->dmax, MPFR_RNDN);
  mpfr_sub (w->dmin, w->dmax, w->dmin, MPFR_RNDU);
  if (v == UNDECIDED || mpfr_cmp_d (w->dmin, 0x1p-40 * (w->metric == EVAL_ULP ? fmax (1, *err) : *err)) > 0)
    return UNDECIDED;
  return v;
}

/* The error of Y at X decided with MPFR at increasing precision (Ziv);
   UNRESOLVED (with an infinite error) where the target's enclosure gives up.  */
static int
decide_exact (worker *w, const eval_target *t, float x, float y, double bound, double *err)
{
  if (isnan (y))
    {
      *err = INFINITY;
      return *err > bound ? FAIL : PASS;
    }
  mpfr_set_flt (w->xm, x, MPFR_RNDN);
  for (mpfr_prec_t prec = VERIFY_PREC0;; prec *= 2)
    {
      mpfr_set_prec (w->lo, prec);
      mpfr_set_prec (w->hi, prec);
      int exact = t->enclose (t, w->lo, w->hi, (const mpfr_t *) &w->xm, prec);
      if (exact < 0)
        {
          *err = INFINITY;
          return UNRESOLVED;
        }
      int v = decide_enclosure (w, exact, y, bound, err);
      if (v != UNDECIDED)
        return v;
      /* Only an exact tie with BOUND the enclosure does not flag as exact can get here.  */
      assert (prec < VERIFY_MAXPREC && "verify: MPFR cannot decide a point");
      if (prec >= VERIFY_MAXPREC)
        {
          *err = mpfr_get_d (w->dmax, MPFR_RNDN);
          return *err > bound ? FAIL : PASS;
        }
    }
}

/* ---- the fast path: a double reference with relative error <= r ---- */

/* 1 / ulp_float32(v) for v > 0 a normal double above 2^-1000, exactly:
   2^(23 - e) for 2^e <= v < 2^(e+1), capped at 2^149 (the subnormal floor).
   Branch-free so that quick_verdict vectorises; garbage (never used) for
   other V.  */
static inline double
inv_ulp (double v)
{
  uint64_t b;
  memcpy (&b, &v, sizeof b);
  uint64_t r = (2046 - (b >> 52)) << 52;   /* 2^-e */
  double u;
  memcpy (&u, &r, sizeof u);
  u *= 0x1p23;
  return u < 0x1p149 ? u : 0x1p149;
}

/* PASS or FAIL when the error, known to lie in [ELO, EHI], is on one side
   of BOUND, else UNDECIDED; *EST = the midpoint.  */
static inline int
verdict (double elo, double ehi, double bound, double *est)
{
  *est = 0.5 * (elo + ehi);
  if (ehi <= bound)
    return PASS;
  if (elo > bound)
    return FAIL;
  return UNDECIDED;
}

/* verdict for an error c * IU with |c - |y - f|| <= DD (see decide_fast).  */
static inline int
verdict_scaled (double c, double dd, double iu, double bound, double *est)
{
  double emid = c * iu, w = dd * iu + emid * 0x1p-50;
  return verdict (emid - w, emid + w, bound, est);
}

/* The power of two between A - 2DD and A + 2DD when their ulps differ: the
   exponent bits of A + 2DD.  */
static inline double
power_below (double v)
{
  uint64_t b;
  memcpy (&b, &v, sizeof b);
  b &= 0x7ff0000000000000u;
  double p;
  memcpy (&p, &b, sizeof p);
  return p;
}

/* With f known to lie strictly on one side of an anchor A (SIDE = sign of
   f - A, A a float32 value within 2DD of FD), narrows [*ELO, *EHI]: if y is
   on the other side of A, |y - f| > |y - A|; if y is on the same side and
   beyond f's interval, |y - f| < |y - A|.  Only when y and A have the same
   sign and are within a factor 2, so that y - A is exact.  */
static inline void
narrow_by_anchor (float y, double a_, int side, double dd, double iu, double *elo, double *ehi)
{
  double yd = y, ay = fabs (yd), aa = fabs (a_);
  if ((yd > 0) != (a_ > 0) || ay < 0.5 * aa || ay > 2 * aa)
    return;
  double g = yd - a_;                   /* exact (Sterbenz) */
  double sg = side > 0 ? g : -g;        /* > 0: y on f's side of A */
  if (sg <= 0)
    *elo = fmax (*elo, fabs (g) * iu);
  else if (fabs (g) > 4 * dd)           /* |f - A| <= 3DD (plus roundings) */
    *ehi = fmin (*ehi, fabs (g) * iu);
}

/* Decides err(Y, f) <= BOUND, f = f(XD), from FD, a double with
   |FD - f| <= r |f|, where E = r + 2^-51 (see below).  Returns PASS, FAIL
   or UNDECIDED, and in *EST an estimate within 2^-25 ULP of the error:
   r |f| / ulp(f) <= 2^-50 * 2^24.

   Why the interval is conservative: |f - fd| <= r/(1-r) |fd| <= (r + 2r^2)|fd|,
   and DD = fl(|fd| E) >= |fd| (r + 2^-51)(1 - 2^-53) >= |fd| (r + 2r^2) for
   r <= 2^-27, so f lies in [fd - DD, fd + DD] and |y - f| in [c - DD, c + DD]
   with c = |y - fd|.  c is computed with one rounding (relative 2^-53), the
   scaling by 1/ulp is exact (a power of two), and the final sums round once
   more: the term emid * 2^-50 covers all three.  A point whose f might reach
   the overflow threshold, might be zero, or whose FD is not finite is left
   undecided.

   Two places need more than FD, and ask the target's SIDE hint (on which
   side of an anchor A the exact value lies), else are left undecided:
   - f within 2DD of a power of two P: the binade of f, hence its ulp, is
     unknown.  If y = P the error is below 2^-24 in either binade (|y - f|
     <= 3DD), otherwise the side of P tells the binade.
   - the error within 2^-26 of BOUND: when f lies within 2DD of a float32
     value A (tanh x next to x, erf x next to 1, ...), knowing the side of A
     bounds |y - f| by |y - A| from the right side.  */
static inline int
decide_fast (const eval_target *t, double xd, double fd, float y, double e, double bound,
             double *est)
{
  uint32_t yb = eval_f32_bits (y);
  if ((yb & 0x7fffffffu) > 0x7f800000u)
    {
      *est = INFINITY;    /* NaN: wrong whatever f is */
      return INFINITY > bound ? FAIL : PASS;
    }
  double a = fabs (fd), dd = a * e;
  /* 0x1p-1000: fd far from double's subnormals, so inv_ulp applies.  */
  if (!(a >= 0x1p-1000 && a + 2 * dd < EVAL_F32_OVERFLOW))
    return UNDECIDED;
  if ((yb & 0x7fffffffu) == 0x7f800000u)
    {
      *est = INFINITY;    /* infinity where f rounds to a finite value */
      return INFINITY > bound ? FAIL : PASS;
    }
  double c = fabs ((double) y - fd);
  double iu_below = inv_ulp (a - 2 * dd), iu_above = inv_ulp (a + 2 * dd);
  double anchor, iu_anchor;
  if (iu_below == iu_above)
    {
      int v = verdict_scaled (c, dd, iu_below, bound, est);
      if (v != UNDECIDED || !t->side)
        return v;
      anchor = (double) (float) fd;
      if (!(fabs (fd - anchor) <= 2 * dd))
        return UNDECIDED;
      iu_anchor = iu_below;
    }
  else
    {
      double p = power_below (a + 2 * dd);
      anchor = fd < 0 ? -p : p;
      iu_anchor = iu_above;             /* P starts the upper binade */
      if ((double) y == anchor)
        /* The larger ulp gives the lower end, the smaller the upper end.  */
        return verdict ((c - dd) * iu_above * (1 - 0x1p-50), (c + dd) * iu_below * (1 + 0x1p-50),
                        bound, est);
      if (!t->side)
        return UNDECIDED;
    }
  int side = t->side (&xd, anchor);
  if (side == 0)                        /* f = A */
    return verdict_scaled (fabs ((double) y - anchor), 0, iu_anchor, bound, est);
  if (side != 1 && side != -1)
    return UNDECIDED;
  /* Near P, the side gives the binade: |f| > P or |f| < P.  */
  double iu = iu_below == iu_above ? iu_below : (side > 0) == (anchor > 0) ? iu_above : iu_below;
  double emid = c * iu, w = dd * iu + emid * 0x1p-50, elo = emid - w, ehi = emid + w;
  narrow_by_anchor (y, anchor, side, dd, iu, &elo, &ehi);
  return verdict (elo, ehi, bound, est);
}

/* COND ? A : B on bit patterns (a conditional move the vectoriser accepts).  */
static inline double
select_d (int cond, double a, double b)
{
  uint64_t ua, ub, mask = -(uint64_t) (cond != 0);
  memcpy (&ua, &a, sizeof ua);
  memcpy (&ub, &b, sizeof ub);
  ua = (ua & mask) | (ub & ~mask);
  memcpy (&a, &ua, sizeof a);
  return a;
}

/* decide_fast's common cases without branches, so that a batch of them
   vectorises: y finite, the error clear of BOUND, and f away from powers
   of two (or y that power of two).  Anything else is UNDECIDED here and
   goes to decide_fast.  */
static inline unsigned char
quick_verdict (double fd, float y, double e, double bound, double *est)
{
  double a = fabs (fd), dd = a * e, yd = y;
  double iu_below = inv_ulp (a - 2 * dd), iu_above = inv_ulp (a + 2 * dd);
  double c = fabs (yd - fd), emid = c * iu_below, w = dd * iu_below + emid * 0x1p-50;
  double elo = emid - w, ehi = emid + w;
  /* f near a power of two P and y = P: decide_fast's bounds (e^x near 0).  */
  int at_p = (iu_below != iu_above) & (fabs (yd) == power_below (a + 2 * dd)) & ((yd < 0) == (fd < 0));
  double plo = (c - dd) * iu_above * (1 - 0x1p-50), phi = (c + dd) * iu_below * (1 + 0x1p-50);
  elo = select_d (at_p, plo, elo);
  ehi = select_d (at_p, phi, ehi);
  *est = 0.5 * (elo + ehi);
  int plain = (a >= 0x1p-1000) & (a + 2 * dd < EVAL_F32_OVERFLOW) & ((iu_below == iu_above) | at_p);
  /* A NaN or infinite y makes elo or ehi NaN or infinite: neither test holds.  */
  int pass = plain & (ehi <= bound), fail = plain & (elo > bound);
  return (unsigned char) (UNDECIDED - 2 * pass - fail);   /* PASS 0, FAIL 1, UNDECIDED 2 */
}

/* quick_verdict for the absolute (REL 0) and relative (REL 1) errors:
   |y - f| lies in [c - DD, c + DD] with c = |y - fd| (rounded once), and
   |f| in [|fd| - DD, |fd| + DD]; the 2^-50 terms cover the roundings.  */
static inline unsigned char
quick_verdict_metric (double fd, float y, double e, double bound, int rel, double *est)
{
  double a = fabs (fd), dd = a * e, c = fabs ((double) y - fd);
  double elo = (c - dd) * (1 - 0x1p-50), ehi = (c + dd) * (1 + 0x1p-50);
  double flo = (a - dd) * (1 - 0x1p-50), fhi = (a + dd) * (1 + 0x1p-50);
  elo = rel ? elo / fhi * (1 - 0x1p-50) : elo;
  ehi = rel ? ehi / flo * (1 + 0x1p-50) : ehi;
  *est = 0.5 * (elo + ehi);
  int plain = (a >= 0x1p-1000) & (a + 2 * dd < EVAL_F32_OVERFLOW);
  int pass = plain & (ehi <= bound), fail = plain & (elo > bound);
  return (unsigned char) (UNDECIDED - 2 * pass - fail);   /* PASS 0, FAIL 1, UNDECIDED 2 */
}

/* Decides the points quick_verdict left open: decide_fast, else MPFR.  */
static void
settle_undecided (worker *w, const eval_target *t, double e, double bound, size_t m, tally *s)
{
  size_t open = 0;
  const unsigned char *restrict code = w->code;
  OMP (omp simd reduction (+ : open))
  for (size_t i = 0; i < m; i++)
    open += code[i] == UNDECIDED;
  for (size_t i = 0; open && i < m; i++)
    {
      if (w->code[i] != UNDECIDED)
        continue;
      open--;
      float x = eval_f32_from_bits (w->x[i]);
      int v = UNDECIDED;
      if (e > 0 && w->metric == EVAL_ULP)
        v = decide_fast (t, x, w->fd[i], w->y[i], e, bound, &w->est[i]);
      if (v == UNDECIDED)
        {
          v = decide_exact (w, t, x, w->y[i], bound, &w->est[i]);
          s->slow++;
          if (v == UNRESOLVED)
            s->unresolved++, v = FAIL;
        }
      w->code[i] = (unsigned char) v;
    }
}

/* Counts a decided batch (keys K, K+1, ...) into S: points over the bound,
   and the largest estimate with its first key.  */
static void
tally_batch (const worker *w, uint64_t k, size_t m, int with_ulp, tally *s)
{
  const unsigned char *restrict code = w->code;
  const double *restrict est = w->est;
  uint64_t nfail = 0, bcount = 0;
  double bmax = -1, bsum = 0;
  OMP (omp simd reduction (+ : nfail, bcount, bsum) reduction (max : bmax))
  for (size_t i = 0; i < m; i++)
    {
      int fin = est[i] <= DBL_MAX;
      nfail += code[i] == FAIL;
      bmax = est[i] > bmax ? est[i] : bmax;
      bcount += (uint64_t) fin;
      bsum += fin ? est[i] : 0;
    }
  s->mcount += bcount;
  s->msum += bsum;
  /* With a bound in another metric, the ULP error beside it, estimated from
     the double reference (within a relative 2^-48 but next to overflow,
     zeros and powers of two).  */
  for (size_t i = 0; with_ulp && i < m; i++)
    {
      double fd = w->fd[i], y = w->y[i];
      if (!isfinite (fd) || !isfinite (y) || fabs (fd) < 0x1p-1000)
        continue;
      double u = fabs (y - fd) * inv_ulp (fabs (fd));
      s->ucount++;
      s->usum += u;
      if (u > s->umax)
        s->umax = u, s->uworst = k + i;
    }
  s->exceeded += nfail;
  if (bmax > s->max)    /* keys increase within a thread: the first stays */
    for (size_t i = 0; i < m; i++)
      if (est[i] == bmax)
        {
          s->max = bmax;
          s->worst = k + i;
          break;
        }
}

/* The program compiled: LOOP, its exported C lowered for the domain, and
   TOTAL, the same program with every op in its total form.  */
typedef struct {
  eval_loop_fn loop, total;
} compiled;

/* Records the first input of the batch where Y and Z differ, as KIND.  */
static void
compare_bits (const worker *w, const float *y, const float *z, size_t m, int kind, tally *s)
{
  if (s->differ || memcmp (y, z, m * sizeof *y) == 0)
    return;
  for (size_t i = 0; i < m; i++)
    if (eval_f32_bits (y[i]) != eval_f32_bits (z[i]))
      {
        s->differ = kind;
        s->differ_x = w->x[i];
        return;
      }
}

/* The program on a batch: compiled (C->loop) or interpreted.  The lowered
   C must give the total form's bits on every input (the lowering is only
   valid on the domain, and this checks it there, point by point); with
   CHECK the interpreter runs the batch too and must give the same bits.  */
static void
run_program (worker *w, const compiled *c, size_t m, int check, tally *s)
{
  const void *in[1] = {w->x};
  if (!c->loop)
    {
      dsl_interp_run (w->interp, m, in, w->y);
      return;
    }
  const void *lin[1] = {w->x};
  c->loop (m, lin, w->y);
  c->total (m, lin, w->ycheck);
  compare_bits (w, w->y, w->ycheck, m, DIFFER_LOWERED, s);
  if (!check)
    return;
  dsl_interp_run (w->interp, m, in, w->ycheck);
  compare_bits (w, w->y, w->ycheck, m, DIFFER_INTERP, s);
}

/* Keys [K0, K1) through the program (LOOP: compiled, else interpreted; the
   first batch of the chunk both ways) and the references (REF, whose
   relative error bound plus slack is E; 0: MPFR only).  */
static void
run_chunk (worker *w, const compiled *code, const eval_fastref *ref, double e, double bound, uint64_t k0,
           uint64_t k1, tally *s)
{
  const eval_target *t = ref->t;
  for (uint64_t k = k0; k < k1; k += VERIFY_BATCH)
    {
      size_t m = k1 - k < VERIFY_BATCH ? (size_t) (k1 - k) : VERIFY_BATCH;
      uint32_t *restrict x = w->x, k32 = (uint32_t) k;
      OMP (omp simd)
      for (size_t i = 0; i < m; i++)
        x[i] = dsl_bits_of_key (k32 + (uint32_t) i);
      run_program (w, code, m, k == k0, s);
      if (e > 0)
        {
          double *restrict xd = w->xd;
          OMP (omp simd)
          for (size_t i = 0; i < m; i++)
            xd[i] = eval_f32_from_bits (x[i]);
          eval_fastref_run (ref, xd, w->fd, m);
          const double *restrict fd = w->fd;
          const float *restrict y = w->y;
          double *restrict est = w->est;
          unsigned char *restrict code = w->code;
          if (w->metric == EVAL_ULP)
            {
              OMP (omp simd)
              for (size_t i = 0; i < m; i++)
                code[i] = quick_verdict (fd[i], y[i], e, bound, &est[i]);
            }
          else
            {
              int rel = w->metric == EVAL_REL;
              OMP (omp simd)
              for (size_t i = 0; i < m; i++)
                code[i] = quick_verdict_metric (fd[i], y[i], e, bound, rel, &est[i]);
            }
        }
      else
        memset (w->code, UNDECIDED, m);
      settle_undecided (w, t, e, bound, m, s);
      tally_batch (w, k, m, e > 0 && w->metric != EVAL_ULP, s);
    }
}

static int
check_args (const dsl_prog *p, const eval_target *t, const eval_domain *d, double bound,
            dsl_error *err)
{
  if (p->nin != t->arity)
    return dsl_error_set (err, "the program has %d input%s but target %s takes %d", p->nin, p->nin == 1 ? "" : "s",
                          t->label, t->arity);
  if (isnan (bound) || bound < 0)
    return dsl_error_set (err, "the error bound must be a number >= 0");
  if (eval_domain_check (t, p->type, d, err))
    return -1;
  return dsl_prog_check (p, err);
}

/* The worst point's error in METRIC, recomputed with MPFR (exact to 2^-40 of it).  */
static int
exact_worst (const dsl_prog *p, const eval_target *t, eval_metric metric, uint32_t key, double *err)
{
  worker *w = worker_new (p, metric);
  if (!w)
    return -1;
  w->x[0] = dsl_bits_of_key (key);
  const void *in[1] = {w->x};
  dsl_interp_run (w->interp, 1, in, w->y);
  decide_exact (w, t, eval_f32_from_bits (w->x[0]), w->y[0], 0.0, err);
  worker_free (w);
  return 0;
}

/* Chunks are visited in PASSES interleaved passes (pass r: chunks r, r +
   PASSES, ...): with early exit, a program that fails somewhere is usually
   caught in the first pass, 1/PASSES of the work, and which input it is
   caught at does not depend on the thread count.  */
#define PASSES 16

static int native_mode;

void
eval_verify_native (int mode)
{
  native_mode = mode;
}

int
eval_verify (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
             int threads, eval_progress_fn progress, void *arg,
             eval_verify_result *out /* OUT */, dsl_error *err)
{
  return eval_verify_until (p, t, d, metric, bound, threads, 0, progress, arg, out, err);
}

/* float32, one argument: every input, a fast double reference, MPFR where it cannot decide.  */
static int
verify_f32 (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
            int threads, int stop_above, eval_progress_fn progress, void *arg, eval_verify_result *out,
            dsl_error *err)
{
  double t0 = now (), last = t0;
  uint32_t klo = dsl_key_of_bits (eval_f32_bits ((float) d->lo[0])), khi = dsl_key_of_bits (eval_f32_bits ((float) d->hi[0]));
  uint64_t total = (uint64_t) khi - klo + 1, nchunks = (total + VERIFY_CHUNK - 1) / VERIFY_CHUNK;
  /* The fast path's bound, with 2^-51 of slack for the rounding in
     decide_fast; a reference worse than 2^-27 is not used at all.  */
  eval_fastref ref;
  eval_fastref_init (&ref, t);
  double e = t->fast && ref.relerr <= 0x1p-27 ? ref.relerr + 0x1p-51 : 0;
  int nt = eval_threads (threads);
  (void) nt;
  /* The program as compiled C where that pays and a compiler is at hand;
     the interpreter otherwise.  */
  eval_native *nat = NULL;
  compiled code = {NULL, NULL};
  if (native_mode > 0 || (native_mode == 0 && total >= VERIFY_NATIVE_MIN))
    if (eval_native_program (p, d, AN_BENCH_CFLAGS, &nat, &code.loop, &code.total, NULL) < 0)
      code.loop = code.total = NULL;
  tally all = {.max = -1, .umax = -1};
  uint64_t done = 0;
  int nomem = 0;
  uint64_t npass = nchunks < PASSES ? nchunks : PASSES;
  for (uint64_t pass = 0; pass < npass && !nomem && !(stop_above && all.exceeded); pass++)
    OMP (omp parallel num_threads (nt))
    {
      worker *w = worker_new (p, metric);
      tally mine = {.max = -1, .umax = -1};
      if (!w)
        {
          OMP (omp atomic write)
          nomem = 1;
        }
      OMP (omp for schedule (dynamic, 1))
      for (uint64_t c = pass; c < nchunks; c += npass)
        {
          if (!w)
            continue;
          uint64_t k0 = klo + c * VERIFY_CHUNK, k1 = k0 + VERIFY_CHUNK;
          k1 = k1 < (uint64_t) khi + 1 ? k1 : (uint64_t) khi + 1;
          run_chunk (w, &code, &ref, e, bound, k0, k1, &mine);
          OMP (omp atomic)
          done += k1 - k0;
          if (progress && THREAD_NUM == 0 && now () - last >= VERIFY_REPORT_EVERY)
            {
              uint64_t sofar;
              OMP (omp atomic read)
              sofar = done;
              last = now ();
              progress ((double) sofar / (double) total, arg);
            }
        }
      OMP (omp critical (eval_verify_merge))
      {
        all.exceeded += mine.exceeded;
        all.slow += mine.slow;
        all.unresolved += mine.unresolved;
        if (mine.max >= 0)
          tally_point (&all, mine.worst, mine.max);
        all.mcount += mine.mcount;
        all.msum += mine.msum;
        all.ucount += mine.ucount;
        all.usum += mine.usum;
        if (mine.umax > all.umax || (mine.umax == all.umax && mine.uworst < all.uworst))
          all.umax = mine.umax, all.uworst = mine.uworst;
        if (mine.differ && (!all.differ || dsl_key_of_bits (mine.differ_x) < dsl_key_of_bits (all.differ_x)))
          {
            all.differ = mine.differ;
            all.differ_x = mine.differ_x;
          }
      }
      worker_free (w);
    }
  eval_native_free (nat);
  if (nomem)
    return dsl_error_set (err, "out of memory for the verifier's threads");
  if (all.differ)
    return dsl_error_set (err, "the program's exported C computes other bits than %s at x = %a "
                          "(a bug in autonum: please report it with the program)",
                          all.differ == DIFFER_LOWERED ? "its total form (the lowering for the domain is wrong)"
                                                        : "the interpreter",
                          (double) eval_f32_from_bits (all.differ_x));
  /* The max is the exact error (MPFR) of the point whose estimate was the
     largest.  Where the fast path decided, estimates are within 2^-26 ULP of
     the truth (2^-25 next to powers of two), so the true maximum over the
     inputs checked is at most 2^-24 ULP above the reported one.  The other
     metrics' figures are the double reference's estimates, their maxima
     recomputed exactly.  */
  double max;
  if (exact_worst (p, t, metric, (uint32_t) all.worst, &max))
    return dsl_error_set (err, "out of memory for the verifier");
  out->method = EVAL_EXHAUSTIVE;
  out->checked = done;
  out->complete = done == total;
  out->exceeded = all.exceeded;
  out->slow_path = all.slow;
  out->unresolved = all.unresolved;
  out->native = code.loop != NULL;
  out->max_err = max;
  for (int q = 0; q < EVAL_NMETRICS; q++)
    out->err.max[q] = out->err.mean[q] = NAN;   /* not measured */
  out->err.max[metric] = max;
  out->err.mean[metric] = all.mcount ? all.msum / (double) all.mcount : NAN;
  if (metric != EVAL_ULP && all.ucount)
    {
      if (exact_worst (p, t, EVAL_ULP, (uint32_t) all.uworst, &out->err.max[EVAL_ULP]))
        return dsl_error_set (err, "out of memory for the verifier");
      out->err.mean[EVAL_ULP] = all.usum / (double) all.ucount;
    }
  out->max_ulp = out->err.max[EVAL_ULP];
  out->worst[0] = eval_f32_bits (eval_f32_from_bits (dsl_bits_of_key ((uint32_t) all.worst)));
  out->seconds = now () - t0;
  if (progress)
    progress (1.0, arg);
  return 0;
}

/* Fills OUT's figures from the per-point errors E[i * EVAL_NMETRICS + m] of
   N points X of type Y.  */
static void
result_from_errors (const dsl_prog *p, const eval_samples *s, const double *e, size_t n, eval_metric metric,
                    double bound, eval_verify_result *out)
{
  double sum[EVAL_NMETRICS] = {0};
  size_t cnt[EVAL_NMETRICS] = {0}, worst = 0;
  for (int m = 0; m < EVAL_NMETRICS; m++)
    out->err.max[m] = -1;
  for (size_t i = 0; i < n; i++)
    {
      for (int m = 0; m < EVAL_NMETRICS; m++)
        {
          double v = e[i * EVAL_NMETRICS + m];
          out->err.max[m] = v > out->err.max[m] ? v : out->err.max[m];
          if (isfinite (v))
            sum[m] += v, cnt[m]++;
        }
      double v = e[i * EVAL_NMETRICS + metric];
      out->exceeded += v > bound;
      if (v > e[worst * EVAL_NMETRICS + metric])
        worst = i;
    }
  for (int m = 0; m < EVAL_NMETRICS; m++)
    out->err.mean[m] = cnt[m] ? sum[m] / (double) cnt[m] : INFINITY;
  out->max_err = out->err.max[metric];
  out->max_ulp = out->err.max[EVAL_ULP];
  for (int j = 0; j < p->nin; j++)
    out->worst[j] = eval_value_bits (s->type, s->in[j], worst);
}

/* Runs P on S (compiled, compared with the interpreter bit for bit, where a
   compiler works) into Y; every metric's error of every point into E.  */
static int
errors_on (const dsl_prog *p, const eval_samples *s, void *y, double *e, int *native, dsl_error *err)
{
  if (dsl_run (p, s->n, (const void *const *) s->in, y) < 0)
    return dsl_error_set (err, "out of memory for the interpreter");
  eval_native *nat = NULL;
  eval_loop_fn loop = NULL;
  *native = 0;
  size_t sz = eval_type_size (s->type);
  void *yc = malloc (s->n * sz);
  if (yc && eval_native_program (p, &s->dom, AN_BENCH_CFLAGS, &nat, &loop, NULL, NULL) == 0)
    {
      loop (s->n, (const void *const *) s->in, yc);
      *native = 1;
      for (size_t i = 0; i < s->n; i++)
        if (eval_value_bits (s->type, y, i) != eval_value_bits (s->type, yc, i))
          {
            double x = eval_value (s->type, s->in[0], i);
            eval_native_free (nat);
            free (yc);
            return dsl_error_set (err, "the program's exported C computes other bits than the interpreter at "
                                  "x = %a (a bug in autonum: please report it with the program)", x);
          }
    }
  eval_native_free (nat);
  free (yc);
  for (size_t i = 0; i < s->n; i++)
    eval_point_errors (s->type, eval_value (s->type, y, i), s->ref_hi[i], s->ref_lo[i], &e[i * EVAL_NMETRICS]);
  return 0;
}

/* Inputs scored before the search for a worse one, and its budget.  */
#define SEARCH_SAMPLES 65536
#define SEARCH_STARTS 32
#define SEARCH_STEPS 256

/* The largest error in METRIC of P near the worst points of S: from each of
   the SEARCH_STARTS worst points, a hill climb over the inputs' bits (steps
   of 2^u ulps, u random up to the type's precision, in either direction, on
   one argument) that keeps a move when the error grows, staying in D.
   Adds every point it tries to S's count in *TRIED, and returns the new
   points with their errors appended to S and E.  */
static int
search_worse (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, eval_samples *s,
              double **e, uint64_t *tried, dsl_error *err)
{
  an_rng r;
  an_rng_seed (&r, 0x5eed);
  dsl_type y = p->type;
  int bits = dsl_type_bits (y), prec = dsl_type_info (y)->p;
  size_t n0 = s->n;
  /* The starts: the worst points, by a partial selection.  */
  size_t start[SEARCH_STARTS];
  int nstart = 0;
  for (int q = 0; q < SEARCH_STARTS && q < (int) n0; q++)
    {
      size_t best = SIZE_MAX;
      for (size_t i = 0; i < n0; i++)
        {
          int taken = 0;
          for (int z = 0; z < nstart; z++)
            taken |= start[z] == i;
          if (!taken && (best == SIZE_MAX || (*e)[i * EVAL_NMETRICS + metric] > (*e)[best * EVAL_NMETRICS + metric]))
            best = i;
        }
      if (best != SIZE_MAX)
        start[nstart++] = best;
    }
  dsl_interp *c = dsl_interp_new (p);
  if (!c)
    return dsl_error_set (err, "out of memory for the interpreter");
  int rc = 0;
  for (int q = 0; rc == 0 && q < nstart; q++)
    {
      double x[EVAL_MAXARITY];
      for (int j = 0; j < p->nin; j++)
        x[j] = eval_value (y, s->in[j], start[q]);
      double cur = (*e)[start[q] * EVAL_NMETRICS + metric];
      for (int step = 0; rc == 0 && step < SEARCH_STEPS; step++)
        {
          double nx[EVAL_MAXARITY];
          memcpy (nx, x, sizeof nx);
          int j = (int) an_rng_below (&r, (uint64_t) p->nin);
          uint64_t bitsx = 0;
          eval_store_value (y, &bitsx, 0, nx[j]);
          bitsx = eval_value_bits (y, &bitsx, 0);
          uint64_t delta = UINT64_C (1) << an_rng_below (&r, (uint64_t) prec);
          uint64_t mask = bits == 64 ? ~UINT64_C (0) : (UINT64_C (1) << bits) - 1;
          bitsx = (an_rng_below (&r, 2) ? bitsx + delta : bitsx - delta) & mask;
          uint64_t store = bitsx;
          double v = eval_value (y, &store, 0);
          if (!(v >= d->lo[j] && v <= d->hi[j]))
            continue;
          nx[j] = v;
          const double *xp[EVAL_MAXARITY];
          for (int a = 0; a < p->nin; a++)
            xp[a] = &nx[a];
          if (eval_samples_add (s, xp, 1, err) < 0)
            {
              rc = -1;
              break;
            }
          double *ne = realloc (*e, s->n * EVAL_NMETRICS * sizeof **e);
          if (!ne)
            {
              rc = dsl_error_set (err, "out of memory");
              break;
            }
          *e = ne;
          size_t i = s->n - 1;
          const void *in[EVAL_MAXARITY];
          for (int a = 0; a < p->nin; a++)
            in[a] = (const char *) s->in[a] + i * eval_type_size (y);
          uint64_t yb = 0;
          dsl_interp_run (c, 1, in, &yb);
          eval_point_errors (y, eval_value (y, &yb, 0), s->ref_hi[i], s->ref_lo[i], &(*e)[i * EVAL_NMETRICS]);
          ++*tried;
          if ((*e)[i * EVAL_NMETRICS + metric] > cur)
            {
              cur = (*e)[i * EVAL_NMETRICS + metric];
              memcpy (x, nx, sizeof x);
            }
        }
    }
  dsl_interp_free (c);
  (void) t;
  return rc;
}

/* Every input against MPFR (references exact to 2^-100) where the domain
   is small (16- and 8-bit types, one argument or two of 8 bits): COUNT is
   every input.  Otherwise (float64, two float32 arguments) a stratified
   sample of COUNT, then a search for worse points.  */
static int
verify_samples (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
                int threads, eval_method method, size_t count, eval_verify_result *out, dsl_error *err)
{
  double t0 = now ();
  eval_samples *s;
  if (eval_samples_build (t, p->type, d, count, method == EVAL_SEARCHED, threads, &s, err) < 0)
    return -1;
  void *y = malloc (s->n * eval_type_size (p->type));
  double *e = malloc (s->n * EVAL_NMETRICS * sizeof *e);
  uint64_t tried = 0;
  int rc = y && e ? errors_on (p, s, y, e, &out->native, err) : dsl_error_set (err, "out of memory");
  if (rc == 0 && method == EVAL_SEARCHED)
    rc = search_worse (p, t, d, metric, s, &e, &tried, err);
  if (rc == 0)
    {
      out->method = method;
      out->checked = s->n;
      out->complete = method == EVAL_EXHAUSTIVE;
      result_from_errors (p, s, e, s->n, metric, bound, out);
    }
  free (y);
  free (e);
  eval_samples_free (s);
  out->seconds = now () - t0;
  return rc;
}

/* ---- two arguments of a 16-bit type: every pair, row by row ----

   Up to 2^32 pairs (the full bfloat16 mul domain is about 10^9): MPFR at
   about 1 us a pair is out of the question, as sample sets of references
   are.  The sweep runs rows (x fixed, y over the domain) through the
   program and takes the reference from the target's double FAST where
   that settles every figure, MPFR elsewhere.  */

/* The interpreter checks the compiled C on 1 row in PAIR_CHECK_EVERY (the
   rule verify_f32 follows: 1 input in 16).  */
#define PAIR_CHECK_EVERY 16

/* A key pair: KX << 32 | KY, in the order of the enumeration (x first).  */
#define PAIR_KEY(kx, ky) ((uint64_t) (kx) << 32 | (uint64_t) (ky))

/* What every thread reads.  */
typedef struct {
  const dsl_prog *p;
  const eval_target *t;
  const dsl_typeinfo *ti;
  eval_metric metric;
  double bound;
  double r;                  /* FAST's relative bound (0: exact); -1: MPFR for every pair */
  const compiled *code;      /* LOOP NULL: interpreted */
  const double *value;       /* VALUE[b]: the value of bit pattern b */
  uint64_t kx0, ky0;         /* the keys of the first row and column */
  const uint16_t *ybits;     /* the y of every column */
  size_t ncols;
} pair_sweep;

/* One thread's buffers: X (the row's x, repeated), the program's results.  */
typedef struct {
  dsl_interp *interp;
  uint16_t *x, *y, *ycheck;
} pair_worker;

/* What one thread found.  */
typedef struct {
  uint64_t exceeded, slow, unresolved;
  double max[EVAL_NMETRICS];        /* -1 before the first pair */
  uint64_t worst[EVAL_NMETRICS];    /* its key pair, the smallest among equals */
  int differ;                       /* DIFFER_LOWERED or DIFFER_INTERP at key pair DIFFER_AT, else 0 */
  uint64_t differ_at;
} pair_tally;

static void
pair_worker_free (pair_worker *k)
{
  if (!k)
    return;
  dsl_interp_free (k->interp);
  free (k->x);
  free (k->y);
  free (k->ycheck);
  free (k);
}

static pair_worker *
pair_worker_new (const dsl_prog *p)
{
  pair_worker *k = calloc (1, sizeof *k);
  if (!k)
    return NULL;
  k->interp = dsl_interp_new (p);
  k->x = malloc (VERIFY_BATCH * sizeof *k->x);
  k->y = malloc (VERIFY_BATCH * sizeof *k->y);
  k->ycheck = malloc (VERIFY_BATCH * sizeof *k->ycheck);
  if (!k->interp || !k->x || !k->y || !k->ycheck)
    {
      pair_worker_free (k);
      return NULL;
    }
  return k;
}

static void
pair_tally_init (pair_tally *s)
{
  memset (s, 0, sizeof *s);
  for (int m = 0; m < EVAL_NMETRICS; m++)
    s->max[m] = -1;
}

static inline void
pair_max (pair_tally *s, int m, double e, uint64_t key)
{
  if (e > s->max[m] || (e == s->max[m] && key < s->worst[m]))
    {
      s->max[m] = e;
      s->worst[m] = key;
    }
}

/* Every metric's error of V at XY against MPFR; -1 (errors infinite) where
   the reference does not resolve.  */
static int
pair_exact (const pair_sweep *w, const double *xy, double v, double *e)
{
  double hi, lo;
  if (eval_ref_dd (w->t, xy, &hi, &lo) < 0)
    {
      for (int m = 0; m < EVAL_NMETRICS; m++)
        e[m] = INFINITY;
      return -1;
    }
  eval_point_errors (w->p->type, v, hi, lo, e);
  return 0;
}

/* Every metric's error of V from FD, f's value within a relative W->r, and
   in *U how far the bound's metric may be from the truth.  0 where FD
   cannot stand in for f: NaN or infinite, too small to be relative, or f's
   binade (its ulp) or whether it overflows unknown.

   Why U holds: with E = r + 2^-51, DD = |FD| E >= |f - FD| (as in
   decide_fast), so |y - f| is within DD of |y - FD|, computed with one
   rounding; with ulp(f) = ulp(FD) the ULP error is within DD / ulp + the
   rounding (x 2^-50 covers it); the relative error (c +- DD) / (|FD| -+ DD)
   within 2E (1 + x) of c / |FD| for E < 2^-27.  Past the overflow
   threshold, and for NaN or wrong infinities, errors are 0 or infinite
   whatever f is.  */
static inline int
pair_fast (const pair_sweep *w, double fd, double v, double *e, double *u)
{
  if (!isfinite (fd))
    return 0;
  if (w->r == 0)
    {
      eval_point_errors (w->p->type, v, fd, 0, e);
      *u = 0;
      return 1;
    }
  const dsl_typeinfo *ti = w->ti;
  double a = fabs (fd), E = w->r + 0x1p-51, dd = a * E, alo = a - 2 * dd, ahi = a + 2 * dd;
  if (!(a >= 0x1p-1000) || eval_past_max (ti, alo, 0) != eval_past_max (ti, ahi, 0)
      || eval_ulp (alo, 0, ti->p, ti->submin) != eval_ulp (ahi, 0, ti->p, ti->submin))
    return 0;
  eval_point_errors (w->p->type, v, fd, 0, e);
  double x = e[w->metric];
  if (!(x <= DBL_MAX) || eval_past_max (ti, ahi, 0))
    *u = 0;
  else if (w->metric == EVAL_ULP)
    *u = dd / eval_ulp (a, 0, ti->p, ti->submin) + x * 0x1p-50;
  else if (w->metric == EVAL_ABS)
    *u = dd + x * 0x1p-50;
  else
    *u = 2 * E * (1 + x) + x * 0x1p-49;
  return 1;
}

/* Records the first pair of a segment (key pairs KEY0, KEY0 + 1, ...)
   where Y and Z differ, as KIND.  */
static void
pair_compare (const uint16_t *y, const uint16_t *z, size_t m, int kind, uint64_t key0, pair_tally *s)
{
  if (memcmp (y, z, m * sizeof *y) == 0)
    return;
  size_t i = 0;
  while (y[i] == z[i])
    i++;
  if (!s->differ || key0 + i < s->differ_at)
    {
      s->differ = kind;
      s->differ_at = key0 + i;
    }
}

/* The program on a segment, as run_program does it for float32.  */
static void
pair_run (const pair_sweep *w, pair_worker *k, const void *const *in, size_t m, int check, uint64_t key0,
          pair_tally *s)
{
  if (!w->code->loop)
    {
      dsl_interp_run (k->interp, m, in, k->y);
      return;
    }
  w->code->loop (m, in, k->y);
  w->code->total (m, in, k->ycheck);
  pair_compare (k->y, k->ycheck, m, DIFFER_LOWERED, key0, s);
  if (!check)
    return;
  dsl_interp_run (k->interp, m, in, k->ycheck);
  pair_compare (k->y, k->ycheck, m, DIFFER_INTERP, key0, s);
}

/* Row ROW (x of key W->kx0 + ROW), every column, into S and the chunk's
   sums SUM and counts CNT of the finite errors per metric.

   A pair goes to MPFR where FAST cannot stand in for f, where its error
   in the bound's metric lies within U of the bound (its verdict), and
   where it might reach the running max (so that the max is exact and
   its ties go to the smallest key pair whatever the order of the rows).
   The last rule skips errors that FAST cannot tell from 0 (x <= U): a
   program exact on the domain would send every pair to MPFR, and such a
   max is reported at most 2U low (2^(p+1) r ULP for FAST's bound r and
   the type's precision p: 2^-37 with glibc's functions in float16; 0
   where FAST is exact, as for mul).  Every
   other figure (the count over the bound, the means, the other metrics'
   maxima) is the pair's own figure, FAST's or MPFR's by the first two
   rules only, so that no figure depends on the order either.  */
static void
pair_row (const pair_sweep *w, pair_worker *k, uint64_t row, pair_tally *s, double *sum, uint64_t *cnt)
{
  const eval_target *t = w->t;
  eval_metric metric = w->metric;
  uint64_t kx = w->kx0 + row;
  uint16_t xb = (uint16_t) dsl_bits_of_value (w->p->type, eval_value_of_key (w->p->type, kx));
  for (size_t i = 0; i < VERIFY_BATCH; i++)
    k->x[i] = xb;
  int check = row % PAIR_CHECK_EVERY == 0;
  for (size_t c0 = 0; c0 < w->ncols; c0 += VERIFY_BATCH)
    {
      size_t m = w->ncols - c0 < VERIFY_BATCH ? w->ncols - c0 : VERIFY_BATCH;
      const void *in[2] = {k->x, w->ybits + c0};
      uint64_t key0 = PAIR_KEY (kx, w->ky0 + c0);
      pair_run (w, k, in, m, check, key0, s);
      double xy[2] = {w->value[xb], 0};
      for (size_t i = 0; i < m; i++)
        {
          xy[1] = w->value[w->ybits[c0 + i]];
          double v = w->value[k->y[i]], e[EVAL_NMETRICS], u = 0;
          int exact = w->r < 0 || !pair_fast (w, t->fast (t, xy), v, e, &u)
                      || (u > 0 && fabs (e[metric] - w->bound) <= u);
          if (exact)
            {
              s->slow++;
              s->unresolved += pair_exact (w, xy, v, e) < 0;
            }
          uint64_t key = key0 + i;
          s->exceeded += e[metric] > w->bound;
          for (int q = 0; q < EVAL_NMETRICS; q++)
            {
              if (isfinite (e[q]))
                sum[q] += e[q], cnt[q]++;
              if (q != (int) metric)
                pair_max (s, q, e[q], key);
            }
          double em = e[metric];
          if (!exact && u > 0 && em + u >= s->max[metric] && em > u)
            {
              double ex[EVAL_NMETRICS];
              s->slow++;
              pair_exact (w, xy, v, ex);
              em = ex[metric];
            }
          pair_max (s, metric, em, key);
        }
    }
}

static void
pair_merge (pair_tally *all, const pair_tally *mine)
{
  all->exceeded += mine->exceeded;
  all->slow += mine->slow;
  all->unresolved += mine->unresolved;
  for (int m = 0; m < EVAL_NMETRICS; m++)
    if (mine->max[m] >= 0)
      pair_max (all, m, mine->max[m], mine->worst[m]);
  if (mine->differ && (!all->differ || mine->differ_at < all->differ_at))
    {
      all->differ = mine->differ;
      all->differ_at = mine->differ_at;
    }
}

/* The inputs of key pair KEY.  */
static void
pair_inputs (dsl_type y, uint64_t key, double *xy)
{
  xy[0] = eval_value_of_key (y, key >> 32);
  xy[1] = eval_value_of_key (y, key & 0xffffffffu);
}

/* Every metric's error at key pair KEY, the program interpreted and the
   reference from MPFR.  */
static int
pair_recompute (const pair_sweep *w, uint64_t key, double *e)
{
  dsl_type y = w->p->type;
  double xy[2];
  pair_inputs (y, key, xy);
  uint16_t in0 = (uint16_t) dsl_bits_of_value (y, xy[0]), in1 = (uint16_t) dsl_bits_of_value (y, xy[1]), out;
  const void *in[2] = {&in0, &in1};
  if (dsl_run (w->p, 1, in, &out) < 0)
    return -1;
  pair_exact (w, xy, w->value[out], e);
  return 0;
}

/* Two arguments of a 16-bit type: every pair of D, in rows.  */
static int
verify_pairs (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
              int threads, int stop_above, eval_progress_fn progress, void *arg, eval_verify_result *out,
              dsl_error *err)
{
  double t0 = now (), last = t0;
  dsl_type y = p->type;
  assert (dsl_type_bits (y) == 16 && t->arity == 2);
  uint64_t kx0 = eval_key_of (y, d->lo[0]), ky0 = eval_key_of (y, d->lo[1]);
  uint64_t nrows = eval_key_of (y, d->hi[0]) - kx0 + 1, ncols = eval_key_of (y, d->hi[1]) - ky0 + 1;
  uint64_t total = nrows * ncols;
  uint64_t rows_per_chunk = ncols >= VERIFY_CHUNK ? 1 : VERIFY_CHUNK / ncols;
  uint64_t nchunks = (nrows + rows_per_chunk - 1) / rows_per_chunk;
  double *value = malloc (((size_t) 1 << 16) * sizeof *value);
  uint16_t *ybits = malloc (ncols * sizeof *ybits);
  double *sum = calloc (nchunks * EVAL_NMETRICS, sizeof *sum);
  uint64_t *cnt = calloc (nchunks * EVAL_NMETRICS, sizeof *cnt);
  if (!value || !ybits || !sum || !cnt)
    {
      free (value), free (ybits), free (sum), free (cnt);
      return dsl_error_set (err, "out of memory for the verifier");
    }
  for (uint32_t b = 0; b < (1u << 16); b++)
    value[b] = dsl_value_of_bits (y, b);
  for (uint64_t c = 0; c < ncols; c++)
    ybits[c] = (uint16_t) dsl_bits_of_value (y, eval_value_of_key (y, ky0 + c));
  eval_native *nat = NULL;
  compiled code = {NULL, NULL};
  if (native_mode > 0 || (native_mode == 0 && total >= VERIFY_NATIVE_MIN))
    if (eval_native_program (p, d, AN_BENCH_CFLAGS, &nat, &code.loop, &code.total, NULL) < 0)
      code.loop = code.total = NULL;
  /* FAST stands in for MPFR where its bound keeps the figures within
     2^-27 relative (as in verify_f32); a mul of two 16-bit values is exact
     in double (r = 0) and needs MPFR nowhere.  */
  pair_sweep w = {.p = p, .t = t, .ti = dsl_type_info (y), .metric = metric, .bound = bound,
                  .r = t->fast && t->fast_relerr <= 0x1p-27 ? t->fast_relerr : -1, .code = &code,
                  .value = value, .kx0 = kx0, .ky0 = ky0, .ybits = ybits, .ncols = ncols};
  int nt = eval_threads (threads);
  (void) nt;
  pair_tally all;
  pair_tally_init (&all);
  uint64_t done = 0;
  int nomem = 0;
  uint64_t npass = nchunks < PASSES ? nchunks : PASSES;
  for (uint64_t pass = 0; pass < npass && !nomem && !(stop_above && all.exceeded); pass++)
    OMP (omp parallel num_threads (nt))
    {
      pair_worker *k = pair_worker_new (p);
      pair_tally mine;
      pair_tally_init (&mine);
      if (!k)
        {
          OMP (omp atomic write)
          nomem = 1;
        }
      OMP (omp for schedule (dynamic, 1))
      for (uint64_t c = pass; c < nchunks; c += npass)
        {
          if (!k)
            continue;
          uint64_t r0 = c * rows_per_chunk, r1 = r0 + rows_per_chunk < nrows ? r0 + rows_per_chunk : nrows;
          for (uint64_t r = r0; r < r1; r++)
            pair_row (&w, k, r, &mine, sum + c * EVAL_NMETRICS, cnt + c * EVAL_NMETRICS);
          OMP (omp atomic)
          done += (r1 - r0) * ncols;
          if (progress && THREAD_NUM == 0 && now () - last >= VERIFY_REPORT_EVERY)
            {
              uint64_t sofar;
              OMP (omp atomic read)
              sofar = done;
              last = now ();
              progress ((double) sofar / (double) total, arg);
            }
        }
      OMP (omp critical (eval_verify_merge))
      pair_merge (&all, &mine);
      pair_worker_free (k);
    }
  eval_native_free (nat);
  int rc = 0;
  if (nomem)
    rc = dsl_error_set (err, "out of memory for the verifier's threads");
  else if (all.differ)
    {
      double xy[2];
      pair_inputs (y, all.differ_at, xy);
      rc = dsl_error_set (err, "the program's exported C computes other bits than %s at x = %a, y = %a "
                          "(a bug in autonum: please report it with the program)",
                          all.differ == DIFFER_LOWERED ? "its total form (the lowering for the domain is wrong)"
                                                        : "the interpreter",
                          xy[0], xy[1]);
    }
  /* Each metric's max recomputed at its worst pair with MPFR; the means
     summed chunk by chunk in order, the same whatever the threads.  */
  double e[EVAL_NMETRICS];
  for (int m = 0; rc == 0 && m < EVAL_NMETRICS; m++)
    {
      if (pair_recompute (&w, all.worst[m], e) < 0)
        rc = dsl_error_set (err, "out of memory for the interpreter");
      out->err.max[m] = e[m];
      double s = 0;
      uint64_t n = 0;
      for (uint64_t c = 0; c < nchunks; c++)
        s += sum[c * EVAL_NMETRICS + m], n += cnt[c * EVAL_NMETRICS + m];
      out->err.mean[m] = n ? s / (double) n : INFINITY;
    }
  free (value);
  free (ybits);
  free (sum);
  free (cnt);
  if (rc < 0)
    return rc;
  out->method = EVAL_EXHAUSTIVE;
  out->checked = done;
  out->complete = done == total;
  out->exceeded = all.exceeded;
  out->slow_path = all.slow;
  out->unresolved = all.unresolved;
  out->native = code.loop != NULL;
  out->max_err = out->err.max[metric];
  out->max_ulp = out->err.max[EVAL_ULP];
  double xy[2];
  pair_inputs (y, all.worst[metric], xy);
  out->worst[0] = dsl_bits_of_value (y, xy[0]);
  out->worst[1] = dsl_bits_of_value (y, xy[1]);
  out->seconds = now () - t0;
  if (progress)
    progress (1.0, arg);
  return 0;
}

eval_method
eval_verify_method (const eval_target *t, dsl_type y)
{
  /* float32 of one argument: 2^32 inputs, fast enough with the double
     reference; 16- and 8-bit types up to 2^16 patterns (one 16-bit
     argument, two 8-bit ones) against MPFR; pairs of 16-bit values (2^32)
     in rows with the double reference (verify_pairs).  */
  if (t->vectors)
    return EVAL_VECTORS;
  int bits = dsl_type_bits (y) * t->arity;
  return bits <= 16 || (bits == 32 && t->arity == 1) || (bits == 32 && t->arity == 2) ? EVAL_EXHAUSTIVE
                                                                                      : EVAL_SEARCHED;
}

/* Every output of every verification vector of the softmax target T.  With
   NATIVE, the exported softmax function is compiled and must give the same
   bits on every vector.  */
int
eval_verify_softmax (const dsl_prog *p, const eval_target *t, eval_softmax_form form, eval_metric metric,
                     double bound, int threads, int native, eval_verify_result *out, dsl_error *err)
{
  memset (out, 0, sizeof *out);
  out->metric = metric;
  double t0 = now ();
  if (check_args (p, t, &t->dflt[p->type], bound, err))
    return -1;
  const eval_samples *s;
  if (eval_softmax_vectors (t, p->type, threads, &s, err) < 0)
    return -1;
  double *y = malloc (s->n * sizeof *y);
  if (!y)
    return dsl_error_set (err, "out of memory for %zu softmax elements", s->n);
  if (eval_softmax_score (p, s, form, y, err) < 0)
    return free (y), -1;
  eval_score sc;
  eval_score_outputs (s, y, metric, bound, &sc);
  out->err = sc.err;
  out->exceeded = sc.exceeded;
  int rc = 0;
  if (native)
    {
      /* The exported function, compiled as autonum export writes it, called with y apart
         from x and with y = x (in place: the two-pass form takes another path there).  */
      char *src = dsl_emit_softmax_c (p, t->dflt[p->type].lo, t->dflt[p->type].hi, "autonum_softmax", NULL,
                                      form == EVAL_SOFTMAX_THREE_PASS);
      eval_native *f = NULL;
      size_t sz = eval_type_size (s->type);
      void *yc = malloc (s->n * sz), *yi = malloc (s->n * sz);
      if (!src || !yc || !yi)
        rc = dsl_error_set (err, "out of memory for the exported softmax");
      else if ((rc = eval_native_compile (src, "autonum_softmax_exp", p->type, 1, AN_BENCH_CFLAGS, &f, err)) == 0)
        {
          void (*fn) (const void *, void *, size_t) = (void (*) (const void *, void *, size_t)) eval_native_symbol (f, "autonum_softmax");
          size_t from = 0;
          memcpy (yi, s->logit, s->n * sz);
          for (size_t v = 0; fn && v < s->nvec; from = s->vend[v++])
            {
              fn ((const char *) s->logit + from * sz, (char *) yc + from * sz, s->vend[v] - from);
              fn ((char *) yi + from * sz, (char *) yi + from * sz, s->vend[v] - from);
            }
          for (size_t i = 0; fn && i < 2 * s->n && rc == 0; i++)
            {
              size_t k = i % s->n;
              double c = eval_value (s->type, i < s->n ? yc : yi, k);
              if (dsl_bits_of_value (s->type, c) != dsl_bits_of_value (s->type, y[k]) && !(isnan (c) && isnan (y[k])))
                rc = dsl_error_set (err, "the exported softmax gives %a where autonum computed %a (element %zu of the "
                                    "verification vectors, %s): a bug in autonum", c, y[k], k,
                                    i < s->n ? "y apart from x" : "in place");
            }
          if (!fn)
            rc = dsl_error_set (err, "the compiled softmax has no function autonum_softmax");
          out->native = rc == 0;
          eval_native_free (f);
        }
      free (yc);
      free (yi);
      free (src);
    }
  out->method = EVAL_VECTORS;
  out->checked = s->n;
  out->complete = 1;
  out->max_err = out->err.max[metric];
  out->max_ulp = out->err.max[EVAL_ULP];
  out->worst[0] = eval_value_bits (s->type, s->logit, sc.worst);
  out->worst_element = sc.worst;
  out->seconds = now () - t0;
  free (y);
  return rc;
}

int
eval_verify_until (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
                   int threads, int stop_above, eval_progress_fn progress, void *arg,
                   eval_verify_result *out /* OUT */, dsl_error *err)
{
  if (t->vectors)
    return eval_verify_softmax (p, t, EVAL_SOFTMAX_TWO_PASS, metric, bound, threads, 0, out, err);
  memset (out, 0, sizeof *out);
  out->metric = metric;
  if (check_args (p, t, d, bound, err))
    return -1;
  if (eval_verify_method (t, p->type) == EVAL_SEARCHED)
    return verify_samples (p, t, d, metric, bound, threads, EVAL_SEARCHED, SEARCH_SAMPLES, out, err);
  if (dsl_type_bits (p->type) == 32)
    return verify_f32 (p, t, d, metric, bound, threads, stop_above, progress, arg, out, err);
  if (dsl_type_bits (p->type) == 16 && t->arity == 2)
    return verify_pairs (p, t, d, metric, bound, threads, stop_above, progress, arg, out, err);
  return verify_samples (p, t, d, metric, bound, threads, EVAL_EXHAUSTIVE,
                         (size_t) 1 << (dsl_type_bits (p->type) * t->arity), out, err);
}
