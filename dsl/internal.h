/* internal -- what the dsl/ files share and nobody else sees.  */
#ifndef AUTONUM_DSL_INTERNAL_H
#define AUTONUM_DSL_INTERNAL_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "dsl/dsl.h"
#include "dsl/helpers.h"
#include "dsl/convert.h"

/* Points per batch of the interpreter: every column is DSL_BATCH values, so a
   program's working set (one column per value) stays in L1/L2.  */
#define DSL_BATCH 512

#define DSL_MAXIN 8
#define DSL_MAXINSN 100000

/* Fills ERR (may be NULL) at LINE:COL with a printf-style message; returns -1.  */
int dsl_fail (dsl_error *err, int line, int col, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

/* Nonzero if NAME has the form of a printed result name (v followed by digits).  */
int dsl_is_result_name (const char *name);

/* A growing string; FAILED is set (and the text dropped by the caller) if memory runs out.  */
typedef struct {
  char *s;
  size_t len, cap;
  int failed;
} dsl_strbuf;

void dsl_sb_printf (dsl_strbuf *b, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* B's text (the caller's to free), or NULL after freeing it where memory ran out.  */
char *dsl_sb_take (dsl_strbuf *b);

/* Whether lut's index A + B (integer ranges) is proven within [0, N): the
   bounds are small enough that the sums cannot overflow.  */
static inline int
dsl_lut_in_range (const dsl_range *a, const dsl_range *b, int n)
{
  const long long big = 1LL << 40;
  return a->ilo > -big && b->ilo > -big && a->ihi < big && b->ihi < big && a->ilo + b->ilo >= 0
         && a->ihi + b->ihi < n;
}

#endif
