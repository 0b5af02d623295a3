/* softmax_speed -- the speed half of bench/softmax.sh: ns per element of four softmax
   functions of one type (float32, or with -DSM_TYPE=bfloat16 or float16 the 16-bit type,
   softmax_type.h), each in its own object (softmax.sh builds them for that type):
     autonum-2pass   sm2, autonum's exported two-pass softmax (-O3 -march=native)
     autonum-3pass   sm3, the same program exported in the three-pass form
     expf-3pass      plain_softmax, softmax_plain.c: max, expf and float sum, scale
                     (-O3 -march=native: scalar calls of glibc's expf)
     fastmath-3pass  fast_softmax, the same source with -ffast-math (libmvec's vector expf)
   called through a table of function pointers, so that nothing is inlined into the timing
   loop or left out of it.

   Inputs: float32 logits, normal with sigma 3 (Box-Muller on bench_clock.h's xorshift64,
   seeded from the command line), rounded to the type (to nearest even) for a 16-bit type.
   Each length LEN[:B] is timed on B distinct input vectors (B = 1 by default), taken in
   turn, with an output vector each: B = 1 is one vector and its output reused (in cache
   when they fit), a B large enough that B * LEN * 2 * (4 or 2) bytes exceed the last-level
   cache makes every call read its input from memory.

   Timing: per length, each function is first run once on the first vector (its outputs'
   sum, in double, is printed less 1: the plain form's float sum drifts on long vectors, and
   a 16-bit type's rounded outputs drift by their roundings;
   outside [0.5, 2] the run fails) and calibrated to about SECONDS per timing; then REPS
   rounds, each timing every function once in turn (interleaved, so that a slow spell of
   the shared machine hits all of them); a function's figure is its best round, its spread
   the median over the best.  Every timing adds its last output's first and last elements
   to a checksum that is printed.

   Usage: softmax_speed SEED REPS SECONDS LEN[:B] ...
   Prints a table per length, and lines "speed LEN[:B] NS2 NS3 NSPLAIN NSFAST" (the best
   ns per element) for softmax.sh's summary.  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "softmax_type.h"

void sm2 (const sm_t *x, sm_t *y, size_t n);
void sm3 (const sm_t *x, sm_t *y, size_t n);
void plain_softmax (const sm_t *x, sm_t *y, size_t n);
void fast_softmax (const sm_t *x, sm_t *y, size_t n);

typedef void softmax_fn (const sm_t *, sm_t *, size_t);
static softmax_fn *volatile fns[] = { sm2, sm3, plain_softmax, fast_softmax };
static const char *const fn_names[] = { "autonum-2pass", "autonum-3pass", "expf-3pass", "fastmath-3pass" };
#define NFN 4

static volatile double checksum;

static double
normal (void)
{
  double u = 1 - uniform (), v = uniform ();
  return sqrt (-2 * log (u)) * cos (6.283185307179586 * v);
}

static int
cmp_double (const void *a, const void *b)
{
  double p = *(const double *) a, q = *(const double *) b;
  return p < q ? -1 : p > q;
}

/* Seconds for ITERS calls of F, the buffers taken in turn.  */
static double
timed (softmax_fn *f, sm_t **x, sm_t **y, size_t nbuf, size_t n, long iters)
{
  double t0 = now ();
  size_t b = 0;
  for (long k = 0; k < iters; k++)
    {
      f (x[b], y[b], n);
      b = b + 1 == nbuf ? 0 : b + 1;
    }
  double t = now () - t0;
  b = b == 0 ? nbuf - 1 : b - 1;
  checksum += sm_load (y[b][0]) + sm_load (y[b][n - 1]);
  return t;
}

int
main (int argc, char **argv)
{
  if (argc < 5)
    {
      fprintf (stderr, "usage: softmax_speed SEED REPS SECONDS LEN[:B] ...\n");
      return 2;
    }
  uint64_t seed = strtoull (argv[1], NULL, 0);
  int reps = atoi (argv[2]);
  double seconds = atof (argv[3]);
  bench_rng = seed ? seed : 1;
  printf ("speed: ns per element, best of %d interleaved rounds of about %.2f s each (median/best in\n"
          "parentheses); %s inputs N(0, 3)%s, xorshift64 seed 0x%llx; ratio = ns / ns of autonum-2pass\n",
          reps, seconds, SM_TYPE_NAME, SM_PREC == 24 ? "" : " (float32 values rounded)", (unsigned long long) seed);
  int status = 0;
  for (int a = 4; a < argc; a++)
    {
      char *end;
      size_t n = strtoull (argv[a], &end, 0), nbuf = *end == ':' ? strtoull (end + 1, NULL, 0) : 1;
      if (n == 0 || nbuf == 0)
        {
          fprintf (stderr, "softmax_speed: bad length '%s'\n", argv[a]);
          return 2;
        }
      sm_t **x = malloc (nbuf * sizeof *x), **y = malloc (nbuf * sizeof *y);
      for (size_t b = 0; b < nbuf; b++)
        {
          x[b] = aligned_alloc (64, (n * sizeof (sm_t) + 63) / 64 * 64);
          y[b] = aligned_alloc (64, (n * sizeof (sm_t) + 63) / 64 * 64);
          if (!x[b] || !y[b])
            {
              fprintf (stderr, "softmax_speed: out of memory\n");
              return 1;
            }
          for (size_t i = 0; i < n; i++)
            x[b][i] = sm_store ((float) (3 * normal ()));
          memset (y[b], 0, n * sizeof (sm_t));
        }
      long iters[NFN];
      double best[NFN], sum[NFN], *all = malloc ((size_t) reps * NFN * sizeof *all);
      for (int f = 0; f < NFN; f++)
        {
          double s = 0;
          fns[f] (x[0], y[0], n);
          for (size_t i = 0; i < n; i++)
            s += sm_load (y[0][i]);
          sum[f] = s;
          if (!(s > 0.5 && s < 2))
            {
              printf ("%s: the outputs for length %zu sum to %g, not 1\n", fn_names[f], n, s);
              status = 1;
            }
          long k = 1;
          double t;
          while ((t = timed (fns[f], x, y, nbuf, n, k)) < 0.02)
            k *= 2;
          iters[f] = (long) (k * seconds / t) + 1;
        }
      for (int r = 0; r < reps; r++)
        for (int f = 0; f < NFN; f++)
          all[f * reps + r] = timed (fns[f], x, y, nbuf, n, iters[f]) / ((double) iters[f] * n) * 1e9;
      printf ("length %zu", n);
      if (nbuf > 1)
        printf (", %zu input vectors in turn (%.0f MB of inputs and outputs)", nbuf,
                nbuf * n * 2 * sizeof (sm_t) / 1048576.0);
      else
        printf (" (%.3g MB of input and output)", n * 2 * sizeof (sm_t) / 1048576.0);
      printf (":\n");
      for (int f = 0; f < NFN; f++)
        {
          qsort (all + f * reps, (size_t) reps, sizeof *all, cmp_double);
          best[f] = all[f * reps];
        }
      for (int f = 0; f < NFN; f++)
        printf ("  %-15s %8.3f ns  (%.2f)  ratio %5.2f   sum(y)-1 %9.2e  [%ld calls per timing]\n", fn_names[f],
                best[f], all[f * reps + reps / 2] / best[f], best[f] / best[0], sum[f] - 1, iters[f]);
      printf ("speed %s %.4f %.4f %.4f %.4f\n", argv[a], best[0], best[1], best[2], best[3]);
      fflush (stdout);
      for (size_t b = 0; b < nbuf; b++)
        free (x[b]), free (y[b]);
      free (x), free (y), free (all);
    }
  printf ("checksum %.6f\n", checksum);
  return status;
}
