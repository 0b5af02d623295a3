/* internal -- what the search/ files share and nobody else sees.  */
#ifndef AUTONUM_SEARCH_INTERNAL_H
#define AUTONUM_SEARCH_INTERNAL_H

#include <signal.h>

#include "hash/hash.h"
#include "search/search.h"
#include "store/store.h"

#define PROBES 64
/* Skeleton cache entries: value[0] the number of constants, value[1..n] the
   constants, value[SKEL_ERR] the small-sample error they gave,
   value[SKEL_FAILS] how many restarted fits of the skeleton since (perturbed
   children) did no better.  After SKEL_MAX_FAILS of those, a perturbed
   child takes the cached constants like any other: in the default exp
   search 96% of restarts of a cached skeleton did no better (2232 of 2324),
   and they were a third of all fitting time.  */
#define SKEL_MAXC (HASH_VALUE_WORDS - 3)
#define SKEL_FAILS (HASH_VALUE_WORDS - 2)
#define SKEL_ERR (HASH_VALUE_WORDS - 1)
#define SKEL_MAX_FAILS 2
/* Seeds of a new run: the built-in ones (MAXSEEDS - 10), the declared one, --start, and
   up to 8 that compose kernels.  */
#define MAXSEEDS 72
/* The seeds that compose kernels a run keeps as donors for the composition mutation.  */
#define MAXDONORS 8
/* A polynomial cut into pieces (the mutation) has at most this degree.  */
#define SEARCH_PIECE_MAXDEG 12

/* What probing a target's reference finds (search/probe.c); seeds derive from it.  */
typedef struct {
  int odd, even;            /* f(-x) = -f(x), f(-x) = f(x) */
  int lin_odd;              /* f(x) - f(-x) = 2 lin_c x, lin_c != 0: f = lin_c x + an even function */
  double lin_c;
  int even_const;           /* f(x) + f(-x) = 2 even_k, even_k != 0 (a sigmoid): f = even_k + an odd function */
  double even_k;
  int exp_like;             /* f(x) = exp_off + exp_scale b^x, b = 2^exp_log2b */
  double exp_log2b, exp_off, exp_scale;
  int log_like;             /* f(x) = log_off + log_c log2 (x + log_shift) */
  double log_shift, log_c, log_off;
  int saturates;            /* from sat_x on (|x| when odd), the result rounds to sat_v */
  double sat_x, sat_v;
  int has0;                 /* 0 is in the domain: f0 = f(0), slope0 = f'(0) */
  double f0, slope0;
  double lin_x;             /* below it (|x|) slope0 x is within a quarter ULP of f (0: none) */
  /* Two arguments: f(x, y) = pow_c x^pow_a y^pow_b for positive x and y (a product, a
     quotient, a geometric mean), pow_a and pow_b nonzero multiples of 1/2 in [-2, 2].  */
  int pow_like;
  double pow_a, pow_b, pow_c;
  double pos_lo[2], pos_hi[2];   /* the positive part of each argument's interval (when pow_like) */
  /* A float64 result is worth returning as it is (dsl_out_width_ok): a 16- or 8-bit type
     rounds it once, where through float32 it would round twice, and a vector target's
     forms use it unrounded.  Else (a float32 function) the seeds round it by tof32.  */
  int wide_out;
  /* The box probed (one input: the domain's interval), for the range analysis of a rewrite.  */
  double lo[EVAL_MAXARITY], hi[EVAL_MAXARITY];
} search_props;
/* Probes target T in type Y on D (for two arguments, only pow_like).  */
void search_probe (const eval_target *t, dsl_type y, const eval_domain *d, search_props *pr /* OUT */);
/* One random mutation of P (search_mutate), and with the target's properties PR (NULL:
   none known) also the structural rewrites they allow: a range reduction, a symmetry, a
   regime, a polynomial cut into pieces; with the NDONOR programs DONOR (the seeds that
   compose kernels of other targets, search_kernel_seeds) also a composition, one of a
   donor's values grafted into P.  */
dsl_prog *search_mutate_props (const dsl_prog *p, const search_props *pr, dsl_prog *const *donor, int ndonor,
                               an_rng *r, uint64_t allowed, int max_insn, const char **what);
/* Least squares: min ||A x - B|| for A (M x N, column-major, destroyed), B
   (destroyed); columns the earlier ones span are left out (x 0).  0, or -1.  */
int search_lsq_solve (double *a, double *b, int m, int n, double *x /* OUT */);
#define SEARCH_LSQ_MAXN 96

/* A search attached to the database (search/persist.c): what the next
   checkpoint must write beyond the population, archive and counters.  */
typedef struct {
  store *db;                /* NULL: not stored */
  int64_t run;
  store_program *pending;   /* children of this generation (freed by the checkpoint) */
  int npending;
  uint64_t skel_saved, evals_saved;   /* cache clocks at the last checkpoint */
  int samples_changed;      /* a counterexample joined small and large, and the function cache was cleared */
  int64_t group;            /* island searches: the run of island 0 (0: none) */
} search_persist;

struct search_state {
  search_params P;
  search_props props;       /* what probing the reference found: the structural mutations use it */
  eval_samples *small, *large, *huge, *probe;
  hash_cache *skel, *evals;   /* skeleton -> fitted constants; function -> scores */
  an_rng rng;
  search_indiv *pop;        /* npop individuals */
  int npop;
  int *rank;                /* per individual: Pareto rank (0 = front) */
  double *crowd;            /* crowding distance within its rank */
  const search_indiv **front;
  int nfront;
  search_indiv donor[MAXDONORS];   /* the kernel seeds as scored at the start (the composition
                                     mutation grafts from them; stored with the run) */
  int ndonor;
  search_indiv *arch;       /* verified solutions, Pareto in (cost, verified error) */
  int narch, caparch;
  uint64_t next_id;
  uint64_t evo_seed;        /* what the generators of evolution derive from (P.seed on island 0) */
  search_stats st;
  double t0;
  volatile sig_atomic_t stop;
  search_persist db;
};

/* search/persist.c, called by the loop (search/search.c), never the other way: the children
   and checkpoints of a stored search; and a resume in three steps: the stored run's row and
   parameters (refused while its process lives), then the state allocated for them filled
   from the database, then, once the loop has recomputed the front from the restored
   population, that front checked against the stored one and the run marked running.  */
int search_persist_children (search_state *s, const search_indiv *kids, int n, dsl_error *err);
/* The NAME sample set of a new search: P->samples_db's copy where it has one, else built.  */
int search_persist_samples (const search_params *p, const char *name, size_t n, uint64_t seed, eval_samples **out,
                            dsl_error *err);
int search_persist_checkpoint (search_state *s, const char *status, dsl_error *err);
void search_persist_free (search_state *s);
int search_persist_open (store *db, int64_t run, const search_params *stop, store_run *r /* OUT */,
                         search_params *p /* OUT */, dsl_error *err);
int search_persist_restore (search_state *s, store *db, const store_run *r, dsl_error *err);
int search_persist_attach (search_state *s, dsl_error *err);

/* search.c for migrate.c: adds A, scored, to the population (taking its program), and to
   the archive where it is a verified solution; the front is recomputed.  */
void search_adopt (search_state *s, search_indiv *a);

/* A copy of P with the N instructions BLOCK inserted before instruction AT;
   later references are renumbered.  BLOCK's own references must already use
   the final numbering.  NULL if memory runs out.  */
dsl_prog *search_insert_block (const dsl_prog *p, int at, const dsl_insn *block, int n);

/* Max and mean error of P on S in a metric, and how many points have a
   non-finite error (NaN results, wrong infinities); MEAN_OBJECTIVE: the
   mean is what is minimised (else the max).  */
typedef struct {
  int nonfinite;
  double max, mean;
  int mean_objective;
  size_t worst;        /* the point of the largest error (the first non-finite one where there are) */
} search_err;
void search_measure (const dsl_prog *p, const eval_samples *s, eval_metric metric, int mean,
                     search_err *out /* OUT */);
/* a better than b: fewer non-finite points, then the smaller objective, then the other figure.  */
int search_err_better (const search_err *a, const search_err *b);
/* The objective: the max or the mean, INFINITY with non-finite points.  */
double search_objective (const search_err *e);
/* A's large-sample figures in S from M, its measure there in S's metric: the objective, the
   mean, the points, and the max ULP (measured again unless the metric is ULPs).  */
void search_set_large (const search_state *s, search_indiv *a, const search_err *m);

#endif
