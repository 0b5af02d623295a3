#!/bin/sh
# bessel.sh -- the log-Bessel targets from the command line: two named inputs, --order,
# named domains, exported two-input C (each bad input: one line, a non-zero exit).
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"

# The small-x leading term of log I_v(x), v log(x/2) - lgamma(v+1), in float64 inside.
cat >"$T/lead.anp" <<'P'
in v x
vd = tof64 v
xd = tof64 x
h = mul xd 0.5
l = log h
t = mul vd l
v1 = add vd 1
g = lgamma v1
s = sub t g
r = tof32 s
out r
P
printf 'in x\nxd = tof64 x\nh = mul xd 0.5\nl = log h\nr = tof32 l\nout r\n' >"$T/one.anp"

expect_ok '^logbesseli .*(log (besseli v x))' "targets lists logbesseli" -- "$AN" targets
expect_ok 'domain: \[0x1p+0, 0x1.4p+3\] x \[0x1.0624dep-10, 0x1.47ae14p-7\]' \
  "a named domain, in any order, rounded inward" -- \
  "$AN" eval "$T/lead.anp" --target logbesseli --domain x=0.001:0.01,v=1:10 --samples 64
# Where x is small against v the leading term is the function to a few ULP.
expect_ok 'max ULP: [0-9]\.' "log I_v(x) for small x: the leading term is close" -- \
  "$AN" eval "$T/lead.anp" --target logbesseli --domain v=100:1000,x=0.001:0.01 --samples 200
expect_ok 'target: logbesseli (v = 0.5)' "--order fixes v" -- \
  "$AN" eval "$T/one.anp" --target logbesseli --order 0.5 --domain 1:2 --samples 64
expect_fail 1 "outside the :pre bounds" "--order past the domain" -- \
  "$AN" eval "$T/one.anp" --target logbesseli --order 2000
expect_fail 1 "not a number" "--order that is not a number" -- \
  "$AN" eval "$T/one.anp" --target logbesseli --order 1+2
expect_fail 1 "not an expression of several arguments" "--order on a one-argument target" -- \
  "$AN" eval "$T/one.anp" --target exp --order 1
expect_fail 2 '"y" is not an argument of logbesseli (its arguments: v, x)' "a domain naming an unknown argument" -- \
  "$AN" eval "$T/lead.anp" --target logbesseli --domain v=0:1,y=1:2
expect_fail 2 "name every interval" "named and unnamed intervals" -- \
  "$AN" eval "$T/lead.anp" --target logbesseli --domain v=0:1,1:2
expect_fail 1 "has 1 input but logbesseli takes 2" "a one-input program for the two-input target" -- \
  "$AN" eval "$T/one.anp" --target logbesseli

# A saved program's header states each input's interval, and eval/verify/export read them back.
expect_ok '' "search -o with a domain per input" -- \
  "$AN" search --target mul --domain 1:2,3:4 --generations 1 --population 8 --no-db --quiet -o "$T/m.anp"
expect_ok 'domain: \[0x1p+0, 0x1p+1\] x \[0x1.8p+1, 0x1p+2\]' "the header's two intervals are the domain" -- \
  "$AN" eval "$T/m.anp" --samples 64
printf '# autonum 1 target=mul type=float32 domain=1:2,3\nin x y\nout x\n' >"$T/bad.anp"
expect_fail 1 "domain must be LO:HI" "a malformed header domain" -- "$AN" eval "$T/bad.anp"

# Export: float NAME (float v, float x), the libm calls as written, and the fixed order's
# target in the header, so that verify needs no --order.
expect_ok '' "export a two-input program" -- "$AN" export "$T/lead.anp" --target logbesseli --name lbi -o "$T/lbi.c"
if grep -q '^lbi (float v, float x)' "$T/lbi.c" && grep -q 'lgamma (' "$T/lbi.c"; then
  ok "exported: lbi (float v, float x), calling lgamma"
else
  notok "exported: lbi (float v, float x), calling lgamma"
fi
CC=${AN_CC:-cc}
cat >"$T/main.c" <<'C'
#include <math.h>
#include <stdio.h>
float lbi (float v, float x);
int main (void) { printf ("%.9g\n", lbi (10.0f, 0.5f)); return 0; }
C
if $CC -std=c99 -O2 "$T/main.c" "$T/lbi.c" -o "$T/lbi" -lm 2>"$T/err" && "$T/lbi" >"$T/out" \
   && grep -q '^-28\.9' "$T/out"; then
  ok "the exported function runs: lbi (10, 0.5) = $(cat "$T/out") (log I_10(0.5) = -28.96...; the leading term -28.967)"
else
  notok "the exported function runs"
  sed 's/^/# /' "$T/err" "$T/out"
fi
tap_end
