#!/bin/sh
# softmax.sh -- autonum's exported softmax against the textbook one, speed and accuracy in
# one run, for the program's type: float32, bfloat16 or float16 (the type= of the program's
# header line).  Four functions of that type, each compiled alone in its own unit:
#   autonum-2pass   the program exported with --target softmax (two-pass: one pass sums
#                   k(r) 2^n in double lanes, a second recomputes and scales; no max pass)
#   autonum-3pass   the same exported with --softmax-form three-pass (max; exps stored and
#                   summed; scale)
#   expf-3pass      bench/softmax_plain.c: max; y = expf (x - max) and their float sum; y *= 1/sum
#   fastmath-3pass  the same source with -ffast-math, where gcc calls libmvec's vector expf
# For a 16-bit type the C files are compiled with -DSM_TYPE=TYPE (bench/softmax_type.h): x and
# y hold the type's bit patterns (uint16_t), as in the exported functions; the textbook
# peers read the elements as floats, compute expf and its sum in float (the sum of the
# floats, not of what they store), and store the exponentials and then the outputs rounded
# to the type (to nearest even).
# The exported files (export --verify: their headers give the engine's error on its own
# stored vectors) and expf-3pass get the same flags (CFLAGS, default -O3 -march=native, no
# fast-math); fastmath-3pass gets CFLAGS -ffast-math.  objdump shows which expf each plain
# build calls and the widest vector registers each function uses.
#
# Speed (bench/softmax_speed.c): ns per element, called through function pointers, best of
# REPS interleaved rounds of about TIMING seconds each, on float32 N(0, 3) logits (printed
# seed; rounded to a 16-bit type) of each length in LENS: 64 and 4096 (one vector, in L1/L2),
# 1M (one vector: 8 MB of input and output, in this machine's 32 MB L3), 1M:8 (eight vectors
# in turn: 64 MB, from memory) and 16M (128 MB).  A 16-bit type's elements take half the
# bytes, so its default has 1M:16 for 1M:8 (64 MB again; 1M:8 would be 32 MB, the size of the
# L3) and its 1M and 16M are 4 and 64 MB.  Ratios are taken within the run against
# autonum-2pass.  The two "bar" lines of the summary state the goals set for float32 (2pass
# faster than expf-3pass at every length, and than fastmath-3pass on 1M elements); for a
# 16-bit type the summary prints the same comparisons, labelled with the type.
# Worst case (float32, bench/softmax_adversary.c): the kernel's k(r) / e^r on every float r of
# its domain, then the vectors {r_b, r_a x m} built from its extremes (and {r_b, 0, r_a x m}),
# against MPFR: what no random vector finds.
# Accuracy (bench/softmax_ulp.c): max ULP error against MPFR (200 bits) on vectors of lengths
# 2 to 65536 and six distributions from the file's own generator and seed, not the engine's;
# for a 16-bit type the float32 vectors rounded to the type, the reference computed from the
# rounded inputs and the error in ULPs of the type.
#
# Usage: bench/softmax.sh [PROG.anp]   (from the top directory)
#   Without PROG: autonum search --target softmax --ulp 2 --time $SEARCH_TIME --no-db first
#   (float32), or with TYPE=bfloat16 or float16 in the environment autonum search --target
#   softmax --type $TYPE --ulp 3 ... (exit 1 if it finds no solution).  With PROG, TYPE if
#   set must be PROG's type.  Text after the program's 'out' line (a pasted report) is dropped.
# Environment: AN (./autonum), CC (gcc: its -ffast-math calls libmvec), CFLAGS, REPS (7),
#   TIMING (0.2), LENS ("64 4096 1048576 1048576:8 16777216"; for a 16-bit type
#   "64 4096 1048576 1048576:16 16777216"), SEED (speed inputs, 0x5eed50f7), ACC_SEED
#   (accuracy inputs, 0x62656e63686d6b), SEARCH_TIME (60), TYPE (the search's type, float32),
#   KEEP (a directory: the program and both exported files are copied there).
# About 3 minutes on 2 cores with the search.  The machine is shared: compare ratios.
set -u
AN=${AN:-./autonum}
CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O3 -march=native}
REPS=${REPS:-7}
TIMING=${TIMING:-0.2}
SEED=${SEED:-0x5eed50f7}
ACC_SEED=${ACC_SEED:-0x62656e63686d6b}
SEARCH_TIME=${SEARCH_TIME:-60}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
here=$(dirname "$0")

[ -x "$AN" ] || { echo "softmax.sh: no autonum at $AN (build it, or set AN)" >&2; exit 2; }
if [ $# -ge 1 ]; then
  src=$1
  [ -f "$src" ] || { echo "softmax.sh: no program $src" >&2; exit 2; }
else
  case ${TYPE:-float32} in
    float32) ulp=2 topt= ;;
    bfloat16 | float16) ulp=3 topt=" --type $TYPE" ;;
    *) echo "softmax.sh: TYPE must be float32, bfloat16 or float16, not '$TYPE'" >&2; exit 2 ;;
  esac
  echo "== search: $AN search --target softmax$topt --ulp $ulp --time $SEARCH_TIME --no-db"
  "$AN" search --target softmax$topt --ulp $ulp --time "$SEARCH_TIME" --no-db -o "$W/found.anp" >"$W/search" 2>&1
  rc=$?
  grep -E '^[0-9]+ generations|^front:|^best' "$W/search"
  if [ $rc -ne 0 ] || [ ! -s "$W/found.anp" ]; then
    echo "softmax.sh: the search found no softmax program within $ulp ULP (exit $rc); its output:"
    tail -n 20 "$W/search"
    exit 1
  fi
  src="the search's best solution"
  cp "$W/found.anp" "$W/src.anp"
fi
[ $# -ge 1 ] && cp "$src" "$W/src.anp"
sed '/^out /q' "$W/src.anp" >"$W/prog.anp"
# The type from the header line ("# autonum 1 target=softmax type=bfloat16 ..."), as export
# reads it; none is float32.
type=$(sed -n '1s/^#.* type=\([^ ]*\).*/\1/p' "$W/prog.anp")
type=${type:-float32}
case $type in
  float32) ctype=float lab= ;;
  bfloat16 | float16) ctype=uint16_t lab=" ($type)" ;;
  *) echo "softmax.sh: $src is of type $type; softmax.sh measures float32, bfloat16 and float16" >&2; exit 2 ;;
esac
if [ -n "${TYPE:-}" ] && [ "$TYPE" != "$type" ]; then
  echo "softmax.sh: TYPE is $TYPE but $src is of type $type" >&2
  exit 2
fi
[ $type = float32 ] && dlens="1048576:8" || dlens="1048576:16"
LENS=${LENS:-64 4096 1048576 $dlens 16777216}

echo "== program: $src$lab"
sed -n '/^[a-z]/p' "$W/prog.anp" | sed 's/^/  /'
"$AN" export "$W/prog.anp" --target softmax --name sm2 --verify -o "$W/sm2.c" || exit 1
"$AN" export "$W/prog.anp" --target softmax --name sm3 --softmax-form three-pass --verify -o "$W/sm3.c" || exit 1
[ -z "${KEEP:-}" ] || cp "$W/prog.anp" "$W/sm2.c" "$W/sm3.c" "$KEEP/" || exit 1
for f in sm2 sm3; do
  grep -q "^AN_LINKAGE void $f (const $ctype \*" "$W/$f.c" ||
    { echo "softmax.sh: $f.c does not export void $f (const $ctype *, ...) for type $type" >&2; exit 1; }
done
echo "exported with --verify; the headers' own error figures (the engine's stored vectors):"
for f in sm2 sm3; do
  sed -n "s/^ \* \(max ULP error:.*\)/  $f: \1/p; s/^ \* \(instructions:.*\)/  $f: \1/p" "$W/$f.c"
done

$CC -std=gnu11 $CFLAGS -c "$W/sm2.c" -o "$W/sm2.o" || exit 1
$CC -std=gnu11 $CFLAGS -c "$W/sm3.c" -o "$W/sm3.o" || exit 1
$CC -std=gnu11 $CFLAGS -DSM_TYPE=$type -DSM_NAME=plain_softmax -c "$here/softmax_plain.c" -o "$W/plain.o" || exit 1
$CC -std=gnu11 $CFLAGS -ffast-math -DSM_TYPE=$type -DSM_NAME=fast_softmax -c "$here/softmax_plain.c" -o "$W/fast.o" || exit 1
$CC -std=gnu11 -O2 -DSM_TYPE=$type -I"$here" -c "$here/softmax_speed.c" -o "$W/speed.o" || exit 1
$CC -std=gnu11 -O2 -DSM_TYPE=$type -c "$here/softmax_ulp.c" -o "$W/ulp.o" || exit 1
objs="$W/sm2.o $W/sm3.o $W/plain.o $W/fast.o"
$CC "$W/speed.o" $objs -o "$W/speed" -lmvec -lm || exit 1
$CC "$W/ulp.o" $objs -o "$W/ulp" -lmpfr -lgmp -lmvec -lm || { echo "softmax.sh: needs MPFR (libmpfr-dev)" >&2; exit 1; }

# calls OBJECT FUNCTION: the functions FUNCTION calls or jumps to (its PLT32 relocations).
calls () {
  objdump -dr "$1" | awk -v f="<$2>:" '
    $2 == f { on = 1; next }
    on && NF == 0 { exit }
    on && $2 == "R_X86_64_PLT32" { sub(/-0x4$/, "", $3); s[$3] = 1 }
    END { for (k in s) printf " %s", k }'
}

# vector_regs OBJECT FUNCTION: the widest vector registers FUNCTION uses (as export_speed.sh).
vector_regs () {
  objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '
    $2 == f { on = 1; next }
    on && NF == 0 { exit }
    on && /%zmm/ { z = 1 } on && /%ymm/ { y = 1 } on && /p[sd][ \t]+.*%xmm/ { x = 1 }
    END { print z ? "zmm" : y ? "ymm" : x ? "xmm" : "scalar" }'
}

[ $type = float32 ] && tflag= || tflag="; the C files with -DSM_TYPE=$type"
echo "== builds: $($CC --version | head -n 1); $CFLAGS$tflag"
echo "  function        vector registers  calls"
for r in "autonum-2pass sm2 sm2" "autonum-3pass sm3 sm3" "expf-3pass plain plain_softmax" "fastmath-3pass fast fast_softmax"; do
  set -- $r
  printf '  %-15s %-17s %s\n' "$1" "$(vector_regs "$W/$2.o" "$3")" "$(calls "$W/$2.o" "$3")"
done
mvec=$(calls "$W/fast.o" fast_softmax | tr ' ' '\n' | grep '^_ZGV' | tr '\n' ' ')
if [ -n "$mvec" ]; then
  echo "  -ffast-math build calls libmvec: $mvec(_ZGVdN8v_expf: 8 floats per call, AVX2; the"
  case " $mvec" in
    *" _ZGVbN4v_expf "*) echo "  scalar expf and _ZGVbN4v_expf it also names serve the loop's remainder)" ;;
    *) echo "  scalar expf it also names serves the loop's remainder)" ;;
  esac
else
  echo "  WARNING: the -ffast-math build calls no libmvec function: fastmath-3pass is not the libmvec peer"
fi
calls "$W/plain.o" plain_softmax | grep -q '_ZGV' && echo "  WARNING: the plain build calls libmvec"

echo
"$W/speed" "$SEED" "$REPS" "$TIMING" $LENS | tee "$W/speed.out"
[ -s "$W/speed.out" ] || exit 1
echo
"$W/ulp" "$ACC_SEED" | tee "$W/ulp.out"
[ -s "$W/ulp.out" ] || exit 1
# float32: the worst vectors built from the kernel's extremes (bench/softmax_adversary.c),
# on the domain of the program's header line.
: >"$W/adv.out"
if [ $type = float32 ]; then
  dom=$(sed -n '1s/^#.* domain=\([^ ]*\).*/\1/p' "$W/prog.anp")
  dlo=${dom%%:*} dhi=${dom#*:}
  [ -n "$dom" ] || { dlo=-0x1.63043p-2 dhi=0x1.63043p-2; }
  # The kernel's values as the two-pass form uses them (a double kernel unrounded), from the
  # exported file's own kernel function.
  printf '#define AN_LINKAGE static inline\n#include "sm2.c"\nvoid sm2_kernel_array (const float *x, double *y, size_t n);\n%s\n' \
    'void sm2_kernel_array (const float *x, double *y, size_t n) { for (size_t i = 0; i < n; i++) y[i] = (double) an_sm2_exp_kernel (x[i]); }' \
    >"$W/kern.c"
  $CC -std=gnu11 -O2 -fopenmp -c "$here/softmax_adversary.c" -o "$W/adv.o" \
    && $CC -std=gnu11 -O2 -I"$W" -c "$W/kern.c" -o "$W/kern.o" \
    && $CC -fopenmp "$W/adv.o" "$W/kern.o" "$W/sm2.o" "$W/sm3.o" -o "$W/adv" -lmpfr -lgmp -lm || exit 1
  echo
  echo "== the worst vectors built from the kernel's extremes, on [$dlo, $dhi]"
  "$W/adv" "$dlo" "$dhi" | tee "$W/adv.out"
fi

echo
[ $type = float32 ] && bar=bar || bar="$type bar"
echo "== summary${lab:+, $type} (ns per element, best of $REPS; x = ns of the peer / ns of autonum-2pass)"
awk -v bar="$bar" '
  $1 == "speed" {
    n = $2; sub(/:.*/, "", n)
    lab = n == 1048576 ? "1M" : n == 16777216 ? "16M" : n
    if ($2 ~ /:/) lab = lab " x" substr($2, index($2, ":") + 1)
    printf "  %-9s 2pass %7.3f  3pass %7.3f (%.2fx)  expf %7.3f (%.2fx)  fastmath %7.3f (%.2fx)\n",
      lab, $3, $4, $4 / $3, $5, $5 / $3, $6, $6 / $3
    all++
    if ($3 < $5) beat_plain++
    if (n == 1048576) { m++; if ($3 < $6) beat_fast++ }
  }
  END {
    printf "  %s: autonum-2pass faster than expf-3pass at every length: %s (%d of %d)\n",
      bar, beat_plain == all ? "yes" : "NO", beat_plain, all
    if (m)
      printf "  %s: autonum-2pass faster than fastmath-3pass on 1M-element vectors: %s (%d of %d 1M rows)\n",
        bar, beat_fast == m ? "yes" : "NO", beat_fast, m
    else
      print "  " bar ": autonum-2pass against fastmath-3pass on 1M-element vectors: not measured (no 1048576 in LENS)"
  }' "$W/speed.out"
echo "  max ULP error${lab:+ (ULPs of $type)}, lengths 2..65536, six distributions (seed $ACC_SEED):"
for f in sm2 sm3; do
  eng=$(sed -n 's/^ \* max ULP error: \([0-9.]*\).*/\1/p' "$W/$f.c")
  [ $f = sm2 ] && n=autonum-2pass || n=autonum-3pass
  awk -v n=$n -v e="$eng" '$1 == "max" && $2 == n { printf "    %-15s %10s   (engine, its own stored vectors: %s)\n", $2, $3, e }' "$W/ulp.out"
done
awk '$1 == "max" && $2 !~ /^autonum/ { printf "    %-15s %10s\n", $2, $3 }' "$W/ulp.out"
awk '$2 == 65536 && NF == 9 { for (i = 4; i <= 7; i++) if ($i > m[i]) m[i] = $i }
  END { printf "    at length 65536: 2pass %.3f, 3pass %.3f, expf %.3f, fastmath %.3f\n", m[4], m[5], m[6], m[7] }' "$W/ulp.out"
awk '$1 == "adversary" { printf "    built from the extremes of the kernel: %s %s ULP\n", $2, $3 }' "$W/adv.out"
