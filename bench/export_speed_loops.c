/* export_speed_loops -- the array loops that bench/export_speed.c times, one translation unit per kind.

   export_speed.sh compiles this file three times, each with one of
     -DES_INLINE  the exported files included after #define AN_LINKAGE static inline
                  (exports.h, written by the script), one loop per program;
     -DES_HAND    bench/hand/hand_exp.h and hand_act.h, one loop per hand kernel (and
                  geluf, GELU as users write it, as a called function);
     -DES_MVEC    one loop per libm function, compiled with -ffast-math so that the
                  compiler calls glibc's vector libmvec (the script checks that it does).
   Every loop is the same plain y[i] = F (x[i]); each kind has its own unit so that
   one kind's flags and pragmas (the exported files turn fp-contract off for what follows
   them) never reach another's.  lists.h (also written by the script) names the functions.
   Each function also gets a scalar wrapper es_one_F, only for counting its instructions.  */
#define _GNU_SOURCE
#include <math.h>
#include <stddef.h>

#if defined ES_INLINE
#define AN_LINKAGE static inline
#include "exports.h"
#define ES_KIND(X) ES_PROGS (X)
#define ES_LOOP(F) es_inline_##F
#elif defined ES_HAND
#include "hand_exp.h"
#include "hand_act.h"
#include "lists.h"
float geluf (float x) { return hand_geluf (x); }
#define ES_KIND(X) ES_HANDS (X)
#define ES_LOOP(F) es_hand_##F
#elif defined ES_MVEC
#include "hand_act.h"
#include "lists.h"
#define ES_KIND(X) ES_LIBM (X)
#define ES_LOOP(F) es_mvec_##F
#else
#error "compile with -DES_INLINE, -DES_HAND or -DES_MVEC"
#endif

#define ES_DEFINE(F)                                            \
  void ES_LOOP (F) (const float *x, float *y, size_t n);        \
  void ES_LOOP (F) (const float *x, float *y, size_t n)         \
  {                                                             \
    for (size_t i = 0; i < n; i++)                              \
      y[i] = F (x[i]);                                          \
  }                                                             \
  float es_one_##F (float x);                                   \
  float es_one_##F (float x) { return F (x); }
ES_KIND (ES_DEFINE)
