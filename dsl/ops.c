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
  [DSL_ASINT] = {"asint", 1, {F}, I, 0.5, 0, "the bit pattern of a; every NaN gives 0x7fc00000"},
  [DSL_ASFLOAT] = {"asfloat", 1, {I}, F, 0.5, 0, "the float with bit pattern a"},
  [DSL_TOINT] = {"toint", 1, {F}, I, 1, 0,
                 "a rounded to the nearest integer (ties to even), saturated to the signed "
                 "range; NaN gives 0"},
  [DSL_TOFLOAT] = {"tofloat", 1, {I}, F, 1, 0, "signed integer a converted to float, rounded"},
  [DSL_IADD] = {"iadd", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "a + b modulo 2^width"},
  [DSL_ISUB] = {"isub", 2, {I, I}, I, 1, 0, "a - b modulo 2^width"},
  [DSL_SHL] = {"shl", 2, {I, I}, I, 1, 0, "a << (b mod width)"},
  [DSL_SHR] = {"shr", 2, {I, I}, I, 1, 0, "a >> (b mod width), arithmetic (copies the sign bit)"},
  [DSL_AND] = {"and", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise and"},
  [DSL_OR] = {"or", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise or"},
  [DSL_XOR] = {"xor", 2, {I, I}, I, 1, DSL_COMMUTATIVE, "bitwise exclusive or"},
  [DSL_LDEXP] = {"ldexp", 2, {F, I}, F, 2, 0, "a * 2^b (b signed), rounded once (ldexpf)"},
  [DSL_LT] = {"lt", 2, {F, F}, I, 1, 0, "all ones if a < b, else 0 (false on NaN)"},
  [DSL_LE] = {"le", 2, {F, F}, I, 1, 0, "all ones if a <= b, else 0 (false on NaN)"},
  [DSL_SELECT] = {"select", 3, {I, F, F}, F, 1, 0, "b if a != 0, else c (a moves bits, NaNs included)"},
  [DSL_EXP] = {"exp", 1, {F}, F, 20, DSL_LIBM, "the platform libm's expf"},
  [DSL_LOG] = {"log", 1, {F}, F, 20, DSL_LIBM, "the platform libm's logf"},
  [DSL_LOG1P] = {"log1p", 1, {F}, F, 20, DSL_LIBM, "the platform libm's log1pf"},
  [DSL_ERF] = {"erf", 1, {F}, F, 20, DSL_LIBM, "the platform libm's erff"},
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

static const char *const type_names[DSL_NTYPES] = {
  [DSL_FLOAT32] = "float32", [DSL_FLOAT64] = "float64", [DSL_FLOAT16] = "float16",
  [DSL_BFLOAT16] = "bfloat16", [DSL_FP8E4M3] = "fp8e4m3", [DSL_FP8E5M2] = "fp8e5m2",
};

const char *
dsl_type_name (dsl_type t)
{
  return (unsigned) t < DSL_NTYPES ? type_names[t] : "?";
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
    if (strcmp (type_names[i], name) == 0)
      return *t = (dsl_type) i, 0;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp (aliases[i].alias, name) == 0)
      return *t = aliases[i].t, 0;
  return -1;
}

int
dsl_type_bits (dsl_type t)
{
  switch (t)
    {
    case DSL_FLOAT64: return 64;
    case DSL_FLOAT16: case DSL_BFLOAT16: return 16;
    case DSL_FP8E4M3: case DSL_FP8E5M2: return 8;
    default: return 32;
    }
}

int
dsl_type_supported (dsl_type t)
{
  return t == DSL_FLOAT32;
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
    default: return 0;
    }
}

