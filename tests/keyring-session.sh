#!/bin/sh
# keyring-session.sh [--none] COMMAND…
#
# Runs COMMAND on a private session bus of its own, with a throwaway GNOME
# Keyring holding one unlocked "login" keyring under a temporary home: a
# real Secret Service that no test shares and none outlives.  With --none
# the bus offers no Secret Service at all, as on a machine without a
# keyring.  gnome-keyring-daemon runs headless, also as root; it quits
# when the bus goes away.
set -eu

if [ "${COOP_KEYRING_SESSION:-}" = "" ]; then
  none=0
  if [ "${1:-}" = "--none" ]; then
    none=1
    shift
  fi
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  # Only what a session bus needs, and no service directories: nothing on
  # it starts by itself.
  cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$dir</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  status=0
  COOP_KEYRING_SESSION=$dir COOP_KEYRING_NONE=$none \
    dbus-run-session --config-file="$dir/bus.conf" -- "$0" "$@" || status=$?
  exit $status
fi

dir=$COOP_KEYRING_SESSION
export HOME="$dir/home" XDG_DATA_HOME="$dir/home/data" XDG_CONFIG_HOME="$dir/home/config"
export XDG_CACHE_HOME="$dir/home/cache" XDG_RUNTIME_DIR="$dir/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset COOP_KEYRING_SESSION

if [ "$COOP_KEYRING_NONE" = 0 ]; then
  command -v gnome-keyring-daemon >/dev/null ||
    { echo "keyring-session.sh: gnome-keyring-daemon is missing (Debian package gnome-keyring)" >&2; exit 1; }
  # The password unlocks (and first creates) the login keyring.
  printf '%s' coopdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # The daemon may take its name on the bus a moment after it answered:
  # a test that starts sooner finds no keyring.
  tries=0
  until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
          --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
        grep -q true; do
    tries=$((tries + 1))
    [ "$tries" -lt 200 ] || { echo "keyring-session.sh: the keyring did not start" >&2; exit 1; }
    sleep 0.05
  done
fi
unset COOP_KEYRING_NONE
exec "$@"
