/* test_types -- every row of the type table at its hard places: references rounded into the
   type (ties, overflow, subnormals, signed zeros, NaN), the ULP, absolute and relative errors,
   descriptions and keys, against integer arithmetic on the type's fields and against MPFR.  */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mpfr.h>

#include "dsl/dsl.h"
#include "dsl/helpers.h"
#include "dsl/convert.h"
#include "eval/eval.h"
#include "eval/rng.h"
#include "eval/ulp.h"
#include "tests/tap.h"

/* Random points per type and kind; the whole test takes about 2 s.  */
#define NRANDOM 100000

typedef unsigned __int128 u128;

/* A type as its standard defines it (IEEE 754-2019 binary64, binary32 and binary16, bfloat16,
   the OCP 8-bit floating point specification of 2023), typed in here rather than read from the
   table, which test_table checks against it.  NAN is the NaN every result gets: positive,
   quiet (exponent all ones, leading fraction bit set; fp8e4m3 has only S.1111.111).  */
typedef struct {
  dsl_type t;
  const char *name;
  int bits, p, emin, emax;
  double max;
  int has_inf, saturates;
  uint64_t nan;
} spec;

static const spec specs[] = {
  { DSL_FLOAT64, "float64", 64, 53, -1022, 1023, 0x1.fffffffffffffp+1023, 1, 0, UINT64_C (0x7ff8000000000000) },
  { DSL_FLOAT32, "float32", 32, 24, -126, 127, 0x1.fffffep+127, 1, 0, 0x7fc00000u },
  { DSL_FLOAT16, "float16", 16, 11, -14, 15, 65504, 1, 0, 0x7e00u },
  { DSL_BFLOAT16, "bfloat16", 16, 8, -126, 127, 0x1.fep+127, 1, 0, 0x7fc0u },
  { DSL_FP8E4M3, "fp8e4m3", 8, 4, -6, 8, 448, 0, 1, 0x7fu },
  { DSL_FP8E5M2, "fp8e5m2", 8, 3, -14, 15, 57344, 1, 0, 0x7eu },
};
#define NSPECS (sizeof specs / sizeof specs[0])

static const eval_target *mul;

/* ---- the fields: numbers, decoding, encoding, rounding ---- */

static int
submin (const spec *s)
{
  return s->emin - s->p + 1;
}

static int
bias (const spec *s)
{
  return 1 - s->emin;
}

/* The exponent of the ulp of the largest binade, and the largest value's significand there.  */
static int
qmax (const spec *s)
{
  return s->emax - s->p + 1;
}

static uint64_t
maxsig (const spec *s)
{
  return (uint64_t) ldexp (s->max, -qmax (s));
}

static int
bitlen (u128 m)
{
  int n = 0;
  for (; m; m >>= 1)
    n++;
  return n;
}

static u128
oddpart (u128 m)
{
  while (m && !(m & 1))
    m >>= 1;
  return m;
}

static uint64_t
sign_bit (const spec *s, int neg)
{
  return (uint64_t) (neg != 0) << (s->bits - 1);
}

/* The value of pattern PAT, from its sign, exponent and fraction fields.  */
static double
field_value (const spec *s, uint64_t pat)
{
  int f = s->p - 1;
  uint64_t eall = (UINT64_C (1) << (s->bits - s->p)) - 1, fall = (UINT64_C (1) << f) - 1;
  uint64_t e = (pat >> f) & eall, m = pat & fall;
  double v;
  if (e == eall && s->has_inf)
    v = m == 0 ? INFINITY : NAN;
  else if (e == eall && m == fall)
    v = NAN;
  else if (e == 0)
    v = ldexp ((double) m, submin (s));
  else
    v = ldexp ((double) (m | (fall + 1)), (int) e - bias (s) - f);
  return (pat >> (s->bits - 1)) & 1 ? -v : v;
}

/* The pattern of (-1)^NEG N 2^Q, N < 2^P, normal (N >= 2^(P-1), or N = 2^P: the next binade)
   or subnormal (Q = SUBMIN).  */
static uint64_t
field_pattern (const spec *s, int neg, uint64_t n, int q)
{
  uint64_t top = UINT64_C (1) << (s->p - 1);
  if (n == top << 1)
    n = top, q++;
  if (n < top)
    return sign_bit (s, neg) | n;
  return sign_bit (s, neg) | (uint64_t) (q + s->p - 1 + bias (s)) << (s->p - 1) | (n - top);
}

static uint64_t
inf_pattern (const spec *s, int neg)
{
  return sign_bit (s, neg) | ((UINT64_C (1) << (s->bits - s->p)) - 1) << (s->p - 1);
}

static uint64_t
max_pattern (const spec *s, int neg)
{
  return field_pattern (s, neg, maxsig (s), qmax (s));
}

/* What a magnitude past the largest value becomes.  */
static uint64_t
overflow_pattern (const spec *s, int neg)
{
  return s->saturates ? max_pattern (s, neg) : inf_pattern (s, neg);
}

/* (-1)^NEG M 2^E rounded to nearest, ties to even, with the type's subnormals and overflow:
   the quantum 2^Q of M's binade (2^SUBMIN at least), the remainder against half of it.  */
static uint64_t
round_fields (const spec *s, int neg, u128 m, int e)
{
  if (m == 0)
    return sign_bit (s, neg);
  int q = bitlen (m) - 1 + e - s->p + 1;
  if (q < submin (s))
    q = submin (s);
  u128 n;
  if (e >= q)
    n = m << (e - q);
  else if (q - e > bitlen (m))
    n = 0;                                   /* below half the quantum */
  else
    {
      int sh = q - e;
      u128 rem = m & (((u128) 1 << sh) - 1), half = (u128) 1 << (sh - 1);
      n = m >> sh;
      if (rem > half || (rem == half && (n & 1)))
        n++;
    }
  if (n == 0)
    return sign_bit (s, neg);
  if (n >> s->p)                             /* rounded up into the next binade */
    n >>= 1, q++;
  int top = bitlen (n) - 1 + q;
  if (top > s->emax || (top == s->emax && n > maxsig (s)))
    return overflow_pattern (s, neg);
  return field_pattern (s, neg, (uint64_t) n, q);
}

/* |X| = M 2^E, M an integer of at most 53 bits (X finite).  */
static void
dbl_split (double x, u128 *m, int *e)
{
  int k;
  double f = frexp (fabs (x), &k);
  *m = (u128) (uint64_t) ldexp (f, 53);
  *e = k - 53;
}

/* The double X (exact) rounded into the type, as a pattern.  */
static uint64_t
round_double (const spec *s, double x)
{
  if (isnan (x))
    return s->nan;
  if (isinf (x))
    return overflow_pattern (s, signbit (x) != 0);
  u128 m;
  int e;
  dbl_split (x, &m, &e);
  return round_fields (s, signbit (x) != 0, m, e);
}

/* The exact product X Y rounded into the type (IEEE 754 for NaN and infinities).  */
static uint64_t
mul_fields (const spec *s, double x, double y)
{
  if (isnan (x) || isnan (y) || (isinf (x) && y == 0) || (x == 0 && isinf (y)))
    return s->nan;
  int neg = !signbit (x) != !signbit (y);
  if (isinf (x) || isinf (y))
    return overflow_pattern (s, neg);
  u128 mx, my;
  int ex, ey;
  dbl_split (x, &mx, &ex);
  dbl_split (y, &my, &ey);
  return round_fields (s, neg, mx * my, ex + ey);
}

/* Equal as values of a type, bit for bit (+0 and -0 differ, NaN matches NaN).  */
static int
same_value (double a, double b)
{
  return (isnan (a) && isnan (b)) || (a == b && !signbit (a) == !signbit (b));
}

/* X is a value of the type by its fields and by eval_round_to.  */
static int
is_value (const spec *s, double x)
{
  return same_value (field_value (s, round_double (s, x)), x) && same_value (eval_round_to (s->t, x), x);
}

static uint64_t
ref_mul (const spec *s, double x, double y)
{
  double in[2] = { x, y };
  return eval_ref_bits (mul, s->t, in);
}

static uint64_t
random_pattern (const spec *s, an_rng *r)
{
  uint64_t b = an_rng_next (r);
  return s->bits == 64 ? b : b & ((UINT64_C (1) << s->bits) - 1);
}

/* ---- the table ---- */

static void
test_table (const spec *s)
{
  const dsl_typeinfo *ti = dsl_type_info (s->t);
  int ok = ti && strcmp (ti->name, s->name) == 0 && ti->bits == s->bits && ti->p == s->p
           && ti->emin == s->emin && ti->emax == s->emax && ti->submin == submin (s) && ti->max == s->max
           && !ti->has_inf == !s->has_inf && !ti->saturates == !s->saturates
           && (s->bits >= 32) == (ti->encode == NULL) && (s->bits >= 32) == (ti->decode == NULL);
  tap_ok (ok, "%s: the table row is the standard's (bits, p, emin, emax, submin, max, inf, saturation)",
          s->name);
  tap_ok (field_value (s, max_pattern (s, 0)) == s->max && isnan (field_value (s, s->nan))
          && (!s->has_inf || field_value (s, inf_pattern (s, 1)) == -INFINITY),
          "%s: the fields give max, inf and the canonical NaN 0x%llx", s->name, (unsigned long long) s->nan);
  if (ti && ti->encode)
    {
      uint64_t an_nan = s->t == DSL_FLOAT16 ? AN_F16_NAN : s->t == DSL_BFLOAT16 ? AN_BF16_NAN
                        : s->t == DSL_FP8E4M3 ? AN_E4M3_NAN : AN_E5M2_NAN;
      tap_ok (an_nan == s->nan && ti->encode (NAN) == s->nan && ti->encode (-NAN) == s->nan,
              "%s: dsl/convert.h's NaN 0x%llx and encode (+-NaN) 0x%x are the canonical 0x%llx", s->name,
              (unsigned long long) an_nan, (unsigned) ti->encode (NAN), (unsigned long long) s->nan);
    }
}

/* dsl_value_of_bits and dsl_bits_of_value against the fields: every pattern of the 16- and
   8-bit types, random ones of the others.  */
static void
test_bits (const spec *s, an_rng *r)
{
  uint64_t n = s->bits <= 16 ? UINT64_C (1) << s->bits : NRANDOM, bad = 0;
  for (uint64_t i = 0; i < n; i++)
    {
      uint64_t b = s->bits <= 16 ? i : random_pattern (s, r);
      double v = field_value (s, b), got = dsl_value_of_bits (s->t, b);
      uint64_t back = dsl_bits_of_value (s->t, got), want = isnan (v) ? s->nan : b;
      /* float32 and float64 keep a NaN's payload: only its NaN-ness is checked.  */
      int ok = same_value (got, v) && (back == want || (isnan (v) && s->bits >= 32 && isnan (field_value (s, back))));
      if (!ok && bad++ < 5)
        tap_diag ("%s: pattern 0x%llx: value %a (fields %a), back 0x%llx", s->name, (unsigned long long) b, got, v,
                  (unsigned long long) back);
    }
  tap_ok (bad == 0, "%s: dsl_value_of_bits and dsl_bits_of_value agree with the fields on %s (%llu wrong)",
          s->name, s->bits <= 16 ? "every pattern" : "random patterns", (unsigned long long) bad);
}

/* ---- references: the mul target at chosen places ---- */

/* A, B whose odd parts have at most P bits (so A 2^i, B 2^j are values of the type for
   suitable i, j) with LO <= A B <= HI.  Every A in turn for small P or an exact product,
   else random P-bit A, each with a fair chance when HI - LO is a fair fraction of 2^P.  */
static int
find_factors (const spec *s, an_rng *r, u128 lo, u128 hi, u128 *a, u128 *b)
{
  u128 lim = (u128) 1 << s->p;
  if (s->p <= 16 || lo == hi)
    {
      u128 amax = s->p <= 16 ? (u128) 1 << 22 : (u128) 1 << 12;
      for (u128 x = 1; x <= amax && x <= hi; x++)
        {
          u128 y = (lo + x - 1) / x;
          if (x * y <= hi && oddpart (x) < lim && oddpart (y) < lim)
            return *a = x, *b = y, 1;
        }
      return 0;
    }
  for (int i = 0; i < 100000; i++)
    {
      u128 x = (lim >> 1) + an_rng_below (r, (uint64_t) (lim >> 1));
      u128 y = (lo + x - 1) / x;
      if (x * y <= hi && oddpart (x) < lim && oddpart (y) < lim)
        return *a = x, *b = y, 1;
    }
  return 0;
}

static int
floor_half (int n)
{
  return n >= 0 ? n / 2 : -((1 - n) / 2);
}

/* X = (-1)^NEG A 2^ex, Y = B 2^ey with ex + ey = E, each about the square root of the product.  */
static void
make_inputs (u128 a, u128 b, int e, int neg, double *x, double *y)
{
  int la = bitlen (a) - 1, lb = bitlen (b) - 1, ex = floor_half (la + lb + e) - la;
  *x = ldexp ((double) a, ex);
  *y = ldexp ((double) b, e - ex);
  if (neg)
    *x = -*x;
}

/* One place: a product (-1)^NEG M 2^E with LO <= M <= HI, which must round to WANT.  */
typedef struct {
  const char *what;
  int neg;
  u128 lo, hi;
  int e;
  uint64_t want;
} ref_case;

/* Finds inputs for C; 0 if no product of two values of the type lies there.  */
static int
try_ref_case (const spec *s, an_rng *r, const ref_case *c, double *x, double *y)
{
  u128 a, b;
  if (!find_factors (s, r, c->lo, c->hi, &a, &b))
    return 0;
  make_inputs (a, b, c->e, c->neg, x, y);
  return 1;
}

/* eval_ref_bits at inputs X, Y against C->want, which the field arithmetic must give too.  */
static void
check_ref_at (const spec *s, const ref_case *c, double x, double y)
{
  int inputs = is_value (s, x) && is_value (s, y);
  uint64_t got = ref_mul (s, x, y), fields = mul_fields (s, x, y);
  tap_ok (inputs && got == c->want && fields == c->want, "%s: %s: mul (%a, %a) rounds to 0x%llx (want 0x%llx)",
          s->name, c->what, x, y, (unsigned long long) got, (unsigned long long) c->want);
  if (!inputs)
    tap_diag ("the inputs are not both values of %s", s->name);
  if (fields != c->want)
    tap_diag ("the field arithmetic gives 0x%llx", (unsigned long long) fields);
}

static void
check_ref_case (const spec *s, an_rng *r, const ref_case *c)
{
  double x, y;
  if (try_ref_case (s, r, c, &x, &y))
    check_ref_at (s, c, x, y);
  else
    tap_ok (1, "%s: %s # SKIP no product of two %s values lies there (the other checks cover it)", s->name,
            c->what, s->name);
}

enum { AT_TIE, ABOVE_TIE, BELOW_TIE };

/* The tie between K 2^Q and (K+1) 2^Q in the binade [1, 2) (KIND = AT_TIE), or a product
   within a quarter of an ulp above or below it, for the first K of parity PAR (but 2^P - 1,
   the top of the binade) for which two values of the type multiply to it.  */
static void
check_tie (const spec *s, an_rng *r, int kind, int par, const char *what, int neg)
{
  int q = 1 - s->p, j = kind == AT_TIE ? 0 : s->p - 1;
  uint64_t k0 = UINT64_C (1) << (s->p - 1), nk = k0 / 2;
  for (uint64_t i = 0; i < (nk < 64 ? nk : 64); i++)
    {
      uint64_t k = s->p <= 16 ? k0 + 2 * i : (k0 + an_rng_below (r, k0)) & ~UINT64_C (1);
      k += (uint64_t) par;
      if (k + 1 == k0 << 1)
        continue;
      u128 mid = (u128) (2 * k + 1) << j, w = j ? (u128) 1 << (j - 1) : 0;
      int up = kind == ABOVE_TIE || (kind == AT_TIE && (k & 1));
      ref_case c = { what, neg, kind == ABOVE_TIE ? mid + 1 : mid - w, kind == BELOW_TIE ? mid - 1 : mid + w,
                     q - 1 - j, field_pattern (s, neg, k + (uint64_t) up, q) };
      double x, y;
      if (try_ref_case (s, r, &c, &x, &y))
        {
          check_ref_at (s, &c, x, y);
          return;
        }
    }
  tap_ok (1, "%s: %s # SKIP no product of two %s values lies there (the other checks cover it)", s->name, what,
          s->name);
}

static void
test_ref_ties (const spec *s, an_rng *r)
{
  check_tie (s, r, AT_TIE, 0, "tie with an even lower neighbour rounds down", 0);
  check_tie (s, r, AT_TIE, 0, "negative tie with an even lower neighbour rounds down in magnitude", 1);
  check_tie (s, r, AT_TIE, 1, "tie with an odd lower neighbour rounds up", 0);
  check_tie (s, r, ABOVE_TIE, 0, "just above a tie with an even lower neighbour rounds up", 0);
  check_tie (s, r, BELOW_TIE, 1, "just below a tie with an odd lower neighbour rounds down", 0);
  /* 2 - 2^-P: between the largest value of [1, 2), which is odd, and 2.  */
  ref_case c = { "tie at the top of [1, 2) rounds up to 2", 0, ((u128) 1 << (s->p + 1)) - 1,
                 ((u128) 1 << (s->p + 1)) - 1, -s->p, field_pattern (s, 0, UINT64_C (1) << (s->p - 1), 2 - s->p) };
  check_ref_case (s, r, &c);
}

/* The overflow threshold: max + half an ulp, (2 maxsig + 1) 2^(qmax - 1).  */
static void
test_ref_overflow (const spec *s, an_rng *r)
{
  int j = s->p - 1;
  u128 m = 2 * (u128) maxsig (s) + 1, mid = m << j, w = (u128) 1 << (j - 1);
  int sat = s->saturates;
  ref_case c[] = {
    { sat ? "max + ulp/2 saturates to max" : "the overflow threshold max + ulp/2 (a tie, max is odd) rounds to inf",
      0, m, m, qmax (s) - 1, overflow_pattern (s, 0) },
    { sat ? "-(max + ulp/2) saturates to -max" : "-(max + ulp/2) rounds to -inf", 1, m, m, qmax (s) - 1,
      overflow_pattern (s, 1) },
    { "just below max + ulp/2 rounds to max", 0, mid - w, mid - 1, qmax (s) - 1 - j, max_pattern (s, 0) },
    { sat ? "just above max + ulp/2 saturates to max" : "just above the overflow threshold rounds to inf", 0,
      mid + 1, mid + w, qmax (s) - 1 - j, overflow_pattern (s, 0) },
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      double x, y;
      if (try_ref_case (s, r, &c[i], &x, &y))
        check_ref_at (s, &c[i], x, y);
      else
        {
          /* fp8e4m3's 464 = 29 2^4 and its neighbours are no products: anywhere between max
             and the threshold, or between it and the next value max would have.  */
          ref_case wide = c[i];
          if (i == 2)
            wide.lo = ((u128) maxsig (s) << (j + 1)) + 1;
          if (i == 3)
            wide.hi = (((u128) maxsig (s) + 1) << (j + 1)) - 1;
          check_ref_case (s, r, &wide);
        }
    }
  ref_case far = { "max * max overflows", 0, 0, 0, 0, overflow_pattern (s, 0) };
  check_ref_at (s, &far, s->max, s->max);
  far.what = "-max * max overflows", far.want = overflow_pattern (s, 1);
  check_ref_at (s, &far, -s->max, s->max);
  if (s->saturates)
    {
      /* 450 = 30 * 15 rounds to 448; 468 = 52 * 9 lies past the midpoint 464 and 480 = 30 * 16
         is the value max would have: both saturate.  */
      ref_case sat_c = { "450 = 30 * 15 rounds to max", 0, 0, 0, 0, max_pattern (s, 0) };
      check_ref_at (s, &sat_c, 30, 15);
      sat_c.what = "468 = 52 * 9 saturates to max";
      check_ref_at (s, &sat_c, 52, 9);
      sat_c.what = "-480 = -30 * 16 saturates to -max", sat_c.want = max_pattern (s, 1);
      check_ref_at (s, &sat_c, -30, 16);
    }
}

static void
test_ref_subnormal (const spec *s, an_rng *r)
{
  int sm = submin (s), p = s->p;
  u128 justover = ((u128) 1 << (p - 1)) + 1, justunder = ((u128) 1 << p) - 1;
  ref_case c[] = {
    { "half the smallest subnormal rounds to +0 (ties to even)", 0, 1, 1, sm - 1, sign_bit (s, 0) },
    { "minus half the smallest subnormal rounds to -0", 1, 1, 1, sm - 1, sign_bit (s, 1) },
    { "1.5 times the smallest subnormal (odd) rounds up to 2 times", 0, 3, 3, sm - 1, field_pattern (s, 0, 2, sm) },
    { "2.5 times the smallest subnormal (even) rounds down to 2 times", 0, 5, 5, sm - 1,
      field_pattern (s, 0, 2, sm) },
    { "-2.5 times the smallest subnormal rounds to -2 times", 1, 5, 5, sm - 1, field_pattern (s, 1, 2, sm) },
    { "3 times the smallest subnormal is exact", 0, 3, 3, sm, field_pattern (s, 0, 3, sm) },
    { "the tie between the largest subnormal and 2^emin rounds up to 2^emin", 0, justunder, justunder, sm - 1,
      field_pattern (s, 0, UINT64_C (1) << (p - 1), sm) },
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    check_ref_case (s, r, &c[i]);
  /* (2^(p-1) + 1)^2 and (2^p - 1)^2 times 2^(submin - 1 - 2p + 2), 2^(submin - 1 - 2p):
     2^(submin-1) (1 + 2^(2-p) + 2^(2-2p)) and 2^(submin-1) (1 - 2^(1-p) + 2^-2p), products no
     search by trial division finds.  */
  double x, y;
  ref_case over = { "a bit more than half the smallest subnormal rounds up to it", 0, 0, 0, 0,
                    field_pattern (s, 0, 1, sm) };
  make_inputs (justover, justover, sm - 1 - 2 * (p - 1), 0, &x, &y);
  check_ref_at (s, &over, x, y);
  ref_case under = { "a bit less than half the smallest subnormal rounds to 0", 0, 0, 0, 0, sign_bit (s, 0) };
  make_inputs (justunder, justunder, sm - 1 - 2 * p, 0, &x, &y);
  check_ref_at (s, &under, x, y);
  ref_case z = { "2^emin * 2^emin underflows to +0", 0, 0, 0, 0, sign_bit (s, 0) };
  check_ref_at (s, &z, ldexp (1, s->emin), ldexp (1, s->emin));
  z.what = "-2^emin * 2^emin underflows to -0", z.want = sign_bit (s, 1);
  check_ref_at (s, &z, -ldexp (1, s->emin), ldexp (1, s->emin));
}

/* Signed zeros, infinities and NaN.  */
static void
test_ref_special (const spec *s)
{
  ref_case c = { "+0 * -1 = -0", 0, 0, 0, 0, sign_bit (s, 1) };
  check_ref_at (s, &c, 0.0, -1.0);
  c.what = "-0 * -1 = +0", c.want = sign_bit (s, 0);
  check_ref_at (s, &c, -0.0, -1.0);
  c.what = "-0 * +0 = -0", c.want = sign_bit (s, 1);
  check_ref_at (s, &c, -0.0, 0.0);
  c.what = "1 * 1 = 1", c.want = field_pattern (s, 0, UINT64_C (1) << (s->p - 1), 1 - s->p);
  check_ref_at (s, &c, 1.0, 1.0);
  if (s->has_inf)
    {
      c.what = "inf * 0 is the canonical NaN", c.want = s->nan;
      check_ref_at (s, &c, INFINITY, 0.0);
      c.what = "-inf * -0 is the canonical (positive) NaN";
      check_ref_at (s, &c, -INFINITY, -0.0);
      c.what = "inf * -2 = -inf", c.want = inf_pattern (s, 1);
      check_ref_at (s, &c, INFINITY, -2.0);
      c.what = "-inf * -inf = +inf", c.want = inf_pattern (s, 0);
      check_ref_at (s, &c, -INFINITY, -INFINITY);
    }
  /* Every kind of NaN input (quiet, signalling, negative; fp8e4m3: S.1111.111) gives the
     canonical NaN.  */
  uint64_t eall = ((UINT64_C (1) << (s->bits - s->p)) - 1) << (s->p - 1), top = UINT64_C (1) << (s->bits - 1);
  uint64_t nans[] = { s->nan, s->nan | top, eall | 1, top | eall | 1 };
  for (size_t i = 0; i < (s->has_inf ? 4u : 2u); i++)
    {
      char what[96];
      snprintf (what, sizeof what, "NaN input 0x%llx * 1 is the canonical NaN", (unsigned long long) nans[i]);
      double x = dsl_value_of_bits (s->t, nans[i]);
      uint64_t got = ref_mul (s, x, 1.0);
      tap_ok (isnan (x) && got == s->nan, "%s: %s: 0x%llx (want 0x%llx)", s->name, what, (unsigned long long) got,
              (unsigned long long) s->nan);
    }
}

/* eval_ref_bits against the fields on every pair of 8-bit patterns, or random pairs of values:
   uniform patterns, and products steered to the subnormal and overflow edges.  */
static void
test_ref_sweep (const spec *s, an_rng *r)
{
  uint64_t n = 0, bad = 0, np = s->bits == 8 ? UINT64_C (1) << 16 : NRANDOM;
  int lo_edges[] = { submin (s) - 2, submin (s) - 1, submin (s), submin (s) + 1, s->emin - 1, s->emin },
      hi_edges[] = { s->emax - 1, s->emax, s->emax + 1 };
  for (uint64_t i = 0; i < np; i++)
    {
      double x, y;
      if (s->bits == 8)
        x = field_value (s, i >> 8), y = field_value (s, i & 0xff);
      else
        {
          x = field_value (s, random_pattern (s, r));
          if (i % 2 == 0 || !isfinite (x) || x == 0)
            y = field_value (s, random_pattern (s, r));
          else
            {
              /* y's exponent puts x y near an edge; its significand is random.  */
              int t = i % 4 == 1 ? lo_edges[an_rng_below (r, 6)] : hi_edges[an_rng_below (r, 3)];
              uint64_t sig = (UINT64_C (1) << (s->p - 1)) | (an_rng_next (r) >> (65 - s->p));
              y = ldexp ((double) sig, t - ilogb (x) - (s->p - 1));
              if (an_rng_next (r) & 1)
                y = -y;
              if (!is_value (s, y))
                continue;
            }
        }
      n++;
      uint64_t got = ref_mul (s, x, y), want = mul_fields (s, x, y);
      if (got != want && bad++ < 5)
        tap_diag ("%s: mul (%a, %a): eval_ref_bits 0x%llx, fields 0x%llx", s->name, x, y, (unsigned long long) got,
                  (unsigned long long) want);
    }
  tap_ok (bad == 0 && n > np / 2, "%s: eval_ref_bits of mul = the field arithmetic on %llu %s (%llu wrong)",
          s->name, (unsigned long long) n, s->bits == 8 ? "pairs: every pair of patterns" : "random pairs",
          (unsigned long long) bad);
}

/* eval_round_to against the fields.  16- and 8-bit types round through float32, so their
   points are float32 values: every midpoint of consecutive values, with its float32
   neighbours, and a few doubles past float32's range; float32 gets random doubles and
   midpoints; float64 keeps every double.  */
static void
check_round_to (const spec *s, double v, uint64_t *n, uint64_t *bad)
{
  double got = eval_round_to (s->t, v), want = field_value (s, round_double (s, v));
  ++*n;
  if (!same_value (got, want) && (*bad)++ < 5)
    tap_diag ("%s: eval_round_to (%a) = %a, want %a", s->name, v, got, want);
}

static void
test_round_to (const spec *s, an_rng *r)
{
  uint64_t n = 0, bad = 0;
  if (s->bits <= 16)
    {
      uint64_t last = max_pattern (s, 0);
      for (uint64_t k = 0; k <= last; k++)
        {
          double a = field_value (s, k), b = k < last ? field_value (s, k + 1) : s->max + ldexp (1, qmax (s));
          float mid = (float) ((a + b) / 2);
          float pts[] = { mid, nextafterf (mid, -INFINITY), nextafterf (mid, INFINITY), (float) a };
          for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++)
            {
              check_round_to (s, pts[i], &n, &bad);
              check_round_to (s, -pts[i], &n, &bad);
            }
        }
      double far[] = { 0x1p+200, -0x1p+200, INFINITY, -INFINITY, 0x1p-200, -0x1p-200, 0x1.fffffe1p+127 };
      for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
        check_round_to (s, far[i], &n, &bad);
    }
  else
    for (int i = 0; i < NRANDOM; i++)
      {
        double v;
        if (s->bits == 64)
          v = field_value (s, random_pattern (s, r));
        else if (i % 2)
          {
            uint32_t k = (uint32_t) an_rng_below (r, 0x7f800000u);
            v = k + 1 == 0x7f800000u ? 0x1.ffffffp+127 : ((double) an_f32 (k) + an_f32 (k + 1)) / 2;
          }
        else
          v = ldexp (1 + an_rng_unit (r), -153 + (int) an_rng_below (r, 283));
        if (an_rng_next (r) & 1)
          v = -v;
        if (!isnan (v))
          check_round_to (s, v, &n, &bad);
      }
  tap_ok (bad == 0, "%s: eval_round_to = the field arithmetic on %llu points (%llu wrong)", s->name,
          (unsigned long long) n, (unsigned long long) bad);
}

/* ---- ULP, absolute and relative errors ---- */

typedef struct {
  const char *what;
  double y, hi, lo;
  double want;              /* the signed ULP error */
} ulp_case;

/* A + B as a double-double (TwoSum, exact); past the double range, A and B as they are
   (|B| <= ulp(A)/2 is all eval_ulp asks).  */
static void
dd (double a, double b, double *hi, double *lo)
{
  double s = a + b;
  if (isinf (s))
    {
      *hi = a, *lo = b;
      return;
    }
  double bb = s - a, aa = s - bb;
  *hi = s, *lo = (a - aa) + (b - bb);
}

static void
check_ulp_case (const spec *s, const ulp_case *c)
{
  const dsl_typeinfo *ti = dsl_type_info (s->t);
  double got = eval_ulp_signed_error (ti, c->y, c->hi, c->lo), gotu = eval_error (EVAL_ULP, ti, c->y, c->hi, c->lo);
  double wantu = isnan (c->want) ? INFINITY : fabs (c->want);
  int ok = (got == c->want || (isnan (got) && isnan (c->want))) && gotu == wantu;
  tap_ok (ok, "%s: %s: signed ULP error %a (want %a), ULP error %a", s->name, c->what, got, c->want, gotu);
}

static void
test_ulp (const spec *s)
{
  int p = s->p, sm = submin (s), qm = qmax (s);
  /* The finest offset a double-double holds near the smallest subnormal.  */
  int rr = sm - 1 >= -1074 ? sm - 1 : -1074;
  double u1 = ldexp (1, 1 - p), sub = ldexp (1, sm), emin = ldexp (1, s->emin), max = s->max;
  double below_max = max - ldexp (1, qm), rel = ldexp (1, rr - sm), hi, lo;
  int f64 = s->t == DSL_FLOAT64;
  ulp_case c[64];
  int n = 0;
#define ADD(WHAT, Y, HI, LO, WANT) (c[n++] = (ulp_case) { WHAT, Y, HI, LO, WANT })
  ADD ("f = 1, y = 1", 1, 1, 0, 0);
  ADD ("f = 1, y = the value below 1: half the ulp of [1, 2)", 1 - u1 / 2, 1, 0, -0.5);
  ADD ("f = 1, y = the value above 1", 1 + u1, 1, 0, 1);
  ADD ("f = 2 - 2^-60 (hi = 2, lo < 0): the ulp of [1, 2), y = 2", 2, 2, -0x1p-60, ldexp (1, p - 61));
  ADD ("f = 2 + 2^-60 (hi = 2, lo > 0): the ulp of [2, 4), y = 2", 2, 2, 0x1p-60, -ldexp (1, p - 62));
  dd (2, -u1 * 0x1p-20, &hi, &lo);
  ADD ("f = 2 - 2^-20 ulp, y = 2", 2, hi, lo, 0x1p-20);
  ADD ("f = 2 - 2^-20 ulp, y = the value below 2", 2 - u1, hi, lo, -(1 - 0x1p-20));
  /* Midpoints: for float64 1 + 2^-53 is no double, but a double-double.  */
  dd (1, u1 / 2, &hi, &lo);
  ADD ("f = 1 + ulp/2, a midpoint, y = 1", 1, hi, lo, -0.5);
  ADD ("f = 1 + ulp/2, a midpoint, y = 1 + ulp", 1 + u1, hi, lo, 0.5);
  ADD ("f = -(1 + ulp/2), y = -1", -1, -hi, -lo, 0.5);
  dd (2, -u1 / 2, &hi, &lo);
  ADD ("f = 2 - ulp/2, a midpoint below a power of two, y = 2", 2, hi, lo, 0.5);
  ADD ("f = 2 - ulp/2, y = 2 - ulp", 2 - u1, hi, lo, -0.5);
  ADD ("f = 0, y = +0", 0.0, 0, 0, 0);
  ADD ("f = 0, y = -0", -0.0, 0, 0, 0);
  ADD ("f = 0: ulp 2^submin, y = 2^submin", sub, 0, 0, 1);
  ADD ("f = 0, y = -2^submin", -sub, 0, 0, -1);
  ADD ("subnormal f = 2^(submin+1) + 2^r, y = 2^(submin+1)", 2 * sub, 2 * sub + ldexp (1, rr), 0, -rel);
  ADD ("subnormal f = 2^(submin+1) + 2^r, y = 3 2^submin", 3 * sub, 2 * sub + ldexp (1, rr), 0, 1 - rel);
  ADD ("subnormal f = 2^(submin+1) + 2^r, y = 0", 0, 2 * sub + ldexp (1, rr), 0, -2 - rel);
  ADD ("f = 2^(emin-1) + 2^r: the floor 2^submin, y = 2^(emin-1)", emin / 2, emin / 2 + ldexp (1, rr), 0, -rel);
  dd (emin, -ldexp (1, rr), &hi, &lo);
  ADD ("f = 2^emin - 2^r: the floor, not 2^(emin-p), y = 2^emin", emin, hi, lo, rel);
  dd (emin, ldexp (1, rr), &hi, &lo);
  ADD ("f = 2^emin + 2^r, y = 2^emin", emin, hi, lo, -rel);
  if (sm - 3 >= -1074)
    {
      ADD ("f = 2^(submin-3), below half the smallest subnormal, y = 0", 0, sub / 8, 0, -0.125);
      ADD ("f = 2^(submin-3), y = 2^submin", sub, sub / 8, 0, 0.875);
    }
  ADD ("f = max, y = max", max, max, 0, 0);
  ADD ("f = max, y = the value below max", below_max, max, 0, -1);
  ADD ("f = max, y = NaN", NAN, max, 0, NAN);
  ADD ("f = 1, y = NaN", NAN, 1, 0, NAN);
  dd (max, ldexp (1, qm - 2), &hi, &lo);
  ADD ("f = max + ulp/4, y = max", max, hi, lo, -0.25);
  dd (max, ldexp (1, qm - 1) - ldexp (1, qm - 20), &hi, &lo);
  ADD ("f = max + ulp/2 - 2^-20 ulp, just below the threshold, y = max", max, hi, lo, -(0.5 - 0x1p-20));
  if (s->has_inf)
    {
      ADD ("f = 1, y = inf", INFINITY, 1, 0, INFINITY);
      ADD ("f = 1, y = -inf", -INFINITY, 1, 0, -INFINITY);
      ADD ("f = max, y = inf: an infinite result for a finite value", INFINITY, max, 0, INFINITY);
      dd (max, ldexp (1, qm - 2), &hi, &lo);
      ADD ("f = max + ulp/4, y = inf", INFINITY, hi, lo, INFINITY);
      dd (max, ldexp (1, qm - 1) - ldexp (1, qm - 20), &hi, &lo);
      ADD ("f just below the threshold, y = inf", INFINITY, hi, lo, INFINITY);
      dd (max, ldexp (1, qm - 1), &hi, &lo);
      ADD ("f = the threshold max + ulp/2 (rounds to inf), y = inf", INFINITY, hi, lo, 0);
      ADD ("f = the threshold, y = max: a finite result past it", max, hi, lo, -INFINITY);
      ADD ("f = the threshold, y = -inf", -INFINITY, hi, lo, -INFINITY);
      ADD ("f = the threshold, y = NaN", NAN, hi, lo, NAN);
      if (!f64)
        {
          ADD ("f = the threshold + 2^-20 ulp, y = inf", INFINITY, hi + ldexp (1, qm - 20), 0, 0);
          ADD ("f = the threshold + 2^-20 ulp, y = max", max, hi + ldexp (1, qm - 20), 0, -INFINITY);
        }
      /* float64: 2 max is inf as a double, which eval_ref_dd gives for every value past the threshold.  */
      ADD ("f = 2 max, y = inf", INFINITY, 2 * max, 0, 0);
      ADD ("f = 2 max, y = max", max, 2 * max, 0, -INFINITY);
      ADD ("f = 2 max, y = -inf", -INFINITY, 2 * max, 0, -INFINITY);
      ADD ("f = -2 max, y = -inf", -INFINITY, -2 * max, 0, 0);
      ADD ("f = -2 max, y = -max", -max, -2 * max, 0, INFINITY);
      ADD ("f = -2 max, y = inf", INFINITY, -2 * max, 0, INFINITY);
    }
  else
    {
      /* Saturating: no threshold; past max the correctly rounded result is max, and
         errors are measured from it.  */
      ADD ("f = max + ulp/2, y = max (saturated, no overflow)", max, max + ldexp (1, qm - 1), 0, 0);
      ADD ("f = max + ulp/2, y = the value below max", max - ldexp (1, qm), max + ldexp (1, qm - 1), 0, -1);
      ADD ("f = 2 max, y = max", max, 2 * max, 0, 0);
      ADD ("f = -4 max, y = -max", -max, -4 * max, 0, 0);
      ADD ("f = 2 max, y = the value below max: one ulp of max's binade", max - ldexp (1, qm), 2 * max, 0, -1);
      ADD ("f = max, y = the value below max", max - ldexp (1, qm), max, 0, -1);
      ADD ("f = max + ulp/4 (below the threshold: no saturation), y = the value below max", max - ldexp (1, qm),
           max + ldexp (1, qm - 2), 0, -1.25);
      ADD ("f = 2 max, y = NaN", NAN, 2 * max, 0, NAN);
    }
#undef ADD
  for (int i = 0; i < n; i++)
    check_ulp_case (s, &c[i]);
  if (s->has_inf)
    {
      const dsl_typeinfo *ti = dsl_type_info (s->t);
      if (f64)
        tap_ok (eval_overflows (ti, max, 0x1p970) && !eval_overflows (ti, max, 0x1.fffffffffffffp969)
                  && eval_overflows (ti, -max, -0x1p970) && !eval_overflows (ti, max, 0x1p969),
                "%s: eval_overflows at (max, 2^970), the threshold (no double), but not just below", s->name);
      else
        tap_ok (eval_overflow (ti) == max + ldexp (1, qm - 1), "%s: eval_overflow = max + ulp/2 = %a", s->name,
                eval_overflow (ti));
    }
}

/* The exact (y - f) / 2^max(E - p, submin) with MPFR, rounded to a double.  */
static double
mpfr_ulp_error (const spec *s, double y, double hi, double lo)
{
  mpfr_t f, d;
  mpfr_inits2 (2200, f, d, (mpfr_ptr) 0);
  mpfr_set_d (f, hi, MPFR_RNDN);
  mpfr_add_d (f, f, lo, MPFR_RNDN);   /* exact */
  mpfr_exp_t ue = submin (s);
  if (!mpfr_zero_p (f) && mpfr_get_exp (f) - s->p > ue)
    ue = mpfr_get_exp (f) - s->p;
  mpfr_set_d (d, y, MPFR_RNDN);
  mpfr_sub (d, d, f, MPFR_RNDN);      /* exact */
  mpfr_mul_2si (d, d, -ue, MPFR_RNDN);
  double e = mpfr_get_d (d, MPFR_RNDN);
  mpfr_clears (f, d, (mpfr_ptr) 0);
  return e;
}

/* Random exact values within a few ulps of random values of the type (all binades, the
   subnormals included) and results near them, against MPFR.  */
static void
test_ulp_random (const spec *s, an_rng *r)
{
  const dsl_typeinfo *ti = dsl_type_info (s->t);
  int n = 0, bad = 0;
  double worst = 0;
  for (int i = 0; i < NRANDOM / 4; i++)
    {
      double v = field_value (s, random_pattern (s, r)), sub = ldexp (1, submin (s)), hi, lo, y;
      if (!isfinite (v))
        continue;
      double ulp = v == 0 ? sub : fmax (ldexp (1, ilogb (v) - s->p + 1), sub);
      dd (v, (an_rng_unit (r) - 0.5) * 8 * ulp, &hi, &lo);
      /* y: a value up to 3 keys away from v.  */
      uint64_t k = eval_key_of (s->t, v) + an_rng_below (r, 7) - 3;
      y = eval_value_of_key (s->t, k);
      if (!isfinite (y) || !(fabs (hi) < s->max))   /* the overflow checks are test_ulp's */
        continue;
      n++;
      double got = eval_ulp_signed_error (ti, y, hi, lo), want = mpfr_ulp_error (s, y, hi, lo);
      double d = fabs (got - want) / fmax (fabs (want), 0x1p-30);
      worst = fmax (worst, d);
      if (d > 0x1p-50 && bad++ < 5)
        tap_diag ("%s: y = %a, f = %a + %a: ulp.h %a, MPFR %a", s->name, y, hi, lo, got, want);
    }
  tap_ok (bad == 0 && n > NRANDOM / 8, "%s: the signed ULP error = MPFR's on %d random points "
          "(largest relative difference %.3g)", s->name, n, worst);
}

/* Absolute and relative errors: exactly, or (relative, a quotient rounded twice) within 2^-52.  */
static void
check_abs_rel (const spec *s, const char *what, double y, double hi, double lo, double want_abs, double want_rel)
{
  const dsl_typeinfo *ti = dsl_type_info (s->t);
  double a = eval_error (EVAL_ABS, ti, y, hi, lo), r = eval_error (EVAL_REL, ti, y, hi, lo);
  int ok = a == want_abs && (r == want_rel || (isfinite (want_rel) && fabs (r - want_rel) <= want_rel * 0x1p-52));
  tap_ok (ok, "%s: %s: abs %a (want %a), rel %a (want %a)", s->name, what, a, want_abs, r, want_rel);
}

/* |y - f| / |f| rounded to a double by MPFR.  */
static double
mpfr_rel (double y, double hi, double lo)
{
  mpfr_t f, d;
  mpfr_inits2 (2200, f, d, (mpfr_ptr) 0);
  mpfr_set_d (f, hi, MPFR_RNDN);
  mpfr_add_d (f, f, lo, MPFR_RNDN);
  mpfr_set_d (d, y, MPFR_RNDN);
  mpfr_sub (d, d, f, MPFR_RNDN);
  mpfr_div (d, d, f, MPFR_RNDN);
  double e = fabs (mpfr_get_d (d, MPFR_RNDN));
  mpfr_clears (f, d, (mpfr_ptr) 0);
  return e;
}

static void
test_abs_rel (const spec *s)
{
  int p = s->p, qm = qmax (s);
  double u1 = ldexp (1, 1 - p), sub = ldexp (1, submin (s)), max = s->max, hi, lo;
  dd (1, u1 / 2, &hi, &lo);
  check_abs_rel (s, "f = 1 + ulp/2, y = 1", 1, hi, lo, u1 / 2, mpfr_rel (1, hi, lo));
  check_abs_rel (s, "f = 2, y = 2 + 2 ulp(1)", 2 + 2 * u1, 2, 0, 2 * u1, u1);
  check_abs_rel (s, "f = -3 2^submin, y = -2^(submin+1)", -2 * sub, -3 * sub, 0, sub, mpfr_rel (-2 * sub, -3 * sub, 0));
  check_abs_rel (s, "f = 0, y = +0", 0.0, 0, 0, 0, 0);
  check_abs_rel (s, "f = 0, y = -0", -0.0, 0, 0, 0, 0);
  check_abs_rel (s, "f = 0, y = 2^submin: relative error infinite", sub, 0, 0, sub, INFINITY);
  check_abs_rel (s, "f = 1, y = NaN", NAN, 1, 0, INFINITY, INFINITY);
  dd (max, ldexp (1, qm - 2), &hi, &lo);
  check_abs_rel (s, "f = max + ulp/4, y = max", max, hi, lo, ldexp (1, qm - 2), mpfr_rel (max, hi, lo));
  if (s->has_inf)
    {
      check_abs_rel (s, "f = 1, y = inf", INFINITY, 1, 0, INFINITY, INFINITY);
      check_abs_rel (s, "f = 2 max, y = inf", INFINITY, 2 * max, 0, 0, 0);
      check_abs_rel (s, "f = 2 max, y = max", max, 2 * max, 0, INFINITY, INFINITY);
      check_abs_rel (s, "f = -2 max, y = -inf", -INFINITY, -2 * max, 0, 0, 0);
      dd (max, ldexp (1, qm - 1), &hi, &lo);
      check_abs_rel (s, "f = the threshold, y = inf", INFINITY, hi, lo, 0, 0);
    }
  else
    {
      check_abs_rel (s, "f = 2 max, y = max (saturated: the correctly rounded result)", max, 2 * max, 0, 0, 0);
      check_abs_rel (s, "f = 2 max, y = -max", -max, 2 * max, 0, 2 * max, 2);
      check_abs_rel (s, "f = -4 max, y = -max (saturated)", -max, -4 * max, 0, 0, 0);
    }
}

/* ---- descriptions and keys ---- */

static void
test_describe (const spec *s)
{
  char buf[1024], want[3][64];
  buf[0] = 0;
  dsl_type_describe (s->t, buf, sizeof buf);
  snprintf (want[0], sizeof want[0], "(bias %d)", bias (s));
  snprintf (want[1], sizeof want[1], ", %d exponent bits", s->bits - s->p);
  snprintf (want[2], sizeof want[2], ", %d fraction bits", s->p - 1);
  int ok = strlen (buf) > 0 && strlen (buf) < sizeof buf - 1 && strncmp (buf, s->name, strlen (s->name)) == 0;
  for (int i = 0; i < 3; i++)
    ok = ok && strstr (buf, want[i]);
  if (s->bits <= 16)
    {
      char nan[64];
      snprintf (nan, sizeof nan, "NaN results are 0x%llx ", (unsigned long long) s->nan);
      ok = ok && strstr (buf, nan) && !strstr (buf, "no infinities") == !!s->has_inf
           && !strstr (buf, "saturating") == !s->saturates;
    }
  tap_ok (ok, "%s: dsl_type_describe names the type, bias %d, %d exponent and %d fraction bits%s", s->name,
          bias (s), s->bits - s->p, s->p - 1, s->bits <= 16 ? ", its NaN, infinities and saturation" : "");
  if (!ok)
    tap_diag ("%s", buf);
}

/* Keys K and K + 1 are inverse to values and increasing (-0 then +0), where both are values;
   counts a failure in *BAD.  */
static void
check_key_pair (const spec *s, uint64_t k, uint64_t *bad)
{
  double a = eval_value_of_key (s->t, k), b = eval_value_of_key (s->t, k + 1);
  if (isnan (a) || isnan (b))
    return;
  int ok = eval_key_of (s->t, a) == k && eval_key_of (s->t, b) == k + 1
           && (a < b || (a == 0 && b == 0 && signbit (a) && !signbit (b)));
  if (!ok && (*bad)++ < 5)
    tap_diag ("%s: keys 0x%llx, +1: values %a, %a, keys back 0x%llx, 0x%llx", s->name, (unsigned long long) k, a, b,
              (unsigned long long) eval_key_of (s->t, a), (unsigned long long) eval_key_of (s->t, b));
}

static void
test_keys (const spec *s, an_rng *r)
{
  uint64_t top = UINT64_C (1) << (s->bits - 1), all = s->bits == 64 ? ~UINT64_C (0) : (top << 1) - 1;
  uint64_t kz = eval_key_of (s->t, 0.0), kmax = eval_key_of (s->t, s->max);
  tap_ok (kz == top && eval_key_of (s->t, -0.0) == top - 1 && eval_key_of (s->t, -s->max) == all - kmax,
          "%s: key of +0 = 2^%d, -0 just below it, -max mirrors max", s->name, s->bits - 1);
  uint64_t bad = 0, n = 0;
  if (s->bits <= 16)
    {
      /* Every key: the values, as the fields decode the documented pattern (sign bit flipped
         for positives, every bit for negatives), form one increasing run between two runs
         of NaN, as many as the type has non-NaN patterns.  */
      uint64_t nvalues = 0, first = all, last = 0;
      uint64_t nnan = s->has_inf ? 2 * ((UINT64_C (1) << (s->p - 1)) - 1) : 2;
      for (uint64_t k = 0; k <= all; k++)
        {
          double v = eval_value_of_key (s->t, k), want = field_value (s, k & top ? k ^ top : ~k & all);
          if (!same_value (v, want) && bad++ < 5)
            tap_diag ("%s: key 0x%llx: value %a, fields %a", s->name, (unsigned long long) k, v, want);
          if (isnan (v))
            continue;
          nvalues++;
          first = k < first ? k : first;
          last = k;
          if (k < all)
            check_key_pair (s, k, &bad);
        }
      n = all + 1;
      if ((last - first + 1 != nvalues || nvalues != all + 1 - nnan) && bad++ < 5)
        tap_diag ("%s: %llu values between keys 0x%llx and 0x%llx (want %llu)", s->name,
                  (unsigned long long) nvalues, (unsigned long long) first, (unsigned long long) last,
                  (unsigned long long) (all + 1 - nnan));
    }
  else
    {
      /* Runs of keys at the hard places, and random ones.  */
      double at[] = { 0.0, -0.0, ldexp (1, s->emin), -ldexp (1, s->emin), 1.0, s->max, -s->max };
      for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        {
          uint64_t k0 = eval_key_of (s->t, at[i]);
          for (uint64_t k = k0 - 4096; k != k0 + 4096; k++)
            n++, check_key_pair (s, k, &bad);
        }
      for (int i = 0; i < NRANDOM; i++)
        n++, check_key_pair (s, random_pattern (s, r), &bad);
    }
  tap_ok (bad == 0, "%s: eval_key_of and eval_value_of_key are inverse and increasing on %s (%llu keys)", s->name,
          s->bits <= 16 ? "every key" : "runs at 0, 2^emin, 1, max and random keys", (unsigned long long) n);
}

/* A float64 result of a 16- or 8-bit program is rounded once into the type: through
   float32 rounded to odd (an_round_odd32), then the type's encoder, which must equal the
   double rounded directly (round_double).  Doubles at and next to every midpoint between
   two values of the type (one double ulp and 2^-30 relative either side), float32
   midpoints, random doubles over the type's range and beyond it, and doubles past
   float32's range or below its subnormals.  */
static void
test_round_odd (const spec *s, an_rng *r)
{
  const dsl_typeinfo *ti = dsl_type_info (s->t);
  if (!ti->encode)
    return;
  uint64_t n = 0, bad = 0;
  double worst = 0;
  for (uint64_t pat = 0; pat < (UINT64_C (1) << s->bits); pat++)
    {
      double a = field_value (s, pat);
      if (isnan (a) || isinf (a) || signbit (a) || a >= s->max)
        continue;
      double b = a == 0 ? ldexp (1, submin (s)) : a + ldexp (1, (a < ldexp (1, s->emin) ? s->emin : ilogb (a)) - s->p + 1);
      double mid = (a + b) / 2;
      const double cand[] = { mid, nextafter (mid, 0), nextafter (mid, INFINITY), mid * (1 - 0x1p-30), mid * (1 + 0x1p-30),
                              (double) (float) mid, nextafter ((float) mid, 0), a, b };
      for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++)
        for (int neg = 0; neg < 2; neg++)
          {
            double d = neg ? -cand[k] : cand[k];
            n++;
            if (ti->encode (an_round_odd32 (d)) != round_double (s, d) && bad++ == 0)
              worst = d;
          }
    }
  for (int i = 0; i < 200000; i++)
    {
      double d = ldexp (an_rng_unit (r) + 0.5, (int) an_rng_below (r, 340) - 170) * (an_rng_below (r, 2) ? -1 : 1);
      n++;
      if (ti->encode (an_round_odd32 (d)) != round_double (s, d) && bad++ == 0)
        worst = d;
    }
  const double far[] = { 0x1p200, -0x1p200, 0x1.fffffffffffffp+1023, 0x1p-1074, -0x1p-1074, 0x1p-160, 0x1.8p-150,
                         0x1p-150, 0x1.fffffffffffffp+127, INFINITY, -INFINITY, NAN, 0.0, -0.0 };
  for (size_t k = 0; k < sizeof far / sizeof far[0]; k++)
    {
      n++;
      if (ti->encode (an_round_odd32 (far[k])) != round_double (s, far[k]) && bad++ == 0)
        worst = far[k];
    }
  tap_ok (bad == 0, "%s: float64 rounded once (through float32 rounded to odd) on %llu doubles: %llu wrong "
          "(the first at %a)", s->name, (unsigned long long) n, (unsigned long long) bad, worst);
}

int
main (void)
{
  an_rng r;
  an_rng_seed (&r, tap_seed (20261215));
  mul = eval_target_lookup ("mul");
  if (!mul)
    {
      tap_ok (0, "the mul target exists");
      return tap_done ();
    }
  for (size_t i = 0; i < NSPECS; i++)
    {
      const spec *s = &specs[i];
      test_table (s);
      test_bits (s, &r);
      test_ref_ties (s, &r);
      test_ref_overflow (s, &r);
      test_ref_subnormal (s, &r);
      test_ref_special (s);
      test_ref_sweep (s, &r);
      test_round_to (s, &r);
      test_ulp (s);
      test_ulp_random (s, &r);
      test_abs_rel (s);
      test_describe (s);
      test_keys (s, &r);
      test_round_odd (s, &r);
    }
  return tap_done ();
}
