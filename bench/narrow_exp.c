/* narrow_exp -- correctly rounded bfloat16 and float16 exp as exported by autonum, against
   converting to float and calling glibc's expf (scalar, and libmvec in blocks), in one run.

   Built and run by bench/narrow_exp.sh, which exports the two programs the search found
   (exports.h: cr_exp_bf16 and cr_exp_f16, included here after #define AN_LINKAGE static
   inline, as a user who wants the loops inlined does) and passes each type's domain as
   -DBF16_LO=... etc.  Rows, per type and input size:
     program array   NAME_array: the exported kernel inlined in its own loop over the patterns;
     program call    NAME called once per element through a function pointer;
     expf            decode to float, glibc expf, round to the type: the loop a user writes;
     libmvec expf    the same in blocks of 256, the expf part a loop that gcc vectorises into
                     glibc's libmvec (mvec_expf.c, built with -ffast-math);
   for float16 the conversions are the F16C instructions (_cvtsh_ss, _cvtss_sh),
   for bfloat16 the shift and the round-to-nearest-even add of dsl/convert.h.  Inputs are
   uniform in value over the type's domain of exp, rounded to the type.  Each row's time is
   the best of REPS repetitions, interleaved; compare the ratios, taken in one run.  The
   last column counts the inputs of the whole domain (every pattern) where the row's result
   differs from the program's, which `autonum export --verify` checked to be correctly
   rounded on every one of them.  */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#define AN_LINKAGE static inline
#include "exports.h"

void bench_mvec_expf (const float *x, float *y, size_t n);

#ifndef REPS
#define REPS 15
#endif
#define ELEMENTS_PER_TIMING (1 << 22)
#define BLOCK 256

typedef void loop_fn (const uint16_t *x, uint16_t *y, size_t n);
typedef uint16_t scalar_fn (uint16_t);

static scalar_fn *volatile called;

static void __attribute__ ((noinline))
call_loop (const uint16_t *x, uint16_t *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = called (x[i]);
}

/* ---- bfloat16 ---- */

static void __attribute__ ((noinline))
bf16_array (const uint16_t *x, uint16_t *y, size_t n)
{
  cr_exp_bf16_array (x, y, n);
}

static void __attribute__ ((noinline))
bf16_expf (const uint16_t *x, uint16_t *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = (uint16_t) an_bf16_encode (expf (an_bf16_decode (x[i])));
}

static void __attribute__ ((noinline))
bf16_mvec (const uint16_t *x, uint16_t *y, size_t n)
{
  float a[BLOCK], b[BLOCK];
  for (size_t i = 0; i < n; i += BLOCK)
    {
      size_t m = n - i < BLOCK ? n - i : BLOCK;
      for (size_t j = 0; j < m; j++)
        a[j] = an_bf16_decode (x[i + j]);
      bench_mvec_expf (a, b, m);
      for (size_t j = 0; j < m; j++)
        y[i + j] = (uint16_t) an_bf16_encode (b[j]);
    }
}

/* ---- float16 ---- */

static void __attribute__ ((noinline))
f16_array (const uint16_t *x, uint16_t *y, size_t n)
{
  cr_exp_f16_array (x, y, n);
}

/* float16 <-> float as a user writes them: the F16C instructions where the machine has
   them (gcc 12 converts _Float16 through libgcc calls otherwise), else _Float16 casts.  */
#if defined(__F16C__)
#include <immintrin.h>
static inline float
h2f (uint16_t b)
{
  return _cvtsh_ss (b);
}

static inline uint16_t
f2h (float f)
{
  return (uint16_t) _cvtss_sh (f, _MM_FROUND_TO_NEAREST_INT);
}
#else
static inline float
h2f (uint16_t b)
{
  _Float16 h;
  memcpy (&h, &b, sizeof h);
  return (float) h;
}

static inline uint16_t
f2h (float f)
{
  _Float16 h = (_Float16) f;
  uint16_t b;
  memcpy (&b, &h, sizeof b);
  return b;
}
#endif

static void __attribute__ ((noinline))
f16_expf (const uint16_t *x, uint16_t *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = f2h (expf (h2f (x[i])));
}

static void __attribute__ ((noinline))
f16_mvec (const uint16_t *x, uint16_t *y, size_t n)
{
  float a[BLOCK], b[BLOCK];
  for (size_t i = 0; i < n; i += BLOCK)
    {
      size_t m = n - i < BLOCK ? n - i : BLOCK;
      for (size_t j = 0; j < m; j++)
        a[j] = h2f (x[i + j]);
      bench_mvec_expf (a, b, m);
      for (size_t j = 0; j < m; j++)
        y[i + j] = f2h (b[j]);
    }
}

/* ---- the harness ---- */

enum { N_ROWS = 4, N_SIZES = 2 };
static const size_t sizes[N_SIZES] = { 4096, 65536 };
static const char *const row_names[N_ROWS] = { "program array (inlined)", "program call (per element)",
                                               "float + glibc expf", "float + libmvec expf (blocks)" };

struct type
{
  const char *name;
  double lo, hi;
  float (*decode) (uint16_t);
  uint16_t (*encode) (float);
  loop_fn *loop[N_ROWS];
  scalar_fn *scalar;
};

static float
bf16_dec (uint16_t b)
{
  return an_bf16_decode (b);
}

static uint16_t
bf16_enc (float f)
{
  return (uint16_t) an_bf16_encode (f);
}

static void
run_row (struct type *t, int r, const uint16_t *x, uint16_t *y, size_t n)
{
  if (r == 1)
    {
      called = t->scalar;
      call_loop (x, y, n);
    }
  else
    t->loop[r == 0 ? 0 : r - 1] (x, y, n);
}

static void
bench_type (struct type *t)
{
  /* Agreement over every pattern of the domain (in key order: negatives, then positives).  */
  static uint16_t all[65536], want[65536], got[65536];
  size_t nall = 0;
  for (uint32_t b = 0; b < 65536; b++)
    {
      float v = t->decode ((uint16_t) b);
      if (v >= t->lo && v <= t->hi)
        all[nall++] = (uint16_t) b;
    }
  run_row (t, 0, all, want, nall);
  size_t differ[N_ROWS] = { 0 };
  for (int r = 1; r < N_ROWS; r++)
    {
      run_row (t, r, all, got, nall);
      for (size_t i = 0; i < nall; i++)
        differ[r] += got[i] != want[i];
    }

  double best[N_SIZES][N_ROWS];
  uint16_t *x[N_SIZES], *y = malloc (65536 * sizeof *y);
  for (int s = 0; s < N_SIZES; s++)
    {
      x[s] = malloc (sizes[s] * sizeof *x[s]);
      for (size_t i = 0; i < sizes[s]; i++)
        x[s][i] = t->encode ((float) (t->lo + (t->hi - t->lo) * uniform ()));
      for (int r = 0; r < N_ROWS; r++)
        best[s][r] = INFINITY;
    }
  for (int rep = 0; rep < REPS; rep++)
    for (int s = 0; s < N_SIZES; s++)
      for (int r = 0; r < N_ROWS; r++)
        {
          size_t inner = ELEMENTS_PER_TIMING / sizes[s];
          double t0 = now ();
          for (size_t k = 0; k < inner; k++)
            run_row (t, r, x[s], y, sizes[s]);
          double ns = (now () - t0) * 1e9 / (double) (inner * sizes[s]);
          if (ns < best[s][r])
            best[s][r] = ns;
        }
  printf ("\n%s exp on [%a, %a] (%zu patterns)\n", t->name, t->lo, t->hi, nall);
  printf ("%-32s", "");
  for (int s = 0; s < N_SIZES; s++)
    printf ("  %6zu: ns/el   x prog", sizes[s]);
  printf ("  differ from program\n");
  for (int r = 0; r < N_ROWS; r++)
    {
      printf ("%-32s", row_names[r]);
      for (int s = 0; s < N_SIZES; s++)
        printf ("  %13.3f %8.2f", best[s][r], best[s][r] / best[s][0]);
      printf ("  %zu\n", differ[r]);
    }
  for (int s = 0; s < N_SIZES; s++)
    free (x[s]);
  free (y);
}

int
main (void)
{
  struct type types[] = {
    { "bfloat16", BF16_LO, BF16_HI, bf16_dec, bf16_enc, { bf16_array, bf16_expf, bf16_mvec }, cr_exp_bf16 },
    { "float16", F16_LO, F16_HI, h2f, f2h, { f16_array, f16_expf, f16_mvec }, cr_exp_f16 },
  };
  printf ("ns per element, best of %d repetitions; x prog: the row's time over the program's array loop\n"
          "(above 1: slower than the program); differ: results unlike the correctly rounded program's\n",
          REPS);
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
    bench_type (&types[k]);
  return 0;
}
