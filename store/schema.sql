-- schema.sql -- the autonum database (schema version 3; PRAGMA user_version).
--
-- One file holds any number of search runs.  Every search commits its state
-- here at the end of each generation, in one transaction, so a run killed at
-- any instant resumes from its last complete generation (autonum search
-- --resume) and reaches the same front as if it had never stopped.
-- Integers that autonum treats as unsigned 64-bit (seeds, hashes, op masks)
-- are stored as the signed 64-bit integer with the same bits.  Errors are in
-- the run's metric (ULPs, absolute or relative error: runs.metric) and are
-- its max or its mean (runs.objective); the ULP figure is kept beside them
-- (doc/autonum.md).  An infinite error is stored as Inf, an unknown one as
-- NULL.  Float values (domain bounds) are exact hex floats.
-- Later versions add numbered migrations in store/store.c; a database written
-- by a newer autonum is refused, never modified.

-- One search: its parameters (as given or defaulted), where it is, and its counters.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
  updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'done', 'failed')),
  pid INTEGER,                    -- process that runs or last ran it
  target TEXT NOT NULL,           -- autonum targets
  type TEXT NOT NULL,             -- float32, ...
  domain TEXT NOT NULL,           -- as --domain takes it, e.g. -0x1.9fe368p+6:0x1.62e42ep+6
  bound REAL NOT NULL,            -- the bound (in metric) that makes a program a solution
  seed INTEGER NOT NULL,
  threads INTEGER NOT NULL,       -- 0: all cores (the front does not depend on it)
  population INTEGER NOT NULL,
  max_age INTEGER NOT NULL,
  max_insn INTEGER NOT NULL,
  max_generations INTEGER NOT NULL,   -- stop rules, 0: none
  max_evaluations INTEGER NOT NULL,
  max_seconds REAL NOT NULL,
  ops INTEGER NOT NULL,           -- allowed ops, bit i for opcode i of autonum ops
  small_samples INTEGER NOT NULL,
  large_samples INTEGER NOT NULL,
  huge_samples INTEGER NOT NULL,  -- checked before exhaustive verification
  verify INTEGER NOT NULL,        -- solutions verified exhaustively
  cache_size INTEGER NOT NULL,    -- entries per evaluation cache, 0: off
  drop_bits INTEGER NOT NULL,     -- low mantissa bits the functional hash ignores
  -- Where the run is (updated at every checkpoint).
  generation INTEGER NOT NULL DEFAULT 0,
  next_id INTEGER NOT NULL DEFAULT 0,     -- last seq given to a program
  rng BLOB,                       -- the run's xoshiro256** state
  skeleton_tick INTEGER NOT NULL DEFAULT 0,   -- recency clocks of the two caches
  function_tick INTEGER NOT NULL DEFAULT 0,
  evaluations INTEGER NOT NULL DEFAULT 0,     -- candidates scored on the small sample
  large_evaluations INTEGER NOT NULL DEFAULT 0,
  verifications INTEGER NOT NULL DEFAULT 0,
  refutations INTEGER NOT NULL DEFAULT 0,     -- verifications stopped at a first failing pass
  counterexamples INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  struct_lookups INTEGER NOT NULL DEFAULT 0,  -- skeleton cache
  struct_hits INTEGER NOT NULL DEFAULT 0,
  func_lookups INTEGER NOT NULL DEFAULT 0,    -- evaluation (functional hash) cache
  func_hits INTEGER NOT NULL DEFAULT 0,
  seconds REAL NOT NULL DEFAULT 0,            -- search time so far, over all sessions
  first_solution_seconds REAL,
  best_solution_cost REAL,        -- cheapest verified solution, NULL if none
  best_verified REAL,             -- its verified max ULP error
  best_error REAL,                -- smallest error on the large sample so far
  metric TEXT NOT NULL DEFAULT 'ulp' CHECK (metric IN ('ulp', 'abs', 'rel')),   -- version 2
  objective TEXT NOT NULL DEFAULT 'max' CHECK (objective IN ('max', 'mean')),   -- version 2
  -- Island searches (version 3: search/island.c): one run per island and all written by rank 0.
  -- (No commas in the comments of the last columns: SQLite's DROP COLUMN looks back for one.)
  islands INTEGER NOT NULL DEFAULT 1,     -- islands of the search (MPI ranks); 1: a run on its own
  island INTEGER NOT NULL DEFAULT 0,      -- this run's island, 0 .. islands - 1
  island_group INTEGER,                   -- the run of island 0 (NULL when islands = 1)
  migrate_every INTEGER NOT NULL DEFAULT 0,   -- generations between migrations (0: never)
  migrants INTEGER NOT NULL DEFAULT 0         -- front members each island sends its neighbour
);

-- Every program a run scored, with its scores and lineage.  id is stable and
-- is what autonum show / verify / export / bench / plot take.
CREATE TABLE programs (
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES runs (id),
  seq INTEGER NOT NULL,           -- order of creation within the run
  generation INTEGER NOT NULL,    -- 0 for the seeds
  parent1 INTEGER,                -- seq of the parents in the same run, NULL for none
  parent2 INTEGER,
  origin TEXT NOT NULL,           -- seed, insert, delete, replace, rewire, perturb, degree, crossover, migrant
  text TEXT NOT NULL,             -- the program (autonum's program syntax, canonical form)
  instructions INTEGER NOT NULL,
  cost REAL NOT NULL,
  err_small REAL,                 -- the objective on the small sample
  err_large REAL,                 -- the objective on the large sample, Inf if not measured
  mean_large REAL,                -- the mean error there
  large_points INTEGER,
  verified INTEGER NOT NULL DEFAULT 0,   -- 1: err_verified holds for every input of the domain
                                  -- (float64: for the points checked, sampled + searched)
  err_verified REAL,
  verified_points INTEGER,
  skey INTEGER,                   -- structural hash (skeleton), 0 if not computed
  fkey INTEGER,                   -- functional hash (outputs on the probe inputs)
  ulp_large REAL,                 -- max ULP on the large sample (version 2; NULL: not measured)
  ulp_verified REAL,              -- max ULP where verified (version 2)
  UNIQUE (run, seq)
);

-- Each run's population (in order), archive of verified solutions and
-- cost/error Pareto front (cheapest first) at its last checkpoint, and the
-- seeds that compose kernels (donors: the composition mutation grafts from
-- them; written once, version 4).
CREATE TABLE members (
  run INTEGER NOT NULL REFERENCES runs (id),
  role TEXT NOT NULL CHECK (role IN ('population', 'archive', 'front', 'donor')),
  pos INTEGER NOT NULL,
  seq INTEGER NOT NULL,           -- programs.seq in the same run
  PRIMARY KEY (run, role, pos)
) WITHOUT ROWID;

-- The evaluation caches (hash/): slot by slot, so a resumed run evicts
-- exactly what the uninterrupted one would.  value: the cached words as
-- doubles in the writing machine's byte order (skeleton: count, constants..., error; function:
-- small, large, mean large-sample error).
CREATE TABLE cache (
  run INTEGER NOT NULL REFERENCES runs (id),
  kind TEXT NOT NULL CHECK (kind IN ('skeleton', 'function')),
  slot INTEGER NOT NULL,
  key INTEGER NOT NULL,
  used INTEGER NOT NULL,          -- recency tick
  value BLOB NOT NULL,
  PRIMARY KEY (run, kind, slot)
) WITHOUT ROWID;

-- The sample sets with their correctly rounded references, so that a resumed
-- run does not recompute them: input holds n values of the type's storage
-- per argument (float, double, or the 16- and 8-bit patterns; argument
-- after argument), ref_hi and ref_lo n doubles each (the reference
-- is ref_hi + ref_lo).  small and large grow by the inputs where
-- verification failed.
CREATE TABLE samples (
  run INTEGER NOT NULL REFERENCES runs (id),
  name TEXT NOT NULL CHECK (name IN ('small', 'large', 'huge', 'probe')),
  seed INTEGER NOT NULL,
  n INTEGER NOT NULL,
  input BLOB NOT NULL,
  ref_hi BLOB NOT NULL,
  ref_lo BLOB NOT NULL,
  PRIMARY KEY (run, name)
) WITHOUT ROWID;

CREATE INDEX programs_run_generation ON programs (run, generation);
