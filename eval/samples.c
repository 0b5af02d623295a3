/* samples -- sample sets: special points, binade-stratified and uniform points, their references; values of every type's storage.  */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/helpers.h"
#include "dsl/convert.h"
#include "eval/eval.h"
#include "eval/omp.h"
#include "eval/rng.h"
#include "eval/ulp.h"


/* ---- values of a type's storage ---- */

size_t
eval_type_size (dsl_type y)
{
  return (size_t) dsl_type_bits (y) / 8;
}

uint64_t
eval_value_bits (dsl_type y, const void *in, size_t i)
{
  return dsl_bits_at (y, in, i);
}

double
eval_value (dsl_type y, const void *in, size_t i)
{
  return dsl_value_of_bits (y, eval_value_bits (y, in, i));
}

void
eval_store_value (dsl_type y, void *out, size_t i, double v)
{
  uint64_t b = dsl_bits_of_value (y, v);
  switch (dsl_type_bits (y))
    {
    case 64: ((uint64_t *) out)[i] = b; break;
    case 32: ((uint32_t *) out)[i] = (uint32_t) b; break;
    case 16: ((uint16_t *) out)[i] = (uint16_t) b; break;
    default: ((uint8_t *) out)[i] = (uint8_t) b; break;
    }
}

uint64_t
eval_key_of (dsl_type y, double v)
{
  int w = dsl_type_bits (y);
  uint64_t b = dsl_bits_of_value (y, v), top = UINT64_C (1) << (w - 1), all = w == 64 ? ~UINT64_C (0) : (top << 1) - 1;
  return (b & top) ? ~b & all : b | top;
}

double
eval_value_of_key (dsl_type y, uint64_t k)
{
  int w = dsl_type_bits (y);
  uint64_t top = UINT64_C (1) << (w - 1), all = w == 64 ? ~UINT64_C (0) : (top << 1) - 1;
  return dsl_value_of_bits (y, (k & top) ? k ^ top : ~k & all);
}

/* ---- filling ---- */

/* Fills V[0..M) (values of type Y) with keys of [KLO, KHI]: the same count
   (give or take one) in every binade the interval meets, uniform over bit
   patterns inside.  */
static void
fill_stratified (an_rng *r, dsl_type y, uint64_t klo, uint64_t khi, double *v, size_t m)
{
  int sh = dsl_type_info (y)->p - 1;
  uint64_t b0 = klo >> sh, nb = (khi >> sh) - b0 + 1;
  size_t i = 0;
  for (uint64_t b = 0; b < nb; b++)
    {
      /* Spread the remainder evenly: binade b gets floor((b+1)m/nb) - floor(bm/nb).  */
      size_t count = (size_t) ((b + 1) * m / nb - b * m / nb);
      uint64_t lo = (b0 + b) << sh, hi = lo | ((UINT64_C (1) << sh) - 1);
      if (lo < klo)
        lo = klo;
      if (hi > khi)
        hi = khi;
      for (size_t c = 0; c < count; c++)
        v[i++] = eval_value_of_key (y, lo + an_rng_below (r, hi - lo + 1));
    }
}

/* Fills V[0..M) with values uniform in [LO, HI], rounded to type Y.  */
static void
fill_uniform (an_rng *r, dsl_type y, double lo, double hi, double *v, size_t m)
{
  for (size_t i = 0; i < m; i++)
    {
      double x = dsl_value_of_bits (y, dsl_bits_of_value (y, lo + (hi - lo) * an_rng_unit (r)));
      v[i] = x < lo ? lo : x > hi ? hi : x;
    }
}

/* ---- points stratified over the binades of f's value ----

   The ULP metric is relative to f, so the hard inputs are where |f| is small against the terms
   that make it up: around a zero of f away from 0 (ln at 1, lgamma at 1 and 2), where the
   binades of x say nothing about f's.  These points give every binade of f's value (and
   sign) the same share: f is tabulated on a grid of the domain (a few points per binade of
   x), each output binade is reached in the grid cells whose values straddle it, and the
   keys of a cell whose value lies in the binade are found by bisection (f monotone inside a
   cell; where it is not, the points still fall in the cell).  */

#define GRID_MAX 4096

typedef struct {
  int sign, e;           /* the stratum: values of sign SIGN (+1, -1) with |v| in [2^e, 2^(e+1)) */
  int cell;              /* a grid cell reaching it */
  uint64_t ka, kb;       /* the keys inside the cell whose value is in the stratum */
} out_stratum;

static double
ref_value (const eval_target *t, dsl_type y, uint64_t k)
{
  double x = eval_value_of_key (y, k), hi, lo;
  eval_ref_dd (t, &x, &hi, &lo);
  return hi + lo;
}

/* The first key of [A, B] at which (f >= C) == UP, the predicate holding from there to B
   (f monotone on the cell): bisection; B + 1 if there is none.  */
static uint64_t
first_key (const eval_target *t, dsl_type y, uint64_t a, uint64_t b, double c, int up)
{
  uint64_t lo = a, hi = b + 1;   /* the answer is in [lo, hi] */
  while (lo < hi)
    {
      uint64_t mid = lo + (hi - lo) / 2;
      double v = ref_value (t, y, mid);
      if (!isnan (v) && (v >= c) == up)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Fills V[0..M) with points whose values spread evenly over the binades (and signs) of f
   that the domain [KLO, KHI] reaches; returns how many were written (fewer when f's
   values could not be tabulated: the caller fills the rest).  */
static size_t
fill_output_stratified (const eval_target *t, dsl_type y, uint64_t klo, uint64_t khi, an_rng *r, double *v, size_t m)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  int sh = ti->p - 1;
  uint64_t nb = (khi >> sh) - (klo >> sh) + 1;
  uint64_t per = nb * 4 <= GRID_MAX ? 4 : 1, step = (nb + GRID_MAX - 1) / GRID_MAX;
  size_t ng = 0;
  uint64_t *gk = malloc ((GRID_MAX + 2) * sizeof *gk);
  double *gv = malloc ((GRID_MAX + 2) * sizeof *gv);
  size_t cap = 1024, ns = 0, done = 0;
  out_stratum *st = malloc (cap * sizeof *st);
  if (!gk || !gv || !st || m == 0)
    goto out;
  /* The grid: every binade's first key and PER - 1 keys inside it (or every STEP-th
     binade's first key), then KHI.  */
  for (uint64_t b = klo >> sh; b <= khi >> sh; b += step)
    for (uint64_t q = 0; q < per; q++)
      {
        uint64_t k = (b << sh) + (q << sh) / per;
        if (k >= klo && k <= khi && (ng == 0 || k > gk[ng - 1]) && ng < GRID_MAX)
          gk[ng++] = k;
      }
  if (ng == 0 || gk[0] != klo)
    {
      memmove (gk + 1, gk, ng * sizeof *gk);
      gk[0] = klo, ng++;
    }
  if (gk[ng - 1] != khi)
    gk[ng++] = khi;
  for (size_t i = 0; i < ng; i++)
    gv[i] = ref_value (t, y, gk[i]);
  /* The strata each cell reaches: the binades between its end values (down to the
     smallest subnormal where it crosses zero).  */
  int emin = ti->submin, emax = ti->emax;
  for (size_t i = 0; i + 1 < ng; i++)
    {
      double a = gv[i], b = gv[i + 1];
      if (!isfinite (a) || !isfinite (b) || a == b)
        continue;
      for (int sign = -1; sign <= 1; sign += 2)
        {
          double sa = sign * a, sb = sign * b, top = fmax (sa, sb), bot = fmin (sa, sb);
          if (!(top > 0))
            continue;
          int e0 = bot > 0 ? ilogb (bot) : emin, e1 = ilogb (top);
          e0 = e0 < emin ? emin : e0;
          e1 = e1 > emax ? emax : e1;
          for (int e = e0; e <= e1; e++)
            {
              if (ns == cap)
                {
                  out_stratum *n2 = realloc (st, 2 * cap * sizeof *st);
                  if (!n2)
                    goto out;
                  st = n2, cap *= 2;
                }
              st[ns++] = (out_stratum) { sign, e, (int) i, 0, 0 };
            }
        }
    }
  /* The keys of each (stratum, cell) pair whose value lies in the stratum; pairs with none
     (the binades below 2^-24 near ln's zero at 1: no float32 x gives them) are dropped.  */
  size_t keep = 0;
  for (size_t q = 0; q < ns; q++)
    {
      out_stratum *o = &st[q];
      uint64_t ca = gk[o->cell], cb = gk[o->cell + 1];
      double lo = o->sign * ldexp (1, o->e), hi = o->sign * ldexp (1, o->e + 1);
      double vmin = fmin (lo, hi), vmax = fmax (lo, hi);
      int inc = gv[o->cell + 1] > gv[o->cell];
      /* Increasing: from the first key with f >= vmin to before the first with f >= vmax;
         decreasing: from the first with f < vmax to before the first with f < vmin.  */
      uint64_t s0 = first_key (t, y, ca, cb, inc ? vmin : vmax, inc);
      uint64_t s1 = first_key (t, y, ca, cb, inc ? vmax : vmin, inc);
      if (s0 < s1 && s0 <= cb)
        {
          o->ka = s0, o->kb = s1 - 1 > cb ? cb : s1 - 1;
          st[keep++] = *o;
        }
    }
  ns = keep;
  if (ns == 0)
    goto out;
  /* The distinct strata, numbered in order of first appearance (SLOT: by sign and
     binade); each gets an equal share of the M points, spread over its cells.  BY lists
     the pairs stratum by stratum (FIRST[S] .. FIRST[S + 1]).  */
  int nstrata = 0, nslot = 2 * (emax - emin + 1);
  int *sid = malloc (ns * sizeof *sid), *first = calloc (ns + 1, sizeof *first), *by = malloc (ns * sizeof *by);
  int *slot = malloc ((size_t) nslot * sizeof *slot);
  if (!sid || !first || !by || !slot)
    {
      free (sid), free (first), free (by), free (slot);
      goto out;
    }
  for (int q = 0; q < nslot; q++)
    slot[q] = -1;
  for (size_t i = 0; i < ns; i++)
    {
      int *id = &slot[(st[i].sign > 0) * (emax - emin + 1) + st[i].e - emin];
      if (*id < 0)
        *id = nstrata++;
      sid[i] = *id;
      first[sid[i] + 1]++;
    }
  free (slot);
  for (int q = 0; q < nstrata; q++)
    first[q + 1] += first[q];
  int *at = malloc ((size_t) nstrata * sizeof *at);
  if (!at)
    {
      free (sid), free (first), free (by);
      goto out;
    }
  memcpy (at, first, (size_t) nstrata * sizeof *at);
  for (size_t i = 0; i < ns; i++)
    by[at[sid[i]]++] = (int) i;
  free (at);
  for (size_t i = 0; i < m; i++)
    {
      /* Stratum S gets points i with i nstrata / m = S; a random one of its cells.  */
      int s = (int) ((uint64_t) i * (uint64_t) nstrata / m);
      const out_stratum *o = &st[by[first[s] + (int) an_rng_below (r, (uint64_t) (first[s + 1] - first[s]))]];
      v[done++] = eval_value_of_key (y, o->ka + an_rng_below (r, o->kb - o->ka + 1));
    }
  free (first);
  free (by);
  free (sid);
out:
  free (gk);
  free (gv);
  free (st);
  return done;
}

/* Fisher-Yates, so that every prefix of a block is spread over the binades
   and, for arity > 1, coordinates are paired independently.  */
static void
shuffle (an_rng *r, double *v, size_t m)
{
  for (size_t i = m; i > 1; i--)
    {
      size_t j = an_rng_below (r, i);
      double t = v[i - 1];
      v[i - 1] = v[j];
      v[j] = t;
    }
}

/* Writes the fixed points (special points inside D, rounded to the type,
   then the domain ends, or the box corners for arity > 1) as the first
   points of X, at most N.  Returns how many.  */
static size_t
put_fixed_points (const eval_target *t, dsl_type y, const eval_domain *d, double **x, size_t n)
{
  size_t k = 0;
  if (t->arity == 1)
    {
      uint64_t klo = eval_key_of (y, d->lo[0]), khi = eval_key_of (y, d->hi[0]);
      enum { MAXSPECIAL = 64 };   /* the table has about ten per target */
      double cand[MAXSPECIAL + 2];
      int nc = 0;
      for (int i = 0; i < t->nspecial && nc < MAXSPECIAL; i++)
        cand[nc++] = dsl_value_of_bits (y, dsl_bits_of_value (y, t->special[i]));
      cand[nc++] = d->lo[0];
      cand[nc++] = d->hi[0];
      for (int i = 0; i < nc && k < n; i++)
        {
          uint64_t kc = eval_key_of (y, cand[i]);
          int dup = 0;
          for (size_t q = 0; q < k; q++)
            dup |= eval_key_of (y, x[0][q]) == kc;
          if (kc >= klo && kc <= khi && !dup)
            x[0][k++] = cand[i];
        }
      return k;
    }
  for (unsigned corner = 0; corner < 1u << t->arity && k < n; corner++, k++)
    for (int j = 0; j < t->arity; j++)
      x[j][k] = (corner >> j) & 1 ? d->hi[j] : d->lo[j];
  return k;
}

/* Every value of the box D, in increasing key order (the last argument
   fastest), into X; N is their count.  */
static void
put_all_points (dsl_type y, int arity, const eval_domain *d, double **x, size_t n)
{
  uint64_t klo[EVAL_MAXARITY], cnt[EVAL_MAXARITY];
  for (int j = 0; j < arity; j++)
    {
      klo[j] = eval_key_of (y, d->lo[j]);
      cnt[j] = eval_key_of (y, d->hi[j]) - klo[j] + 1;
    }
  for (size_t i = 0; i < n; i++)
    {
      uint64_t rest = i;
      for (int j = arity - 1; j >= 0; j--)
        {
          x[j][i] = eval_value_of_key (y, klo[j] + rest % cnt[j]);
          rest /= cnt[j];
        }
    }
}

/* The number of values of type Y in the box D (saturated at SIZE_MAX).  */
size_t
eval_domain_count (dsl_type y, int arity, const eval_domain *d)
{
  double total = 1;
  for (int j = 0; j < arity; j++)
    total *= (double) (eval_key_of (y, d->hi[j]) - eval_key_of (y, d->lo[j])) + 1;
  return total >= 0x1p62 ? SIZE_MAX : (size_t) total;
}

int
eval_threads (int threads)
{
#ifdef _OPENMP
  return threads > 0 ? threads : omp_get_max_threads ();
#else
  (void) threads;
  return 1;
#endif
}

static void
compute_references (eval_samples *s, int threads)
{
  const eval_target *t = s->target;
  int nt = eval_threads (threads);
  (void) nt;
  OMP (omp parallel for num_threads (nt) schedule (dynamic, 64))
  for (size_t i = 0; i < s->n; i++)
    {
      double x[EVAL_MAXARITY];
      for (int j = 0; j < t->arity; j++)
        x[j] = eval_value (s->type, s->in[j], i);
      eval_ref_dd (t, x, &s->ref_hi[i], &s->ref_lo[i]);
    }
}

/* An error naming the first of points [FROM, S->n) whose reference did not
   resolve (eval_ref_dd: NaN), or 0.  */
static int
check_resolved (const eval_samples *s, size_t from, dsl_error *err)
{
  for (size_t i = from; i < s->n; i++)
    if (isnan (s->ref_hi[i]))
      {
        char at[96];
        int len = 0;
        for (int j = 0; j < s->target->arity; j++)
          len += snprintf (at + len, sizeof at - (size_t) len, "%s%a", j ? ", " : "",
                           eval_value (s->type, s->in[j], i));
        return dsl_error_set (err, "target %s: the reference does not resolve at (%s): a point outside the "
                              "function's domain, a singularity, or an exact value the enclosure cannot prove",
                              s->target->label, at);
      }
  return 0;
}

/* Whether S holds every value of its box once, in the order put_all_points writes them.  */
static int
holds_all_points (const eval_samples *s)
{
  int arity = s->target->arity;
  if (s->n != eval_domain_count (s->type, arity, &s->dom))
    return 0;
  uint64_t klo[EVAL_MAXARITY], cnt[EVAL_MAXARITY];
  for (int j = 0; j < arity; j++)
    {
      klo[j] = eval_key_of (s->type, s->dom.lo[j]);
      cnt[j] = eval_key_of (s->type, s->dom.hi[j]) - klo[j] + 1;
    }
  for (size_t i = 0; i < s->n; i++)
    {
      uint64_t rest = i;
      for (int j = arity - 1; j >= 0; j--)
        {
          if (eval_key_of (s->type, eval_value (s->type, s->in[j], i)) != klo[j] + rest % cnt[j])
            return 0;
          rest /= cnt[j];
        }
    }
  return 1;
}

eval_samples *
eval_samples_alloc (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, dsl_error *err)
{
  if (!dsl_type_supported (y))
    return dsl_error_set (err, "unknown type %d", (int) y), NULL;
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
    ok &= (s->in[j] = malloc (n * eval_type_size (y))) != NULL;
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
  if (t->vectors)
    return eval_softmax_from (t, y, d, seed, n, in[0], ref_hi, ref_lo, out, err);
  eval_samples *s = eval_samples_alloc (t, y, d, n, seed, err);
  if (!s)
    return -1;
  for (int j = 0; j < t->arity; j++)
    memcpy (s->in[j], in[j], n * eval_type_size (y));
  memcpy (s->ref_hi, ref_hi, n * sizeof (double));
  memcpy (s->ref_lo, ref_lo, n * sizeof (double));
  s->complete = holds_all_points (s);
  *out = s;
  return 0;
}

int
eval_samples_build (const eval_target *t, dsl_type y, const eval_domain *d, size_t n,
                    uint64_t seed, int threads, eval_samples **out /* OUT */, dsl_error *err)
{
  *out = NULL;
  /* The domain is checked first (before the count).  */
  if (eval_domain_check (t, y, d, err))
    return -1;
  if (t->vectors)
    return eval_softmax_build (t, y, d, n, seed, threads, out, err);
  size_t all = eval_domain_count (y, t->arity, d);
  if (all <= n)
    n = all;
  eval_samples *s = eval_samples_alloc (t, y, d, n, seed, err);
  double *x[EVAL_MAXARITY] = {NULL};
  int ok = s != NULL;
  for (int j = 0; ok && j < t->arity; j++)
    ok = (x[j] = malloc (n * sizeof **x)) != NULL;
  if (!ok)
    {
      for (int j = 0; j < EVAL_MAXARITY; j++)
        free (x[j]);
      eval_samples_free (s);
      return s ? dsl_error_set (err, "out of memory for %zu sample points", n) : -1;
    }
  if (n == all)
    put_all_points (y, t->arity, d, x, n);
  else
    {
      /* After the fixed points: a third stratified over the binades of x, a third
         (one argument) over the binades of f's value, a third uniform in value; each
         block shuffled.  */
      size_t nfixed = put_fixed_points (t, y, d, x, n);
      size_t rest = n - nfixed, nout = t->arity == 1 ? rest / 3 : 0;
      size_t nunif = (rest - nout) / 2, nstrat = rest - nout - nunif;
      an_rng r;
      an_rng_seed (&r, seed);
      for (int j = 0; j < t->arity; j++)
        {
          double *v = x[j] + nfixed;
          uint64_t klo = eval_key_of (y, d->lo[j]), khi = eval_key_of (y, d->hi[j]);
          double *vo = v + rest - nunif - nout;
          size_t got = nout ? fill_output_stratified (t, y, klo, khi, &r, vo, nout) : 0;
          size_t ns = nstrat + nout - got;   /* with what f's values could not place */
          if (got)
            memmove (v + ns, vo, got * sizeof *v);
          fill_stratified (&r, y, klo, khi, v, ns);
          shuffle (&r, v, ns);
          shuffle (&r, v + ns, got);
          fill_uniform (&r, y, d->lo[j], d->hi[j], v + ns + got, nunif);
        }
    }
  for (int j = 0; j < t->arity; j++)
    {
      for (size_t i = 0; i < n; i++)
        eval_store_value (y, s->in[j], i, x[j][i]);
      free (x[j]);
    }
  compute_references (s, threads);
  if (check_resolved (s, 0, err) < 0)
    {
      eval_samples_free (s);
      return -1;
    }
  s->complete = n == all;
  *out = s;
  return 0;
}

int
eval_timing_points (dsl_type y, const eval_domain *d, int arity, size_t n, uint64_t seed, void **x /* OUT */,
                    dsl_error *err)
{
  an_rng r;
  an_rng_seed (&r, seed);
  for (int j = 0; j < arity; j++)
    x[j] = NULL;
  double *v = malloc ((n ? n : 1) * sizeof *v);
  for (int j = 0; v && j < arity; j++)
    {
      if (!(x[j] = malloc ((n ? n : 1) * eval_type_size (y))))
        break;
      fill_uniform (&r, y, d->lo[j], d->hi[j], v, n);
      for (size_t i = 0; i < n; i++)
        eval_store_value (y, x[j], i, v[i]);
    }
  int ok = v && (arity == 0 || x[arity - 1]);
  free (v);
  if (!ok)
    {
      for (int j = 0; j < arity; j++)
        free (x[j]), x[j] = NULL;
      return dsl_error_set (err, "out of memory for %zu timing points", n);
    }
  return 0;
}

int
eval_samples_add (eval_samples *s, const double *const *x, size_t k, dsl_error *err)
{
  const eval_target *t = s->target;
  if (s->nvec)
    return dsl_error_set (err, "a set of softmax vectors takes no single points");
  size_t n = s->n + k, sz = eval_type_size (s->type);
  for (int j = 0; j < t->arity; j++)
    {
      void *v = realloc (s->in[j], n * sz);
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
        {
          eval_store_value (s->type, s->in[j], s->n + i, x[j][i]);
          xd[j] = x[j][i];
        }
      eval_ref_dd (t, xd, &s->ref_hi[s->n + i], &s->ref_lo[s->n + i]);
    }
  size_t from = s->n;
  s->n = n;
  s->complete = 0;   /* a point twice */
  if (check_resolved (s, from, err) < 0)
    {
      s->n = from;   /* the new points are dropped */
      return -1;
    }
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
  free (s->vend);
  free (s->logit);
  free (s->p2);
  free (s);
}

double
eval_round_to (dsl_type y, double v)
{
  return isnan (v) ? v : dsl_value_of_bits (y, dsl_bits_of_value (y, v));
}
