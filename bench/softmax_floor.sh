#!/bin/sh
# softmax_floor.sh -- the two-pass forms a float32 softmax within 2 ULP on every vector could
# take (a kernel wider than float), timed against the textbook three-pass softmax built with
# -ffast-math (libmvec) in one run: see bench/softmax_floor.c.  Usage: bench/softmax_floor.sh
# Environment: CC (gcc), CFLAGS (-O3 -march=native), REPS (7), TIMING (0.2 s).
set -eu
here=$(dirname "$0")
CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O3 -march=native}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS -ffast-math -DSM_TYPE=float32 -DSM_NAME=fast_softmax -c "$here/softmax_plain.c" -o "$W/fast.o"
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS -I"$here" -c "$here/softmax_floor.c" -o "$W/floor.o"
$CC "$W/floor.o" "$W/fast.o" -o "$W/floor" -lmvec -lm
echo "== $($CC --version | head -1); $CFLAGS; $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
"$W/floor" "${REPS:-7}" "${TIMING:-0.2}"
