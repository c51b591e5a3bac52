#!/usr/bin/env bash
# The programs never load a library from the directory they are run from. Each must
# - have no RPATH or RUNPATH entry that is empty or relative (the loader reads an empty entry as
#   the working directory: CMake once padded the build tree's RUNPATH with empty entries to make
#   room for an install RPATH);
# - start with a planted libz.so.1 (built by tests/packaging/planted, a direct dependency of every
#   program) in its working directory, and print its version. Loading the planted library fails
#   the start: a symbol lookup error (exit 127), or its constructor's exit 97.
# usage: check_library_search.sh PLANTED_DIR PROGRAM...
set -uo pipefail
planted=$(realpath -- "$1"); shift
[ -f "$planted/libz.so.1" ] || { echo "no planted library in $planted"; exit 2; }
command -v readelf >/dev/null || { echo "readelf is needed (binutils)"; exit 2; }
fail=0
for arg in "$@"; do
  program=$(realpath -- "$arg"); name=$(basename "$program")
  dynamic=$(readelf -d "$program") || { echo "$name: readelf failed"; fail=1; continue; }
  grep -q 'NEEDED.*\[libz\.so\.1\]' <<<"$dynamic" \
    || { echo "$name does not load libz.so.1 itself: the planted library tests nothing"; fail=1; }
  path=$(sed -n 's/.*(R[UN]*PATH).*\[\(.*\)\]$/\1/p' <<<"$dynamic")
  if [ -n "$path" ] || grep -qE '\((RPATH|RUNPATH)\)' <<<"$dynamic"; then
    IFS=: read -ra entries <<<"$path:"
    for entry in "${entries[@]}"; do
      case $entry in
        /* | '$ORIGIN' | '$ORIGIN/'* | '${ORIGIN}' | '${ORIGIN}/'*) ;;
        *) echo "$name searches a path relative to the working directory: [${path}]"; fail=1; break ;;
      esac
    done
  fi
  out=$(cd "$planted" && env -u LD_LIBRARY_PATH -u LD_PRELOAD QT_QPA_PLATFORM=offscreen \
        "$program" --version 2>&1); rc=$?
  if [ $rc -ne 0 ] || ! grep -q "^$name " <<<"$out"; then
    echo "$name run from $planted: exit $rc"; echo "$out" | head -5; fail=1
  fi
done
[ $fail -eq 0 ] && echo "no program searched the working directory: $*"
exit $fail
