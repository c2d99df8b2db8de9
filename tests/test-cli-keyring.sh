#!/bin/sh
# The commands without a window on a shared database whose password only
# the keyring knows.  Runs under pg_virtualenv, whose connections over TCP
# want a password, and keyring-session.sh, which gives it a throwaway GNOME
# Keyring on a private bus and a home of its own (no ~/.pgpass).  With
# COOP_TEST_NO_KEYRING=1 the bus has no Secret Service: the commands go on
# without a password, and ~/.pgpass works as before.
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

keeps_secret () {
  # keeps_secret DESCRIPTION: neither output names the password
  if grep -q "Pa&ss\|password=" "$dir/out" "$dir/err"; then
    echo "not ok - $1"; cat "$dir/out" "$dir/err"; fails=$((fails + 1))
  fi
}

role=coop_clerk
database=coop_cli_keyring
password='Pa&ss=1 密'
admin_password=$PGPASSWORD
unset PGPASSWORD
admin () {
  PGPASSWORD=$admin_password psql -q -v ON_ERROR_STOP=1 -d postgres -c "$1" >/dev/null || exit 1
}
admin "CREATE ROLE $role LOGIN PASSWORD '$password'"
admin "CREATE DATABASE $database OWNER $role"
uri="postgresql://$role@localhost:$PGPORT/$database"

check "without a password the server is refused" 1 "$COOPDESK" check --database="$uri"
says "$dir/err" "wants a password for “$role”" "the refusal names the user"

if [ "${COOP_TEST_NO_KEYRING:-}" = 1 ]; then
  # ~/.pgpass, as before the keyring was read.
  printf 'localhost:%s:%s:%s:%s\n' "$PGPORT" "$database" "$role" "$password" >"$HOME/.pgpass"
  chmod 600 "$HOME/.pgpass"
  check "create-sample with ~/.pgpass and no keyring" 0 "$COOPDESK" create-sample --database="$uri"
  check "check with ~/.pgpass and no keyring" 0 "$COOPDESK" check --database="$uri"
  says "$dir/out" "Partners: *6" "the demo has 6 partners"
  [ "$fails" -eq 0 ]
  exit
fi

# Filed as the window files it (see coop-keyring.c).
printf '%s' "$password" |
  secret-tool store --label="Coopdesk shared database $role@localhost/$database" \
    xdg:schema org.coopdesk.Coopdesk.Database host localhost port "$PGPORT" \
    database "$database" user "$role" || exit 1

check "create-sample with the remembered password" 0 "$COOPDESK" create-sample --database="$uri"
keeps_secret "create-sample does not show the password"
check "check with the remembered password" 0 "$COOPDESK" check --database="$uri"
says "$dir/out" "Partners: *6" "the demo has 6 partners"
keeps_secret "check does not show the password"
check "export-summary with the remembered password" 0 \
  "$COOPDESK" export-summary --database="$uri" --output="$dir/summary.xlsx"
check "due with the remembered password" 0 "$COOPDESK" due --database="$uri"
check "backup with the remembered password" 0 \
  "$COOPDESK" backup --database="$uri" --output="$dir/server.backup"
check "copy to the server with the remembered password" 1 \
  "$COOPDESK" copy --from="$dir/server.backup" --to="$uri"
says "$dir/err" "already holds records" "the copy reached the server"

# Another user's password is not this one's.
check "another user finds no password" 1 "$COOPDESK" check --database="postgresql://nobody@localhost:$PGPORT/$database"
says "$dir/err" "wants a password for “nobody”" "the other user is asked for a password"

# The password changes on the server: the remembered one is refused.
admin "ALTER ROLE $role PASSWORD 'changed-2'"
check "a remembered password the server refuses" 1 "$COOPDESK" check --database="$uri"
says "$dir/err" "refused the password of “$role”" "the refusal names the user"
keeps_secret "the refusal does not show the password"
admin "ALTER ROLE $role PASSWORD '$password'"

# A locked keyring is not unlocked: nobody would answer its prompt.
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" \
  >/dev/null || exit 1
start=$(date +%s)
check "a locked keyring gives no password" 1 timeout 30 "$COOPDESK" check --database="$uri"
says "$dir/err" "wants a password for “$role”" "the locked keyring's password is not used"
[ $(($(date +%s) - start)) -lt 10 ] || { echo "not ok - a locked keyring does not stall the command"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ]
