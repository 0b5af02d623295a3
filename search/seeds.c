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

#include <mpfr.h>

#include "eval/ulp.h"
#include "search/internal.h"

typedef struct {
  const char *name;
  int base;                 /* b; 0 for e */
} explike;

static const explike explikes[] = {{"exp", 0}, {"exp2", 2}, {"exp10", 10}};

/* The constants of an exp-like scaffold in width W, each rounded to it:
   log2(b), log_b(2) and log_b(2) as hi + lo (hi with 8 trailing zero bits,
   so that k hi is exact for every k the domain reaches), ln b.  Computed
   with MPFR: the lo part needs more than double precision.  */
typedef struct {
  double log2b, ln2, ln2hi, ln2lo, lnb;
} explike_consts;

static explike_consts
explike_constants (const explike *e, int w)
{
  int p = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32)->p;
  mpfr_t lnb, ln2, c, hi, t;
  mpfr_inits2 (256, lnb, ln2, c, hi, t, (mpfr_ptr) 0);
  mpfr_const_log2 (ln2, MPFR_RNDN);
  if (e->base)
    mpfr_set_ui (t, (unsigned long) e->base, MPFR_RNDN), mpfr_log (lnb, t, MPFR_RNDN);
  else
    mpfr_set_ui (lnb, 1, MPFR_RNDN);
  explike_consts k;
  mpfr_div (c, lnb, ln2, MPFR_RNDN);
  mpfr_set (t, c, MPFR_RNDN), mpfr_prec_round (t, p, MPFR_RNDN), k.log2b = mpfr_get_d (t, MPFR_RNDN);
  mpfr_div (c, ln2, lnb, MPFR_RNDN);
  mpfr_set (t, c, MPFR_RNDN), mpfr_prec_round (t, p, MPFR_RNDN), k.ln2 = mpfr_get_d (t, MPFR_RNDN);
  mpfr_set (hi, c, MPFR_RNDN), mpfr_prec_round (hi, p - 8, MPFR_RNDN), k.ln2hi = mpfr_get_d (hi, MPFR_RNDN);
  mpfr_sub (t, c, hi, MPFR_RNDN), mpfr_prec_round (t, p, MPFR_RNDN), k.ln2lo = mpfr_get_d (t, MPFR_RNDN);
  k.lnb = mpfr_get_d (lnb, MPFR_RNDN);
  mpfr_clears (lnb, ln2, c, hi, t, (mpfr_ptr) 0);
  return k;
}

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

/* An exp-like scaffold: TWO_STEP reduction, polynomial degree DEG, BITS
   reconstruction, computed in width W (1: float64).  MIXED: a program of a
   type that computes in float32 whose body runs in float64 after one tof64
   (then one tof32 for float32; a 16- or 8-bit type rounds the float64
   result once).  */
static int
explike_text (const explike *e, dsl_type y, int deg, int two_step, int bits, int w, int mixed, char *buf,
              size_t size)
{
  explike_consts c = explike_constants (e, w);
  int m = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32)->p - 1;
  size_t n = 0;
  int rc = append (buf, size, &n, "in x\n");
  if (mixed)
    rc |= append (buf, size, &n, "xd = tof64 x\n");
  const char *x = mixed ? "xd" : "x";
  if (e->base != 2)
    {
      rc |= append (buf, size, &n, "t = mul %s %a\nkf = rint t\n", x, c.log2b);
      if (two_step)
        rc |= append (buf, size, &n, "r1 = fma kf %a %s\nr = fma kf %a r1\n", -c.ln2hi, x, -c.ln2lo);
      else
        rc |= append (buf, size, &n, "r = fma kf %a %s\n", -c.ln2, x);
    }
  else
    rc |= append (buf, size, &n, "kf = rint %s\nr = sub %s kf\n", x, x);
  /* Horner: p_deg = c_deg, p_i = p_{i+1} r + c_i, with c_i = (ln b)^i / i!.  */
  double t[32];   /* up to maxdeg */
  t[0] = 1;
  for (int i = 1; i <= deg; i++)
    t[i] = t[i - 1] * c.lnb / i;
  rc |= append (buf, size, &n, "p%d = fma %a r %a\n", deg - 1, eval_width_value (eval_width_bits (t[deg], w), w),
                eval_width_value (eval_width_bits (t[deg - 1], w), w));
  for (int i = deg - 2; i >= 0; i--)
    rc |= append (buf, size, &n, "p%d = fma p%d r %a\n", i, i + 1, eval_width_value (eval_width_bits (t[i], w), w));
  rc |= append (buf, size, &n, "k = toint kf\n");
  if (bits)
    rc |= append (buf, size, &n, "e = shl k %d\npi = asint p0\nyi = iadd pi e\ny = asfloat yi\n", m);
  else
    rc |= append (buf, size, &n, "y = ldexp p0 k\n");
  if (mixed && !dsl_out_width_ok (y, 1))
    rc |= append (buf, size, &n, "yf = tof32 y\nout yf\n");
  else
    rc |= append (buf, size, &n, "out y\n");
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
  /* In the type's compute width; when that is float32, also with a float64
     body (kept only when the search allows the conversions).  */
  int w = dsl_compute_wide (y);
  /* Polynomials up to degree 7 for float32 precision, in proportion for
     others (16 for float64): a minimax polynomial gains about 3.5 bits per
     degree on a reduced range.  */
  int maxdeg = (7 * dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32)->p + 23) / 24;
  if (e)
    for (int mixed = 0; mixed <= (w == 0); mixed++)
      for (int deg = 3; deg <= maxdeg && count < max; deg++)
        for (int variant = 0; variant < 3 && count < max; variant++)
          {
            if ((variant == 1 && e->base == 2)
                || explike_text (e, y, deg, variant != 1, variant == 2, w || mixed, mixed, text, sizeof text) < 0)
              continue;   /* exp2 has no reduction constants: one- and two-step are the same */
            if (dsl_parse (text, y, 0, &out[count], &err) == 0)
              dsl_prog_strip_dead (out[count]), count++;
          }
  if (t->arity == 1)
    for (int deg = 2; deg < maxdeg && count < max; deg++)
      if (poly_text (deg, text, sizeof text) == 0 && dsl_parse (text, y, 0, &out[count], &err) == 0)
        count++;
  if (t->arity == 2 && count < max && dsl_parse ("in x y\nv1 = mul x y\nout v1\n", y, 0, &out[count], &err) == 0)
    count++;
  return count;
}
