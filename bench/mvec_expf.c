/* mvec_expf -- y[i] = expf (x[i]), compiled with -ffast-math so that gcc calls glibc's
   vector libmvec (the scripts that link it, narrow_exp.sh and mixed_exp.sh, check that it
   does).  Alone in its unit: the flag must not reach the code around it.  */
#include <math.h>
#include <stddef.h>

void bench_mvec_expf (const float *x, float *y, size_t n);

void
bench_mvec_expf (const float *x, float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = expf (x[i]);
}
