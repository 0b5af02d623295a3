/* domain -- parsing "LO:HI" domains and checking them against a target's natural domain.  */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"

/* Reads one number of S at *P (leading blanks allowed) and advances *P.  */
static int
parse_number (const char *s, const char **p, double *v, dsl_error *err)
{
  char *end;
  errno = 0;
  *v = strtod (*p, &end);
  if (end == *p)
    return dsl_error_set (err, "domain \"%s\": expected a number at \"%s\" (the form is LO:HI)", s, *p);
  if (isnan (*v))
    return dsl_error_set (err, "domain \"%s\": a bound is not a number", s);
  *p = end;
  while (isspace ((unsigned char) **p))
    (*p)++;
  return 0;
}

/* Reads "LO:HI" at *P into *LO and *HI.  */
static int
parse_interval (const char *s, const char **p, double *lo, double *hi, dsl_error *err)
{
  if (parse_number (s, p, lo, err))
    return -1;
  if (**p != ':')
    return dsl_error_set (err, "domain \"%s\": expected ':' between LO and HI (the form is LO:HI)", s);
  (*p)++;
  return parse_number (s, p, hi, err);
}

int
eval_domain_parse (const char *text, int arity, eval_domain *d /* OUT */, dsl_error *err)
{
  if (arity < 1 || arity > EVAL_MAXARITY)
    return dsl_error_set (err, "domain \"%s\": arity %d is not supported", text, arity);
  memset (d, 0, sizeof *d);
  const char *p = text;
  int n = 0;
  for (;;)
    {
      if (n == arity)
        return dsl_error_set (err, "domain \"%s\": more intervals than the target's %d argument%s", text,
                     arity, arity > 1 ? "s" : "");
      if (parse_interval (text, &p, &d->lo[n], &d->hi[n], err))
        return -1;
      n++;
      if (*p == '\0')
        break;
      if (*p != ',')
        return dsl_error_set (err, "domain \"%s\": unexpected \"%s\" after an interval", text, p);
      p++;
    }
  if (n == 1)
    for (int j = 1; j < arity; j++)
      {
        d->lo[j] = d->lo[0];
        d->hi[j] = d->hi[0];
      }
  else if (n != arity)
    return dsl_error_set (err, "domain \"%s\": %d intervals for a target of %d arguments "
                 "(give one for all, or one per argument)", text, n, arity);
  return 0;
}

/* Nonzero when V is a value of type Y.  */
static int
representable (dsl_type y, double v)
{
  return isnan (v) || eval_round_to (y, v) == v;
}

/* "argument 2 " for arity > 1, else "".  */
static const char *
argument_label (const eval_target *t, int j, char *buf, size_t size)
{
  if (t->arity == 1)
    return "";
  snprintf (buf, size, "argument %d ", j + 1);
  return buf;
}

int
eval_domain_check (const eval_target *t, dsl_type y, const eval_domain *d, dsl_error *err)
{
  if ((int) y < 0 || (int) y >= DSL_NTYPES)
    return dsl_error_set (err, "unknown type %d", (int) y);
  if (!t->has_domain[y])
    return dsl_error_set (err, "target %s is not available for type %s", t->label, dsl_type_name (y));
  const eval_domain *nat = &t->domain[y];
  for (int j = 0; j < t->arity; j++)
    {
      char lab[32];
      const char *arg = argument_label (t, j, lab, sizeof lab);
      double lo = d->lo[j], hi = d->hi[j];
      if (isnan (lo) || isnan (hi))
        return dsl_error_set (err, "%sdomain has a bound that is not a number", arg);
      if (!(lo <= hi))
        return dsl_error_set (err, "%sdomain [%.9g, %.9g] is empty: LO > HI", arg, lo, hi);
      if (!representable (y, lo) || !representable (y, hi))
        {
          double bad = representable (y, lo) ? hi : lo;
          return dsl_error_set (err, "%sdomain bound %.17g is not a %s value (nearest: %a)", arg, bad,
                       dsl_type_name (y), eval_round_to (y, bad));
        }
      if (lo < nat->lo[j] || hi > nat->hi[j])
        return dsl_error_set (err, "%sdomain [%.9g, %.9g] is outside %s's %s domain [%a, %a]", arg, lo, hi,
                     t->label, dsl_type_name (y), nat->lo[j], nat->hi[j]);
    }
  return 0;
}
