/* interp -- the batch interpreter: one instruction over a whole column of inputs at a time.

   Every value of the program, and every literal, owns a column of DSL_BATCH
   32-bit patterns.  An instruction is one loop over its columns with a
   constant trip count, written so that the compiler vectorises it; the loops
   use the helpers of dsl/helpers.h, the same text the C emitter exports, so
   the interpreter computes exactly what the exported C computes.  */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

struct dsl_interp {
  dsl_prog *p;
  int ncol;                 /* values, then one column per literal operand */
  uint32_t *mem;            /* ncol columns of DSL_BATCH */
  int (*argcol)[DSL_MAXARGS];
};

static uint32_t *
column (const dsl_interp *c, int k)
{
  return c->mem + (size_t) k * DSL_BATCH;
}

dsl_interp *
dsl_interp_new (const dsl_prog *p)
{
  dsl_interp *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->p = dsl_prog_clone (p);
  c->argcol = malloc ((p->ninsn ? p->ninsn : 1) * sizeof *c->argcol);
  int nconst = 0;
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
      nconst += p->insn[k].a[s].is_const;
  c->ncol = p->nin + p->ninsn + nconst;
  c->mem = aligned_alloc (64, (size_t) c->ncol * DSL_BATCH * sizeof (uint32_t));
  if (!c->p || !c->argcol || !c->mem)
    {
      dsl_interp_free (c);
      return NULL;
    }
  int next = p->nin + p->ninsn;
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
      c->argcol[k][s] = p->insn[k].a[s].is_const ? next++ : (int) p->insn[k].a[s].ref;
  dsl_interp_reload (c, p);
  return c;
}

/* Literals are broadcast here, once, not per batch.  */
void
dsl_interp_reload (dsl_interp *c, const dsl_prog *p)
{
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
      if (p->insn[k].a[s].is_const)
        {
          uint32_t *col = column (c, c->argcol[k][s]), v = (uint32_t) p->insn[k].a[s].bits;
          c->p->insn[k].a[s].bits = v;
          for (int i = 0; i < DSL_BATCH; i++)
            col[i] = v;
        }
}

void
dsl_interp_free (dsl_interp *c)
{
  if (!c)
    return;
  dsl_prog_free (c->p);
  free (c->argcol);
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
    default: assert (!"op missing from the interpreter"); break;
    }
}

void
dsl_interp_run (dsl_interp *c, size_t n, const void *const *in, void *out)
{
  const dsl_prog *p = c->p;
  for (size_t off = 0; off < n; off += DSL_BATCH)
    {
      size_t m = n - off < DSL_BATCH ? n - off : DSL_BATCH;
      for (int j = 0; j < p->nin; j++)
        {
          uint32_t *col = column (c, j);
          memcpy (col, (const uint32_t *) in[j] + off, m * sizeof *col);
          for (size_t i = m; i < DSL_BATCH; i++)
            col[i] = col[0];   /* a short last batch computes on copies, never on garbage */
        }
      for (int k = 0; k < p->ninsn; k++)
        {
          const int *ac = c->argcol[k];
          int arity = dsl_op (p->insn[k].op)->arity;
          exec_insn ((dsl_opcode) p->insn[k].op, column (c, p->nin + k), column (c, ac[0]),
                     arity > 1 ? column (c, ac[1]) : NULL, arity > 2 ? column (c, ac[2]) : NULL);
        }
      const uint32_t *res = column (c, (int) p->out);
      for (size_t i = 0; i < m; i++)
        ((uint32_t *) out)[off + i] = an_u32 (an_result (an_f32 (res[i])));
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
