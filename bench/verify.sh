#!/bin/sh
# verify.sh -- wall time of `autonum verify` over the whole float32 exp domain (2,239,849,421
# inputs) for a 25-instruction program, and the interpreter's instruction-evaluations per second.
# Usage: bench/verify.sh [THREADS]    (default: all cores).  Target: under 30 s on 2 cores.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
threads=${1:-$(nproc)}
cd "$build"
make -s bench/bench_interp
./bench/bench_interp "$top/bench/progs/exp25.anp"
./bench/bench_interp "$top/tests/progs/exp_cw.anp"
start=$(date +%s.%N)
./autonum verify "$top/bench/progs/exp25.anp" --ulp 2 --threads "$threads" --quiet | sed 's/^/  /'
end=$(date +%s.%N)
echo "verify wall time: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s on $threads threads (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
