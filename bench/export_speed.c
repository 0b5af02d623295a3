/* export_speed -- ns per element of exported programs, three ways, against hand-written kernels, glibc and libmvec, in one run.

   Built and run by bench/export_speed.sh, which writes rows.h: for every program,
   its exported function as shipped (a separate object: NAME and, when the file has
   one, NAME_array), the loops of export_speed_loops.c (the file inlined, the hand
   kernel, libmvec) and the glibc function.  Inputs are uniform in value over each
   program's domain, and again restricted to the inputs whose glibc result is a
   normal float: on Intel x86 a float multiply with a subnormal result takes a
   microcode assist (without flush-to-zero, which only -ffast-math programs get), and
   8.6% of the exp domain has subnormal results, enough to hit most 16-float vectors:
   hand_expf's loop takes 0.37 ns per element on the normal-result inputs and 3.3 ns
   over the whole domain (gcc 12, Xeon, AVX-512).  Every variant
   of every row, input set and size is timed once per repetition, repetitions
   interleaved, and the best time is kept: the machines are shared, so compare ratios
   within one run.  */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hand_act.h" /* geluf, the libm column of GELU rows */
#include "rows.h"   /* ES_ROWS (X): X (name, label, hand, libm, lo, hi, has_array, insns, hand_insns) */

typedef void loop_fn (const float *x, float *y, size_t n);
typedef float scalar_fn (float);

/* Declarations of what the other objects define.  */
#define ES_ARRAY_DECL_0(name)
#define ES_ARRAY_DECL_1(name) loop_fn name##_array;
#define ES_ARRAY_0(name) NULL
#define ES_ARRAY_1(name) name##_array
#define ES_DECLARE(name, label, hand, libm, lo, hi, has_array, insns, hand_insns) \
  scalar_fn name;                                                                   \
  loop_fn es_inline_##name, es_hand_##hand, es_mvec_##libm;                         \
  ES_ARRAY_DECL_##has_array (name)
ES_ROWS (ES_DECLARE)

enum variant { V_INLINE, V_ARRAY, V_SCALAR, V_HAND, V_GLIBC, V_MVEC, N_VARIANTS };

/* The input arrays: each input set at each size.  */
enum { N_SIZES = 2, N_SETS = 2, N_CASES = N_SETS * N_SIZES };
static const size_t sizes[N_SIZES] = { 4096, 65536 };
static const char *const set_names[N_SETS] = {
  "uniform over each program's domain",
  "uniform over each program's domain, only inputs whose glibc result is a normal float",
};

struct row
{
  const char *label, *libm_name;
  float lo, hi;
  loop_fn *loop[N_VARIANTS];   /* NULL: not available (an exported file without NAME_array) */
  scalar_fn *scalar, *libm;    /* called through call_loop for V_SCALAR and V_GLIBC */
  int insns, hand_insns;
  float *x[N_CASES];           /* the inputs of each case */
  double best[N_CASES][N_VARIANTS];
};

static void call_loop (const float *x, float *y, size_t n);

#define ES_ROW(name, label, hand, libm, lo, hi, has_array, insns, hand_insns)            \
  { label, #libm, lo, hi,                                                                 \
    { es_inline_##name, ES_ARRAY_##has_array (name), call_loop, es_hand_##hand, call_loop, \
      es_mvec_##libm },                                                                   \
    name, libm, insns, hand_insns, { NULL }, { { 0 } } },
static struct row rows[] = { ES_ROWS (ES_ROW) };
#define N_ROWS (sizeof rows / sizeof rows[0])

#define ELEMENTS_PER_TIMING (1 << 20)   /* each timing runs a loop over this many elements in all */

/* The function V_SCALAR and V_GLIBC call, loaded again for every element: never inlined,
   never vectorised, a real call per element.  */
static scalar_fn *volatile called;

static void __attribute__ ((noinline))
call_loop (const float *x, float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = called (x[i]);
}

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static double
ns_per_element (const struct row *r, enum variant v, const float *x, float *y, size_t n)
{
  called = v == V_GLIBC ? r->libm : r->scalar;
  size_t reps = ELEMENTS_PER_TIMING / n;
  double t0 = now ();
  for (size_t k = 0; k < reps; k++)
    r->loop[v] (x, y, n);
  return (now () - t0) / (double) (reps * n) * 1e9;
}

/* Uniform in value over [lo, hi], from a fixed LCG (the same inputs in every run);
   if f, only the x where f (x) is a normal float.  */
static float *
inputs (float lo, float hi, size_t n, scalar_fn *f, const char *label)
{
  float *x = malloc (n * sizeof *x);
  if (!x)
    {
      perror ("export_speed");
      exit (2);
    }
  uint32_t seed = 1;
  for (size_t i = 0, tries = 0; i < n; tries++)
    {
      if (tries > 1000 * n)
        {
          fprintf (stderr, "export_speed: %s: almost no input of the domain has a normal result\n", label);
          exit (2);
        }
      seed = seed * 1664525u + 1013904223u;
      float t = lo + (hi - lo) * ((float) (seed >> 8) * 0x1p-24f);
      t = t > hi ? hi : t;
      if (!f || fpclassify (f (t)) == FP_NORMAL)
        x[i++] = t;
    }
  return x;
}

static void
print_cell (double t)
{
  if (t > 0)
    printf (" %7.3f", t);
  else
    printf (" %7s", "n/a");
}

static void
print_ratio (double a, double b)
{
  if (a > 0 && b > 0)
    printf (" %10.2f", a / b);
  else
    printf (" %10s", "n/a");
}

static void
print_table (int c, int reps)
{
  printf ("\nn = %zu floats, %s; ns per element, best of %d\n", sizes[c % N_SIZES], set_names[c / N_SIZES], reps);
  printf ("%-48s %-7s |%24s |%24s |%44s | %s\n", "", "", "exported (ns) ", "peers (ns)    ", "ratios                 ",
          "instructions");
  printf ("%-48s %-7s | %7s %7s %7s | %7s %7s %7s | %10s %10s %10s %10s | %s\n", "program", "libm", "inline", "array",
          "scalar", "hand", "glibc", "libmvec", "inl/hand", "mvec/inl", "array/inl", "scal/glibc", "exported/hand");
  for (size_t i = 0; i < N_ROWS; i++)
    {
      const struct row *r = &rows[i];
      const double *b = r->best[c];
      printf ("%-48s %-7s |", r->label, r->libm_name);
      print_cell (b[V_INLINE]);
      print_cell (b[V_ARRAY]);
      print_cell (b[V_SCALAR]);
      printf (" |");
      print_cell (b[V_HAND]);
      print_cell (b[V_GLIBC]);
      print_cell (b[V_MVEC]);
      printf (" |");
      print_ratio (b[V_INLINE], b[V_HAND]);
      print_ratio (b[V_MVEC], b[V_INLINE]);
      print_ratio (b[V_ARRAY], b[V_INLINE]);
      print_ratio (b[V_SCALAR], b[V_GLIBC]);
      printf (" | %d/%d\n", r->insns, r->hand_insns);
    }
}

int
main (void)
{
  const char *env = getenv ("REPS");
  int reps = env ? atoi (env) : 15;
  if (reps < 1)
    reps = 1;
  float *y = malloc (sizes[N_SIZES - 1] * sizeof *y);
  if (!y)
    return 2;
  for (size_t i = 0; i < N_ROWS; i++)
    for (int c = 0; c < N_CASES; c++)
      {
        struct row *r = &rows[i];
        r->x[c] = inputs (r->lo, r->hi, sizes[c % N_SIZES], c / N_SIZES ? r->libm : NULL, r->label);
        for (int v = 0; v < N_VARIANTS; v++)
          r->best[c][v] = r->loop[v] ? INFINITY : -1.0;
      }
  for (int rep = -1; rep < reps; rep++)   /* rep -1 warms up */
    for (int c = 0; c < N_CASES; c++)
      for (size_t i = 0; i < N_ROWS; i++)
        for (int v = 0; v < N_VARIANTS; v++)
          {
            struct row *r = &rows[i];
            if (!r->loop[v])
              continue;
            double t = ns_per_element (r, (enum variant) v, r->x[c], y, sizes[c % N_SIZES]);
            if (rep >= 0 && t < r->best[c][v])
              r->best[c][v] = t;
          }
  for (int c = 0; c < N_CASES; c++)
    print_table (c, reps);
  printf ("\ninline: the exported file included after #define AN_LINKAGE static inline, in a loop y[i] = NAME (x[i]);\n"
          "array: NAME_array (x, y, n) from the file compiled as shipped (n/a: the file has none); scalar: NAME as\n"
          "shipped, called per element through a volatile function pointer.  hand: the hand-written kernel in the same\n"
          "loop as inline; glibc: the libm function called like scalar; libmvec: the loop compiled with -ffast-math.\n"
          "Ratios above 1: the first is slower.  instructions: of the scalar NAME as shipped and of the hand kernel\n"
          "compiled alone (objdump -d).\n");
  for (size_t i = 0; i < N_ROWS; i++)
    for (int c = 0; c < N_CASES; c++)
      free (rows[i].x[c]);
  free (y);
  return 0;
}
