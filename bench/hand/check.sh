#!/bin/sh
# check.sh -- the hand kernels (bench/hand/hand_exp.h) compute the same bits as their
# programs (bench/progs/exp*_hand.anp) on all 2^32 inputs, +inf/+0 outside the domain, and
# within 1 ULP of double libm on it (bench/hand/check_hand.c); then ./autonum verify of each
# program, the authoritative error.  About 2 minutes on 2 cores.
# Usage: bench/hand/check.sh        (CC, default gcc; needs a built autonum, $top_builddir)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${top_builddir:-$top}
CC=${CC:-gcc}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
echo '#define AN_LINKAGE static inline' >"$w/checked.h"
for f in exp exp2 exp10; do
  "$build/autonum" export "$top/bench/progs/${f}_hand.anp" --name "prog_$f" -o "$w/$f.c"
  echo "#include \"$f.c\"" >>"$w/checked.h"
done
$CC -std=gnu11 -O3 -march=native -fopenmp -Wall -Wextra -I"$w" -I"$top/bench/hand" \
  "$top/bench/hand/check_hand.c" -o "$w/check_hand" -lm
echo "compiler: $($CC --version | head -n 1); -O3 -march=native"
status=0
"$w/check_hand" || status=1
for f in exp exp2 exp10; do
  "$build/autonum" verify "$top/bench/progs/${f}_hand.anp" | sed -n "s/^max ULP/${f}_hand.anp: verified max ULP/p"
done
exit $status
