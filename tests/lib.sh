# lib.sh -- TAP helpers shared by the shell tests (sourced, not run, after the script
# sets top_srcdir): AN is the autonum program, T a scratch directory removed at exit,
# AUTONUM_DB a database in it.
top_builddir=${top_builddir:-.}
AN="$top_builddir/autonum"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Searches store their runs in the scratch directory (each script its own database).
AUTONUM_DB=$T/autonum.db
export AUTONUM_DB
n=0
fails=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
notok () { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip () { n=$((n + 1)); echo "ok $n # SKIP $1"; }

# expect_fail STATUS PATTERN DESCRIPTION -- COMMAND...: exits with STATUS, one stderr line matching PATTERN.
expect_fail () {
  st=$1 pat=$2 desc=$3
  shift 4
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
  lines=$(wc -l <"$T/err")
  if [ "$rc" -eq "$st" ] && [ "$lines" -eq 1 ] && grep -q -- "$pat" "$T/err"; then
    ok "$desc"
  else
    notok "$desc (exit $rc, $lines stderr lines)"
    sed 's/^/# /' "$T/err"
  fi
}

# expect_ok PATTERN DESCRIPTION -- COMMAND...: exits 0 and stdout matches PATTERN.
expect_ok () {
  pat=$1 desc=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$rc" -eq 0 ] && { [ -z "$pat" ] || grep -q -- "$pat" "$T/out"; }; then
    ok "$desc"
  else
    notok "$desc (exit $rc)"
    sed 's/^/# /' "$T/out" "$T/err"
  fi
}

# front_rows FILE: the rows of the front table that search and front print, one line each:
# "MARK ID INSTRUCTIONS COST MAX_ULP EVIDENCE", MARK * for a solution and - for the others
# (the measured ns/elem column is left out: front_times has it).
front_rows () {
  awk '/^[* ] +[0-9]+ +[0-9]+ +[0-9.e+-]+ +([0-9.]+|-) +[0-9.e+-]+ +(verified|(sampled|vectors) [0-9]+)$/ {
    mark = substr($0, 1, 1) == "*" ? "*" : "-"
    $0 = substr($0, 2)
    print mark, $1, $2, $3, $5, $6
  }' "$1"
}

# front_times FILE: the measured ns/elem of every row, one per line ("-": not measured).
front_times () {
  awk '/^[* ] +[0-9]+ +[0-9]+ +[0-9.e+-]+ +([0-9.]+|-) +[0-9.e+-]+ +(verified|(sampled|vectors) [0-9]+)$/ {
    $0 = substr($0, 2)
    print $4
  }' "$1"
}

# untimed: standard input without the measured times of a JSON front (they vary from run
# to run; everything else is deterministic).
untimed () { sed 's/"ns_per_element":[^,}]*,\{0,1\}//g'; }

# front_order_ok ROWS: the solutions come first by increasing cost, the others after them
# by increasing error.
front_order_ok () {
  awk '$1 == "*" { if (others || $4 + 0 < cost) bad = 1; cost = $4 + 0; next }
       { if (others && $5 + 0 < err) bad = 1; others = 1; err = $5 + 0 }
       END { exit bad }' "$1"
}

# check COND-STATUS DESCRIPTION: ok when the status is 0.
check () { if [ "$1" -eq 0 ]; then ok "$2"; else notok "$2"; fi; }

# The plan, last; the script's exit status.
tap_end () {
  echo "1..$n"
  [ "$fails" -eq 0 ]
}
