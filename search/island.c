/* island -- an island search over MPI ranks: one island per rank, migration along a ring,
   and every island's checkpoint in one transaction of rank 0, which owns the database.

   Every function of a group is collective and deterministic: the ranks exchange only at
   fixed points of a generation (the stop decision, the migration, the checkpoint), in a
   fixed order, so a fixed seed, rank count and thread count give the same fronts.  */
#include <config.h>

#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_MPI
#include <mpi.h>
#endif

#include "search/internal.h"

#ifndef HAVE_MPI

int
search_mpi_start (int *argc, char ***argv, int *rank, int *size, dsl_error *err)
{
  (void) argc, (void) argv, (void) err;
  *rank = 0;
  *size = 1;
  return 0;
}

void
search_mpi_end (void)
{
}

int
search_mpi_all (int ok)
{
  return ok != 0;
}

search_group *
search_group_new (const search_params *p, store *db, dsl_error *err)
{
  (void) p, (void) db;
  return dsl_error_set (err, "this autonum was built without MPI (./configure --with-mpi)"), NULL;
}

search_group *
search_group_resume (store *db, int64_t run, const search_params *stop, dsl_error *err)
{
  (void) db, (void) run, (void) stop;
  return dsl_error_set (err, "this autonum was built without MPI (./configure --with-mpi)"), NULL;
}

int
search_group_step (search_group *g, dsl_error *err)
{
  (void) g;
  return dsl_error_set (err, "no MPI");
}

int
search_group_close (search_group *g, const char *status, dsl_error *err)
{
  (void) g, (void) status;
  return dsl_error_set (err, "no MPI");
}

search_state *
search_group_island (const search_group *g)
{
  (void) g;
  return NULL;
}

int64_t
search_group_run (const search_group *g)
{
  (void) g;
  return 0;
}

void
search_group_stats (const search_group *g, search_stats *out, uint64_t *first_evals)
{
  (void) g;
  memset (out, 0, sizeof *out);
  *first_evals = 0;
}

void
search_group_traffic (const search_group *g, search_traffic *out)
{
  (void) g;
  memset (out, 0, sizeof *out);
}

void
search_group_free (search_group *g)
{
  (void) g;
}

#else

static int started;

int
search_mpi_start (int *argc, char ***argv, int *rank, int *size, dsl_error *err)
{
  *rank = 0;
  *size = 1;
  if (!getenv ("OMPI_COMM_WORLD_SIZE") && !getenv ("PMIX_RANK") && !getenv ("PMI_RANK"))
    return 0;
  int provided;
  if (MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    return dsl_error_set (err, "MPI_Init failed");
  started = 1;
  /* Errors come back as codes (MPI's default aborts the whole job): see check.  */
  MPI_Comm_set_errhandler (MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank (MPI_COMM_WORLD, rank);
  MPI_Comm_size (MPI_COMM_WORLD, size);
  return 0;
}

void
search_mpi_end (void)
{
  if (started)
    MPI_Finalize ();
  started = 0;
}

int
search_mpi_all (int ok)
{
  int mine = ok != 0, all = 0;
  if (!started)
    return mine;
  return MPI_Allreduce (&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) == MPI_SUCCESS && all;
}

struct search_group {
  int rank, size;
  int has_db;
  store *db;                /* rank 0: the database (the caller's); others: a recorder (ours) */
  search_state *s;
  int64_t run;
  search_stats st;
  uint64_t first_evals;
  search_traffic tr;
  int made;                 /* the group is made: its traffic counts in tr's per-checkpoint figures */
};

/* An MPI call's result as ours.  */
static int
check (int mpi, dsl_error *err, const char *what)
{
  if (mpi == MPI_SUCCESS)
    return 0;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string (mpi, text, &len);
  return dsl_error_set (err, "MPI %s: %.*s", what, len, text);
}

/* Every rank's RC (0 or -1) agreed on: -1 on every rank when any failed, with the lowest
   failing rank's message.  */
static int
agree (const search_group *g, int rc, dsl_error *err)
{
  int bad = rc < 0 ? g->rank : g->size, first;
  if (MPI_Allreduce (&bad, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS)
    return dsl_error_set (err, "MPI: the ranks cannot agree (a rank died?)");
  if (first == g->size)
    return 0;
  char msg[sizeof err->msg];
  if (g->rank == first)
    snprintf (msg, sizeof msg, "%s", err->msg);
  if (MPI_Bcast (msg, sizeof msg, MPI_CHAR, first, MPI_COMM_WORLD) != MPI_SUCCESS)
    snprintf (msg, sizeof msg, "failed (its message was lost)");
  msg[sizeof msg - 1] = 0;
  if (first)
    return dsl_error_set (err, "rank %d: %s", first, msg);
  return dsl_error_set (err, "%s", msg);
}

/* Large buffers go in pieces: MPI counts are ints.  */
#define PIECE (1 << 30)

static int
send_bytes (const unsigned char *b, uint64_t n, int to, dsl_error *err)
{
  for (uint64_t at = 0; at < n; at += PIECE)
    if (check (MPI_Send (b + at, (int) (n - at < PIECE ? n - at : PIECE), MPI_BYTE, to, 7, MPI_COMM_WORLD), err,
               "send"))
      return -1;
  return 0;
}

static int
recv_bytes (unsigned char *b, uint64_t n, int from, dsl_error *err)
{
  for (uint64_t at = 0; at < n; at += PIECE)
    if (check (MPI_Recv (b + at, (int) (n - at < PIECE ? n - at : PIECE), MPI_BYTE, from, 7, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE),
               err, "receive"))
      return -1;
  return 0;
}

/* The other ranks' recorded writes, replayed by rank 0 in rank order (inside its open
   transaction).  */
static int
gather (search_group *g, dsl_error *err)
{
  int rc = 0;
  if (!g->has_db)
    return 0;
  double t0 = search_now ();
  if (g->rank)
    {
      size_t n;
      unsigned char *buf = store_record_take (g->db, &n);
      uint64_t len = n;
      rc = check (MPI_Send (&len, 1, MPI_UINT64_T, 0, 6, MPI_COMM_WORLD), err, "send");
      if (!rc)
        rc = send_bytes (buf, len, 0, err);
      free (buf);
    }
  else
    for (int r = 1; r < g->size; r++)
      {
        uint64_t len;
        if (check (MPI_Recv (&len, 1, MPI_UINT64_T, r, 6, MPI_COMM_WORLD, MPI_STATUS_IGNORE), err, "receive"))
          return agree (g, -1, err);   /* the link is broken: nothing more to receive */
        *(g->made ? &g->tr.gathered_bytes : &g->tr.setup_bytes) += len;
        unsigned char *buf = malloc (len ? len : 1);
        if (!buf)
          {
            /* Received all the same (each piece truncated to one byte: MPI_ERR_TRUNCATE, the
               message consumed), so that the sender does not block forever.  */
            unsigned char sink;
            for (uint64_t at = 0; at < len; at += PIECE)
              MPI_Recv (&sink, 1, MPI_BYTE, r, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (!rc)
              rc = dsl_error_set (err, "out of memory for rank %d's checkpoint (%llu bytes)", r,
                                  (unsigned long long) len);
            continue;
          }
        int got = recv_bytes (buf, len, r, err);
        /* After a failed replay the rest is still received: the senders must not wait forever.  */
        if (!got && !rc)
          rc = store_replay (g->db, buf, len, err);
        else if (got)
          rc = -1;
        free (buf);
      }
  if (g->made)
    g->tr.gather_seconds += search_now () - t0;
  return agree (g, rc, err);
}

/* One transaction of rank 0 around FN (writing on every rank), the others' writes in it.  */
static int
transaction (search_group *g, int (*fn) (search_group *g, void *arg, dsl_error *err), void *arg, dsl_error *err)
{
  int rc = g->has_db && g->rank == 0 ? store_begin (g->db, err) : 0;
  if (agree (g, rc, err) < 0)
    return -1;
  rc = fn (g, arg, err);
  double t0 = search_now ();
  rc = agree (g, rc, err);
  if (g->made)
    g->tr.wait_seconds += search_now () - t0;
  if (rc < 0 || gather (g, err) < 0)
    {
      if (g->has_db)
        store_rollback (g->db);
      return -1;
    }
  t0 = search_now ();
  rc = g->has_db && g->rank == 0 ? store_commit (g->db, err) : 0;
  if (g->made)
    {
      g->tr.commit_seconds += search_now () - t0;
      g->tr.checkpoints++;
    }
  return agree (g, rc, err);
}

/* The group's counters: the islands' sums, and figures that are the least (or the largest)
   of the islands'.  */
static const size_t summed[] = {
  offsetof (search_stats, evaluations), offsetof (search_stats, large_evaluations),
  offsetof (search_stats, verifications), offsetof (search_stats, counterexamples),
  offsetof (search_stats, refutations), offsetof (search_stats, duplicates), offsetof (search_stats, struct_lookups),
  offsetof (search_stats, struct_hits), offsetof (search_stats, func_lookups), offsetof (search_stats, func_hits),
};
static const struct {
  size_t at;
  int largest;
} extreme[] = {
  { offsetof (search_stats, best_solution_cost), 0 }, { offsetof (search_stats, best_error), 0 },
  { offsetof (search_stats, first_solution_seconds), 0 }, { offsetof (search_stats, seconds), 1 },
  { offsetof (search_stats, store_seconds), 1 }, { offsetof (search_stats, verify_seconds), 1 },
};
#define STAT(s, at, type) (*(type *) ((char *) (s) + (at)))

/* The group's counters (two reductions); FROM_STEP: after a generation (where a first
   solution may appear).  */
static void
group_stats (search_group *g, int from_step)
{
  enum { NS = sizeof summed / sizeof *summed, NE = sizeof extreme / sizeof *extreme };
  search_stats t;
  search_get_stats (g->s, &t);
  if (t.first_solution_seconds < 0)
    t.first_solution_seconds = INFINITY;   /* none: the least is another island's */
  uint64_t sum[NS + 1], tot[NS + 1];
  double ext[NE + 1], low[NE + 1];
  for (int i = 0; i < NS; i++)
    sum[i] = STAT (&t, summed[i], uint64_t);
  sum[NS] = (uint64_t) t.front_size;
  /* The largest as the least of the negated.  */
  for (int i = 0; i < NE; i++)
    ext[i] = extreme[i].largest ? -STAT (&t, extreme[i].at, double) : STAT (&t, extreme[i].at, double);
  ext[NE] = -(double) t.generation;
  MPI_Allreduce (sum, tot, NS + 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce (ext, low, NE + 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  int had = isfinite (g->st.best_solution_cost);
  g->st = t;
  for (int i = 0; i < NS; i++)
    STAT (&g->st, summed[i], uint64_t) = tot[i];
  g->st.front_size = (int) tot[NS];
  for (int i = 0; i < NE; i++)
    STAT (&g->st, extreme[i].at, double) = extreme[i].largest ? -low[i] : low[i];
  g->st.generation = (long) -low[NE];
  if (!isfinite (g->st.first_solution_seconds))
    g->st.first_solution_seconds = -1;
  if (from_step && !had && isfinite (g->st.best_solution_cost) && !g->first_evals)
    g->first_evals = tot[0];
}

static search_group *
group_alloc (store *db, dsl_error *err)
{
  search_group *g = calloc (1, sizeof *g);
  if (!g)
    return dsl_error_set (err, "out of memory"), NULL;
  MPI_Comm_rank (MPI_COMM_WORLD, &g->rank);
  MPI_Comm_size (MPI_COMM_WORLD, &g->size);
  g->has_db = db != NULL;
  if (MPI_Bcast (&g->has_db, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
    return free (g), dsl_error_set (err, "MPI: the ranks cannot agree (a rank died?)"), NULL;
  g->db = g->rank == 0 ? db : NULL;
  g->st.best_solution_cost = INFINITY;
  return g;
}

typedef struct {
  int64_t base;
} store_arg;

static int
store_islands (search_group *g, void *arg, dsl_error *err)
{
  int64_t base = ((store_arg *) arg)->base;
  return search_store_island (g->s, g->db, base + g->rank, base, err);
}

search_group *
search_group_new (const search_params *p, store *db, dsl_error *err)
{
  search_group *g = group_alloc (db, err);
  if (!g)
    return NULL;
  search_params q = *p;
  q.islands = g->size;
  q.island = g->rank;
  if (g->rank)
    q.samples_db = NULL;   /* rank 0's database is not here */
  g->s = search_new (&q, err);
  int rc = g->s ? 0 : -1;
  if (!rc && g->rank && g->has_db)
    rc = store_recorder (NULL, &g->db, err);
  if (agree (g, rc, err) < 0)
    return search_group_free (g), NULL;
  if (g->has_db)
    {
      /* The islands' runs are the next ids after every run so far: found inside the
         transaction (BEGIN IMMEDIATE: no other writer until it commits).  */
      store_arg a = {0};
      rc = g->rank == 0 ? store_begin (g->db, err) : 0;
      if (!rc && g->rank == 0 && store_run_latest (g->db, 0, &a.base, err) < 0)
        rc = -1;
      a.base++;
      if (agree (g, rc, err) < 0 || check (MPI_Bcast (&a.base, 1, MPI_INT64_T, 0, MPI_COMM_WORLD), err, "broadcast"))
        {
          if (g->rank == 0)
            store_rollback (g->db);
          return search_group_free (g), NULL;
        }
      rc = store_islands (g, &a, err);
      if (agree (g, rc, err) < 0 || gather (g, err) < 0
          || agree (g, g->rank == 0 ? store_commit (g->db, err) : 0, err) < 0)
        {
          if (g->rank == 0)
            store_rollback (g->db);
          /* search_store failed or the commit did: the states must not write again.  */
          g->s->db.db = NULL;
          return search_group_free (g), NULL;
        }
      g->run = a.base;
    }
  group_stats (g, 0);
  g->made = 1;
  return g;
}

typedef struct {
  const int64_t *ids;
  const search_params *stop;
  store *read;              /* where the island's state is read (rank 0: the database) */
} resume_arg;

static int
resume_islands (search_group *g, void *arg, dsl_error *err)
{
  resume_arg *a = arg;
  g->s = search_resume (a->read, a->ids[g->rank], a->stop, err);
  return g->s ? 0 : -1;
}

/* Rank 0: the ids of RUN's group, and a copy of the database for the others.  */
static int
group_of (search_group *g, int64_t run, int64_t **ids, void **image, size_t *n, dsl_error *err)
{
  store_run r;
  int nids;
  if (store_run_get (g->db, run, &r, err) < 0)
    return -1;
  if (r.islands <= 1)
    return dsl_error_set (err, "run %lld is not an island search: resume it without mpirun", (long long) run);
  if (r.islands != g->size)
    return dsl_error_set (err, "run %lld is a search of %d islands: resume it with mpirun -np %d (not %d)",
                          (long long) run, r.islands, r.islands, g->size);
  if (store_group_runs (g->db, r.island_group, ids, &nids, err) < 0)
    return -1;
  if (nids != g->size)
    return dsl_error_set (err, "run %lld: %d of its %d islands are stored (database edited?)", (long long) run, nids,
                          g->size);
  *image = store_image (g->db, n, err);
  return *image ? 0 : -1;
}

search_group *
search_group_resume (store *db, int64_t run, const search_params *stop, dsl_error *err)
{
  search_group *g = group_alloc (db, err);
  if (!g)
    return NULL;
  if (!g->has_db)
    return search_group_free (g), dsl_error_set (err, "no database to resume from"), NULL;
  int64_t *ids = NULL;
  void *image = NULL;
  size_t n = 0;
  int rc = g->rank == 0 ? group_of (g, run, &ids, &image, &n, err) : 0;
  if (agree (g, rc, err) < 0)
    return free (ids), free (image), search_group_free (g), NULL;
  uint64_t len = n;
  if (g->rank && !(ids = malloc (g->size * sizeof *ids)))
    rc = dsl_error_set (err, "out of memory");
  rc = rc || check (MPI_Bcast (&len, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD), err, "broadcast");
  if (!rc && g->rank && !(image = malloc (len ? len : 1)))
    rc = dsl_error_set (err, "out of memory for a copy of the database (%llu bytes)", (unsigned long long) len);
  if (agree (g, rc, err) < 0)
    return free (ids), free (image), search_group_free (g), NULL;
  rc = check (MPI_Bcast (ids, g->size, MPI_INT64_T, 0, MPI_COMM_WORLD), err, "broadcast");
  for (uint64_t at = 0; at < len && !rc; at += PIECE)
    rc = check (MPI_Bcast ((unsigned char *) image + at, (int) (len - at < PIECE ? len - at : PIECE), MPI_BYTE, 0,
                           MPI_COMM_WORLD),
                err, "broadcast");
  store *copy = NULL;
  if (!rc && g->rank)
    rc = store_open_image (image, len, &copy, err) < 0 || store_recorder (copy, &g->db, err) < 0 ? -1 : 0;
  free (image);
  if (rc && copy && !g->db)
    store_close (copy);
  if (agree (g, rc, err) < 0)
    return free (ids), search_group_free (g), NULL;
  resume_arg a = {ids, stop, g->db};
  rc = transaction (g, resume_islands, &a, err);
  free (ids);
  if (rc < 0)
    {
      if (g->s)
        g->s->db.db = NULL;   /* the runs stay as their last checkpoint left them */
      return search_group_free (g), NULL;
    }
  g->run = g->s->db.group;
  group_stats (g, 0);
  g->made = 1;
  return g;
}

static int
migrate (search_group *g, dsl_error *err)
{
  double t0 = search_now ();
  size_t n = 0;
  void *out = search_emigrants (g->s, g->s->P.migrants, &n, err);
  if (agree (g, out ? 0 : -1, err) < 0)
    return free (out), -1;
  int to = (g->rank + 1) % g->size, from = (g->rank + g->size - 1) % g->size;
  uint64_t len = n, inlen = 0;
  int rc = check (MPI_Sendrecv (&len, 1, MPI_UINT64_T, to, 4, &inlen, 1, MPI_UINT64_T, from, 4, MPI_COMM_WORLD,
                                MPI_STATUS_IGNORE),
                  err, "migration");
  if (!rc && (len > INT_MAX || inlen > INT_MAX))
    rc = dsl_error_set (err, "migrants: a message of more than 2 GB");
  if (agree (g, rc, err) < 0)
    return free (out), -1;
  unsigned char *in = malloc (inlen ? inlen : 1);
  rc = in ? 0 : dsl_error_set (err, "out of memory");
  if (agree (g, rc, err) < 0)
    return free (out), free (in), -1;
  rc = check (MPI_Sendrecv (out, (int) len, MPI_BYTE, to, 5, in, (int) inlen, MPI_BYTE, from, 5, MPI_COMM_WORLD,
                            MPI_STATUS_IGNORE),
              err, "migration");
  free (out);
  g->tr.migrations++;
  g->tr.migrated_bytes += len;
  if (!rc)
    rc = search_immigrate (g->s, in, inlen, err) < 0 ? -1 : 0;
  free (in);
  g->tr.migrate_seconds += search_now () - t0;
  return agree (g, rc, err);
}

static int
step_island (search_group *g, void *arg, dsl_error *err)
{
  int *more = arg;
  *more = search_step (g->s, err);
  return *more < 0 ? -1 : 0;
}

int
search_group_step (search_group *g, dsl_error *err)
{
  int go = search_budget_left (g->s), all;
  if (check (MPI_Allreduce (&go, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), err, "stop decision"))
    return -1;
  if (!all)
    return 0;
  /* Island 0's generation decides: the islands step together, but a time limit may stop one
     a generation early.  */
  long gen = g->s->st.generation;
  if (check (MPI_Bcast (&gen, 1, MPI_LONG, 0, MPI_COMM_WORLD), err, "broadcast"))
    return -1;
  const search_params *p = &g->s->P;
  if (p->migrate_every > 0 && p->migrants > 0 && gen > 0 && gen % p->migrate_every == 0 && migrate (g, err) < 0)
    return -1;
  int more = 0, any;
  if (transaction (g, step_island, &more, err) < 0)
    return -1;
  group_stats (g, 1);
  if (check (MPI_Allreduce (&more, &any, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), err, "stop decision"))
    return -1;
  return any;
}

typedef struct {
  const char *status;
} close_arg;

static int
close_island (search_group *g, void *arg, dsl_error *err)
{
  return search_close_run (g->s, ((close_arg *) arg)->status, err);
}

int
search_group_close (search_group *g, const char *status, dsl_error *err)
{
  close_arg a = {status};
  return transaction (g, close_island, &a, err);
}

search_state *
search_group_island (const search_group *g)
{
  return g->s;
}

int64_t
search_group_run (const search_group *g)
{
  return g->run;
}

void
search_group_stats (const search_group *g, search_stats *out, uint64_t *first_evals)
{
  *out = g->st;
  *first_evals = g->first_evals;
}

void
search_group_traffic (const search_group *g, search_traffic *out)
{
  *out = g->tr;
}

void
search_group_free (search_group *g)
{
  if (!g)
    return;
  search_free (g->s);
  if (g->rank)
    store_close (g->db);
  free (g);
}

#endif
