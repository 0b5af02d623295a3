#!/bin/sh
# resume.sh -- a seeded search killed with SIGKILL at 5 different moments and
# resumed each time ends with the same database contents (programs, scores,
# front) as the same search left alone; PRAGMA integrity_check is ok after
# every kill.  Then Ctrl-C (SIGINT): the run is marked stopped and resumes.
# The kill moments are fixed (generation reached + a delay), printed below.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"

if ! command -v sqlite3 >/dev/null; then
  echo "1..0 # SKIP sqlite3 shell not installed (./setup installs it)"
  exit 0
fi

# Small domain (fast verification) and a bound the search meets often, so
# that verifications, counterexamples and cache evictions all happen.
ARGS="--target exp --domain 0.5:2 --population 16 --generations 60 --ulp 0.7 --seed 3 --threads 2 --quiet"

# Everything that must match (ids, programs, scores, lineage, members, caches).
dump () {
  sqlite3 "$1" "SELECT id, seq, generation, parent1, parent2, origin, text, quote(err_small), quote(err_large),
                       verified, quote(err_verified), skey, fkey FROM programs ORDER BY id;
                SELECT role, pos, seq FROM members ORDER BY role, pos;
                SELECT kind, slot, key, used, hex(value) FROM cache ORDER BY kind, slot;
                SELECT name, n, hex(input) FROM samples ORDER BY name;
                SELECT status, generation, next_id, evaluations, verifications, counterexamples, func_hits,
                       struct_hits, best_solution_cost, best_verified FROM runs"
}

generation () { sqlite3 "$1" "SELECT coalesce(max(generation), 0) FROM runs" 2>/dev/null || echo 0; }

"$AN" search $ARGS --db "$T/straight.db" --json >"$T/straight.json"
check $? "uninterrupted run"
dump "$T/straight.db" >"$T/straight.dump"
echo "# $(sqlite3 "$T/straight.db" 'SELECT verifications, counterexamples FROM runs' | tr '|' ' ') (verifications, counterexamples)"

# kill at: generation >= G (relative to where the process started) then sleep D.
start=0
k=0
for moment in "2 0" "0 0.05" "3 0.1" "1 0.3" "4 0"; do
  k=$((k + 1))
  set -- $moment
  if [ $k -eq 1 ]; then
    "$AN" search $ARGS --db "$T/killed.db" >/dev/null 2>"$T/err" &
  else
    "$AN" search --resume --db "$T/killed.db" --quiet >/dev/null 2>"$T/err" &
  fi
  pid=$!
  waited=0
  while [ "$(generation "$T/killed.db")" -lt $((start + $1)) ] && kill -0 $pid 2>/dev/null && [ $waited -lt 600 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  sleep "$2"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  start=$(generation "$T/killed.db")
  echo "# kill $k: at generation $start (waited for +$1, then ${2}s)"
  [ "$(sqlite3 "$T/killed.db" 'PRAGMA integrity_check')" = ok ]
  check $? "integrity_check ok after kill $k"
done
"$AN" search --resume --db "$T/killed.db" --quiet --json >"$T/killed.json" 2>"$T/err"
check $? "the last resume runs to the end"
dump "$T/killed.db" >"$T/killed.dump"
cmp -s "$T/straight.dump" "$T/killed.dump"
check $? "killed 5 times and resumed: the same programs, scores, members, caches and counters"
if ! cmp -s "$T/straight.dump" "$T/killed.dump"; then diff "$T/straight.dump" "$T/killed.dump" | head -5 | sed 's/^/# /'; fi
"$AN" front --db "$T/straight.db" --json >"$T/f1" && "$AN" front --db "$T/killed.db" --json >"$T/f2" \
  && untimed <"$T/f1" >"$T/f1u" && untimed <"$T/f2" >"$T/f2u" && cmp -s "$T/f1u" "$T/f2u"
check $? "autonum front prints the same front"

# SIGINT: finishes the generation, marks the run stopped, exits 0; resume completes it.
"$AN" search $ARGS --db "$T/int.db" >/dev/null 2>"$T/err" &
pid=$!
while [ "$(generation "$T/int.db")" -lt 3 ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done
kill -INT $pid
wait $pid
rc=$?
st=$(sqlite3 "$T/int.db" "SELECT status FROM runs")
[ $rc -eq 0 ] && [ "$st" = stopped ]
check $? "Ctrl-C: exit 0 and status stopped (exit $rc, status $st)"
"$AN" search --resume --db "$T/int.db" --quiet >/dev/null 2>"$T/err" && dump "$T/int.db" | cmp -s - "$T/straight.dump"
check $? "the stopped run resumes to the same end"
[ "$(sqlite3 "$T/int.db" "SELECT status FROM runs")" = done ]
check $? "and is marked done"
"$AN" search --resume --db "$T/int.db" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q "no unfinished run" "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ]
check $? "resuming with nothing left to resume: one line, exit 1"

# Composition: the donors (the seeds that compose the --kernel given at the start) are stored
# with the run, so that a resume without --kernel grafts from the same programs.
printf '# autonum 1 target=exp type=float32\nin x\nv1 = tof64 x\nv2 = exp v1\nv3 = tof32 v2\nout v3\n' >"$T/kexp.anp"
KARGS="--target sigmoid --domain 1:2 --population 24 --generations 30 --ulp 0.7 --seed 5 --threads 2 --quiet"
"$AN" search $KARGS --kernel "$T/kexp.anp" --db "$T/k1.db" >/dev/null 2>"$T/err"
check $? "a search with a kernel"
donors=$(sqlite3 "$T/k1.db" "SELECT count(*) FROM members WHERE role = 'donor'")
grafts=$(sqlite3 "$T/k1.db" "SELECT count(*) FROM programs WHERE origin = 'compose'")
[ "$donors" -ge 1 ] && [ "$grafts" -ge 1 ]
check $? "it stores its donors ($donors) and grafts from them ($grafts children)"
"$AN" search $KARGS --kernel "$T/kexp.anp" --db "$T/k2.db" >/dev/null 2>"$T/err" &
pid=$!
while [ "$(generation "$T/k2.db")" -lt 8 ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
echo "# killed at generation $(generation "$T/k2.db")"
"$AN" search --resume --db "$T/k2.db" --quiet >/dev/null 2>"$T/err" && dump "$T/k1.db" >"$T/k1.dump" \
  && dump "$T/k2.db" | cmp -s - "$T/k1.dump"
check $? "killed and resumed without --kernel: the same programs, scores and members"

tap_end
