/* fit -- constant fitting: Gauss-Newton and Lawson's minimax reweighting on the
   smooth constants, then a neighbour search over the last bits of every float32 constant.

   The program is evaluated with the float32 interpreter itself, so what is
   fitted is what will be exported.  Residuals are signed ULP errors.  A
   constant whose finite-difference derivative is not stable (it feeds rint,
   floor, a comparison or bit operations) is left to the neighbour search.  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/helpers.h"
#include "eval/ulp.h"
#include "search/internal.h"

#define FIT_MAXC SEARCH_LSQ_MAXN   /* constants fitted jointly */
#define TAB_POINTS 16              /* sample points per table entry fitted (below) */
#define TAB_MAXFIT 32              /* larger tables keep their entries */

typedef struct {
  int k, s;                /* instruction, operand slot; k -1: entry s of the table */
  int w;                   /* its width: 1 for a float64 literal */
  int cut;                 /* its instruction's value picks a piece (cut_values): the last bits only */
} site;

typedef struct {
  dsl_prog *p;
  const eval_samples *smp;
  eval_metric metric;
  int mean;                /* the objective is the mean error (else the max) */
  dsl_interp *interp;
  void *y;                 /* the program's results, in the type's storage */
  double *iu;              /* per point: the metric's weight of y - f (1/ulp, 1, 1/|f|), 0 where
                              f overflows or is 0 (the definition in eval/ulp.h decides there) */
  int shadow;              /* Gauss-Newton evaluates in double precision */
  double *v;               /* shadow evaluation: one double per value */
  uint64_t *vb;            /* and its bits in the value's width, for integer and bit operations */
  uint8_t *wide;           /* widths of the values */
  uint8_t *iw;             /* per instruction: its operands' width (dsl_insn_width) */
  double *xin[EVAL_MAXARITY];   /* the sample's inputs as doubles (fitter_inputs; NULL until then) */
  double *ys;              /* softmax: the shadow outputs of every element */
  unsigned *reads;         /* non-NULL: shadow_one counts the reads of each table entry here */
  site c[FIT_MAXC];
  int nc;
} fitter;

static int
fitter_init (fitter *f, dsl_prog *p, const eval_samples *s, eval_metric metric, int mean)
{
  memset (f, 0, sizeof *f);
  f->p = p;
  f->smp = s;
  f->metric = metric;
  f->mean = mean;
  f->interp = dsl_interp_new (p);
  f->y = malloc (s->n * eval_type_size (s->type));
  f->iu = malloc (s->n * sizeof *f->iu);
  f->v = malloc ((size_t) (p->nin + p->ninsn) * sizeof *f->v);
  f->vb = malloc ((size_t) (p->nin + p->ninsn) * sizeof *f->vb);
  f->wide = malloc ((size_t) (p->nin + p->ninsn));
  f->iw = malloc ((size_t) p->ninsn + 1);
  if (s->nvec && !(f->ys = malloc (s->n * sizeof *f->ys)))
    return -1;
  if (!f->interp || !f->y || !f->iu || !f->v || !f->vb || !f->wide || !f->iw
      || dsl_prog_widths (p, f->wide, NULL) < 0)
    return -1;
  for (int k = 0; k < p->ninsn; k++)
    {
      int w, rw;
      dsl_insn_width (p, k, f->wide, &w, &rw, NULL);
      f->iw[k] = (uint8_t) w;
    }
  const dsl_typeinfo *ti = dsl_type_info (s->type);
  for (size_t i = 0; i < s->n; i++)
    {
      double hi = s->ref_hi[i], lo = s->ref_lo[i];
      if (eval_past_max (ti, hi, lo))
        f->iu[i] = 0;   /* overflow or saturation: left to eval_error */
      else if (metric == EVAL_ULP)
        f->iu[i] = 1 / eval_ulp (hi, lo, ti->p, ti->submin);
      else if (metric == EVAL_ABS)
        f->iu[i] = 1;
      else
        f->iu[i] = hi == 0 ? 0 : 1 / fabs (hi + lo);
    }
  return 0;
}

static void
fitter_done (fitter *f)
{
  dsl_interp_free (f->interp);
  free (f->y);
  free (f->iu);
  free (f->v);
  free (f->vb);
  free (f->wide);
  free (f->iw);
  free (f->ys);
  for (int j = 0; j < EVAL_MAXARITY; j++)
    free (f->xin[j]);
}

/* The sample's inputs as doubles, for the shadow evaluation only (search_measure
   and the float32 steps never need them).  Returns -1 if memory runs out.  */
static int
fitter_inputs (fitter *f)
{
  const eval_samples *s = f->smp;
  for (int j = 0; j < f->p->nin; j++)
    {
      if (f->xin[j])
        continue;
      if (!(f->xin[j] = malloc (s->n * sizeof *f->xin[j])))
        return -1;
      for (size_t i = 0; i < s->n; i++)
        f->xin[j][i] = eval_value (s->type, s->in[j], i);
    }
  return 0;
}

/* Constant J's value and its replacement (rounded to its width).  */
static uint64_t *
cbits (const fitter *f, int j)
{
  return f->c[j].k < 0 ? &f->p->tab[f->c[j].s] : &f->p->insn[f->c[j].k].a[f->c[j].s].bits;
}

static double
cget (const fitter *f, int j)
{
  uint64_t b = *cbits (f, j);
  return f->c[j].w ? an_f64 (b) : eval_f32_from_bits ((uint32_t) b);
}

static void
cset (fitter *f, int j, double v)
{
  *cbits (f, j) = f->c[j].w ? an_u64 (v) : eval_f32_bits ((float) v);
}

/* V rounded to constant J's width.  */
static double
cround (const fitter *f, int j, double v)
{
  return f->c[j].w ? v : (double) (float) v;
}

/* Runs the program and fills residuals and the error summary.  */
static void
evaluate (fitter *f, double *res, search_err *e)
{
  const eval_samples *s = f->smp;
  const dsl_typeinfo *ti = dsl_type_info (s->type);
  const void *in[EVAL_MAXARITY];
  for (int j = 0; j < f->p->nin; j++)
    in[j] = s->in[j];
  memset (e, 0, sizeof *e);
  dsl_interp_reload (f->interp, f->p);
  if (s->nvec)
    eval_softmax_run (s, f->interp, f->y);
  else
    dsl_interp_run (f->interp, s->n, in, f->y);
  double sum = 0;
  int bits = dsl_type_bits (s->type);
  for (size_t i = 0; i < s->n; i++)
    {
      /* The common case in line; overflow, infinities and NaN by the definition.  */
      double y = bits == 32 ? ((const float *) f->y)[i] : bits == 64 ? ((const double *) f->y)[i]
                                                                     : eval_value (s->type, f->y, i);
      double d = (y - s->ref_hi[i]) - s->ref_lo[i], r = d * f->iu[i];
      double err = f->iu[i] != 0 && isfinite (r) ? fabs (r) : eval_error (f->metric, ti, y, s->ref_hi[i], s->ref_lo[i]);
      if (!isfinite (err))
        {
          if (!e->nonfinite++)
            e->worst = i;
          if (res)
            res[i] = NAN;
          continue;
        }
      if (res)
        res[i] = f->iu[i] != 0 ? r : 0;
      if (err > e->max)
        {
          e->max = err;
          e->worst = e->nonfinite ? e->worst : i;
        }
      sum += err;
    }
  size_t nf = s->n - (size_t) e->nonfinite;
  e->mean = nf ? sum / (double) nf : INFINITY;
  e->mean_objective = f->mean;
}

/* The bits of double value V in width W.  */
static uint64_t
bits_in (double v, int w)
{
  return w ? an_u64 (v) : eval_f32_bits ((float) v);
}

/* A value's double reading of its bits.  */
static double
value_in (uint64_t b, dsl_kind k, int w)
{
  if (k == DSL_KI)
    return w ? (double) (int64_t) b : (double) (int32_t) (uint32_t) b;
  return w ? an_f64 (b) : eval_f32_from_bits ((uint32_t) b);
}

/* The program in double precision: the same float ops without rounding to
   their width (tof32 and the roundings to narrow types included), integer
   and bit operations on the bits of their operands in their width.
   Gauss-Newton and Lawson fit constants against this smooth function; the
   rounding of the arithmetic, which makes the residuals jump by fractions
   of an ULP, is left to the neighbour search.  */
static double
shadow_one (const fitter *f, const double *x)
{
  const dsl_prog *p = f->p;
  double *v = f->v;
  uint64_t *vb = f->vb;
  for (int j = 0; j < p->nin; j++)
    {
      v[j] = x[j];
      vb[j] = bits_in (x[j], f->wide[j]);
    }
  for (int k = 0; k < p->ninsn; k++)
    {
      const dsl_insn *in = &p->insn[k];
      const dsl_opinfo *o = dsl_op ((dsl_opcode) in->op);
      int w = f->iw[k], rw = f->wide[p->nin + k];
      double a[DSL_MAXARGS] = {0, 0, 0};
      uint64_t u[DSL_MAXARGS] = {0, 0, 0};
      for (int s = 0; s < o->arity; s++)
        {
          if (in->a[s].is_const)
            {
              u[s] = in->a[s].bits;
              a[s] = value_in (u[s], o->arg[s], o->wrule == DSL_W_NARROW ? 1 : o->wrule == DSL_W_SAME ? w : 0);
            }
          else
            {
              int from = f->wide[in->a[s].ref];
              a[s] = v[in->a[s].ref];
              u[s] = o->arg[s] == DSL_KI && (o->anyw >> s & 1u) ? dsl_int_to_width (vb[in->a[s].ref], from, w)
                                                              : vb[in->a[s].ref];
            }
        }
      double r;
      switch ((dsl_opcode) in->op)
        {
        case DSL_ADD: r = a[0] + a[1]; break;
        case DSL_SUB: r = a[0] - a[1]; break;
        case DSL_MUL: r = a[0] * a[1]; break;
        case DSL_DIV: r = a[0] / a[1]; break;
        case DSL_FMA: r = fma (a[0], a[1], a[2]); break;
        case DSL_NEG: r = -a[0]; break;
        case DSL_ABS: r = fabs (a[0]); break;
        case DSL_MIN: r = a[0] < a[1] || a[1] != a[1] ? a[0] : a[1]; break;
        case DSL_MAX: r = a[0] > a[1] || a[1] != a[1] ? a[0] : a[1]; break;
        case DSL_SQRT: r = sqrt (a[0]); break;
        case DSL_RINT: r = nearbyint (a[0]); break;
        case DSL_FLOOR: r = floor (a[0]); break;
        case DSL_EXP: r = exp (a[0]); break;
        case DSL_LOG: r = log (a[0]); break;
        case DSL_LOG1P: r = log1p (a[0]); break;
        case DSL_ERF: r = erf (a[0]); break;
        case DSL_LGAMMA: r = lgamma_r (a[0], &(int) {0}); break;
        case DSL_LDEXP: r = ldexp (a[0], (int) fmax (-2200, fmin (2200, value_in (u[1], DSL_KI, w)))); break;
        case DSL_LT: r = a[0] < a[1] ? -1.0 : 0.0; break;
        case DSL_LE: r = a[0] <= a[1] ? -1.0 : 0.0; break;
        case DSL_SELECT: r = u[0] ? a[1] : a[2]; break;
        case DSL_TOF64: case DSL_TOF32: case DSL_TOBF16: case DSL_TOF16: case DSL_TOE4M3: case DSL_TOE5M2:
          r = a[0];
          break;
        default:
          {
            /* Conversions and bit operations: exactly as the program does them.  */
            for (int s = 0; s < o->arity; s++)
              if (o->arg[s] == DSL_KF && !in->a[s].is_const)
                u[s] = bits_in (a[s], w);
            uint64_t b = in->op == DSL_LUT ? dsl_lut (p, u[0], u[1]) : dsl_apply ((dsl_opcode) in->op, w, u);
            if (in->op == DSL_LUT && f->reads && p->ntab)
              f->reads[dsl_lut_index (p, u[0], u[1])]++;
            r = value_in (b, o->result, rw);
            vb[p->nin + k] = b;
            v[p->nin + k] = r;
            continue;
          }
        }
      v[p->nin + k] = r;
      vb[p->nin + k] = o->result == DSL_KI ? (rw ? (uint64_t) (int64_t) r : (uint32_t) (int32_t) r) : bits_in (r, rw);
    }
  return v[p->out];
}

/* Residuals of the double-precision program, in the metric's weights.  */
static void
shadow_evaluate (fitter *f, double *res, search_err *e)
{
  const eval_samples *s = f->smp;
  memset (e, 0, sizeof *e);
  double sum = 0;
  if (s->nvec)
    {
      /* Softmax: the exact outputs of the double kernel's values.  */
      for (size_t i = 0; i < s->n; i++)
        f->ys[i] = shadow_one (f, &f->xin[0][i]);
      eval_softmax_outputs (s->type, EVAL_SOFTMAX_TWO_PASS, s->nvec, s->vend, s->p2, f->ys, f->ys, 0);
    }
  for (size_t i = 0; i < s->n; i++)
    {
      double x[EVAL_MAXARITY];
      for (int j = 0; j < f->p->nin; j++)
        x[j] = f->xin[j][i];
      double y = s->nvec ? f->ys[i] : shadow_one (f, x);
      double r = ((y - s->ref_hi[i]) - s->ref_lo[i]) * f->iu[i];
      if (!isfinite (r) || f->iu[i] == 0)
        {
          e->nonfinite += !(f->iu[i] == 0 && isinf (y));
          if (res)
            res[i] = f->iu[i] == 0 ? 0 : NAN;
          continue;
        }
      if (res)
        res[i] = r;
      e->max = fabs (r) > e->max ? fabs (r) : e->max;
      sum += fabs (r);
    }
  size_t nf = s->n - (size_t) e->nonfinite;
  e->mean = nf ? sum / (double) nf : INFINITY;
  e->mean_objective = f->mean;
}

static void
gn_evaluate (fitter *f, double *res, search_err *e)
{
  if (f->shadow)
    shadow_evaluate (f, res, e);
  else
    evaluate (f, res, e);
}

int
search_err_better (const search_err *a, const search_err *b)
{
  if (a->nonfinite != b->nonfinite)
    return a->nonfinite < b->nonfinite;
  double ka = a->mean_objective ? a->mean : a->max, kb = b->mean_objective ? b->mean : b->max;
  double la = a->mean_objective ? a->max : a->mean, lb = b->mean_objective ? b->max : b->mean;
  if (ka != kb)
    return ka < kb;
  return la < lb;
}

double
search_objective (const search_err *e)
{
  if (e->nonfinite)
    return INFINITY;
  return e->mean_objective ? e->mean : e->max;
}

void
search_measure (const dsl_prog *p, const eval_samples *s, eval_metric metric, int mean, search_err *out)
{
  fitter f;
  if (fitter_init (&f, (dsl_prog *) p, s, metric, mean) < 0)
    {
      memset (out, 0, sizeof *out);
      out->nonfinite = (int) s->n;
      out->max = out->mean = INFINITY;
      out->mean_objective = mean;
    }
  else
    evaluate (&f, NULL, out);
  fitter_done (&f);
}

/* Least squares min ||A x - b|| by Householder QR; A is M x N column-major
   (destroyed), B has M entries (destroyed).  A column that the ones before it
   span to within a relative 2^-30 (two constants that multiply the same value,
   as c_hi e + c_lo e) is left out, its x 0: else the pair drifts apart along
   the direction the data cannot see.  Returns 0, or -1 if no column is left.  */
int
search_lsq_solve (double *a, double *b, int m, int n, double *x)
{
  int row = 0, at[SEARCH_LSQ_MAXN];   /* the row of R's diagonal for column j, -1: left out */
  for (int j = 0; j < n; j++)
    {
      double *col = a + (size_t) j * m, norm = 0, full = 0;
      for (int i = 0; i < m; i++)
        full += col[i] * col[i];   /* the reflections keep the column's length */
      for (int i = row; i < m; i++)
        norm += col[i] * col[i];
      at[j] = -1;
      if (!(norm > 0x1p-60 * full) || row == m)
        continue;
      norm = sqrt (norm);
      double alpha = col[row] > 0 ? -norm : norm, v0 = col[row] - alpha;
      col[row] = v0;
      double vnorm2 = 0;   /* ||v||^2, v = col[row..] with col[row] replaced by v0 */
      for (int i = row; i < m; i++)
        vnorm2 += col[i] * col[i];
      if (vnorm2 == 0)
        continue;
      for (int k = j + 1; k <= n; k++)
        {
          double *ck = k < n ? a + (size_t) k * m : b, dot = 0;
          for (int i = row; i < m; i++)
            dot += col[i] * ck[i];
          double t = 2 * dot / vnorm2;
          for (int i = row; i < m; i++)
            ck[i] -= t * col[i];
        }
      col[row] = alpha;   /* R's diagonal */
      at[j] = row++;
    }
  if (row == 0)
    return -1;
  for (int j = n - 1; j >= 0; j--)
    {
      x[j] = 0;
      if (at[j] < 0)
        continue;
      double s = b[at[j]];
      for (int k = j + 1; k < n; k++)
        s -= a[(size_t) k * m + at[j]] * x[k];
      double d = a[(size_t) j * m + at[j]];
      if (fabs (d) < 1e-300)
        return -1;
      x[j] = s / d;
    }
  return 0;
}

/* Finite-difference derivative of the residuals in constant J with step
   H (relative); the actual float32 step is used.  Returns the step, 0 if none.  */
static double
column (fitter *f, int j, double h, const double *r0, double *col, double *tmp)
{
  double c = cget (f, j);
  double step = fmax (fabs (c), 0x1p-20) * h;
  double c2 = cround (f, j, c + step);
  if (c2 == c || !isfinite (c2))
    return 0;
  cset (f, j, c2);
  search_err e;
  gn_evaluate (f, tmp, &e);
  cset (f, j, c);
  double d = c2 - c;
  for (size_t i = 0; i < f->smp->n; i++)
    col[i] = (tmp[i] - r0[i]) / d;
  return d;
}

/* Solves the weighted linearised problem min || W (r0 + J x) || and
   evaluates the constants KEEP + x.  Returns 0, or -1 if the system is singular.  */
static int
weighted_step (fitter *f, const int *smooth, int ns, const double *w, const double *r0, const double *jac,
               const double *keep, double *res, search_err *e)
{
  size_t m = f->smp->n;
  double *a = malloc (m * ns * sizeof *a), *b = malloc (m * sizeof *b), x[FIT_MAXC];
  int rc = -1;
  if (!a || !b)
    goto out;
  for (int q = 0; q < ns; q++)
    for (size_t i = 0; i < m; i++)
      {
        double v = jac[(size_t) q * m + i] * w[i];
        a[(size_t) q * m + i] = isfinite (v) ? v : 0;
      }
  for (size_t i = 0; i < m; i++)
    b[i] = isfinite (r0[i]) ? -r0[i] * w[i] : 0;
  if (search_lsq_solve (a, b, (int) m, ns, x) < 0)
    goto out;
  for (int q = 0; q < ns; q++)
    {
      double v = cround (f, smooth[q], keep[q] + x[q]);
      cset (f, smooth[q], isfinite (v) ? v : keep[q]);
    }
  gn_evaluate (f, res, e);
  rc = 0;
out:
  free (a);
  free (b);
  return rc;
}

/* Gauss-Newton on the smooth constants: from the current point, least
   squares and then Lawson's reweighting (weights multiplied by |residual|
   of each iterate) towards the minimax solution of the linearised problem;
   the best iterate by max error is kept.  Repeated while it helps, since
   the constants of the reduction make the problem mildly nonlinear.  */
static void
gauss_newton (fitter *f, search_err *cur, int iters)
{
  size_t m = f->smp->n;
  double *r0 = malloc (m * sizeof *r0), *tmp = malloc (m * sizeof *tmp), *w = malloc (m * sizeof *w);
  double *jac = malloc (m * f->nc * sizeof *jac), *c2 = malloc (m * sizeof *c2), *res = malloc (m * sizeof *res);
  int smooth[FIT_MAXC], ns = 0;
  if (!r0 || !tmp || !w || !jac || !c2 || !res)
    goto out;
  gn_evaluate (f, r0, cur);
  for (int it = 0; it < iters; it++)
    {
      /* The smooth constants: two step sizes agree on the derivative.  */
      ns = 0;
      for (int j = 0; j < f->nc; j++)
        {
          double *col = jac + (size_t) ns * m;
          if (f->c[j].cut)
            continue;
          if (column (f, j, 0x1p-5, r0, col, tmp) == 0 || column (f, j, 0x1p-7, r0, c2, tmp) == 0)
            continue;
          double diff = 0, norm = 0;
          for (size_t i = 0; i < m; i++)
            if (isfinite (col[i]) && isfinite (c2[i]))
              {
                diff += (col[i] - c2[i]) * (col[i] - c2[i]);
                norm += col[i] * col[i];
              }
          if (norm > 0 && diff < 0.05 * norm)
            smooth[ns++] = j;
        }
      if (ns == 0)
        break;
      double keep[FIT_MAXC], best[FIT_MAXC];
      for (int q = 0; q < ns; q++)
        keep[q] = best[q] = cget (f, smooth[q]);
      search_err be = *cur;
      int improved = 0;
      for (size_t i = 0; i < m; i++)
        w[i] = 1;
      for (int l = 0; l < 12; l++)
        {
          search_err e;
          if (weighted_step (f, smooth, ns, w, r0, jac, keep, res, &e) < 0)
            break;
          if (search_err_better (&e, &be))
            {
              be = e;
              improved = 1;
              for (int q = 0; q < ns; q++)
                best[q] = cget (f, smooth[q]);
              memcpy (tmp, res, m * sizeof *tmp);
            }
          double sum = 0;   /* w holds the square root of Lawson's weight */
          for (size_t i = 0; i < m; i++)
            {
              w[i] = w[i] * w[i] * (isfinite (res[i]) ? fabs (res[i]) : 0);
              sum += w[i];
            }
          if (!(sum > 0))
            break;
          for (size_t i = 0; i < m; i++)
            w[i] = sqrt (w[i] / sum * (double) m);
        }
      for (int q = 0; q < ns; q++)
        cset (f, smooth[q], best[q]);
      if (!improved)
        break;
      *cur = be;
      memcpy (r0, tmp, m * sizeof *r0);
    }
out:
  free (r0);
  free (tmp);
  free (w);
  free (jac);
  free (c2);
  free (res);
}

/* Walks every constant up and down in units in the last place, doubling the
   stride while that improves the error (a float32 coefficient may be a few
   thousand units from its best value), at most BUDGET evaluations.  A
   constant stays within 1/64 of its value on entry: further than that the
   walk no longer polishes an approximation but overfits the sample (two
   constants that multiply one value, c_hi e + c_lo e, drift apart in step).  */
static void
neighbours (fitter *f, search_err *cur, int passes, int budget)
{
  double start[FIT_MAXC];
  for (int j = 0; j < f->nc; j++)
    start[j] = cget (f, j);
  for (int pass = 0; pass < passes && budget > 0; pass++)
    {
      int improved = 0;
      for (int j = 0; j < f->nc; j++)
        for (int dir = -1; dir <= 1 && f->c[j].k >= 0; dir += 2)   /* not a table's entries (below) */
          for (int step = 1; budget > 0; budget--)
            {
              double c = cget (f, j);
              double v = f->c[j].w ? an_f64 (an_u64 (c) + (uint64_t) (int64_t) (dir * step))
                                   : eval_f32_from_bits (eval_f32_bits ((float) c) + (uint32_t) (dir * step));
              if (!isfinite (v) || (v < 0) != (c < 0) || (start[j] != 0 && fabs (v - start[j]) > 0x1p-6 * fabs (start[j])))
                break;
              cset (f, j, v);
              search_err e;
              evaluate (f, NULL, &e);
              if (!search_err_better (&e, cur))
                {
                  cset (f, j, c);
                  break;
                }
              *cur = e;
              improved = 1;
              step = step < (1 << 16) ? 2 * step : step;
            }
      if (!improved)
        break;
    }
}

/* Whether constant C of instruction I holds a program's structure rather than an
   approximation: a comparison's threshold (the edge of a regime or of a fold).  Its
   error derivative is zero almost everywhere, and moving it on the sample's evidence
   shifts the edge to where the sample has no point; the search's mutations still
   change it.  */
static int
structural (const dsl_insn *i, double c)
{
  if (i->op == DSL_LT || i->op == DSL_LE)
    return 1;
  /* An exact shift or scale: x + 1 before a logarithm, m - 1 after its reduction, m / 2 in
     its fold, a subnormal scaled by 2^23.  One unit in the last place off, they still fit
     the sample and are wrong by that unit wherever the sample has no point (log1p of a
     tiny x: (x + (1 - u)) - (1 - 2u) is x + u).  */
  int m;
  double f = frexp (fabs (c), &m);
  int pow2 = f == 0.5, integer = c == nearbyint (c) && fabs (c) <= 0x1p24;
  return (i->op == DSL_MUL && pow2) || ((i->op == DSL_ADD || i->op == DSL_SUB) && (pow2 || integer));
}

/* CUT[v] for every value v of P: whether it decides a discrete choice, rounded to an
   integer or compared, directly or through min and max (a piece's index: v = sc t + off,
   clamped, then rint).  A literal of such a value moves the pieces' edges and, through
   v - rint (v), the offset within a piece: its finite-difference derivative looks smooth at
   most points, and the linearised step that takes it moves every edge at once (a 4-piece
   quadratic of e^x fitted with its sc and off: 4.4e6 ULP before, 1.3e8 after).  The
   neighbour walk still moves it.  */
static void
cut_values (const dsl_prog *p, uint8_t *cut)
{
  memset (cut, 0, (size_t) (p->nin + p->ninsn));
  for (int k = p->ninsn - 1; k >= 0; k--)
    {
      const dsl_insn *i = &p->insn[k];
      int op = i->op;
      int disc = op == DSL_RINT || op == DSL_FLOOR || op == DSL_TOINT || op == DSL_LT || op == DSL_LE
                 || ((op == DSL_MIN || op == DSL_MAX) && cut[p->nin + k]);
      for (int s = 0; s < dsl_op ((dsl_opcode) op)->arity && disc; s++)
        if (!i->a[s].is_const)
          cut[i->a[s].ref] = 1;
    }
}

double
search_fit_constants (dsl_prog *p, const eval_samples *s, eval_metric metric, int mean, an_rng *r, int effort)
{
  (void) r;
  fitter f;
  if (fitter_init (&f, p, s, metric, mean) < 0)
    {
      fitter_done (&f);
      return INFINITY;
    }
  uint8_t *cut = malloc ((size_t) (p->nin + p->ninsn));
  if (!cut)
    {
      fitter_done (&f);
      return INFINITY;
    }
  cut_values (p, cut);
  for (int k = 0; k < p->ninsn && f.nc < FIT_MAXC; k++)
    {
      const dsl_opinfo *o = dsl_op ((dsl_opcode) p->insn[k].op);
      int w, rw;
      dsl_insn_width (p, k, f.wide, &w, &rw, NULL);
      w = o->wrule == DSL_W_NARROW ? 1 : o->wrule == DSL_W_SAME ? w : 0;   /* the literal's width */
      for (int q = 0; q < o->arity && f.nc < FIT_MAXC; q++)
        if (p->insn[k].a[q].is_const && o->arg[q] == DSL_KF)
          {
            double c = w ? an_f64 (p->insn[k].a[q].bits) : eval_f32_from_bits ((uint32_t) p->insn[k].a[q].bits);
            if (isfinite (c) && !structural (&p->insn[k], c))
              f.c[f.nc] = (site) { k, q, w, cut[p->nin + k] }, f.nc++;
          }
    }
  free (cut);
  /* The table's entries: each moves the points whose index reads it, so that the joint
     least squares fits every entry on its slice of the domain (a piecewise polynomial's
     pieces each on their own).  Only entries with TAB_POINTS points or more per unknown
     (the points that read the entry over the entries each point reads): an entry read by
     a handful of points is fitted to those points and wrong between them (a 64-entry exp2
     table fitted on 512 points, 8 each: 0.88 ULP on them, 267 on 65,536).  And only tables
     of up to TAB_MAXFIT entries: 64 entries in the 8192-point polish made a generation 3.4
     times slower (the joint solve and a column per entry); a larger table keeps its
     values.  */
  if (p->ntab && p->ntab <= TAB_MAXFIT && fitter_inputs (&f) == 0)
    {
      unsigned reads[DSL_MAXTAB] = { 0 };
      double total = 0;
      f.reads = reads;
      for (size_t i = 0; i < s->n; i++)
        {
          double x[EVAL_MAXARITY];
          for (int j = 0; j < p->nin; j++)
            x[j] = f.xin[j][i];
          shadow_one (&f, x);
        }
      f.reads = NULL;
      for (int t = 0; t < p->ntab; t++)
        total += reads[t];
      double per = s->n ? total / (double) s->n : 0;   /* entries a point reads */
      for (int t = 0; t < p->ntab && f.nc < FIT_MAXC; t++)
        if (reads[t] >= TAB_POINTS * per && reads[t] > 0
            && isfinite (p->tabw ? an_f64 (p->tab[t]) : eval_f32_from_bits ((uint32_t) p->tab[t])))
          f.c[f.nc] = (site) { -1, t, p->tabw, 0 }, f.nc++;
    }
  search_err cur;
  evaluate (&f, NULL, &cur);
  if (f.nc > 0 && effort > 0)
    {
      /* Minimax in double precision, kept only if float32 agrees it helps.  */
      double keep[FIT_MAXC];
      for (int j = 0; j < f.nc; j++)
        keep[j] = cget (&f, j);
      search_err sh, after;
      if (fitter_inputs (&f) == 0)
        {
          f.shadow = 1;
          gauss_newton (&f, &sh, effort);
          f.shadow = 0;
        }
      evaluate (&f, NULL, &after);
      if (search_err_better (&after, &cur))
        cur = after;
      else
        for (int j = 0; j < f.nc; j++)
          cset (&f, j, keep[j]);
      /* Then the float32 errors themselves, Gauss-Newton and the last bits.  */
      gauss_newton (&f, &cur, 1);
      /* The walk over the last bits is for the instructions' literals: a table entry's last
         bit moves only the few points that read it, at the price of a full evaluation.  */
      int walked = 0;
      for (int j = 0; j < f.nc; j++)
        walked += f.c[j].k >= 0;
      neighbours (&f, &cur, effort, 40 * walked * effort);
    }
  fitter_done (&f);
  return search_objective (&cur);
}
