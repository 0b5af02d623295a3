#!/bin/sh
# mpi.sh -- island searches over MPI ranks (mpirun -np N autonum search): 2 and 4 ranks
# store one run per island in one database, migrate, and print the merged front; the same
# seed, rank count and thread count give the same database twice; a run killed on one rank
# (SIGKILL, at fixed generations printed below) and resumed ends as the uninterrupted run;
# bad uses are one line and exit 1.  Skipped where autonum was built without MPI or mpirun
# is missing.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"

if ! grep -q '^#define HAVE_MPI 1' "$top_builddir/config.h" 2>/dev/null; then
  echo "1..0 # SKIP built without MPI (./setup installs libopenmpi-dev; ./configure --with-mpi)"
  exit 0
fi
if ! command -v mpirun >/dev/null || ! command -v sqlite3 >/dev/null; then
  echo "1..0 # SKIP mpirun or the sqlite3 shell is not installed (./setup installs openmpi-bin and sqlite3)"
  exit 0
fi
# CI runs as root, which Open MPI refuses unless told; --oversubscribe: 4 ranks on 2 cores.
MPIRUN="mpirun --oversubscribe -q"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
# Shared-memory transport only: no network interfaces are probed on a single machine.
OMPI_MCA_btl=self,vader
export OMPI_MCA_btl
# In the sanitizer build: Open MPI's own allocations live until exit, some made by components
# it unloads at MPI_Finalize.  LeakSanitizer is told which libraries those are (the ranks
# inherit the environment) and unwinds fully, so that a leak made inside an unloaded component
# still shows the Open MPI library that called it; autonum's own leaks are still reported.
LSAN_OPTIONS="suppressions=$top_srcdir/tests/lsan-mpi.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS ASAN_OPTIONS

ARGS="--target exp --domain 0.5:2 --population 12 --ulp 0.7 --seed 5 --threads 1 --quiet --migrate-every 3 --migrants 3"

dump () {
  sqlite3 "$1" "SELECT run, seq, generation, parent1, parent2, origin, text, quote(err_small), quote(err_large),
                       verified, quote(err_verified), skey, fkey FROM programs ORDER BY run, seq;
                SELECT run, role, pos, seq FROM members ORDER BY run, role, pos;
                SELECT run, kind, slot, key, used, hex(value) FROM cache ORDER BY run, kind, slot;
                SELECT run, name, n, hex(input) FROM samples ORDER BY run, name;
                SELECT id, status, island, islands, island_group, generation, next_id, evaluations, verifications,
                       counterexamples, func_hits, struct_hits, best_solution_cost, best_verified FROM runs ORDER BY id"
}
generation () { sqlite3 "$1" "SELECT coalesce(min(generation), 0) FROM runs" 2>/dev/null || echo 0; }

$MPIRUN -np 2 "$AN" search $ARGS --generations 12 --db "$T/a.db" >"$T/a.out" 2>"$T/err"
check $? "2 ranks: the search runs"
[ "$(sqlite3 "$T/a.db" "SELECT count(*), sum(islands = 2), count(DISTINCT island_group), min(island_group) = min(id),
                         sum(status = 'done') FROM runs")" = "2|2|1|1|2" ]
check $? "one run per island, both of group 1, both done"
m=$(sqlite3 "$T/a.db" "SELECT count(*) FROM programs WHERE origin = 'migrant'")
[ "$m" -gt 0 ] && [ "$m" -le 18 ]
check $? "migrants arrived (at most 3 per island after generations 3, 6 and 9: $m)"
[ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM programs a JOIN programs b ON a.seq = b.seq AND a.run = 1 AND b.run = 2
                         AND a.generation > 0 AND a.text <> b.text")" -gt 0 ]
check $? "the islands evolve differently (generators of their own)"
grep -q "island search: 2 islands (runs 1 to 2), their fronts merged" "$T/a.out" && [ -n "$(front_rows "$T/a.out")" ]
check $? "rank 0 prints the merged front once"
"$AN" front --db "$T/a.db" 2 >"$T/front2" && front_rows "$T/a.out" >"$T/r1" && front_rows "$T/front2" >"$T/r2" \
  && cmp -s "$T/r1" "$T/r2"
check $? "autonum front of either island prints the same merged front"

$MPIRUN -np 2 "$AN" search $ARGS --generations 12 --db "$T/b.db" >/dev/null 2>"$T/err"
dump "$T/a.db" >"$T/a.dump"
dump "$T/b.db" >"$T/b.dump"
cmp -s "$T/a.dump" "$T/b.dump"
check $? "the same seed, ranks and threads: the same database (programs, scores, members, caches, counters)"

$MPIRUN -np 4 "$AN" search $ARGS --generations 7 --db "$T/c.db" --json >"$T/c.json" 2>"$T/err"
check $? "4 ranks on 2 cores"
[ "$(sqlite3 "$T/c.db" "SELECT count(*), min(island), max(island), sum(status = 'done') FROM runs WHERE islands = 4")" = "4|0|3|4" ]
check $? "4 islands stored, all done"
grep -q '"front":\[{' "$T/c.json"
check $? "--json prints the merged front as JSON"

# Killed on rank 1 at generation G + a delay, resumed; three times, then to the end.
pids () { sqlite3 "$T/k.db" "SELECT group_concat(pid, ' ') FROM runs" 2>/dev/null; }
k=0
old=""
for moment in "2 0" "1 0.2" "3 0"; do
  k=$((k + 1))
  set -- $moment
  start=$(generation "$T/k.db")
  if [ $k -eq 1 ]; then
    $MPIRUN -np 2 "$AN" search $ARGS --generations 12 --db "$T/k.db" >/dev/null 2>"$T/err" &
  else
    $MPIRUN -np 2 "$AN" search --resume --db "$T/k.db" --quiet >/dev/null 2>"$T/err" &
  fi
  job=$!
  # Until this job's ranks have written their pids and reached the generation.
  waited=0
  while { [ "$(pids)" = "$old" ] || [ "$(generation "$T/k.db")" -lt $((start + $1)) ]; } && kill -0 $job 2>/dev/null \
        && [ $waited -lt 2400 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  sleep "$2"
  old=$(pids)
  pid=$(sqlite3 "$T/k.db" "SELECT pid FROM runs WHERE island = 1")
  kill -9 "$pid" 2>/dev/null
  wait $job 2>/dev/null
  # mpirun kills the other rank: until it is gone (the resume refuses a run whose process lives).
  for p in $old; do
    w=0
    while kill -0 "$p" 2>/dev/null && [ $w -lt 200 ]; do sleep 0.05; w=$((w + 1)); done
  done
  echo "# kill $k: rank 1 (pid $pid) at generation $(generation "$T/k.db") (waited for +$1, then ${2}s)"
  [ "$(sqlite3 "$T/k.db" 'PRAGMA integrity_check')" = ok ]
  check $? "integrity_check ok after kill $k"
done
$MPIRUN -np 2 "$AN" search --resume --db "$T/k.db" --quiet >/dev/null 2>"$T/err"
check $? "the last resume runs to the end"
dump "$T/k.db" >"$T/k.dump"
cmp -s "$T/a.dump" "$T/k.dump"
check $? "killed on rank 1 three times and resumed: the same database as the uninterrupted run"
if ! cmp -s "$T/a.dump" "$T/k.dump"; then diff "$T/a.dump" "$T/k.dump" | head -5 | sed 's/^/# /'; fi

expect_fail 1 "run 1 is a search of 2 islands: resume it with mpirun -np 2 (not 4)" \
  "resume with another rank count: one line, exit 1" -- $MPIRUN -np 4 "$AN" search --resume 1 --db "$T/a.db" --generations 20
expect_fail 1 "resume it with mpirun -np 2" "resume an island run without mpirun: one line, exit 1" -- \
  "$AN" search --resume 2 --db "$T/a.db" --generations 20
"$AN" search --target exp --generations 1 --quiet --db "$T/plain.db" >/dev/null 2>&1
expect_fail 1 "run 1 is not an island search: resume it without mpirun" \
  "resume a run on its own under mpirun: one line, exit 1" -- $MPIRUN -np 2 "$AN" search --resume 1 --db "$T/plain.db" --generations 2
expect_fail 2 "island searches" "--migrants without mpirun: one line, exit 2" -- \
  "$AN" search --target exp --migrants 2 --no-db
expect_fail 2 "an island search keeps its islands in the database" "--no-db under mpirun: one line, exit 2" -- \
  $MPIRUN -np 2 "$AN" search --target exp --no-db --generations 1

tap_end
