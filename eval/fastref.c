/* fastref -- a target's fast double reference over batches: glibc's libmvec where it has the function.

   The exhaustive verifier needs f(x) in double for about 2^31 inputs, and
   calling T->fast (a libm function behind a pointer) once per input was 40%
   of its time.  On x86-64 glibc ships 4-lane AVX2 versions of the same
   functions in libmvec (_ZGVdN4v_exp, ...), which compute four values per
   call.  They are looked up at run time (dlopen, dlsym), so that nothing
   changes where libmvec, the function or AVX2 is missing: there T->fast is
   called point by point.  */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "eval/eval.h"

#if defined __x86_64__ && defined __GLIBC__ && defined __GNUC__
#define FASTREF_MVEC 1
#include <dlfcn.h>
#include <pthread.h>
#endif

static int use_vector = 1;

void
eval_fastref_vector (int on)
{
  use_vector = on;
}

#ifdef FASTREF_MVEC
typedef double v4d __attribute__ ((vector_size (32)));
typedef v4d (*mvec_fn) (v4d);

static void *mvec_lib;
static pthread_once_t mvec_once = PTHREAD_ONCE_INIT;

static void
mvec_open (void)
{
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx2"))
    mvec_lib = dlopen ("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
}

/* Four at a time, the last group padded with a copy of its first value.
   The AVX2 target makes v4d travel in ymm registers, as the vector ABI of
   the _ZGVd variants requires.  */
__attribute__ ((target ("avx2"))) static void
mvec_run (void *fn, const double *x, double *y, size_t n)
{
  mvec_fn f = (mvec_fn) fn;
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    {
      v4d v;
      memcpy (&v, x + i, sizeof v);
      v = f (v);
      memcpy (y + i, &v, sizeof v);
    }
  if (i < n)
    {
      double in[4], out[4];
      for (size_t j = 0; j < 4; j++)
        in[j] = x[i + (i + j < n ? j : 0)];
      v4d v;
      memcpy (&v, in, sizeof v);
      v = f (v);
      memcpy (out, &v, sizeof v);
      memcpy (y + i, out, (n - i) * sizeof *y);
    }
}
#endif

void *
eval_mvec_lookup (const char *name)
{
#ifdef FASTREF_MVEC
  if (!use_vector)
    return NULL;
  pthread_once (&mvec_once, mvec_open);
  if (!mvec_lib)
    return NULL;
  char sym[64];
  snprintf (sym, sizeof sym, "_ZGVdN4v_%s", name);
  return dlsym (mvec_lib, sym);
#else
  (void) name;
  return NULL;
#endif
}

void
eval_mvec_run (void *f, const double *x, double *y, size_t n)
{
#ifdef FASTREF_MVEC
  mvec_run (f, x, y, n);
#else
  (void) f, (void) x, (void) y, (void) n;
#endif
}

void
eval_fastref_init (eval_fastref *r, const eval_target *t)
{
  r->t = t;
  r->vec = NULL;
  r->relerr = t->fast ? t->fast_relerr : 0;
  if (t->vector && t->arity == 1 && (r->vec = eval_mvec_lookup (t->vector)))
    r->relerr = EVAL_VECTOR_RELERR;
}

void
eval_fastref_run (const eval_fastref *r, const double *x, double *y, size_t n)
{
  if (r->vec)
    {
      eval_mvec_run (r->vec, x, y, n);
      return;
    }
  /* An FPCore target in batches; point by point if memory runs out.  */
  if (r->t->expr && eval_expr_fast_batch (r->t->expr, x, y, n) == 0)
    return;
  for (size_t i = 0; i < n; i++)
    y[i] = r->t->fast (r->t, &x[i]);
}
