#!/bin/sh
# mulfree.sh -- multiply-free products and exponentials against the published tricks, scored
# by the same code (autonum verify: every pair of the domain for the 16- and 8-bit types) and
# checked by an independent brute force (bench/mulfree_check.c: exported C, every pair, the
# exact double product), which also gives the bias (mean signed relative error).
#
#   Mitchell (1962)   bits(x) + bits(y) - bits(1): always low, by up to 1/9
#   L-Mul (Luo and Sun 2024)  the same plus 2^-l(m) of the significand, l(m) = m for m <= 3,
#                     3 for m = 4, 4 above (m the type's significand bits)
#   best offset       the same plus the single offset (a multiple of the type's last bit, up to
#                     1/8) of least verified max relative error
#   autonum           the cheapest verified member of a search under --ops mulfree
#
# Usage: bench/mulfree.sh [TYPES] (default "fp8e4m3 fp8e5m2 bfloat16"); TIME=180 seconds per
# search, BOUND_bfloat16=0.0364 (and so on) the searches' bounds, DOMAIN_bfloat16=... their
# domains (default: the target's).  Ops are counted without asint/asfloat (free
# reinterpretations): "int" the integer adds, shifts and bit operations, "float" the float
# adds, subtractions, min/max, compares and selects.  With OUT=DIR, also DIR/mul_TYPE_front.svg
# (the search's front, cost against max relative error, the three references as labelled
# points) and every front member as DIR/mul_TYPE_ID.anp; the report is standard output.
set -u
AN=${AN:-./autonum}
CC=${CC:-cc}
TIME=${TIME:-180}
TYPES=${*:-fp8e4m3 fp8e5m2 bfloat16}
OUT=${OUT:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
here=$(dirname "$0")
$CC -O2 -std=c99 -o "$W/check" "$here/mulfree_check.c" -lm || exit 1

mant_bits () { case $1 in bfloat16) echo 7 ;; float16) echo 10 ;; fp8e4m3) echo 3 ;; fp8e5m2) echo 2 ;; float32) echo 23 ;; esac; }

# prog OFFSET: Mitchell's product plus OFFSET (in float32 bits: the 16- and 8-bit types compute in
# float32), the constant added first: the range analysis then proves the sum is never a NaN's bits
# (bits(x) + bits(y) first may wrap into them), so the cost model prices it as the search's own
# equal programs (2, not 4 with the NaN canonicalisation).
prog () {
  printf 'in x y\na = asint x\nb = asint y\nc = iadd a %d\nd = iadd c b\nr = asfloat d\nout r\n' $(($1 - 1065353216))
}

ops () { awk '/^[a-z][a-z0-9_]* = /{ if ($3 ~ /^(iadd|isub|shl|shr|and|or|xor)$/) i++; else if ($3 !~ /^as(int|float)$/) f++ }
  END { printf "%d int + %d float", i, f }' "$1"; }

# row NAME FILE TYPE DOMAIN: verified max rel (autonum), then the brute force's max, mean, bias.
# An infinite error (L-Mul overflows at the top corner of mul's default box) exceeds any bound:
# verify then exits 1 but reports it like any other.
row () {
  "$AN" verify "$2" --target mul --type "$3" ${4:+--domain "$4"} --rel 1e30 >"$W/v" 2>&1
  vmax=$(sed -n 's/^max rel: //p' "$W/v")
  [ -n "$vmax" ] || { echo "$1: verify failed"; cat "$W/v"; return; }
  how=$(grep -q 'verified' "$W/v" && echo verified || echo sampled)
  "$AN" export "$2" --target mul --type "$3" ${4:+--domain "$4"} --name k -o "$W/k.c" 2>/dev/null
  $CC -O2 -std=c99 -DKERNEL_H="\"$W/k.c\"" -o "$W/chk" "$here/mulfree_check.c" -lm 2>"$W/cc" || { cat "$W/cc"; return; }
  lo=$(sed -n 's/.*domain: \[\([^,]*\), .*/\1/p' "$W/v"); hi=$(sed -n 's/.*domain: \[[^,]*, \([^]]*\)\].*/\1/p' "$W/v")
  set -- "$1" "$2" "$3" "$("$W/chk" "$3" "$lo" "$hi")"
  printf '%-12s %-18s %-11s %-9s %s\n' "$1" "$(ops "$2")" "$vmax" "$how" "$4"
}

for y in $TYPES; do
  m=$(mant_bits "$y")
  lsb=$((1 << (23 - m)))
  l=$([ "$m" -le 3 ] && echo "$m" || { [ "$m" -eq 4 ] && echo 3 || echo 4; })
  eval "dom=\${DOMAIN_$y:-}"
  eval "bound=\${BOUND_$y:-0.0364}"
  echo "== mul, $y (significand $m bits)${dom:+, domain $dom}"
  prog 0 >"$W/mitchell.anp"
  prog $((1 << (23 - l))) >"$W/lmul.anp"
  best=0 beste=9
  k=0
  while [ $k -le $((1 << m >> 3 > 0 ? 1 << m >> 3 : 1)) ]; do
    prog $((k * lsb)) >"$W/o.anp"
    e=$("$AN" verify "$W/o.anp" --target mul --type "$y" ${dom:+--domain "$dom"} --rel 1e30 2>/dev/null | sed -n 's/^max rel: //p')
    if awk -v a="$e" -v b="$beste" 'BEGIN { exit !(a < b) }'; then best=$k beste=$e; fi
    k=$((k + 1))
  done
  prog $((best * lsb)) >"$W/best.anp"
  echo "program      ops                max rel     evidence  brute force: max rel, mean |rel|, bias (mean rel), pairs"
  row Mitchell "$W/mitchell.anp" "$y" "$dom"
  row "L-Mul 2^-$l" "$W/lmul.anp" "$y" "$dom"
  row "offset $best/2^$m" "$W/best.anp" "$y" "$dom"
  "$AN" search --target mul --type "$y" --ops mulfree --rel "$bound" ${dom:+--domain "$dom"} --time "$TIME" --no-db \
    --json --front-out "$W/front_$y" >"$W/s.json" 2>"$W/s"
  tail -n 3 "$W/s"
  for f in "$W/front_$y"/*.anp; do
    [ -f "$f" ] || continue
    row "autonum $(basename "$f" .anp)" "$f" "$y" "$dom"
    [ -z "$OUT" ] || cp "$f" "$OUT/mul_${y}_$(basename "$f")"
  done
  if [ -n "$OUT" ] && command -v gnuplot >/dev/null; then
    # The references as labelled points: their cost (the search's cost model) and verified error.
    set --
    for r in mitchell lmul best; do
      c=$("$AN" eval "$W/$r.anp" --target mul --type "$y" ${dom:+--domain "$dom"} --samples 16 2>/dev/null \
        | sed -n 's/.*instructions, cost \([0-9.]*\)).*/\1/p')
      e=$("$AN" verify "$W/$r.anp" --target mul --type "$y" ${dom:+--domain "$dom"} --rel 1e30 2>/dev/null | sed -n 's/^max rel: //p')
      set -- "$@" --baseline "$r:$c:$e"
    done
    "$AN" plot --front "$W/s.json" --out "$OUT/mul_${y}_front.svg" "$@"
  fi
done
