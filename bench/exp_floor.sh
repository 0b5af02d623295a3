#!/bin/sh
# exp_floor.sh -- why the cheapest float32 exp within 1 ULP has the textbook's 12 instructions:
# the smallest error a polynomial of each degree can reach on the Cody-Waite interval
# (Sollya, certified), and the best 11-instruction program found, verified on every input.
# Usage: bench/exp_floor.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
echo "e^r on [-ln2/2, ln2/2], best polynomial of each degree (bench/exp_floor.sollya):"
sollya <"$top/bench/exp_floor.sollya" | sed -n 's/^degree/  degree/p'
cat <<'TXT'
In ULP of the result that is at least the relative error times 2^23.  A program within 1 ULP
also pays about 0.82 ULP of rounding (the last fma 0.5, r about 0.17, the Horner step before
it about 0.15), which leaves under 0.2 ULP for the polynomial: degree 6 (0.03 * 2^-24) fits,
degree 5 (1.26 * 2^-24, at least 0.63 ULP) does not.  Reduction and reconstruction take 6
instructions (log2(e) multiply, rint, two Cody-Waite fma, toint, ldexp), so 11 instructions
leave 5 for e^r: a degree-5 Horner chain, or one of the few 5-fma shapes that reach degree 6
(squares of cubics and quartics), which lose to rounding.  The best of those:
TXT
"$build/autonum" verify "$top/bench/progs/exp11.anp" | sed 's/^/  /' || true
