#!/bin/sh
# types.sh -- a short search per type, end to end: bfloat16 and float16 exp scored on every
# input from the start, fp8 (every pair of a two-argument target), float64 sampled +
# searched (never "verified"), float32 with an absolute bound on the mean, mixed precision;
# the JSON, the store, verify and export of each; exported C compiled with the C compiler.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
CC=${CC:-cc}
SHORT="--population 16 --generations 5 --quiet --seed 3"

# json_has FILE PATTERN...: every fixed-string PATTERN occurs in FILE.
json_has () {
  f=$1
  shift
  for p in "$@"; do grep -qF -- "$p" "$f" || return 1; done
}

# near A B: the numbers agree to the 6 digits the JSON prints.
near () { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && b != "" && (d < 0 ? -d : d) <= 1e-5 * (b < 0 ? -b : b)) }'; }

# compiles FILE.c NAME SIGNATURE: the exported file compiles without a warning and declares SIGNATURE.
compiles () {
  $CC -std=c99 -Wall -Wextra -Werror -O2 -c "$1" -o "$T/x.o" 2>"$T/cc" && grep -qF -- "$3" "$1"
}

# bfloat16: every input scored from the first generation, members verified, stored.
"$AN" search --target exp --type bfloat16 $SHORT --json >"$T/bf16.json" 2>"$T/err"
check $? "bfloat16 exp: a search runs"
json_has "$T/bf16.json" '"type":"bfloat16"' '"metric":"ULP"' '"evidence":"verified"' '"points":34156'
check $? "bfloat16 exp: members verified on all 34156 inputs of the domain"
grep -qF '"evidence":"sampled"' "$T/bf16.json"
check $((!$?)) "bfloat16 exp: no member merely sampled"
"$AN" front --json | untimed >"$T/bf16.front"
untimed <"$T/bf16.json" | cmp -s - "$T/bf16.front"
check $? "bfloat16 exp: the stored front is the one printed"
id=$(sed 's/.*"front":\[{"id":\([0-9]*\).*/\1/' "$T/bf16.json")
"$AN" export "$id" --name exp_bf16 --verify --quiet -o "$T/exp_bf16.c" 2>"$T/err"
check $? "bfloat16 exp: export --verify of program $id"
compiles "$T/exp_bf16.c" exp_bf16 "uint16_t exp_bf16 (uint16_t x)" && grep -q "bfloat16 values are 16-bit patterns" "$T/exp_bf16.c" \
  && grep -qF "exp_bf16_array (const uint16_t *x, uint16_t *an_y, size_t an_n)" "$T/exp_bf16.c" \
  && grep -q "verified: all 34156 inputs" "$T/exp_bf16.c"
check $? "bfloat16 exp: the C compiles, takes and returns bit patterns, states the encoding and the evidence"
sed 's/^/# /' "$T/cc"

# float16 with float64 allowed inside: seeds of both widths; _Float16 form where the compiler has it.
"$AN" search --target exp --type float16 --ops +tof64 $SHORT --verbose --no-db >"$T/f16.out" 2>"$T/err"
check $? "float16 exp with --ops +tof64: a search runs"
grep -q "tof64" "$T/f16.out" && grep -q "verified" "$T/f16.out"
check $? "float16 exp: the front holds programs with a float64 body, verified on every input"
# Every "verified" figure of the front is the program's own (never a cached score of a program
# equal on the probes only): autonum verify of each member agrees to the printed digits.
"$AN" search --target exp --type float16 --ops +tof64 $SHORT --db "$T/f16.db" --json >"$T/f16.json" 2>"$T/err"
# (Not n: that is lib.sh's test counter.)
agree=0 members=0
for id in $(tr '{' '\n' <"$T/f16.json" | sed -n 's/^"id":\([0-9]*\),.*"max_ulp":\([0-9.e+-]*\),"verified":true.*/\1:\2/p'); do
  got=$("$AN" verify "${id%%:*}" --db "$T/f16.db" 2>/dev/null | sed -n 's/^max ULP: //p')
  members=$((members + 1))
  near "$got" "${id#*:}" && agree=$((agree + 1))
done
[ "$members" -gt 3 ] && [ "$agree" -eq "$members" ]
check $? "float16 exp: autonum verify agrees with each of the $members verified front members ($agree agree)"
printf 'in x\nv1 = tof64 x\nv2 = mul v1 0x1.0000000001p+0\nout v2\n' >"$T/f16.anp"
"$AN" export "$T/f16.anp" --name scale_f16 --target exp --type float16 --samples 16 -o "$T/scale_f16.c" 2>"$T/err"
compiles "$T/scale_f16.c" scale_f16 "uint16_t scale_f16 (uint16_t x)" && grep -q "an_round_odd32" "$T/scale_f16.c" \
  && grep -qF "_Float16 scale_f16_h (_Float16 x)" "$T/scale_f16.c"
check $? "float16: a float64 result is exported rounded once (through float32 rounded to odd), with a _Float16 form"

# fp8: a two-argument target on every pair of its natural domain (the default is the box of
# normal products, which never saturate).
"$AN" search --target mul --type fp8e4m3 --domain -448:448 $SHORT --json --no-db >"$T/e4m3.json" 2>"$T/err"
json_has "$T/e4m3.json" '"type":"fp8e4m3"' '"max_ulp":0.5,' '"evidence":"verified","points":64516,"solution":true'
check $? "fp8e4m3 mul: the product rounded once is a solution, verified on all 64516 pairs (saturation scored as correct)"
"$AN" search --target exp --type fp8e5m2 $SHORT --no-db >"$T/e5m2.out" 2>"$T/err"
grep -q "verified on all 148 inputs" "$T/e5m2.out"
check $? "fp8e5m2 exp: a solution verified on all 148 inputs of the domain"

# float64: sampled + searched, never verified; relative error.
"$AN" search --target exp2 --type float64 --domain 0:1 --rel 1e-9 $SHORT --json >"$T/f64.json" 2>"$T/err"
json_has "$T/f64.json" '"type":"float64"' '"metric":"rel"' '"objective":"max"' '"max_rel":' '"max_ulp":'
check $? "float64 exp2 --rel: the JSON reports max_rel and the ULP figure beside it"
grep -qF '"verified":true' "$T/f64.json"
check $((!$?)) "float64: no member is called verified"
printf '# autonum 1 target=exp2 type=float64 domain=0:1\nin x\nv1 = fma x 0x1.62e42fefa39efp-1 1\nout v1\n' >"$T/lin.anp"
"$AN" verify "$T/lin.anp" --rel 0.2 --quiet >"$T/out" 2>"$T/err"
check $? "float64 verify within a loose bound exits 0"
grep -q "^sampled + searched: [0-9]* points" "$T/out" && grep -q "^max rel: " "$T/out" && ! grep -q "^verified" "$T/out"
check $? "float64 verify says sampled + searched, with the relative error"
"$AN" export "$T/lin.anp" --name lin64 --verify --rel 0.2 --quiet -o "$T/lin64.c" 2>"$T/err"
compiles "$T/lin64.c" lin64 "double lin64 (double x)" && grep -q "sampled + searched: [0-9]* points; not every input" "$T/lin64.c" \
  && grep -q "max rel error" "$T/lin64.c"
check $? "float64 export: double NAME (double), the header says sampled + searched"

# float32, an absolute bound on the mean error.
"$AN" search --target exp2 --domain 0:1 --abs 1e-4 --objective mean $SHORT --json >"$T/abs.json" 2>"$T/err"
json_has "$T/abs.json" '"metric":"abs"' '"objective":"mean"' '"mean_abs":'
check $? "float32 exp2 --abs --objective mean: the JSON reports mean_abs"
"$AN" runs >"$T/runs" 2>"$T/err"
grep -q "exp2  *float32  *mean abs 0.0001" "$T/runs" && grep -q "exp2  *float64  *rel 1e-09" "$T/runs"
check $? "runs lists each run's metric, objective and bound"
run=$(sed 's/^{"run":\([0-9]*\).*/\1/' "$T/abs.json")
"$AN" search --resume "$run" --generations 7 --quiet --json >"$T/resumed.json" 2>"$T/err"
json_has "$T/resumed.json" '"metric":"abs"' '"objective":"mean"' '"generations":7'
check $? "a resumed run keeps its metric and objective"

tap_end
