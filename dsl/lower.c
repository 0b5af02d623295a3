/* lower -- how each op is written in exported C, given what the range analysis proved, and what that costs.

   Every op has a total form (its meaning for every operand, the helpers of
   dsl/helpers.h) and cheaper forms that give the same bits wherever the
   operands stay within what dsl_range_analyze proved over the domain.  The
   emitter (emit.c) writes the form chosen here and the cost model adds up
   the same forms' weights, so the search prefers programs that lower well.
   Outside the domain the cheaper forms compute something unspecified, but
   never anything undefined: none of them converts an out-of-range float to
   an integer or shifts by the width.

   Weights: roughly the instructions of the form in a vectorised loop (an
   add is 1; reinterpretations are free; a division or square root costs
   what its lower throughput costs there).  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

static const dsl_lowerinfo lowerings[DSL_NLOWER] = {
  [DSL_LW_ADD] = {DSL_ADD, "add", 1, "a + b"},
  [DSL_LW_SUB] = {DSL_SUB, "sub", 1, "a - b"},
  [DSL_LW_MUL] = {DSL_MUL, "mul", 1, "a * b"},
  [DSL_LW_MUL_NOFUSE] = {DSL_MUL, "mul.nofuse", 1,
                         "a * b feeding an add or sub: kept from being contracted into an fma (an_mul)"},
  [DSL_LW_DIV] = {DSL_DIV, "div", 4, "a / b"},
  [DSL_LW_FMA] = {DSL_FMA, "fma", 1, "fmaf (a, b, c)"},
  [DSL_LW_NEG] = {DSL_NEG, "neg", 0.5, "-a, where a is never zero or NaN"},
  [DSL_LW_NEG_BITS] = {DSL_NEG, "neg.bits", 0.5, "flip the sign bit (total)"},
  [DSL_LW_ABS] = {DSL_ABS, "abs", 0.5, "fabsf (a), where a is never NaN"},
  [DSL_LW_ABS_BITS] = {DSL_ABS, "abs.bits", 0.5, "clear the sign bit (total)"},
  [DSL_LW_MIN] = {DSL_MIN, "min", 1, "a < b ? a : b, where neither is NaN nor can they be zeros of opposite signs"},
  [DSL_LW_MIN_TOTAL] = {DSL_MIN, "min.total", 5, "an_minf (total)"},
  [DSL_LW_MAX] = {DSL_MAX, "max", 1, "a > b ? a : b, where neither is NaN nor can they be zeros of opposite signs"},
  [DSL_LW_MAX_TOTAL] = {DSL_MAX, "max.total", 5, "an_maxf (total)"},
  [DSL_LW_SQRT] = {DSL_SQRT, "sqrt", 4, "sqrtf (a)"},
  [DSL_LW_RINT_ID] = {DSL_RINT, "rint.id", 0, "a, where a is always an integer"},
  [DSL_LW_RINT_MAGIC] = {DSL_RINT, "rint.magic", 2, "(a + 0x1.8p23) - 0x1.8p23, where |a| <= 2^22 and no result is -0"},
  [DSL_LW_RINT_MAGIC_SIGN] = {DSL_RINT, "rint.magic.sign", 3,
                              "(a + 0x1.8p23) - 0x1.8p23 with a's sign bit, where |a| <= 2^22"},
  [DSL_LW_RINT_TOTAL] = {DSL_RINT, "rint.total", 12, "an_rintf (total, on the bits)"},
  [DSL_LW_FLOOR_ID] = {DSL_FLOOR, "floor.id", 0, "a, where a is always an integer"},
  [DSL_LW_FLOOR_MAGIC] = {DSL_FLOOR, "floor.magic", 5, "rint by 0x1.8p23, minus 1 where above a, with a's sign bit, where |a| <= 2^22"},
  [DSL_LW_FLOOR_TOTAL] = {DSL_FLOOR, "floor.total", 12, "an_floorf (total, on the bits)"},
  [DSL_LW_ASINT] = {DSL_ASINT, "asint", 0, "the bits, where a is never NaN"},
  [DSL_LW_ASINT_TOTAL] = {DSL_ASINT, "asint.total", 2, "the bits, NaN canonicalised (total)"},
  [DSL_LW_ASFLOAT] = {DSL_ASFLOAT, "asfloat", 0, "the float of the bits"},
  [DSL_LW_TOINT_MAGIC] = {DSL_TOINT, "toint.magic", 2,
                          "bits of a + 0x1.8p23, minus those of 0x1.8p23, where |a| <= 2^22 and no NaN"},
  [DSL_LW_TOINT_RINT] = {DSL_TOINT, "toint.rint", 1,
                         "toint of rint (y): like toint.magic on y, sharing rint's add"},
  [DSL_LW_TOINT_CVT] = {DSL_TOINT, "toint.cvt", 3,
                        "(int32_t) of a clamped to its proven range, where a is always an integer and no NaN"},
  [DSL_LW_TOINT_TOTAL] = {DSL_TOINT, "toint.total", 15, "an_toint (total, on the bits)"},
  [DSL_LW_TOFLOAT] = {DSL_TOFLOAT, "tofloat", 1, "(float) (int32_t) a"},
  [DSL_LW_IADD] = {DSL_IADD, "iadd", 1, "a + b (unsigned)"},
  [DSL_LW_ISUB] = {DSL_ISUB, "isub", 1, "a - b (unsigned)"},
  [DSL_LW_SHL] = {DSL_SHL, "shl", 1, "a << (b & 31)"},
  [DSL_LW_SHR] = {DSL_SHR, "shr", 1, "a >> (b & 31), where a is never negative"},
  [DSL_LW_SHR_SIGNED] = {DSL_SHR, "shr.signed", 1, "an_sar: an arithmetic shift (total)"},
  [DSL_LW_AND] = {DSL_AND, "and", 1, "a & b"},
  [DSL_LW_OR] = {DSL_OR, "or", 1, "a | b"},
  [DSL_LW_XOR] = {DSL_XOR, "xor", 1, "a ^ b"},
  [DSL_LW_LDEXP_BITS] = {DSL_LDEXP, "ldexp.bits", 2,
                         "bits of a plus b << 23, where a and a 2^b are normal (finite, not zero or subnormal)"},
  [DSL_LW_LDEXP_MUL1] = {DSL_LDEXP, "ldexp.mul1", 3, "a * 2^b (one scale from the bits), where -126 <= b <= 127"},
  [DSL_LW_LDEXP_MUL2] = {DSL_LDEXP, "ldexp.mul2", 7,
                         "a * 2^ceil(b/2) * 2^floor(b/2), where -252 <= b <= 254 and the first product is exact"},
  [DSL_LW_LDEXP_SUB] = {DSL_LDEXP, "ldexp.sub", 3,
                        "the exponent field moved, or a subnormal result as |a| 2^(b+149) + 2^23 rounded (one fma), "
                        "where 2^-105 <= |a| and -250 <= b"},
  [DSL_LW_LDEXP_DOUBLE] = {DSL_LDEXP, "ldexp.double", 4,
                           "(float) ((double) a * 2^b), where -400 <= b <= 400 and the result may be subnormal"},
  [DSL_LW_LDEXP_TOTAL] = {DSL_LDEXP, "ldexp.total", 10, "an_ldexpf (total, through double)"},
  [DSL_LW_LT] = {DSL_LT, "lt", 1, "all ones if a < b"},
  [DSL_LW_LE] = {DSL_LE, "le", 1, "all ones if a <= b"},
  [DSL_LW_SELECT] = {DSL_SELECT, "select", 1, "b if a != 0, else c (a blend)"},
  [DSL_LW_LIBM] = {DSL_NOPS, "libm", 20, "a call of the platform libm (never vectorised); weighs its op's cost"},
  [DSL_LW_TOF64] = {DSL_TOF64, "tof64", 1, "(double) a"},
  [DSL_LW_TOF32] = {DSL_TOF32, "tof32", 1, "(float) a"},
  [DSL_LW_TONARROW] = {DSL_NOPS, "tonarrow", 3, "an_T_round (a), dsl/convert.h: a rounded to a 16- or 8-bit type's values"},
  /* A table read is a load, in a vectorised loop a gather: about four adds' worth of throughput.  */
  [DSL_LW_LUT] = {DSL_LUT, "lut", 4, "tab[a + b], where 0 <= a + b < n"},
  [DSL_LW_LUT_MASK] = {DSL_LUT, "lut.mask", 5, "tab[(a + b) & (n - 1)], n a power of two (total)"},
  [DSL_LW_LUT_MOD] = {DSL_LUT, "lut.mod", 12, "tab[(a + b) % n] (total)"},
  [DSL_LW_RESULT] = {DSL_NOPS, "result.nan", 2, "the result's NaN canonicalised, where it may be NaN"},
};

const dsl_lowerinfo *
dsl_lower_info (int form)
{
  return form >= 0 && form < DSL_NLOWER ? &lowerings[form] : NULL;
}

/* The numbers of a width (W: 1 for float64) that the forms' conditions use.  */
typedef struct {
  double magic_max;         /* |a| up to which a + 1.5 2^(p-1) rounds to an integer: 2^(p-2) */
  double min_normal, max_finite;
  int kmin, kmax;           /* exponents whose power of two is normal */
  int clamp;                /* where ldexp's total form clamps its exponent */
  double int_top;           /* 2^(width-1) */
} wnums;

static const wnums nums[2] = {
  {0x1p22, 0x1p-126, 0x1.fffffep+127, -126, 127, 400, 0x1p31},
  {0x1p51, 0x1p-1022, 0x1.fffffffffffffp+1023, -1022, 1023, 2200, 0x1p63},
};

/* ---- facts about a range (NULL: nothing is known) ---- */

static int
no_nan (const dsl_range *r)
{
  return r && !(r->flags & DSL_RANGE_NAN);
}

static int
has_zero (const dsl_range *r)
{
  return !r || (r->lo <= 0 && r->hi >= 0);
}

/* May A and B be zeros of opposite signs (where a < b ? a : b and fminf differ)?  */
static int
zeros_differ (const dsl_range *a, const dsl_range *b)
{
  if (!a || !b)
    return has_zero (a) && has_zero (b);
  unsigned za = has_zero (a) ? a->flags & (DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO) : 0;
  unsigned zb = has_zero (b) ? b->flags & (DSL_RANGE_NEGZERO | DSL_RANGE_POSZERO) : 0;
  return ((za & DSL_RANGE_NEGZERO) && (zb & DSL_RANGE_POSZERO)) || ((za & DSL_RANGE_POSZERO) && (zb & DSL_RANGE_NEGZERO));
}

static int
within (const dsl_range *r, double bound)
{
  return r && r->lo >= -bound && r->hi <= bound;
}

static int
integral (const dsl_range *r)
{
  return r && (r->flags & DSL_RANGE_INTEGRAL);
}

/* Smallest and largest magnitude of a float range (0 when it holds zero).  */
static double
min_mag (const dsl_range *r)
{
  return has_zero (r) ? 0 : fmin (fabs (r->lo), fabs (r->hi));
}

static double
max_mag (const dsl_range *r)
{
  return fmax (fabs (r->lo), fabs (r->hi));
}

/* ---- choosing ---- */

/* The range of operand S of instruction K, whose width is W (a literal: its one value).  */
static const dsl_range *
arg_range (const dsl_prog *p, const dsl_range *r, int k, int s, int w, dsl_range *tmp)
{
  const dsl_operand *a = &p->insn[k].a[s];
  if (!r)
    return NULL;
  if (!a->is_const)
    return &r[a->ref];
  memset (tmp, 0, sizeof *tmp);
  if (dsl_op ((dsl_opcode) p->insn[k].op)->arg[s] == DSL_KI)
    {
      tmp->ilo = tmp->ihi = w ? (long long) (int64_t) a->bits : (int32_t) (uint32_t) a->bits;
      return tmp;
    }
  double f = w ? an_f64 (a->bits) : an_f32 ((uint32_t) a->bits);
  if (isnan (f))
    {
      tmp->lo = INFINITY;
      tmp->hi = -INFINITY;
      tmp->flags = DSL_RANGE_NAN;
      return tmp;
    }
  tmp->lo = tmp->hi = f;
  tmp->flags = (f == 0 ? (signbit (f) ? DSL_RANGE_NEGZERO : DSL_RANGE_POSZERO) : 0)
               | (f == nearbyint (f) || isinf (f) ? DSL_RANGE_INTEGRAL : 0);
  return tmp;
}

/* Does value V feed a float add or subtract (a contraction candidate)?  */
static int
feeds_add (const dsl_prog *p, uint32_t v, const uint8_t *form)
{
  for (int k = (int) v - p->nin + 1; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      int plus = i->op == DSL_ADD || i->op == DSL_SUB || (i->op == DSL_NEG && form[k] == DSL_LW_NEG);
      for (int s = 0; plus && s < dsl_op ((dsl_opcode) i->op)->arity; s++)
        if (!i->a[s].is_const && i->a[s].ref == v)
          return 1;
    }
  return 0;
}

int
dsl_lower_rint_operand (const dsl_prog *p, const dsl_range *r, int k)
{
  const dsl_operand *a = &p->insn[k].a[0];
  if (!r || p->insn[k].op != DSL_TOINT || a->is_const || a->ref < (uint32_t) p->nin)
    return -1;
  const dsl_insn *i = &p->insn[a->ref - p->nin];
  uint8_t *wide = malloc ((size_t) (p->nin + p->ninsn));
  int ok = wide && dsl_prog_widths (p, wide, NULL) == 0 && i->op == DSL_RINT && !i->a[0].is_const
           && no_nan (&r[i->a[0].ref]) && within (&r[i->a[0].ref], nums[wide[i->a[0].ref]].magic_max);
  free (wide);
  if (!ok)
    return -1;
  return (int) i->a[0].ref;
}

#define rint_operand dsl_lower_rint_operand

/* ldexp: the exponent field moves where a and the result are normal;
   where the result may be subnormal, no float32 operation may make a
   subnormal (that takes a microcode assist on Intel processors:
   bench/export_speed.sh measured 3 ns against 0.4 per element for exp over
   its whole domain): the subnormal pattern is made by an fma on normal
   numbers (an_ldexp_sub) or the product goes through double; else one or
   two float products by powers of two built from their bits.  */
static int
choose_ldexp (const dsl_range *a, const dsl_range *k, const dsl_range *res, int w)
{
  if (!a || !k)
    return DSL_LW_LDEXP_TOTAL;
  const wnums *n = &nums[w];
  long long klo = k->ilo, khi = k->ihi;
  double m = min_mag (a), M = max_mag (a);
  if (no_nan (a) && m >= n->min_normal && isfinite (M) && klo >= -n->clamp && khi <= n->clamp
      && ldexp (m, (int) klo) >= n->min_normal && ldexp (M, (int) khi) <= n->max_finite)
    return DSL_LW_LDEXP_BITS;
  int subnormal = !res || (res->lo < n->min_normal && res->hi > -n->min_normal && !(res->lo == 0 && res->hi == 0));
  /* No overflow: from the bounds, or from the result's range (which knows
     where a large a and a large b do not meet).  */
  if (!w && subnormal && no_nan (a) && m >= 0x1p-105 && isfinite (M) && klo >= -250 && khi <= n->clamp
      && (ldexp (M, (int) khi) <= n->max_finite || (res && no_nan (res) && max_mag (res) <= n->max_finite)))
    return DSL_LW_LDEXP_SUB;
  if (!w && subnormal && klo >= -n->clamp && khi <= n->clamp)
    return DSL_LW_LDEXP_DOUBLE;
  if (klo >= n->kmin && khi <= n->kmax)
    return DSL_LW_LDEXP_MUL1;
  if (klo >= 2 * n->kmin && khi <= 2 * n->kmax)
    {
      /* The first scale, by 2^ceil(b/2), must be exact: no underflow below
         the normal range, no overflow (infinities and zeros scale exactly).  */
      int c_lo = (int) -((-klo) / 2), c_hi = (int) ((khi + 1) / 2);
      int low_ok = klo >= 0 || m == INFINITY || (m > 0 && ldexp (m, c_lo) >= n->min_normal) || (a->lo == 0 && a->hi == 0);
      int high_ok = M == INFINITY ? a->lo == a->hi : ldexp (M, c_hi) <= n->max_finite;
      if (low_ok && high_ok)
        return DSL_LW_LDEXP_MUL2;
    }
  return DSL_LW_LDEXP_TOTAL;
}

/* ---- whose zero sign matters ---- */

/* ZS[v] = 1 when the sign of a zero value V can change the program's
   result bits, backwards from the result (whose bits all matter).  A
   zero's sign dies in a comparison, a conversion to integer, a libm call
   that maps both zeros to one value, and in a sum with a nonzero operand;
   it passes through negation, rounding, selection and scaling, and into a
   product's sign; a zero divisor's sign is the sign of an infinity.  Where a value's zero sign does not matter, rint of
   [-1/2, -0] may give +0, and neg, min and max need not order the zeros.  */
static void
zero_sign_demand (const dsl_prog *p, const dsl_range *r, const uint8_t *iw, uint8_t *zs)
{
  memset (zs, 0, (size_t) (p->nin + p->ninsn));
  zs[p->out] = 1;
  for (int k = p->ninsn - 1; k >= 0; k--)
    {
      const dsl_insn *i = &p->insn[k];
      const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
      int d = zs[p->nin + k];
      for (int s = 0; s < o->arity; s++)
        {
          if (i->a[s].is_const || o->arg[s] != DSL_KF)
            continue;
          dsl_range t;
          int other = s == 0 ? 1 : 0, pass;
          switch ((dsl_opcode) i->op)
            {
            case DSL_ADD:
            case DSL_SUB:
              /* x + y with y nonzero does not depend on the sign of a zero x.  */
              pass = d && has_zero (arg_range (p, r, k, other, iw[k], &t));
              break;
            case DSL_FMA:
              /* The product's zero sign matters only when the addend may be zero, and the other way round.  */
              if (s < 2)
                pass = d && has_zero (arg_range (p, r, k, 2, iw[k], &t));
              else
                pass = d && (has_zero (arg_range (p, r, k, 0, iw[k], &t)) || has_zero (arg_range (p, r, k, 1, iw[k], &t)));
              break;
            case DSL_MIN:
            case DSL_MAX:
              pass = d || has_zero (arg_range (p, r, k, other, iw[k], &t));
              break;
            case DSL_ABS:
            case DSL_TOINT:
            case DSL_LT:
            case DSL_LE:
            case DSL_EXP:
            case DSL_LOG:
              pass = 0;
              break;
            case DSL_ASINT:
              pass = 1;   /* the sign bit becomes an integer bit */
              break;
            case DSL_DIV:
              /* x / -0 and x / +0 are infinities of opposite signs.  */
              pass = s == 1 || d;
              break;
            default:
              pass = d;
              break;
            }
          zs[i->a[s].ref] |= (uint8_t) pass;
        }
    }
}

/* The form of instruction K from the ranges of its operands; ZS as above.  */
static int
choose (const dsl_prog *p, const dsl_range *r, const uint8_t *iw, const uint8_t *zs, int k)
{
  int zsign = !r || zs[p->nin + k], w = iw[k];
  const wnums *n = &nums[w];
  dsl_range t0, t1;
  const dsl_insn *i = &p->insn[k];
  const dsl_range *a = arg_range (p, r, k, 0, w, &t0);
  const dsl_range *b = dsl_op ((dsl_opcode) i->op)->arity > 1 ? arg_range (p, r, k, 1, w, &t1) : NULL;
  switch ((dsl_opcode) i->op)
    {
    case DSL_ADD: return DSL_LW_ADD;
    case DSL_SUB: return DSL_LW_SUB;
    case DSL_MUL: return DSL_LW_MUL;   /* MUL_NOFUSE is decided once the uses are known */
    case DSL_DIV: return DSL_LW_DIV;
    case DSL_FMA: return DSL_LW_FMA;
    case DSL_NEG: return no_nan (a) && (!has_zero (a) || !zsign) ? DSL_LW_NEG : DSL_LW_NEG_BITS;
    case DSL_ABS: return no_nan (a) ? DSL_LW_ABS : DSL_LW_ABS_BITS;
    case DSL_MIN:
    case DSL_MAX:
      {
        int plain = no_nan (a) && no_nan (b) && (!zeros_differ (a, b) || !zsign);
        if (i->op == DSL_MIN)
          return plain ? DSL_LW_MIN : DSL_LW_MIN_TOTAL;
        return plain ? DSL_LW_MAX : DSL_LW_MAX_TOTAL;
      }
    case DSL_SQRT: return DSL_LW_SQRT;
    case DSL_RINT:
      if (integral (a))
        return DSL_LW_RINT_ID;
      if (within (a, n->magic_max))
        {
          /* Without the sign, rint of [-1/2, -0] would be +0.  (A NaN stays a NaN either way.)  */
          int negzero = a->lo < 0 ? a->hi >= -0.5 : has_zero (a) && (a->flags & DSL_RANGE_NEGZERO);
          return negzero && zsign ? DSL_LW_RINT_MAGIC_SIGN : DSL_LW_RINT_MAGIC;
        }
      return DSL_LW_RINT_TOTAL;
    case DSL_FLOOR:
      if (integral (a))
        return DSL_LW_FLOOR_ID;
      return within (a, n->magic_max) ? DSL_LW_FLOOR_MAGIC : DSL_LW_FLOOR_TOTAL;
    case DSL_ASINT: return no_nan (a) ? DSL_LW_ASINT : DSL_LW_ASINT_TOTAL;
    case DSL_ASFLOAT: return DSL_LW_ASFLOAT;
    case DSL_TOINT:
      if (rint_operand (p, r, k) >= 0)
        return DSL_LW_TOINT_RINT;
      if (no_nan (a) && within (a, n->magic_max))
        return DSL_LW_TOINT_MAGIC;
      if (no_nan (a) && integral (a) && a->lo >= -n->int_top && a->hi < n->int_top)
        return DSL_LW_TOINT_CVT;
      return DSL_LW_TOINT_TOTAL;
    case DSL_TOFLOAT: return DSL_LW_TOFLOAT;
    case DSL_IADD: return DSL_LW_IADD;
    case DSL_ISUB: return DSL_LW_ISUB;
    case DSL_SHL: return DSL_LW_SHL;
    case DSL_SHR: return a && a->ilo >= 0 ? DSL_LW_SHR : DSL_LW_SHR_SIGNED;
    case DSL_AND: return DSL_LW_AND;
    case DSL_OR: return DSL_LW_OR;
    case DSL_XOR: return DSL_LW_XOR;
    case DSL_LDEXP: return choose_ldexp (a, b, r ? &r[p->nin + k] : NULL, w);
    case DSL_LT: return DSL_LW_LT;
    case DSL_LE: return DSL_LW_LE;
    case DSL_SELECT: return DSL_LW_SELECT;
    case DSL_TOF64: return DSL_LW_TOF64;
    case DSL_TOF32: return DSL_LW_TOF32;
    case DSL_TOBF16: case DSL_TOF16: case DSL_TOE4M3: case DSL_TOE5M2: return DSL_LW_TONARROW;
    case DSL_LUT:
      if (p->ntab == 0 || (a && b && dsl_lut_in_range (a, b, p->ntab)))
        return DSL_LW_LUT;   /* (no table: +0) */
      return p->ntab & (p->ntab - 1) ? DSL_LW_LUT_MOD : DSL_LW_LUT_MASK;
    default: return DSL_LW_LIBM;
    }
}

int
dsl_lower (const dsl_prog *p, const dsl_range *r, uint8_t *form)
{
  int nval = p->nin + p->ninsn;
  uint8_t *zs = malloc ((size_t) nval), *wide = malloc ((size_t) nval), *iw = malloc ((size_t) nval);
  if (!zs || !wide || !iw || dsl_prog_widths (p, wide, NULL) < 0)
    r = NULL;   /* out of memory (or a bad program): nothing is known */
  for (int k = 0; wide && iw && k < p->ninsn; k++)
    {
      int w = 0, rw;
      dsl_insn_width (p, k, wide, &w, &rw, NULL);
      iw[k] = (uint8_t) w;
    }
  if (r)
    zero_sign_demand (p, r, iw, zs);
  for (int k = 0; k < p->ninsn; k++)
    form[k] = iw ? (uint8_t) choose (p, r, iw, zs, k) : (uint8_t) DSL_LW_LIBM;
  free (zs);
  free (wide);
  free (iw);
  for (int k = 0; k < p->ninsn; k++)
    if (form[k] == DSL_LW_MUL && feeds_add (p, (uint32_t) (p->nin + k), form))
      form[k] = DSL_LW_MUL_NOFUSE;
  return !r || (r[p->out].flags & DSL_RANGE_NAN);
}

double
dsl_prog_cost (const dsl_prog *p, const double *lo, const double *hi)
{
  dsl_prog *q = dsl_prog_clone (p);
  dsl_range *r = q ? malloc ((size_t) (q->nin + q->ninsn) * sizeof *r) : NULL;
  uint8_t *form = q ? malloc ((size_t) (q->ninsn ? q->ninsn : 1)) : NULL;
  double cost = 0;
  if (!q || !r || !form)
    {
      /* Out of memory: every op at its most expensive form's weight.  */
      for (int k = 0; k < p->ninsn; k++)
        cost += 20;
    }
  else
    {
      dsl_prog_strip_dead (q);   /* dead code is not emitted */
      int known = lo && hi && dsl_range_analyze (q, lo, hi, DSL_RANGE_BUDGET, r, NULL) == 0;
      int canon = dsl_lower (q, known ? r : NULL, form);
      /* A float64 value in a program of a float32-computing type fills half as many vector
         lanes as a float32 one: its op costs twice as much in an array loop.  */
      uint8_t *wide = dsl_compute_wide (q->type) ? NULL : malloc ((size_t) (q->nin + q->ninsn));
      if (wide && dsl_prog_widths (q, wide, NULL) < 0)
        free (wide), wide = NULL;
      /* A libm call weighs what its function costs (the op table's measured weights).  */
      for (int k = 0; k < q->ninsn; k++)
        cost += (form[k] == DSL_LW_LIBM ? dsl_op (q->insn[k].op)->cost : lowerings[form[k]].cost) * (wide && wide[q->nin + k] && dsl_op (q->insn[k].op)->wrule != DSL_W_WIDEN ? 2 : 1);
      /* A float64 result of float32 is rounded once, as tof32 would round it.  */
      if (wide && wide[q->out] && dsl_type_bits (q->type) == 32)
        cost += lowerings[DSL_LW_TOF32].cost;
      free (wide);
      if (canon)
        cost += lowerings[DSL_LW_RESULT].cost;
    }
  free (form);
  free (r);
  dsl_prog_free (q);
  return cost;
}
