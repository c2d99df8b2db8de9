#!/bin/sh
# The commands that need no display: create-sample, check, and their errors.
set -u

fails=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

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

check "create-sample writes the demo" 0 "$COOPDESK" create-sample --database="$dir/demo.db"
grep -q "Partners: *6" "$dir/out" || { echo "not ok - demo has 6 partners"; fails=$((fails + 1)); }

mode=$(stat -c %a "$dir/demo.db")
[ "$mode" = 600 ] || { echo "not ok - database mode is $mode, not 600"; fails=$((fails + 1)); }

check "create-sample refuses a database with records" 1 "$COOPDESK" create-sample --database="$dir/demo.db"
grep -q "already holds records" "$dir/err" || { echo "not ok - refusal says why"; fails=$((fails + 1)); }

# Without a session bus, remind says so in one line, and nothing else.
check "remind without a session bus fails" 1 \
  env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY XDG_RUNTIME_DIR="$dir" \
  "$COOPDESK" remind --database="$dir/demo.db"
[ "$(cat "$dir/err")" = "coopdesk: Could not show the notifications: there is no session bus" ] ||
  { echo "not ok - remind says there is no session bus:"; cat "$dir/err"; fails=$((fails + 1)); }

check "check reports a sound file" 0 "$COOPDESK" check --database="$dir/demo.db"
grep -q "Integrity: *ok" "$dir/out" || { echo "not ok - check prints ok"; fails=$((fails + 1)); }
grep -q "Candidates: *11" "$dir/out" || { echo "not ok - check counts candidates"; fails=$((fails + 1)); }

# A check only reads: it leaves no -wal or -shm beside the file, sound or damaged.
for side in -wal -shm; do
  [ -e "$dir/demo.db$side" ] && { echo "not ok - check left demo.db$side"; fails=$((fails + 1)); }
done
cp "$dir/demo.db" "$dir/damaged.db"
printf '\336\255\336\255%.0s' $(seq 1000) | dd of="$dir/damaged.db" bs=4096 seek=3 conv=notrunc 2>/dev/null
check "check of a damaged file fails" 1 "$COOPDESK" check --database="$dir/damaged.db"
grep -q "damaged" "$dir/err" || { echo "not ok - damage named"; fails=$((fails + 1)); }
for side in -wal -shm; do
  [ -e "$dir/damaged.db$side" ] && { echo "not ok - check left damaged.db$side"; fails=$((fails + 1)); }
done

# An attached file whose content is not the one attached is named by check.
cp "$dir/demo.db" "$dir/attached.db"
sum=$(printf '%%PDF-1.4 contract' | sha256sum | cut -d' ' -f1)
sqlite3 "$dir/attached.db" "
  INSERT INTO attachment (id, agreement_id, name, kind, size, sha256, added_at, data)
    VALUES (11, 2, '盖章合同.pdf', 'contract', 17, '$sum', '2026-12-07 10:00', CAST('%PDF-1.4 contract' AS BLOB));
  INSERT INTO attachment (id, event_id, name, kind, size, sha256, added_at, data)
    VALUES (12, 1, '签到表.pdf', 'sign-in-sheet', 17, '$sum', '2026-12-07 10:00', CAST('%PDF-1.4 changed!' AS BLOB));"
check "check of a file with a damaged attachment fails" 1 "$COOPDESK" check --database="$dir/attached.db"
grep -q "Integrity: *DAMAGED" "$dir/out" || { echo "not ok - check prints DAMAGED"; fails=$((fails + 1)); }
grep -q "^the attached file “签到表.pdf” (attachment 12) of event 1 is damaged" "$dir/out" ||
  { echo "not ok - the damaged attachment is named"; cat "$dir/out"; fails=$((fails + 1)); }
grep -q "盖章合同" "$dir/out" && { echo "not ok - a sound attachment is named"; fails=$((fails + 1)); }
grep -q "Attached files: *5" "$dir/out" || { echo "not ok - check counts attachments"; fails=$((fails + 1)); }
sqlite3 "$dir/attached.db" "DELETE FROM attachment WHERE id = 12"
check "check of a file with sound attachments passes" 0 "$COOPDESK" check --database="$dir/attached.db"

check "check of a missing file fails" 1 "$COOPDESK" check --database="$dir/missing.db"
grep -q "does not exist" "$dir/err" || { echo "not ok - missing file named"; fails=$((fails + 1)); }

head -c 8192 /dev/urandom >"$dir/random.db"
check "check of random bytes fails" 1 "$COOPDESK" check --database="$dir/random.db"

printf 'hello' >"$dir/text.db"
check "check of a text file fails" 1 "$COOPDESK" check --database="$dir/text.db"

: >"$dir/empty.db"
check "check of an empty file fails" 1 "$COOPDESK" check --database="$dir/empty.db"
grep -q "is empty (0 bytes): it is not a Coopdesk database" "$dir/err" ||
  { echo "not ok - empty file named as such"; fails=$((fails + 1)); }
[ -s "$dir/empty.db" ] && { echo "not ok - empty file left unchanged"; fails=$((fails + 1)); }

mkdir "$dir/folder"
check "import-students of a folder fails" 1 "$COOPDESK" import-students "$dir/folder" --database="$dir/demo.db"
grep -q "folder, not a CSV or XLSX file" "$dir/err" ||
  { echo "not ok - folder named as such"; fails=$((fails + 1)); }

# A named pipe, socket or device is refused before it is opened: opening a
# pipe to read would wait for a writer forever.
mkfifo "$dir/pipe"
for args in "check --database=$dir/pipe" "backup --database=$dir/pipe" \
            "import-students --database=$dir/demo.db $dir/pipe" \
            "restore --database=$dir/demo.db --from=$dir/pipe" \
            "backup --database=$dir/demo.db --output=$dir/pipe" \
            "copy --from=$dir/pipe --to=$dir/copy.db"; do
  # shellcheck disable=SC2086
  check "${args%% *} refuses a named pipe at once" 1 timeout 10 "$COOPDESK" $args
  grep -q "“$dir/pipe” is a named pipe (FIFO), not a file; it was not opened." "$dir/err" ||
    { echo "not ok - ${args%% *}: the pipe is named as such"; cat "$dir/err"; fails=$((fails + 1)); }
done
[ -p "$dir/pipe" ] || { echo "not ok - the pipe is left as it was"; fails=$((fails + 1)); }
[ -e "$dir/copy.db" ] && { echo "not ok - copy from a pipe created its target"; fails=$((fails + 1)); }
check "import-students refuses a device" 1 timeout 10 "$COOPDESK" import-students /dev/zero --database="$dir/demo.db"
grep -q "“/dev/zero” is a device, not a file; it was not opened." "$dir/err" ||
  { echo "not ok - the device is named as such"; fails=$((fails + 1)); }

# A cell longer than its field may hold is refused by row, field and limit.
awk 'BEGIN { printf "学号,姓名,专业\n2023001,"; for (i = 0; i < 201; i++) printf "张";
             printf ",数字媒体\n2023002,李四,"; for (i = 0; i < 1000000; i++) printf "x";
             printf "\n" }' >"$dir/long.csv"
check "import-students refuses over-long cells" 1 "$COOPDESK" import-students "$dir/long.csv" --database="$dir/demo.db"
grep -q "^Row 2: Name: 201 characters, more than the 200 it may hold.$" "$dir/out" ||
  { echo "not ok - the long name is named by row, field and limit"; cat "$dir/out"; fails=$((fails + 1)); }
grep -q "^Row 3: Major: 1000000 characters, more than the 200 it may hold.$" "$dir/out" ||
  { echo "not ok - the long major is named by row, field and limit"; fails=$((fails + 1)); }

# On a full disk the user reads one sentence naming the workbook, not the
# temporary file, and not libxlsxwriter's own "[ERROR]" lines beside it.
# A 12 KiB tmpfs in a private mount namespace is the full disk.
mkdir "$dir/small"
if [ "$(id -u)" -eq 0 ]; then namespace="unshare --mount"; else namespace="unshare --map-root-user --mount"; fi
# shellcheck disable=SC2086
if $namespace true 2>/dev/null; then
  # shellcheck disable=SC2086
  check "export-summary on a full disk fails" 1 $namespace sh -c \
    'mount -t tmpfs -o size=12k tmpfs "$1/small" && exec "$2" export-summary --database="$1/demo.db" --output="$1/small/summary.xlsx"' \
    sh "$dir" "$COOPDESK"
  printf 'coopdesk: The disk is full: “%s” could not be written. Free some space or choose another folder.\n' \
    "$dir/small/summary.xlsx" >"$dir/expected"
  cmp -s "$dir/err" "$dir/expected" ||
    { echo "not ok - a full disk gives one sentence"; cat "$dir/err"; fails=$((fails + 1)); }
else
  echo "ok - export-summary on a full disk # SKIP no mount namespace"
fi

check "an unknown size is a usage error" 2 "$COOPDESK" create-sample --database="$dir/x.db" --size=giant
grep -q "“demo”, “large” or “huge”" "$dir/err" || { echo "not ok - the sizes are named"; fails=$((fails + 1)); }
[ ! -e "$dir/x.db" ] || { echo "not ok - a usage error creates no database"; fails=$((fails + 1)); }
check "a missing --database is a usage error" 2 "$COOPDESK" create-sample
check "an unknown command lists the commands" 2 "$COOPDESK" help-me-please --x
check "help lists the commands" 0 "$COOPDESK" help

[ "$fails" -eq 0 ]
