/* softmax_form -- the arithmetic of autonum's softmax functions: the engine's
   scorer (eval/softmax.c) includes this file, and every exported softmax
   function carries a verbatim copy, so that what was scored is what runs.

   Softmax y_i = e^(x_i) / sum_j e^(x_j) on values x_i of the type (read as
   float).  Each exponential is kept as a mantissa k(r) and an exponent n:
   x - s = n ln 2 + r, |r| <= ln2/2 (plus 2^-14), where k is the evolved
   kernel (k(r) is c e^r for some constant c that cancels), s a shift
   (below), and 2^n a double, whose exponent range holds every n that
   occurs (|n| <= 739): the running sum cannot overflow and no pass for the
   maximum is needed (Dukhan and Ablavatski's two-pass softmax, with
   double's exponent as the extended exponent).  The reduction is float
   arithmetic (eight lanes in a 256-bit register): n ln2_hi is exact and so
   is x - n ln2_hi (13 bits of ln 2 and |n| < 2^10), and r is rounded once
   (below 2^-26); where s is not 0, x - s is rounded and its error, exact
   by Knuth's two-sum, is added to r.  The sum is kept in AN_SM_LANES double partial sums,
   element i in lane i mod AN_SM_LANES, combined by one fixed tree: the
   order does not depend on how a compiler vectorises the loop.  The
   output is (k(r) 2^n) (1 / sum) rounded once to the type (through float
   for the 16-bit types).

   The shift s is 0 unless some |x_i| > AN_SM_BIG (or an x_i is NaN): then
   s = max x_i when |max| > AN_SM_BIG / 2 (the elements that matter, within
   104 of the maximum, then lie within a factor 2 of it and x - s is exact),
   else 0; x - s is clamped to [-AN_SM_BIG, AN_SM_BIG], which changes only
   elements whose outputs round to 0.  A NaN or +inf among the x_i, or
   only -inf, makes every output NaN.  The three-pass form subtracts
   s = max x_i always.

   Needs <math.h>, <stdint.h> and <string.h>; rounding to nearest; no
   -ffast-math.  Products that feed adds are exact (a power of two) or
   written as fma, so fp contraction changes nothing.  */
#ifndef AN_SOFTMAX_FORM_H
#define AN_SOFTMAX_FORM_H

#ifndef AN_SM_INLINE
#define AN_SM_INLINE static inline
#endif

#define AN_SM_BIG 512.0f
#define AN_SM_LANES 8

/* D clamped to [-AN_SM_BIG, AN_SM_BIG] (NaN stays NaN).  */
AN_SM_INLINE float
an_sm_clamp (float d)
{
  d = d < -AN_SM_BIG ? -AN_SM_BIG : d;
  return d > AN_SM_BIG ? AN_SM_BIG : d;
}

/* 1 when D is outside [-AN_SM_BIG, AN_SM_BIG] or NaN: the clamp changes it.  */
AN_SM_INLINE int
an_sm_outside (float d)
{
  return an_sm_clamp (d) != d;
}

/* C = n ln 2 + r: returns r, *TB the bits of the float 1.5 2^23 + n.  */
AN_SM_INLINE float
an_sm_split_bits (float c, uint32_t *tb)
{
  float t = fmaf (c, 0x1.715476p0f, 0x1.8p23f);     /* 1.5 2^23 + n, n = rint (c log2 e) */
  float nf = t - 0x1.8p23f;
  float r = fmaf (nf, -0x1.62ep-1f, c);              /* exact */
  memcpy (tb, &t, sizeof *tb);
  return fmaf (nf, -0x1.0bfbe8p-15f, r);              /* ln 2 - 0x1.62ep-1, rounded */
}

/* C (clamped) = n ln 2 + r: returns r, *N = n.  */
AN_SM_INLINE float
an_sm_split (float c, int32_t *n)
{
  uint32_t tb;
  float r = an_sm_split_bits (c, &tb);
  *n = (int32_t) (tb - 0x4b400000u);
  return r;
}

/* The two-pass form's fast path, taken when every |x_i| <= T, a bound (in the
   exported file) below which k(r) 2^n is a normal float for every r of the
   kernel's domain: then the clamp changes nothing, and k(r) 2^n, the float
   product k(r) * *P, is exact, the same number as k(r) 2^n in double.  X =
   n ln 2 + r: returns r, *P = 2^n as a float.  Where |X| > T, r and *P mean
   nothing, but every operation is defined.  */
AN_SM_INLINE float
an_sm_split_fast (float x, float *p)
{
  uint32_t tb;
  float r = an_sm_split_bits (x, &tb);
  tb = (tb + (127u - 0x4b400000u)) << 23;
  memcpy (p, &tb, sizeof tb);
  return r;
}

/* The bits of |X|: as unsigned integers, in the order of |X|, NaN above inf.  */
AN_SM_INLINE uint32_t
an_sm_absbits (float x)
{
  uint32_t b;
  memcpy (&b, &x, sizeof b);
  return b & 0x7fffffffu;
}

/* X (s = 0) split as n ln 2 + r after the clamp: returns r, *N = n; *OUT |= an_sm_outside (X).  */
AN_SM_INLINE float
an_sm_reduce0 (float x, int32_t *n, int *out)
{
  float c = an_sm_clamp (x);
  *out |= c != x;
  return an_sm_split (c, n);
}

/* The same for X - S: its rounding error (two-sum) added to r.  */
AN_SM_INLINE float
an_sm_reduce (float x, float s, int32_t *n, int *out)
{
  float d = x - s, a = d + s, b = d - a, err = (x - a) + (-s - b);
  float c = an_sm_clamp (d);
  *out |= c != d;
  /* No error term where D was clamped (an output that rounds to 0; ERR may be NaN
     there): masked by bits, which compilers vectorise where a ?: is a branch.  */
  uint32_t eb, keep = -(uint32_t) (c == d);
  memcpy (&eb, &err, sizeof eb);
  eb &= keep;
  memcpy (&err, &eb, sizeof err);
  return an_sm_split (c, n) + err;
}

/* 2^N as a double, |N| <= 1022.  */
AN_SM_INLINE double
an_sm_pow2 (int32_t n)
{
  uint64_t b = (uint64_t) ((int64_t) n + 1023) << 52;
  double p;
  memcpy (&p, &b, sizeof p);
  return p;
}

/* The sum of the partial sums, in a fixed order.  */
AN_SM_INLINE double
an_sm_total (const double *acc)
{
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* The three-pass form's shift: MAX, the maximum of the x_i (+0 for a zero: which
   zero a maximum keeps depends on the order of comparisons), or NaN (every output
   NaN) when an x_i is NaN (ANYNAN) or MAX is infinite.  */
AN_SM_INLINE float
an_sm_max (float max, int anynan)
{
  return anynan || !(fabsf (max) < INFINITY) ? NAN : max + 0.0f;
}

/* The two-pass form's shift after its first pass found an element outside
   [-AN_SM_BIG, AN_SM_BIG]: an_sm_max when that is NaN or its magnitude
   exceeds AN_SM_BIG / 2, else 0 (the first pass stands).  */
AN_SM_INLINE float
an_sm_shift (float max, int anynan)
{
  float m = an_sm_max (max, anynan);
  return m != m || fabsf (m) > AN_SM_BIG / 2 ? m : 0;
}

#endif
