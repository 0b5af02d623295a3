/* speed_mvec -- the libmvec baseline: compiled with -O3 -ffast-math so that gcc calls the vector expf.  */
#include <math.h>
#include <stddef.h>

void
mvec_expf_loop (const float *x, float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = expf (x[i]);
}
