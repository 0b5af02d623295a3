/* args -- command-line options shared by the subcommands, and loading a program to score.  */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "eval/ulp.h"
#include "store/store.h"

void
cli_put_quoted (FILE *f, const char *s)
{
  fputc ('"', f);
  for (const char *c = s ? s : ""; *c; c++)
    if (*c == '\n')
      fputs ("\\n", f);
    else
      {
        if (*c == '"' || *c == '\\')
          fputc ('\\', f);
        fputc (*c, f);
      }
  fputc ('"', f);
}

int
cli_error (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  fputs ("autonum: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
  va_end (ap);
  return CLI_FAIL;
}

int
cli_flush_stdout (const char *what)
{
  errno = 0;
  if (fflush (stdout) == 0 && !ferror (stdout))
    return 0;
  return cli_error ("cannot write %s to standard output: %s", what, strerror (errno ? errno : EIO));
}

int
cli_is_c_name (const char *s)
{
  if (!isalpha ((unsigned char) s[0]) && s[0] != '_')
    return 0;
  for (const char *p = s; *p; p++)
    if (!isalnum ((unsigned char) *p) && *p != '_')
      return 0;
  return strlen (s) < 64;
}

static const struct option long_options[] = {
  {"target", required_argument, NULL, 't'},
  {"order", required_argument, NULL, 'r'},
  {"type", required_argument, NULL, 'y'},
  {"domain", required_argument, NULL, 'd'},
  {"threads", required_argument, NULL, 'j'},
  {"ulp", required_argument, NULL, 'u'},
  {"abs", required_argument, NULL, 'A'},
  {"rel", required_argument, NULL, 'L'},
  {"objective", required_argument, NULL, 'W'},
  {"samples", required_argument, NULL, 's'},
  {"seed", required_argument, NULL, 'S'},
  {"name", required_argument, NULL, 'n'},
  {"output", required_argument, NULL, 'o'},
  {"verify", no_argument, NULL, 'V'},
  {"quiet", no_argument, NULL, 'q'},
  {"help", no_argument, NULL, 'h'},
  {"population", required_argument, NULL, 'P'},
  {"generations", required_argument, NULL, 'G'},
  {"evaluations", required_argument, NULL, 'E'},
  {"time", required_argument, NULL, 'T'},
  {"ops", required_argument, NULL, 'O'},
  {"start", required_argument, NULL, 'I'},
  {"kernel", required_argument, NULL, 'k'},
  {"json", no_argument, NULL, 'J'},
  {"no-cache", no_argument, NULL, 'C'},
  {"cache-size", required_argument, NULL, 'Z'},
  {"front-out", required_argument, NULL, 'F'},
  {"out", required_argument, NULL, 'o'},
  {"baseline", required_argument, NULL, 'B'},
  {"n", required_argument, NULL, 'N'},
  {"reps", required_argument, NULL, 'K'},
  {"front", required_argument, NULL, 'f'},
  {"db", required_argument, NULL, 'D'},
  {"no-db", no_argument, NULL, 'X'},
  {"resume", no_argument, NULL, 'R'},
  {"verbose", no_argument, NULL, 'v'},
  {"softmax-form", required_argument, NULL, 'M'},
  {"migrate-every", required_argument, NULL, 'm'},
  {"migrants", required_argument, NULL, 'g'},
  {NULL, 0, NULL, 0},
};

static const char *
long_name (int c)
{
  for (const struct option *l = long_options; l->name; l++)
    if (l->val == c)
      return l->name;
  return "?";
}

static int
parse_count (const char *cmd, int c, const char *s, long long lo, long long hi, long long *v)
{
  char *end;
  errno = 0;
  long long x = strtoll (s, &end, 10);
  if (errno || *end || end == s || x < lo || x > hi)
    {
      cli_error ("%s: --%s needs an integer in [%lld, %lld], not '%s'", cmd, long_name (c), lo, hi, s);
      return -1;
    }
  *v = x;
  return 0;
}

/* A repeatable option C: ARG appended to LIST (*N of at most MAX).  */
static int
repeat (const char *cmd, int c, const char **list, int *n, int max, const char *arg)
{
  if (*n == max)
    {
      cli_error ("%s: at most %d --%s options", cmd, max, long_name (c));
      return -1;
    }
  list[(*n)++] = arg;
  return 0;
}

/* "90", "90s", "1.5m", "2h", "1d".  */
static int
parse_duration (const char *s, double *out)
{
  char *end;
  double v = strtod (s, &end);
  if (end == s || !(v > 0) || isinf (v))
    return -1;
  double unit = 1;
  if (*end == 'm')
    unit = 60, end++;
  else if (*end == 'h')
    unit = 3600, end++;
  else if (*end == 'd')
    unit = 86400, end++;
  else if (*end == 's')
    end++;
  if (*end)
    return -1;
  *out = v * unit;
  return 0;
}

int
cli_parse (const char *cmd, const char *allowed, int argc, char **argv, cli_opts *o)
{
  memset (o, 0, sizeof *o);
  o->seed = 1;
  o->migrate_every = o->migrants = -1;
  optind = 1;
  opterr = 0;
  int c;
  long long v;
  while ((c = getopt_long (argc, argv, ":t:y:d:j:u:s:S:n:o:VqhP:G:E:T:O:JCZ:F:B:N:K:f:D:XRvM:", long_options, NULL)) != -1)
    {
      if (c == '?')
        {
          if (optopt)
            cli_error ("%s: unknown option '-%c' (see 'autonum %s --help')", cmd, optopt, cmd);
          else
            cli_error ("%s: unknown option '%s' (see 'autonum %s --help')", cmd, argv[optind - 1], cmd);
          return CLI_USAGE;
        }
      if (c == ':')
        {
          cli_error ("%s: option '%s' needs a value", cmd, argv[optind - 1]);
          return CLI_USAGE;
        }
      if (c != 'h' && !strchr (allowed, c))
        {
          cli_error ("%s: option --%s does not apply to this command", cmd, long_name (c));
          return CLI_USAGE;
        }
      switch (c)
        {
        case 't': o->target = optarg; break;
        case 'r': o->order = optarg; break;
        case 'y': o->type = optarg; break;
        case 'd': o->domain = optarg; break;
        case 'n': o->name = optarg; break;
        case 'o': o->output = optarg; break;
        case 'V': o->verify = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h': o->help = 1; break;
        case 'J': o->json = 1; break;
        case 'C': o->no_cache = 1; break;
        case 'F': o->front_out = optarg; break;
        case 'f': o->front = optarg; break;
        case 'D': o->db = optarg; break;
        case 'X': o->no_db = 1; break;
        case 'R': o->resume = 1; break;
        case 'v': o->verbose = 1; break;
        case 'M':
          if (strcmp (optarg, "two-pass") != 0 && strcmp (optarg, "three-pass") != 0)
            {
              cli_error ("%s: --softmax-form is two-pass or three-pass, not '%s'", cmd, optarg);
              return CLI_USAGE;
            }
          o->three_pass = strcmp (optarg, "three-pass") == 0;
          break;
        case 'B':
          if (repeat (cmd, c, o->baseline, &o->nbaseline, CLI_MAX_BASELINES, optarg) < 0)
            return CLI_USAGE;
          break;
        case 'N':
          if (parse_count (cmd, c, optarg, 1, 1LL << 26, &o->n) < 0)
            return CLI_USAGE;
          break;
        case 'K':
          if (parse_count (cmd, c, optarg, 1, 100000, &o->reps) < 0)
            return CLI_USAGE;
          break;
        case 'Z':
          if (parse_count (cmd, c, optarg, 4, 1LL << 28, &o->cache_size) < 0)
            return CLI_USAGE;
          break;
        case 'm':
          if (parse_count (cmd, c, optarg, 0, 1LL << 30, &o->migrate_every) < 0)
            return CLI_USAGE;
          break;
        case 'g':
          if (parse_count (cmd, c, optarg, 0, 32, &o->migrants) < 0)
            return CLI_USAGE;
          break;
        case 'O': o->ops = optarg; break;
        case 'I': o->start = optarg; break;
        case 'k':
          if (repeat (cmd, c, o->kernel, &o->nkernel, CLI_MAX_KERNELS, optarg) < 0)
            return CLI_USAGE;
          break;
        case 'P':
          if (parse_count (cmd, c, optarg, 4, 100000, &o->population) < 0)
            return CLI_USAGE;
          break;
        case 'G':
          if (parse_count (cmd, c, optarg, 1, 1LL << 40, &o->generations) < 0)
            return CLI_USAGE;
          break;
        case 'E':
          if (parse_count (cmd, c, optarg, 1, 1LL << 50, &o->evaluations) < 0)
            return CLI_USAGE;
          break;
        case 'T':
          if (parse_duration (optarg, &o->seconds) < 0)
            {
              cli_error ("%s: --time needs a duration such as 90, 90s, 10m or 2h, not '%s'", cmd, optarg);
              return CLI_USAGE;
            }
          break;
        case 'j':
          if (parse_count (cmd, c, optarg, 1, 1024, &v) < 0)
            return CLI_USAGE;
          o->threads = (int) v;
          break;
        case 's':
          if (parse_count (cmd, c, optarg, 16, 1LL << 30, &v) < 0)
            return CLI_USAGE;
          o->samples = v;
          break;
        case 'S':
          if (parse_count (cmd, c, optarg, 0, (long long) (~0ULL >> 1), &v) < 0)
            return CLI_USAGE;
          o->seed = (uint64_t) v;
          break;
        case 'u': case 'A': case 'L':
          {
            char *end;
            eval_metric m = c == 'u' ? EVAL_ULP : c == 'A' ? EVAL_ABS : EVAL_REL;
            if (o->has_bound && o->metric != m)
              {
                cli_error ("%s: give one bound: --ulp, --abs or --rel", cmd);
                return CLI_USAGE;
              }
            o->bound = strtod (optarg, &end);
            int ok = !*end && end != optarg && isfinite (o->bound) && (m == EVAL_ULP ? o->bound >= 0 : o->bound > 0);
            if (!ok)
              {
                cli_error ("%s: --%s needs a finite %s number, not '%s'", cmd, long_name (c),
                           m == EVAL_ULP ? "non-negative" : "positive", optarg);
                return CLI_USAGE;
              }
            o->metric = m;
            o->has_bound = 1;
            break;
          }
        case 'W':
          if (strcmp (optarg, "max") != 0 && strcmp (optarg, "mean") != 0)
            {
              cli_error ("%s: --objective is max or mean, not '%s'", cmd, optarg);
              return CLI_USAGE;
            }
          o->mean = strcmp (optarg, "mean") == 0;
          o->has_objective = 1;
          break;
        }
    }
  if (o->mean && o->metric == EVAL_ULP)
    {
      cli_error ("%s: --objective mean applies to --abs and --rel bounds (ULP bounds are on the max)", cmd);
      return CLI_USAGE;
    }
  if (o->verbose && o->json)
    {
      cli_error ("%s: --verbose and --json exclude each other (the JSON holds every program)", cmd);
      return CLI_USAGE;
    }
  o->npos = argc - optind;
  o->pos = argv + optind;
  return 0;
}

/* NUL bytes end the text (the parser never sees past them).  */
char *
cli_read_all (const char *path)
{
  FILE *f = strcmp (path, "-") == 0 ? stdin : fopen (path, "rb");
  if (!f)
    return NULL;
  size_t len = 0, cap = 4096;
  char *s = malloc (cap);
  for (size_t n; s && (n = fread (s + len, 1, cap - len - 1, f)) > 0;)
    {
      len += n;
      if (cap - len - 1 == 0)
        {
          char *t = realloc (s, cap *= 2);
          if (!t)
            free (s);
          s = t;
        }
    }
  int bad = ferror (f);
  if (f != stdin)
    fclose (f);
  if (!s || bad)
    {
      free (s);
      if (!bad)
        errno = ENOMEM;
      return NULL;
    }
  s[len] = '\0';
  return s;
}

static int
resolve_type (const cli_opts *o, dsl_type *t)
{
  if (!o->type)
    return 0;
  if (dsl_type_parse (o->type, t) < 0)
    return cli_error ("unknown type '%s' (types: float32, float64, float16, bfloat16, fp8e4m3, fp8e5m2)",
                      o->type), CLI_USAGE;
  return 0;
}

/* The database the options name (see cli_db_open).  */
static const char *
db_path (const cli_opts *o)
{
  const char *env = getenv ("AUTONUM_DB");
  return o->db ? o->db : env && *env ? env : STORE_DEFAULT_PATH;
}

int
cli_db_open (const cli_opts *o, int write, store **db)
{
  dsl_error e;
  if (store_open (db_path (o), write, db, &e) < 0)
    return cli_error ("%s", e.msg);
  return 0;
}

int
cli_is_stored_id (const char *arg)
{
  if (!*arg || strspn (arg, "0123456789") != strlen (arg))
    return 0;
  FILE *f = fopen (arg, "r");
  if (f)
    fclose (f);
  return f == NULL;
}

/* Program ID from the database, with its run's target, type and domain in
   its header (the options still override them).  */
static int
load_stored (const cli_opts *o, cli_job *job)
{
  store *db;
  if (cli_db_open (o, 0, &db))
    return CLI_FAIL;
  dsl_error e;
  store_program p;
  store_run r;
  int64_t id = strtoll (job->source, NULL, 10);
  snprintf (job->label, sizeof job->label, "program %lld", (long long) id);
  job->source = job->label;
  int rc = store_program_get (db, id, &p, &e) < 0 || store_run_get (db, p.run, &r, &e) < 0;
  store_close (db);
  if (rc)
    return cli_error ("%s", e.msg);
  dsl_type y;
  rc = dsl_type_parse (r.type, &y) < 0 || dsl_parse (p.text, y, 0, &job->prog, &e) < 0;
  store_program_clear (&p);
  if (rc)
    return cli_error ("%s: stored text does not parse (database edited?)", job->label);
  const eval_target *t = eval_target_resolve (r.target, NULL);
  eval_domain d;
  snprintf (job->prog->target, sizeof job->prog->target, "%s", r.target);
  if (t && t->arity <= DSL_MAXDOMAIN && eval_domain_parse (r.domain, t, &d, &e) == 0)
    dsl_prog_set_domain (job->prog, t->arity, d.lo, d.hi);
  return 0;
}

const eval_target *
cli_resolve_target (const cli_opts *o, dsl_error *err)
{
  const eval_target *t = eval_target_resolve (o->target, err);
  return t && o->order ? eval_target_fix (t, o->order, err) : t;
}

int
cli_job_load (const cli_opts *o, int need_target, cli_job *job)
{
  memset (job, 0, sizeof *job);
  job->type = DSL_FLOAT32;
  job->metric = o->metric;
  job->bound = o->has_bound ? o->bound : 1.0;
  job->mean = o->mean;
  if (o->npos < 1)
    return cli_error ("no program given (a file, or - for standard input)"), CLI_USAGE;
  if (o->npos > 1)
    return cli_error ("one program at a time; unexpected '%s'", o->pos[1]), CLI_USAGE;
  int rt = resolve_type (o, &job->type);
  if (rt)
    return rt;
  const eval_target *t = NULL;
  dsl_error te;
  if (o->target && !(t = cli_resolve_target (o, &te)))
    return cli_error ("%s", te.msg);
  if (o->order && !o->target)
    return cli_error ("--order needs --target"), CLI_USAGE;

  job->source = o->pos[0];
  dsl_error e;
  int rc;
  if (cli_is_stored_id (job->source))
    {
      if ((rc = load_stored (o, job)))
        return rc;
    }
  else
    {
      char *text = cli_read_all (job->source);
      if (!text)
        return cli_error ("cannot read '%s': %s", job->source, strerror (errno));
      rc = dsl_parse (text, job->type, o->type == NULL, &job->prog, &e);
      free (text);
    }
  if (rc < 0)
    {
      if (e.line)
        return cli_error ("%s:%d:%d: %s", job->source, e.line, e.col, e.msg);
      return cli_error ("%s: %s", job->source, e.msg);
    }
  job->type = job->prog->type;
  if (!t && job->prog->target[0] && !(t = eval_target_resolve (job->prog->target, &te)))
    return cli_error ("%s: the program's header: %s", job->source, te.msg);
  job->target = t;
  if (!t)
    return need_target ? cli_error ("no target: give --target NAME or a 'target=' in the program's header") : 0;
  if (job->prog->nin != t->arity)
    return cli_error ("%s has %d input%s but %s takes %d", job->source, job->prog->nin,
                      job->prog->nin == 1 ? "" : "s", t->label, t->arity);
  /* Target, type and domain that do not go together: usage errors.  */
  if (!t->has_domain[job->type])
    return cli_error ("target %s has no domain for type %s (see 'autonum targets')", t->label,
                      dsl_type_name (job->type)), CLI_USAGE;
  job->dom = t->dflt[job->type];
  if (o->domain)
    {
      if (eval_domain_parse (o->domain, t, &job->dom, &e) < 0)
        return cli_error ("--domain: %s", e.msg), CLI_USAGE;
      eval_domain_round_in (t, job->type, &job->dom);
    }
  else if (job->prog->has_domain == 1 || job->prog->has_domain == t->arity)
    for (int j = 0; j < t->arity; j++)
      {
        int k = job->prog->has_domain == 1 ? 0 : j;
        job->dom.lo[j] = job->prog->domain_lo[k], job->dom.hi[j] = job->prog->domain_hi[k];
      }
  if (eval_domain_check (t, job->type, &job->dom, &e) < 0)
    return cli_error ("%s", e.msg), CLI_USAGE;
  return 0;
}

void
cli_job_free (cli_job *job)
{
  dsl_prog_free (job->prog);
  job->prog = NULL;
}

void
cli_format_value (double v, char *buf, size_t size)
{
  uint64_t u;
  memcpy (&u, &v, sizeof u);
  if ((double) (float) v == v || v != v)
    dsl_format_f32 (eval_f32_bits ((float) v), buf, size);
  else
    dsl_format_f64 (u, buf, size);
}

void
cli_format_input (dsl_type y, uint64_t bits, char *buf, size_t size)
{
  char v[64];
  cli_format_value (dsl_value_of_bits (y, bits), v, sizeof v);
  snprintf (buf, size, "0x%0*llx (%s)", dsl_type_bits (y) / 4, (unsigned long long) bits, v);
}

const char *
cli_metric_label (eval_metric metric, int mean)
{
  static const char *const label[2][EVAL_NMETRICS] = {{"max ULP", "max abs", "max rel"},
                                                       {"mean ULP", "mean abs", "mean rel"}};
  return label[mean != 0][metric];
}

void
cli_print_domain (FILE *f, const eval_target *t, const eval_domain *d)
{
  char lo[64], hi[64];
  for (int j = 0; j < t->arity; j++)
    {
      cli_format_value (d->lo[j], lo, sizeof lo);
      cli_format_value (d->hi[j], hi, sizeof hi);
      fprintf (f, "%s[%s, %s]", j ? " x " : "", lo, hi);
    }
}
