#!/bin/sh
# fpcore.sh -- targets typed as FPCore, end to end: search, the stored run (runs, front, show),
# resume, export and verify with the expression carried in the program's header, FILE:NAME,
# the built-in FPCore targets, and one-line errors for malformed or unresolvable expressions.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
CC=${CC:-cc}
SHORT="--population 16 --generations 6 --quiet --seed 5"
EXPR='(FPCore (x) :name "xsq1" :pre (<= 1 x 2) (* x (+ x 1)))'

"$AN" search --target "$EXPR" $SHORT >"$T/s1" 2>"$T/err"
check $? "search on an FPCore text runs"
grep -q '^\*' "$T/s1"
check $? "x (x + 1) on [1, 2]: a solution, verified"
run=$("$AN" runs | awk 'NR > 1 { id = $1 } END { print id }')
"$AN" runs >"$T/runs"
grep -q "xsq1" "$T/runs"
check $? "runs shows the expression's :name"
"$AN" front "$run" >"$T/front"
check $? "front of the FPCore run"
best=$(awk '/^\*/ { print $2; exit }' "$T/front")
"$AN" show "$best" >"$T/show"
check $? "show a program of the FPCore run"

# The same expression typed differently is the same target: the run resumes and goes on.
"$AN" search --resume "$run" --generations 8 --quiet >"$T/s2" 2>"$T/err"
check $? "resume an FPCore run (the stored text is all it needs)"

# export: the header carries the expression; verify and export work from the file alone.
"$AN" export "$best" --name xsq1 -o "$T/xsq1.c" 2>"$T/err"
check $? "export a program of an FPCore run"
$CC -std=c99 -Wall -Wextra -Werror -O2 -c "$T/xsq1.c" -o "$T/x.o" 2>"$T/cc"
check $? "the exported C compiles without a warning"
"$AN" search --target "$EXPR" $SHORT -o "$T/best.anp" --no-db >/dev/null 2>&1
head -1 "$T/best.anp" | grep -qF 'target=(FPCore (x) :name "xsq1" :pre (<= 1 x 2) (* x (+ x 1)))'
check $? "a saved program's header carries the canonical FPCore text"
expect_ok "verified" "verify a saved program of an FPCore target (every input, Arb where double cannot decide)" -- \
  "$AN" verify "$T/best.anp"

# FILE:NAME, and an expression the engine has never seen, scored against an independent check:
# the program computes (x + 1)^2 - 1 = x (x + 2), the target x^2 + 2x.
cat >"$T/m.fpcore" <<'EOF'
; two FPCores; FILE:NAME picks one
(FPCore (x) :name "other" (exp x))
(FPCore (x) :name "poly" :pre (and (<= 0.5 x) (<= x 1)) (+ (* x x) (* 2 x)))
EOF
printf 'in x\nt = add x 1\nu = mul t t\nr = sub u 1\nout r\n' >"$T/p.anp"
"$AN" verify "$T/p.anp" --target "$T/m.fpcore:poly" --ulp 3 >"$T/v" 2>"$T/err"
check $? "verify against FILE:NAME"
max=$(sed -n 's/^max ULP: \([0-9.e+-]*\)$/\1/p' "$T/v" | head -1)
# Independent of autonum's references: x (x + 2) in double is exact for float32 x in [0.5, 1]
# (at most 49 bits), so a plain C loop recomputes every input's error.
cat >"$T/ind.c" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <string.h>
int main (void)
{
  double worst = 0;
  for (float x = 0.5f; x <= 1.0f; x = nextafterf (x, 2))
    {
      float t = x + 1, u = t * t, r = u - 1;
      double f = (double) x * ((double) x + 2);   /* exact */
      int e;
      frexp (f, &e);
      double ulp = ldexp (1, e - 24), err = fabs ((double) r - f) / ulp;
      worst = err > worst ? err : worst;
    }
  printf ("%.6f\n", worst);
  return 0;
}
EOF
if $CC -O1 -ffp-contract=off "$T/ind.c" -o "$T/ind" -lm 2>/dev/null; then
  ind=$("$T/ind")
  awk -v a="$max" -v b="$ind" 'BEGIN { d = a - b; exit !(a != "" && d < 1e-5 && d > -1e-5) }'
  check $? "FILE:NAME: verified max $max ULP equals an independent computation ($ind)"
else
  skip "no C compiler for the independent check"
fi

# Built-in FPCore targets: listed with their texts; a short search of each kind runs.
"$AN" targets >"$T/targets"
grep -q '^gelu .*(FPCore (x) :name "gelu"' "$T/targets"
check $? "targets prints gelu's FPCore text"
"$AN" search --target sigmoid --type bfloat16 $SHORT --no-db >"$T/sig" 2>"$T/err"
check $? "bfloat16 sigmoid: a search runs (every input scored against Arb)"

# Errors: one line, non-zero exit, nothing stored.
before=$("$AN" runs | wc -l)
expect_fail 1 "FPCore: '(' is never closed (line 1, column 1)" "an unclosed FPCore" -- \
  "$AN" search --target '(FPCore (x) (log x)' $SHORT
expect_fail 1 "unsupported operation 'while'" "an unsupported construct" -- \
  "$AN" search --target '(FPCore (x) (while TRUE ([y 0 1]) y))' $SHORT
expect_fail 1 ":pre does not bound 'x' from above" "a precondition that leaves x unbounded" -- \
  "$AN" search --target '(FPCore (x) :pre (<= 1 x) (log x))' $SHORT
expect_fail 1 "does not resolve at" "log on [-2, 2]: the reference names a point where it is not real" -- \
  "$AN" search --target '(FPCore (x) :pre (<= -2 x 2) (log x))' $SHORT
expect_fail 1 "no FPCore named 'nope'" "FILE:NAME with no such name" -- \
  "$AN" search --target "$T/m.fpcore:nope" $SHORT
expect_fail 1 "unknown target 'nosuch'" "an unknown name" -- \
  "$AN" search --target nosuch $SHORT
after=$("$AN" runs | wc -l)
[ "$before" -eq "$after" ]
check $? "failed searches stored nothing"

tap_end
