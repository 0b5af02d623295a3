/* score -- ULP error of a program on a sample set: max, mean, worst point, points over a bound.  */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
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
                 p->nin == 1 ? "" : "s", t->name, t->arity);
  if (p->type != s->type)
    return dsl_error_set (err, "the program computes in %s but the sample set is %s",
                 dsl_type_name (p->type), dsl_type_name (s->type));
  if (s->type != DSL_FLOAT32)
    return dsl_error_set (err, "scoring supports float32 only, not %s", dsl_type_name (s->type));
  return dsl_prog_check (p, err);
}

int
eval_score_prog (const dsl_prog *p, const eval_samples *s, double bound,
                 eval_score *out /* OUT */, dsl_error *err)
{
  memset (out, 0, sizeof *out);
  if (check_fits (p, s, err))
    return -1;
  dsl_interp *c = dsl_interp_new (p);
  if (!c)
    return dsl_error_set (err, "out of memory for the interpreter");
  float y[SCORE_BATCH];
  double max = -1, sum = 0;
  size_t nfinite = 0;
  for (size_t off = 0; off < s->n; off += SCORE_BATCH)
    {
      size_t m = s->n - off < SCORE_BATCH ? s->n - off : SCORE_BATCH;
      const void *in[EVAL_MAXARITY];
      for (int j = 0; j < p->nin; j++)
        in[j] = (const float *) s->in[j] + off;
      dsl_interp_run (c, m, in, y);
      for (size_t i = 0; i < m; i++)
        {
          double e = eval_ulp_error_f32 (y[i], s->ref_hi[off + i], s->ref_lo[off + i]);
          if (e > max)
            {
              max = e;
              out->worst = off + i;
            }
          out->exceeded += e > bound;
          if (isfinite (e))
            {
              sum += e;
              nfinite++;
            }
        }
    }
  dsl_interp_free (c);
  out->npoints = s->n;
  out->max_ulp = max;
  /* With no finite error at all there is no mean to speak of.  */
  out->mean_ulp = nfinite ? sum / (double) nfinite : INFINITY;
  return 0;
}
