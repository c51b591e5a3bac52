#!/usr/bin/env bash
# Distributed runs (issue 17): rows/s and CPU per row with 1, 2 and 4 `syncdesk-cli worker`
# processes on one run of 8 units, against the sandbox on loopback, with the catalog on the
# PostgreSQL server of packaging/with-postgres.sh; and what the catalog costs per unit (statements
# and server time, from pg_stat_statements). Prints a table.
#
#   packaging/with-postgres.sh tests/bench/bench_distributed.sh [BUILD_DIR] [ROWS]
set -euo pipefail
build=${1:-build}
rows=${2:-400000}
cli=$(realpath "$build/app/syncdesk-cli")
sandbox=$(realpath "$build/app/syncdesk-sandbox")
: "${SYNCDESK_TEST_PG:?run under packaging/with-postgres.sh}"
command -v psql >/dev/null || { echo "psql is needed" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$sandbox" --port 0 >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sandbox.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the sandbox did not start" >&2; exit 1; }

python3 - "$work/rows.jsonl" "$rows" <<'EOF'
import json, sys
with open(sys.argv[1], 'w') as f:
    for i in range(1, int(sys.argv[2]) + 1):
        f.write(json.dumps({"id": i, "name": "customer %d" % i, "amount": i * 7 % 1000,
                            "note": "bench row"}, separators=(',', ':')) + "\n")
EOF

schema="bench_dist_$$"
psql -q "$SYNCDESK_TEST_PG" -c "CREATE SCHEMA $schema" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
catalog="$SYNCDESK_TEST_PG?options=-csearch_path%3D$schema"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1
units=8

printf '%-8s %10s %10s %12s %14s %16s\n' workers seconds rows/s "cpu us/row" "stmts/unit" "server ms/unit"
for n in 1 2 4; do
  stream="bench-$n-$$"
  run=$("$cli" upload "$work/rows.jsonl" --kind firehose --endpoint "$url" --stream "$stream" \
          --catalog "$catalog" --data-dir "$work/desk" --distributed --units "$units" \
          --prepare-only --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"])')
  psql -qAt "$SYNCDESK_TEST_PG" -c "SELECT pg_stat_statements_reset()" >/dev/null
  start=$(date +%s.%N)
  pids=()
  for i in $(seq 0 $((n - 1))); do
    JOB_COMPLETION_INDEX=$i /usr/bin/time -f '%U %S' -o "$work/time-$n-$i" \
      "$cli" worker --run "$run" --catalog "$catalog" --data-dir "$work/w$i" --quiet \
      >"$work/out-$n-$i" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  cpu=$(cat "$work"/time-$n-* | awk '{s += $1 + $2} END {print s}')
  read -r calls ms < <(psql -qAt -F ' ' "$SYNCDESK_TEST_PG" -c \
    "SELECT COALESCE(SUM(calls),0), COALESCE(SUM(total_exec_time),0) FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()
       AND query NOT ILIKE '%pg_stat_statements%'")
  python3 - "$n" "$start" "$end" "$rows" "$cpu" "$calls" "$ms" "$units" <<'EOF'
import sys
n, start, end, rows, cpu, calls, ms, units = sys.argv[1:]
secs = float(end) - float(start)
print('%-8s %10.2f %10.0f %12.2f %14.0f %16.1f' % (n, secs, int(rows) / secs,
      float(cpu) * 1e6 / int(rows), int(calls) / int(units), float(ms) / int(units)))
EOF
done
echo "($rows rows, $units units, firehose, sandbox and PostgreSQL on loopback; $(nproc) cores)"
