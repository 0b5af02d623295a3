/* softmax -- the softmax target: its test vectors, their MPFR reference, and
   the two- and three-pass forms of dsl/softmax_form.h applied to a kernel's
   outputs, exactly as the exported functions compute them.

   A sample set of the softmax target holds the elements of whole vectors:
   IN[0][i] is the kernel's input r_i of element i (two-pass form), P2[i]
   its scale 2^n_i, LOGIT the elements themselves (what the store keeps),
   and REF the correctly rounded softmax output of each element.  Every
   error figure is that of the softmax outputs.  */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "dsl/helpers.h"
#include "dsl/softmax_form.h"
#include "eval/eval.h"
#include "eval/omp.h"
#include "eval/rng.h"
#include "eval/ulp.h"


/* ---- the vectors ---- */

/* Lengths a set draws from: short rows, powers of two and their neighbours,
   attention-sized rows and beyond.  */
static const size_t lengths[] = {2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 100, 128, 255, 256, 1000, 1024,
                                 2047, 4096, 10000, 65536, 100003};
#define NLENGTHS (sizeof lengths / sizeof lengths[0])

int
eval_softmax_lengths (size_t n, uint64_t seed, size_t *nvec, size_t **end, dsl_error *err)
{
  *nvec = 0;
  *end = NULL;
  if (n < 2)
    return dsl_error_set (err, "a softmax sample set needs at least 2 elements (one vector of 2)");
  /* At most N/2 vectors.  */
  size_t cap = n / 2 + 1, k = 0, at = 0;
  size_t *e = malloc (cap * sizeof *e);
  if (!e)
    return dsl_error_set (err, "out of memory for %zu vectors", cap);
  an_rng r;
  an_rng_seed (&r, seed ^ 0x6c656e67746873u);   /* a stream of its own: lengths follow from N and SEED alone */
  /* Rounds over the lengths up to N/4 (so that a set holds several vectors), each
     round shuffled, with the lengths up to 4096 eight times each: many rows of
     attention sizes beside a few long ones.  */
  size_t pool[8 * NLENGTHS], np = 0;
  for (size_t i = 0; i < NLENGTHS; i++)
    for (int c = 0; c < (lengths[i] <= 4096 ? 8 : 1); c++)
      if (lengths[i] <= (n / 4 > 2 ? n / 4 : 2))
        pool[np++] = lengths[i];
  while (n - at >= 2)
    {
      for (size_t i = np; i > 1; i--)
        {
          size_t j = an_rng_below (&r, i), t = pool[i - 1];
          pool[i - 1] = pool[j], pool[j] = t;
        }
      for (size_t i = 0; i < np && n - at >= 2; i++)
        {
          size_t len = pool[i] <= n - at ? pool[i] : n - at;
          if (n - at - len == 1)
            len++;   /* no vector of one */
          at += len;
          e[k++] = at;
        }
    }
  if (at < n)   /* N - AT == 1 only when N was; not reached for N >= 2 */
    e[k - 1] = n;
  *nvec = k;
  *end = e;
  return 0;
}

/* Standard normal (Box-Muller).  */
static double
normal (an_rng *r)
{
  double u = an_rng_unit (r), v = an_rng_unit (r);
  return sqrt (-2 * log (1 - u)) * cos (2 * M_PI * v);
}

/* The elements X[0..M-1] of vector number V, values of Y: one of several
   logits-like families, by V.  */
static void
fill_vector (dsl_type y, an_rng *r, size_t v, double *x, size_t m)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  static const double scales[] = {0.25, 1, 3, 8, 20};
  double sigma = scales[an_rng_below (r, 5)];
  switch (v % 9)
    {
    case 0:   /* logits of a few scales */
      for (size_t i = 0; i < m; i++)
        x[i] = sigma * normal (r);
      break;
    case 1:   /* a large common offset (the shift does not matter) */
      {
        static const double offs[] = {50, 300, 1000, 1e4, 1e6, -700, -3e4};
        double mu = offs[an_rng_below (r, 7)] * (an_rng_below (r, 2) ? 1 : -1);
        for (size_t i = 0; i < m; i++)
          x[i] = mu + sigma * normal (r);
        break;
      }
    case 2:   /* one dominant element */
      {
        static const double lead[] = {4, 12, 30, 80, 120};
        for (size_t i = 0; i < m; i++)
          x[i] = normal (r);
        x[an_rng_below (r, m)] += lead[an_rng_below (r, 5)];
        break;
      }
    case 3:   /* many equal elements: one value, or a few */
      {
        double c[3] = {sigma * normal (r), sigma * normal (r), sigma * normal (r)};
        int kinds = 1 + (int) an_rng_below (r, 3);
        for (size_t i = 0; i < m; i++)
          x[i] = c[an_rng_below (r, (uint64_t) kinds)];
        break;
      }
    case 4:   /* very negative tails, down to where e^x underflows and past it */
      {
        static const double far[] = {-60, -87, -100, -104, -110, -150, -1e4, -1e30};
        for (size_t i = 0; i < m; i++)
          {
            uint64_t u = an_rng_below (r, 10);
            x[i] = u < 6 ? 2 * normal (r) : u < 9 ? far[an_rng_below (r, 6)] * (0.9 + 0.2 * an_rng_unit (r))
                                                  : far[6 + an_rng_below (r, 2)];
          }
        if (m > 2 && an_rng_below (r, 4) == 0)
          x[an_rng_below (r, m)] = -INFINITY;
        break;
      }
    case 5:   /* the largest spreads: magnitudes over the whole exponent range, both signs */
      for (size_t i = 0; i < m; i++)
        {
          double e = ti->submin + an_rng_unit (r) * (ti->emax + 1 - ti->submin);
          x[i] = (an_rng_below (r, 2) ? 1 : -1) * fmin (ldexp (1 + an_rng_unit (r), (int) floor (e)), ti->max);
        }
      if (an_rng_below (r, 2))
        x[an_rng_below (r, m)] = an_rng_below (r, 2) ? ti->max : -ti->max;
      break;
    case 6:   /* uniform over a spread around the underflow threshold */
      {
        static const double spread[] = {20, 87, 104, 150, 400};
        double a = spread[an_rng_below (r, 5)];
        for (size_t i = 0; i < m; i++)
          x[i] = -a * an_rng_unit (r);
        break;
      }
    case 8:   /* a dominant element and the others at reduced arguments r spread over the kernel's
                 domain: their outputs' errors are e(r_i) - e(r_0), e the kernel's relative error,
                 the form's worst case */
      {
        double k0 = 8 + (double) an_rng_below (r, 33);
        x[0] = M_LN2 * (k0 + an_rng_unit (r) - 0.5);
        for (size_t i = 1; i < m; i++)
          x[i] = M_LN2 * (k0 - 8 - (double) an_rng_below (r, 93) + an_rng_unit (r) - 0.5);
        break;
      }
    default:   /* near-ties: a value and its neighbours a few units in the last place away */
      {
        double c = sigma * normal (r) * (an_rng_below (r, 2) ? 1 : 100);
        c = eval_round_to (y, c);
        for (size_t i = 0; i < m; i++)
          {
            int64_t k = (int64_t) an_rng_below (r, 9) - 4;
            uint64_t key = eval_key_of (y, c) + (uint64_t) k;
            x[i] = eval_value_of_key (y, key);
          }
        break;
      }
    }
  for (size_t i = 0; i < m; i++)
    {
      double v = eval_round_to (y, x[i]);
      x[i] = isinf (v) && !isinf (x[i]) ? copysign (ti->max, x[i]) : v;
    }
}

/* ---- the reference ---- */

/* *HI + *LO = A / D (MPFR values).  */
static void
quotient_dd (mpfr_t q, const mpfr_t a, const mpfr_t d, double *hi, double *lo)
{
  mpfr_div (q, a, d, MPFR_RNDN);
  *hi = mpfr_get_d (q, MPFR_RNDN);
  mpfr_sub_d (q, q, *hi, MPFR_RNDN);
  *lo = mpfr_get_d (q, MPFR_RNDN);
}

/* The correctly rounded softmax of X[0..M-1] (values of a type of at most
   32 bits, or -inf) as double-doubles HI + LO.  */
static void
reference_vector (const double *x, size_t m, double *hi, double *lo)
{
  double max = -INFINITY;
  for (size_t i = 0; i < m; i++)
    max = x[i] > max ? x[i] : max;
  mpfr_t d, s, q;
  mpfr_inits2 (320, d, (mpfr_ptr) 0);   /* x - max exactly: float32 values span 2^-149 .. 2^128 */
  mpfr_inits2 (200, s, q, (mpfr_ptr) 0);
  mpfr_set_zero (s, 1);
  mpfr_t *ex = malloc (m * sizeof *ex);
  for (size_t i = 0; i < m; i++)
    {
      mpfr_init2 (ex[i], 200);
      if (isinf (x[i]))
        mpfr_set_zero (ex[i], 1);
      else
        {
          mpfr_set_d (d, x[i], MPFR_RNDN);
          mpfr_sub_d (d, d, max, MPFR_RNDN);
          mpfr_exp (ex[i], d, MPFR_RNDN);
        }
      mpfr_add (s, s, ex[i], MPFR_RNDN);
    }
  for (size_t i = 0; i < m; i++)
    {
      quotient_dd (q, ex[i], s, &hi[i], &lo[i]);
      mpfr_clear (ex[i]);
    }
  free (ex);
  mpfr_clears (d, s, q, (mpfr_ptr) 0);
}

/* ---- the forms ---- */

void
eval_softmax_inputs (dsl_type y, eval_softmax_form form, size_t nvec, const size_t *end, const void *x, void *r,
                     double *p2)
{
  size_t from = 0;
  for (size_t v = 0; v < nvec; from = end[v++])
    {
      int out = 0, anynan = 0;
      float max = -INFINITY, s = 0;
      for (size_t i = from; i < end[v]; i++)
        {
          float xi = (float) eval_value (y, x, i);
          out |= an_sm_outside (xi);
          anynan |= xi != xi;
          max = xi > max ? xi : max;
        }
      if (form == EVAL_SOFTMAX_THREE_PASS)
        s = an_sm_max (max, anynan);
      else if (out)
        s = an_sm_shift (max, anynan);
      int three = form == EVAL_SOFTMAX_THREE_PASS;
      for (size_t i = from; i < end[v]; i++)
        {
          int o = 0;
          int32_t n;
          float xi = (float) eval_value (y, x, i);
          float rf = three || s != 0 ? an_sm_reduce (xi, s, &n, &o) : an_sm_reduce0 (xi, &n, &o);
          eval_store_value (y, r, i, eval_round_to (y, rf));
          p2[i] = isnan (s) ? NAN : an_sm_pow2 (n);   /* NaN: every output NaN */
        }
    }
}

void
eval_softmax_outputs (dsl_type y, eval_softmax_form form, size_t nvec, const size_t *end, const double *p2,
                      const double *k, double *out, int round)
{
  size_t from = 0;
  for (size_t v = 0; v < nvec; from = end[v++])
    {
      double acc[AN_SM_LANES] = {0};
      for (size_t i = from; i < end[v]; i++)
        {
          double e = k[i] * p2[i];
          if (form == EVAL_SOFTMAX_THREE_PASS)
            {
              /* The exponentials are stored in Y first, and summed as stored.  */
              e = round ? eval_round_to (y, e) : e;
              out[i] = e;
            }
          acc[(i - from) % AN_SM_LANES] += e;
        }
      double inv = 1 / an_sm_total (acc);
      for (size_t i = from; i < end[v]; i++)
        {
          double e = form == EVAL_SOFTMAX_THREE_PASS ? out[i] : k[i] * p2[i];
          double q = e * inv;
          out[i] = round ? eval_round_to (y, (float) q) : q;
        }
    }
}

/* ---- sample sets ---- */

/* S's inputs and scales from its logits (two-pass form).  */
static void
derive_inputs (eval_samples *s)
{
  eval_softmax_inputs (s->type, EVAL_SOFTMAX_TWO_PASS, s->nvec, s->vend, s->logit, s->in[0], s->p2);
}

/* An empty set of N elements in NVEC vectors ending before VEND[v] (malloc'd; the set
   takes it, freed on failure too).  */
static eval_samples *
vectors_of (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, size_t nvec,
            size_t *vend, dsl_error *err)
{
  if (!t->has_domain[y])
    return free (vend), dsl_error_set (err, "target %s has no %s version (softmax: float32, bfloat16, float16)",
                                       t->label, dsl_type_name (y)), NULL;
  eval_samples *s = eval_samples_alloc (t, y, d, n, seed, err);
  if (!s)
    return free (vend), NULL;
  s->nvec = nvec;
  s->vend = vend;
  s->logit = malloc (n * eval_type_size (y));
  s->p2 = malloc (n * sizeof *s->p2);
  if (!vend || !s->logit || !s->p2)
    {
      eval_samples_free (s);
      return dsl_error_set (err, "out of memory for %zu softmax elements", n), NULL;
    }
  return s;
}

/* An empty set of N elements in vectors of the lengths N and SEED give.  */
static eval_samples *
vectors_alloc (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, dsl_error *err)
{
  size_t nvec, *vend;
  if (eval_softmax_lengths (n, seed, &nvec, &vend, err) < 0)
    return NULL;
  return vectors_of (t, y, d, n, seed, nvec, vend, err);
}

size_t
eval_softmax_vector_of (const eval_samples *s, size_t i)
{
  size_t v = 0;
  while (s->vend[v] <= i)
    v++;
  return v;
}

int
eval_softmax_build (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, int threads,
                    eval_samples **out, dsl_error *err)
{
  *out = NULL;
  eval_samples *s = vectors_alloc (t, y, d, n < 2 ? 2 : n, seed, err);
  if (!s)
    return -1;
  n = s->n;
  double *x = malloc (n * sizeof *x);
  if (!x)
    return eval_samples_free (s), dsl_error_set (err, "out of memory for %zu softmax elements", n);
  an_rng r;
  an_rng_seed (&r, seed);
  size_t from = 0;
  for (size_t v = 0; v < s->nvec; from = s->vend[v++])
    fill_vector (y, &r, v, x + from, s->vend[v] - from);
  for (size_t i = 0; i < n; i++)
    eval_store_value (y, s->logit, i, x[i]);
  int nt = eval_threads (threads);
  (void) nt;
  OMP (omp parallel for num_threads (nt) schedule (dynamic, 1))
  for (size_t v = 0; v < s->nvec; v++)
    {
      size_t a = v ? s->vend[v - 1] : 0;
      reference_vector (x + a, s->vend[v] - a, s->ref_hi + a, s->ref_lo + a);
    }
  free (x);
  derive_inputs (s);
  *out = s;
  return 0;
}

int
eval_softmax_from (const eval_target *t, dsl_type y, const eval_domain *d, uint64_t seed, size_t n,
                   const void *logit, const double *ref_hi, const double *ref_lo, eval_samples **out, dsl_error *err)
{
  *out = NULL;
  eval_samples *s = vectors_alloc (t, y, d, n, seed, err);
  if (!s)
    return -1;
  memcpy (s->logit, logit, n * eval_type_size (y));
  memcpy (s->ref_hi, ref_hi, n * sizeof *ref_hi);
  memcpy (s->ref_lo, ref_lo, n * sizeof *ref_lo);
  derive_inputs (s);
  *out = s;
  return 0;
}

void
eval_softmax_run (const eval_samples *s, dsl_interp *c, void *y)
{
  double *k = malloc (s->n * sizeof *k);
  if (!k)
    {
      /* No memory: every output NaN, which no bound accepts.  */
      for (size_t i = 0; i < s->n; i++)
        eval_store_value (s->type, y, i, NAN);
      return;
    }
  const void *in[EVAL_MAXARITY] = {s->in[0]};
  dsl_interp_run_f64 (c, s->n, in, k);
  eval_softmax_outputs (s->type, EVAL_SOFTMAX_TWO_PASS, s->nvec, s->vend, s->p2, k, k, 1);
  for (size_t i = 0; i < s->n; i++)
    eval_store_value (s->type, y, i, k[i]);
  free (k);
}

/* ---- verification ---- */

/* The verification vectors of each type, built once per process.  */
static eval_samples *vset[DSL_NTYPES];
static pthread_mutex_t vset_lock = PTHREAD_MUTEX_INITIALIZER;

int
eval_softmax_vectors (const eval_target *t, dsl_type y, int threads, const eval_samples **out, dsl_error *err)
{
  pthread_mutex_lock (&vset_lock);
  int rc = 0;
  if (!vset[y])
    rc = eval_softmax_build (t, y, &t->domain[y], EVAL_SOFTMAX_VERIFY_N, EVAL_SOFTMAX_SEED, threads, &vset[y], err);
  pthread_mutex_unlock (&vset_lock);
  *out = vset[y];
  return rc;
}

int
eval_softmax_score (const dsl_prog *p, const eval_samples *s, eval_softmax_form form, double *y,
                    dsl_error *err)
{
  size_t n = s->n, sz = eval_type_size (s->type);
  void *r = malloc (n * sz);
  double *p2 = malloc (n * sizeof *p2);
  dsl_interp *c = dsl_interp_new (p);
  if (!r || !p2 || !c)
    {
      free (r), free (p2), dsl_interp_free (c);
      return dsl_error_set (err, "out of memory for %zu softmax elements", n);
    }
  eval_softmax_inputs (s->type, form, s->nvec, s->vend, s->logit, r, p2);
  const void *in[EVAL_MAXARITY] = {r};
  dsl_interp_run_f64 (c, n, in, y);   /* the kernel's values as the forms use them */
  eval_softmax_outputs (s->type, form, s->nvec, s->vend, p2, y, y, 1);
  free (r), free (p2);
  dsl_interp_free (c);
  return 0;
}

/* ---- a bound for every vector ---- */

#define RANGE_BATCH 4096

/* The least (SIGN -1) or largest (SIGN 1) error seen and where: ties go to the least r,
   so that the place does not depend on the order of the threads.  */
typedef struct {
  double e, r;
} extreme;

static void
extreme_add (extreme *a, int sign, double e, double r)
{
  if (sign * e > sign * a->e || (e == a->e && r < a->r))
    a->e = e, a->r = r;
}

int
eval_softmax_kernel_range (const dsl_prog *p, const eval_target *t, const eval_domain *d, int threads,
                           eval_softmax_range *out, dsl_error *err)
{
  dsl_type y = p->type;
  uint64_t k0 = eval_key_of (y, d->lo[0]), k1 = eval_key_of (y, d->hi[0]);
  uint64_t nb = (k1 - k0) / RANGE_BATCH + 1;
  /* The least and largest over the domain, and over r <= 0.  */
  extreme ex[4] = {{INFINITY, 0}, {-INFINITY, 0}, {INFINITY, 0}, {-INFINITY, 0}};
  int failed = 0, anynan = 0, nt = eval_threads (threads);
  (void) nt;
  eval_fastref ref;
  eval_fastref_init (&ref, t);
  OMP (omp parallel num_threads (nt) reduction (| : failed, anynan))
  {
    extreme mine[4] = {{INFINITY, 0}, {-INFINITY, 0}, {INFINITY, 0}, {-INFINITY, 0}};
    dsl_interp *c = dsl_interp_new (p);
    size_t sz = eval_type_size (y);
    void *in = malloc (RANGE_BATCH * sz);
    double *kout = malloc (RANGE_BATCH * sizeof *kout), *x = malloc (RANGE_BATCH * sizeof *x), *f = malloc (RANGE_BATCH * sizeof *f);
    failed |= !c || !in || !kout || !x || !f;
    OMP (omp for schedule (dynamic, 16))
    for (uint64_t b = 0; b < nb; b++)
      {
        if (failed)
          continue;
        uint64_t a = k0 + b * RANGE_BATCH, m = k1 - a + 1 < RANGE_BATCH ? k1 - a + 1 : RANGE_BATCH;
        for (uint64_t i = 0; i < m; i++)
          {
            x[i] = eval_value_of_key (y, a + i);
            eval_store_value (y, in, i, x[i]);
          }
        const void *ins[EVAL_MAXARITY] = {in};
        dsl_interp_run_f64 (c, m, ins, kout);
        eval_fastref_run (&ref, x, f, m);
        /* In increasing r: on a tie, the first (least) r stays.  */
        for (uint64_t i = 0; i < m; i++)
          {
            double e = kout[i] / f[i] - 1;
            anynan |= e != e;
            if (e < mine[0].e)
              mine[0].e = e, mine[0].r = x[i];
            if (e > mine[1].e)
              mine[1].e = e, mine[1].r = x[i];
            if (x[i] <= 0 && e < mine[2].e)
              mine[2].e = e, mine[2].r = x[i];
            if (x[i] <= 0 && e > mine[3].e)
              mine[3].e = e, mine[3].r = x[i];
          }
      }
    OMP (omp critical)
    for (int k = 0; k < 4; k++)
      extreme_add (&ex[k], k % 2 ? 1 : -1, mine[k].e, mine[k].r);
    dsl_interp_free (c);
    free (in), free (kout), free (x), free (f);
  }
  if (failed)
    return dsl_error_set (err, "out of memory for the kernel's error range");
  /* The double reference's own error (at most ref.relerr) widens the range.  */
  out->emin = anynan ? -INFINITY : ex[0].e - 2 * ref.relerr;
  out->emax = anynan ? INFINITY : ex[1].e + 2 * ref.relerr;
  out->rmin = ex[0].r, out->rmax = ex[1].r;
  out->nrmin = ex[2].r, out->nrmax = ex[3].r;
  return 0;
}

/* The m of the adversary's vectors (eval_softmax_adversary): 1 .. 4096, then 2^k (1 + j/4)
   up to 2^20.  */
#define ADV_SMALL 4096
#define ADV_NM EVAL_SOFTMAX_ADVERSARY_M

static size_t
adversary_m (int i)
{
  return i < ADV_SMALL ? (size_t) i + 1 : (size_t) (4 + (i - ADV_SMALL) % 4) << (10 + (i - ADV_SMALL) / 4);
}

int
eval_softmax_adversary (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_softmax_form form,
                        const eval_softmax_range *rg, double *worst, size_t *m, double *lone, double *rep,
                        dsl_error *err)
{
  dsl_type y = p->type;
  int three = form == EVAL_SOFTMAX_THREE_PASS;
  size_t at = three ? 2 : 1;           /* the first repeated element */
  double r0 = three ? rg->nrmin : rg->rmin, r1 = three ? rg->nrmax : rg->rmax;
  *worst = 0, *m = 0, *lone = r1, *rep = r0;
  mpfr_t ea, eb, den, q;
  mpfr_inits2 (200, ea, eb, den, q, (mpfr_ptr) 0);
  int rc = 0;
  for (int role = 0; role < 2 && rc == 0; role++)
    {
      double ra = role ? r1 : r0, rb = role ? r0 : r1;
      mpfr_set_d (ea, ra, MPFR_RNDN);
      mpfr_exp (ea, ea, MPFR_RNDN);
      mpfr_set_d (eb, rb, MPFR_RNDN);
      mpfr_exp (eb, eb, MPFR_RNDN);
      /* The vectors in batches of about 2^21 elements.  */
      for (int first = 0, last; first < ADV_NM && rc == 0; first = last)
        {
          size_t n = 0;
          for (last = first; last < ADV_NM && (last == first || n + at + adversary_m (last) <= ((size_t) 1 << 21)); last++)
            n += at + adversary_m (last);
          eval_samples *s = vectors_of (t, y, d, n, 0, (size_t) (last - first),
                                        malloc ((size_t) (last - first) * sizeof (size_t)), err);
          double *yo = malloc (n * sizeof *yo);
          if (!s || !yo)
            {
              rc = s ? dsl_error_set (err, "out of memory for the adversary's vectors") : -1;
              eval_samples_free (s), free (yo);
              break;
            }
          size_t i = 0;
          for (int v = first; v < last; v++)
            {
              size_t m = adversary_m (v);
              mpfr_mul_ui (den, ea, m, MPFR_RNDN);
              mpfr_add (den, den, eb, MPFR_RNDN);
              if (three)
                mpfr_add_ui (den, den, 1, MPFR_RNDN);
              eval_store_value (y, s->logit, i, rb);
              quotient_dd (q, eb, den, &s->ref_hi[i], &s->ref_lo[i]);
              if (three)
                {
                  mpfr_set_ui (q, 1, MPFR_RNDN);
                  eval_store_value (y, s->logit, i + 1, 0);
                  quotient_dd (q, q, den, &s->ref_hi[i + 1], &s->ref_lo[i + 1]);
                }
              for (size_t k = i + at; k < i + at + m; k++)
                {
                  eval_store_value (y, s->logit, k, ra);
                  if (k == i + at)
                    quotient_dd (q, ea, den, &s->ref_hi[k], &s->ref_lo[k]);
                  else
                    s->ref_hi[k] = s->ref_hi[i + at], s->ref_lo[k] = s->ref_lo[i + at];
                }
              i += at + m;
              s->vend[v - first] = i;
            }
          rc = eval_softmax_score (p, s, form, yo, err);
          if (rc == 0)
            {
              eval_score sc;
              eval_score_outputs (s, yo, EVAL_ULP, INFINITY, &sc);
              if (!(sc.max_ulp <= *worst))
                {
                  size_t v = eval_softmax_vector_of (s, sc.worst);
                  *worst = sc.max_ulp;
                  *m = s->vend[v] - (v ? s->vend[v - 1] : 0) - at;
                  *lone = rb, *rep = ra;
                }
            }
          eval_samples_free (s);
          free (yo);
        }
    }
  mpfr_clears (ea, eb, den, q, (mpfr_ptr) 0);
  return rc;
}

double
eval_softmax_bound (dsl_type y, double emin, double emax, double maxlen)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  /* k(r) / e^r lies in [a, b]: c may have either sign, but the same sign everywhere.  */
  double a = 1 + emin, b = 1 + emax;
  if (b < 0)
    {
      double t = -b;
      b = -a;
      a = t;
    }
  if (!(a > 0) || !isfinite (b))
    return INFINITY;
  /* The reduction's error in r (dsl/softmax_form.h: one rounding below 2^-26, the shifted
     path's error term another, ln 2's two parts 2^-29.6 at |n| = 739), and r's rounding to
     a 16-bit type.  */
  double delta = 0x1p-25 + 0x1p-29 + (ti->encode ? ldexp (1, -ti->p - 1) : 0);
  /* The sum's roundings (by lanes, in double), the reciprocal's and the product's.  */
  double sums = (maxlen / AN_SM_LANES + 8) * 0x1p-53 + 0x1p-51;
  double rel = b / a * exp (2 * delta) * (1 + sums) - 1;
  /* A relative error REL before the last rounding is at most REL 2^p ULPs of the output
     (2^(p-1) <= y / ulp < 2^p for a normal output, less for a subnormal one); the 16-bit
     types round through float first.  */
  return 0.5 + ldexp (rel + (ti->encode ? 0x1p-24 : 0), ti->p);
}
