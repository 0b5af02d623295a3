/* ref -- correctly rounded references: float32 values by Ziv's loop, double-double values.  */
#include <assert.h>
#include <math.h>

#include "eval/eval.h"
#include "eval/ulp.h"

/* Ziv's loop starts here and doubles.  A float32 result needs about 24 + 40
   bits unless f(x) is very close to a rounding boundary (exp(2^-149) = 1 +
   2^-149 needs ~150).  The loop ends by itself for every target in the
   table: their values are either exact (the enclosure says so) or not
   midpoints of float32 values; the cap only turns an endless loop into an
   assertion.  */
#define REF_PREC0 64
#define REF_MAXPREC 65536

/* X rounded to type Y (nearest even, with Y's subnormals, and overflow to
   infinity, or saturation at its largest value for a saturating type), as
   a double.  The exponent range is per thread (MPFR is built with
   thread-local storage), and restored before returning.  */
static double
round_to (const mpfr_t x, const dsl_typeinfo *ti)
{
  if (mpfr_nan_p (x))
    return NAN;
  mpfr_t r;
  mpfr_init2 (r, ti->p);
  int inex = mpfr_set (r, x, MPFR_RNDN);
  mpfr_exp_t emin = mpfr_get_emin (), emax = mpfr_get_emax ();
  /* In MPFR's convention (significand in [1/2, 1)) the largest finite value
     is 0.1...1b * 2^(emax+1) and the smallest subnormal 2^submin is
     0.1b * 2^(submin+1).  */
  mpfr_set_emin (ti->submin + 1);
  mpfr_set_emax (ti->emax + 1);
  inex = mpfr_check_range (r, inex, MPFR_RNDN);
  mpfr_subnormalize (r, inex, MPFR_RNDN);
  double v = mpfr_get_d (r, MPFR_RNDN);    /* exact: r is a value of the type, or infinite */
  mpfr_set_emin (emin);
  mpfr_set_emax (emax);
  mpfr_clear (r);
  /* Above the largest finite value: infinity, or the largest for a saturating type.  */
  if (fabs (v) > ti->max)
    v = ti->saturates ? copysign (ti->max, v) : copysign (INFINITY, v);
  return v;
}

uint64_t
eval_ref_bits (const eval_target *t, dsl_type y, const double *x)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  mpfr_t xm[EVAL_MAXARITY], lo, hi;
  for (int j = 0; j < t->arity; j++)
    {
      mpfr_init2 (xm[j], 53);
      mpfr_set_d (xm[j], x[j], MPFR_RNDN);   /* exact */
    }
  mpfr_inits2 (REF_PREC0, lo, hi, (mpfr_ptr) 0);
  double r;
  for (mpfr_prec_t prec = REF_PREC0;; prec *= 2)
    {
      mpfr_set_prec (lo, prec);
      mpfr_set_prec (hi, prec);
      int exact = t->enclose (t, lo, hi, (const mpfr_t *) xm, prec);
      if (exact < 0)
        {
          r = NAN;   /* unresolved: the type's NaN */
          break;
        }
      double a = round_to (lo, ti), b = exact ? a : round_to (hi, ti);
      /* An enclosure around 0 that every precision leaves around 0 (Arb bounds
         erfc at 10^5 by [0 +- 10^-(10^9)]): f rounds to zero, of unknown sign;
         +0 (no error metric tells the two apart).  */
      if (a == 0 && b == 0 && signbit (a) != signbit (b) && t->expr)
        a = b = 0.0;
      int agree = (a == b && signbit (a) == signbit (b)) || (isnan (a) && isnan (b));
      if (agree || prec >= REF_MAXPREC)
        {
          assert (agree && "Ziv's loop found no rounding: a midpoint not flagged exact?");
          r = a;
          break;
        }
    }
  mpfr_clears (lo, hi, (mpfr_ptr) 0);
  for (int j = 0; j < t->arity; j++)
    mpfr_clear (xm[j]);
  uint64_t bits = 0;
  eval_store_value (y, &bits, 0, r);
  return eval_value_bits (y, &bits, 0);
}

uint32_t
eval_ref_f32 (const eval_target *t, const float *x)
{
  double xd[EVAL_MAXARITY];
  for (int j = 0; j < t->arity; j++)
    xd[j] = x[j];
  return (uint32_t) eval_ref_bits (t, DSL_FLOAT32, xd);
}

/* |V| < 2^-1100.  */
static int
below_2m1100 (const mpfr_t v)
{
  return mpfr_zero_p (v) || (mpfr_regular_p (v) && mpfr_get_exp (v) <= -1100);
}

/* Nonzero when [LO, HI] is exact or narrower than 2^-102 |LO| (so that LO
   is within 2^-101 |f| of f), or lies within 2^-1100 of zero.  */
static int
narrow (const mpfr_t lo, const mpfr_t hi)
{
  if (mpfr_equal_p (lo, hi))
    return 1;
  /* Both ends below 2^-1100 (an FPCore's value may lie below even MPFR's
     exponent range): HI is a zero of the right sign, within 2^-1100 of f,
     and every type rounds f to that zero.  */
  if (below_2m1100 (lo) && below_2m1100 (hi))
    return 1;
  if (!mpfr_regular_p (lo) || !mpfr_regular_p (hi) || mpfr_sgn (lo) != mpfr_sgn (hi))
    return 0;
  mpfr_t w;
  mpfr_init2 (w, 32);
  mpfr_sub (w, hi, lo, MPFR_RNDU);
  int ok = mpfr_get_exp (w) <= mpfr_get_exp (lo) - 103;
  mpfr_clear (w);
  return ok;
}

int
eval_ref_dd (const eval_target *t, const double *x, double *hi /* OUT */, double *lo /* OUT */)
{
  mpfr_t xm[EVAL_MAXARITY], l, h;
  for (int j = 0; j < t->arity; j++)
    {
      mpfr_init2 (xm[j], 53);
      mpfr_set_d (xm[j], x[j], MPFR_RNDN);     /* exact */
    }
  mpfr_inits2 (128, l, h, (mpfr_ptr) 0);
  int exact;
  for (mpfr_prec_t prec = 128;; prec *= 2)
    {
      mpfr_set_prec (l, prec);
      mpfr_set_prec (h, prec);
      exact = t->enclose (t, l, h, (const mpfr_t *) xm, prec);
      if (exact || narrow (l, h) || prec >= REF_MAXPREC)
        break;
    }
  if (exact < 0)
    {
      mpfr_clears (l, h, (mpfr_ptr) 0);
      for (int j = 0; j < t->arity; j++)
        mpfr_clear (xm[j]);
      *hi = *lo = NAN;
      return -1;
    }
  *hi = mpfr_get_d (l, MPFR_RNDN);
  *lo = 0;
  if (mpfr_regular_p (l) && isfinite (*hi))
    {
      /* L - HI needs at most prec bits (HI is L rounded): the subtraction is exact.  */
      mpfr_sub_d (h, l, *hi, MPFR_RNDN);
      *lo = mpfr_get_d (h, MPFR_RNDN);
    }
  mpfr_clears (l, h, (mpfr_ptr) 0);
  for (int j = 0; j < t->arity; j++)
    mpfr_clear (xm[j]);
  return 0;
}
