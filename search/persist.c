/* persist -- a search's state to and from the database: checkpoints and exact resume.

   A checkpoint is one transaction: the children scored in the generation,
   the scores of the population and archive (verification changes them), the
   three member lists, the cache slots touched since the last checkpoint,
   the samples if counterexamples joined them, and the run's counters.  What
   the next generation reads is exactly that (children draw from generators
   seeded by (seed, generation, child); ranks and the front are recomputed
   from the population), so a resumed run continues bit for bit.  */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search/internal.h"

static const char *const origins[] = {"seed", "insert", "delete", "replace", "rewire", "perturb", "degree", "rational", "symmetry", "regime", "reduce", "crossover", "migrant", "kernel", "pieces", "compose"};

/* The static string an individual's origin points to.  */
static const char *
origin_of (const char *name)
{
  for (size_t i = 0; i < sizeof origins / sizeof *origins; i++)
    if (strcmp (origins[i], name) == 0)
      return origins[i];
  return "restored";
}

/* A row for A; its text is malloc'd (NULL if memory ran out).  */
static void
to_row (const search_state *s, const search_indiv *a, store_program *r)
{
  memset (r, 0, sizeof *r);
  r->run = s->db.run;
  r->seq = a->id;
  r->parent[0] = a->parent[0];
  r->parent[1] = a->parent[1];
  r->generation = a->generation;
  snprintf (r->origin, sizeof r->origin, "%s", a->origin ? a->origin : "seed");
  r->text = dsl_print (a->prog, 0);
  r->instructions = a->prog->ninsn;
  r->cost = a->cost;
  r->err_small = a->err_small;
  r->err_large = a->err_large;
  r->mean_large = a->mean_large;
  r->large_points = a->large_points;
  r->verified = a->verified;
  r->err_verified = a->err_verified;
  r->verified_points = a->verified_points;
  r->skey = a->skey;
  r->fkey = a->fkey;
  r->ulp_large = a->ulp_large;
  r->ulp_verified = a->ulp_verified;
}

/* Back from a row: parses the text and checks it prints the same.  */
static int
from_row (const search_state *s, const store_program *r, search_indiv *a, dsl_error *err)
{
  memset (a, 0, sizeof *a);
  if (dsl_parse (r->text, s->P.type, 0, &a->prog, err) < 0)
    return dsl_error_set (err, "program %lld: %s", (long long) r->id, err->msg);
  char *again = dsl_print (a->prog, 0);
  int same = again && strcmp (again, r->text) == 0;
  free (again);
  if (!same)
    return dsl_error_set (err, "program %lld does not print back as stored (database edited?)", (long long) r->id);
  a->id = r->seq;
  a->parent[0] = r->parent[0];
  a->parent[1] = r->parent[1];
  a->generation = r->generation;
  a->origin = origin_of (r->origin);
  a->cost = r->cost;
  a->err_small = r->err_small;
  a->err_large = r->err_large;
  a->mean_large = r->mean_large;
  a->large_points = r->large_points;
  a->verified = r->verified;
  a->err_verified = r->err_verified;
  a->verified_points = r->verified_points;
  a->skey = r->skey;
  a->fkey = r->fkey;
  a->ulp_large = r->ulp_large;
  a->ulp_verified = r->ulp_verified;
  return 0;
}

/* P's domain as runs store it.  */
static void
domain_text (const search_params *p, char *buf, size_t size)
{
  for (int j = 0, len = 0; j < p->target->arity; j++)
    len += snprintf (buf + len, size - (size_t) len, "%s%a:%a", j ? "," : "", p->dom.lo[j], p->dom.hi[j]);
}

int
search_persist_samples (const search_params *p, const char *name, size_t n, uint64_t seed, eval_samples **out,
                        dsl_error *err)
{
  /* Only the sets that never grow: a stored small or large set may hold counterexamples.  */
  if (p->samples_db && (strcmp (name, "huge") == 0 || strcmp (name, "probe") == 0))
    {
      char domain[sizeof ((store_run *) 0)->domain];
      domain_text (p, domain, sizeof domain);
      size_t all = eval_domain_count (p->type, p->target->arity, &p->dom);
      int rc = store_samples_find (p->samples_db, p->target->name, dsl_type_name (p->type), domain, name, seed,
                                   all < n ? all : n, p->target, p->type, &p->dom, out, err);
      if (rc != 0)
        return rc < 0 ? -1 : 0;
    }
  return eval_samples_build (p->target, p->type, &p->dom, n, seed, p->threads, out, err);
}

static void
run_row (const search_state *s, const char *status, store_run *r)
{
  const search_params *p = &s->P;
  memset (r, 0, sizeof *r);
  r->id = s->db.run;
  snprintf (r->status, sizeof r->status, "%s", status);
  r->pid = (int64_t) getpid ();
  snprintf (r->target, sizeof r->target, "%s", p->target->name);
  snprintf (r->type, sizeof r->type, "%s", dsl_type_name (p->type));
  domain_text (p, r->domain, sizeof r->domain);
  r->bound = p->bound;
  snprintf (r->metric, sizeof r->metric, "%s", eval_metric_name (p->metric));
  for (char *c = r->metric; *c; c++)
    *c = (char) tolower ((unsigned char) *c);
  snprintf (r->objective, sizeof r->objective, "%s", p->mean ? "mean" : "max");
  r->seed = p->seed;
  r->threads = p->threads;
  r->population = p->population;
  r->max_age = p->max_age;
  r->max_insn = p->max_insn;
  r->max_generations = p->generations;
  r->max_evaluations = p->evaluations;
  r->max_seconds = p->seconds;
  r->ops = p->ops;
  r->small_samples = p->small_samples;
  r->large_samples = p->large_samples;
  r->huge_samples = p->huge_samples;
  r->verify = p->verify;
  r->cache_size = p->cache_size;
  r->drop_bits = p->drop_bits;
  const search_stats *t = &s->st;
  r->generation = t->generation;
  r->next_id = s->next_id;
  memcpy (r->rng, s->rng.s, sizeof r->rng);
  r->skeleton_tick = s->skel ? hash_cache_clock (s->skel) : 0;
  r->function_tick = s->evals ? hash_cache_clock (s->evals) : 0;
  r->evaluations = t->evaluations;
  r->large_evaluations = t->large_evaluations;
  r->verifications = t->verifications;
  r->counterexamples = t->counterexamples;
  r->refutations = t->refutations;
  r->duplicates = t->duplicates;
  r->struct_lookups = t->struct_lookups;
  r->struct_hits = t->struct_hits;
  r->func_lookups = t->func_lookups;
  r->func_hits = t->func_hits;
  r->seconds = search_now () - s->t0;
  r->first_solution_seconds = t->first_solution_seconds;
  r->best_solution_cost = t->best_solution_cost;
  r->best_verified = INFINITY;
  for (int i = 0; i < s->narch; i++)
    if (s->arch[i].cost == t->best_solution_cost && s->arch[i].err_verified < r->best_verified)
      r->best_verified = s->arch[i].err_verified;
  r->best_error = t->best_error;
  r->islands = p->islands > 1 ? p->islands : 1;
  r->island = p->island;
  r->island_group = s->db.group;
  r->migrate_every = p->migrate_every;
  r->migrants = p->migrants;
}

typedef struct {
  search_state *s;
  const char *kind;
  hash_cache *cache;        /* the one KIND names (load_slot) */
  dsl_error *err;
  int rc;
} slot_ctx;

static void
save_slot (size_t slot, uint64_t used, const hash_entry *e, void *arg)
{
  slot_ctx *c = arg;
  if (c->rc == 0)
    c->rc = store_cache_put (c->s->db.db, c->s->db.run, c->kind, slot, used, e, c->err);
}

static void
load_slot (size_t slot, uint64_t used, const hash_entry *e, void *arg)
{
  slot_ctx *c = arg;
  if (c->rc == 0 && (!c->cache || hash_cache_restore (c->cache, slot, used, e) < 0))
    c->rc = dsl_error_set (c->err, "run %lld: stored %s cache slot %zu does not fit the cache", (long long) c->s->db.run,
                           c->kind, slot);
}

/* Writes the cache slots used since SINCE, after deleting the stored ones
   when CLEARED (the cache was cleared since: every slot it holds now was
   used after SINCE).  */
static int
save_cache (search_state *s, hash_cache *h, const char *kind, uint64_t since, int cleared, dsl_error *err)
{
  if (!h)
    return 0;
  if (cleared && store_cache_clear (s->db.db, s->db.run, kind, err) < 0)
    return -1;
  slot_ctx c = {s, kind, h, err, 0};
  hash_cache_each (h, since, save_slot, &c);
  return c.rc;
}

static int
save_programs (search_state *s, const search_indiv *a, int n, const char *role, dsl_error *err)
{
  uint64_t *seq = malloc ((n ? n : 1) * sizeof *seq);
  if (!seq)
    return dsl_error_set (err, "out of memory");
  int rc = 0;
  for (int i = 0; i < n && !rc; i++)
    {
      store_program r;
      to_row (s, &a[i], &r);
      rc = r.text ? store_program_put (s->db.db, &r, err) : dsl_error_set (err, "out of memory");
      store_program_clear (&r);
      seq[i] = a[i].id;
    }
  if (!rc)
    rc = store_members_set (s->db.db, s->db.run, role, seq, n, err);
  free (seq);
  return rc;
}

/* The run's row alone (status, pid, counters): where the rest of the state
   is what the last checkpoint wrote.  */
static int
update_run (search_state *s, const char *status, dsl_error *err)
{
  store_run r;
  run_row (s, status, &r);
  return store_run_update (s->db.db, &r, err);
}

/* Everything but the transaction.  */
static int
write_state (search_state *s, const char *status, dsl_error *err)
{
  search_persist *d = &s->db;
  for (int i = 0; i < d->npending; i++)
    if (store_program_put (d->db, &d->pending[i], err) < 0)
      return -1;
  if (save_programs (s, s->pop, s->npop, "population", err) < 0
      || save_programs (s, s->arch, s->narch, "archive", err) < 0)
    return -1;
  uint64_t *seq = malloc ((s->nfront ? s->nfront : 1) * sizeof *seq);
  if (!seq)
    return dsl_error_set (err, "out of memory");
  for (int i = 0; i < s->nfront; i++)
    seq[i] = s->front[i]->id;
  int rc = store_members_set (d->db, d->run, "front", seq, s->nfront, err);
  free (seq);
  if (rc < 0 || save_cache (s, s->skel, "skeleton", d->skel_saved, 0, err) < 0
      || save_cache (s, s->evals, "function", d->evals_saved, d->samples_changed, err) < 0)
    return -1;
  if (d->samples_changed
      && (store_samples_put (d->db, d->run, "small", s->small, err) < 0
          || store_samples_put (d->db, d->run, "large", s->large, err) < 0))
    return -1;
  return update_run (s, status, err);
}

static void
drop_pending (search_persist *d)
{
  for (int i = 0; i < d->npending; i++)
    store_program_clear (&d->pending[i]);
  free (d->pending);
  d->pending = NULL;
  d->npending = 0;
}

/* One transaction: the state as it is now.  */
int
search_persist_checkpoint (search_state *s, const char *status, dsl_error *err)
{
  search_persist *d = &s->db;
  if (store_begin (d->db, err) < 0)
    return -1;
  if (write_state (s, status, err) < 0)
    {
      store_rollback (d->db);
      return -1;
    }
  if (store_commit (d->db, err) < 0)
    return -1;
  drop_pending (d);
  d->skel_saved = s->skel ? hash_cache_clock (s->skel) : 0;
  d->evals_saved = s->evals ? hash_cache_clock (s->evals) : 0;
  d->samples_changed = 0;
  return 0;
}

int
search_persist_children (search_state *s, const search_indiv *kids, int n, dsl_error *err)
{
  search_persist *d = &s->db;
  store_program *p = realloc (d->pending, (d->npending + n) * sizeof *p);
  if (!p && n)
    return dsl_error_set (err, "out of memory");
  d->pending = p;
  for (int i = 0; i < n; i++)
    {
      to_row (s, &kids[i], &d->pending[d->npending]);
      if (!d->pending[d->npending].text)
        return dsl_error_set (err, "out of memory");
      d->npending++;
    }
  return 0;
}

void
search_persist_free (search_state *s)
{
  drop_pending (&s->db);
}

/* Stores S as a new run (id RUN, or the next free one when 0) of island group GROUP (0: none).  */
static int
store_new (search_state *s, store *db, int64_t id, int64_t group, int64_t *run, dsl_error *err)
{
  search_persist *d = &s->db;
  store_run r;
  double t = search_now ();
  d->run = id;
  d->group = group;
  run_row (s, "running", &r);
  if (store_begin (db, err) < 0)
    return -1;
  d->db = db;
  d->skel_saved = d->evals_saved = 0;
  int rc = store_run_insert (db, &r, err);
  d->run = r.id;
  if (!rc)
    rc = store_samples_put (db, d->run, "small", s->small, err) || store_samples_put (db, d->run, "large", s->large, err)
         || store_samples_put (db, d->run, "huge", s->huge, err) || store_samples_put (db, d->run, "probe", s->probe, err)
           ? -1 : 0;
  /* The donors once, as the start scored them (they are population members then: a later
     put would take their figures back to these).  */
  if (!rc && s->ndonor)
    rc = save_programs (s, s->donor, s->ndonor, "donor", err);
  if (!rc)
    rc = write_state (s, "running", err);
  if (rc || store_commit (db, err) < 0)
    {
      store_rollback (db);
      d->db = NULL;
      d->run = 0;
      d->group = 0;
      return -1;
    }
  *run = d->run;
  s->st.store_seconds += search_now () - t;
  return 0;
}

int
search_store (search_state *s, store *db, int64_t *run, dsl_error *err)
{
  return store_new (s, db, 0, 0, run, err);
}

int
search_store_island (search_state *s, store *db, int64_t run, int64_t group, dsl_error *err)
{
  int64_t got;
  return store_new (s, db, run, group, &got, err);
}

/* Whether process PID still exists (another process may have reused a dead
   run's pid: then the user is told which pid to check).  */
static int
alive (int64_t pid)
{
  return pid > 0 && pid != (int64_t) getpid () && (kill ((pid_t) pid, 0) == 0 || errno == EPERM);
}

static int
params_of (const store_run *r, const search_params *stop, search_params *p, dsl_error *err)
{
  const eval_target *t = eval_target_resolve (r->target, NULL);
  dsl_type y;
  if (!t || dsl_type_parse (r->type, &y) < 0)
    return dsl_error_set (err, "run %lld: unknown target or type '%s' %s", (long long) r->id, r->target, r->type);
  search_params_default (p, t, y);
  if (eval_domain_parse (r->domain, t, &p->dom, err) < 0)
    return dsl_error_set (err, "run %lld: bad domain '%s'", (long long) r->id, r->domain);
  p->bound = r->bound;
  int m = eval_metric_parse (r->metric);
  if (m < 0 || (strcmp (r->objective, "max") != 0 && strcmp (r->objective, "mean") != 0))
    return dsl_error_set (err, "run %lld: unknown metric '%s' or objective '%s'", (long long) r->id, r->metric,
                          r->objective);
  p->metric = (eval_metric) m;
  p->mean = strcmp (r->objective, "mean") == 0;
  p->seed = r->seed;
  p->threads = r->threads;
  p->population = r->population;
  p->max_age = r->max_age;
  p->max_insn = r->max_insn;
  p->generations = r->max_generations;
  p->evaluations = r->max_evaluations;
  p->seconds = r->max_seconds;
  p->ops = r->ops;
  p->small_samples = r->small_samples;
  p->large_samples = r->large_samples;
  p->huge_samples = r->huge_samples;
  p->verify = r->verify;
  p->cache_size = r->cache_size;
  p->drop_bits = r->drop_bits;
  p->islands = r->islands;
  p->island = r->island;
  p->migrate_every = r->migrate_every;
  p->migrants = r->migrants;
  if (stop && (stop->generations || stop->evaluations || stop->seconds > 0))
    {
      p->generations = stop->generations;
      p->evaluations = stop->evaluations;
      p->seconds = stop->seconds;
    }
  if (stop && stop->threads)
    p->threads = stop->threads;
  return 0;
}

static void
stats_of (const store_run *r, search_stats *t)
{
  t->generation = r->generation;
  t->evaluations = r->evaluations;
  t->large_evaluations = r->large_evaluations;
  t->verifications = r->verifications;
  t->counterexamples = r->counterexamples;
  t->refutations = r->refutations;
  t->duplicates = r->duplicates;
  t->struct_lookups = r->struct_lookups;
  t->struct_hits = r->struct_hits;
  t->func_lookups = r->func_lookups;
  t->func_hits = r->func_hits;
  t->seconds = r->seconds;
  t->first_solution_seconds = r->first_solution_seconds;
  t->best_solution_cost = r->best_solution_cost;
  t->best_error = r->best_error;
}

/* Loads a member list into A (capacity CAP); *N the count.  */
static int
load_members (search_state *s, const char *role, search_indiv *a, int cap, int *n, dsl_error *err)
{
  store_program *rows;
  int nrows;
  if (store_members_get (s->db.db, s->db.run, role, &rows, &nrows, err) < 0)
    return -1;
  int rc = nrows > cap ? dsl_error_set (err, "run %lld: %d programs in its %s, at most %d expected",
                                        (long long) s->db.run, nrows, role, cap)
                       : 0;
  for (*n = 0; *n < nrows && !rc; ++*n)
    rc = from_row (s, &rows[*n], &a[*n], err);
  store_programs_free (rows, nrows);
  return rc;
}

/* The front recomputed from the population must be the stored one.  */
static int
check_front (search_state *s, dsl_error *err)
{
  store_program *rows;
  int n;
  if (store_members_get (s->db.db, s->db.run, "front", &rows, &n, err) < 0)
    return -1;
  int same = n == s->nfront;
  for (int i = 0; i < n && same; i++)
    same = rows[i].seq == s->front[i]->id;
  store_programs_free (rows, n);
  return same ? 0
              : dsl_error_set (err, "run %lld: the restored population does not give the stored front (database edited?)",
                               (long long) s->db.run);
}

int
search_persist_open (store *db, int64_t run, const search_params *stop, store_run *r, search_params *p,
                     dsl_error *err)
{
  if (store_run_get (db, run, r, err) < 0 || params_of (r, stop, p, err) < 0)
    return -1;
  /* An island's process other than island 0's ran on whichever machine its rank had: only
     island 0's pid is one this machine can check.  */
  if (strcmp (r->status, "running") == 0 && r->island == 0 && alive (r->pid))
    return dsl_error_set (err, "run %lld is being searched by process %lld (if not, it died: kill -0 %lld)",
                          (long long) run, (long long) r->pid, (long long) r->pid);
  return 0;
}

int
search_persist_restore (search_state *s, store *db, const store_run *r, dsl_error *err)
{
  const search_params *p = &s->P;
  s->db.db = db;
  s->db.run = r->id;
  s->db.group = r->island_group;
  stats_of (r, &s->st);
  s->next_id = r->next_id;
  memcpy (s->rng.s, r->rng, sizeof r->rng);
  s->t0 = search_now () - r->seconds;
  slot_ctx c = {s, "skeleton", s->skel, err, 0};
  int rc = store_samples_get (db, r->id, "small", p->target, p->type, &p->dom, &s->small, err) < 0
           || store_samples_get (db, r->id, "large", p->target, p->type, &p->dom, &s->large, err) < 0
           || store_samples_get (db, r->id, "huge", p->target, p->type, &p->dom, &s->huge, err) < 0
           || store_samples_get (db, r->id, "probe", p->target, p->type, &p->dom, &s->probe, err) < 0
           || store_cache_each (db, r->id, "skeleton", load_slot, &c, err) < 0 || c.rc < 0;
  c.kind = "function";
  c.cache = s->evals;
  rc = rc || store_cache_each (db, r->id, "function", load_slot, &c, err) < 0 || c.rc < 0;
  rc = rc || load_members (s, "population", s->pop, 2 * p->population + MAXSEEDS + 8, &s->npop, err) < 0
       || load_members (s, "archive", s->arch, s->caparch, &s->narch, err) < 0
       || load_members (s, "donor", s->donor, MAXDONORS, &s->ndonor, err) < 0;
  if (!rc && s->npop == 0)
    rc = dsl_error_set (err, "run %lld has an empty population", (long long) r->id);
  if (rc)
    return -1;
  if (s->skel)
    hash_cache_set_clock (s->skel, s->db.skel_saved = r->skeleton_tick);
  if (s->evals)
    hash_cache_set_clock (s->evals, s->db.evals_saved = r->function_tick);
  return 0;
}

int
search_persist_attach (search_state *s, dsl_error *err)
{
  return check_front (s, err) < 0 || update_run (s, "running", err) < 0 ? -1 : 0;
}

int
search_close_run (search_state *s, const char *status, dsl_error *err)
{
  if (!s->db.db)
    return 0;
  /* After a failure the state may be half a generation on: the last
     checkpoint stays what a resume starts from.  Otherwise the last
     search_step wrote the state, and only the status is new.  */
  if (strcmp (status, "failed") == 0)
    return store_run_set_status (s->db.db, s->db.run, status, err);
  return update_run (s, status, err);
}

int64_t
search_run (const search_state *s)
{
  return s->db.db ? s->db.run : 0;
}

int64_t
search_program_id (const search_state *s, uint64_t seq)
{
  store_program p;
  if (!s->db.db || store_program_get_seq (s->db.db, s->db.run, seq, &p, NULL) < 0)
    return 0;
  store_program_clear (&p);
  return p.id;
}

const search_params *
search_get_params (const search_state *s)
{
  return &s->P;
}

/* ---- kernels for composition from the database ---- */

typedef struct {
  const eval_target *t;
  dsl_type y;
  int64_t *run;
  int n, cap;
} kernel_runs;

/* Collects the runs of another one-input target in the type, whose error is in ULPs.  */
static int
kernel_run (const store_run *r, void *arg)
{
  kernel_runs *k = arg;
  dsl_type y;
  const eval_target *g = eval_target_resolve (r->target, NULL);
  if (!g || g == k->t || g->arity != 1 || g->vectors || dsl_type_parse (r->type, &y) < 0 || y != k->y
      || strcmp (r->metric, "ulp") != 0)
    return 0;
  if (k->n == k->cap)
    {
      int cap = k->cap ? 2 * k->cap : 16;
      int64_t *v = realloc (k->run, cap * sizeof *v);
      if (!v)
        return 1;
      k->run = v;
      k->cap = cap;
    }
  k->run[k->n++] = r->id;
  return 0;
}

void
search_kernels_free (search_kernel *k, int n)
{
  for (int i = 0; i < n; i++)
    dsl_prog_free ((dsl_prog *) k[i].prog);
  free (k);
}

int
search_db_kernels (store *db, const eval_target *t, dsl_type y, search_kernel **out, int *n, dsl_error *err)
{
  *out = NULL;
  *n = 0;
  kernel_runs kr = { t, y, NULL, 0, 0 };
  search_kernel *k = calloc (SEARCH_MAXKERNELS, sizeof *k);
  double score[SEARCH_MAXKERNELS];
  int role[SEARCH_MAXKERNELS];
  int nk = 0, rc = k ? store_run_each (db, kernel_run, &kr, err) : dsl_error_set (err, "out of memory");
  for (int i = 0; i < kr.n && rc == 0; i++)
    {
      store_run r;
      store_program *m;
      int nm;
      if (store_run_get (db, kr.run[i], &r, err) < 0 || store_members_get (db, r.id, "front", &m, &nm, err) < 0)
        {
          rc = -1;
          break;
        }
      const eval_target *g = eval_target_resolve (r.target, NULL);
      eval_domain dom;
      dsl_error pe;
      int has_dom = eval_domain_parse (r.domain, g, &dom, &pe) == 0;
      /* Role 0: the cheapest member verified within the run's bound; role 1: the most
         accurate verified one (composition adds R's rounding to the kernel's error).  */
      for (int q = 0; q < 2 && has_dom; q++)
        {
          int best = -1;
          for (int j = 0; j < nm; j++)
            if (m[j].verified && m[j].err_verified <= r.bound
                && (best < 0 || (q ? m[j].err_verified < m[best].err_verified : m[j].cost < m[best].cost)))
              best = j;
          double sc = best < 0 ? 0 : q ? m[best].err_verified : m[best].cost;
          int slot = 0;
          while (slot < nk && !(k[slot].target == g && role[slot] == q))
            slot++;
          dsl_prog *p = NULL;
          if (best < 0 || (slot < nk ? sc >= score[slot] : nk == SEARCH_MAXKERNELS)
              || dsl_parse (m[best].text, y, 0, &p, &pe) < 0)
            continue;
          if (slot < nk)
            dsl_prog_free ((dsl_prog *) k[slot].prog);
          else
            nk++;
          dsl_prog_set_domain (p, 1, dom.lo, dom.hi);   /* what it was verified on */
          snprintf (p->target, sizeof p->target, "%s", g->name);
          k[slot] = (search_kernel) { p, g, r.id };
          score[slot] = sc;
          role[slot] = q;
        }
      store_programs_free (m, nm);
    }
  /* The accurate one where it is the cheap one too: once.  */
  for (int i = 0; i < nk; i++)
    for (int j = 0; j < nk; j++)
      if (i != j && k[i].prog && k[j].prog && role[i] == 1 && role[j] == 0 && k[i].target == k[j].target
          && dsl_prog_equal (k[i].prog, k[j].prog))
        {
          dsl_prog_free ((dsl_prog *) k[i].prog);
          k[i].prog = NULL;
        }
  int kept = 0;
  for (int i = 0; i < nk; i++)
    if (k[i].prog)
      k[kept++] = k[i];
  nk = kept;
  free (kr.run);
  if (rc < 0 || !k)
    {
      search_kernels_free (k, nk);
      return -1;
    }
  *out = k;
  *n = nk;
  return 0;
}
