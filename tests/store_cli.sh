#!/bin/sh
# store_cli.sh -- the database from the command line: runs, front, show and
# stored ids in verify/export; bad databases (not SQLite, another program's,
# newer schema, corrupt, locked, a failed write) give one line, a non-zero exit and
# an unchanged or consistent file; two searches can share a database.
set -u
top_srcdir=${top_srcdir:-.}
. "$top_srcdir/tests/lib.sh"
one_line () { [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$1" "$T/err"; }

if ! command -v sqlite3 >/dev/null; then
  echo "1..0 # SKIP sqlite3 shell not installed (./setup installs it)"
  exit 0
fi
SMALL="--target exp --domain 0.5:2 --population 8 --generations 4 --quiet"
DB="$T/a.db"

"$AN" search $SMALL --db "$DB" >"$T/out" 2>"$T/err"
check $? "a search stores its run"
"$AN" runs --db "$DB" >"$T/out" 2>"$T/err" && grep -q '^1  *exp  *float32  *ulp 1  *done  *4 ' "$T/out"
check $? "runs lists it: id, target, type, bound, status, generations"
"$AN" front --db "$DB" >"$T/out" 2>"$T/err" && grep -q '^run 1: exp float32' "$T/out" \
  && front_rows "$T/out" >"$T/rows" && [ -s "$T/rows" ] && front_order_ok "$T/rows"
check $? "front prints the latest run's front as a table of program ids, solutions first"
id=$(head -n 1 "$T/rows" | cut -d' ' -f2)
if grep -q '^\*' "$T/rows"; then
  grep -q "^export it: autonum export $id --db $DB --verify --name fast_expf -o fast_expf.c$" "$T/out"
  check $? "front prints the command that exports the best solution, with --db"
else
  grep -q '^no solution: ' "$T/out" && grep -q "^closest: program $id, " "$T/out"
  check $? "front without a solution names the closest member"
fi
cp "$T/out" "$T/front.txt"
"$AN" front --db "$DB" --verbose >"$T/out" 2>"$T/err" \
  && [ "$(grep -c '^  in x$' "$T/out")" -ge "$(wc -l <"$T/rows")" ] \
  && [ "$(grep -c '^\(\* \)\{0,1\}program [0-9]*, ' "$T/out")" -eq "$(wc -l <"$T/rows")" ]
check $? "front --verbose prints every member with its program text"
expect_fail 2 "--verbose and --json exclude each other" "front --verbose --json: usage error" -- \
  "$AN" front --db "$DB" --verbose --json
"$AN" front --db "$DB" --json >/dev/full 2>"$T/err"
[ $? -eq 1 ] && one_line "cannot write the JSON front to standard output: No space left on device"
check $? "front --json on a full disk: one line, exit 1"
"$AN" front --db "$DB" >/dev/full 2>"$T/err"
[ $? -eq 1 ] && one_line "cannot write the front to standard output"
check $? "front on a full disk: one line, exit 1"
"$AN" show "$id" --db "$DB" >"$T/out" 2>"$T/err" && grep -q "^program $id: run 1" "$T/out" && grep -q '^made by:' "$T/out"
check $? "show $id: run, scores, lineage"
"$AN" verify "$id" --db "$DB" >"$T/out" 2>"$T/err"
[ $? -le 1 ] && grep -q "program: program $id" "$T/out" && grep -q 'domain: \[0x1p-1, 0x1p+1\]' "$T/out"
check $? "verify $id takes the stored program and its run's domain"
"$AN" export "$id" --db "$DB" --name f >"$T/out" 2>"$T/err" && grep -q 'float f (float x)\|float f(float x)\|^f (float x)' "$T/out"
check $? "export $id"
AUTONUM_DB="$DB" "$AN" show "$id" >"$T/out" 2>"$T/err"
check $? "AUTONUM_DB names the database when --db is absent"
"$AN" front --db "$DB" --json | grep -q '"front":\[{"id":'
check $? "front --json"

if command -v gnuplot >/dev/null; then
  nf=$(front_rows "$T/front.txt" | wc -l)
  "$AN" plot --front 1 --db "$DB" --out "$T/front.svg" >"$T/out" 2>"$T/err" \
    && grep -q "wrote .*: $nf front members" "$T/out" && grep -q '<svg' "$T/front.svg"
  check $? "plot --front RUN draws the stored front ($nf members)"
else
  skip "plot --front RUN: gnuplot not installed"
fi

# Bad requests.
"$AN" show 99999 --db "$DB" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && one_line "no program 99999"
check $? "show of a missing id: one line, exit 1"
"$AN" front 7 --db "$DB" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && one_line "no run 7"
check $? "front of a missing run: one line, exit 1"
"$AN" runs --db "$T/none.db" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && one_line "no such database" && [ ! -e "$T/none.db" ]
check $? "runs on a missing database: one line, exit 1, nothing created"
"$AN" search --resume --no-db >/dev/null 2>"$T/err"
[ $? -eq 2 ] && one_line "excludes"
check $? "--resume with --no-db: usage error"
"$AN" search --resume --db "$DB" --target exp >/dev/null 2>"$T/err"
[ $? -eq 1 ] && one_line "run's own parameters"
check $? "--resume with a new target: refused"

# Files that are not autonum databases are left alone.
refused () {
  desc=$1 pat=$2 f=$3
  cp "$f" "$T/before"
  "$AN" search $SMALL --db "$f" >/dev/null 2>"$T/err"
  rc=$?
  [ $rc -eq 1 ] && one_line "$pat" && cmp -s "$f" "$T/before"
  check $? "$desc: one line, exit 1, file unchanged"
}
printf 'my notes, not a database\n' >"$T/notes.txt"
refused "a text file" "not an SQLite database" "$T/notes.txt"
sqlite3 "$T/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (42)"
refused "another program's SQLite database" "another program" "$T/other.db"
cp "$DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 9"
refused "a newer schema" "newer autonum" "$T/newer.db"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
head -c 20000 "$DB" >"$T/truncated.db"
refused "a truncated database" "corrupt" "$T/truncated.db"
if [ "$(id -u)" != 0 ]; then
  cp "$DB" "$T/ro.db" && chmod 444 "$T/ro.db"
  refused "a read-only database" "cannot write" "$T/ro.db"
else
  skip "a read-only database: running as root, who may write anyway"
fi

# Locked: another process holds the write lock until the search has given up (its busy
# timeout is 10 s; the search may take as long again to get there in a sanitizer build on a
# loaded machine, so the lock is released only when it returns, never after a fixed time).
mkfifo "$T/lock.fifo"
sqlite3 "$DB" <"$T/lock.fifo" &
lock=$!
exec 7>"$T/lock.fifo"
printf 'BEGIN IMMEDIATE;\nUPDATE runs SET pid = pid;\n' >&7
sleep 1
"$AN" search $SMALL --db "$DB" >/dev/null 2>"$T/err"
rc=$?
printf 'ROLLBACK;\n' >&7
exec 7>&-
[ $rc -eq 1 ] && one_line "locked by another process"
check $? "a database locked by another writer: waits, then one line, exit 1"
wait $lock
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check; SELECT count(*) FROM runs' | tr '\n' ' ')" = "ok 1 " ]
check $? "and the database still holds only its first run"

# Two searches on one database at once.
"$AN" search $SMALL --seed 5 --db "$DB" >/dev/null 2>"$T/err1" &
p1=$!
"$AN" search $SMALL --seed 6 --db "$DB" >/dev/null 2>"$T/err2" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] \
  && [ "$(sqlite3 "$DB" "PRAGMA integrity_check; SELECT count(*) FROM runs WHERE status = 'done'" | tr '\n' ' ')" = "ok 3 " ]
check $? "two concurrent searches on one database both finish (exit $r1 $r2)"

# Older schemas: made from a stored run by dropping what later versions added (2: metrics and
# objectives; 3: island searches), then read (migrated in one transaction), resumed and extended.
V3_COLS="ALTER TABLE runs DROP COLUMN islands; ALTER TABLE runs DROP COLUMN island;
  ALTER TABLE runs DROP COLUMN island_group; ALTER TABLE runs DROP COLUMN migrate_every;
  ALTER TABLE runs DROP COLUMN migrants;"
# 4: donors among the members (the table rebuilt with version 3's CHECK).
V4_MEMBERS="CREATE TABLE m3 (run INTEGER NOT NULL REFERENCES runs (id),
  role TEXT NOT NULL CHECK (role IN ('population', 'archive', 'front')), pos INTEGER NOT NULL,
  seq INTEGER NOT NULL, PRIMARY KEY (run, role, pos)) WITHOUT ROWID;
  INSERT INTO m3 SELECT * FROM members; DROP TABLE members; ALTER TABLE m3 RENAME TO members;"
nmembers=$(sqlite3 "$DB" 'SELECT count(*) FROM members')
for v in 1 2 3; do
  cp "$DB" "$T/v$v.db"
  if [ $v = 1 ]; then
    drop="$V4_MEMBERS $V3_COLS ALTER TABLE runs DROP COLUMN metric; ALTER TABLE runs DROP COLUMN objective;
      ALTER TABLE programs DROP COLUMN ulp_large; ALTER TABLE programs DROP COLUMN ulp_verified;"
  elif [ $v = 2 ]; then
    drop="$V4_MEMBERS $V3_COLS"
  else
    drop="$V4_MEMBERS"
  fi
  sqlite3 "$T/v$v.db" "$drop PRAGMA user_version = $v" 2>"$T/err"
  "$AN" runs --db "$T/v$v.db" >"$T/out" 2>"$T/err" && grep -q '^1  *exp  *float32  *ulp 1  *done' "$T/out" \
    && [ "$(sqlite3 "$T/v$v.db" 'PRAGMA user_version; PRAGMA integrity_check;
                               SELECT count(*) FROM runs WHERE islands <> 1 OR island <> 0;
                               SELECT count(*) FROM members')" = "$(printf '4\nok\n0\n%s' "$nmembers")" ] \
    && sqlite3 "$T/v$v.db" "INSERT INTO members VALUES (1, 'donor', 0, 1); DELETE FROM members WHERE role = 'donor'"
  check $? "a schema $v database is migrated when read: its runs are ULP runs on the max, on their own; its members kept, donors allowed"
  "$AN" front 1 --db "$T/v$v.db" >"$T/out" 2>"$T/err" && grep -q "max ULP" "$T/out"
  check $? "front of a migrated run (schema $v)"
  "$AN" search --resume 1 --generations 6 --db "$T/v$v.db" --quiet >"$T/out" 2>"$T/err" \
    && [ "$(sqlite3 "$T/v$v.db" "SELECT generation, metric, objective FROM runs WHERE id = 1")" = "6|ulp|max" ]
  check $? "a migrated run resumes and extends (schema $v)"
done

# A bad command line is refused before any database is created.
expect_fail 2 "unexpected argument 'foo'" "search with a stray argument: usage error" -- \
  "$AN" search --target exp foo --db "$T/stray.db"
[ ! -e "$T/stray.db" ]
check $? "a stray argument leaves no database behind"
expect_fail 1 "unknown target 'nosuch'" "search with an unknown target: one line, exit 1" -- \
  "$AN" search --target nosuch --db "$T/unknown.db"
[ ! -e "$T/unknown.db" ]
check $? "an unknown target leaves no database behind"

# A new run with an earlier run's target, type, domain and seed reads that run's huge and
# probe sample sets (their references can cost milliseconds each) instead of recomputing
# them: the same front, and (after the stored set is altered) the altered set.
R="--target exp --domain 1:2 --generations 2 --population 8 --seed 5 --quiet --json"
"$AN" search $R --db "$T/reuse.db" >"$T/r1.json" 2>/dev/null \
  && "$AN" search $R --db "$T/reuse.db" >"$T/r2.json" 2>/dev/null
strip () { sed 's/"ns_per_element":[0-9.e+-]*//g; s/"id":[0-9]*//g; s/"run":[0-9]*//g' "$1"; }
[ "$(strip "$T/r1.json")" = "$(strip "$T/r2.json")" ] \
  && [ "$(sqlite3 "$T/reuse.db" "SELECT count(DISTINCT ref_hi) FROM samples WHERE name = 'huge'")" = 1 ]
check $? "a second run with the same parameters: the same front and the same huge sample set"
sqlite3 "$T/reuse.db" "UPDATE samples SET ref_hi = ref_lo WHERE run = 1 AND name = 'huge'"
"$AN" search $R --db "$T/reuse.db" >/dev/null 2>&1
[ "$(sqlite3 "$T/reuse.db" "SELECT s.ref_hi = o.ref_lo FROM samples s, samples o WHERE s.run = 3 AND s.name = 'huge' AND o.run = 1 AND o.name = 'huge'")" = 1 ]
check $? "the huge set is read from the earlier run, not recomputed"

# Disk full (a file size limit, which SQLite meets as a failed write).
(ulimit -f 2000; trap '' XFSZ; "$AN" search $SMALL --db "$T/full.db" >/dev/null 2>"$T/err")
[ $? -eq 1 ] && one_line "full.db" && [ "$(sqlite3 "$T/full.db" 'PRAGMA integrity_check; SELECT count(*) FROM runs' | tr '\n' ' ')" = "ok 0 " ]
check $? "file size limit before the run is stored: one line, exit 1, no half run"
tap_end
