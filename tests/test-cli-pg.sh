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

check "an unreachable server is named" 1 "$COOPDESK" check --database="postgresql://localhost:1/coop_cli"
says "$dir/err" "Could not connect to the shared database “coop_cli” on localhost" "the server is named"

check "a wrong password is refused" 1 "$COOPDESK" check --database="postgresql://nobody:wrong@/coop_cli"
says "$dir/err" "password authentication failed" "the reason is given"
if grep -q "wrong" "$dir/err"; then echo "not ok - the password is not repeated"; fails=$((fails + 1)); fi

createdb coop_other && psql -q -d coop_other -c "CREATE TABLE ledger (id int)" || exit 1
check "another program's database is left alone" 1 "$COOPDESK" check --database="postgresql:///coop_other"
says "$dir/err" "holds the tables of another program" "the refusal says why"

check "an address of another kind is refused" 1 "$COOPDESK" check --database="http://localhost/coop"
[ ! -e "$dir/http:" ] || { echo "not ok - no folder named after the address"; fails=$((fails + 1)); }
[ ! -e "$dir/postgresql:" ] || { echo "not ok - no folder named after a URI"; fails=$((fails + 1)); }

check "backup of a shared database points to the server's tools" 1 "$COOPDESK" backup --database="$uri"
says "$dir/err" "pg_dump" "the message names pg_dump"

[ "$fails" -eq 0 ]
