/* interp -- the batch interpreter: one instruction over a whole column of inputs at a time.

   Every value of the program, and every literal, owns a column of DSL_BATCH
   slots of 64 bits; a 32-bit value uses the first half of its column as
   DSL_BATCH 32-bit patterns.  An instruction is one loop over its columns
   with a constant trip count, written so that the compiler vectorises it;
   the loops use the helpers of dsl/helpers.h and dsl/convert.h, the same
   text the C emitter exports, so the interpreter computes exactly what the
   exported C computes.  Inputs arrive in the program type's storage
   (float, double, or the bit patterns of the 16- and 8-bit types, decoded
   exactly into float32) and the result leaves in it (rounded once into the
   narrow types).  */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

struct dsl_interp {
  dsl_prog *p;
  int ncol;                 /* values, one column per literal operand, one per converted operand */
  uint64_t *mem;            /* ncol columns of DSL_BATCH */
  int (*argcol)[DSL_MAXARGS];
  int (*conv)[DSL_MAXARGS]; /* the column an operand of the other width is read into, or -1 */
  uint8_t *wide;            /* per value: 1 for 64 bits */
  uint8_t *w;               /* per instruction: the width it computes in */
};

static uint64_t *
col64 (const dsl_interp *c, int k)
{
  return c->mem + (size_t) k * DSL_BATCH;
}

static uint32_t *
col32 (const dsl_interp *c, int k)
{
  return (uint32_t *) (void *) col64 (c, k);
}

dsl_interp *
dsl_interp_new (const dsl_prog *p)
{
  dsl_interp *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  int n = p->ninsn ? p->ninsn : 1;
  c->p = dsl_prog_clone (p);
  c->argcol = malloc ((size_t) n * sizeof *c->argcol);
  c->conv = malloc ((size_t) n * sizeof *c->conv);
  c->wide = malloc ((size_t) (p->nin + p->ninsn));
  c->w = malloc ((size_t) n);
  if (!c->p || !c->argcol || !c->conv || !c->wide || !c->w || dsl_prog_widths (p, c->wide, NULL) < 0)
    {
      dsl_interp_free (c);
      return NULL;
    }
  int extra = 0;
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_opinfo *o = dsl_op (p->insn[k].op);
      int w, rw;
      dsl_insn_width (p, k, c->wide, &w, &rw, NULL);
      c->w[k] = (uint8_t) w;
      for (int s = 0; s < o->arity; s++)
        {
          const dsl_operand *a = &p->insn[k].a[s];
          c->conv[k][s] = -1;
          if (a->is_const)
            extra++;
          else if ((o->anyw >> s & 1u) && c->wide[a->ref] != w)
            c->conv[k][s] = extra++;   /* renumbered below */
        }
    }
  c->ncol = p->nin + p->ninsn + extra;
  c->mem = aligned_alloc (64, (size_t) (c->ncol ? c->ncol : 1) * DSL_BATCH * sizeof (uint64_t));
  if (!c->mem)
    {
      dsl_interp_free (c);
      return NULL;
    }
  int next = p->nin + p->ninsn;
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
      {
        const dsl_operand *a = &p->insn[k].a[s];
        if (a->is_const)
          c->argcol[k][s] = next++;
        else if (c->conv[k][s] >= 0)
          c->argcol[k][s] = c->conv[k][s] = next++;
        else
          c->argcol[k][s] = (int) a->ref;
      }
  dsl_interp_reload (c, p);
  return c;
}

/* Literals are broadcast here, once, not per batch, in the width of their slot.  */
void
dsl_interp_reload (dsl_interp *c, const dsl_prog *p)
{
  memcpy (c->p->tab, p->tab, sizeof p->tab);
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
      if (p->insn[k].a[s].is_const)
        {
          uint64_t v = p->insn[k].a[s].bits;
          c->p->insn[k].a[s].bits = v;
          if (c->w[k])
            {
              uint64_t *col = col64 (c, c->argcol[k][s]);
              for (int i = 0; i < DSL_BATCH; i++)
                col[i] = v;
            }
          else
            {
              uint32_t *col = col32 (c, c->argcol[k][s]), v32 = (uint32_t) v;
              for (int i = 0; i < DSL_BATCH; i++)
                col[i] = v32;
            }
        }
}

void
dsl_interp_free (dsl_interp *c)
{
  if (!c)
    return;
  dsl_prog_free (c->p);
  free (c->argcol);
  free (c->conv);
  free (c->wide);
  free (c->w);
  free (c->mem);
  free (c);
}

#define LOOP(expr)                                                                                                   \
  do                                                                                                                 \
    {                                                                                                                \
      for (int i = 0; i < DSL_BATCH; i++)                                                                            \
        r[i] = (expr);                                                                                               \
    }                                                                                                                \
  while (0)
#define FA an_f32 (a[i])
#define FB an_f32 (b[i])
#define FC an_f32 (d[i])

static void
exec_insn (dsl_opcode op, uint32_t *restrict r, const uint32_t *restrict a, const uint32_t *restrict b,
           const uint32_t *restrict d)
{
  switch (op)
    {
    case DSL_ADD: LOOP (an_u32 (FA + FB)); break;
    case DSL_SUB: LOOP (an_u32 (FA - FB)); break;
    case DSL_MUL: LOOP (an_u32 (FA * FB)); break;
    case DSL_DIV: LOOP (an_u32 (FA / FB)); break;
    case DSL_FMA: LOOP (an_u32 (fmaf (FA, FB, FC))); break;
    case DSL_NEG: LOOP (a[i] ^ 0x80000000u); break;
    case DSL_ABS: LOOP (a[i] & 0x7fffffffu); break;
    case DSL_MIN: LOOP (an_u32 (an_minf (FA, FB))); break;
    case DSL_MAX: LOOP (an_u32 (an_maxf (FA, FB))); break;
    case DSL_SQRT: LOOP (an_u32 (sqrtf (FA))); break;
    case DSL_RINT: LOOP (an_u32 (an_rintf (FA))); break;
    case DSL_FLOOR: LOOP (an_u32 (an_floorf (FA))); break;
    case DSL_ASINT: LOOP (an_asint (FA)); break;
    case DSL_ASFLOAT: LOOP (a[i]); break;
    case DSL_TOINT: LOOP (an_toint (FA)); break;
    case DSL_TOFLOAT: LOOP (an_u32 (an_tofloat (a[i]))); break;
    case DSL_IADD: LOOP (a[i] + b[i]); break;
    case DSL_ISUB: LOOP (a[i] - b[i]); break;
    case DSL_SHL: LOOP (a[i] << (b[i] & 31)); break;
    case DSL_SHR: LOOP (an_sar (a[i], b[i])); break;
    case DSL_AND: LOOP (a[i] & b[i]); break;
    case DSL_OR: LOOP (a[i] | b[i]); break;
    case DSL_XOR: LOOP (a[i] ^ b[i]); break;
    case DSL_LDEXP: LOOP (an_u32 (an_ldexpf (FA, b[i]))); break;
    case DSL_LT: LOOP (FA < FB ? 0xffffffffu : 0u); break;
    case DSL_LE: LOOP (FA <= FB ? 0xffffffffu : 0u); break;
    case DSL_SELECT: LOOP (a[i] ? b[i] : d[i]); break;
    case DSL_EXP: LOOP (an_u32 (expf (FA))); break;
    case DSL_LOG: LOOP (an_u32 (logf (FA))); break;
    case DSL_LOG1P: LOOP (an_u32 (log1pf (FA))); break;
    case DSL_ERF: LOOP (an_u32 (erff (FA))); break;
    case DSL_LGAMMA: LOOP (an_u32 (lgammaf_r (FA, &(int) {0}))); break;
    case DSL_TOBF16: LOOP (an_u32 (an_bf16_round (FA))); break;
    case DSL_TOF16: LOOP (an_u32 (an_f16_round (FA))); break;
    case DSL_TOE4M3: LOOP (an_u32 (an_e4m3_round (FA))); break;
    case DSL_TOE5M2: LOOP (an_u32 (an_e5m2_round (FA))); break;
    default: assert (!"op missing from the interpreter (32 bits)"); break;
    }
}

#define DA an_f64 (a[i])
#define DB an_f64 (b[i])
#define DC an_f64 (d[i])

static void
exec_insn64 (dsl_opcode op, uint64_t *restrict r, const uint64_t *restrict a, const uint64_t *restrict b,
             const uint64_t *restrict d)
{
  switch (op)
    {
    case DSL_ADD: LOOP (an_u64 (DA + DB)); break;
    case DSL_SUB: LOOP (an_u64 (DA - DB)); break;
    case DSL_MUL: LOOP (an_u64 (DA * DB)); break;
    case DSL_DIV: LOOP (an_u64 (DA / DB)); break;
    case DSL_FMA: LOOP (an_u64 (fma (DA, DB, DC))); break;
    case DSL_NEG: LOOP (a[i] ^ UINT64_C (0x8000000000000000)); break;
    case DSL_ABS: LOOP (a[i] & UINT64_C (0x7fffffffffffffff)); break;
    case DSL_MIN: LOOP (an_u64 (an_mind (DA, DB))); break;
    case DSL_MAX: LOOP (an_u64 (an_maxd (DA, DB))); break;
    case DSL_SQRT: LOOP (an_u64 (sqrt (DA))); break;
    case DSL_RINT: LOOP (an_u64 (an_rintd (DA))); break;
    case DSL_FLOOR: LOOP (an_u64 (an_floord (DA))); break;
    case DSL_ASINT: LOOP (an_asint64 (DA)); break;
    case DSL_ASFLOAT: LOOP (a[i]); break;
    case DSL_TOINT: LOOP (an_toint64 (DA)); break;
    case DSL_TOFLOAT: LOOP (an_u64 (an_tofloat64 (a[i]))); break;
    case DSL_IADD: LOOP (a[i] + b[i]); break;
    case DSL_ISUB: LOOP (a[i] - b[i]); break;
    case DSL_SHL: LOOP (a[i] << (b[i] & 63)); break;
    case DSL_SHR: LOOP (an_sar64 (a[i], b[i])); break;
    case DSL_AND: LOOP (a[i] & b[i]); break;
    case DSL_OR: LOOP (a[i] | b[i]); break;
    case DSL_XOR: LOOP (a[i] ^ b[i]); break;
    case DSL_LDEXP: LOOP (an_u64 (an_ldexpd64 (DA, b[i]))); break;
    case DSL_LT: LOOP (DA < DB ? ~UINT64_C (0) : 0u); break;
    case DSL_LE: LOOP (DA <= DB ? ~UINT64_C (0) : 0u); break;
    case DSL_SELECT: LOOP (a[i] ? b[i] : d[i]); break;
    case DSL_EXP: LOOP (an_u64 (exp (DA))); break;
    case DSL_LOG: LOOP (an_u64 (log (DA))); break;
    case DSL_LOG1P: LOOP (an_u64 (log1p (DA))); break;
    case DSL_ERF: LOOP (an_u64 (erf (DA))); break;
    case DSL_LGAMMA: LOOP (an_u64 (lgamma_r (DA, &(int) {0}))); break;
    default: assert (!"op missing from the interpreter (64 bits)"); break;
    }
}

/* Instruction K over the batch.  */
static void
exec (dsl_interp *c, int k)
{
  const dsl_prog *p = c->p;
  const dsl_insn *in = &p->insn[k];
  dsl_opcode op = (dsl_opcode) in->op;
  const int *ac = c->argcol[k];
  int arity = dsl_op (op)->arity, w = c->w[k], res = p->nin + k;
  /* Integers of the other width, read in this one (ldexp's exponent, select's mask).  */
  for (int s = 0; s < arity; s++)
    if (c->conv[k][s] >= 0)
      {
        int from = (int) in->a[s].ref;
        if (w)
          {
            uint64_t *r = col64 (c, ac[s]);
            const uint32_t *a = col32 (c, from);
            LOOP (an_widen_int (a[i]));
          }
        else
          {
            uint32_t *r = col32 (c, ac[s]);
            const uint64_t *a = col64 (c, from);
            LOOP (an_narrow_int (a[i]));
          }
      }
  if (op == DSL_LUT)
    {
      /* The index (a + b) mod 2^32 mod n, then the entries (of the table's width).  */
      uint32_t n = p->ntab ? (uint32_t) p->ntab : 1, idx[DSL_BATCH];
      uint64_t t[DSL_MAXTAB];
      for (uint32_t j = 0; j < n; j++)
        t[j] = p->ntab ? p->tab[j] : 0;
      if (w)
        {
          const uint64_t *a = col64 (c, ac[0]), *b = col64 (c, ac[1]);
          uint32_t *r = idx;
          LOOP ((uint32_t) (a[i] + b[i]));
        }
      else
        {
          const uint32_t *a = col32 (c, ac[0]), *b = col32 (c, ac[1]);
          uint32_t *r = idx;
          LOOP (a[i] + b[i]);
        }
      if ((n & (n - 1)) == 0)
        for (int i = 0; i < DSL_BATCH; i++)
          idx[i] &= n - 1;
      else
        for (int i = 0; i < DSL_BATCH; i++)
          idx[i] %= n;
      if (dsl_tab_wide (p))
        {
          uint64_t *r = col64 (c, res);
          LOOP (t[idx[i]]);
        }
      else
        {
          uint32_t *r = col32 (c, res);
          LOOP ((uint32_t) t[idx[i]]);
        }
    }
  else if (op == DSL_TOF64)
    {
      uint64_t *r = col64 (c, res);
      const uint32_t *a = col32 (c, ac[0]);
      LOOP (an_u64 ((double) FA));
    }
  else if (op == DSL_TOF32)
    {
      uint32_t *r = col32 (c, res);
      const uint64_t *a = col64 (c, ac[0]);
      LOOP (an_u32 ((float) DA));
    }
  else if (w)
    exec_insn64 (op, col64 (c, res), col64 (c, ac[0]), arity > 1 ? col64 (c, ac[1]) : NULL,
                 arity > 2 ? col64 (c, ac[2]) : NULL);
  else
    exec_insn (op, col32 (c, res), col32 (c, ac[0]), arity > 1 ? col32 (c, ac[1]) : NULL,
               arity > 2 ? col32 (c, ac[2]) : NULL);
}

/* M inputs of the type's storage into the compute type's column; a short
   last batch computes on copies of the first value, never on garbage.  */
static void
load_input (const dsl_interp *c, int j, const void *in, size_t off, size_t m)
{
  const dsl_typeinfo *ti = dsl_type_info (c->p->type);
  if (ti->bits == 64)
    {
      uint64_t *col = col64 (c, j);
      memcpy (col, (const uint64_t *) in + off, m * sizeof *col);
      for (size_t i = m; i < DSL_BATCH; i++)
        col[i] = col[0];
      return;
    }
  uint32_t *col = col32 (c, j);
  if (ti->bits == 32)
    memcpy (col, (const uint32_t *) in + off, m * sizeof (uint32_t));
  else if (ti->bits == 16)
    for (size_t i = 0; i < m; i++)
      col[i] = an_u32 (ti->decode (((const uint16_t *) in)[off + i]));
  else
    for (size_t i = 0; i < m; i++)
      col[i] = an_u32 (ti->decode (((const uint8_t *) in)[off + i]));
  for (size_t i = m; i < DSL_BATCH; i++)
    col[i] = col[0];
}

/* The result column into the type's storage: NaN canonicalised, or rounded once into a narrow type.  */
static void
store_output (const dsl_interp *c, void *out, size_t off, size_t m)
{
  int res = (int) c->p->out;
  const dsl_typeinfo *ti = dsl_type_info (c->p->type);
  if (ti->bits == 64)
    {
      const uint64_t *col = col64 (c, res);
      for (size_t i = 0; i < m; i++)
        ((uint64_t *) out)[off + i] = an_u64 (an_result64 (an_f64 (col[i])));
      return;
    }
  if (c->wide[res] && ti->bits == 32)
    {
      /* A float64 result of float32: rounded once.  */
      const uint64_t *col = col64 (c, res);
      for (size_t i = 0; i < m; i++)
        ((uint32_t *) out)[off + i] = an_u32 (an_result ((float) an_f64 (col[i])));
      return;
    }
  if (c->wide[res])
    {
      /* A float64 result of a narrow type: rounded once, through float32 rounded to odd.  */
      const uint64_t *col = col64 (c, res);
      for (size_t i = 0; i < m; i++)
        {
          uint32_t b = ti->encode (an_round_odd32 (an_f64 (col[i])));
          if (ti->bits == 16)
            ((uint16_t *) out)[off + i] = (uint16_t) b;
          else
            ((uint8_t *) out)[off + i] = (uint8_t) b;
        }
      return;
    }
  const uint32_t *col = col32 (c, res);
  if (ti->bits == 32)
    for (size_t i = 0; i < m; i++)
      ((uint32_t *) out)[off + i] = an_u32 (an_result (an_f32 (col[i])));
  else if (ti->bits == 16)
    for (size_t i = 0; i < m; i++)
      ((uint16_t *) out)[off + i] = (uint16_t) ti->encode (an_f32 (col[i]));
  else
    for (size_t i = 0; i < m; i++)
      ((uint8_t *) out)[off + i] = (uint8_t) ti->encode (an_f32 (col[i]));
}

/* The program on the M points of IN from OFF on, into the columns.  */
static void
run_batch (dsl_interp *c, const void *const *in, size_t off, size_t m)
{
  for (int j = 0; j < c->p->nin; j++)
    load_input (c, j, in[j], off, m);
  for (int k = 0; k < c->p->ninsn; k++)
    exec (c, k);
}

void
dsl_interp_run (dsl_interp *c, size_t n, const void *const *in, void *out)
{
  for (size_t off = 0; off < n; off += DSL_BATCH)
    {
      size_t m = n - off < DSL_BATCH ? n - off : DSL_BATCH;
      run_batch (c, in, off, m);
      store_output (c, out, off, m);
    }
}

void
dsl_interp_run_f64 (dsl_interp *c, size_t n, const void *const *in, double *out)
{
  int res = (int) c->p->out;
  dsl_type y = c->p->type;
  /* The type's storage of one batch, for results stored as dsl_interp_run stores them.  */
  uint64_t stored[DSL_BATCH];
  for (size_t off = 0; off < n; off += DSL_BATCH)
    {
      size_t m = n - off < DSL_BATCH ? n - off : DSL_BATCH;
      run_batch (c, in, off, m);
      if (c->wide[res] && !dsl_compute_wide (y))
        {
          const uint64_t *col = col64 (c, res);
          for (size_t i = 0; i < m; i++)
            out[off + i] = an_result64 (an_f64 (col[i]));
        }
      else
        {
          store_output (c, stored, 0, m);
          for (size_t i = 0; i < m; i++)
            out[off + i] = dsl_value_of_bits (y, dsl_bits_at (y, stored, i));
        }
    }
}

int
dsl_run (const dsl_prog *p, size_t n, const void *const *in, void *out)
{
  dsl_interp *c = dsl_interp_new (p);
  if (!c)
    return -1;
  dsl_interp_run (c, n, in, out);
  dsl_interp_free (c);
  return 0;
}
