/* search -- the evolutionary loop: population, Pareto selection with aging, mutation,
   constant fitting, staged scoring and verification of solutions.

   Two objectives, both minimised: the error in the run's metric (ULP,
   absolute or relative; its max, or its mean) on samples, or verified over
   the whole domain, and the cost (of the lowered C, dsl_prog_cost).
   The state (population, RNG, counters, front) is one explicit object so that
   it can be saved and restored.  Deterministic: the same parameters and seed
   give the same front for any thread count.  Nothing here prints.  */
#ifndef AUTONUM_SEARCH_H
#define AUTONUM_SEARCH_H

#include <stdint.h>

#include "dsl/dsl.h"
#include "eval/eval.h"
#include "eval/rng.h"
#include "store/store.h"

typedef struct {
  const eval_target *target;
  dsl_type type;
  eval_domain dom;
  eval_metric metric;       /* what the error is measured in (default ULP) */
  int mean;                 /* the objective is the mean error over the points (else the max) */
  double bound;             /* the bound in that metric that makes a program a solution */
  uint64_t seed;
  int threads;              /* 0: all cores */
  int population;           /* individuals kept per generation */
  int max_age;              /* generations an individual may live unless on the front */
  int max_insn;             /* instructions per program (at least SEARCH_MULFREE_INSN where OPS has no mul) */
  long generations;         /* stop rules; 0 = no limit (at least one must be set) */
  long evaluations;
  double seconds;
  uint64_t ops;             /* allowed ops, bit i for opcode i */
  size_t small_samples, large_samples;
  size_t huge_samples;      /* checked before the exhaustive verification (2^18) */
  int verify;               /* verify solutions (exhaustively, or sampled + searched for float64) */
  size_t cache_size;        /* entries of each evaluation cache (hash/); 0 turns caching off */
  int drop_bits;            /* low mantissa bits ignored by the functional hash */
  /* Not a parameter of the run: a database whose earlier runs' fixed sample sets (huge,
     probe) a new run with the same target, type, domain and seed reads instead of
     recomputing their references (Arb's cost 10 us - 7 ms each for log-Bessel), or NULL.  */
  store *samples_db;
  /* Not stored either (a resumed run has its population): a program to seed the new
     run with besides the built-in seeds (--start), or NULL.  Its ops must be in OPS and
     it must fit MAX_INSN.  */
  const dsl_prog *start;
} search_params;

/* Defaults for TARGET: population 48, 10 minutes or 200 generations, every
   op but the libm calls, 512 then 8192 samples, verification on.  Where TARGET
   declares a seed program for TYPE, its ops join the defaults and MAX_INSN holds it.  */
void search_params_default (search_params *p, const eval_target *target, dsl_type type);
/* The seed program T declares for type Y (eval_target.seed, its input bound where the
   target says so): 1 with *OUT set, 0 when it declares none for Y, -1 if out of memory.  */
int search_target_seed (const eval_target *t, dsl_type y, dsl_prog **out /* OUT */);

typedef struct {
  uint64_t id;              /* unique within a run, in order of creation */
  uint64_t parent[2];       /* 0 when none */
  long generation;          /* when it was created */
  dsl_prog *prog;
  double cost;
  double err_small;         /* the objective on the small sample */
  double err_large;         /* the objective on the large sample (INFINITY if not reached) */
  double mean_large;        /* the mean error there */
  double ulp_large;         /* its max ULP there, beside the metric (NAN: not measured) */
  double ulp_verified;      /* and verified (NAN: not verified) */
  uint64_t large_points;    /* size of the large sample it was measured on */
  int verified;             /* 1: err_verified is over the whole domain (exhaustive; for float64
                               sampled + searched); 0: not (yet) verified */
  double err_verified;
  uint64_t verified_points;
  const char *origin;       /* "seed", "insert", "crossover", ... */
  uint64_t skey, fkey;      /* structural and functional hash (0: not computed) */
} search_indiv;

typedef struct {
  long generation;
  uint64_t evaluations;     /* candidates scored on the small sample */
  uint64_t large_evaluations;
  uint64_t verifications;
  uint64_t counterexamples; /* failed verifications whose worst input joined the samples */
  uint64_t refutations;     /* verifications stopped early at an input above the bound */
  uint64_t duplicates;      /* candidates dropped as duplicates at selection */
  uint64_t struct_lookups, struct_hits;   /* skeleton cache: constant fitting skipped on a hit */
  uint64_t func_lookups, func_hits;       /* evaluation cache: scoring skipped on a hit */
  double seconds;
  double store_seconds;       /* spent writing checkpoints (this session) */
  double verify_seconds;      /* spent in exhaustive verification (this session) */
  double best_solution_cost;  /* cheapest verified program within the bound, INFINITY if none */
  double first_solution_seconds;   /* when the first verified solution was found, -1 if none */
  double best_error;          /* smallest max ULP on the large sample so far */
  int front_size;
} search_stats;

typedef struct search_state search_state;

/* A new search (samples built, seeds scored).  NULL with ERR filled on failure.  */
search_state *search_new (const search_params *p, dsl_error *err);
void search_free (search_state *s);
/* Runs one generation.  Returns 1 while the stop rules allow more, 0 when
   done, -1 with ERR filled on failure.  */
int search_step (search_state *s, dsl_error *err);
void search_get_stats (const search_state *s, search_stats *out /* OUT */);
/* The current front, cheapest first: every verified solution kept so far
   (Pareto in cost and verified error), then the population's Pareto front
   of (error, cost) where no solution is as cheap and as accurate; error is
   the verified error where known, else the large-sample error.  The pointers
   stay valid until the next search_step.  */
int search_front (const search_state *s, const search_indiv ***out /* OUT */);
/* Asks the loop to stop at the end of the current generation (signal-safe).  */
void search_request_stop (search_state *s);

/* Persistence (search/persist.c, schema in store/schema.sql).  search_store
   records the new search S in DB as a run (parameters, samples, seeds) and
   from then on every search_step ends with a checkpoint: one transaction
   holding the generation's children, the population, archive and front, the
   caches' changes, the counters and the status.  A failed checkpoint makes
   search_step fail; the database keeps the previous one.  S keeps DB, which
   must outlive it.  */
int search_store (search_state *s, store *db, int64_t *run /* OUT */, dsl_error *err);
/* The state of RUN at its last checkpoint, attached to DB as above; resuming
   it reaches the front the uninterrupted run would have.
   STOP (may be NULL) replaces the stored stop rules when any of its
   generations, evaluations or seconds is nonzero, and its threads the thread
   count when nonzero.  Refuses a run another live process is searching.  */
search_state *search_resume (store *db, int64_t run, const search_params *stop, dsl_error *err);
/* Writes a last checkpoint with STATUS ("done" or "stopped"), or after a
   failed search_step marks the run "failed" and keeps its last checkpoint.  */
int search_close_run (search_state *s, const char *status, dsl_error *err);
/* The run S is stored as, 0 if none; the stored id of its program SEQ.  */
int64_t search_run (const search_state *s);
int64_t search_program_id (const search_state *s, uint64_t seq);
/* The parameters S runs with.  */
const search_params *search_get_params (const search_state *s);

/* Fits the float constants of P (in place) to minimise its error on S in
   METRIC (the max, or with MEAN the mean):
   Gauss-Newton on the relative error, then iteratively reweighted least
   squares towards minimax, then a neighbour search over the last bits of the
   constants in their width.  Returns the objective on S afterwards.  */
double search_fit_constants (dsl_prog *p, const eval_samples *s, eval_metric metric, int mean, an_rng *r,
                             int effort);

/* The scaffolds the population starts from, built from what probing T's
   reference on D finds (search/probe.c, search/seeds.c): range reductions,
   symmetry, saturation and small-|x| regimes around polynomial and
   rational cores; symmetric targets also get rational functions of x^2,
   fitted, with their input clamped where the error in METRIC stays within
   BOUND / 16; targets spanning many binades get f = p e^H (p = 1 or x, H a
   fitted polynomial), over the whole domain or, for an odd part c x or an
   even part constant, over the negative half only.  Where OPS (bit i for
   opcode i) has no float multiply: Mitchell's and L-Mul's products (and
   quotients, geometric means: c x^a y^b) from integer adds on the bits, the
   product also split into y's power of two and remainder, and Schraudolph's
   exponential with its significand corrected, their offsets fitted.  Returns
   how many were written to OUT (at most MAX); the caller frees them, and
   keeps those whose ops OPS allows.  UNPARSED (may be NULL) counts
   generated texts that did not parse (none, unless seeds.c has a bug).  */
int search_seeds (const eval_target *t, dsl_type y, const eval_domain *d, eval_metric metric, double bound,
                  uint64_t ops, dsl_prog **out, int max, int *unparsed);

/* One random mutation of P (a new program), using only ALLOWED ops.  */
dsl_prog *search_mutate (const dsl_prog *p, an_rng *r, uint64_t allowed, int max_insn, const char **what);
/* Grafts a random float value's computation from B into A.  */
dsl_prog *search_crossover (const dsl_prog *a, const dsl_prog *b, an_rng *r, int max_insn);

/* The monotonic clock, in seconds (search/params.c): what time limits and timings read.  */
double search_now (void);

#define SEARCH_MULFREE_INSN 64

/* Parses an op list into a mask: "add,mul,fma" (only those), "-mul,-div"
   (type Y's defaults but those), "+tof64,tof32" (the defaults and those), or a preset
   ("mulfree") alone, in a list, or first with changes after it ("mulfree,+lut").  */
int search_parse_ops (const char *text, dsl_type y, uint64_t *mask /* OUT */, dsl_error *err);
/* The ops of preset NAME ("mulfree": no float multiply, divide, fma, square root, libm call or
   float conversion), or 0 when there is no such preset.  */
uint64_t search_preset_ops (const char *name);
/* The ops a search of type Y uses by default: every op but the libm calls and the
   conversions between float types, and for float32 the conversions to and from float64.  */
uint64_t search_default_ops (dsl_type y);

#endif
