#!/bin/sh
# convert_exhaustive.sh -- dsl/convert.h's encode and round for bfloat16, float16, fp8e4m3 and
# fp8e5m2 on every float32 input, against a plain double-arithmetic reference (the compiler's
# _Float16 conversion checks the reference for float16); too slow for make check, which
# samples the same against MPFR (tests/test_convert.c).
# Usage: bench/convert_exhaustive.sh [STRIDE]   (every STRIDE-th input only; default 1, all)
# Measured: 645 s of CPU (gcc 12 -O2), so about 5.5 min on 2 idle cores; 18 min on a loaded shared one.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-gcc}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
omp=-fopenmp
echo 'int main (void) { return 0; }' >"$w/probe.c"
$CC $omp "$w/probe.c" -o "$w/probe" 2>/dev/null || { omp=; echo "convert_exhaustive.sh: no OpenMP, one thread" >&2; }
$CC -O2 -march=native -std=gnu11 $omp -I"$top" "$top/bench/convert_exhaustive.c" -o "$w/check" -lm
echo "compiler: $($CC --version | head -1); threads: ${OMP_NUM_THREADS:-$(nproc)}"
start=$(date +%s.%N)
status=0
"$w/check" "${1:-1}" || status=$?
end=$(date +%s.%N)
echo "wall time: $(awk "BEGIN { printf \"%.0f\", $end - $start }") s"
exit $status
