/* mulfree_check -- an independent brute force over every pair of a box: the exported kernel
   K (included from KERNEL_H, a two-argument mul program of a 16- or 8-bit type) against the
   exact product in double (two significands of at most 11 bits), with its own decoding of
   the types.  Prints the max |relative error|, its mean, the mean signed relative error
   (the bias) and the number of pairs.  Usage: mulfree_check TYPE LO HI.  Built by
   bench/mulfree.sh; without KERNEL_H it only builds.  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef KERNEL_H
#include KERNEL_H
#endif

/* The value of pattern B of a type with EB exponent and MB significand bits (bias 2^(EB-1) - 1);
   FN: no infinities, only the all-ones pattern a NaN (fp8e4m3).  NAN for NaNs and infinities.  */
static double
decode (unsigned b, int eb, int mb, int fn)
{
  unsigned e = (b >> mb) & ((1u << eb) - 1), f = b & ((1u << mb) - 1);
  int s = (b >> (eb + mb)) & 1, bias = (1 << (eb - 1)) - 1;
  double v;
  if (e == (1u << eb) - 1 && (!fn || f == (1u << mb) - 1))
    return NAN;
  v = e ? ldexp (1 + ldexp (f, -mb), (int) e - bias) : ldexp (f, 1 - bias - mb);
  return s ? -v : v;
}

int
main (int argc, char **argv)
{
  if (argc != 4)
    return fprintf (stderr, "usage: mulfree_check TYPE LO HI\n"), 2;
  int eb, mb, fn = 0, bits;
  if (!strcmp (argv[1], "bfloat16")) eb = 8, mb = 7, bits = 16;
  else if (!strcmp (argv[1], "float16")) eb = 5, mb = 10, bits = 16;
  else if (!strcmp (argv[1], "fp8e4m3")) eb = 4, mb = 3, bits = 8, fn = 1;
  else if (!strcmp (argv[1], "fp8e5m2")) eb = 5, mb = 2, bits = 8;
  else
    return fprintf (stderr, "mulfree_check: unknown type %s\n", argv[1]), 2;
  double lo = strtod (argv[2], NULL), hi = strtod (argv[3], NULL);
  unsigned *v = malloc (sizeof *v << bits), n = 0;
  for (unsigned b = 0; b < 1u << bits; b++)
    {
      double x = decode (b, eb, mb, fn);
      if (x >= lo && x <= hi)
        v[n++] = b;
    }
  double max = 0, sum = 0, sumsigned = 0;
  uint64_t pairs = 0;
#ifdef KERNEL_H
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++)
      {
        double x = decode (v[i], eb, mb, fn), y = decode (v[j], eb, mb, fn), p = x * y;
        double r = decode (k (v[i], v[j]), eb, mb, fn), e = (r - p) / p;
        if (!(fabs (e) <= max))
          max = isnan (e) ? INFINITY : fmax (max, fabs (e));
        sum += fabs (e), sumsigned += e, pairs++;
      }
#endif
  printf ("%.6g %.6g %+.6g %llu\n", max, sum / (double) pairs, sumsigned / (double) pairs, (unsigned long long) pairs);
  free (v);
  return 0;
}
