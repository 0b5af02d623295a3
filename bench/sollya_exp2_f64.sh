#!/bin/sh
# sollya_exp2_f64.sh -- exp2 on [0, 1] in float64 with a relative bound, per instruction budget
# 4..20: the max relative error of Sollya's fpminimax polynomial (double coefficients, Horner
# with fma, d fmas for degree d) against the best program on autonum's front within the same
# number of instructions.  float64 has too many inputs to check them all: every figure, Sollya's
# and autonum's alike, comes from the same 'autonum verify' run (sampled + searched).
# Usage: bench/sollya_exp2_f64.sh [GENERATIONS]   (default 100; needs the Debian package sollya)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
gens=${1:-100}
command -v sollya >/dev/null || { echo "sollya_exp2_f64.sh: needs sollya (apt-get install sollya)" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
AUTONUM_DB=$w/bench.db   # runs are stored (as a user's would be), but not in the caller's directory
export AUTONUM_DB

fail () { echo "sollya_exp2_f64.sh: $*" >&2; exit 1; }

# Prints "REL ULP POINTS": PROGRAM's max relative error, max ULP error and how many points
# autonum verify checked.  Its exit status 1 only says an error exceeded the 1e30 bound (an
# infinite one); anything else, or a figure missing from its output, stops the benchmark.
measured () {
  st=0
  "$build/autonum" verify "$1" --target exp2 --type float64 --domain 0:1 --rel 1e30 --quiet \
    >"$w/verify.out" 2>&1 || st=$?
  rel=$(sed -n 's/^max rel: *//p' "$w/verify.out")
  ulp=$(sed -n 's/^max ULP: *//p' "$w/verify.out")
  pts=$(sed -n 's/^points checked: *//p' "$w/verify.out")
  for v in "$rel" "$ulp" "$pts"; do
    case $v in
      '' | *[!0-9A-Za-z.+-]*) st=99 ;;
    esac
  done
  if [ "$st" -gt 1 ]; then
    cat "$w/verify.out" >&2
    fail "autonum verify $1: exit status $st, or no single 'max rel', 'max ULP', 'points checked'"
  fi
  echo "$rel $ulp $pts"
}

# Sollya's polynomials, degree 4..20, as autonum programs: coefficient i on line i + 1 of c$d.
d=4
while [ $d -le 20 ]; do
  printf 'display=hexadecimal;\np=fpminimax(2^x, %d, [|D...|], [0;1], floating, relative);\nfor i from 0 to %d do print("c", coeff(p,i));\nquit;\n' \
    "$d" "$d" >"$w/p$d.sollya"
  sollya "$w/p$d.sollya" >"$w/p$d.out" 2>&1 || { cat "$w/p$d.out" >&2; fail "sollya failed on degree $d"; }
  sed -n 's/^c //p' "$w/p$d.out" >"$w/c$d"
  n=$(grep -c -E '^-?(0|0x[0-9a-f]+(\.[0-9a-f]*)?p[-+]?[0-9]+)$' "$w/c$d" || true)
  [ "$n" -eq $((d + 1)) ] || { cat "$w/p$d.out" >&2; fail "degree $d: expected $((d + 1)) hex coefficients from sollya, got $n"; }
  {
    echo "# autonum 1 type=float64"
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
  { printf '%s ' "$d"; measured "$w/sollya$d.anp"; } >>"$w/sollya.txt"
  d=$((d + 1))
done

# autonum's front.  --time lifts the default 10-minute limit, so GENERATIONS is the stop rule
# and the front is the same on every machine (for a given thread count).
"$build/autonum" search --target exp2 --type float64 --domain 0:1 --rel 0x1p-52 --generations "$gens" \
  --time 48h --quiet --front-out "$w/front" >/dev/null
for f in "$w"/front/*.anp; do
  [ -e "$f" ] || fail "autonum search wrote no front member to $w/front"
  n=$(grep -c ' = ' "$f" || true)
  { printf '%s ' "$n"; measured "$f"; } >>"$w/front.txt"
done

# sollya.txt, front.txt: "INSTRUCTIONS REL ULP POINTS" per program.  REL or ULP may be inf or
# nan; rank such a figure as infinite (gawk, unlike mawk, reads the string "inf" as 0).
points=$(cat "$w/sollya.txt" "$w/front.txt" | awk '
  NR == 1 || $4 < lo { lo = $4 } NR == 1 || $4 > hi { hi = $4 } END { print (lo == hi ? lo : lo "-" hi) }')
echo "exp2 on [0, 1], float64, --rel; $gens generations (bound 2^-52 rel); $(wc -l <"$w/front.txt") front members"
echo "Every figure is 'sampled + searched' by autonum verify: max error over stratified samples of"
echo "[0, 1] plus a local search over input bits around the worst ones ($points points per program),"
echo "not over every double of [0, 1], so it is a lower bound on the true max error."
echo "autonum: the front member with the smallest max rel error within the budget; ULP: the same programs'."
echo "ratio = sollya rel / autonum rel (> 1: autonum is more accurate)."
printf '%6s  %14s  %14s  %9s  %7s  %12s  %12s\n' \
  instr sollya-rel autonum-rel ratio winner sollya-ULP autonum-ULP
while read -r d s_rel s_ulp _; do
  awk -v b="$d" -v s_rel="$s_rel" -v s_ulp="$s_ulp" '
    function num(v) { return v ~ /^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/ ? v + 0 : 1e308 * 10 }
    $1 <= b && (best == "" || num($2) < num(best)) { best = $2; best_ulp = $3 }
    END {
      if (best == "") {
        printf "%6d  %14s  %14s  %9s  %7s  %12s  %12s\n", b, s_rel, "none", "", "", s_ulp, ""
        exit
      }
      a = num(best); s = num(s_rel)
      winner = a < s ? "autonum" : s < a ? "Sollya" : "tie"
      ratio = a > 0 && a < 1e308 * 10 && s < 1e308 * 10 ? sprintf("%.4g", s / a) : "-"
      printf "%6d  %14.6g  %14.6g  %9s  %7s  %12.4g  %12.4g\n", b, s, a, ratio, winner, num(s_ulp), num(best_ulp)
    }' "$w/front.txt"
done <"$w/sollya.txt"
