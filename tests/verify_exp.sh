#!/bin/sh
# verify_exp -- autonum verify on the textbook exp (tests/progs/exp_cw.anp) against an independent exhaustive check (TAP).
#
# The expected figures below come from tests/indep/exp_cw_check.c, which shares
# no code with autonum (C99 re-implementation of the program; reference x87
# expl, MPFR where expl cannot decide).  Regenerate them with:
#   gcc -std=gnu11 -O2 -march=native -ffp-contract=off -fopenmp -Wall -Wextra \
#       tests/indep/exp_cw_check.c -o /tmp/exp_cw_check -lmpfr -lgmp -lm
#   OMP_NUM_THREADS=2 /tmp/exp_cw_check prog
# Output (EXPECTED-FULL):
#   implementation: exp_cw (tests/progs/exp_cw.anp in C99)
#   domain: [-0x1.9fe368p+6, 0x1.62e42ep+6]
#   points checked: 2239849421
#   max ULP: 0.891240797
#   worst input: 0x40a673d3 (0x1.4ce7a6p+2)
#   worst output: 0x1.6b239cp+7 (correctly rounded: 0x1.6b239ap+7)
#   exceeded bound: 0 (bound 1 ULP)
#   not correctly rounded: 10516637
#   slow path (MPFR): 0
#   long double reference self-check: 546839 points against MPFR, max relative error 1.2 * 2^-64, 0 above the assumed bound
#   candidate list complete: yes
#   seconds: 212.6
# (2 threads on a 2-core machine shared with other jobs: 109.7 s of CPU, so
# about 55 s of wall time when the cores are free.)
#   OMP_NUM_THREADS=2 /tmp/exp_cw_check prog 0x1p-1 0x1p+1
# Output (EXPECTED-QUICK):
#   implementation: exp_cw (tests/progs/exp_cw.anp in C99)
#   domain: [0x1p-1, 0x1p+1]
#   points checked: 16777217
#   max ULP: 0.778398636
#   worst input: 0x3fe16088 (0x1.c2c11p+0)
#   worst output: 0x1.744738p+2 (correctly rounded: 0x1.74473ap+2)
#   exceeded bound: 0 (bound 1 ULP)
#   not correctly rounded: 844727
#   slow path (MPFR): 0
#   long double reference self-check: 4097 points against MPFR, max relative error 1.15 * 2^-64, 0 above the assumed bound
#   candidate list complete: yes
#   seconds: 1.5
# The checker checked on glibc 2.36 expf (REFERENCES.md: 0.5016 ULP):
#   OMP_NUM_THREADS=2 /tmp/exp_cw_check expf
#   implementation: libm expf
#   domain: [-0x1.9fe368p+6, 0x1.62e42ep+6]
#   points checked: 2239849421
#   max ULP: 0.501636880
#   worst input: 0xbbe7328f (-0x1.ce651ep-8)
#   worst output: 0x1.fc6678p-1 (correctly rounded: 0x1.fc6676p-1)
#   exceeded bound: 0 (bound 1 ULP)
#   not correctly rounded: 170648
#   slow path (MPFR): 0
#   long double reference self-check: 546839 points against MPFR, max relative error 1.2 * 2^-64, 0 above the assumed bound
#   candidate list complete: yes
#   seconds: 99.3
#
# With AUTONUM_QUICK set (the sanitizer build), only [0.5, 2] is verified.
: "${top_srcdir:=.}" "${top_builddir:=.}"
autonum=$top_builddir/autonum
prog=$top_srcdir/tests/progs/exp_cw.anp

full_points=2239849421
full_max=0.891240797
full_worst=0x40a673d3
full_exceeded=0
quick_domain=0x1p-1:0x1p+1
quick_points=16777217
quick_max=0.778398636
quick_worst=0x3fe16088
quick_exceeded=0

out=$(mktemp "${TMPDIR:-/tmp}/verify_exp.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT
n=0

ok () {   # ok COND-STATUS DESCRIPTION
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

field () {   # field LABEL: the text after "LABEL: " on its line of $out
  sed -n "s/^$1: *//p" "$out" | head -n 1
}

# True when A and B agree to within one unit of the last digit printed in A.
agree_as_printed () {
  awk -v a="$1" -v b="$2" 'BEGIN {
    d = index (a, ".") ? length (a) - index (a, ".") : 0
    tol = 1.000001 * 10 ^ -d    # one unit, with room for binary rounding
    diff = a - b; if (diff < 0) diff = -diff
    exit !(a != "" && diff <= tol) }'
}

# $1 <= $2 as numbers (also false when either is empty).
at_most () {
  awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 <= b + 0) }'
}

check_verify () {   # check_verify LABEL POINTS MAX WORST EXCEEDED [autonum args...]
  label=$1 points=$2 max=$3 worst=$4 exceeded=$5
  shift 5
  "$autonum" verify "$prog" --target exp --type float32 --ulp 1 "$@" > "$out" 2>&1
  ok $? "autonum verify ($label) exits 0: no input above 1 ULP"
  sed 's/^/# /' "$out"
  got=$(field "points checked")
  [ "$got" = "$points" ]
  ok $? "$label: points checked $got, independent count $points"
  got_max=$(field "max ULP")
  agree_as_printed "$got_max" "$max"
  ok $? "$label: max ULP $got_max, independent $max"
  got=$(field "worst input" | sed 's/ .*//')
  [ "$got" = "$worst" ]
  ok $? "$label: worst input $got, independent $worst"
  got=$(field "exceeded bound" | sed 's/ .*//')
  [ "$got" = "$exceeded" ]
  ok $? "$label: exceeded bound $got, independent $exceeded"
}

if [ -n "${AUTONUM_QUICK:-}" ]; then
  echo "1..7"
  check_verify "[0.5, 2]" "$quick_points" "$quick_max" "$quick_worst" "$quick_exceeded" --domain "$quick_domain"
  at_most "$got_max" "$full_max"
  ok $? "max ULP on [0.5, 2] ($got_max) <= on the whole domain ($full_max)"
  verified_max=$full_max
else
  echo "1..6"
  check_verify "whole domain" "$full_points" "$full_max" "$full_worst" "$full_exceeded"
  verified_max=$got_max
fi

"$autonum" eval "$prog" --target exp --type float32 > "$out" 2>&1
status=$?
sed 's/^/# /' "$out"
sampled=$(field "max ULP")
[ "$status" -eq 0 ] && at_most "$sampled" "$verified_max"
ok $? "autonum eval: sampled max ULP $sampled <= verified $verified_max"
