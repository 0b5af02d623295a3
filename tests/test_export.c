/* test_export -- exported C compiles without warnings and returns the interpreter's bits.

   Programs: every tests/progs/NAME.anp and random programs covering every op
   (tests/randprog.h).  Each is emitted with dsl_emit_c, compiled with gcc
   (and clang when present) under -std=c99 -Wall -Wextra -pedantic -Werror,
   then compiled through eval_native_compile under several flag sets --
   including GNU C at -O3 -march=native, where gcc contracts a*b+c into fma
   unless the emitted file prevents it -- and called through libffi on nasty
   inputs.  Outputs are compared with dsl_run bit for bit (+0 and -0 differ,
   NaN payloads and signs count).  On a mismatch the program, the inputs and
   both outputs are printed, and the first instruction whose value differs is
   located by compiling every prefix of the program.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dsl/dsl.h"
#include "eval/eval.h"
#include "tests/randprog.h"
#include "tests/tap.h"

#define NRANDOM (8 * DSL_NOPS)    /* random programs: every op forced into 8 of them */
#define NPOINTS 12288             /* inputs per program: all special pairs fit in the first 2/3 */
#define TEST_MAXIN 8              /* the dispatcher passes at most this many inputs */
#define MAXDETAIL 6               /* mismatching programs explained in full per flag set */
#define MAXPOINTS 4               /* mismatching points printed per program */

extern char **environ;

/* One program under test.  */
typedef struct {
  dsl_prog *p;
  char label[300];      /* where it came from */
  char name[32];        /* its C function name */
  char *src;            /* dsl_emit_c output */
  float *ref;           /* dsl_run output on the NPOINTS inputs */
} test_case;

static float *inputs[TEST_MAXIN];
static int max_detail = MAXDETAIL;
static char tmpdir[4096];

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static uint32_t
bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static float
from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

/* A growable string.  */
typedef struct {
  char *s;
  size_t len, cap;
} sbuf;

static void sb_printf (sbuf *b, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
sb_printf (sbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (NULL, 0, fmt, ap);
  va_end (ap);
  if (b->len + (size_t) n + 1 > b->cap)
    {
      b->cap = 2 * (b->len + (size_t) n + 1);
      b->s = realloc (b->s, b->cap);
      if (!b->s)
        abort ();
    }
  va_start (ap, fmt);
  vsnprintf (b->s + b->len, (size_t) n + 1, fmt, ap);
  va_end (ap);
  b->len += (size_t) n;
}

static char *
read_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  if (!f)
    return NULL;
  sbuf b = { NULL, 0, 0 };
  char chunk[4096];
  size_t n;
  sb_printf (&b, "%s", "");
  while ((n = fread (chunk, 1, sizeof chunk, f)) > 0)
    sb_printf (&b, "%.*s", (int) n, chunk);
  fclose (f);
  return b.s;
}

static int
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "w");
  if (!f)
    return -1;
  int bad = fputs (text, f) < 0;
  bad |= fclose (f) != 0;
  return bad ? -1 : 0;
}

/* Prints the first MAXLINES lines of a text as TAP diagnostics.  */
static void
diag_text (const char *prefix, const char *text, int maxlines)
{
  const char *s = text;
  for (int n = 0; s && *s && n < maxlines; n++)
    {
      const char *e = strchr (s, '\n');
      int len = e ? (int) (e - s) : (int) strlen (s);
      tap_diag ("%s%.*s", prefix, len, s);
      s = e ? e + 1 : NULL;
    }
}

/* Runs ARGV with stdout and stderr captured in LOG.  Returns 0 when the
   command ran and exited with status 0.  */
static int
run_logged (char *const *argv, const char *log)
{
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status;
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_addopen (&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2 (&fa, 2, 1);
  int rc = posix_spawnp (&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  if (rc != 0)
    {
      tap_diag ("cannot run %s: %s", argv[0], strerror (rc));
      return -1;
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

static int
on_path (const char *prog)
{
  const char *path = getenv ("PATH");
  char buf[4096];
  for (const char *s = path; s && *s;)
    {
      size_t len = strcspn (s, ":");
      snprintf (buf, sizeof buf, "%.*s/%s", (int) len, s, prog);
      if (access (buf, X_OK) == 0)
        return 1;
      s += len + (s[len] == ':');
    }
  return 0;
}

/* Compiles SRC with CC in strict C99 with warnings as errors.  Returns 0 if
   it is clean; otherwise prints up to MAXLINES lines of the messages when
   MAXLINES > 0.  */
static int
compiles_clean (const char *cc, const char *src, int maxlines)
{
  char file[4200], obj[4200], log[4200];
  snprintf (file, sizeof file, "%s/strict.c", tmpdir);
  snprintf (obj, sizeof obj, "%s/strict.o", tmpdir);
  snprintf (log, sizeof log, "%s/strict.log", tmpdir);
  if (write_file (file, src) < 0)
    return tap_diag ("cannot write %s", file), -1;
  char *argv[] = { (char *) cc, "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                   "-c", file, "-o", obj, NULL };
  int rc = run_logged (argv, log);
  if (rc != 0 && maxlines > 0)
    {
      char *msg = read_file (log);
      diag_text ("  ", msg, maxlines);
      free (msg);
    }
  unlink (file);
  unlink (obj);
  unlink (log);
  return rc;
}

/* The strict-compile check for CC: all programs as one translation unit,
   then, if that fails or for the programs that must be checked alone (the
   .anp files, the probes and the first random program of each op), one by one.  */
static void
check_strict (const char *cc, test_case *cs, int nc, int nalone)
{
  sbuf all = { NULL, 0, 0 };
  for (int k = 0; k < nc; k++)
    sb_printf (&all, "%s\n", cs[k].src);
  double t0 = now ();
  int batch_ok = compiles_clean (cc, all.s, 20) == 0;
  tap_ok (batch_ok, "%s -std=c99 -Wall -Wextra -pedantic -Werror: %d programs in one unit (%.1f s)",
          cc, nc, now () - t0);
  int bad = 0, checked = 0;
  for (int k = 0; k < nc; k++)
    if (k < nalone || !batch_ok)
      {
        checked++;
        if (compiles_clean (cc, cs[k].src, bad < MAXDETAIL ? 12 : 0) != 0)
          {
            tap_ok (0, "%s strict compile of %s (%s)", cc, cs[k].name, cs[k].label);
            if (bad++ < MAXDETAIL)
              {
                char *text = dsl_print (cs[k].p, 0);
                diag_text ("  | ", text, 60);
                free (text);
              }
          }
      }
  tap_ok (bad == 0, "%s strict compile of %d programs one by one: %d with warnings or errors",
          cc, checked, bad);
  free (all.s);
}

/* A function "float NAME (float sel, float x0, ...)" calling program number
   SEL of CS through a volatile pointer, so that each program is compiled as
   the out-of-line function a user would call.  */
static void
add_dispatcher (sbuf *b, const test_case *cs, int nc, int nin, const char *name)
{
  sb_printf (b, "\nfloat %s (float sel", name);
  for (int j = 0; j < nin; j++)
    sb_printf (b, ", float x%d", j);
  sb_printf (b, ")\n{\n  switch ((int) sel)\n    {\n");
  for (int k = 0; k < nc; k++)
    {
      int n = cs[k].p->nin;
      sb_printf (b, "    case %d:\n      {\n        float (*volatile f) (float", k);
      for (int j = 1; j < n; j++)
        sb_printf (b, ", float");
      sb_printf (b, ") = %s;\n        return f (x0", cs[k].name);
      for (int j = 1; j < n; j++)
        sb_printf (b, ", x%d", j);
      sb_printf (b, ");\n      }\n");
    }
  sb_printf (b, "    }\n  return 0;\n}\n");
}

static int
max_inputs (const test_case *cs, int nc)
{
  int m = 1;
  for (int k = 0; k < nc; k++)
    m = cs[k].p->nin > m ? cs[k].p->nin : m;
  return m;
}

/* Compiles the programs CS[0..NC-1] into one library with FLAGS.  */
static eval_native *
compile_batch (const test_case *cs, int nc, const char *flags)
{
  sbuf tu = { NULL, 0, 0 };
  dsl_error err;
  eval_native *f;
  int nin = max_inputs (cs, nc);
  for (int k = 0; k < nc; k++)
    sb_printf (&tu, "%s\n", cs[k].src);
  add_dispatcher (&tu, cs, nc, nin, "autonum_test_dispatch");
  int rc = eval_native_compile (tu.s, "autonum_test_dispatch", DSL_FLOAT32, 1 + nin, flags, &f, &err);
  free (tu.s);
  if (rc != 0)
    {
      tap_diag ("eval_native_compile \"%s\": %s", flags, err.msg);
      return NULL;
    }
  return f;
}

/* Calls program K of a batch library on N points of IN.  */
static void
run_batch (eval_native *f, int nin, int k, size_t n, float *const *in, float *out)
{
  const void *args[1 + TEST_MAXIN];
  float *sel = malloc (n * sizeof *sel);
  if (!sel)
    abort ();
  for (size_t i = 0; i < n; i++)
    sel[i] = (float) k;
  args[0] = sel;
  for (int j = 0; j < nin; j++)
    args[1 + j] = in[j];
  eval_native_run (f, n, args, out);
  free (sel);
}

static void
format_operand (const dsl_prog *p, const dsl_operand *a, const uint32_t *val, char *buf, size_t size)
{
  if (a->is_const)
    snprintf (buf, size, "0x%08x (literal)", (unsigned) a->bits);
  else if ((int) a->ref < p->nin)
    snprintf (buf, size, "0x%08x (%s)", (unsigned) val[a->ref], p->inname[a->ref]);
  else
    snprintf (buf, size, "0x%08x (v%u)", (unsigned) val[a->ref], a->ref - (unsigned) p->nin + 1);
}

/* The prefix of P that ends with instruction M, returning its value as a
   float (integers through asfloat, which keeps the bits).  */
static dsl_prog *
prefix_prog (const dsl_prog *p, int m)
{
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    abort ();
  q->ninsn = m + 1;
  q->out = (uint32_t) (p->nin + m);
  if (dsl_value_kind (q, q->out) == DSL_KI)
    {
      dsl_insn as;
      memset (&as, 0, sizeof as);
      as.op = DSL_ASFLOAT;
      as.a[0].ref = q->out;
      int v = dsl_prog_append (q, &as);
      if (v < 0)
        abort ();
      q->out = (uint32_t) v;
    }
  return q;
}

/* What a located mismatch looks like, for the summary.  */
enum { WHY_VALUE, WHY_NAN_MANY, WHY_NAN_ONE, WHY_WHOLE, WHY_UNKNOWN, WHY_N };
static const char *const why_text[WHY_N] = {
  "values differ (not NaN vs NaN)",
  "NaN vs NaN, two or more NaN operands (which payload propagates is unspecified)",
  "NaN vs NaN, one NaN operand (sign or payload changed)",
  "only the whole program differs (cross-instruction optimisation)",
  "not located",
};

/* Mismatch tallies per flag set: [why][op].  */
static int tally[WHY_N][DSL_NOPS + 1];

static int
is_nan_bits (uint32_t u)
{
  return (u & 0x7fffffffu) > 0x7f800000u;
}

/* Finds the first instruction of C whose compiled value at point I differs
   from the interpreter's, by compiling every prefix of the program with FLAGS,
   prints it and counts it in TALLY.  */
static void
locate_mismatch (const test_case *c, const char *flags, size_t i)
{
  const dsl_prog *p = c->p;
  int m = p->ninsn;
  test_case *pre = calloc ((size_t) m, sizeof *pre);
  uint32_t *ival = calloc ((size_t) (p->nin + m), sizeof *ival);
  uint32_t *nval = calloc ((size_t) (p->nin + m), sizeof *nval);
  float x[TEST_MAXIN], *xp[TEST_MAXIN];
  if (!pre || !ival || !nval)
    abort ();
  for (int j = 0; j < p->nin; j++)
    {
      x[j] = inputs[j][i];
      xp[j] = &x[j];
      ival[j] = nval[j] = bits (x[j]);
    }
  for (int k = 0; k < m; k++)
    {
      pre[k].p = prefix_prog (p, k);
      snprintf (pre[k].name, sizeof pre[k].name, "autonum_prefix_%d", k);
      pre[k].src = dsl_emit_c (pre[k].p, NULL, NULL, pre[k].name, NULL);
      float r;
      if (!pre[k].src || dsl_run (pre[k].p, 1, (const void *const *) xp, &r) != 0)
        abort ();
      ival[p->nin + k] = bits (r);
    }
  eval_native *f = compile_batch (pre, m, flags);
  int first = -1;
  for (int k = 0; f && k < m; k++)
    {
      float r;
      run_batch (f, p->nin, k, 1, xp, &r);
      nval[p->nin + k] = bits (r);
      if (first < 0 && nval[p->nin + k] != ival[p->nin + k])
        first = k;
    }
  if (!f)
    {
      tap_diag ("  (could not compile the prefixes to locate the mismatch)");
      tally[WHY_UNKNOWN][DSL_NOPS]++;
    }
  else if (first < 0)
    {
      tap_diag ("  every prefix agrees at this point: the difference needs the whole program "
                "(cross-instruction optimisation)");
      tally[WHY_WHOLE][DSL_NOPS]++;
    }
  else
    {
      const dsl_insn *in = &p->insn[first];
      const dsl_opinfo *info = dsl_op ((dsl_opcode) in->op);
      uint32_t a = ival[p->nin + first], b = nval[p->nin + first];
      int nnan = 0;
      for (int s = 0; s < info->arity; s++)
        {
          char buf[96];
          format_operand (p, &in->a[s], ival, buf, sizeof buf);
          tap_diag ("    operand %d: %s", s + 1, buf);
          if (info->arg[s] == DSL_KF)
            nnan += is_nan_bits (in->a[s].is_const ? (uint32_t) in->a[s].bits : ival[in->a[s].ref]);
        }
      int why = !(is_nan_bits (a) && is_nan_bits (b)) ? WHY_VALUE
                : nnan >= 2 ? WHY_NAN_MANY : WHY_NAN_ONE;
      tally[why][in->op]++;
      tap_diag ("  first differing value: v%d = %s: %s", first + 1, info->name, why_text[why]);
      tap_diag ("    interpreter 0x%08x (%a)  compiled 0x%08x (%a)", (unsigned) a,
                (double) from_bits (a), (unsigned) b, (double) from_bits (b));
    }
  eval_native_free (f);
  for (int k = 0; k < m; k++)
    {
      dsl_prog_free (pre[k].p);
      free (pre[k].src);
    }
  free (pre);
  free (ival);
  free (nval);
}

/* Prints what differs between the interpreter and the compiled program.  */
static void
explain_mismatch (const test_case *c, const char *flags, const float *got, int detail)
{
  size_t nbad = 0, nnan = 0, firstbad = 0;
  for (size_t i = 0; i < NPOINTS; i++)
    if (bits (got[i]) != bits (c->ref[i]))
      {
        if (nbad++ == 0)
          firstbad = i;
        nnan += is_nan_bits (bits (got[i])) && is_nan_bits (bits (c->ref[i]));
      }
  tap_diag ("%s (%s) with \"%s\": %zu of %d points differ, %zu of them NaN vs NaN",
            c->name, c->label, flags, nbad, NPOINTS, nnan);
  if (!detail)
    return;
  char *text = dsl_print (c->p, 0);
  diag_text ("  | ", text, 60);
  free (text);
  for (size_t i = firstbad, shown = 0; i < NPOINTS && shown < MAXPOINTS; i++)
    if (bits (got[i]) != bits (c->ref[i]))
      {
        char buf[128] = "";
        size_t len = 0;
        for (int j = 0; j < c->p->nin; j++)
          len += (size_t) snprintf (buf + len, sizeof buf - len, " %s=0x%08x", c->p->inname[j],
                                    (unsigned) bits (inputs[j][i]));
        tap_diag ("  point %zu:%s  interpreter 0x%08x (%a)  compiled 0x%08x (%a)", i, buf,
                  (unsigned) bits (c->ref[i]), (double) c->ref[i], (unsigned) bits (got[i]),
                  (double) got[i]);
        shown++;
      }
  locate_mismatch (c, flags, firstbad);
}

/* The located mismatches of one flag set, by cause and op, then cleared.  */
static void
print_tally (const char *flags, int nbad)
{
  int located = 0;
  for (int w = 0; w < WHY_N; w++)
    for (int op = 0; op <= DSL_NOPS; op++)
      located += tally[w][op];
  if (nbad == 0)
    return;
  tap_diag ("summary with \"%s\": %d programs differ, %d located (AUTONUM_TEST_DETAIL=N "
            "locates N per flag set)", flags, nbad, located);
  for (int w = 0; w < WHY_N; w++)
    for (int op = 0; op <= DSL_NOPS; op++)
      if (tally[w][op])
        {
          tap_diag ("  %3d  first at %-7s  %s", tally[w][op],
                    op < DSL_NOPS ? dsl_op ((dsl_opcode) op)->name : "-", why_text[w]);
          tally[w][op] = 0;
        }
}

/* Compiles every program with FLAGS through eval_native_compile and compares
   its outputs with the interpreter's.  */
static void
check_native (test_case *cs, int nc, const char *flags)
{
  double t0 = now ();
  eval_native *f = compile_batch (cs, nc, flags);
  double t1 = now ();
  tap_ok (f != NULL, "eval_native_compile of %d programs with \"%s\" (%.1f s)", nc, flags, t1 - t0);
  if (!f)
    return;
  float *got = malloc (NPOINTS * sizeof *got);
  int nbad = 0;
  if (!got)
    abort ();
  for (int k = 0; k < nc; k++)
    {
      run_batch (f, max_inputs (cs, nc), k, NPOINTS, inputs, got);
      if (memcmp (got, cs[k].ref, NPOINTS * sizeof *got) != 0)
        {
          tap_ok (0, "%s (%s) with \"%s\" returns the interpreter's bits", cs[k].name, cs[k].label,
                  flags);
          explain_mismatch (&cs[k], flags, got, nbad++ < max_detail);
        }
    }
  tap_ok (nbad == 0, "with \"%s\": %d of %d programs return the interpreter's bits on %d points "
          "(calls %.1f s)", flags, nc - nbad, nc, NPOINTS, now () - t1);
  print_tally (flags, nbad);
  free (got);
  eval_native_free (f);
}

static int
has_anp_suffix (const struct dirent *d)
{
  size_t n = strlen (d->d_name);
  return n > 4 && strcmp (d->d_name + n - 4, ".anp") == 0;
}

/* Appends the supported programs of the files DIR/NAME.anp to CS.  */
static int
load_anp (const char *dir, test_case *cs, int nc)
{
  struct dirent **names;
  int n = scandir (dir, &names, has_anp_suffix, alphasort);
  if (n < 0)
    {
      tap_diag ("no program directory %s (%s)", dir, strerror (errno));
      return nc;
    }
  for (int i = 0; i < n; i++)
    {
      char path[4096 + 256];
      dsl_error err;
      dsl_prog *p = NULL;
      snprintf (path, sizeof path, "%s/%s", dir, names[i]->d_name);
      char *text = read_file (path);
      int rc = text ? dsl_parse (text, DSL_FLOAT32, 1, &p, &err) : -1;
      if (rc != 0)
        tap_ok (0, "parse %s: %s", path, text ? err.msg : strerror (errno));
      else if (!dsl_type_supported (p->type) || p->nin > TEST_MAXIN)
        {
          tap_diag ("skip %s: type %s, %d inputs", path, dsl_type_name (p->type), p->nin);
          dsl_prog_free (p);
        }
      else
        {
          cs[nc].p = p;
          snprintf (cs[nc].label, sizeof cs[nc].label, "tests/progs/%s", names[i]->d_name);
          nc++;
        }
      free (text);
      free (names[i]);
    }
  free (names);
  return nc;
}

/* Programs whose results change when a*b+c is contracted into an fma, so
   that a compiler contracting the exported C cannot pass unnoticed.  */
static const char *const contraction_probes[] = {
  "in x\nv1 = mul x x\nv2 = add v1 x\nout v2\n",
  "in x y\nv1 = mul x y\nv2 = sub v1 0x1p+0\nout v2\n",
  "in x y z\nv1 = mul x y\nv2 = mul y z\nv3 = add v1 v2\nout v3\n",
};

static int
add_probes (test_case *cs, int nc)
{
  for (size_t i = 0; i < sizeof contraction_probes / sizeof contraction_probes[0]; i++)
    {
      dsl_error err;
      dsl_prog *p;
      if (dsl_parse (contraction_probes[i], DSL_FLOAT32, 0, &p, &err) != 0)
        {
          tap_ok (0, "parse contraction probe %zu: %s", i, err.msg);
          continue;
        }
      cs[nc].p = p;
      snprintf (cs[nc].label, sizeof cs[nc].label, "contraction probe %zu", i);
      nc++;
    }
  return nc;
}

/* Appends NRANDOM random programs, op k % DSL_NOPS forced into the k-th,
   and checks that every op occurs.  */
static int
add_random (an_rng *r, test_case *cs, int nc)
{
  int count[DSL_NOPS] = { 0 }, bad = 0;
  for (int k = 0; k < NRANDOM; k++)
    {
      dsl_error err;
      dsl_prog *p = randprog_new (r, k % DSL_NOPS);
      if (!p)
        abort ();
      if (dsl_prog_check (p, &err) != 0)
        {
          if (bad++ < MAXDETAIL)
            tap_diag ("random program %d is ill-formed: %s", k, err.msg);
          dsl_prog_free (p);
          continue;
        }
      for (int i = 0; i < p->ninsn; i++)
        count[p->insn[i].op]++;
      cs[nc].p = p;
      snprintf (cs[nc].label, sizeof cs[nc].label, "random #%d", k);
      nc++;
    }
  tap_ok (bad == 0, "%d random programs pass dsl_prog_check (%d do not)", NRANDOM, bad);
  int missing = 0;
  for (int op = 0; op < DSL_NOPS; op++)
    if (count[op] == 0)
      {
        missing++;
        tap_diag ("op %s occurs in no random program", dsl_op ((dsl_opcode) op)->name);
      }
  tap_ok (missing == 0, "every one of the %d ops occurs in the random programs", DSL_NOPS);
  return nc;
}

/* Names, emits and interprets every program.  */
static int
prepare (test_case *cs, int nc)
{
  int bad = 0;
  for (int k = 0; k < nc; k++)
    {
      snprintf (cs[k].name, sizeof cs[k].name, "autonum_test_%d", k);
      cs[k].src = dsl_emit_c (cs[k].p, NULL, NULL, cs[k].name, cs[k].label);
      cs[k].ref = malloc (NPOINTS * sizeof *cs[k].ref);
      if (!cs[k].src || !cs[k].ref
          || dsl_run (cs[k].p, NPOINTS, (const void *const *) inputs, cs[k].ref) != 0)
        bad++;
    }
  tap_ok (bad == 0, "dsl_emit_c and dsl_run succeed on %d programs", nc);
  return bad == 0;
}

/* Each program compiled alone through eval_native_compile with its own arity
   (the batch goes through a dispatcher), for the first program of each arity.  */
static void
check_direct (const test_case *cs, int nc)
{
  int seen[TEST_MAXIN + 1] = { 0 };
  for (int k = 0; k < nc; k++)
    {
      int n = cs[k].p->nin;
      if (seen[n]++)
        continue;
      eval_native *f;
      dsl_error err;
      float *got = malloc (NPOINTS * sizeof *got);
      if (!got)
        abort ();
      int rc = eval_native_compile (cs[k].src, cs[k].name, DSL_FLOAT32, n, "-O2", &f, &err);
      if (rc == 0)
        {
          eval_native_run (f, NPOINTS, (const void *const *) inputs, got);
          eval_native_free (f);
        }
      else
        tap_diag ("eval_native_compile: %s", err.msg);
      int same = rc == 0 && memcmp (got, cs[k].ref, NPOINTS * sizeof *got) == 0;
      tap_ok (same, "%s (%s), %d input(s), compiled alone, returns the interpreter's bits",
              cs[k].name, cs[k].label, n);
      if (rc == 0 && !same)
        explain_mismatch (&cs[k], "-O2", got, 0);
      free (got);
    }
}

static void
check_native_errors (void)
{
  eval_native *f;
  dsl_error err;
  int rc = eval_native_compile ("float f (float x) { return x +; }\n", "f", DSL_FLOAT32, 1, "",
                                &f, &err);
  tap_ok (rc == -1 && f == NULL && strstr (err.msg, "error"),
          "eval_native_compile reports a syntax error: %s", err.msg);
  rc = eval_native_compile ("float f (float x) { return x; }\n", "g", DSL_FLOAT32, 1, "", &f, &err);
  tap_ok (rc == -1 && f == NULL, "eval_native_compile reports a missing symbol: %s", err.msg);
  rc = eval_native_compile ("double f (double x) { return 2 * x; }\n", "f", DSL_FLOAT64, 1, "", &f,
                            &err);
  double x = 0x1.0000000000001p+0, y = 0;
  const void *in[1] = {&x};
  if (rc == 0)
    eval_native_run (f, 1, in, &y);
  tap_ok (rc == 0 && y == 2 * x, "eval_native_compile calls a float64 function: %a", y);
  eval_native_free (rc == 0 ? f : NULL);
  rc = eval_native_open ("libautonum-does-not-exist.so.0", "f", DSL_FLOAT32, 1, &f, &err);
  tap_ok (rc == -1 && f == NULL, "eval_native_open reports a missing library: %s", err.msg);
}

/* libm's expf through eval_native_open, against expf called directly.  */
static void
check_libm (void)
{
  eval_native *f;
  dsl_error err;
  int rc = eval_native_open ("libm.so.6", "expf", DSL_FLOAT32, 1, &f, &err);
  tap_ok (rc == 0, "eval_native_open libm.so.6 expf%s%s", rc ? ": " : "", rc ? err.msg : "");
  if (rc != 0)
    return;
  float *got = malloc (NPOINTS * sizeof *got);
  size_t bad = 0, first = 0;
  if (!got)
    abort ();
  const void *in[1] = { inputs[0] };
  eval_native_run (f, NPOINTS, in, got);
  for (size_t i = 0; i < NPOINTS; i++)
    if (bits (got[i]) != bits (expf (inputs[0][i])) && bad++ == 0)
      first = i;
  tap_ok (bad == 0, "libm.so.6:expf through libffi returns expf's bits on %d points%s", NPOINTS,
          bad ? " (see below)" : "");
  if (bad)
    tap_diag ("%zu differ; first at x=0x%08x: 0x%08x vs 0x%08x", bad,
              (unsigned) bits (inputs[0][first]), (unsigned) bits (got[first]),
              (unsigned) bits (expf (inputs[0][first])));
  free (got);
  eval_native_free (f);
}

/* ---- every type: exported C against the interpreter ----

   For each type, TYPE_PROGS random programs of that type (randprog_new_typed: float64
   ones compute in float64, the others in float32 with now and then a float64 result,
   which is rounded once) in one unit, compiled with each flag set, their array
   entry points run on TYPE_POINTS inputs per argument: every pattern of an 8-bit type,
   every pattern of a 16-bit one in turn, special values and random bits for float64 and
   float32.  Where the compiler has F16C (-march=native here), float16 programs convert
   with its instructions (an_f16_in, an_f16_out), which must give the same bits.  */
#define TYPE_PROGS 60
#define TYPE_POINTS 65536

typedef void array_fn1 (const void *, void *, size_t);
typedef void array_fn2 (const void *, const void *, void *, size_t);
typedef void array_fn3 (const void *, const void *, const void *, void *, size_t);

static void
run_array (void *fn, int nin, void *const *in, void *out, size_t n)
{
  if (nin == 1)
    ((array_fn1 *) fn) (in[0], out, n);
  else if (nin == 2)
    ((array_fn2 *) fn) (in[0], in[1], out, n);
  else
    ((array_fn3 *) fn) (in[0], in[1], in[2], out, n);
}

static void
check_type (an_rng *r, dsl_type y, const char *const *flags, size_t nflags)
{
  size_t sz = eval_type_size (y);
  int bits = dsl_type_bits (y);
  void *in[RANDPROG_MAXIN], *want = malloc (TYPE_POINTS * sz), *got = malloc (TYPE_POINTS * sz);
  for (int j = 0; j < RANDPROG_MAXIN; j++)
    in[j] = malloc (TYPE_POINTS * sz);
  /* Inputs: patterns in turn for the narrow types (argument j offset by a prime), else
     the float32 test inputs (widened exactly for float64, half of them replaced by random
     bits) and random bits after them.  */
  for (int j = 0; j < RANDPROG_MAXIN; j++)
    for (size_t i = 0; i < TYPE_POINTS; i++)
      {
        uint64_t b;
        if (bits <= 16)
          b = (i + 7919 * (size_t) j) & ((1u << bits) - 1);
        else if (i >= NPOINTS)
          b = an_rng_next (r) >> (64 - bits);   /* random bits past the test inputs */
        else if (bits == 32)
          b = eval_f32_bits (inputs[j][i]);
        else
          b = an_rng_below (r, 2) ? an_rng_next (r) : eval_width_bits (inputs[j][i], 1);
        memcpy ((char *) in[j] + i * sz, &b, sz);   /* the low bytes: little-endian */
      }
  sbuf src = { NULL, 0, 0 };
  dsl_prog *ps[TYPE_PROGS];
  int n = 0, bad = 0, out64 = 0;
  char name[64];
  for (int k = 0; k < TYPE_PROGS; k++)
    {
      dsl_error err;
      dsl_prog *p = randprog_new_typed (r, (int) an_rng_below (r, DSL_NOPS), y);
      if (!p || dsl_prog_check (p, &err) != 0)
        {
          bad++;
          dsl_prog_free (p);
          continue;
        }
      uint8_t w[RANDPROG_MAXIN + 2 * RANDPROG_MAXINSN + 2];
      dsl_prog_widths (p, w, NULL);
      out64 += w[p->out] && !dsl_compute_wide (y);
      snprintf (name, sizeof name, "typed_%d", n);
      char *c = dsl_emit_c (p, NULL, NULL, name, NULL);
      if (!c)
        abort ();
      sb_printf (&src, "%s\n", c);
      free (c);
      ps[n++] = p;
    }
  tap_ok (bad == 0 && n == TYPE_PROGS && (dsl_compute_wide (y) || out64 > 0),
          "%s: %d random programs, all well-formed (%d with a float64 result)", dsl_type_name (y), n, out64);
  for (size_t f = 0; f < nflags; f++)
    {
      eval_native *nat;
      dsl_error err;
      int rc = eval_native_compile (src.s, "typed_0", y, ps[0]->nin, flags[f], &nat, &err);
      int wrong = 0;
      for (int k = 0; rc == 0 && k < n; k++)
        {
          snprintf (name, sizeof name, "typed_%d_array", k);
          void *fn = eval_native_symbol (nat, name);
          if (!fn || dsl_run (ps[k], TYPE_POINTS, (const void *const *) in, want) != 0)
            {
              wrong++;
              continue;
            }
          run_array (fn, ps[k]->nin, in, got, TYPE_POINTS);
          if (memcmp (want, got, TYPE_POINTS * sz) != 0)
            {
              if (wrong++ < max_detail)
                for (size_t i = 0; i < TYPE_POINTS; i++)
                  if (memcmp ((char *) want + i * sz, (char *) got + i * sz, sz) != 0)
                    {
                      char *text = dsl_print (ps[k], 1);
                      uint64_t a = 0, b = 0, x = 0;
                      memcpy (&a, (char *) want + i * sz, sz);
                      memcpy (&b, (char *) got + i * sz, sz);
                      memcpy (&x, (char *) in[0] + i * sz, sz);
                      tap_diag ("%s program %d (%s): input 0x%llx gives 0x%llx, the interpreter 0x%llx\n%s",
                                dsl_type_name (y), k, flags[f], (unsigned long long) x, (unsigned long long) b,
                                (unsigned long long) a, text ? text : "");
                      free (text);
                      break;
                    }
            }
        }
      if (rc != 0)
        tap_diag ("%s", err.msg);
      tap_ok (rc == 0 && wrong == 0, "%s, %s: %d exported programs give the interpreter's bits on %d inputs (%d do not)",
              dsl_type_name (y), flags[f], n, TYPE_POINTS, wrong);
      if (rc == 0)
        eval_native_free (nat);
    }
  for (int k = 0; k < n; k++)
    dsl_prog_free (ps[k]);
  free (src.s);
  for (int j = 0; j < RANDPROG_MAXIN; j++)
    free (in[j]);
  free (want);
  free (got);
}

static int
make_tmpdir (void)
{
  const char *base = getenv ("TMPDIR");
  snprintf (tmpdir, sizeof tmpdir, "%s/autonum-test-export-XXXXXX", base && *base ? base : "/tmp");
  return mkdtemp (tmpdir) ? 0 : -1;
}

int
main (void)
{
  static const char *const flag_sets[] = { "-O0", "-O2", "-O3 -march=native -std=gnu99" };
  an_rng rng;
  double t0 = now ();
  an_rng_seed (&rng, tap_seed (20241123));
  if (getenv ("AUTONUM_TEST_DETAIL"))
    max_detail = atoi (getenv ("AUTONUM_TEST_DETAIL"));
  const char *top = getenv ("top_srcdir");
  char dir[4096];
  snprintf (dir, sizeof dir, "%s/tests/progs", top && *top ? top : ".");
  if (make_tmpdir () < 0)
    {
      tap_ok (0, "mkdtemp: %s", strerror (errno));
      return tap_done ();
    }
  for (int j = 0; j < TEST_MAXIN; j++)
    if (!(inputs[j] = malloc (NPOINTS * sizeof *inputs[j])))
      abort ();
  randprog_inputs (&rng, inputs, TEST_MAXIN, NPOINTS);

  check_native_errors ();
  check_libm ();

  test_case *cs = calloc (NRANDOM + 1024, sizeof *cs);
  if (!cs)
    abort ();
  int nc = load_anp (dir, cs, 0);
  tap_diag ("%d program(s) from %s", nc, dir);
  nc = add_probes (cs, nc);
  int nfixed = nc;
  nc = add_random (&rng, cs, nc);
  if (nc > NRANDOM + 1024 - 1)
    abort ();
  if (prepare (cs, nc))
    {
      double t1 = now ();
      static const char *const strict_cc[] = { "gcc", "clang" };
      for (size_t i = 0; i < sizeof strict_cc / sizeof strict_cc[0]; i++)
        if (on_path (strict_cc[i]))
          check_strict (strict_cc[i], cs, nc, nfixed + DSL_NOPS);
        else
          printf ("ok %d # SKIP %s is not on PATH\n", ++tap_n, strict_cc[i]);
      tap_diag ("strict compiles: %.1f s", now () - t1);
      check_direct (cs, nc);
      for (size_t s = 0; s < sizeof flag_sets / sizeof flag_sets[0]; s++)
        check_native (cs, nc, flag_sets[s]);
    }
  static const char *const type_flags[] = { "-O2", "-O3 -march=native -std=gnu99" };
  for (int y = 0; y < DSL_NTYPES; y++)
    check_type (&rng, (dsl_type) y, type_flags, sizeof type_flags / sizeof type_flags[0]);

  for (int k = 0; k < nc; k++)
    {
      dsl_prog_free (cs[k].p);
      free (cs[k].src);
      free (cs[k].ref);
    }
  free (cs);
  for (int j = 0; j < TEST_MAXIN; j++)
    free (inputs[j]);
  rmdir (tmpdir);
  tap_diag ("total %.1f s", now () - t0);
  return tap_done ();
}
