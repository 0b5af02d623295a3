/* cli -- the autonum program: shared option parsing and the subcommands.
   The only code that prints to the terminal or decides the exit status.  */
#ifndef AUTONUM_CLI_H
#define AUTONUM_CLI_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "dsl/dsl.h"
#include "eval/eval.h"

/* Exit statuses.  */
#define CLI_OK 0
#define CLI_FAIL 1      /* the command ran and failed (bad input, bound exceeded, ...) */
#define CLI_USAGE 2     /* the command line itself is wrong */

#define CLI_MAX_BASELINES 16
#define CLI_MAX_KERNELS 8

/* Options, as given on the command line (NULL / 0 when absent).  */
typedef struct {
  const char *target, *order, *type, *domain, *name, *output;
  int threads;
  eval_metric metric;       /* --ulp, --abs or --rel (EVAL_ULP when none) */
  double bound;             /* its value */
  int has_bound;            /* one of them was given */
  int mean;                 /* --objective mean */
  int has_objective;
  long long samples;
  uint64_t seed;
  int verify, quiet, help, json, verbose;
  long long population, generations, evaluations;
  double seconds;           /* --time, 0 when absent */
  const char *ops;
  int no_cache;
  const char *front_out;    /* --front-out DIR */
  long long cache_size;
  const char *baseline[CLI_MAX_BASELINES];   /* --baseline, repeatable */
  int nbaseline;
  long long n, reps;        /* bench --n, --reps (0 when absent) */
  const char *front;        /* plot --front FILE */
  const char *db;          /* --db FILE */
  const char *start;        /* search --start PROG */
  const char *kernel[CLI_MAX_KERNELS];   /* search --kernel PROG, repeatable */
  int nkernel;
  int no_db, resume;        /* --no-db, --resume */
  int three_pass;           /* --softmax-form three-pass */
  long long migrate_every, migrants;   /* search --migrate-every, --migrants (-1 when absent) */
  int npos;
  char **pos;            /* positional arguments */
} cli_opts;

/* Option letters a command accepts, as in getopt: see args.c for the table.  */
#define CLI_O_TARGET "tr"        /* --target --order */
#define CLI_O_TYPE "y"
#define CLI_O_DOMAIN "d"
#define CLI_O_THREADS "j"
#define CLI_O_BOUND "uALW"         /* --ulp --abs --rel --objective */
#define CLI_O_SAMPLES "s"
#define CLI_O_SEED "S"
#define CLI_O_NAME "n"
#define CLI_O_OUTPUT "o"
#define CLI_O_VERIFY "V"
#define CLI_O_QUIET "q"
#define CLI_O_BASELINE "B"
#define CLI_O_BENCH "NK"          /* --n --reps */
#define CLI_O_FRONT "f"
#define CLI_O_DB "D"              /* --db FILE */
#define CLI_O_VERBOSE "v"         /* search, front: every member's program text */
#define CLI_O_FORM "M"            /* --softmax-form two-pass|three-pass */
/* What every command on one program takes: the program may be a stored id.  */
#define CLI_O_PROGRAM CLI_O_TARGET CLI_O_TYPE CLI_O_DOMAIN CLI_O_DB
#define CLI_O_STORE "DXR"         /* --db --no-db --resume */
#define CLI_O_ISLANDS "mg"        /* --migrate-every --migrants */
#define CLI_O_SEARCH "PGETOJCZFIk" /* --population --generations --evaluations --time --ops --json --no-cache --cache-size --front-out --start --kernel */

/* Parses ARGV after the command name; ALLOWED lists the accepted option
   letters.  Returns 0, or CLI_USAGE after printing the problem.  */
int cli_parse (const char *cmd, const char *allowed, int argc, char **argv, cli_opts *o /* OUT */);

/* S (NULL: "") in double quotes, with newlines, quotes and backslashes
   escaped as gnuplot reads them.  */
void cli_put_quoted (FILE *f, const char *s);

/* Prints "autonum: MESSAGE" on stderr; returns CLI_FAIL.  */
int cli_error (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Flushes standard output; when that or an earlier write failed (a full
   disk, a closed pipe), says that WHAT could not be written and returns
   CLI_FAIL, else 0.  */
int cli_flush_stdout (const char *what);

/* How autonum writes JSON: one compact line (no blanks, so that scripts can
   match '"front":[{"id"'), reals to 9 significant digits (ULP errors and
   costs as the text shows them, the bound as the user typed it).  */
#define CLI_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION (9))
/* Writes DOC and a newline to standard output with CLI_JSON_FLAGS; a failed
   write is reported as for cli_flush_stdout.  DOC stays the caller's.  */
int cli_dump_json (json_t *doc, const char *what);

/* Whether S can name the C function export writes (an identifier, < 64 characters).  */
int cli_is_c_name (const char *s);

/* A program with everything needed to score it: target, type, domain.  */
typedef struct {
  const char *source;            /* file name, or "program ID", for messages */
  char label[48];                /* holds "program ID" */
  dsl_prog *prog;
  const eval_target *target;     /* NULL when neither --target nor the header names one */
  dsl_type type;
  eval_domain dom;
  eval_metric metric;            /* the bound's metric, from the options (ULP when none) */
  double bound;                  /* default 1 ULP */
  int mean;                      /* the objective is the mean error (--objective mean) */
} cli_job;

/* Loads the program of the first positional argument ("-" for stdin) and
   resolves target, type and domain from the options, then the program's
   header, then the target's defaults.  NEED_TARGET: a missing target is an
   error.  Prints the problem and returns CLI_FAIL/CLI_USAGE, or 0.  */
int cli_job_load (const cli_opts *o, int need_target, cli_job *job /* OUT */);
/* --target, with its first argument fixed by --order when given.  */
const eval_target *cli_resolve_target (const cli_opts *o, dsl_error *err);

/* An argument that is a number and not a file names a stored program or run.  */
int cli_is_stored_id (const char *arg);
/* Opens the database the options name: --db FILE, else $AUTONUM_DB, else
   ./autonum.db (see store_open); prints the problem and returns CLI_FAIL, or 0.  */
struct store;
int cli_db_open (const cli_opts *o, int write, struct store **db /* OUT */);
void cli_job_free (cli_job *job);

/* All of file PATH ("-": standard input) as a string the caller frees, or
   NULL with errno set.  */
char *cli_read_all (const char *path);

/* One point of a cost/error plot: a front member, or a labelled baseline.  */
typedef struct {
  double cost;
  double err;           /* max ULP error; points with a non-finite one are not drawn */
  const char *label;    /* shown next to the point; NULL for front members */
  int verified;         /* err is verified (every input), not sampled */
} cli_plot_point;

/* Draws FRONT[0..NFRONT-1] (verified and sampled points apart) and the
   labelled BASE[0..NBASE-1] with gnuplot: cost on x, the error (YLABEL, e.g.
   "max error (ULP)") on a log y axis, TITLE above, into OUT (.svg or .png).
   Prints the problem and returns CLI_FAIL, or 0.  */
int cli_plot_front (const cli_plot_point *front, int nfront, const cli_plot_point *base, int nbase,
                    const char *title, const char *ylabel, const char *out);

/* V as a hex float, exactly ("0x1.62e43p+6"; float64 digits where V needs them).  */
void cli_format_value (double v, char *buf, size_t size);
/* "0x3f80 (0x1p+0)": the bit pattern of an input of type Y (BITS) and its value.  */
void cli_format_input (dsl_type y, uint64_t bits, char *buf, size_t size);
/* "max ULP", "max rel", "mean abs": how an error in METRIC (MEAN: its mean) is labelled.  */
const char *cli_metric_label (eval_metric metric, int mean);
/* Prints the domain "[lo, hi]" (per argument for arity > 1).  */
void cli_print_domain (FILE *f, const eval_target *t, const eval_domain *d);

/* One member of a front, as printed by search and front.  */
typedef struct {
  int64_t id;               /* stored program id (the run's own sequence number without a database) */
  int instructions;
  double cost, err;         /* err: the run's objective (cli_front_info), verified if VERIFIED, else on
                               POINTS samples; INFINITY: none */
  int verified;             /* 1: on every input; 2: sampled + searched (float64); 3: on every
                               element of the stored softmax vectors */
  uint64_t points;
  double ulp;               /* max ULP error, as err (NAN: not measured) */
  const char *text;
  double ns;                /* measured ns per element of its exported C (NAN: not measured) */
} cli_front_row;

/* Measures every row's program as exported C for target T, type Y on
   domain D (cli_front_time in front.c): ns per element of its array entry
   point on CLI_TIME_POINTS points uniform in value over D
   (eval_timing_points), best of CLI_TIME_REPS.  Where it
   cannot (no compiler), the rows keep NAN and a line on stderr says why.  */
#define CLI_TIME_POINTS 4096
#define CLI_TIME_REPS 5
void cli_front_time (cli_front_row *rows, int n, const eval_target *t, dsl_type y, const eval_domain *d, int threads);

/* Prints TEXT (NULL: nothing) line by line, each line after INDENT.  */
void cli_print_text (const char *text, const char *indent);

/* The run a front belongs to: the JSON header, and what the text needs to
   name the best solution's export command.  */
typedef struct {
  int64_t run;              /* 0: not stored */
  const char *target, *type;
  eval_metric metric;       /* what err and bound are in */
  int mean;                 /* err is the mean error (else the max) */
  eval_method method;       /* how solutions are checked: every input, or sampled + searched */
  double bound;
  uint64_t seed;
  long generations;
  uint64_t evaluations, struct_lookups, struct_hits, func_lookups, func_hits, verifications;
  const char *db;           /* the database holding the run (NULL: not stored) */
  const char *saved;        /* a file holding the best solution (search -o), or NULL */
} cli_front_info;

/* The rows with a finite error as a table: solutions (verified within the
   bound) first and marked, cheapest first, then the rest by increasing
   error; VERBOSE: then every member's program text; last the best
   solution's text and the command that exports it, or the closest member
   when there is no solution.  Returns 0, or CLI_FAIL when standard output
   cannot be written.  */
int cli_front_text (const cli_front_info *info, const cli_front_row *rows, int n, int verbose);
/* The same rows (text included), in their given order, as one JSON object:
   the run's figures and "front":[{"id",...}].  Returns as cli_front_text.  */
int cli_front_json (const cli_front_info *info, const cli_front_row *rows, int n);
/* Prints the front of stored RUN as autonum front does (HEADER: with the run's line first);
   for an island of a group, the group's: every island's front merged.  Returns 0 or the
   exit status.  */
int cli_print_run_front (struct store *db, int64_t run, const cli_opts *o, int header);

/* What plot --front draws of a front.  */
typedef struct {
  char target[DSL_MAXTARGET], type[64];
  cli_plot_point *pts;      /* the caller frees it */
  int n;
  char ylabel[64];          /* what the errors are: "max error (ULP)", "max error (rel)", ... */
} cli_front_file;
/* Reads the JSON that cli_front_json wrote from PATH ("-": standard input).
   Prints the problem (a malformed file as PATH:LINE:COLUMN) and returns
   CLI_FAIL, or 0.  */
int cli_front_read (const char *path, cli_front_file *ff /* OUT */);

int cmd_eval (int argc, char **argv);
int cmd_verify (int argc, char **argv);
int cmd_export (int argc, char **argv);
int cmd_targets (int argc, char **argv);
int cmd_ops (int argc, char **argv);
int cmd_search (int argc, char **argv);
int cmd_runs (int argc, char **argv);
int cmd_front (int argc, char **argv);
int cmd_show (int argc, char **argv);
int cmd_bench (int argc, char **argv);
int cmd_plot (int argc, char **argv);

#endif
