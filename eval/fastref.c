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

void
eval_fastref_init (eval_fastref *r, const eval_target *t)
{
  r->t = t;
  r->vec = NULL;
  r->relerr = t->fast ? t->fast_relerr : 0;
#ifdef FASTREF_MVEC
  if (!use_vector || !t->vector || t->arity != 1)
    return;
  pthread_once (&mvec_once, mvec_open);
  if (!mvec_lib)
    return;
  char name[64];
  snprintf (name, sizeof name, "_ZGVdN4v_%s", t->vector);
  r->vec = dlsym (mvec_lib, name);
  if (r->vec)
    r->relerr = EVAL_VECTOR_RELERR;
#endif
}

void
eval_fastref_run (const eval_fastref *r, const double *x, double *y, size_t n)
{
#ifdef FASTREF_MVEC
  if (r->vec)
    {
      mvec_run (r->vec, x, y, n);
      return;
    }
#endif
  for (size_t i = 0; i < n; i++)
    y[i] = r->t->fast (r->t, &x[i]);
}
