/* softmax_type -- the element type of bench/softmax.sh's C files (softmax_plain.c,
   softmax_speed.c, softmax_ulp.c), chosen at compile time by -DSM_TYPE=float32 (the
   default), bfloat16 or float16, the types of autonum's softmax target:
     sm_t         the element: float, or uint16_t holding the 16-bit type's bit pattern (the
                  exported function's void NAME (const uint16_t *x, uint16_t *y, size_t n))
     sm_load      an element as a float (exact)
     sm_store     a float rounded to the type: to nearest, ties to even; overflow to
                  infinity; a NaN stays a NaN (the identity for float32)
     SM_PREC      the type's significant bits (24, 8, 11)
     SM_EMIN      the exponent of its smallest normal (-126, -126, -14); below it the ulp is
                  2^(SM_EMIN - SM_PREC + 1)
     SM_TYPE_NAME its name as a string.
   The 16-bit conversions are integer operations (and exact float ones), their cases joined
   by masks, with no test of a float (so -ffast-math cannot drop the NaN cases), so that gcc
   12 vectorises the loops around them at -O3 -march=native, with and without -ffast-math: it
   does not vectorise _Float16 conversions without AVX512-FP16 ("unsupported data-type"),
   which would leave the -ffast-math peer calling the scalar expf, nor these conversions
   written with selects of values of different widths.  sm_store and sm_load were checked
   on every float and every 16-bit pattern, built both ways: the bits of gcc's _Float16
   conversions (float16) and of a rounding in double to 8 bits (bfloat16), NaN for NaN.  */
#ifndef SOFTMAX_TYPE_H
#define SOFTMAX_TYPE_H
#include <stdint.h>
#include <string.h>

#define SM_float32 1
#define SM_bfloat16 2
#define SM_float16 3
#ifndef SM_TYPE
#define SM_TYPE float32
#endif
#define SM_CAT_(a, b) a##b
#define SM_CAT(a, b) SM_CAT_ (a, b)
#define SM_STR_(a) #a
#define SM_STR(a) SM_STR_ (a)
#define SM_TYPE_NAME SM_STR (SM_TYPE)
#define SM_KIND SM_CAT (SM_, SM_TYPE)

#if SM_KIND == SM_float32
typedef float sm_t;
#define SM_PREC 24
#define SM_EMIN (-126)

static inline float
sm_load (float v)
{
  return v;
}

static inline float
sm_store (float v)
{
  return v;
}

#elif SM_KIND == SM_bfloat16 || SM_KIND == SM_float16
typedef uint16_t sm_t;

static inline uint32_t
sm_bits (float v)
{
  uint32_t b;
  memcpy (&b, &v, sizeof b);
  return b;
}

static inline float
sm_float (uint32_t b)
{
  float v;
  memcpy (&v, &b, sizeof v);
  return v;
}

#if SM_KIND == SM_bfloat16
#define SM_PREC 8
#define SM_EMIN (-126)

/* bfloat16 is the top half of a float.  */
static inline float
sm_load (uint16_t h)
{
  return sm_float ((uint32_t) h << 16);
}

/* The top 16 bits rounded to nearest even: add 0x7fff and the low bit of the result, carry
   into the exponent (up to infinity); a NaN keeps its top bits and is made quiet (its low
   bits could be all that made it a NaN).  */
static inline uint16_t
sm_store (float v)
{
  uint32_t b = sm_bits (v), nan = -(uint32_t) ((b & 0x7fffffffu) > 0x7f800000u);
  uint32_t r = (b + 0x7fff + ((b >> 16) & 1)) >> 16, q = (b >> 16) | 0x40;
  return (uint16_t) ((q & nan) | (r & ~nan));
}

#else
#define SM_PREC 11
#define SM_EMIN (-14)

/* float16: 5 exponent bits (bias 15), 10 fraction bits.  The 15 bits moved into float's
   place, the exponent rebiased by 112 (by 224 for infinity and NaN: all ones); a subnormal
   or zero (exponent field 0) gets exponent 113 instead, 2^-14 + f 2^-24, and 2^-14 is taken
   away (exactly).  */
static inline float
sm_load (uint16_t h)
{
  uint32_t a = h & 0x7fffu, special = a >= 0x7c00, sub = a < 0x0400;
  float v = sm_float ((a << 13) + (112u << 23) + special * (112u << 23) + (sub << 23)) - sm_float (sub * (113u << 23));
  return sm_float (sm_bits (v) | (uint32_t) (h & 0x8000u) << 16);
}

/* Nearest even: at or above 2^16 (or infinity, or NaN) infinity or a quiet NaN; from 2^-14
   the exponent rebiased by -112 and the 13 dropped bits rounded by adding 0xfff and the
   lowest kept bit, the carry going into the exponent (65520 and above become infinity; as
   F. Giesen's float_to_half_fast3_rtne); below 2^-14 the significand with its leading 1
   shifted right by 126 - e (14 to 25, e the float's biased exponent, clamped: 25 gives 0)
   and rounded the same way, which is the subnormal's bits (2^-14 itself when it rounds
   up).  */
static inline uint16_t
sm_store (float v)
{
  uint32_t b = sm_bits (v), a = b & 0x7fffffffu, sign = (b >> 16) & 0x8000u;
  uint32_t big = 0x7c00u | (uint32_t) (a > 0x7f800000u) << 9;
  uint32_t e = a >> 23, m = (a & 0x7fffffu) | 0x800000u, s;
  e = e > 112 ? 112 : e < 101 ? 101 : e, s = 126 - e;
  uint32_t sub = (m + (1u << (s - 1)) - 1 + ((m >> s) & 1)) >> s;
  uint32_t normal = (a + 0xc8000fffu + ((a >> 13) & 1)) >> 13;
  uint32_t is_big = -(uint32_t) (a >= 0x47800000u), is_sub = -(uint32_t) (a < 0x38800000u);
  return (uint16_t) (sign | (big & is_big) | (sub & is_sub) | (normal & ~(is_big | is_sub)));
}
#endif

#else
#error "SM_TYPE must be float32, bfloat16 or float16"
#endif
#endif
