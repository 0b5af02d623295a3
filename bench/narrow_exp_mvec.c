/* narrow_exp_mvec -- y[i] = expf (x[i]), compiled with -ffast-math so that gcc calls glibc's
   vector libmvec (bench/narrow_exp.sh checks that it does).  Alone in its unit: the flag
   must not reach the conversions around it (narrow_exp.c).  */
#include <math.h>
#include <stddef.h>

void ne_mvec_expf (const float *x, float *y, size_t n);

void
ne_mvec_expf (const float *x, float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = expf (x[i]);
}
