/* libm_cost -- time per call of the libm functions autonum programs may call (exp, log, log1p,
   erf, lgamma, in float and double), relative to expf: the weights of those ops in the cost
   model (dsl/ops.c) come from here.

     gcc -O2 bench/libm_cost.c -o libm_cost -lm && ./libm_cost

   Each function runs over 4096 inputs spread over a range where it is typically called
   (exp [-10, 10], log [0.001, 1000] log-spaced, log1p [-0.5, 10], erf [-3, 3], lgamma
   [0.5, 1000] log-spaced), called through a volatile function pointer so that the compiler
   can neither inline nor vectorise it (as exported code calls libm: one call per value),
   best of 31 passes; an empty function through the same pointer gives the loop's own cost,
   subtracted.  The machine is shared: run it a few times and compare the ratios.  */
#define _GNU_SOURCE   /* lgammaf_r, lgamma_r */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "bench_clock.h"

#define N 4096
#define PASSES 31

static float nonef (float a) { return a; }
static double none (double a) { return a; }
static float lgf (float a) { int s; return lgammaf_r (a, &s); }
static double lgd (double a) { int s; return lgamma_r (a, &s); }

typedef float (*fn_f) (float);
typedef double (*fn_d) (double);

static const struct {
  const char *name;
  fn_f f;
  fn_d d;
  double lo, hi;
  int logspaced;
} fns[] = {
  {"none", nonef, none, 1, 2, 0},
  {"exp", expf, exp, -10, 10, 0},
  {"log", logf, log, 0.001, 1000, 1},
  {"log1p", log1pf, log1p, -0.5, 10, 0},
  {"erf", erff, erf, -3, 3, 0},
  {"lgamma", lgf, lgd, 0.5, 1000, 1},
};

static float xf[N], yf[N];
static double xd[N], yd[N];

/* Best time per call over PASSES passes, float (W = 0) or double.  */
static double
best (int k, int w)
{
  double t_best = 1e30;
  volatile fn_f f = fns[k].f;
  volatile fn_d d = fns[k].d;
  for (int pass = 0; pass < PASSES; pass++)
    {
      double t = now ();
      if (w)
        for (int i = 0; i < N; i++)
          yd[i] = d (xd[i]);
      else
        for (int i = 0; i < N; i++)
          yf[i] = f (xf[i]);
      t = now () - t;
      t_best = t < t_best ? t : t_best;
    }
  return t_best / N * 1e9;
}

int
main (void)
{
  int n = (int) (sizeof fns / sizeof fns[0]);
  double ns[8][2];
  for (int k = 0; k < n; k++)
    {
      for (int i = 0; i < N; i++)
        {
          double u = (i + 0.5) / N;
          xd[i] = fns[k].logspaced ? fns[k].lo * pow (fns[k].hi / fns[k].lo, u) : fns[k].lo + (fns[k].hi - fns[k].lo) * u;
          xf[i] = (float) xd[i];
        }
      ns[k][0] = best (k, 0);
      ns[k][1] = best (k, 1);
    }
  printf ("ns per call (loop cost %.2f / %.2f ns subtracted), and relative to expf x 20\n", ns[0][0], ns[0][1]);
  double e = ns[1][0] - ns[0][0];
  for (int k = 1; k < n; k++)
    {
      double f = ns[k][0] - ns[0][0], d = ns[k][1] - ns[0][1];
      printf ("%-7s float %6.2f  double %6.2f   weight %5.1f / %5.1f\n", fns[k].name, f, d, 20 * f / e, 20 * d / e);
    }
  printf ("(sink %g %g)\n", (double) yf[N / 2], yd[N / 2]);
  return 0;
}
