#!/bin/sh
# cost_model.sh -- how well the search's cost model ranks measured speed: for the front of a
# few seeded searches, every member's cost (the weights of its lowered C, dsl/lower.c) against
# the measured ns per element of its exported C's array entry point (as `autonum front`
# times it: 4096 sample points of the domain, best of several timings, taken REPEAT times and
# the best kept), and Spearman's rank correlation per run and over all members together.
#
# Usage: bench/cost_model.sh [TARGET...]      (default: exp exp2 exp10 log2 tanh)
# Environment: GENERATIONS (default 30), REPEAT (default 3), THREADS (default: all cores).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
AN="$build/autonum"
gens=${GENERATIONS:-30}
repeat=${REPEAT:-3}
threads=${THREADS:+--threads $THREADS}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
[ $# -gt 0 ] || set -- exp exp2 exp10 log2 tanh

# members FILE: "id cost ns" per front member of a JSON front (members never timed are left out).
members () {
  sed 's/},{/}\n{/g' "$1" | awk '
    function field(k) { return match($0, "\"" k "\":[^,}]*") ? substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3) : "" }
    /"id":/ { ns = field("ns_per_element"); if (ns != "" && ns != "null") print field("id"), field("cost"), ns }'
}

# spearman: Spearman's rank correlation of the two columns "x y" of standard input (average
# ranks for ties), and the count.
spearman () {
  awk '{ x[NR] = $1; y[NR] = $2 }
    function rank(v, r,   i, j, k, n, s) {
      n = NR
      for (i = 1; i <= n; i++) { s = 0; k = 0
        for (j = 1; j <= n; j++) { if (v[j] < v[i]) s++; if (v[j] == v[i]) k++ }
        r[i] = s + (k + 1) / 2 }
    }
    END {
      if (NR < 3) { printf "n/a (%d members)", NR; exit }
      rank(x, rx); rank(y, ry)
      for (i = 1; i <= NR; i++) { mx += rx[i]; my += ry[i] }
      mx /= NR; my /= NR
      for (i = 1; i <= NR; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) ^ 2; syy += (ry[i] - my) ^ 2 }
      printf "%.3f (%d members)", (sxx > 0 && syy > 0) ? sxy / sqrt(sxx * syy) : 0, NR
    }'
}

echo "cost model against measured time: $gens generations per search, each front timed $repeat times (best kept)"
echo "compiler: $("${CC:-cc}" --version | head -n 1)"
: >"$w/all"
for t in "$@"; do
  db="$w/$t.db"
  "$AN" search --target "$t" --generations "$gens" --seed 1 --quiet --db "$db" $threads >/dev/null 2>"$w/err" || {
    echo "$t: search failed: $(head -n 1 "$w/err")"
    continue
  }
  : >"$w/times"
  r=0
  while [ "$r" -lt "$repeat" ]; do
    "$AN" front --db "$db" --json >"$w/front.json"
    members "$w/front.json" >>"$w/times"
    r=$((r + 1))
  done
  # The best time of each member, with its cost.
  awk '{ if (!($1 in t) || $3 < t[$1]) t[$1] = $3; c[$1] = $2 } END { for (i in t) print c[i], t[i] }' "$w/times" \
    | sort -n >"$w/$t.pairs"
  cat "$w/$t.pairs" >>"$w/all"
  printf "%-8s rank correlation of cost and ns/element: %s\n" "$t" "$(spearman <"$w/$t.pairs")"
  awk '{ printf "           cost %6g  %7.3f ns/element\n", $1, $2 }' "$w/$t.pairs"
done
printf "%-8s rank correlation of cost and ns/element: %s\n" "all" "$(spearman <"$w/all")"
