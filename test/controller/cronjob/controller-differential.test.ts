// Differential test: the CronJob model's syncDecision against ONE real sync of the Kubernetes
// CronJob controller (k8s.io/kubernetes/pkg/controller/cronjob, built from the Go module proxy at
// each pinned version by test/go/cronjob-oracle/build.sh), on seeded generated states.
//
// Compared per state: action, the Job created (name, annotations), Jobs deleted and why, events
// (type, reason, message; as a multiset, see compare-sync.ts), requeue instant, the status written
// (lastScheduleTime, lastSuccessfulTime, active names; or none), and whether the sync failed.
//
// Runs only through `npm run test:oracle` (KUBECTL_JOB_ORACLE=1): a cold oracle build downloads and
// compiles Kubernetes packages (minutes per version). Versions: KUBECTL_JOB_ORACLE_VERSIONS (comma
// separated; scripts/test-oracle.sh sets it), default the newest and the oldest minor; CRONJOB_DIFF_SEED / CRONJOB_DIFF_STATES
// override the seed and count. Mismatches are written as snapshots under CRONJOB_DIFF_OUT
// (default $TMPDIR/cronjob-differential).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncDecision } from '../../../src/controller/cronjob/index.js';
import { buildCronJobOracle, ORACLE_VERSIONS, runCronJobOracle } from './cronjob-oracle.js';
import { modelOutcome, oracleOutcome, writeMismatchSnapshot } from './compare-sync.js';
import { generateStates } from './state-generator.js';

const SEED = Number(process.env.CRONJOB_DIFF_SEED ?? 20261201);
const STATES = Number(process.env.CRONJOB_DIFF_STATES ?? 12_000);
const OUT = process.env.CRONJOB_DIFF_OUT ?? join(tmpdir(), 'cronjob-differential');
const VERSIONS = (
  process.env.KUBECTL_JOB_ORACLE_VERSIONS ??
  process.env.CRONJOB_ORACLE_VERSIONS ??
  `${ORACLE_VERSIONS[ORACLE_VERSIONS.length - 1]},${ORACLE_VERSIONS[0]}`
)
  .split(',')
  .filter(Boolean);
const skip =
  process.env.KUBECTL_JOB_ORACLE === '1'
    ? false
    : 'builds Kubernetes controllers from the Go module proxy: run `npm run test:oracle`';

for (const version of VERSIONS) {
  test(`CronJob controller ${version}: model = real sync on ${STATES} generated states`, {
    skip,
    timeout: 40 * 60_000,
  }, () => {
    const { binary, seconds } = buildCronJobOracle(version);
    const states = generateStates(SEED, STATES);
    const started = Date.now();
    const answers = runCronJobOracle(binary, states);
    const oracleMs = Date.now() - started;
    const [major, minor] = version.slice(1).split('.').map(Number) as [number, number];
    const serverVersion = { major, minor, gitVersion: version };
    const counts = new Map<string, number>();
    const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
    const mismatches: string[] = [];
    const reasons = new Map<string, number>();
    const classes = new Map<string, number>();
    states.forEach((s, i) => {
      const o = oracleOutcome(s, answers[i]!);
      const d = syncDecision({
        cronJob: s.cronJob,
        jobs: s.jobs,
        events: [],
        serverVersion,
        now: s.now,
        controllerZone: 'UTC',
      });
      const m = modelOutcome(d);
      bump(`action=${o.action}`);
      if (o.failed) bump('sync error');
      if (o.events.some((e) => e.includes(' TooManyMissedTimes '))) bump('>100 missed');
      if (o.deletes.length) bump('deletes');
      if (o.status) bump('status written');
      for (const r of new Set(o.events.map((e) => e.split(' ')[1]))) reasons.set(r!, (reasons.get(r!) ?? 0) + 1);
      const diff = (Object.keys(o) as Array<keyof typeof o>).filter(
        (k) => JSON.stringify(o[k]) !== JSON.stringify(m[k]),
      );
      if (diff.length) {
        const key = diff.join('+');
        classes.set(key, (classes.get(key) ?? 0) + 1);
        if (mismatches.length < 40) {
          const file = writeMismatchSnapshot(OUT, version, s, m, o, answers[i]!);
          mismatches.push(
            `${s.id} [${key}] ${file}\n    model:  ${JSON.stringify(diff.map((k) => m[k]))}\n    oracle: ${JSON.stringify(diff.map((k) => o[k]))}`,
          );
        }
      }
    });
    const total = [...classes.values()].reduce((a, b) => a + b, 0);
    console.log(
      `# cronjob-oracle ${version}: ${states.length} states, ${total} mismatches; oracle ${oracleMs} ms` +
        (seconds ? `, cold build ${seconds}s` : ', cached build') +
        `\n#   ${[...counts.entries()]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}` +
        `\n#   states with event: ${[...reasons.entries()]
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}` +
        (classes.size
          ? `\n#   mismatch classes: ${[...classes.entries()].map(([k, v]) => `${k}: ${v}`).join(', ')}`
          : ''),
    );
    assert.equal(
      total,
      0,
      `model differs from the ${version} controller on ${total} of ${states.length} states:\n${mismatches.join('\n')}`,
    );
  });
}
