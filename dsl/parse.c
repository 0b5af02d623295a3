/* parse -- the text form of programs into dsl_prog, with line:column errors.

   Line oriented: every line is blank, a comment, "in NAME...", "NAME = OP
   ARG...", or "out NAME".  A literal's kind follows from the operand slot it
   fills.  No input may crash the parser (tests/fuzz_parse.c).  */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/internal.h"

typedef struct {
  const char *s;      /* start of the current line */
  const char *p;      /* cursor */
  int line;
  dsl_error *err;
  dsl_prog *prog;
  char (*names)[DSL_MAXNAME];   /* name of every value, in value order */
  uint8_t *wide;                /* width of every value (1: 64 bits) */
  int nnames, capnames;
  int seen_out;
} parser;

static int
col_of (const parser *ps, const char *at)
{
  return (int) (at - ps->s) + 1;
}

static void
skip_blank (parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r')
    ps->p++;
}

static int
at_line_end (const parser *ps)
{
  return *ps->p == '\0' || *ps->p == '\n' || *ps->p == '#';
}

/* Reads one whitespace-delimited token into BUF.  Returns its length (0 at end of line).  */
static int
read_token (parser *ps, char *buf, size_t size, const char **start)
{
  skip_blank (ps);
  *start = ps->p;
  size_t n = 0;
  while (!at_line_end (ps) && !isspace ((unsigned char) *ps->p) && *ps->p != '=')
    {
      if (n + 1 < size)
        buf[n] = *ps->p;
      n++;
      ps->p++;
    }
  if (n == 0 && *ps->p == '=')
    {
      buf[0] = '=';
      n = 1;
      ps->p++;
    }
  buf[n < size ? n : size - 1] = '\0';
  return n >= size ? -1 : (int) n;
}

static int
is_identifier (const char *t)
{
  if (!isalpha ((unsigned char) t[0]) && t[0] != '_')
    return 0;
  for (const char *s = t + 1; *s; s++)
    if (!isalnum ((unsigned char) *s) && *s != '_')
      return 0;
  return 1;
}

static int
is_reserved (const char *t)
{
  return strcmp (t, "in") == 0 || strcmp (t, "out") == 0 || strcmp (t, "table") == 0 || strcmp (t, "inf") == 0
         || strcmp (t, "nan") == 0 || dsl_op_lookup (t) >= 0;
}

static int
find_name (const parser *ps, const char *t)
{
  for (int i = ps->nnames - 1; i >= 0; i--)
    if (strcmp (ps->names[i], t) == 0)
      return i;
  return -1;
}

static int
add_name (parser *ps, const char *t, const char *at)
{
  if (!is_identifier (t))
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is not a valid name", t);
  if (is_reserved (t))
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is reserved and cannot name a value", t);
  if (find_name (ps, t) >= 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is already defined", t);
  if (ps->nnames == ps->capnames)
    {
      int cap = ps->capnames ? 2 * ps->capnames : 32;
      void *n = realloc (ps->names, cap * sizeof *ps->names);
      if (n)
        ps->names = n;
      void *w = n ? realloc (ps->wide, (size_t) cap) : NULL;
      if (!w)
        return dsl_fail (ps->err, ps->line, 0, "out of memory");
      ps->wide = w;
      ps->capnames = cap;
    }
  ps->wide[ps->nnames] = (uint8_t) dsl_compute_wide (ps->prog->type);
  strcpy (ps->names[ps->nnames++], t);
  return 0;
}

/* Float literals of width W (1: float64): hex or decimal (rounded to
   nearest), inf, -inf, nan, nan(0xBITS) with the full bit pattern.  */
static int
parse_float_literal (const char *t, int w, uint64_t *bits)
{
  int neg = t[0] == '-';
  const char *u = t + (t[0] == '-' || t[0] == '+');
  double inf = INFINITY, nan = NAN;
  if (strcmp (u, "inf") == 0)
    return *bits = w ? an_u64 (neg ? -inf : inf) : an_u32 (neg ? -(float) inf : (float) inf), 0;
  if (strcmp (t, "nan") == 0)
    return *bits = w ? an_u64 (nan) : 0x7fc00000u, 0;
  if (strncmp (t, "nan(0x", 6) == 0)
    {
      char *end;
      errno = 0;
      unsigned long long b = strtoull (t + 4, &end, 16);
      if (errno || strcmp (end, ")") != 0)
        return -1;
      if (w ? !isnan (an_f64 (b)) : b > 0xffffffffu || !isnan (an_f32 ((uint32_t) b)))
        return -1;
      return *bits = b, 0;
    }
  if (!isdigit ((unsigned char) u[0]) && !(u[0] == '.' && isdigit ((unsigned char) u[1])))
    return -1;
  char *end;
  errno = 0;
  if (w)
    {
      double d = strtod (t, &end);
      if (*end != '\0')
        return -1;
      if (isinf (d))
        return -2;
      return *bits = an_u64 (d), 0;
    }
  float f = strtof (t, &end);
  if (*end != '\0')
    return -1;
  if (isinf (f))
    return -2;
  return *bits = an_u32 (f), 0;
}

/* Integer literals of width W: decimal (or 0x hex), anything in
   [-2^31, 2^32 - 1] (64 bits: [-2^63, 2^64 - 1]), as a bit pattern.  */
static int
parse_int_literal (const char *t, int w, uint64_t *bits)
{
  int neg = t[0] == '-';
  const char *u = t + (t[0] == '-' || t[0] == '+');
  if (!isdigit ((unsigned char) u[0]))
    return -1;
  char *end;
  errno = 0;
  int hex = u[0] == '0' && (u[1] == 'x' || u[1] == 'X');
  /* Never octal: "010" is ten.  */
  unsigned long long m = strtoull (u, &end, hex ? 16 : 10);
  if (*end != '\0')
    return -1;
  if (errno || (neg && m > (w ? UINT64_C (0x8000000000000000) : UINT64_C (0x80000000)))
      || (!w && m > UINT32_MAX))
    return -2;
  uint64_t v = neg ? 0u - (uint64_t) m : (uint64_t) m;
  return *bits = w ? v : (uint32_t) v, 0;
}

/* Operand SLOT of instruction I: a value name now; a literal's text is kept
   in LIT, to be read once the instruction's width is known.  */
static int
parse_operand (parser *ps, const dsl_opinfo *o, int slot, dsl_operand *a, char *lit, const char **lit_at)
{
  char t[128];
  const char *at;
  int n = read_token (ps, t, sizeof t, &at);
  if (n == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, ps->p), "'%s' takes %d operand%s, found %d", o->name,
                     o->arity, o->arity == 1 ? "" : "s", slot);
  if (n < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "operand %d of '%s' is too long", slot + 1, o->name);
  dsl_kind want = o->arg[slot];
  int v = find_name (ps, t);
  if (v >= 0)
    {
      dsl_kind have = dsl_value_kind (ps->prog, (uint32_t) v);
      if (have != want)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "operand %d of '%s' must be %s, '%s' is %s", slot + 1,
                         o->name, want == DSL_KF ? "a float" : "an integer", t,
                         have == DSL_KF ? "a float" : "an integer");
      a->is_const = 0;
      a->ref = (uint32_t) v;
      return 0;
    }
  if (is_identifier (t) && strcmp (t, "inf") != 0 && strcmp (t, "nan") != 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is not defined", t);
  a->is_const = 1;
  strcpy (lit, t);
  *lit_at = at;
  return 0;
}

/* The literal LIT of operand SLOT, in width W.  */
static int
parse_literal (parser *ps, const dsl_opinfo *o, int slot, int w, const char *lit, const char *at, dsl_operand *a)
{
  dsl_kind want = o->arg[slot];
  uint64_t bits;
  int r = want == DSL_KF ? parse_float_literal (lit, w, &bits) : parse_int_literal (lit, w, &bits);
  if (r == -2)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "literal '%s' is out of range for %s", lit,
                     want == DSL_KF ? (w ? "float64" : "float32") : w ? "a 64-bit integer" : "a 32-bit integer");
  if (r < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "operand %d of '%s': expected a value name or %s literal, found '%s'",
                     slot + 1, o->name, want == DSL_KF ? "a float" : "an integer", lit);
  a->bits = bits;
  return 0;
}

static int
expect_line_end (parser *ps, const char *what)
{
  skip_blank (ps);
  if (!at_line_end (ps))
    return dsl_fail (ps->err, ps->line, col_of (ps, ps->p), "unexpected text after %s", what);
  return 0;
}

static int
parse_in (parser *ps, const char *kw)
{
  if (ps->prog->ninsn > 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, kw), "'in' must come before the first instruction");
  char t[DSL_MAXNAME + 1];
  const char *at;
  int n, count = 0;
  while ((n = read_token (ps, t, sizeof t, &at)) != 0)
    {
      if (n < 0 || n >= DSL_MAXNAME)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "input name is longer than %d characters", DSL_MAXNAME - 1);
      if (dsl_is_result_name (t))
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is reserved for results (v1, v2, ...); name inputs otherwise", t);
      if (ps->nnames >= DSL_MAXIN)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "more than %d inputs", DSL_MAXIN);
      if (add_name (ps, t, at) < 0)
        return -1;
      count++;
    }
  if (count == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, ps->p), "'in' needs at least one input name");
  return expect_line_end (ps, "the input names");
}

/* "table [f32|f64] C ...": entries of the program's constant table, appended
   in order; the width (default: the compute type's) is said on the first
   line, and lines come before the first instruction, whose widths depend on it.  */
static int
parse_table (parser *ps, const char *kw)
{
  dsl_prog *p = ps->prog;
  if (ps->nnames == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, kw), "'table' before any 'in' line");
  if (p->ninsn > 0 || ps->seen_out)
    return dsl_fail (ps->err, ps->line, col_of (ps, kw), "'table' must come before the first instruction");
  char t[128];
  const char *at;
  int n = read_token (ps, t, sizeof t, &at), first = 1;
  if (n > 0 && (strcmp (t, "f32") == 0 || strcmp (t, "f64") == 0))
    {
      int w = t[1] == '6';
      if (p->ntab > 0 && w != p->tabw)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "the table's entries are all of one width");
      p->tabw = w;
      n = read_token (ps, t, sizeof t, &at);
    }
  else if (p->ntab == 0)
    p->tabw = dsl_compute_wide (p->type);
  for (; n != 0; n = read_token (ps, t, sizeof t, &at), first = 0)
    {
      uint64_t bits;
      int r = n < 0 ? -1 : parse_float_literal (t, p->tabw, &bits);
      if (r == -2)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "literal '%s' is out of range for %s", t,
                         p->tabw ? "float64" : "float32");
      if (r < 0)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "table entry: expected a float literal, found '%s'",
                         n < 0 ? "(too long)" : t);
      if (p->ntab == DSL_MAXTAB)
        return dsl_fail (ps->err, ps->line, col_of (ps, at), "a table has at most %d entries", DSL_MAXTAB);
      p->tab[p->ntab++] = bits;
    }
  if (first)
    return dsl_fail (ps->err, ps->line, col_of (ps, ps->p), "'table' needs at least one entry");
  return expect_line_end (ps, "the table's entries");
}

static int
parse_out (parser *ps, const char *kw)
{
  if (ps->seen_out)
    return dsl_fail (ps->err, ps->line, col_of (ps, kw), "a second 'out'");
  char t[DSL_MAXNAME + 1];
  const char *at;
  int n = read_token (ps, t, sizeof t, &at);
  if (n == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'out' needs the name of the value returned");
  int v = n > 0 ? find_name (ps, t) : -1;
  if (v < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "'%s' is not defined", t);
  if (dsl_value_kind (ps->prog, (uint32_t) v) != DSL_KF)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "out must be a float value; '%s' is an integer", t);
  ps->prog->out = (uint32_t) v;
  ps->seen_out = 1;
  return expect_line_end (ps, "'out NAME'");
}

static int
parse_insn (parser *ps, const char *name, const char *at)
{
  if (ps->nnames == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "instruction before any 'in' line");
  if (ps->seen_out)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "instruction after 'out'");
  if (strlen (name) >= DSL_MAXNAME)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "name is longer than %d characters", DSL_MAXNAME - 1);
  char t[64];
  const char *tat;
  int n = read_token (ps, t, sizeof t, &tat);
  if (n != 1 || t[0] != '=')
    return dsl_fail (ps->err, ps->line, col_of (ps, tat), "expected '=' after '%s'", name);
  n = read_token (ps, t, sizeof t, &tat);
  if (n == 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, tat), "expected an op after '='");
  int op = n > 0 ? dsl_op_lookup (t) : -1;
  if (op < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, tat), "unknown op '%s'", n > 0 ? t : "(too long)");
  const dsl_opinfo *o = dsl_op (op);
  dsl_insn i;
  memset (&i, 0, sizeof i);
  i.op = (uint8_t) op;
  char lit[DSL_MAXARGS][128];
  const char *lit_at[DSL_MAXARGS];
  for (int s = 0; s < o->arity; s++)
    if (parse_operand (ps, o, s, &i.a[s], lit[s], &lit_at[s]) < 0)
      return -1;
  /* The width every literal takes: the instruction's, from its value operands.  */
  dsl_prog *p = ps->prog;
  int k = p->ninsn, w, rw;
  if (dsl_prog_append (p, &i) < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "too many instructions (at most %d)", DSL_MAXINSN);
  dsl_error werr;
  if (dsl_insn_width (p, k, ps->wide, &w, &rw, &werr) < 0)
    {
      p->ninsn--;
      return dsl_fail (ps->err, ps->line, col_of (ps, tat), "%s", werr.msg);
    }
  for (int s = 0; s < o->arity; s++)
    if (i.a[s].is_const && parse_literal (ps, o, s, w, lit[s], lit_at[s], &p->insn[k].a[s]) < 0)
      {
        p->ninsn--;
        return -1;
      }
  p->ninsn--;   /* appended again below, once the name is known good */
  i = p->insn[k];
  skip_blank (ps);
  if (!at_line_end (ps))
    return dsl_fail (ps->err, ps->line, col_of (ps, ps->p), "'%s' takes %d operand%s; unexpected extra text", o->name,
                     o->arity, o->arity == 1 ? "" : "s");
  if (add_name (ps, name, at) < 0)
    return -1;
  ps->wide[ps->nnames - 1] = (uint8_t) rw;
  if (dsl_prog_append (ps->prog, &i) < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "too many instructions (at most %d)", DSL_MAXINSN);
  return 0;
}

/* "# autonum 1 target=exp type=float32 domain=LO:HI": unknown keys are ignored.
   A target that is an FPCore text ("target=(FPCore ...") runs to the end of the line.  */
static int
parse_header (parser *ps, const char *line, dsl_type *type, int header_type)
{
  const char *p = line + strspn (line, "# \t");
  if (strncmp (p, "autonum", 7) != 0 || (p[7] != ' ' && p[7] != '\t'))
    return 0;
  char t[128];
  p += 7;
  for (;;)
    {
      p += strspn (p, " \t\r");
      size_t n = strcspn (p, " \t\r\n");
      if (n == 0)
        break;
      const char *at = p;
      if (strncmp (p, "target=(", 8) == 0)
        {
          /* An FPCore text: the rest of the line.  */
          n = strcspn (p, "\r\n");
          while (n > 7 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
          p += n;
          if (n - 7 >= DSL_MAXTARGET)
            return dsl_fail (ps->err, ps->line, col_of (ps, at), "target text too long");
          memcpy (ps->prog->target, at + 7, n - 7);
          ps->prog->target[n - 7] = '\0';
          continue;
        }
      p += n;
      if (n >= sizeof t)
        continue;   /* no key we know is that long */
      memcpy (t, at, n);
      t[n] = '\0';
      if (strncmp (t, "target=", 7) == 0)
        {
          if (strlen (t + 7) >= DSL_MAXNAME)
            return dsl_fail (ps->err, ps->line, col_of (ps, at), "target name too long");
          strcpy (ps->prog->target, t + 7);
        }
      else if (strncmp (t, "type=", 5) == 0 && header_type)
        {
          if (dsl_type_parse (t + 5, type) < 0)
            return dsl_fail (ps->err, ps->line, col_of (ps, at) + 5, "unknown type '%s'", t + 5);
        }
      else if (strncmp (t, "domain=", 7) == 0)
        {
          /* LO:HI, or LO:HI,LO:HI,... one per input.  */
          char *end = t + 6;
          int n = 0;
          do
            {
              if (n == DSL_MAXDOMAIN)
                return dsl_fail (ps->err, ps->line, col_of (ps, at) + 7, "domain: at most %d intervals", DSL_MAXDOMAIN);
              double lo = strtod (end + 1, &end);
              if (*end != ':')
                return dsl_fail (ps->err, ps->line, col_of (ps, at) + 7, "domain must be LO:HI (or LO:HI,LO:HI per input)");
              double hi = strtod (end + 1, &end);
              if ((*end != '\0' && *end != ',') || !(lo <= hi))
                return dsl_fail (ps->err, ps->line, col_of (ps, at) + 7, "domain must be LO:HI with LO <= HI");
              ps->prog->domain_lo[n] = lo;
              ps->prog->domain_hi[n] = hi;
              n++;
            }
          while (*end == ',');
          ps->prog->has_domain = n;
        }
    }
  ps->prog->type = *type;
  return 0;
}

static int
parse_line (parser *ps, dsl_type *type, int header_type)
{
  skip_blank (ps);
  if (*ps->p == '#')
    return ps->line == 1 ? parse_header (ps, ps->p, type, header_type) : 0;
  if (at_line_end (ps))
    return 0;
  char t[DSL_MAXNAME + 1];
  const char *at;
  int n = read_token (ps, t, sizeof t, &at);
  if (n < 0)
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "name is longer than %d characters", DSL_MAXNAME - 1);
  if (strcmp (t, "in") == 0)
    return parse_in (ps, at);
  if (strcmp (t, "out") == 0)
    return parse_out (ps, at);
  if (strcmp (t, "table") == 0)
    return parse_table (ps, at);
  if (t[0] == '=')
    return dsl_fail (ps->err, ps->line, col_of (ps, at), "expected a name before '='");
  return parse_insn (ps, t, at);
}

int
dsl_parse (const char *text, dsl_type type, int header_type, dsl_prog **out, dsl_error *err)
{
  *out = NULL;
  if (err)
    err->line = err->col = 0, err->msg[0] = '\0';
  parser ps;
  memset (&ps, 0, sizeof ps);
  ps.err = err;
  /* The input count is known only after the "in" lines; start with the
     maximum and trim, so that value kinds are available while parsing.  */
  ps.prog = dsl_prog_new (type, DSL_MAXIN);
  if (!ps.prog)
    return dsl_fail (err, 0, 0, "out of memory");
  ps.prog->nin = 0;
  int rc = 0;
  const char *p = text;
  for (ps.line = 1; rc == 0; ps.line++)
    {
      ps.s = ps.p = p;
      int nin_before = ps.nnames;
      int was_in = ps.prog->ninsn == 0;
      rc = parse_line (&ps, &type, header_type);
      if (rc == 0 && was_in && ps.prog->ninsn == 0)
        {
          /* Inputs occupy value slots 0 .. nin-1.  */
          ps.prog->nin = ps.nnames;
          for (int j = nin_before; j < ps.nnames; j++)
            strcpy (ps.prog->inname[j], ps.names[j]);
        }
      const char *nl = strchr (p, '\n');
      if (!nl)
        break;
      p = nl + 1;
    }
  if (rc == 0 && ps.nnames == 0)
    rc = dsl_fail (err, ps.line, 1, "no 'in' line: a program needs at least one input");
  else if (rc == 0 && !ps.seen_out)
    rc = dsl_fail (err, ps.line, 1, "no 'out' line: a program must say which value it returns");
  if (rc == 0)
    rc = dsl_prog_check (ps.prog, err);
  free (ps.names);
  free (ps.wide);
  if (rc < 0)
    {
      dsl_prog_free (ps.prog);
      return -1;
    }
  *out = ps.prog;
  return 0;
}
