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

/* Inputs the interpreter runs an accepted program on: the awkward ones (as
   values of the program's type, rounded into it for the narrow ones).  */
static const double probe[] = { 0.0, -0.0, 1.0, -1.5, 0x1p-149, 0x1.fffffep+127, INFINITY, NAN };
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
  /* Every input of the program gets the same probe column, in the type's storage.  */
  uint64_t col[NPROBE], out[NPROBE];
  int bytes = dsl_type_bits (p->type) / 8;
  for (size_t i = 0; i < NPROBE; i++)
    {
      uint64_t b = dsl_bits_of_value (p->type, probe[i]);
      memcpy ((char *) col + i * bytes, &b, bytes);   /* the low bytes: little-endian */
    }
  const void *in[16];
  for (int j = 0; j < p->nin && j < 16; j++)
    in[j] = col;
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
