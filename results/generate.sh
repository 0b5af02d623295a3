#!/bin/sh
# generate.sh -- regenerates results/: for every float32 target, a seeded search, the
# cheapest program within 1 ULP exported as C (verified exhaustively for one-argument
# targets, sampled for two), its error profile and front as SVG, and README.md with one
# table that times each program against glibc, SLEEF (and, for exp, libmvec and a Sollya
# fpminimax polynomial) in the same run.  Never edit results/ by hand: run `make results`.
#
# Then the FPCore targets of EXPR_RUNS, each with the bound and domain users ask of it,
# timed against the function as users write it in C with glibc (bench/export_speed.sh).
#
# Then results/mulfree/ (bench/mulfree.sh, exp and GELU; MULFREE=0 skips it, MULFREE_ONLY=1 does
# only it, MULFREE_TIME per product search).
#
# Environment: top_builddir (where autonum is built; default the source tree),
# THREADS (default: all cores), GENERATIONS (default 40), POPULATION (default 48),
# SEED (default 1), TARGETS (default: every float32 target of `autonum targets` but the
# FPCore ones), EXPR_RUNS (default below; "" for none).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${top_builddir:-$top}" && pwd)
AN="$build/autonum"
out="$top/results"
gens=${GENERATIONS:-40}
pop=${POPULATION:-48}
seed=${SEED:-1}
threads=${THREADS:+--threads $THREADS}
# Two-argument targets are not verified exhaustively (2^64 inputs): their error is
# sampled on this many points.
pair_samples=1048576
bench_n=65536
bench_reps=10
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
start=$(date +%s)

[ -x "$AN" ] || { echo "generate.sh: build autonum first ($AN)" >&2; exit 2; }
command -v gnuplot >/dev/null || echo "generate.sh: no gnuplot: no SVG plots (apt-get install gnuplot-nox)" >&2

# `autonum targets` lines of float32 targets as "target arity domain" (the formula
# column may hold blanks: the type column is found by its value).  FPCore targets are
# left to the table below: their default domains hold tails that underflow or overflow
# double, where verification falls back to Arb point by point (hours for float32).
"$AN" targets | grep -v '(FPCore below)' | awk '{ for (i = 3; i <= NF; i++) if ($i == "float32") break
  if (i <= NF) { d = $(i + 1); for (j = i + 2; j <= NF; j++) d = d " " $j; print $1, $2, d } }' >"$w/targets"
targets=${TARGETS:-$(awk '{ print $1 }' "$w/targets")}
# MULFREE_ONLY=1: only results/mulfree/ (its README says the command), results/README.md untouched.
only_mf=${MULFREE_ONLY:-0}
[ "$only_mf" = 1 ] && targets=

# front_members JSON: one line per front member: id instructions cost max_ulp verified solution.
front_members () {
  sed 's/},{/}\n{/g' "$1" | awk '
    function field(k,   v) {
      if (!match($0, "\"" k "\":[^,}]*")) return "?"
      v = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
      return v
    }
    /"id":/ { print field("id"), field("instructions"), field("cost"), field("max_ulp"), field("verified"), field("solution") }'
}

# header_field FILE LABEL: the text after "LABEL: " in an exported file's header comment.
header_field () { sed -n "s/^ \* $2: //p" "$1" | head -n 1; }

# bench_row FILE ROW: "loop call maxulp" of a row of autonum bench's table.
bench_row () { awk -v r="$2" '$1 == r { print $2, $4, $8; exit }' "$1"; }

# A baseline LIB:FUNC that dlopen/dlsym can reach, among the candidates; empty if none.
first_callable () {
  prog=$1
  shift
  for b in "$@"; do
    if "$AN" bench "$prog" --baseline "$b" --n 16 --reps 1 >/dev/null 2>&1; then
      echo "$b"
      return
    fi
  done
}

# ratio A B: "B/A" as "1.57x faster" / "2.10x slower" (the row's time against autonum's).
speed_vs () {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b >= a) printf "%.2fx slower", b / a; else printf "%.2fx faster", a / b }'
}

# Sollya's fpminimax polynomial of degree D for e^r in the Cody-Waite scaffold of
# tests/progs/exp_cw.anp (D + 6 instructions), as a program file.
sollya_exp () {
  d=$1 f=$2
  {
    echo 'prec = 300!; display = hexadecimal!;'
    echo 'I = [-0x1.63p-2; 0x1.63p-2];'
    printf 'p = fpminimax(exp(x), [|'
    i=1
    while [ $i -le "$d" ]; do printf '%s%d' "$([ $i -gt 1 ] && echo ,)" $i; i=$((i + 1)); done
    echo '|], [|SG...|], I, floating, relative, 1);'
    echo "for i from 1 to $d do print(coeff(p, i));"
  } >"$w/sollya.in"
  sollya <"$w/sollya.in" 2>/dev/null | grep '^-\{0,1\}0x' >"$w/sollya.c" || return 1
  [ "$(wc -l <"$w/sollya.c")" -eq "$d" ] || return 1
  {
    echo "# autonum 1 target=exp type=float32"
    echo "# Cody-Waite reduction as tests/progs/exp_cw.anp, Sollya fpminimax degree $d on [-0x1.63p-2, 0x1.63p-2]"
    echo "in x"
    echo "t = mul x 0x1.715476p+0"
    echo "kf = rint t"
    echo "r1 = fma kf -0x1.62e4p-1 x"
    echo "r = fma kf -0x1.7f7d1cp-20 r1"
    prev=$(sed -n "${d}p" "$w/sollya.c")
    i=$((d - 1))
    while [ $i -ge 1 ]; do
      echo "p$i = fma $prev r $(sed -n "${i}p" "$w/sollya.c")"
      prev=p$i
      i=$((i - 1))
    done
    echo "p0 = fma $prev r 0x1p+0"
    echo "k = toint kf"
    echo "y = ldexp p0 k"
    echo "out y"
  } >"$f"
}

# From results/, so that the files name each other by relative paths.
cd "$out"
# (MULFREE_ONLY=1 keeps them: only results/mulfree/ is regenerated.)
[ "$only_mf" = 1 ] || rm -f ./*_float32.c ./*_float32.anp ./*_float32_*.svg ./*_float32_*.anp
rows="$w/rows.md"
: >"$rows"
row () { echo "| $* |" >>"$rows"; }

for t in $targets; do
  arity=$(awk -v t="$t" '$1 == t { print $2 }' "$w/targets")
  domain=$(awk -v t="$t" '$1 == t { $1 = $2 = ""; sub(/^ */, ""); print }' "$w/targets")
  [ -n "$arity" ] || { echo "generate.sh: $t is not a float32 target" >&2; exit 2; }
  echo "== $t (arity $arity): search, $gens generations, seed $seed" >&2
  # shellcheck disable=SC2086
  "$AN" search --target "$t" --type float32 --seed "$seed" --generations "$gens" --population "$pop" $threads \
    --quiet --no-db --json --front-out "$w/$t.front" >"$w/$t.json"
  front_members "$w/$t.json" >"$w/$t.members"
  # The cheapest member within 1 ULP: verified (a solution) for one argument, on the
  # search's 8192 sample points for two.
  if [ "$arity" -eq 1 ]; then
    pick=$(awk '$6 == "true" { print $1; exit }' "$w/$t.members")
  else
    pick=$(awk '$4 != "null" && $4 <= 1 { print $1; exit }' "$w/$t.members")
  fi
  if [ -z "$pick" ]; then
    best=$(awk '$4 != "null" && (b == "" || $4 + 0 < b + 0) { b = $4; i = $2 } END { print b, i }' "$w/$t.members")
    row "$t | float32 | $domain | none found | | | | | no program within 1 ULP after $gens generations (most accurate on the front: a ${best#* }-instruction program, ${best% *} ULP sampled)"
    continue
  fi
  base="${t}_float32"
  cp "$w/$t.front/$pick.anp" "$base.anp"
  name="autonum_${t}f"
  if [ "$arity" -eq 1 ]; then
    # shellcheck disable=SC2086
    "$AN" export "$base.anp" --name "$name" --verify --quiet $threads -o "$base.c"
  else
    # shellcheck disable=SC2086
    "$AN" export "$base.anp" --name "$name" --samples "$pair_samples" --seed "$seed" $threads -o "$base.c"
  fi
  err=$(header_field "$base.c" "max ULP error")
  insns=$(header_field "$base.c" "instructions" | sed 's/,.*//')

  # Baselines, measured in one bench run with the program.
  glibc=$(first_callable "$base.anp" "libm.so.6:${t}f")
  sleef=$(first_callable "$base.anp" "libsleef.so.3:Sleef_${t}f_u10" "libsleef.so.3:Sleef_${t}f_u05" \
    "libsleef.so.3:Sleef_${t}f_u35")
  set --
  [ -n "$glibc" ] && set -- "$@" --baseline "$glibc"
  [ -n "$sleef" ] && set -- "$@" --baseline "$sleef"
  # shellcheck disable=SC2086
  "$AN" bench "$base.anp" "$@" --n "$bench_n" --reps "$bench_reps" --seed "$seed" $threads >"$w/$t.bench"
  set -- $(bench_row "$w/$t.bench" program)
  loop=$1 call=$2
  # Called one at a time, not inlined: against glibc too, since that is how a library function is used.
  percall=
  if [ -n "$glibc" ]; then
    set -- $(bench_row "$w/$t.bench" "$glibc")
    percall=" (per call: $(speed_vs "$2" "$call") than ${glibc#*:})"
  fi
  row "$t | float32 | $domain | **autonum** [\`${t}_float32.c\`](${t}_float32.c) | $err | $insns | $loop | $call | 1.00$percall"
  for b in $glibc $sleef; do
    set -- $(bench_row "$w/$t.bench" "$b")
    row "$t | float32 | same | ${b#*:} (${b%%:*}) | $3 (sampled: $bench_n points) | | $1 | $2 | $(speed_vs "$loop" "$1")"
  done

  if [ "$t" = exp ]; then
    # libmvec: a vector ABI, not callable as float(float); bench/speed.sh compiles the
    # loop with -ffast-math so that gcc calls it, and times the program in the same process.
    if sh "$top/bench/speed.sh" "$base.anp" >"$w/speed" 2>&1; then
      mv_ns=$(awk '/libmvec/ && /ns\/elem/ { print $(NF - 1) }' "$w/speed")
      mv_prog=$(awk 'NR == 2 { print $(NF - 1) }' "$w/speed")
      row "exp | float32 | same | glibc libmvec expf (\`-O3 -ffast-math\`, bench/speed.sh: 65536 points uniform on [-87, 88]) | not measured | | $mv_ns | | $(speed_vs "$mv_prog" "$mv_ns") (program $mv_prog ns in that run)"
    fi
    # Sollya: the textbook scaffold with fpminimax coefficients, same instruction count.
    d=$((insns - 6))
    if command -v sollya >/dev/null && [ "$d" -ge 3 ] && [ "$d" -le 8 ] && sollya_exp "$d" "$w/sollya.anp"; then
      # shellcheck disable=SC2086
      serr=$("$AN" verify "$w/sollya.anp" --ulp 1e30 --quiet $threads | sed -n 's/^max ULP: //p')
      # shellcheck disable=SC2086
      "$AN" bench "$w/sollya.anp" --n "$bench_n" --reps "$bench_reps" --seed "$seed" $threads >"$w/sollya.bench"
      set -- $(bench_row "$w/sollya.bench" program)
      cp "$w/sollya.anp" "$out/exp_float32_sollya.anp"
      row "exp | float32 | same | Sollya fpminimax degree $d in the same scaffold ([program](exp_float32_sollya.anp)) | $serr (verified: every input) | $insns | $1 | $2 | $(speed_vs "$loop" "$1") (separate bench run)"
    fi
  fi

  if command -v gnuplot >/dev/null; then
    [ "$arity" -eq 1 ] && "$AN" plot "$base.anp" --out "$base"_error.svg --samples 2000 >/dev/null
    "$AN" plot --front "$w/$t.json" --out "$base"_front.svg >/dev/null
  fi
done

# FPCore targets: "TARGET|TYPE|SEARCH OPTIONS|HAND:LIBM of bench/hand/hand_act.h (float32)|context";
# the options come last, so that they may set their own --generations.
expr_runs=${EXPR_RUNS-'gelu|float32|--abs 1e-6 --domain -10:10|hand_geluf:geluf|XNNPACK publishes a rational 12/10 GELU at 1.0e-6 absolute (not measured here)
gelu|bfloat16|--ulp 0.99||within 1 ULP strictly, on every finite input'}
erows="$w/erows.md"
: >"$erows"
erow () { echo "| $* |" >>"$erows"; }
[ "$only_mf" = 1 ] && expr_runs=
echo "$expr_runs" | while IFS='|' read -r t ty opts peers context; do
  [ -n "$t" ] || continue
  echo "== $t $ty $opts: search, $gens generations, seed $seed" >&2
  base="${t}_$ty"
  rm -f "$base".* "$base"_*.svg
  # shellcheck disable=SC2086
  "$AN" search --target "$t" --type "$ty" --seed "$seed" --generations "$gens" --population "$pop" $threads $opts \
    --quiet --no-db --json --front-out "$w/$t.front" >"$w/$t.json"
  front_members "$w/$t.json" >"$w/$t.members"
  pick=$(awk '$6 == "true" { print $1; exit }' "$w/$t.members")
  dom=$(echo "$opts" | sed -n 's/.*--domain \([^ ]*\).*/\1/p')
  if [ -z "$pick" ]; then
    erow "$t | $ty | ${dom:-default} | \`$opts\` | none found | | | | | no verified program after $gens generations"
    continue
  fi
  cp "$w/$t.front/$pick.anp" "$base.anp"
  # shellcheck disable=SC2086
  "$AN" export "$base.anp" $opts --name "autonum_${t}f" --verify --quiet $threads -o "$base.c"
  errline=$(header_field "$base.c" "max ULP error")
  insns=$(header_field "$base.c" "instructions" | sed 's/,.*//')
  if [ -z "$peers" ]; then
    # No peer written in C: autonum bench's own figures.
    # shellcheck disable=SC2086
    "$AN" bench "$base.anp" --n "$bench_n" --reps "$bench_reps" --seed "$seed" $threads >"$w/$t.$ty.bench"
    set -- $(bench_row "$w/$t.$ty.bench" program)
    erow "$t | $ty | ${dom:-default} | \`$opts\` | **autonum** [\`$base.c\`]($base.c) | $errline | $insns | $1 | $2 | 1.00"
    [ -z "$context" ] || erow "$t | $ty | | | $context | | | | |"
    continue
  fi
  # The program against the function written in C with glibc, in one run (gcc).
  lo=${dom%%:*} hi=${dom#*:}
  CC=gcc REPS=$bench_reps sh "$top/bench/export_speed.sh" "$out/$base.anp@$lo,$hi:$peers" >"$w/$t.speed" 2>&1 || true
  # The 65536-float table of the whole domain: inline array scalar | hand glibc libmvec.
  set -- $(awk '/^n = 65536 floats, uniform over each program.s domain;/ { on = 1; next }
    on && $1 ~ /\.anp/ { print $4, $5, $6, $8, $9, $10; exit }' "$w/$t.speed")
  if [ $# -eq 6 ]; then
    erow "$t | float32 | $dom | \`$opts\` | **autonum** [\`$base.c\`]($base.c) | $errline | $insns | $2 | $3 | 1.00"
    erow "$t | float32 | same | | the usual C with glibc (\`${peers%%:*}\`, bench/hand/hand_act.h) in the same loop, \`-O3 -march=native\` | not measured | | $4 | $5 | $(speed_vs "$2" "$4")"
    erow "$t | float32 | same | | the same loop with \`-ffast-math\` (glibc libmvec) | not measured | | $6 | | $(speed_vs "$2" "$6")"
  else
    erow "$t | float32 | $dom | \`$opts\` | **autonum** [\`$base.c\`]($base.c) | $errline | $insns | | | (bench/export_speed.sh failed)"
  fi
  [ -z "$context" ] || erow "$t | float32 | | | $context | | | | |"
  if command -v gnuplot >/dev/null; then
    "$AN" plot "$base.anp" ${dom:+--domain "$dom"} --out "$base"_error.svg --samples 2000 >/dev/null || true
    "$AN" plot --front "$w/$t.json" --out "$base"_front.svg >/dev/null || true
  fi
done

# Multiply-free kernels (bench/mulfree.sh): products against Mitchell, L-Mul and the best single
# offset, and a float32 exp within 1%, into results/mulfree/ (MULFREE=0 skips it; MULFREE_TIME
# seconds a product search, default 240).
if [ "${MULFREE:-1}" != 0 ]; then
  echo "== multiply-free products and exp" >&2
  mf="$out/mulfree"
  mkdir -p "$mf"
  rm -f "$mf"/*
  mft=${MULFREE_TIME:-240}
  mfenv="OUT=$mf TIME=$mft BOUND_fp8e4m3=0.1 BOUND_fp8e5m2=0.15"
  {
    cat <<EOF
# Multiply-free products and exp

Generated by \`make results\` (results/generate.sh: \`$mfenv bench/mulfree.sh fp8e4m3 fp8e5m2 bfloat16\`)
on $(date -u +%Y-%m-%d); do not edit by hand.

Every figure is autonum verify's on every pair of the domain, and again an independent brute force
(bench/mulfree_check.c: the exported C on every pair against the exact double product, its own
decoding of the types), which also gives the mean |relative error| and the bias (mean signed
relative error). \`mul_TYPE_front.svg\`: the search's front (cost of the search's model against max
relative error) with Mitchell, L-Mul and the best single offset as labelled points;
\`mul_TYPE_ID.anp\`: every front member. Every domain is mul's default box for the type (every
exact product a normal number): there L-Mul, and any form that overestimates, overflows at the
top corner (infinite error), and the split form's x (y - p) would underflow for products below
about 2^-118 but for its scaled variant (doc/autonum.md, *multiply-free seeds*).

\`\`\`
EOF
    # shellcheck disable=SC2086
    env $mfenv AN="$AN" sh "$top/bench/mulfree.sh" fp8e4m3 fp8e5m2 bfloat16 2>&1
    echo '```'
    echo
    echo '## exp, float32, without a multiply'
    echo
    echo "\`autonum search --target exp --ops mulfree --rel 0.01 --domain -87:88 --generations 200 --seed $seed\`,"
    echo 'the cheapest solution exported with `--verify` into `exp_float32.c` (its program `exp_float32.anp`):'
    echo
    echo '```'
    # shellcheck disable=SC2086
    "$AN" search --target exp --ops mulfree --rel 0.01 --domain -87:88 --generations 200 --seed "$seed" $threads \
      --no-db -o "$mf/exp_float32.anp" 2>&1 | sed -n '/^front:/,/^$/p'
    # shellcheck disable=SC2086
    "$AN" export "$mf/exp_float32.anp" --target exp --domain -87:88 --rel 0.01 --verify --quiet $threads \
      --name mulfree_expf -o "$mf/exp_float32.c" 2>&1
    "$AN" verify "$mf/exp_float32.anp" --target exp --domain -87:88 --rel 0.01 2>&1
    echo '```'
    echo
    echo '## GELU, float32, without a multiply'
    echo
    echo "\`autonum search --target gelu --ops mulfree --abs 0.01 --domain -10:10 --generations 200 --seed $seed\`:"
    echo 'no multiply-free seed form applies to GELU (its seeds are x, |x| and a constant), so this is'
    echo 'what evolution alone reaches; ReLU, max (x, 0), is 0.170 off. The end of its report:'
    echo
    echo '```'
    # shellcheck disable=SC2086
    "$AN" search --target gelu --ops mulfree --abs 0.01 --domain -10:10 --generations 200 --seed "$seed" $threads \
      --no-db --verbose 2>&1 | sed -n '/^no solution\|^best solution/,$p'
    echo '```'
  } >"$mf/README.md"
fi

[ "$only_mf" = 1 ] && exit 0
elapsed=$(( $(date +%s) - start ))
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
{
  cat <<EOF
# Results

Generated by \`make results\` (results/generate.sh) on $(date -u +%Y-%m-%d); do not edit by hand.
autonum $("$AN" --version | sed 's/^autonum //'), $(${CC:-cc} --version | head -n 1), ${cpu:-unknown CPU} ($(nproc) cores);
the whole run took $elapsed s.

For every float32 target: \`autonum search --seed $seed --generations $gens --population $pop\`
(the same seed gives the same front for any thread count), then the cheapest program on the front
within 1 ULP is exported with \`autonum export\` into \`TARGET_float32.c\` (its program beside it as
\`TARGET_float32.anp\`, its signed error across the domain in \`TARGET_float32_error.svg\`, the
search's front in \`TARGET_float32_front.svg\`).

- **max ULP**: for one-argument targets *verified* on every float32 input of the domain
  (\`autonum verify\`); for two-argument targets *sampled* on $pair_samples points. The baselines'
  errors are sampled on the $bench_n timing points. tests/results.sh re-verifies every file.
- **ns/element, loop**: \`autonum bench\`, best of $bench_reps repetitions over $bench_n points uniform in
  value over the domain: the exported file's array entry point \`NAME_array\` (\`-O3
  -march=native\`), a library function called once per element in a loop. **call**: every
  function called once per element through a function pointer (the program not inlined). Times
  vary between runs on a shared machine: compare the ratios, taken within one run.
  bench/export_speed.sh compares the exported files with hand-written C, glibc and libmvec in
  more detail (gcc and clang, inputs with and without subnormal results).
- **vs autonum**: the baseline's loop time against the program's (slower/faster than autonum);
  on autonum's own row, its time per call against glibc's.
- float32 programs may compute in float64 inside (the default ops of float32, as glibc's
  float32 functions do); a program's header and text show where it does (\`tof64\`).
- Targets without a row of figures have no program within 1 ULP on the front after this budget.
  That row says how close the search came.

| target | type | domain | implementation | max ULP | instructions | ns/element (loop) | ns/call | vs autonum |
|---|---|---|---|---|---|---|---|---|
EOF
  cat "$rows"
  [ "${MULFREE:-1}" = 0 ] || printf '\nMultiply-free products (Mitchell, L-Mul, autonum under `--ops mulfree`, every pair verified)\nand exp: [mulfree/README.md](mulfree/README.md).\n'
  if [ -s "$erows" ]; then
    cat <<EOF

## FPCore targets

Targets typed as FPCore (\`autonum targets\`), each searched with the bound and domain users ask
of it (\`--generations $gens --population $pop --seed $seed\`), its reference Arb's. **max error**: the
exported file's verified figures (every float32 input of the domain), the bound's metric beside
ULPs. **ns/element**: bench/export_speed.sh with gcc, best of $bench_reps, 65536 floats uniform over
the domain: the exported file's \`NAME_array\`, and each peer in the same loop; **ns/call**: one call
per element through a function pointer.

| target | type | domain | search options | implementation | max error | instructions | ns/element (loop) | ns/call | vs autonum |
|---|---|---|---|---|---|---|---|---|---|
EOF
    cat "$erows"
  fi
} >"$out/README.md"
echo "generate.sh: wrote $out/README.md in $elapsed s" >&2
