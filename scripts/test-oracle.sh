#!/usr/bin/env bash
# Differential tests against the controllers' own Go code (oracles under test/go/*-oracle, built
# from the Go module proxy into ~/.cache/kubectl-job-oracle, one version at a time).
#   npm run test:oracle                    newest and oldest supported minor
#   npm run test:oracle -- --all-versions  every minor 1.31..1.37 (newest patch each)
#   npm run test:oracle -- v1.34.4 ...     the versions named
# Needs Go (GOTOOLCHAIN=local) and the module proxy on a cold cache.
set -euo pipefail
cd "$(dirname "$0")/.."
all=(v1.37.2 v1.36.3 v1.35.4 v1.34.4 v1.33.13 v1.32.13 v1.31.14)
versions=("${all[0]}" "${all[${#all[@]}-1]}")
if [ "${1:-}" = --all-versions ]; then versions=("${all[@]}"); export JOB_ORACLE_VERSIONS=all; shift
elif [ $# -gt 0 ]; then versions=("$@"); shift $#
fi
files=$(find test -name 'controller-differential.test.ts' -not -path 'test/e2e/*' | sort)
[ -n "$files" ] || { echo "no oracle differential tests found" >&2; exit 1; }
export KUBECTL_JOB_ORACLE=1
KUBECTL_JOB_ORACLE_VERSIONS="$(IFS=,; echo "${versions[*]}")"
export KUBECTL_JOB_ORACLE_VERSIONS
echo "# oracle versions: $KUBECTL_JOB_ORACLE_VERSIONS"
# shellcheck disable=SC2086
node --import tsx --test --test-concurrency=1 --test-reporter=spec $files
