#!/bin/sh
# bench_cmd.sh -- autonum bench: the program and its baselines are timed and scored on
# the same points; a bad library or symbol is one line and exit 1 (TAP).  No timing is
# asserted: these machines are shared.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
EXP="$top_srcdir/tests/progs/exp_cw.anp"
NUM='[0-9][0-9.e+-]*'

# field ROW COLUMN: a column of a row of the last table (columns: name, loop ns, x, call ns,
# x, ffi ns, x, max ULP).
field () { awk -v r="$1" -v c="$2" '$1 == r { print $c; exit }' "$T/out"; }

expect_ok 'usage: autonum bench' "bench --help" -- "$AN" bench --help

expect_ok "^program  *$NUM" "bench of exp_cw against glibc expf" -- \
  "$AN" bench "$EXP" --baseline libm.so.6:expf --n 4096 --reps 2
grep -q "^libm.so.6:expf  *$NUM  *$NUM  *$NUM  *$NUM  *$NUM  *$NUM  *$NUM$" "$T/out"
check $? "the table has a row for libm.so.6:expf with seven figures"
awk -v r="libm.so.6:expf" '$1 == "program" { for (c = 2; c <= 6; c += 2) p[c] = $c }
  $1 == r { for (c = 2; c <= 6; c += 2) {
      # Both times are printed to 3 decimals, the ratio to 2: allow for those roundings.
      tol = 0.006 + 0.0005 / p[c] * ($c / p[c] + 1)
      if (p[c] <= 0 || (d = $(c + 1) - $c / p[c]) > tol || d < -tol) bad = 1 }
    found = 1 }
  END { exit !(found && !bad) }' "$T/out"
check $? "the baseline's x columns are its ns over the program's ns"
awk -v e="$(field libm.so.6:expf 8)" 'BEGIN { exit !(e != "" && e < 0.51) }'
check $? "glibc expf's sampled error is below 0.51 ULP (got $(field libm.so.6:expf 8))"
awk -v e="$(field program 8)" 'BEGIN { exit !(e != "" && e < 0.9) }'
check $? "exp_cw's sampled error is below its verified 0.8913 ULP (got $(field program 8))"
grep -q 'inputs: timed on 4096 points uniform in value over the domain, errors on 4096 sample points' "$T/out"
check $? "the inputs are stated"

if [ -e /usr/lib/x86_64-linux-gnu/libsleef.so.3 ] || ldconfig -p 2>/dev/null | grep -q libsleef.so.3; then
  expect_ok "^libsleef.so.3:Sleef_expf_u10  *$NUM" "SLEEF as a second baseline" -- \
    "$AN" bench "$EXP" --baseline libm.so.6:expf --baseline libsleef.so.3:Sleef_expf_u10 --n 1024 --reps 1
else
  skip "SLEEF is not installed (apt-get install libsleef-dev)"
fi

# Two arguments: float(float, float).
printf '# autonum 1 target=hypot\nin x y\nv1 = mul x x\nv2 = fma y y v1\nv3 = sqrt v2\nout v3\n' >"$T/hypot.anp"
expect_ok "^libm.so.6:hypotf  *$NUM" "bench of a two-argument program against hypotf" -- \
  "$AN" bench "$T/hypot.anp" --baseline libm.so.6:hypotf --domain -1e10:1e10 --n 2048 --reps 1

expect_fail 1 "libnope.so.9" "a library that does not exist" -- \
  "$AN" bench "$EXP" --baseline libnope.so.9:expf --n 1024
expect_fail 1 "no_such_function" "a symbol the library lacks" -- \
  "$AN" bench "$EXP" --baseline libm.so.6:no_such_function --n 1024
expect_fail 2 "needs LIB:FUNC" "a baseline without a colon" -- "$AN" bench "$EXP" --baseline expf
expect_fail 2 "--n needs an integer" "a bad --n" -- "$AN" bench "$EXP" --n 0
expect_fail 2 "--reps needs an integer" "a bad --reps" -- "$AN" bench "$EXP" --reps x

tap_end
