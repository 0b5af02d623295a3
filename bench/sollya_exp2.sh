#!/bin/sh
# sollya_exp2.sh -- exp2 on [0, 1] in float32, per instruction budget: the max ULP error of
# Sollya's fpminimax polynomial (single-precision coefficients, Horner with fma, d fmas for
# degree d) against the best program on autonum's front within the same number of
# instructions. Every figure is verified on all 1,065,353,217 floats of [0, 1].
# Usage: bench/sollya_exp2.sh [GENERATIONS]   (default 100; needs the Debian package sollya)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
gens=${1:-100}
command -v sollya >/dev/null || { echo "sollya_exp2.sh: needs sollya (apt-get install sollya)" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB
verified_max () { "$build/autonum" verify "$1" --target exp2 --domain 0:1 --ulp 1e30 --quiet | sed -n 's/^max ULP: //p'; }

# Sollya's polynomials, degree 2..6, as autonum programs.
for d in 2 3 4 5 6; do
  printf 'display=hexadecimal;\np=fpminimax(2^x, %d, [|SG...|], [0;1], floating, relative);\nfor i from 0 to %d do print(coeff(p,i));\nquit;\n' \
    "$d" "$d" >"$w/p$d.sollya"
  sollya "$w/p$d.sollya" | grep '^0x\|^-0x' >"$w/c$d"
  {
    echo "in x"
    prev=$(sed -n "$((d + 1))p" "$w/c$d")
    i=$d
    while [ $i -gt 0 ]; do
      c=$(sed -n "${i}p" "$w/c$d")
      echo "h$i = fma $prev x $c"
      prev=h$i
      i=$((i - 1))
    done
    echo "out h1"
  } >"$w/sollya$d.anp"
  echo "$d $(verified_max "$w/sollya$d.anp")" >>"$w/sollya.txt"
done

# autonum's front.
"$build/autonum" search --target exp2 --domain 0:1 --ulp 1 --generations "$gens" --quiet --front-out "$w/front" >/dev/null
for f in "$w"/front/*.anp; do
  n=$(grep -c ' = ' "$f" || true)
  echo "$n $(verified_max "$f")" >>"$w/front.txt"
done

echo "exp2 on [0, 1], float32; max ULP verified on every input; $gens generations"
echo "instructions  sollya-fpminimax  autonum-best  ratio(sollya/autonum)"
while read -r d s; do
  a=$(awk -v b="$d" '$1 <= b { if (best == "" || $2 < best) best = $2 } END { print best }' "$w/front.txt")
  if [ -n "$a" ]; then
    awk -v d="$d" -v s="$s" -v a="$a" 'BEGIN { printf "%12d  %16.4f  %12.4f  %8.2f%s\n", d, s, a, s / a, (a <= s ? "" : "   (Sollya wins)") }'
  else
    printf '%12d  %16.4f  %12s\n' "$d" "$s" "none"
  fi
done <"$w/sollya.txt"
