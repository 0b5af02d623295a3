/* bench_interp -- instruction-evaluations per second of the batch interpreter, per core.

   Runs a program (default: tests/progs/exp_cw.anp) over 2^22 inputs of
   [-87, 88] several times on one thread and prints the best rate, with the
   per-op mix, so that it can be compared between builds and machines.  */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dsl/dsl.h"
#include "eval/rng.h"

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

int
main (int argc, char **argv)
{
  const char *path = argc > 1 ? argv[1] : "tests/progs/exp_cw.anp";
  FILE *f = fopen (path, "rb");
  if (!f)
    return perror (path), 1;
  static char text[1 << 16];
  text[fread (text, 1, sizeof text - 1, f)] = '\0';
  fclose (f);
  dsl_prog *p;
  dsl_error e;
  if (dsl_parse (text, DSL_FLOAT32, 1, &p, &e) < 0)
    return fprintf (stderr, "%s:%d:%d: %s\n", path, e.line, e.col, e.msg), 1;
  size_t n = (size_t) 1 << 22;
  float *x = malloc (n * sizeof *x), *y = malloc (n * sizeof *y);
  an_rng r;
  an_rng_seed (&r, 1);
  for (size_t i = 0; i < n; i++)
    x[i] = (float) (-87 + 175 * an_rng_unit (&r));
  const void *in[1] = {x};
  dsl_interp *c = dsl_interp_new (p);
  double best = 1e30;
  for (int rep = 0; rep < 7; rep++)
    {
      double t0 = now ();
      dsl_interp_run (c, n, in, y);
      double dt = now () - t0;
      best = dt < best ? dt : best;
    }
  printf ("program: %s (%d instructions)\n", path, p->ninsn);
  printf ("interpreter: %.3g instruction-evaluations/s on one core (%.2f ns per point, best of 7 runs of %zu points)\n",
          (double) n * p->ninsn / best, best / (double) n * 1e9, n);
  dsl_interp_free (c);
  dsl_prog_free (p);
  free (x);
  free (y);
  return 0;
}
