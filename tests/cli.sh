#!/bin/sh
# cli.sh -- end-to-end tests of the autonum command: normal use and bad input
# (each bad input: one clear line on stderr, a non-zero exit, nothing written).
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"

EXP="$top_srcdir/tests/progs/exp_cw.anp"
printf 'in x\nv1 = mull x x\nout v1\n' >"$T/bad.anp"
printf 'in x y\nv1 = add x y\nout v1\n' >"$T/two.anp"
printf 'in x\nout x\n' >"$T/ident.anp"
printf 'in x\nv1 = exp x\nout v1\n' >"$T/libm.anp"

expect_ok 'autonum [0-9]' "--version" -- "$AN" --version
expect_ok 'usage: autonum COMMAND' "--help" -- "$AN" --help
for c in eval verify export targets; do
  expect_ok "usage: autonum $c" "$c --help" -- "$AN" "$c" --help
done
expect_ok '^exp  *1  *e^x  *float32  *\[-0x1.9fe368p+6, 0x1.62e42ep+6\]' "targets lists exp with its domain" -- "$AN" targets

# Normal use.
expect_ok 'max ULP: 0\.' "eval of the textbook exp" -- "$AN" eval "$EXP"
expect_ok 'sampled: 4096 points (seed 7)' "eval --samples --seed" -- "$AN" eval "$EXP" --samples 4096 --seed 7
expect_ok 'max ULP: 0\.' "eval reads the program from stdin" -- sh -c "\"$AN\" eval - --target exp <\"$EXP\""
expect_ok 'points checked: 8388609' "verify on --domain 1:2 checks every float of [1, 2]" -- \
  "$AN" verify "$EXP" --domain 1:2 --threads 2
expect_ok 'exceeded bound: 0' "verify with --domain in hex" -- "$AN" verify "$EXP" --domain 0x1p-3:0x1.8p-3
expect_ok 'max ULP' "eval of a program calling libm expf" -- "$AN" eval "$T/libm.anp" --target exp
expect_ok 'x \* y' "eval of an arity-2 target" -- "$AN" eval "$T/two.anp" --target mul --samples 1000

# verify exits 1 when the bound is exceeded, and still reports.
"$AN" verify "$T/ident.anp" --target exp --domain 1:1.5 >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'exceeded bound: [1-9]' "$T/out"; then ok "verify exits 1 when inputs exceed the bound"; else notok "verify exits 1 when inputs exceed the bound (exit $rc)"; fi

# Export: a self-contained C99 file that compiles cleanly and states its evidence.
expect_ok '' "export to a file" -- "$AN" export "$EXP" --name fast_expf -o "$T/fast_expf.c"
if grep -q 'sampled: 65536 points' "$T/fast_expf.c" && grep -q '^fast_expf (float x)' "$T/fast_expf.c"; then
  ok "exported file names its function and its (sampled) error"
else
  notok "exported file names its function and its (sampled) error"
fi
CC=${AN_CC:-cc}
if $CC -std=c99 -Wall -Wextra -pedantic -Werror -c "$T/fast_expf.c" -o "$T/fast_expf.o" 2>"$T/err"; then
  ok "exported C compiles with -std=c99 -Wall -Wextra -pedantic -Werror"
else
  notok "exported C compiles with -std=c99 -Wall -Wextra -pedantic -Werror"
  sed 's/^/# /' "$T/err"
fi
expect_ok 'verified: all 8388609 inputs' "export --verify states a verified error" -- \
  sh -c "\"$AN\" export \"$EXP\" --name e --verify --domain 1:2 && true"
expect_ok 'float$' "export without a target still writes C" -- "$AN" export "$T/two.anp" --name add2

# --start: a program of one's own among the seeds.  hypot in double, rounded once, is within
# 1 ULP: with it the front has a solution after one generation of 8; the built-in seeds alone
# have none (checked first, so that the test can fail).
printf 'in x y\nxd = tof64 x\nyd = tof64 y\nyy = mul yd yd\ns = fma xd xd yy\nr = sqrt s\no = tof32 r\nout o\n' >"$T/hyp.anp"
H="--target hypot --generations 1 --population 8 --quiet --json --no-db"
if "$AN" search $H | grep -q '"solution":true'; then
  notok "search without --start: no hypot solution in one generation (the test below would prove nothing)"
else
  expect_ok '"solution":true' "search --start: the given program seeds the run" -- "$AN" search $H --start "$T/hyp.anp"
fi
expect_fail 2 "has 2 inputs but exp takes 1" "search --start with the wrong arity" -- \
  "$AN" search --target exp --start "$T/two.anp" --no-db
expect_fail 2 "uses 'exp', which --ops does not allow (add +exp)" "search --start using an op --ops excludes" -- \
  "$AN" search --target exp --start "$T/libm.anp" --ops add,mul --no-db
expect_fail 1 "cannot read" "search --start with a missing file" -- \
  "$AN" search --target exp --start "$T/nosuch.anp" --no-db

# Search: a short seeded run on a small domain; the front as JSON; the winner saved and re-verified.
expect_ok '"front":\[{"id"' "search --json prints the front" -- \
  "$AN" search --target exp --domain 1:2 --generations 2 --population 8 --seed 3 --quiet --json -o "$T/best.anp"
if [ -f "$T/best.anp" ]; then
  expect_ok 'exceeded bound: 0' "the saved solution re-verifies within the bound" -- "$AN" verify "$T/best.anp"
else
  notok "search -o saved a verified solution"
fi
# The text front: a table with the solutions first and marked, then the best solution's
# text and the command that exports it, which works as printed.
SEARCH="--target exp --domain 1:2 --generations 2 --population 8 --seed 3 --quiet"
"$AN" search $SEARCH --db "$T/text.db" >"$T/front.txt" 2>"$T/err"
check $? "search prints the front as text"
front_rows "$T/front.txt" >"$T/rows"
[ "$(head -n 1 "$T/rows" | cut -d' ' -f1,6)" = "* verified" ] && [ "$(wc -l <"$T/rows")" -ge 3 ]
check $? "the table starts with a solution, marked and verified, then the other members"
front_order_ok "$T/rows"
check $? "solutions by increasing cost, then the others by increasing error"
! grep -q '^  v1 = ' "$T/front.txt" || [ "$(grep -c '^  in x$' "$T/front.txt")" -eq 1 ]
check $? "without --verbose only the best solution's program text is printed"
best=$(head -n 1 "$T/rows" | cut -d' ' -f2)
grep -q "^best solution: program $best, .* verified on all 8388609 inputs$" "$T/front.txt"
check $? "the best solution is the first row, with its verified error"
cmd=$(sed -n 's/^export it: autonum //p' "$T/front.txt")
[ "$cmd" = "export $best --db $T/text.db --verify --name fast_expf -o fast_expf.c" ]
check $? "the export command names the stored id and the database (got: $cmd)"
an=$(cd "$top_builddir" && pwd)/autonum
(cd "$T" && eval "\"\$an\" $cmd" >/dev/null 2>"$T/err") && grep -q 'verified: all 8388609 inputs' "$T/fast_expf.c"
check $? "the printed export command writes the solution's C with its verified error"
"$AN" search $SEARCH --no-db --verbose >"$T/verbose.txt" 2>"$T/err"
[ "$(grep -c '^  in x$' "$T/verbose.txt")" -eq "$(($(front_rows "$T/verbose.txt" | wc -l) + 1))" ] \
  && grep -q '^\* program [0-9]*, .* verified on all' "$T/verbose.txt"
check $? "--verbose prints every member's program, then the best solution's again"
grep -q '^not stored (--no-db): give -o FILE' "$T/verbose.txt"
check $? "without a database the front says how to save the solution"
"$AN" search $SEARCH --no-db -o "$T/saved.anp" >"$T/out" 2>"$T/err" \
  && grep -q "^export it: autonum export $T/saved.anp --verify --name fast_expf" "$T/out"
check $? "with -o FILE the export command names the saved file"
"$AN" search $SEARCH --ulp 0.001 --no-db >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && grep -q '^no solution: no program on this front is verified within 0.001 ULP' "$T/out" \
  && grep -q '^closest: program [0-9]*, ' "$T/out" && ! grep -q '^\*' "$T/out"
check $? "a front without a solution says so and names the closest member"
"$AN" search --target exp --domain 1:2 --generations 2 --population 8 --seed 3 --quiet --json --db "$T/run1.db" >"$T/run1" 2>&1
"$AN" search --target exp --domain 1:2 --generations 2 --population 8 --seed 3 --quiet --json --db "$T/run2.db" >"$T/run2" 2>&1
untimed <"$T/run1" >"$T/run1.u" && untimed <"$T/run2" >"$T/run2.u" && grep -q '"ns_per_element":' "$T/run1" \
  && cmp -s "$T/run1.u" "$T/run2.u"
check $? "the same seed gives the same front (all but the measured times, which JSON has too)"

# Composition: a kernel of another target, from a file or from the database.  Default ops have no
# libm calls, so a front program calling exp can only come from the kernel spliced in.
printf '# autonum 1 target=exp type=float32\nin x\nv1 = tof64 x\nv2 = exp v1\nv3 = tof32 v2\nout v3\n' >"$T/kexp.anp"
K="--target sigmoid --domain 1:2 --generations 1 --population 8 --quiet --verbose --no-db"
if "$AN" search $K | grep -q ' = exp '; then
  notok "search without --kernel: no program calls exp (the test below would prove nothing)"
else
  expect_ok ' = exp ' "search --kernel: the exp kernel composed into a sigmoid (e^x / (1 + e^x))" -- \
    "$AN" search $K --kernel "$T/kexp.anp"
fi
expect_fail 2 "its header names no target" "search --kernel with a program whose header names no target" -- \
  "$AN" search --target sigmoid --kernel "$T/libm.anp" --no-db
printf '# autonum 1 target=exp type=float64\nin x\nv1 = exp x\nout v1\n' >"$T/kexp64.anp"
expect_fail 2 "is a float64 program; the search is of float32" "search --kernel of another type" -- \
  "$AN" search --target sigmoid --kernel "$T/kexp64.anp" --no-db
expect_fail 2 "uses 'exp', which --ops does not allow (add +exp)" "search --kernel using an op --ops excludes" -- \
  "$AN" search --target sigmoid --kernel "$T/kexp.anp" --ops add,mul,div,tof64,tof32 --no-db
cp "$T/run1.db" "$T/kern.db"
"$AN" search --target sigmoid --domain 1:2 --generations 1 --population 8 --db "$T/kern.db" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && grep -q '^kernel: a verified exp program of run 1 ([0-9]* instructions), for composition$' "$T/err"
check $? "a search offers the database's verified programs of other targets as kernels"
front_times "$T/front.txt" >"$T/times"
[ -s "$T/times" ] && ! grep -qv '^[0-9][0-9.]*$' "$T/times"
check $? "every member of the front has its exported C's measured ns per element"
expect_fail 2 "--target is required" "search without a target" -- "$AN" search
expect_fail 2 "unknown op 'mull'" "search --ops with an unknown op" -- "$AN" search --target exp --ops add,mull
expect_fail 2 "--time needs a duration" "search --time with a bad duration" -- "$AN" search --target exp --time 5x
expect_fail 2 "outside" "search on a domain outside the function's" -- "$AN" search --target exp --domain 0:100

# Bad input: one line, non-zero exit.
expect_fail 2 "unknown command 'frobnicate'" "unknown command" -- "$AN" frobnicate
expect_fail 1 "unknown target 'sinq'" "unknown target" -- "$AN" eval "$EXP" --target sinq
expect_fail 2 "unknown type 'float99'" "unknown type" -- "$AN" eval "$EXP" --type float99
expect_fail 2 "not a fp8e4m3 value" "an fp8 domain wider than the type" -- "$AN" eval "$EXP" --type fp8e4m3 --domain -1000:0
expect_fail 2 "needs a finite positive number" "--abs 0 is no bound" -- "$AN" eval "$EXP" --abs 0
expect_fail 2 "needs a finite positive number" "--rel -1 is no bound" -- "$AN" verify "$EXP" --rel -1
expect_fail 2 "give one bound" "--ulp and --rel together" -- "$AN" eval "$EXP" --ulp 1 --rel 1e-6
expect_fail 2 "objective mean applies" "--objective mean with a ULP bound" -- "$AN" eval "$EXP" --objective mean
expect_fail 2 "is max or mean" "--objective median" -- "$AN" eval "$EXP" --rel 1e-3 --objective median
expect_fail 1 "bad.anp:2:6: unknown op 'mull'" "malformed program: file:line:col" -- "$AN" eval "$T/bad.anp" --target exp
expect_fail 2 "outside" "domain outside the function's domain" -- "$AN" eval "$EXP" --domain -200:0
expect_fail 2 "domain" "malformed domain" -- "$AN" eval "$EXP" --domain 1..2
expect_fail 1 "cannot read '$T/nope.anp'" "missing file" -- "$AN" eval "$T/nope.anp" --target exp
expect_fail 1 "has 2 inputs but exp takes 1" "arity mismatch" -- "$AN" eval "$T/two.anp" --target exp
expect_fail 1 "no target" "no target anywhere" -- "$AN" eval "$T/ident.anp"
expect_fail 2 "unknown option" "unknown option" -- "$AN" eval "$EXP" --frob
expect_fail 2 "does not apply" "option of another command" -- "$AN" verify "$EXP" --name f
expect_fail 2 "--threads needs an integer" "bad --threads" -- "$AN" verify "$EXP" --threads zero
expect_fail 2 "--ulp needs" "bad --ulp" -- "$AN" verify "$EXP" --ulp -1
expect_fail 2 "--name NAME is required" "export without --name" -- "$AN" export "$EXP"
expect_fail 2 "not a C identifier" "export with a bad name" -- "$AN" export "$EXP" --name 9lives
expect_fail 1 "cannot write" "export into a missing directory" -- "$AN" export "$EXP" --name f -o "$T/no/such/dir/f.c"
if ls "$T/no" >/dev/null 2>&1; then notok "failed export left files behind"; else ok "failed export left nothing behind"; fi
echo 'precious' >"$T/keep.c"
chmod a-w "$T"
if [ "$(id -u)" != 0 ]; then
  expect_fail 1 "cannot write" "export into a read-only directory" -- "$AN" export "$EXP" --name f -o "$T/keep.c"
  if grep -q precious "$T/keep.c"; then ok "the existing file is untouched"; else notok "the existing file is untouched"; fi
fi
chmod u+w "$T"

tap_end
