#!/usr/bin/env bash
# Hardening run: builds the "asan" preset (clang, -O1, AddressSanitizer + UndefinedBehaviorSanitizer
# with LeakSanitizer, libFuzzer targets), runs the unit and integration tests under it inside the
# same D-Bus + gnome-keyring session as run-tests.sh, then runs every fuzzer for a bounded time over
# its seed corpus. Exits non-zero on any failing test, sanitizer report or fuzzer crash.
#
# usage: packaging/run-hardening.sh [extra ctest args...]
# env:   SYNCDESK_FUZZ_SECONDS  seconds per fuzzer (default 30; 0 skips fuzzing)
#        SYNCDESK_FUZZ_PARALLEL fuzzers run at the same time (default: one per core)
#        SYNCDESK_FUZZ_ONLY     run only the fuzzers whose name contains this text
#        SYNCDESK_ASAN_TESTS=0  skip the test suite (fuzz only)
#        SYNCDESK_ASAN_LABELS   ctest label regex (default 'unit|integration'; add gui to try them)
# A longer local fuzzing session, e.g. 20 minutes per fuzzer on all cores:
#   SYNCDESK_FUZZ_SECONDS=1200 SYNCDESK_FUZZ_JOBS=$(nproc) packaging/run-hardening.sh
# New inputs found are kept in build-asan/fuzz-work/<fuzzer>/ (the seed corpus is not modified);
# crash inputs are written to build-asan/fuzz-artifacts/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build-asan
fuzz_seconds=${SYNCDESK_FUZZ_SECONDS:-30}
fuzz_jobs=${SYNCDESK_FUZZ_JOBS:-1}
labels=${SYNCDESK_ASAN_LABELS:-unit|integration}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}

# Sanitizer settings for everything started below (tests, the CLI they spawn, fuzzers).
supp=$root/tests/fuzz/sanitizer-suppressions
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}

start=$(date +%s)
SYNCDESK_SKIP_BUILD=${SYNCDESK_SKIP_BUILD:-0}
if [ "$SYNCDESK_SKIP_BUILD" != 1 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" --preset asan
  fi
  # Only what the unit/integration tests and the fuzzers need (not the GUI, unless gui is in the
  # labels): the asan build is a second full compile of the core.
  targets=(syncdesk-cli syncdesk-sandbox)
  for src in "$root"/tests/unit/tst_*.cpp "$root"/tests/integration/tst_*.cpp "$root"/tests/fuzz/fuzz_*.cpp; do
    [ -f "$src" ] && targets+=("$(basename "$src" .cpp)")
  done
  if [[ $labels == *gui* ]]; then
    targets+=(syncdesk)
    for src in "$root"/tests/gui/tst_*.cpp; do [ -f "$src" ] && targets+=("$(basename "$src" .cpp)"); done
  fi
  cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"
fi
built=$(date +%s)
echo "run-hardening: asan build took $((built - start)) s"

status=0
if [ "${SYNCDESK_ASAN_TESTS:-1}" != 0 ]; then
  dbus-run-session -- "$here/with-keyring.sh" \
    ctest --test-dir "$build" -L "$labels" --output-on-failure --timeout 900 -j "$(nproc)" "$@" || status=1
fi
tested=$(date +%s)
echo "run-hardening: asan tests took $((tested - built)) s"

# One fuzzer: runs it over its seed corpus for $fuzz_seconds and writes one result line to
# $build/fuzz-work/<name>.result ("ok ..." or "FAILED ...").
fuzz_one() {
  local exe=$1 name work log parallel=() corpus=()
  name=$(basename "$exe")
  work=$build/fuzz-work/$name
  log=$build/fuzz-work/$name.log
  mkdir -p "$work"
  [ -d "$root/tests/fuzz/corpus/$name" ] && corpus+=("$root/tests/fuzz/corpus/$name")
  [ "$fuzz_jobs" -gt 1 ] && parallel=(-jobs="$fuzz_jobs" -workers="$fuzz_jobs")
  # The first directory receives new inputs; the seed corpus is only read.
  if (cd "$build/fuzz-work" && QT_QPA_PLATFORM=offscreen "$exe" -max_total_time="$fuzz_seconds" \
      -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 "${parallel[@]}" \
      -artifact_prefix="$build/fuzz-artifacts/$name-" "$work" "${corpus[@]}") >"$log" 2>&1; then
    local execs cov
    execs=$(grep -h 'stat::number_of_executed_units' "$log" 2>/dev/null | awk '{s+=$2} END {print s+0}')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "ok (${execs} execs in ${fuzz_seconds} s, ${cov:-cov: ?}, corpus $(ls "$work" | wc -l) new)" >"$work.result"
  else
    echo "FAILED (log: $log)" >"$work.result"
  fi
}

if [ "$fuzz_seconds" -gt 0 ]; then
  mkdir -p "$build/fuzz-artifacts" "$build/fuzz-work"
  # Several fuzzers at a time (one process each), as many as there are cores.
  fuzz_parallel=${SYNCDESK_FUZZ_PARALLEL:-$(( $(nproc) / fuzz_jobs > 0 ? $(nproc) / fuzz_jobs : 1 ))}
  names=()
  for exe in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$exe" ] && [ -f "$exe" ] || continue
    name=$(basename "$exe")
    if [ -n "${SYNCDESK_FUZZ_ONLY:-}" ] && [[ $name != *"$SYNCDESK_FUZZ_ONLY"* ]]; then continue; fi
    rm -f "$build/fuzz-work/$name.result"
    while [ "$(jobs -rp | wc -l)" -ge "$fuzz_parallel" ]; do wait -n || true; done
    fuzz_one "$exe" &
    names+=("$name")
  done
  wait
  for name in "${names[@]}"; do
    result=$(cat "$build/fuzz-work/$name.result" 2>/dev/null || echo "FAILED (no result)")
    echo "run-hardening: $name $result"
    if [[ $result != ok* ]]; then
      tail -n 60 "$build/fuzz-work/$name.log" || true
      status=1
    fi
  done
fi
echo "run-hardening: fuzzing took $(( $(date +%s) - tested )) s; total $(( $(date +%s) - start )) s"
exit "$status"
