/* test_store -- the database: refusing files that are not ours, exact resume, and a poisoned cache.  */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search/search.h"
#include "store/store.h"
#include "tests/tap.h"

static char dir[] = "/tmp/autonum-test-store-XXXXXX";

static const char *
path (const char *name)
{
  static char buf[4][256];
  static int k;
  k = (k + 1) % 4;
  snprintf (buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static char *
slurp (const char *p, size_t *n)
{
  FILE *f = fopen (p, "rb");
  if (!f)
    return NULL;
  char *b = malloc (1 << 24);
  *n = fread (b, 1, 1 << 24, f);
  fclose (f);
  return b;
}

static void
spit (const char *p, const char *b, size_t n)
{
  FILE *f = fopen (p, "wb");
  fwrite (b, 1, n, f);
  fclose (f);
}

static void
sql (const char *db, const char *q)
{
  sqlite3 *h;
  sqlite3_open (db, &h);
  char *msg = NULL;
  if (sqlite3_exec (h, q, NULL, NULL, &msg) != SQLITE_OK)
    tap_diag ("sql %s: %s", q, msg);
  sqlite3_free (msg);
  sqlite3_close (h);
}

/* The integer query Q returns on DB (-1 on error).  */
static long long
sql_count (const char *db, const char *q)
{
  sqlite3 *h;
  sqlite3_stmt *st;
  long long n = -1;
  sqlite3_open (db, &h);
  if (sqlite3_prepare_v2 (h, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (h);
  return n;
}

/* Opening FILE for writing fails with a message containing WANT and leaves the bytes alone.  */
static void
refused (const char *file, const char *want, const char *what)
{
  size_t n0, n1;
  char *before = slurp (file, &n0);
  store *db;
  dsl_error e = {0};
  int rc = store_open (file, 1, &db, &e);
  char *after = slurp (file, &n1);
  tap_ok (rc < 0 && strstr (e.msg, want) && before && after && n0 == n1 && memcmp (before, after, n0) == 0,
          "%s: refused, file unchanged (%s)", what, e.msg);
  if (rc == 0)
    store_close (db);
  free (before);
  free (after);
}

static void
test_open (void)
{
  store *db;
  dsl_error e;
  tap_ok (store_open (path ("missing.db"), 0, &db, &e) < 0 && strstr (e.msg, "no such database")
            && access (path ("missing.db"), F_OK) != 0,
          "reading a missing database fails and creates nothing");
  tap_ok (store_open (path ("new.db"), 1, &db, &e) == 0, "a new database is created");
  store_close (db);
  tap_ok (store_open (path ("new.db"), 0, &db, &e) == 0, "and opens again read-only");
  store_close (db);

  spit (path ("text.db"), "this is a user's file, not a database\n", 38);
  refused (path ("text.db"), "not an SQLite database", "a text file");

  sql (path ("other.db"), "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  refused (path ("other.db"), "another program", "another program's SQLite database");

  /* A database with a run in it, then damaged in two ways.  */
  const eval_target *t = eval_target_lookup ("exp");
  search_params p;
  search_params_default (&p, t, DSL_FLOAT32);
  p.dom.lo[0] = 0.5, p.dom.hi[0] = 2;
  p.population = 8, p.generations = 2, p.threads = 2;
  search_state *s = search_new (&p, &e);
  int64_t run;
  store_open (path ("good.db"), 1, &db, &e);
  tap_ok (s && search_store (s, db, &run, &e) == 0 && run == 1, "a run is stored");
  while (s && search_step (s, &e) > 0)
    ;
  search_free (s);
  store_close (db);
  sql (path ("good.db"), "PRAGMA wal_checkpoint(TRUNCATE)");
  size_t n;
  char *b = slurp (path ("good.db"), &n);
  spit (path ("newer.db"), b, n);
  sql (path ("newer.db"), "PRAGMA user_version = 99");
  refused (path ("newer.db"), "newer autonum", "a newer schema");
  spit (path ("truncated.db"), b, n / 3);
  refused (path ("truncated.db"), "corrupt", "a truncated database");
  for (size_t i = 4096 * 3; i < 4096 * 3 + 2000 && i < n; i++)
    b[i] ^= 0x5a;
  spit (path ("corrupt.db"), b, n);
  refused (path ("corrupt.db"), "corrupt", "a database with a damaged page");
  free (b);
}

/* Everything a run stored about its programs, as text.  */
static char *
dump (const char *file)
{
  sqlite3 *h;
  sqlite3_open (file, &h);
  sqlite3_stmt *st;
  sqlite3_prepare_v2 (h,
                      "SELECT id, seq, generation, parent1, parent2, origin, text, cost, quote(err_small), "
                      "quote(err_large), quote(mean_large), verified, quote(err_verified), skey, fkey FROM programs "
                      "UNION ALL SELECT role, pos, seq, 0, 0, '', '', 0, 0, 0, 0, 0, 0, 0, 0 FROM members "
                      "UNION ALL SELECT kind, slot, key, used, 0, '', hex(value), 0, 0, 0, 0, 0, 0, 0, 0 FROM cache "
                      "UNION ALL SELECT name, n, seed, 0, 0, '', hex(input) || hex(ref_hi), 0, 0, 0, 0, 0, 0, 0, 0 "
                      "FROM samples",
                      -1, &st, NULL);
  size_t cap = 1 << 20, len = 0;
  char *out = malloc (cap);
  out[0] = 0;
  while (sqlite3_step (st) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (st); i++)
      {
        const char *v = (const char *) sqlite3_column_text (st, i);
        size_t k = strlen (v ? v : "") + 2;
        if (len + k >= cap)
          out = realloc (out, cap = 2 * cap + k);
        len += (size_t) sprintf (out + len, "%s%c", v ? v : "", i + 1 < sqlite3_column_count (st) ? '|' : '\n');
      }
  sqlite3_finalize (st);
  sqlite3_close (h);
  return out;
}

static search_params
small_run (void)
{
  search_params p;
  search_params_default (&p, eval_target_lookup ("exp"), DSL_FLOAT32);
  p.dom.lo[0] = 0.5, p.dom.hi[0] = 2;
  p.population = 12;
  p.generations = 24;
  p.threads = 2;
  p.bound = 0.7;
  p.huge_samples = 300;   /* so that verification fails and counterexamples join the samples */
  p.seed = 7;
  return p;
}

/* Runs to the end, stored in FILE; stops (as if killed right after a
   checkpoint) and resumes at each generation listed in STOPS.  */
static int
run_with_stops (const char *file, const long *stops, int nstops, search_stats *out)
{
  search_params p = small_run ();
  dsl_error e;
  store *db;
  int64_t run;
  if (store_open (file, 1, &db, &e) < 0)
    return tap_diag ("%s", e.msg), -1;
  search_state *s = search_new (&p, &e);
  if (!s || search_store (s, db, &run, &e) < 0)
    return tap_diag ("%s", e.msg), -1;
  int k = 0, rc;
  while ((rc = search_step (s, &e)) > 0)
    {
      search_stats st;
      search_get_stats (s, &st);
      if (k < nstops && st.generation == stops[k])
        {
          search_free (s);
          store_close (db);
          if (store_open (file, 1, &db, &e) < 0 || !(s = search_resume (db, run, NULL, &e)))
            return tap_diag ("resume: %s", e.msg), -1;
          k++;
        }
    }
  if (rc < 0)
    tap_diag ("%s", e.msg);
  search_get_stats (s, out);
  search_close_run (s, "done", &e);
  search_free (s);
  store_close (db);
  return rc;
}

static void
test_resume (void)
{
  search_stats a, b;
  const long stops[] = {1, 5, 6, 13, 20};
  int ra = run_with_stops (path ("straight.db"), NULL, 0, &a);
  int rb = run_with_stops (path ("stopped.db"), stops, 5, &b);
  tap_ok (ra == 0 && rb == 0, "a run, and the same run stopped and resumed 5 times, finish");
  tap_ok (a.counterexamples > 0 && a.verifications > 0,
          "the run verified %llu programs and learnt %llu counterexamples (the paths resume must restore)",
          (unsigned long long) a.verifications, (unsigned long long) a.counterexamples);
  char *x = dump (path ("straight.db")), *y = dump (path ("stopped.db"));
  tap_ok (strcmp (x, y) == 0, "programs, scores, populations, fronts, caches and samples are identical (%zu bytes)",
          strlen (x));
  free (x);
  free (y);
  tap_ok (a.evaluations == b.evaluations && a.func_hits == b.func_hits && a.struct_hits == b.struct_hits
            && a.best_error == b.best_error && a.best_solution_cost == b.best_solution_cost,
          "and so are the counters");

  /* A resumed run in another process's hands is refused.  */
  store *db;
  dsl_error e;
  store_open (path ("straight.db"), 1, &db, &e);
  sql (path ("straight.db"), "UPDATE runs SET status = 'running', pid = 1");
  search_state *s = search_resume (db, 1, NULL, &e);
  tap_ok (!s && strstr (e.msg, "being searched by process 1"), "a run another live process owns: %s", e.msg);
  search_free (s);
  store_close (db);
}

/* A wrong score in the function cache (what a collision of the functional
   hash would give) never reaches a reported solution: every solution is
   verified on its own.  */
static void
test_poisoned_cache (void)
{
  const char *file = path ("poison.db");
  search_params p = small_run ();
  p.generations = 4;
  p.bound = 1;   /* solutions come easily: the test needs some to check */
  dsl_error e;
  store *db;
  int64_t run;
  store_open (file, 1, &db, &e);
  search_state *s = search_new (&p, &e);
  search_store (s, db, &run, &e);
  while (search_step (s, &e) > 0)
    ;
  search_close_run (s, "stopped", &e);
  search_free (s);
  store_close (db);
  /* Every cached function now claims 0.01 ULP on both samples.  */
  sql (file, "UPDATE cache SET value = X'7B14AE47E17A843F7B14AE47E17A843F7B14AE47E17A843F' WHERE kind = 'function'");
  search_params more = {0};
  more.generations = 30;
  search_stats before;
  store_open (file, 1, &db, &e);
  s = search_resume (db, run, &more, &e);
  if (s)
    search_get_stats (s, &before);
  tap_ok (s != NULL, "the poisoned run resumes");
  while (s && search_step (s, &e) > 0)
    ;
  const search_indiv **f;
  int n = s ? search_front (s, &f) : 0, solutions = 0, wrong = 0;
  for (int i = 0; i < n; i++)
    if (f[i]->verified && f[i]->err_verified <= p.bound)
      {
        eval_verify_result r;
        solutions++;
        if (eval_verify (f[i]->prog, p.target, &p.dom, p.metric, p.bound, 2, NULL, NULL, &r, &e) < 0 || r.max_ulp != f[i]->err_verified
            || r.max_ulp > p.bound)
          wrong++;
      }
  search_stats st;
  if (s)
    search_get_stats (s, &st);
  unsigned long long hits = s ? (unsigned long long) (st.func_hits - before.func_hits) : 0;
  search_free (s);
  store_close (db);
  /* Children that took a poisoned score carry it in their stored row: the
     poison was consulted, not just present.  */
  char q[200];
  snprintf (q, sizeof q, "SELECT count(*) FROM programs WHERE run = %lld AND generation > %ld "
            "AND (err_small = 0.01 OR err_large = 0.01)", (long long) run, before.generation);
  long long poisoned = sql_count (file, q);
  tap_ok (hits > 0 && poisoned > 0 && solutions > 0 && wrong == 0,
          "%d reported solutions re-verify to their stated error (%llu cache hits after the poisoning, "
          "%lld children scored 0.01 ULP from it)", solutions, hits, poisoned);
}

/* Takes REC's writes and replays them on DB in one transaction.  */
static int
replay (store *rec, store *db, dsl_error *e)
{
  size_t n;
  void *buf = store_record_take (rec, &n);
  int rc = store_begin (db, e) < 0 || store_replay (db, buf, n, e) < 0 || store_commit (db, e) < 0 ? -1 : 0;
  if (rc)
    store_rollback (db);
  free (buf);
  return rc;
}

/* The run of test_resume again, its writes recorded (as an island's are) and replayed on
   another database after each generation: the same database results.  */
static void
test_recorder (void)
{
  search_params p = small_run ();
  dsl_error e;
  store *db = NULL, *rec = NULL;
  search_state *s = NULL;
  int rc = store_open (path ("replayed.db"), 1, &db, &e) < 0 || store_recorder (NULL, &rec, &e) < 0
           || !(s = search_new (&p, &e)) || search_store_island (s, rec, 1, 0, &e) < 0 || replay (rec, db, &e) < 0;
  while (!rc && (rc = search_step (s, &e)) > 0)
    rc = replay (rec, db, &e) < 0 ? -1 : 0;
  rc = rc < 0 || search_close_run (s, "done", &e) < 0 || replay (rec, db, &e) < 0;
  if (rc)
    tap_diag ("%s", e.msg);
  store_program q;
  tap_ok (!rc && store_program_get_seq (rec, 1, 1, &q, &e) < 0 && strstr (e.msg, "does not hold the database"),
          "a recorder without a database refuses reads: %s", e.msg);
  search_free (s);
  store_close (rec);
  store_close (db);
  char *x = dump (path ("straight.db")), *y = dump (path ("replayed.db"));
  tap_ok (!rc && strcmp (x, y) == 0, "a run written through a recorder and replayed: the same database (%zu bytes)",
          strlen (y));
  free (x);
  free (y);

  /* Nested transactions: only the outermost commits; a rollback inside undoes all.  */
  store_open (path ("replayed.db"), 1, &db, &e);
  store_begin (db, &e);
  store_begin (db, &e);
  store_run_set_status (db, 1, "failed", &e);
  int inner = store_commit (db, &e);
  store_rollback (db);
  int outer = store_commit (db, &e);
  store_run r;
  store_run_get (db, 1, &r, &e);
  tap_ok (inner == 0 && outer < 0 && strstr (e.msg, "rolled back") && strcmp (r.status, "done") == 0,
          "nested transactions: a rollback undoes the inner commit, the outer commit fails: %s", e.msg);

  /* Malformed bytes: an error, nothing written.  */
  store_recorder (NULL, &rec, &e);
  store_run_set_status (rec, 1, "stopped", &e);
  size_t n;
  unsigned char *buf = store_record_take (rec, &n);
  store_begin (db, &e);
  int cut = store_replay (db, buf, n - 1, &e);
  store_rollback (db);
  store_run_get (db, 1, &r, &e);
  tap_ok (cut < 0 && strcmp (r.status, "done") == 0, "replaying cut bytes fails and writes nothing");
  buf[0] ^= 0x40;
  tap_ok (store_replay (db, buf, n, &e) < 0 && strstr (e.msg, "malformed"), "a damaged write is refused: %s", e.msg);
  free (buf);
  store_close (rec);

  /* A copy in memory (what rank 0 sends for a resume) reads like the file, never writes.  */
  void *img = store_image (db, &n, &e);
  store *copy = NULL;
  int opened = img && store_open_image (img, n, &copy, &e) == 0;
  free (img);
  store_run c;
  tap_ok (opened && store_run_get (copy, 1, &c, &e) == 0 && c.generation == r.generation
            && store_run_set_status (copy, 1, "failed", &e) < 0,
          "a copy of the database in memory reads its runs and refuses writes");
  store_close (copy);
  store_close (db);
}

int
main (void)
{
  tap_seed (7);
  if (!mkdtemp (dir))
    return 1;
  test_open ();
  test_resume ();
  test_recorder ();
  test_poisoned_cache ();
  char cmd[300];
  snprintf (cmd, sizeof cmd, "rm -rf %s", dir);
  if (system (cmd) != 0)
    tap_diag ("could not remove %s", dir);
  return tap_done ();
}
