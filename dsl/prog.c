/* prog -- program objects: creation, copying, checking, equality, dead code.  */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

int
dsl_fail (dsl_error *err, int line, int col, const char *fmt, ...)
{
  if (err)
    {
      va_list ap;
      va_start (ap, fmt);
      err->line = line;
      err->col = col;
      vsnprintf (err->msg, sizeof err->msg, fmt, ap);
      va_end (ap);
    }
  return -1;
}

int
dsl_error_set (dsl_error *err, const char *fmt, ...)
{
  if (err)
    {
      va_list ap;
      va_start (ap, fmt);
      err->line = err->col = 0;
      vsnprintf (err->msg, sizeof err->msg, fmt, ap);
      va_end (ap);
    }
  return -1;
}

int
dsl_is_result_name (const char *name)
{
  if (name[0] != 'v' || !name[1])
    return 0;
  for (const char *s = name + 1; *s; s++)
    if (!isdigit ((unsigned char) *s))
      return 0;
  return 1;
}

dsl_prog *
dsl_prog_new (dsl_type t, int nin)
{
  assert (nin >= 1 && nin <= DSL_MAXIN);
  dsl_prog *p = calloc (1, sizeof *p);
  if (!p)
    return NULL;
  p->inname = calloc (nin, sizeof *p->inname);
  if (!p->inname)
    return free (p), NULL;
  p->type = t;
  p->nin = nin;
  for (int j = 0; j < nin; j++)
    snprintf (p->inname[j], DSL_MAXNAME, nin == 1 ? "x" : "x%d", j);
  return p;
}

void
dsl_prog_free (dsl_prog *p)
{
  if (!p)
    return;
  free (p->inname);
  free (p->insn);
  free (p);
}

dsl_prog *
dsl_prog_clone (const dsl_prog *p)
{
  dsl_prog *q = malloc (sizeof *q);
  if (!q)
    return NULL;
  *q = *p;
  q->inname = malloc (p->nin * sizeof *p->inname);
  q->insn = malloc ((p->ninsn ? p->ninsn : 1) * sizeof *p->insn);
  if (!q->inname || !q->insn)
    {
      free (q->inname);
      free (q->insn);
      free (q);
      return NULL;
    }
  memcpy (q->inname, p->inname, p->nin * sizeof *p->inname);
  if (p->ninsn)
    memcpy (q->insn, p->insn, p->ninsn * sizeof *p->insn);
  q->cap = p->ninsn ? p->ninsn : 1;
  return q;
}

void
dsl_prog_set_domain (dsl_prog *p, int n, const double *lo, const double *hi)
{
  int same = 1;
  for (int j = 1; j < n; j++)
    same &= lo[j] == lo[0] && hi[j] == hi[0];
  p->has_domain = same ? 1 : n;
  for (int j = 0; j < p->has_domain; j++)
    p->domain_lo[j] = lo[j], p->domain_hi[j] = hi[j];
}

dsl_prog *
dsl_prog_bind_input (const dsl_prog *p, int j, double v)
{
  if (p->nin < 2 || j < 0 || j >= p->nin || p->out == (uint32_t) j)
    return NULL;
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  /* An input is a float of the width the type computes in.  */
  uint64_t bits;
  if (dsl_compute_wide (p->type))
    memcpy (&bits, &v, sizeof bits);
  else
    {
      float f = (float) v;
      uint32_t u;
      memcpy (&u, &f, sizeof u);
      bits = u;
    }
  for (int k = 0; k < q->ninsn; k++)
    for (int s = 0; s < dsl_op ((dsl_opcode) q->insn[k].op)->arity; s++)
      {
        dsl_operand *a = &q->insn[k].a[s];
        if (a->is_const)
          continue;
        if (a->ref == (uint32_t) j)
          a->is_const = 1, a->ref = 0, a->bits = bits;
        else if (a->ref > (uint32_t) j)
          a->ref--;
      }
  q->out -= q->out > (uint32_t) j;
  memmove (q->inname + j, q->inname + j + 1, (size_t) (q->nin - j - 1) * sizeof *q->inname);
  q->nin--;
  return q;
}

int
dsl_prog_append (dsl_prog *p, const dsl_insn *i)
{
  if (p->ninsn >= DSL_MAXINSN)
    return -1;
  if (p->ninsn == p->cap)
    {
      int cap = p->cap ? 2 * p->cap : 16;
      dsl_insn *n = realloc (p->insn, cap * sizeof *n);
      if (!n)
        return -1;
      p->insn = n;
      p->cap = cap;
    }
  p->insn[p->ninsn++] = *i;
  return p->nin + p->ninsn - 1;
}

dsl_kind
dsl_value_kind (const dsl_prog *p, uint32_t v)
{
  if (v < (uint32_t) p->nin)
    return DSL_KF;
  return dsl_op (p->insn[v - p->nin].op)->result;
}

int
dsl_prog_check (const dsl_prog *p, dsl_error *err)
{
  if (!dsl_type_supported (p->type))
    return dsl_fail (err, 0, 0, "unknown type %d", (int) p->type);
  if (p->nin < 1 || p->nin > DSL_MAXIN)
    return dsl_fail (err, 0, 0, "a program has 1 to %d inputs, not %d", DSL_MAXIN, p->nin);
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      const dsl_opinfo *o = dsl_op (i->op);
      if (!o)
        return dsl_fail (err, 0, 0, "instruction %d has no valid op (%d)", k + 1, i->op);
      for (int a = 0; a < o->arity; a++)
        {
          if (i->a[a].is_const)
            continue;
          uint32_t r = i->a[a].ref;
          if (r >= (uint32_t) (p->nin + k))
            return dsl_fail (err, 0, 0, "instruction %d (%s): operand %d refers to a value not yet defined",
                             k + 1, o->name, a + 1);
          if (dsl_value_kind (p, r) != o->arg[a])
            return dsl_fail (err, 0, 0, "instruction %d (%s): operand %d must be %s", k + 1, o->name, a + 1,
                             o->arg[a] == DSL_KF ? "a float" : "an integer");
        }
    }
  if (p->ntab < 0 || p->ntab > DSL_MAXTAB || (p->tabw != 0 && p->tabw != 1))
    return dsl_fail (err, 0, 0, "a table has 0 to %d entries of float32 or float64", DSL_MAXTAB);
  if (p->out >= (uint32_t) (p->nin + p->ninsn))
    return dsl_fail (err, 0, 0, "out refers to an undefined value");
  if (dsl_value_kind (p, p->out) != DSL_KF)
    return dsl_fail (err, 0, 0, "out must be a float value, not an integer");
  uint8_t *wide = malloc ((size_t) (p->nin + p->ninsn));
  if (!wide)
    return dsl_fail (err, 0, 0, "out of memory");
  int rc = dsl_prog_widths (p, wide, err);
  if (rc == 0 && !dsl_out_width_ok (p->type, wide[p->out]))
    rc = dsl_fail (err, 0, 0, "out must be a %s value, the type %s computes in (convert with %s)",
                   dsl_compute_wide (p->type) ? "float64" : "float32", dsl_type_name (p->type),
                   dsl_compute_wide (p->type) ? "tof64" : "tof32");
  free (wide);
  return rc;
}

int
dsl_prog_equal (const dsl_prog *a, const dsl_prog *b)
{
  if (a->type != b->type || a->nin != b->nin || a->ninsn != b->ninsn || a->out != b->out || a->ntab != b->ntab
      || (a->ntab && (a->tabw != b->tabw || memcmp (a->tab, b->tab, (size_t) a->ntab * sizeof a->tab[0]) != 0)))
    return 0;
  for (int j = 0; j < a->nin; j++)
    if (strcmp (a->inname[j], b->inname[j]) != 0)
      return 0;
  for (int k = 0; k < a->ninsn; k++)
    {
      const dsl_insn *x = &a->insn[k], *y = &b->insn[k];
      if (x->op != y->op)
        return 0;
      for (int s = 0; s < dsl_op (x->op)->arity; s++)
        {
          const dsl_operand *u = &x->a[s], *v = &y->a[s];
          if (u->is_const != v->is_const || (u->is_const ? u->bits != v->bits : u->ref != v->ref))
            return 0;
        }
    }
  return 1;
}

void
dsl_prog_strip_dead (dsl_prog *p)
{
  int nval = p->nin + p->ninsn;
  char *live = calloc (nval, 1);
  uint32_t *renum = malloc (nval * sizeof *renum);
  if (!live || !renum)
    {
      free (live);
      free (renum);
      return;   /* out of memory: leaving dead code in is harmless */
    }
  live[p->out] = 1;
  for (int k = p->ninsn - 1; k >= 0; k--)
    if (live[p->nin + k])
      for (int s = 0; s < dsl_op (p->insn[k].op)->arity; s++)
        if (!p->insn[k].a[s].is_const)
          live[p->insn[k].a[s].ref] = 1;
  for (int j = 0; j < p->nin; j++)
    renum[j] = j;
  int n = 0;
  for (int k = 0; k < p->ninsn; k++)
    {
      if (!live[p->nin + k])
        continue;
      dsl_insn i = p->insn[k];
      for (int s = 0; s < dsl_op (i.op)->arity; s++)
        if (!i.a[s].is_const)
          i.a[s].ref = renum[i.a[s].ref];
      renum[p->nin + k] = p->nin + n;
      p->insn[n++] = i;
    }
  p->out = renum[p->out];
  p->ninsn = n;
  int lut = 0;
  for (int k = 0; k < n; k++)
    lut |= p->insn[k].op == DSL_LUT;
  if (!lut)
    p->ntab = p->tabw = 0;   /* a table nothing reads is dead too */
  free (live);
  free (renum);
}

/* Order of two operands of a commutative op: values by index, then literals by bits.  */
static int
operand_after (const dsl_operand *a, const dsl_operand *b)
{
  if (a->is_const != b->is_const)
    return a->is_const;
  return a->is_const ? a->bits > b->bits : a->ref > b->ref;
}

/* asfloat (asint (v)) is v (bit for bit but for a NaN's payload and sign,
   which no op can observe: asint reads every NaN as 0x7fc00000, results are
   canonical): its uses take v instead, so that the round trip goes dead.
   (asint (asfloat (i)) is not i where i is a NaN pattern.)  A literal v replaces
   only values of the compute width (an all-literal instruction computes in
   it) read by no slot of either width.  Returns how many were bypassed.  */
/* Instruction K is asfloat (asint (v)): v, else NULL.  */
static const dsl_operand *
round_trip_source (const dsl_prog *p, int k)
{
  const dsl_insn *i = &p->insn[k];
  if (i->op != DSL_ASFLOAT || i->a[0].is_const || i->a[0].ref < (uint32_t) p->nin)
    return NULL;
  const dsl_insn *inner = &p->insn[i->a[0].ref - (uint32_t) p->nin];
  return inner->op == DSL_ASINT ? &inner->a[0] : NULL;
}

static int
bypass_round_trips (dsl_prog *p)
{
  int n = 0, any = 0;
  /* Most programs have no round trip: the widths only where one is found.  */
  for (int k = 0; k < p->ninsn && !any; k++)
    any = round_trip_source (p, k) != NULL;
  if (!any)
    return 0;
  uint8_t *wide = malloc ((size_t) (p->nin + p->ninsn) + 1);
  if (!wide || dsl_prog_widths (p, wide, NULL) < 0)
    {
      free (wide);
      return 0;
    }
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_operand *src = round_trip_source (p, k);
      if (!src)
        continue;
      dsl_operand v = *src;
      uint32_t self = (uint32_t) (p->nin + k);
      if (v.is_const && (p->out == self || wide[self] != dsl_compute_wide (p->type)))
        continue;
      int blocked = 0;
      for (int u = k + 1; u < p->ninsn && v.is_const; u++)
        for (int s = 0; s < dsl_op (p->insn[u].op)->arity; s++)
          blocked |= !p->insn[u].a[s].is_const && p->insn[u].a[s].ref == self && (dsl_op (p->insn[u].op)->anyw >> s & 1u);
      if (blocked)
        continue;
      for (int u = k + 1; u < p->ninsn; u++)
        for (int s = 0; s < dsl_op (p->insn[u].op)->arity; s++)
          if (!p->insn[u].a[s].is_const && p->insn[u].a[s].ref == self)
            p->insn[u].a[s] = v;
      if (p->out == self)
        p->out = v.ref;
      n++;
    }
  free (wide);
  return n;
}

void
dsl_prog_canonicalize (dsl_prog *p)
{
  bypass_round_trips (p);
  dsl_prog_strip_dead (p);
  for (int k = 0; k < p->ninsn; k++)
    {
      dsl_insn *i = &p->insn[k];
      if ((dsl_op (i->op)->flags & DSL_COMMUTATIVE) && operand_after (&i->a[0], &i->a[1]))
        {
          dsl_operand t = i->a[0];
          i->a[0] = i->a[1];
          i->a[1] = t;
        }
    }
}
