/* cmd_search -- `autonum search`: run the evolutionary search, show progress, print the front.  */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "search/search.h"
#include "store/store.h"

static const char search_help[] =
  "usage: autonum search --target T [--type Y] [--ulp B | --abs E | --rel E] [--objective max|mean]\n"
  "                      [--order V] [--domain LO:HI] [--seed N] [--threads N]\n"
  "                      [--population N] [--time DURATION] [--generations N] [--evaluations N]\n"
  "                      [--ops LIST] [--start PROG] [--kernel PROG]... [--quiet] [--verbose | --json]\n"
  "                      [-o FILE] [--no-cache]\n"
  "                      [--cache-size N] [--db FILE | --no-db] [--front-out DIR]\n"
  "       autonum search --resume [RUN] [--generations N] [--time D] [--evaluations N] [--threads N]\n"
  "                      [--quiet] [--verbose | --json] [-o FILE] [--front-out DIR]\n"
  "Evolves straight-line programs for T in type Y (float64, float32 (default), float16, bfloat16,\n"
  "fp8e4m3, fp8e5m2) and prints the cost/error Pareto front.  The bound is B ULPs (default 1), an\n"
  "absolute error E (--abs) or a relative error E (--rel); with --objective mean the mean error\n"
  "over the inputs must be within it, else the max.  A program within the bound on samples is\n"
  "verified on every input of the domain before it is reported as a solution (float64: sampled +\n"
  "searched, never 'verified'; 16- and 8-bit types are scored on every input from the start).\n"
  "Stops after DURATION (default 10m; 90, 90s, 5m, 2h), N generations (default 200) or N scored\n"
  "candidates, whichever comes first, or at Ctrl-C (a second Ctrl-C quits at once).  --ops\n"
  "add,mul,fma uses only those ops; --ops -mul,-div the defaults but those; --ops +tof64 the\n"
  "defaults and those (the defaults: every op but the libm calls and the conversions between\n"
  "float types, and for float32 tof64 and tof32: a float32 program may compute in float64\n"
  "inside, as glibc's float32 functions do; --ops -tof64,tof32 keeps it in float32).\n"
  "--start PROG adds a program of your own to the seeds (its ops join the defaults; with --ops\n"
  "they must be among them).  --kernel PROG (up to 8) offers a program evolved for another target\n"
  "(named in its header) for composition: where f(x) = x^j R(g(a x + b)) for its target g, R a\n"
  "ratio of linear functions (sigmoid, tanh from exp; log2, log1p from log), a seed computes\n"
  "that with the kernel's instructions; with a database, the cheapest and the most accurate\n"
  "verified programs of every other target searched there in the same type are offered too.  --order V fixes the first argument of a two-argument expression\n"
  "target (logbesseli, logbesselk: the order v), which leaves a target of x alone.\n"
  "The same seed and thread count give the same front, bit for bit, when the\n"
  "stop rule is --generations or --evaluations.  Candidates whose skeleton was fitted before reuse\n"
  "its constants, and candidates that compute a function already scored (same outputs on 64\n"
  "probe inputs, XXH3) reuse its scores; --cache-size N entries per cache (default 65536, LRU),\n"
  "--no-cache scores everything.\n"
  "\n"
  "The front is printed as a table: the solutions (marked *) first, cheapest first, then the\n"
  "other members by increasing max error; then the best solution (the cheapest) with its text\n"
  "and the command that exports it, or the closest member when there is no solution.\n"
  "--verbose also prints every member's text; --json prints the whole front, texts included, as\n"
  "one JSON object instead (autonum plot --front draws it).  -o FILE saves the best solution as a\n"
  "program file (for autonum verify/export); --front-out DIR writes every member to DIR/ID.anp.\n"
  "\n"
  "The run is stored in the database (--db FILE, else $AUTONUM_DB, else ./autonum.db; --no-db\n"
  "keeps it in memory only) and checkpointed after every generation.  After a crash, kill or\n"
  "Ctrl-C, 'autonum search --resume' goes on with the most recent unfinished run, '--resume RUN'\n"
  "with a given one, from its last checkpoint and to the same front; --generations, --evaluations,\n"
  "--time and --threads may be given again (e.g. to extend a finished run), nothing else.\n"
  "\n"
  "Started by mpirun (a build with MPI: ./configure --with-mpi), 'mpirun -np N autonum search ...'\n"
  "runs N islands, one per process, each with its own population of --population programs (the\n"
  "run's seed and samples, generators of its own); every --migrate-every K generations (default\n"
  "10; 0: never) each island sends --migrants M of its front members (default 4) to the next one\n"
  "around a ring.  Process 0 keeps the database: each island is a run, all of them checkpointed\n"
  "in one transaction per generation; 'mpirun -np N autonum search --resume [RUN]' goes on with\n"
  "every island (the same N; RUN may be any island's).  The front printed (and 'autonum front')\n"
  "merges the islands' fronts.  The same seed, N and thread count give the same fronts.\n";

static search_state *volatile running;
static volatile sig_atomic_t interrupts;

static void
on_signal (int sig)
{
  (void) sig;
  if (++interrupts > 1)
    _exit (130);
  if (running)
    search_request_stop (running);
}

static void
progress (const search_stats *st, const search_params *p, int tty)
{
  double eta = p->seconds > 0 ? p->seconds - st->seconds : -1;
  if (p->generations)
    {
      double by_gen = st->generation ? st->seconds / st->generation * (p->generations - st->generation) : -1;
      eta = eta < 0 || (by_gen >= 0 && by_gen < eta) ? by_gen : eta;
    }
  char best[64];
  if (isfinite (st->best_solution_cost))
    snprintf (best, sizeof best, "solution cost %g", st->best_solution_cost);
  else
    snprintf (best, sizeof best, "no solution yet");
  fprintf (stderr, "%sgen %ld  %.0f cand/s  best sampled %.4g %s  %s  front %d  hits %.0f%%/%.0f%%  %.0fs  ETA %.0fs%s",
           tty ? "\r" : "", st->generation, st->seconds > 0 ? st->evaluations / st->seconds : 0.0, st->best_error,
           eval_metric_name (p->metric), best, st->front_size, 100.0 * st->struct_hits / (st->struct_lookups ? st->struct_lookups : 1),
           100.0 * st->func_hits / (st->func_lookups ? st->func_lookups : 1), st->seconds, eta > 0 ? eta : 0.0,
           tty ? "\033[K" : "\n");
  fflush (stderr);
}

static int64_t resume_run (const cli_opts *o, store *db);

/* What --resume may change: the stop rules and the thread count.  */
static void
stop_rules (const cli_opts *o, search_params *stop)
{
  memset (stop, 0, sizeof *stop);
  stop->generations = o->generations;
  stop->evaluations = o->evaluations;
  stop->seconds = o->seconds;
  stop->threads = o->threads;
}

/* The front with stored program ids when the run is stored; SAVED: the file
   -o wrote the best solution to, or NULL.  */
static int
print_front (const search_state *s, const cli_opts *o, const store *db, const char *saved)
{
  const search_params *p = search_get_params (s);
  search_stats st;
  search_get_stats (s, &st);
  const search_indiv **f;
  int n = search_front (s, &f);
  cli_front_row *rows = calloc (n ? n : 1, sizeof *rows);
  if (!rows)
    return cli_error ("out of memory");
  for (int i = 0; i < n; i++)
    {
      const search_indiv *a = f[i];
      int64_t id = search_program_id (s, a->id);
      eval_method m = eval_verify_method (p->target, p->type);
      int how = a->verified ? (m == EVAL_EXHAUSTIVE ? 1 : m == EVAL_VECTORS ? 3 : 2) : 0;
      rows[i] = (cli_front_row){id ? id : (int64_t) a->id, a->prog->ninsn, a->cost,
                                a->verified ? a->err_verified : a->err_large, how,
                                a->verified ? a->verified_points : a->large_points,
                                a->verified ? a->ulp_verified : a->ulp_large, dsl_print (a->prog, 0), NAN};
    }
  cli_front_time (rows, n, p->target, p->type, &p->dom, p->threads);
  cli_front_info info = {search_run (s), p->target->name, dsl_type_name (p->type), p->metric, p->mean,
                         eval_verify_method (p->target, p->type), p->bound, p->seed,
                         st.generation, st.evaluations, st.struct_lookups, st.struct_hits, st.func_lookups,
                         st.func_hits, st.verifications, db ? store_path (db) : NULL, saved};
  int rc = o->json ? cli_front_json (&info, rows, n) : cli_front_text (&info, rows, n, o->verbose);
  if (!o->json && p->target->note)
    printf ("%s\n", p->target->note);
  for (int i = 0; i < n; i++)
    free ((char *) rows[i].text);
  free (rows);
  return rc;
}

/* Writes program A to PATH with the run's target and domain in its header.  */
static int
write_prog (const search_indiv *a, const search_params *p, const char *path)
{
  dsl_prog *q = dsl_prog_clone (a->prog);
  if (!q)
    return cli_error ("out of memory");
  snprintf (q->target, sizeof q->target, "%s", p->target->name);
  if (p->target->arity <= DSL_MAXDOMAIN)
    dsl_prog_set_domain (q, p->target->arity, p->dom.lo, p->dom.hi);
  char *text = dsl_print (q, 1);
  dsl_prog_free (q);
  FILE *out = text ? fopen (path, "w") : NULL;
  int ok = out && fputs (text, out) >= 0;
  ok = out && fclose (out) == 0 && ok;
  free (text);
  if (!ok)
    return cli_error ("cannot write '%s': %s", path, strerror (errno));
  return CLI_OK;
}

/* Writes the cheapest verified solution (the more accurate of equally
   cheap ones, as the printed front names it) to PATH.  */
static int
save_best (const search_state *s, const search_params *p, const char *path)
{
  const search_indiv **f, *best = NULL;
  int n = search_front (s, &f);
  for (int i = 0; i < n; i++)
    if (f[i]->verified && f[i]->err_verified <= p->bound
        && (!best || f[i]->cost < best->cost || (f[i]->cost == best->cost && f[i]->err_verified < best->err_verified)))
      best = f[i];
  if (best)
    return write_prog (best, p, path);
  return cli_error ("no verified solution within %s %g to save in '%s'", eval_metric_name (p->metric), p->bound,
                    path);
}

/* Writes every front member with a finite error to DIR/ID.anp.  */
static int
save_front (const search_state *s, const search_params *p, const char *dir)
{
  if (mkdir (dir, 0777) < 0 && errno != EEXIST)
    return cli_error ("cannot create '%s': %s", dir, strerror (errno));
  const search_indiv **f;
  int n = search_front (s, &f);
  for (int i = 0; i < n; i++)
    {
      if (!isfinite (f[i]->verified ? f[i]->err_verified : f[i]->err_large))
        continue;
      char path[4096];
      int64_t id = search_program_id (s, f[i]->id);
      snprintf (path, sizeof path, "%s/%lld.anp", dir, (long long) (id ? id : (int64_t) f[i]->id));
      if (write_prog (f[i], p, path))
        return CLI_FAIL;
    }
  return CLI_OK;
}

/* The program of PATH for option WHAT (--start, --kernel) of a search with parameters P, its
   header read (HEADER) or not: its ops join P's, or must be among --ops when that is given
   (one line naming the op); P->max_insn grows to its size plus MARGIN.  */
static int
option_program (const cli_opts *o, const char *path, const char *what, int header, int margin, search_params *p,
                dsl_prog **out)
{
  char *text = cli_read_all (path);
  if (!text)
    return cli_error ("cannot read '%s': %s", path, strerror (errno));
  dsl_prog *q;
  dsl_error e;
  int rc = dsl_parse (text, p->type, header, &q, &e);
  free (text);
  if (rc < 0)
    return e.line ? cli_error ("%s:%d:%d: %s", path, e.line, e.col, e.msg) : cli_error ("%s: %s", path, e.msg);
  for (int k = 0; k < q->ninsn; k++)
    if (!((p->ops >> q->insn[k].op) & 1))
      {
        if (o->ops)
          {
            const char *name = dsl_op ((dsl_opcode) q->insn[k].op)->name;
            cli_error ("%s %s uses '%s', which --ops does not allow (add +%s)", what, path, name, name);
            dsl_prog_free (q);
            return CLI_USAGE;
          }
        p->ops |= 1ull << q->insn[k].op;
      }
  if (p->max_insn < q->ninsn + margin)
    p->max_insn = q->ninsn + margin;
  *out = q;
  return 0;
}

/* --start PROG into P->start: a program of P's type and target arity.  */
static int
start_program (const cli_opts *o, search_params *p)
{
  dsl_prog *q;
  int rc = option_program (o, o->start, "--start", 0, 8, p, &q);
  if (rc)
    return rc;
  if (q->nin != p->target->arity)
    {
      cli_error ("--start %s has %d input%s but %s takes %d", o->start, q->nin, q->nin == 1 ? "" : "s",
                 p->target->label, p->target->arity);
      dsl_prog_free (q);
      return CLI_USAGE;
    }
  p->start = q;
  return 0;
}

/* --kernel PROG: a program of P's type and one input whose header names its target; room for
   it composed.  */
static int
kernel_program (const cli_opts *o, const char *path, search_params *p, search_kernel *k)
{
  dsl_prog *q;
  int rc = option_program (o, path, "--kernel", 1, 16, p, &q);
  if (rc)
    return rc;
  const eval_target *g = NULL;
  dsl_error e;
  if (!q->target[0])
    rc = cli_error ("--kernel %s: its header names no target (as 'target=exp' in the programs autonum "
                    "search -o and export write)", path);
  else if (!(g = eval_target_resolve (q->target, &e)))
    rc = cli_error ("--kernel %s: the program's header: %s", path, e.msg);
  else if (q->type != p->type)
    rc = cli_error ("--kernel %s is a %s program; the search is of %s", path, dsl_type_name (q->type),
                    dsl_type_name (p->type));
  else if (q->nin != 1 || g->arity != 1)
    rc = cli_error ("--kernel %s: a kernel takes one input (%s takes %d)", path, g->label, g->arity);
  if (rc)
    return dsl_prog_free (q), CLI_USAGE;
  *k = (search_kernel) { q, g, 0 };
  return 0;
}

/* Frees what new_params allocated in P.  */
static void
params_done (search_params *p)
{
  dsl_prog_free ((dsl_prog *) p->start);
  search_kernels_free ((search_kernel *) p->kernels, p->nkernels);
  p->start = NULL;
  p->kernels = NULL;
  p->nkernels = 0;
}

/* Adds the kernels DB offers for P to P's (those of targets a --kernel gave are skipped).  */
static int
db_kernels (const cli_opts *o, search_params *p, store *db)
{
  search_kernel *k;
  int n;
  dsl_error e;
  if (search_db_kernels (db, p->target, p->type, &k, &n, &e) < 0)
    return cli_error ("search: %s", e.msg);
  search_kernel *all = realloc ((search_kernel *) p->kernels, (p->nkernels + n) * sizeof *all + 1);
  if (!all)
    return search_kernels_free (k, n), cli_error ("search: out of memory");
  for (int i = 0; i < n; i++)
    {
      int dup = 0;
      for (int j = 0; j < p->nkernels && !dup; j++)
        dup = all[j].target == k[i].target;
      /* Its ops join the defaults (those of its own search), but not an --ops list.  */
      uint64_t need = 0;
      for (int j = 0; j < k[i].prog->ninsn; j++)
        need |= 1ull << k[i].prog->insn[j].op;
      if (dup || (o->ops && (need & ~p->ops)))
        dsl_prog_free ((dsl_prog *) k[i].prog);
      else
        {
          p->ops |= need;
          all[p->nkernels++] = k[i];
          if (p->max_insn < k[i].prog->ninsn + 16)
            p->max_insn = k[i].prog->ninsn + 16;
          if (!o->quiet)
            fprintf (stderr, "kernel: a verified %s program of run %lld (%d instructions), for composition\n",
                     k[i].target->label, (long long) k[i].run, k[i].prog->ninsn);
        }
    }
  free (k);
  p->kernels = all;
  return 0;
}

/* The parameters of a new search from the options (checked before any
   database is opened).  Returns 0 or the exit status.  */
static int
new_params (const cli_opts *o, search_params *p /* OUT */)
{
  if (o->npos)
    return cli_error ("search: unexpected argument '%s'", o->pos[0]), CLI_USAGE;
  dsl_error te;
  const eval_target *t = cli_resolve_target (o, &te);
  if (!t)
    return cli_error ("%s", te.msg);
  dsl_type y = DSL_FLOAT32;
  /* Target, type, domain and ops that do not go together: usage errors.  */
  if (o->type && dsl_type_parse (o->type, &y) < 0)
    return cli_error ("unknown type '%s' (types: float32, float64, float16, bfloat16, fp8e4m3, fp8e5m2)", o->type),
           CLI_USAGE;
  if (!t->has_domain[y])
    return cli_error ("target %s has no domain for type %s (see 'autonum targets')", t->label, dsl_type_name (y)),
           CLI_USAGE;
  search_params_default (p, t, y);
  dsl_error e;
  if (o->domain && eval_domain_parse (o->domain, t, &p->dom, &e) < 0)
    return cli_error ("--domain: %s", e.msg), CLI_USAGE;
  if (o->domain)
    eval_domain_round_in (t, y, &p->dom);
  if (eval_domain_check (t, y, &p->dom, &e) < 0)
    return cli_error ("%s", e.msg), CLI_USAGE;
  if (o->ops && search_parse_ops (o->ops, y, &p->ops, &e) < 0)
    return cli_error ("%s", e.msg), CLI_USAGE;
  p->metric = o->metric;
  p->mean = o->mean;
  if (o->has_bound)
    p->bound = o->bound;
  p->seed = o->seed;
  p->threads = o->threads;
  if (o->population)
    p->population = (int) o->population;
  if (o->generations || o->evaluations || o->seconds > 0)
    {
      p->generations = o->generations;
      p->evaluations = o->evaluations;
      p->seconds = o->seconds;
    }
  p->verify = 1;
  if (o->no_cache)
    p->cache_size = 0;
  else if (o->cache_size)
    p->cache_size = (size_t) o->cache_size;
  int rc;
  if (o->start && (rc = start_program (o, p)))
    return rc;
  search_kernel *k = o->nkernel ? calloc (o->nkernel, sizeof *k) : NULL;
  if (o->nkernel && !k)
    return params_done (p), cli_error ("search: out of memory");
  p->kernels = k;
  for (int i = 0; i < o->nkernel; i++)
    if ((rc = kernel_program (o, o->kernel[i], p, &k[i])))
      return params_done (p), rc;
    else
      p->nkernels++;
  return 0;
}

/* A new search with parameters P, stored in DB when there is one; frees P->start.  */
static search_state *
new_search (const cli_opts *o, const search_params *p, store *db)
{
  dsl_error e;
  search_params q = *p;
  q.samples_db = db;   /* an earlier run's huge and probe sets, where one matches */
  if (db && db_kernels (o, &q, db))
    return params_done (&q), NULL;
  search_state *s = search_new (&q, &e);
  params_done (&q);   /* search_new keeps copies */
  if (!s)
    return cli_error ("search: %s", e.msg), NULL;
  int64_t run;
  if (db && search_store (s, db, &run, &e) < 0)
    return search_free (s), cli_error ("search: %s", e.msg), NULL;
  if (db && !o->quiet)
    fprintf (stderr, "run %lld in %s\n", (long long) run, store_path (db));
  return s;
}

/* The run --resume names (or the latest unfinished one), from its checkpoint.  */
static search_state *
resume_search (const cli_opts *o, store *db)
{
  dsl_error e;
  int64_t run = resume_run (o, db);
  if (!run)
    return NULL;
  store_run r;
  if (store_run_get (db, run, &r, &e) < 0)
    return cli_error ("search: %s", e.msg), NULL;
  if (r.islands > 1)
    return cli_error ("search: run %lld is island %d of a search of %d islands: resume it with mpirun -np %d",
                      (long long) run, r.island, r.islands, r.islands),
           NULL;
  search_params stop;
  stop_rules (o, &stop);
  search_state *s = search_resume (db, run, &stop, &e);
  if (!s)
    return cli_error ("search: %s", e.msg), NULL;
  search_stats st;
  search_get_stats (s, &st);
  if (!o->quiet)
    fprintf (stderr, "resuming run %lld in %s at generation %ld\n", (long long) run, store_path (db), st.generation);
  return s;
}

static void
catch_signals (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

/* The run --resume names (a positional id), or the latest unfinished one: 0 after printing
   the problem.  */
static int64_t
resume_run (const cli_opts *o, store *db)
{
  if (o->npos)
    {
      char *end;
      int64_t run = strtoll (o->pos[0], &end, 10);
      if (*end || run <= 0)
        return cli_error ("search: --resume takes a run id (see autonum runs), not '%s'", o->pos[0]), 0;
      return run;
    }
  dsl_error e;
  int64_t run = 0;
  if (store_run_latest (db, 1, &run, &e) < 0)
    return cli_error ("%s", e.msg), 0;
  if (!run)
    cli_error ("%s: no unfinished run to resume (to extend a finished one: --resume RUN --generations N)",
               store_path (db));
  return run;
}

/* What --resume may change, and nothing else.  */
static int
resume_options_ok (const cli_opts *o)
{
  if (o->target || o->order || o->start || o->type || o->domain || o->has_bound || o->has_objective || o->ops
      || o->population || o->no_cache || o->cache_size || o->seed != 1 || o->migrate_every >= 0 || o->migrants >= 0)
    return cli_error ("search: --resume goes on with the run's own parameters; only --generations, --evaluations, "
                      "--time and --threads may change"),
           0;
  if (o->npos > 1)
    return cli_error ("search: unexpected argument '%s'", o->pos[1]), 0;
  return 1;
}

static void
summary (const search_stats *st, double session, int stored, uint64_t first_evals, int islands)
{
  fprintf (stderr, "cache: %llu of %llu skeletons already fitted, %llu of %llu functions already scored\n",
           (unsigned long long) st->struct_hits, (unsigned long long) st->struct_lookups,
           (unsigned long long) st->func_hits, (unsigned long long) st->func_lookups);
  fprintf (stderr,
           "%ld generations, %llu candidates scored (%llu on the large sample), %llu sent to verification "
           "(%llu refuted early; %.1f s verifying this session), %.1f s%s\n",
           st->generation, (unsigned long long) st->evaluations, (unsigned long long) st->large_evaluations,
           (unsigned long long) st->verifications, (unsigned long long) st->refutations, st->verify_seconds, st->seconds,
           interrupts ? " (interrupted)" : "");
  if (stored)
    fprintf (stderr, "checkpoints: %.2f s, %.2f%% of this session's %.1f s\n", st->store_seconds,
             100 * st->store_seconds / session, session);
  if (st->first_solution_seconds >= 0 && first_evals)
    fprintf (stderr, "first verified solution after %.1f s, %llu candidates%s\n", st->first_solution_seconds,
             (unsigned long long) first_evals, islands > 1 ? " over all islands" : "");
  else if (st->first_solution_seconds >= 0)
    fprintf (stderr, "first verified solution after %.1f s\n", st->first_solution_seconds);
}

/* An island search: this process is rank RANK of an MPI job (search_group_new); rank 0 owns
   the database and prints, the others are silent.  NP: the new run's parameters.  */
static int
island_search (const cli_opts *o, search_params *np, int rank)
{
  if (o->no_db || o->output || o->front_out)
    {
      params_done (np);
      return cli_error ("search: an island search keeps its islands in the database and merges their fronts "
                        "there: --no-db, -o and --front-out are for a search on its own (take a program from "
                        "the printed front with autonum export ID)"),
             CLI_USAGE;
    }
  store *db = NULL;
  int64_t run = 0;
  int ok = rank > 0 || (cli_db_open (o, 1, &db) == 0 && (!o->resume || (run = resume_run (o, db)) > 0));
  if (!search_mpi_all (ok))
    {
      params_done (np);
      store_close (db);
      return CLI_FAIL;
    }
  dsl_error e;
  int talk = rank == 0 && !o->quiet;
  double session = search_now ();
  search_params stop;
  stop_rules (o, &stop);
  if (!o->resume)
    {
      np->samples_db = db;
      np->migrate_every = o->migrate_every >= 0 ? (int) o->migrate_every : 10;
      np->migrants = o->migrants >= 0 ? (int) o->migrants : 4;
    }
  search_group *g = o->resume ? search_group_resume (db, run, &stop, &e) : search_group_new (np, db, &e);
  if (!o->resume)
    params_done (np);   /* search_new keeps copies */
  if (!g)
    return store_close (db), cli_error ("search: %s", e.msg);
  search_state *s = search_group_island (g);
  const search_params *p = search_get_params (s);
  search_stats st;
  uint64_t first_evals;
  search_group_stats (g, &st, &first_evals);
  if (talk)
    fprintf (stderr, "%s run %lld in %s: %d islands (runs %lld to %lld), migration every %d generations, %d "
             "programs\n", o->resume ? "resuming" : "island", (long long) search_group_run (g), store_path (db),
             p->islands, (long long) search_group_run (g), (long long) search_group_run (g) + p->islands - 1,
             p->migrate_every, p->migrants);
  running = s;
  catch_signals ();
  int tty = isatty (2), step;
  double last = -1;
  while ((step = search_group_step (g, &e)) > 0)
    {
      search_group_stats (g, &st, &first_evals);
      if (talk && (tty || st.seconds - last >= 10))
        {
          progress (&st, p, tty);
          last = st.seconds;
        }
    }
  running = NULL;
  session = search_now () - session;
  dsl_error e2;
  int closed = search_group_close (g, step < 0 ? "failed" : interrupts ? "stopped" : "done", step < 0 ? &e2 : &e);
  int rc = CLI_OK;
  if (step < 0 || closed < 0)
    rc = cli_error ("search: %s", e.msg);
  else
    {
      search_group_stats (g, &st, &first_evals);
      if (talk)
        {
          progress (&st, p, tty);
          if (tty)
            fputc ('\n', stderr);
          summary (&st, session, 1, first_evals, p->islands);
          search_traffic tr;
          search_group_traffic (g, &tr);
          double per = tr.checkpoints ? 1.0 / (double) tr.checkpoints : 0;
          fprintf (stderr, "rank 0: %llu bytes of the other islands' writes at the start; then %llu checkpoints, "
                   "each with %.0f bytes of them (%.2f ms receiving and replaying them, %.2f ms committing, %.2f ms "
                   "waiting for the slowest island); %llu migrations of %.0f bytes (%.2f ms each)\n",
                   (unsigned long long) tr.setup_bytes, (unsigned long long) tr.checkpoints, (double) tr.gathered_bytes * per, 1e3 * tr.gather_seconds * per,
                   1e3 * tr.commit_seconds * per, 1e3 * tr.wait_seconds * per, (unsigned long long) tr.migrations,
                   tr.migrations ? (double) tr.migrated_bytes / (double) tr.migrations : 0.0,
                   tr.migrations ? 1e3 * tr.migrate_seconds / (double) tr.migrations : 0.0);
        }
      if (rank == 0)
        rc = cli_print_run_front (db, search_group_run (g), o, 0);
      if (!o->json && p->target->note)
        printf ("%s\n", p->target->note);
    }
  search_group_free (g);
  store_close (db);
  return rc;
}

static int
search_main (int argc, char **argv, int rank, int size)
{
  cli_opts o;
  int rc = cli_parse ("search",
                      CLI_O_TARGET CLI_O_TYPE CLI_O_DOMAIN CLI_O_BOUND CLI_O_SEED CLI_O_THREADS CLI_O_QUIET CLI_O_SEARCH
                        CLI_O_OUTPUT CLI_O_STORE CLI_O_VERBOSE CLI_O_ISLANDS,
                      argc, argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (search_help, stdout), CLI_OK);
  if (o.no_db && (o.db || o.resume))
    return cli_error ("search: --no-db excludes --db and --resume"), CLI_USAGE;
  if (!o.resume && !o.target && !o.npos)
    return cli_error ("search: --target is required (see 'autonum targets')"), CLI_USAGE;
  if (o.resume && !resume_options_ok (&o))
    return CLI_FAIL;
  search_params np = {0};
  if (!o.resume && (rc = new_params (&o, &np)))
    return rc;
  if (size > 1)
    return island_search (&o, &np, rank);
  if (o.migrate_every >= 0 || o.migrants >= 0)
    {
      params_done (&np);
      return cli_error ("search: --migrate-every and --migrants are for island searches (mpirun -np N autonum "
                        "search ...)"),
             CLI_USAGE;
    }
  store *db = NULL;
  double session = search_now ();
  if (!o.no_db && cli_db_open (&o, 1, &db))
    return params_done (&np), CLI_FAIL;
  search_state *s = o.resume ? resume_search (&o, db) : new_search (&o, &np, db);
  if (!s)
    return store_close (db), CLI_FAIL;
  const search_params *p = search_get_params (s);
  dsl_error e;
  running = s;
  catch_signals ();
  int tty = isatty (2), step;
  search_stats st;
  double last = -1;
  while ((step = search_step (s, &e)) > 0)
    {
      search_get_stats (s, &st);
      if (!o.quiet && (tty || st.seconds - last >= 10))
        {
          progress (&st, p, tty);
          last = st.seconds;
        }
    }
  running = NULL;
  session = search_now () - session;
  if (step < 0)
    {
      dsl_error e2;
      search_close_run (s, "failed", &e2);   /* best effort: the last checkpoint stays valid */
      search_free (s);
      store_close (db);
      return cli_error ("search: %s", e.msg);
    }
  if (search_close_run (s, interrupts ? "stopped" : "done", &e) < 0)
    {
      search_free (s);
      store_close (db);
      return cli_error ("search: %s", e.msg);
    }
  search_get_stats (s, &st);
  if (!o.quiet)
    {
      progress (&st, p, tty);
      if (tty)
        fputc ('\n', stderr);
      summary (&st, session, search_run (s) != 0, st.first_solution_evaluations, 1);
    }
  if (o.output)
    rc = save_best (s, p, o.output);
  if (print_front (s, &o, db, o.output && rc == CLI_OK ? o.output : NULL))
    rc = CLI_FAIL;
  if (o.front_out && save_front (s, p, o.front_out))
    rc = CLI_FAIL;
  search_free (s);
  store_close (db);
  return rc;
}

int
cmd_search (int argc, char **argv)
{
  int rank, size;
  dsl_error e;
  if (search_mpi_start (&argc, &argv, &rank, &size, &e) < 0)
    return cli_error ("search: %s", e.msg);
  /* Rank 0 speaks for the job: every error is agreed on by all ranks (search_group_*).  */
  if (rank > 0 && (!freopen ("/dev/null", "w", stdout) || !freopen ("/dev/null", "w", stderr)))
    return search_mpi_end (), CLI_FAIL;
  int rc = search_main (argc, argv, rank, size);
  search_mpi_end ();
  return rc;
}
