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

/* The argument of T whose name starts S (followed by '='), or -1.  */
static int
named_argument (const eval_target *t, const char *s, size_t *len)
{
  for (int j = 0; j < t->arity; j++)
    {
      const char *name = eval_target_var (t, j);
      size_t n = strlen (name);
      if (strncmp (s, name, n) == 0 && s[n] == '=')
        {
          *len = n + 1;
          return j;
        }
    }
  return -1;
}

int
eval_domain_parse (const char *text, const eval_target *t, eval_domain *d /* OUT */, dsl_error *err)
{
  int arity = t->arity;
  if (arity < 1 || arity > EVAL_MAXARITY)
    return dsl_error_set (err, "domain \"%s\": arity %d is not supported", text, arity);
  memset (d, 0, sizeof *d);
  const char *p = text;
  int n = 0, named = 0, seen[EVAL_MAXARITY] = {0};
  for (;;)
    {
      if (n == arity)
        return dsl_error_set (err, "domain \"%s\": more intervals than the target's %d argument%s", text,
                     arity, arity > 1 ? "s" : "");
      while (isspace ((unsigned char) *p))
        p++;
      /* NAME=LO:HI names the argument; then every interval must.  */
      size_t len = 0;
      int j = isalpha ((unsigned char) *p) || *p == '_' ? named_argument (t, p, &len) : -1;
      if (j < 0 && (isalpha ((unsigned char) *p) || *p == '_') && strchr (p, '='))
        {
          char args[128] = "";
          for (int k = 0; k < arity; k++)
            snprintf (args + strlen (args), sizeof args - strlen (args), "%s%s", k ? ", " : "", eval_target_var (t, k));
          return dsl_error_set (err, "domain \"%s\": \"%.*s\" is not an argument of %s (its arguments: %s)", text,
                                (int) strcspn (p, "="), p, t->label, args);
        }
      if (n > 0 && (j >= 0) != named)
        return dsl_error_set (err, "domain \"%s\": name every interval (NAME=LO:HI) or none", text);
      named = j >= 0;
      if (j < 0)
        j = n;
      else if (seen[j])
        return dsl_error_set (err, "domain \"%s\": argument %s given twice", text, eval_target_var (t, j));
      seen[j] = 1;
      p += len;
      if (parse_interval (text, &p, &d->lo[j], &d->hi[j], err))
        return -1;
      n++;
      if (*p == '\0')
        break;
      if (*p != ',')
        return dsl_error_set (err, "domain \"%s\": unexpected \"%s\" after an interval", text, p);
      p++;
    }
  if (n == 1 && !named)
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

void
eval_domain_round_in (const eval_target *t, dsl_type y, eval_domain *d)
{
  /* Bounds past the type's largest value stay as given: eval_domain_check names them.  */
  double max = dsl_type_info (y)->max;
  for (int j = 0; j < t->arity; j++)
    {
      if (fabs (d->lo[j]) <= max)
        d->lo[j] = eval_round_inward (y, d->lo[j], 1);
      if (fabs (d->hi[j]) <= max)
        d->hi[j] = eval_round_inward (y, d->hi[j], 0);
    }
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
