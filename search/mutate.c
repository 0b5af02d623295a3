/* mutate -- new programs from old: insert, delete, replace, rewire, perturb a constant, graft.

   Every operator returns a new, checked program with dead code removed, or
   NULL when it found nothing to do (the caller draws another).  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/ulp.h"
#include "search/search.h"
#include "search/internal.h"

/* A literal of kind K: floats from the constants numerical code is made of,
   integers from the bit-level idioms (exponent shift, bias, masks).  */
static dsl_operand
random_literal (an_rng *r, dsl_kind k)
{
  static const float fl[] = {0.5f, 1.0f, 2.0f, -1.0f, 0x1.715476p+0f, 0x1.62e43p-1f, 0x1.8p23f, 0.25f, 3.0f};
  static const int32_t il[] = {1, 23, 31, 127, 0x3f800000, 0x7fffff, 0x7f800000, -1, 2};
  dsl_operand a = {1, 0, 0};
  if (k == DSL_KF)
    {
      float f = fl[an_rng_below (r, sizeof fl / sizeof fl[0])];
      if (an_rng_below (r, 2))
        f = (float) ((an_rng_unit (r) * 2 - 1) * ldexp (1.0, (int) an_rng_below (r, 12) - 8));
      a.bits = eval_f32_bits (f);
    }
  else
    a.bits = (uint32_t) il[an_rng_below (r, sizeof il / sizeof il[0])];
  return a;
}

/* An operand of kind K for an instruction placed where values 0..NVAL-1 exist.  */
static dsl_operand
random_operand (const dsl_prog *p, int nval, dsl_kind k, an_rng *r)
{
  int cand[256], n = 0;
  for (int v = nval - 1; v >= 0 && n < 256; v--)
    if (dsl_value_kind (p, (uint32_t) v) == k)
      cand[n++] = v;
  if (n == 0 || an_rng_below (r, 4) == 0)
    return random_literal (r, k);
  /* Favour recent values: chains are what numerical code is made of.  */
  int pick = (int) an_rng_below (r, n);
  if (an_rng_below (r, 2))
    pick = (int) an_rng_below (r, n < 3 ? n : 3);
  dsl_operand a = {0, (uint32_t) cand[pick], 0};
  return a;
}

static int
random_op (an_rng *r, uint64_t allowed, int want_result, dsl_kind result)
{
  int ops[DSL_NOPS], n = 0;
  for (int i = 0; i < DSL_NOPS; i++)
    if ((allowed >> i & 1) && (!want_result || dsl_op ((dsl_opcode) i)->result == result))
      ops[n++] = i;
  return n ? ops[an_rng_below (r, n)] : -1;
}

/* Finishes a candidate: dead code out, checked, size limit.  */
static dsl_prog *
finish (dsl_prog *q, int max_insn)
{
  if (!q)
    return NULL;
  dsl_error e;
  if (dsl_prog_check (q, &e) < 0)
    {
      dsl_prog_free (q);
      return NULL;
    }
  dsl_prog_strip_dead (q);
  if (q->ninsn > max_insn)
    {
      dsl_prog_free (q);
      return NULL;
    }
  return q;
}

dsl_prog *
search_insert_block (const dsl_prog *p, int at, const dsl_insn *block, int n)
{
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  q->ninsn = 0;
  uint32_t first = (uint32_t) (p->nin + at);
  int ok = 1;
  for (int k = 0; k < at; k++)
    ok &= dsl_prog_append (q, &p->insn[k]) >= 0;
  for (int j = 0; j < n; j++)
    ok &= dsl_prog_append (q, &block[j]) >= 0;
  if (!ok)
    {
      dsl_prog_free (q);
      return NULL;
    }
  for (int k = at; k < p->ninsn; k++)
    {
      dsl_insn i = p->insn[k];
      for (int s = 0; s < DSL_MAXARGS; s++)
        if (!i.a[s].is_const && i.a[s].ref >= first && s < dsl_op (i.op)->arity)
          i.a[s].ref += (uint32_t) n;
      if (dsl_prog_append (q, &i) < 0)
        {
          dsl_prog_free (q);
          return NULL;
        }
    }
  if (p->out >= first)
    q->out = p->out + (uint32_t) n;
  return q;
}

/* Use sites (instruction, slot) after value V that take kind K.  */
static int
use_sites (const dsl_prog *p, int from_insn, dsl_kind k, int (*site)[2], int max)
{
  int n = 0;
  for (int i = from_insn; i < p->ninsn && n < max; i++)
    {
      const dsl_opinfo *o = dsl_op (p->insn[i].op);
      for (int s = 0; s < o->arity && n < max; s++)
        if (o->arg[s] == k)
          site[n][0] = i, site[n][1] = s, n++;
    }
  return n;
}

static dsl_prog *
mut_insert (const dsl_prog *p, an_rng *r, uint64_t allowed, int max_insn)
{
  if (p->ninsn >= max_insn)
    return NULL;
  int at = (int) an_rng_below (r, (uint64_t) p->ninsn + 1);
  int op = random_op (r, allowed, 0, DSL_KF);
  if (op < 0)
    return NULL;
  const dsl_opinfo *o = dsl_op ((dsl_opcode) op);
  dsl_insn i;
  memset (&i, 0, sizeof i);
  i.op = (uint8_t) op;
  for (int s = 0; s < o->arity; s++)
    i.a[s] = random_operand (p, p->nin + at, o->arg[s], r);
  dsl_prog *q = search_insert_block (p, at, &i, 1);
  if (!q)
    return NULL;
  /* Use the new value: one later operand of its kind, or the output.  */
  uint32_t v = (uint32_t) (p->nin + at);
  int site[512][2];
  int n = use_sites (q, at + 1, o->result, site, 512);
  if (o->result == DSL_KF && (n == 0 || an_rng_below (r, 6) == 0))
    q->out = v;
  else if (n > 0)
    {
      int pick = (int) an_rng_below (r, n);
      q->insn[site[pick][0]].a[site[pick][1]] = (dsl_operand){0, v, 0};
    }
  return q;
}

static dsl_prog *
mut_delete (const dsl_prog *p, an_rng *r)
{
  if (p->ninsn <= 1)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  uint32_t v = (uint32_t) (p->nin + k);
  dsl_kind kind = dsl_op (p->insn[k].op)->result;
  /* Its uses take over one of its own operands of the same kind, else a nearby value.  */
  dsl_operand repl = {1, 0, 0};
  const dsl_opinfo *o = dsl_op (p->insn[k].op);
  int found = 0;
  for (int s = 0; s < o->arity && !found; s++)
    if (o->arg[s] == kind)
      repl = p->insn[k].a[s], found = 1;
  if (!found)
    repl = random_operand (p, (int) v, kind, r);
  if (!repl.is_const && repl.ref == v)
    return NULL;
  if (p->out == v && repl.is_const)
    return NULL;
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  q->ninsn = 0;
  for (int i = 0; i < p->ninsn; i++)
    {
      if (i == k)
        continue;
      dsl_insn ins = p->insn[i];
      for (int s = 0; s < dsl_op (ins.op)->arity; s++)
        if (!ins.a[s].is_const)
          {
            if (ins.a[s].ref == v)
              ins.a[s] = repl;
            else if (ins.a[s].ref > v)
              ins.a[s].ref--;
          }
      dsl_prog_append (q, &ins);
    }
  q->out = p->out == v ? repl.ref : p->out > v ? p->out - 1 : p->out;
  return q;
}

static dsl_prog *
mut_replace_op (const dsl_prog *p, an_rng *r, uint64_t allowed)
{
  if (p->ninsn == 0)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  const dsl_opinfo *old = dsl_op (p->insn[k].op);
  int op = random_op (r, allowed, 1, old->result);
  if (op < 0 || op == p->insn[k].op)
    return NULL;
  const dsl_opinfo *o = dsl_op ((dsl_opcode) op);
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  dsl_insn *i = &q->insn[k];
  dsl_insn was = *i;
  memset (i, 0, sizeof *i);
  i->op = (uint8_t) op;
  for (int s = 0; s < o->arity; s++)
    i->a[s] = s < old->arity && old->arg[s] == o->arg[s] ? was.a[s] : random_operand (p, p->nin + k, o->arg[s], r);
  return q;
}

static dsl_prog *
mut_rewire (const dsl_prog *p, an_rng *r)
{
  if (p->ninsn == 0)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  const dsl_opinfo *o = dsl_op (p->insn[k].op);
  int s = (int) an_rng_below (r, o->arity);
  dsl_prog *q = dsl_prog_clone (p);
  if (q)
    q->insn[k].a[s] = random_operand (p, p->nin + k, o->arg[s], r);
  return q;
}

static dsl_prog *
mut_perturb (const dsl_prog *p, an_rng *r)
{
  int site[512][2], n = 0;
  for (int k = 0; k < p->ninsn && n < 512; k++)
    for (int s = 0; s < dsl_op (p->insn[k].op)->arity && n < 512; s++)
      if (p->insn[k].a[s].is_const)
        site[n][0] = k, site[n][1] = s, n++;
  if (n == 0)
    return NULL;
  int pick = (int) an_rng_below (r, n);
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  dsl_operand *a = &q->insn[site[pick][0]].a[site[pick][1]];
  if (dsl_op (q->insn[site[pick][0]].op)->arg[site[pick][1]] == DSL_KI)
    a->bits = (uint32_t) a->bits + (uint32_t) an_rng_below (r, 9) - 4u;   /* wraps, like the ops */
  else
    {
      float f = eval_f32_from_bits ((uint32_t) a->bits);
      double scale = ldexp (1.0, -(int) an_rng_below (r, 20) - 2);
      f = (float) (f * (1 + scale * (an_rng_unit (r) * 2 - 1)));
      if (f == 0)
        f = (float) ldexp (an_rng_below (r, 2) ? 1.0 : -1.0, -(int) an_rng_below (r, 24));
      else if (f == eval_f32_from_bits ((uint32_t) a->bits))
        f = eval_f32_from_bits ((uint32_t) a->bits + (an_rng_below (r, 2) ? 1u : -1u));   /* same sign: never crosses zero */
      if (!isfinite (f))
        {
          dsl_prog_free (q);
          return NULL;
        }
      a->bits = eval_f32_bits (f);
    }
  return q;
}

dsl_prog *
search_mutate (const dsl_prog *p, an_rng *r, uint64_t allowed, int max_insn, const char **what)
{
  for (int tries = 0; tries < 20; tries++)
    {
      dsl_prog *q = NULL;
      switch (an_rng_below (r, 10))
        {
        case 0: case 1: q = mut_insert (p, r, allowed, max_insn), *what = "insert"; break;
        case 2: case 3: q = mut_delete (p, r), *what = "delete"; break;
        case 4: q = mut_replace_op (p, r, allowed), *what = "replace"; break;
        case 5: case 6: q = mut_rewire (p, r), *what = "rewire"; break;
        default: q = mut_perturb (p, r), *what = "perturb"; break;
        }
      q = finish (q, max_insn);
      if (q && !dsl_prog_equal (p, q))
        return q;
      dsl_prog_free (q);
    }
  return NULL;
}

/* Copies the computation of B's value VB in front of A's instruction AT and
   feeds it to one float operand there (or to A's output).  */
dsl_prog *
search_crossover (const dsl_prog *a, const dsl_prog *b, an_rng *r, int max_insn)
{
  if (a->nin != b->nin || b->ninsn == 0)
    return NULL;
  int fl[1024], nf = 0;
  for (int k = 0; k < b->ninsn && nf < 1024; k++)
    if (dsl_op (b->insn[k].op)->result == DSL_KF)
      fl[nf++] = k;
  if (nf == 0)
    return NULL;
  int kb = fl[an_rng_below (r, nf)];
  char *need = calloc (b->ninsn, 1);
  int *map = malloc (b->ninsn * sizeof *map);
  dsl_insn *block = malloc ((b->ninsn + 1) * sizeof *block);
  dsl_prog *q = NULL;
  if (!need || !map || !block)
    goto out;
  need[kb] = 1;
  for (int k = kb; k >= 0; k--)
    if (need[k])
      for (int s = 0; s < dsl_op (b->insn[k].op)->arity; s++)
        if (!b->insn[k].a[s].is_const && b->insn[k].a[s].ref >= (uint32_t) b->nin)
          need[b->insn[k].a[s].ref - b->nin] = 1;
  int at = (int) an_rng_below (r, (uint64_t) a->ninsn + 1), n = 0;
  for (int k = 0; k <= kb; k++)
    {
      if (!need[k])
        continue;
      dsl_insn i = b->insn[k];
      for (int s = 0; s < dsl_op (i.op)->arity; s++)
        if (!i.a[s].is_const && i.a[s].ref >= (uint32_t) b->nin)
          i.a[s].ref = (uint32_t) map[i.a[s].ref - b->nin];
      map[k] = a->nin + at + n;
      block[n++] = i;
    }
  q = search_insert_block (a, at, block, n);
  if (!q)
    goto out;
  uint32_t v = (uint32_t) (a->nin + at + n - 1);
  int site[512][2];
  int ns = use_sites (q, at + n, DSL_KF, site, 512);
  if (ns == 0 || an_rng_below (r, 4) == 0)
    q->out = v;
  else
    {
      int pick = (int) an_rng_below (r, ns);
      q->insn[site[pick][0]].a[site[pick][1]] = (dsl_operand){0, v, 0};
    }
  q = finish (q, max_insn);
out:
  free (need);
  free (map);
  free (block);
  return q;
}

int
search_parse_ops (const char *text, uint64_t *mask, dsl_error *err)
{
  uint64_t all = (UINT64_C (1) << DSL_NOPS) - 1, m = 0;
  int negative = text[0] == '-';
  if (negative)
    m = all;
  const char *s = text;
  while (*s)
    {
      size_t n = strcspn (s, ",");
      char name[32];
      int neg = s[0] == '-';
      if (n - neg == 0 || n - neg >= sizeof name)
        return dsl_error_set (err, "--ops: empty or overlong op name in '%s'", text);
      memcpy (name, s + neg, n - neg);
      name[n - neg] = '\0';
      if (neg != negative)
        return dsl_error_set (err, "--ops: list ops to use (add,mul) or ops to drop (-mul,-div), not both");
      int op = dsl_op_lookup (name);
      if (op < 0)
        return dsl_error_set (err, "--ops: unknown op '%s' (see 'autonum ops')", name);
      m = negative ? m & ~(UINT64_C (1) << op) : m | UINT64_C (1) << op;
      s += n + (s[n] == ',');
    }
  *mask = m;
  return 0;
}
