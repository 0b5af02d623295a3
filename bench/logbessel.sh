#!/bin/sh
# logbessel.sh -- an exported log-Bessel program against GSL: accuracy against Arb's correctly
# rounded log I_v(x) or log K_v(x) on the same stratified float32 points, GSL's failures, and
# ns per call (bench/logbessel.c says how the points, the reference and the errors are made).
#
#   ours  PROG exported with --target logbesseli or logbesselk (float NAME (float v, float x)),
#         included static inline and compiled with CFLAGS (default -O3 -march=native, as
#         bench/softmax.sh compiles exported code; no fast-math): one call per element through
#         a function pointer ("ptr"), and inlined in an array loop ("loop")
#   GSL   log (gsl_sf_bessel_Inu_scaled_e (v, x)) + x, or gsl_sf_bessel_lnKnu_e (v, x), in
#         double, rounded to float32 (error handler off; a non-success status, an inf, a NaN
#         or Inu_scaled's underflow to 0 is a failure); through a function pointer only
#
# Usage: bench/logbessel.sh PROG.anp [I|K]   (from the top directory)
#   I or K picks the target; without it, the target= of PROG's header line (logbesseli or
#   logbesselk).  Text after the program's 'out' line (a pasted report) is dropped.
# Environment: AUTONUM (./autonum), CC (gcc), CFLAGS (-O3 -march=native), N (20000 points),
#   SEED (0x6c6f6762657373), VDOM (0:1000), XDOM (0.001:1000; either one set also exports
#   with --domain v=VDOM,x=XDOM), REPS (5: timing, best of), MAP (set: also a v-by-x map of
#   GSL's failures and errors over 4 ULP), KEEP (a directory: the program, the exported file
#   and the binary are copied there), EXPORT_SAMPLES (export's --samples, the points behind
#   the error figure in the exported file's header: export's default, 65536, takes about
#   1.5 minutes of Arb references on these targets; 1000 takes seconds).
# Needs GSL (libgsl-dev) and Arb (libflint-arb-dev, with MPFR and GMP).  The Arb references
# take about 10 us to 7 ms a point, spread over the cores with OpenMP (-fopenmp where the
# compiler has it): seconds for the default N.  The machine is shared: compare ratios.
set -u
AUTONUM=${AUTONUM:-./autonum}
CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O3 -march=native}
N=${N:-20000}
SEED=${SEED:-0x6c6f6762657373}
REPS=${REPS:-5}
here=$(dirname "$0")

usage () { echo "usage: bench/logbessel.sh PROG.anp [I|K]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
src=$1
[ -f "$src" ] || { echo "logbessel.sh: no program $src" >&2; exit 2; }
[ -x "$AUTONUM" ] || { echo "logbessel.sh: no autonum at $AUTONUM (build it, or set AUTONUM)" >&2; exit 2; }

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
sed '/^out /q' "$src" >"$W/prog.anp"

# The target: the argument, else the header line's ("# autonum 1 target=logbesseli ...").
htarget=$(sed -n '1s/^#.* target=\([^ ]*\).*/\1/p' "$W/prog.anp")
case ${2:-} in
  I | i) target=logbesseli ;;
  K | k) target=logbesselk ;;
  '') target=$htarget ;;
  *) usage ;;
esac
case $target in
  logbesseli) fn=I ;;
  logbesselk) fn=K ;;
  '') echo "logbessel.sh: $src names no target in its header: give I or K" >&2; exit 2 ;;
  *) echo "logbessel.sh: $src is for target $target, not logbesseli or logbesselk: give I or K" >&2; exit 2 ;;
esac
[ -z "$htarget" ] || [ "$htarget" = "$target" ] ||
  echo "logbessel.sh: note: $src's header says target=$htarget; measuring it as $target"

# The libraries, one clear line each if missing.
printf '#include <gsl/gsl_sf_bessel.h>\n' >"$W/h.c"
$CC -E "$W/h.c" >/dev/null 2>&1 || { echo "logbessel.sh: GSL headers missing (gsl/gsl_sf_bessel.h): install libgsl-dev" >&2; exit 1; }
printf '#include <arb_hypgeom.h>\n' >"$W/h.c"
$CC -E "$W/h.c" >/dev/null 2>&1 || { echo "logbessel.sh: Arb headers missing (arb_hypgeom.h): install libflint-arb-dev" >&2; exit 1; }

xopts=
vdom=${VDOM:-0:1000}
xdom=${XDOM:-0.001:1000}
[ -z "${VDOM:-}${XDOM:-}" ] || xopts="--domain v=$vdom,x=$xdom"
[ -z "${EXPORT_SAMPLES:-}" ] || xopts="$xopts --samples $EXPORT_SAMPLES"

echo "== program: $src (target $target)"
sed -n '/^[a-z]/p' "$W/prog.anp" | sed 's/^/  /'
# shellcheck disable=SC2086
"$AUTONUM" export "$W/prog.anp" --target "$target" $xopts --name lb_ours -o "$W/f.c" || exit 1
grep -q '^AN_LINKAGE float lb_ours (float v, float x);' "$W/f.c" ||
  { echo "logbessel.sh: the export does not define float lb_ours (float v, float x)" >&2; exit 1; }
sed -n 's/^ \* \(max ULP error:.*\)/  export: \1/p; s/^ \* \(instructions:.*\)/  export: \1/p' "$W/f.c"

omp=-fopenmp
printf 'int main (void) { return 0; }\n' >"$W/o.c"
$CC $omp "$W/o.c" -o "$W/o" >/dev/null 2>&1 || omp=
label=$(basename "$src" .anp)
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS $omp -DAN_FILE="\"$W/f.c\"" -DAN_FUNC=lb_ours "$here/logbessel.c" -o "$W/logbessel" \
  -lgsl -lgslcblas -lflint-arb -lflint -lmpfr -lgmp -lm ||
  { echo "logbessel.sh: compiling bench/logbessel.c failed (needs libgsl-dev, libflint-arb-dev, libmpfr-dev)" >&2; exit 1; }
[ -z "${KEEP:-}" ] || cp "$W/prog.anp" "$W/f.c" "$W/logbessel" "$KEEP/" || exit 1
echo "compiler: $($CC --version | head -1); flags: -std=gnu11 $CFLAGS $omp"
echo
"$W/logbessel" -f "$fn" -n "$N" -s "$SEED" -v "$vdom" -x "$xdom" -r "$REPS" -l "$label" ${MAP:+-m}
