/* tap -- a minimal TAP producer for the unit tests (automake's tap-driver reads it).  */
#ifndef AUTONUM_TAP_H
#define AUTONUM_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

static void
tap_ok (int cond, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  printf ("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
  vprintf (fmt, ap);
  printf ("\n");
  va_end (ap);
  if (!cond)
    tap_failed++;
  fflush (stdout);
}

static void
tap_diag (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  printf ("# ");
  vprintf (fmt, ap);
  printf ("\n");
  va_end (ap);
}

/* The fixed seed of a test, overridable with AUTONUM_TEST_SEED; always printed.  */
static unsigned long long
tap_seed (unsigned long long dflt)
{
  const char *e = getenv ("AUTONUM_TEST_SEED");
  unsigned long long s = e ? strtoull (e, NULL, 0) : dflt;
  tap_diag ("seed %llu (set AUTONUM_TEST_SEED to change; include it in bug reports)", s);
  return s;
}

static int
tap_done (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
