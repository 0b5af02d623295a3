/* probe -- what the search learns about a target by evaluating its reference: symmetry,
   exponential and logarithmic structure, where it saturates, its slope at 0.

   Seeds (search/seeds.c) are built from these properties, never from a target's name, so
   that a target nobody wrote a scaffold for, or a user's expression, gets the reductions
   its structure allows.  Every test compares exact values (eval_ref_dd: double-double,
   within 2^-100 relative) at a few dozen points of the domain with a relative tolerance of
   2^-40: a function with the structure passes with room to spare, one without fails by
   orders of magnitude.  */
#include <math.h>
#include <string.h>

#include "search/internal.h"

#define NPOINTS 24
#define TOL 0x1p-40

/* f(x) - off, from the double-double reference (hi - off is exact where they are close:
   e^x - 1 at x = -20 keeps its digits).  */
static double
f_minus (const eval_target *t, double x, double off)
{
  double hi, lo;
  eval_ref_dd (t, &x, &hi, &lo);
  return (hi - off) + lo;
}

static double
f_at (const eval_target *t, double x)
{
  return f_minus (t, x, 0);
}

static int
close_rel (double a, double b)
{
  return isfinite (a) && isfinite (b) && fabs (a - b) <= TOL * fmax (fabs (a), fabs (b));
}

/* N points spread over [A, B] (inside the domain), not at its ends.  */
static void
spread (double a, double b, double *x, int n)
{
  for (int i = 0; i < n; i++)
    x[i] = a + (b - a) * (i + 0.5 + 0.37 * ((i * 7) % 5 - 2) / 5) / n;
}

/* f(-x) = -f(x) (ODD) or f(x) (EVEN) on the part of the domain symmetric about 0.  */
static void
probe_symmetry (const eval_target *t, const eval_domain *d, search_props *pr)
{
  double m = fmin (-d->lo[0], d->hi[0]);
  if (!(m > 0))
    return;
  double x[NPOINTS];
  spread (0, fmin (m, 64), x, NPOINTS);
  int odd = 1, even = 1;
  for (int i = 0; i < NPOINTS; i++)
    {
      double p = f_at (t, x[i]), q = f_at (t, -x[i]);
      odd &= close_rel (p, -q) && p != 0;
      even &= close_rel (p, q);
    }
  pr->odd = odd;
  pr->even = even && !odd;
  /* f's odd part c x (GELU, SiLU, softplus: f(x) - f(-x) = x): f = c x + an even function.  */
  double c0 = NAN;
  int lin = !odd && !even;
  for (int i = 0; i < NPOINTS && lin; i++)
    {
      double c = (f_at (t, x[i]) - f_at (t, -x[i])) / (2 * x[i]);
      lin = c != 0 && (i == 0 || close_rel (c, c0));
      c0 = i == 0 ? c : c0;
    }
  if (lin)
    {
      pr->lin_odd = 1;
      pr->lin_c = c0;
      return;
    }
  /* f's even part a constant K (a sigmoid: f(x) + f(-x) = 1): f = K + an odd function.  */
  double k0 = NAN;
  int konst = !odd && !even;
  for (int i = 0; i < NPOINTS && konst; i++)
    {
      double k = (f_at (t, x[i]) + f_at (t, -x[i])) / 2;
      konst = k != 0 && (i == 0 || close_rel (k, k0));
      k0 = i == 0 ? k : k0;
    }
  if (konst)
    {
      pr->even_const = 1;
      pr->even_k = k0;
    }
}

/* f(x) = off + scale b^x: with off f's limit towards the domain's low end (or 0),
   (f(x + h) - off) / (f(x) - off) is one constant b^h (h = 1, or half the domain
   where it is narrower).  */
static void
probe_exp (const eval_target *t, const eval_domain *d, search_props *pr)
{
  double h = fmin (1, (d->hi[0] - d->lo[0]) / 2);
  double a = fmax (d->lo[0], -20), b = fmin (d->hi[0] - h, 20);
  if (!(h > 0 && a < b))
    return;
  double offs[2] = { 0, f_at (t, d->lo[0]) };
  double x[NPOINTS];
  spread (a, b, x, NPOINTS);
  for (int k = 0; k < 2; k++)
    {
      double off = offs[k], r0 = NAN;
      int ok = isfinite (off);
      for (int i = 0; i < NPOINTS && ok; i++)
        {
          double r = f_minus (t, x[i] + h, off) / f_minus (t, x[i], off);
          ok = r > 0 && r != 1 && (i == 0 || close_rel (r, r0));
          r0 = i == 0 ? r : r0;
        }
      if (ok)
        {
          pr->exp_like = 1;
          pr->exp_off = off;
          pr->exp_log2b = log2 (r0) / h;
          pr->exp_scale = f_minus (t, 0, off);
          return;
        }
    }
}

/* f(x) = off + c log2 (x + s): doubling x + s adds c (multiplying it by q adds
   c log2 q).  S is 0, or the integer just below the domain's low end where f
   falls without bound there (ln (1 + x)).  */
static void
probe_log (const eval_target *t, const eval_domain *d, search_props *pr)
{
  double shifts[2] = { 0, -floor (d->lo[0]) };
  for (int k = 0; k < 2; k++)
    {
      double s = shifts[k];
      if (k == 1 && (s == 0 || !(d->lo[0] < 0)))
        continue;
      /* The factor q: 2, or where the domain spans less than a factor 4, the square
         root of its span (c = (f(q u) - f(u)) / log2 q).  */
      double a = fmax (d->lo[0] + s, 0x1p-10), top = fmin (d->hi[0] + s, 0x1p21);
      if (!(a > 0 && a < top))
        continue;
      double q = fmin (2, sqrt (top / a)), b = top / q;
      if (!(q > 1 && a < b))
        continue;
      double u[NPOINTS], c0 = NAN;
      spread (log2 (a), log2 (b), u, NPOINTS);
      int ok = 1;
      for (int i = 0; i < NPOINTS && ok; i++)
        {
          double v = exp2 (u[i]);
          double c = (f_at (t, q * v - s) - f_at (t, v - s)) / log2 (q);
          ok = c != 0 && (i == 0 || close_rel (c, c0));
          c0 = i == 0 ? c : c0;
        }
      if (ok)
        {
          pr->log_like = 1;
          pr->log_shift = s;
          pr->log_c = c0;
          pr->log_off = f_at (t, 1 - s);
          return;
        }
    }
}

/* Where the rounded result becomes the constant f(hi) for good: the smallest x of the
   type whose result rounds to it, by bisection on keys (f monotone there).  */
static void
probe_saturation (const eval_target *t, dsl_type y, const eval_domain *d, search_props *pr)
{
  double hi = d->hi[0];
  uint64_t top = eval_ref_bits (t, y, &hi);
  double v = dsl_value_of_bits (y, top);
  if (!isfinite (v) || v == 0)
    return;
  uint64_t klo = eval_key_of (y, fmax (d->lo[0], 0)), khi = eval_key_of (y, hi);
  double xlo = eval_value_of_key (y, klo);
  if (eval_ref_bits (t, y, &xlo) == top)
    return;   /* constant from the start: nothing to gain */
  while (klo + 1 < khi)
    {
      uint64_t mid = klo + (khi - klo) / 2;
      double xm = eval_value_of_key (y, mid);
      if (eval_ref_bits (t, y, &xm) == top)
        khi = mid;
      else
        klo = mid;
    }
  double xs = eval_value_of_key (y, khi);
  if (xs < hi / 2)
    {
      pr->saturates = 1;
      pr->sat_x = xs;
      pr->sat_v = v;
    }
}

/* The largest 2^-k below which slope0 x, rounded to the type, is within a quarter ULP of
   f(x) (tanh: 2^-12 in float32, where x^3/3 drops below the last bit; ln (1 + x): far
   less, its curvature is at x^2): there the linear regime of the seeds is exact enough.  */
static void
probe_linear (const eval_target *t, dsl_type y, const eval_domain *d, search_props *pr)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  for (int k = 1; k <= ti->p + 4; k++)
    {
      double eps = ldexp (1, -k), xs[4] = { eps, -eps, 0.71 * eps, -0.53 * eps };
      int ok = 1;
      for (int i = 0; i < 4 && ok; i++)
        {
          double x = eval_round_to (y, xs[i]), hi, lo;
          if (x < d->lo[0] || x > d->hi[0])
            continue;
          eval_ref_dd (t, &x, &hi, &lo);
          double v = eval_round_to (y, pr->slope0 * x);
          ok = eval_error (EVAL_ULP, ti, v, hi, lo) <= 0.25;
        }
      if (ok)
        {
          pr->lin_x = eps;
          return;
        }
    }
}

static double
f2_at (const eval_target *t, double x, double y)
{
  double hi, lo, v[2] = { x, y };
  eval_ref_dd (t, v, &hi, &lo);
  return hi + lo;
}

/* Two arguments: f(x, y) = c x^a y^b on the positive part of the box, a and b read off
   f(2x, y) / f(x, y) and f(x, 2y) / f(x, y) (each one constant 2^a, 2^b at every point),
   then c = f / (x^a y^b) one constant.  Points spread in log scale over [lo, hi / 2],
   within 2^-30 .. 2^30 (the reference is exact at any of them).  */
static void
probe_power (const eval_target *t, const eval_domain *d, search_props *pr)
{
  double l2[2][2];
  for (int j = 0; j < 2; j++)
    {
      double lo = fmax (d->lo[j], 0x1p-30), hi = fmin (d->hi[j], 0x1p30);
      if (!(hi / 2 > lo))
        return;
      pr->pos_lo[j] = fmax (d->lo[j], 0);
      pr->pos_hi[j] = d->hi[j];
      l2[j][0] = log2 (lo), l2[j][1] = log2 (hi / 2);
    }
  double x[NPOINTS], y[NPOINTS];
  spread (l2[0][0], l2[0][1], x, NPOINTS);
  spread (l2[1][0], l2[1][1], y, NPOINTS);
  double e[2] = { NAN, NAN }, c0 = NAN;
  for (int i = 0; i < NPOINTS; i++)
    {
      /* Pair x's i-th point with y's (7 i mod N)-th, and keep both on the type's grid of
         about 2^-8 relative: any value will do, exact ones are simpler to trust.  */
      double xi = exp2 (x[i]), yi = exp2 (y[(7 * i) % NPOINTS]);
      xi = ldexp (rint (ldexp (xi, 7 - ilogb (xi))), ilogb (xi) - 7);
      yi = ldexp (rint (ldexp (yi, 7 - ilogb (yi))), ilogb (yi) - 7);
      double f = f2_at (t, xi, yi);
      double r[2] = { f2_at (t, 2 * xi, yi) / f, f2_at (t, xi, 2 * yi) / f };
      for (int j = 0; j < 2; j++)
        {
          if (!(r[j] > 0) || !isfinite (r[j]) || (i > 0 && !close_rel (r[j], e[j])))
            return;
          e[j] = r[j];
        }
      double a = log2 (e[0]), b = log2 (e[1]);
      if (i == 0)
        {
          /* Exponents multiples of 1/2 within 2^-30, nonzero, at most 2 in size.  */
          for (int j = 0; j < 2; j++)
            {
              double v = j ? b : a, h = rint (2 * v) / 2;
              if (fabs (v - h) > 0x1p-30 || h == 0 || fabs (h) > 2)
                return;
            }
        }
      double c = f / (pow (xi, rint (2 * a) / 2) * pow (yi, rint (2 * b) / 2));
      if (!isfinite (c) || c == 0 || (i > 0 && !close_rel (c, c0)))
        return;
      c0 = i == 0 ? c : c0;
    }
  pr->pow_like = 1;
  pr->pow_a = rint (2 * log2 (e[0])) / 2;
  pr->pow_b = rint (2 * log2 (e[1])) / 2;
  pr->pow_c = c0;
}

void
search_probe (const eval_target *t, dsl_type y, const eval_domain *d, search_props *pr)
{
  memset (pr, 0, sizeof *pr);
  pr->wide_out = t->vectors || dsl_type_info (y)->encode != NULL;
  for (int j = 0; j < t->arity && j < EVAL_MAXARITY; j++)
    pr->lo[j] = d->lo[j], pr->hi[j] = d->hi[j];
  if (t->arity == 2)
    probe_power (t, d, pr);
  if (t->arity != 1)
    return;
  probe_symmetry (t, d, pr);
  probe_exp (t, d, pr);
  if (!pr->exp_like)
    probe_log (t, d, pr);
  probe_saturation (t, y, d, pr);
  if (d->lo[0] <= 0 && d->hi[0] >= 0)
    {
      double h = 0x1p-24;
      pr->has0 = 1;
      pr->f0 = f_at (t, 0);
      pr->slope0 = (f_at (t, h) - f_at (t, -h)) / (2 * h);
      if (pr->f0 == 0 && isfinite (pr->slope0) && pr->slope0 != 0)
        probe_linear (t, y, d, pr);
    }
}
