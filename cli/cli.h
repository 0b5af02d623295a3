/* cli -- the autonum program: shared option parsing and the subcommands.
   The only code that prints to the terminal or decides the exit status.  */
#ifndef AUTONUM_CLI_H
#define AUTONUM_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "dsl/dsl.h"
#include "eval/eval.h"

/* Exit statuses.  */
#define CLI_OK 0
#define CLI_FAIL 1      /* the command ran and failed (bad input, bound exceeded, ...) */
#define CLI_USAGE 2     /* the command line itself is wrong */

/* Options, as given on the command line (NULL / 0 when absent).  */
typedef struct {
  const char *target, *type, *domain, *name, *output;
  int threads;
  double ulp;
  int has_ulp;
  long long samples;
  uint64_t seed;
  int verify, quiet, help, json;
  long long population, generations, evaluations;
  double seconds;           /* --time, 0 when absent */
  const char *ops;
  int no_cache;
  const char *front_out;    /* --front-out DIR */
  long long cache_size;
  int npos;
  char **pos;            /* positional arguments */
} cli_opts;

/* Option letters a command accepts, as in getopt: see args.c for the table.  */
#define CLI_O_TARGET "t"
#define CLI_O_TYPE "y"
#define CLI_O_DOMAIN "d"
#define CLI_O_THREADS "j"
#define CLI_O_ULP "u"
#define CLI_O_SAMPLES "s"
#define CLI_O_SEED "S"
#define CLI_O_NAME "n"
#define CLI_O_OUTPUT "o"
#define CLI_O_VERIFY "V"
#define CLI_O_QUIET "q"
#define CLI_O_SEARCH "PGETOJCZF"  /* --population --generations --evaluations --time --ops --json --no-cache --cache-size --front-out */

/* Parses ARGV after the command name; ALLOWED lists the accepted option
   letters.  Returns 0, or CLI_USAGE after printing the problem.  */
int cli_parse (const char *cmd, const char *allowed, int argc, char **argv, cli_opts *o /* OUT */);

/* Prints "autonum: MESSAGE" on stderr; returns CLI_FAIL.  */
int cli_error (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* A program with everything needed to score it: target, type, domain.  */
typedef struct {
  const char *source;            /* file name, for messages */
  dsl_prog *prog;
  const eval_target *target;     /* NULL when neither --target nor the header names one */
  dsl_type type;
  eval_domain dom;
} cli_job;

/* Loads the program of the first positional argument ("-" for stdin) and
   resolves target, type and domain from the options, then the program's
   header, then the target's defaults.  NEED_TARGET: a missing target is an
   error.  Prints the problem and returns CLI_FAIL/CLI_USAGE, or 0.  */
int cli_job_load (const cli_opts *o, int need_target, cli_job *job /* OUT */);
void cli_job_free (cli_job *job);

/* "0x1.62e43p+6" for a float32 given as double.  */
void cli_format_value (double v, char *buf, size_t size);
/* Prints the domain "[lo, hi]" (per argument for arity > 1).  */
void cli_print_domain (FILE *f, const eval_target *t, const eval_domain *d);

int cmd_eval (int argc, char **argv);
int cmd_verify (int argc, char **argv);
int cmd_export (int argc, char **argv);
int cmd_targets (int argc, char **argv);
int cmd_ops (int argc, char **argv);
int cmd_search (int argc, char **argv);

#endif
