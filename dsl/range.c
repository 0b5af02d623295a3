/* range -- what every value of a program can be over a box of inputs: interval analysis with domain splitting.

   Each value gets an enclosure: for a float, an interval [lo, hi] of the
   values it takes (infinities as bounds), whether it can be NaN, +0 or -0,
   and whether all its values are integers; for an integer, an interval of
   its signed (two's complement) reading.  One pass over the program with
   interval arithmetic is sound but coarse where values depend on each other
   (r = x - k c with k = rint(x / c), k - k/2) or where a discrete op (rint,
   floor, toint, a comparison, an integer of a few values) takes several
   outcomes over the box.  So the box is
   cut in two along the input with more values between its ends, breadth
   first, wherever a discrete op is undecided, until a budget of pieces is
   spent; the enclosure of a value is the union over the pieces.  Splitting
   only sharpens: every piece's enclosure is sound on its own.

   Rounding: a float op's result is the exact result rounded to nearest, so
   it lies between the exact result's bounds rounded to nearest.  Bounds
   computed in double are made exact (two-sum) or widened by one double ulp
   before that final rounding, so that they bound the exact result.  */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

#define I32_MIN (-2147483648LL)
#define I32_MAX 2147483647LL
#define I64_MIN (-9223372036854775807LL - 1)
#define I64_MAX 9223372036854775807LL
/* Integer values of at most this many values more are worth cutting pieces for.  */
#define RANGE_SMALL_INT 4096

/* ---- rounding of bounds ---- */

static double
dn (double v)
{
  return isfinite (v) ? nextafter (v, -INFINITY) : v;
}

static double
up (double v)
{
  return isfinite (v) ? nextafter (v, INFINITY) : v;
}

/* Bounds of a + b where a and b are doubles: S = fl(a + b) and the sign of
   its error decide whether S bounds the exact sum from below or above.  */
static double
sum_dn (double a, double b)
{
  double s = a + b;
  if (!isfinite (s) || !isfinite (a) || !isfinite (b))
    return s;
  double bb = s - a, err = (a - (s - bb)) + (b - bb);
  return err < 0 ? dn (s) : s;
}

static double
sum_up (double a, double b)
{
  double s = a + b;
  if (!isfinite (s) || !isfinite (a) || !isfinite (b))
    return s;
  double bb = s - a, err = (a - (s - bb)) + (b - bb);
  return err > 0 ? up (s) : s;
}

/* ---- enclosures ---- */

static void
set_empty (dsl_range *r)
{
  memset (r, 0, sizeof *r);
  r->lo = INFINITY;
  r->hi = -INFINITY;
  r->flags = DSL_RANGE_INTEGRAL;   /* vacuous: no value */
  r->ilo = I32_MAX;
  r->ihi = I32_MIN;
}

static int
has_zero (const dsl_range *r)
{
  return r->lo <= 0 && r->hi >= 0;
}

/* May a value of R have its sign bit set (a negative number or -0)?  Or be positive or +0?  */
static int
may_neg (const dsl_range *r)
{
  return r->lo < 0 || (has_zero (r) && (r->flags & DSL_RANGE_NEGZERO));
}

static int
may_pos (const dsl_range *r)
{
  return r->hi > 0 || (has_zero (r) && (r->flags & DSL_RANGE_POSZERO));
}

/* A float result whose exact value lies in [LO, HI], rounded to float32,
   plus FLAGS; the zero flags are kept only when 0 is inside.  Rounding to
   nearest is monotone, so the result lies in [RN(LO), RN(HI)]: rounding the
   bounds outward would add a value that no input reaches, and at a
   rounding boundary (x c = k + 1/2) an outcome of rint no input has.  */
/* V rounded to float32.  Out of line: gcc 12 -O2 vectorised the two
   conversions of set_float into one cvtpd2ps and then stored the unconverted
   doubles (tests/test_lower.c's probes caught the resulting spurious
   rint outcomes).  */
static double __attribute__ ((noinline))
round_f32 (double v)
{
  float f = (float) v;
  return f;
}

static void
set_float (dsl_range *r, double lo, double hi, unsigned flags, int w)
{
  r->lo = w ? lo : round_f32 (lo);   /* a float64 op's bounds are computed rounded to nearest already */
  r->hi = w ? hi : round_f32 (hi);
  if (!(r->lo <= r->hi))
    {
      r->lo = INFINITY;
      r->hi = -INFINITY;
    }
  if (!has_zero (r))
    flags &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  /* Every float32 of magnitude 2^23 or more is an integer (float64: 2^52).  */
  double big = w ? 0x1p52 : 0x1p23;
  if (r->lo >= big || r->hi <= -big)
    flags |= DSL_RANGE_INTEGRAL;
  r->flags = flags;
}

static long long
int_min (int w)
{
  return w ? I64_MIN : I32_MIN;
}

static long long
int_max (int w)
{
  return w ? I64_MAX : I32_MAX;
}

static void
set_int (dsl_range *r, long long lo, long long hi, int w)
{
  if (lo < int_min (w) || hi > int_max (w))
    lo = int_min (w), hi = int_max (w);   /* wraps around: anything */
  r->ilo = lo;
  r->ihi = hi;
}

/* [A, B] + [C, D] (SUB: [A, B] - [C, D]); a sum that would wrap around: anything.  */
static void
set_int_sum (dsl_range *r, long long a, long long b, long long c, long long d, int sub, int w)
{
  long long lo, hi;
  int bad = sub ? __builtin_sub_overflow (a, d, &lo) | __builtin_sub_overflow (b, c, &hi)
                : __builtin_add_overflow (a, c, &lo) | __builtin_add_overflow (b, d, &hi);
  if (bad)
    lo = int_min (w), hi = int_max (w);
  set_int (r, lo, hi, w);
}

static void
join (dsl_range *r, const dsl_range *a)
{
  r->lo = fmin (r->lo, a->lo);
  r->hi = fmax (r->hi, a->hi);
  unsigned integral = r->flags & a->flags & DSL_RANGE_INTEGRAL;
  r->flags = ((r->flags | a->flags) & ~DSL_RANGE_INTEGRAL) | integral;
  r->ilo = r->ilo < a->ilo ? r->ilo : a->ilo;
  r->ihi = r->ihi > a->ihi ? r->ihi : a->ihi;
}

/* ---- float ops ---- */

/* NaN from the operands, zero signs from the result: the default flags of an arithmetic result.  */
static unsigned
nan_of (const dsl_range *a, const dsl_range *b)
{
  return ((a->flags | (b ? b->flags : 0)) & DSL_RANGE_NAN);
}

static void
r_add (dsl_range *r, const dsl_range *a, const dsl_range *b, int sub, int w)
{
  double blo = sub ? -b->hi : b->lo, bhi = sub ? -b->lo : b->hi;
  unsigned fl = nan_of (a, b);
  if ((a->hi == INFINITY && blo == -INFINITY) || (a->lo == -INFINITY && bhi == INFINITY))
    fl |= DSL_RANGE_NAN;   /* inf - inf */
  double lo = sum_dn (a->lo, blo), hi = sum_up (a->hi, bhi);
  if (isnan (lo))
    lo = -INFINITY;
  if (isnan (hi))
    hi = INFINITY;
  /* Exact zeros are +0 in round to nearest, but for (-0) + (-0).  */
  int bnegz = (b->flags & (sub ? DSL_RANGE_POSZERO : DSL_RANGE_NEGZERO)) && has_zero (b);
  fl |= DSL_RANGE_POSZERO;
  if ((a->flags & DSL_RANGE_NEGZERO) && has_zero (a) && bnegz)
    fl |= DSL_RANGE_NEGZERO;
  if (a->flags & b->flags & DSL_RANGE_INTEGRAL)
    fl |= DSL_RANGE_INTEGRAL;
  set_float (r, lo, hi, fl, w);
}

/* Zero signs of a product or quotient: the signs of the factors multiply.  */
static unsigned
product_zero_signs (const dsl_range *a, const dsl_range *b)
{
  unsigned fl = 0;
  if ((may_neg (a) && may_pos (b)) || (may_pos (a) && may_neg (b)))
    fl |= DSL_RANGE_NEGZERO;
  if ((may_pos (a) && may_pos (b)) || (may_neg (a) && may_neg (b)))
    fl |= DSL_RANGE_POSZERO;
  return fl;
}

/* Bounds of the exact product over the corners, in double (a product of
   two float32 is exact; of wider values, widened).  *NAN set for 0 * inf.
   A corner 0 * inf stands for the finite values next to it, whose products
   with 0 are 0 ([-inf, inf] * [-0, 0] is 0 or NaN, not nothing).  */
static void
product_bounds (const dsl_range *a, const dsl_range *b, double *lo, double *hi, int *nan)
{
  double c[4] = {a->lo * b->lo, a->lo * b->hi, a->hi * b->lo, a->hi * b->hi};
  *lo = INFINITY;
  *hi = -INFINITY;
  int empty = !(a->lo <= a->hi) || !(b->lo <= b->hi);
  for (int i = 0; i < 4 && !empty; i++)
    {
      double v = isnan (c[i]) ? 0 : c[i];
      *lo = fmin (*lo, v);
      *hi = fmax (*hi, v);
    }
  *nan = (has_zero (a) && (isinf (b->lo) || isinf (b->hi))) || (has_zero (b) && (isinf (a->lo) || isinf (a->hi)));
}

static void
r_mul (dsl_range *r, const dsl_range *a, const dsl_range *b, int w)
{
  double lo, hi;
  int nan;
  product_bounds (a, b, &lo, &hi, &nan);
  unsigned fl = nan_of (a, b) | (nan ? DSL_RANGE_NAN : 0) | product_zero_signs (a, b);
  if (a->flags & b->flags & DSL_RANGE_INTEGRAL)
    fl |= DSL_RANGE_INTEGRAL;
  set_float (r, lo, hi, fl, w);
}

static void
r_fma (dsl_range *r, const dsl_range *a, const dsl_range *b, const dsl_range *c, int w)
{
  dsl_range p;
  double lo, hi;
  int nan;
  product_bounds (a, b, &lo, &hi, &nan);
  if (w)
    lo = dn (lo), hi = up (hi);   /* a product of float64s is not exact in double */
  /* The exact product as an unrounded range (any float zero sign).  */
  p.lo = lo;
  p.hi = hi;
  p.flags = nan_of (a, b) | (nan ? DSL_RANGE_NAN : 0) | product_zero_signs (a, b)
            | (a->flags & b->flags & DSL_RANGE_INTEGRAL);
  r_add (r, &p, c, 0, w);
  /* A tiny exact result rounds to a zero of its own sign.  */
  if (has_zero (r) && (may_neg (&p) || may_neg (c)))
    r->flags |= DSL_RANGE_NEGZERO;
}

static void
r_div (dsl_range *r, const dsl_range *a, const dsl_range *b, int w)
{
  unsigned fl = nan_of (a, b) | product_zero_signs (a, b);
  if (has_zero (b) || ((isinf (a->lo) || isinf (a->hi)) && (isinf (b->lo) || isinf (b->hi))))
    {
      set_float (r, -INFINITY, INFINITY, fl | DSL_RANGE_NAN | DSL_RANGE_POSZERO | DSL_RANGE_NEGZERO, w);
      return;
    }
  double c[4] = {a->lo / b->lo, a->lo / b->hi, a->hi / b->lo, a->hi / b->hi};
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < 4; i++)
    {
      lo = fmin (lo, c[i]);
      hi = fmax (hi, c[i]);
    }
  set_float (r, dn (lo), up (hi), fl, w);
}

static void
r_sqrt (dsl_range *r, const dsl_range *a, int w)
{
  unsigned fl = a->flags & (DSL_RANGE_NAN | DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  if (a->lo < 0)
    fl |= DSL_RANGE_NAN;
  if (a->hi < 0)
    {
      set_float (r, INFINITY, -INFINITY, fl, w);
      return;
    }
  double lo = a->lo > 0 ? dn (sqrt (a->lo)) : 0;
  set_float (r, lo, up (sqrt (a->hi)), fl, w);
}

static void
r_neg (dsl_range *r, const dsl_range *a)
{
  *r = *a;
  r->lo = -a->hi;
  r->hi = -a->lo;
  r->flags &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  if (a->flags & DSL_RANGE_NEGZERO)
    r->flags |= DSL_RANGE_POSZERO;
  if (a->flags & DSL_RANGE_POSZERO)
    r->flags |= DSL_RANGE_NEGZERO;
}

static void
r_abs (dsl_range *r, const dsl_range *a)
{
  *r = *a;
  if (a->lo >= 0)
    ;
  else if (a->hi <= 0)
    r->lo = -a->hi, r->hi = -a->lo;
  else
    r->lo = 0, r->hi = fmax (-a->lo, a->hi);
  r->flags &= ~DSL_RANGE_NEGZERO;
  if (has_zero (r))
    r->flags |= DSL_RANGE_POSZERO;
}

/* fminf/fmaxf: a NaN operand yields the other one.  */
static void
r_minmax (dsl_range *r, const dsl_range *a, const dsl_range *b, int max)
{
  double lo, hi;
  if (max)
    {
      lo = fmax (a->lo, b->lo);
      hi = fmax (a->hi, b->hi);
    }
  else
    {
      lo = fmin (a->lo, b->lo);
      hi = fmin (a->hi, b->hi);
    }
  /* Where one may be NaN, the result may be any value of the other.  */
  if (a->flags & DSL_RANGE_NAN)
    lo = fmin (lo, b->lo), hi = fmax (hi, b->hi);
  if (b->flags & DSL_RANGE_NAN)
    lo = fmin (lo, a->lo), hi = fmax (hi, a->hi);
  unsigned fl = ((a->flags | b->flags) & (DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO))
                | (a->flags & b->flags & (DSL_RANGE_NAN | DSL_RANGE_INTEGRAL));
  r->lo = lo;
  r->hi = hi;
  if (!has_zero (r))
    fl &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  r->flags = fl;
}

/* rint (FLOOR 0) and floor (FLOOR 1): monotone; -0 from rint of [-1/2, -0].  */
static void
r_round (dsl_range *r, const dsl_range *a, int floor_, int w)
{
  double lo = floor_ ? floor (a->lo) : nearbyint (a->lo), hi = floor_ ? floor (a->hi) : nearbyint (a->hi);
  unsigned fl = (a->flags & DSL_RANGE_NAN) | DSL_RANGE_INTEGRAL;
  if (a->flags & DSL_RANGE_NEGZERO && has_zero (a))
    fl |= DSL_RANGE_NEGZERO;
  if (!floor_ && a->lo < 0 && a->hi >= -0.5)
    fl |= DSL_RANGE_NEGZERO;
  fl |= DSL_RANGE_POSZERO;
  if (!(lo <= hi))
    lo = INFINITY, hi = -INFINITY;
  set_float (r, lo, hi, fl, w);
}

/* The exponent of ldexp, clamped as the op's meaning clamps it.  */
static void
r_ldexp (dsl_range *r, const dsl_range *a, const dsl_range *k, int w)
{
  double kmax = w ? 2200 : 400;   /* as an_ldexpd64 and an_ldexpf clamp it */
  double klo = k->ilo < -kmax ? -kmax : (double) k->ilo, khi = k->ihi > kmax ? kmax : (double) k->ihi;
  double c[4] = {ldexp (a->lo, (int) klo), ldexp (a->lo, (int) khi), ldexp (a->hi, (int) klo),
                 ldexp (a->hi, (int) khi)};
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < 4; i++)
    {
      lo = fmin (lo, c[i]);
      hi = fmax (hi, c[i]);
    }
  /* Below 2^-1074 the double products are not exact: widen.  */
  unsigned fl = (a->flags & (DSL_RANGE_NAN | DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO)) | DSL_RANGE_POSZERO;
  if (may_neg (a))
    fl |= DSL_RANGE_NEGZERO;
  if ((a->flags & DSL_RANGE_INTEGRAL) && klo >= 0)
    fl |= DSL_RANGE_INTEGRAL;
  set_float (r, dn (lo), up (hi), fl, w);
}

/* A libm call of a monotone function F (increasing), on [LO, HI] of its
   domain: the platform's function is within a few ulps, so the bounds are
   widened by a relative 2^-20 (and outward to the function's own range by
   the caller where it matters).  */
static double
widen_rel (double v, int upward)
{
  if (!isfinite (v) || v == 0)
    return v;
  double d = fabs (v) * 0x1p-20;
  return upward ? v + d : v - d;
}

static void
r_libm (dsl_range *r, dsl_opcode op, const dsl_range *a, int w)
{
  unsigned fl = a->flags & DSL_RANGE_NAN;
  double lo = a->lo, hi = a->hi, ylo, yhi;
  switch (op)
    {
    case DSL_EXP:
      ylo = exp (lo), yhi = exp (hi);
      fl |= DSL_RANGE_POSZERO;
      break;
    case DSL_LOG:
    case DSL_LOG1P:
      {
        double edge = op == DSL_LOG ? 0 : -1;
        if (lo < edge)
          fl |= DSL_RANGE_NAN;
        lo = fmax (lo, edge);
        if (hi < edge)
          {
            set_float (r, INFINITY, -INFINITY, fl, w);
            return;
          }
        ylo = op == DSL_LOG ? log (lo) : log1p (lo);
        yhi = op == DSL_LOG ? log (hi) : log1p (hi);
        fl |= DSL_RANGE_POSZERO | (a->flags & DSL_RANGE_NEGZERO);
        break;
      }
    case DSL_LGAMMA:
      /* log|Gamma| has poles at 0, -1, -2, ...; on a > 0 it falls to its minimum
         -0.1214862905358496 at 1.4616321449683623 and rises after.  */
      if (!(lo > 0))
        {
          set_float (r, -INFINITY, INFINITY, fl | DSL_RANGE_POSZERO | DSL_RANGE_NEGZERO, w);
          return;
        }
      ylo = lo <= 1.4616321449683623 && hi >= 1.4616321449683623 ? -0.1214862905358496
            : fmin (lgamma_r (lo, &(int) {0}), lgamma_r (hi, &(int) {0}));
      yhi = fmax (lgamma_r (lo, &(int) {0}), lgamma_r (hi, &(int) {0}));
      fl |= DSL_RANGE_POSZERO;
      break;
    default:   /* erf */
      ylo = erf (lo), yhi = erf (hi);
      fl |= DSL_RANGE_POSZERO | (a->flags & DSL_RANGE_NEGZERO);
      break;
    }
  if (!(a->lo <= a->hi))
    {
      set_float (r, INFINITY, -INFINITY, fl, w);
      return;
    }
  set_float (r, widen_rel (ylo, 0), widen_rel (yhi, 1), fl, w);
  if (op == DSL_EXP)
    r->lo = fmax (r->lo, 0);
  else if (op == DSL_ERF)
    r->lo = fmax (r->lo, -1), r->hi = fmin (r->hi, 1);
}

/* ---- between floats and integers ---- */

/* [*LO, *HI] grown to hold V.  */
static void
widen_to (long long *lo, long long *hi, long long v)
{
  *lo = v < *lo ? v : *lo;
  *hi = v > *hi ? v : *hi;
}

/* Signed reading of a float's bit pattern (float32 unless W).  */
static long long
bits_signed (double v, int w)
{
  if (w)
    return (long long) (int64_t) an_u64 (v);
  return (long long) (int32_t) an_u32 ((float) v);
}

static void
r_asint (dsl_range *r, const dsl_range *a, int w)
{
  long long lo = int_max (w), hi = int_min (w);
  /* Non-negative floats (+0 up to +inf): patterns 0 .. that of inf, increasing with the value.  */
  if (a->hi > 0 || (has_zero (a) && (a->flags & DSL_RANGE_POSZERO)))
    {
      lo = bits_signed (fmax (a->lo, 0), w);
      hi = bits_signed (a->hi, w);
    }
  /* Negative floats (-0 down to -inf): the most negative integer + the
     magnitude's pattern, increasing with the magnitude.  */
  if (a->lo < 0 || (has_zero (a) && (a->flags & DSL_RANGE_NEGZERO)))
    {
      widen_to (&lo, &hi, int_min (w) + bits_signed (a->hi < 0 ? -a->hi : 0, w));
      widen_to (&lo, &hi, int_min (w) + bits_signed (a->lo < 0 ? -a->lo : 0, w));
    }
  if (a->flags & DSL_RANGE_NAN)   /* every NaN reads as the default one */
    widen_to (&lo, &hi, w ? 0x7ff8000000000000LL : 0x7fc00000);
  set_int (r, lo, hi, w);
}

/* The float of a bit pattern V (float32 unless W).  */
static double
float_of (long long v, int w)
{
  return w ? an_f64 ((uint64_t) v) : an_f32 ((uint32_t) v);
}

static void
r_asfloat (dsl_range *r, const dsl_range *a, int w)
{
  long long lo = a->ilo, hi = a->ihi, inf = w ? 0x7ff0000000000000LL : 0x7f800000LL;
  long long neg_inf = int_min (w) + inf;   /* -inf's pattern, signed */
  unsigned fl = 0;
  double flo = INFINITY, fhi = -INFINITY;
  /* Patterns 0 .. inf's: +0 .. +inf, increasing; above: NaN.  */
  if (hi >= 0)
    {
      long long l = lo > 0 ? lo : 0, h = hi < inf ? hi : inf;
      flo = float_of (l, w);
      fhi = float_of (h, w);
      if (l == 0)
        fl |= DSL_RANGE_POSZERO;
      if (hi > inf)
        fl |= DSL_RANGE_NAN;
    }
  /* The most negative integer up to -inf's pattern: -0 .. -inf, decreasing; above it up to -1: NaN.  */
  if (lo < 0)
    {
      long long h = hi < -1 ? hi : -1;
      long long hh = h < neg_inf ? h : neg_inf;
      if (lo <= hh)
        {
          flo = fmin (flo, float_of (hh, w));
          fhi = fmax (fhi, float_of (lo, w));
          if (lo == int_min (w))
            fl |= DSL_RANGE_NEGZERO;
        }
      if (h > neg_inf)
        fl |= DSL_RANGE_NAN;
    }
  r->lo = flo;
  r->hi = fhi;
  if (!has_zero (r))
    fl &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  double big = w ? 0x1p52 : 0x1p23;
  if (r->lo >= big || r->hi <= -big)
    fl |= DSL_RANGE_INTEGRAL;
  r->flags = fl;
}

/* toint: rint, saturated to the signed range, NaN gives 0; monotone.  */
static long long
toint_of (double v, int w)
{
  double top = w ? 0x1p63 : 0x1p31;
  if (v >= top)
    return int_max (w);
  if (v < -top)
    return int_min (w);
  return (long long) nearbyint (v);
}

static void
r_toint (dsl_range *r, const dsl_range *a, int w)
{
  long long lo = a->lo <= a->hi ? toint_of (a->lo, w) : 0, hi = a->lo <= a->hi ? toint_of (a->hi, w) : 0;
  if (a->flags & DSL_RANGE_NAN)
    widen_to (&lo, &hi, 0);
  set_int (r, lo, hi, w);
}

static void
r_tofloat (dsl_range *r, const dsl_range *a, int w)
{
  set_float (r, (double) a->ilo, (double) a->ihi, DSL_RANGE_POSZERO | DSL_RANGE_INTEGRAL, w);
}

/* ---- integer ops ---- */

/* 2^n - 1 >= V for V >= 0: every value of at most V's bit length.  */
static long long
fill_bits (long long v)
{
  long long m = 0;
  while (m < v)
    m = 2 * m + 1;
  return m;
}

static void
r_bitop (dsl_range *r, dsl_opcode op, const dsl_range *a, const dsl_range *b, int w)
{
  if (a->ilo >= 0 && b->ilo >= 0)
    {
      long long top = fill_bits (a->ihi > b->ihi ? a->ihi : b->ihi);
      switch (op)
        {
        case DSL_AND: set_int (r, 0, a->ihi < b->ihi ? a->ihi : b->ihi, w); return;
        case DSL_OR: set_int (r, a->ilo > b->ilo ? a->ilo : b->ilo, top, w); return;
        default: set_int (r, 0, top, w); return;
        }
    }
  /* and with a non-negative mask stays under the mask.  */
  if (op == DSL_AND && (a->ilo >= 0 || b->ilo >= 0))
    {
      long long m = a->ilo >= 0 ? a->ihi : b->ihi;
      set_int (r, 0, m, w);
      return;
    }
  /* or with a negative value stays negative.  */
  if (op == DSL_OR && (a->ihi < 0 || b->ihi < 0))
    {
      set_int (r, a->ihi < 0 ? a->ilo : b->ilo, -1, w);
      return;
    }
  set_int (r, int_min (w), int_max (w), w);
}

/* The shift count when it is one value, else -1.  */
static int
shift_count (const dsl_range *b, int w)
{
  return b->ilo == b->ihi ? (int) ((uint64_t) b->ilo & (w ? 63u : 31u)) : -1;
}

static long long
floor_shift (long long v, int s)
{
  if (s >= 63)
    return v < 0 ? -1 : 0;
  long long d = 1LL << s, q = v / d;
  return q * d > v ? q - 1 : q;   /* division truncates; floor rounds down */
}

static void
r_shift (dsl_range *r, dsl_opcode op, const dsl_range *a, const dsl_range *b, int w)
{
  int s = shift_count (b, w);
  if (s < 0)
    {
      if (op == DSL_SHR && a->ilo >= 0)
        set_int (r, 0, a->ihi, w);
      else if (op == DSL_SHR)
        set_int (r, a->ilo < -1 ? a->ilo : -1, a->ihi > 0 ? a->ihi : 0, w);
      else
        set_int (r, int_min (w), int_max (w), w);
      return;
    }
  long long lo, hi;
  if (op == DSL_SHR)
    set_int (r, floor_shift (a->ilo, s), floor_shift (a->ihi, s), w);
  else if (s < 63 && !__builtin_mul_overflow (a->ilo, 1LL << s, &lo) && !__builtin_mul_overflow (a->ihi, 1LL << s, &hi))
    set_int (r, lo, hi, w);
  else
    set_int (r, int_min (w), int_max (w), w);
}

/* ---- one pass over a piece ---- */

/* The enclosure of literal bits of kind K.  */
static void
literal_range (dsl_range *r, dsl_kind k, uint64_t bits, int w)
{
  set_empty (r);
  if (k == DSL_KI)
    {
      r->ilo = r->ihi = w ? (long long) (int64_t) bits : (int32_t) (uint32_t) bits;
      return;
    }
  double f = w ? an_f64 (bits) : an_f32 ((uint32_t) bits);
  r->flags = 0;
  if (isnan (f))
    {
      r->flags = DSL_RANGE_NAN;
      return;
    }
  r->lo = r->hi = f;
  if (f == 0)
    r->flags |= signbit (f) ? DSL_RANGE_NEGZERO : DSL_RANGE_POSZERO;
  if (f == nearbyint (f) || isinf (f))
    r->flags |= DSL_RANGE_INTEGRAL;
}

/* A comparison: all ones, zero, or either.  */
static void
r_compare (dsl_range *r, const dsl_range *a, const dsl_range *b, int le, int *undecided, int w)
{
  int may_true = le ? a->lo <= b->hi : a->lo < b->hi;
  int may_false = (le ? a->hi > b->lo : a->hi >= b->lo) || ((a->flags | b->flags) & DSL_RANGE_NAN);
  if (!(a->lo <= a->hi) || !(b->lo <= b->hi))
    may_true = 0;   /* one side is only NaN */
  set_int (r, may_true ? -1 : 0, may_false ? 0 : -1, w);
  if (may_true && may_false)
    *undecided = 1;
}

static void
r_select (dsl_range *r, const dsl_range *m, const dsl_range *b, const dsl_range *c)
{
  int may_b = m->ilo != 0 || m->ihi != 0;
  int may_c = m->ilo <= 0 && m->ihi >= 0;
  set_empty (r);
  if (may_b)
    join (r, b);
  if (may_c)
    join (r, c);
}

/* What the analysis of one program keeps: the widths of its values and
   the width each instruction computes in (dsl_prog_widths).  */
typedef struct {
  const dsl_prog *p;
  uint8_t *wide;            /* per value */
  uint8_t *w;               /* per instruction */
} actx;

/* Operand S of instruction I, read in the instruction's width W (an
   integer of the other width, in a slot of either width: sign-extended, or
   saturated to the narrower range).  */
static void
operand (const actx *x, const dsl_range *v, const dsl_insn *i, int s, int w, dsl_range *out)
{
  const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
  if (i->a[s].is_const)
    {
      literal_range (out, o->arg[s], i->a[s].bits, w);
      return;
    }
  *out = v[i->a[s].ref];
  if ((o->anyw >> s & 1u) && x->wide[i->a[s].ref] != w && !w)
    {
      out->ilo = out->ilo < I32_MIN ? I32_MIN : out->ilo > I32_MAX ? I32_MAX : out->ilo;
      out->ihi = out->ihi < I32_MIN ? I32_MIN : out->ihi > I32_MAX ? I32_MAX : out->ihi;
    }
}

/* A conversion between float types: monotone rounding of the bounds.  */
static void
r_convert (dsl_range *r, dsl_opcode op, const dsl_range *a)
{
  unsigned fl = a->flags;
  double lo = a->lo, hi = a->hi;
  switch (op)
    {
    case DSL_TOF64: *r = *a; return;   /* exact */
    case DSL_TOF32: lo = round_f32 (lo), hi = round_f32 (hi); break;
    case DSL_TOBF16: lo = an_bf16_round ((float) lo), hi = an_bf16_round ((float) hi); break;
    case DSL_TOF16: lo = an_f16_round ((float) lo), hi = an_f16_round ((float) hi); break;
    case DSL_TOE4M3: lo = an_e4m3_round ((float) lo), hi = an_e4m3_round ((float) hi); break;
    default: lo = an_e5m2_round ((float) lo), hi = an_e5m2_round ((float) hi); break;
    }
  /* A value too small for the type rounds to the zero of its own sign (a float64 below
     2^-150 in magnitude to float32 too).  */
  if (lo <= 0 && hi >= 0)
    fl |= (a->lo < 0 ? DSL_RANGE_NEGZERO : 0) | (a->hi > 0 ? DSL_RANGE_POSZERO : 0);
  set_float (r, lo, hi, fl, 0);
}

/* lut (a, b) of P: the entries the index may reach (every entry unless
   0 <= a + b < n is proven, or none when P has no table: +0).  */
static void
r_lut (dsl_range *r, const dsl_prog *p, const dsl_range *a, const dsl_range *b)
{
  long long lo = 0, hi = p->ntab - 1;
  if (dsl_lut_in_range (a, b, p->ntab))
    lo = a->ilo + b->ilo, hi = a->ihi + b->ihi;
  set_empty (r);
  if (p->ntab == 0)
    {
      literal_range (r, DSL_KF, 0, dsl_tab_wide (p));
      return;
    }
  for (long long j = lo; j <= hi; j++)
    {
      dsl_range t;
      literal_range (&t, DSL_KF, p->tab[j], p->tabw);
      join (r, &t);
    }
}

/* Both operands of I are the same value.  */
static int
same_value (const dsl_insn *i)
{
  return !i->a[0].is_const && !i->a[1].is_const && i->a[0].ref == i->a[1].ref;
}

/* Nonzero when a float operand of I that propagates NaN has no non-NaN
   value: arithmetic, rounding, libm calls and conversions (min, max,
   select, compares and toint have meanings of their own there).  */
static int
only_nan_in (const dsl_insn *i, const dsl_range *a, const dsl_range *b, const dsl_range *c)
{
  const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
  switch ((dsl_opcode) i->op)
    {
    case DSL_MIN: case DSL_MAX: case DSL_SELECT: case DSL_LT: case DSL_LE: case DSL_TOINT: case DSL_ASINT:
      return 0;
    default:
      break;
    }
  const dsl_range *r[3] = {a, b, c};
  for (int s = 0; s < o->arity; s++)
    if (o->arg[s] == DSL_KF && !(r[s]->lo <= r[s]->hi))
      return 1;
  return 0;
}

/* Evaluates P over the box IN (one range per input) into V (one per value).
   Sets *UNDECIDED to 1 + the index of the first instruction that is a
   discrete op with several outcomes over the box (0: none).  */
static void
eval_piece (const actx *x, dsl_range *v, int *undecided)
{
  const dsl_prog *p = x->p;
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      dsl_range a, b, c, *r = &v[p->nin + k];
      int und = 0, arity = dsl_op ((dsl_opcode) i->op)->arity, w = x->w[k];
      operand (x, v, i, 0, w, &a);
      if (arity > 1)
        operand (x, v, i, 1, w, &b);
      if (arity > 2)
        operand (x, v, i, 2, w, &c);
      set_empty (r);
      if (only_nan_in (i, &a, &b, &c))
        {
          /* An operand that can only be NaN (or no value at all): so can the result.  */
          r->flags = (a.flags | (arity > 1 ? b.flags : 0) | (arity > 2 ? c.flags : 0)) & DSL_RANGE_NAN;
          continue;
        }
      switch ((dsl_opcode) i->op)
        {
        case DSL_ADD: r_add (r, &a, &b, 0, w); break;
        case DSL_SUB: r_add (r, &a, &b, 1, w); break;
        case DSL_MUL: r_mul (r, &a, &b, w); break;
        case DSL_DIV: r_div (r, &a, &b, w); break;
        case DSL_FMA: r_fma (r, &a, &b, &c, w); break;
        case DSL_NEG: r_neg (r, &a); break;
        case DSL_ABS: r_abs (r, &a); break;
        case DSL_MIN: r_minmax (r, &a, &b, 0); break;
        case DSL_MAX: r_minmax (r, &a, &b, 1); break;
        case DSL_SQRT: r_sqrt (r, &a, w); break;
        case DSL_RINT:
        case DSL_FLOOR:
          r_round (r, &a, i->op == DSL_FLOOR, w);
          und = r->lo < r->hi;
          break;
        case DSL_ASINT: r_asint (r, &a, w); break;
        case DSL_ASFLOAT: r_asfloat (r, &a, w); break;
        case DSL_TOINT:
          r_toint (r, &a, w);
          und = r->ilo < r->ihi;
          break;
        case DSL_TOFLOAT: r_tofloat (r, &a, w); break;
        case DSL_IADD: set_int_sum (r, a.ilo, a.ihi, b.ilo, b.ihi, 0, w); break;
        case DSL_ISUB: set_int_sum (r, a.ilo, a.ihi, b.ilo, b.ihi, 1, w); break;
        case DSL_TOF64:
        case DSL_TOF32:
        case DSL_TOBF16:
        case DSL_TOF16:
        case DSL_TOE4M3:
        case DSL_TOE5M2: r_convert (r, (dsl_opcode) i->op, &a); break;
        case DSL_SHL:
        case DSL_SHR: r_shift (r, (dsl_opcode) i->op, &a, &b, w); break;
        case DSL_AND:
        case DSL_OR:
        case DSL_XOR: r_bitop (r, (dsl_opcode) i->op, &a, &b, w); break;
        case DSL_LDEXP: r_ldexp (r, &a, &b, w); break;
        case DSL_LT:
        case DSL_LE:
          if (same_value (i))
            {
              /* x < x is false; x <= x is true but for NaN.  */
              int nan = (a.flags & DSL_RANGE_NAN) != 0;
              set_int (r, i->op == DSL_LE && a.lo <= a.hi ? -1 : 0, i->op == DSL_LE && !nan ? -1 : 0, w);
            }
          else
            r_compare (r, &a, &b, i->op == DSL_LE, &und, w);
          break;
        case DSL_SELECT: r_select (r, &a, &b, &c); break;
        case DSL_LUT: r_lut (r, p, &a, &b); break;
        case DSL_EXP:
        case DSL_LOG:
        case DSL_LOG1P:
        case DSL_ERF:
        case DSL_LGAMMA: r_libm (r, (dsl_opcode) i->op, &a, w); break;
        default:
          set_float (r, -INFINITY, INFINITY, DSL_RANGE_NAN | DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO, w);
          set_int (r, I32_MIN, I32_MAX, w);
          break;
        }
      /* An integer of a few values (an exponent, the k of a reduction): the
         arithmetic on it is exact when the piece is cut until it has one.  */
      if (dsl_op ((dsl_opcode) i->op)->result == DSL_KI && r->ilo < r->ihi
          && (uint64_t) r->ihi - (uint64_t) r->ilo <= RANGE_SMALL_INT)
        und = 1;
      if (und && !*undecided)
        *undecided = k + 1;
    }
}

/* ---- the box and its pieces ---- */

/* Keys (dsl_key_of_bits, dsl_key_of_bits64) of the inputs: float32 keys
   for float32 inputs, float64 keys for float64 ones.  */
typedef struct {
  uint64_t klo[DSL_MAXIN], khi[DSL_MAXIN];
  double width;     /* relative width of its widest input */
  double prio;      /* the order of splitting: undecided pieces first, then the widest */
  int axis;         /* that input */
  int slot;         /* where its values' ranges are kept while it waits in the heap */
  int und;          /* 1 + the first undecided instruction, 0: none */
} piece;

static uint64_t
key_of (double v, int w)
{
  return w ? dsl_key_of_bits64 (an_u64 (v)) : dsl_key_of_bits (an_u32 ((float) v));
}

static double
value_of (uint64_t k, int w)
{
  return w ? an_f64 (dsl_bits_of_key64 (k)) : an_f32 (dsl_bits_of_key ((uint32_t) k));
}

/* The input ranges of a piece: every float between its end keys.  */
static void
piece_inputs (const actx *x, const piece *q, dsl_range *v)
{
  for (int j = 0; j < x->p->nin; j++)
    {
      int w = x->wide[j];
      double lo = value_of (q->klo[j], w), hi = value_of (q->khi[j], w);
      uint64_t kneg = key_of (-0.0, w), kpos = key_of (0.0, w);
      set_empty (&v[j]);
      v[j].lo = lo == 0 ? 0 : lo;
      v[j].hi = hi == 0 ? 0 : hi;
      v[j].flags = 0;
      /* Keys order -0 just below +0.  */
      if (q->klo[j] <= kneg && q->khi[j] >= kneg)
        v[j].flags |= DSL_RANGE_NEGZERO;
      if (q->klo[j] <= kpos && q->khi[j] >= kpos)
        v[j].flags |= DSL_RANGE_POSZERO;
      double big = w ? 0x1p52 : 0x1p23;
      if (v[j].lo >= big || v[j].hi <= -big || (q->klo[j] == q->khi[j] && lo == nearbyint (lo)))
        v[j].flags |= DSL_RANGE_INTEGRAL;
    }
}

/* Width relative to magnitude: a piece of 2^13 consecutive floats of one
   binade is about 2^-10 wide, [-1, 1] is 2 wide.  */
static void
piece_measure (const actx *x, piece *q)
{
  q->width = -1;
  q->axis = 0;
  for (int j = 0; j < x->p->nin; j++)
    {
      double lo = value_of (q->klo[j], x->wide[j]), hi = value_of (q->khi[j], x->wide[j]);
      double scale = fmax (fabs (lo), fabs (hi));
      double w = q->khi[j] == q->klo[j] ? -1 : scale > 0 ? (hi - lo) / scale : 1;
      if (isinf (scale) || isinf (w))
        w = 1;
      if (w > q->width)
        q->width = w, q->axis = j;
    }
}

/* A max-heap of pieces by priority.  */
static void
heap_push (piece *h, int *n, const piece *q)
{
  int i = (*n)++;
  while (i > 0 && h[(i - 1) / 2].prio < q->prio)
    {
      h[i] = h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  h[i] = *q;
}

static piece
heap_pop (piece *h, int *n)
{
  piece top = h[0], last = h[--*n];
  int i = 0;
  for (;;)
    {
      int c = 2 * i + 1;
      if (c >= *n)
        break;
      if (c + 1 < *n && h[c + 1].prio > h[c].prio)
        c++;
      if (h[c].prio <= last.prio)
        break;
      h[i] = h[c];
      i = c;
    }
  h[i] = last;
  return top;
}

/* Instruction K's result (bits) at the one-input point of key KEY, op by op
   with the scalar meanings.  VAL holds nin + K + 1 values.  */
static uint64_t
value_at (const actx *x, int k, uint64_t key, uint64_t *val)
{
  val[0] = x->wide[0] ? dsl_bits_of_key64 (key) : dsl_bits_of_key ((uint32_t) key);
  dsl_eval_point (x->p, x->wide, k, val);
  return val[x->p->nin + k];
}

/* Above the middle of instruction K's range R on the piece?  */
static int
above (const actx *x, int k, const dsl_range *r, uint64_t bits)
{
  int rw = x->wide[x->p->nin + k];
  if (dsl_op ((dsl_opcode) x->p->insn[k].op)->result == DSL_KI)
    {
      /* The middle without overflow: ihi - ilo may exceed the signed range.  */
      long long v = rw ? (long long) (int64_t) bits : (long long) (int32_t) (uint32_t) bits;
      long long mid = (long long) ((uint64_t) r->ilo + ((uint64_t) r->ihi - (uint64_t) r->ilo) / 2);
      return v > mid;
    }
  double f = rw ? an_f64 (bits) : an_f32 ((uint32_t) bits);
  return f > r->lo + (r->hi - r->lo) / 2;
}

/* Where to cut piece Q (its ranges in V): for one input, at the point
   where its first undecided instruction crosses the middle of its range on
   the piece, found by bisection with the scalar meanings (a rint of x c is
   cut exactly at its rounding boundary, and both halves are decided);
   else, or where no crossing shows, in the middle.  Returns the last key of
   the lower half.  */
static uint64_t
split_point (const actx *x, const piece *q, const dsl_range *v)
{
  const dsl_prog *p = x->p;
  int j = q->axis;
  uint64_t lo = q->klo[j], hi = q->khi[j], mid = lo + (hi - lo) / 2;
  int k = q->und - 1;
  uint64_t *val = malloc ((size_t) (p->nin + p->ninsn) * sizeof *val);
  if (!val || p->nin != 1 || k < 0)
    return free (val), mid;
  const dsl_range *r = &v[p->nin + k];
  int glo = above (x, k, r, value_at (x, k, lo, val));
  if (glo == above (x, k, r, value_at (x, k, hi, val)))
    return free (val), mid;
  /* g(lo) != g(hi): keep it so while the gap closes.  */
  while (hi - lo > 1)
    {
      uint64_t m = lo + (hi - lo) / 2;
      if (above (x, k, r, value_at (x, k, m, val)) == glo)
        lo = m;
      else
        hi = m;
    }
  free (val);
  return lo;
}

/* The pieces waiting to be split, and the ranges their evaluation gave.  */
typedef struct {
  piece *heap;
  int nheap;
  dsl_range *pool;  /* budget slots of nval ranges */
  int *free_slot, nfree;
  int nval;
} queue;

/* Evaluates piece Q: kept in the heap to be split while it holds more than
   one value and a slot is free, else joined into OUT.  Undecided pieces are
   split first; then the widest, which tightens the ranges where values
   depend on each other (a polynomial in r = x - k c within one k).  */
static void
visit (const actx *x, piece *q, queue *Q, dsl_range *out)
{
  dsl_range *v = Q->pool;   /* slot 0: scratch */
  piece_inputs (x, q, v);
  int undecided = 0;
  eval_piece (x, v, &undecided);
  piece_measure (x, q);
  if (q->width > 0 && Q->nfree > 0)
    {
      q->und = undecided;
      q->prio = q->width + (undecided ? 4 : 0);   /* widths are at most 2 */
      q->slot = Q->free_slot[--Q->nfree];
      memcpy (Q->pool + (size_t) q->slot * Q->nval, v, (size_t) Q->nval * sizeof *v);
      heap_push (Q->heap, &Q->nheap, q);
      return;
    }
  for (int k = 0; k < Q->nval; k++)
    join (&out[k], &v[k]);
}

/* The first piece: the whole box, checked.  */
static int
first_piece (const actx *x, const double *lo, const double *hi, piece *q, dsl_error *err)
{
  for (int j = 0; j < x->p->nin; j++)
    {
      int w = x->wide[j];
      if (!(lo[j] <= hi[j]) || (!w && ((double) (float) lo[j] != lo[j] || (double) (float) hi[j] != hi[j])))
        return dsl_error_set (err, "range analysis: input %d's domain [%g, %g] is not an interval of %s values", j + 1,
                              lo[j], hi[j], w ? "float64" : "float32");
      q->klo[j] = key_of (lo[j], w);
      q->khi[j] = key_of (hi[j], w);
    }
  return 0;
}

int
dsl_range_analyze (const dsl_prog *p, const double *lo, const double *hi, int budget, dsl_range *out,
                   dsl_error *err)
{
  if (budget < 1)
    budget = 1;
  int nval = p->nin + p->ninsn, nslots = budget / 2 + 2, rc = 0;
  actx x = {p, malloc ((size_t) nval), malloc ((size_t) (p->ninsn ? p->ninsn : 1))};
  /* Every piece is evaluated once, when it is made: at most BUDGET of them.
     A piece waiting in the heap keeps its ranges in a slot of the pool
     (slot 0 is scratch), so those left at the end are joined unevaluated.  */
  queue Q = {malloc ((size_t) nslots * sizeof (piece)), 0, malloc ((size_t) nslots * nval * sizeof (dsl_range)),
             malloc ((size_t) nslots * sizeof (int)), 0, nval};
  piece first;
  if (!x.wide || !x.w || !Q.heap || !Q.pool || !Q.free_slot)
    rc = dsl_error_set (err, "range analysis: out of memory");
  else if (dsl_prog_widths (p, x.wide, err) < 0)
    rc = -1;
  for (int k = 0; rc == 0 && k < p->ninsn; k++)
    {
      int w, rw;
      dsl_insn_width (p, k, x.wide, &w, &rw, NULL);
      x.w[k] = (uint8_t) w;
    }
  if (rc == 0)
    rc = first_piece (&x, lo, hi, &first, err);
  if (rc == 0)
    {
      for (int i = nslots - 1; i >= 1; i--)
        Q.free_slot[Q.nfree++] = i;
      for (int k = 0; k < nval; k++)
        set_empty (&out[k]);
      int evaluated = 1;
      visit (&x, &first, &Q, out);
      while (Q.nheap > 0 && evaluated + 2 <= budget)
        {
          piece q = heap_pop (Q.heap, &Q.nheap);
          Q.free_slot[Q.nfree++] = q.slot;
          int j = q.axis;
          uint64_t mid = split_point (&x, &q, Q.pool + (size_t) q.slot * nval);
          piece a = q, b = q;
          a.khi[j] = mid;
          b.klo[j] = mid + 1;
          visit (&x, &a, &Q, out);
          visit (&x, &b, &Q, out);
          evaluated += 2;
        }
      while (Q.nheap > 0)
        {
          piece q = heap_pop (Q.heap, &Q.nheap);
          const dsl_range *v = Q.pool + (size_t) q.slot * nval;
          for (int k = 0; k < nval; k++)
            join (&out[k], &v[k]);
        }
    }
  free (x.wide);
  free (x.w);
  free (Q.heap);
  free (Q.pool);
  free (Q.free_slot);
  return rc;
}
