#!/usr/bin/env bash
# README command 2: set up, build, and run every test. The keychain tests need a D-Bus session
# with an unlocked gnome-keyring, which this script starts for the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SYNCDESK_BUILD_DIR:-$root/build}
SYNCDESK_PRESET=${SYNCDESK_PRESET:-ci} "$root/packaging/setup.sh" "$build"
exec dbus-run-session -- "$root/packaging/with-keyring.sh" \
  ctest --test-dir "$build" --output-on-failure --timeout 600 "$@"
