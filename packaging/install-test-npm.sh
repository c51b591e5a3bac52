#!/usr/bin/env bash
# The npm packages tests run against. The S3 tests (tests/integration/tst_s3*.cpp, tests/faults/tst_s3_faults.cpp):
# s3rver, a third-party S3-compatible server started on loopback by the tests, and the AWS SDK's
# SigV4 signer (@smithy/signature-v4), which checks SyncDesk's S3 request signatures (s3rver
# does not verify them); and for the Kubernetes manifest's check (tests/packaging/validate-k8s.mjs),
# kubernetes-models (the Kubernetes API schema as validators) and yaml (a YAML parser). Installed
# with pinned versions into DIR (default build/test-npm); nothing is done when they are there
# already. Needs node and npm (packaging/deps.txt).
# usage: packaging/install-test-npm.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$(dirname "$here")/build/test-npm}
want=(s3rver@3.7.1 @smithy/signature-v4@5.7.5 @smithy/hash-node@4.5.2 kubernetes-models@4.5.1 yaml@2.8.1)

installed() {
  local spec name version
  for spec in "${want[@]}"; do
    name=${spec%@*}
    version=${spec##*@}
    [ -f "$dir/node_modules/$name/package.json" ] || return 1
    grep -q "\"version\": \"$version\"" "$dir/node_modules/$name/package.json" || return 1
  done
}

if installed; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-test-npm: installing nodejs and npm (Debian)"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || printf '{"name":"syncdesk-test-npm","private":true}\n' >"$dir/package.json"
echo "install-test-npm: installing ${want[*]} into $dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${want[@]}" >/dev/null
installed || { echo "install-test-npm: the packages are not there after npm install" >&2; exit 1; }
