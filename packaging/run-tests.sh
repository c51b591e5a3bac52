#!/usr/bin/env bash
# README command 2: set up, build, and run every test. The keychain tests need a D-Bus session
# with an unlocked gnome-keyring, and the team-mode tests a PostgreSQL server
# (packaging/with-postgres.sh, on a free loopback port, as an unprivileged user), which this
# script starts for the run. Then the hardening run
# (packaging/run-hardening.sh): the unit, integration and GUI tests again under ASan + UBSan +
# LeakSanitizer, and every fuzzer for a bounded time. SYNCDESK_HARDENING=0 skips that part
# (e.g. for a quick local check); CI always runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SYNCDESK_BUILD_DIR:-$root/build}
SYNCDESK_PRESET=${SYNCDESK_PRESET:-ci} "$root/packaging/setup.sh" "$build"
export SYNCDESK_TEST_NPM=$build/test-npm && "$root/packaging/install-test-npm.sh" "$SYNCDESK_TEST_NPM" # S3 tests: s3rver, @smithy/signature-v4; the Kubernetes manifest check: kubernetes-models, yaml
status=0
dbus-run-session -- "$root/packaging/with-keyring.sh" "$root/packaging/with-postgres.sh" \
  ctest --test-dir "$build" --output-on-failure --timeout 600 "$@" || status=1
if [ "${SYNCDESK_HARDENING:-1}" != 0 ]; then
  SYNCDESK_ASAN_LABELS=${SYNCDESK_ASAN_LABELS:-unit|integration|gui} \
    SYNCDESK_FUZZ_SECONDS=${SYNCDESK_FUZZ_SECONDS:-60} \
    "$root/packaging/run-hardening.sh" || status=1
fi
exit "$status"
