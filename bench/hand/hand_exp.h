/* hand_exp.h -- hand-written branch-free float32 exp, exp2 and exp10: the peers that exported
   programs are timed against (bench/export_speed.sh).

   What an expert writes for a vectorising compiler: no branch, no table, no libm call.
     1. clamp x with x < HI ? x : HI and x > LO ? x : LO (one minps/maxps each; on every
        input, NaN included, the same as fminf/fmaxf, so as autonum's min/max);
     2. k = rint(x log2 b) by the shift 0x1.8p23: x log2 b + 0x1.8p23 lands in [2^23, 2^24),
        where floats are the integers, so the add rounds to nearest even and the low bits of
        the sum hold k; subtracting the shift again gives k as a float, exactly;
     3. r = x - k log_b 2 in two fma (Cody-Waite: hi has 15 bits, so k hi and x - k hi are
        exact; lo is the rest); for exp2 r = x - k, exact;
     4. b^r by a degree-6 polynomial with binary32 coefficients, Horner in fma;
     5. 2^k as 2^(k>>1) 2^(k-(k>>1)), two normal floats built from exponent bits, so that
        k = 128 and k = -150 work: p 2^(k>>1) is exact and the second product rounds once,
        into the subnormal range or to infinity as the exact result does.
   The clamps are the first floats outside the target's float32 domain, where the kernels
   return exactly +inf and +0: every finite input gets a result within 1 ULP of b^x
   (+inf above the domain, +0 below); NaN gives +inf.
   No a * b + c is written outside fmaf, so -ffp-contract changes nothing.
   Cost of step 5 on Intel: a float multiply with a subnormal result takes a microcode
   assist (unless flush-to-zero is on), and 8.6% of each domain has subnormal results:
   hand_expf's loop takes 0.30 ns per element on inputs with normal results and 3.0 ns over
   the whole domain (gcc 12, Xeon, AVX-512, bench/export_speed.sh).  Scaling in double
   instead, (float) ((double) p * 2^k), also rounds p 2^k once, so gives the same bits, at
   0.40 ns on both; issue 11 specifies the two float products for this peer, so they stay.

   Accuracy, verified on every float32 of the domain by ./autonum verify on the same
   computation op for op (bench/progs/exp*_hand.anp; bench/hand/check.sh checks that the
   bits agree on all 2^32 inputs):  exp 0.891240797, exp2 0.878363001, exp10 0.955875643 ULP.

   Constants from bench/hand/hand_exp.sollya; its output (sollya bench/hand/hand_exp.sollya):
     exp : log2(b) = 0x1.715476p0  hi = 0x1.62e4p-1  lo = 0x1.7f7d1cp-20
       c1 = 0x1p0
       c2 = 0x1.fffff8p-2
       c3 = 0x1.55548cp-3
       c4 = 0x1.555b82p-5
       c5 = 0x1.123dp-7
       c6 = 0x1.686a92p-10
       certified relative error of p on I: 6.3140869140625e-2 * 2^-24
     exp2 : log2(b) = 0x1p0  hi = 0x1p0  lo = 0
       c1 = 0x1.62e43p-1
       c2 = 0x1.ebfbd8p-3
       c3 = 0x1.c6af76p-5
       c4 = 0x1.3b30ap-7
       c5 = 0x1.5f0b82p-10
       c6 = 0x1.3fa206p-13
       certified relative error of p on I: 6.10504150390625e-2 * 2^-24
     exp10 : log2(b) = 0x1.a934fp1  hi = 0x1.344p-2  lo = 0x1.3509f8p-18
       c1 = 0x1.26bb1cp1
       c2 = 0x1.535248p1
       c3 = 0x1.046f98p1
       c4 = 0x1.2bdbdap0
       c5 = 0x1.156bb2p-1
       c6 = 0x1.a498p-3
       certified relative error of p on I: 5.6549072265625e-2 * 2^-24
   exp10's c3 is fpminimax's minus one ulp: see the script.
*/
#ifndef HAND_EXP_H
#define HAND_EXP_H
#include <math.h>
#include <stdint.h>
#include <string.h>

#define HAND_SHIFT 0x1.8p+23f          /* 1.5 * 2^23: adding it rounds to an integer */
#define HAND_SHIFT_BITS 0x4b400000u    /* its bit pattern: bits(SHIFT + k) = this + k */

static inline uint32_t
hand_asuint (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static inline float
hand_asfloat (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

static inline float
hand_clamp (float x, float lo, float hi)
{
  x = x < hi ? x : hi;
  return x > lo ? x : lo;
}

/* The integer k that SHIFT + k = kb holds in its low bits.  */
static inline int32_t
hand_shift_int (float kb)
{
  return (int32_t) (hand_asuint (kb) - HAND_SHIFT_BITS);
}

static inline float
hand_horner6 (float r, float c1, float c2, float c3, float c4, float c5, float c6)
{
  float p = fmaf (c6, r, c5);
  p = fmaf (p, r, c4);
  p = fmaf (p, r, c3);
  p = fmaf (p, r, c2);
  p = fmaf (p, r, c1);
  return fmaf (p, r, 1.0f);
}

/* p 2^k rounded once, for p in [1/2, 2) and k in [-151, 129]: both factors are normal
   (exponents -76 .. 65) and p 2^(k>>1) is exact.  */
static inline float
hand_scale (float p, int32_t k)
{
  int32_t k1 = k >> 1, k2 = k - k1;
  float s1 = hand_asfloat ((uint32_t) (k1 + 127) << 23);
  float s2 = hand_asfloat ((uint32_t) (k2 + 127) << 23);
  return p * s1 * s2;
}

/* e^x; domain [-0x1.9fe368p+6, 0x1.62e42ep+6].  */
static inline float
hand_expf (float x)
{
  x = hand_clamp (x, -0x1.9fe36ap+6f, 0x1.62e43p+6f);
  float kb = fmaf (x, 0x1.715476p+0f, HAND_SHIFT);     /* log2(e) */
  float kf = kb - HAND_SHIFT;
  int32_t k = hand_shift_int (kb);
  float r = fmaf (kf, -0x1.62e4p-1f, x);               /* ln2 hi */
  r = fmaf (kf, -0x1.7f7d1cp-20f, r);                  /* ln2 lo */
  float p = hand_horner6 (r, 0x1p+0f, 0x1.fffff8p-2f, 0x1.55548cp-3f, 0x1.555b82p-5f,
                          0x1.123dp-7f, 0x1.686a92p-10f);
  return hand_scale (p, k);
}

/* 2^x; domain [-0x1.2bfffep+7, 0x1.fffffep+6].  */
static inline float
hand_exp2f (float x)
{
  x = hand_clamp (x, -0x1.2cp+7f, 0x1p+7f);
  float kb = x + HAND_SHIFT;
  float kf = kb - HAND_SHIFT;
  int32_t k = hand_shift_int (kb);
  float r = x - kf;
  float p = hand_horner6 (r, 0x1.62e43p-1f, 0x1.ebfbd8p-3f, 0x1.c6af76p-5f, 0x1.3b30ap-7f,
                          0x1.5f0b82p-10f, 0x1.3fa206p-13f);
  return hand_scale (p, k);
}

/* 10^x; domain [-0x1.693c6ap+5, 0x1.344134p+5].  */
static inline float
hand_exp10f (float x)
{
  x = hand_clamp (x, -0x1.693c6cp+5f, 0x1.344136p+5f);
  float kb = fmaf (x, 0x1.a934fp+1f, HAND_SHIFT);      /* log2(10) */
  float kf = kb - HAND_SHIFT;
  int32_t k = hand_shift_int (kb);
  float r = fmaf (kf, -0x1.344p-2f, x);                /* log10(2) hi */
  r = fmaf (kf, -0x1.3509f8p-18f, r);                  /* log10(2) lo */
  float p = hand_horner6 (r, 0x1.26bb1cp+1f, 0x1.535248p+1f, 0x1.046f98p+1f, 0x1.2bdbdap+0f,
                          0x1.156bb2p-1f, 0x1.a498p-3f);
  return hand_scale (p, k);
}
#endif
