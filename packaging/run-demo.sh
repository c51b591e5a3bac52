#!/usr/bin/env bash
# README command 1: set up, build, and start the GUI on its demo (embedded sandbox + sample data).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/setup.sh" "$root/build"
exec "$root/build/app/syncdesk" --demo "$@"
