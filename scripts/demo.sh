#!/usr/bin/env bash
# Runs the main commands on the bundled example snapshot: no cluster needed.
# `why` exits 1 when it finds a problem (the example is full of them); only 2+ is a failure here.
set -uo pipefail
cd "$(dirname "$0")/.."
snap=examples/snapshot.yaml
run() {
  printf '\n$ kubectl job %s\n' "$*"
  bin/kubectl-job "$@" --snapshot "$snap"
  rc=$?
  if [ "$rc" -ge 2 ]; then echo "demo: 'kubectl job $*' failed with exit code $rc" >&2; exit "$rc"; fi
}
run next cronjob/backup --count 3
run why --all
run why cronjob/report
run why job/migrate-db
run misses cleanup --since 2d
exit 0
