/* test_dsl -- parser, printer, op meanings and the batch interpreter.  */
#include <fenv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/dsl.h"
#include "dsl/helpers.h"
#include "eval/rng.h"
#include "tests/randprog.h"
#include "tests/tap.h"

static char *
slurp (const char *rel)
{
  const char *top = getenv ("top_srcdir");
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", top ? top : ".", rel);
  FILE *f = fopen (path, "rb");
  if (!f)
    return NULL;
  char *s = calloc (1, 1 << 20);
  size_t n = fread (s, 1, (1 << 20) - 1, f);
  s[n] = '\0';
  fclose (f);
  return s;
}

static int
roundtrips (const dsl_prog *p)
{
  char *text = dsl_print (p, 1);
  dsl_prog *q = NULL;
  dsl_error e;
  int ok = text && dsl_parse (text, p->type, 1, &q, &e) == 0 && dsl_prog_equal (p, q);
  if (ok)
    {
      char *again = dsl_print (q, 1);
      ok = again && strcmp (again, text) == 0;
      free (again);
    }
  if (!ok)
    tap_diag ("round trip failed for:\n%s", text ? text : "(null)");
  free (text);
  dsl_prog_free (q);
  return ok;
}

static void
test_roundtrip (an_rng *r)
{
  char *text = slurp ("tests/progs/exp_cw.anp");
  dsl_prog *p = NULL;
  dsl_error e;
  tap_ok (text && dsl_parse (text, DSL_FLOAT32, 1, &p, &e) == 0, "exp_cw.anp parses");
  if (p)
    {
      tap_ok (roundtrips (p), "exp_cw.anp: parse(print(p)) == p");
      tap_ok (strcmp (p->target, "exp") == 0, "header target read");
    }
  dsl_prog_free (p);
  free (text);

  int bad = 0;
  for (int i = 0; i < 3000 && !bad; i++)
    {
      dsl_prog *q = randprog_new (r, i % DSL_NOPS);
      bad = !roundtrips (q);
      dsl_prog_free (q);
    }
  tap_ok (!bad, "3000 random programs (every op, every literal kind) round-trip exactly");
}

/* Declarative error cases: text, line, column, a piece of the message.  */
static const struct {
  const char *text;
  int line, col;
  const char *msg;
} bad_programs[] = {
  {"in x\nv1 = mull x x\nout v1\n", 2, 6, "unknown op 'mull'"},
  {"in x\nv1 = add x\nout v1\n", 2, 11, "'add' takes 2 operands, found 1"},
  {"in x\nv1 = add x x x\nout v1\n", 2, 14, "unexpected extra text"},
  {"in x\nv1 = add x y\nout v1\n", 2, 12, "'y' is not defined"},
  {"in x\nv1 = add x x\nv1 = add x x\nout v1\n", 3, 1, "'v1' is already defined"},
  {"in x\nv1 = asint x\nv2 = add v1 x\nout v2\n", 3, 10, "must be a float, 'v1' is an integer"},
  {"in x\nv1 = asint x\nout v1\n", 3, 5, "out must be a float value"},
  {"in x\nv1 = add x x\n", 3, 1, "no 'out' line"},
  {"v1 = add x x\nout v1\n", 1, 1, "instruction before any 'in' line"},
  {"in x\nv1 = add x 0x1.8p+0q\nout v1\n", 2, 12, "expected a value name or a float literal"},
  {"in x\nv1 = ldexp x 1.5\nout v1\n", 2, 14, "expected a value name or an integer literal"},
  {"in x\nv1 = shl x 1\nout v1\n", 2, 10, "must be an integer, 'x' is a float"},
  {"in x\nv1 = add x 1e39\nout v1\n", 2, 12, "out of range for float32"},
  {"in x\nv1 = asint x\nv2 = iadd v1 4294967296\nout x\n", 3, 14, "out of range"},
  {"in x\nout x\nv1 = add x x\n", 3, 1, "instruction after 'out'"},
  {"in x\nv1 add x x\nout v1\n", 2, 4, "expected '='"},
  {"in v3\nout v3\n", 1, 4, "reserved for results"},
  {"in x x\nout x\n", 1, 6, "already defined"},
  {"in x\nout\n", 2, 4, "needs the name"},
  {"in x\nout x x\n", 2, 7, "unexpected text"},
  {"# autonum 1 type=float99\nin x\nout x\n", 1, 18, "unknown type 'float99'"},
  {"# autonum 1 type=float64\nin x\nv1 = tof32 x\nout v1\n", 0, 0, "out must be a float64 value"},
  {"in x\nv1 = tof64 x\nv2 = add v1 x\nv3 = tof32 v2\nout v3\n", 3, 6, "operands of 32 and 64 bits"},
  {"in x\nv1 = tof32 x\nout v1\n", 2, 6, "takes a float64 value"},
  {"in x\nv1 = add x nan(0x7f800000)\nout v1\n", 2, 12, "expected a value name or a float literal"},
  {"in x\nexp = add x x\nout exp\n", 2, 1, "reserved"},
  {"", 1, 1, "no 'in' line"},
  {"in x\nv1 = add x x\ntable 1 2\nout v1\n", 3, 1, "'table' must come before the first instruction"},
  {"table 1 2\nin x\nout x\n", 1, 1, "'table' before any 'in' line"},
  {"in x\ntable\nout x\n", 2, 6, "needs at least one entry"},
  {"in x\ntable 1 two\nout x\n", 2, 9, "expected a float literal, found 'two'"},
  {"in x\ntable f32 1\ntable f64 2\nout x\n", 3, 7, "all of one width"},
  {"in x\ntable 1 1e39\nout x\n", 2, 9, "out of range for float32"},
  {"# autonum 1 type=float64\nin x\ntable f32 1\nv1 = asint x\nv2 = lut v1 0\nout v2\n", 0, 0, "out must be a float64 value"},
  {"in x\ntable = add x x\nout table\n", 2, 7, "expected a float literal"},
};

/* The constant table: text, meaning of lut (index (a + b) mod 2^32 mod n), 65 entries refused.  */
static void
test_table (void)
{
  const char *text = "in x\n"
                     "table f64 0x1p+0 0x1.8p+0 -0x1p-3 0x1p+60 inf 0x1.5555555555555p-2\n"
                     "table 7\n"
                     "v1 = asint x\n"
                     "v2 = lut v1 -3\n"
                     "v3 = tof32 v2\n"
                     "out v3\n";
  dsl_prog *p = NULL, *q = NULL;
  dsl_error e;
  int rc = dsl_parse (text, DSL_FLOAT32, 0, &p, &e);
  tap_ok (rc == 0 && p->ntab == 7 && p->tabw == 1 && an_f64 (p->tab[3]) == 0x1p60 && an_f64 (p->tab[6]) == 7,
          "a table of 7 float64 entries on two lines parses");
  if (rc < 0)
    {
      tap_diag ("%d:%d: %s", e.line, e.col, e.msg);
      return;
    }
  char *out = dsl_print (p, 0);
  rc = out ? dsl_parse (out, DSL_FLOAT32, 0, &q, &e) : -1;
  tap_ok (rc == 0 && dsl_prog_equal (p, q) && strstr (out, "table f64 0x1p+0 0x1.8p+0"),
          "it prints (width on the first line) and parses back to the same program");
  /* Entry (x's bits - 3) mod 2^32 mod 7, for bit patterns around the wrap.  */
  uint32_t bits[] = {0, 1, 2, 3, 9, 0x7fffffffu, 0x80000000u, 0xfffffffdu, 0xffffffffu};
  int n = (int) (sizeof bits / sizeof bits[0]), good = 0;
  float xin[16], yout[16];
  for (int i = 0; i < n; i++)
    xin[i] = an_f32 (bits[i]);
  const void *in[1] = {xin};
  dsl_run (p, (size_t) n, in, yout);
  for (int i = 0; i < n; i++)
    {
      uint32_t b = xin[i] != xin[i] ? 0x7fc00000u : bits[i];   /* asint of any NaN */
      float want = (float) an_f64 (p->tab[(uint32_t) (b - 3u) % 7u]);
      good += an_u32 (yout[i]) == an_u32 (an_result (want));
    }
  tap_ok (good == n, "lut reads entry (a + b) mod 2^32 mod n, across the wrap (%d of %d)", good, n);
  /* 64 entries parse, 65 do not.  */
  char big[4096] = "in x\ntable";
  for (int i = 0; i < 65; i++)
    snprintf (big + strlen (big), sizeof big - strlen (big), " %d", i);
  strcat (big, "\nout x\n");
  dsl_prog *r = NULL;
  int rc65 = dsl_parse (big, DSL_FLOAT32, 0, &r, &e);
  tap_ok (rc65 < 0 && strstr (e.msg, "at most 64"), "a 65th entry is refused: %s", e.msg);
  dsl_prog_free (r);
  /* A table nothing reads is dead code.  */
  dsl_prog *d = NULL;
  dsl_parse ("in x\ntable 1 2\nv1 = add x x\nout v1\n", DSL_FLOAT32, 0, &d, &e);
  if (d)
    dsl_prog_strip_dead (d);
  tap_ok (d && d->ntab == 0, "strip_dead drops a table no lut reads");
  dsl_prog_free (d);
  free (out);
  dsl_prog_free (p);
  dsl_prog_free (q);
}

static void
test_errors (void)
{
  for (size_t i = 0; i < sizeof bad_programs / sizeof bad_programs[0]; i++)
    {
      dsl_prog *p = NULL;
      dsl_error e;
      int rc = dsl_parse (bad_programs[i].text, DSL_FLOAT32, 1, &p, &e);
      int ok = rc < 0 && !p && e.line == bad_programs[i].line && e.col == bad_programs[i].col
               && strstr (e.msg, bad_programs[i].msg);
      tap_ok (ok, "error case %zu: %d:%d: %s", i + 1, bad_programs[i].line, bad_programs[i].col, bad_programs[i].msg);
      if (!ok)
        tap_diag ("got rc %d at %d:%d: %s", rc, e.line, e.col, e.msg);
      dsl_prog_free (p);
    }
  /* Literals: hex exact, decimal rounded to nearest, CRLF, comments, tabs, names.  */
  dsl_prog *p = NULL;
  dsl_error e;
  int rc = dsl_parse ("# c\r\nin\tx\r\n  v = fma x 0.1 -0x1p-149 # t\r\nw = shr 0x7f 33\r\nz = ldexp v w\nout z\r\n",
                      DSL_FLOAT32, 1, &p, &e);
  tap_ok (rc == 0 && p->ninsn == 3 && p->insn[0].a[1].bits == 0x3dcccccd && p->insn[0].a[2].bits == 0x80000001
            && p->insn[1].a[0].bits == 0x7f && p->insn[1].a[1].bits == 33,
          "literals: decimal 0.1 rounds to 0x3dcccccd, -0x1p-149, hex and decimal integers; CRLF and tabs");
  dsl_prog_free (p);
  rc = dsl_parse ("in x\nv1 = add x 010\nout v1\n", DSL_FLOAT32, 1, &p, &e);
  tap_ok (rc == 0 && p->insn[0].a[1].bits == 0x41200000, "a float literal 010 is ten");
  dsl_prog_free (p);
  rc = dsl_parse ("in x\nv1 = asint x\nv2 = iadd v1 010\nv3 = asfloat v2\nout v3\n", DSL_FLOAT32, 1, &p, &e);
  tap_ok (rc == 0 && p->insn[1].a[1].bits == 10, "an integer literal 010 is ten, not octal");
  dsl_prog_free (p);
}

static uint32_t
b32 (float f)
{
  return randprog_f32_bits (f);
}

static uint32_t
apply1 (dsl_opcode op, uint32_t a)
{
  uint32_t u[3] = {a, 0, 0};
  return dsl_apply_f32 (op, u);
}

static uint32_t
apply2 (dsl_opcode op, uint32_t a, uint32_t b)
{
  uint32_t u[3] = {a, b, 0};
  return dsl_apply_f32 (op, u);
}

static void
test_op_meanings (an_rng *r)
{
  /* rint: ties to even, sign of zero kept, large values unchanged.  */
  tap_ok (apply1 (DSL_RINT, b32 (0.5f)) == b32 (0.0f) && apply1 (DSL_RINT, b32 (1.5f)) == b32 (2.0f)
            && apply1 (DSL_RINT, b32 (2.5f)) == b32 (2.0f) && apply1 (DSL_RINT, b32 (-0.5f)) == b32 (-0.0f)
            && apply1 (DSL_RINT, b32 (-2.5f)) == b32 (-2.0f) && apply1 (DSL_RINT, b32 (0x1.fffffep22f)) == b32 (0x1p23f)
            && apply1 (DSL_RINT, b32 (0x1.000002p23f)) == b32 (0x1.000002p23f),
          "rint rounds half to even and keeps -0");
  int bad = 0;
  for (int i = 0; i < 100000; i++)
    {
      uint32_t u = (uint32_t) an_rng_next (r);
      float x;
      memcpy (&x, &u, 4);
      if (isnan (x))
        continue;
      bad += apply1 (DSL_RINT, u) != b32 (nearbyintf (x));
    }
  tap_ok (!bad, "rint == nearbyintf (round to nearest mode) on 100000 random patterns (%d differ)", bad);
  bad = 0;
  for (int i = 0; i < 100000; i++)
    {
      uint32_t u = (uint32_t) an_rng_next (r);
      if (i % 2)
        u = (u & 0x80000000u) | ((uint32_t) (118 + an_rng_below (r, 36)) << 23) | (u & 0x7fffffu);   /* |x| in [2^-9, 2^27) */
      float x;
      memcpy (&x, &u, 4);
      if (isnan (x))
        continue;
      bad += apply1 (DSL_FLOOR, u) != b32 (floorf (x));
      bad += apply1 (DSL_RINT, u) != b32 (nearbyintf (x));
    }
  tap_ok (!bad, "floor == floorf and rint == nearbyintf on 100000 patterns around the integers (%d differ)", bad);
  tap_ok (apply1 (DSL_FLOOR, b32 (-0.0f)) == b32 (-0.0f) && apply1 (DSL_FLOOR, b32 (-0x1p-149f)) == b32 (-1.0f)
            && apply1 (DSL_FLOOR, b32 (-2.5f)) == b32 (-3.0f) && apply1 (DSL_FLOOR, b32 (0x1.fffffep22f)) == b32 (0x1.fffffcp22f),
          "floor of -0, of the smallest negative subnormal, of -2.5, below 2^23");
  fesetround (FE_UPWARD);
  int up = apply1 (DSL_RINT, b32 (2.5f)) == b32 (2.0f) && apply1 (DSL_RINT, b32 (0.25f)) == b32 (0.0f);
  fesetround (FE_TONEAREST);
  tap_ok (up, "rint ignores the rounding mode (upward mode: rint 2.5 = 2)");

  tap_ok (apply1 (DSL_TOINT, b32 (2.5f)) == 2 && apply1 (DSL_TOINT, b32 (-3.5f)) == (uint32_t) -4
            && apply1 (DSL_TOINT, b32 (0x1p31f)) == 0x7fffffffu && apply1 (DSL_TOINT, b32 (-0x1p31f)) == 0x80000000u
            && apply1 (DSL_TOINT, b32 (-INFINITY)) == 0x80000000u && apply1 (DSL_TOINT, 0x7fc00000u) == 0
            && apply1 (DSL_TOINT, b32 (0x1.fffffep30f)) == 0x7fffff80u,
          "toint: ties to even, saturates, NaN -> 0");
  /* toint against lrint-like arithmetic in round-to-nearest: random patterns,
     and patterns around the integers and the ends of the int32 range.  */
  bad = 0;
  for (int i = 0; i < 200000; i++)
    {
      uint32_t u = (uint32_t) an_rng_next (r);
      if (i % 2)
        u = (u & 0x80000000u) | ((uint32_t) (118 + an_rng_below (r, 44)) << 23) | (u & 0x7fffffu);   /* [2^-9, 2^35) */
      float x;
      memcpy (&x, &u, 4);
      double rx = nearbyint ((double) x);
      uint32_t want = isnan (x) ? 0 : rx >= 0x1p31 ? 0x7fffffffu : rx <= -0x1p31 ? 0x80000000u : (uint32_t) (int32_t) rx;
      bad += apply1 (DSL_TOINT, u) != want;
    }
  tap_ok (!bad, "toint == nearbyint saturated to int32 (NaN 0) on 200000 patterns (%d differ)", bad);
  tap_ok (apply1 (DSL_TOFLOAT, 0x80000000u) == b32 (-0x1p31f) && apply1 (DSL_TOFLOAT, 0xffffffffu) == b32 (-1.0f)
            && apply1 (DSL_TOFLOAT, 16777217u) == b32 (16777216.0f),
          "tofloat: signed, rounds to nearest even");
  tap_ok (apply2 (DSL_SHR, 0x80000010u, 4) == 0xf8000001u && apply2 (DSL_SHR, 0x40000000u, 30) == 1
            && apply2 (DSL_SHR, 0x80000000u, 63) == 0xffffffffu && apply2 (DSL_SHR, 0x12345678u, 32) == 0x12345678u
            && apply2 (DSL_SHL, 1, 33) == 2 && apply2 (DSL_SHL, 1, 31) == 0x80000000u,
          "shr is arithmetic, shift counts modulo 32");
  tap_ok (apply1 (DSL_ASINT, 0xffc00001u) == 0x7fc00000u && apply1 (DSL_ASINT, 0x7f800001u) == 0x7fc00000u
            && apply1 (DSL_ASINT, 0x80000000u) == 0x80000000u,
          "asint: every NaN reads as 0x7fc00000, other patterns as they are");
  tap_ok (apply2 (DSL_ISUB, 0, 1) == 0xffffffffu && apply2 (DSL_IADD, 0xffffffffu, 2) == 1,
          "integer ops wrap modulo 2^32");
  tap_ok (apply2 (DSL_MIN, 0x7fc00000u, b32 (1.0f)) == b32 (1.0f) && apply2 (DSL_MIN, b32 (1.0f), 0x7fc00000u) == b32 (1.0f)
            && apply2 (DSL_MIN, b32 (0.0f), b32 (-0.0f)) == b32 (-0.0f)
            && apply2 (DSL_MIN, b32 (-0.0f), b32 (0.0f)) == b32 (-0.0f)
            && apply2 (DSL_MAX, b32 (-0.0f), b32 (0.0f)) == b32 (0.0f)
            && apply2 (DSL_MAX, b32 (0.0f), b32 (-0.0f)) == b32 (0.0f)
            && apply2 (DSL_MAX, b32 (-1.0f), 0xffc00000u) == b32 (-1.0f),
          "min/max: NaN yields the other operand, -0 < +0 in either order");
  tap_ok (apply2 (DSL_LT, 0x7fc00000u, b32 (1.0f)) == 0 && apply2 (DSL_LE, b32 (1.0f), b32 (1.0f)) == 0xffffffffu,
          "lt/le masks, false on NaN");
  uint32_t s[3] = {0x10, b32 (1.0f), b32 (2.0f)}, z[3] = {0, b32 (1.0f), b32 (2.0f)};
  tap_ok (dsl_apply_f32 (DSL_SELECT, s) == b32 (1.0f) && dsl_apply_f32 (DSL_SELECT, z) == b32 (2.0f),
          "select: nonzero mask picks the second operand");

  /* ldexp against libm's ldexpf: subnormal results round once.  */
  bad = 0;
  for (int i = 0; i < 200000; i++)
    {
      uint32_t u = (uint32_t) an_rng_next (r);
      float x;
      memcpy (&x, &u, 4);
      int e = (int) an_rng_below (r, 700) - 350;
      if (i % 4 == 0)
        e = (int) an_rng_next (r);
      if (isnan (x))
        continue;
      bad += apply2 (DSL_LDEXP, u, (uint32_t) e) != b32 (ldexpf (x, e));
    }
  tap_ok (!bad, "ldexp == libm ldexpf on 200000 random (x, e), subnormal and overflowing results included (%d differ)",
          bad);
}

/* The interpreter against a scalar, instruction-by-instruction evaluation with
   dsl_apply (dsl_eval_point), over lengths that are not multiples of the batch.  */
static void
test_interpreter (an_rng *r)
{
  int bad = 0, checked = 0, out64 = 0;
  for (int i = 0; i < 400 && !bad; i++)
    {
      dsl_prog *p = randprog_new (r, i % DSL_NOPS);
      size_t n = 1 + an_rng_below (r, 1500);
      float *x[RANDPROG_MAXIN], *y = malloc (n * 4);
      double *y64 = malloc (n * sizeof *y64);
      for (int j = 0; j < p->nin; j++)
        x[j] = malloc (n * 4);
      randprog_inputs (r, x, p->nin, n);
      const void *in[RANDPROG_MAXIN] = {x[0], p->nin > 1 ? x[1] : NULL, p->nin > 2 ? x[2] : NULL};
      dsl_run (p, n, in, y);
      dsl_interp *c = dsl_interp_new (p);
      dsl_interp_run_f64 (c, n, in, y64);
      dsl_interp_free (c);
      uint64_t *v = malloc ((p->nin + p->ninsn) * sizeof *v);
      uint8_t *wide = malloc ((size_t) (p->nin + p->ninsn));
      dsl_prog_widths (p, wide, NULL);
      out64 += wide[p->out];
      for (size_t k = 0; k < n && !bad; k++)
        {
          for (int j = 0; j < p->nin; j++)
            v[j] = b32 (x[j][k]);
          dsl_eval_point (p, wide, p->ninsn - 1, v);
          /* A float64 result is rounded once into float32; dsl_interp_run_f64 gives it unrounded.  */
          double d = wide[p->out] ? an_result64 (an_f64 (v[p->out])) : 0;
          uint32_t want = an_u32 (an_result (wide[p->out] ? (float) d : an_f32 ((uint32_t) v[p->out])));
          uint64_t want64 = wide[p->out] ? an_u64 (d) : an_u64 ((double) an_f32 (want));
          if (want != b32 (y[k]) || want64 != an_u64 (y64[k]))
            {
              char *t = dsl_print (p, 0);
              tap_diag ("point %zu: interpreter 0x%08x (%a unrounded), scalar 0x%016llx\n%s", k, b32 (y[k]), y64[k],
                        (unsigned long long) v[p->out], t);
              free (t);
              bad = 1;
            }
          checked++;
        }
      free (v);
      free (y64);
      free (wide);
      for (int j = 0; j < p->nin; j++)
        free (x[j]);
      free (y);
      dsl_prog_free (p);
    }
  tap_ok (!bad && out64 > 0, "batch interpreter == scalar op-by-op evaluation on 400 random programs (%d points; "
          "%d with a float64 result, rounded once, and unrounded by dsl_interp_run_f64)", checked, out64);

}

static void
test_strip_and_cost (void)
{
  dsl_prog *p;
  dsl_error e;
  dsl_parse ("in x\na = mul x x\ndead = add a 1\nb = add a x\ndead2 = sqrt dead\nout b\n", DSL_FLOAT32, 1, &p, &e);
  /* Dead code costs nothing; on [1, 2] no NaN can reach the result, on any input one can.  */
  double lo = 1, hi = 2;
  tap_ok (dsl_prog_cost (p, &lo, &hi) == 1 + 1, "cost is the sum of the live ops' lowered weights");
  tap_ok (dsl_prog_cost (p, NULL, NULL) == 1 + 1 + dsl_lower_info (DSL_LW_RESULT)->cost,
          "with no domain the result's NaN canonicalisation is paid for");
  dsl_prog *q = dsl_prog_clone (p);
  dsl_prog_strip_dead (q);
  float x[4] = {1, 2, -3, 0.5f}, y1[4], y2[4];
  const void *in[1] = {x};
  dsl_run (p, 4, in, y1);
  dsl_run (q, 4, in, y2);
  tap_ok (q->ninsn == 2 && memcmp (y1, y2, sizeof y1) == 0 && dsl_prog_check (q, &e) == 0,
          "dead code removal keeps the function and drops 2 instructions");
  dsl_prog_free (p);
  dsl_prog_free (q);

  /* Bit round trips go (the search padded programs with them: they cost nothing), a
     literal's only where no slot reads it in another width.  */
  static const char *const trips[][2] = {
    { "in x\na = asint x\nb = asfloat a\nc = mul b b\nd = asint c\ne = asfloat d\nout e\n", "in x\nv1 = mul x x\nout v1\n" },
    { "in x\na = asint 0x1.8p+0\nb = asfloat a\nc = mul b x\nout c\n", "in x\nv1 = mul x 0x1.8p+0\nout v1\n" },
    /* asint of asfloat is no identity: 0x7f800001 is a NaN, which asint reads as 0x7fc00000.  */
    { "in x\na = asfloat 0x7f800001\nb = asint a\nc = iadd b 1\nd = asfloat c\nout d\n", NULL },
  };
  for (size_t k = 0; k < sizeof trips / sizeof trips[0]; k++)
    {
      dsl_prog *a, *want = NULL;
      dsl_parse (trips[k][0], DSL_FLOAT32, 1, &a, &e);
      if (trips[k][1])
        dsl_parse (trips[k][1], DSL_FLOAT32, 1, &want, &e);
      dsl_prog *b = dsl_prog_clone (a);
      dsl_prog_canonicalize (b);
      float z[4] = {1.5f, -0.0f, 0x1p-140f, NAN}, ya[4], yb[4];
      const void *zin[1] = {z};
      dsl_run (a, 4, zin, ya);
      dsl_run (b, 4, zin, yb);
      char *text = dsl_print (b, 0);
      tap_ok (dsl_prog_check (b, &e) == 0 && memcmp (ya, yb, sizeof ya) == 0
                && (want ? dsl_prog_equal (b, want) : b->ninsn == a->ninsn),
              "canonical form of round trip case %zu: %s", k, text ? text : "");
      free (text);
      dsl_prog_free (a);
      dsl_prog_free (b);
      dsl_prog_free (want);
    }
}

int
main (void)
{
  an_rng r;
  an_rng_seed (&r, tap_seed (20261123));
  test_roundtrip (&r);
  test_errors ();
  test_table ();
  test_op_meanings (&r);
  test_interpreter (&r);
  test_strip_and_cost ();
  return tap_done ();
}
