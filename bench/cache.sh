#!/bin/sh
# cache.sh -- the functional/structural caches on and off: the same seeded exp float32 search
# for the same number of generations, reporting the fraction of scorings and of constant fits
# avoided, the wall-time ratio, and whether the two fronts are equally good (cheapest verified
# solution and its verified error).
# Usage: bench/cache.sh [GENERATIONS [SEED]]    (default 60, 1)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
gens=${1:-60}
seed=${2:-1}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB
field () { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" "$2" | head -1; }
run () {
  start=$(date +%s.%N)
  "$build/autonum" search --target exp --type float32 --ulp 1 --generations "$gens" --seed "$seed" --json "$@" \
    -o "$w/best$#.anp" >"$w/out$#.json" 2>"$w/err$#.txt" || true
  end=$(date +%s.%N)
  awk "BEGIN { printf \"%.1f\", $end - $start }"
}
# Seconds spent in exhaustive verification, from the search's summary line.
verifying () { sed -n 's/.*; \([0-9.]*\) s verifying this session.*/\1/p' "$1"; }
t_on=$(run)
t_off=$(run --no-cache)
v_on=$(verifying "$w/err0.txt")
v_off=$(verifying "$w/err1.txt")
echo "search: exp float32, $gens generations, seed $seed, $(nproc) threads"
echo "cache on:  $t_on s, $(field evaluations "$w/out0.json") candidates;" \
  "skeletons already fitted: $(field struct_hits "$w/out0.json")/$(field struct_lookups "$w/out0.json");" \
  "functions already scored: $(field func_hits "$w/out0.json")/$(field func_lookups "$w/out0.json")"
echo "cache off: $t_off s, $(field evaluations "$w/out1.json") candidates"
echo "exhaustive verifications (never cached): on $(field verifications "$w/out0.json") in $v_on s," \
  "off $(field verifications "$w/out1.json") in $v_off s"
awk "BEGIN { printf \"scorings avoided: %.1f%%, constant fits avoided: %.1f%%, wall-time ratio (off/on): %.2fx\n\", \
  100 * $(field func_hits "$w/out0.json") / $(field func_lookups "$w/out0.json"), \
  100 * $(field struct_hits "$w/out0.json") / $(field struct_lookups "$w/out0.json"), $t_off / $t_on }"
awk "BEGIN { printf \"without the exhaustive verifications: off %.1f s, on %.1f s, ratio %.2fx\n\", \
  $t_off - $v_off, $t_on - $v_on, ($t_off - $v_off) / ($t_on - $v_on) }"
for f in "$w/best0.anp" "$w/best1.anp"; do
  if [ -f "$f" ]; then
    echo "$( [ "$f" = "$w/best0.anp" ] && echo 'cache on ' || echo 'cache off'): cheapest solution $("$build/autonum" eval "$f" --samples 16 | sed -n 's/^program: [^(]*(\(.*\))/\1/p')," \
      "$(grep -o '"solution":true' "$w/out$( [ "$f" = "$w/best0.anp" ] && echo 0 || echo 1).json" | wc -l) verified solution(s) on the front"
  else
    echo "no verified solution in one of the runs"
  fi
done
