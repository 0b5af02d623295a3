/* softmax_plain -- the textbook float32 softmax that autonum's softmax is compared with
   (bench/softmax.sh): pass 1 the maximum, pass 2 y[i] = expf (x[i] - max) and their float
   sum, pass 3 y[i] *= 1 / sum.  softmax.sh compiles this file twice, each alone in its
   unit so that the flags reach nothing else: -O3 -march=native (scalar calls of glibc's
   expf, the sum added in order) as plain_softmax, and the same with -ffast-math as
   fast_softmax (gcc then calls libmvec's vector expf and adds the sum in vector lanes;
   softmax.sh checks the call with objdump).  SM_NAME names the function.  */
#include <math.h>
#include <stddef.h>

#ifndef SM_NAME
#define SM_NAME plain_softmax
#endif

void SM_NAME (const float *x, float *y, size_t n);

void
SM_NAME (const float *x, float *y, size_t n)
{
  if (n == 0)
    return;
  float max = x[0];
  for (size_t i = 1; i < n; i++)
    max = x[i] > max ? x[i] : max;
  float sum = 0;
  for (size_t i = 0; i < n; i++)
    {
      y[i] = expf (x[i] - max);
      sum += y[i];
    }
  float inv = 1 / sum;
  for (size_t i = 0; i < n; i++)
    y[i] *= inv;
}
