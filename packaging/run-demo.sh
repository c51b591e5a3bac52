#!/usr/bin/env bash
# README command 1: set up, build, and start the GUI on its demo (embedded sandbox + sample data).
# Without a display (a server, a container) the window opens on a virtual X server instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/setup.sh" "$root/build"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" = "" ]; then
  echo "run-demo: no display found; starting SyncDesk on a virtual X server (xvfb-run)." >&2
  exec xvfb-run -a "$root/build/app/syncdesk" --demo "$@"
fi
exec "$root/build/app/syncdesk" --demo "$@"
