/* print -- programs as text: exact hex literals, results named v1, v2, ... in order.  */
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

void
dsl_format_f32 (uint32_t bits, char *buf, size_t size)
{
  float f = an_f32 (bits);
  if (isnan (f))
    snprintf (buf, size, "nan(0x%08x)", (unsigned) bits);
  else if (isinf (f))
    snprintf (buf, size, "%sinf", f < 0 ? "-" : "");
  else
    snprintf (buf, size, "%a", (double) f);   /* exact: every float is a double */
}

void
dsl_sb_printf (dsl_strbuf *b, const char *fmt, ...)
{
  if (b->failed)
    return;
  for (;;)
    {
      va_list ap;
      va_start (ap, fmt);
      int n = vsnprintf (b->s ? b->s + b->len : NULL, b->cap - b->len, fmt, ap);
      va_end (ap);
      if (n < 0)
        {
          b->failed = 1;
          return;
        }
      if (b->len + n < b->cap)
        {
          b->len += n;
          return;
        }
      size_t cap = 2 * b->cap + n + 64;
      char *s = realloc (b->s, cap);
      if (!s)
        {
          b->failed = 1;
          return;
        }
      b->s = s;
      b->cap = cap;
    }
}

static void
value_name (const dsl_prog *p, uint32_t v, char *buf, size_t size)
{
  if (v < (uint32_t) p->nin)
    snprintf (buf, size, "%s", p->inname[v]);
  else
    snprintf (buf, size, "v%u", (unsigned) (v - p->nin + 1));
}

static void
operand_text (const dsl_prog *p, const dsl_operand *a, dsl_kind k, char *buf, size_t size)
{
  if (!a->is_const)
    value_name (p, a->ref, buf, size);
  else if (k == DSL_KF)
    dsl_format_f32 ((uint32_t) a->bits, buf, size);
  else
    snprintf (buf, size, "%" PRId32, (int32_t) (uint32_t) a->bits);
}

char *
dsl_print (const dsl_prog *p, int header)
{
  dsl_strbuf b = {NULL, 0, 0, 0};
  char name[64];
  if (header)
    {
      dsl_sb_printf (&b, "# autonum 1");
      if (p->target[0])
        dsl_sb_printf (&b, " target=%s", p->target);
      dsl_sb_printf (&b, " type=%s", dsl_type_name (p->type));
      if (p->has_domain)
        dsl_sb_printf (&b, " domain=%a:%a", p->domain_lo, p->domain_hi);
      dsl_sb_printf (&b, "\n");
    }
  dsl_sb_printf (&b, "in");
  for (int j = 0; j < p->nin; j++)
    dsl_sb_printf (&b, " %s", p->inname[j]);
  dsl_sb_printf (&b, "\n");
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      const dsl_opinfo *o = dsl_op (i->op);
      value_name (p, p->nin + k, name, sizeof name);
      dsl_sb_printf (&b, "%s = %-5s", name, o->name);
      for (int s = 0; s < o->arity; s++)
        {
          operand_text (p, &i->a[s], o->arg[s], name, sizeof name);
          dsl_sb_printf (&b, " %s", name);
        }
      dsl_sb_printf (&b, "\n");
    }
  value_name (p, p->out, name, sizeof name);
  dsl_sb_printf (&b, "out %s\n", name);
  if (b.failed)
    {
      free (b.s);
      return NULL;
    }
  return b.s;
}
