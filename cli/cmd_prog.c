/* cmd_prog -- the commands on one program: eval (sampled), verify (exhaustive), export (C), and targets.  */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cli/cli.h"
#include "eval/ulp.h"

#define DEFAULT_SAMPLES 65536

static const char eval_help[] =
  "usage: autonum eval PROGRAM [--target T [--order V]] [--type Y] [--domain LO:HI] [--samples N] [--seed S]\n"
  "                            [--ulp B | --abs E | --rel E] [--objective max|mean] [--threads N]\n"
  "Scores PROGRAM (a file, or - for stdin) on N sample points of the domain (default 65536):\n"
  "special points and domain ends, half stratified over binades, half uniform in value, with\n"
  "correctly rounded references from MPFR (every input when the domain has N or fewer, as a\n"
  "16- or 8-bit type's does).  Prints the max and mean error in ULPs, in the bound's metric\n"
  "(absolute or relative) beside it, and the worst input.  --order V fixes the first argument of a\n"
  "two-argument expression target (logbesseli, logbesselk: the order); --domain v=0:10,x=1:2 names\n"
  "the arguments (bounds that are not values of the type are rounded inward).\n";

static const char verify_help[] =
  "usage: autonum verify PROGRAM [--target T [--order V]] [--type Y] [--domain LO:HI] [--ulp B | --abs E | --rel E]\n"
  "                              [--objective max|mean] [--threads N]\n"
  "Evaluates PROGRAM on every value of the type in the domain and reports the exact maximum error\n"
  "(ULPs, and the bound's metric beside), the worst input and how many inputs exceed the bound\n"
  "(default 1 ULP).  float64 and pairs of float32 values have too many inputs: there the program is\n"
  "scored on stratified samples and a local search over input bits hunts for worse inputs, reported\n"
  "as 'sampled + searched'.\n"
  "Exit status 1 when some input exceeds the bound (with --objective mean: when the mean does).\n";

static const char export_help[] =
  "usage: autonum export PROGRAM --name NAME [-o FILE] [--verify] [--samples N] [--threads N]\n"
  "                              [--target T [--order V]] [--type Y] [--domain LO:HI] [--ulp B | --abs E | --rel E]\n"
  "Writes PROGRAM as one self-contained C99 file (stdout by default) defining NAME with the type's\n"
  "signature (float, double; uint16_t or uint8_t bit patterns for the 16- and 8-bit types, with\n"
  "conversion helpers in the file) and the array entry point NAME_array.  Its header states the\n"
  "measured error in ULPs and in the bound's metric: sampled (default), or with --verify checked\n"
  "on every input (float64: sampled + searched).\n";

static const char targets_help[] = "usage: autonum targets\nLists the targets, their types and default domains.\n";

static void
print_input (FILE *f, const char *label, const cli_job *job, const uint64_t *bits)
{
  char buf[96];
  fprintf (f, "%s:", label);
  for (int j = 0; j < job->target->arity; j++)
    {
      cli_format_input (job->type, bits[j], buf, sizeof buf);
      fprintf (f, " %s", buf);
    }
  fputc ('\n', f);
}

/* "worst element: x = V, element I of vector N (length L) of the set S".  */
static void
print_element (FILE *f, const cli_job *job, const eval_samples *s, size_t i)
{
  size_t v = eval_softmax_vector_of (s, i), from = v ? s->vend[v - 1] : 0;
  char buf[96];
  cli_format_input (job->type, eval_value_bits (job->type, s->logit, i), buf, sizeof buf);
  fprintf (f, "worst element: x = %s, element %zu of vector %zu (length %zu)\n", buf, i - from, v, s->vend[v] - from);
}

/* The errors of E: max and mean ULP, then the bound's metric when it is another.  */
static void
print_errors (FILE *f, const cli_job *job, const eval_errors *e, const char *fmt)
{
  fprintf (f, "max ULP: ");
  fprintf (f, fmt, e->max[EVAL_ULP]);
  fprintf (f, "\nmean ULP: %.6f\n", e->mean[EVAL_ULP]);
  if (job->metric != EVAL_ULP)
    fprintf (f, "%s: %.9g\n%s: %.9g\n", cli_metric_label (job->metric, 0), e->max[job->metric],
             cli_metric_label (job->metric, 1), e->mean[job->metric]);
}

/* Whether errors E meet the job's bound; EXCEEDED: inputs over it.  */
static int
within_bound (const cli_job *job, const eval_errors *e, uint64_t exceeded)
{
  return job->mean ? e->mean[job->metric] <= job->bound : exceeded == 0;
}

static void
print_bound (FILE *f, const cli_job *job, const eval_errors *e, uint64_t exceeded, uint64_t points)
{
  if (job->mean)
    fprintf (f, "objective: %s %.9g (bound %g): %s\n", cli_metric_label (job->metric, 1), e->mean[job->metric],
             job->bound, within_bound (job, e, exceeded) ? "met" : "exceeded");
  fprintf (f, "exceeded bound: %llu of %llu points (bound %g %s)\n", (unsigned long long) exceeded,
           (unsigned long long) points, job->bound, eval_metric_name (job->metric));
}

static void
print_header (const cli_job *job)
{
  printf ("target: %s (%s)  type: %s  domain: ", job->target->label, job->target->formula,
          dsl_type_name (job->type));
  cli_print_domain (stdout, job->target, &job->dom);
  if (job->target->note)
    printf ("\n%s", job->target->note);
  printf ("\nprogram: %s (%d instructions, cost %g)\n", job->source, job->prog->ninsn, dsl_prog_cost (job->prog, job->target ? job->dom.lo : NULL, job->target ? job->dom.hi : NULL));
}

/* Sampled scoring shared by eval and export.  */
static int
score_sampled (const cli_opts *o, const cli_job *job, double bound, eval_samples **s, eval_score *sc)
{
  dsl_error e;
  size_t n = o->samples ? (size_t) o->samples : DEFAULT_SAMPLES;
  if (eval_samples_build (job->target, job->type, &job->dom, n, o->seed, o->threads, s, &e) < 0)
    return cli_error ("%s", e.msg);
  if (eval_score_prog (job->prog, *s, job->metric, bound, sc, &e) < 0)
    return cli_error ("%s", e.msg);
  return 0;
}

int
cmd_eval (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("eval", CLI_O_PROGRAM CLI_O_SAMPLES CLI_O_SEED CLI_O_BOUND CLI_O_THREADS,
                      argc, argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (eval_help, stdout), CLI_OK);
  cli_job job;
  if ((rc = cli_job_load (&o, 1, &job)))
    return cli_job_free (&job), rc;
  eval_samples *s = NULL;
  eval_score sc;
  if ((rc = score_sampled (&o, &job, job.bound, &s, &sc)) == 0)
    {
      print_header (&job);
      if (s->nvec)
        printf ("sampled: %zu elements in %zu softmax vectors (seed %llu), not verified\n", sc.npoints, s->nvec,
                (unsigned long long) o.seed);
      else if (sc.npoints < (o.samples ? (size_t) o.samples : DEFAULT_SAMPLES))
        printf ("sampled: every input of the domain (%zu points)\n", sc.npoints);
      else
        printf ("sampled: %zu points (seed %llu), not verified\n", sc.npoints, (unsigned long long) o.seed);
      print_errors (stdout, &job, &sc.err, "%.6f");
      uint64_t w[EVAL_MAXARITY];
      for (int j = 0; j < job.target->arity; j++)
        w[j] = eval_value_bits (job.type, s->in[j], sc.worst);
      if (s->nvec)
        print_element (stdout, &job, s, sc.worst);
      else
        print_input (stdout, "worst input", &job, w);
      print_bound (stdout, &job, &sc.err, sc.exceeded, sc.npoints);
    }
  eval_samples_free (s);
  cli_job_free (&job);
  return rc;
}

/* Progress on stderr, only when it is a terminal.  */
static void
verify_progress (double done, void *arg)
{
  const time_t *start = arg;
  double el = difftime (time (NULL), *start);
  fprintf (stderr, "\rverifying: %5.1f%%  %4.0f s elapsed, about %4.0f s left ", 100 * done, el,
           done > 0.001 ? el * (1 - done) / done : 0.0);
  fflush (stderr);
}

static int
run_verify (const cli_opts *o, const cli_job *job, double bound, eval_verify_result *r)
{
  dsl_error e;
  time_t start = time (NULL);
  int tty = !o->quiet && isatty (2);
  int rc = job->target->vectors
             ? eval_verify_softmax (job->prog, job->target, o->three_pass ? EVAL_SOFTMAX_THREE_PASS : EVAL_SOFTMAX_TWO_PASS,
                                    job->metric, bound, o->threads, 1, r, &e)
             : eval_verify (job->prog, job->target, &job->dom, job->metric, bound, o->threads,
                            tty ? verify_progress : NULL, &start, r, &e);
  if (tty)
    fputs ("\r\033[K", stderr);
  if (rc < 0)
    return cli_error ("%s", e.msg);
  return 0;
}

/* --softmax-form only where there is a softmax.  */
static int
check_form (const cli_opts *o, const cli_job *job)
{
  if (o->three_pass && !(job->target && job->target->vectors))
    return cli_error ("--softmax-form applies to the softmax target only"), CLI_USAGE;
  return 0;
}

/* A softmax program: its vectors' figures (R), then its kernel against e^r on every input.  */
static int
verify_softmax_report (const cli_opts *o, const cli_job *job, const eval_verify_result *r, int *over)
{
  const eval_samples *s;
  dsl_error e;
  if (eval_softmax_vectors (job->target, job->type, o->threads, &s, &e) < 0)
    return cli_error ("%s", e.msg);
  size_t shortest = SIZE_MAX, longest = 0;
  for (size_t v = 0, from = 0; v < s->nvec; from = s->vend[v++])
    {
      size_t len = s->vend[v] - from;
      shortest = len < shortest ? len : shortest;
      longest = len > longest ? len : longest;
    }
  printf ("verified on the stored vectors: every output of %zu softmax vectors, %llu elements (lengths %zu to "
          "%zu, seed 0x%llx), %s form\n", s->nvec, (unsigned long long) r->checked, shortest, longest,
          (unsigned long long) EVAL_SOFTMAX_SEED, o->three_pass ? "three-pass" : "two-pass");
  printf ("program run as: %s\n", r->native ? "the exported softmax function, compiled: the same bits as autonum's "
                                               "scoring on every element, y apart from x and in place" : "the interpreter");
  print_errors (stdout, job, &r->err, "%.9f");
  print_element (stdout, job, s, r->worst_element);
  print_bound (stdout, job, &r->err, r->exceeded, r->checked);
  /* The kernel's signed relative error on every r of its domain, and what it proves for
     every vector (eval_softmax_bound).  */
  eval_softmax_range rg;
  time_t w0 = time (NULL);
  if (eval_softmax_kernel_range (job->prog, job->target, &job->dom, o->threads, &rg, &e) < 0)
    return cli_error ("%s", e.msg);
  /* What counts is the spread of k / e^r = 1 + e about its mean c, which cancels.  */
  printf ("kernel against e^r: relative error in [%.6g, %.6g], a spread of %.4f 2^-24 of c (k(r) = c e^r "
          "(1 + d), c cancels) on every one of the %llu inputs r of its domain\n", rg.emin, rg.emax,
          (rg.emax - rg.emin) / fabs (1 + (rg.emin + rg.emax) / 2) * 0x1p24,
          (unsigned long long) eval_domain_count (job->type, 1, &job->dom));
  /* The stored vectors are not every vector: the worst one built from the kernel's extremes.  */
  double worst, lone, rep;
  size_t m;
  eval_softmax_form form = o->three_pass ? EVAL_SOFTMAX_THREE_PASS : EVAL_SOFTMAX_TWO_PASS;
  if (eval_softmax_adversary (job->prog, job->target, &job->dom, form, &rg, &worst, &m, &lone, &rep, &e) < 0)
    return cli_error ("%s", e.msg);
  printf ("searched: the worst of %d vectors built from the kernel's extremes (one element where its error is\n"
          "largest, the others where it is least, or the reverse; %s): %.6f ULP, the vector {%a%s, %a x %zu}\n",
          2 * EVAL_SOFTMAX_ADVERSARY_M, o->three_pass ? "with a 0 as the maximum" : "lengths 2 to 2^20",
          worst, lone, o->three_pass ? ", 0" : "", rep, m);
  /* A vector over a ULP bound is a counterexample, stored or not.  */
  *over = job->metric == EVAL_ULP && !job->mean && !(worst <= job->bound);
  if (*over)
    printf ("over the bound: that vector's %.6f ULP exceeds %g ULP (the stored vectors are within it, not every "
            "vector)\n", worst, job->bound);
  if (o->three_pass)
    printf ("bound for every vector: derived for the two-pass form only\n");
  else
    printf ("bound for every vector of up to 2^20 elements (two-pass form; proven from the kernel's range, the "
            "reduction, the sum and the last rounding): %.6f ULP\n",
            eval_softmax_bound (job->type, rg.emin, rg.emax, 0x1p20));
  double kseconds = difftime (time (NULL), w0);
  printf ("time: %.1f s\n", r->seconds + kseconds);
  return 0;
}

int
cmd_verify (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("verify", CLI_O_PROGRAM CLI_O_BOUND CLI_O_THREADS CLI_O_QUIET CLI_O_FORM, argc,
                      argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (verify_help, stdout), CLI_OK);
  cli_job job;
  if ((rc = cli_job_load (&o, 1, &job)) || (rc = check_form (&o, &job)))
    return cli_job_free (&job), rc;
  eval_verify_result r;
  if ((rc = run_verify (&o, &job, job.bound, &r)) == 0 && job.target->vectors)
    {
      print_header (&job);
      int over = 0;
      rc = verify_softmax_report (&o, &job, &r, &over);
      if (rc == 0)
        rc = within_bound (&job, &r.err, r.exceeded) && !over ? CLI_OK : CLI_FAIL;
    }
  else if (rc == 0)
    {
      print_header (&job);
      if (r.method == EVAL_EXHAUSTIVE)
        printf ("verified: every %s input of the domain\n", dsl_type_name (job.type));
      else
        printf ("sampled + searched: %llu points (stratified samples, then a local search over input bits\n"
                "around the worst ones); not every input: %s has too many to check\n",
                (unsigned long long) r.checked, dsl_type_name (job.type));
      printf ("points checked: %llu\n", (unsigned long long) r.checked);
      printf ("program run as: %s\n", r.native ? "its exported C lowered for the domain, compiled (the same bits as its total forms on every input, and as the interpreter on 1 input in 16)"
                                                : "the interpreter");
      print_errors (stdout, &job, &r.err, "%.9f");
      print_input (stdout, "worst input", &job, r.worst);
      print_bound (stdout, &job, &r.err, r.exceeded, r.checked);
      if (r.slow_path)
        printf ("decided by %s: %llu points (the double-precision reference could not decide them)\n",
                job.target->expr ? "Arb" : "MPFR", (unsigned long long) r.slow_path);
      if (r.unresolved)
        printf ("unresolved: %llu points where the reference did not resolve within 4096 bits (a value "
                "outside the function's domain, a pole, or an exact value Arb cannot prove), counted over "
                "the bound\n", (unsigned long long) r.unresolved);
      printf ("time: %.1f s\n", r.seconds);
      rc = within_bound (&job, &r.err, r.exceeded) ? CLI_OK : CLI_FAIL;
    }
  cli_job_free (&job);
  return rc;
}

/* "max ULP error: 0.51, max rel error: 3.1e-08" into BUF; returns its length.  */
static size_t
evidence_errors (char *buf, size_t size, const cli_job *job, const eval_errors *e)
{
  int n = snprintf (buf, size, "max ULP error: %.9g", e->max[EVAL_ULP]);
  if (job->metric != EVAL_ULP)
    n += snprintf (buf + n, size - (size_t) n, ", %s error: %.9g, %s error: %.9g", cli_metric_label (job->metric, 0),
                   e->max[job->metric], cli_metric_label (job->metric, 1), e->mean[job->metric]);
  return (size_t) n;
}

/* The header comment of an exported file: what it computes and the evidence for its error.  */
static char *
export_comment (const cli_opts *o, const cli_job *job, int measured, const char *evidence)
{
  char *prog = dsl_print (job->prog, 0);
  size_t cap = 4096 + (prog ? strlen (prog) * 2 : 0);
  char *c = malloc (cap);
  if (!c || !prog)
    return free (c), free (prog), NULL;
  size_t n = 0;
  if (job->target)
    {
      char lo[64], hi[64];
      n += snprintf (c + n, cap - n, "target: %s (%s), type %s\ndomain:", job->target->label, job->target->formula,
                     dsl_type_name (job->type));
      for (int j = 0; j < job->target->arity; j++)
        {
          cli_format_value (job->dom.lo[j], lo, sizeof lo);
          cli_format_value (job->dom.hi[j], hi, sizeof hi);
          n += snprintf (c + n, cap - n, " [%s, %s]", lo, hi);
        }
      n += snprintf (c + n, cap - n, "\n");
    }
  else
    n += snprintf (c + n, cap - n, "target: none given (error not measured), type %s\n", dsl_type_name (job->type));
  if (measured)
    n += snprintf (c + n, cap - n, "%s\n", evidence);
  n += snprintf (c + n, cap - n, "instructions: %d, cost %g\nsource: %s (seed %llu)\n\nprogram:\n", job->prog->ninsn,
                 dsl_prog_cost (job->prog, job->target ? job->dom.lo : NULL, job->target ? job->dom.hi : NULL), job->source, (unsigned long long) o->seed);
  for (const char *s = prog; *s && n < cap - 8;)
    {
      size_t len = strcspn (s, "\n");
      n += snprintf (c + n, cap - n, "  %.*s\n", (int) len, s);
      s += len + (s[len] == '\n');
    }
  free (prog);
  return c;
}

/* Writes TEXT to PATH through a temporary file and rename, so that a failure
   (disk full, ...) never leaves a half-written file behind.  */
static int
write_atomically (const char *path, const char *text)
{
  size_t len = strlen (text);
  if (!path || strcmp (path, "-") == 0)
    {
      if (fwrite (text, 1, len, stdout) != len || fflush (stdout) != 0)
        return cli_error ("cannot write to standard output: %s", strerror (errno));
      return 0;
    }
  char *tmp = malloc (strlen (path) + 16);
  if (!tmp)
    return cli_error ("out of memory");
  sprintf (tmp, "%s.tmp%ld", path, (long) getpid ());
  FILE *f = fopen (tmp, "wb");
  int ok = f && fwrite (text, 1, len, f) == len;
  ok = f && fclose (f) == 0 && ok;
  if (!ok || rename (tmp, path) != 0)
    {
      int err = errno;
      remove (tmp);
      free (tmp);
      return cli_error ("cannot write '%s': %s", path, strerror (err));
    }
  free (tmp);
  return 0;
}

int
cmd_export (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("export",
                      CLI_O_PROGRAM CLI_O_NAME CLI_O_OUTPUT CLI_O_VERIFY CLI_O_SAMPLES
                        CLI_O_SEED CLI_O_THREADS CLI_O_QUIET CLI_O_BOUND CLI_O_FORM,
                      argc, argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (export_help, stdout), CLI_OK);
  if (!o.name)
    return cli_error ("export: --name NAME is required (the C function's name)"), CLI_USAGE;
  if (!cli_is_c_name (o.name))
    return cli_error ("export: '%s' is not a C identifier", o.name), CLI_USAGE;
  if (dsl_c_name_clashes (o.name, ""))
    return cli_error ("export: '%s' is reserved in the exported C (a keyword or a name the file uses)", o.name),
           CLI_USAGE;
  cli_job job;
  if ((rc = cli_job_load (&o, o.verify, &job)) || (rc = check_form (&o, &job)))
    return cli_job_free (&job), rc;
  char evidence[512] = "";
  if (job.target && o.verify)
    {
      eval_verify_result r;
      if ((rc = run_verify (&o, &job, INFINITY, &r)))
        return cli_job_free (&job), rc;
      size_t n = evidence_errors (evidence, sizeof evidence, &job, &r.err);
      if (r.method == EVAL_VECTORS)
        snprintf (evidence + n, sizeof evidence - n, " of the softmax outputs (verified on all %llu elements of the "
                  "stored vectors, seed 0x%llx, %s form; this file gave the same bits on every one)",
                  (unsigned long long) r.checked, (unsigned long long) EVAL_SOFTMAX_SEED,
                  o.three_pass ? "three-pass" : "two-pass");
      else if (r.method == EVAL_EXHAUSTIVE)
        snprintf (evidence + n, sizeof evidence - n, " (verified: all %llu inputs of the domain)",
                  (unsigned long long) r.checked);
      else
        snprintf (evidence + n, sizeof evidence - n, " (sampled + searched: %llu points; not every input)",
                  (unsigned long long) r.checked);
    }
  else if (job.target)
    {
      eval_samples *s = NULL;
      eval_score sc;
      rc = score_sampled (&o, &job, INFINITY, &s, &sc);
      eval_samples_free (s);
      if (rc)
        return cli_job_free (&job), rc;
      size_t n = evidence_errors (evidence, sizeof evidence, &job, &sc.err);
      snprintf (evidence + n, sizeof evidence - n, " (sampled: %zu %s, seed %llu; not verified)", sc.npoints,
                job.target->vectors ? "elements of softmax vectors, two-pass form" : "points", (unsigned long long) o.seed);
    }
  char *comment = export_comment (&o, &job, job.target != NULL, evidence);
  const double *lo = job.target ? job.dom.lo : NULL, *hi = job.target ? job.dom.hi : NULL;
  char *src = !comment ? NULL
              : job.target && job.target->vectors ? dsl_emit_softmax_c (job.prog, lo, hi, o.name, comment, o.three_pass)
                                                  : dsl_emit_c (job.prog, lo, hi, o.name, comment);
  rc = src ? write_atomically (o.output, src) : cli_error ("out of memory");
  free (comment);
  free (src);
  cli_job_free (&job);
  return rc;
}

int
cmd_targets (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("targets", "", argc, argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs (targets_help, stdout), CLI_OK);
  if (o.npos)
    return cli_error ("targets: unexpected argument '%s'", o.pos[0]), CLI_USAGE;
  printf ("%-10s %-6s %-16s %-9s %s\n", "target", "arity", "formula", "type", "default domain");
  for (int i = 0; i < eval_target_count (); i++)
    {
      const eval_target *t = eval_target_at (i);
      for (int y = 0; y < DSL_NTYPES; y++)
        if (t->has_domain[y])
          {
            printf ("%-10s %-6d %-16s %-9s ", t->name, t->arity, t->fpcore ? "(FPCore below)" : t->formula,
                    dsl_type_name ((dsl_type) y));
            cli_print_domain (stdout, t, &t->dflt[y]);
            putchar ('\n');
          }
    }
  printf ("\nTargets given as FPCore (references on Arb balls; --target also takes an FPCore text, or FILE:NAME):\n");
  for (int i = 0; i < eval_target_count (); i++)
    if (eval_target_at (i)->fpcore)
      printf ("%-10s %s\n", eval_target_at (i)->name, eval_expr_text (eval_target_at (i)->expr));
  return CLI_OK;
}

int
cmd_ops (int argc, char **argv)
{
  cli_opts o;
  int rc = cli_parse ("ops", "", argc, argv, &o);
  if (rc || o.help)
    return rc ? rc : (fputs ("usage: autonum ops\nLists the op table: name, operand and result kinds "
                             "(f float, i integer), cost weight, meaning.\n", stdout), CLI_OK);
  if (o.npos)
    return cli_error ("ops: unexpected argument '%s'", o.pos[0]), CLI_USAGE;
  printf ("%-8s %-6s %-4s %s\n", "op", "kinds", "cost", "meaning");
  for (int i = 0; i < DSL_NOPS; i++)
    {
      const dsl_opinfo *op = dsl_op ((dsl_opcode) i);
      char kinds[8] = "";
      for (int a = 0; a < op->arity; a++)
        kinds[a] = op->arg[a] == DSL_KF ? 'f' : 'i';
      kinds[op->arity] = '>';
      kinds[op->arity + 1] = op->result == DSL_KF ? 'f' : 'i';
      printf ("%-8s %-6s %-4g %s\n", op->name, kinds, op->cost, op->meaning);
    }
  printf ("\nHow exported C writes each op, by what the range analysis proves on the domain, and the\n"
          "weight the search's cost model gives each form (the cost of a program is the sum over its\n"
          "live instructions, plus result.nan where its result may be NaN):\n\n");
  printf ("%-16s %-4s %s\n", "form", "cost", "C, and where it is used");
  for (int f = 0; f < DSL_NLOWER; f++)
    printf ("%-16s %-4g %s\n", dsl_lower_info (f)->name, dsl_lower_info (f)->cost, dsl_lower_info (f)->when);
  return CLI_OK;
}
