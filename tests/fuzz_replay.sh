#!/bin/sh
# fuzz_replay -- make check's replay of tests/fuzz-corpus through the parser fuzz target (TAP).
#
# tests/fuzz_parse_replay is tests/fuzz_parse.c with a plain main(), built by
# the project's compiler; bench/fuzz.sh runs the same target under libFuzzer.
: "${top_srcdir:=.}" "${top_builddir:=.}"
replay=$top_builddir/tests/fuzz_parse_replay
corpus=$top_srcdir/tests/fuzz-corpus
out=$(mktemp "${TMPDIR:-/tmp}/fuzz_replay.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT

echo "1..3"
"$replay" "$corpus" > "$out" 2>&1
status=$?
if [ "$status" -eq 0 ]; then
  echo "ok 1 - every corpus input parses or fails cleanly, and round-trips when valid"
else
  echo "not ok 1 - replay exited with status $status; last input started:"
  grep '^# ' "$out" | tail -n 1
  grep -v '^# ' "$out" | sed 's/^/# /' | tail -n 40
fi
count=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$out")
if [ "${count:-0}" -ge 20 ]; then
  echo "ok 2 - replayed $count inputs from $corpus"
else
  echo "not ok 2 - replayed ${count:-no} inputs from $corpus (expected at least 20)"
fi
# A sanitizer build that recovers from UBSan reports still exits 0: read them.
if grep -q 'runtime error:' "$out"; then
  echo "not ok 3 - sanitizer reports during the replay:"
  grep -B1 'runtime error:' "$out" | sed 's/^/# /' | head -n 40
else
  echo "ok 3 - no sanitizer report"
fi
