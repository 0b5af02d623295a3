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
dsl_format_f64 (uint64_t bits, char *buf, size_t size)
{
  double f = an_f64 (bits);
  if (isnan (f))
    snprintf (buf, size, "nan(0x%016" PRIx64 ")", bits);
  else if (isinf (f))
    snprintf (buf, size, "%sinf", f < 0 ? "-" : "");
  else
    snprintf (buf, size, "%a", f);
}

void
dsl_format_literal (uint64_t bits, dsl_kind k, int w, char *buf, size_t size)
{
  if (k == DSL_KI)
    snprintf (buf, size, "%" PRId64, w ? (int64_t) bits : (int64_t) (int32_t) (uint32_t) bits);
  else if (w)
    dsl_format_f64 (bits, buf, size);
  else
    dsl_format_f32 ((uint32_t) bits, buf, size);
}

char *
dsl_sb_take (dsl_strbuf *b)
{
  if (!b->failed)
    return b->s;
  free (b->s);
  return NULL;
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
operand_text (const dsl_prog *p, const dsl_operand *a, dsl_kind k, int w, char *buf, size_t size)
{
  if (!a->is_const)
    value_name (p, a->ref, buf, size);
  else
    dsl_format_literal (a->bits, k, w, buf, size);
}

/* "  # [lo, hi] form" or "  # ints [lo, hi] form" after an instruction or input line.  */
static void
annotate (dsl_strbuf *b, const dsl_prog *p, uint32_t v, const dsl_range *r, int form)
{
  if (!r)
    return;
  const dsl_range *x = &r[v];
  if (dsl_value_kind (p, v) == DSL_KI)
    dsl_sb_printf (b, "   # [%lld, %lld]", x->ilo, x->ihi);
  else
    {
      if (x->lo <= x->hi)
        dsl_sb_printf (b, "   # [%a, %a]", x->lo, x->hi);
      else
        dsl_sb_printf (b, "   # no number");
      dsl_sb_printf (b, "%s%s%s", x->flags & DSL_RANGE_NAN ? " NaN" : "",
                     x->lo <= 0 && x->hi >= 0 && (x->flags & DSL_RANGE_NEGZERO) ? " -0" : "",
                     x->flags & DSL_RANGE_INTEGRAL ? " integral" : "");
    }
  if (form >= 0)
    dsl_sb_printf (b, ", as %s", dsl_lower_info (form)->name);
}

static char *
print_program (const dsl_prog *p, int header, const dsl_range *r, const uint8_t *form, int canon)
{
  dsl_strbuf b = {NULL, 0, 0, 0};
  char name[64];
  uint8_t *wide = malloc ((size_t) (p->nin + p->ninsn));
  if (!wide)
    return NULL;
  if (dsl_prog_widths (p, wide, NULL) < 0)
    memset (wide, dsl_compute_wide (p->type), (size_t) (p->nin + p->ninsn));   /* printed as if all one width */
  if (header)
    {
      /* An FPCore target text holds spaces: it comes last and takes the rest of the line.  */
      int text = p->target[0] == '(';
      dsl_sb_printf (&b, "# autonum 1");
      if (p->target[0] && !text)
        dsl_sb_printf (&b, " target=%s", p->target);
      dsl_sb_printf (&b, " type=%s", dsl_type_name (p->type));
      for (int j = 0; j < p->has_domain; j++)
        dsl_sb_printf (&b, "%s%a:%a", j ? "," : " domain=", p->domain_lo[j], p->domain_hi[j]);
      if (text)
        dsl_sb_printf (&b, " target=%s", p->target);
      dsl_sb_printf (&b, "\n");
    }
  dsl_sb_printf (&b, "in");
  for (int j = 0; j < p->nin; j++)
    dsl_sb_printf (&b, " %s", p->inname[j]);
  for (int j = 0; r && j < p->nin; j++)
    annotate (&b, p, (uint32_t) j, r, -1);
  dsl_sb_printf (&b, "\n");
  for (int t = 0; t < p->ntab; t++)
    {
      /* Eight entries a line, the width on the first.  */
      if (t % 8 == 0)
        dsl_sb_printf (&b, "table%s", t == 0 ? (p->tabw ? " f64" : " f32") : "");
      dsl_format_literal (p->tab[t], DSL_KF, p->tabw, name, sizeof name);
      dsl_sb_printf (&b, " %s%s", name, t % 8 == 7 || t == p->ntab - 1 ? "\n" : "");
    }
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *i = &p->insn[k];
      const dsl_opinfo *o = dsl_op (i->op);
      value_name (p, p->nin + k, name, sizeof name);
      dsl_sb_printf (&b, "%s = %-5s", name, o->name);
      int w = 0, rw;
      if (dsl_insn_width (p, k, wide, &w, &rw, NULL) < 0)
        w = wide[p->nin + k];
      for (int s = 0; s < o->arity; s++)
        {
          operand_text (p, &i->a[s], o->arg[s], w, name, sizeof name);
          dsl_sb_printf (&b, " %s", name);
        }
      annotate (&b, p, (uint32_t) (p->nin + k), r, form ? form[k] : -1);
      dsl_sb_printf (&b, "\n");
    }
  value_name (p, p->out, name, sizeof name);
  dsl_sb_printf (&b, "out %s", name);
  if (r && canon)
    dsl_sb_printf (&b, "   # NaN canonicalised");
  dsl_sb_printf (&b, "\n");
  free (wide);
  return dsl_sb_take (&b);
}

char *
dsl_print (const dsl_prog *p, int header)
{
  return print_program (p, header, NULL, NULL, 0);
}

char *
dsl_print_lowered (const dsl_prog *p, const double *lo, const double *hi)
{
  int nval = p->nin + p->ninsn;
  dsl_range *r = malloc ((size_t) nval * sizeof *r);
  uint8_t *form = malloc ((size_t) (p->ninsn ? p->ninsn : 1));
  char *text = NULL;
  if (r && form && dsl_range_analyze (p, lo, hi, DSL_RANGE_BUDGET, r, NULL) == 0)
    text = print_program (p, 0, r, form, dsl_lower (p, r, form));
  free (r);
  free (form);
  return text;
}
