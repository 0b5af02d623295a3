#!/bin/sh
# mixed_exp.sh -- float32 exp with float64 intermediates allowed (--ops +tof64,tof32): one
# search; from its front, the cheapest solution (verified on every float32 input within
# 1 ULP) whose reduction and polynomial run in float64, and the cheapest float32-only one
# (when the front has none, results/exp_float32.anp); both exported and timed in one run
# against each other, glibc expf and libmvec: the array loop and one call per element
# (bench/mixed_exp.c).
#
# Usage: bench/mixed_exp.sh [GENERATIONS]   (default 30; the search verifies every
# float32 input of each candidate solution, a few minutes on 2 cores)
# Environment: CC (default gcc), CFLAGS (default -O3 -march=native), REPS (default 15),
# SEED (default 1), top_builddir (where autonum is built).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
AN="$build/autonum"
gens=${1:-30}
cc=${CC:-gcc}
cflags=${CFLAGS:--O3 -march=native}
seed=${SEED:-1}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB
[ -x "$AN" ] || { echo "mixed_exp.sh: build autonum first ($AN)" >&2; exit 2; }

start=$(date +%s)
"$AN" search --target exp --ops +tof64,tof32 --generations "$gens" --seed "$seed" --quiet --front-out "$w/front" \
  >"$w/front.txt"
echo "search: exp, float32, --ops +tof64,tof32, $gens generations, seed $seed: $(($(date +%s) - start)) s"
sed -n '/^front:/,/^$/p' "$w/front.txt"

# The solutions (marked *) in the table's order (cheapest first): the first with and without tof64.
mixed= single=
for id in $(awk '$1 == "*" { print $2 }' "$w/front.txt"); do
  if grep -q 'tof64' "$w/front/$id.anp"; then
    [ -n "$mixed" ] || mixed=$id
  else
    [ -n "$single" ] || single=$id
  fi
done
[ -n "$mixed" ] || { echo "mixed_exp.sh: no solution computing in float64 on the front after $gens generations" >&2; exit 1; }
if [ -n "$single" ]; then
  single_prog="$w/front/$single.anp" single_label="program $single (this front)"
else
  single_prog="$top/results/exp_float32.anp" single_label="results/exp_float32.anp (the front has no float32-only solution)"
fi
"$AN" export "$w/front/$mixed.anp" --name mixed_expf --verify --quiet -o "$w/mixed.c"
"$AN" export "$single_prog" --name single_expf --verify --quiet -o "$w/single.c"
for f in mixed single; do
  label=$([ $f = mixed ] && echo "float64 body: program $mixed" || echo "float32 only: $single_label")
  echo
  echo "$label"
  sed -n 's/^ \* \{0,1\}//p' "$w/$f.c" | sed -n '/^max ULP error/p;/^instructions/p;/^program:/,/^$/p'
done

lo=$("$AN" targets | awk '$1 == "exp" && $4 == "float32" { gsub(/[][,]/, ""); print $5 }')
hi=$("$AN" targets | awk '$1 == "exp" && $4 == "float32" { gsub(/[][,]/, ""); print $6 }')
printf '#include "mixed.c"\n#include "single.c"\n' >"$w/exports.h"
# shellcheck disable=SC2086
$cc $cflags -ffast-math -c "$top/bench/mvec_expf.c" -o "$w/mvec.o"
nm -u "$w/mvec.o" | grep -q '_ZGV' || echo "mixed_exp.sh: $cc did not call libmvec in mvec_expf.c (the libmvec row is scalar expf)"
# shellcheck disable=SC2086
$cc $cflags -std=gnu11 -I"$w" -I"$top/bench" -DREPS="${REPS:-15}" -DLO="$lo" -DHI="$hi" "$top/bench/mixed_exp.c" "$w/mvec.o" -lm \
  -o "$w/mixed_exp"
echo
echo "compiler: $cc $cflags"
"$w/mixed_exp"
