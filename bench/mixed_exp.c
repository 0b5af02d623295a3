/* mixed_exp -- float32 exp computed in float64 inside (reduction and polynomial in double)
   against a float32-only program, both found by one search, exported and timed in one run
   with glibc's expf and libmvec.

   Built and run by bench/mixed_exp.sh, which writes exports.h (the two exported files,
   mixed_expf and single_expf, included after #define AN_LINKAGE static inline, as a user
   who wants the loops inlined does) and passes the domain as -DLO=... -DHI=....  Rows, per
   input size: each program's array entry point NAME_array (its kernel inlined in a loop the
   compiler vectorises), each program called once per element through a function pointer,
   glibc expf called once per element, and a loop that gcc turns into libmvec calls
   (mvec_expf.c, -ffast-math).  Inputs are uniform in value over the domain.  Each
   row's time is the best of REPS repetitions, interleaved: compare the ratios, taken in one
   run.  */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"

#define AN_LINKAGE static inline
#include "exports.h"

void bench_mvec_expf (const float *x, float *y, size_t n);

#ifndef REPS
#define REPS 15
#endif
#define ELEMENTS_PER_TIMING (1 << 22)

typedef void loop_fn (const float *x, float *y, size_t n);
typedef float scalar_fn (float);

static scalar_fn *volatile called;

static void __attribute__ ((noinline))
call_loop (const float *x, float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = called (x[i]);
}

static void __attribute__ ((noinline))
mixed_array (const float *x, float *y, size_t n)
{
  mixed_expf_array (x, y, n);
}

static void __attribute__ ((noinline))
single_array (const float *x, float *y, size_t n)
{
  single_expf_array (x, y, n);
}

static float
glibc_expf (float x)
{
  return expf (x);
}

enum { N_ROWS = 6, N_SIZES = 2 };
static const size_t sizes[N_SIZES] = { 4096, 65536 };
static const char *const row_names[N_ROWS] = {
  "float64 body: array (inlined)", "float32 only: array (inlined)", "float64 body: call per element",
  "float32 only: call per element", "glibc expf: call per element", "libmvec expf: loop",
};
static loop_fn *const loops[N_ROWS] = { mixed_array, single_array, call_loop, call_loop, call_loop, bench_mvec_expf };
static scalar_fn *const scalars[N_ROWS] = { NULL, NULL, mixed_expf, single_expf, glibc_expf, NULL };

int
main (void)
{
  double best[N_SIZES][N_ROWS];
  float *x[N_SIZES], *y = malloc (65536 * sizeof *y);
  for (int s = 0; s < N_SIZES; s++)
    {
      x[s] = malloc (sizes[s] * sizeof *x[s]);
      for (size_t i = 0; i < sizes[s]; i++)
        x[s][i] = (float) (LO + (HI - LO) * uniform ());
      for (int r = 0; r < N_ROWS; r++)
        best[s][r] = INFINITY;
    }
  for (int rep = 0; rep < REPS; rep++)
    for (int s = 0; s < N_SIZES; s++)
      for (int r = 0; r < N_ROWS; r++)
        {
          size_t inner = ELEMENTS_PER_TIMING / sizes[s];
          called = scalars[r];
          double t0 = now ();
          for (size_t k = 0; k < inner; k++)
            loops[r] (x[s], y, sizes[s]);
          double ns = (now () - t0) * 1e9 / (double) (inner * sizes[s]);
          if (ns < best[s][r])
            best[s][r] = ns;
        }
  printf ("exp on [%a, %a], float32; ns per element, best of %d repetitions;\n"
          "x body32: the row's time over the float32-only program's in the same way (array or call)\n",
          (double) LO, (double) HI, REPS);
  printf ("%-34s", "");
  for (int s = 0; s < N_SIZES; s++)
    printf ("  %6zu: ns/el  x body32", sizes[s]);
  printf ("\n");
  for (int r = 0; r < N_ROWS; r++)
    {
      printf ("%-34s", row_names[r]);
      int ref = r == 0 || r == 1 || r == 5 ? 1 : 3;
      for (int s = 0; s < N_SIZES; s++)
        printf ("  %12.3f %8.2f", best[s][r], best[s][r] / best[s][ref]);
      printf ("\n");
    }
  return 0;
}
