#!/bin/sh
# mulfree.sh -- the multiply-free op set: --ops mulfree parses (alone, with changes, wrongly),
# a search under it keeps every program inside the set and exports C without a multiply,
# divide, fma, square root or libm call; its seeds for a product (Mitchell, L-Mul, the split
# form) and for an exponential (Schraudolph's, corrected) are verified; the mul target's
# default domain holds only products that are normal numbers.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
CC=${CC:-cc}
MULFREE="add sub neg abs min max iadd isub shl shr and or xor asint asfloat lt le select"

# inside FILE: every instruction of program FILE uses an op of the mulfree set.
inside () {
  awk -v ok="$MULFREE" 'BEGIN { n = split(ok, a, " "); for (i = 1; i <= n; i++) set[a[i]] = 1 }
    /^[a-z][a-z0-9_]* = / { if (!($3 in set)) { print "outside the set: " $0; bad = 1 } }
    END { exit bad }' "$1"
}

# kernel_clean FILE.c NAME: the kernel's body has no multiply, division, fma, sqrt or libm
# call, and calls only the bit-moving helpers.
kernel_clean () {
  sed -n "/^an_$2_kernel (/,/^}/p" "$1" | sed 1d >"$T/body"
  [ -s "$T/body" ] || return 1
  ! grep -E '[^/] \* |[^*/]/[^*/]|fma|sqrt|exp|log|ldexp|rint|floor' "$T/body" | grep -v '^#' >"$T/bad" || {
    sed 's/^/# /' "$T/bad"
    return 1
  }
  ! grep -oE 'an_[a-z0-9_]+ \(' "$T/body" | grep -vE '^an_(u32|f32|u64|f64|sar|minf|maxf|fabsf|negf|neg|abs|asint|asfloat|result|sel[a-z0-9_]*|'"$2"'_kernel) \(' \
    >"$T/bad" || {
    sed 's/^/# /' "$T/bad"
    return 1
  }
}

expect_ok "" "--ops mulfree parses" -- "$AN" search --target mul --type fp8e4m3 --ops mulfree --generations 1 --no-db --quiet
expect_ok "" "--ops mulfree,+lut: a preset with changes" -- \
  "$AN" search --target mul --type fp8e4m3 --ops mulfree,+lut,-xor --generations 1 --no-db --quiet
expect_fail 2 "unknown op 'mulfre'" "--ops mulfre: an unknown name is named" -- \
  "$AN" search --target mul --type fp8e4m3 --ops mulfre --generations 1 --no-db
expect_fail 2 "not both" "--ops add,-mul: a list and changes together are refused" -- \
  "$AN" search --target mul --type fp8e4m3 --ops add,-mul --generations 1 --no-db

# The default domain of mul: every product normal (the relative error of an underflowing
# product is up to 1 whatever computes it).
"$AN" targets >"$T/targets"
grep -qE '^mul +2 +x \* y +bfloat16 +\[0x1p-63, 0x1.fep\+63\] x \[0x1p-63, 0x1.fep\+63\]' "$T/targets" \
  && grep -qE '^mul +2 +x \* y +fp8e4m3 +\[0x1p-3, 0x1.4p\+4\]' "$T/targets"
check $? "mul: the default domains hold normal products only (bfloat16 [2^-63, 0x1.fep63], fp8e4m3 [2^-3, 20])"

# fp8e4m3 mul: every pair scored from the start; every member inside the set, exported clean.
"$AN" search --target mul --type fp8e4m3 --ops mulfree --rel 0.2 --population 16 --generations 15 --seed 5 \
  --quiet --no-db --verbose --front-out "$T/front" >"$T/e4m3.out" 2>"$T/err"
check $? "fp8e4m3 mul under --ops mulfree: a search runs"
grep -q '^\*.*verified$' "$T/e4m3.out"
check $? "fp8e4m3 mul: a solution within 20%, verified on every pair"
members=0 good=0 clean=0
for f in "$T"/front/*.anp; do
  members=$((members + 1))
  inside "$f" && good=$((good + 1))
  "$AN" export "$f" --target mul --type fp8e4m3 --rel 0.2 --name m$members -o "$T/m$members.c" 2>"$T/err" \
    && $CC -std=c99 -Wall -Wextra -Werror -O2 -c "$T/m$members.c" -o "$T/m.o" 2>>"$T/err" \
    && kernel_clean "$T/m$members.c" m$members && clean=$((clean + 1))
done
[ "$members" -gt 1 ] && [ "$good" -eq "$members" ]
check $? "fp8e4m3 mul: all $members front members use only mulfree ops ($good)"
[ "$clean" -eq "$members" ]
check $? "fp8e4m3 mul: all $members exported kernels compile and hold no multiply, divide, fma or libm call ($clean)"
sed 's/^/# /' "$T/err" | head -5

# bfloat16 mul on a box of 4 binades: the seeds (Mitchell with a fitted offset, the split
# form) are searched and a member is verified on every one of the 262,144 pairs.
"$AN" search --target mul --type bfloat16 --ops mulfree --rel 0.04 --domain 1:15.9375 --population 16 \
  --generations 8 --seed 2 --no-db --verbose >"$T/bf16.out" 2>"$T/err"
check $? "bfloat16 mul under --ops mulfree: a search runs"
grep -q '^\*.*verified$' "$T/bf16.out" && grep -q 'iadd' "$T/bf16.out" && ! grep -qE '= (mul|fma|div) ' "$T/bf16.out"
check $? "bfloat16 mul: a multiply-free solution within 4%, verified on every pair"
sed 's/^/# /' "$T/err" | head -3

# float32 exp on [1, 10]: Schraudolph's exponential with its significand corrected, within 1%
# from the seed on, verified on every input.
"$AN" search --target exp --ops mulfree --rel 0.01 --domain 1:10 --population 16 --generations 3 --seed 1 \
  --no-db --verbose -o "$T/exp.anp" >"$T/exp.out" 2>"$T/err"
check $? "float32 exp under --ops mulfree: a search runs"
grep -q '^\*.*verified$' "$T/exp.out" && inside "$T/exp.anp"
check $? "float32 exp: a multiply-free solution within 1%, verified on every input"
"$AN" verify "$T/exp.anp" --target exp --domain 1:10 --rel 0.01 >"$T/v.out" 2>"$T/err"
check $? "float32 exp: autonum verify agrees that it is within 1%"
"$AN" export "$T/exp.anp" --target exp --domain 1:10 --rel 0.01 --name mexp -o "$T/mexp.c" 2>"$T/err" \
  && kernel_clean "$T/mexp.c" mexp
check $? "float32 exp: the exported kernel holds no multiply"

# The softmax kernel under --ops mulfree: a short search keeps inside the set, its solution is
# verified on the stored vectors, and the exported kernel (NAME_exp) holds no multiply.
"$AN" search --target softmax --ops mulfree --ulp 1e6 --population 16 --generations 3 --seed 1 \
  --no-db --verbose -o "$T/sm.anp" >"$T/sm.out" 2>"$T/err"
check $? "softmax under --ops mulfree: a search runs"
grep -q '^\*.*vectors 524288$' "$T/sm.out" && inside "$T/sm.anp"
check $? "softmax: a multiply-free kernel within 1e6 ULP, verified on the stored vectors"
"$AN" export "$T/sm.anp" --target softmax --name msm -o "$T/msm.c" 2>"$T/err" && kernel_clean "$T/msm.c" msm_exp
check $? "softmax: the exported kernel holds no multiply"

tap_end
