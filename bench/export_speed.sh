#!/bin/sh
# export_speed.sh -- is exported C as fast as hand-written C?  ns per element of exported
# programs inlined in a loop, through their array entry point and called per element, against
# the hand-written kernels of bench/hand/hand_exp.h, glibc and libmvec, all in one run per
# compiler (gcc, then clang), over 4096 and 65536 floats of each program's domain.
#
# Usage: bench/export_speed.sh [PROG.anp[@LO,HI]:HAND:LIBM ...]   (@LO,HI: exported for that domain)
#   default: results/exp_float32.anp:hand_expf:expf bench/progs/exp_hand.anp:hand_expf:expf
#            and the same for exp2 and exp10.
# Environment: CC (one compiler; default: gcc, then clang if installed), CFLAGS (default
# -O3 -march=native), REPS (repetitions, default 15), top_builddir (where autonum is built).
# Prints per compiler: how each loop compiled (vector registers, libmvec symbols), then one
# table per input set (the whole domain; only inputs with a normal result) and size;
# export_speed.c says why and what the columns are.  Machines are shared: compare the
# ratios, taken within one run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
AN="$build/autonum"
cflags=${CFLAGS:--O3 -march=native}
compilers=${CC:-gcc clang}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

[ -x "$AN" ] || { echo "export_speed.sh: build autonum first ($AN)" >&2; exit 2; }
# By default each results/ program twice: for its own domain, and for the part of it
# where results are normal floats (there the lowering needs no subnormal-safe ldexp).
if [ $# -eq 0 ]; then
  set -- results/exp_float32.anp:hand_expf:expf results/exp_float32.anp@-0x1.5d5p+6,0x1.62e42ep+6:hand_expf:expf \
    bench/progs/exp_hand.anp:hand_expf:expf \
    results/exp2_float32.anp:hand_exp2f:exp2f results/exp2_float32.anp@-0x1.f8p+6,0x1.fffffep+6:hand_exp2f:exp2f \
    bench/progs/exp2_hand.anp:hand_exp2f:exp2f \
    results/exp10_float32.anp:hand_exp10f:exp10f results/exp10_float32.anp@-0x1.2ep+5,0x1.344134p+5:hand_exp10f:exp10f \
    bench/progs/exp10_hand.anp:hand_exp10f:exp10f
fi

# insns OBJECT FUNCTION: instructions of FUNCTION in OBJECT's objdump -d, padding nops aside.
insns () {
  objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '
    $2 == f { on = 1; next }
    on && NF == 0 { exit }
    on && /^ *[0-9a-f]+:/ && $2 !~ /^(nop|data16|cs|xchg)/ { n++ }
    END { print n + 0 }'
}

# vector_regs OBJECT FUNCTION: the widest vector registers FUNCTION uses: zmm, ymm, xmm-packed or scalar.
vector_regs () {
  objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '
    $2 == f { on = 1; next }
    on && NF == 0 { exit }
    on && /%zmm/ { z = 1 } on && /%ymm/ { y = 1 } on && /ps[ \t]+.*%xmm/ { x = 1 }
    END { print z ? "zmm" : y ? "ymm" : x ? "xmm" : "scalar" }'
}

# Programs are exported once, for every compiler: prog1.c, prog2.c, ... and the rows' fields.
i=0
for t in "$@"; do
  i=$((i + 1))
  prog=${t%%:*} rest=${t#*:}
  hand=${rest%%:*} libm=${rest#*:}
  if [ "$prog" = "$t" ] || [ "$hand" = "$rest" ] || [ -z "$libm" ]; then
    echo "export_speed.sh: '$t' is not PROG.anp[@LO,HI]:HAND:LIBM" >&2
    exit 2
  fi
  # PROG.anp@LO,HI: the program exported for the domain [LO, HI] instead of its own.
  dom=
  case $prog in *@*) dom=$(echo "${prog#*@}" | tr , :) prog=${prog%@*} ;; esac
  case $prog in /*) path=$prog ;; *) path=$top/$prog ;; esac
  "$AN" export "$path" --name "prog$i" ${dom:+--domain "$dom"} -o "$w/prog$i.c"
  [ -z "$dom" ] || prog="$prog@$dom"
  domain=$(sed -n 's/^ \* domain: \[\([^],]*\), \([^]]*\)\]$/\1 \2/p' "$w/prog$i.c" | head -n 1)
  [ -n "$domain" ] || { echo "export_speed.sh: $prog: no one-input domain in its exported header" >&2; exit 2; }
  echo "prog$i $prog $hand $libm $domain" >>"$w/rows"
done
{
  printf '#define ES_PROGS(X)'
  awk '{ printf " X (%s)", $1 }' "$w/rows"
  echo
  awk '{ printf "#include \"%s.c\"\n", $1 }' "$w/rows"
} >"$w/exports.h"
{
  printf '#define ES_HANDS(X)'
  awk '!seen[$3]++ { printf " X (%s)", $3 }' "$w/rows"
  printf '\n#define ES_LIBM(X)'
  awk '!seen[$4]++ { printf " X (%s)", $4 }' "$w/rows"
  echo
} >"$w/lists.h"
awk '!seen[$4]++ { print $4 }' "$w/rows" >"$w/libms"

# mvec_calls OBJECT FUNCTION: the libmvec symbols FUNCTION calls, if any.
mvec_calls () {
  objdump -dr "$1" | awk -v f="<$2>:" '
    $2 == f { on = 1; next }
    on && NF == 0 { exit }
    on && match($0, /_ZGV[A-Za-z0-9_]*/) { s[substr($0, RSTART, RLENGTH)] = 1 }
    END { for (k in s) printf " %s", k }'
}

# run_compiler CC DIR: build the benchmark with CC in DIR and run it.
run_compiler () {
  cc=$1 d=$2
  mkdir -p "$d"
  base="$cc -std=gnu11 $cflags -I$w -I$top/bench/hand"
  loops=$top/bench/export_speed_loops.c
  # The exported files as shipped: one object each, no AN_LINKAGE.
  : >"$d/rows"
  while read -r name prog hand libm lo hi; do
    $base -c "$w/$name.c" -o "$d/$name.o"
    has_array=0
    nm "$d/$name.o" | grep -q " T ${name}_array\$" && has_array=1
    echo "$name $prog $hand $libm $lo $hi $has_array $(insns "$d/$name.o" "$name")" >>"$d/rows"
  done <"$w/rows"
  $base -DES_INLINE -c "$loops" -o "$d/inline.o"
  $base -DES_HAND -c "$loops" -o "$d/hand.o"
  # libmvec: with this compiler if it then calls _ZGV* for every function, else with gcc
  # (clang 14 vectorises expf to libmvec, not exp2f or exp10f).
  mvec_cc=$cc
  case $($cc --version | head -n 1) in
    *clang*) $cc -std=gnu11 $cflags -ffast-math -fveclib=libmvec -I"$w" -I"$top/bench/hand" -DES_MVEC -c "$loops" -o "$d/mvec.o" ;;
    *) $cc -std=gnu11 $cflags -ffast-math -I"$w" -I"$top/bench/hand" -DES_MVEC -c "$loops" -o "$d/mvec.o" ;;
  esac
  for f in $(cat "$w/libms"); do
    [ -n "$(mvec_calls "$d/mvec.o" "es_mvec_$f")" ] || mvec_cc=gcc
  done
  [ "$mvec_cc" = "$cc" ] || gcc -std=gnu11 $cflags -ffast-math -I"$w" -I"$top/bench/hand" -DES_MVEC -c "$loops" -o "$d/mvec.o"

  echo "== $($cc --version | head -n 1); $cflags"
  printf 'libmvec loops (%s %s -ffast-math' "$mvec_cc" "$cflags"
  [ "$mvec_cc" = "$cc" ] || printf '; %s does not call libmvec for every function' "$cc"
  echo '), vector functions called:'
  for f in $(cat "$w/libms"); do
    calls=$(mvec_calls "$d/mvec.o" "es_mvec_$f")
    echo "  $f:${calls:- NONE (scalar calls)}"
  done
  echo "loops, vector registers used: inlined exported file / hand kernel:"
  echo '#define ES_ROWS(X) \' >"$d/rows.h"
  while read -r name prog hand libm lo hi has_array n; do
    echo "  $name ($prog): $(vector_regs "$d/inline.o" "es_inline_$name") / $hand: $(vector_regs "$d/hand.o" "es_hand_$hand")"
    echo "  X ($name, \"$prog\", $hand, $libm, $lo, $hi, $has_array, $n, $(insns "$d/hand.o" "es_one_$hand")) \\" >>"$d/rows.h"
  done <"$d/rows"
  echo >>"$d/rows.h"
  $base -I"$d" -c "$top/bench/export_speed.c" -o "$d/main.o"
  objs=$(awk -v d="$d" '{ printf " %s/%s.o", d, $1 }' "$d/rows")
  $cc $cflags "$d/main.o" "$d/inline.o" "$d/hand.o" "$d/mvec.o" $objs -o "$d/export_speed" -lmvec -lm
  "$d/export_speed"
  echo
}

n=0
for cc in $compilers; do
  n=$((n + 1))
  if command -v "$cc" >/dev/null 2>&1; then
    run_compiler "$cc" "$w/cc$n"
  else
    echo "export_speed.sh: no $cc, skipped" >&2
  fi
done
