#!/bin/sh
# The worker pod's command (packaging/kubernetes/worker-job.yaml): joins the distributed run
# SYNCDESK_RUN on the catalog SYNCDESK_CATALOG and works its units until every unit is settled.
# Everything else comes from the environment as it is: PGPASSWORD, the destination's credentials
# (AWS_ACCESS_KEY_ID, STITCH_TOKEN, ...), and JOB_COMPLETION_INDEX, which syncdesk-cli reads itself
# as a hint for the first unit to claim. SYNCDESK_CLI overrides the binary (the tests use it).
# Exit codes: syncdesk-cli's; 2 when SYNCDESK_RUN or SYNCDESK_CATALOG is missing or malformed.
set -eu

fail() {
  echo "syncdesk worker: $*" >&2
  exit 2
}

if [ -z "${SYNCDESK_RUN:-}" ]; then
  fail "SYNCDESK_RUN is not set: set it to the id of the prepared run ('syncdesk-cli run JOB --distributed --prepare-only' prints it)"
fi
case $SYNCDESK_RUN in
  *[!0-9]*) fail "SYNCDESK_RUN must be a run id (a number), not '$SYNCDESK_RUN'" ;;
esac
if [ -z "${SYNCDESK_CATALOG:-}" ]; then
  fail "SYNCDESK_CATALOG is not set: set it to the shared catalog's URL (postgresql://user@host:port/db; the password goes in PGPASSWORD)"
fi

exec "${SYNCDESK_CLI:-syncdesk-cli}" worker --run "$SYNCDESK_RUN"
