/* softmax_ulp -- the accuracy half of bench/softmax.sh: the max ULP error of four softmax
   functions of one type (float32, or with -DSM_TYPE=bfloat16 or float16 the 16-bit type,
   softmax_type.h) on vectors autonum never scored, against MPFR.

   The functions (linked in from their own objects, see softmax.sh): sm2 and sm3, autonum's
   exported two- and three-pass softmax; plain_softmax, the float three-pass softmax of
   softmax_plain.c calling glibc's expf; fast_softmax, the same source built -ffast-math.

   Vectors: for each distribution and length, float32 values from this file's own generator
   (splitmix64, seed on the command line; the engine's stored vectors use xoshiro with seed
   0x736f66746d6178), rounded to the type (to nearest even) for a 16-bit type -- 65536 / LEN
   vectors of each length, at least 2 and at most 256.
   Reference: e_i = exp (x_i - max) in MPFR at 200 bits (x_i - max exact), S = sum e_i,
   y_i = e_i / S, all from the inputs as the functions get them (rounded).  Error of an
   output v: |v - y_i| / ulp (y_i), ulp (y) = 2^(floor (log2 |y|) - p + 1) for the type's p
   significant bits, 2^(emin - p + 1) below its smallest normal 2^emin (float32: p = 24,
   emin = -126, subnormal ulp 2^-149; bfloat16: 8, -126, 2^-133; float16: 11, -14, 2^-24),
   computed in MPFR too.

   Checks printed with each row: "dbl", the error of a softmax in double (exp, sum and divide
   in double, rounded once to the type), which must stay within 0.5 ULP plus a hair (it shows
   the reference and the ULP meter agree with an independent computation); and "sumerr", the
   relative error of plain_softmax's float sum (the same expf terms added in order in float,
   against their sum in double) in units of 2^-23, the error that every output of the plain
   three-pass form inherits (1 to 2 times this in ULPs of float32; 2^(p - 24) times that in
   ULPs of a type of p significant bits).

   Usage: softmax_ulp SEED [LEN ...]   (default lengths 2 3 5 8 16 33 64 100 256 1000 4096
   16384 65536).  Prints one row per distribution and length, then per function the largest
   error and where, and a line "max NAME ULP" per function for softmax.sh's summary.  */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmax_type.h"

void sm2 (const sm_t *x, sm_t *y, size_t n);
void sm3 (const sm_t *x, sm_t *y, size_t n);
void plain_softmax (const sm_t *x, sm_t *y, size_t n);
void fast_softmax (const sm_t *x, sm_t *y, size_t n);

typedef void softmax_fn (const sm_t *, sm_t *, size_t);
static softmax_fn *const fns[] = { sm2, sm3, plain_softmax, fast_softmax };
static const char *const fn_names[] = { "autonum-2pass", "autonum-3pass", "expf-3pass", "fastmath-3pass" };
#define NFN 4

static uint64_t rng;

/* splitmix64 (Steele, Lea and Flood 2014).  */
static uint64_t
next64 (void)
{
  uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in (0, 1).  */
static double
unif (void)
{
  return ((double) (next64 () >> 11) + 0.5) * 0x1p-53;
}

/* Standard normal (Box-Muller, one of the pair).  */
static double
normal (void)
{
  double u = unif (), v = unif ();
  return sqrt (-2 * log (u)) * cos (6.283185307179586 * v);
}

enum { D_N05, D_N3, D_N20, D_DOM, D_U100, D_OFF, ND };
static const char *const dist_names[ND] = {
  "N(0,0.5)", "N(0,3)", "N(0,20)", "dominant", "U[-100,0]", "1000+N(0,1)"
};

static void
fill (float *x, size_t n, int d)
{
  for (size_t i = 0; i < n; i++)
    switch (d)
      {
      case D_N05: x[i] = (float) (0.5 * normal ()); break;
      case D_N3: x[i] = (float) (3 * normal ()); break;
      case D_N20: x[i] = (float) (20 * normal ()); break;
      case D_DOM: x[i] = (float) normal (); break;
      case D_U100: x[i] = (float) (-100 * unif ()); break;
      default: x[i] = (float) (1000 + normal ()); break;
      }
  if (d == D_DOM)
    {
      /* One element 25 above the rest: its output is about 1, the others about e^-25 / 1.  */
      float max = x[0];
      for (size_t i = 1; i < n; i++)
        max = x[i] > max ? x[i] : max;
      x[next64 () % n] = max + 25;
    }
}

/* V rounded to the type, to nearest even (V finite, and no overflow: |V| <= 1 here).  */
static double
round_to_type (double v)
{
  if (v == 0)
    return v;
  int e;
  frexp (v, &e);   /* |v| in [2^(e-1), 2^e) */
  int q = (e - 1 < SM_EMIN ? SM_EMIN : e - 1) - (SM_PREC - 1);
  return ldexp (nearbyint (ldexp (v, -q)), q);
}

struct worst { double ulp; int dist; size_t len; };

int
main (int argc, char **argv)
{
  static const size_t default_lens[] = { 2, 3, 5, 8, 16, 33, 64, 100, 256, 1000, 4096, 16384, 65536 };
  if (argc < 2)
    {
      fprintf (stderr, "usage: softmax_ulp SEED [LEN ...]\n");
      return 2;
    }
  uint64_t seed = strtoull (argv[1], NULL, 0);
  size_t nlens = argc > 2 ? (size_t) (argc - 2) : sizeof default_lens / sizeof default_lens[0];
  size_t *lens = malloc (nlens * sizeof *lens), maxlen = 0;
  for (size_t k = 0; k < nlens; k++)
    {
      lens[k] = argc > 2 ? strtoull (argv[k + 2], NULL, 0) : default_lens[k];
      maxlen = lens[k] > maxlen ? lens[k] : maxlen;
    }
  rng = seed;

  float *xf = malloc (maxlen * sizeof *xf);
  sm_t *x = malloc (maxlen * sizeof *x), *y[NFN];
  double *yd = malloc (maxlen * sizeof *yd);
  double *ed = malloc (maxlen * sizeof *ed);
  for (int f = 0; f < NFN; f++)
    y[f] = malloc (maxlen * sizeof *y[f]);
  mpfr_t *e = malloc (maxlen * sizeof *e), s, t;
  for (size_t i = 0; i < maxlen; i++)
    mpfr_init2 (e[i], 200);
  mpfr_inits2 (200, s, t, (mpfr_ptr) 0);
  struct worst worst[NFN];
  for (int f = 0; f < NFN; f++)
    worst[f] = (struct worst) { -1, 0, 0 };

  if (SM_PREC == 24)
    printf ("accuracy: max ULP error against MPFR (200 bits); inputs from splitmix64, seed 0x%llx\n",
            (unsigned long long) seed);
  else
    printf ("accuracy: max ULP error (ULPs of %s) against MPFR (200 bits); inputs from splitmix64 (float32\n"
            "values rounded to %s), seed 0x%llx\n", SM_TYPE_NAME, SM_TYPE_NAME, (unsigned long long) seed);
  printf ("%-12s %6s %5s %14s %14s %14s %14s %8s %8s\n", "dist", "len", "vecs", fn_names[0], fn_names[1],
          fn_names[2], fn_names[3], "dbl", "sumerr");
  for (int d = 0; d < ND; d++)
    for (size_t k = 0; k < nlens; k++)
      {
        size_t n = lens[k], nvec = 65536 / n;
        nvec = nvec < 2 ? 2 : nvec > 256 ? 256 : nvec;
        double row[NFN] = { 0 }, dbl = 0, sumerr = 0;
        for (size_t v = 0; v < nvec; v++)
          {
            fill (xf, n, d);
            for (size_t i = 0; i < n; i++)
              x[i] = sm_store (xf[i]);
            for (int f = 0; f < NFN; f++)
              fns[f] (x, y[f], n);
            float max = sm_load (x[0]);
            for (size_t i = 1; i < n; i++)
              max = sm_load (x[i]) > max ? sm_load (x[i]) : max;
            /* The reference, and the double-precision softmax beside it.  */
            mpfr_set_zero (s, 1);
            double sd = 0;
            for (size_t i = 0; i < n; i++)
              {
                mpfr_set_flt (t, sm_load (x[i]), MPFR_RNDN);
                mpfr_sub_d (t, t, (double) max, MPFR_RNDN);   /* exact: 200 bits hold it */
                mpfr_exp (e[i], t, MPFR_RNDN);
                mpfr_add (s, s, e[i], MPFR_RNDN);
                ed[i] = exp ((double) sm_load (x[i]) - (double) max);
                sd += ed[i];
              }
            for (size_t i = 0; i < n; i++)
              yd[i] = round_to_type (ed[i] / sd);
            /* plain_softmax's float sum, redone: its terms added in order in float and in double.  */
            float sf = 0;
            double sfd = 0;
            for (size_t i = 0; i < n; i++)
              {
                float term = expf (sm_load (x[i]) - max);
                sf += term;
                sfd += term;
              }
            double se = fabs ((double) sf - sfd) / sfd * 0x1p23;
            sumerr = se > sumerr ? se : sumerr;
            for (size_t i = 0; i < n; i++)
              {
                mpfr_div (e[i], e[i], s, MPFR_RNDN);   /* y_i */
                long ex = mpfr_zero_p (e[i]) ? -1000 : mpfr_get_exp (e[i]) - 1;   /* floor (log2 y_i) */
                long ue = (ex < SM_EMIN ? SM_EMIN : ex) - (SM_PREC - 1);
                for (int f = 0; f <= NFN; f++)
                  {
                    mpfr_set_d (t, f < NFN ? sm_load (y[f][i]) : yd[i], MPFR_RNDN);
                    mpfr_sub (t, t, e[i], MPFR_RNDN);
                    mpfr_mul_2si (t, t, -ue, MPFR_RNDN);
                    double u = fabs (mpfr_get_d (t, MPFR_RNDU));
                    if (u != u)
                      u = INFINITY;
                    if (f < NFN)
                      row[f] = u > row[f] ? u : row[f];
                    else
                      dbl = u > dbl ? u : dbl;
                  }
              }
          }
        printf ("%-12s %6zu %5zu", dist_names[d], n, nvec);
        for (int f = 0; f < NFN; f++)
          {
            printf (" %14.3f", row[f]);
            if (row[f] > worst[f].ulp)
              worst[f] = (struct worst) { row[f], d, n };
          }
        printf (" %8.4f %8.1f\n", dbl, sumerr);
        fflush (stdout);
      }
  printf ("largest error of each function:\n");
  for (int f = 0; f < NFN; f++)
    printf ("  %-15s %12.3f ULP  (%s, length %zu)\n", fn_names[f], worst[f].ulp, dist_names[worst[f].dist],
            worst[f].len);
  for (int f = 0; f < NFN; f++)
    printf ("max %s %.3f\n", fn_names[f], worst[f].ulp);
  return 0;
}
