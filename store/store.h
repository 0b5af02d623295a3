/* store -- the SQLite database: runs, programs, populations, caches and sample sets.

   The schema is store/schema.sql (documented there, applied with PRAGMA
   user_version and forward migrations).  The database is in WAL mode with a
   busy timeout, so several processes can share it.  Opening never writes to
   a file that is not already an autonum database (or empty): a file of
   another kind, a newer schema or a failed quick_check is an error and the
   file is left as it was.  Every function returns 0 on success, -1 with ERR
   filled on failure; nothing here prints.  Writes happen inside
   store_begin/store_commit, so a failure or a crash leaves the database as
   it was at the last commit.  */
#ifndef AUTONUM_STORE_H
#define AUTONUM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/dsl.h"
#include "eval/eval.h"
#include "hash/hash.h"

#define STORE_SCHEMA_VERSION 4
#define STORE_DEFAULT_PATH "autonum.db"

typedef struct store store;

/* Opens PATH.  WRITE: creates it when missing and may write; otherwise
   read-only, and a missing file is an error.  */
int store_open (const char *path, int write, store **out /* OUT */, dsl_error *err);
void store_close (store *db);
const char *store_path (const store *db);

/* One write transaction (BEGIN IMMEDIATE: waits for other writers up to the
   busy timeout, then fails saying the database is locked).  Transactions
   nest: only the outermost commit writes, and a rollback at any depth undoes
   the whole (the outer commit then fails).  */
int store_begin (store *db, dsl_error *err);
int store_commit (store *db, dsl_error *err);
void store_rollback (store *db);

/* Island searches over MPI (search/island.c): one process (rank 0) owns the database; the
   others write to a recorder, a store whose writes (runs, programs, members, samples,
   caches) are kept as bytes instead of executed, and rank 0 replays those bytes on the
   database inside its own transaction.  A recorder reads from INNER (may be NULL: then
   every read fails), which it takes over (store_close closes it).  The bytes are in this
   machine's layout: every rank must run the same build on the same architecture.  */
int store_recorder (store *inner, store **out /* OUT */, dsl_error *err);
/* The writes recorded since the last call (malloc'd, or NULL with *N 0 when none).  A
   rollback drops those of its transaction.  */
void *store_record_take (store *rec, size_t *n /* OUT */);
/* Executes the recorded writes BUF on DB (a real database), in their order.  */
int store_replay (store *db, const void *buf, size_t n, dsl_error *err);
/* The whole database as bytes (sqlite3_serialize; malloc'd), and a read-only store
   over such bytes (sqlite3_deserialize; BUF is copied): what rank 0 sends the others
   for a resume.  */
void *store_image (store *db, size_t *n /* OUT */, dsl_error *err);
int store_open_image (const void *buf, size_t n, store **out /* OUT */, dsl_error *err);
/* The runs of island group GROUP in island order (*IDS malloc'd), *N 0 if none.  */
int store_group_runs (store *db, int64_t group, int64_t **ids /* OUT */, int *n /* OUT */, dsl_error *err);

/* A run: its parameters and where it is.  Field meanings: store/schema.sql.  */
typedef struct {
  int64_t id;
  char created[24], updated[24];
  char status[12];
  int64_t pid;
  char target[DSL_MAXTARGET], type[16];
  char domain[128];
  double bound;
  uint64_t seed;
  int threads, population, max_age, max_insn;
  long max_generations, max_evaluations;
  double max_seconds;
  uint64_t ops;
  uint64_t small_samples, large_samples, huge_samples;
  int verify;
  uint64_t cache_size;
  int drop_bits;
  long generation;
  uint64_t next_id;
  uint64_t rng[4];
  uint64_t skeleton_tick, function_tick;
  uint64_t evaluations, large_evaluations, verifications, refutations, counterexamples, duplicates;
  uint64_t struct_lookups, struct_hits, func_lookups, func_hits;
  double seconds, first_solution_seconds;   /* -1: none yet */
  double best_solution_cost, best_verified; /* INFINITY: none yet */
  double best_error;
  char metric[8];           /* "ulp", "abs", "rel" */
  char objective[8];        /* "max", "mean" */
  int islands, island;      /* island searches (search/island.c): 1, 0 for a run on its own */
  int64_t island_group;     /* the run of island 0 (0: none) */
  int migrate_every, migrants;
} store_run;

/* Inserts R (its id, created and updated are set; an id R already has, > 0, is kept).  */
int store_run_insert (store *db, store_run *r, dsl_error *err);
/* Rewrites everything but id and created.  */
int store_run_update (store *db, const store_run *r, dsl_error *err);
int store_run_get (store *db, int64_t id, store_run *out /* OUT */, dsl_error *err);
/* Sets only the status (the rest stays at the last checkpoint).  */
int store_run_set_status (store *db, int64_t id, const char *status, dsl_error *err);
/* The newest run (the newest with status running or stopped when
   UNFINISHED); *ID = 0 when there is none.  */
int store_run_latest (store *db, int unfinished, int64_t *id /* OUT */, dsl_error *err);
/* Every run, oldest first: FN returns nonzero to stop early.  */
int store_run_each (store *db, int (*fn) (const store_run *r, void *arg), void *arg, dsl_error *err);

/* A scored program.  TEXT is owned by the caller when writing, and malloc'd
   (freed by store_program_clear) when read.  */
typedef struct {
  int64_t id, run;
  uint64_t seq;
  uint64_t parent[2];       /* seq in the same run, 0 for none */
  long generation;
  char origin[16];
  char *text;
  int instructions;
  double cost, err_small, err_large, mean_large;
  uint64_t large_points;
  int verified;
  double err_verified;
  uint64_t verified_points;
  uint64_t skey, fkey;
  double ulp_large, ulp_verified;   /* max ULP beside the metric's error (NAN: not measured) */
} store_program;

/* Inserts P, or updates the scores of the program with P's (run, seq).  */
int store_program_put (store *db, const store_program *p, dsl_error *err);
int store_program_get (store *db, int64_t id, store_program *out /* OUT */, dsl_error *err);
/* The program SEQ of RUN.  */
int store_program_get_seq (store *db, int64_t run, uint64_t seq, store_program *out /* OUT */, dsl_error *err);
void store_program_clear (store_program *p);

/* ROLE is "population", "archive" or "front": replaces the list.  */
int store_members_set (store *db, int64_t run, const char *role, const uint64_t *seq, int n, dsl_error *err);
/* The programs of a list, in order (*OUT malloc'd; free with store_programs_free).  */
int store_members_get (store *db, int64_t run, const char *role, store_program **out /* OUT */, int *n /* OUT */,
                       dsl_error *err);
void store_programs_free (store_program *p, int n);

/* Sample sets, by NAME ("small", "large", "huge", "probe").  */
int store_samples_put (store *db, int64_t run, const char *name, const eval_samples *s, dsl_error *err);
/* Reads a set back for target T, type Y and domain D.  */
int store_samples_get (store *db, int64_t run, const char *name, const eval_target *t, dsl_type y,
                       const eval_domain *d, eval_samples **out /* OUT */, dsl_error *err);

/* The NAME set of N points an earlier run built for TARGET, TYPE, DOMAIN (as runs store
   them) from SEED: the same points and references as eval_samples_build would give, read
   back instead of recomputed.  1 with *OUT set, 0 when no run has it, -1 on error.  */
int store_samples_find (store *db, const char *target, const char *type, const char *domain, const char *name,
                        uint64_t seed, size_t n, const eval_target *t, dsl_type y, const eval_domain *d,
                        eval_samples **out /* OUT */, dsl_error *err);

/* Caches, by KIND ("skeleton", "function"): one row per occupied slot.  */
int store_cache_put (store *db, int64_t run, const char *kind, size_t slot, uint64_t used, const hash_entry *e,
                     dsl_error *err);
int store_cache_clear (store *db, int64_t run, const char *kind, dsl_error *err);
/* Calls FN for every stored slot of the cache.  */
int store_cache_each (store *db, int64_t run, const char *kind,
                      void (*fn) (size_t slot, uint64_t used, const hash_entry *e, void *arg), void *arg,
                      dsl_error *err);

#endif
