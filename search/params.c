/* params -- what a search is started with: the defaults, and the clock its time limits read.

   Both the loop (search/search.c) and the database side (search/persist.c, which rebuilds a
   stored run's parameters) use these; neither calls the other for them.  */
#include <string.h>
#include <time.h>

#include "search/internal.h"

double
search_now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

void
search_params_default (search_params *p, const eval_target *target, dsl_type type)
{
  memset (p, 0, sizeof *p);
  p->target = target;
  p->type = type;
  if (target && target->has_domain[type])
    p->dom = target->dflt[type];
  p->metric = EVAL_ULP;
  p->mean = 0;
  p->bound = 1;
  p->seed = 1;
  p->population = 48;
  p->max_age = 12;
  p->max_insn = 32;
  p->generations = 200;
  p->seconds = 600;
  p->ops = search_default_ops (type);
  p->small_samples = 512;
  p->large_samples = 8192;
  p->huge_samples = 1u << 18;
  p->verify = 1;
  p->cache_size = 1 << 16;
  dsl_prog *seed;
  if (search_target_seed (target, type, &seed) == 1)
    {
      for (int k = 0; k < seed->ninsn; k++)
        p->ops |= 1ull << seed->insn[k].op;
      if (p->max_insn < seed->ninsn + 8)
        p->max_insn = seed->ninsn + 8;
      dsl_prog_free (seed);
    }
}
