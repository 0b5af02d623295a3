#!/bin/sh
# search.sh -- the search's bars on exp float32: time to an exhaustively verified < 1 ULP
# program with the default command, its size against the textbook Cody-Waite + degree-6
# program (tests/progs/exp_cw.anp), and its speed in an array loop against glibc expf and
# that textbook program, measured in the same run (bench/speed.sh).
# Usage: bench/search.sh [SEARCH OPTIONS...]   (default: the README's command)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB
start=$(date +%s.%N)
"$build/autonum" search --target exp --type float32 --ulp 1 --quiet --json -o "$w/best.anp" "$@" >"$w/front.json"
end=$(date +%s.%N)
field () { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" "$w/front.json" | head -1; }
awk -v t0="$start" -v t1="$end" -v n="$(field evaluations)" -v v="$(field verifications)" -v c="$(nproc)" 'BEGIN {
  printf "search wall time: %.1f s; %d candidates scored, %.1f per second per core (%d cores, %d exhaustive verifications included)\n",
    t1 - t0, n, n / (t1 - t0) / c, c, v }'
if command -v sqlite3 >/dev/null; then
  sqlite3 "$AUTONUM_DB" "SELECT printf('first verified solution after %.1f s of search; %d sent to verification, %d refuted early', first_solution_seconds, verifications, refutations) FROM runs"
fi
echo "cheapest verified solution:"
sed 's/^/  /' "$w/best.anp"
"$build/autonum" verify "$w/best.anp" --quiet | grep -E 'points checked|max ULP|worst'
"$build/autonum" eval "$top/tests/progs/exp_cw.anp" | grep '^program'
"$build/autonum" eval "$w/best.anp" | grep '^program'
top_builddir=$build "$top/bench/speed.sh" "$w/best.anp" "$top/tests/progs/exp_cw.anp"
