/* front -- a run's cost/error front as search and front print it (a table, the best solution, the
   command that exports it) and as JSON, which plot --front reads back.  */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

/* A solution is verified on every input of the domain within the run's bound.  */
static int
is_solution (const cli_front_row *a, double bound)
{
  return a->verified && a->err <= bound;
}

static double sort_bound;   /* qsort has no context argument */

/* Solutions first, cheapest first; then the other members by increasing error.  */
static int
by_rank (const void *pa, const void *pb)
{
  const cli_front_row *a = *(const cli_front_row *const *) pa, *b = *(const cli_front_row *const *) pb;
  int sa = is_solution (a, sort_bound), sb = is_solution (b, sort_bound);
  if (sa != sb)
    return sb - sa;
  double ka = sa ? a->cost : a->err, kb = sa ? b->cost : b->err;
  double la = sa ? a->err : a->cost, lb = sa ? b->err : b->cost;
  if (ka != kb)
    return ka < kb ? -1 : 1;
  if (la != lb)
    return la < lb ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* S as one shell word: unchanged when it needs no quoting, else in single quotes.  */
static void
put_shell_word (FILE *f, const char *s)
{
  if (*s && strspn (s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=.,/:@%") == strlen (s))
    {
      fputs (s, f);
      return;
    }
  fputc ('\'', f);
  for (; *s; s++)
    if (*s == '\'')
      fputs ("'\\''", f);   /* close the quotes, an escaped quote, open them again */
    else
      fputc (*s, f);
  fputc ('\'', f);
}

void
cli_print_text (const char *text, const char *indent)
{
  for (const char *c = text ? text : ""; *c;)
    {
      size_t len = strcspn (c, "\n");
      printf ("%s%.*s\n", indent, (int) len, c);
      c += len + (c[len] == '\n');
    }
}

/* "verified on all 16777217 inputs", "sampled + searched on 300000 points"
   or "sampled on 8192 points (not verified)".  */
static const char *
evidence (const cli_front_row *a, char *buf, size_t size)
{
  if (a->verified == 3)
    snprintf (buf, size, "verified on the stored vectors (%llu elements)", (unsigned long long) a->points);
  else
    snprintf (buf, size, "%s %llu %s", a->verified == 1 ? "verified on all" : a->verified ? "sampled + searched on" : "sampled on",
              (unsigned long long) a->points, a->verified == 1 ? "inputs" : a->verified ? "points" : "points (not verified)");
  return buf;
}

/* "program 11, 11 instructions, cost 12, max error 0.804780 ULP verified on
   all 16777217 inputs" (with a --rel bound: "max rel error 1.2e-08 (0.8 ULP)
   ..."), and a newline.  */
static void
print_member (const cli_front_info *in, const cli_front_row *a)
{
  char ev[96];
  printf ("program %lld, %d instruction%s, cost %g, ", (long long) a->id, a->instructions,
          a->instructions == 1 ? "" : "s", a->cost);
  if (in->metric == EVAL_ULP)
    printf ("max error %.6f ULP", a->err);
  else
    printf ("%s error %.6g (max %.6f ULP)", cli_metric_label (in->metric, in->mean), a->err, a->ulp);
  printf (" %s\n", evidence (a, ev, sizeof ev));
}

/* The bound as the user gave it: "1 ULP", "rel 1e-06", "mean abs 0.01".  */
static const char *
bound_text (const cli_front_info *in, char *buf, size_t size)
{
  if (in->metric == EVAL_ULP)
    snprintf (buf, size, "%g ULP", in->bound);
  else
    snprintf (buf, size, "%s error %g", cli_metric_label (in->metric, in->mean), in->bound);
  return buf;
}

/* How to get the best solution out as C: its stored id, or the file -o saved it in.  */
static void
print_export (const cli_front_info *in, const cli_front_row *best)
{
  char name[80];
  snprintf (name, sizeof name, "fast_%s%s", in->target, strcmp (in->type, "float32") == 0 ? "f" : "");
  if (!cli_is_c_name (name))
    snprintf (name, sizeof name, "fast_kernel");
  if (!in->run && !in->saved)
    {
      printf ("not stored (--no-db): give -o FILE to save it, then autonum export FILE --verify --name %s\n", name);
      return;
    }
  fputs ("export it: autonum export ", stdout);
  if (in->run)
    {
      printf ("%lld", (long long) best->id);
      if (in->db && strcmp (in->db, STORE_DEFAULT_PATH) != 0)
        {
          fputs (" --db ", stdout);
          put_shell_word (stdout, in->db);
        }
    }
  else
    put_shell_word (stdout, in->saved);
  printf (" --verify --name %s -o %s.c\n", name, name);
}

/* The member to tell the user about after the table: the best solution
   (RANKED[0] when there is one) or, when there is none, the closest member.  */
static void
print_outcome (const cli_front_info *in, const cli_front_row *const *ranked, int n, int nsol)
{
  if (nsol)
    {
      fputs ("\nbest solution: ", stdout);
      print_member (in, ranked[0]);
      cli_print_text (ranked[0]->text, "  ");
      print_export (in, ranked[0]);
      return;
    }
  char b[64];
  printf ("\nno solution: no program on this front is %s within %s.\n",
          in->method == EVAL_EXHAUSTIVE ? "verified" : in->method == EVAL_VECTORS ? "verified on the stored vectors"
                                                                                  : "sampled + searched",
          bound_text (in, b, sizeof b));
  if (n)
    {
      fputs ("closest: ", stdout);
      print_member (in, ranked[0]);
    }
}

int
cli_front_text (const cli_front_info *in, const cli_front_row *rows, int nrows, int verbose)
{
  const cli_front_row **ranked = malloc ((nrows ? nrows : 1) * sizeof *ranked);
  if (!ranked)
    return cli_error ("out of memory");
  int n = 0, nsol = 0;
  for (int i = 0; i < nrows; i++)
    if (isfinite (rows[i].err))   /* no finite error: kept for diversity, not shown */
      {
        ranked[n++] = &rows[i];
        nsol += is_solution (&rows[i], in->bound);
      }
  sort_bound = in->bound;
  qsort (ranked, n, sizeof *ranked, by_rank);
  char b[64];
  bound_text (in, b, sizeof b);
  const char *what = in->mean ? "mean error" : "max error";
  const char *how = in->method == EVAL_EXHAUSTIVE ? "verified on every input"
                    : in->method == EVAL_VECTORS ? "verified on every element of the stored softmax vectors"
                                                 : "sampled + searched: too many inputs to verify";
  if (nsol)
    printf ("front: %d program%s, %d solution%s (* = within %s, %s)\n"
            "order: solutions by cost, then the others by %s\n",
            n, n == 1 ? "" : "s", nsol, nsol == 1 ? "" : "s", b, how, what);
  else
    printf ("front: %d program%s, no solution (within %s, %s)\norder: by %s\n", n, n == 1 ? "" : "s", b, how,
            what);
  if (in->metric == EVAL_ULP)
    printf ("  %8s %6s %8s %8s  %-12s %s\n", "id", "instr", "cost", "ns/elem", "max ULP", "evidence");
  else
    printf ("  %8s %6s %8s %8s  %-12s %-12s %s\n", "id", "instr", "cost", "ns/elem",
            cli_metric_label (in->metric, in->mean), "max ULP", "evidence");
  for (int i = 0; i < n; i++)
    {
      const cli_front_row *a = ranked[i];
      char ns[32] = "-";
      if (isfinite (a->ns))
        snprintf (ns, sizeof ns, "%.3f", a->ns);
      printf ("%c %8lld %6d %8g %8s  %-12.6g ", is_solution (a, in->bound) ? '*' : ' ', (long long) a->id,
              a->instructions, a->cost, ns, a->err);
      if (in->metric != EVAL_ULP)
        printf ("%-12.6g ", a->ulp);
      if (a->verified == 1)
        printf ("verified\n");
      else
        printf ("%s %llu\n", a->verified == 3 ? "vectors" : a->verified ? "searched" : "sampled",
                (unsigned long long) a->points);
    }
  for (int i = 0; verbose && i < n; i++)
    {
      fputs (is_solution (ranked[i], in->bound) ? "\n* " : "\n", stdout);
      print_member (in, ranked[i]);
      cli_print_text (ranked[i]->text, "  ");
    }
  print_outcome (in, ranked, n, nsol);
  free (ranked);
  return cli_flush_stdout ("the front");
}

/* A number, or null where it is not finite (JSON has no infinity).  */
static json_t *
json_num (double v)
{
  return isfinite (v) ? json_real (v) : json_null ();
}

/* The run's figures, in the order autonum has always written them; NULL
   when out of memory (or for a name that is not UTF-8).  */
static json_t *
front_header (const cli_front_info *in)
{
  return json_pack ("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "run",
                    (json_int_t) in->run, "target", in->target, "type", in->type, "metric",
                    eval_metric_name (in->metric), "objective", in->mean ? "mean" : "max", "bound",
                    json_num (in->bound), "seed", (json_int_t) in->seed, "generations", (json_int_t) in->generations,
                    "evaluations", (json_int_t) in->evaluations, "struct_lookups", (json_int_t) in->struct_lookups,
                    "struct_hits", (json_int_t) in->struct_hits, "func_lookups", (json_int_t) in->func_lookups,
                    "func_hits", (json_int_t) in->func_hits, "verifications", (json_int_t) in->verifications);
}

/* A member: max_ulp always, and the run's metric under its own name
   (max_abs, max_rel, mean_abs, mean_rel) when it is another.  */
static json_t *
front_member (const cli_front_info *in, const cli_front_row *a)
{
  json_t *m = json_pack ("{s:I, s:i, s:o, s:o, s:b, s:s, s:I, s:b, s:o, s:s}", "id", (json_int_t) a->id,
                         "instructions", a->instructions, "cost", json_num (a->cost), "max_ulp",
                         json_num (in->metric == EVAL_ULP ? a->err : a->ulp), "verified", a->verified == 1 || a->verified == 3,
                         "evidence", a->verified == 1 ? "verified" : a->verified == 3 ? "verified on the stored vectors"
                                     : a->verified ? "sampled + searched" : "sampled",
                         "points", (json_int_t) a->points, "solution", is_solution (a, in->bound), "ns_per_element",
                         json_num (a->ns), "program", a->text ? a->text : "");
  if (m && in->metric != EVAL_ULP)
    {
      char key[16];
      snprintf (key, sizeof key, "%s_%s", in->mean ? "mean" : "max", eval_metric_name (in->metric));
      if (json_object_set_new (m, key, json_num (a->err)) < 0)
        return json_decref (m), NULL;
    }
  return m;
}

int
cli_front_json (const cli_front_info *in, const cli_front_row *rows, int nrows)
{
  json_t *doc = front_header (in), *front = json_array ();
  int bad = !doc || json_object_set (doc, "front", front) < 0;
  for (int i = 0; !bad && i < nrows; i++)
    if (isfinite (rows[i].err))   /* as the text shows it */
      bad = json_array_append_new (front, front_member (in, &rows[i])) < 0;
  json_decref (front);
  int rc = bad ? cli_error ("out of memory (or a text that is not UTF-8) building the JSON front")
               : cli_dump_json (doc, "the JSON front");
  json_decref (doc);
  return rc;
}

int
cli_dump_json (json_t *doc, const char *what)
{
  if (json_dumpf (doc, stdout, CLI_JSON_FLAGS) < 0 || putchar ('\n') == EOF)
    return cli_error ("cannot write %s to standard output: %s", what, strerror (errno));
  return cli_flush_stdout (what);
}

/* The fields of front member M that a plot needs, its error under KEY (max_ulp, or the run's
   metric: max_rel, mean_abs, ...); NAN where absent or null.  */
static cli_plot_point
plot_point (const json_t *m, const char *key)
{
  const json_t *cost = json_object_get (m, "cost"), *err = json_object_get (m, key);
  return (cli_plot_point){json_is_number (cost) ? json_number_value (cost) : NAN,
                          json_is_number (err) ? json_number_value (err) : NAN, NULL,
                          json_is_true (json_object_get (m, "verified"))};
}

int
cli_front_read (const char *path, cli_front_file *ff)
{
  memset (ff, 0, sizeof *ff);
  char *text = cli_read_all (path);
  if (!text)
    return cli_error ("cannot read '%s': %s", path, strerror (errno));
  json_error_t e;
  json_t *doc = json_loads (text, 0, &e);
  free (text);
  if (!doc)
    return cli_error ("%s:%d:%d: malformed JSON: %s", path, e.line, e.column, e.text);
  const json_t *target = json_object_get (doc, "target"), *type = json_object_get (doc, "type"),
               *front = json_object_get (doc, "front");
  int rc = 0;
  if (!json_is_string (target))
    rc = cli_error ("%s: not the JSON of 'autonum search --json' (no \"target\")", path);
  else if (front && !json_is_array (front))
    rc = cli_error ("%s: not the JSON of 'autonum search --json' (\"front\" is not a list)", path);
  /* The run's metric where it is not ULPs (the key front_member writes for it).  */
  const json_t *metric = json_object_get (doc, "metric"), *objective = json_object_get (doc, "objective");
  const char *mname = json_is_string (metric) ? json_string_value (metric) : "ULP";
  int mean = json_is_string (objective) && strcmp (json_string_value (objective), "mean") == 0;
  char key[32] = "max_ulp";
  if (strcmp (mname, "ULP") != 0)
    snprintf (key, sizeof key, "%s_%s", mean ? "mean" : "max", mname);
  snprintf (ff->ylabel, sizeof ff->ylabel, "%s error (%.16s)", mean ? "mean" : "max",
            strcmp (key, "max_ulp") ? mname : "ULP");
  size_t n = rc ? 0 : json_array_size (front);
  if (n && !(ff->pts = calloc (n, sizeof *ff->pts)))
    rc = cli_error ("out of memory");
  for (size_t i = 0; !rc && i < n; i++)
    {
      const json_t *m = json_array_get (front, i);
      if (!json_is_object (m))
        rc = cli_error ("%s: not the JSON of 'autonum search --json' (front member %zu is not an object)", path,
                        i + 1);
      else
        ff->pts[ff->n++] = plot_point (m, key);
    }
  if (!rc)
    {
      snprintf (ff->target, sizeof ff->target, "%s", json_string_value (target));
      snprintf (ff->type, sizeof ff->type, "%s", json_is_string (type) ? json_string_value (type) : "");
    }
  json_decref (doc);
  return rc;
}

void
cli_front_time (cli_front_row *rows, int n, const eval_target *t, dsl_type y, const eval_domain *d, int threads)
{
  const dsl_prog **ps = calloc (n > 0 ? (size_t) n : 1, sizeof *ps);
  int *row = calloc (n > 0 ? (size_t) n : 1, sizeof *row), m = 0;
  double *ns = calloc (n > 0 ? (size_t) n : 1, sizeof *ns);
  void *x[EVAL_MAXARITY] = {NULL};
  dsl_error e;
  for (int i = 0; i < n; i++)
    rows[i].ns = NAN;
  for (int i = 0; ps && row && ns && i < n; i++)
    {
      dsl_prog *p;
      if (isfinite (rows[i].err) && rows[i].text && dsl_parse (rows[i].text, y, 0, &p, NULL) == 0)
        {
          ps[m] = p;
          row[m++] = i;
        }
    }
  (void) threads;
  if (m && eval_timing_points (y, d, t->arity, CLI_TIME_POINTS, 1, x, &e) < 0)
    fprintf (stderr, "autonum: front not timed: %s\n", e.msg);
  else if (m && eval_native_time (ps, m, d, (const void *const *) x, CLI_TIME_POINTS, CLI_TIME_REPS, ns, &e) < 0)
    fprintf (stderr, "autonum: front not timed: %s\n", e.msg);
  else
    for (int k = 0; k < m; k++)
      rows[row[k]].ns = ns[k];
  for (int k = 0; k < m; k++)
    dsl_prog_free ((dsl_prog *) ps[k]);
  for (int j = 0; j < EVAL_MAXARITY; j++)
    free (x[j]);
  free (ps);
  free (row);
  free (ns);
}
