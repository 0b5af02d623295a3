#!/bin/sh
# checkpoint.sh -- what storing a run costs: the default exp float32 search
# (seed 1, GENERATIONS generations) once with the database and once with
# --no-db.  Reports the time spent inside checkpoints as the search measures
# it (the run's first store of its samples and seeds included) as a share of
# the run, the wall-time ratio of the two runs (noisy: exhaustive
# verifications dominate both), the database size, and whether both runs
# found the same front.
# Usage: bench/checkpoint.sh [GENERATIONS [SEED]]    (default 200 = the default search, 1)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
gens=${1:-200}
seed=${2:-1}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
run () {
  name=$1
  shift
  start=$(date +%s.%N)
  "$build/autonum" search --target exp --type float32 --ulp 1 --generations "$gens" --seed "$seed" --json "$@" \
    >"$w/$name.json" 2>"$w/$name.err" || true
  end=$(date +%s.%N)
  awk "BEGIN { printf \"%.1f\", $end - $start }"
}
t_db=$(run db --db "$w/run.db")
t_mem=$(run mem --no-db)
echo "search: exp float32, $gens generations, seed $seed, $(nproc) threads"
echo "with the database: $t_db s wall; $(grep '^checkpoints:' "$w/db.err")"
echo "with --no-db:      $t_mem s wall"
awk "BEGIN { printf \"wall-time ratio (db / no-db): %.3f\n\", $t_db / $t_mem }"
echo "database: $(du -k "$w/run.db" | cut -f1) KiB for $(sqlite3 "$w/run.db" 'SELECT count(*) FROM programs' 2>/dev/null || echo '?') programs"
# The fronts without the ids and run number (stored ids vs sequence numbers).
strip () { sed -e 's/"id":[0-9]*,//g' -e 's/"run":[0-9]*,//' "$1"; }
if [ "$(strip "$w/db.json")" = "$(strip "$w/mem.json")" ]; then
  echo "fronts: identical"
else
  echo "fronts: DIFFERENT"
fi
