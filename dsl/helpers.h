/* autonum float32 helpers: the one definition of the ops that are not a single C operator.
   The interpreter compiles this file and the C emitter copies it verbatim into every
   exported program, so engine and export share one meaning for every op.  */
#ifndef AN_HELPERS_F32
#define AN_HELPERS_F32
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__GNUC__)
#define AN_INLINE static inline __attribute__ ((unused))
#else
#define AN_INLINE static inline
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

/* Nearest integer, ties to even, in any rounding mode: floorf and the
   subtraction below are exact.  |a| >= 2^23, inf and NaN are returned as is.  */
AN_INLINE float
an_rintf (float a)
{
  float t = fabsf (a), r = floorf (t), h = r * 0.5f, d = t - r;
  float up = (d > 0.5f || (d == 0.5f && floorf (h) != h)) ? 1.0f : 0.0f;
  return copysignf (t < 0x1p23f ? r + up : t, a);
}

/* an_rintf (a) as a signed integer, saturated; NaN gives 0.  */
AN_INLINE uint32_t
an_toint (float a)
{
  float r = an_rintf (a);
  int32_t i = r >= 0x1p31f ? INT32_MAX : r >= -0x1p31f ? (int32_t) r : r < 0 ? INT32_MIN : 0;
  return (uint32_t) i;
}

AN_INLINE float
an_tofloat (uint32_t u)
{
  int32_t i;
  memcpy (&i, &u, sizeof i);
  return (float) i;
}

/* Arithmetic right shift by b mod 32, without relying on signed shifts.  */
AN_INLINE uint32_t
an_sar (uint32_t a, uint32_t b)
{
  uint32_t s = b & 31, sign = 0u - (a >> 31);
  return (a >> s) | ((sign << (31 - s)) << 1);
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
  return (a < b || b != b) ? a : (b < a || a != a) ? b : (an_u32 (a) >> 31) ? a : b;
}

AN_INLINE float
an_maxf (float a, float b)
{
  return (a > b || b != b) ? a : (b > a || a != a) ? b : (an_u32 (a) >> 31) ? b : a;
}
/* asint, and a program's result: any NaN reads as the default quiet NaN.
   Compilers choose which NaN operand propagates and rewrite -(a-b) as b-a,
   a+(-b) as a-b, fabs(x*x) as x*x, so NaN signs and payloads are not portable;
   canonicalising where bits become observable keeps every output portable.  */
AN_INLINE uint32_t
an_asint (float a)
{
  return a != a ? 0x7fc00000u : an_u32 (a);
}

AN_INLINE float
an_result (float a)
{
  return a != a ? an_f32 (0x7fc00000u) : a;
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

/* Hides a libm argument from constant folding: compilers fold expf (constant)
   with MPFR (correctly rounded), which need not be the platform libm's result.  */
AN_INLINE float
an_opaque (float a)
{
  volatile float t = a;
  return t;
}
#endif
