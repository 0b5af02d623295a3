#!/bin/sh
# first_solution.sh -- issue-13-style bars: for each float32 target and seed, the default search
# (`autonum search --target T --type float32 --ulp 1`, 200 generations or 10 minutes) and the
# seconds to its first solution (within 1 ULP, verified on every input of the domain), the
# cheapest solution at the end (instructions, cost, verified ULP) and the run's wall time.
# With BASE=/path/to/another/autonum, every run is repeated with that build right after (same
# target, seed and machine load), so that the two are compared within one run.
# Usage: bench/first_solution.sh [TARGET...]   (default: exp exp2 exp10 expm1 log log2 log10
# log1p tanh erf)
# Environment: SEEDS (default "1 2"), BASE, top_builddir (where autonum is built), ARGS (more
# search options for every run, e.g. ARGS='--time 4m' to stop earlier: the first solution's time
# does not depend on when the run ends).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
seeds=${SEEDS:-1 2}
[ $# -gt 0 ] || set -- exp exp2 exp10 expm1 log log2 log10 log1p tanh erf
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
builds="$build/autonum"
[ -n "${BASE:-}" ] && builds="$builds $BASE"
printf '%-7s %4s  %-28s %9s  %5s %6s %12s %8s\n' target seed build first_s instr cost verified_ulp wall_s
for t in "$@"; do
  for s in $seeds; do
    for an in $builds; do
      start=$(date +%s.%N)
      # shellcheck disable=SC2086
      "$an" search --target "$t" --type float32 --ulp 1 --seed "$s" --no-db ${ARGS:-} >"$w/out" 2>&1 || true
      end=$(date +%s.%N)
      first=$(sed -n 's/^first verified solution after \([0-9.]*\) s.*/\1/p' "$w/out")
      best=$(sed -n 's/^best solution: program [0-9]*, \([0-9]*\) instructions, cost \([0-9.]*\), max error \([0-9.e+-]*\) ULP verified.*/\1 \2 \3/p' "$w/out")
      name=$(echo "$an" | sed 's|.*/\([^/]*/[^/]*\)$|\1|')
      echo "${best:-- - none}" | awk -v t="$t" -v s="$s" -v b="$name" -v f="${first:--}" \
        -v t0="$start" -v t1="$end" '{ printf "%-7s %4s  %-28s %9s  %5s %6s %12s %8.1f\n", t, s, b, f, $1, $2, $3, t1 - t0 }'
    done
  done
done
