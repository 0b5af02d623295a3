/* samples -- sample sets: special points, binade-stratified and uniform points, their references.  */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "eval/eval.h"
#include "eval/rng.h"
#include "eval/ulp.h"

/* OpenMP directives that vanish without -fopenmp (no unknown-pragma warnings).  */
#ifdef _OPENMP
#define OMP(directive) _Pragma (#directive)
#else
#define OMP(directive)
#endif

/* Fills V[0..M) with keys of [KLO, KHI]: the same count (give or take one)
   in every binade the interval meets, uniform over bit patterns inside.  */
static void
fill_stratified (an_rng *r, uint32_t klo, uint32_t khi, float *v, size_t m)
{
  uint32_t b0 = klo >> 23, nb = (khi >> 23) - b0 + 1;
  size_t i = 0;
  for (uint32_t b = 0; b < nb; b++)
    {
      /* Spread the remainder evenly: binade b gets floor((b+1)m/nb) - floor(bm/nb).  */
      size_t count = (b + 1) * m / nb - b * m / nb;
      uint32_t lo = (b0 + b) << 23, hi = lo | 0x7fffffu;
      if (lo < klo)
        lo = klo;
      if (hi > khi)
        hi = khi;
      for (size_t c = 0; c < count; c++)
        v[i++] = eval_f32_from_bits (dsl_bits_of_key (lo + (uint32_t) an_rng_below (r, (uint64_t) hi - lo + 1)));
    }
}

/* Fills V[0..M) with values uniform in [LO, HI], rounded to float32.  */
static void
fill_uniform (an_rng *r, float lo, float hi, float *v, size_t m)
{
  for (size_t i = 0; i < m; i++)
    {
      float x = (float) ((double) lo + ((double) hi - lo) * an_rng_unit (r));
      v[i] = x < lo ? lo : x > hi ? hi : x;
    }
}

/* Fisher-Yates, so that every prefix of a block is spread over the binades
   and, for arity > 1, coordinates are paired independently.  */
static void
shuffle (an_rng *r, float *v, size_t m)
{
  for (size_t i = m; i > 1; i--)
    {
      size_t j = an_rng_below (r, i);
      float t = v[i - 1];
      v[i - 1] = v[j];
      v[j] = t;
    }
}

/* Writes the fixed points (special points inside D, then the domain ends, or
   the box corners for arity > 1) as the first points of S, at most S->n.
   Returns how many.  */
static size_t
put_fixed_points (eval_samples *s)
{
  const eval_target *t = s->target;
  const eval_domain *d = &s->dom;
  float *in[EVAL_MAXARITY];
  for (int j = 0; j < t->arity; j++)
    in[j] = s->in[j];
  size_t k = 0;
  if (t->arity == 1)
    {
      uint32_t klo = dsl_key_of_bits (eval_f32_bits ((float) d->lo[0])), khi = dsl_key_of_bits (eval_f32_bits ((float) d->hi[0]));
      enum { MAXSPECIAL = 64 };   /* the table has about ten per target */
      float cand[MAXSPECIAL + 2];
      int nc = 0;
      for (int i = 0; i < t->nspecial && nc < MAXSPECIAL; i++)
        cand[nc++] = (float) t->special[i];
      cand[nc++] = (float) d->lo[0];
      cand[nc++] = (float) d->hi[0];
      for (int i = 0; i < nc && k < s->n; i++)
        {
          uint32_t kc = dsl_key_of_bits (eval_f32_bits (cand[i]));
          int dup = 0;
          for (size_t q = 0; q < k; q++)
            dup |= dsl_key_of_bits (eval_f32_bits (in[0][q])) == kc;
          if (kc >= klo && kc <= khi && !dup)
            in[0][k++] = cand[i];
        }
      return k;
    }
  for (unsigned corner = 0; corner < 1u << t->arity && k < s->n; corner++, k++)
    for (int j = 0; j < t->arity; j++)
      in[j][k] = (float) ((corner >> j) & 1 ? d->hi[j] : d->lo[j]);
  return k;
}

static void
compute_references (eval_samples *s, int threads)
{
  const eval_target *t = s->target;
  const float *in[EVAL_MAXARITY];
  for (int j = 0; j < t->arity; j++)
    in[j] = s->in[j];
  int nt = 1;
#ifdef _OPENMP
  nt = threads > 0 ? threads : omp_get_max_threads ();
#endif
  (void) threads;
  (void) nt;
  OMP (omp parallel for num_threads (nt) schedule (dynamic, 64))
  for (size_t i = 0; i < s->n; i++)
    {
      double x[EVAL_MAXARITY];
      for (int j = 0; j < t->arity; j++)
        x[j] = in[j][i];
      eval_ref_dd (t, x, &s->ref_hi[i], &s->ref_lo[i]);
    }
}

/* An empty set of N points (values and references uninitialised).  */
static eval_samples *
samples_alloc (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, dsl_error *err)
{
  if (y != DSL_FLOAT32)
    return dsl_error_set (err, "sample sets support float32 only, not %s", dsl_type_name (y)), NULL;
  if (n == 0)
    return dsl_error_set (err, "a sample set needs at least one point"), NULL;
  eval_samples *s = calloc (1, sizeof *s);
  if (!s)
    return dsl_error_set (err, "out of memory"), NULL;
  s->target = t;
  s->type = y;
  s->dom = *d;
  s->seed = seed;
  s->n = n;
  int ok = 1;
  for (int j = 0; j < t->arity; j++)
    ok &= (s->in[j] = malloc (n * sizeof (float))) != NULL;
  s->ref_hi = malloc (n * sizeof (double));
  s->ref_lo = malloc (n * sizeof (double));
  if (!ok || !s->ref_hi || !s->ref_lo)
    {
      eval_samples_free (s);
      return dsl_error_set (err, "out of memory for %zu sample points", n), NULL;
    }
  return s;
}

int
eval_samples_from (const eval_target *t, dsl_type y, const eval_domain *d, uint64_t seed, size_t n,
                   const void *const *in, const double *ref_hi, const double *ref_lo, eval_samples **out,
                   dsl_error *err)
{
  *out = NULL;
  eval_samples *s = samples_alloc (t, y, d, n, seed, err);
  if (!s)
    return -1;
  for (int j = 0; j < t->arity; j++)
    memcpy (s->in[j], in[j], n * sizeof (float));
  memcpy (s->ref_hi, ref_hi, n * sizeof (double));
  memcpy (s->ref_lo, ref_lo, n * sizeof (double));
  *out = s;
  return 0;
}

int
eval_samples_build (const eval_target *t, dsl_type y, const eval_domain *d, size_t n,
                    uint64_t seed, int threads, eval_samples **out /* OUT */, dsl_error *err)
{
  *out = NULL;
  /* The domain is checked first for float32 (before the count), as the type is for others.  */
  if (y == DSL_FLOAT32 && eval_domain_check (t, y, d, err))
    return -1;
  eval_samples *s = samples_alloc (t, y, d, n, seed, err);
  if (!s)
    return -1;

  size_t nfixed = put_fixed_points (s);
  size_t rest = n - nfixed, nstrat = rest - rest / 2, nunif = rest / 2;
  an_rng r;
  an_rng_seed (&r, seed);
  for (int j = 0; j < t->arity; j++)
    {
      float *v = (float *) s->in[j] + nfixed;
      float lo = (float) d->lo[j], hi = (float) d->hi[j];
      fill_stratified (&r, dsl_key_of_bits (eval_f32_bits (lo)), dsl_key_of_bits (eval_f32_bits (hi)), v, nstrat);
      shuffle (&r, v, nstrat);
      fill_uniform (&r, lo, hi, v + nstrat, nunif);
    }
  compute_references (s, threads);
  *out = s;
  return 0;
}

int
eval_samples_add (eval_samples *s, const float *const *x, size_t k, dsl_error *err)
{
  const eval_target *t = s->target;
  size_t n = s->n + k;
  for (int j = 0; j < t->arity; j++)
    {
      float *v = realloc (s->in[j], n * sizeof *v);
      if (!v)
        return dsl_error_set (err, "out of memory for %zu sample points", n);
      s->in[j] = v;
    }
  double *hi = realloc (s->ref_hi, n * sizeof *hi);
  if (hi)
    s->ref_hi = hi;
  double *lo = hi ? realloc (s->ref_lo, n * sizeof *lo) : NULL;
  if (lo)
    s->ref_lo = lo;
  if (!hi || !lo)
    return dsl_error_set (err, "out of memory for %zu sample points", n);
  for (size_t i = 0; i < k; i++)
    {
      double xd[EVAL_MAXARITY];
      for (int j = 0; j < t->arity; j++)
        ((float *) s->in[j])[s->n + i] = x[j][i], xd[j] = x[j][i];
      eval_ref_dd (t, xd, &s->ref_hi[s->n + i], &s->ref_lo[s->n + i]);
    }
  s->n = n;
  return 0;
}

void
eval_samples_free (eval_samples *s)
{
  if (!s)
    return;
  for (int j = 0; j < EVAL_MAXARITY; j++)
    free (s->in[j]);
  free (s->ref_hi);
  free (s->ref_lo);
  free (s);
}

int
eval_timing_points (const eval_domain *d, int arity, size_t n, uint64_t seed, float **x /* OUT */, dsl_error *err)
{
  an_rng r;
  an_rng_seed (&r, seed);
  for (int j = 0; j < arity; j++)
    x[j] = NULL;
  for (int j = 0; j < arity; j++)
    {
      if (!(x[j] = malloc ((n ? n : 1) * sizeof **x)))
        {
          for (int i = 0; i < j; i++)
            free (x[i]), x[i] = NULL;
          return dsl_error_set (err, "out of memory for %zu timing points", n);
        }
      fill_uniform (&r, (float) d->lo[j], (float) d->hi[j], x[j], n);
    }
  return 0;
}
