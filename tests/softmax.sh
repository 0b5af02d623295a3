#!/bin/sh
# softmax.sh -- the softmax target: its kernel scored as the softmax of whole stored vectors,
# where a constant factor of the kernel cancels and an overflow does not; verify checks every
# stored vector with the exported function itself (the same bits as autonum's scoring) and the
# kernel on every input; export writes the two- and three-pass forms, which compile cleanly and
# compute a softmax; a short search finds a kernel; the errors users make are named.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
CC=${CC:-cc}

# A degree-6 Taylor kernel of e^r (about 2.6 ULP off e^r on |r| <= ln2/2), the same kernel times
# 2 (exact: the softmax outputs must not change by one bit), times 1.375 (not exact: within a
# rounding of them) and times 2^127 (overflows: every vector's result breaks).
kernel () {
  printf 'in x\nv1 = fma x 0x1.6c16c2p-10 0x1.111112p-7\nv2 = fma x v1 0x1.555556p-5\n'
  printf 'v3 = fma x v2 0x1.555556p-3\nv4 = fma x v3 0x1p-1\nv5 = fma x v4 0x1p+0\nv6 = fma x v5 0x1p+0\n'
  if [ -n "${1:-}" ]; then printf 'v7 = mul v6 %s\nout v7\n' "$1"; else printf 'out v6\n'; fi
}
kernel >"$T/k.anp"
# The degree-7 Taylor polynomial of e^r in float64, returning the double: the forms use it
# unrounded (a float kernel's own rounding alone puts some vectors over 2 ULP).
printf 'in x\nd = tof64 x\nv1 = fma d 0x1.a01a01a01a01ap-13 0x1.6c16c16c16c17p-10\nv2 = fma v1 d 0x1.1111111111111p-7\n' >"$T/kw.anp"
printf 'v3 = fma v2 d 0x1.5555555555555p-5\nv4 = fma v3 d 0x1.5555555555555p-3\nv5 = fma v4 d 0x1p-1\n' >>"$T/kw.anp"
printf 'v6 = fma v5 d 0x1p+0\nv7 = fma v6 d 0x1p+0\nout v7\n' >>"$T/kw.anp"
kernel 2.0 >"$T/k2.anp"
kernel 1.375 >"$T/k3.anp"
kernel 0x1p127 >"$T/kbig.anp"

"$AN" targets >"$T/targets"
for y in float32 bfloat16 float16; do
  grep -qE "^softmax +1 .* $y +\[" "$T/targets" || echo "# no $y line" >&2
done
[ "$(grep -cE '^softmax +1 ' "$T/targets")" -eq 3 ]
check $? "targets: softmax for float32, bfloat16 and float16 (its kernel's domain, |r| <= ln2/2)"

expect_ok "elements in [0-9]* softmax vectors" "eval: a kernel is scored on the elements of whole vectors" -- \
  "$AN" eval "$T/k.anp" --target softmax --ulp 8
# The figures of a verify report: the stored vectors' worst, the proven bound for every vector,
# the worst vector built from the kernel's extremes (ULP).
seen_of () { sed -n 's/^max ULP: //p' "$1"; }
bound_of () { sed -n 's/^bound for every vector of up to 2^20 elements.*: \([0-9.]*\) ULP$/\1/p' "$1"; }
built_of () { sed -n 's/^largest, the others where it is least.*: \([0-9.]*\) ULP, the vector {.*}$/\1/p' "$1"; }
same_bits () { grep -q "the same bits as autonum's scoring on every element" "$1"; }
if [ -n "${AUTONUM_QUICK:-}" ]; then
  # The sanitizer build: the float32 kernel's 2^31 inputs take too long there (bfloat16 below).
  for i in 1 2 3 4 5 6 7 8 9; do skip "float32 verify (AUTONUM_QUICK)"; done
else
  "$AN" verify "$T/k.anp" --target softmax --ulp 8 >"$T/v1" 2>"$T/err"
  check $? "verify: the Taylor kernel is within 8 ULP on every stored vector"
  same_bits "$T/v1"
  check $? "verify: the exported softmax function, compiled, gives the engine's bits on every element"
  grep -qE "^kernel against e\^r: relative error in \[.*\], a spread of [0-9.]+ 2\^-24 of c .* on every one of the 2103641138 inputs r of its domain" "$T/v1"
  check $? "verify: the kernel against e^r on every float32 input of its domain"
  # The proven bound for every vector is above what any stored vector shows.
  bound=$(bound_of "$T/v1") seen=$(seen_of "$T/v1")
  echo "# stored vectors: $seen ULP; proven for every vector: $bound ULP"
  awk -v b="$bound" -v s="$seen" 'BEGIN { exit !(b != "" && s != "" && s + 0 <= b + 0 && b + 0 < 100) }'
  check $? "verify: the bound for every vector ($bound ULP) holds on the stored vectors ($seen ULP)"
  # The worst vector built from the kernel's extremes lies between the stored vectors' and the bound.
  built=$(built_of "$T/v1")
  echo "# built from the kernel's extremes: $built ULP"
  awk -v b="$bound" -v s="$seen" -v w="$built" 'BEGIN { exit !(w != "" && w + 0 >= s + 0 && w + 0 <= b + 0) }'
  check $? "verify: the vector built from the kernel's extremes ($built ULP) is worse than the stored ones, within the bound"
  expect_ok "same bits" "verify --softmax-form three-pass: the three-pass function gives the engine's bits too" -- \
    "$AN" verify "$T/k.anp" --target softmax --ulp 8 --softmax-form three-pass
  # The float64 kernel: within 2 ULP on every stored vector and on the built ones (exit 0),
  # the exported function's bits, and a proven bound below 2 ULP for every vector.
  "$AN" verify "$T/kw.anp" --target softmax --ulp 2 >"$T/vw" 2>"$T/err"
  check $? "verify: the float64 kernel is within 2 ULP on every stored vector and the built ones"
  same_bits "$T/vw"
  check $? "verify: the exported softmax with the float64 kernel gives the engine's bits"
  bound=$(bound_of "$T/vw")
  echo "# float64 kernel: stored vectors $(seen_of "$T/vw") ULP, built $(built_of "$T/vw"); proven for every vector: $bound ULP"
  awk -v b="$bound" -v s="$(seen_of "$T/vw")" 'BEGIN { exit !(b != "" && s + 0 <= b + 0 && b + 0 < 2) }'
  check $? "verify: the float64 kernel's bound for every vector ($bound ULP) is below 2 ULP"
fi

# A constant factor cancels: times 2 changes no output; times 1.375 changes them by roundings only.
maxulp () { "$AN" eval "$1" --target softmax --ulp 100 | sed -n 's/^max ULP: //p'; }
a=$(maxulp "$T/k.anp") b=$(maxulp "$T/k2.anp") c=$(maxulp "$T/k3.anp")
echo "# max ULP on 65536 sampled elements: kernel $a, times 2 $b, times 1.375 $c"
[ -n "$a" ] && [ "$a" = "$b" ]
check $? "a kernel times 2 scores exactly the same ($a ULP): a constant factor is not penalised"
awk -v a="$a" -v c="$c" 'BEGIN { exit !(a != "" && c < a + 1 && c > a - 1) }'
check $? "a kernel times 1.375 scores within 1 ULP of it ($c against $a): not 37.5% off"
"$AN" eval "$T/kbig.anp" --target softmax --ulp 100 >"$T/vbig" 2>&1
grep -qE "^max ULP: (inf|[0-9.e+]{6,})" "$T/vbig"
check $? "a kernel that overflows (times 2^127) gets an infinite error"

# Export: both forms compile without a warning and compute a softmax.
cat >"$T/main.c" <<'EOC'
#include <math.h>
#include <stdio.h>
#include <string.h>
#define AN_LINKAGE static inline
#include "sm.c"
int
main (void)
{
  float x[1000], y[1000];
  for (int i = 0; i < 1000; i++)
    x[i] = (float) (3 * sin (i * 0.7));
  x[999] = -1e30f;
  SM (x, y, 1000);
  double s = 0, e = 0;
  for (int i = 0; i < 1000; i++)
    s += y[i];
  for (int i = 0; i < 1000; i++)
    e += exp ((double) x[i] - 3);
  int bad = fabs (s - 1) > 1e-5 || y[999] != 0;
  for (int i = 0; i < 999; i++)
    bad |= fabs (y[i] / (exp ((double) x[i] - 3) / e) - 1) > 1e-5;
  /* A NaN makes every output NaN; values past 512 take the shifted path.  */
  x[5] = NAN;
  SM (x, y, 1000);
  bad |= !isnan (y[0]);
  x[5] = 1e6f;
  SM (x, y, 1000);
  bad |= y[5] != 1 || y[0] != 0;
  /* In place (y = x) gives the bits of y apart from x on every path: all |x| small (the
     two-pass form's fast path), one at 100 (past its bound, about 85 for this kernel), one
     at 1e6 (shifted).  */
  static const float one[3] = {0, 100, 1e6f};
  for (int k = 0; k < 3; k++)
    {
      static float z[1000];
      for (int i = 0; i < 1000; i++)
        x[i] = (float) (3 * sin (i * 0.7));
      x[7] += one[k];
      SM (x, y, 1000);
      memcpy (z, x, sizeof z);
      SM (z, z, 1000);
      bad |= memcmp (y, z, sizeof z) != 0 || !(y[7] > 0);
    }
  printf ("sum %.9g\n", s);
  return bad;
}
EOC
for k in k kw; do
  for form in two-pass three-pass; do
    "$AN" export "$T/$k.anp" --target softmax --name my_softmax --softmax-form $form -o "$T/sm.c" 2>"$T/err" \
      && grep -q "^my_softmax (const float \*an_x, float \*an_y, size_t an_n)" "$T/sm.c" \
      && $CC -std=c99 -O2 -Wall -Wextra -Werror -DSM=my_softmax -I"$T" -o "$T/main" "$T/main.c" -lm 2>"$T/cc" \
      && "$T/main" >"$T/run"
    check $? "export $k.anp --softmax-form $form: compiles with -Wall -Wextra -Werror, computes a softmax, the same in place"
    sed 's/^/# /' "$T/cc" "$T/err"
  done
done
"$AN" export "$T/kw.anp" --target softmax --name sw -o "$T/sw.c" && grep -q "an_fast = " "$T/sw.c" \
  && grep -q "^an_sw_exp_kernel (" "$T/sw.c" && grep -q "^AN_KERNEL double$" "$T/sw.c" && ! grep -q "pass_fstore" "$T/sw.c"
check $? "export: the float64 kernel returns a double, which the fast path sums unrounded (nothing stored in y)"

# bfloat16: the kernel in bfloat16 arithmetic, every stored vector with the exported function.
printf 'in x\nv1 = fma x 0x1.56p-3 0x1p-1\nv2 = fma x v1 0x1p+0\nv3 = fma x v2 0x1p+0\nout v3\n' >"$T/kb.anp"
"$AN" verify "$T/kb.anp" --target softmax --type bfloat16 --ulp 100 >"$T/vb" 2>&1 && grep -q "same bits" "$T/vb"
check $? "bfloat16: verify runs the exported 16-bit softmax, the engine's bits on every element"
grep -qE "^largest, the others where it is least, or the reverse; lengths 2 to 2\^20\): [0-9.]+ ULP, the vector \{.*x [0-9]+\}$" "$T/vb"
check $? "bfloat16: verify builds the worst vectors from the kernel's extremes"
# A kernel whose range admits 0 (k(r) = 2r + 0.2): no fast path in its export (k(r) 2^n could
# underflow), and still the engine's bits.
printf 'in x\nv1 = fma x 0x1p+1 0x1.98p-3\nout v1\n' >"$T/kz.anp"
"$AN" export "$T/kz.anp" --target softmax --type bfloat16 --name sz -o "$T/sz.c" && ! grep -q "an_fast" "$T/sz.c" \
  && "$AN" verify "$T/kz.anp" --target softmax --type bfloat16 --ulp 1e30 2>&1 | grep -q "same bits"
check $? "bfloat16: a kernel that may be 0 gets no fast path, and the engine's bits"
# A bfloat16 kernel returning a double: the forms use it unrounded, and so does the exported C.
"$AN" verify "$T/kw.anp" --target softmax --type bfloat16 --ulp 100 >"$T/vbw" 2>&1 && grep -q "same bits" "$T/vbw"
check $? "bfloat16: a float64 kernel, unrounded in the forms, gives the engine's bits in the exported C"
a=$(seen_of "$T/vb") b=$(seen_of "$T/vbw")
echo "# bfloat16: the float kernel $a ULP, the float64 one $b ULP"
awk -v a="$a" -v b="$b" 'BEGIN { exit !(a != "" && b != "" && b + 0 < 1 && b + 0 < a + 0) }'
check $? "bfloat16: the unrounded float64 kernel is within 1 ULP ($b), better than the 3-fma float kernel ($a)"
# float16: the passes convert with the generic code compilers vectorise (F16C's one-value
# instructions kept gcc from vectorising them), the scalar kernel with F16C; the same bits.
"$AN" export "$T/kw.anp" --target softmax --type float16 --name sh -o "$T/sh.c" \
  && ! sed -n '/an_sh_pass_max/,$p' "$T/sh.c" | grep -q "an_f16_in (\|an_f16_out (" \
  && sed -n '/an_sh_pass_max/,$p' "$T/sh.c" | grep -q "an_f16_decode (" \
  && grep -q "^  return (uint16_t) an_f16_out (" "$T/sh.c" \
  && "$AN" verify "$T/kw.anp" --target softmax --type float16 --ulp 100 2>&1 | grep -q "same bits"
check $? "float16: the softmax passes convert with an_f16_decode/encode (vectorised), the engine's bits"
"$AN" export "$T/k.anp" --target softmax --name my_softmax -o "$T/sm2.c" && grep -q "an_fast = " "$T/sm2.c"
check $? "export: the Taylor kernel gets the fast path (its test of every |x| against T)"
# A bound between the stored vectors' worst and the built vector's: the built vector is a
# counterexample, and verify says so with exit status 1.
stored=$(seen_of "$T/vb") built=$(built_of "$T/vb")
mid=$(awk -v s="$stored" -v b="$built" 'BEGIN { if (s != "" && b != "" && b > s + 0.1) printf "%.3f", (s + b) / 2 }')
echo "# bfloat16 kernel: stored vectors $stored ULP, built vector $built ULP"
if [ -n "$mid" ]; then
  "$AN" verify "$T/kb.anp" --target softmax --type bfloat16 --ulp "$mid" >"$T/vm" 2>&1
  [ $? -eq 1 ] && grep -q "^over the bound: that vector's .* exceeds $mid ULP" "$T/vm" && grep -q "^exceeded bound: 0 of" "$T/vm"
  check $? "verify --ulp $mid: every stored vector is within, the built one is not: exit 1, said in a line"
else
  notok "the bfloat16 kernel's built vector ($built ULP) should be worse than its stored vectors ($stored ULP)"
fi
"$AN" verify "$T/kb.anp" --target softmax --type bfloat16 --ulp 0.25 >/dev/null 2>&1
[ $? -eq 1 ]
check $? "verify: exit status 1 where some output is over the bound"

# A short search finds a kernel, verified on the stored vectors, and resumes.
"$AN" search --target softmax --ulp 3 --population 24 --generations 12 --seed 3 --quiet >"$T/s1" 2>"$T/err"
check $? "search --target softmax runs"
grep -q "verified on the stored vectors" "$T/s1"
check $? "search: its best kernel is verified on the stored vectors"
sed 's/^/# /' "$T/err"

expect_fail 2 "no domain for type float64" "softmax in float64 is refused with one line" -- \
  "$AN" eval "$T/k.anp" --target softmax --type float64
expect_fail 2 "softmax target only" "--softmax-form on another target is refused" -- \
  "$AN" verify "$T/k.anp" --target exp --softmax-form three-pass
expect_fail 2 "two-pass or three-pass" "--softmax-form with an unknown form is refused" -- \
  "$AN" export "$T/k.anp" --target softmax --name f --softmax-form one-pass
tap_end
