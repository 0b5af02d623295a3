/* cmd_bench -- `autonum bench`: time a program's compiled C against functions of shared libraries, like for like.  */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "cli/cli.h"
#include "eval/ulp.h"
#include "search/search.h"

#ifndef AN_BENCH_CFLAGS
#define AN_BENCH_CFLAGS "-O3"
#endif

static const char bench_help[] =
  "usage: autonum bench PROGRAM [--baseline LIB:FUNC]... [--n N] [--reps R] [--seed S]\n"
  "                             [--target T] [--type Y] [--domain LO:HI] [--threads N]\n"
  "Compiles PROGRAM's exported C (lowered for the domain) and times it on N points uniform in\n"
  "value over the domain (default 65536; as arrays of typical data are), then times every\n"
  "baseline on the same points: function FUNC of shared library LIB (a soname or a path, e.g.\n"
  "libm.so.6:expf or libsleef.so.3:Sleef_expf_u10) with the program's signature (float(float),\n"
  "double(double), uint16_t(uint16_t) for the 16-bit types' patterns, ...; or of two arguments).\n"
  "Prints ns per element, best of R repetitions (default 10), three\n"
  "ways: loop (the program's array entry point, NAME_array, a loop the file vectorises; a\n"
  "library function called once per element in a loop), call (every function called once per\n"
  "element through a function pointer, the program not inlined) and ffi (every function called\n"
  "once per element through libffi); the ratio of each row's time to the program's; and each\n"
  "function's max ULP error on N sample points (special points, half stratified over binades,\n"
  "half uniform in value; sampled, not verified).\n";

#define BENCH_DEFAULT_N 65536
#define BENCH_DEFAULT_REPS 10
/* Elements per timing: a third of a millisecond at 0.3 ns per element (a
   vectorised loop), far above the clock's resolution; under 0.1 s at 80 ns
   (a libffi call), short enough to interleave the rows.  */
#define BENCH_ELEMENTS (1 << 20)

/* The ways a function is timed.  */
enum { BENCH_LOOP, BENCH_CALL, BENCH_FFI, BENCH_NWAYS };

typedef struct {
  const char *label;
  eval_native *f;
  eval_loop_fn loop;       /* the program's inlined array loop; NULL for a baseline */
  void *fn;                /* the function itself, called through a pointer */
  double ns[BENCH_NWAYS];  /* best ns per element; a baseline's loop is its call */
  double max_ulp;
} bench_row;


/* One call per element through FN, as code calling a library function
   does: T (*) (T) or T (*) (T, T) for the storage type T of the values.  */
#define CALL_LOOP(T)                                                   \
  static void __attribute__ ((noinline))                               \
  call_loop_##T (void *fn, int arity, size_t n, const void *const *in, void *out) \
  {                                                                    \
    const T *x = in[0], *y = in[arity > 1];                            \
    T *r = out;                                                        \
    if (arity == 1)                                                    \
      {                                                                \
        T (*f) (T);                                                    \
        memcpy (&f, &fn, sizeof f);                                    \
        for (size_t i = 0; i < n; i++)                                 \
          r[i] = f (x[i]);                                             \
      }                                                                \
    else                                                               \
      {                                                                \
        T (*f) (T, T);                                                 \
        memcpy (&f, &fn, sizeof f);                                    \
        for (size_t i = 0; i < n; i++)                                 \
          r[i] = f (x[i], y[i]);                                       \
      }                                                                \
  }
CALL_LOOP (float)
CALL_LOOP (double)
CALL_LOOP (uint16_t)
CALL_LOOP (uint8_t)

/* noinline above: the loop must stay the same whichever function it times.  */
static void
call_loop (dsl_type y, void *fn, int arity, size_t n, const void *const *in, void *out)
{
  switch (dsl_type_bits (y))
    {
    case 64: call_loop_double (fn, arity, n, in, out); break;
    case 32: call_loop_float (fn, arity, n, in, out); break;
    case 16: call_loop_uint16_t (fn, arity, n, in, out); break;
    default: call_loop_uint8_t (fn, arity, n, in, out); break;
    }
}

static void
run_row (bench_row *r, dsl_type y, int way, int arity, size_t n, const void *const *in, void *out)
{
  if (way == BENCH_FFI)
    eval_native_run (r->f, n, in, out);
  else if (way == BENCH_LOOP && r->loop)
    r->loop (n, in, out);
  else
    call_loop (y, r->fn, arity, n, in, out);
}

/* Times R every way once and keeps the best of each.  */
static void
time_row (bench_row *r, dsl_type y, int arity, size_t n, const void *const *in, void *out)
{
  size_t inner = BENCH_ELEMENTS / n ? BENCH_ELEMENTS / n : 1;
  for (int way = r->loop ? BENCH_LOOP : BENCH_CALL; way < BENCH_NWAYS; way++)
    {
      double t0 = search_now ();
      for (size_t k = 0; k < inner; k++)
        run_row (r, y, way, arity, n, in, out);
      r->ns[way] = fmin (r->ns[way], (search_now () - t0) * 1e9 / ((double) inner * (double) n));
    }
  if (!r->loop)
    r->ns[BENCH_LOOP] = r->ns[BENCH_CALL];
}

static double
max_ulp (const eval_samples *s, const void *y)
{
  const dsl_typeinfo *ti = dsl_type_info (s->type);
  double m = 0;
  for (size_t i = 0; i < s->n; i++)
    m = fmax (m, fabs (eval_error (EVAL_ULP, ti, eval_value (s->type, y, i), s->ref_hi[i], s->ref_lo[i])));
  return m;
}

/* The C that is timed: the exported program, inlinable, with a libffi
   entry point and an array loop around it (eval_native_program).  */
static int
compile_program (const cli_job *job, bench_row *r)
{
  dsl_error e;
  eval_loop_fn loop;
  if (eval_native_program (job->prog, &job->dom, AN_BENCH_CFLAGS, &r->f, &loop, NULL, &e) < 0)
    return cli_error ("bench: %s", e.msg);
  r->fn = eval_native_symbol (r->f, EVAL_NATIVE_CALL);
  if (!r->fn)
    return cli_error ("bench: the compiled program lacks its entry point");
  r->loop = loop;
  return 0;
}

/* Opens baseline SPEC, "LIB:FUNC" (split at the last colon: LIB may be a path).  */
static int
open_baseline (const char *spec, const cli_job *job, bench_row *r)
{
  const char *colon = strrchr (spec, ':');
  if (!colon || colon == spec || !colon[1])
    return cli_error ("bench: --baseline needs LIB:FUNC (e.g. libm.so.6:expf), not '%s'", spec), CLI_USAGE;
  char *lib = strndup (spec, (size_t) (colon - spec));
  if (!lib)
    return cli_error ("out of memory");
  dsl_error e;
  int rc = eval_native_open (lib, colon + 1, job->type, job->target->arity, &r->f, &e);
  free (lib);
  if (rc < 0)
    return cli_error ("bench: baseline %s: %s", spec, e.msg);
  r->fn = eval_native_symbol (r->f, colon + 1);
  r->label = spec;
  return 0;
}

/* Runs every row once outside the timings: fills in their errors and checks
   that the compiled program returns the interpreter's bits.  */
static int
check_rows (const cli_job *job, const eval_samples *s, bench_row *rows, int nrows, void *out, void *want)
{
  const void *const *in = (const void *const *) s->in;
  int arity = job->target->arity;
  if (dsl_run (job->prog, s->n, in, want) < 0)
    return cli_error ("out of memory");
  for (int k = 0; k < nrows; k++)
    {
      /* A baseline's loop is its call: each different way once.  */
      for (int way = rows[k].loop ? BENCH_LOOP : BENCH_CALL; way < BENCH_NWAYS; way++)
        {
          run_row (&rows[k], job->type, way, arity, s->n, in, out);
          for (size_t i = 0; k == 0 && i < s->n; i++)
            if (eval_value_bits (job->type, out, i) != eval_value_bits (job->type, want, i))
              {
                char x[96];
                cli_format_input (job->type, eval_value_bits (job->type, in[0], i), x, sizeof x);
                static const char *const how[BENCH_NWAYS] = {"array loop", "call", "libffi call"};
                return cli_error ("bench: the compiled program (%s) returns 0x%llx at x = %s where the interpreter "
                                  "returns 0x%llx", how[way], (unsigned long long) eval_value_bits (job->type, out, i),
                                  x, (unsigned long long) eval_value_bits (job->type, want, i));
              }
        }
      /* The program's ways agree bit for bit (above); a baseline's call the same function.  */
      rows[k].max_ulp = max_ulp (s, out);
    }
  return 0;
}

static void
print_table (const cli_job *job, const eval_samples *s, const bench_row *rows, int nrows, long long reps)
{
  printf ("target: %s (%s)  type: %s  domain: ", job->target->label, job->target->formula, dsl_type_name (job->type));
  cli_print_domain (stdout, job->target, &job->dom);
  printf ("\nprogram: %s (%d instructions, cost %g)\n", job->source, job->prog->ninsn, dsl_prog_cost (job->prog, job->dom.lo, job->dom.hi));
  printf ("inputs: timed on %zu points uniform in value over the domain, errors on %zu sample points (seed %llu),\n"
          "the same for every function; best of %lld repetitions\n", s->n, s->n, (unsigned long long) s->seed, reps);
  printf ("compiler: %s %s (the program)\n\n", AN_CC, AN_BENCH_CFLAGS);
  printf ("%-32s %10s %6s %10s %6s %10s %6s %12s\n", "function", "loop ns/el", "x", "call ns/el", "x", "ffi ns/el",
          "x", "max ULP");
  for (int k = 0; k < nrows; k++)
    {
      printf ("%-32s", rows[k].label);
      for (int way = 0; way < BENCH_NWAYS; way++)
        printf (" %10.3f %6.2f", rows[k].ns[way], rows[k].ns[way] / rows[0].ns[way]);
      printf (" %12.6g\n", rows[k].max_ulp);
    }
  printf ("\nloop: the program's array entry point NAME_array (its kernel inlined into a loop that compilers\n"
          "vectorise); a library function called once per element in such a loop.\n"
          "call: every function called once per element through a function pointer (the program not inlined).\n"
          "ffi: every function called once per element through libffi (ffi_call), the same path for all.\n"
          "x: the row's ns per element over the program's, per column (above 1: slower than the program).\n"
          "max ULP: sampled on the %zu points above, not verified.\n", s->n);
}

int
cmd_bench (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("bench",
                      CLI_O_PROGRAM CLI_O_SEED CLI_O_THREADS CLI_O_BASELINE CLI_O_BENCH, argc,
                      argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (bench_help, stdout), CLI_OK);
  cli_job job;
  if ((rc = cli_job_load (&o, 1, &job)))
    return cli_job_free (&job), rc;
  if (job.target->arity > 2)
    return cli_job_free (&job), cli_error ("bench: %s takes %d arguments; bench times functions of 1 or 2",
                                           job.target->label, job.target->arity);
  int nrows = 1 + o.nbaseline;
  bench_row rows[1 + CLI_MAX_BASELINES];
  memset (rows, 0, sizeof rows);
  rows[0].label = "program";
  eval_samples *s = NULL;
  void *out = NULL, *want = NULL;
  dsl_error e;
  rc = compile_program (&job, &rows[0]);
  for (int k = 1; rc == 0 && k < nrows; k++)
    rc = open_baseline (o.baseline[k - 1], &job, &rows[k]);
  size_t n = o.n ? (size_t) o.n : BENCH_DEFAULT_N;
  if (rc == 0 && eval_samples_build (job.target, job.type, &job.dom, n, o.seed, o.threads, &s, &e) < 0)
    rc = cli_error ("%s", e.msg);
  if (rc == 0 && (!(out = malloc (n * eval_type_size (job.type))) || !(want = malloc (n * eval_type_size (job.type)))))
    rc = cli_error ("out of memory");
  if (rc == 0)
    rc = check_rows (&job, s, rows, nrows, out, want);
  long long reps = o.reps ? o.reps : BENCH_DEFAULT_REPS;
  void *x[EVAL_MAXARITY] = {NULL};
  if (rc == 0 && eval_timing_points (job.type, &job.dom, job.target->arity, n, o.seed, x, &e) < 0)
    rc = cli_error ("%s", e.msg);
  if (rc == 0)
    {
      for (int k = 0; k < nrows; k++)
        for (int way = 0; way < BENCH_NWAYS; way++)
          rows[k].ns[way] = INFINITY;
      /* Interleaved: a slow spell of a shared machine hits every row alike.  */
      for (long long r = 0; r < reps; r++)
        for (int k = 0; k < nrows; k++)
          time_row (&rows[k], job.type, job.target->arity, n, (const void *const *) x, out);
      print_table (&job, s, rows, nrows, reps);
    }
  for (int j = 0; j < EVAL_MAXARITY; j++)
    free (x[j]);
  for (int k = 0; k < nrows; k++)
    eval_native_free (rows[k].f);
  free (out);
  free (want);
  eval_samples_free (s);
  cli_job_free (&job);
  return rc;
}
