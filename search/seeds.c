/* seeds -- the textbook scaffolds a search starts from: range reduction, polynomial, reconstruction.

   The population must reach the whole domain from the first generation, so
   exp-like targets start from Cody-Waite reduction (k = rint(x log_2 b),
   r = x - k log_b 2 in one or two fma steps), a Horner polynomial for b^r
   with Taylor coefficients (constant fitting turns them into minimax ones),
   and reconstruction by ldexp or by adding k to the exponent bits.  Other
   targets start from plain polynomials.  Evolution may change every
   instruction of these, the reduction included.  */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "search/internal.h"

typedef struct {
  const char *name;
  const char *log2b;        /* log2(b) rounded to float32 */
  const char *ln2, *ln2hi, *ln2lo;   /* log_b(2) in float32, and as hi + lo with hi's trailing bits zero */
  double lnb;               /* ln b, for the Taylor coefficients of b^r */
} explike;

static const explike explikes[] = {
  {"exp", "0x1.715476p+0", "0x1.62e43p-1", "0x1.62e4p-1", "0x1.7f7d1cp-20", 1.0},
  {"exp2", NULL, NULL, NULL, NULL, 0x1.62e42fefa39efp-1},
  {"exp10", "0x1.a934f0p+1", "0x1.344136p-2", "0x1.344p-2", "0x1.3509f8p-18", 0x1.26bb1bbb55516p+1},
};

static int
append (char *buf, size_t size, size_t *n, const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));

static int
append (char *buf, size_t size, size_t *n, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int k = vsnprintf (buf + *n, size - *n, fmt, ap);
  va_end (ap);
  if (k < 0 || (size_t) k >= size - *n)
    return -1;
  *n += (size_t) k;
  return 0;
}

/* An exp-like scaffold: TWO_STEP reduction, polynomial degree DEG, BITS reconstruction.  */
static int
explike_text (const explike *e, int deg, int two_step, int bits, char *buf, size_t size)
{
  size_t n = 0;
  int rc = append (buf, size, &n, "in x\n");
  if (e->log2b)
    {
      rc |= append (buf, size, &n, "t = mul x %s\nkf = rint t\n", e->log2b);
      if (two_step)
        rc |= append (buf, size, &n, "r1 = fma kf -%s x\nr = fma kf -%s r1\n", e->ln2hi, e->ln2lo);
      else
        rc |= append (buf, size, &n, "r = fma kf -%s x\n", e->ln2);
    }
  else
    rc |= append (buf, size, &n, "kf = rint x\nr = sub x kf\n");
  /* Horner: p_deg = c_deg, p_i = p_{i+1} r + c_i, with c_i = (ln b)^i / i!.  */
  double c[16];
  c[0] = 1;
  for (int i = 1; i <= deg; i++)
    c[i] = c[i - 1] * e->lnb / i;
  rc |= append (buf, size, &n, "p%d = fma %a r %a\n", deg - 1, (double) (float) c[deg], (double) (float) c[deg - 1]);
  for (int i = deg - 2; i >= 0; i--)
    rc |= append (buf, size, &n, "p%d = fma p%d r %a\n", i, i + 1, (double) (float) c[i]);
  rc |= append (buf, size, &n, "k = toint kf\n");
  if (bits)
    rc |= append (buf, size, &n, "e = shl k 23\npi = asint p0\nyi = iadd pi e\ny = asfloat yi\nout y\n");
  else
    rc |= append (buf, size, &n, "y = ldexp p0 k\nout y\n");
  return rc;
}

static int
poly_text (int deg, char *buf, size_t size)
{
  size_t n = 0;
  int rc = append (buf, size, &n, "in x\np%d = fma 0 x 0\n", deg - 1);
  for (int i = deg - 2; i >= 0; i--)
    rc |= append (buf, size, &n, "p%d = fma p%d x %s\n", i, i + 1, i == 1 ? "1" : "0");
  rc |= append (buf, size, &n, "out p0\n");
  return rc;
}

int
search_seeds (const eval_target *t, dsl_type y, dsl_prog **out, int max)
{
  char text[4096];
  int count = 0;
  dsl_error err;
  const explike *e = NULL;
  for (size_t i = 0; i < sizeof explikes / sizeof explikes[0]; i++)
    if (strcmp (explikes[i].name, t->name) == 0)
      e = &explikes[i];
  if (e)
    for (int deg = 3; deg <= 7 && count < max; deg++)
      for (int variant = 0; variant < 3 && count < max; variant++)
        {
          if ((variant == 1 && !e->log2b) || explike_text (e, deg, variant != 1, variant == 2, text, sizeof text) < 0)
            continue;   /* exp2 has no reduction constants: one- and two-step are the same */
          if (dsl_parse (text, y, 0, &out[count], &err) == 0)
            dsl_prog_strip_dead (out[count]), count++;
        }
  if (t->arity == 1)
    for (int deg = 2; deg <= 6 && count < max; deg++)
      if (poly_text (deg, text, sizeof text) == 0 && dsl_parse (text, y, 0, &out[count], &err) == 0)
        count++;
  if (t->arity == 2 && count < max && dsl_parse ("in x y\nv1 = mul x y\nout v1\n", y, 0, &out[count], &err) == 0)
    count++;
  return count;
}
