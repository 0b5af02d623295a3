/* cmd_plot -- `autonum plot`: a program's signed ULP error across its domain, or a cost/error front (gnuplot).  */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "eval/ulp.h"

static const char plot_help[] =
  "usage: autonum plot PROGRAM --out FILE [--samples N] [--target T] [--type Y] [--domain LO:HI]\n"
  "       autonum plot --front FRONT.json|RUN --out FILE [--baseline NAME:COST:ERR]... [--db FILE]\n"
  "Draws with gnuplot, into FILE.svg or FILE.png (the format follows the extension):\n"
  "  PROGRAM: its signed error (result - exact value, in ULPs of the exact value's binade) at N\n"
  "  points (default 4000) evenly spread over the domain, against x; geometrically spread, on a\n"
  "  log x axis, when the domain is positive and spans more than 8 binades.  Points with an\n"
  "  infinite or NaN error are counted in the title, not drawn.\n"
  "  --front: the cost/error Pareto front saved by 'autonum search --json', or of stored run RUN\n"
  "  (cost on x, the error in the run's metric, ULPs or --abs/--rel, on a log y axis;\n"
  "  verified and sampled members apart; errors of 0 drawn low), with each\n"
  "  --baseline NAME:COST:ERR (ERR in that metric) as a labelled point.\n"
  "Needs gnuplot (Debian package gnuplot-nox).\n";

#define PLOT_DEFAULT_SAMPLES 4000
/* The floor of the log error axis: an exact program still gets a point.  */
#define PLOT_MIN_ERR 1e-3
/* A positive domain wider than this ratio gets geometric spacing and a log x axis.  */
#define PLOT_LOG_RATIO 256.0

/* The temporary directory holding gnuplot's data, script and messages, and
   the partial output beside OUT, renamed to OUT only once gnuplot succeeds.  */
typedef struct {
  char dir[4096];
  char data[4096 + 16], script[4096 + 16], log[4096 + 16];
  char part[4096 + 32];
  FILE *dat, *gp;
} plot_files;

/* The terminal for OUT's extension, as a gnuplot command, or NULL.  */
static const char *
plot_terminal (const char *out)
{
  const char *dot = strrchr (out, '.');
  if (!dot || strchr (dot, '/'))
    return NULL;
  if (strcasecmp (dot, ".svg") == 0)
    return "set terminal svg size 900,560 dynamic font 'sans,11' background rgb 'white'\n";
  if (strcasecmp (dot, ".png") == 0)
    return "if (strstrt (GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
           "  set terminal pngcairo size 900,560 font 'sans,10'\n"
           "} else {\n"
           "  set terminal png size 900,560\n"
           "}\n";
  return NULL;
}

/* Whether PROG is an executable file in a directory of $PATH.  */
static int
in_path (const char *prog)
{
  const char *path = getenv ("PATH");
  for (const char *p = path ? path : "/usr/bin:/bin"; p;)
    {
      size_t len = strcspn (p, ":");
      char file[4096];
      snprintf (file, sizeof file, "%.*s/%s", (int) len, len ? p : ".", prog);
      if (access (file, X_OK) == 0)
        return 1;
      p = p[len] ? p + len + 1 : NULL;
    }
  return 0;
}

/* The checks on --out that come before any work.  */
static int
check_out (const char *out)
{
  if (!out)
    return cli_error ("plot: --out FILE.svg or FILE.png is required"), CLI_USAGE;
  if (!plot_terminal (out))
    return cli_error ("plot: cannot tell the format of '%s': give a .svg or .png file", out), CLI_USAGE;
  return 0;
}

static void
plot_remove (plot_files *pf)
{
  if (pf->dat)
    fclose (pf->dat);
  if (pf->gp)
    fclose (pf->gp);
  pf->dat = pf->gp = NULL;
  unlink (pf->data);
  unlink (pf->script);
  unlink (pf->log);
  rmdir (pf->dir);
  unlink (pf->part);   /* gone already when the picture was finished */
}

/* Checks OUT and gnuplot, then creates the files and starts the script
   with the terminal and the output.  */
static int
plot_begin (plot_files *pf, const char *out)
{
  memset (pf, 0, sizeof *pf);
  int rc = check_out (out);
  if (rc)
    return rc;
  if (!in_path ("gnuplot"))
    return cli_error ("gnuplot not found (install gnuplot-nox)");
  snprintf (pf->part, sizeof pf->part, "%s.tmp%ld", out, (long) getpid ());
  FILE *part = fopen (pf->part, "w");   /* fails here, with a clearer message than gnuplot's */
  if (!part || fclose (part) != 0)
    return cli_error ("cannot write '%s': %s", out, strerror (errno));
  const char *base = getenv ("TMPDIR");
  snprintf (pf->dir, sizeof pf->dir, "%s/autonum-plot-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp (pf->dir))
    {
      int err = errno;
      unlink (pf->part);
      return cli_error ("cannot create a temporary directory %s: %s", pf->dir, strerror (err));
    }
  snprintf (pf->data, sizeof pf->data, "%s/plot.dat", pf->dir);
  snprintf (pf->script, sizeof pf->script, "%s/plot.gp", pf->dir);
  snprintf (pf->log, sizeof pf->log, "%s/gnuplot.log", pf->dir);
  pf->dat = fopen (pf->data, "w");
  pf->gp = fopen (pf->script, "w");
  if (!pf->dat || !pf->gp)
    {
      int err = errno;
      plot_remove (pf);
      return cli_error ("cannot write in %s: %s", pf->dir, strerror (err));
    }
  fputs (plot_terminal (out), pf->gp);
  fputs ("set termoption noenhanced\nset output ", pf->gp);
  cli_put_quoted (pf->gp, pf->part);
  fputs ("\nset grid\n", pf->gp);
  return 0;
}

/* The last line gnuplot wrote that says something: its error message.  */
static void
last_message (const char *log, char *buf, size_t size)
{
  FILE *f = fopen (log, "r");
  char line[512];
  snprintf (buf, size, "(no message)");
  while (f && fgets (line, sizeof line, f))
    {
      line[strcspn (line, "\n")] = 0;
      const char *s = line + strspn (line, " \t^");
      if (*s)
        snprintf (buf, size, "%s", s);
    }
  if (f)
    fclose (f);
}

static int
run_gnuplot (const plot_files *pf)
{
  posix_spawn_file_actions_t fa;
  char *argv[] = {(char *) "gnuplot", (char *) pf->script, NULL};
  extern char **environ;
  pid_t pid;
  int status;
  if (posix_spawn_file_actions_init (&fa) != 0)
    return cli_error ("plot: cannot start gnuplot");
  int rc = posix_spawn_file_actions_addopen (&fa, 0, "/dev/null", O_RDONLY, 0);
  if (rc == 0)
    rc = posix_spawn_file_actions_addopen (&fa, 1, pf->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (rc == 0)
    rc = posix_spawn_file_actions_adddup2 (&fa, 1, 2);
  if (rc == 0)
    rc = posix_spawnp (&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  if (rc != 0)
    return cli_error ("cannot run gnuplot: %s", strerror (rc));
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return cli_error ("waitpid gnuplot: %s", strerror (errno));
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  char msg[512];
  last_message (pf->log, msg, sizeof msg);
  return cli_error ("gnuplot failed: %s", msg);
}

/* Runs the finished script and moves the picture to OUT; removes every
   temporary file, whatever happens.  */
static int
plot_finish (plot_files *pf, const char *out)
{
  int bad = ferror (pf->dat) | ferror (pf->gp);
  bad |= fclose (pf->dat) != 0;
  bad |= fclose (pf->gp) != 0;
  pf->dat = pf->gp = NULL;
  int rc = bad ? cli_error ("cannot write in %s: %s", pf->dir, strerror (errno)) : run_gnuplot (pf);
  if (rc == 0 && rename (pf->part, out) != 0)
    rc = cli_error ("cannot write '%s': %s", out, strerror (errno));
  plot_remove (pf);
  return rc;
}

/* N inputs spread over [LO, HI], values of type Y in its storage X:
   evenly, or geometrically when GEOMETRIC.  */
static void
profile_inputs (dsl_type y, double lo, double hi, int geometric, size_t n, void *x)
{
  for (size_t i = 0; i < n; i++)
    {
      double t = n > 1 ? (double) i / (double) (n - 1) : 0.5;
      double v = geometric ? lo * pow (hi / lo, t) : lo + (hi - lo) * t;
      eval_store_value (y, x, i, eval_round_to (y, fmin (fmax (v, lo), hi)));
    }
}

/* Writes "x error" for the points of X (results Y, of type TY) whose signed
   ULP error is finite; returns how many are not, EMIN and EMAX set over the
   others.  */
static size_t
write_profile (FILE *dat, const eval_target *t, dsl_type ty, const void *x, const void *y, size_t n, double *emin,
               double *emax)
{
  size_t bad = 0;
  *emin = INFINITY, *emax = -INFINITY;
  for (size_t i = 0; i < n; i++)
    {
      double xd = eval_value (ty, x, i), fhi, flo;
      eval_ref_dd (t, &xd, &fhi, &flo);
      double e = eval_ulp_signed_error (dsl_type_info (ty), eval_value (ty, y, i), fhi, flo);
      if (!isfinite (e))
        {
          bad++;
          continue;
        }
      *emin = fmin (*emin, e);
      *emax = fmax (*emax, e);
      fprintf (dat, "%.17g %.9g\n", xd, e);
    }
  return bad;
}

static int
plot_profile (const cli_opts *o, const cli_job *job)
{
  if (job->target->arity != 1)
    return cli_error ("plot: the error profile is drawn for one-argument targets (%s takes %d)", job->target->label,
                      job->target->arity);
  if (o->nbaseline)
    return cli_error ("plot: --baseline NAME:COST:ERR goes with --front"), CLI_USAGE;
  size_t n = o->samples ? (size_t) o->samples : PLOT_DEFAULT_SAMPLES;
  double lo = job->dom.lo[0], hi = job->dom.hi[0];
  int geometric = lo > 0 && hi / lo > PLOT_LOG_RATIO;
  void *x = malloc (n * eval_type_size (job->type)), *y = malloc (n * eval_type_size (job->type));
  if (!x || !y)
    return free (x), free (y), cli_error ("out of memory");
  profile_inputs (job->type, lo, hi, geometric, n, x);
  const void *in[1] = {x};
  if (dsl_run (job->prog, n, in, y) < 0)
    return free (x), free (y), cli_error ("out of memory");

  plot_files pf;
  int rc = plot_begin (&pf, o->output);
  if (rc)
    return free (x), free (y), rc;
  double emin, emax;
  size_t bad = write_profile (pf.dat, job->target, job->type, x, y, n, &emin, &emax);
  free (x);
  free (y);
  if (bad == n)
    {
      plot_remove (&pf);
      return cli_error ("plot: %s has an infinite or NaN error at all %zu points: nothing to draw", job->source, n);
    }
  char title[512], slo[64], shi[64];
  cli_format_value (lo, slo, sizeof slo);
  cli_format_value (hi, shi, sizeof shi);
  snprintf (title, sizeof title,
            "%s: %s (%s), %s, on [%s, %s]\n%zu points (sampled)%s, signed error from %.4g to %.4g ULP", job->source,
            job->target->label, job->target->formula, dsl_type_name (job->type), slo, shi, n,
            bad ? ", some with infinite or NaN error not drawn" : "", emin, emax);
  fputs ("set title ", pf.gp);
  cli_put_quoted (pf.gp, title);
  fprintf (pf.gp, "\nset xlabel 'x'\nset ylabel 'signed error (ULP)'\nset key off\nset autoscale xfix\n%s",
           geometric ? "set logscale x 2\nset format x '2^%L'\n" : "");
  fputs ("plot ", pf.gp);
  cli_put_quoted (pf.gp, pf.data);
  fputs (" using 1:2 with points pt 7 ps 0.3 lc rgb '#1f5fa0'\n", pf.gp);
  if ((rc = plot_finish (&pf, o->output)))
    return rc;
  printf ("wrote %s: signed error of %s at %zu points, from %.6g to %.6g ULP (sampled, not verified)", o->output,
          job->source, n - bad, emin, emax);
  if (bad)
    printf ("; %zu points with infinite or NaN error not drawn", bad);
  putchar ('\n');
  return CLI_OK;
}

int
cli_plot_front (const cli_plot_point *front, int nfront, const cli_plot_point *base, int nbase, const char *title,
                const char *ylabel, const char *out)
{
  plot_files pf;
  int rc = plot_begin (&pf, out);
  if (rc)
    return rc;
  /* One file, a series number in the first column: 0 verified, 1 sampled, 2 baselines.  */
  int count[3] = {0, 0, 0};
  /* Errors of 0 cannot sit on a log axis: they are drawn at PLOT_MIN_ERR, or at a tenth of the
     least positive error where that is lower (a relative error of 1e-7).  */
  double floor_err = PLOT_MIN_ERR;
  for (int k = 0; k < nfront + nbase; k++)
    {
      const cli_plot_point *p = k < nfront ? &front[k] : &base[k - nfront];
      if (p->err > 0 && isfinite (p->err) && p->err / 10 < floor_err)
        floor_err = p->err / 10;
    }
  for (int k = 0; k < nfront + nbase; k++)
    {
      const cli_plot_point *p = k < nfront ? &front[k] : &base[k - nfront];
      if (!isfinite (p->err) || !isfinite (p->cost))
        continue;
      int series = k >= nfront ? 2 : p->verified ? 0 : 1;
      count[series]++;
      fprintf (pf.dat, "%d %.9g %.9g \"", series, p->cost, fmax (p->err, floor_err));
      for (const char *c = p->label ? p->label : ""; *c; c++)
        fputc (*c == '"' ? '\'' : *c, pf.dat);
      fputs ("\"\n", pf.dat);
    }
  if (count[0] + count[1] + count[2] == 0)
    {
      plot_remove (&pf);
      return cli_error ("plot: no point with a finite cost and error to draw");
    }
  fputs ("set title ", pf.gp);
  cli_put_quoted (pf.gp, title);
  fputs ("\nset xlabel 'cost (weighted instruction count)'\nset ylabel ", pf.gp);
  cli_put_quoted (pf.gp, ylabel);
  fputs ("\nset logscale y 10\nset key top right\nset offsets graph 0.05, graph 0.1, graph 0.05, graph 0.05\nplot ",
         pf.gp);
  static const char *const style[3] = {
    "with points pt 7 ps 0.8 lc rgb '#1f5fa0' title 'front, verified'",
    "with points pt 6 ps 0.8 lc rgb '#7f7f7f' title 'front, sampled'",
    "with points pt 5 ps 1.0 lc rgb '#c03020' title 'baselines'",
  };
  int first = 1;
  for (int series = 0; series < 3; series++)
    if (count[series])
      {
        fputs (first ? "" : ", ", pf.gp);
        cli_put_quoted (pf.gp, pf.data);
        fprintf (pf.gp, " using 2:($1 == %d ? $3 : NaN) %s", series, style[series]);
        first = 0;
      }
  if (count[2])
    fputs (", '' using 2:($1 == 2 ? $3 : NaN):4 with labels left offset 1,0.6 notitle", pf.gp);
  fputc ('\n', pf.gp);
  if ((rc = plot_finish (&pf, out)))
    return rc;
  printf ("wrote %s: %d front members (%d verified, %d sampled), %d baseline%s\n", out, count[0] + count[1],
          count[0], count[1], count[2], count[2] == 1 ? "" : "s");
  return CLI_OK;
}

/* NAME:COST:ERR (split at the last two colons: NAME may hold colons).  */
static int
parse_baseline (const char *spec, cli_plot_point *p)
{
  const char *c2 = strrchr (spec, ':'), *c1 = c2;
  while (c1 && c1 > spec && *--c1 != ':')
    ;
  char *end1, *end2;
  if (!c1 || c1 == spec || *c1 != ':')
    return -1;
  p->cost = strtod (c1 + 1, &end1);
  p->err = strtod (c2 + 1, &end2);
  if (end1 != c2 || c1 + 1 == c2 || *end2 || !c2[1] || !(p->cost >= 0) || !(p->err >= 0))
    return -1;
  p->label = strndup (spec, (size_t) (c1 - spec));
  p->verified = 0;
  return p->label ? 0 : -1;
}

/* The front of stored run RUN into FF (--front RUN: a number that is not a file).  */
static int
front_from_db (const cli_opts *o, const char *run_arg, cli_front_file *ff)
{
  store *db;
  if (cli_db_open (o, 0, &db))
    return CLI_FAIL;
  dsl_error e;
  store_run r;
  store_program *p = NULL;
  int n = 0, rc = 0;
  int64_t run = strtoll (run_arg, NULL, 10);
  if (store_run_get (db, run, &r, &e) < 0 || store_members_get (db, run, "front", &p, &n, &e) < 0)
    rc = cli_error ("%s", e.msg);
  ff->pts = rc ? NULL : calloc (n ? n : 1, sizeof *ff->pts);
  if (!rc && !ff->pts)
    rc = cli_error ("out of memory");
  for (int i = 0; !rc && i < n; i++)
    {
      double err = p[i].verified ? p[i].err_verified : p[i].err_large;
      if (isfinite (err))   /* as autonum front shows it */
        ff->pts[ff->n++] = (cli_plot_point){p[i].cost, err, NULL, p[i].verified};
    }
  if (!rc)
    {
      const eval_target *t = eval_target_resolve (r.target, NULL);
      snprintf (ff->target, sizeof ff->target, "%s", t ? t->label : r.target);
      snprintf (ff->type, sizeof ff->type, "%s", r.type);
      snprintf (ff->ylabel, sizeof ff->ylabel, "%s error (%.16s)", strcmp (r.objective, "mean") ? "max" : "mean",
                r.metric);
    }
  store_programs_free (p, n);
  store_close (db);
  return rc;
}

static int
plot_front_file (const cli_opts *o)
{
  if (o->npos)
    return cli_error ("plot: --front takes no program; unexpected '%s'", o->pos[0]), CLI_USAGE;
  cli_plot_point base[CLI_MAX_BASELINES];
  int nbase = 0, rc = 0;
  for (; nbase < o->nbaseline; nbase++)
    if (parse_baseline (o->baseline[nbase], &base[nbase]) < 0)
      {
        cli_error ("plot: --baseline needs NAME:COST:ERR with COST and ERR numbers >= 0, not '%s'",
                   o->baseline[nbase]);
        rc = CLI_USAGE;
        break;
      }
  cli_front_file ff = {"", "", NULL, 0, "max error (ULP)"};
  int stored = cli_is_stored_id (o->front);
  if (!rc)
    rc = stored ? front_from_db (o, o->front, &ff) : cli_front_read (o->front, &ff);
  if (rc == 0)
    {
      char title[512];
      snprintf (title, sizeof title, "cost/error front: %.200s, %s (%s%s)", ff.target, ff.type[0] ? ff.type : "?",
                stored ? "run " : "", o->front);
      rc = cli_plot_front (ff.pts, ff.n, base, nbase, title, ff.ylabel, o->output);
    }
  for (int k = 0; k < nbase; k++)
    free ((char *) base[k].label);
  free (ff.pts);
  return rc;
}

int
cmd_plot (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("plot",
                      CLI_O_PROGRAM CLI_O_SAMPLES CLI_O_OUTPUT CLI_O_FRONT CLI_O_BASELINE, argc,
                      argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (plot_help, stdout), CLI_OK);
  if ((rc = check_out (o.output)))
    return rc;
  if (o.front)
    return plot_front_file (&o);
  cli_job job;
  if ((rc = cli_job_load (&o, 1, &job)))
    return cli_job_free (&job), rc;
  rc = plot_profile (&o, &job);
  cli_job_free (&job);
  return rc;
}
