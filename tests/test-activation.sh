#!/bin/sh
# Clicking a notification after Coopdesk has exited starts it through the
# session bus: the installed D-Bus service file names the program, and the
# action the notification carries opens the record's editor.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data"
fails=0

fail () {
  echo "not ok - $1"
  fails=$((fails + 1))
}

service="$BUILD_DATA/org.coopdesk.Coopdesk.service"
grep -qx 'Name=org.coopdesk.Coopdesk' "$service" || fail "the service file names the application"
grep -q '^Exec=/.*/coopdesk --gapplication-service$' "$service" ||
  fail "the service file starts the installed program as a service"
grep -qx 'DBusActivatable=true' "$BUILD_DATA/org.coopdesk.Coopdesk.desktop" ||
  fail "the desktop file asks to be started through the bus"

# The same service, pointing at the program just built, on a private bus.
mkdir -p "$dir/services" "$XDG_DATA_HOME/coopdesk"
sed "s|^Exec=[^ ]*|Exec=$COOPDESK|" "$service" >"$dir/services/org.coopdesk.Coopdesk.service"
cat >"$dir/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>/usr/share/dbus-1/session.conf</include>
  <servicedir>$dir/services</servicedir>
</busconfig>
CONF
"$COOPDESK" create-sample --database="$XDG_DATA_HOME/coopdesk/coopdesk.db" >/dev/null ||
  fail "create-sample"

cat >"$dir/session.sh" <<'SESSION'
#!/bin/sh
# What the shell does when a notification's body is clicked.
gdbus call --session --dest org.coopdesk.Coopdesk --object-path /org/coopdesk/Coopdesk \
  --method org.freedesktop.Application.ActivateAction \
  open-record "[<('CoopAgreement', int64 1)>]" "{}" >/dev/null || { echo "no-activation"; exit 0; }
for i in $(seq 1 100); do
  title=$(xwininfo -root -tree 2>/dev/null | grep -o '"Agreement: [^"]*"' | head -n 1)
  [ -n "$title" ] && break
  sleep 0.1
done
echo "editor $title"
pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.coopdesk.Coopdesk |
  sed 's/.*uint32 \([0-9]*\).*/\1/')
gdbus call --session --dest org.coopdesk.Coopdesk --object-path /org/coopdesk/Coopdesk \
  --method org.freedesktop.Application.ActivateAction quit "[]" "{}" >/dev/null
for i in $(seq 1 100); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.coopdesk.Coopdesk | grep -q false && break
  sleep 0.1
done
gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner org.coopdesk.Coopdesk
# The program itself ends, its database closed.
for i in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && echo "still running"
echo "pid $pid"
SESSION
dbus-run-session --config-file="$dir/session.conf" -- sh "$dir/session.sh" >"$dir/out" 2>"$dir/err"

grep -q '^editor "Agreement: 艺术设计学院—上海奇利影视科技有限公司实践基地协议"$' "$dir/out" ||
  { fail "the bus starts Coopdesk and the action opens the agreement"; cat "$dir/out" "$dir/err"; }
grep -qx '(false,)' "$dir/out" || fail "app.quit gives the name back"
grep -q 'still running' "$dir/out" && fail "app.quit ends the started program"
[ ! -e "$XDG_DATA_HOME/coopdesk/coopdesk.db.lock" ] || { fail "the lock is given back"; cat "$dir/out"; }

[ "$fails" -eq 0 ] && echo "ok - activation"
exit "$fails"
