/* softmax_adversary -- the worst vectors of autonum's exported float32 softmax, built from
   its kernel instead of drawn at random (bench/softmax.sh).

   An output of the two-pass form is y_i = e_i / sum_j e_j with e_i = k(r_i) 2^n_i, k the
   kernel, k(r) = q(r) e^r: its relative error is q(r_i) over a weighted mean of the q(r_j),
   before the last rounding.  A float output of the kernel is rounded, so q varies by about
   2^-23 over r whatever the kernel (its relative rounding error reaches 2^-24 on either side
   just above a power of 2); a double one is used unrounded.  An output whose significand is near 2 has 2^24 ulps per unit of
   relative error: the worst vector has one element at the r where q is largest and the rest at
   the r where q is smallest (or the reverse), its length chosen so that the lone output's
   significand is near 2.  This program finds both r by scanning every float r of the kernel's
   domain (the exported kernel as the forms call it, against exp in double), then runs the exported
   functions on the vectors {r_b, r_a x m} for every m from 1 to 4096 and for larger m up to
   2^20, with each r in either role, and measures every output's error against MPFR at 200
   bits (the outputs have closed forms: e^r_b / (m e^r_a + e^r_b) and e^r_a / (...)).

   The functions (linked in from their own objects, see softmax.sh): sm2 and sm3, autonum's
   exported two- and three-pass softmax of the same kernel; sm2_kernel_array, the kernel's
   values as the forms use them (a double kernel unrounded; softmax.sh compiles it from the
   exported file).

   Usage: softmax_adversary LO HI   (the kernel's domain, from the program's header line)
   Prints the kernel's q range in units of 2^-24 of its mean, the worst constructed vector of
   each form, and lines "adversary NAME ULP" for softmax.sh's summary.  */
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sm2 (const float *x, float *y, size_t n);
void sm3 (const float *x, float *y, size_t n);
void sm2_kernel_array (const float *x, double *y, size_t n);

typedef void softmax_fn (const float *, float *, size_t);
static softmax_fn *const fns[] = { sm2, sm3 };
static const char *const fn_names[] = { "autonum-2pass", "autonum-3pass" };
#define NFN 2
#define BATCH 4096
#define MAXLEN ((size_t) 1 << 20)

/* The order of floats as unsigned keys.  */
static uint32_t
key_of (float f)
{
  uint32_t b;
  memcpy (&b, &f, sizeof b);
  return b >> 31 ? ~b : b | 0x80000000u;
}

static float
float_of_key (uint32_t k)
{
  uint32_t b = k >> 31 ? k & 0x7fffffffu : ~k;
  float f;
  memcpy (&f, &b, sizeof f);
  return f;
}

/* The smallest and largest q seen, and at which r.  */
typedef struct {
  double qmin, qmax;
  float rmin, rmax;
} ext;
#define EXT0 ((ext) {INFINITY, -INFINITY, 0, 0})

static void
ext_add (ext *e, double q, float r)
{
  if (q < e->qmin)
    e->qmin = q, e->rmin = r;
  if (q > e->qmax)
    e->qmax = q, e->rmax = r;
}

static void
ext_merge (ext *e, const ext *o)
{
  ext_add (e, o->qmin, o->rmin);
  ext_add (e, o->qmax, o->rmax);
}

/* |V - REF| in ulps of the float32 REF (REF > 0), ulp (y) = 2^(floor (log2 y) - 23), 2^-149
   below 2^-126.  */
static double
ulp_error (float v, const mpfr_t ref)
{
  mpfr_t d;
  mpfr_init2 (d, 200);
  mpfr_sub_d (d, ref, (double) v, MPFR_RNDN);
  mpfr_abs (d, d, MPFR_RNDN);
  long e = mpfr_get_exp (ref) - 1;       /* ref in [2^e, 2^(e+1)) */
  long u = e < -126 ? -149 : e - 23;
  mpfr_mul_2si (d, d, -u, MPFR_RNDN);
  double r = mpfr_get_d (d, MPFR_RNDN);
  mpfr_clear (d);
  return r;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: softmax_adversary LO HI\n");
      return 2;
    }
  float lo = strtof (argv[1], NULL), hi = strtof (argv[2], NULL);
  if (!(lo < hi))
    {
      fprintf (stderr, "softmax_adversary: no domain [%s, %s]\n", argv[1], argv[2]);
      return 2;
    }

  /* q (r) = k (r) / e^r on every float r of [LO, HI] (in batches, on every core where
     OpenMP is there): its extremes over the domain and over r <= 0.  */
  uint32_t k0 = key_of (lo), k1 = key_of (hi);
  uint64_t nb = ((uint64_t) k1 - k0) / BATCH + 1;
  ext all = EXT0, neg = EXT0;
  double qsum = 0;
#pragma omp parallel
  {
    static _Thread_local float xs[BATCH];
    static _Thread_local double ks[BATCH];
    ext a = EXT0, g = EXT0;
    double qs = 0;
#pragma omp for schedule (dynamic, 64)
    for (uint64_t b = 0; b < nb; b++)
      {
        uint64_t first = k0 + b * BATCH, m = (uint64_t) k1 - first + 1 < BATCH ? (uint64_t) k1 - first + 1 : BATCH;
        for (uint64_t i = 0; i < m; i++)
          xs[i] = float_of_key ((uint32_t) (first + i));
        sm2_kernel_array (xs, ks, m);
        for (uint64_t i = 0; i < m; i++)
          {
            double q = ks[i] / exp ((double) xs[i]);
            ext_add (&a, q, xs[i]);
            if (xs[i] <= 0)
              ext_add (&g, q, xs[i]);
            qs += q;
          }
      }
#pragma omp critical
    {
      ext_merge (&all, &a);
      ext_merge (&neg, &g);
      qsum += qs;
    }
  }
  uint64_t count = (uint64_t) k1 - k0 + 1;
  double qmean = qsum / (double) count;
  if (!(all.qmin > 0 || all.qmax < 0) || !isfinite (qmean))
    {
      printf ("kernel: k(r) / e^r changes sign or is not finite on [%a, %a]: no adversary built\n", lo, hi);
      return 1;
    }
  /* In units of 2^-24 of the mean (whose sign c has).  */
  double ulo = (fmin (all.qmin / qmean, all.qmax / qmean) - 1) * 0x1p24;
  double uhi = (fmax (all.qmin / qmean, all.qmax / qmean) - 1) * 0x1p24;
  printf ("kernel: k(r) / e^r on all %llu floats r of [%a, %a]: from %.4f to %.4f 2^-24 of its mean"
          " (at r = %a and r = %a: spread %.4f 2^-24); on r <= 0 spread %.4f 2^-24 (r = %a and %a)\n",
          (unsigned long long) count, lo, hi, ulo, uhi, all.rmin, all.rmax, uhi - ulo,
          (neg.qmax - neg.qmin) / fabs (qmean) * 0x1p24, neg.rmin, neg.rmax);

  /* Two constructions, each r in either role: {r_b, r_a x m} from the extremes over the
     domain (the two-pass form reduces every x here to itself), and {r_b, 0, r_a x m} from the
     extremes over r <= 0 (the maximum is then 0, and the three-pass form, which reduces x -
     max, reduces every x to itself too).  Lengths 1 + m (+ 1) for m = 1 .. 4096 and every
     4096th m up to 2^20.  */
  float *x = malloc ((MAXLEN + 2) * sizeof *x), *y = malloc ((MAXLEN + 2) * sizeof *y);
  if (!x || !y)
    return 1;
  double worst[NFN] = {0};
  float wa[NFN] = {0}, wb[NFN] = {0};
  size_t wm[NFN] = {0};
  int wzero[NFN] = {0}, wel[NFN] = {0};
  mpfr_t ea, eb, den, ref;
  mpfr_inits2 (200, ea, eb, den, ref, (mpfr_ptr) 0);
  for (int c = 0; c < 4; c++)
    {
      int zero = c >= 2;
      const ext *e = zero ? &neg : &all;
      float ra = c % 2 ? e->rmax : e->rmin, rb = c % 2 ? e->rmin : e->rmax;
      size_t at = zero ? 2 : 1;        /* the first repeated element */
      mpfr_set_flt (ea, ra, MPFR_RNDN);
      mpfr_exp (ea, ea, MPFR_RNDN);
      mpfr_set_flt (eb, rb, MPFR_RNDN);
      mpfr_exp (eb, eb, MPFR_RNDN);
      for (size_t m = 1; m < MAXLEN; m = m < 4096 ? m + 1 : m + 4096)
        {
          x[0] = rb;
          x[1] = 0;
          for (size_t i = at; i < at + m; i++)
            x[i] = ra;
          mpfr_mul_ui (den, ea, m, MPFR_RNDN);
          mpfr_add (den, den, eb, MPFR_RNDN);
          if (zero)
            mpfr_add_ui (den, den, 1, MPFR_RNDN);
          for (int f = 0; f < NFN; f++)
            {
              fns[f] (x, y, at + m);
              for (int el = 0; el < 2; el++)
                {
                  mpfr_div (ref, el ? ea : eb, den, MPFR_RNDN);
                  double err = ulp_error (y[el ? at : 0], ref);
                  if (!(err <= worst[f]))
                    worst[f] = err, wa[f] = ra, wb[f] = rb, wm[f] = m, wzero[f] = zero, wel[f] = el;
                }
            }
        }
    }
  for (int f = 0; f < NFN; f++)
    printf ("%-15s worst %.3f ULP: the vector {%a%s, %a x %zu}, the output of its %s element\n", fn_names[f],
            worst[f], wb[f], wzero[f] ? ", 0" : "", wa[f], wm[f], wel[f] ? "repeated" : "lone");
  for (int f = 0; f < NFN; f++)
    printf ("adversary %s %.3f\n", fn_names[f], worst[f]);
  mpfr_clears (ea, eb, den, ref, (mpfr_ptr) 0);
  free (x), free (y);
  return 0;
}
