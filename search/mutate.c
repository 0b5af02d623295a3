/* mutate -- new programs from old: insert, delete, replace, rewire, perturb a constant, a
   polynomial's degree up or down, structural rewrites (a reduction, a symmetry, a regime, a
   rational form, pieces, a composition), graft.

   Every operator returns a new, checked program with dead code removed, or
   NULL when it found nothing to do (the caller draws another).  Values have
   widths (32 or 64 bits, dsl_prog_widths): operands are drawn among values of
   the width their slot takes, so mixed-precision programs stay consistent.  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/ulp.h"
#include "search/search.h"
#include "search/internal.h"

/* The widths of P's values (malloc'd; NULL if memory runs out or P is inconsistent).  */
static uint8_t *
widths_of (const dsl_prog *p)
{
  uint8_t *w = malloc ((size_t) (p->nin + p->ninsn) + 1);
  if (w && dsl_prog_widths (p, w, NULL) < 0)
    {
      free (w);
      return NULL;
    }
  return w;
}

/* A literal of kind K and width W: floats from the constants numerical code
   is made of, integers from the bit-level idioms of the width's format
   (exponent shift, bias, masks).  */
static dsl_operand
random_literal (an_rng *r, dsl_kind k, int w)
{
  const dsl_typeinfo *t = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32);
  int m = t->p - 1;
  dsl_operand a = {1, 0, 0};
  if (k == DSL_KF)
    {
      const double fl[] = {0.5, 1.0, 2.0, -1.0, 0x1.71547652b82fep+0, 0x1.62e42fefa39efp-1, ldexp (1.5, m), 0.25, 3.0};
      double f = fl[an_rng_below (r, sizeof fl / sizeof fl[0])];
      if (an_rng_below (r, 2))
        f = (an_rng_unit (r) * 2 - 1) * ldexp (1.0, (int) an_rng_below (r, 12) - 8);
      a.bits = eval_width_bits (f, w);
    }
  else
    {
      uint64_t mask = w ? ~UINT64_C (0) : UINT32_MAX;
      const uint64_t il[] = {1, (uint64_t) m, (uint64_t) t->bits - 1, (uint64_t) t->emax,
                             (uint64_t) t->emax << m, (UINT64_C (1) << m) - 1,
                             (uint64_t) (2 * t->emax + 1) << m, ~UINT64_C (0), 2};
      a.bits = il[an_rng_below (r, sizeof il / sizeof il[0])] & mask;
    }
  return a;
}

/* An operand of kind K and width W for an instruction placed where values
   0..NVAL-1 exist (of widths WIDE); ANYW: a value of either width will do.  */
static dsl_operand
random_operand (const dsl_prog *p, const uint8_t *wide, int nval, dsl_kind k, int w, int anyw, an_rng *r)
{
  int cand[256], n = 0;
  for (int v = nval - 1; v >= 0 && n < 256; v--)
    if (dsl_value_kind (p, (uint32_t) v) == k && (anyw || wide[v] == w))
      cand[n++] = v;
  if (n == 0 || an_rng_below (r, 4) == 0)
    return random_literal (r, k, w);
  /* Favour recent values: chains are what numerical code is made of.  */
  int pick = (int) an_rng_below (r, n);
  if (an_rng_below (r, 2))
    pick = (int) an_rng_below (r, n < 3 ? n : 3);
  dsl_operand a = {0, (uint32_t) cand[pick], 0};
  return a;
}

/* The operand width of op O placed among values of widths WIDE[0..NVAL-1]:
   fixed by a conversion, else the width of a random float value there, so
   that both halves of a mixed-precision program grow.  */
static int
pick_width (const dsl_opinfo *o, const uint8_t *wide, int nval, an_rng *r)
{
  switch (o->wrule)
    {
    case DSL_W_NARROW: return 1;
    case DSL_W_WIDEN: case DSL_W_32: return 0;
    default: return wide[an_rng_below (r, (uint64_t) nval)];
    }
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

/* Use sites (instruction, slot) at or after instruction FROM_INSN that take
   a value of kind K and width W (widths of Q's values: WIDE).  */
static int
use_sites (const dsl_prog *q, const uint8_t *wide, int from_insn, dsl_kind k, int w, int (*site)[2], int max)
{
  int n = 0;
  for (int i = from_insn; i < q->ninsn && n < max; i++)
    {
      const dsl_opinfo *o = dsl_op (q->insn[i].op);
      int iw, rw;
      if (dsl_insn_width (q, i, wide, &iw, &rw, NULL) < 0)
        continue;
      for (int s = 0; s < o->arity && n < max; s++)
        if (o->arg[s] == k && ((o->anyw >> s & 1u) || iw == w))
          site[n][0] = i, site[n][1] = s, n++;
    }
  return n;
}

/* Feeds Q's value V (kind K, width W) to one operand at or after instruction
   FROM that takes it, or makes it the output (when it has the output's kind
   and width, always if there is no such operand, else with chance 1/OUT_ODDS).  */
static dsl_prog *
use_value (dsl_prog *q, uint32_t v, int from, dsl_kind k, int w, unsigned out_odds, an_rng *r)
{
  uint8_t *qw = widths_of (q);
  if (!qw)
    {
      dsl_prog_free (q);
      return NULL;
    }
  int site[512][2];
  int n = use_sites (q, qw, from, k, w, site, 512);
  int can_out = k == DSL_KF && dsl_out_width_ok (q->type, w);
  free (qw);
  if (can_out && (n == 0 || an_rng_below (r, out_odds) == 0))
    q->out = v;
  else if (n > 0)
    {
      int pick = (int) an_rng_below (r, (uint64_t) n);
      q->insn[site[pick][0]].a[site[pick][1]] = (dsl_operand){0, v, 0};
    }
  return q;
}

/* Fills instruction I's operands for op O placed where values 0..NVAL-1
   exist; operand slots in KEEP (a bit per slot) stay as they are.  Returns
   the result's width.  */
static int
fill_operands (const dsl_prog *p, const uint8_t *wide, int nval, dsl_insn *i, unsigned keep, int w, an_rng *r)
{
  const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
  for (int s = 0; s < o->arity; s++)
    if (!(keep >> s & 1u))
      i->a[s] = random_operand (p, wide, nval, o->arg[s], w, o->anyw >> s & 1u, r);
  return o->wrule == DSL_W_WIDEN ? 1 : o->wrule == DSL_W_NARROW ? 0 : o->wrule == DSL_W_TABLE ? dsl_tab_wide (p) : w;
}

static dsl_prog *
mut_insert (const dsl_prog *p, const uint8_t *wide, an_rng *r, uint64_t allowed, int max_insn)
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
  int rw = fill_operands (p, wide, p->nin + at, &i, 0, pick_width (o, wide, p->nin + at, r), r);
  dsl_prog *q = search_insert_block (p, at, &i, 1);
  if (!q)
    return NULL;
  /* Use the new value: one later operand of its kind and width, or the output.  */
  return use_value (q, (uint32_t) (p->nin + at), at + 1, o->result, rw, 6, r);
}

static dsl_prog *
mut_delete (const dsl_prog *p, const uint8_t *wide, an_rng *r)
{
  if (p->ninsn <= 1)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  uint32_t v = (uint32_t) (p->nin + k);
  dsl_kind kind = dsl_op (p->insn[k].op)->result;
  /* Its uses take over one of its own operands of the same kind and width,
     else a nearby value.  */
  dsl_operand repl = {1, 0, 0};
  const dsl_opinfo *o = dsl_op (p->insn[k].op);
  int found = 0;
  for (int s = 0; s < o->arity && !found; s++)
    if (o->arg[s] == kind && (p->insn[k].a[s].is_const ? o->wrule == DSL_W_SAME : wide[p->insn[k].a[s].ref] == wide[v]))
      repl = p->insn[k].a[s], found = 1;
  if (!found)
    repl = random_operand (p, wide, (int) v, kind, wide[v], 0, r);
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
mut_replace_op (const dsl_prog *p, const uint8_t *wide, an_rng *r, uint64_t allowed)
{
  if (p->ninsn == 0)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  const dsl_opinfo *old = dsl_op (p->insn[k].op);
  int op = random_op (r, allowed, 1, old->result);
  if (op < 0 || op == p->insn[k].op)
    return NULL;
  const dsl_opinfo *o = dsl_op ((dsl_opcode) op);
  int w, rw;
  if (dsl_insn_width (p, k, wide, &w, &rw, NULL) < 0)
    return NULL;
  /* The result keeps its width (its uses need it); operands carry over
     where the new op takes the same kind in the same width.  */
  int nw = o->wrule == DSL_W_SAME ? rw : o->wrule == DSL_W_TABLE ? w : o->wrule == DSL_W_NARROW;
  if ((o->wrule == DSL_W_SAME ? rw : o->wrule == DSL_W_TABLE ? dsl_tab_wide (p) : o->wrule == DSL_W_WIDEN) != rw)
    return NULL;
  unsigned keep = 0;
  for (int s = 0; s < o->arity && s < old->arity; s++)
    if (old->arg[s] == o->arg[s] && nw == w)
      keep |= 1u << s;
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  dsl_insn *i = &q->insn[k];
  dsl_insn was = *i;
  memset (i, 0, sizeof *i);
  i->op = (uint8_t) op;
  for (int s = 0; s < DSL_MAXARGS; s++)
    if (keep >> s & 1u)
      i->a[s] = was.a[s];
  fill_operands (p, wide, p->nin + k, i, keep, nw, r);
  return q;
}

static dsl_prog *
mut_rewire (const dsl_prog *p, const uint8_t *wide, an_rng *r)
{
  if (p->ninsn == 0)
    return NULL;
  int k = (int) an_rng_below (r, p->ninsn);
  const dsl_opinfo *o = dsl_op (p->insn[k].op);
  int s = (int) an_rng_below (r, o->arity), w, rw;
  if (dsl_insn_width (p, k, wide, &w, &rw, NULL) < 0)
    return NULL;
  dsl_prog *q = dsl_prog_clone (p);
  if (q)
    q->insn[k].a[s] = random_operand (p, wide, p->nin + k, o->arg[s], w, o->anyw >> s & 1u, r);
  return q;
}

static dsl_prog *
mut_perturb (const dsl_prog *p, const uint8_t *wide, an_rng *r)
{
  int site[512][3], n = 0;
  for (int k = 0; k < p->ninsn && n < 512; k++)
    {
      int w, rw;
      if (dsl_insn_width (p, k, wide, &w, &rw, NULL) < 0)
        continue;
      for (int s = 0; s < dsl_op (p->insn[k].op)->arity && n < 512; s++)
        if (p->insn[k].a[s].is_const)
          site[n][0] = k, site[n][1] = s, site[n][2] = w, n++;
    }
  for (int t = 0; t < p->ntab && n < 512; t++)
    site[n][0] = -1, site[n][1] = t, site[n][2] = p->tabw, n++;   /* the table's entries */
  if (n == 0)
    return NULL;
  int pick = (int) an_rng_below (r, n), w = site[pick][2];
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  dsl_operand tab = {1, 0, site[pick][0] < 0 ? p->tab[site[pick][1]] : 0};
  dsl_operand *a = site[pick][0] < 0 ? &tab : &q->insn[site[pick][0]].a[site[pick][1]];
  uint64_t mask = w ? ~UINT64_C (0) : UINT32_MAX;
  if (site[pick][0] >= 0 && dsl_op (q->insn[site[pick][0]].op)->arg[site[pick][1]] == DSL_KI)
    {
      /* A step of 1 to 4, half the time shifted to a random bit position below the
         significand's top: shift counts and small indices move by units, offsets added to a
         float's bits (Mitchell's, L-Mul's) by a fraction of an exponent step.  Wraps, like
         the ops.  */
      uint64_t step = an_rng_below (r, 4) + 1;
      if (an_rng_below (r, 2))
        step <<= an_rng_below (r, w ? 52 : 23);
      a->bits = (an_rng_below (r, 2) ? a->bits + step : a->bits - step) & mask;
    }
  else
    {
      double was = eval_width_value (a->bits, w);
      double scale = ldexp (1.0, -(int) an_rng_below (r, w ? 49 : 20) - 2);
      double f = eval_width_value (eval_width_bits (was * (1 + scale * (an_rng_unit (r) * 2 - 1)), w), w);
      if (f == 0)
        f = ldexp (an_rng_below (r, 2) ? 1.0 : -1.0, -(int) an_rng_below (r, 24));
      else if (f == was)   /* one step away; same sign: never crosses zero */
        f = eval_width_value ((a->bits + (an_rng_below (r, 2) ? 1u : mask)) & mask, w);
      if (!isfinite (f))
        {
          dsl_prog_free (q);
          return NULL;
        }
      a->bits = eval_width_bits (f, w);
      if (site[pick][0] < 0)
        q->tab[site[pick][1]] = a->bits;
    }
  return q;
}

#define VAL(v) ((dsl_operand) { 0, (uint32_t) (v), 0 })
#define LIT(b) ((dsl_operand) { 1, 0, (b) })

/* Horner steps fma (c, t, d) in either order of c and t (dsl_prog_canonicalize puts values
   before literals and orders values by index, so a search's programs read fma (t, c, d)):
   the slot of fma I's multiplicand other than value T, or -1 where I is no fma or T none of
   its multiplicands.  */
static int
factor_beside (const dsl_insn *i, uint32_t t)
{
  if (i->op != DSL_FMA)
    return -1;
  for (int s = 0; s < 2; s++)
    if (!i->a[s].is_const && i->a[s].ref == t)
      return 1 - s;
  return -1;
}

/* A macro mutation on a Horner chain (fma (c, t, d) with c a literal, t a value: the top step
   of a polynomial in t): one degree more, c becoming fma (0, t, c) (the same function, then
   fitted), or one degree less, a use fma (that, t, e) taking d for it.  One step, where insert
   and delete would need two that each break the polynomial.  */
static dsl_prog *
mut_degree (const dsl_prog *p, an_rng *r)
{
  int cand[512], n = 0;
  for (int k = 0; k < p->ninsn && n < 512; k++)
    for (int s = 0; s < 2 && n < 512; s++)   /* s: the literal's slot */
      if (p->insn[k].op == DSL_FMA && p->insn[k].a[s].is_const && !p->insn[k].a[1 - s].is_const)
        cand[n++] = 2 * k + s;
  if (n == 0)
    return NULL;
  int pick = cand[an_rng_below (r, (uint64_t) n)], k = pick / 2, cs = pick % 2;
  const dsl_insn *top = &p->insn[k];
  uint32_t v = (uint32_t) (p->nin + k), t = top->a[1 - cs].ref;
  if (an_rng_below (r, 2))
    {
      dsl_insn up = { DSL_FMA, { { 1, 0, 0 }, VAL (t), top->a[cs] } };
      dsl_prog *q = search_insert_block (p, k, &up, 1);
      if (q)
        q->insn[k + 1].a[cs] = VAL (v);
      return q;
    }
  for (int u = k + 1; u < p->ninsn; u++)
    {
      int o = factor_beside (&p->insn[u], v);
      if (o >= 0 && !p->insn[u].a[o].is_const && p->insn[u].a[o].ref == t)
        {
          dsl_prog *q = dsl_prog_clone (p);
          if (q)
            q->insn[u].a[1 - o] = top->a[2];
          return q;
        }
    }
  return NULL;
}

/* ---- structural macro mutations: the building blocks of the seeds as rewrites ----

   Each rewrites a whole part of a program from a property the probe found (search/probe.c),
   never from the target's name: a reduction put in front of the program (the body then
   computes on the reduced argument and its result is reconstructed), a symmetry (the body
   on |x|, the sign put back for an odd f), a regime joined by compare and select (the slope
   at 0 below a threshold, the limit past the saturation), a polynomial made a rational
   function.  New constants start where the function is unchanged or where the property
   puts them; the fit that every new skeleton gets then moves them.  */


/* Appends OP (A, B, C) to Q; returns its value (OK cleared when memory runs out).  */
static uint32_t
emit (dsl_prog *q, int op, dsl_operand a, dsl_operand b, dsl_operand c, int *ok)
{
  dsl_insn i = { (uint8_t) op, { a, b, c } };
  *ok &= dsl_prog_append (q, &i) >= 0;
  return (uint32_t) (q->nin + q->ninsn - 1);
}
#define EMIT1(q, op, a, ok) emit (q, op, a, LIT (0), LIT (0), ok)
#define EMIT2(q, op, a, b, ok) emit (q, op, a, b, LIT (0), ok)

/* Q's operands at or after instruction FROM that read value V, and its output, read W.  */
static void
redirect (dsl_prog *q, uint32_t v, uint32_t w, int from)
{
  for (int k = from; k < q->ninsn; k++)
    for (int s = 0; s < dsl_op ((dsl_opcode) q->insn[k].op)->arity; s++)
      if (!q->insn[k].a[s].is_const && q->insn[k].a[s].ref == v)
        q->insn[k].a[s].ref = w;
  if (q->out == v)
    q->out = w;
}

static int
all_ops (uint64_t allowed, const dsl_opcode *ops, int n)
{
  for (int i = 0; i < n; i++)
    if (!(allowed >> ops[i] & 1))
      return 0;
  return 1;
}
#define ALLOWED(allowed, ...) all_ops (allowed, (const dsl_opcode[]) { __VA_ARGS__ }, \
                                       (int) (sizeof ((const dsl_opcode[]) { __VA_ARGS__ }) / sizeof (dsl_opcode)))

/* Whether some instruction of P compares with the literal BITS (a regime already there).  */
static int
compares_with (const dsl_prog *p, uint64_t bits)
{
  for (int k = 0; k < p->ninsn; k++)
    if (p->insn[k].op == DSL_LT || p->insn[k].op == DSL_LE)
      for (int s = 0; s < 2; s++)
        if (p->insn[k].a[s].is_const && p->insn[k].a[s].bits == bits)
          return 1;
  return 0;
}

/* P with a block put in front that computes a new argument from x (the block's NB
   instructions, reading x as value 0 and their own values from P->nin on); every other
   reader of x reads the block's value ARG instead.  */
static dsl_prog *
prefix (const dsl_prog *p, const dsl_insn *block, int nb, int arg)
{
  dsl_prog *q = search_insert_block (p, 0, block, nb);
  if (q)
    redirect (q, 0, (uint32_t) (p->nin + arg), nb);
  return q;
}

/* A polynomial made rational: the end h of a Horner chain in t becomes h / (1 + 0 t) (the
   same function; the fit moves the 0), so that degree mutations then grow Q.  Only where
   the program divides nowhere: P/Q with one division.  */
static dsl_prog *
mut_rational (const dsl_prog *p, const uint8_t *wide, an_rng *r, uint64_t allowed)
{
  if (!ALLOWED (allowed, DSL_DIV, DSL_FMA))
    return NULL;
  int cand[512], n = 0;
  for (int k = 0; k < p->ninsn; k++)
    if (p->insn[k].op == DSL_DIV)
      return NULL;
  for (int k = 0; k < p->ninsn && n < 512; k++)
    for (int s = 0; s < 2 && n < 512; s++)
      {
        /* A step in t = a[s]: its other factor a literal or itself a step in t.  */
        const dsl_insn *i = &p->insn[k];
        if (i->op != DSL_FMA || i->a[s].is_const)
          continue;
        uint32_t t = i->a[s].ref, v = (uint32_t) (p->nin + k);
        const dsl_operand *c = &i->a[1 - s];
        if (!c->is_const && (c->ref < (uint32_t) p->nin || factor_beside (&p->insn[c->ref - p->nin], t) < 0))
          continue;
        /* The chain's last step: no later fma (this, t, d).  */
        int last = 1;
        for (int u = k + 1; u < p->ninsn && last; u++)
          {
            int o = factor_beside (&p->insn[u], v);
            last = !(o >= 0 && !p->insn[u].a[o].is_const && p->insn[u].a[o].ref == t);
          }
        if (last)
          cand[n++] = 2 * k + s;
      }
  if (n == 0)
    return NULL;
  int pick = cand[an_rng_below (r, (uint64_t) n)], k = pick / 2, w = wide[p->nin + k];
  uint32_t h = (uint32_t) (p->nin + k);
  dsl_insn block[2] = { { DSL_FMA, { LIT (eval_width_bits (0, w)), p->insn[k].a[pick % 2], LIT (eval_width_bits (1, w)) } },
                        { DSL_DIV, { VAL (h), VAL (h + 1) } } };
  dsl_prog *q = search_insert_block (p, k + 1, block, 2);
  if (q)
    redirect (q, h, h + 2, k + 3);
  return q;
}

/* f odd or even: the program on |x|, and for an odd f the sign of x put onto the result (its
   sign bit xor x's).  Not where x is read only by abs already.  */
static dsl_prog *
mut_symmetry (const dsl_prog *p, const uint8_t *wide, const search_props *pr, uint64_t allowed)
{
  if (!(pr->odd || pr->even) || p->nin != 1 || !ALLOWED (allowed, DSL_ABS))
    return NULL;
  if (pr->odd && (!ALLOWED (allowed, DSL_ASINT, DSL_AND, DSL_XOR, DSL_ASFLOAT) || wide[0] != wide[p->out]))
    return NULL;
  int plain = 0;
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op ((dsl_opcode) p->insn[k].op)->arity; s++)
      plain |= !p->insn[k].a[s].is_const && p->insn[k].a[s].ref == 0 && p->insn[k].op != DSL_ABS;
  if (!plain)
    return NULL;
  dsl_insn a = { DSL_ABS, { VAL (0) } };
  dsl_prog *q = prefix (p, &a, 1, 0);
  if (!q || !pr->odd)
    return q;
  int ok = 1, w = wide[0];
  uint32_t sb = EMIT2 (q, DSL_AND, VAL (EMIT1 (q, DSL_ASINT, VAL (0), &ok)), LIT (w ? UINT64_C (1) << 63 : UINT32_C (1) << 31), &ok);
  uint32_t bits = EMIT1 (q, DSL_ASINT, VAL (q->out), &ok);
  q->out = EMIT1 (q, DSL_ASFLOAT, VAL (EMIT2 (q, DSL_XOR, VAL (bits), VAL (sb), &ok)), &ok);
  if (!ok)
    dsl_prog_free (q), q = NULL;
  return q;
}

/* A regime joined by compare and select at the output: where f(0) = 0, the slope at 0 (or
   slope x plus a cubic term, fitted) below a threshold; where f saturates, its limit past
   the saturation point (on both sides for an odd f, on |x| for an even one).  */
static dsl_prog *
mut_regime (const dsl_prog *p, const uint8_t *wide, const search_props *pr, an_rng *r, uint64_t allowed)
{
  int w = wide[0];
  if (p->nin != 1 || wide[p->out] != w || !ALLOWED (allowed, DSL_LE, DSL_LT, DSL_SELECT))
    return NULL;
  int small = pr->has0 && pr->f0 == 0 && pr->lin_x > 0 && ALLOWED (allowed, DSL_ABS, DSL_MUL, DSL_FMA);
  int sat = pr->saturates && (!pr->even || ALLOWED (allowed, DSL_ABS));
  if (!small && !sat)
    return NULL;
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return NULL;
  int ok = 1;
  uint32_t out = q->out;
  if (small && (!sat || an_rng_below (r, 2)))
    {
      /* The cubic reaches 2^2 to 2^6 times farther than the slope alone.  */
      int cubic = an_rng_below (r, 2);
      double t = eval_width_value (eval_width_bits (ldexp (pr->lin_x, cubic ? 2 + (int) an_rng_below (r, 5) : 0), w), w);
      if (compares_with (p, eval_width_bits (t, w)))
        return dsl_prog_free (q), NULL;
      uint32_t tiny = EMIT2 (q, DSL_LT, VAL (EMIT1 (q, DSL_ABS, VAL (0), &ok)), LIT (eval_width_bits (t, w)), &ok);
      uint32_t y = EMIT2 (q, DSL_MUL, VAL (0), LIT (eval_width_bits (pr->slope0, w)), &ok);
      if (cubic)
        {
          uint32_t x3 = EMIT2 (q, DSL_MUL, VAL (EMIT2 (q, DSL_MUL, VAL (0), VAL (0), &ok)), VAL (0), &ok);
          y = emit (q, DSL_FMA, LIT (eval_width_bits (0, w)), VAL (x3), VAL (y), &ok);
        }
      out = emit (q, DSL_SELECT, VAL (tiny), VAL (y), VAL (out), &ok);
    }
  else
    {
      uint64_t tb = eval_width_bits (pr->sat_x, w);
      if (compares_with (p, tb))
        return dsl_prog_free (q), NULL;
      uint32_t a = pr->even ? EMIT1 (q, DSL_ABS, VAL (0), &ok) : 0;
      uint32_t beyond = EMIT2 (q, DSL_LE, LIT (tb), VAL (a), &ok);
      out = emit (q, DSL_SELECT, VAL (beyond), LIT (eval_width_bits (pr->sat_v, w)), VAL (out), &ok);
      if (pr->odd)
        {
          uint32_t below = EMIT2 (q, DSL_LE, VAL (0), LIT (eval_width_bits (-pr->sat_x, w)), &ok);
          out = emit (q, DSL_SELECT, VAL (below), LIT (eval_width_bits (-pr->sat_v, w)), VAL (out), &ok);
        }
    }
  q->out = out;
  if (!ok)
    dsl_prog_free (q), q = NULL;
  return q;
}

/* A range reduction in front of the program, the body then approximating f on the reduced
   argument (the fit moves its constants there): for f = scale b^x, k = rint (x log2 b),
   r = x - k / log2 b, the result times 2^k; for f = off + c log2 x, x = 2^e m with m in
   [1, 2) (half the time folded to [sqrt(1/2), sqrt(2)): m / 2 and e + 1 above sqrt 2), the
   result plus c e.  Subnormal x are left to evolution.  */
static dsl_prog *
mut_reduce (const dsl_prog *p, const uint8_t *wide, const search_props *pr, an_rng *r, uint64_t allowed)
{
  int w = wide[0];
  if (p->nin != 1 || wide[p->out] != w)
    return NULL;
  const dsl_typeinfo *ti = dsl_type_info (w ? DSL_FLOAT64 : DSL_FLOAT32);
  uint64_t mask = w ? ~UINT64_C (0) : UINT32_MAX;
  int m = ti->p - 1, ok = 1;
  dsl_prog *q = NULL;
  uint32_t nin = (uint32_t) p->nin;
  if (pr->exp_like && pr->exp_off == 0 && ALLOWED (allowed, DSL_MUL, DSL_RINT, DSL_FMA, DSL_TOINT, DSL_LDEXP))
    {
      /* Not twice: a program that rounds x or scales by 2^k is reduced already.  */
      for (int k = 0; k < p->ninsn; k++)
        if (p->insn[k].op == DSL_LDEXP || p->insn[k].op == DSL_RINT || p->insn[k].op == DSL_TOINT)
          return NULL;
      dsl_insn block[4] = {
        { DSL_MUL, { VAL (0), LIT (eval_width_bits (pr->exp_log2b, w)) } },
        { DSL_RINT, { VAL (nin) } },
        { DSL_FMA, { VAL (nin + 1), LIT (eval_width_bits (-1 / pr->exp_log2b, w)), VAL (0) } },
        { DSL_TOINT, { VAL (nin + 1) } },
      };
      q = prefix (p, block, 4, 2);
      if (q)
        q->out = EMIT2 (q, DSL_LDEXP, VAL (q->out), VAL (nin + 3), &ok);
    }
  else if (pr->log_like && pr->log_shift == 0
           && ALLOWED (allowed, DSL_ASINT, DSL_SHR, DSL_ISUB, DSL_AND, DSL_OR, DSL_ASFLOAT, DSL_TOFLOAT, DSL_FMA))
    {
      /* Not twice: a program that reads x's bits or converts an exponent is reduced already.  */
      for (int k = 0; k < p->ninsn; k++)
        if (p->insn[k].op == DSL_TOFLOAT || p->insn[k].op == DSL_ASINT)
          return NULL;
      int fold = ALLOWED (allowed, DSL_LT, DSL_SELECT, DSL_MUL) && an_rng_below (r, 2);
      dsl_insn b[9];
      int nb = 0;
      b[nb++] = (dsl_insn) { DSL_ASINT, { VAL (0) } };                                          /* nin: bits */
      b[nb++] = (dsl_insn) { DSL_SHR, { VAL (nin), LIT ((uint64_t) m) } };                       /* nin+1 */
      b[nb++] = (dsl_insn) { DSL_ISUB, { VAL (nin + 1), LIT ((uint64_t) ti->emax) } };           /* nin+2: e */
      b[nb++] = (dsl_insn) { DSL_AND, { VAL (nin), LIT (((UINT64_C (1) << m) - 1) & mask) } };   /* nin+3 */
      b[nb++] = (dsl_insn) { DSL_OR, { VAL (nin + 3), LIT ((uint64_t) ti->emax << m) } };        /* nin+4 */
      b[nb++] = (dsl_insn) { DSL_ASFLOAT, { VAL (nin + 4) } };                                   /* nin+5: m */
      int arg = 5;
      if (fold)
        {
          b[nb++] = (dsl_insn) { DSL_LT, { LIT (eval_width_bits (M_SQRT2, w)), VAL (nin + 5) } };   /* nin+6 */
          b[nb++] = (dsl_insn) { DSL_MUL, { VAL (nin + 5), LIT (eval_width_bits (0.5, w)) } };      /* nin+7 */
          b[nb++] = (dsl_insn) { DSL_SELECT, { VAL (nin + 6), VAL (nin + 7), VAL (nin + 5) } };     /* nin+8: m */
          arg = 8;
        }
      q = prefix (p, b, nb, arg);
      if (q)
        {
          uint32_t ev = nin + 2;   /* e */
          if (fold)   /* the compare is all ones (-1) where m was halved: e - (-1) */
            ev = EMIT2 (q, DSL_ISUB, VAL (ev), VAL (nin + 6), &ok);
          uint32_t ef = EMIT1 (q, DSL_TOFLOAT, VAL (ev), &ok);
          q->out = emit (q, DSL_FMA, VAL (ef), LIT (eval_width_bits (pr->log_c, w)), VAL (q->out), &ok);
        }
    }
  if (q && !ok)
    dsl_prog_free (q), q = NULL;
  return q;
}

/* A polynomial cut into pieces: a Horner chain in t whose coefficients are literals becomes
   2^B polynomials in u, t's offset from the centre of its piece, whose coefficients the
   piece's index reads from the program's table (the piecewise seeds' core): t's range over
   the domain (range analysis) cut into 2^B equal pieces, the index clamped to them, the end
   pieces extrapolating.  Piece i starts as the parent's polynomial re-expanded about its
   centre (the same function but for the rounding of the coefficients), of the same degree or
   one less, and the fit then moves each piece on its own slice (search/fit.c).  Only where
   the program has no table yet.  */
static dsl_prog *
mut_pieces (const dsl_prog *p, const uint8_t *wide, const search_props *pr, an_rng *r, uint64_t allowed)
{
  if (p->ntab || !ALLOWED (allowed, DSL_FMA, DSL_MIN, DSL_MAX, DSL_RINT, DSL_SUB, DSL_TOINT, DSL_LUT))
    return NULL;
  int nval = p->nin + p->ninsn, cand[512], n = 0;
  int *uses = calloc ((size_t) nval, sizeof *uses);
  dsl_range *rg = malloc ((size_t) nval * sizeof *rg);
  dsl_prog *q = NULL;
  if (!uses || !rg)
    goto out;
  for (int k = 0; k < p->ninsn; k++)
    for (int s = 0; s < dsl_op ((dsl_opcode) p->insn[k].op)->arity; s++)
      if (!p->insn[k].a[s].is_const)
        uses[p->insn[k].a[s].ref]++;
  uses[p->out]++;
  /* A step of a chain in T: fma (.., T, literal) in T's width, T either multiplicand.  */
#define STEP(k, t) (factor_beside (&p->insn[k], t) >= 0 && p->insn[k].a[2].is_const && wide[p->nin + (k)] == wide[t])
#define COEF(k, t) (&p->insn[k].a[factor_beside (&p->insn[k], t)])
  for (int k = 0; k < p->ninsn && n < 512; k++)
    for (int s = 0; s < 2 && n < 512; s++)
      {
        if (p->insn[k].op != DSL_FMA || p->insn[k].a[s].is_const || !STEP (k, p->insn[k].a[s].ref))
          continue;
        uint32_t t = p->insn[k].a[s].ref, v = (uint32_t) (p->nin + k);
        int last = 1, c = k;
        for (int u = k + 1; u < p->ninsn && last; u++)
          last = !(STEP (u, t) && !COEF (u, t)->is_const && COEF (u, t)->ref == v);
        /* Down to the top step, fma (literal, t, literal); the inner steps read by the next alone.  */
        while (last && !COEF (c, t)->is_const)
          {
            uint32_t a = COEF (c, t)->ref;
            if (a < (uint32_t) p->nin || uses[a] != 1 || !STEP ((int) a - p->nin, t))
              last = 0;
            else
              c = (int) a - p->nin;
          }
        if (last)
          cand[n++] = 2 * k + s;
      }
  if (n == 0 || dsl_range_analyze (p, pr->lo, pr->hi, 256, rg, &(dsl_error) { 0 }) < 0)
    goto out;
  int pick = cand[an_rng_below (r, (uint64_t) n)], k = pick / 2;
  uint32_t t = p->insn[k].a[pick % 2].ref;
  int w = wide[t];
  double lo = rg[t].lo, hi = rg[t].hi;
  if (!(lo < hi) || !isfinite (hi - lo))
    goto out;
  /* The coefficients c[j] of t^j, from the last step up.  */
  double c[SEARCH_PIECE_MAXDEG + 2];
  int deg = 0;
  for (int at = k;; at = (int) COEF (at, t)->ref - p->nin)
    {
      if (deg > SEARCH_PIECE_MAXDEG)
        goto out;
      c[deg++] = eval_width_value (p->insn[at].a[2].bits, w);
      if (COEF (at, t)->is_const)
        {
          c[deg] = eval_width_value (COEF (at, t)->bits, w);
          break;
        }
    }
  int nd = deg > 1 && an_rng_below (r, 2) ? deg - 1 : deg, bits = 1 + (int) an_rng_below (r, 3);
  while (bits > 0 && (nd + 1) << bits > DSL_MAXTAB)
    bits--;
  if (bits == 0)
    goto out;
  int np = 1 << bits;
  /* v = sc t + off is i + u in piece i, u in [-1/2, 1/2]: t = (i - off) / sc + u / sc.  */
  double sc = eval_width_value (eval_width_bits (np / (hi - lo), w), w);
  double off = eval_width_value (eval_width_bits (-lo * sc - 0.5, w), w);
  uint64_t tab[DSL_MAXTAB];
  for (int i = 0; i < np; i++)
    {
      double a = (i - off) / sc;
      for (int m = 0; m <= nd; m++)
        {
          /* sum over j >= m of c_j C(j, m) a^(j - m), times sc^-m */
          double sum = 0, binom = 1;
          for (int j = m; j <= deg; j++)
            {
              sum += c[j] * binom * pow (a, j - m);
              binom = binom * (j + 1) / (j + 1 - m);
            }
          double e = sum * pow (sc, -m);
          if (!isfinite (e))
            goto out;
          tab[m * np + i] = eval_width_bits (e, w);
        }
    }
  uint32_t b = (uint32_t) (p->nin + k + 1);   /* the block's first value */
  dsl_insn blk[8 + 2 * SEARCH_PIECE_MAXDEG];
  int nb = 0;
  blk[nb++] = (dsl_insn) { DSL_FMA, { VAL (t), LIT (eval_width_bits (sc, w)), LIT (eval_width_bits (off, w)) } };
  blk[nb++] = (dsl_insn) { DSL_MIN, { VAL (b), LIT (eval_width_bits (np - 1, w)) } };
  blk[nb++] = (dsl_insn) { DSL_MAX, { VAL (b + 1), LIT (eval_width_bits (0, w)) } };
  blk[nb++] = (dsl_insn) { DSL_RINT, { VAL (b + 2) } };
  blk[nb++] = (dsl_insn) { DSL_SUB, { VAL (b), VAL (b + 3) } };     /* b + 4: u */
  blk[nb++] = (dsl_insn) { DSL_TOINT, { VAL (b + 3) } };             /* b + 5: the piece */
  blk[nb++] = (dsl_insn) { DSL_LUT, { VAL (b + 5), LIT ((uint64_t) (nd * np)) } };
  uint32_t y = b + 6;
  for (int m = nd - 1; m >= 0; m--, nb += 2)
    {
      uint32_t cm = b + (uint32_t) nb;
      blk[nb] = (dsl_insn) { DSL_LUT, { VAL (b + 5), LIT ((uint64_t) (m * np)) } };
      blk[nb + 1] = (dsl_insn) { DSL_FMA, { VAL (y), VAL (b + 4), VAL (cm) } };
      y = cm + 1;
    }
  q = search_insert_block (p, k + 1, blk, nb);
  if (q)
    {
      redirect (q, (uint32_t) (p->nin + k), y, k + 1 + nb);
      q->ntab = (nd + 1) * np;
      q->tabw = w;
      memcpy (q->tab, tab, (size_t) q->ntab * sizeof *tab);
    }
#undef STEP
#undef COEF
out:
  free (uses);
  free (rg);
  return q;
}

/* A composition: one of a donor's values (a kernel evolved for another target, or what
   the donor's relation makes of it) grafted into P where a value of its width is read, as a
   crossover with the donor does.  */
static dsl_prog *
mut_compose (const dsl_prog *p, dsl_prog *const *donor, int ndonor, an_rng *r, int max_insn)
{
  return ndonor ? search_crossover (p, donor[an_rng_below (r, (uint64_t) ndonor)], r, max_insn) : NULL;
}

dsl_prog *
search_mutate (const dsl_prog *p, an_rng *r, uint64_t allowed, int max_insn, const char **what)
{
  return search_mutate_props (p, NULL, NULL, 0, r, allowed, max_insn, what);
}

dsl_prog *
search_mutate_props (const dsl_prog *p, const search_props *pr, dsl_prog *const *donor, int ndonor, an_rng *r,
                     uint64_t allowed, int max_insn, const char **what)
{
  uint8_t *wide = widths_of (p);
  if (!wide)
    return NULL;
  dsl_prog *q = NULL;
  uint64_t ops = allowed;   /* pieces bring their table */
  if (!p->ntab)
    allowed &= ~(UINT64_C (1) << DSL_LUT);   /* a lut reads the program's table: none to read */
  for (int tries = 0; tries < 20; tries++)
    {
      switch (an_rng_below (r, 12))
        {
        case 11:
          /* A structural rewrite; those of the target's properties only where it has them.  */
          switch (an_rng_below (r, 6))
            {
            case 0: q = mut_rational (p, wide, r, allowed), *what = "rational"; break;
            case 1: q = pr ? mut_symmetry (p, wide, pr, allowed) : NULL, *what = "symmetry"; break;
            case 2: q = pr ? mut_regime (p, wide, pr, r, allowed) : NULL, *what = "regime"; break;
            case 3: q = pr ? mut_pieces (p, wide, pr, r, ops) : NULL, *what = "pieces"; break;
            case 4: q = mut_compose (p, donor, ndonor, r, max_insn), *what = "compose"; break;
            default: q = pr ? mut_reduce (p, wide, pr, r, allowed) : NULL, *what = "reduce"; break;
            }
          break;
        case 10: q = allowed >> DSL_FMA & 1 ? mut_degree (p, r) : NULL, *what = "degree"; break;
        case 0: case 1: q = mut_insert (p, wide, r, allowed, max_insn), *what = "insert"; break;
        case 2: case 3: q = mut_delete (p, wide, r), *what = "delete"; break;
        case 4: q = mut_replace_op (p, wide, r, allowed), *what = "replace"; break;
        case 5: case 6: q = mut_rewire (p, wide, r), *what = "rewire"; break;
        default: q = mut_perturb (p, wide, r), *what = "perturb"; break;
        }
      q = finish (q, max_insn);
      if (q && !dsl_prog_equal (p, q))
        break;
      dsl_prog_free (q);
      q = NULL;
    }
  free (wide);
  return q;
}

/* Copies the computation of one of B's float values in front of A's
   instruction AT and feeds it to one float operand there of its width (or
   to A's output).  */
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
  /* A lut of B's reads B's table: A must have none (it takes B's) or the same one.  */
  int lut = 0;
  for (int k = 0; k <= kb; k++)
    lut |= need[k] && b->insn[k].op == DSL_LUT;
  if (lut && a->ntab
      && (a->ntab != b->ntab || a->tabw != b->tabw || memcmp (a->tab, b->tab, (size_t) a->ntab * sizeof a->tab[0]) != 0))
    goto out;
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
  if (lut)
    {
      q->ntab = b->ntab;
      q->tabw = b->tabw;
      memcpy (q->tab, b->tab, sizeof q->tab);
    }
  uint8_t *bw = widths_of (b);
  if (!bw)
    {
      dsl_prog_free (q);
      q = NULL;
      goto out;
    }
  int vw = bw[b->nin + kb];
  free (bw);
  q = finish (use_value (q, (uint32_t) (a->nin + at + n - 1), at + n, DSL_KF, vw, 4, r), max_insn);
out:
  free (need);
  free (map);
  free (block);
  return q;
}

uint64_t
search_default_ops (dsl_type y)
{
  uint64_t m = 0;
  for (int op = 0; op < DSL_NOPS; op++)
    if (!(dsl_op ((dsl_opcode) op)->flags & (DSL_LIBM | DSL_CONVERT)))
      m |= UINT64_C (1) << op;
  /* float32 programs may compute in float64 inside, as the float32 functions of glibc's
     libm do: a float32 result within 1 ULP often needs more than float32 arithmetic (ln 2
     times the exponent, the last digits of a log).  The narrow types keep to float32,
     which every accelerator they run on has at full speed.  */
  if (y == DSL_FLOAT32)
    m |= UINT64_C (1) << DSL_TOF64 | UINT64_C (1) << DSL_TOF32;
  return m;
}

/* Named op sets for --ops, usable wherever an op name is.  mulfree: no float multiply,
   divide, fma or square root, no libm call, no float conversion; integer adds, shifts and
   bit operations on the bits, float adds and compares (Mitchell's product, Schraudolph's
   exponential and what evolution builds from them).  */
static const struct {
  const char *name;
  const dsl_opcode *ops;
  int n;
} op_presets[] = {
#define PRESET(name, ...) {name, (const dsl_opcode[]) {__VA_ARGS__}, \
                           (int) (sizeof ((const dsl_opcode[]) {__VA_ARGS__}) / sizeof (dsl_opcode))}
  PRESET ("mulfree", DSL_ADD, DSL_SUB, DSL_NEG, DSL_ABS, DSL_MIN, DSL_MAX, DSL_IADD, DSL_ISUB, DSL_SHL,
          DSL_SHR, DSL_AND, DSL_OR, DSL_XOR, DSL_ASINT, DSL_ASFLOAT, DSL_LT, DSL_LE, DSL_SELECT),
#undef PRESET
};

uint64_t
search_preset_ops (const char *name)
{
  for (size_t i = 0; i < sizeof op_presets / sizeof op_presets[0]; i++)
    if (strcmp (op_presets[i].name, name) == 0)
      {
        uint64_t m = 0;
        for (int k = 0; k < op_presets[i].n; k++)
          m |= UINT64_C (1) << op_presets[i].ops[k];
        return m;
      }
  return 0;
}

int
search_parse_ops (const char *text, dsl_type y, uint64_t *mask, dsl_error *err)
{
  /* "add,mul": only those; "-mul,-div": the defaults but those; "+tof64,tof32":
     the defaults and those (an op without a sign after the first takes the
     sign before it); a preset first ("mulfree,+lut"): that set, with the changes after it.  */
  char sign = text[0] == '-' || text[0] == '+' ? text[0] : 0;
  uint64_t m = sign ? search_default_ops (y) : 0;
  const char *s = text;
  int first = 1, preset_first = 0;
  while (*s)
    {
      size_t n = strcspn (s, ",");
      char name[32];
      char c = s[0] == '-' || s[0] == '+' ? s[0] : 0;
      size_t skip = c != 0;
      if (n - skip == 0 || n - skip >= sizeof name)
        return dsl_error_set (err, "--ops: empty or overlong op name in '%s'", text);
      if (c && !sign && !preset_first)
        return dsl_error_set (err, "--ops: list ops to use (add,mul), or changes to the defaults (-mul,+tof64) "
                                   "or to a preset (mulfree,+lut), not both");
      if (c)
        sign = c;
      memcpy (name, s + skip, n - skip);
      name[n - skip] = '\0';
      uint64_t bits = search_preset_ops (name);
      int op = bits ? 0 : dsl_op_lookup (name);
      if (op < 0)
        return dsl_error_set (err, "--ops: unknown op '%s' (see 'autonum ops'; presets: mulfree)", name);
      if (!bits)
        bits = UINT64_C (1) << op;
      else if (first && !c)
        preset_first = 1;
      m = sign == '-' ? m & ~bits : m | bits;
      first = 0;
      s += n + (s[n] == ',');
    }
  if (!m)
    return dsl_error_set (err, "--ops: '%s' leaves no op", text);
  *mask = m;
  return 0;
}
