#!/usr/bin/env bash
# Inside a D-Bus session: start gnome-keyring with a fresh, unlocked login keyring, then run "$@".
# The keyring lives in a temporary directory (never the user's own keyrings) that is removed
# afterwards. SYNCDESK_KEYRING_AVAILABLE=1 is exported only when the daemon came up, so the
# keychain tests skip instead of failing where there is no gnome-keyring.
# usage: dbus-run-session -- packaging/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail

state=$(mktemp -d "${TMPDIR:-/tmp}/syncdesk-keyring.XXXXXX")
cleanup() { rm -rf "$state"; }
trap cleanup EXIT
mkdir -p "$state/data" "$state/runtime"
chmod 700 "$state/runtime"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$state/runtime}

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-keyring: no D-Bus session (run me through dbus-run-session); keychain tests will skip" >&2
elif ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: gnome-keyring-daemon not installed; keychain tests will skip" >&2
else
  # The daemon keeps its keyrings under $XDG_DATA_HOME/keyrings: point it at the fresh directory.
  # --unlock reads the password from stdin and creates the login keyring with it when missing.
  if env_out=$(printf 'syncdesk-test\n' | XDG_DATA_HOME="$state/data" \
      gnome-keyring-daemon --unlock --components=secrets 2>"$state/daemon.log"); then
    eval "$env_out"
    export GNOME_KEYRING_CONTROL 2>/dev/null || true
    export SYNCDESK_KEYRING_AVAILABLE=1
  else
    echo "with-keyring: gnome-keyring-daemon failed; keychain tests will skip:" >&2
    cat "$state/daemon.log" >&2 || true
  fi
fi

status=0
"$@" || status=$?
exit "$status"
