#!/bin/sh
# convert_speed.sh -- ns per element of dsl/convert.h's encode, decode and round in array loops,
# with gcc and clang at -O3 -march=native (bench/convert_speed.c), and which loops did not
# vectorise.  Machines are shared and noisy: compare figures of one run.
# Usage: bench/convert_speed.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
for cc in gcc clang; do
  command -v $cc >/dev/null || continue
  case $cc in
    gcc) report=-fopt-info-vec-optimized ;;
    *) report=-Rpass=loop-vectorize ;;
  esac
  $cc -O3 -march=native -std=gnu11 $report -I"$top" "$top/bench/convert_speed.c" -o "$w/speed" 2>"$w/vec"
  # The loops are the LOOP16 lines; the compilers report each by its line.
  scalar=$(grep -n '^LOOP16' "$top/bench/convert_speed.c" | grep -v '(copy,' | while IFS=: read -r line text; do
    grep -q "convert_speed.c:$line:.*vectorized" "$w/vec" || echo "$text" | sed 's/LOOP16 (\([a-z0-9_]*\),.*/\1/'
  done | tr '\n' ' ')
  echo "$($cc --version | head -1), -O3 -march=native; not vectorised: ${scalar:-none}"
  "$w/speed" | sed 's/^/  /'
done
