// Differential test: the Job model's one-pass decision (src/controller/job/sync.ts, the
// `decision` of `why job/X -o json`) against ONE real syncJob of the Job controller's own code
// (k8s.io/kubernetes/pkg/controller/job at pinned versions, test/go/job-oracle), on seeded
// generated states. Zero mismatches allowed; each mismatch is printed with a snapshot file that
// reproduces it through `kubectl job why --snapshot F --now T`.
//
// JOB_ORACLE_VERSIONS: "all", or a comma list (default: the newest and the oldest supported);
// JOB_ORACLE_STATES (default 10000 per version); JOB_ORACLE_SEED (default 1);
// JOB_ORACLE_SKIP=1 skips (for machines without Go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncDecision } from '../../../src/controller/job/sync.js';
import type { ServerVersion } from '../../../src/api/types.js';
import { compareDecision, writeSnapshot } from './oracle/compare.js';
import { generateState } from './oracle/generate.js';
import { buildJobOracle, ORACLE_VERSIONS, runJobOracle } from './oracle/oracle.js';

const STATES = Number(process.env.JOB_ORACLE_STATES ?? 10_000);
const SEED = Number(process.env.JOB_ORACLE_SEED ?? 1);
const wanted = process.env.KUBECTL_JOB_ORACLE_VERSIONS ?? process.env.JOB_ORACLE_VERSIONS ?? 'newest,oldest';
const versions =
  wanted === 'all'
    ? [...ORACLE_VERSIONS]
    : wanted
        .split(',')
        .map(
          (v) =>
            (v === 'newest'
              ? ORACLE_VERSIONS[0]
              : v === 'oldest'
                ? ORACLE_VERSIONS[ORACLE_VERSIONS.length - 1]!
                : v) as string,
        );
// Like the CronJob differential, it runs through `npm run test:oracle` (KUBECTL_JOB_ORACLE=1; npm test
// and CI run that phase): a cold oracle build compiles Kubernetes packages for minutes per version.
const skip =
  process.env.KUBECTL_JOB_ORACLE !== '1'
    ? 'builds the Job controller from the Go module proxy: run `npm run test:oracle`'
    : process.env.JOB_ORACLE_SKIP === '1'
      ? 'JOB_ORACLE_SKIP=1: the Go oracle is not built on this machine'
      : false;

function serverVersion(v: string): ServerVersion {
  const [major, minor] = v.replace(/^v/, '').split('.').map(Number);
  return { major: major!, minor: minor!, gitVersion: v };
}

for (const version of versions) {
  test(`Job model = kube-controller-manager ${version} syncJob on ${STATES} generated states`, {
    skip,
    timeout: 3_600_000,
  }, () => {
    const built = buildJobOracle(version);
    const sv = serverVersion(version);
    const states = Array.from({ length: STATES }, (_, i) => generateState(SEED * 1_000_003 + i, sv.minor));
    const t0 = Date.now();
    const results = runJobOracle(built.binary, states);
    const oracleSeconds = (Date.now() - t0) / 1000;
    assert.equal(results.length, states.length, 'one oracle answer per state');
    const mismatches: string[] = [];
    const tally = { failed: 0, succeeded: 0, created: 0, deleted: 0, backoff: 0, indexed: 0 };
    for (const [i, state] of states.entries()) {
      const o = results[i]!;
      assert.equal(o.id, state.id);
      const d = syncDecision(state.job, state.pods, new Date(state.now), sv, 'fresh');
      const diffs = compareDecision(state, o, d);
      if (d.condition?.type === 'FailureTarget' || d.condition?.type === 'Failed') tally.failed++;
      if (d.condition?.type === 'SuccessCriteriaMet' || d.condition?.type === 'Complete') tally.succeeded++;
      if (o.created.length > 0) tally.created++;
      if (o.deleted.length > 0) tally.deleted++;
      if (d.nextRetryAt) tally.backoff++;
      if (state.job.spec.completionMode === 'Indexed') tally.indexed++;
      if (diffs.length > 0)
        mismatches.push(`${state.id}:\n  ${diffs.join('\n  ')}\n  replay: ${writeSnapshot(state, version)}`);
    }
    console.log(
      `# ${version}: ${states.length} states, ${mismatches.length} mismatches (oracle build ${built.seconds.toFixed(1)}s incl. cache check, run ${oracleSeconds.toFixed(1)}s); ` +
        `fails ${tally.failed}, succeeds ${tally.succeeded}, creates ${tally.created}, deletes ${tally.deleted}, backoff waits ${tally.backoff}, indexed ${tally.indexed}`,
    );
    if (mismatches.length > 0) {
      console.log(mismatches.slice(0, 15).join('\n'));
      assert.fail(`${mismatches.length} of ${states.length} states differ from the ${version} controller`);
    }
  });
}
