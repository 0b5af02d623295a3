/* speed_main -- ns per element of exported programs against glibc expf in an array loop, measured in one run.

   Built by bench/speed.sh: the exported files are #included (so that their
   function inlines into the loop and vectorises, as in a user's kernel), the
   libmvec loop comes from speed_mvec.c compiled with -ffast-math.  Timings
   are the best of interleaved repetitions; ratios are what to compare.  */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "progs.h"   /* written by speed.sh: the exported files and AN_FN_A, AN_LABEL_A, ... */

void mvec_expf_loop (const float *x, float *y, size_t n);

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

#define N (1 << 16)
static float x[N], y[N];
static volatile float sink;

static void __attribute__ ((noinline)) loop_a (void)
{
  for (int i = 0; i < N; i++)
    y[i] = AN_FN_A (x[i]);
}

#ifdef AN_EXPORT_B
static void __attribute__ ((noinline)) loop_b (void)
{
  for (int i = 0; i < N; i++)
    y[i] = AN_FN_B (x[i]);
}
#endif

static float (*volatile libm_expf) (float) = expf;   /* the real libm call, never folded or vectorised */

static void __attribute__ ((noinline)) loop_glibc (void)
{
  float (*f) (float) = libm_expf;
  for (int i = 0; i < N; i++)
    y[i] = f (x[i]);
}

static void __attribute__ ((noinline)) loop_mvec (void)
{
  mvec_expf_loop (x, y, N);
}

static double
best_of (void (*loop) (void), double *best)
{
  double t0 = now ();
  for (int r = 0; r < 20; r++)
    loop ();
  double dt = (now () - t0) / 20 / N * 1e9;
  sink = y[N / 2];
  if (dt < *best)
    *best = dt;
  return dt;
}

int
main (void)
{
  unsigned s = 12345;
  for (int i = 0; i < N; i++)
    {
      s = s * 1664525u + 1013904223u;
      x[i] = -87.0f + 175.0f * (float) (s >> 8) * 0x1p-24f;
    }
  double a = 1e30, b = 1e30, g = 1e30, m = 1e30;
  for (int rep = 0; rep < 15; rep++)
    {
      best_of (loop_a, &a);
#ifdef AN_EXPORT_B
      best_of (loop_b, &b);
#endif
      best_of (loop_glibc, &g);
      best_of (loop_mvec, &m);
    }
  printf ("%-34s %7.3f ns/elem\n", AN_LABEL_A, a);
#ifdef AN_EXPORT_B
  printf ("%-34s %7.3f ns/elem\n", AN_LABEL_B, b);
#endif
  printf ("%-34s %7.3f ns/elem\n", "glibc expf (scalar calls)", g);
  printf ("%-34s %7.3f ns/elem\n", "glibc libmvec expf (-ffast-math)", m);
  printf ("ratio %s vs glibc expf: %.2fx faster\n", AN_LABEL_A, g / a);
  printf ("ratio %s vs libmvec expf: %.2fx faster\n", AN_LABEL_A, m / a);
#ifdef AN_EXPORT_B
  printf ("ratio %s vs %s: %.2fx faster\n", AN_LABEL_A, AN_LABEL_B, b / a);
#endif
  (void) b;
  return 0;
}
