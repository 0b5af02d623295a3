/* fuzz_parse -- libFuzzer target: the parser survives any bytes, and every program it accepts round-trips and runs.

   Built two ways: with clang -fsanitize=fuzzer by bench/fuzz.sh, and with the
   project's compiler as tests/fuzz_parse_replay (tests/fuzz_replay.c supplies
   main) so that make check replays tests/fuzz-corpus.  A broken invariant
   abort()s after saying which, so that both drivers report it as a crash.  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/dsl.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Inputs the interpreter runs an accepted program on: the awkward ones.  */
static const float probe[] = { 0.0f, -0.0f, 1.0f, -1.5f, 0x1p-149f, 0x1.fffffep+127f, INFINITY, NAN };
#define NPROBE (sizeof probe / sizeof probe[0])

static void
broken (const char *what, const char *text, const char *detail)
{
  fprintf (stderr, "fuzz_parse: %s\n--- detail:\n%s\n--- input:\n%s\n", what, detail ? detail : "", text);
  abort ();
}

static void
check_round_trip (const dsl_prog *p, const char *text)
{
  char *printed = dsl_print (p, 1);
  if (!printed)
    return;                     /* out of memory is allowed */
  dsl_prog *q;
  dsl_error err;
  if (dsl_parse (printed, DSL_FLOAT32, 1, &q, &err) != 0)
    broken ("the printed program does not parse", text, printed);
  if (!dsl_prog_equal (p, q))
    broken ("parse (print (p)) differs from p", text, printed);
  dsl_prog_free (q);
  free (printed);
}

static void
check_runs (const dsl_prog *p)
{
  /* Every input of the program gets the same probe column.  */
  const void *in[16];
  float out[NPROBE];
  for (int j = 0; j < p->nin && j < 16; j++)
    in[j] = probe;
  if (p->nin <= 16)
    dsl_run (p, NPROBE, in, out);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = malloc (size + 1);
  if (!text)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';
  dsl_prog *p = (dsl_prog *) 1;
  dsl_error err;
  if (dsl_parse (text, DSL_FLOAT32, 1, &p, &err) == 0)
    {
      if (dsl_prog_check (p, &err) != 0)
        broken ("an accepted program fails dsl_prog_check", text, err.msg);
      check_round_trip (p, text);
      check_runs (p);
      dsl_prog_free (p);
    }
  else
    {
      if (p != NULL)
        broken ("a failed parse left *out set", text, NULL);
      if (err.msg[0] == '\0' || memchr (err.msg, '\0', sizeof err.msg) == NULL)
        broken ("a failed parse gave no message", text, NULL);
    }
  free (text);
  return 0;
}
