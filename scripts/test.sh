#!/usr/bin/env bash
# Runs the test suites with Node's built-in test runner (TypeScript through tsx).
#   scripts/test.sh         type check, unit tests (pinned Node 24), then end-to-end tests with the
#                           unit tests on Node 22 and 26 and the oracles in the background beside them
#   scripts/test.sh unit    unit and differential tests only (no cluster)
#   scripts/test.sh oracle  the models against the controllers' own Go code (newest and oldest minor)
#   scripts/test.sh e2e     end-to-end tests against a real kube-apiserver + kube-controller-manager
#
# The end-to-end suite (against a real node: kubelet + containerd, root) runs first with
# kubectl-job as the TypeScript sources on Node (what the npm package runs), then a subset
# (every command kind; E2E_EXE_FILES=all for everything) with the single executable that
# krew installs, built here (scripts/package.mjs; KUBECTL_JOB_EXE, see test/support/cli-command.ts).
#
# Node: the supported lines are 22.19+, 24 and 26 (package.json engines). `npm test` runs on the
# Node pinned in devDependencies (the `node` package, node_modules/.bin/node, which npm puts first
# on PATH), so it works on a machine whose own node is older. Run directly, this script uses the
# `node` on PATH when it is supported, else the pinned one. scripts/test-node-versions.sh runs the
# unit suite on each supported line.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

node_supported() { node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null; }
if ! node_supported && [ -x node_modules/.bin/node ]; then PATH="$PWD/node_modules/.bin:$PATH"; fi
node_supported || { echo "scripts/test.sh: Node $(node --version 2>/dev/null || echo '(none)') is not supported (>= 22.19 needed); run npm ci first, which installs the pinned Node" >&2; exit 1; }
echo "# Node $(node --version) ($(command -v node))"

# UNIT_SKIP (an extended regex of paths) leaves files out of the unit suite; the runs on the other
# Node lines use it for tests of build artefacts that Node does not take part in (see below).
unit_files() { find test -name '*.test.ts' -not -path 'test/e2e/*' | sort | { if [ -n "${UNIT_SKIP:-}" ]; then grep -Ev "$UNIT_SKIP"; else cat; fi; }; }
e2e_files() { find test/e2e -name '*.test.ts' 2>/dev/null | sort; }

run() {
  # shellcheck disable=SC2046
  node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "$@"
}

run_e2e() {
  local files platform
  files=$(e2e_files)
  [ -n "$files" ] || { echo "no end-to-end tests found under test/e2e" >&2; exit 1; }
  echo "# end-to-end tests: kubectl-job from the sources on Node $(node --version)"
  # shellcheck disable=SC2086
  TEST_CONCURRENCY=1 run $(echo "$files" | grep -v '^test/e2e/packaging/')
  node scripts/package.mjs --no-manifest
  platform=$(node -p "({linux:'linux',darwin:'darwin',win32:'windows'})[process.platform] + '_' + ({x64:'amd64',arm64:'arm64'})[process.arch]")
  # The real node makes a full pass take long (see README, "The e2e test bed"): the single
  # executable runs a subset that exercises every command kind (E2E_EXE_FILES=all: everything).
  local exe_files
  if [ "${E2E_EXE_FILES:-}" = all ]; then exe_files=$files
  # The subset: what depends on the runtime's HTTP transport (fetch in the executable, node:https
  # on Node): kubeconfigs, proxies, RBAC and several contexts (cluster/), creating and watching
  # Jobs and losing the API server midway (actions/trigger, actions/faults: clean, logs --follow,
  # trigger --wait), krew (packaging/), and a Job verdict with pods and events (job/why-failures).
  # cluster/read-skew calls the library in the test process (no CLI run), so it is not repeated.
  else exe_files=$(echo "$files" | grep -E "^test/e2e/(cluster|packaging)/|^test/e2e/actions/(faults|trigger)\.test\.ts$|^test/e2e/job/why-failures" | grep -v "^test/e2e/cluster/read-skew\.test\.ts$" || true)
  fi
  echo "# end-to-end tests: the single executable dist/exe/$platform/kubectl-job"
  # shellcheck disable=SC2086
  KUBECTL_JOB_EXE="$PWD/dist/exe/$platform/kubectl-job" TEST_CONCURRENCY=1 run $exe_files
}

t0=$(date +%s); phase_start=$t0
phase() { local now; now=$(date +%s); echo "# phase '$1' took $(( now - phase_start ))s (total $(( now - t0 ))s)"; phase_start=$now; }

case "$what" in
  unit)
    run $(unit_files) ;;
  e2e)
    run_e2e ;;
  oracle)
    bash scripts/test-oracle.sh ;;
  all)
    npx tsc --noEmit -p tsconfig.json
    phase 'type check'
    npx biome ci --error-on-warnings .
    phase 'lint and format (Biome)'
    run $(unit_files)
    phase "unit and differential tests (Node $(node --version))"
    # The other supported Node lines (the pinned one above is 24): same suite, same answers. They
    # run in the background, beside the end-to-end suite (which mostly waits on real time), in a
    # copy of the working tree with its own dist/ (the npm package test builds it) and the same
    # node_modules; their summary is printed at the end. The container image test is left out
    # there: the image holds the Bun executable, built and checked above, and its two
    # reproducibility builds cost minutes that would prove nothing new. Background work runs
    # under `nice`, so the real node and control plane of the end-to-end suite come first.
    other_dir=$(mktemp -d "${TMPDIR:-/tmp}/kubectl-job-other-node.XXXXXX")
    other_log="$other_dir.log"
    tar -C . --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$other_dir" -xf -
    ln -s "$PWD/node_modules" "$other_dir/node_modules"
    ( cd "$other_dir" && UNIT_SKIP='^test/packaging/image\.test\.ts$' NODE_VERSIONS="${CI_OTHER_NODE_VERSIONS:-22.23.5 26.12.1}" \
        nice -n 10 bash scripts/test-node-versions.sh ) >"$other_log" 2>&1 &
    other_pid=$!
    echo "# unit suite on the other Node lines: started in the background (log $other_log)"
    # The controller oracles (newest and oldest minor) also run beside the end-to-end suite: on a
    # cold machine their Go builds (four of them, about 38 CPU-minutes) would otherwise come before
    # the first end-to-end test. They start after the other Node lines, which are shorter.
    oracle_log="$other_dir.oracle.log"
    oracle_start=$(date +%s)
    ( nice -n 15 bash scripts/test-oracle.sh; echo "# oracle phase took $(( $(date +%s) - oracle_start ))s" ) >"$oracle_log" 2>&1 &
    oracle_pid=$!
    trap 'kill "$other_pid" "$oracle_pid" 2>/dev/null || true' EXIT
    echo "# controller oracles: started in the background (log $oracle_log)"
    run_e2e
    phase 'end-to-end tests'
    oracle_rc=0
    wait "$oracle_pid" || oracle_rc=$?
    phase 'waiting for the controller oracles (newest and oldest minor)'
    other_rc=0
    wait "$other_pid" || other_rc=$?
    trap - EXIT
    phase 'waiting for the unit suite on the other Node lines'
    if [ "$oracle_rc" != 0 ]; then cat "$oracle_log"; echo "# the controller oracles failed" >&2; exit 1; fi
    grep -E '^# (cronjob|job)-oracle|^# oracle|^ℹ (tests|pass|fail) ' "$oracle_log" | sed 's/^/oracles: /'
    if [ "$other_rc" != 0 ]; then cat "$other_log"; echo "# the unit suite failed on another Node line" >&2; exit 1; fi
    grep -E '^Node [0-9]' "$other_log"
    rm -rf "$other_dir" "$other_log" "$oracle_log" ;;
  *) echo "usage: scripts/test.sh [unit|oracle|e2e]" >&2; exit 2 ;;
esac
