#!/usr/bin/env bash
# The programs never load a library from the directory they are run from: each starts with a
# planted libz.so.1 in its working directory (built by tests/packaging/planted) and must print its
# version and exit 0. A RUNPATH with an empty entry (CMake's padding for an install RPATH) once made
# the loader search the working directory first.
# usage: check_library_search.sh PLANTED_DIR PROGRAM...
set -uo pipefail
planted=$1; shift
[ -f "$planted/libz.so.1" ] || { echo "no planted library in $planted"; exit 2; }
fail=0
for program in "$@"; do
  name=$(basename "$program")
  out=$(cd "$planted" && QT_QPA_PLATFORM=offscreen "$program" --version 2>&1); rc=$?
  if [ $rc -ne 0 ] || ! grep -q "^$name " <<<"$out"; then
    echo "$name run from $planted: exit $rc"; echo "$out" | head -5; fail=1
  fi
  if readelf -d "$program" | grep -E '\((RPATH|RUNPATH)\)' | grep -qE '\[:|::|:\]|\[\]'; then
    echo "$name has an empty entry in its library search path:"; readelf -d "$program" | grep -E 'RPATH|RUNPATH'; fail=1
  fi
done
[ $fail -eq 0 ] && echo "no program loaded the planted library: $*"
exit $fail
