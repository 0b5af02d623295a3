/* test_ulp -- eval/ulp.h at its hard places: subnormals, powers of two, overflow, NaN and infinities.  */
#include <float.h>
#include <math.h>

#include <mpfr.h>

#include "eval/rng.h"
#include "eval/ulp.h"
#include "tests/tap.h"

#define FMAX 0x1.fffffep+127f

/* ERR (y, hi + lo) == want, bit for bit (every expected value below is a
   dyadic rational the double arithmetic of ulp.h produces exactly; NaN
   matches NaN).  */
static void
check_err (double (*err) (float, double, double), const char *name, float y, double hi, double lo, double want,
           const char *what)
{
  double got = err (y, hi, lo);
  tap_ok (got == want || (isnan (got) && isnan (want)), "%s: %s(%a, %a + %a) = %a (want %a)", what, name,
          (double) y, hi, lo, got, want);
}

static void
check (float y, double hi, double lo, double want, const char *what)
{
  check_err (eval_ulp_error_f32, "err", y, hi, lo, want, what);
}

/* The signed error (y - f) / ulp.  */
static void
check_signed (float y, double hi, double lo, double want, const char *what)
{
  check_err (eval_ulp_signed_error_f32, "signed_err", y, hi, lo, want, what);
}

static void
test_binade (void)
{
  /* 2^0 <= 1 < 2^1: E = 1.  */
  tap_ok (eval_binade (1.0, 0) == 1, "binade of 1 is E = 1");
  /* 1 - 2^-60 lies in [1/2, 1): E = 0, although hi = 1.  */
  tap_ok (eval_binade (1.0, -0x1p-60) == 0, "binade of 1 - 2^-60 (hi = 1, lo < 0) is E = 0");
  tap_ok (eval_binade (1.0, 0x1p-60) == 1, "binade of 1 + 2^-60 is E = 1");
  /* |-1 + 2^-60| < 1: E = 0; |-1 - 2^-60| > 1: E = 1.  */
  tap_ok (eval_binade (-1.0, 0x1p-60) == 0, "binade of -1 + 2^-60 is E = 0");
  tap_ok (eval_binade (-1.0, -0x1p-60) == 1, "binade of -1 - 2^-60 is E = 1");
  /* 1.5 is no power of two: lo's sign does not matter.  */
  tap_ok (eval_binade (1.5, -0x1p-60) == 1, "binade of 1.5 - 2^-60 is E = 1");
}

static void
test_ulp_values (void)
{
  /* ulp(1) = 2^(1-24); just below 1: 2^(0-24).  */
  tap_ok (eval_ulp (1.0, 0, 24, -149) == 0x1p-23, "ulp(1) = 2^-23");
  tap_ok (eval_ulp (1.0, -0x1p-60, 24, -149) == 0x1p-24, "ulp(1 - 2^-60) = 2^-24");
  tap_ok (eval_ulp (3.0, 0, 24, -149) == 0x1p-22, "ulp(3) = 2^-22");
  /* f = 0 and subnormal f: the floor 2^-149.  */
  tap_ok (eval_ulp (0.0, 0, 24, -149) == 0x1p-149, "ulp(0) = 2^-149");
  tap_ok (eval_ulp (0x1.8p-149, 0, 24, -149) == 0x1p-149, "ulp(1.5 * 2^-149) = 2^-149");
  /* The smallest normal binade [2^-126, 2^-125) has E = -125: 2^(-125-24) = 2^-149,
     the next one 2^-148.  */
  tap_ok (eval_ulp (0x1.8p-126, 0, 24, -149) == 0x1p-149, "ulp(1.5 * 2^-126) = 2^-149");
  tap_ok (eval_ulp (0x1.8p-125, 0, 24, -149) == 0x1p-148, "ulp(1.5 * 2^-125) = 2^-148");
  /* f = 2^128 (past float32, as a double): E = 129, ulp 2^105.  */
  tap_ok (eval_ulp (0x1p+128, 0, 24, -149) == 0x1p+105, "ulp(2^128) = 2^105");
}

static void
test_subnormal (void)
{
  /* f = 1.5 * 2^-149, ulp 2^-149: 2^-149 and 2^-148 are both 0.5 away, 0 is 1.5 away.  */
  check (0x1p-149f, 0x1.8p-149, 0, 0.5, "subnormal f, y below");
  check (0x1p-148f, 0x1.8p-149, 0, 0.5, "subnormal f, y above");
  check (0.0f, 0x1.8p-149, 0, 1.5, "subnormal f, y = 0");
  check (-0x1p-149f, 0x1.8p-149, 0, 2.5, "subnormal f, y of the wrong sign");
  /* f = 2^-150 + 2^-200 (just above half the smallest subnormal), y = 0:
     (2^-150 + 2^-200) / 2^-149 = 0.5 + 2^-51 = 0x1.0000000000004p-1.  */
  check (0.0f, 0x1p-150, 0x1p-200, 0x1.0000000000004p-1, "f just above 2^-150, y = 0");
  /* f in the largest subnormal binade [2^-127, 2^-126): ulp still 2^-149.
     f = 0x1.000001p-127 = 2^-127 + 2^-151; y = 2^-127: 2^-151 / 2^-149 = 0.25.  */
  check (0x1p-127f, 0x1.000001p-127, 0, 0.25, "subnormal binade, quarter ulp");
  /* f = 2^-126 - 2^-170 (hi = 2^-126, lo < 0) lies in the subnormal range: ulp 2^-149
     (the first normal binade has the same ulp, so the floor and the binade agree here);
     y = the largest subnormal 2^-126 - 2^-149: |y - f| = 2^-149 - 2^-170 -> 1 - 2^-21.  */
  check (0x1.fffffcp-127f, 0x1p-126, -0x1p-170, 1 - 0x1p-21, "f just below 2^-126");
}

static void
test_power_of_two (void)
{
  /* f = 1 - 2^-30 (hi = 1, lo = -2^-30) has ulp 2^-24.
     y = 1:           2^-30 / 2^-24 = 2^-6.
     y = 1 - 2^-24:   (2^-24 - 2^-30) / 2^-24 = 1 - 2^-6 (the binade of y or hi would give half).  */
  check (1.0f, 1.0, -0x1p-30, 0x1p-6, "f just below 1, y = 1");
  check (0x1.fffffep-1f, 1.0, -0x1p-30, 1 - 0x1p-6, "f just below 1, y = 1 - 2^-24");
  /* f = 1 + 2^-30 has ulp 2^-23: y = 1 gives 2^-7.  */
  check (1.0f, 1.0, 0x1p-30, 0x1p-7, "f just above 1, y = 1");
  /* f = 1 exactly (ulp 2^-23): y = 1 - 2^-24 is half an ulp away.  */
  check (0x1.fffffep-1f, 1.0, 0, 0.5, "f = 1, y = 1 - 2^-24");
  check (1.0f, 1.0, 0, 0.0, "f = 1, y = 1");
  /* Negative: f = -1 + 2^-30, |f| < 1, ulp 2^-24; y = -1: 2^-6.  */
  check (-1.0f, -1.0, 0x1p-30, 0x1p-6, "f just above -1, y = -1");
  check (-0x1.fffffep-1f, -1.0, 0x1p-30, 1 - 0x1p-6, "f just above -1, y = -1 + 2^-24");
  /* Higher up: f = 2^100 - 2^60 (ulp 2^76): y = 2^100 -> 2^60 / 2^76 = 2^-16.  */
  check (0x1p100f, 0x1p100, -0x1p60, 0x1p-16, "f just below 2^100");
}

static void
test_overflow (void)
{
  const double T = EVAL_F32_OVERFLOW;   /* FLT_MAX + 2^103: ties to the even 2^128 = inf */
  /* f = T exactly rounds to inf.  */
  check (INFINITY, T, 0, 0.0, "f = overflow threshold, y = inf");
  check (FMAX, T, 0, INFINITY, "f = overflow threshold, y = FLT_MAX");
  check (-INFINITY, T, 0, INFINITY, "f = overflow threshold, y = -inf");
  /* f = T + 2^50 overflows too.  */
  check (INFINITY, T, 0x1p50, 0.0, "f just above the threshold, y = inf");
  check (FMAX, T, 0x1p50, INFINITY, "f just above the threshold, y = FLT_MAX");
  /* f = T - 2^50 rounds to FLT_MAX: |FLT_MAX - f| = 2^103 - 2^50, ulp 2^104 -> 1/2 - 2^-54.  */
  check (FMAX, T, -0x1p50, 0.5 - 0x1p-54, "f just below the threshold, y = FLT_MAX");
  check (INFINITY, T, -0x1p50, INFINITY, "f just below the threshold, y = inf");
  /* Far past it, as a double.  */
  check (INFINITY, 0x1p+200, 0, 0.0, "f = 2^200, y = inf");
  check (FMAX, 0x1p+200, 0, INFINITY, "f = 2^200, y = FLT_MAX");
  /* Negative side.  */
  check (-INFINITY, -T, 0, 0.0, "f = -threshold, y = -inf");
  check (INFINITY, -T, 0, INFINITY, "f = -threshold, y = +inf");
  check (-FMAX, -T, 0x1p50, 0.5 - 0x1p-54, "f just above -threshold, y = -FLT_MAX");
  /* f = FLT_MAX itself.  */
  check (FMAX, (double) FMAX, 0, 0.0, "f = FLT_MAX, y = FLT_MAX");
  check (INFINITY, (double) FMAX, 0, INFINITY, "f = FLT_MAX, y = inf");
}

static void
test_nan_inf_zero (void)
{
  check (NAN, 1.0, 0, INFINITY, "y = NaN, f = 1");
  check (NAN, 0.0, 0, INFINITY, "y = NaN, f = 0");
  check (NAN, EVAL_F32_OVERFLOW, 0, INFINITY, "y = NaN, f overflows");
  check (INFINITY, 1.0, 0, INFINITY, "y = inf, f = 1");
  check (-INFINITY, -1.0, 0, INFINITY, "y = -inf, f = -1");
  /* f = 0: ulp 2^-149; the value, not the bit pattern, counts (+0 and -0 both exact).  */
  check (0.0f, 0.0, 0, 0.0, "f = 0, y = +0");
  check (-0.0f, 0.0, 0, 0.0, "f = 0, y = -0");
  check (0x1p-149f, 0.0, 0, 1.0, "f = 0, y = 2^-149");
  check (-0x1p-148f, 0.0, 0, 2.0, "f = 0, y = -2^-148");
  check (1.0f, 0.0, 0, 0x1p149, "f = 0, y = 1");
}

/* The signed error has the unsigned error's magnitude and the side of y.  */
static void
test_signed (void)
{
  check_signed (1.0f, 1.0, -0x1p-30, 0x1p-6, "f just below 1, y = 1 above it");
  check_signed (0x1.fffffep-1f, 1.0, -0x1p-30, -(1 - 0x1p-6), "f just below 1, y below it");
  check_signed (-1.0f, -1.0, 0x1p-30, -0x1p-6, "f just above -1, y = -1 below it");
  check_signed (0.0f, 0x1.8p-149, 0, -1.5, "subnormal f, y = 0 below it");
  check_signed (0x1p-148f, 0x1.8p-149, 0, 0.5, "subnormal f, y above it");
  check_signed (1.0f, 1.0, 0, 0.0, "exact");
  check_signed (INFINITY, EVAL_F32_OVERFLOW, 0, 0.0, "f overflows, y = inf");
  check_signed (FMAX, EVAL_F32_OVERFLOW, 0, -INFINITY, "f overflows, y = FLT_MAX below it");
  check_signed (-INFINITY, EVAL_F32_OVERFLOW, 0, -INFINITY, "f overflows, y = -inf below it");
  check_signed (-FMAX, -EVAL_F32_OVERFLOW, 0, INFINITY, "f overflows to -inf, y = -FLT_MAX above it");
  check_signed (INFINITY, 1.0, 0, INFINITY, "f = 1, y = inf");
  check_signed (-INFINITY, 1.0, 0, -INFINITY, "f = 1, y = -inf");
  check_signed (NAN, 1.0, 0, NAN, "y = NaN");
  check_signed (NAN, EVAL_F32_OVERFLOW, 0, NAN, "y = NaN, f overflows");

  /* Against the unsigned error on random neighbours of random values.  */
  an_rng r;
  an_rng_seed (&r, tap_seed (20261124));
  int bad = 0;
  for (int i = 0; i < 100000 && bad < 5; i++)
    {
      uint32_t fb = (uint32_t) an_rng_next (&r);
      double hi = eval_f32_from_bits (fb), lo = 0;
      if (isnan (hi) || isinf (hi))
        continue;
      hi *= 1 + ldexp (an_rng_unit (&r) - 0.5, -20);
      float y = eval_f32_from_bits (fb + (uint32_t) an_rng_below (&r, 9) - 4);
      double s = eval_ulp_signed_error_f32 (y, hi, lo), u = eval_ulp_error_f32 (y, hi, lo);
      int same = isnan (s) ? u == INFINITY : fabs (s) == u && (s == 0 || (s > 0) == ((double) y > hi));
      if (!same)
        {
          bad++;
          tap_diag ("y = %a, f = %a: signed %a, unsigned %a", (double) y, hi, s, u);
        }
    }
  tap_ok (bad == 0, "|signed error| = error, with the sign of y - f, on 100000 random points");
}

/* The same error computed independently with MPFR: the exact sum HI + LO,
   its exponent, |y - f| exact, one division by a power of two.  */
static double
mpfr_error (float y, double hi, double lo)
{
  mpfr_t f, d;
  mpfr_inits2 (2200, f, d, (mpfr_ptr) 0);
  mpfr_set_d (f, hi, MPFR_RNDN);
  mpfr_add_d (f, f, lo, MPFR_RNDN);   /* exact at 2200 bits */
  mpfr_exp_t ue = EVAL_F32_SUBMIN;
  if (!mpfr_zero_p (f) && mpfr_get_exp (f) - EVAL_F32_P > ue)
    ue = mpfr_get_exp (f) - EVAL_F32_P;
  mpfr_d_sub (d, (double) y, f, MPFR_RNDN);
  mpfr_abs (d, d, MPFR_RNDN);
  mpfr_mul_2si (d, d, -ue, MPFR_RNDN);
  double e = mpfr_get_d (d, MPFR_RNDN);
  mpfr_clears (f, d, (mpfr_ptr) 0);
  return e;
}

/* Random exact values near float32 values (many at powers of two and in the
   subnormal range) and results a few ulps away, against MPFR.  */
static void
test_random_against_mpfr (void)
{
  an_rng r;
  an_rng_seed (&r, tap_seed (20240601));
  int n = 200000, bad = 0;
  double worst = 0;
  for (int i = 0; i < n && bad < 5; i++)
    {
      uint32_t fb = (uint32_t) an_rng_below (&r, 0x7f000000u);   /* finite, below 2^127 */
      if (i % 4 == 0)
        fb &= 0xff800000u;                                        /* a power of two (or 0) */
      if (i % 8 == 1)
        fb &= 0x807fffffu;                                        /* subnormal */
      fb |= (uint32_t) (an_rng_next (&r) & 1) << 31;
      double F = eval_f32_from_bits (fb);
      /* f = F + delta, delta up to a few float ulps, in a double-double.  */
      double u = F == 0 ? 0x1p-149 : fmax (ldexp (fabs (F), -23), 0x1p-149);
      double hi = F + (double) ((int) an_rng_below (&r, 5) - 2) * u * 0.5;
      double lo = ldexp ((an_rng_unit (&r) - 0.5), -60) * (hi == 0 ? 0x1p-149 : fabs (hi));
      if (fabs (lo) > 0.5 * fabs (hi) * 0x1p-53)
        lo = 0;
      float y = eval_f32_from_bits (fb + (uint32_t) an_rng_below (&r, 7) - 3);
      if (isnan (y) || isinf (y) || (eval_f32_bits (y) ^ fb) >> 31)
        continue;
      double got = eval_ulp_error_f32 (y, hi, lo), want = mpfr_error (y, hi, lo);
      double rel = fabs (got - want) / fmax (want, 0x1p-30);
      worst = fmax (worst, rel);
      if (rel > 0x1p-50)
        {
          bad++;
          tap_diag ("y = %a, f = %a + %a: ulp.h %a, MPFR %a", (double) y, hi, lo, got, want);
        }
    }
  tap_ok (bad == 0, "ulp.h agrees with an MPFR computation on %d random points "
          "(largest relative difference %.3g)", n, worst);
}

int
main (void)
{
  test_binade ();
  test_ulp_values ();
  test_subnormal ();
  test_power_of_two ();
  test_overflow ();
  test_nan_inf_zero ();
  test_signed ();
  test_random_against_mpfr ();
  return tap_done ();
}
