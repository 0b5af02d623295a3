/* hand_act -- activations as users write them with glibc: the peers bench/export_speed.sh
   times FPCore targets' programs against.

   hand_geluf is GELU in its usual C form, 0.5f*x*(1+erff(x*M_SQRT1_2)): inlined in a loop it
   is the "hand" column (glibc's scalar erff per element at -O3 -march=native: erff has no
   vector form without -ffast-math); geluf is the same function called per element (the
   "glibc" column; defined in the -DES_HAND unit of export_speed_loops.c), and, in the
   -DES_MVEC unit, inlined so that -ffast-math vectorises erff with libmvec (the "libmvec"
   column).  Its error against the exact GELU is measured by `autonum bench` beside.  */
#ifndef HAND_ACT_H
#define HAND_ACT_H

#include <math.h>

static inline float
hand_geluf (float x)
{
  return 0.5f * x * (1 + erff (x * (float) M_SQRT1_2));
}

#ifdef ES_MVEC
static inline float
geluf (float x)
{
  return hand_geluf (x);
}
#else
float geluf (float x);
#endif

#endif
