/* search -- the generation loop: breed, fit, score in stages, select (NSGA-II with aging), verify.

   A generation makes POPULATION children in parallel.  Child c of generation
   g draws from its own generator seeded by (seed, g, c), and reads only the
   previous population, so the result does not depend on the thread count.
   Scoring is staged: every child is fitted on the small sample; every child
   with a finite error there is measured on the large one (one evaluation,
   cheap next to fitting) and polished on it when within 2x the bound and
   cheaper than every solution; front members within the bound go to 2^18
   points and finally, when cheaper than every solution so far, to the
   exhaustive check.  Where either of the last two finds the program above the
   bound, the input of its largest error joins the samples.  */
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "eval/ulp.h"
#include "hash/hash.h"
#include "search/internal.h"

static int
thread_count (const search_params *p)
{
  if (p->threads > 0)
    return p->threads;
#ifdef _OPENMP
  return omp_get_max_threads ();
#else
  return 1;
#endif
}

/* The error an individual is ranked by: verified, else large-sample, else small-sample.  */
static double
rank_error (const search_indiv *a)
{
  if (a->verified)
    return a->err_verified;
  return isfinite (a->err_large) ? a->err_large : a->err_small;
}

/* The error objective, on a log scale: log2(1 + error), and programs scored
   only on the small sample (far from the bound) in a band behind all others,
   still ordered by their error so that junk never ties with better junk.  */
static double
obj_error (const search_indiv *a)
{
  double e = rank_error (a);
  if (!isfinite (e))
    return 1e9;
  double l = log2 (1 + e);
  return a->verified || isfinite (a->err_large) ? l : 1e6 + l;
}

static int
dominates (const search_indiv *a, const search_indiv *b)
{
  double ea = obj_error (a), eb = obj_error (b);
  return ea <= eb && a->cost <= b->cost && (ea < eb || a->cost < b->cost);
}

static void
indiv_free (search_indiv *a)
{
  dsl_prog_free (a->prog);
  a->prog = NULL;
}

/* The bits of P's float literals, in order, then of its table's entries: what
   constant fitting changes; WIDE[q] (may be NULL) receives each one's width.
   -1 where there are more than MAX.  */
static int
literal_sites (const dsl_prog *p, uint64_t **site, uint8_t *wide, int max)
{
  int n = 0;
  uint8_t *vw = malloc ((size_t) (p->nin + p->ninsn));
  if (!vw || dsl_prog_widths (p, vw, NULL) < 0)
    return free (vw), -1;
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_opinfo *o = dsl_op ((dsl_opcode) p->insn[k].op);
      int w, rw;
      dsl_insn_width (p, k, vw, &w, &rw, NULL);
      for (int q = 0; q < o->arity; q++)
        if (p->insn[k].a[q].is_const && o->arg[q] == DSL_KF)
          {
            if (n == max)
              return free (vw), -1;
            if (wide)
              wide[n] = (uint8_t) (o->wrule == DSL_W_NARROW ? 1 : o->wrule == DSL_W_SAME ? w : 0);
            site[n++] = (uint64_t *) &p->insn[k].a[q].bits;
          }
    }
  free (vw);
  if (n + p->ntab > max)
    return -1;
  for (int t = 0; t < p->ntab; t++)
    {
      if (wide)
        wide[n] = (uint8_t) p->tabw;
      site[n++] = (uint64_t *) &p->tab[t];
    }
  return n;
}

typedef struct {
  int skel_hit, func_hit;
} hits;

/* Takes the cached scores of A's function (its outputs on the probes), the
   small-sample error too when WITH_SMALL.  Returns 1 on a hit.  */
static int
cached_scores (const search_state *s, search_indiv *a, int with_small, hits *h)
{
  hash_entry e;
  a->fkey = hash_functional (a->prog, s->probe, s->P.drop_bits);
  /* Where the large sample is every input its error is the verified one, so it is
     measured on the program itself: a function equal on the 64 probes may differ
     elsewhere (a float16 exp whose last step rounds 8 of 38,370 inputs the other way
     was called verified at another's 0.499989 ULP; it is 0.501).  */
  if (s->large->complete || !hash_cache_peek (s->evals, a->fkey, &e))
    return 0;
  if (with_small)
    a->err_small = e.value[0];
  a->err_large = e.value[1];
  a->mean_large = e.value[2];
  a->ulp_large = e.value[3];
  a->large_points = s->large->n;
  return h->func_hit = 1;
}

/* Scores a candidate through the stages (not verification), using the
   caches as they were at the start of the generation (read-only here).  */
static void
score (const search_state *s, search_indiv *a, an_rng *r, hits *h)
{
  dsl_prog_canonicalize (a->prog);
  a->cost = dsl_prog_cost (a->prog, s->P.dom.lo, s->P.dom.hi);
  a->err_large = INFINITY;
  a->mean_large = INFINITY;
  uint64_t *site[SKEL_MAXC];
  uint8_t sw[SKEL_MAXC];
  hash_entry e;
  /* A perturbed constant is a deliberate restart of the fit from elsewhere:
     taking the skeleton's cached constants would undo it, unless restarts
     of this skeleton have failed SKEL_MAX_FAILS times.  */
  int restart = a->origin && strcmp (a->origin, "perturb") == 0;
  if (s->skel)
    {
      a->skey = hash_structural (a->prog);
      int n = literal_sites (a->prog, site, sw, SKEL_MAXC);
      if (n >= 0 && hash_cache_peek (s->skel, a->skey, &e) && (int) e.value[0] == n
          && (!restart || e.value[SKEL_FAILS] >= SKEL_MAX_FAILS))
        {
          for (int i = 0; i < n; i++)
            *site[i] = eval_width_bits (e.value[1 + i], sw[i]);
          h->skel_hit = 1;
        }
    }
  if (s->evals && h->skel_hit && cached_scores (s, a, 1, h))
    return;
  if (h->skel_hit)
    {
      search_err m;
      search_measure (a->prog, s->small, s->P.metric, s->P.mean, &m);
      a->err_small = search_objective (&m);
    }
  else
    a->err_small = search_fit_constants (a->prog, s->small, s->P.metric, s->P.mean, r, 3);
  if (s->evals && !h->skel_hit && cached_scores (s, a, 0, h))
    return;
  if (!isfinite (a->err_small))
    return;
  search_err m;
  search_measure (a->prog, s->large, s->P.metric, s->P.mean, &m);
  /* Polishing on the large sample is the expensive step: only for programs
     near the bound that would be cheaper than every solution so far.  */
  if (m.nonfinite == 0 && search_objective (&m) <= 2 * s->P.bound && a->cost < s->st.best_solution_cost)
    {
      search_fit_constants (a->prog, s->large, s->P.metric, s->P.mean, r, 2);   /* the last half ULP is won here */
      search_measure (a->prog, s->large, s->P.metric, s->P.mean, &m);
      a->err_small = search_fit_constants (a->prog, s->small, s->P.metric, s->P.mean, r, 0);
      if (s->evals)
        a->fkey = hash_functional (a->prog, s->probe, s->P.drop_bits);
    }
  search_set_large (s, a, &m);
}

void
search_set_large (const search_state *s, search_indiv *a, const search_err *m)
{
  a->err_large = search_objective (m);
  a->mean_large = m->mean;
  a->large_points = s->large->n;
  if (s->P.metric == EVAL_ULP)
    a->ulp_large = m->nonfinite ? INFINITY : m->max;
  else
    {
      search_err u;
      search_measure (a->prog, s->large, EVAL_ULP, 0, &u);
      a->ulp_large = u.nonfinite ? INFINITY : u.max;
    }
}

/* After the parallel phase, in child order: what was learnt goes into the caches.  */
static void
remember (search_state *s, const search_indiv *a, const hits *h)
{
  hash_entry e;
  memset (&e, 0, sizeof e);
  if (s->skel)
    {
      s->st.struct_lookups++;
      s->st.struct_hits += h->skel_hit;
      uint64_t *site[SKEL_MAXC];
      uint8_t sw[SKEL_MAXC];
      int n = literal_sites (a->prog, site, sw, SKEL_MAXC);
      hash_entry old;
      /* A restarted fit (a perturbed child) replaces the cached constants
         only if it did better, and otherwise counts as a failed restart.  */
      int worse = hash_cache_peek (s->skel, a->skey, &old) && !(a->err_small < old.value[SKEL_ERR]);
      if (h->skel_hit)
        hash_cache_touch (s->skel, a->skey);
      else if (worse)
        {
          old.value[SKEL_FAILS] += 1;
          hash_cache_put (s->skel, &old);
        }
      else if (n >= 0)
        {
          e.key = a->skey;
          e.value[0] = n;
          for (int i = 0; i < n; i++)
            e.value[1 + i] = eval_width_value (*site[i], sw[i]);
          e.value[SKEL_ERR] = a->err_small;
          hash_cache_put (s->skel, &e);
        }
    }
  if (s->evals)
    {
      s->st.func_lookups++;
      s->st.func_hits += h->func_hit;
      if (h->func_hit)
        hash_cache_touch (s->evals, a->fkey);
      else
        {
          memset (&e, 0, sizeof e);
          e.key = a->fkey;
          e.value[0] = a->err_small;
          e.value[1] = a->err_large;
          e.value[2] = a->mean_large;
          e.value[3] = a->ulp_large;
          hash_cache_put (s->evals, &e);
        }
    }
}

static uint64_t
child_seed (uint64_t seed, long gen, int c)
{
  uint64_t x = seed ^ (0x9e3779b97f4a7c15u * (uint64_t) (gen + 1)) ^ ((uint64_t) c << 40);
  an_splitmix64 (&x);
  return an_splitmix64 (&x);
}

/* Binary tournament on (rank, crowding).  */
static int
tournament (const search_state *s, an_rng *r)
{
  int a = (int) an_rng_below (r, s->npop), b = (int) an_rng_below (r, s->npop);
  if (s->rank[a] != s->rank[b])
    return s->rank[a] < s->rank[b] ? a : b;
  return s->crowd[a] >= s->crowd[b] ? a : b;
}

/* Non-dominated sorting and crowding distance of POP[0..N-1].  */
static void
rank_and_crowd (const search_indiv *pop, int n, int *rank, double *crowd)
{
  int *left = malloc (n * sizeof *left);
  for (int i = 0; i < n; i++)
    rank[i] = left ? -1 : 0, crowd[i] = 0;   /* out of memory: everyone on the front */
  for (int level = 0, done = 0; done < n; level++)
    {
      int m = 0;
      for (int i = 0; i < n; i++)
        {
          if (rank[i] >= 0)
            continue;
          int dominated = 0;
          for (int j = 0; j < n && !dominated; j++)
            dominated = j != i && rank[j] == -1 && dominates (&pop[j], &pop[i]);
          if (!dominated)
            left[m++] = i;
        }
      if (m == 0)
        break;
      for (int q = 0; q < m; q++)
        rank[left[q]] = level;
      done += m;
      /* Crowding: distance between neighbours along each objective.  */
      for (int obj = 0; obj < 2; obj++)
        {
          for (int q = 1; q < m; q++)
            for (int t = q; t > 0; t--)
              {
                const search_indiv *x = &pop[left[t - 1]], *y = &pop[left[t]];
                double vx = obj ? x->cost : obj_error (x), vy = obj ? y->cost : obj_error (y);
                if (vx <= vy)
                  break;
                int tmp = left[t - 1];
                left[t - 1] = left[t];
                left[t] = tmp;
              }
          crowd[left[0]] = crowd[left[m - 1]] = INFINITY;
          for (int q = 1; q + 1 < m; q++)
            {
              const search_indiv *x = &pop[left[q - 1]], *y = &pop[left[q + 1]];
              crowd[left[q]] += obj ? y->cost - x->cost : obj_error (y) - obj_error (x);
            }
        }
    }
  free (left);
}

static int
cmp_front (const void *a, const void *b)
{
  const search_indiv *x = *(const search_indiv *const *) a, *y = *(const search_indiv *const *) b;
  if (x->cost != y->cost)
    return x->cost < y->cost ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Recomputes ranks, crowding and the front after the population or archive changed.  */
static void
search_update_front (search_state *s)
{
  rank_and_crowd (s->pop, s->npop, s->rank, s->crowd);
  s->nfront = 0;
  for (int i = 0; i < s->narch; i++)
    s->front[s->nfront++] = &s->arch[i];
  for (int i = 0; i < s->npop; i++)
    {
      /* Shown once: already archived, or no better than an archived solution.  */
      int covered = s->rank[i] != 0;
      for (int j = 0; j < s->narch && !covered; j++)
        covered = s->arch[j].id == s->pop[i].id
                  || (s->arch[j].cost <= s->pop[i].cost && s->arch[j].err_verified <= rank_error (&s->pop[i]));
      if (!covered)
        s->front[s->nfront++] = &s->pop[i];
    }
  qsort (s->front, s->nfront, sizeof *s->front, cmp_front);
  s->st.front_size = s->nfront;
  for (int i = 0; i < s->npop; i++)
    if (isfinite (s->pop[i].err_large) && s->pop[i].err_large < s->st.best_error)
      s->st.best_error = s->pop[i].err_large;
}

/* Same cost and the same errors: for selection the same point, and keeping
   one of them leaves room for diversity.  */
static int
duplicate (const search_indiv *a, const search_indiv *b)
{
  return a->cost == b->cost && obj_error (a) == obj_error (b) && a->err_small == b->err_small;
}

/* Environmental selection from POP + KIDS into the next population.  */
static void
select_survivors (search_state *s, search_indiv *kids, int nkids)
{
  int n = s->npop + nkids;
  search_indiv *all = malloc (n * sizeof *all);
  int *rank = malloc (n * sizeof *rank), *keep = calloc (n, sizeof *keep), *order = malloc (n * sizeof *order);
  double *crowd = malloc (n * sizeof *crowd);
  if (!all || !rank || !keep || !order || !crowd)
    {
      /* Out of memory: the children are lost, the population stays as it was.  */
      for (int i = 0; i < nkids; i++)
        indiv_free (&kids[i]);
      free (all), free (rank), free (keep), free (order), free (crowd);
      return;
    }
  memcpy (all, s->pop, s->npop * sizeof *all);
  memcpy (all + s->npop, kids, nkids * sizeof *all);
  /* Drop exact duplicates (the older one stays) and programs too old to be
     worth keeping unless they are on the front.  */
  int m = 0;
  for (int i = 0; i < n; i++)
    {
      int dup = 0;
      for (int j = 0; j < m && !dup; j++)
        dup = duplicate (&all[j], &all[i]);
      if (dup)
        {
          indiv_free (&all[i]);
          s->st.duplicates++;
          continue;
        }
      all[m++] = all[i];
    }
  n = m;
  rank_and_crowd (all, n, rank, crowd);
  m = 0;
  for (int i = 0; i < n; i++)
    {
      int old = s->st.generation - all[i].generation > s->P.max_age;
      if (old && rank[i] != 0)
        {
          indiv_free (&all[i]);
          continue;
        }
      all[m] = all[i];
      rank[m] = rank[i];
      crowd[m] = crowd[i];
      m++;
    }
  n = m;
  /* Fill by rank, then by crowding distance.  */
  for (int i = 0; i < n; i++)
    order[i] = i;
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0; j--)
      {
        int a = order[j - 1], b = order[j];
        int before = rank[b] < rank[a] || (rank[b] == rank[a] && crowd[b] > crowd[a])
                     || (rank[b] == rank[a] && crowd[b] == crowd[a] && all[b].id < all[a].id);
        if (!before)
          break;
        order[j - 1] = b;
        order[j] = a;
      }
  int cap = s->P.population;
  for (int q = 0; q < n; q++)
    keep[order[q]] = q < cap || (rank[order[q]] == 0 && q < 2 * cap);
  s->npop = 0;
  for (int i = 0; i < n; i++)
    {
      if (keep[i])
        s->pop[s->npop++] = all[i];
      else
        indiv_free (&all[i]);
    }
  free (order);
  free (all);
  free (rank);
  free (keep);
  free (crowd);
}

/* Keeps a verified solution for good: sampled errors are optimistic, so in
   the population an unverified program could crowd out a verified one.  */
static void
archive_add (search_state *s, const search_indiv *a)
{
  for (int i = 0; i < s->narch; i++)
    if (s->arch[i].cost <= a->cost && s->arch[i].err_verified <= a->err_verified)
      return;
  dsl_prog *copy = dsl_prog_clone (a->prog);
  if (!copy)
    return;   /* out of memory: the solution stays in the population only */
  int m = 0;
  for (int i = 0; i < s->narch; i++)
    if (s->arch[i].cost >= a->cost && s->arch[i].err_verified >= a->err_verified)
      indiv_free (&s->arch[i]);
    else
      s->arch[m++] = s->arch[i];
  if (m == s->caparch)
    {
      /* Full (a long chain of ever cheaper, less accurate solutions): the
         most expensive one goes, the cheap end is what the search is for.  */
      int worst = 0;
      for (int i = 1; i < m; i++)
        if (s->arch[i].cost > s->arch[worst].cost)
          worst = i;
      indiv_free (&s->arch[worst]);
      s->arch[worst] = s->arch[--m];
    }
  s->arch[m] = *a;
  s->arch[m].prog = copy;
  s->narch = m + 1;
}

/* The input where verification failed joins the samples, so that the next
   candidates are fitted against it (counterexample-guided refinement).  */
static int
learn_counterexample (search_state *s, const double *x, dsl_error *err)
{
  if (s->small->nvec)
    return 0;   /* softmax: the samples are whole vectors */
  const double *px[EVAL_MAXARITY];
  for (int j = 0; j < s->P.target->arity; j++)
    px[j] = &x[j];
  if (eval_samples_add (s->small, px, 1, err) < 0 || eval_samples_add (s->large, px, 1, err) < 0)
    return -1;
  if (s->evals)
    hash_cache_clear (s->evals);   /* its scores were measured on the old samples */
  s->db.samples_changed = 1;
  s->st.counterexamples++;
  return 0;
}

/* A verified member A: archived and counted when within the bound.  */
static void
found_solution (search_state *s, const search_indiv *a)
{
  if (!(a->err_verified <= s->P.bound))
    return;
  archive_add (s, a);
  if (a->cost < s->st.best_solution_cost)
    {
      if (!isfinite (s->st.best_solution_cost))
        {
          s->st.first_solution_seconds = search_now () - s->t0;
          s->st.first_solution_evaluations = s->st.evaluations;
        }
      s->st.best_solution_cost = a->cost;
    }
}

void
search_adopt (search_state *s, search_indiv *a)
{
  s->pop[s->npop++] = *a;
  if (a->verified)
    found_solution (s, a);
  search_update_front (s);
}

/* Verifies, at most one per generation, the cheapest front member that is
   within the bound on samples and cheaper than every solution so far.  */
static int
verify_front (search_state *s, dsl_error *err)
{
  if (s->large->complete)
    {
      /* Every input was scored (never through the functional cache, see
         cached_scores): the large-sample error is the verified one, for
         every member alike.  */
      for (int q = 0; q < s->nfront; q++)
        {
          search_indiv *a = (search_indiv *) s->front[q];
          if (a->verified || !isfinite (a->err_large))
            continue;
          a->verified = 1;
          a->err_verified = a->err_large;
          a->ulp_verified = a->ulp_large;
          a->verified_points = s->large->n;
          found_solution (s, a);
        }
      return 0;
    }
  for (int q = 0; q < s->nfront; q++)
    {
      search_indiv *a = (search_indiv *) s->front[q];
      if (a->verified || !(a->err_large <= s->P.bound) || a->cost >= s->st.best_solution_cost)
        continue;
      search_err e;
      search_measure (a->prog, s->huge, s->P.metric, s->P.mean, &e);
      if (search_objective (&e) > s->P.bound)
        {
          /* The large sample missed it; its worst point joins the samples.  */
          double x[EVAL_MAXARITY];
          for (int j = 0; j < s->P.target->arity; j++)
            x[j] = eval_value (s->P.type, s->huge->in[j], e.worst);
          if (!s->P.mean && learn_counterexample (s, x, err) < 0)
            return -1;
          a->err_large = search_objective (&e);
          if (s->evals)
            {
              hash_entry c = {a->fkey, {a->err_small, a->err_large, a->mean_large, a->ulp_large}};
              hash_cache_put (s->evals, &c);   /* so that the same function is not sent here again */
            }
          continue;
        }
      if (!s->P.verify)
        return 0;
      /* Most candidates that get here fail somewhere: the check stops at the
         first of its 16 interleaved passes that finds an input above the
         bound, and the program keeps that error as a (sampled) lower bound.  */
      eval_verify_result r;
      double t = search_now ();
      /* A mean objective cannot be refuted early: the whole domain is needed.  */
      int rc = eval_verify_until (a->prog, s->P.target, &s->P.dom, s->P.metric, s->P.mean ? INFINITY : s->P.bound,
                                  s->P.threads, !s->P.mean, NULL, NULL, &r, err);
      s->st.verify_seconds += search_now () - t;
      if (rc < 0)
        return -1;
      s->st.verifications++;
      double got = s->P.mean ? r.err.mean[s->P.metric] : r.max_err;
      if (got > s->P.bound && !s->P.mean)
        {
          double x[EVAL_MAXARITY];
          for (int j = 0; j < s->P.target->arity; j++)
            x[j] = eval_value (s->P.type, &r.worst[j], 0);   /* the low bits of a little-endian word */
          if (learn_counterexample (s, x, err) < 0)
            return -1;
        }
      if (!r.complete && r.method == EVAL_EXHAUSTIVE)
        {
          s->st.refutations++;
          a->err_large = got;
          return 1;
        }
      a->verified = 1;
      a->err_verified = got;
      a->ulp_verified = r.max_ulp;
      a->verified_points = r.checked;
      found_solution (s, a);
      return 1;
    }
  return 0;
}

/* A state with P's arrays and caches allocated, nothing else.  */
static search_state *
search_alloc (const search_params *p, dsl_error *err)
{
  if (!p->target || !p->target->has_domain[p->type])
    return dsl_error_set (err, "no target, or the target has no %s version", dsl_type_name (p->type)), NULL;
  if (p->population < 4)
    return dsl_error_set (err, "population must be at least 4"), NULL;
  if (!p->generations && !p->evaluations && !(p->seconds > 0))
    return dsl_error_set (err, "no stop rule: give a number of generations, evaluations or a time"), NULL;
  if (!(p->bound >= 0))
    return dsl_error_set (err, "the bound must be a number >= 0"), NULL;
  search_state *s = calloc (1, sizeof *s);
  if (!s)
    return dsl_error_set (err, "out of memory"), NULL;
  s->P = *p;
  /* The same on resume: probing is deterministic.  */
  search_probe (p->target, p->type, &p->dom, &s->props);
  /* Without float multiplies a product by a constant is several shifts and adds (x log2 e
     in Schraudolph's exponential: 15 integer ops), so programs get twice the room.  A rule
     of the ops alone: a resumed run gets the same.  */
  if (!((p->ops >> DSL_MUL) & 1) && s->P.max_insn < SEARCH_MULFREE_INSN)
    s->P.max_insn = SEARCH_MULFREE_INSN;
  s->t0 = search_now ();
  s->st.best_solution_cost = INFINITY;
  s->st.first_solution_seconds = -1;
  s->st.best_error = INFINITY;
  /* Island 0 evolves as a run on its own does; the others from generators of their own.  */
  s->evo_seed = p->island ? child_seed (p->seed, -2, p->island) : p->seed;
  an_rng_seed (&s->rng, s->evo_seed);
  int cap = 2 * p->population + MAXSEEDS + 8;
  s->pop = calloc (cap, sizeof *s->pop);
  s->rank = calloc (cap, sizeof *s->rank);
  s->crowd = calloc (cap, sizeof *s->crowd);
  s->front = calloc (2 * cap, sizeof *s->front);
  s->caparch = cap;
  s->arch = calloc (cap, sizeof *s->arch);
  if (!s->pop || !s->rank || !s->crowd || !s->front || !s->arch)
    return search_free (s), dsl_error_set (err, "out of memory"), NULL;
  if (p->cache_size)
    {
      s->skel = hash_cache_new (p->cache_size);
      s->evals = hash_cache_new (p->cache_size);
      if (!s->skel || !s->evals)
        return search_free (s), dsl_error_set (err, "out of memory for the caches"), NULL;
    }
  return s;
}

/* The large sample is every input where there are at most EVAL_ALL_POINTS:
   then its error is the verified one (verify_front).  */
static size_t
large_count (const search_params *p)
{
  size_t all = eval_domain_count (p->type, p->target->arity, &p->dom);
  return all <= EVAL_ALL_POINTS ? all : p->large_samples;
}

search_state *
search_new (const search_params *p, dsl_error *err)
{
  search_state *s = search_alloc (p, err);
  if (!s)
    return NULL;
  if (search_persist_samples (p, "small", p->small_samples, p->seed, &s->small, err) < 0
      || search_persist_samples (p, "large", large_count (p), p->seed + 1, &s->large, err) < 0
      || search_persist_samples (p, "huge", p->huge_samples, p->seed + 2, &s->huge, err) < 0
      || search_persist_samples (p, "probe", PROBES, p->seed + 3, &s->probe, err) < 0)
    return search_free (s), NULL;

  dsl_prog *seeds[MAXSEEDS];
  int ns = search_seeds (p->target, p->type, &p->dom, p->metric, p->bound, p->ops, seeds, MAXSEEDS - 10, NULL);
  /* The target's declared seed (published forms), the user's --start, then the kernels
     composed.  */
  int declared = search_target_seed (p->target, p->type, &seeds[ns]);
  ns += declared == 1;
  int failed = declared < 0 || (p->start && !(seeds[ns++] = dsl_prog_clone (p->start)));
  int builtin = ns;
  if (!failed)
    ns += search_kernel_seeds (p->target, p->type, &p->dom, p->kernels, p->nkernels, seeds + ns, MAXSEEDS - ns);
  if (failed)
    {
      for (int i = 0; i < ns; i++)
        dsl_prog_free (seeds[i]);
      return search_free (s), dsl_error_set (err, declared < 0 ? "target %s: its declared seed program does not parse"
                                                               : "out of memory", p->target->label), NULL;
    }
  int n = 0;
  for (int i = 0; i < ns; i++)
    {
      int ok = 1;
      for (int k = 0; k < seeds[i]->ninsn && ok; k++)
        ok = (p->ops >> seeds[i]->insn[k].op) & 1;
      if (!ok || seeds[i]->ninsn > s->P.max_insn)
        {
          dsl_prog_free (seeds[i]);
          continue;
        }
      search_indiv *a = &s->pop[n++];
      a->prog = seeds[i];
      a->id = ++s->next_id;
      a->origin = i < builtin ? "seed" : "kernel";
    }
  /* The caller frees its --start program and kernels once the run exists: no pointer to
     them stays.  */
  s->P.start = NULL;
  s->P.kernels = NULL;
  s->P.nkernels = 0;
  if (n == 0)
    return search_free (s), dsl_error_set (err, "no seed program fits the allowed ops and size"), NULL;
  s->npop = n;
  int threads = thread_count (p);
  (void) threads;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
  for (int i = 0; i < n; i++)
    {
      an_rng r;
      hits h = {0, 0};
      an_rng_seed (&r, child_seed (s->evo_seed, -1, i));
      score (s, &s->pop[i], &r, &h);
    }
  s->st.evaluations += (uint64_t) n;
  /* The kernel seeds as fitted, kept for the composition mutation.  */
  for (int i = 0; i < n && s->ndonor < MAXDONORS; i++)
    if (strcmp (s->pop[i].origin, "kernel") == 0)
      {
        search_indiv *d = &s->donor[s->ndonor];
        *d = s->pop[i];
        if (!(d->prog = dsl_prog_clone (s->pop[i].prog)))
          return search_free (s), dsl_error_set (err, "out of memory"), NULL;
        s->ndonor++;
      }
  search_update_front (s);
  return s;
}

search_state *
search_resume (store *db, int64_t run, const search_params *stop, dsl_error *err)
{
  store_run r;
  search_params p;
  if (search_persist_open (db, run, stop, &r, &p, err) < 0)
    return NULL;
  search_state *s = search_alloc (&p, err);
  if (!s)
    return NULL;
  if (search_persist_restore (s, db, &r, err) == 0)
    {
      search_update_front (s);   /* from the population: search_persist_attach checks it is the stored front */
      if (search_persist_attach (s, err) == 0)
        return s;
    }
  s->db.db = NULL;   /* the run stays as its last checkpoint left it */
  search_free (s);
  return NULL;
}

void
search_free (search_state *s)
{
  if (!s)
    return;
  search_persist_free (s);
  for (int i = 0; i < s->npop; i++)
    indiv_free (&s->pop[i]);
  for (int i = 0; i < s->narch; i++)
    indiv_free (&s->arch[i]);
  for (int i = 0; i < s->ndonor; i++)
    indiv_free (&s->donor[i]);
  free (s->arch);
  eval_samples_free (s->small);
  eval_samples_free (s->large);
  eval_samples_free (s->huge);
  eval_samples_free (s->probe);
  hash_cache_free (s->skel);
  hash_cache_free (s->evals);
  free (s->pop);
  free (s->rank);
  free (s->crowd);
  free (s->front);
  free (s);
}

int
search_budget_left (const search_state *s)
{
  const search_params *p = &s->P;
  if (s->stop)
    return 0;
  if (p->generations && s->st.generation >= p->generations)
    return 0;
  if (p->evaluations && s->st.evaluations >= (uint64_t) p->evaluations)
    return 0;
  if (p->seconds > 0 && search_now () - s->t0 >= p->seconds)
    return 0;
  return 1;
}

int
search_step (search_state *s, dsl_error *err)
{
  if (!search_budget_left (s))
    return 0;
  s->st.generation++;
  int nk = s->P.population;
  search_indiv *kids = calloc (nk, sizeof *kids);
  hits *kh = calloc (nk, sizeof *kh);
  if (!kids || !kh)
    return free (kids), free (kh), dsl_error_set (err, "out of memory");
  long gen = s->st.generation;
  dsl_prog *donor[MAXDONORS];
  for (int i = 0; i < s->ndonor; i++)
    donor[i] = s->donor[i].prog;
  int threads = thread_count (&s->P);
  (void) threads;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
  for (int c = 0; c < nk; c++)
    {
      an_rng r;
      an_rng_seed (&r, child_seed (s->evo_seed, gen, c));
      search_indiv *k = &kids[c];
      int pa = tournament (s, &r), pb = tournament (s, &r);
      const char *what = "crossover";
      dsl_prog *q = NULL;
      if (an_rng_below (&r, 5) == 0 && pa != pb)
        q = search_crossover (s->pop[pa].prog, s->pop[pb].prog, &r, s->P.max_insn);
      if (!q)
        q = search_mutate_props (s->pop[pa].prog, &s->props, donor, s->ndonor, &r, s->P.ops, s->P.max_insn, &what),
        pb = -1;
      if (!q)
        continue;
      k->prog = q;
      k->origin = what;
      k->generation = gen;
      k->parent[0] = s->pop[pa].id;
      k->parent[1] = pb >= 0 ? s->pop[pb].id : 0;
      score (s, k, &r, &kh[c]);
    }
  int m = 0;
  for (int c = 0; c < nk; c++)
    if (kids[c].prog)
      {
        remember (s, &kids[c], &kh[c]);
        kids[m] = kids[c];
        kids[m].id = ++s->next_id;
        m++;
      }
  s->st.evaluations += (uint64_t) m;
  for (int c = 0; c < m; c++)
    s->st.large_evaluations += isfinite (kids[c].err_large);
  double t = search_now ();
  int rc = s->db.db ? search_persist_children (s, kids, m, err) : 0;
  s->st.store_seconds += search_now () - t;
  select_survivors (s, kids, m);
  free (kids);
  free (kh);
  search_update_front (s);
  if (rc < 0 || verify_front (s, err) < 0)
    return -1;
  search_update_front (s);
  s->st.seconds = search_now () - s->t0;
  int more = search_budget_left (s);
  /* The checkpoint: everything above is lost if the process dies before it
     commits, and redone identically on resume.  */
  t = search_now ();
  if (s->db.db && search_persist_checkpoint (s, more ? "running" : s->stop ? "stopped" : "done", err) < 0)
    return -1;
  s->st.store_seconds += search_now () - t;
  return more;
}

void
search_get_stats (const search_state *s, search_stats *out)
{
  *out = s->st;
  out->seconds = search_now () - s->t0;
}

int
search_front (const search_state *s, const search_indiv ***out)
{
  *out = s->front;
  return s->nfront;
}

void
search_request_stop (search_state *s)
{
  s->stop = 1;
}
