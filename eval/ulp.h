/* ulp -- the one definition of ULP error used by every figure autonum reports.

   For an exact value f with 2^(E-1) <= |f| < 2^E, the unit in the last place
   of a type with P-bit significands whose smallest subnormal is 2^SUBMIN is
       ulp_T(f) = 2^max(E - P, SUBMIN)        (float32: P = 24, SUBMIN = -149)
   (f = 0 has ulp 2^SUBMIN).  The error of a result y is
       err(y, f) = |y - f| / ulp_T(f)
   taken in the binade of the exact value f (Zimmermann's convention, also
   CORE-MATH's), not of y.  Results past the overflow threshold (those for
   which f rounds to infinity) must be that infinity: error 0 if so, infinite
   otherwise.  A NaN result, or an infinite result where f rounds to a finite
   value, has infinite error.

   Here f is a double-double HI + LO (|LO| <= ulp(HI)/2), which carries
   every exact value of a float32 target to far below 1e-9 ULP, and of a
   float64 one to 2^-47 ULP.

   Every type has the same definition with its own P and SUBMIN (dsl_type_info),
   and its own overflow threshold, its largest value plus half an ulp
   (that tie rounds to infinity: the largest value is odd); a type that
   saturates (fp8e4m3) has none, its results are scored as finite ones.
   The absolute error is |y - f|, the relative error |y - f| / |f| (0 where
   y = f = 0, infinite where f = 0 != y); NaN and infinities count as for
   ULPs: infinite, but for the right infinity past the overflow threshold.  */
#ifndef AUTONUM_ULP_H
#define AUTONUM_ULP_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "dsl/dsl.h"

/* The error metrics.  */
typedef enum { EVAL_ULP, EVAL_ABS, EVAL_REL, EVAL_NMETRICS } eval_metric;

static inline const char *
eval_metric_name (eval_metric m)
{
  return m == EVAL_ABS ? "abs" : m == EVAL_REL ? "rel" : "ULP";
}

/* The metric called NAME ("ulp", "abs", "rel", any case), or -1.  */
static inline int
eval_metric_parse (const char *name)
{
  for (int m = 0; m < EVAL_NMETRICS; m++)
    if (strcasecmp (name, eval_metric_name ((eval_metric) m)) == 0)
      return m;
  return -1;
}

#define EVAL_F32_P 24
#define EVAL_F32_SUBMIN (-149)
/* The smallest |f| that rounds to infinity in binary32: FLT_MAX + ulp/2
   (the tie rounds to the even 2^128).  */
#define EVAL_F32_OVERFLOW 0x1.ffffffp+127

/* E with 2^(E-1) <= |HI + LO| < 2^E, for HI != 0.  */
static inline int
eval_binade (double hi, double lo)
{
  int e;
  double m = frexp (hi, &e);          /* |m| in [0.5, 1) */
  if (fabs (m) == 0.5 && lo != 0 && (lo < 0) != (hi < 0))
    e--;                              /* just below a power of two */
  return e;
}

static inline double
eval_ulp (double hi, double lo, int p, int submin)
{
  if (hi == 0)
    return ldexp (1.0, submin);
  int e = eval_binade (hi, lo) - p;
  return ldexp (1.0, e > submin ? e : submin);
}

/* The signed error (y - f) / ulp_T(f): the error profile a plot shows.
   Its magnitude is err(y, f) above, with the sign of y - f; an infinite
   error is +-INFINITY by the side y is on, and a NaN result gives NaN.  */
static inline double
eval_ulp_signed_error_f32 (float y, double hi, double lo)
{
  double a = fabs (hi);
  int overflows = a > EVAL_F32_OVERFLOW || (a == EVAL_F32_OVERFLOW && (lo == 0 || (lo > 0) == (hi > 0)));
  if (isnan (y))
    return NAN;
  /* Past the overflow threshold every y but the right infinity lies on the zero side of f.  */
  if (overflows)
    return (isinf (y) && (y > 0) == (hi > 0)) ? 0.0 : copysign (INFINITY, -hi);
  if (isinf (y))
    return y;
  double d = ((double) y - hi) - lo;
  return d / eval_ulp (hi, lo, EVAL_F32_P, EVAL_F32_SUBMIN);
}

static inline double
eval_ulp_error_f32 (float y, double hi, double lo)
{
  double e = eval_ulp_signed_error_f32 (y, hi, lo);
  return isnan (e) ? INFINITY : fabs (e);
}

static inline uint32_t
eval_f32_bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static inline float
eval_f32_from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

/* A program value of width W (1: float64, 0: float32) and its bits.  */
static inline double
eval_width_value (uint64_t bits, int w)
{
  double d;
  memcpy (&d, &bits, sizeof d);
  return w ? d : (double) eval_f32_from_bits ((uint32_t) bits);
}

static inline uint64_t
eval_width_bits (double v, int w)
{
  uint64_t u;
  memcpy (&u, &v, sizeof u);
  return w ? u : eval_f32_bits ((float) v);
}


/* The smallest |f| that rounds to infinity in type TI, max + ulp/2 (a tie
   that rounds up: max is odd), or INFINITY for a saturating type.  For
   float64 that threshold is no double and this is INFINITY too: compare
   with eval_overflows, which is exact for every type.  */
static inline double
eval_overflow (const dsl_typeinfo *ti)
{
  if (ti->saturates)
    return INFINITY;
  return ti->max + ldexp (0.5, ti->emax - ti->p + 1);
}

/* Is |HI + LO| (|LO| <= ulp(HI)/2) at least max + ulp/2, where rounding
   overflows (to infinity, or to max in a saturating type)?  |HI| - max is
   exact near max (Sterbenz) and the sum with LO is split into its rounded
   value and error (two-sum): the threshold itself is no double in float64.  */
static inline int
eval_past_max (const dsl_typeinfo *ti, double hi, double lo)
{
  if (hi == 0 || isnan (hi))
    return 0;
  if (isinf (hi))
    return 1;
  double a = fabs (hi), l = hi > 0 ? lo : -lo, h = ldexp (0.5, ti->emax - ti->p + 1);
  if (a < ti->max * 0.5)
    return 0;
  double x = a - ti->max, s = x + l, bv = s - x, e = (x - (s - bv)) + (l - bv);
  return s > h || (s == h && e >= 0);
}

/* Does the exact value HI + LO round to infinity in type TI?  */
static inline int
eval_overflows (const dsl_typeinfo *ti, double hi, double lo)
{
  return !ti->saturates && eval_past_max (ti, hi, lo);
}

/* A saturating type (fp8e4m3) rounds every value from max + ulp/2 on to max:
   that is the correctly rounded result there, and errors are measured from
   it (as from infinity where a type overflows to it).  Sets HI + LO to +-max
   there.  */
static inline void
eval_saturate (const dsl_typeinfo *ti, double *hi, double *lo)
{
  if (ti->saturates && eval_past_max (ti, *hi, *lo))
    *hi = copysign (ti->max, *hi), *lo = 0;
}

/* eval_ulp_signed_error_f32 for any type: Y a value of TI (as double).  */
static inline double
eval_ulp_signed_error (const dsl_typeinfo *ti, double y, double hi, double lo)
{
  if (isnan (y))
    return NAN;
  eval_saturate (ti, &hi, &lo);
  if (eval_overflows (ti, hi, lo))
    return (isinf (y) && (y > 0) == (hi > 0)) ? 0.0 : copysign (INFINITY, -hi);
  if (isinf (y))
    return y;
  double d = (y - hi) - lo;
  return d / eval_ulp (hi, lo, ti->p, ti->submin);
}

/* The error of Y for the exact value HI + LO in metric M and type TI: >= 0,
   INFINITY for NaN and wrong infinities.  */
static inline double
eval_error (eval_metric m, const dsl_typeinfo *ti, double y, double hi, double lo)
{
  if (m == EVAL_ULP)
    {
      double e = eval_ulp_signed_error (ti, y, hi, lo);
      return isnan (e) ? INFINITY : fabs (e);
    }
  if (isnan (y))
    return INFINITY;
  eval_saturate (ti, &hi, &lo);
  if (eval_overflows (ti, hi, lo))
    return (isinf (y) && (y > 0) == (hi > 0)) ? 0.0 : INFINITY;
  if (isinf (y))
    return INFINITY;
  double d = fabs ((y - hi) - lo);
  if (m == EVAL_ABS)
    return d;
  if (hi == 0)
    return y == 0 ? 0.0 : INFINITY;
  return d / fabs (hi + lo);
}
#endif
