/* autonum helpers: the one definition of the ops that are not a single C operator.
   The interpreter compiles this file and the C emitter copies it verbatim into every
   exported program, so engine and export share one meaning for every op.  */
#ifndef AN_HELPERS_F32
#define AN_HELPERS_F32
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__GNUC__)
#define AN_INLINE static inline __attribute__ ((unused))
#define AN_LIKELY(c) __builtin_expect ((c) != 0, 1)
#else
#define AN_INLINE static inline
#define AN_LIKELY(c) (c)
#endif

AN_INLINE float
an_f32 (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

AN_INLINE uint32_t
an_u32 (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

/* Selects by bit masks rather than by branches: every floating-point
   operation runs unconditionally, so that compilers vectorise loops over
   the program even under -ftrapping-math (their default), where they may
   not speculate a floating-point operation a branch guards.  */
AN_INLINE uint32_t
an_selu (int c, uint32_t x, uint32_t y)
{
  uint32_t m = 0u - (uint32_t) (c != 0);
  return (x & m) | (y & ~m);
}

AN_INLINE float
an_self (int c, float x, float y)
{
  return an_f32 (an_selu (c, an_u32 (x), an_u32 (y)));
}

/* Integer and fraction of |a| for 2^-1 <= |a| < 2^23 and friends: with E the
   biased exponent and SH = 150 - E fraction bits (clamped to [1, 25]: below
   that |a| < 1/2 and the integer part is 0), the significand M splits into
   Q = M >> SH and the remainder M mod 2^SH.  Integer operations only, so
   rint and floor are exact in every rounding mode and vectorise without
   -fno-trapping-math (floorf does not, in gcc 12).  */
AN_INLINE uint32_t
an_fracbits (uint32_t mag)
{
  uint32_t e = mag >> 23;
  return an_selu (e < 125u, 25u, an_selu (e >= 150u, 1u, 150u - e));
}

/* Nearest integer, ties to even, whatever the rounding mode; keeps the sign
   of zero; |a| >= 2^23, inf and NaN are returned as they are.  */
AN_INLINE float
an_rintf (float a)
{
  uint32_t b = an_u32 (a), mag = b & 0x7fffffffu, sh = an_fracbits (mag);
  uint32_t m = (mag & 0x7fffffu) | 0x800000u, q = m >> sh, rem = m & ((1u << sh) - 1u), half = 1u << (sh - 1u);
  q += (uint32_t) (rem > half) | ((uint32_t) (rem == half) & q);
  return an_self ((mag >> 23) >= 150u, a, copysignf ((float) (int32_t) q, a));
}

/* Largest integer <= a; -0 and |a| >= 2^23, inf and NaN are returned as they are.  */
AN_INLINE float
an_floorf (float a)
{
  uint32_t b = an_u32 (a), mag = b & 0x7fffffffu, sh = an_fracbits (mag);
  uint32_t m = (mag & 0x7fffffu) | 0x800000u, q = m >> sh, rem = m & ((1u << sh) - 1u);
  q += (b >> 31) & (uint32_t) (rem != 0u);
  return an_self (((mag >> 23) >= 150u) | (mag == 0u), a, copysignf ((float) (int32_t) q, a));
}

/* an_rintf (a) as a signed integer, saturated (|a| >= 2^31 and infinities
   go to the nearest end); NaN gives 0.  On the bits, as an_rintf, with no
   trip through float compares and a conversion: that form cost 10.5 ns per
   scalar call against 6.2 for this one (and 0.81 against 0.72 ns per
   element vectorised).  */
AN_INLINE uint32_t
an_toint (float a)
{
  uint32_t b = an_u32 (a), mag = b & 0x7fffffffu, e = mag >> 23, sh = an_fracbits (mag);
  uint32_t m = (mag & 0x7fffffu) | 0x800000u, q = m >> sh, rem = m & ((1u << sh) - 1u), half = 1u << (sh - 1u);
  q += (uint32_t) (rem > half) | ((uint32_t) (rem == half) & q);
  q = an_selu (e >= 150u, m << ((e - 150u) & 31u), q);   /* 2^23 <= |a| < 2^31: an integer already */
  uint32_t neg = 0u - (b >> 31), v = (q ^ neg) - neg;
  v = an_selu (e >= 158u, an_selu (neg, 0x80000000u, 0x7fffffffu), v);
  return an_selu (mag > 0x7f800000u, 0u, v);
}

AN_INLINE float
an_tofloat (uint32_t u)
{
  int32_t i;
  memcpy (&i, &u, sizeof i);
  return (float) i;
}

/* Arithmetic right shift by b mod 32.  GCC and clang define >> of a
   negative int as arithmetic and the conversion of a uint32_t above
   INT32_MAX to int32_t as modulo 2^32 (their manuals, "Integers
   implementation"), which makes one shift instruction; elsewhere the same
   on unsigned values only.  */
AN_INLINE uint32_t
an_sar (uint32_t a, uint32_t b)
{
#if defined(__GNUC__)
  return (uint32_t) ((int32_t) a >> (b & 31));
#else
  uint32_t s = b & 31, sign = 0u - (a >> 31);
  return (a >> s) | ((sign << (31 - s)) << 1);
#endif
}

/* a * 2^b rounded once: with b clamped to [-400, 400] the double product is
   exact (float32 values span 2^-149 .. 2^128), so the only rounding is the
   conversion to float; larger |b| overflow or underflow all the same.  */
AN_INLINE float
an_ldexpf (float a, uint32_t b)
{
  int32_t e;
  memcpy (&e, &b, sizeof e);
  e = e < -400 ? -400 : e > 400 ? 400 : e;
  uint64_t bits = (uint64_t) (e + 1023) << 52;
  double s;
  memcpy (&s, &bits, sizeof s);
  return (float) ((double) a * s);
}

/* fminf/fmaxf on NaN (a NaN operand yields the other one), with the signed
   zeros ordered -0 < +0 so that the result never depends on the library.  */
AN_INLINE float
an_minf (float a, float b)
{
  int neg = (int) (an_u32 (a) >> 31);
  return an_self ((a < b) | (b != b), a, an_self ((b < a) | (a != a), b, an_self (neg, a, b)));
}

AN_INLINE float
an_maxf (float a, float b)
{
  int neg = (int) (an_u32 (a) >> 31);
  return an_self ((a > b) | (b != b), a, an_self ((b > a) | (a != a), b, an_self (neg, b, a)));
}
/* asint, and a program's result: any NaN reads as the default quiet NaN.
   Compilers choose which NaN operand propagates and rewrite -(a-b) as b-a,
   a+(-b) as a-b, fabs(x*x) as x*x, so NaN signs and payloads are not portable;
   canonicalising where bits become observable keeps every output portable.  */
AN_INLINE uint32_t
an_asint (float a)
{
  return an_selu (a != a, 0x7fc00000u, an_u32 (a));
}

AN_INLINE float
an_result (float a)
{
  return an_f32 (an_selu (a != a, 0x7fc00000u, an_u32 (a)));
}

/* neg and abs on the bits: gcc 12 folds -(fmaf (a, b, c)) into an fnmsub that
   gives +0 where the negated fma is -0.  */
AN_INLINE float
an_neg (float a)
{
  return an_f32 (an_u32 (a) ^ 0x80000000u);
}

AN_INLINE float
an_abs (float a)
{
  return an_f32 (an_u32 (a) & 0x7fffffffu);
}

/* ---- Lowered forms (dsl/lower.c): the same bits as the total forms above
   wherever the range analysis proved their condition on the program's
   domain, and never undefined behaviour elsewhere.  They assume rounding
   to nearest, as the whole file does.  ---- */

/* a * b where gcc could contract the product with an add that uses it into
   an fma (its default -ffp-contract=fast in GNU C, across statements):
   fmaf (a, b, -0) rounds a*b once and adds -0, which changes nothing
   (x + -0 = x, -0 + -0 = -0), and an fma is not contracted further.  */
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMAF)
#define an_mul(a, b) __builtin_fmaf ((a), (b), -0.0f)
#else
AN_INLINE float
an_mul (float a, float b)
{
  return a * b;
}
#endif

/* rint for |a| <= 2^22: a + 1.5 2^23 lies in [2^23, 2^24), where floats
   are the integers, so the add rounds a to an integer (ties to even).
   The result of [-1/2, -0] is +0 where rint gives -0: an_rint22s puts a's
   sign bit back.  */
AN_INLINE float
an_rint22 (float a)
{
  return (a + 0x1.8p23f) - 0x1.8p23f;
}

AN_INLINE float
an_rint22s (float a)
{
  return an_f32 (an_u32 (an_rint22 (a)) | (an_u32 (a) & 0x80000000u));
}

/* floor for |a| <= 2^22: rint, less one where that went up; a zero result
   takes a's sign (floor (-0) = -0), and a nonzero one has it already.  */
AN_INLINE float
an_floor22 (float a)
{
  float r = an_rint22 (a);
  r = an_self (r > a, r - 1.0f, r);
  return an_f32 (an_u32 (r) | (an_u32 (a) & 0x80000000u));
}

/* toint for |a| <= 2^22: the integer an_rint22 makes is the low bits of
   a + 1.5 2^23 (whose pattern is 0x4b400000 + that integer).  */
AN_INLINE uint32_t
an_toint22 (float a)
{
  return an_u32 (a + 0x1.8p23f) - 0x4b400000u;
}

/* toint of an integral a within [lo, hi] (both within the int32 range):
   the clamp only keeps the conversion defined outside the domain (NaN goes
   to lo).  */
AN_INLINE uint32_t
an_toint_cvt (float a, float lo, float hi)
{
  float c = a > lo ? a : lo;
  c = c < hi ? c : hi;
  return (uint32_t) (int32_t) c;
}

/* 2^k for -126 <= k <= 127, from its exponent bits.  */
AN_INLINE float
an_pow2 (uint32_t k)
{
  return an_f32 ((k + 127u) << 23);
}

/* ldexp where a and the result are normal floats: the exponent field moves.  */
AN_INLINE float
an_ldexp_bits (float a, uint32_t k)
{
  return an_f32 (an_u32 (a) + (k << 23));
}

/* ldexp for -252 <= k <= 254 where a 2^ceil(k/2) is exact: the second
   product rounds once, into the subnormals or to infinity as ldexp does.  */
AN_INLINE float
an_ldexp2 (float a, uint32_t k)
{
  uint32_t k2 = an_sar (k, 1);
  return (a * an_pow2 (k - k2)) * an_pow2 (k2);
}

/* ldexp where the result may be subnormal, in float32 operations none of
   which has a subnormal operand or result (those take a microcode assist on
   Intel processors).  A normal result moves |a|'s exponent field by k; a
   subnormal one is |a| 2^(k+149) rounded to an integer, whose bits are the
   subnormal's pattern (2^23: the smallest normal): the fma adds 2^23 to the
   exact product and rounds once, to an integer as the sum lies in [2^23,
   2^24].  Where a is finite, |a| >= 2^-105 (so that a subnormal result has
   k <= -22 and the scale 2^(k+149) is normal), -250 <= k and a 2^k does not
   overflow.  Elsewhere the scale's pattern is a power of two, zero, an
   infinity or a NaN, never subnormal, and the result is not selected.
   For a > 0; returns the result's pattern.  KSAFE: an exponent from which on
   the result is normal for every a of the domain, so that scalar code
   branches on k, known early, and a misprediction costs little; below it
   the two results are blended.  In vectorised loops the branch becomes a
   blend as well.  */
AN_INLINE uint32_t
an_ldexp_subp (float a, uint32_t k, uint32_t ksafe)
{
  uint32_t kb = k << 23, n = an_u32 (a) + kb;              /* the normal result, if it is one */
  if (AN_LIKELY ((k ^ 0x80000000u) >= (ksafe ^ 0x80000000u)))   /* k >= ksafe, signed */
    return n;
  uint32_t sub = an_u32 (fmaf (a, an_f32 (kb + (276u << 23)), 0x1p23f)) - 0x4b000000u;
  /* Subnormal when the exponent field went to 0 or below: n < 2^23, signed.  */
  return an_selu ((n ^ 0x80000000u) < 0x80800000u, sub, n);
}

/* The same for a of either sign: on |a|, with a's sign put back.  */
AN_INLINE float
an_ldexp_sub (float a, uint32_t k, uint32_t ksafe)
{
  uint32_t sign = an_u32 (a) & 0x80000000u, n = an_ldexp_subp (an_f32 (an_u32 (a) ^ sign), k, ksafe);
  return an_f32 (n | sign);
}

/* ldexp for -400 <= k <= 400 through double, as an_ldexpf without its
   clamp: the double product is exact, the conversion rounds once.  */
AN_INLINE float
an_ldexpd (float a, uint32_t k)
{
  uint64_t bits = (uint64_t) (uint32_t) (k + 1023u) << 52;
  double s;
  memcpy (&s, &bits, sizeof s);
  return (float) ((double) a * s);
}

/* Hides a libm argument from constant folding: compilers fold expf (constant)
   with MPFR (correctly rounded), which need not be the platform libm's result.  */
AN_INLINE float
an_opaque (float a)
{
  volatile float t = a;
  return t;
}

#endif /* AN_HELPERS_F32 */

/* ---- float64 values (and their 64-bit integers): the same meanings ---- */
#ifndef AN_HELPERS_F64
#define AN_HELPERS_F64

AN_INLINE double
an_f64 (uint64_t u)
{
  double f;
  memcpy (&f, &u, sizeof f);
  return f;
}

AN_INLINE uint64_t
an_u64 (double f)
{
  uint64_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

AN_INLINE uint64_t
an_selu64 (int c, uint64_t x, uint64_t y)
{
  uint64_t m = 0u - (uint64_t) (c != 0);
  return (x & m) | (y & ~m);
}

AN_INLINE double
an_seld (int c, double x, double y)
{
  return an_f64 (an_selu64 (c, an_u64 (x), an_u64 (y)));
}

/* an_fracbits for double: SH = 1075 - E fraction bits of |a|, clamped to [1, 54].  */
AN_INLINE uint64_t
an_fracbits64 (uint64_t mag)
{
  uint64_t e = mag >> 52;
  return an_selu64 (e < 1022u, 54u, an_selu64 (e >= 1075u, 1u, 1075u - e));
}

AN_INLINE double
an_rintd (double a)
{
  uint64_t b = an_u64 (a), mag = b & 0x7fffffffffffffffu, sh = an_fracbits64 (mag);
  uint64_t m = (mag & 0xfffffffffffffu) | 0x10000000000000u, q = m >> sh, rem = m & ((UINT64_C (1) << sh) - 1u);
  uint64_t half = UINT64_C (1) << (sh - 1u);
  q += (uint64_t) (rem > half) | ((uint64_t) (rem == half) & q);
  return an_seld ((mag >> 52) >= 1075u, a, copysign ((double) (int64_t) q, a));
}

AN_INLINE double
an_floord (double a)
{
  uint64_t b = an_u64 (a), mag = b & 0x7fffffffffffffffu, sh = an_fracbits64 (mag);
  uint64_t m = (mag & 0xfffffffffffffu) | 0x10000000000000u, q = m >> sh, rem = m & ((UINT64_C (1) << sh) - 1u);
  q += (b >> 63) & (uint64_t) (rem != 0u);
  return an_seld (((mag >> 52) >= 1075u) | (mag == 0u), a, copysign ((double) (int64_t) q, a));
}

/* an_rintd (a) as a signed 64-bit integer, saturated; NaN gives 0.  */
AN_INLINE uint64_t
an_toint64 (double a)
{
  uint64_t b = an_u64 (a), mag = b & 0x7fffffffffffffffu, e = mag >> 52, sh = an_fracbits64 (mag);
  uint64_t m = (mag & 0xfffffffffffffu) | 0x10000000000000u, q = m >> sh, rem = m & ((UINT64_C (1) << sh) - 1u);
  uint64_t half = UINT64_C (1) << (sh - 1u);
  q += (uint64_t) (rem > half) | ((uint64_t) (rem == half) & q);
  q = an_selu64 (e >= 1075u, m << ((e - 1075u) & 63u), q);   /* 2^52 <= |a| < 2^63: an integer already */
  uint64_t neg = 0u - (b >> 63), v = (q ^ neg) - neg;
  v = an_selu64 (e >= 1086u, an_selu64 (neg, UINT64_C (0x8000000000000000), UINT64_C (0x7fffffffffffffff)), v);
  return an_selu64 (mag > UINT64_C (0x7ff0000000000000), 0u, v);
}

AN_INLINE double
an_tofloat64 (uint64_t u)
{
  int64_t i;
  memcpy (&i, &u, sizeof i);
  return (double) i;
}

AN_INLINE uint64_t
an_sar64 (uint64_t a, uint64_t b)
{
#if defined(__GNUC__)
  return (uint64_t) ((int64_t) a >> (b & 63));
#else
  uint64_t s = b & 63, sign = 0u - (a >> 63);
  return (a >> s) | ((sign << (63 - s)) << 1);
#endif
}

/* One step of an_ldexpd64: a scaling by 2^1023 or 2^-969 while n is out of
   [-1022, 1023].  2^-969 = 2^-1022 2^53 (as musl's scalbn): what it makes
   subnormal would underflow to a subnormal with fewer bits in the end, so the
   one rounding is the same.  */
AN_INLINE double
an_ldexp_step64 (double a, int64_t *n)
{
  int up = *n > 1023, down = *n < -1022;
  *n += up ? -1023 : down ? 969 : 0;
  return a * an_seld (up, 0x1p1023, an_seld (down, 0x1p-969, 1.0));
}

/* a * 2^b rounded once, b signed: as ldexp (exact, or one rounding into the
   subnormals or to infinity), with b clamped to [-2200, 2200], beyond which
   every double overflows or underflows alike; branch-free (no libm call), so
   that loops over it vectorise.  */
AN_INLINE double
an_ldexpd64 (double a, uint64_t b)
{
  int64_t n;
  memcpy (&n, &b, sizeof n);
  n = n < -2200 ? -2200 : n > 2200 ? 2200 : n;
  a = an_ldexp_step64 (a, &n);
  a = an_ldexp_step64 (a, &n);
  return a * an_f64 ((uint64_t) (n + 1023) << 52);
}

AN_INLINE double
an_mind (double a, double b)
{
  int neg = (int) (an_u64 (a) >> 63);
  return an_seld ((a < b) | (b != b), a, an_seld ((b < a) | (a != a), b, an_seld (neg, a, b)));
}

AN_INLINE double
an_maxd (double a, double b)
{
  int neg = (int) (an_u64 (a) >> 63);
  return an_seld ((a > b) | (b != b), a, an_seld ((b > a) | (a != a), b, an_seld (neg, b, a)));
}

AN_INLINE uint64_t
an_asint64 (double a)
{
  return an_selu64 (a != a, UINT64_C (0x7ff8000000000000), an_u64 (a));
}

AN_INLINE double
an_result64 (double a)
{
  return an_f64 (an_selu64 (a != a, UINT64_C (0x7ff8000000000000), an_u64 (a)));
}

/* A double rounded to float32 by rounding to odd: toward zero, then the
   last bit set when that was inexact.  Rounding this to a format of at most
   22 significant bits (bfloat16, float16, fp8) gives the double rounded to
   that format directly, once: float32 keeps two more bits than it needs.
   Past float32's range it gives +-FLT_MAX (odd), below it +-2^-149 (odd) or
   +-0, which round to that format as the double does.  */
AN_INLINE float
an_round_odd32 (double a)
{
  float f = (float) a;
  uint32_t b = an_u32 (f);
  uint32_t inexact = (double) f != a && a == a;
  /* A rounding away from zero (|f| > |a|, f infinite included) steps back one ulp.  */
  uint32_t away = inexact & (fabs ((double) f) > fabs (a));
  return an_f32 ((b - away) | inexact);
}

AN_INLINE double
an_neg64 (double a)
{
  return an_f64 (an_u64 (a) ^ UINT64_C (0x8000000000000000));
}

AN_INLINE double
an_abs64 (double a)
{
  return an_f64 (an_u64 (a) & UINT64_C (0x7fffffffffffffff));
}

AN_INLINE double
an_opaque64 (double a)
{
  volatile double t = a;
  return t;
}

/* An integer of the other width as one of this width, read as a signed
   value (ldexp's exponent, select's mask): sign-extended, or saturated.  */
AN_INLINE uint64_t
an_widen_int (uint32_t a)
{
  return (uint64_t) (int64_t) (int32_t) a;
}

AN_INLINE uint32_t
an_narrow_int (uint64_t a)
{
  int64_t v;
  memcpy (&v, &a, sizeof v);
  v = v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v;
  return (uint32_t) v;
}

/* Lowered float64 forms, as the float32 ones above.  */
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA)
#define an_mul64(a, b) __builtin_fma ((a), (b), -0.0)
#else
AN_INLINE double
an_mul64 (double a, double b)
{
  return a * b;
}
#endif

AN_INLINE double
an_rint51 (double a)
{
  return (a + 0x1.8p52) - 0x1.8p52;
}

AN_INLINE double
an_rint51s (double a)
{
  return an_f64 (an_u64 (an_rint51 (a)) | (an_u64 (a) & UINT64_C (0x8000000000000000)));
}

AN_INLINE double
an_floor51 (double a)
{
  double r = an_rint51 (a);
  r = an_seld (r > a, r - 1.0, r);
  return an_f64 (an_u64 (r) | (an_u64 (a) & UINT64_C (0x8000000000000000)));
}

AN_INLINE uint64_t
an_toint51 (double a)
{
  return an_u64 (a + 0x1.8p52) - UINT64_C (0x4338000000000000);
}

AN_INLINE uint64_t
an_toint_cvt64 (double a, double lo, double hi)
{
  double c = a > lo ? a : lo;
  c = c < hi ? c : hi;
  return (uint64_t) (int64_t) c;
}

/* 2^k for -1022 <= k <= 1023.  */
AN_INLINE double
an_pow2d64 (uint64_t k)
{
  return an_f64 ((k + 1023u) << 52);
}

AN_INLINE double
an_ldexp_bits64 (double a, uint64_t k)
{
  return an_f64 (an_u64 (a) + (k << 52));
}

AN_INLINE double
an_ldexp2d64 (double a, uint64_t k)
{
  uint64_t k2 = an_sar64 (k, 1);
  return (a * an_pow2d64 (k - k2)) * an_pow2d64 (k2);
}
#endif
