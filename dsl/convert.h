/* autonum narrow formats: the one definition of the conversions between float32 and
   bfloat16, float16, fp8e4m3 and fp8e5m2, and of each format's numbers.
   Programs in these types compute in float32: inputs are decoded exactly, the result is
   rounded once.  The interpreter compiles this file and the C emitter copies it, after
   dsl/helpers.h (an_f32, an_u32, an_selu, an_tofloat), into every exported program.

   Format    storage exp frac bias  min subnormal  min normal  max finite     inf  overflow
   bfloat16  16      8   7    127   2^-133         2^-126      0x1.fep+127    yes  to inf
   float16   16      5   10   15    2^-24          2^-14       65504          yes  to inf
   fp8e4m3   8       4   3    7     2^-9           2^-6        448            no   saturates
   fp8e5m2   8       5   2    15    2^-16          2^-14       57344          yes  to inf
   (fp8: the OCP 8-bit floating point specification, 2023.)  bfloat16, float16 and fp8e5m2
   are IEEE 754 binary formats: exponent all ones is inf (fraction 0) or NaN.  fp8e4m3
   spends that exponent on values: only S.1111.111 is NaN, S.1111.110 = 448 is the largest.

   an_T_decode (b)  the value of the pattern in the low 8 or 16 bits of b (the rest is
                    ignored), exactly, as a float; every NaN gives 0x7fc00000, -0 gives -0.
   an_T_encode (a)  a rounded to nearest, ties to even, into T (subnormals included), as a
                    pattern with the upper bits zero.  A NaN gives T's positive canonical NaN
                    (AN_T_NAN).  IEEE-like T: magnitudes from max + half an ulp up (that tie
                    included: max is odd) and inf give +-inf.  fp8e4m3 saturates: every
                    finite value that rounds past 448, and +-inf, give +-448.  Zeros and
                    values that round to 0 keep their sign.
   an_T_round (a)   an_T_decode (an_T_encode (a)), bit for bit: a rounded to T's value set,
                    kept as float (a program's "round to T").

   Unsigned integer arithmetic, so the results do not depend on the rounding mode; the one
   floating-point operation, scaling a subnormal's integer significand in decode, is exact.
   Branch-free, so that loops over them vectorise (gcc 12 and clang 14, -O3 -march=native):
   selects are an_selu's masks, which keep every arm unconditional (a ternary lets gcc thread
   a jump through decode (encode (a)) that guards decode's multiply, and the loop stays
   scalar: 7 ns against 0.6 ns per element); only the integer min and max are ternaries,
   which both compilers turn into min/max instructions (an_selu there cost gcc 0.57 ns per
   element of f16 encode, against 0.39).  Figures: bench/convert_speed.sh.  */
#ifndef AN_CONVERT_H
#define AN_CONVERT_H
#include <stdint.h>

/* Each format's numbers: precision P (the implicit bit included), the smallest normal
   2^EMIN, the largest finite MAX < 2^(EMAX+1), the smallest subnormal 2^SUBMIN
   (= EMIN - P + 1), whether it has infinities, whether overflow saturates to MAX, the
   canonical NaN pattern encode gives, and the storage width.  */
#define AN_BF16_BITS 16
#define AN_BF16_P 8
#define AN_BF16_EMIN (-126)
#define AN_BF16_EMAX 127
#define AN_BF16_MAX 0x1.fep+127   /* (2 - 2^-7) 2^127 */
#define AN_BF16_SUBMIN (-133)
#define AN_BF16_HAS_INF 1
#define AN_BF16_SATURATES 0
#define AN_BF16_NAN 0x7fc0u

#define AN_F16_BITS 16
#define AN_F16_P 11
#define AN_F16_EMIN (-14)
#define AN_F16_EMAX 15
#define AN_F16_MAX 0x1.ffcp+15   /* 65504 = (2 - 2^-10) 2^15 */
#define AN_F16_SUBMIN (-24)
#define AN_F16_HAS_INF 1
#define AN_F16_SATURATES 0
#define AN_F16_NAN 0x7e00u

#define AN_E4M3_BITS 8
#define AN_E4M3_P 4
#define AN_E4M3_EMIN (-6)
#define AN_E4M3_EMAX 8
#define AN_E4M3_MAX 0x1.cp+8   /* 448 = 1.75 2^8 */
#define AN_E4M3_SUBMIN (-9)
#define AN_E4M3_HAS_INF 0
#define AN_E4M3_SATURATES 1
#define AN_E4M3_NAN 0x7fu

#define AN_E5M2_BITS 8
#define AN_E5M2_P 3
#define AN_E5M2_EMIN (-14)
#define AN_E5M2_EMAX 15
#define AN_E5M2_MAX 0x1.cp+15   /* 57344 = 1.75 2^15 */
#define AN_E5M2_SUBMIN (-16)
#define AN_E5M2_HAS_INF 1
#define AN_E5M2_SATURATES 0
#define AN_E5M2_NAN 0x7eu

/* bfloat16 is float32's upper half: rounding the low 16 bits away is the whole story,
   float32's subnormals included, and a carry out of the fraction is the next binade, or
   inf past the largest.  Below, the other formats pass their numbers to one generic
   version of each function; all arguments are constants, so these fold once inlined.  */
AN_INLINE uint32_t
an_bf16_encode (float a)
{
  uint32_t b = an_u32 (a);
  uint32_t r = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
  return an_selu ((b & 0x7fffffffu) > 0x7f800000u, AN_BF16_NAN, r);
}

AN_INLINE float
an_bf16_decode (uint32_t b)
{
  uint32_t r = (b & 0xffffu) << 16;
  return an_f32 (an_selu ((r & 0x7fffffffu) > 0x7f800000u, 0x7fc00000u, r));
}

AN_INLINE float
an_bf16_round (float a)
{
  uint32_t b = an_u32 (a);
  uint32_t r = (b + 0x7fffu + ((b >> 16) & 1u)) & 0xffff0000u;
  return an_f32 (an_selu ((b & 0x7fffffffu) > 0x7f800000u, 0x7fc00000u, r));
}

/* The float32 biased exponent of the smallest normal binade of a format with smallest
   normal 2^EMIN: below it a value is a subnormal of the format (or rounds to 0).  */
AN_INLINE uint32_t
an_narrow_e0 (int emin)
{
  return (uint32_t) (127 + emin);
}

/* How many low bits of the 24-bit significand of a float32 of biased exponent E a format of
   precision P and smallest normal 2^EMIN cannot hold: 24 - P in its normal range, one more
   per binade below, at most 25 (below a quarter of the quantum, all round to 0).  */
AN_INLINE uint32_t
an_narrow_shift (uint32_t e, uint32_t p, int emin)
{
  uint32_t e0 = an_narrow_e0 (emin), sh = 24u - p + e0 - (e < e0 ? e : e0);
  return sh < 25u ? sh : 25u;
}

/* The significand of float32 magnitude MAG (implicit bit set) plus what makes cutting its
   low SH bits round it to nearest, ties to even: 2^(SH-1) - 1, and 1 more when bit SH is
   set.  Float32's subnormals get the implicit bit too, which is harmless where they lie a
   quarter of a quantum below the format's subnormals (SH = 25): every format here but
   bfloat16, which does not use this.  */
AN_INLINE uint32_t
an_narrow_biased (uint32_t mag, uint32_t sh)
{
  uint32_t m = (mag & 0x7fffffu) | 0x800000u;
  return m + ((1u << sh) >> 1) - 1u + ((m >> sh) & 1u);
}

/* The pattern of a in a format of P bits of precision, smallest normal 2^EMIN, BITS wide;
   TOP the largest magnitude pattern overflow gives (inf, or the largest finite if the
   format saturates), NAN the canonical NaN.  The rounded significand, in units of 2^SH, is
   the subnormal's pattern, or, 2^(P-1) and up, the implicit bit and fraction of a normal one,
   so adding the binades above the smallest normal gives the pattern, carry included.  */
AN_INLINE uint32_t
an_narrow_encode (float a, uint32_t bits, uint32_t p, int emin, uint32_t top, uint32_t nan)
{
  uint32_t b = an_u32 (a), mag = b & 0x7fffffffu, e = mag >> 23, e0 = an_narrow_e0 (emin);
  uint32_t sh = an_narrow_shift (e, p, emin), r = an_narrow_biased (mag, sh) >> sh;
  r += ((e > e0 ? e : e0) - e0) << (p - 1u);
  r = r < top ? r : top;
  return an_selu (mag > 0x7f800000u, nan, r | ((b >> 31) << (bits - 1u)));
}

/* The value of pattern B (low BITS bits) of such a format: INF the magnitude pattern of
   inf (or 2^(BITS-1), no magnitude, without infinities), NANMIN the least NaN magnitude,
   SUBQ = 2^(EMIN-P+1) the quantum of the subnormals.  */
AN_INLINE float
an_narrow_decode (uint32_t b, uint32_t bits, uint32_t p, int emin, uint32_t inf, uint32_t nanmin, float subq)
{
  uint32_t mag = b & ((1u << (bits - 1u)) - 1u), sign = ((b >> (bits - 1u)) & 1u) << 31;
  uint32_t r = (mag << (24u - p)) + (an_narrow_e0 (emin) - 1u) * 0x800000u;
  r = an_selu (mag < (1u << (p - 1u)), an_u32 (an_tofloat (mag) * subq), r);
  r = an_selu (mag == inf, 0x7f800000u, r) | sign;
  return an_f32 (an_selu (mag >= nanmin, 0x7fc00000u, r));
}

/* a rounded to such a format, as a float: TOPF the float32 magnitude overflow gives (inf,
   or MAX if the format saturates), MAXF the float32 magnitude of MAX.  The rounded
   significand is 0 or 2^23 .. 2^24, and goes back into binade E as is (2^24, a carry, is
   the next binade).  */
AN_INLINE float
an_narrow_round (float a, uint32_t p, int emin, uint32_t topf, uint32_t maxf)
{
  uint32_t b = an_u32 (a), mag = b & 0x7fffffffu, e = mag >> 23, sh = an_narrow_shift (e, p, emin);
  uint32_t m = an_narrow_biased (mag, sh) & (0u - (1u << sh));
  uint32_t r = an_selu (m == 0u, 0u, (e << 23) + m - 0x800000u);
  r = an_selu (r > maxf, topf, r) | (b & 0x80000000u);
  return an_f32 (an_selu (mag > 0x7f800000u, 0x7fc00000u, r));
}

AN_INLINE uint32_t
an_f16_encode (float a)
{
  return an_narrow_encode (a, AN_F16_BITS, AN_F16_P, AN_F16_EMIN, 0x7c00u /* inf */, AN_F16_NAN);
}

AN_INLINE float
an_f16_decode (uint32_t b)
{
  return an_narrow_decode (b, AN_F16_BITS, AN_F16_P, AN_F16_EMIN, 0x7c00u, 0x7c01u, 0x1p-24f /* 2^SUBMIN */);
}

AN_INLINE float
an_f16_round (float a)
{
  return an_narrow_round (a, AN_F16_P, AN_F16_EMIN, 0x7f800000u, 0x477fe000u /* 65504 */);
}

AN_INLINE uint32_t
an_e4m3_encode (float a)
{
  return an_narrow_encode (a, AN_E4M3_BITS, AN_E4M3_P, AN_E4M3_EMIN, 0x7eu /* 448 */, AN_E4M3_NAN);
}

AN_INLINE float
an_e4m3_decode (uint32_t b)
{
  return an_narrow_decode (b, AN_E4M3_BITS, AN_E4M3_P, AN_E4M3_EMIN, 0x80u /* none */, 0x7fu, 0x1p-9f /* 2^SUBMIN */);
}

AN_INLINE float
an_e4m3_round (float a)
{
  return an_narrow_round (a, AN_E4M3_P, AN_E4M3_EMIN, 0x43e00000u, 0x43e00000u /* 448 */);
}

AN_INLINE uint32_t
an_e5m2_encode (float a)
{
  return an_narrow_encode (a, AN_E5M2_BITS, AN_E5M2_P, AN_E5M2_EMIN, 0x7cu /* inf */, AN_E5M2_NAN);
}

AN_INLINE float
an_e5m2_decode (uint32_t b)
{
  return an_narrow_decode (b, AN_E5M2_BITS, AN_E5M2_P, AN_E5M2_EMIN, 0x7cu, 0x7du, 0x1p-16f /* 2^SUBMIN */);
}

AN_INLINE float
an_e5m2_round (float a)
{
  return an_narrow_round (a, AN_E5M2_P, AN_E5M2_EMIN, 0x7f800000u, 0x47600000u /* 57344 */);
}

/* an_T_in (b), an_T_out (a): the conversions at exported programs' entry points.  They
   give decode's and encode's results wherever the program may meet them: every pattern
   that is not a NaN, and every float that is not a NaN or is the canonical 0x7fc00000
   (a program's NaN results are canonical, an_result).  Where the machine converts float16
   in hardware (F16C: vcvtph2ps, vcvtps2ph, round to nearest even, subnormals kept) these
   are its instructions, which differ from decode and encode only in NaN payloads.  */
#if defined(__F16C__)
#include <immintrin.h>
AN_INLINE float
an_f16_in (uint32_t b)
{
  return _cvtsh_ss ((unsigned short) b);
}

AN_INLINE uint32_t
an_f16_out (float a)
{
  return (uint32_t) _cvtss_sh (a, _MM_FROUND_TO_NEAREST_INT);
}
#else
AN_INLINE float
an_f16_in (uint32_t b)
{
  return an_f16_decode (b);
}

AN_INLINE uint32_t
an_f16_out (float a)
{
  return an_f16_encode (a);
}
#endif

AN_INLINE float
an_bf16_in (uint32_t b)
{
  return an_bf16_decode (b);
}

AN_INLINE uint32_t
an_bf16_out (float a)
{
  return an_bf16_encode (a);
}

AN_INLINE float
an_e4m3_in (uint32_t b)
{
  return an_e4m3_decode (b);
}

AN_INLINE uint32_t
an_e4m3_out (float a)
{
  return an_e4m3_encode (a);
}

AN_INLINE float
an_e5m2_in (uint32_t b)
{
  return an_e5m2_decode (b);
}

AN_INLINE uint32_t
an_e5m2_out (float a)
{
  return an_e5m2_encode (a);
}
#endif
