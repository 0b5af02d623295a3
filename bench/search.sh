#!/bin/sh
# search.sh -- the search's bars on exp float32: time to an exhaustively verified < 1 ULP
# program with the default command, its size against the textbook Cody-Waite + degree-6
# program (tests/progs/exp_cw.anp), and its speed in an array loop against glibc expf and
# that textbook program, measured in the same run (bench/speed.sh).
# Usage: bench/search.sh [SEARCH OPTIONS...]   (default: the README's command)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
start=$(date +%s.%N)
"$build/autonum" search --target exp --type float32 --ulp 1 --quiet -o "$w/best.anp" "$@" >"$w/front.txt"
end=$(date +%s.%N)
echo "search wall time: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; cheapest verified solution:"
sed 's/^/  /' "$w/best.anp"
"$build/autonum" verify "$w/best.anp" --quiet | grep -E 'points checked|max ULP|worst'
"$build/autonum" eval "$top/tests/progs/exp_cw.anp" | grep '^program'
"$build/autonum" eval "$w/best.anp" | grep '^program'
top_builddir=$build "$top/bench/speed.sh" "$w/best.anp" "$top/tests/progs/exp_cw.anp"
