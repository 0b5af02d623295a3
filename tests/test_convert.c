/* test_convert -- dsl/convert.h against field-by-field decoding and MPFR: every pattern, every
   midpoint and its float32 neighbours, the overflow and subnormal edges, a seeded sample.  */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <mpfr.h>

#include "dsl/helpers.h"
#include "dsl/convert.h"
#include "eval/rng.h"
#include "tests/tap.h"

/* Random points per format and kind (uniform bits, and uniform exponents around the format's
   range); the whole test takes about 3 s.  */
#define NRANDOM 1000000

/* A format from its definition (field widths, bias, what exponent all ones means), not from
   convert.h's table, which test_table checks against it.  */
typedef struct {
  const char *name;
  int bits, w, t, bias, ieee;   /* ieee: exponent all ones is inf or NaN; else only all ones is NaN */
  uint32_t nan;                 /* the canonical NaN encode gives: quiet, positive */
  float (*decode) (uint32_t);
  uint32_t (*encode) (float);
  float (*round) (float);
  /* Derived by setup: the positive finite values, pattern k is vals[k].  */
  double *vals;
  uint32_t nfin;
} fmt;

static fmt fmts[] = {
  { "bf16", 16, 8, 7, 127, 1, 0x7fc0, an_bf16_decode, an_bf16_encode, an_bf16_round, NULL, 0 },
  { "f16", 16, 5, 10, 15, 1, 0x7e00, an_f16_decode, an_f16_encode, an_f16_round, NULL, 0 },
  { "e4m3", 8, 4, 3, 7, 0, 0x7f, an_e4m3_decode, an_e4m3_encode, an_e4m3_round, NULL, 0 },
  { "e5m2", 8, 5, 2, 15, 1, 0x7e, an_e5m2_decode, an_e5m2_encode, an_e5m2_round, NULL, 0 },
};
#define NFMT (sizeof fmts / sizeof fmts[0])

static uint32_t
eall (const fmt *f)
{
  return (1u << f->w) - 1u;
}

static int
submin (const fmt *f)
{
  return 1 - f->bias - f->t;
}

static int
emax (const fmt *f)
{
  return (int) eall (f) - f->bias - f->ieee;
}

/* The value of pattern PAT from its fields, with ldexp; NaN for the NaN patterns.  */
static double
field_value (const fmt *f, uint32_t pat)
{
  uint32_t s = (pat >> (f->bits - 1)) & 1u, e = (pat >> f->t) & eall (f), m = pat & ((1u << f->t) - 1u);
  double v;
  if (e == eall (f) && (f->ieee || m == (1u << f->t) - 1u))
    v = f->ieee && m == 0 ? INFINITY : NAN;
  else if (e == 0)
    v = ldexp (m, submin (f));
  else
    v = ldexp (m + (1u << f->t), (int) e - f->bias - f->t);
  return s ? -v : v;
}

static uint32_t
bits_of (double v)
{
  return isnan (v) ? 0x7fc00000u : an_u32 ((float) v);
}

/* The pattern of V, a value of the format (or inf, or NaN); UINT32_MAX if it is none.  */
static uint32_t
pattern_of (const fmt *f, double v)
{
  if (isnan (v))
    return f->nan;
  uint32_t sign = (uint32_t) (signbit (v) != 0) << (f->bits - 1), lo = 0, hi = f->nfin;
  double a = fabs (v);
  if (isinf (a))
    return f->ieee ? sign | eall (f) << f->t : UINT32_MAX;
  while (hi - lo > 1)
    {
      uint32_t mid = lo + (hi - lo) / 2;
      if (f->vals[mid] <= a)
        lo = mid;
      else
        hi = mid;
    }
  return f->vals[lo] == a ? sign | lo : UINT32_MAX;
}

static void
setup (fmt *f)
{
  f->nfin = f->ieee ? eall (f) << f->t : (1u << (f->bits - 1)) - 1u;
  f->vals = malloc (f->nfin * sizeof *f->vals);
  if (!f->vals)
    abort ();
  for (uint32_t k = 0; k < f->nfin; k++)
    f->vals[k] = field_value (f, k);
}

/* A rounded to the format by MPFR: P bits, then the format's exponent range (MPFR's emin is
   the exponent of the smallest subnormal 2^SUBMIN = 0.1b * 2^(SUBMIN+1)), then overflow:
   inf, or the largest finite where the format saturates (MPFR's largest at emax + 1,
   480 for e4m3, lies past 448).  */
static double
mpfr_round_to (const fmt *f, float a)
{
  static mpfr_t x;
  static int ready;
  if (isnan (a))
    return NAN;
  if (!ready)
    mpfr_init2 (x, 24), ready = 1;
  mpfr_set_prec (x, f->t + 1);
  int inex = mpfr_set_flt (x, a, MPFR_RNDN);
  mpfr_exp_t old_emin = mpfr_get_emin (), old_emax = mpfr_get_emax ();
  mpfr_set_emin (submin (f) + 1);
  mpfr_set_emax (emax (f) + 1);
  inex = mpfr_check_range (x, inex, MPFR_RNDN);
  mpfr_subnormalize (x, inex, MPFR_RNDN);
  mpfr_set_emin (old_emin);
  mpfr_set_emax (old_emax);
  double v = mpfr_get_d (x, MPFR_RNDN), max = f->vals[f->nfin - 1];
  if (fabs (v) > max)
    v = copysign (f->ieee ? INFINITY : max, v);
  return v;
}

/* ---- point sets ---- */

typedef struct {
  float *x;
  size_t n, cap;
} points;

static void
add (points *p, float x)
{
  if (p->n == p->cap)
    {
      p->cap = p->cap ? 2 * p->cap : 1024;
      p->x = realloc (p->x, p->cap * sizeof *p->x);
      if (!p->x)
        abort ();
    }
  p->x[p->n++] = x;
}

/* X (exactly a float), its float32 neighbours, and the negatives of the three.  */
static void
add_around (points *p, double x)
{
  float f = (float) x;
  if ((double) f != x)
    abort ();
  float v[3] = { f, nextafterf (f, -INFINITY), nextafterf (f, INFINITY) };
  for (int i = 0; i < 3; i++)
    {
      add (p, v[i]);
      add (p, -v[i]);
    }
}

static void
values (const fmt *f, an_rng *r, points *p)
{
  (void) r;
  for (uint32_t k = 0; k < f->nfin; k++)
    add_around (p, f->vals[k]);
}

/* Each exact midpoint of consecutive values (0 included), and the one between the largest
   and the next value it would have, unbounded: the overflow threshold.  */
static void
midpoints (const fmt *f, an_rng *r, points *p)
{
  (void) r;
  for (uint32_t k = 0; k + 1 < f->nfin; k++)
    add_around (p, (f->vals[k] + f->vals[k + 1]) / 2);
  double max = f->vals[f->nfin - 1], ulp = max - f->vals[f->nfin - 2];
  add_around (p, max + ulp / 2);
}

static void
edges (const fmt *f, an_rng *r, points *p)
{
  (void) r;
  double max = f->vals[f->nfin - 1], ulp = max - f->vals[f->nfin - 2], sub = ldexp (1, submin (f));
  double emin = ldexp (1, 1 - f->bias);
  double at[] = {
    0, max + ulp, max + 1.5 * ulp, max + 2 * ulp, 2 * max, ldexp (1, emax (f) + 1), ldexp (1, emax (f) + 2),
    sub / 2, sub / 4, 1.5 * sub, 2.5 * sub, emin - sub / 2, emin - sub, emin + sub / 2,
    0x1p-149, 0x1p-126, 0x1p-127, FLT_MAX, 0x1p-60, 0x1p+60, 1,
  };
  for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
    if (at[i] <= FLT_MAX)   /* bfloat16's overflow edges lie past float32's */
      add_around (p, at[i]);
  const uint32_t special[] = { 0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u,
                               0x7fa00000u, 0x7fffffffu, 0xffffffffu, 0x7fc00001u };
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    add (p, an_f32 (special[i]));
}

static void
random_bits (const fmt *f, an_rng *r, points *p)
{
  (void) f;
  for (int i = 0; i < NRANDOM; i++)
    add (p, an_f32 ((uint32_t) an_rng_next (r)));
}

/* Exponents uniform from a little below the smallest subnormal to a little above the largest
   finite, random fraction and sign.  */
static void
random_range (const fmt *f, an_rng *r, points *p)
{
  int lo = submin (f) - 3, hi = emax (f) + 2;
  for (int i = 0; i < NRANDOM; i++)
    {
      uint64_t u = an_rng_next (r);
      int e = lo + (int) an_rng_below (r, (uint64_t) (hi - lo + 1));
      float x = ldexpf (1.0f + (float) (u & 0x7fffffu) * 0x1p-23f, e);
      add (p, (u >> 63) ? -x : x);
    }
}

/* ---- checks ---- */

/* On every point: encode as MPFR rounds (upper bits zero), round == decode (encode), bit for bit.  */
static void
check_points (const fmt *f, const points *p, const char *what)
{
  size_t bad_enc = 0, bad_round = 0;
  for (size_t i = 0; i < p->n; i++)
    {
      float a = p->x[i];
      uint32_t got = f->encode (a), want = pattern_of (f, mpfr_round_to (f, a));
      uint32_t r = an_u32 (f->round (a)), dr = an_u32 (f->decode (got));
      if (got != want && bad_enc++ < 5)
        tap_diag ("%s encode (%a = 0x%08x) = 0x%x, MPFR 0x%x", f->name, (double) a, an_u32 (a), got, want);
      if (r != dr && bad_round++ < 5)
        tap_diag ("%s round (%a) = 0x%08x, decode (encode) 0x%08x", f->name, (double) a, r, dr);
    }
  tap_ok (bad_enc == 0, "%s encode = MPFR on %s (%zu points, %zu wrong)", f->name, what, p->n, bad_enc);
  tap_ok (bad_round == 0, "%s round = decode (encode) on %s (%zu wrong)", f->name, what, bad_round);
}

static void
test_decode (const fmt *f, an_rng *r)
{
  size_t bad = 0, bad_upper = 0, bad_mpfr = 0;
  for (uint32_t pat = 0; pat < 1u << f->bits; pat++)
    {
      uint32_t got = an_u32 (f->decode (pat)), want = bits_of (field_value (f, pat));
      uint32_t noise = (uint32_t) an_rng_next (r) << f->bits;
      if (got != want && bad++ < 5)
        tap_diag ("%s decode (0x%x) = 0x%08x, fields give 0x%08x", f->name, pat, got, want);
      if (an_u32 (f->decode (pat | noise)) != got)
        bad_upper++;
      if (!isnan (field_value (f, pat)) && bits_of (mpfr_round_to (f, an_f32 (got))) != got && bad_mpfr++ < 5)
        tap_diag ("%s decode (0x%x) = %a is no value of the format for MPFR", f->name, pat, (double) an_f32 (got));
    }
  tap_ok (bad == 0, "%s decode of all %u patterns = ldexp of the fields, NaNs 0x7fc00000 (%zu wrong)", f->name,
          1u << f->bits, bad);
  tap_ok (bad_upper == 0, "%s decode ignores the bits above the pattern", f->name);
  tap_ok (bad_mpfr == 0, "%s every decoded value is its own MPFR rounding (%zu not)", f->name, bad_mpfr);
  int increasing = 1;
  for (uint32_t k = 0; k + 1 < f->nfin; k++)
    increasing &= f->vals[k] < f->vals[k + 1];
  tap_ok (increasing, "%s positive patterns 0..0x%x increase", f->name, f->nfin - 1);
}

/* convert.h's table rows against the formats' definitions.  */
static void
test_table (void)
{
#define ROW(T, i)                                                                                              \
  do                                                                                                           \
    {                                                                                                          \
      const fmt *f = &fmts[i];                                                                                 \
      tap_ok (AN_##T##_BITS == f->bits && AN_##T##_P == f->t + 1 && AN_##T##_EMIN == 1 - f->bias               \
                && AN_##T##_EMAX == emax (f) && AN_##T##_MAX == f->vals[f->nfin - 1]                           \
                && AN_##T##_SUBMIN == submin (f) && ldexp (1, AN_##T##_SUBMIN) == f->vals[1]                   \
                && AN_##T##_HAS_INF == f->ieee && AN_##T##_SATURATES == !f->ieee && AN_##T##_NAN == f->nan,    \
              "AN_" #T "_* agree with %s's definition", f->name);                                              \
    }                                                                                                          \
  while (0)
  ROW (BF16, 0);
  ROW (F16, 1);
  ROW (E4M3, 2);
  ROW (E5M2, 3);
#undef ROW
}

int
main (void)
{
  an_rng r;
  an_rng_seed (&r, tap_seed (20261207));
  for (size_t i = 0; i < NFMT; i++)
    setup (&fmts[i]);
  test_table ();
  for (size_t i = 0; i < NFMT; i++)
    {
      fmt *f = &fmts[i];
      test_decode (f, &r);
      static const struct {
        void (*make) (const fmt *, an_rng *, points *);
        const char *what;
      } sets[] = { { values, "its values and their neighbours" },
                   { midpoints, "midpoints and their neighbours" },
                   { edges, "overflow, subnormal and special edges" },
                   { random_bits, "random float32 patterns" },
                   { random_range, "random values around its range" } };
      for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++)
        {
          points p = { NULL, 0, 0 };
          sets[s].make (f, &r, &p);
          check_points (f, &p, sets[s].what);
          free (p.x);
        }
      free (f->vals);
    }
  mpfr_free_cache ();
  return tap_done ();
}
