#!/usr/bin/env bash
# The worker pod's command, packaging/kubernetes/entrypoint.sh, with a fake syncdesk-cli that
# records how it was started: without SYNCDESK_RUN or SYNCDESK_CATALOG (or with a run id that is
# not a number) it exits 2 with a message naming the variable and starts nothing; with both it
# execs `syncdesk-cli worker --run ID` (the same process, the environment intact, the CLI's exit
# code passed on), here as 3 pods at once with JOB_COMPLETION_INDEX 0, 1 and 2. The real worker
# on a real run is tested with the engine.
# usage: check_entrypoint.sh SOURCE_DIR
set -euo pipefail
entry=$1/packaging/kubernetes/entrypoint.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat >"$work/bin/syncdesk-cli" <<'EOF'
#!/bin/sh
# Records its pid, arguments and environment in $FAKE_OUT.$JOB_COMPLETION_INDEX, then exits
# with $FAKE_EXIT.
out=$FAKE_OUT.${JOB_COMPLETION_INDEX:-none}
{
  echo "pid=$$"
  echo "cli=${0##*/}"
  for a in "$@"; do echo "arg=$a"; done
  echo "index=${JOB_COMPLETION_INDEX:-}"
  echo "catalog=$SYNCDESK_CATALOG"
  echo "pgpassword=$PGPASSWORD"
  echo "aws=$AWS_ACCESS_KEY_ID"
} >"$out"
exit "${FAKE_EXIT:-0}"
EOF
chmod +x "$work/bin/syncdesk-cli"
fail=0
check() { # what, condition...
  local what=$1; shift
  if ! "$@"; then echo "FAIL: $what"; fail=1; fi
}

# A pod's environment, nothing inherited from the test's: the fake CLI first on PATH.
pod_env=(env -i "PATH=$work/bin:/usr/bin:/bin" "HOME=$work" "FAKE_OUT=$work/out")
catalog='postgresql://syncdesk@db.example:5432/syncdesk?sslmode=verify-full'

refused() { # what, message, env assignments...
  local what=$1 message=$2 status=0; shift 2
  "${pod_env[@]}" "$@" "$entry" >"$work/stdout" 2>"$work/stderr" || status=$?
  check "$what: exit code $status, not 2" [ "$status" -eq 2 ]
  check "$what: the message lacks '$message': $(cat "$work/stderr")" grep -qF "$message" "$work/stderr"
  check "$what: syncdesk-cli was started" [ -z "$(ls "$work"/out.* 2>/dev/null)" ]
  rm -f "$work"/out.*
}
refused "no SYNCDESK_RUN" "SYNCDESK_RUN is not set" SYNCDESK_CATALOG="$catalog"
refused "empty SYNCDESK_RUN" "SYNCDESK_RUN is not set" SYNCDESK_RUN= SYNCDESK_CATALOG="$catalog"
refused "a SYNCDESK_RUN that is no run id" "SYNCDESK_RUN must be a run id (a number), not 'REPLACE_WITH_RUN_ID'" \
  SYNCDESK_RUN=REPLACE_WITH_RUN_ID SYNCDESK_CATALOG="$catalog"
refused "no SYNCDESK_CATALOG" "SYNCDESK_CATALOG is not set" SYNCDESK_RUN=42
refused "empty SYNCDESK_CATALOG" "SYNCDESK_CATALOG is not set" SYNCDESK_RUN=42 SYNCDESK_CATALOG=
refused "neither" "SYNCDESK_RUN is not set"

# Three pods of the Indexed Job at once, the CLI found on PATH (the image's syncdesk-cli).
pids=()
for i in 0 1 2; do
  "${pod_env[@]}" SYNCDESK_RUN=42 SYNCDESK_CATALOG="$catalog" PGPASSWORD="pw $i" \
    AWS_ACCESS_KEY_ID="AKID$i" JOB_COMPLETION_INDEX=$i "$entry" &
  pids+=($!)
done
for i in 0 1 2; do
  status=0; wait "${pids[$i]}" || status=$?
  check "pod $i: exit code $status, not the CLI's 0" [ "$status" -eq 0 ]
  out=$work/out.$i
  check "pod $i: syncdesk-cli did not run" [ -f "$out" ]
  [ -f "$out" ] || continue
  expected="pid=${pids[$i]}
cli=syncdesk-cli
arg=worker
arg=--run
arg=42
index=$i
catalog=$catalog
pgpassword=pw $i
aws=AKID$i"
  check "pod $i: syncdesk-cli was not exec'd as 'worker --run 42' with its environment:
$(cat "$out")" [ "$(cat "$out")" = "$expected" ]
done

# SYNCDESK_CLI names the binary; its exit code is the pod's (3: a configuration error).
cp "$work/bin/syncdesk-cli" "$work/other-cli"
status=0
"${pod_env[@]}" SYNCDESK_CLI="$work/other-cli" SYNCDESK_RUN=7 SYNCDESK_CATALOG="$catalog" \
  PGPASSWORD=x AWS_ACCESS_KEY_ID=y FAKE_EXIT=3 "$entry" || status=$?
check "SYNCDESK_CLI: exit code $status, not the CLI's 3" [ "$status" -eq 3 ]
check "SYNCDESK_CLI: not started with 'worker --run 7'" grep -qx 'arg=7' "$work/out.none"
check "SYNCDESK_CLI: not the binary started" grep -qx 'cli=other-cli' "$work/out.none"

[ $fail -eq 0 ] && echo "entrypoint.sh: refuses a missing SYNCDESK_RUN or SYNCDESK_CATALOG (exit 2), execs 'syncdesk-cli worker --run ID' in 3 pods"
exit $fail
