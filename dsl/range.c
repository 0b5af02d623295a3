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

#define F32_MAX 0x1.fffffep+127
#define I32_MIN (-2147483648LL)
#define I32_MAX 2147483647LL
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
set_float (dsl_range *r, double lo, double hi, unsigned flags)
{
  r->lo = round_f32 (lo);
  r->hi = round_f32 (hi);
  if (!(r->lo <= r->hi))
    {
      r->lo = INFINITY;
      r->hi = -INFINITY;
    }
  if (!has_zero (r))
    flags &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  /* Every float32 of magnitude 2^23 or more is an integer.  */
  if (r->lo >= 0x1p23 || r->hi <= -0x1p23)
    flags |= DSL_RANGE_INTEGRAL;
  r->flags = flags;
}

static void
set_int (dsl_range *r, long long lo, long long hi)
{
  if (lo < I32_MIN || hi > I32_MAX)
    lo = I32_MIN, hi = I32_MAX;   /* wraps around: anything */
  r->ilo = lo;
  r->ihi = hi;
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
r_add (dsl_range *r, const dsl_range *a, const dsl_range *b, int sub)
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
  set_float (r, lo, hi, fl);
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
   two float32 is exact; of wider values, widened).  *NAN set for 0 * inf.  */
static void
product_bounds (const dsl_range *a, const dsl_range *b, double *lo, double *hi, int *nan)
{
  double c[4] = {a->lo * b->lo, a->lo * b->hi, a->hi * b->lo, a->hi * b->hi};
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int i = 0; i < 4; i++)
    if (!isnan (c[i]))
      {
        *lo = fmin (*lo, c[i]);
        *hi = fmax (*hi, c[i]);
      }
  *nan = (has_zero (a) && (isinf (b->lo) || isinf (b->hi))) || (has_zero (b) && (isinf (a->lo) || isinf (a->hi)));
}

static void
r_mul (dsl_range *r, const dsl_range *a, const dsl_range *b)
{
  double lo, hi;
  int nan;
  product_bounds (a, b, &lo, &hi, &nan);
  unsigned fl = nan_of (a, b) | (nan ? DSL_RANGE_NAN : 0) | product_zero_signs (a, b);
  if (a->flags & b->flags & DSL_RANGE_INTEGRAL)
    fl |= DSL_RANGE_INTEGRAL;
  set_float (r, lo, hi, fl);
}

static void
r_fma (dsl_range *r, const dsl_range *a, const dsl_range *b, const dsl_range *c)
{
  dsl_range p;
  double lo, hi;
  int nan;
  product_bounds (a, b, &lo, &hi, &nan);
  /* The exact product as an unrounded range (any float zero sign).  */
  p.lo = lo;
  p.hi = hi;
  p.flags = nan_of (a, b) | (nan ? DSL_RANGE_NAN : 0) | product_zero_signs (a, b)
            | (a->flags & b->flags & DSL_RANGE_INTEGRAL);
  r_add (r, &p, c, 0);
  /* A tiny exact result rounds to a zero of its own sign.  */
  if (has_zero (r) && (may_neg (&p) || may_neg (c)))
    r->flags |= DSL_RANGE_NEGZERO;
}

static void
r_div (dsl_range *r, const dsl_range *a, const dsl_range *b)
{
  unsigned fl = nan_of (a, b) | product_zero_signs (a, b);
  if (has_zero (b) || ((isinf (a->lo) || isinf (a->hi)) && (isinf (b->lo) || isinf (b->hi))))
    {
      set_float (r, -INFINITY, INFINITY, fl | DSL_RANGE_NAN | DSL_RANGE_POSZERO | DSL_RANGE_NEGZERO);
      return;
    }
  double c[4] = {a->lo / b->lo, a->lo / b->hi, a->hi / b->lo, a->hi / b->hi};
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < 4; i++)
    {
      lo = fmin (lo, c[i]);
      hi = fmax (hi, c[i]);
    }
  set_float (r, dn (lo), up (hi), fl);
}

static void
r_sqrt (dsl_range *r, const dsl_range *a)
{
  unsigned fl = a->flags & (DSL_RANGE_NAN | DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  if (a->lo < 0)
    fl |= DSL_RANGE_NAN;
  if (a->hi < 0)
    {
      set_float (r, INFINITY, -INFINITY, fl);
      return;
    }
  double lo = a->lo > 0 ? dn (sqrt (a->lo)) : 0;
  set_float (r, lo, up (sqrt (a->hi)), fl);
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
r_round (dsl_range *r, const dsl_range *a, int floor_)
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
  set_float (r, lo, hi, fl);
}

/* The exponent of ldexp, clamped as the op's meaning clamps it.  */
static void
r_ldexp (dsl_range *r, const dsl_range *a, const dsl_range *k)
{
  double klo = k->ilo < -400 ? -400 : (double) k->ilo, khi = k->ihi > 400 ? 400 : (double) k->ihi;
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
  set_float (r, dn (lo), up (hi), fl);
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
r_libm (dsl_range *r, dsl_opcode op, const dsl_range *a)
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
            set_float (r, INFINITY, -INFINITY, fl);
            return;
          }
        ylo = op == DSL_LOG ? log (lo) : log1p (lo);
        yhi = op == DSL_LOG ? log (hi) : log1p (hi);
        fl |= DSL_RANGE_POSZERO | (a->flags & DSL_RANGE_NEGZERO);
        break;
      }
    default:   /* erf */
      ylo = erf (lo), yhi = erf (hi);
      fl |= DSL_RANGE_POSZERO | (a->flags & DSL_RANGE_NEGZERO);
      break;
    }
  if (!(a->lo <= a->hi))
    {
      set_float (r, INFINITY, -INFINITY, fl);
      return;
    }
  set_float (r, widen_rel (ylo, 0), widen_rel (yhi, 1), fl);
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

/* Signed reading of a float32 bit pattern and back.  */
static long long
bits_signed (float f)
{
  uint32_t u = an_u32 (f);
  return (long long) (int32_t) u;
}

static void
r_asint (dsl_range *r, const dsl_range *a)
{
  long long lo = I32_MAX, hi = I32_MIN;
  /* Non-negative floats (+0 up to +inf): patterns 0 .. 0x7f800000, increasing with the value.  */
  if (a->hi > 0 || (has_zero (a) && (a->flags & DSL_RANGE_POSZERO)))
    {
      lo = bits_signed ((float) fmax (a->lo, 0));
      hi = bits_signed ((float) a->hi);
    }
  /* Negative floats (-0 down to -inf): signed -2^31 + the magnitude's pattern, increasing with the magnitude.  */
  if (a->lo < 0 || (has_zero (a) && (a->flags & DSL_RANGE_NEGZERO)))
    {
      widen_to (&lo, &hi, I32_MIN + bits_signed ((float) (a->hi < 0 ? -a->hi : 0)));
      widen_to (&lo, &hi, I32_MIN + bits_signed ((float) (a->lo < 0 ? -a->lo : 0)));
    }
  if (a->flags & DSL_RANGE_NAN)
    widen_to (&lo, &hi, 0x7fc00000);   /* every NaN reads as the default one */
  set_int (r, lo, hi);
}

static void
r_asfloat (dsl_range *r, const dsl_range *a)
{
  long long lo = a->ilo, hi = a->ihi;
  unsigned fl = 0;
  double flo = INFINITY, fhi = -INFINITY;
  /* Patterns 0 .. 0x7f800000: +0 .. +inf, increasing; above: NaN.  */
  if (hi >= 0)
    {
      long long l = lo > 0 ? lo : 0, h = hi < 0x7f800000 ? hi : 0x7f800000;
      flo = an_f32 ((uint32_t) l);
      fhi = an_f32 ((uint32_t) h);
      if (l == 0)
        fl |= DSL_RANGE_POSZERO;
      if (hi > 0x7f800000)
        fl |= DSL_RANGE_NAN;
    }
  /* Signed -2^31 .. -2^23 - 1 ... : -0 .. -inf, decreasing; -2^23 + 1 .. -1: NaN.  */
  if (lo < 0)
    {
      long long h = hi < -1 ? hi : -1;
      long long hh = h < -8388608LL ? h : -8388608LL;   /* -inf's pattern, signed */
      if (lo <= hh)
        {
          double neg_hi = an_f32 ((uint32_t) (int32_t) lo), neg_lo = an_f32 ((uint32_t) (int32_t) hh);
          flo = fmin (flo, neg_lo);
          fhi = fmax (fhi, neg_hi);
          if (lo == I32_MIN)
            fl |= DSL_RANGE_NEGZERO;
        }
      if (h > -8388608LL)
        fl |= DSL_RANGE_NAN;
    }
  r->lo = flo;
  r->hi = fhi;
  if (!has_zero (r))
    fl &= ~(DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
  if (r->lo >= 0x1p23 || r->hi <= -0x1p23)
    fl |= DSL_RANGE_INTEGRAL;
  r->flags = fl;
}

/* toint: rint, saturated to the signed range, NaN gives 0; monotone.  */
static long long
toint_of (double v)
{
  if (v >= 0x1p31)
    return I32_MAX;
  if (v < -0x1p31)
    return I32_MIN;
  return (long long) nearbyint (v);
}

static void
r_toint (dsl_range *r, const dsl_range *a)
{
  long long lo = a->lo <= a->hi ? toint_of (a->lo) : 0, hi = a->lo <= a->hi ? toint_of (a->hi) : 0;
  if (a->flags & DSL_RANGE_NAN)
    widen_to (&lo, &hi, 0);
  set_int (r, lo, hi);
}

static void
r_tofloat (dsl_range *r, const dsl_range *a)
{
  set_float (r, (double) a->ilo, (double) a->ihi, DSL_RANGE_POSZERO | DSL_RANGE_INTEGRAL);
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
r_bitop (dsl_range *r, dsl_opcode op, const dsl_range *a, const dsl_range *b)
{
  if (a->ilo >= 0 && b->ilo >= 0)
    {
      long long top = fill_bits (a->ihi > b->ihi ? a->ihi : b->ihi);
      switch (op)
        {
        case DSL_AND: set_int (r, 0, a->ihi < b->ihi ? a->ihi : b->ihi); return;
        case DSL_OR: set_int (r, a->ilo > b->ilo ? a->ilo : b->ilo, top); return;
        default: set_int (r, 0, top); return;
        }
    }
  /* and with a non-negative mask stays under the mask.  */
  if (op == DSL_AND && (a->ilo >= 0 || b->ilo >= 0))
    {
      long long m = a->ilo >= 0 ? a->ihi : b->ihi;
      set_int (r, 0, m);
      return;
    }
  /* or with a negative value stays negative.  */
  if (op == DSL_OR && (a->ihi < 0 || b->ihi < 0))
    {
      set_int (r, a->ihi < 0 ? a->ilo : b->ilo, -1);
      return;
    }
  set_int (r, I32_MIN, I32_MAX);
}

/* The shift count when it is one value, else -1.  */
static int
shift_count (const dsl_range *b)
{
  return b->ilo == b->ihi ? (int) ((uint32_t) b->ilo & 31) : -1;
}

static long long
floor_shift (long long v, int s)
{
  long long d = 1LL << s;
  return v >= 0 ? v / d : -((-v + d - 1) / d);
}

static void
r_shift (dsl_range *r, dsl_opcode op, const dsl_range *a, const dsl_range *b)
{
  int s = shift_count (b);
  if (s < 0)
    {
      if (op == DSL_SHR && a->ilo >= 0)
        set_int (r, 0, a->ihi);
      else if (op == DSL_SHR)
        set_int (r, a->ilo < -1 ? a->ilo : -1, a->ihi > 0 ? a->ihi : 0);
      else
        set_int (r, I32_MIN, I32_MAX);
      return;
    }
  if (op == DSL_SHR)
    set_int (r, floor_shift (a->ilo, s), floor_shift (a->ihi, s));
  else
    set_int (r, a->ilo * (1LL << s), a->ihi * (1LL << s));
}

/* ---- one pass over a piece ---- */

/* The enclosure of literal bits of kind K.  */
static void
literal_range (dsl_range *r, dsl_kind k, uint64_t bits)
{
  set_empty (r);
  if (k == DSL_KI)
    {
      r->ilo = r->ihi = (int32_t) (uint32_t) bits;
      return;
    }
  float f = an_f32 ((uint32_t) bits);
  r->flags = 0;
  if (isnan (f))
    {
      r->flags = DSL_RANGE_NAN;
      return;
    }
  r->lo = r->hi = f;
  if (f == 0)
    r->flags |= signbit (f) ? DSL_RANGE_NEGZERO : DSL_RANGE_POSZERO;
  if (f == nearbyintf (f) || isinf (f))
    r->flags |= DSL_RANGE_INTEGRAL;
}

/* A comparison: all ones, zero, or either.  */
static void
r_compare (dsl_range *r, const dsl_range *a, const dsl_range *b, int le, int *undecided)
{
  int may_true = le ? a->lo <= b->hi : a->lo < b->hi;
  int may_false = (le ? a->hi > b->lo : a->hi >= b->lo) || ((a->flags | b->flags) & DSL_RANGE_NAN);
  if (!(a->lo <= a->hi) || !(b->lo <= b->hi))
    may_true = 0;   /* one side is only NaN */
  set_int (r, may_true ? -1 : 0, may_false ? 0 : -1);
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

static void
operand (const dsl_prog *p, const dsl_range *v, const dsl_insn *i, int s, dsl_range *out)
{
  const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
  if (i->a[s].is_const)
    literal_range (out, o->arg[s], i->a[s].bits);
  else
    *out = v[i->a[s].ref];
  (void) p;
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
eval_piece (const dsl_prog *p, dsl_range *v, int *undecided)
{
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      dsl_range a, b, c, *r = &v[p->nin + k];
      int und = 0, arity = dsl_op ((dsl_opcode) i->op)->arity;
      operand (p, v, i, 0, &a);
      if (arity > 1)
        operand (p, v, i, 1, &b);
      if (arity > 2)
        operand (p, v, i, 2, &c);
      set_empty (r);
      if (only_nan_in (i, &a, &b, &c))
        {
          /* An operand that can only be NaN (or no value at all): so can the result.  */
          r->flags = (a.flags | (arity > 1 ? b.flags : 0) | (arity > 2 ? c.flags : 0)) & DSL_RANGE_NAN;
          continue;
        }
      switch ((dsl_opcode) i->op)
        {
        case DSL_ADD: r_add (r, &a, &b, 0); break;
        case DSL_SUB: r_add (r, &a, &b, 1); break;
        case DSL_MUL: r_mul (r, &a, &b); break;
        case DSL_DIV: r_div (r, &a, &b); break;
        case DSL_FMA: r_fma (r, &a, &b, &c); break;
        case DSL_NEG: r_neg (r, &a); break;
        case DSL_ABS: r_abs (r, &a); break;
        case DSL_MIN: r_minmax (r, &a, &b, 0); break;
        case DSL_MAX: r_minmax (r, &a, &b, 1); break;
        case DSL_SQRT: r_sqrt (r, &a); break;
        case DSL_RINT:
        case DSL_FLOOR:
          r_round (r, &a, i->op == DSL_FLOOR);
          und = r->lo < r->hi;
          break;
        case DSL_ASINT: r_asint (r, &a); break;
        case DSL_ASFLOAT: r_asfloat (r, &a); break;
        case DSL_TOINT:
          r_toint (r, &a);
          und = r->ilo < r->ihi;
          break;
        case DSL_TOFLOAT: r_tofloat (r, &a); break;
        case DSL_IADD: set_int (r, a.ilo + b.ilo, a.ihi + b.ihi); break;
        case DSL_ISUB: set_int (r, a.ilo - b.ihi, a.ihi - b.ilo); break;
        case DSL_SHL:
        case DSL_SHR: r_shift (r, (dsl_opcode) i->op, &a, &b); break;
        case DSL_AND:
        case DSL_OR:
        case DSL_XOR: r_bitop (r, (dsl_opcode) i->op, &a, &b); break;
        case DSL_LDEXP: r_ldexp (r, &a, &b); break;
        case DSL_LT:
        case DSL_LE:
          if (same_value (i))
            {
              /* x < x is false; x <= x is true but for NaN.  */
              int nan = (a.flags & DSL_RANGE_NAN) != 0;
              set_int (r, i->op == DSL_LE && a.lo <= a.hi ? -1 : 0, i->op == DSL_LE && !nan ? -1 : 0);
            }
          else
            r_compare (r, &a, &b, i->op == DSL_LE, &und);
          break;
        case DSL_SELECT: r_select (r, &a, &b, &c); break;
        case DSL_EXP:
        case DSL_LOG:
        case DSL_LOG1P:
        case DSL_ERF: r_libm (r, (dsl_opcode) i->op, &a); break;
        default:
          set_float (r, -INFINITY, INFINITY, DSL_RANGE_NAN | DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO);
          set_int (r, I32_MIN, I32_MAX);
          break;
        }
      /* An integer of a few values (an exponent, the k of a reduction): the
         arithmetic on it is exact when the piece is cut until it has one.  */
      if (dsl_op ((dsl_opcode) i->op)->result == DSL_KI && r->ilo < r->ihi && r->ihi - r->ilo <= RANGE_SMALL_INT)
        und = 1;
      if (und && !*undecided)
        *undecided = k + 1;
    }
}

/* ---- the box and its pieces ---- */

typedef struct {
  uint32_t klo[DSL_MAXIN], khi[DSL_MAXIN];
  double width;     /* relative width of its widest input */
  double prio;      /* the order of splitting: undecided pieces first, then the widest */
  int axis;         /* that input */
  int slot;         /* where its values' ranges are kept while it waits in the heap */
  int und;          /* 1 + the first undecided instruction, 0: none */
} piece;

/* The input ranges of a piece: every float between its end keys.  */
static void
piece_inputs (const dsl_prog *p, const piece *q, dsl_range *v)
{
  for (int j = 0; j < p->nin; j++)
    {
      float lo = an_f32 (dsl_bits_of_key (q->klo[j])), hi = an_f32 (dsl_bits_of_key (q->khi[j]));
      set_empty (&v[j]);
      v[j].lo = lo == 0 ? 0 : lo;
      v[j].hi = hi == 0 ? 0 : hi;
      v[j].flags = 0;
      /* Keys order -0 just below +0.  */
      if (q->klo[j] <= dsl_key_of_bits (an_u32 (-0.0f)) && q->khi[j] >= dsl_key_of_bits (an_u32 (-0.0f)))
        v[j].flags |= DSL_RANGE_NEGZERO;
      if (q->klo[j] <= dsl_key_of_bits (an_u32 (0.0f)) && q->khi[j] >= dsl_key_of_bits (an_u32 (0.0f)))
        v[j].flags |= DSL_RANGE_POSZERO;
      if (v[j].lo >= 0x1p23 || v[j].hi <= -0x1p23 || (q->klo[j] == q->khi[j] && lo == nearbyintf (lo)))
        v[j].flags |= DSL_RANGE_INTEGRAL;
    }
}

/* Width relative to magnitude: a piece of 2^13 consecutive floats of one
   binade is about 2^-10 wide, [-1, 1] is 2 wide.  */
static void
piece_measure (const dsl_prog *p, piece *q)
{
  q->width = -1;
  q->axis = 0;
  for (int j = 0; j < p->nin; j++)
    {
      double lo = an_f32 (dsl_bits_of_key (q->klo[j])), hi = an_f32 (dsl_bits_of_key (q->khi[j]));
      double scale = fmax (fabs (lo), fabs (hi));
      double w = q->khi[j] == q->klo[j] ? -1 : scale > 0 ? (hi - lo) / scale : 1;
      if (isinf (scale))
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

/* Instruction K's result (bits) at the one-input point X, op by op with
   the scalar meanings.  VAL holds nin + K + 1 values.  */
static uint32_t
value_at (const dsl_prog *p, int k, float x, uint32_t *val)
{
  val[0] = an_u32 (x);
  for (int t = 0; t <= k; t++)
    {
      const dsl_insn *i = &p->insn[t];
      uint32_t a[DSL_MAXARGS] = {0, 0, 0};
      for (int s = 0; s < dsl_op ((dsl_opcode) i->op)->arity; s++)
        a[s] = i->a[s].is_const ? (uint32_t) i->a[s].bits : val[i->a[s].ref];
      val[p->nin + t] = dsl_apply_f32 ((dsl_opcode) i->op, a);
    }
  return val[p->nin + k];
}

/* Above the middle of instruction K's range R on the piece?  */
static int
above (const dsl_prog *p, int k, const dsl_range *r, uint32_t bits)
{
  if (dsl_op ((dsl_opcode) p->insn[k].op)->result == DSL_KI)
    return (long long) (int32_t) bits > r->ilo + (r->ihi - r->ilo) / 2;
  float f = an_f32 (bits);
  return f > r->lo + (r->hi - r->lo) / 2;
}

/* Where to cut piece Q (its ranges in V): for one input, at the point
   where its first undecided instruction crosses the middle of its range on
   the piece, found by bisection with the scalar meanings (a rint of x c is
   cut exactly at its rounding boundary, and both halves are decided);
   else, or where no crossing shows, in the middle.  Returns the last key of
   the lower half.  */
static uint32_t
split_point (const dsl_prog *p, const piece *q, const dsl_range *v)
{
  int j = q->axis;
  uint32_t lo = q->klo[j], hi = q->khi[j], mid = lo + (hi - lo) / 2;
  int k = q->und - 1;
  uint32_t val[DSL_MAXIN + 64];
  if (p->nin != 1 || k < 0 || k >= 64 - DSL_MAXIN)
    return mid;
  const dsl_range *r = &v[p->nin + k];
  int glo = above (p, k, r, value_at (p, k, an_f32 (dsl_bits_of_key (lo)), val));
  if (glo == above (p, k, r, value_at (p, k, an_f32 (dsl_bits_of_key (hi)), val)))
    return mid;
  /* g(lo) != g(hi): keep it so while the gap closes.  */
  while (hi - lo > 1)
    {
      uint32_t m = lo + (hi - lo) / 2;
      if (above (p, k, r, value_at (p, k, an_f32 (dsl_bits_of_key (m)), val)) == glo)
        lo = m;
      else
        hi = m;
    }
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
visit (const dsl_prog *p, piece *q, queue *Q, dsl_range *out)
{
  dsl_range *v = Q->pool;   /* slot 0: scratch */
  piece_inputs (p, q, v);
  int undecided = 0;
  eval_piece (p, v, &undecided);
  piece_measure (p, q);
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

int
dsl_range_analyze (const dsl_prog *p, const double *lo, const double *hi, int budget, dsl_range *out,
                   dsl_error *err)
{
  if (p->type != DSL_FLOAT32)
    return dsl_error_set (err, "range analysis supports float32 programs only, not %s", dsl_type_name (p->type));
  if (budget < 1)
    budget = 1;
  int nval = p->nin + p->ninsn;
  piece first;
  for (int j = 0; j < p->nin; j++)
    {
      if (!(lo[j] <= hi[j]) || (double) (float) lo[j] != lo[j] || (double) (float) hi[j] != hi[j])
        return dsl_error_set (err, "range analysis: input %d's domain [%g, %g] is not an interval of float32 values",
                              j + 1, lo[j], hi[j]);
      first.klo[j] = dsl_key_of_bits (an_u32 ((float) lo[j]));
      first.khi[j] = dsl_key_of_bits (an_u32 ((float) hi[j]));
    }
  /* Every piece is evaluated once, when it is made: at most BUDGET of them.
     A piece waiting in the heap keeps its ranges in a slot of the pool
     (slot 0 is scratch), so those left at the end are joined unevaluated.  */
  int nslots = budget / 2 + 2;
  queue Q = {malloc ((size_t) nslots * sizeof (piece)), 0, malloc ((size_t) nslots * nval * sizeof (dsl_range)),
             malloc ((size_t) nslots * sizeof (int)), 0, nval};
  if (!Q.heap || !Q.pool || !Q.free_slot)
    {
      free (Q.heap);
      free (Q.pool);
      free (Q.free_slot);
      return dsl_error_set (err, "range analysis: out of memory");
    }
  for (int i = nslots - 1; i >= 1; i--)
    Q.free_slot[Q.nfree++] = i;
  for (int k = 0; k < nval; k++)
    set_empty (&out[k]);
  int evaluated = 1;
  visit (p, &first, &Q, out);
  while (Q.nheap > 0 && evaluated + 2 <= budget)
    {
      piece q = heap_pop (Q.heap, &Q.nheap);
      Q.free_slot[Q.nfree++] = q.slot;
      int j = q.axis;
      uint32_t mid = split_point (p, &q, Q.pool + (size_t) q.slot * nval);
      piece a = q, b = q;
      a.khi[j] = mid;
      b.klo[j] = mid + 1;
      visit (p, &a, &Q, out);
      visit (p, &b, &Q, out);
      evaluated += 2;
    }
  while (Q.nheap > 0)
    {
      piece q = heap_pop (Q.heap, &Q.nheap);
      const dsl_range *v = Q.pool + (size_t) q.slot * nval;
      for (int k = 0; k < nval; k++)
        join (&out[k], &v[k]);
    }
  free (Q.heap);
  free (Q.pool);
  free (Q.free_slot);
  return 0;
}
