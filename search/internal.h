/* internal -- what the search/ files share and nobody else sees.  */
#ifndef AUTONUM_SEARCH_INTERNAL_H
#define AUTONUM_SEARCH_INTERNAL_H

#include "search/search.h"

/* A copy of P with the N instructions BLOCK inserted before instruction AT;
   later references are renumbered.  BLOCK's own references must already use
   the final numbering.  NULL if memory runs out.  */
dsl_prog *search_insert_block (const dsl_prog *p, int at, const dsl_insn *block, int n);

/* Max and mean ULP error of P on S, and how many points have a non-finite
   error (NaN results, wrong infinities).  */
typedef struct {
  int nonfinite;
  double max, mean;
} search_err;
void search_measure (const dsl_prog *p, const eval_samples *s, search_err *out /* OUT */);
/* a better than b: fewer non-finite points, then smaller max, then smaller mean.  */
int search_err_better (const search_err *a, const search_err *b);

#endif
