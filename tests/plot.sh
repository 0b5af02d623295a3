#!/bin/sh
# plot.sh -- autonum plot: the error profile and the front as SVG (valid XML, one
# drawn point per sample and per front member) and PNG, and its failures (TAP).
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
EXP="$top_srcdir/tests/progs/exp_cw.anp"
FRONT="$top_srcdir/tests/data/exp_front.json"
# Temporary files go here, so that the test can see none is left behind.
TMPDIR="$T/tmp"
export TMPDIR
mkdir "$TMPDIR"

# Points gnuplot's svg terminal drew in each plot group (gnuplot_plot_1, _2, ...), one
# line each: every point, and the key's sample, is a <use> of a point shape with a
# translate; the shapes' own definitions (<use ... id=...>) carry none.
points_per_series () {
  awk '/<g id="gnuplot_plot_/ { g++ } g && /<use xlink:href=.#gpPt[0-9]*. transform=.translate/ { c[g]++ }
       END { for (i = 1; i <= g; i++) print c[i] + 0 }' "$1"
}

# xml_ok FILE: the file parses as XML (xmllint, from setup's libxml2-utils).
xml_ok () {
  xmllint --noout "$1" 2>"$T/xmlerr"
}

png_ok () {
  [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ]
}

# check_svg FILE COUNTS WHAT: FILE parses as XML and its series hold COUNTS points.
check_svg () {
  if command -v xmllint >/dev/null 2>&1; then
    xml_ok "$1"
    check $? "the $3 SVG parses as XML"
  else
    skip "xmllint is not installed (apt-get install libxml2-utils)"
  fi
  got=$(points_per_series "$1" | tr '\n' ' ')
  [ "$got" = "$2 " ]
  check $? "the $3 SVG has series of $2 points (got: $got)"
}

no_leftovers () {
  [ -z "$(ls -A "$TMPDIR")" ] && [ -z "$(ls "$T" | grep '\.tmp')" ]
}

expect_ok 'usage: autonum plot' "plot --help" -- "$AN" plot --help

if ! command -v gnuplot >/dev/null 2>&1; then
  skip "gnuplot is not installed (apt-get install gnuplot-nox): no picture to check"
else
  # The error profile: 300 points, one series, no key.
  expect_ok "wrote $T/err.svg: signed error of .* at 300 points" "error profile of exp_cw as SVG" -- \
    "$AN" plot "$EXP" --out "$T/err.svg" --samples 300
  check_svg "$T/err.svg" 300 profile
  grep -q 'signed error (ULP)' "$T/err.svg"
  check $? "the profile SVG labels its error axis"

  expect_ok "wrote $T/err.png" "error profile as PNG" -- "$AN" plot "$EXP" --out "$T/err.png" --samples 200
  png_ok "$T/err.png"
  check $? "the PNG starts with the PNG signature"

  # The front: 2 verified and 3 sampled members with a finite error (one has none),
  # one baseline, each series with its key's sample, then the labels (no point).
  expect_ok "2 verified, 3 sampled), 1 baseline$" "front from a saved search --json, with a baseline" -- \
    "$AN" plot --front "$FRONT" --out "$T/front.svg" --baseline "glibc expf:20:0.5016"
  check_svg "$T/front.svg" "3 4 2 0" front
  grep -q 'glibc expf' "$T/front.svg"
  check $? "the baseline is labelled"
  # Round trip: the JSON a search prints is what plot --front reads, every member drawn.
  "$AN" search --target exp --domain 1:2 --generations 2 --population 8 --seed 3 --quiet --no-db --json \
    >"$T/search.json" 2>"$T/err"
  members=$(grep -o '"id":' "$T/search.json" | wc -l)
  verified=$(grep -o '"verified":true' "$T/search.json" | wc -l)
  expect_ok "wrote $T/search.svg: $members front members ($verified verified, $((members - verified)) sampled), 0 baselines" \
    "search --json then plot --front draws every member ($members)" -- \
    "$AN" plot --front "$T/search.json" --out "$T/search.svg"
  expect_ok "wrote $T/front.png" "front as PNG" -- "$AN" plot --front "$FRONT" --out "$T/front.png"
  png_ok "$T/front.png"
  check $? "the front PNG starts with the PNG signature"
  no_leftovers
  check $? "no temporary file is left behind"
fi

# Failures: one line, an exit status, nothing written.
expect_fail 2 "--out FILE.svg or FILE.png is required" "plot without --out" -- "$AN" plot "$EXP"
expect_fail 2 "cannot tell the format of '$T/err.pdf'" "plot to an unknown format" -- \
  "$AN" plot "$EXP" --out "$T/err.pdf"
expect_fail 1 "gnuplot not found (install gnuplot-nox)" "plot without gnuplot in PATH" -- \
  env PATH="$T/nowhere" "$AN" plot "$EXP" --out "$T/nognuplot.svg"
expect_fail 1 "cannot read '$T/none.json'" "plot --front of a missing file" -- \
  "$AN" plot --front "$T/none.json" --out "$T/f.svg"
printf '{"target":"exp","front":[{"cost":1,' >"$T/cut.json"
expect_fail 1 "cut.json:1:35: malformed JSON: " "plot --front of truncated JSON: file, line and column" -- "$AN" plot --front "$T/cut.json" --out "$T/f.svg"
printf '{"target":"exp",\n"front":[{"cost":1},2]}\n' >"$T/odd.json"
expect_fail 1 "odd.json: not the JSON of 'autonum search --json' (front member 2 is not an object)" \
  "plot --front of JSON of another shape" -- "$AN" plot --front "$T/odd.json" --out "$T/f.svg"
expect_fail 2 "NAME:COST:ERR" "plot --front with a malformed baseline" -- \
  "$AN" plot --front "$FRONT" --out "$T/f.svg" --baseline glibc:20
expect_fail 1 "one-argument targets" "plot of a two-argument program" -- \
  sh -c "printf 'in x y\nv1 = mul x y\nout v1\n' | \"$AN\" plot - --target mul --out \"$T/f.svg\""
if command -v gnuplot >/dev/null 2>&1; then
  expect_fail 1 "cannot write '$T/no/such/dir/e.svg'" "plot into a missing directory" -- \
    "$AN" plot "$EXP" --out "$T/no/such/dir/e.svg" --samples 100
fi
[ ! -e "$T/nognuplot.svg" ] && [ ! -e "$T/err.pdf" ] && [ ! -e "$T/f.svg" ] && no_leftovers
check $? "failed plots left nothing behind"

tap_end
