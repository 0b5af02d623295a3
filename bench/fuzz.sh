#!/bin/sh
# fuzz.sh -- fuzzes the DSL parser (tests/fuzz_parse.c) with libFuzzer, ASan and UBSan for a bounded time.
#
# Usage: bench/fuzz.sh [SECONDS]    (default 60; needs clang with libFuzzer and a
# configured tree: dsl/emit.c includes config.h and the generated dsl/helpers.inc,
# looked for in $top_builddir, default the source tree)
# Works on a copy of tests/fuzz-corpus in a fresh directory (or $AN_FUZZ_DIR),
# which it names; crashing inputs are left there as artifacts/crash-*.
# Exits non-zero if the fuzzer found a crash or could not run.
set -eu

secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
work=${AN_FUZZ_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/autonum-fuzz.XXXXXX")}
mkdir -p "$work/corpus" "$work/artifacts"
cp "$top"/tests/fuzz-corpus/* "$work/corpus/"

build=$(cd "${top_builddir:-$top}" && pwd)
for f in config.h dsl/helpers.inc; do
  if [ ! -f "$build/$f" ]; then
    echo "fuzz.sh: $build/$f missing: run ./configure && make first (or set top_builddir)" >&2
    exit 2
  fi
done

cd "$top"
${CLANG:-clang} -std=gnu11 -g -O1 -ffp-contract=off -fno-math-errno \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I. dsl/*.c tests/fuzz_parse.c -o "$work/fuzz_parse" -lm

# Words of the language, so that mutations reach past the tokenizer.
{
  for w in add sub mul div fma neg abs min max sqrt rint floor asint asfloat toint tofloat \
           iadd isub shl shr and or xor ldexp lt le select exp log log1p erf \
           in out inf -inf nan 'nan(0x' ' = ' '# autonum 1 ' target= type= domain= float32 \
           0x1p+0 -0x0p+0 0x1.fffffep+127 1e39 2147483648 -2147483648 0xffffffff v1; do
    printf '"%s"\n' "$w"
  done
  printf '"\\x0a"\n"\\x0d\\x0a"\n"\\x00"\n'
} > "$work/dsl.dict"

echo "fuzz.sh: ${secs}s in $work"
status=0
"$work/fuzz_parse" -max_total_time="$secs" -timeout=10 -max_len=4096 -print_final_stats=1 \
  -dict="$work/dsl.dict" -artifact_prefix="$work/artifacts/" "$work/corpus" \
  > "$work/fuzz.log" 2>&1 || status=$?
tail -n 25 "$work/fuzz.log"
crashes=$(ls "$work/artifacts" | wc -l)
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  echo "fuzz.sh: FAILED (status $status); inputs in $work/artifacts:"
  ls -l "$work/artifacts"
  exit 1
fi
echo "fuzz.sh: no crash in ${secs}s; corpus now $(ls "$work/corpus" | wc -l) files"
