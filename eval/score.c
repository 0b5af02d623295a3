/* score -- the errors of a program on a sample set: every metric's max and mean, worst point, points over a bound.  */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "eval/ulp.h"

/* Points per interpreter call: the outputs stay in L1.  */
#define SCORE_BATCH 4096

/* Refuses a program that cannot be run on S.  */
static int
check_fits (const dsl_prog *p, const eval_samples *s, dsl_error *err)
{
  const eval_target *t = s->target;
  if (p->nin != t->arity)
    return dsl_error_set (err, "the program has %d input%s but target %s takes %d", p->nin,
                 p->nin == 1 ? "" : "s", t->label, t->arity);
  if (p->type != s->type)
    return dsl_error_set (err, "the program is for %s but the sample set is %s",
                 dsl_type_name (p->type), dsl_type_name (s->type));
  return dsl_prog_check (p, err);
}

/* Adds one point's errors into E (SUM: the sums, N: finite counts).  */
static void
tally_errors (const double *e, eval_errors *x, double *sum, size_t *n)
{
  for (int m = 0; m < EVAL_NMETRICS; m++)
    {
      x->max[m] = e[m] > x->max[m] ? e[m] : x->max[m];
      if (isfinite (e[m]))
        {
          sum[m] += e[m];
          n[m]++;
        }
    }
}

void
eval_point_errors (dsl_type y, double v, double hi, double lo, double *e /* OUT: EVAL_NMETRICS */)
{
  const dsl_typeinfo *ti = dsl_type_info (y);
  for (int m = 0; m < EVAL_NMETRICS; m++)
    e[m] = eval_error ((eval_metric) m, ti, v, hi, lo);
}

/* A score being summed: every metric's sums and finite counts, the worst error in the metric scored.  */
typedef struct {
  double sum[EVAL_NMETRICS], worst;
  size_t nfinite[EVAL_NMETRICS];
} running;

static void
score_begin (eval_score *out, running *r)
{
  memset (r, 0, sizeof *r);
  r->worst = -1;
  for (int m = 0; m < EVAL_NMETRICS; m++)
    out->err.max[m] = -1;
}

/* Output V of point I of S.  */
static void
score_point (const eval_samples *s, size_t i, double v, eval_metric metric, double bound, eval_score *out,
             running *r)
{
  double e[EVAL_NMETRICS];
  eval_point_errors (s->type, v, s->ref_hi[i], s->ref_lo[i], e);
  tally_errors (e, &out->err, r->sum, r->nfinite);
  if (e[metric] > r->worst)
    {
      r->worst = e[metric];
      out->worst = i;
    }
  out->exceeded += e[metric] > bound;
}

static void
score_end (const eval_samples *s, const running *r, eval_score *out)
{
  out->npoints = s->n;
  /* With no finite error at all there is no mean to speak of.  */
  for (int m = 0; m < EVAL_NMETRICS; m++)
    out->err.mean[m] = r->nfinite[m] ? r->sum[m] / (double) r->nfinite[m] : INFINITY;
  out->max_ulp = out->err.max[EVAL_ULP];
  out->mean_ulp = out->err.mean[EVAL_ULP];
}

void
eval_score_outputs (const eval_samples *s, const double *y, eval_metric metric, double bound, eval_score *out)
{
  memset (out, 0, sizeof *out);
  running r;
  score_begin (out, &r);
  for (size_t i = 0; i < s->n; i++)
    score_point (s, i, y[i], metric, bound, out, &r);
  score_end (s, &r, out);
}

int
eval_score_prog (const dsl_prog *p, const eval_samples *s, eval_metric metric, double bound,
                 eval_score *out /* OUT */, dsl_error *err)
{
  memset (out, 0, sizeof *out);
  if (check_fits (p, s, err))
    return -1;
  /* Vectors are scored whole: the kernel on every element first.  */
  size_t batch = s->nvec ? s->n : SCORE_BATCH;
  dsl_interp *c = dsl_interp_new (p);
  void *y = malloc (batch * eval_type_size (s->type));
  if (!c || !y)
    {
      dsl_interp_free (c);
      free (y);
      return dsl_error_set (err, "out of memory for the interpreter");
    }
  running r;
  score_begin (out, &r);
  size_t sz = eval_type_size (s->type);
  for (size_t off = 0; off < s->n; off += batch)
    {
      size_t m = s->n - off < batch ? s->n - off : batch;
      const void *in[EVAL_MAXARITY];
      for (int j = 0; j < p->nin; j++)
        in[j] = (const char *) s->in[j] + off * sz;
      if (s->nvec)
        eval_softmax_run (s, c, y);   /* M = S->n: the whole set */
      else
        dsl_interp_run (c, m, in, y);
      for (size_t i = 0; i < m; i++)
        score_point (s, off + i, eval_value (s->type, y, i), metric, bound, out, &r);
    }
  dsl_interp_free (c);
  free (y);
  score_end (s, &r, out);
  return 0;
}
