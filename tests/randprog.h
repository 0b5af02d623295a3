/* randprog -- seeded random well-typed float32 programs and nasty float32 inputs, for tests.

   Programs are built from the op table (dsl_op), so a new op row is covered
   without touching this file.  Every operand refers to an earlier value of
   the kind its slot wants, or is a literal drawn from the edge cases each
   kind has (signed zeros, infinities, NaN payloads, subnormals, shift counts
   past the width, INT32_MIN, ...).  */
#ifndef AUTONUM_RANDPROG_H
#define AUTONUM_RANDPROG_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dsl/dsl.h"
#include "eval/rng.h"

#define RANDPROG_MININSN 5
#define RANDPROG_MAXINSN 40
#define RANDPROG_MAXIN 3

/* Float32 bit patterns every op should meet: signed zeros and infinities,
   quiet and signalling NaNs with payloads, subnormals, the normal extremes,
   round-to-nearest ties, the integers where rint/toint change behaviour
   (2^23, 2^24, 2^31, 2^32), and the edges of exp/log domains.  */
static const uint32_t randprog_special_f32[] = {
  0x00000000, 0x80000000,                         /* +0, -0 */
  0x7f800000, 0xff800000,                         /* +inf, -inf */
  0x7fc00000, 0xffc00000,                         /* default quiet NaNs */
  0x7fc12345, 0xffd00001, 0x7fffffff,             /* quiet NaNs with payloads */
  0x7f800001, 0xff800001, 0x7fa00000, 0x7fbfffff, /* signalling NaNs */
  0x00000001, 0x80000001,                         /* +-2^-149, smallest subnormal */
  0x007fffff, 0x807fffff, 0x00400000,             /* largest subnormal, 2^-127 */
  0x00800000, 0x80800000,                         /* +-2^-126, smallest normal */
  0x7f7fffff, 0xff7fffff,                         /* +-FLT_MAX */
  0x7f000000, 0x5f800000, 0x1f800000,             /* 2^127, 2^64, 2^-64 */
  0x3f800000, 0xbf800000,                         /* +-1 */
  0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, /* 0.5, -0.5, 1.5, 2.5: ties */
  0xc0200000, 0xbfc00000,                         /* -2.5, -1.5 */
  0x3effffff, 0x3f000001,                         /* 0.5 - 2^-25, 0.5 + 2^-24 */
  0x3f7fffff, 0x3f800001,                         /* 1 - 2^-24, 1 + 2^-23 */
  0x4affffff, 0x4b000000, 0x4b000001,             /* 2^23 - 0.5, 2^23, 2^23 + 1 */
  0xcaffffff, 0xcb000000,                         /* -(2^23 - 0.5), -2^23 */
  0x4b7fffff, 0x4b800000, 0x4b800001,             /* 2^24 - 1, 2^24, 2^24 + 2 */
  0x4effffff, 0x4f000000, 0x4f000001,             /* 2^31 - 128, 2^31, 2^31 + 256 */
  0xceffffff, 0xcf000000, 0xcf000001,             /* -(2^31 - 128), -2^31, -(2^31 + 256) */
  0x4f7fffff, 0x4f800000,                         /* 2^32 - 256, 2^32 */
  0x42b17217, 0x42b17218,                         /* 88.72283, 88.72284: expf overflow edge */
  0xc2aeac4f, 0xc2aeac50, 0xc2cff1b5, 0xc2d00000, /* expf subnormal and underflow edges */
  0xbf7fffff, 0xbf800001,                         /* log1p edge: -1 + 2^-24, -1 - 2^-23 */
  0x40490fdb, 0xc0490fdb, 0x3f317218,             /* pi, -pi, ln 2 */
  0x40800000, 0x40400000, 0x41200000,             /* 4, 3, 10: erf saturation region */
};
#define RANDPROG_NSPECIAL_F32 (sizeof randprog_special_f32 / sizeof randprog_special_f32[0])

/* Integer literals: zero, one, the width and its neighbours as shift counts,
   counts far past the width, the signed extremes, float32 field masks and
   exponent biases.  */
static const uint32_t randprog_special_i32[] = {
  0, 1, 2, 7, 23, 31, 32, 33, 63, 64, 127, 150, 255, 256, 1000,
  0xffffffff, 0xfffffffe, 0xffffffe0, 0xffffff81,  /* -1, -2, -32, -127 */
  0x80000000, 0x7fffffff, 0x80000001,              /* INT32_MIN, INT32_MAX, INT32_MIN + 1 */
  0x007fffff, 0x7f800000, 0x807fffff, 0x3f800000,  /* mantissa/exponent masks, bits of 1.0f */
  0x00800000, 0x4b000000, 0x5f3759df, 0x12345678,
  0x0000001f, 0xfffffff0, 0x40000000, 0xc0000000,
};
#define RANDPROG_NSPECIAL_I32 (sizeof randprog_special_i32 / sizeof randprog_special_i32[0])

static uint32_t
randprog_f32_bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

/* A float32 literal: a special value, a random bit pattern, or a random
   moderate value (the constants evolution produces).  */
static uint32_t
randprog_f32_literal (an_rng *r)
{
  switch (an_rng_below (r, 4))
    {
    case 0:
    case 1:
      return randprog_special_f32[an_rng_below (r, RANDPROG_NSPECIAL_F32)];
    case 2:
      return (uint32_t) an_rng_next (r);
    default:
      {
        double m = an_rng_unit (r) * 2 - 1;
        return randprog_f32_bits ((float) ldexp (m, (int) an_rng_below (r, 21) - 10));
      }
    }
}

static uint32_t
randprog_i32_literal (an_rng *r)
{
  switch (an_rng_below (r, 3))
    {
    case 0:
    case 1:
      return randprog_special_i32[an_rng_below (r, RANDPROG_NSPECIAL_I32)];
    default:
      return (uint32_t) an_rng_next (r);
    }
}

/* A float64 literal: a float32 one widened, a random bit pattern, or a
   random moderate value with more bits than float32 has.  */
static uint64_t
randprog_f64_literal (an_rng *r)
{
  switch (an_rng_below (r, 4))
    {
    case 0:
    case 1:
      {
        uint32_t b = randprog_special_f32[an_rng_below (r, RANDPROG_NSPECIAL_F32)];
        float f;
        memcpy (&f, &b, sizeof f);
        double d = f;
        uint64_t u;
        memcpy (&u, &d, sizeof u);
        return u;
      }
    case 2:
      return an_rng_next (r);
    default:
      {
        double d = ldexp (an_rng_unit (r) * 2 - 1, (int) an_rng_below (r, 41) - 20);
        uint64_t u;
        memcpy (&u, &d, sizeof u);
        return u;
      }
    }
}

/* A random earlier value of kind K and width W (-1: either) among the
   first NVAL values of P (widths WIDE), or -1.  Recent values are
   favoured so that programs form chains, not fans.  */
static int
randprog_pick_ref (an_rng *r, const dsl_prog *p, int nval, dsl_kind k, int w, const uint8_t *wide)
{
  int cand[RANDPROG_MAXIN + 2 * RANDPROG_MAXINSN], n = 0;
  for (int v = 0; v < nval; v++)
    if (dsl_value_kind (p, (uint32_t) v) == k && (w < 0 || wide[v] == w))
      cand[n++] = v;
  if (n == 0)
    return -1;
  if (an_rng_below (r, 2))
    {
      int recent = n < 4 ? n : 4;
      return cand[n - 1 - (int) an_rng_below (r, (uint64_t) recent)];
    }
  return cand[an_rng_below (r, (uint64_t) n)];
}

/* An operand of kind K: a value of width W (-1: either), or a literal of width LW.  */
static dsl_operand
randprog_operand (an_rng *r, const dsl_prog *p, dsl_kind k, int w, int lw, const uint8_t *wide, int literal_odds)
{
  dsl_operand o = { 0, 0, 0 };
  int ref = an_rng_below (r, 100) < (uint64_t) literal_odds
            ? -1 : randprog_pick_ref (r, p, p->nin + p->ninsn, k, w, wide);
  if (ref >= 0)
    o.ref = (uint32_t) ref;
  else
    {
      o.is_const = 1;
      if (k == DSL_KF)
        o.bits = lw ? randprog_f64_literal (r) : randprog_f32_literal (r);
      else
        o.bits = lw ? (uint64_t) (int64_t) (int32_t) randprog_i32_literal (r) ^ (an_rng_below (r, 4) ? 0 : an_rng_next (r))
                    : randprog_i32_literal (r);
    }
  return o;
}

/* Does P (widths WIDE) have a float value of width W?  */
static int
randprog_has_float (const dsl_prog *p, int w, const uint8_t *wide)
{
  for (int v = 0; v < p->nin + p->ninsn; v++)
    if (dsl_value_kind (p, (uint32_t) v) == DSL_KF && wide[v] == w)
      return 1;
  return 0;
}

/* Appends one instruction of opcode OP computing in width W whose operands
   are earlier values or literals (WIDE: the widths of the values, updated).
   At least one operand refers to a value when one of a fitting kind
   exists, as a search would rarely keep an all-literal instruction.
   Returns 0, or -1 if memory runs out.  */
static int
randprog_append_op_w (an_rng *r, dsl_prog *p, dsl_opcode op, int w, uint8_t *wide)
{
  const dsl_opinfo *info = dsl_op (op);
  dsl_insn in;
  memset (&in, 0, sizeof in);
  in.op = (uint8_t) op;
  int any_ref = 0;
  for (int s = 0; s < info->arity; s++)
    {
      int ws = info->anyw >> s & 1u ? -1 : w;
      in.a[s] = randprog_operand (r, p, info->arg[s], ws, w, wide, 25);
      any_ref |= !in.a[s].is_const;
    }
  if (!any_ref && info->arity > 0)
    {
      int s = (int) an_rng_below (r, (uint64_t) info->arity);
      int ref = randprog_pick_ref (r, p, p->nin + p->ninsn, info->arg[s], info->anyw >> s & 1u ? -1 : w, wide);
      if (ref >= 0)
        in.a[s] = (dsl_operand) { 0, (uint32_t) ref, 0 };
    }
  /* All literals: the instruction takes the program's compute width.  */
  int all_const = 1;
  for (int s = 0; s < info->arity; s++)
    all_const &= in.a[s].is_const || (info->anyw >> s & 1u);
  if (all_const && (info->wrule == DSL_W_SAME || info->wrule == DSL_W_TABLE) && w != dsl_compute_wide (p->type))
    return randprog_append_op_w (r, p, op, dsl_compute_wide (p->type), wide);
  int k = dsl_prog_append (p, &in);
  if (k < 0)
    return -1;
  int iw, rw;
  if (dsl_insn_width (p, p->ninsn - 1, wide, &iw, &rw, NULL) < 0)
    return -1;
  wide[k] = (uint8_t) rw;
  return 0;
}

/* The width an instruction of OP computes in: the conversions' own, else
   the compute width, or now and then the other one where P has a float
   of it.  */
static int
randprog_width (an_rng *r, const dsl_prog *p, dsl_opcode op, const uint8_t *wide)
{
  int cw = dsl_compute_wide (p->type);
  switch (dsl_op (op)->wrule)
    {
    case DSL_W_WIDEN: case DSL_W_32: return 0;
    case DSL_W_NARROW: return 1;
    default: return an_rng_below (r, 3) == 0 && randprog_has_float (p, !cw, wide) ? !cw : cw;
    }
}

static int
randprog_append_op (an_rng *r, dsl_prog *p, dsl_opcode op, uint8_t *wide)
{
  return randprog_append_op_w (r, p, op, randprog_width (r, p, op, wide), wide);
}

/* A random opcode whose result kind is K (and, for the float output of P,
   that can make one of a width P may return: not tof64 in a float32
   program, but in a 16- or 8-bit one).  */
static dsl_opcode
randprog_op_of_kind (an_rng *r, dsl_kind k, const dsl_prog *p)
{
  for (;;)
    {
      dsl_opcode op = (dsl_opcode) an_rng_below (r, DSL_NOPS);
      dsl_wrule wr = dsl_op (op)->wrule;
      int cw = dsl_compute_wide (p->type);
      if (dsl_op (op)->result == k && !(wr == DSL_W_WIDEN && !dsl_out_width_ok (p->type, 1))
          && !((wr == DSL_W_NARROW || wr == DSL_W_32) && cw) && !(wr == DSL_W_TABLE && !dsl_out_width_ok (p->type, dsl_tab_wide (p))))
        return op;
    }
}

/* A random well-typed program of type Y, 1..3 inputs and 5..40
   instructions whose last instruction computes the float output (for a 16-
   or 8-bit type now and then a float64 one).  FORCE_OP, unless -1, occurs
   at least once.  The caller frees it; NULL if memory runs out.  */
static dsl_prog *
randprog_new_typed (an_rng *r, int force_op, dsl_type y)
{
  int nin = 1 + (int) an_rng_below (r, RANDPROG_MAXIN);
  int ninsn = RANDPROG_MININSN
              + (int) an_rng_below (r, RANDPROG_MAXINSN - RANDPROG_MININSN + 1);
  /* The forced op goes anywhere but last when it yields an integer.  */
  int at = force_op < 0 ? -1 : (int) an_rng_below (r, (uint64_t) ninsn - 1);
  /* Half the programs have a table (lut reads it; +0 without one), of 1 to 64 entries of
     either width.  */
  int ntab = an_rng_below (r, 2) ? 1 + (int) an_rng_below (r, DSL_MAXTAB) : 0;
  int tabw = (int) an_rng_below (r, 2);
  dsl_wrule fw = force_op < 0 ? DSL_W_SAME : dsl_op ((dsl_opcode) force_op)->wrule;
  int fresult = fw == DSL_W_WIDEN ? 1 : fw == DSL_W_SAME ? dsl_compute_wide (y) : fw == DSL_W_TABLE ? (ntab ? tabw : dsl_compute_wide (y)) : 0;
  if (force_op >= 0 && dsl_op ((dsl_opcode) force_op)->result == DSL_KF && an_rng_below (r, 4) == 0
      && (fw == DSL_W_SAME || (fw != DSL_W_WIDEN && dsl_out_width_ok (y, fresult))))
    at = ninsn - 1;
  dsl_prog *p = dsl_prog_new (y, nin);
  uint8_t wide[RANDPROG_MAXIN + 2 * RANDPROG_MAXINSN] = {0};
  if (!p)
    return NULL;
  p->ntab = ntab;
  p->tabw = tabw;
  for (int t = 0; t < ntab; t++)
    p->tab[t] = tabw ? randprog_f64_literal (r) : randprog_f32_literal (r);
  int cw = dsl_compute_wide (y);
  for (int j = 0; j < nin; j++)
    wide[j] = (uint8_t) cw;
  /* The output's width: the compute width, or float64 now and then where the type allows it.  */
  int ow = dsl_out_width_ok (y, 1) && an_rng_below (r, 3) == 0 ? 1 : cw;
  for (int k = 0; k < ninsn; k++)
    {
      dsl_opcode op = k == at ? (dsl_opcode) force_op
                      : k == ninsn - 1 ? randprog_op_of_kind (r, DSL_KF, p)
                      : (dsl_opcode) an_rng_below (r, DSL_NOPS);
      /* tof32 needs a float64 value: make one first where there is none.  */
      if (dsl_op (op)->wrule == DSL_W_NARROW && !randprog_has_float (p, 1, wide)
          && randprog_append_op (r, p, DSL_TOF64, wide) < 0)
        op = DSL_NOPS;
      if (k == ninsn - 1 && dsl_op (op)->wrule == DSL_W_SAME && ow && !randprog_has_float (p, 1, wide)
          && randprog_append_op (r, p, DSL_TOF64, wide) < 0)
        op = DSL_NOPS;
      int rc = op == DSL_NOPS ? -1
               : k == ninsn - 1 && dsl_op (op)->wrule == DSL_W_SAME ? randprog_append_op_w (r, p, op, ow, wide)
               : randprog_append_op (r, p, op, wide);
      if (rc < 0)
        {
          dsl_prog_free (p);
          return NULL;
        }
    }
  p->out = (uint32_t) (p->nin + p->ninsn - 1);
  return p;
}

/* A random float32 program (randprog_new_typed).  */
static dsl_prog *
randprog_new (an_rng *r, int force_op)
{
  return randprog_new_typed (r, force_op, DSL_FLOAT32);
}

/* Fills X[0..NIN-1], each of N values, with nasty inputs: first every pair
   of special values across inputs 0 and 1 (as many as fit in N/2), then a
   mix of special values, random bit patterns and random moderate values.  */
static inline void
randprog_inputs (an_rng *r, float *const *x, int nin, size_t n)
{
  const size_t ns = RANDPROG_NSPECIAL_F32;
  size_t npairs = ns * ns <= n / 2 ? ns * ns : n / 2;
  for (size_t i = 0; i < n; i++)
    for (int j = 0; j < nin; j++)
      {
        uint32_t u;
        if (i < npairs && j < 2)
          u = randprog_special_f32[j == 0 ? i % ns : (i / ns) % ns];
        else if (an_rng_below (r, 3) == 0)
          u = randprog_special_f32[an_rng_below (r, ns)];
        else
          u = randprog_f32_literal (r);
        memcpy (&x[j][i], &u, sizeof u);
      }
}

#endif
