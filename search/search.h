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
  /* Not stored either: NKERNELS kernels evolved for other targets (search_kernel, below), for
     seeds that compose them (search_kernel_seeds), or none.  */
  const struct search_kernel *kernels;
  int nkernels;
  /* Island searches (search/island.c): ISLANDS islands (1: a run on its own), this one
     ISLAND, evolving from its own generators (island 0's are a lone run's); every
     MIGRATE_EVERY generations (0: never) each sends MIGRANTS front members to the next.
     The samples are the run's (SEED), the same on every island.  */
  int islands, island;
  int migrate_every, migrants;
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
  uint64_t first_solution_evaluations;   /* candidates scored by then, 0 if not in this session */
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
/* 1 while the stop rules allow another generation (what search_step checks first).  */
int search_budget_left (const search_state *s);

/* Migration between islands (search/migrate.c).  The MAX members of S's front spread over it
   (from the cheapest to the most accurate), as bytes: their texts and scores, and a digest of
   S's sample sets.  NULL with ERR filled if memory runs out (*N 0: an empty front).  */
void *search_emigrants (const search_state *s, int max, size_t *n /* OUT */, dsl_error *err);
/* Adds the programs BUF (from search_emigrants of another island of the same run) to S's
   population as new individuals of origin "migrant", written with the next checkpoint.  Their
   scores are taken as they are where the sender's samples were S's, else recomputed.  Programs
   S's ops or size do not allow are dropped.  Returns how many joined, -1 with ERR filled.  */
int search_immigrate (search_state *s, const void *buf, size_t n, dsl_error *err);
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
/* The same for an island: S is stored as run RUN (an id no run has yet) of island group
   GROUP (the run of island 0).  */
int search_store_island (search_state *s, store *db, int64_t run, int64_t group, dsl_error *err);
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

/* Island searches over MPI (search/island.c).  search_mpi_start initialises MPI when this
   process was started by an MPI launcher (mpirun: OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK
   in the environment) and sets *RANK and *SIZE; otherwise, or in a build without MPI, *RANK 0
   and *SIZE 1, and nothing is initialised.  search_mpi_end finalises what it started.  */
int search_mpi_start (int *argc, char ***argv, int *rank /* OUT */, int *size /* OUT */, dsl_error *err);
void search_mpi_end (void);
/* 1 on every rank when OK is nonzero on every rank (collective; OK itself without MPI).  */
int search_mpi_all (int ok);
/* A group: one island per rank, every call below collective (made by every rank, in the same
   order), with the same result on every rank; an error on any rank is every rank's ERR
   ("rank K: ..." for K > 0).  Rank 0 owns the database (DB; NULL on the other ranks, and on
   rank 0 too for a run kept in memory): each checkpoint is one transaction of rank 0 holding
   every island's writes, which the other ranks send it (store_recorder).  Each island is a
   run of its own (runs.island_group is island 0's), with the run's seed and samples and
   generators of its own (search_params.island); island 0 is what a run on its own would be
   until the first migration.  Migration: before every generation that follows a multiple of
   MIGRATE_EVERY, island k sends MIGRANTS of its front members (search_emigrants) to island
   k + 1 mod N (a ring).  All islands stop together: when the stop rules of any one say so.  */
typedef struct search_group search_group;
search_group *search_group_new (const search_params *p, store *db, dsl_error *err);
/* RUN may be any island's run.  Refused (every rank) when the run has another number of
   islands than ranks, or is not an island search.  Rank 0 sends the others a copy of the
   database (store_image) to read their island's state from.  */
search_group *search_group_resume (store *db, int64_t run, const search_params *stop, dsl_error *err);
int search_group_step (search_group *g, dsl_error *err);
int search_group_close (search_group *g, const char *status, dsl_error *err);
/* This rank's island; the group's run (island 0's, 0 when not stored); the group's counters
   at the last step (summed over islands; generation, best errors and costs the best of any),
   and *FIRST_EVALS the candidates all islands had scored when the first verified solution was
   found (0: none yet, or found before this session).  */
search_state *search_group_island (const search_group *g);
int64_t search_group_run (const search_group *g);
void search_group_stats (const search_group *g, search_stats *out /* OUT */, uint64_t *first_evals /* OUT */);
/* What this rank sent and received in this session (for rank 0: its gathers, the other ranks'
   checkpoints it received and replayed).  The figures doc/autonum.md scales to more ranks.  */
typedef struct {
  uint64_t setup_bytes;        /* rank 0: the other ranks' writes at the start (their runs, seeds
                                  and sample sets; at a resume, their marks), not counted below */
  uint64_t checkpoints;        /* transactions after the start (generations, and the run's end) */
  uint64_t gathered_bytes;     /* rank 0: the other ranks' recorded writes received in those */
  double gather_seconds;       /* rank 0: receiving and replaying them */
  double commit_seconds;       /* rank 0: committing the transactions */
  double wait_seconds;         /* waiting for the slowest rank at the end of each generation */
  uint64_t migrations;         /* messages sent to the next island */
  uint64_t migrated_bytes;     /* their bytes */
  double migrate_seconds;      /* choosing, exchanging and taking in migrants */
} search_traffic;
void search_group_traffic (const search_group *g, search_traffic *out /* OUT */);
void search_group_free (search_group *g);

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

/* A kernel for composition: PROG, a program of one input that computes TARGET (evolved by
   another search: `--kernel FILE`, or taken from the database by search_db_kernels).  */
typedef struct search_kernel {
  const dsl_prog *prog;
  const eval_target *target;
  int64_t run;              /* the run it comes from (0: a file) */
} search_kernel;

/* Seeds that compose a kernel (search/seeds.c): where probing the references shows f(x) =
   x^j R(G(a x + b)) for the target G of one of the NK kernels K (j 0 or 1, a in {+-1, +-2,
   +-1/2}, b in {0, +-1}, R(u) = (p0 + p1 u) / (1 + q1 u) fitted), the kernel's instructions
   spliced into a program computing that, R in float64 where the type computes in float32.
   Returns how many were written to OUT (at most MAX); the caller frees them.  */
int search_kernel_seeds (const eval_target *t, dsl_type y, const eval_domain *d, const search_kernel *k, int nk,
                         dsl_prog **out, int max);

/* At most this many kernels are taken from a database.  */
#define SEARCH_MAXKERNELS 8
/* The kernels DB offers a new search of T in type Y: for every other one-input target
   searched in Y with a ULP bound (the oldest runs first, at most SEARCH_MAXKERNELS
   programs), the cheapest front member verified within its run's bound and the most
   accurate verified one, over all its runs, each with its run's domain.  *OUT is malloc'd
   (search_kernels_free), *N may be 0.  */
int search_db_kernels (store *db, const eval_target *t, dsl_type y, search_kernel **out /* OUT */, int *n /* OUT */,
                       dsl_error *err);
void search_kernels_free (search_kernel *k, int n);

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
