/* check_hand -- the hand kernels of hand_exp.h against their programs (bench/progs/exp*_hand.anp) and double libm.

   Built and run by bench/hand/check.sh, which exports the three programs as
   prog_exp, prog_exp2 and prog_exp10 into checked.h.  For every one of the 2^32
   float32 bit patterns it compares the bits of hand_*f (x) and of the exported
   program (both inlined into the same kind of array loop); on the target's domain
   it measures the error of hand_*f against the double-precision libm function
   (a quick estimate: ./autonum verify is the authoritative figure); outside the
   domain it checks that every finite input gives exactly +inf above and +0 below.
   Exit status 1 on any mismatch.  */
#define _GNU_SOURCE
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hand_exp.h"
#include "checked.h"   /* written by check.sh: #define AN_LINKAGE static inline, the exported files */

#define BLOCK 65536

struct kernel
{
  const char *name;
  void (*hand) (const float *x, float *y, int n);
  void (*prog) (const float *x, float *y, int n);
  double (*ref) (double);
  float lo, hi;   /* the target's float32 domain */
};

#define LOOP(NAME, F) \
  static void NAME (const float *x, float *y, int n) { for (int i = 0; i < n; i++) y[i] = F (x[i]); }
LOOP (hand_exp_loop, hand_expf)
LOOP (hand_exp2_loop, hand_exp2f)
LOOP (hand_exp10_loop, hand_exp10f)
LOOP (prog_exp_loop, prog_exp)
LOOP (prog_exp2_loop, prog_exp2)
LOOP (prog_exp10_loop, prog_exp10)

static const struct kernel kernels[] = {
  { "exp", hand_exp_loop, prog_exp_loop, exp, -0x1.9fe368p+6f, 0x1.62e42ep+6f },
  { "exp2", hand_exp2_loop, prog_exp2_loop, exp2, -0x1.2bfffep+7f, 0x1.fffffep+6f },
  { "exp10", hand_exp10_loop, prog_exp10_loop, exp10, -0x1.693c6ap+5f, 0x1.344134p+5f },
};

static uint32_t
bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static float
from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

/* |y - f| in ULPs of the binade of f (2^-149 below the normal range); a result of a
   value past the overflow threshold must be +inf.  f is a double, accurate to
   about 2^-52 relative: enough to rank errors, not to decide 1 ULP exactly.  */
static double
ulp_error (float y, double f)
{
  if (f >= 0x1.ffffffp+127)
    return isinf (y) && y > 0 ? 0.0 : INFINITY;
  uint64_t fb;
  memcpy (&fb, &f, sizeof fb);
  int e = (int) (fb >> 52 & 0x7ff) - 1023;                 /* 2^e <= f < 2^(e+1), f > 0 */
  int ulp_e = e - 23 < -149 ? -149 : e - 23;
  uint64_t inv = (uint64_t) (1023 - ulp_e) << 52;          /* 1 / ulp, a power of two */
  double inv_ulp;
  memcpy (&inv_ulp, &inv, sizeof inv_ulp);
  return fabs ((double) y - f) * inv_ulp;
}

struct tally
{
  uint64_t differ, outside_bad, domain_points;
  uint32_t first_differ, first_outside_bad, worst;
  double max_ulp;
};

static void
check_block (const struct kernel *k, uint32_t base, struct tally *t)
{
  float x[BLOCK], yh[BLOCK], yp[BLOCK];
  for (uint32_t i = 0; i < BLOCK; i++)
    x[i] = from_bits (base + i);
  k->hand (x, yh, BLOCK);
  k->prog (x, yp, BLOCK);
  for (uint32_t i = 0; i < BLOCK; i++)
    {
      if (bits (yh[i]) != bits (yp[i]) && !t->differ++)
        t->first_differ = base + i;
      if (isnan (x[i]))
        continue;
      if (x[i] < k->lo || x[i] > k->hi)
        {
          float want = x[i] > k->hi ? INFINITY : 0.0f;
          if (bits (yh[i]) != bits (want) && !t->outside_bad++)
            t->first_outside_bad = base + i;
          continue;
        }
      t->domain_points++;
      double e = ulp_error (yh[i], k->ref ((double) x[i]));
      if (e > t->max_ulp)
        {
          t->max_ulp = e;
          t->worst = base + i;
        }
    }
}

static int
check (const struct kernel *k)
{
  struct tally all = { 0 };
  all.first_differ = all.first_outside_bad = UINT32_MAX;
#pragma omp parallel
  {
    struct tally t = { 0 };
    t.first_differ = t.first_outside_bad = UINT32_MAX;
#pragma omp for schedule(dynamic, 64)
    for (int64_t b = 0; b < (INT64_C (1) << 32) / BLOCK; b++)
      check_block (k, (uint32_t) b * BLOCK, &t);
#pragma omp critical
    {
      all.differ += t.differ;
      all.outside_bad += t.outside_bad;
      all.domain_points += t.domain_points;
      if (t.differ && t.first_differ < all.first_differ)
        all.first_differ = t.first_differ;
      if (t.outside_bad && t.first_outside_bad < all.first_outside_bad)
        all.first_outside_bad = t.first_outside_bad;
      if (t.max_ulp > all.max_ulp || (t.max_ulp == all.max_ulp && t.worst < all.worst))
        {
          all.max_ulp = t.max_ulp;
          all.worst = t.worst;
        }
    }
  }
  float w = from_bits (all.worst);
  printf ("%-6s hand vs program: %" PRIu64 " of 2^32 bit patterns differ", k->name, all.differ);
  if (all.differ)
    printf (" (first: input 0x%08" PRIx32 ")", all.first_differ);
  printf ("; outside the domain: %" PRIu64 " finite inputs not +inf/+0", all.outside_bad);
  if (all.outside_bad)
    printf (" (first: input 0x%08" PRIx32 ")", all.first_outside_bad);
  float nan_in[1] = { NAN }, nan_out[1];
  k->hand (nan_in, nan_out, 1);
  printf ("; NaN gives %a\n", (double) nan_out[0]);
  printf ("       max error vs double libm on the %" PRIu64 " inputs of the domain: %.6f ULP at %a (0x%08" PRIx32 ")\n",
          all.domain_points, all.max_ulp, (double) w, all.worst);
  return all.differ || all.outside_bad || all.max_ulp >= 1.0;
}

int
main (void)
{
  int bad = 0;
  for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
    bad |= check (&kernels[i]);
  return bad;
}
