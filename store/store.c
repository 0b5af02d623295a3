/* store -- opening, checking and migrating the database, and reading and writing its rows.  */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

/* 'anum': marks the file as autonum's (PRAGMA application_id).  */
#define APPLICATION_ID 0x616e756d
#define BUSY_S 10            /* how long a locked database is waited for */
#define BUSY_STR(x) #x
#define BUSY_TEXT(x) BUSY_STR (x)

static const char schema_sql[] =
#include "store/schema.inc"
  ;

/* Forward migrations: MIGRATIONS[v] brings a version v+1 database to v+2.
   2: error metrics and objectives (runs of version 1 are ULP, max), and the
   ULP figure beside a program's error.  3: island searches (runs of version 2
   are runs on their own).  4: members of role 'donor'.  */
static const char *const migrations[] = {
  "ALTER TABLE runs ADD COLUMN metric TEXT NOT NULL DEFAULT 'ulp' CHECK (metric IN ('ulp', 'abs', 'rel'));"
  "ALTER TABLE runs ADD COLUMN objective TEXT NOT NULL DEFAULT 'max' CHECK (objective IN ('max', 'mean'));"
  "ALTER TABLE programs ADD COLUMN ulp_large REAL;"
  "ALTER TABLE programs ADD COLUMN ulp_verified REAL;"
  "UPDATE programs SET ulp_large = err_large, ulp_verified = err_verified;",
  /* 3: island searches.  */
  "ALTER TABLE runs ADD COLUMN islands INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE runs ADD COLUMN island INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE runs ADD COLUMN island_group INTEGER;"
  "ALTER TABLE runs ADD COLUMN migrate_every INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE runs ADD COLUMN migrants INTEGER NOT NULL DEFAULT 0;",
  /* 4: a run's donors (the composition mutation's programs) among its members: SQLite
     cannot alter a CHECK, so the table is rebuilt.  */
  "CREATE TABLE members_v4 (run INTEGER NOT NULL REFERENCES runs (id),"
  " role TEXT NOT NULL CHECK (role IN ('population', 'archive', 'front', 'donor')),"
  " pos INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (run, role, pos)) WITHOUT ROWID;"
  "INSERT INTO members_v4 SELECT run, role, pos, seq FROM members;"
  "DROP TABLE members;"
  "ALTER TABLE members_v4 RENAME TO members;",
};

/* Prepared statements are kept, by the address of their (static) SQL text:
   a checkpoint runs the same few statements hundreds of times.  */
#define NSTMT 24

struct store {
  sqlite3 *db;              /* NULL in a recorder without a database to read */
  char *path;
  int depth;                /* nested store_begin calls */
  int record;               /* a recorder: writes go to REC */
  unsigned char *rec;
  size_t nrec, caprec, mark;   /* MARK: where the open transaction's records start */
  struct {
    const char *sql;
    sqlite3_stmt *st;
  } kept[NSTMT];
};

/* ERR from the connection's last error, with what was being done.  */
static int
fail (store *s, dsl_error *err, const char *doing)
{
  int code = sqlite3_extended_errcode (s->db) & 0xff;
  const char *why = sqlite3_errmsg (s->db);
  if (code == SQLITE_FULL)
    why = "disk full";
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    why = "the database is locked by another process (tried for " BUSY_TEXT (BUSY_S) " s)";
  else if (code == SQLITE_READONLY)
    why = "the database is read-only";
  else if (code == SQLITE_NOTADB)
    why = "not an SQLite database";
  else if (code == SQLITE_CORRUPT)
    why = "the database is corrupt";
  int sys = sqlite3_system_errno (s->db);
  if (code == SQLITE_IOERR && sys)
    return dsl_error_set (err, "%s: %s: %s (%s)", s->path, doing, why, strerror (sys));
  return dsl_error_set (err, "%s: %s: %s", s->path, doing, why);
}

static int
exec (store *s, const char *sql, dsl_error *err, const char *doing)
{
  return sqlite3_exec (s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail (s, err, doing);
}

/* The integer a one-value query returns, -1 with ERR filled on failure.  */
static int
query_int (store *s, const char *sql, int64_t *out, dsl_error *err)
{
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2 (s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fail (s, err, "cannot read it");
  int rc = sqlite3_step (st);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
  sqlite3_finalize (st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail (s, err, "cannot read it");
}

/* Refuses anything that is not an autonum database this version can use.  */
static int
check_file (store *s, int write, dsl_error *err)
{
  int64_t app, version, tables;
  if (query_int (s, "PRAGMA application_id", &app, err) || query_int (s, "PRAGMA user_version", &version, err)
      || query_int (s, "SELECT count(*) FROM sqlite_schema", &tables, err))
    return -1;
  if (tables == 0 && version == 0)
    return write ? 1 : dsl_error_set (err, "%s: empty database (no search stored yet)", s->path);
  if (app != APPLICATION_ID)
    return dsl_error_set (err, "%s: an SQLite database of another program, not autonum's; leaving it alone", s->path);
  if (version > STORE_SCHEMA_VERSION)
    return dsl_error_set (err, "%s: written by a newer autonum (schema %lld, this one knows up to %d); leaving it alone",
                          s->path, (long long) version, STORE_SCHEMA_VERSION);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2 (s->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
    return fail (s, err, "cannot check it");
  int rc = sqlite3_step (st);
  char first[200] = "";
  if (rc == SQLITE_ROW)
    snprintf (first, sizeof first, "%s", (const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  if (rc != SQLITE_ROW)
    return fail (s, err, "quick_check failed");
  for (char *c = first; *c; c++)
    if (*c == '\n')
      *c = ' ';   /* one line */
  if (strcmp (first, "ok") != 0)
    return dsl_error_set (err, "%s: the database is corrupt (quick_check: %s)", s->path, first);
  return version < STORE_SCHEMA_VERSION ? 2 : 0;
}

/* Creates the schema, or migrates an older one, in one transaction.  */
static int
apply_schema (store *s, int fresh, dsl_error *err)
{
  int64_t version = 0;
  if (exec (s, "BEGIN IMMEDIATE", err, "cannot write")
      || query_int (s, "PRAGMA user_version", &version, err))
    return -1;
  int rc = 0;
  if (fresh && version == 0)
    rc = exec (s, schema_sql, err, "cannot create the schema");
  else
    for (int64_t v = version; v < STORE_SCHEMA_VERSION && !rc; v++)
      rc = migrations[v - 1] ? exec (s, migrations[v - 1], err, "cannot migrate the schema") : 0;
  char sql[96];
  snprintf (sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", APPLICATION_ID,
            STORE_SCHEMA_VERSION);
  if (!rc)
    rc = exec (s, sql, err, "cannot set the schema version");
  if (!rc)
    rc = exec (s, "COMMIT", err, "cannot write");
  if (rc)
    sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* Opens S->path with FLAGS into S->db, with the busy timeout and extended
   result codes every connection uses.  Returns 0, or -1 (S->db may be set
   for its message).  */
static int
open_db (store *s, int flags)
{
  if (sqlite3_open_v2 (s->path, &s->db, flags, NULL) != SQLITE_OK)
    return -1;
  sqlite3_busy_timeout (s->db, BUSY_S * 1000);
  sqlite3_extended_result_codes (s->db, 1);
  return 0;
}

int
store_open (const char *path, int write, store **out, dsl_error *err)
{
  *out = NULL;
  struct stat sb;
  int exists = stat (path, &sb) == 0;
  if (!exists && !write)
    return dsl_error_set (err, "%s: no such database (a search creates it; --db FILE for another)", path);
  if (exists && !S_ISREG (sb.st_mode))
    return dsl_error_set (err, "%s: not a regular file", path);
  if (write && exists && access (path, W_OK) != 0)
    return dsl_error_set (err, "%s: cannot write: %s", path, strerror (errno));
  store *s = calloc (1, sizeof *s);
  if (!s || !(s->path = strdup (path)))
    return free (s), dsl_error_set (err, "out of memory");
  if (open_db (s, write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY))
    {
      int rc = s->db ? fail (s, err, "cannot open") : dsl_error_set (err, "%s: cannot open", path);
      store_close (s);
      return rc;
    }
  int state = check_file (s, write, err);
  if (state < 0)
    return store_close (s), -1;
  if (!write && state == 2)
    {
      /* An older schema: migrated (in one transaction) even to be read, the
         statements being this version's.  */
      sqlite3_close_v2 (s->db);
      s->db = NULL;
      if (open_db (s, SQLITE_OPEN_READWRITE))
        {
          dsl_error_set (err, "%s: written by an older autonum, and cannot be opened for writing to migrate it: %s",
                         path, s->db ? sqlite3_errmsg (s->db) : "out of memory");
          return store_close (s), -1;
        }
      write = 1;
    }
  /* Only now, knowing the file is ours (or empty), may anything be written.  */
  if (write && (exec (s, "PRAGMA journal_mode = WAL", err, "cannot switch to WAL mode")
                || (state > 0 && apply_schema (s, state == 1, err))))
    return store_close (s), -1;
  if (exec (s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", err, "cannot configure"))
    return store_close (s), -1;
  *out = s;
  return 0;
}

void
store_close (store *s)
{
  if (!s)
    return;
  for (int i = 0; i < NSTMT; i++)
    sqlite3_finalize (s->kept[i].st);
  sqlite3_close_v2 (s->db);
  free (s->path);
  free (s->rec);
  free (s);
}

const char *
store_path (const store *s)
{
  return s->path;
}

int
store_begin (store *s, dsl_error *err)
{
  if (s->depth++ > 0)
    return 0;
  if (s->record)
    {
      s->mark = s->nrec;
      return 0;
    }
  if (exec (s, "BEGIN IMMEDIATE", err, "cannot start a transaction"))
    {
      s->depth = 0;
      return -1;
    }
  return 0;
}

int
store_commit (store *s, dsl_error *err)
{
  if (s->depth == 0)
    return dsl_error_set (err, "%s: cannot commit: the transaction was rolled back", s->path);
  if (--s->depth > 0 || s->record)
    return 0;
  if (exec (s, "COMMIT", err, "cannot commit"))
    {
      store_rollback (s);
      return -1;
    }
  return 0;
}

void
store_rollback (store *s)
{
  if (s->record && s->depth > 0)
    s->nrec = s->mark;
  s->depth = 0;
  if (s->db && !sqlite3_get_autocommit (s->db))
    sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Binding and reading, with NaN as NULL (SQLite would turn it into NULL
   anyway, and read it back as 0).  */
static void
bind_real (sqlite3_stmt *st, int i, double v)
{
  if (isnan (v))
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_double (st, i, v);
}

static double
col_real (sqlite3_stmt *st, int i, double if_null)
{
  return sqlite3_column_type (st, i) == SQLITE_NULL ? if_null : sqlite3_column_double (st, i);
}

static void
col_text (sqlite3_stmt *st, int i, char *buf, size_t size)
{
  const unsigned char *t = sqlite3_column_text (st, i);
  snprintf (buf, size, "%s", t ? (const char *) t : "");
}

/* A statement for SQL, a string literal (kept for reuse) or, when ONCE, a
   string built for this call.  Give it back with release.  */
static int
prepare_sql (store *s, const char *sql, int once, sqlite3_stmt **st, dsl_error *err)
{
  int free_slot = -1;
  for (int i = 0; i < NSTMT && !once; i++)
    if (s->kept[i].sql == sql)
      {
        *st = s->kept[i].st;
        return 0;
      }
    else if (!s->kept[i].sql && free_slot < 0)
      free_slot = i;
  if (!s->db)
    return dsl_error_set (err, "%s: this process does not hold the database", s->path);
  if (sqlite3_prepare_v2 (s->db, sql, -1, st, NULL) != SQLITE_OK)
    return fail (s, err, "cannot prepare a query");
  if (!once && free_slot >= 0)
    s->kept[free_slot].sql = sql, s->kept[free_slot].st = *st;
  return 0;
}

static int
prepare (store *s, const char *sql, sqlite3_stmt **st, dsl_error *err)
{
  return prepare_sql (s, sql, 0, st, err);
}

static void
release (store *s, sqlite3_stmt *st)
{
  for (int i = 0; i < NSTMT; i++)
    if (s->kept[i].st == st)
      {
        sqlite3_reset (st);
        sqlite3_clear_bindings (st);
        return;
      }
  sqlite3_finalize (st);
}

/* Steps a statement that returns no rows, and finalizes it.  */
static int
run_stmt (store *s, sqlite3_stmt *st, dsl_error *err, const char *doing)
{
  int rc = sqlite3_step (st);
  int r = rc == SQLITE_DONE ? 0 : fail (s, err, doing);
  release (s, st);
  return r;
}

/* The recorder (store_recorder): each write is a tag, the length of a fixed part (a struct
   of this file or of store.h) and of a variable tail, then both.  */
enum
{
  REC_RUN_INSERT = 1,
  REC_RUN_UPDATE,
  REC_RUN_STATUS,
  REC_PROGRAM,
  REC_MEMBERS,
  REC_SAMPLES,
  REC_CACHE_PUT,
  REC_CACHE_CLEAR
};

typedef struct {
  int64_t run;
  int n;
  char role[16];
} rec_members;

typedef struct {
  int64_t run;
  uint64_t seed, n, inbytes;
  char name[8];
} rec_samples;

typedef struct {
  int64_t run;
  size_t slot;
  uint64_t used;
  hash_entry e;
  char kind[16];
} rec_slot;

typedef struct {
  uint32_t tag;
  uint32_t fixed;
  uint64_t tail;
} rec_head;

static int
record (store *s, uint32_t tag, const void *fixed, size_t nfixed, const void *tail, size_t ntail, dsl_error *err)
{
  rec_head h = {tag, (uint32_t) nfixed, ntail};
  size_t need = s->nrec + sizeof h + nfixed + ntail;
  if (need > s->caprec)
    {
      size_t cap = s->caprec ? s->caprec : 4096;
      while (cap < need)
        cap *= 2;
      unsigned char *r = realloc (s->rec, cap);
      if (!r)
        return dsl_error_set (err, "out of memory");
      s->rec = r;
      s->caprec = cap;
    }
  memcpy (s->rec + s->nrec, &h, sizeof h);
  memcpy (s->rec + s->nrec + sizeof h, fixed, nfixed);
  if (ntail)
    memcpy (s->rec + s->nrec + sizeof h + nfixed, tail, ntail);
  s->nrec = need;
  return 0;
}

/* runs: the columns after id/created, in the order the statements use.  */
#define RUN_COLUMNS \
  "status, pid, target, type, domain, bound, seed, threads, population, max_age, max_insn, max_generations, " \
  "max_evaluations, max_seconds, ops, small_samples, large_samples, huge_samples, verify, cache_size, drop_bits, generation, " \
  "next_id, rng, skeleton_tick, function_tick, evaluations, large_evaluations, verifications, refutations, counterexamples, " \
  "duplicates, struct_lookups, struct_hits, func_lookups, func_hits, seconds, first_solution_seconds, " \
  "best_solution_cost, best_verified, best_error, metric, objective, islands, island, island_group, migrate_every, " \
  "migrants"
#define RUN_NCOLUMNS 48

static void
bind_run (sqlite3_stmt *st, const store_run *r)
{
  int i = 1;
  sqlite3_bind_text (st, i++, r->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, i++, r->pid);
  sqlite3_bind_text (st, i++, r->target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, i++, r->type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, i++, r->domain, -1, SQLITE_TRANSIENT);
  bind_real (st, i++, r->bound);
  sqlite3_bind_int64 (st, i++, (int64_t) r->seed);
  sqlite3_bind_int (st, i++, r->threads);
  sqlite3_bind_int (st, i++, r->population);
  sqlite3_bind_int (st, i++, r->max_age);
  sqlite3_bind_int (st, i++, r->max_insn);
  sqlite3_bind_int64 (st, i++, r->max_generations);
  sqlite3_bind_int64 (st, i++, r->max_evaluations);
  bind_real (st, i++, r->max_seconds);
  sqlite3_bind_int64 (st, i++, (int64_t) r->ops);
  sqlite3_bind_int64 (st, i++, (int64_t) r->small_samples);
  sqlite3_bind_int64 (st, i++, (int64_t) r->large_samples);
  sqlite3_bind_int64 (st, i++, (int64_t) r->huge_samples);
  sqlite3_bind_int (st, i++, r->verify);
  sqlite3_bind_int64 (st, i++, (int64_t) r->cache_size);
  sqlite3_bind_int (st, i++, r->drop_bits);
  sqlite3_bind_int64 (st, i++, r->generation);
  sqlite3_bind_int64 (st, i++, (int64_t) r->next_id);
  sqlite3_bind_blob (st, i++, r->rng, sizeof r->rng, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, i++, (int64_t) r->skeleton_tick);
  sqlite3_bind_int64 (st, i++, (int64_t) r->function_tick);
  const uint64_t counters[] = {r->evaluations, r->large_evaluations, r->verifications, r->refutations, r->counterexamples,
                               r->duplicates, r->struct_lookups, r->struct_hits, r->func_lookups, r->func_hits};
  for (size_t k = 0; k < sizeof counters / sizeof *counters; k++)
    sqlite3_bind_int64 (st, i++, (int64_t) counters[k]);
  bind_real (st, i++, r->seconds);
  bind_real (st, i++, r->first_solution_seconds >= 0 ? r->first_solution_seconds : NAN);
  bind_real (st, i++, isfinite (r->best_solution_cost) ? r->best_solution_cost : NAN);
  bind_real (st, i++, isfinite (r->best_solution_cost) ? r->best_verified : NAN);
  bind_real (st, i++, r->best_error);
  sqlite3_bind_text (st, i++, r->metric, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, i++, r->objective, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (st, i++, r->islands > 0 ? r->islands : 1);
  sqlite3_bind_int (st, i++, r->island);
  if (r->island_group)
    sqlite3_bind_int64 (st, i++, r->island_group);
  else
    sqlite3_bind_null (st, i++);
  sqlite3_bind_int (st, i++, r->migrate_every);
  sqlite3_bind_int (st, i++, r->migrants);
}

/* Reads a row of "SELECT id, created, updated, RUN_COLUMNS".  */
static void
read_run (sqlite3_stmt *st, store_run *r)
{
  memset (r, 0, sizeof *r);
  int i = 0;
  r->id = sqlite3_column_int64 (st, i++);
  col_text (st, i++, r->created, sizeof r->created);
  col_text (st, i++, r->updated, sizeof r->updated);
  col_text (st, i++, r->status, sizeof r->status);
  r->pid = sqlite3_column_int64 (st, i++);
  col_text (st, i++, r->target, sizeof r->target);
  col_text (st, i++, r->type, sizeof r->type);
  col_text (st, i++, r->domain, sizeof r->domain);
  r->bound = col_real (st, i++, NAN);
  r->seed = (uint64_t) sqlite3_column_int64 (st, i++);
  r->threads = sqlite3_column_int (st, i++);
  r->population = sqlite3_column_int (st, i++);
  r->max_age = sqlite3_column_int (st, i++);
  r->max_insn = sqlite3_column_int (st, i++);
  r->max_generations = (long) sqlite3_column_int64 (st, i++);
  r->max_evaluations = (long) sqlite3_column_int64 (st, i++);
  r->max_seconds = col_real (st, i++, 0);
  r->ops = (uint64_t) sqlite3_column_int64 (st, i++);
  r->small_samples = (uint64_t) sqlite3_column_int64 (st, i++);
  r->large_samples = (uint64_t) sqlite3_column_int64 (st, i++);
  r->huge_samples = (uint64_t) sqlite3_column_int64 (st, i++);
  r->verify = sqlite3_column_int (st, i++);
  r->cache_size = (uint64_t) sqlite3_column_int64 (st, i++);
  r->drop_bits = sqlite3_column_int (st, i++);
  r->generation = (long) sqlite3_column_int64 (st, i++);
  r->next_id = (uint64_t) sqlite3_column_int64 (st, i++);
  if (sqlite3_column_bytes (st, i) == (int) sizeof r->rng)
    memcpy (r->rng, sqlite3_column_blob (st, i), sizeof r->rng);
  i++;
  r->skeleton_tick = (uint64_t) sqlite3_column_int64 (st, i++);
  r->function_tick = (uint64_t) sqlite3_column_int64 (st, i++);
  uint64_t *counters[] = {&r->evaluations, &r->large_evaluations, &r->verifications, &r->refutations, &r->counterexamples,
                          &r->duplicates, &r->struct_lookups, &r->struct_hits, &r->func_lookups, &r->func_hits};
  for (size_t k = 0; k < sizeof counters / sizeof *counters; k++)
    *counters[k] = (uint64_t) sqlite3_column_int64 (st, i++);
  r->seconds = col_real (st, i++, 0);
  r->first_solution_seconds = col_real (st, i++, -1);
  r->best_solution_cost = col_real (st, i++, INFINITY);
  r->best_verified = col_real (st, i++, INFINITY);
  r->best_error = col_real (st, i++, INFINITY);
  col_text (st, i++, r->metric, sizeof r->metric);
  col_text (st, i++, r->objective, sizeof r->objective);
  r->islands = sqlite3_column_int (st, i++);
  r->island = sqlite3_column_int (st, i++);
  r->island_group = sqlite3_column_int64 (st, i++);
  r->migrate_every = sqlite3_column_int (st, i++);
  r->migrants = sqlite3_column_int (st, i++);
}

int
store_run_insert (store *s, store_run *r, dsl_error *err)
{
  if (s->record)
    return r->id > 0 ? record (s, REC_RUN_INSERT, r, sizeof *r, NULL, 0, err)
                     : dsl_error_set (err, "%s: a run stored through a recorder needs its id", s->path);
  char sql[2048], marks[2 * RUN_NCOLUMNS + 2] = "?";
  for (int i = 0; i < RUN_NCOLUMNS; i++)
    strcat (marks, ",?");
  snprintf (sql, sizeof sql, "INSERT INTO runs (" RUN_COLUMNS ", id) VALUES (%s)", marks);
  sqlite3_stmt *st;
  if (prepare_sql (s, sql, 1, &st, err))
    return -1;
  bind_run (st, r);
  if (r->id > 0)
    sqlite3_bind_int64 (st, RUN_NCOLUMNS + 1, r->id);
  if (run_stmt (s, st, err, "cannot store the run"))
    return -1;
  r->id = sqlite3_last_insert_rowid (s->db);
  return 0;
}

/* "UPDATE runs SET updated = ..., COLUMN = ?, ... WHERE id = ?", built on
   first use: every checkpoint runs it, so it is one kept statement.  */
static const char *
run_update_sql (void)
{
  static char sql[2048];
  if (sql[0])
    return sql;
  size_t n = (size_t) snprintf (sql, sizeof sql, "UPDATE runs SET updated = strftime('%%Y-%%m-%%d %%H:%%M:%%S', 'now')");
  for (const char *c = RUN_COLUMNS; *c; c += strspn (c, ", "))
    {
      size_t len = strcspn (c, ",");
      n += (size_t) snprintf (sql + n, sizeof sql - n, ", %.*s = ?", (int) len, c);
      c += len;
    }
  snprintf (sql + n, sizeof sql - n, " WHERE id = ?");
  return sql;
}

int
store_run_update (store *s, const store_run *r, dsl_error *err)
{
  if (s->record)
    return record (s, REC_RUN_UPDATE, r, sizeof *r, NULL, 0, err);
  sqlite3_stmt *st;
  if (prepare (s, run_update_sql (), &st, err))
    return -1;
  bind_run (st, r);
  sqlite3_bind_int64 (st, RUN_NCOLUMNS + 1, r->id);
  return run_stmt (s, st, err, "cannot update the run");
}

int
store_run_set_status (store *s, int64_t id, const char *status, dsl_error *err)
{
  if (s->record)
    return record (s, REC_RUN_STATUS, &id, sizeof id, status, strlen (status) + 1, err);
  sqlite3_stmt *st;
  if (prepare (s, "UPDATE runs SET status = ?, updated = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = ?", &st, err))
    return -1;
  sqlite3_bind_text (st, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, id);
  return run_stmt (s, st, err, "cannot update the run");
}

/* Runs every row of SQL (selecting a run) through FN.  */
static int
each_run (store *s, const char *sql, int64_t arg, int (*fn) (const store_run *r, void *a), void *a, dsl_error *err)
{
  sqlite3_stmt *st;
  if (prepare (s, sql, &st, err))
    return -1;
  if (strchr (sql, '?'))
    sqlite3_bind_int64 (st, 1, arg);
  int rc;
  store_run r;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      read_run (st, &r);
      if (fn (&r, a))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  release (s, st);
  return rc == SQLITE_DONE ? 0 : fail (s, err, "cannot read the runs");
}

static int
copy_run (const store_run *r, void *arg)
{
  *(store_run *) arg = *r;
  return 1;
}

int
store_run_get (store *s, int64_t id, store_run *out, dsl_error *err)
{
  out->id = 0;
  if (each_run (s, "SELECT id, created, updated, " RUN_COLUMNS " FROM runs WHERE id = ?", id, copy_run, out, err))
    return -1;
  return out->id ? 0 : dsl_error_set (err, "%s: no run %lld (see autonum runs)", s->path, (long long) id);
}

int
store_run_latest (store *s, int unfinished, int64_t *id, dsl_error *err)
{
  return query_int (s,
                    unfinished ? "SELECT max(id) FROM runs WHERE status IN ('running', 'stopped')"
                               : "SELECT max(id) FROM runs",
                    id, err);
}

int
store_run_each (store *s, int (*fn) (const store_run *r, void *arg), void *arg, dsl_error *err)
{
  return each_run (s, "SELECT id, created, updated, " RUN_COLUMNS " FROM runs ORDER BY id", 0, fn, arg, err);
}

#define PROGRAM_COLUMNS \
  "run, seq, generation, parent1, parent2, origin, text, instructions, cost, err_small, err_large, mean_large, " \
  "large_points, verified, err_verified, verified_points, skey, fkey, ulp_large, ulp_verified"

int
store_program_put (store *s, const store_program *p, dsl_error *err)
{
  if (s->record)
    return record (s, REC_PROGRAM, p, sizeof *p, p->text, strlen (p->text) + 1, err);
  sqlite3_stmt *st;
  if (prepare (s,
               "INSERT INTO programs (" PROGRAM_COLUMNS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
               "ON CONFLICT (run, seq) DO UPDATE SET err_small = excluded.err_small, err_large = excluded.err_large, "
               "mean_large = excluded.mean_large, large_points = excluded.large_points, verified = excluded.verified, "
               "err_verified = excluded.err_verified, verified_points = excluded.verified_points, "
               "ulp_large = excluded.ulp_large, ulp_verified = excluded.ulp_verified",
               &st, err))
    return -1;
  int i = 1;
  sqlite3_bind_int64 (st, i++, p->run);
  sqlite3_bind_int64 (st, i++, (int64_t) p->seq);
  sqlite3_bind_int64 (st, i++, p->generation);
  for (int k = 0; k < 2; k++, i++)
    if (p->parent[k])
      sqlite3_bind_int64 (st, i, (int64_t) p->parent[k]);
  sqlite3_bind_text (st, i++, p->origin, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, i++, p->text, -1, SQLITE_STATIC);
  sqlite3_bind_int (st, i++, p->instructions);
  bind_real (st, i++, p->cost);
  bind_real (st, i++, p->err_small);
  bind_real (st, i++, p->err_large);
  bind_real (st, i++, p->mean_large);
  sqlite3_bind_int64 (st, i++, (int64_t) p->large_points);
  sqlite3_bind_int (st, i++, p->verified);
  if (p->verified)
    bind_real (st, i, p->err_verified), sqlite3_bind_int64 (st, i + 1, (int64_t) p->verified_points);
  i += 2;
  sqlite3_bind_int64 (st, i++, (int64_t) p->skey);
  sqlite3_bind_int64 (st, i++, (int64_t) p->fkey);
  bind_real (st, i++, p->ulp_large);
  if (p->verified)
    bind_real (st, i, p->ulp_verified);
  return run_stmt (s, st, err, "cannot store a program");
}

/* Reads a row of "SELECT id, PROGRAM_COLUMNS".  */
static int
read_program (sqlite3_stmt *st, store_program *p)
{
  memset (p, 0, sizeof *p);
  int i = 0;
  p->id = sqlite3_column_int64 (st, i++);
  p->run = sqlite3_column_int64 (st, i++);
  p->seq = (uint64_t) sqlite3_column_int64 (st, i++);
  p->generation = (long) sqlite3_column_int64 (st, i++);
  p->parent[0] = (uint64_t) sqlite3_column_int64 (st, i++);
  p->parent[1] = (uint64_t) sqlite3_column_int64 (st, i++);
  col_text (st, i++, p->origin, sizeof p->origin);
  const unsigned char *t = sqlite3_column_text (st, i++);
  if (!(p->text = strdup (t ? (const char *) t : "")))
    return -1;
  p->instructions = sqlite3_column_int (st, i++);
  p->cost = col_real (st, i++, NAN);
  p->err_small = col_real (st, i++, NAN);
  p->err_large = col_real (st, i++, NAN);
  p->mean_large = col_real (st, i++, NAN);
  p->large_points = (uint64_t) sqlite3_column_int64 (st, i++);
  p->verified = sqlite3_column_int (st, i++);
  p->err_verified = col_real (st, i++, NAN);
  p->verified_points = (uint64_t) sqlite3_column_int64 (st, i++);
  p->skey = (uint64_t) sqlite3_column_int64 (st, i++);
  p->fkey = (uint64_t) sqlite3_column_int64 (st, i++);
  p->ulp_large = col_real (st, i++, NAN);
  p->ulp_verified = col_real (st, i++, NAN);
  return 0;
}

/* The programs SQL selects (binding A and B), appended to *OUT.  */
static int
select_programs (store *s, const char *sql, int64_t a, const char *b, store_program **out, int *n, dsl_error *err)
{
  sqlite3_stmt *st;
  *out = NULL;
  *n = 0;
  if (prepare (s, sql, &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, a);
  if (b)
    sqlite3_bind_text (st, 2, b, -1, SQLITE_STATIC);
  int rc, cap = 0;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (*n == cap)
        {
          store_program *q = realloc (*out, (cap = 2 * cap + 16) * sizeof *q);
          if (!q)
            break;
          *out = q;
        }
      if (read_program (st, &(*out)[*n]) < 0)
        break;
      ++*n;
    }
  release (s, st);
  if (rc == SQLITE_ROW)
    return store_programs_free (*out, *n), *out = NULL, *n = 0, dsl_error_set (err, "out of memory");
  if (rc != SQLITE_DONE)
    return store_programs_free (*out, *n), *out = NULL, *n = 0, fail (s, err, "cannot read programs");
  return 0;
}

/* The one program SQL selects (binding A, and B when not NULL).  */
static int
get_one (store *s, const char *sql, int64_t a, const char *b, store_program *out, dsl_error *err, const char *what)
{
  store_program *p;
  int n;
  if (select_programs (s, sql, a, b, &p, &n, err))
    return -1;
  if (n == 0)
    return free (p), dsl_error_set (err, "%s: no program %s", s->path, what);
  *out = p[0];
  for (int i = 1; i < n; i++)
    store_program_clear (&p[i]);
  free (p);
  return 0;
}

int
store_program_get (store *s, int64_t id, store_program *out, dsl_error *err)
{
  char what[48];
  snprintf (what, sizeof what, "%lld (see autonum front)", (long long) id);
  return get_one (s, "SELECT id, " PROGRAM_COLUMNS " FROM programs WHERE id = ?1", id, NULL, out, err, what);
}

int
store_program_get_seq (store *s, int64_t run, uint64_t seq, store_program *out, dsl_error *err)
{
  char what[64], text[24];
  snprintf (what, sizeof what, "%llu in run %lld", (unsigned long long) seq, (long long) run);
  snprintf (text, sizeof text, "%lld", (long long) seq);
  return get_one (s, "SELECT id, " PROGRAM_COLUMNS " FROM programs WHERE run = ?1 AND seq = CAST(?2 AS INTEGER)",
                  run, text, out, err, what);
}

void
store_program_clear (store_program *p)
{
  free (p->text);
  p->text = NULL;
}

void
store_programs_free (store_program *p, int n)
{
  for (int i = 0; i < n; i++)
    store_program_clear (&p[i]);
  free (p);
}

int
store_members_set (store *s, int64_t run, const char *role, const uint64_t *seq, int n, dsl_error *err)
{
  if (s->record)
    {
      rec_members m = {run, n, ""};
      snprintf (m.role, sizeof m.role, "%s", role);
      return record (s, REC_MEMBERS, &m, sizeof m, seq, n * sizeof *seq, err);
    }
  sqlite3_stmt *st;
  if (prepare (s, "DELETE FROM members WHERE run = ? AND role = ?", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, run);
  sqlite3_bind_text (st, 2, role, -1, SQLITE_STATIC);
  if (run_stmt (s, st, err, "cannot store the population"))
    return -1;
  if (prepare (s, "INSERT INTO members (run, role, pos, seq) VALUES (?, ?, ?, ?)", &st, err))
    return -1;
  int rc = SQLITE_DONE;
  for (int i = 0; i < n && rc == SQLITE_DONE; i++)
    {
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, run);
      sqlite3_bind_text (st, 2, role, -1, SQLITE_STATIC);
      sqlite3_bind_int (st, 3, i);
      sqlite3_bind_int64 (st, 4, (int64_t) seq[i]);
      rc = sqlite3_step (st);
    }
  release (s, st);
  return rc == SQLITE_DONE ? 0 : fail (s, err, "cannot store the population");
}

int
store_members_get (store *s, int64_t run, const char *role, store_program **out, int *n, dsl_error *err)
{
  return select_programs (s,
                          "SELECT id, " PROGRAM_COLUMNS " FROM members JOIN programs USING (run, seq) "
                          "WHERE run = ?1 AND role = ?2 ORDER BY pos",
                          run, role, out, n, err);
}

/* A sample set's row: H, its inputs IN (H->inbytes) and references (H->n each); or recorded.  */
static int
put_samples (store *s, const rec_samples *h, const void *in, const double *hi, const double *lo, dsl_error *err)
{
  if (s->record)
    {
      size_t refs = h->n * sizeof (double);
      unsigned char *tail = malloc (h->inbytes + 2 * refs + 1);
      if (!tail)
        return dsl_error_set (err, "out of memory");
      memcpy (tail, in, h->inbytes);
      memcpy (tail + h->inbytes, hi, refs);
      memcpy (tail + h->inbytes + refs, lo, refs);
      int rc = record (s, REC_SAMPLES, h, sizeof *h, tail, h->inbytes + 2 * refs, err);
      free (tail);
      return rc;
    }
  sqlite3_stmt *st;
  if (prepare (s, "INSERT OR REPLACE INTO samples (run, name, seed, n, input, ref_hi, ref_lo) VALUES (?,?,?,?,?,?,?)",
               &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, h->run);
  sqlite3_bind_text (st, 2, h->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 3, (int64_t) h->seed);
  sqlite3_bind_int64 (st, 4, (int64_t) h->n);
  sqlite3_bind_blob64 (st, 5, in, h->inbytes, SQLITE_STATIC);
  sqlite3_bind_blob64 (st, 6, hi, h->n * sizeof (double), SQLITE_STATIC);
  sqlite3_bind_blob64 (st, 7, lo, h->n * sizeof (double), SQLITE_STATIC);
  return run_stmt (s, st, err, "cannot store the samples");
}

int
store_samples_put (store *s, int64_t run, const char *name, const eval_samples *x, dsl_error *err)
{
  int arity = x->target->arity;
  size_t fbytes = x->n * eval_type_size (x->type);
  char *in = malloc (fbytes * arity);
  if (!in)
    return dsl_error_set (err, "out of memory");
  for (int j = 0; j < arity; j++)
    memcpy (in + j * fbytes, x->nvec ? x->logit : x->in[j], fbytes);   /* vectors: the logits, the rest follows */
  rec_samples h = {run, x->seed, x->n, fbytes * arity, ""};
  snprintf (h.name, sizeof h.name, "%s", name);
  int rc = put_samples (s, &h, in, x->ref_hi, x->ref_lo, err);
  free (in);
  return rc;
}

int
store_samples_get (store *s, int64_t run, const char *name, const eval_target *t, dsl_type y, const eval_domain *d,
                   eval_samples **out, dsl_error *err)
{
  *out = NULL;
  sqlite3_stmt *st;
  if (prepare (s, "SELECT seed, n, input, ref_hi, ref_lo FROM samples WHERE run = ? AND name = ?", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, run);
  sqlite3_bind_text (st, 2, name, -1, SQLITE_STATIC);
  int rc = sqlite3_step (st), r;
  if (rc == SQLITE_ROW)
    {
      size_t n = (size_t) sqlite3_column_int64 (st, 1);
      const void *in[EVAL_MAXARITY] = {0};
      const char *bytes = sqlite3_column_blob (st, 2);
      for (int j = 0; j < t->arity && bytes; j++)
        in[j] = bytes + j * n * eval_type_size (y);
      if ((size_t) sqlite3_column_bytes (st, 2) != n * t->arity * eval_type_size (y)
          || (size_t) sqlite3_column_bytes (st, 3) != n * sizeof (double)
          || (size_t) sqlite3_column_bytes (st, 4) != n * sizeof (double))
        r = dsl_error_set (err, "%s: the %s samples of run %lld have the wrong size", s->path, name, (long long) run);
      else
        r = eval_samples_from (t, y, d, (uint64_t) sqlite3_column_int64 (st, 0), n, in, sqlite3_column_blob (st, 3),
                               sqlite3_column_blob (st, 4), out, err);
    }
  else if (rc == SQLITE_DONE)
    r = dsl_error_set (err, "%s: run %lld has no %s samples", s->path, (long long) run, name);
  else
    r = fail (s, err, "cannot read the samples");
  release (s, st);
  return r;
}

int
store_samples_find (store *s, const char *target, const char *type, const char *domain, const char *name,
                    uint64_t seed, size_t n, const eval_target *t, dsl_type y, const eval_domain *d,
                    eval_samples **out, dsl_error *err)
{
  *out = NULL;
  sqlite3_stmt *st;
  if (prepare (s, "SELECT s.run FROM samples s JOIN runs r ON r.id = s.run WHERE r.target = ? AND r.type = ?"
                  " AND r.domain = ? AND s.name = ? AND s.seed = ? AND s.n = ? ORDER BY s.run LIMIT 1", &st, err))
    return -1;
  sqlite3_bind_text (st, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, domain, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 5, (int64_t) seed);
  sqlite3_bind_int64 (st, 6, (int64_t) n);
  int rc = sqlite3_step (st);
  int64_t run = rc == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fail (s, err, "cannot look for stored samples");
      release (s, st);
      return -1;
    }
  release (s, st);
  if (!run)
    return 0;
  return store_samples_get (s, run, name, t, y, d, out, err) < 0 ? -1 : 1;
}

/* Only the words in use are stored: trailing zeros are dropped.  */
int
store_cache_put (store *s, int64_t run, const char *kind, size_t slot, uint64_t used, const hash_entry *e,
                 dsl_error *err)
{
  if (s->record)
    {
      rec_slot c = {run, slot, used, *e, ""};
      snprintf (c.kind, sizeof c.kind, "%s", kind);
      return record (s, REC_CACHE_PUT, &c, sizeof c, NULL, 0, err);
    }
  int words = HASH_VALUE_WORDS;
  while (words > 0 && e->value[words - 1] == 0 && !signbit (e->value[words - 1]))
    words--;
  sqlite3_stmt *st;
  if (prepare (s, "INSERT OR REPLACE INTO cache (run, kind, slot, key, used, value) VALUES (?,?,?,?,?,?)", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, run);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 3, (int64_t) slot);
  sqlite3_bind_int64 (st, 4, (int64_t) e->key);
  sqlite3_bind_int64 (st, 5, (int64_t) used);
  sqlite3_bind_blob (st, 6, e->value, words * (int) sizeof (double), SQLITE_STATIC);
  return run_stmt (s, st, err, "cannot store the cache");
}

int
store_cache_clear (store *s, int64_t run, const char *kind, dsl_error *err)
{
  if (s->record)
    return record (s, REC_CACHE_CLEAR, &run, sizeof run, kind, strlen (kind) + 1, err);
  sqlite3_stmt *st;
  if (prepare (s, "DELETE FROM cache WHERE run = ? AND kind = ?", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, run);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_STATIC);
  return run_stmt (s, st, err, "cannot clear the cache");
}

int
store_cache_each (store *s, int64_t run, const char *kind,
                  void (*fn) (size_t slot, uint64_t used, const hash_entry *e, void *arg), void *arg, dsl_error *err)
{
  sqlite3_stmt *st;
  if (prepare (s, "SELECT slot, key, used, value FROM cache WHERE run = ? AND kind = ? ORDER BY slot", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, run);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      hash_entry e;
      memset (&e, 0, sizeof e);
      e.key = (uint64_t) sqlite3_column_int64 (st, 1);
      size_t bytes = (size_t) sqlite3_column_bytes (st, 3);
      if (bytes > sizeof e.value)
        bytes = sizeof e.value;
      if (bytes)
        memcpy (e.value, sqlite3_column_blob (st, 3), bytes);
      fn ((size_t) sqlite3_column_int64 (st, 0), (uint64_t) sqlite3_column_int64 (st, 2), &e, arg);
    }
  release (s, st);
  return rc == SQLITE_DONE ? 0 : fail (s, err, "cannot read the cache");
}

int
store_recorder (store *inner, store **out, dsl_error *err)
{
  *out = NULL;
  store *s = inner;
  if (!s && (!(s = calloc (1, sizeof *s)) || !(s->path = strdup ("(recorder)"))))
    return free (s), dsl_error_set (err, "out of memory");
  if (s->depth > 0)
    return dsl_error_set (err, "%s: a recorder cannot start inside a transaction", s->path);
  s->record = 1;
  *out = s;
  return 0;
}

void *
store_record_take (store *s, size_t *n)
{
  void *r = s->nrec ? s->rec : NULL;
  *n = s->nrec;
  if (r)
    s->rec = NULL, s->caprec = 0;
  s->nrec = s->mark = 0;
  return r;
}

/* One recorded write, executed.  */
static int
replay_one (store *s, const rec_head *h, const unsigned char *fixed, const unsigned char *tail, dsl_error *err)
{
  /* Copies: the bytes come from another process and need not be aligned.  */
  union
  {
    store_run r;
    store_program p;
    rec_members m;
    rec_samples x;
    rec_slot c;
    int64_t id;
  } u;
  static const uint32_t size[] = {0, sizeof (store_run), sizeof (store_run), sizeof (int64_t), sizeof (store_program),
                                  sizeof (rec_members), sizeof (rec_samples), sizeof (rec_slot), sizeof (int64_t)};
  if (h->tag == 0 || h->tag >= sizeof size / sizeof *size || h->fixed != size[h->tag])
    return dsl_error_set (err, "%s: a recorded write is malformed (tag %u, %u bytes)", s->path, h->tag, h->fixed);
  memcpy (&u, fixed, h->fixed);
  int text = h->tag == REC_RUN_STATUS || h->tag == REC_PROGRAM || h->tag == REC_CACHE_CLEAR;
  if (text && (h->tail == 0 || tail[h->tail - 1] != 0))
    return dsl_error_set (err, "%s: a recorded write's text is not terminated", s->path);
  switch (h->tag)
    {
    case REC_RUN_INSERT:
      return store_run_insert (s, &u.r, err);
    case REC_RUN_UPDATE:
      return store_run_update (s, &u.r, err);
    case REC_RUN_STATUS:
      return store_run_set_status (s, u.id, (const char *) tail, err);
    case REC_PROGRAM:
      u.p.text = (char *) tail;
      return store_program_put (s, &u.p, err);
    case REC_MEMBERS:
      {
        if (u.m.n < 0 || h->tail != (uint64_t) u.m.n * sizeof (uint64_t))
          return dsl_error_set (err, "%s: a recorded member list is malformed", s->path);
        uint64_t *seq = malloc (h->tail + 1);
        if (!seq)
          return dsl_error_set (err, "out of memory");
        memcpy (seq, tail, h->tail);
        u.m.role[sizeof u.m.role - 1] = 0;
        int rc = store_members_set (s, u.m.run, u.m.role, seq, u.m.n, err);
        free (seq);
        return rc;
      }
    case REC_SAMPLES:
      {
        size_t refs = u.x.n * sizeof (double);
        if (h->tail != u.x.inbytes + 2 * refs)
          return dsl_error_set (err, "%s: a recorded sample set is malformed", s->path);
        double *ref = malloc (2 * refs + 1);
        if (!ref)
          return dsl_error_set (err, "out of memory");
        memcpy (ref, tail + u.x.inbytes, 2 * refs);
        u.x.name[sizeof u.x.name - 1] = 0;
        int rc = put_samples (s, &u.x, tail, ref, ref + u.x.n, err);
        free (ref);
        return rc;
      }
    case REC_CACHE_PUT:
      u.c.kind[sizeof u.c.kind - 1] = 0;
      return store_cache_put (s, u.c.run, u.c.kind, u.c.slot, u.c.used, &u.c.e, err);
    default:
      return store_cache_clear (s, u.id, (const char *) tail, err);
    }
}

int
store_replay (store *s, const void *buf, size_t n, dsl_error *err)
{
  if (s->record)
    return dsl_error_set (err, "%s: recorded writes replay on a database, not on a recorder", s->path);
  const unsigned char *b = buf;
  for (size_t at = 0; at < n;)
    {
      rec_head h;
      if (n - at < sizeof h)
        return dsl_error_set (err, "%s: recorded writes end in the middle of one", s->path);
      memcpy (&h, b + at, sizeof h);
      at += sizeof h;
      if (h.fixed > n - at || h.tail > n - at - h.fixed)
        return dsl_error_set (err, "%s: recorded writes end in the middle of one", s->path);
      if (replay_one (s, &h, b + at, b + at + h.fixed, err) < 0)
        return -1;
      at += h.fixed + h.tail;
    }
  return 0;
}

void *
store_image (store *s, size_t *n, dsl_error *err)
{
  sqlite3_int64 size = 0;
  unsigned char *img = s->db ? sqlite3_serialize (s->db, "main", &size, 0) : NULL;
  if (!img)
    return dsl_error_set (err, "%s: cannot copy the database into memory", s->path), NULL;
  void *r = malloc ((size_t) size);
  if (r)
    memcpy (r, img, (size_t) size);
  sqlite3_free (img);
  if (!r)
    return dsl_error_set (err, "out of memory"), NULL;
  *n = (size_t) size;
  return r;
}

int
store_open_image (const void *buf, size_t n, store **out, dsl_error *err)
{
  *out = NULL;
  store *s = calloc (1, sizeof *s);
  if (!s || !(s->path = strdup ("(copy of the database)")))
    return free (s), dsl_error_set (err, "out of memory");
  unsigned char *copy = sqlite3_malloc64 (n ? n : 1);
  if (!copy || sqlite3_open_v2 (":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return sqlite3_free (copy), store_close (s), dsl_error_set (err, "out of memory");
  memcpy (copy, buf, n);
  /* The file is in WAL mode (header bytes 18 and 19 are 2), which an in-memory database
     cannot be: the copy, complete without a WAL, is marked as a rollback-journal file.  */
  if (n >= 100)
    copy[18] = copy[19] = 1;
  if (sqlite3_deserialize (s->db, "main", copy, (sqlite3_int64) n, (sqlite3_int64) n,
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
    return store_close (s), dsl_error_set (err, "the copy of the database does not open");
  sqlite3_extended_result_codes (s->db, 1);
  if (check_file (s, 0, err) != 0)
    return store_close (s), -1;
  *out = s;
  return 0;
}

int
store_group_runs (store *s, int64_t group, int64_t **ids, int *n, dsl_error *err)
{
  *ids = NULL;
  *n = 0;
  sqlite3_stmt *st;
  if (prepare (s, "SELECT id FROM runs WHERE island_group = ? ORDER BY island", &st, err))
    return -1;
  sqlite3_bind_int64 (st, 1, group);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      int64_t *r = realloc (*ids, (*n + 1) * sizeof *r);
      if (!r)
        {
          rc = SQLITE_NOMEM;
          break;
        }
      *ids = r;
      r[(*n)++] = sqlite3_column_int64 (st, 0);
    }
  release (s, st);
  if (rc == SQLITE_DONE)
    return 0;
  free (*ids);
  *ids = NULL;
  *n = 0;
  return rc == SQLITE_NOMEM ? dsl_error_set (err, "out of memory") : fail (s, err, "cannot read the runs");
}
