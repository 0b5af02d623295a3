#!/bin/sh
# narrow_exp.sh -- correctly rounded exp in bfloat16 and float16: a search finds each, export
# --verify checks it on every input of the domain, and narrow_exp.c times its exported array
# loop against converting to float and calling glibc's expf (scalar, and libmvec in blocks),
# in one run, and counts where those give other bits than the correctly rounded program.
#
# Usage: bench/narrow_exp.sh [GENERATIONS]   (default 60)
# Environment: CC (default gcc), CFLAGS (default -O3 -march=native), REPS (default 15),
# SEED (default 1), top_builddir (where autonum is built).
# float16 programs may compute in float64 (--ops +tof64; the float64 result is rounded once):
# on 4 of the 38370 float16 inputs of exp's domain, e^x lies within half a float32 ulp of a
# midpoint between two float16 values, so that a float32 result correct to the last bit is
# the midpoint itself and ties to even, the wrong way for some (a float32 body must be wrong
# in float32 in the right direction there; 100 generations found none).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
AN="$build/autonum"
gens=${1:-60}
cc=${CC:-gcc}
cflags=${CFLAGS:--O3 -march=native}
seed=${SEED:-1}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB
[ -x "$AN" ] || { echo "narrow_exp.sh: build autonum first ($AN)" >&2; exit 2; }

# found SHORT TYPE [SEARCH OPTIONS]: search, save, export --verify as cr_exp_SHORT, domain in SHORT_lo/hi.
found () {
  short=$1 type=$2
  shift 2
  start=$(date +%s)
  "$AN" search --target exp --type "$type" --ulp 0.5 "$@" --generations "$gens" --seed "$seed" --quiet \
    -o "$w/$short.anp" >"$w/$short.front" || {
    echo "narrow_exp.sh: no correctly rounded $type exp in $gens generations" >&2
    sed 's/^/  /' "$w/$short.front" >&2
    exit 1
  }
  "$AN" export "$w/$short.anp" --verify --ulp 0.5 --quiet --name "cr_exp_$short" -o "$w/cr_exp_$short.c"
  echo "$type: search and export --verify took $(($(date +%s) - start)) s; the program, from its header:"
  sed -n 's/^ \* \{0,1\}//p' "$w/cr_exp_$short.c" | sed -n '/^max ULP error/p;/^instructions/p;/^program:/,/^$/p'
  eval "$("$AN" targets | awk -v y="$type" -v s="$short" '$1 == "exp" && $4 == y { gsub(/[][,]/, ""); print s "_lo=" $5, s "_hi=" $6 }')"
}
found bf16 bfloat16
found f16 float16 --ops +tof64

printf '#include "cr_exp_bf16.c"\n#include "cr_exp_f16.c"\n' >"$w/exports.h"
# shellcheck disable=SC2086
$cc $cflags -ffast-math -c "$top/bench/mvec_expf.c" -o "$w/mvec.o"
nm -u "$w/mvec.o" | grep -q '_ZGV' || echo "narrow_exp.sh: $cc did not call libmvec in mvec_expf.c (the libmvec row is scalar expf)"
# shellcheck disable=SC2086
$cc $cflags -std=gnu11 -I"$w" -I"$top/bench" -DREPS="${REPS:-15}" -DBF16_LO="$bf16_lo" -DBF16_HI="$bf16_hi" \
  -DF16_LO="$f16_lo" -DF16_HI="$f16_hi" "$top/bench/narrow_exp.c" "$w/mvec.o" -lm -o "$w/narrow_exp"
echo
echo "compiler: $cc $cflags"
"$w/narrow_exp"
