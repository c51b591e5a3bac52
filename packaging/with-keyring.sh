#!/usr/bin/env bash
# Inside a D-Bus session: start gnome-keyring with an unlocked login keyring, then run "$@".
set -euo pipefail
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
export HOME=${SYNCDESK_KEYRING_HOME:-$HOME}
eval "$(printf 'syncdesk-test\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export SYNCDESK_KEYRING_AVAILABLE=1
"$@"
