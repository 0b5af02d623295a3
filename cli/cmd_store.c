/* cmd_store -- the commands that read the database: runs, front, show.  */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char runs_help[] =
  "usage: autonum runs [--db FILE] [--json]\n"
  "Lists the runs stored in the database (--db FILE, else $AUTONUM_DB, else ./autonum.db): id,\n"
  "target, type, bound (metric and value), status (running, stopped, done, failed), generations, the verified\n"
  "error of the cheapest solution and its cost, and when the run was created.\n";

static const char front_help[] =
  "usage: autonum front [RUN] [--db FILE] [--verbose | --json]\n"
  "Prints the cost/error Pareto front of RUN (default: the latest run) at its last checkpoint\n"
  "as a table of the stored program ids that show, verify, export, bench and plot take: the\n"
  "solutions (verified on every input within the run's bound, marked *) first, cheapest first,\n"
  "then the other members by increasing max error.  Then the best solution's text and the\n"
  "command that exports it (or, without a solution, the closest member).  --verbose also prints\n"
  "every member's text; --json prints the whole front, texts included, as one JSON object.\n";

static const char show_help[] =
  "usage: autonum show ID [--db FILE]\n"
  "Prints stored program ID: its run, target and domain, scores (sampled and verified),\n"
  "lineage (parents and how it was made from them) and its text.\n";

/* Options and the database for a read-only command; 0 or an exit status.  */
static int
open_for (const char *cmd, const char *allowed, const char *help, int argc, char **argv, cli_opts *o, store **db)
{
  *db = NULL;
  int rc = cli_parse (cmd, allowed, argc, argv, o);
  if (rc || o->help)
    return rc ? rc : (fputs (help, stdout), -1);
  return cli_db_open (o, 0, db);
}

/* "running" for a run whose process is gone (killed, or the machine went
   down) reads "interrupted": search --resume goes on with it.  */
static const char *
status_of (const store_run *r)
{
  if (strcmp (r->status, "running") == 0 && r->pid > 0 && kill ((pid_t) r->pid, 0) < 0 && errno == ESRCH)
    return "interrupted";
  return r->status;
}

static int
print_run (const store_run *r, void *arg)
{
  (void) arg;
  char best[64] = "-", bound[48];
  if (isfinite (r->best_solution_cost))
    snprintf (best, sizeof best, "%.6g @ cost %g", r->best_verified, r->best_solution_cost);
  snprintf (bound, sizeof bound, "%s%s %g", strcmp (r->objective, "mean") == 0 ? "mean " : "", r->metric, r->bound);
  const eval_target *t = eval_target_resolve (r->target, NULL);   /* an FPCore: its label */
  printf ("%-5lld %-8s %-8s %-14s %-11s %-6ld %-26s %s", (long long) r->id, t ? t->label : r->target, r->type, bound,
          status_of (r), r->generation, best, r->created);
  if (r->islands > 1)
    printf ("  island %d of %d (run %lld's)", r->island, r->islands, (long long) r->island_group);
  putchar ('\n');
  return 0;
}

/* The runs as JSON; FULL when memory ran out (the list stops there).  */
typedef struct {
  json_t *list;
  int full;
} json_runs;

/* Appends run R to the list ARG; best_verified and best_cost are -1 for a
   run without a solution.  */
static int
json_run (const store_run *r, void *arg)
{
  json_runs *j = arg;
  int solved = isfinite (r->best_solution_cost);
  json_t *o = json_pack ("{s:I, s:s, s:s, s:s, s:s, s:f, s:s, s:I, s:f, s:f, s:s}", "id", (json_int_t) r->id,
                         "target", r->target, "type", r->type, "metric", r->metric, "objective", r->objective,
                         "bound", r->bound, "status", status_of (r), "generation",
                         (json_int_t) r->generation, "best_verified", solved ? r->best_verified : -1.0, "best_cost",
                         solved ? r->best_solution_cost : -1.0, "created", r->created);
  j->full = json_array_append_new (j->list, o) < 0;
  return j->full;
}

int
cmd_runs (int argc, char **argv)
{
  cli_opts o;
  store *db;
  int rc = open_for ("runs", CLI_O_DB "J", runs_help, argc, argv, &o, &db);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (o.npos)
    return store_close (db), cli_error ("runs: unexpected argument '%s'", o.pos[0]), CLI_USAGE;
  dsl_error e;
  if (!o.json)
    {
      printf ("%-5s %-8s %-8s %-14s %-11s %-6s %-26s %s\n", "id", "target", "type", "bound", "status", "gens",
              "best verified error @ cost", "created (UTC)");
      rc = store_run_each (db, print_run, NULL, &e);
      store_close (db);
      return rc < 0 ? cli_error ("%s", e.msg) : cli_flush_stdout ("the runs");
    }
  json_runs j = {json_array (), 0};
  rc = j.list ? store_run_each (db, json_run, &j, &e) : 0;
  store_close (db);
  if (rc < 0)
    rc = cli_error ("%s", e.msg);
  else if (!j.list || j.full)
    rc = cli_error ("out of memory building the JSON runs");
  else
    rc = cli_dump_json (j.list, "the JSON runs");
  json_decref (j.list);
  return rc;
}

/* RUN from the first positional argument, or the latest run.  */
static int
run_arg (const cli_opts *o, store *db, int64_t *run)
{
  dsl_error e;
  if (o->npos > 1)
    return cli_error ("unexpected argument '%s'", o->pos[1]), CLI_USAGE;
  if (o->npos)
    {
      char *end;
      *run = strtoll (o->pos[0], &end, 10);
      if (*end || *run <= 0)
        return cli_error ("'%s' is not a run id (see autonum runs)", o->pos[0]), CLI_USAGE;
      return 0;
    }
  if (store_run_latest (db, 0, run, &e) < 0)
    return cli_error ("%s", e.msg);
  return *run ? 0 : cli_error ("%s: no runs stored yet", store_path (db));
}

/* Whether front row B makes A redundant in a merged front: as cheap, as accurate, and
   verified wherever A is (a sampled error cannot displace a verified one), and better in one
   of them or (FIRST: B comes first) the same point.  */
static int
covers (const cli_front_row *b, const cli_front_row *a, int first)
{
  return b->cost <= a->cost && b->err <= a->err && (b->verified || !a->verified)
         && (b->cost < a->cost || b->err < a->err || (first && (b->verified != 0) == (a->verified != 0)));
}

/* Adds RUN's front members to ROWS (*N of them, capacity *CAP) and their stored programs to
   *P (*NP), for a group: every island's.  */
static int
add_front (store *db, int64_t run, store_program **p, int *np, dsl_error *e)
{
  store_program *q;
  int n;
  if (store_members_get (db, run, "front", &q, &n, e) < 0)
    return -1;
  store_program *all = realloc (*p, (*np + n + 1) * sizeof *all);
  if (!all)
    return store_programs_free (q, n), dsl_error_set (e, "out of memory");
  memcpy (all + *np, q, n * sizeof *q);
  free (q);   /* the texts moved */
  *p = all;
  *np += n;
  return 0;
}

int
cli_print_run_front (store *db, int64_t run, const cli_opts *o, int header)
{
  dsl_error e;
  store_run r;
  store_program *p = NULL;
  int n = 0, rc = 0;
  int64_t *ids = NULL;
  int nids = 0;
  if (store_run_get (db, run, &r, &e) < 0)
    return cli_error ("%s", e.msg);
  /* An island of a group: the group's front, merged from every island's.  */
  if (r.islands > 1 && (store_run_get (db, r.island_group, &r, &e) < 0
                        || store_group_runs (db, r.island_group, &ids, &nids, &e) < 0))
    return cli_error ("%s", e.msg);
  if (r.islands <= 1)
    rc = add_front (db, run, &p, &n, &e);
  for (int i = 0; i < nids && !rc; i++)
    {
      store_run ri;
      rc = add_front (db, ids[i], &p, &n, &e);
      if (!rc && i > 0 && !(rc = store_run_get (db, ids[i], &ri, &e)))
        {
          /* The group's counters: every island's work.  */
          r.evaluations += ri.evaluations;
          r.verifications += ri.verifications;
          r.struct_lookups += ri.struct_lookups;
          r.struct_hits += ri.struct_hits;
          r.func_lookups += ri.func_lookups;
          r.func_hits += ri.func_hits;
          if (ri.generation > r.generation)
            r.generation = ri.generation;
        }
    }
  free (ids);
  if (rc)
    return store_programs_free (p, n), cli_error ("%s", e.msg);
  cli_front_row *rows = calloc (n ? n : 1, sizeof *rows);
  if (!rows)
    return store_programs_free (p, n), cli_error ("out of memory");
  const eval_target *t = eval_target_resolve (r.target, NULL);
  dsl_type y;
  eval_domain dom;
  int known = t && dsl_type_parse (r.type, &y) == 0 && eval_domain_parse (r.domain, t, &dom, NULL) == 0;
  eval_method method = known ? eval_verify_method (t, y) : EVAL_EXHAUSTIVE;
  /* A program stored as verified over fewer points than the domain holds was sampled +
     searched (pairs of 16-bit values before they were enumerated).  */
  uint64_t all = known ? eval_domain_count (y, t->arity, &dom) : 0;
  int metric = eval_metric_parse (r.metric);
  int m = 0;
  for (int i = 0; i < n; i++)
    {
      cli_front_row a = {p[i].id, p[i].instructions, p[i].cost,
                         p[i].verified ? p[i].err_verified : p[i].err_large,
                         p[i].verified ? (method == EVAL_VECTORS ? 3
                                          : method == EVAL_EXHAUSTIVE && p[i].verified_points >= all ? 1 : 2) : 0,
                         p[i].verified ? p[i].verified_points : p[i].large_points,
                         p[i].verified ? p[i].ulp_verified : p[i].ulp_large, p[i].text, NAN};
      int redundant = 0;
      for (int j = 0; j < n && nids && !redundant; j++)
        if (j != i)
          {
            cli_front_row b = {p[j].id, 0, p[j].cost, p[j].verified ? p[j].err_verified : p[j].err_large,
                               p[j].verified, 0, 0, p[j].text, NAN};
            /* Of two equal points (a migrant and its original), the first stays.  */
            redundant = covers (&b, &a, j < i);
          }
      if (!redundant)
        rows[m++] = a;
    }
  if (known)
    cli_front_time (rows, m, t, y, &dom, o->threads);
  cli_front_info info = {r.id, r.target, r.type, metric < 0 ? EVAL_ULP : (eval_metric) metric,
                         strcmp (r.objective, "mean") == 0, method, r.bound, r.seed, r.generation, r.evaluations,
                         r.struct_lookups, r.struct_hits, r.func_lookups, r.func_hits, r.verifications,
                         store_path (db), NULL};
  if (o->json)
    rc = cli_front_json (&info, rows, m);
  else
    {
      if (header)
        printf ("run %lld: %s %s on %s, %s after %ld generations\n", (long long) r.id, r.target, r.type, r.domain,
                status_of (&r), r.generation);
      if (nids)
        printf ("island search: %d islands (runs %lld to %lld), their fronts merged\n", r.islands, (long long) r.id,
                (long long) r.id + r.islands - 1);
      rc = cli_front_text (&info, rows, m, o->verbose);
    }
  free (rows);
  store_programs_free (p, n);
  return rc;
}

int
cmd_front (int argc, char **argv)
{
  cli_opts o;
  store *db;
  int rc = open_for ("front", CLI_O_DB "J" CLI_O_VERBOSE, front_help, argc, argv, &o, &db);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  int64_t run;
  if (!(rc = run_arg (&o, db, &run)))
    rc = cli_print_run_front (db, run, &o, 1);
  store_close (db);
  return rc;
}

/* "0.51 ULP", "rel 3e-08 (0.51 ULP)": an error in the run's metric, ULPs beside.  */
static void
print_err (const store_run *r, const char *label, double err, double ulp, uint64_t points)
{
  if (isnan (err))
    return;
  printf ("%-14s", label);
  int m = eval_metric_parse (r->metric);
  if (!isfinite (err))
    printf ("not measured (or non-finite results)");
  else if (m <= EVAL_ULP)
    printf ("%.9g ULP", err);
  else
    {
      printf ("%s %.9g", cli_metric_label ((eval_metric) m, strcmp (r->objective, "mean") == 0), err);
      if (!isnan (ulp))
        printf (" (max %.9g ULP)", ulp);
    }
  if (points)
    printf (" (%llu points)", (unsigned long long) points);
  putchar ('\n');
}

/* What the range analysis proves about every value of P on the run's
   domain, and the C form each op is exported in.  */
static void
print_lowered (const store_program *p, const store_run *r)
{
  const eval_target *t = eval_target_resolve (r->target, NULL);
  dsl_type y;
  eval_domain d;
  dsl_prog *q;
  if (!t || dsl_type_parse (r->type, &y) < 0 || eval_domain_parse (r->domain, t, &d, NULL) < 0
      || dsl_parse (p->text, y, 0, &q, NULL) < 0)
    return;
  char *text = dsl_print_lowered (q, d.lo, d.hi);
  if (text)
    {
      printf ("\nexported C: every value's range on the domain, and the form its op is written in\n");
      cli_print_text (text, "  ");
    }
  free (text);
  dsl_prog_free (q);
}

int
cmd_show (int argc, char **argv)
{
  cli_opts o;
  store *db;
  int rc = open_for ("show", CLI_O_DB, show_help, argc, argv, &o, &db);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  char *end = NULL;
  int64_t id = o.npos == 1 ? strtoll (o.pos[0], &end, 10) : 0;
  if (o.npos != 1 || *end || id <= 0)
    return store_close (db), cli_error ("show: give one program id (see autonum front)"), CLI_USAGE;
  dsl_error e;
  store_program p;
  store_run r;
  if (store_program_get (db, id, &p, &e) < 0)
    return store_close (db), cli_error ("%s", e.msg);
  if (store_run_get (db, p.run, &r, &e) < 0)
    return store_program_clear (&p), store_close (db), cli_error ("%s", e.msg);
  printf ("program %lld: run %lld (%s %s on %s, bound %s%s %g), #%llu of the run, generation %ld\n",
          (long long) p.id, (long long) p.run, r.target, r.type, r.domain, strcmp (r.objective, "mean") ? "" : "mean ",
          r.metric, r.bound, (unsigned long long) p.seq, p.generation);
  printf ("%-14s%d instructions, cost %g\n", "size:", p.instructions, p.cost);
  print_err (&r, "small sample:", p.err_small, NAN, 0);
  print_err (&r, "large sample:", p.err_large, p.ulp_large, p.large_points);
  const eval_target *t = eval_target_resolve (r.target, NULL);
  dsl_type y;
  eval_domain dom;
  int searched = t && dsl_type_parse (r.type, &y) == 0 && !t->vectors
                 && (eval_verify_method (t, y) == EVAL_SEARCHED
                     || (eval_domain_parse (r.domain, t, &dom, NULL) == 0
                         && p.verified_points < eval_domain_count (y, t->arity, &dom)));
  if (p.verified)
    {
      print_err (&r, searched ? "searched:" : "verified:", p.err_verified, p.ulp_verified, 0);
      int vec = t && t->vectors;
      printf ("%-14s%s %llu %s%s\n", "", searched ? "sampled + searched:" : vec ? "on the stored vectors, all" : "over all",
              (unsigned long long) p.verified_points, searched ? "points" : vec ? "elements" : "inputs",
              p.err_verified <= r.bound ? " (a solution)" : " (above the bound)");
    }
  else
    printf ("%-14snot verified\n", "verified:");
  printf ("%-14s%s", "made by:", p.origin);
  for (int k = 0; k < 2; k++)
    {
      store_program q;
      if (!p.parent[k] || store_program_get_seq (db, p.run, p.parent[k], &q, &e) < 0)
        continue;
      printf ("%s program %lld", k ? " and" : " of", (long long) q.id);
      store_program_clear (&q);
    }
  printf ("\nhashes:       structural %016llx, functional %016llx\n", (unsigned long long) p.skey,
          (unsigned long long) p.fkey);
  printf ("\n# autonum 1 target=%s type=%s\n", r.target, r.type);
  cli_print_text (p.text, "");
  print_lowered (&p, &r);
  store_program_clear (&p);
  store_close (db);
  return CLI_OK;
}
