/* softmax_plain -- the textbook softmax that autonum's softmax is compared with
   (bench/softmax.sh): pass 1 the maximum, pass 2 y[i] = expf (x[i] - max) and their float
   sum, pass 3 y[i] *= 1 / sum.  softmax.sh compiles this file twice, each alone in its
   unit so that the flags reach nothing else: -O3 -march=native (scalar calls of glibc's
   expf, the sum added in order) as plain_softmax, and the same with -ffast-math as
   fast_softmax (gcc then calls libmvec's vector expf and adds the sum in vector lanes;
   softmax.sh checks the call with objdump).  SM_NAME names the function.

   SM_TYPE (softmax_type.h: float32, bfloat16 or float16) is the type of x and y.  For the
   16-bit types the elements are read as floats and the exponentials computed and summed in
   float as above; y holds them rounded to the type (pass 2 sums the floats, not what it
   stored), and pass 3 rounds each product to the type (to nearest even, sm_store).  */
#include <math.h>
#include <stddef.h>

#include "softmax_type.h"

#ifndef SM_NAME
#define SM_NAME plain_softmax
#endif

/* Where the maximum loop starts: 1, or 0 for the 16-bit types (comparing x[0] twice),
   since from 1 gcc 12 (-O3 -march=native -ffast-math) takes the first exponential out of
   pass 2 (it knows expf (x[0] - max) is 1 when n is 1) and then does not vectorise pass 2:
   the fastmath peer would call the scalar expf.  */
#define SM_MAX_START (SM_PREC == 24)

void SM_NAME (const sm_t *x, sm_t *y, size_t n);

void
SM_NAME (const sm_t *x, sm_t *y, size_t n)
{
  if (n == 0)
    return;
  float max = sm_load (x[0]);
  for (size_t i = SM_MAX_START; i < n; i++)
    max = sm_load (x[i]) > max ? sm_load (x[i]) : max;
  float sum = 0;
  for (size_t i = 0; i < n; i++)
    {
      float e = expf (sm_load (x[i]) - max);
      y[i] = sm_store (e);
      sum += e;
    }
  float inv = 1 / sum;
  for (size_t i = 0; i < n; i++)
    y[i] = sm_store (sm_load (y[i]) * inv);
}
