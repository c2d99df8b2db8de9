#!/bin/sh
# The commands that need no display, on a shared database: run under
# pg_virtualenv, which starts a throwaway cluster and sets PGHOST and the rest.
set -u

fails=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

check () {
  # check DESCRIPTION EXPECTED-STATUS COMMAND…
  description=$1; expected=$2; shift 2
  "$@" >"$dir/out" 2>"$dir/err"
  status=$?
  if [ "$status" -ne "$expected" ]; then
    echo "not ok - $description: exit status $status, expected $expected"
    cat "$dir/out" "$dir/err"
    fails=$((fails + 1))
  else
    echo "ok - $description"
  fi
}

says () {
  # says FILE PATTERN DESCRIPTION
  grep -q "$2" "$1" || { echo "not ok - $3"; cat "$1"; fails=$((fails + 1)); }
}

createdb coop_cli || exit 1
uri="postgresql:///coop_cli"

check "create-sample fills a shared database" 0 "$COOPDESK" create-sample --database="$uri"
says "$dir/out" "Partners: *6" "the demo has 6 partners"

check "check reports the shared database" 0 "$COOPDESK" check --database="$uri"
says "$dir/out" "Integrity: *ok" "check prints ok"
says "$dir/out" "Candidates: *11" "check counts candidates"
says "$dir/out" "Server version:" "check names the server's version"

check "export-summary writes a workbook from the server" 0 \
  "$COOPDESK" export-summary --database="$uri" --output="$dir/summary.xlsx"
[ -s "$dir/summary.xlsx" ] || { echo "not ok - the workbook is written"; fails=$((fails + 1)); }

printf '学号,姓名\n2025001,张三\n2025002,李四\n' >"$dir/students.csv"
check "import-students stores on the server" 0 "$COOPDESK" import-students --database="$uri" "$dir/students.csv"
says "$dir/out" "2 added, 0 updated, 0 unchanged" "the import counts what it added"
check "the same import again changes nothing" 0 "$COOPDESK" import-students --database="$uri" "$dir/students.csv"
says "$dir/out" "0 added, 0 updated, 2 unchanged" "the second import finds the students"
check "check counts the imported students" 0 "$COOPDESK" check --database="$uri"
says "$dir/out" "Students: *18" "16 demo students and 2 imported"

# An import killed at any moment leaves the server as it was.
awk 'BEGIN { print "学号,姓名"; for (i = 0; i < 300000; i++) printf "2030%06d,学生%d\n", i, i }' >"$dir/big.csv"
for moment in 0.3 0.6 1.0; do
  "$COOPDESK" import-students --database="$uri" "$dir/big.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$moment"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  check "check after an import killed at $moment s" 0 "$COOPDESK" check --database="$uri"
  says "$dir/out" "Students: *18" "the import killed at $moment s left nothing"
done

check "an unreachable server is named" 1 "$COOPDESK" check --database="postgresql://localhost:1/coop_cli"
says "$dir/err" "Could not connect to the shared database “coop_cli” on localhost" "the server is named"

check "a wrong password is refused" 1 "$COOPDESK" check --database="postgresql://nobody:wrong@/coop_cli"
says "$dir/err" "refused the password of “nobody”" "the refusal names the user"
if grep -q "wrong" "$dir/err"; then echo "not ok - the password is not repeated"; fails=$((fails + 1)); fi

createdb coop_other && psql -q -d coop_other -c "CREATE TABLE ledger (id int)" || exit 1
check "another program's database is left alone" 1 "$COOPDESK" check --database="postgresql:///coop_other"
says "$dir/err" "holds the tables of another program" "the refusal says why"

check "an address of another kind is refused" 1 "$COOPDESK" check --database="http://localhost/coop"
[ ! -e "$dir/http:" ] || { echo "not ok - no folder named after the address"; fails=$((fails + 1)); }
[ ! -e "$dir/postgresql:" ] || { echo "not ok - no folder named after a URI"; fails=$((fails + 1)); }

check "backup of a shared database asks where to write it" 2 "$COOPDESK" backup --database="$uri"
check "backup of a shared database writes a checked file" 0 "$COOPDESK" backup --database="$uri" --output="$dir/server.backup"
says "$dir/out" "Backup written and checked" "the backup is checked"
mode=$(stat -c %a "$dir/server.backup")
[ "$mode" = 600 ] || { echo "not ok - the backup's mode is $mode, not 600"; fails=$((fails + 1)); }
ls -a "$dir" | grep -q "coopdesk-backup-" && { echo "not ok - no scratch folder is left"; fails=$((fails + 1)); }
check "the backup file reads as a ledger" 0 "$COOPDESK" check --database="$dir/server.backup"
says "$dir/out" "Students: *18" "the backup holds every student"

# Restore: what the server holds now is kept, then replaced by the backup.
printf '学号,姓名\n2026002,孙七\n' >"$dir/later.csv"
"$COOPDESK" import-students --database="$uri" "$dir/later.csv" >/dev/null
check "restore a shared database from a backup file" 0 "$COOPDESK" restore --database="$uri" --from="$dir/server.backup"
says "$dir/out" "previous contents were kept" "restore says where the old contents are"
check "the server holds the backup's students again" 0 "$COOPDESK" check --database="$uri"
says "$dir/out" "Students: *18" "the student added after the backup is gone"
kept=$(ls "$dir"/server.backup.before-restore-* | head -1)
check "the kept contents read as a ledger" 0 "$COOPDESK" check --database="$kept"
says "$dir/out" "Students: *19" "the kept file has the later student"

# A whole ledger from a file to a server and back.
check "create-sample writes a file" 0 "$COOPDESK" create-sample --database="$dir/demo.db"
createdb coop_copy || exit 1
check "copy from a file to a server" 0 "$COOPDESK" copy --from="$dir/demo.db" --to="postgresql:///coop_copy"
says "$dir/out" "Copied and checked" "the copy is checked"
says "$dir/out" "Candidates: *11" "every candidate is copied"
check "copy refuses a target with records" 1 "$COOPDESK" copy --from="$dir/demo.db" --to="postgresql:///coop_copy"
says "$dir/err" "already holds records" "the refusal says why"
check "copy --replace replaces them" 0 "$COOPDESK" copy --from="$dir/demo.db" --to="postgresql:///coop_copy" --replace
check "copy from the server to a new file" 0 "$COOPDESK" copy --from="postgresql:///coop_copy" --to="$dir/back.db"
"$COOPDESK" check --database="$dir/demo.db" | grep -v "^Database:" >"$dir/before"
"$COOPDESK" check --database="$dir/back.db" | grep -v "^Database:" >"$dir/after"
cmp -s "$dir/before" "$dir/after" || { echo "not ok - the file copied back counts the same"; diff "$dir/before" "$dir/after"; fails=$((fails + 1)); }
sqlite3 "$dir/demo.db" "SELECT * FROM partner ORDER BY id" >"$dir/partners-before"
sqlite3 "$dir/back.db" "SELECT * FROM partner ORDER BY id" >"$dir/partners-after"
cmp -s "$dir/partners-before" "$dir/partners-after" || { echo "not ok - partners come back the same"; fails=$((fails + 1)); }
# New rows on the server get new ids after the copied ones.
printf '学号,姓名\n2026001,赵六\n' >"$dir/one.csv"
check "an import after a copy gets a fresh id" 0 "$COOPDESK" import-students --database="postgresql:///coop_copy" "$dir/one.csv"
says "$dir/out" "1 added" "the student is added"

[ "$fails" -eq 0 ]
