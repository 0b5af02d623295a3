/* main -- the autonum command: dispatch to subcommands, --help, --version.  */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli/cli.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  {"search", cmd_search, "evolve programs for a target; prints the cost/error Pareto front"},
  {"runs", cmd_runs, "list the searches stored in the database"},
  {"front", cmd_front, "print the cost/error Pareto front of a stored run"},
  {"show", cmd_show, "print a stored program with its scores and lineage"},
  {"eval", cmd_eval, "score a program on sample points (sampled ULP error)"},
  {"verify", cmd_verify, "check a program on every input of the domain (verified ULP error)"},
  {"export", cmd_export, "write a program as self-contained C99"},
  {"targets", cmd_targets, "list the target functions, types and default domains"},
  {"ops", cmd_ops, "list the ops programs are made of, with their exact meanings"},
  {"bench", cmd_bench, "time a program's compiled C against library functions (ns/element, ULP)"},
  {"plot", cmd_plot, "draw a program's signed error profile, or a cost/error front (gnuplot)"},
};

static void
usage (FILE *f)
{
  fprintf (f, "usage: autonum COMMAND [ARGS]   (autonum COMMAND --help for its options)\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (f, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (f, "\nPrograms are text files (see doc/autonum.md); errors are in ULPs of the type, in the\n"
              "binade of the exact value, against MPFR's correctly rounded reference.\n");
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return CLI_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("autonum %s\n", PACKAGE_VERSION);
      return CLI_OK;
    }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  cli_error ("unknown command '%s' (see 'autonum --help')", argv[1]);
  return CLI_USAGE;
}
