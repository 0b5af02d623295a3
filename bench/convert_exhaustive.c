/* convert_exhaustive -- dsl/convert.h's encode and round on all 2^32 float32 inputs, against a
   reference in plain double arithmetic (and, for float16, the compiler's _Float16 conversion).

   Built and run by bench/convert_exhaustive.sh; OpenMP-parallel.  The reference knows the
   formats from their definitions (precision, smallest normal, largest finite, infinities),
   not from convert.h: scale |a| so that the format's quantum at |a| is 1, rint (ties to
   even: the default rounding mode), scale back; past the largest finite, inf or saturate.
   Bit patterns are compared, so -0 and +0 differ.  Prints the failures (the first few per
   format) and one line per format; exit status 1 if any failed.
   Usage: convert_exhaustive [STRIDE]   (every STRIDE-th input only; default 1, all)  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/helpers.h"
#include "dsl/convert.h"

typedef struct {
  const char *name;
  int bits, p, emin, has_inf;
  double max;
  uint32_t nan;
  uint32_t (*encode) (float);
  float (*round) (float);
  float (*decode) (uint32_t);
} fmt;

static const fmt fmts[] = {
  { "bf16", 16, 8, -126, 1, 0x1.fep+127, 0x7fc0, an_bf16_encode, an_bf16_round, an_bf16_decode },
  { "f16", 16, 11, -14, 1, 65504, 0x7e00, an_f16_encode, an_f16_round, an_f16_decode },
  { "e4m3", 8, 4, -6, 0, 448, 0x7f, an_e4m3_encode, an_e4m3_round, an_e4m3_decode },
  { "e5m2", 8, 3, -14, 1, 57344, 0x7e, an_e5m2_encode, an_e5m2_round, an_e5m2_decode },
};
#define NFMT (sizeof fmts / sizeof fmts[0])

static double
ref_round (const fmt *f, float a)
{
  double d = fabs ((double) a);
  if (isnan (d))
    return NAN;
  if (!isinf (d))
    {
      int e, q;
      frexp (d, &e);   /* 2^(e-1) <= d < 2^e */
      q = e - f->p > f->emin - f->p + 1 ? e - f->p : f->emin - f->p + 1;
      d = ldexp (rint (ldexp (d, -q)), q);
    }
  if (d > f->max)
    d = f->has_inf ? INFINITY : f->max;
  return copysign (d, (double) a);
}

/* The pattern of V (a value of the format, inf, or NaN) from its exponent and significand.  */
static uint32_t
ref_pattern (const fmt *f, double v)
{
  if (isnan (v))
    return f->nan;
  uint32_t s = signbit (v) ? 1u << (f->bits - 1) : 0u, t = (uint32_t) f->p - 1u, bias = (uint32_t) (1 - f->emin);
  double a = fabs (v);
  if (isinf (a))
    return s | ((1u << (f->bits - f->p)) - 1u) << t;
  if (a < ldexp (1, f->emin))
    return s | (uint32_t) ldexp (a, f->p - 1 - f->emin);
  int e;
  double m = frexp (a, &e);   /* a = m 2^e, 1/2 <= m < 1 */
  return s | (uint32_t) (e - 1 + (int) bias) << t | ((uint32_t) ldexp (m, f->p) - (1u << t));
}

static uint32_t
bits (double v)
{
  return isnan (v) ? 0x7fc00000u : an_u32 ((float) v);
}

/* One failure, printed while fewer than 5 were: WHAT, the input, ours, the reference.  */
static void
report (unsigned long long *shown, const fmt *f, const char *what, float a, uint32_t got, uint32_t want)
{
  unsigned long long n;
#pragma omp atomic capture
  n = (*shown)++;
  if (n < 5)
#pragma omp critical
    printf ("  %s %s (%a = 0x%08x) = 0x%08x, reference 0x%08x\n", f->name, what, (double) a, an_u32 (a), got,
            want);
}

int
main (int argc, char **argv)
{
  long long stride = argc > 1 ? atoll (argv[1]) : 1;   /* every STRIDE-th input, for a quick look */
  int failed = 0;
  for (size_t k = 0; k < NFMT; k++)
    {
      const fmt *f = &fmts[k];
      unsigned long long enc = 0, rnd = 0, comp = 0, hw = 0, shown = 0;
#pragma omp parallel for schedule(dynamic, 1 << 20) reduction(+ : enc, rnd, comp, hw)
      for (long long i = 0; i < 1LL << 32; i += stride)
        {
          float a = an_f32 ((uint32_t) i);
          double v = ref_round (f, a);
          uint32_t want = ref_pattern (f, v), got = f->encode (a), r = an_u32 (f->round (a));
          if (got != want)
            enc++, report (&shown, f, "encode", a, got, want);
          if (r != bits (v))
            rnd++, report (&shown, f, "round", a, r, bits (v));
          if (r != an_u32 (f->decode (got)))
            comp++, report (&shown, f, "round != decode (encode)", a, r, an_u32 (f->decode (got)));
#ifdef __FLT16_MAX__
          if (k == 1 && !isnan (v))
            {
              _Float16 h = (_Float16) a;
              uint16_t hb;
              memcpy (&hb, &h, sizeof hb);
              if (hb != want)
                hw++, report (&shown, f, "reference != (_Float16)", a, hb, want);
            }
#endif
        }
      const char *note = "";
#ifdef __FLT16_MAX__
      if (k == 1)
        note = hw ? "; the compiler's _Float16 DISAGREES with the reference" : "; so does the compiler's _Float16";
#endif
      printf ("%-5s %lld float32: encode %llu wrong, round %llu wrong, round != decode (encode) %llu%s\n", f->name,
              ((1LL << 32) + stride - 1) / stride, enc, rnd, comp, note);
      failed |= enc || rnd || comp || hw;
    }
  return failed;
}
