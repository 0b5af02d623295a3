#!/bin/sh
# islands.sh -- island searches over MPI ranks (issue 18) on this machine:
#  1. throughput: candidates scored per second of wall time (mpirun's start-up included) for
#     1 rank (1 and 2 OpenMP threads) and 2 ranks (1 thread each), the same total population;
#     and the per-generation figures an estimate for more ranks needs (the bytes of the other
#     islands' writes rank 0 receives per checkpoint, its time replaying and committing them,
#     the wait for the slowest island, the size of a migration message);
#  2. evaluations to the first verified solution for 1, 2 and 4 islands of the same total
#     population (48 = 1 x 48, 2 x 24, 4 x 12), per seed and averaged over the seeds: the
#     candidates all islands had scored at the end of the generation that verified it (a
#     count, so it does not depend on the machine's load; the seconds beside it do).
# Usage: bench/islands.sh
# Environment: TARGET and OPTS, the search of both parts (default sqrt(1 + x^2) on [1/2, 2]
# within 1 ULP in float32 arithmetic alone: no seed is a solution there, so evolution has to
# work, about a hundred generations; with the default ops a seed or its first children are
# verified after some 70-130 candidates for most targets, and islands cannot help that),
# SEEDS (default 1 to 8), PARTS (default "1 2"), GENS (generation cap of part 2, default 300), TGENS (generations
# of part 1, default 40), top_builddir.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
AN=$build/autonum
seeds=${SEEDS:-1 2 3 4 5 6 7 8}
parts=${PARTS:-1 2}
target=${TARGET:-(FPCore (x) :pre (<= 1/2 x 2) (sqrt (+ 1 (* x x))))}
opts=${OPTS:---ops -tof64,tof32 --ulp 1}
gens=${GENS:-300}
tgens=${TGENS:-40}
command -v mpirun >/dev/null || { echo "islands.sh: mpirun is not installed (./setup installs openmpi-bin)"; exit 1; }
grep -q '^#define HAVE_MPI 1' "$build/config.h" || { echo "islands.sh: autonum was built without MPI"; exit 1; }
MPIRUN="mpirun --oversubscribe -q"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
OMPI_MCA_btl=self,vader
export OMPI_MCA_btl
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
now () { date +%s.%N; }

# run NAME RANKS POPULATION THREADS OPTIONS...: one search into $w/NAME.db, its summary in
# $w/NAME.err, the wall seconds in $w/NAME.wall.
run () {
  name=$1 ranks=$2 pop=$3 threads=$4
  shift 4
  rm -f "$w/$name.db"*
  t0=$(now)
  if [ "$ranks" = 1 ]; then
    "$AN" search "$@" --population "$pop" --threads "$threads" --db "$w/$name.db" >"$w/$name.out" 2>"$w/$name.err" || true
  else
    $MPIRUN -np "$ranks" "$AN" search "$@" --population "$pop" --threads "$threads" --db "$w/$name.db" \
      >"$w/$name.out" 2>"$w/$name.err" || true
  fi
  t1=$(now)
  echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >"$w/$name.wall"
}
candidates () { sqlite3 "$w/$1.db" "SELECT sum(evaluations) FROM runs"; }

case " $parts " in *" 1 "*) ;; *) tgens=0 ;; esac
[ "$tgens" = 0 ] || {
echo "# 1. throughput: $target $opts, total population 48, $tgens generations, best of 3"
printf '%-16s %11s %8s %9s %13s %13s\n' "ranks x threads" candidates wall_s search_s candidates/s "per search s"
for cfg in "1 48 1" "1 48 2" "2 24 1"; do
  set -- $cfg
  best=0
  for rep in 1 2 3; do
    # shellcheck disable=SC2086
    run t "$1" "$2" "$3" --target "$target" $opts --seed 1 --generations "$tgens"
    r=$(echo "$(candidates t) $(cat "$w/t.wall")" | awk '{ printf "%.1f", $1 / $2 }')
    best=$(echo "$best $r" | awk '{ print ($2 > $1) ? $2 : $1 }')
    c=$(candidates t) s=$(cat "$w/t.wall")
    # the search's own seconds (the summary's; without MPI_Init and building the samples)
    ss=$(sed -n 's/^[0-9]* generations, .*, \([0-9.]*\) s$/\1/p' "$w/t.err")
  done
  printf '%-16s %11s %8s %9s %13s %13s\n' "$1 x $3" "$c" "$s" "$ss" "$best" \
    "$(echo "$c $ss" | awk '{ printf "%.1f", $1 / $2 }')"
  [ "$1" = 2 ] && cp "$w/t.err" "$w/two.err"
done
echo "2 ranks, the per-checkpoint figures of rank 0 (a checkpoint per generation):"
grep '^rank 0:' "$w/two.err" || echo "(not printed: see $w/two.err)"
}

case " $parts " in *" 2 "*) ;; *) exit 0 ;; esac
echo
echo "# 2. evaluations to the first verified solution: $target $opts, total population 48, at most $gens generations"
printf '%-9s %5s %14s %10s\n' islands seed candidates seconds
for cfg in "1 48" "2 24" "4 12"; do
  set -- $cfg
  for s in $seeds; do
    # shellcheck disable=SC2086
    run f "$1" "$2" 1 --target "$target" $opts --seed "$s" --generations "$gens"
    line=$(grep '^first verified solution after' "$w/f.err" || true)
    c=$(echo "$line" | sed -n 's/.*, \([0-9]*\) candidates.*/\1/p')
    t=$(echo "$line" | sed -n 's/^first verified solution after \([0-9.]*\) s.*/\1/p')
    end=$(candidates f)
    printf '%-9s %5s %14s %10s\n' "$1 x $2" "$s" "${c:-none (>$end)}" "${t:--}"
    echo "$1 ${c:-none} $end" >>"$w/first"
  done
  [ "$1" = 1 ] || grep '^rank 0:' "$w/f.err" | sed "s/^/  $1 islands, seed $s: /"
done
# A run that found none counts with the candidates it scored in all (the mean is then a lower
# bound: it would have needed more).
awk '{ n[$1]++; if ($2 != "none") { k[$1]++; sum[$1] += $2; all[$1] += $2 } else all[$1] += $3 }
     END { for (i = 1; i <= 4; i *= 2) if (n[i])
             printf "%d island(s): %d of %d seeds found one; mean %s candidates over those; over all seeds at least %.0f\n",
                    i, k[i], n[i], k[i] ? sprintf("%.0f", sum[i] / k[i]) : "-", all[i] / n[i] }' "$w/first"
