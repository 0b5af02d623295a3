/* bench_clock -- what the one-file benchmarks (narrow_exp.c, mixed_exp.c, logbessel.c, libm_cost.c) share: the clock
   and a fixed-seed generator of uniform inputs, so that every run times the same points.  */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H
#include <stdint.h>
#include <time.h>

static inline double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static uint64_t bench_rng = 0x2545f4914f6cdd1dULL;   /* fixed seed: the same inputs every run */

/* Uniform in [0, 1) (xorshift64).  */
static inline double
uniform (void)
{
  bench_rng ^= bench_rng << 13, bench_rng ^= bench_rng >> 7, bench_rng ^= bench_rng << 17;
  return (double) (bench_rng >> 11) * 0x1p-53;
}
#endif
