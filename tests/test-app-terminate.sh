#!/bin/sh
# The application quits cleanly on SIGTERM (a logout): the database lock is
# given back, so the next start is not told the file is in use.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data"

"$COOPDESK" create-sample --database="$dir/demo.db" >/dev/null || exit 1
"$COOPDESK" --database="$dir/demo.db" >"$dir/out" 2>&1 &
pid=$!

for i in $(seq 1 100); do
  [ -f "$dir/demo.db.lock" ] && break
  sleep 0.1
done
[ -f "$dir/demo.db.lock" ] || { echo "not ok - the running app holds the lock"; kill $pid; exit 1; }
echo "ok - the running app holds the lock"
sleep 2  # the window is up

kill -TERM $pid
wait $pid
status=$?
[ "$status" -eq 0 ] || { echo "not ok - exit status $status after SIGTERM"; cat "$dir/out"; exit 1; }
echo "ok - SIGTERM quits with status 0"
[ ! -f "$dir/demo.db.lock" ] || { echo "not ok - the lock was left behind"; exit 1; }
echo "ok - the lock is given back"
