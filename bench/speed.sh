#!/bin/sh
# speed.sh -- ns per element in an array loop: an exported program (A), optionally a second
# one (B), glibc expf and glibc's vector libmvec expf, all measured in the same run.
#
# Usage: bench/speed.sh A.anp [B.anp]     (default A: tests/progs/exp_cw.anp)
# Needs a built autonum ($top_builddir, default the source tree).  Prints ratios: machines
# are shared and noisy, absolute times vary between runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
a=${1:-$top/tests/progs/exp_cw.anp}
b=${2:-}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
"$build/autonum" export "$a" --name prog_a -o "$w/a.c"
{
  echo '#define AN_LINKAGE static inline'
  echo '#include "a.c"'
  echo '#define AN_FN_A prog_a'
  echo "#define AN_LABEL_A \"$(basename "$a")\""
} >"$w/progs.h"
if [ -n "$b" ]; then
  "$build/autonum" export "$b" --name prog_b -o "$w/b.c"
  {
    echo '#include "b.c"'
    echo '#define AN_EXPORT_B 1'
    echo '#define AN_FN_B prog_b'
    echo "#define AN_LABEL_B \"$(basename "$b")\""
  } >>"$w/progs.h"
fi
CC=${CC:-gcc}
$CC -O3 -march=native -ffast-math -c "$top/bench/speed_mvec.c" -o "$w/mvec.o"
$CC -O3 -march=native -std=gnu11 -I"$w" -c "$top/bench/speed_main.c" -o "$w/main.o"
$CC "$w/main.o" "$w/mvec.o" -o "$w/speed" -lmvec -lm
echo "compiler: $($CC --version | head -1); flags: -O3 -march=native"
"$w/speed"
