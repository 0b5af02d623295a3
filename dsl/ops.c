/* ops -- the op table (one row per op) and the scalar meaning of every op.

   The table is data: adding an op is one row here, one case in
   dsl_apply_f32, one loop in interp.c and one case in emit.c.  Every
   meaning is total (defined for every operand value) so that evolution can
   feed any op any value and the emitted C has no undefined behaviour.  */
#include <math.h>
#include <string.h>

#include "dsl/dsl.h"
#include "dsl/internal.h"

#define F DSL_KF
#define I DSL_KI

static const dsl_opinfo op_table[DSL_NOPS] = {
  [DSL_ADD] = {"add", 2, {F, F}, F, 1, DSL_COMMUTATIVE, "a + b, rounded"},
  [DSL_SUB] = {"sub", 2, {F, F}, F, 1, 0, "a - b, rounded"},
  [DSL_MUL] = {"mul", 2, {F, F}, F, 1, DSL_COMMUTATIVE | DSL_MULTIPLY, "a * b, rounded"},
  [DSL_DIV] = {"div", 2, {F, F}, F, 4, DSL_MULTIPLY, "a / b, rounded (IEEE: x/0 is inf or NaN)"},
  [DSL_FMA] = {"fma", 3, {F, F, F}, F, 1, DSL_COMMUTATIVE | DSL_MULTIPLY, "a * b + c, rounded once"},
  [DSL_NEG] = {"neg", 1, {F}, F, 0.5, 0, "-a (flips the sign bit, NaN included)"},
  [DSL_ABS] = {"abs", 1, {F}, F, 0.5, 0, "|a| (clears the sign bit, NaN included)"},
  [DSL_MIN] = {"min", 2, {F, F}, F, 1, DSL_COMMUTATIVE,
               "the smaller; a NaN operand yields the other (fminf); min(-0, +0) = -0"},
  [DSL_MAX] = {"max", 2, {F, F}, F, 1, DSL_COMMUTATIVE,
               "the larger; a NaN operand yields the other (fmaxf); max(-0, +0) = +0"},
  [DSL_SQRT] = {"sqrt", 1, {F}, F, 4, DSL_MULTIPLY, "square root, rounded (NaN below -0)"},
  [DSL_RINT] = {"rint", 1, {F}, F, 1, 0,
                "nearest integer, ties to even, whatever the rounding mode; keeps the sign of 0"},
  [DSL_FLOOR] = {"floor", 1, {F}, F, 1, 0, "largest integer <= a"},
  [DSL_ASINT] = {"asint", 1, {F}, I, 0.5, 0,
                 "the bit pattern of a; every NaN gives the default one (0x7fc00000, 0x7ff8000000000000)"},
  [DSL_ASFLOAT] = {"asfloat", 1, {I}, F, 0.5, 0, "the float with bit pattern a"},
  [DSL_TOINT] = {"toint", 1, {F}, I, 1, 0,
                 "a rounded to the nearest integer (ties to even), saturated to the signed "
                 "range; NaN gives 0"},
  [DSL_TOFLOAT] = {"tofloat", 1, {I}, F, 1, 0, "signed integer a converted to float, rounded"},
  [DSL_IADD] = {"iadd", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "a + b modulo 2^width (width 32 or 64)"},
  [DSL_ISUB] = {"isub", 2, {I, I}, I, 1, 0, "a - b modulo 2^width"},
  [DSL_SHL] = {"shl", 2, {I, I}, I, 1, 0, "a << (b mod width)"},
  [DSL_SHR] = {"shr", 2, {I, I}, I, 1, 0, "a >> (b mod width), arithmetic (copies the sign bit)"},
  [DSL_AND] = {"and", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise and"},
  [DSL_OR] = {"or", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise or"},
  [DSL_XOR] = {"xor", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise exclusive or"},
  [DSL_LDEXP] = {"ldexp", 2, {F, I}, F, 2, 0, "a * 2^b (b signed, of either width), rounded once (ldexp)",
                 DSL_W_SAME, 2},
  [DSL_LT] = {"lt", 2, {F, F}, I, 1, 0, "all ones if a < b, else 0 (false on NaN)"},
  [DSL_LE] = {"le", 2, {F, F}, I, 1, 0, "all ones if a <= b, else 0 (false on NaN)"},
  [DSL_SELECT] = {"select", 3, {I, F, F}, F, 1, 0,
                  "b if a != 0 (a of either width), else c (moves bits, NaNs included)", DSL_W_SAME, 1},
  /* libm calls: weights in proportion to the time of one call, expf's being 20
     (bench/libm_cost.c on 2-core AMD EPYC Zen 3, glibc 2.36, 2026-12-02: ns per float call
     beyond an empty call of about 2 ns, over typical inputs: exp 2.3, log 2.9, log1p 12.7,
     erf 17.3 (on [-3, 3]), lgamma 17.0 (on [0.5, 1000]); weight = 20 (t + 2) / (2.3 + 2)).
     A float64 call in a float32 program counts twice, as every float64 op does (double exp
     6.4 ns, log 5.4, lgamma 21).  */
  [DSL_EXP] = {"exp", 1, {F}, F, 20, DSL_LIBM, "the platform libm's expf (exp for float64)"},
  [DSL_LOG] = {"log", 1, {F}, F, 23, DSL_LIBM, "the platform libm's logf (log)"},
  [DSL_LOG1P] = {"log1p", 1, {F}, F, 68, DSL_LIBM, "the platform libm's log1pf (log1p)"},
  [DSL_ERF] = {"erf", 1, {F}, F, 90, DSL_LIBM, "the platform libm's erff (erf)"},
  [DSL_LGAMMA] = {"lgamma", 1, {F}, F, 88, DSL_LIBM, "the platform libm's lgammaf (lgamma): log|Gamma(a)|"},
  [DSL_TOF64] = {"tof64", 1, {F}, F, 1, DSL_CONVERT, "a float32 a as float64, exactly", DSL_W_WIDEN, 0},
  [DSL_TOF32] = {"tof32", 1, {F}, F, 1, DSL_CONVERT, "a float64 a rounded to float32 (nearest, ties to even)", DSL_W_NARROW, 0},
  [DSL_TOBF16] = {"tobf16", 1, {F}, F, 2, DSL_CONVERT,
                  "a float32 a rounded to the nearest bfloat16 value (ties to even; overflow to infinity)",
                  DSL_W_32, 0},
  [DSL_TOF16] = {"tof16", 1, {F}, F, 3, DSL_CONVERT,
                 "a float32 a rounded to the nearest float16 value (ties to even; overflow to infinity)",
                 DSL_W_32, 0},
  [DSL_TOE4M3] = {"toe4m3", 1, {F}, F, 3, DSL_CONVERT,
                  "a float32 a rounded to the nearest fp8e4m3 value (ties to even; saturating at +-448)",
                  DSL_W_32, 0},
  [DSL_TOE5M2] = {"toe5m2", 1, {F}, F, 3, DSL_CONVERT,
                  "a float32 a rounded to the nearest fp8e5m2 value (ties to even; overflow to infinity)",
                  DSL_W_32, 0},
  [DSL_LUT] = {"lut", 2, {I, I}, F, 4, 0,
               "entry (a + b) mod n of the program's table of n constants ((a + b) mod 2^32 read as "
               "unsigned; +0 when it has none)",
               DSL_W_TABLE, 0},
};

const dsl_opinfo *
dsl_op (dsl_opcode op)
{
  return (unsigned) op < DSL_NOPS ? &op_table[op] : NULL;
}

int
dsl_op_lookup (const char *name)
{
  for (int i = 0; i < DSL_NOPS; i++)
    if (strcmp (op_table[i].name, name) == 0)
      return i;
  return -1;
}

/* The types.  float16 .. fp8e5m2: dsl/convert.h has their numbers (AN_*) and conversions.  */
static const dsl_typeinfo type_table[DSL_NTYPES] = {
  [DSL_FLOAT32] = {"float32", 32, 24, -126, 127, -149, 0x1.fffffep+127, 1, 0, DSL_FLOAT32, "float", NULL},
  [DSL_FLOAT64] = {"float64", 64, 53, -1022, 1023, -1074, 0x1.fffffffffffffp+1023, 1, 0, DSL_FLOAT64, "double", NULL},
  [DSL_FLOAT16] = {"float16", AN_F16_BITS, AN_F16_P, AN_F16_EMIN, AN_F16_EMAX, AN_F16_SUBMIN, AN_F16_MAX,
                   AN_F16_HAS_INF, AN_F16_SATURATES, DSL_FLOAT32, "uint16_t", "f16", an_f16_encode, an_f16_decode},
  [DSL_BFLOAT16] = {"bfloat16", AN_BF16_BITS, AN_BF16_P, AN_BF16_EMIN, AN_BF16_EMAX, AN_BF16_SUBMIN, AN_BF16_MAX,
                    AN_BF16_HAS_INF, AN_BF16_SATURATES, DSL_FLOAT32, "uint16_t", "bf16", an_bf16_encode, an_bf16_decode},
  [DSL_FP8E4M3] = {"fp8e4m3", AN_E4M3_BITS, AN_E4M3_P, AN_E4M3_EMIN, AN_E4M3_EMAX, AN_E4M3_SUBMIN, AN_E4M3_MAX,
                   AN_E4M3_HAS_INF, AN_E4M3_SATURATES, DSL_FLOAT32, "uint8_t", "e4m3", an_e4m3_encode, an_e4m3_decode},
  [DSL_FP8E5M2] = {"fp8e5m2", AN_E5M2_BITS, AN_E5M2_P, AN_E5M2_EMIN, AN_E5M2_EMAX, AN_E5M2_SUBMIN, AN_E5M2_MAX,
                   AN_E5M2_HAS_INF, AN_E5M2_SATURATES, DSL_FLOAT32, "uint8_t", "e5m2", an_e5m2_encode, an_e5m2_decode},
};

const dsl_typeinfo *
dsl_type_info (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES ? &type_table[t] : NULL;
}

const char *
dsl_type_name (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES ? type_table[t].name : "?";
}

int
dsl_type_parse (const char *name, dsl_type *t)
{
  static const struct { const char *alias; dsl_type t; } aliases[] = {
    {"f32", DSL_FLOAT32}, {"binary32", DSL_FLOAT32}, {"float", DSL_FLOAT32},
    {"f64", DSL_FLOAT64}, {"binary64", DSL_FLOAT64}, {"double", DSL_FLOAT64},
    {"f16", DSL_FLOAT16}, {"half", DSL_FLOAT16}, {"binary16", DSL_FLOAT16},
    {"bf16", DSL_BFLOAT16}, {"e4m3", DSL_FP8E4M3}, {"e5m2", DSL_FP8E5M2},
  };
  for (int i = 0; i < DSL_NTYPES; i++)
    if (strcmp (type_table[i].name, name) == 0)
      return *t = (dsl_type) i, 0;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp (aliases[i].alias, name) == 0)
      return *t = aliases[i].t, 0;
  return -1;
}

int
dsl_type_bits (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES ? type_table[t].bits : 32;
}

int
dsl_type_supported (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES;
}

int
dsl_compute_wide (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES && type_table[t].compute == DSL_FLOAT64;
}

void
dsl_type_describe (dsl_type t, char *buf, size_t size)
{
  const dsl_typeinfo *ti = &type_table[t];
  char max[64];
  dsl_format_f64 (an_u64 (ti->max), max, sizeof max);
  int n = snprintf (buf, size, "%s values are %d-bit patterns (%s): 1 sign bit, %d exponent bits (bias %d), "
                    "%d fraction bits; subnormals down to 2^%d; largest finite %s (%g); ",
                    ti->name, ti->bits, ti->c_type, ti->bits - ti->p, 1 - ti->emin, ti->p - 1, ti->submin, max,
                    ti->max);
  if (n < 0 || (size_t) n >= size)
    return;
  if (ti->encode)
    snprintf (buf + n, size - (size_t) n, "%s; NaN results are 0x%x (rounding: to nearest, ties to even%s).",
              ti->has_inf ? "infinities as in IEEE 754" : "no infinities",
              (unsigned) ti->encode (NAN), ti->saturates ? ", saturating at +-largest" : ", overflow to infinity");
  else
    snprintf (buf + n, size - (size_t) n, "IEEE 754 binary%d.", ti->bits);
}

int
dsl_out_width_ok (dsl_type t, int w)
{
  return w == dsl_compute_wide (t) || (w == 1 && !dsl_compute_wide (t));
}

double
dsl_value_of_bits (dsl_type t, uint64_t b)
{
  const dsl_typeinfo *ti = &type_table[t];
  return ti->bits == 64 ? an_f64 (b) : ti->bits == 32 ? an_f32 ((uint32_t) b) : ti->decode ((uint32_t) b);
}

uint64_t
dsl_bits_at (dsl_type t, const void *in, size_t i)
{
  switch (type_table[t].bits)
    {
    case 64: return ((const uint64_t *) in)[i];
    case 32: return ((const uint32_t *) in)[i];
    case 16: return ((const uint16_t *) in)[i];
    default: return ((const uint8_t *) in)[i];
    }
}

uint64_t
dsl_bits_of_value (dsl_type t, double v)
{
  const dsl_typeinfo *ti = &type_table[t];
  return ti->bits == 64 ? an_u64 (v) : ti->bits == 32 ? an_u32 ((float) v) : ti->encode ((float) v);
}

/* Scalar meanings on float32 bit patterns.  The interpreter's loops and the
   emitter's helpers (emit.c) implement exactly these, through the same
   inline definitions in internal.h.  */
uint32_t
dsl_apply_f32 (dsl_opcode op, const uint32_t *u)
{
  float a = an_f32 (u[0]), b = an_f32 (u[1]), c = an_f32 (u[2]);
  switch (op)
    {
    case DSL_ADD: return an_u32 (a + b);
    case DSL_SUB: return an_u32 (a - b);
    case DSL_MUL: return an_u32 (a * b);
    case DSL_DIV: return an_u32 (a / b);
    case DSL_FMA: return an_u32 (fmaf (a, b, c));
    case DSL_NEG: return u[0] ^ 0x80000000u;
    case DSL_ABS: return u[0] & 0x7fffffffu;
    case DSL_MIN: return an_u32 (an_minf (a, b));
    case DSL_MAX: return an_u32 (an_maxf (a, b));
    case DSL_SQRT: return an_u32 (sqrtf (a));
    case DSL_RINT: return an_u32 (an_rintf (a));
    case DSL_FLOOR: return an_u32 (an_floorf (a));
    case DSL_ASINT: return an_asint (a);
    case DSL_ASFLOAT: return u[0];
    case DSL_TOINT: return an_toint (a);
    case DSL_TOFLOAT: return an_u32 (an_tofloat (u[0]));
    case DSL_IADD: return u[0] + u[1];
    case DSL_ISUB: return u[0] - u[1];
    case DSL_SHL: return u[0] << (u[1] & 31);
    case DSL_SHR: return an_sar (u[0], u[1]);
    case DSL_AND: return u[0] & u[1];
    case DSL_OR: return u[0] | u[1];
    case DSL_XOR: return u[0] ^ u[1];
    case DSL_LDEXP: return an_u32 (an_ldexpf (a, u[1]));
    case DSL_LT: return a < b ? 0xffffffffu : 0;
    case DSL_LE: return a <= b ? 0xffffffffu : 0;
    case DSL_SELECT: return u[0] ? u[1] : u[2];
    case DSL_EXP: return an_u32 (expf (a));
    case DSL_LOG: return an_u32 (logf (a));
    case DSL_LOG1P: return an_u32 (log1pf (a));
    case DSL_ERF: return an_u32 (erff (a));
    case DSL_LGAMMA: return an_u32 (lgammaf_r (a, &(int) {0}));
    default: return 0;
    }
}


/* The same on float64 bit patterns.  */
static uint64_t
apply_f64 (dsl_opcode op, const uint64_t *u)
{
  double a = an_f64 (u[0]), b = an_f64 (u[1]), c = an_f64 (u[2]);
  switch (op)
    {
    case DSL_ADD: return an_u64 (a + b);
    case DSL_SUB: return an_u64 (a - b);
    case DSL_MUL: return an_u64 (a * b);
    case DSL_DIV: return an_u64 (a / b);
    case DSL_FMA: return an_u64 (fma (a, b, c));
    case DSL_NEG: return u[0] ^ UINT64_C (0x8000000000000000);
    case DSL_ABS: return u[0] & UINT64_C (0x7fffffffffffffff);
    case DSL_MIN: return an_u64 (an_mind (a, b));
    case DSL_MAX: return an_u64 (an_maxd (a, b));
    case DSL_SQRT: return an_u64 (sqrt (a));
    case DSL_RINT: return an_u64 (an_rintd (a));
    case DSL_FLOOR: return an_u64 (an_floord (a));
    case DSL_ASINT: return an_asint64 (a);
    case DSL_ASFLOAT: return u[0];
    case DSL_TOINT: return an_toint64 (a);
    case DSL_TOFLOAT: return an_u64 (an_tofloat64 (u[0]));
    case DSL_IADD: return u[0] + u[1];
    case DSL_ISUB: return u[0] - u[1];
    case DSL_SHL: return u[0] << (u[1] & 63);
    case DSL_SHR: return an_sar64 (u[0], u[1]);
    case DSL_AND: return u[0] & u[1];
    case DSL_OR: return u[0] | u[1];
    case DSL_XOR: return u[0] ^ u[1];
    case DSL_LDEXP: return an_u64 (an_ldexpd64 (a, u[1]));
    case DSL_LT: return a < b ? ~UINT64_C (0) : 0;
    case DSL_LE: return a <= b ? ~UINT64_C (0) : 0;
    case DSL_SELECT: return u[0] ? u[1] : u[2];
    case DSL_EXP: return an_u64 (exp (a));
    case DSL_LOG: return an_u64 (log (a));
    case DSL_LOG1P: return an_u64 (log1p (a));
    case DSL_ERF: return an_u64 (erf (a));
    case DSL_LGAMMA: return an_u64 (lgamma_r (a, &(int) {0}));
    case DSL_TOF32: return an_u32 ((float) a);
    default: return 0;
    }
}

uint64_t
dsl_apply (dsl_opcode op, int w, const uint64_t *u)
{
  if (w)
    return apply_f64 (op, u);
  float a = an_f32 ((uint32_t) u[0]);
  switch (op)
    {
    case DSL_TOF64: return an_u64 ((double) a);
    case DSL_TOBF16: return an_u32 (an_bf16_round (a));
    case DSL_TOF16: return an_u32 (an_f16_round (a));
    case DSL_TOE4M3: return an_u32 (an_e4m3_round (a));
    case DSL_TOE5M2: return an_u32 (an_e5m2_round (a));
    default:
      {
        uint32_t v[DSL_MAXARGS] = {(uint32_t) u[0], (uint32_t) u[1], (uint32_t) u[2]};
        return dsl_apply_f32 (op, v);
      }
    }
}

int
dsl_insn_width (const dsl_prog *p, int k, const uint8_t *wide, int *w, int *result, dsl_error *err)
{
  const dsl_insn *i = &p->insn[k];
  const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
  int have = -1;
  for (int s = 0; s < o->arity; s++)
    {
      if (i->a[s].is_const || (o->anyw >> s & 1u))
        continue;
      int ws = wide[i->a[s].ref];
      if (have >= 0 && ws != have)
        return dsl_error_set (err, "instruction %d (%s): operands of 32 and 64 bits (convert with tof32 or tof64)",
                              k + 1, o->name);
      have = ws;
    }
  switch (o->wrule)
    {
    case DSL_W_WIDEN: *w = 0, *result = 1; break;
    case DSL_W_NARROW: *w = 1, *result = 0; break;
    case DSL_W_32: *w = 0, *result = 0; break;
    case DSL_W_TABLE: *w = have >= 0 ? have : dsl_compute_wide (p->type), *result = dsl_tab_wide (p); return 0;
    default: *w = *result = have >= 0 ? have : dsl_compute_wide (p->type); return 0;
    }
  if (have >= 0 && have != *w)
    return dsl_error_set (err, "instruction %d (%s) takes a %s value", k + 1, o->name,
                          *w ? "float64" : "float32");
  return 0;
}

int
dsl_prog_widths (const dsl_prog *p, uint8_t *wide, dsl_error *err)
{
  for (int j = 0; j < p->nin; j++)
    wide[j] = (uint8_t) dsl_compute_wide (p->type);
  for (int k = 0; k < p->ninsn; k++)
    {
      int w, r;
      if (dsl_insn_width (p, k, wide, &w, &r, err) < 0)
        return -1;
      wide[p->nin + k] = (uint8_t) r;
    }
  return 0;
}

uint64_t
dsl_int_to_width (uint64_t v, int from, int to)
{
  if (from == to)
    return v;
  return to ? an_widen_int ((uint32_t) v) : an_narrow_int (v);
}

int
dsl_eval_point (const dsl_prog *p, const uint8_t *wide, int upto, uint64_t *val)
{
  for (int t = 0; t <= upto && t < p->ninsn; t++)
    {
      const dsl_insn *i = &p->insn[t];
      const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
      int w, rw;
      if (dsl_insn_width (p, t, wide, &w, &rw, NULL) < 0)
        return -1;
      uint64_t a[DSL_MAXARGS] = {0, 0, 0};
      for (int s = 0; s < o->arity; s++)
        if (i->a[s].is_const)
          a[s] = i->a[s].bits;
        else if (o->anyw >> s & 1u)
          a[s] = dsl_int_to_width (val[i->a[s].ref], wide[i->a[s].ref], w);
        else
          a[s] = val[i->a[s].ref];
      val[p->nin + t] = i->op == DSL_LUT ? dsl_lut (p, a[0], a[1]) : dsl_apply ((dsl_opcode) i->op, w, a);
    }
  return 0;
}
