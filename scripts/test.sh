#!/usr/bin/env bash
# Runs the test suites with Node's built-in test runner (TypeScript through tsx).
#   scripts/test.sh         type check, unit tests, then end-to-end tests
#   scripts/test.sh unit    unit and differential tests only (no cluster)
#   scripts/test.sh e2e     end-to-end tests against a real kube-apiserver + kube-controller-manager
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

unit_files() { find test -name '*.test.ts' -not -path 'test/e2e/*' | sort; }
e2e_files() { find test/e2e -name '*.test.ts' 2>/dev/null | sort; }

run() {
  # shellcheck disable=SC2046
  node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "$@"
}

case "$what" in
  unit)
    run $(unit_files) ;;
  e2e)
    files=$(e2e_files)
    [ -n "$files" ] || { echo "no end-to-end tests found under test/e2e" >&2; exit 1; }
    TEST_CONCURRENCY=1 run $files ;;
  all)
    npx tsc --noEmit -p tsconfig.json
    run $(unit_files)
    files=$(e2e_files)
    [ -n "$files" ] || { echo "no end-to-end tests found under test/e2e" >&2; exit 1; }
    TEST_CONCURRENCY=1 run $files ;;
  *) echo "usage: scripts/test.sh [unit|e2e]" >&2; exit 2 ;;
esac
