import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE, runCli } from '../support/run-cli.js';

// The bundled example is a frozen cluster state (captured 2026-11-23T08:00:00Z, v1.36.3):
// each CronJob and Job in it is broken in one known way.
const why = (...args: string[]) => runCli(['why', ...args, '--snapshot', EXAMPLE]);

describe('why on the example snapshot', () => {
  const cases: Array<[string, string, number, string]> = [
    ['cronjob/backup', 'not-firing', 1, 'Suspended'],
    ['cronjob/report', 'blocked', 1, 'JobAlreadyActive'],
    ['cronjob/cleanup', 'not-firing', 1, 'MissSchedule'],
    ['cronjob/heartbeat', 'healthy', 0, 'DueNow'],
    ['cronjob/nightly', 'blocked', 1, 'InvalidSchedule'],
    ['cronjob/etl', 'failing', 1, 'LastRunsFailed'],
    ['cronjob/archive', 'not-firing', 1, 'TooManyMissedTimes'],
    ['job/migrate-db', 'failed', 1, 'DeadlineExceeded'],
    ['job/import-batch', 'failed', 1, 'PodFailurePolicy'],
    ['job/train-x7k2', 'failed', 1, 'BackoffLimitExceeded'],
    ['job/render', 'stuck', 1, 'ImagePull'],
    ['job/sweep', 'backing-off', 1, 'BackingOff'],
  ];
  for (const [target, verdict, code, cause] of cases) {
    test(`${target}: ${verdict} because ${cause} (exit ${code})`, async () => {
      const r = await why(target, '-o', 'json');
      assert.equal(r.stderr, '');
      const v = JSON.parse(r.stdout);
      assert.equal(v.verdict, verdict);
      assert.equal(v.causes[0].code, cause);
      assert.equal(r.code, code);
      assert.equal(v.now, '2026-11-23T08:00:00Z', 'a snapshot is judged at its capture time');
    });
  }

  test('the JSON verdict of a CronJob has the stable fields', async () => {
    const v = JSON.parse((await why('cronjob/report', '-o', 'json')).stdout);
    for (const k of [
      'kind',
      'namespace',
      'name',
      'verdict',
      'causes',
      'lastScheduleTime',
      'nextScheduleTime',
      'mostRecentUnmetTime',
      'missed',
    ]) {
      assert.ok(k in v, `missing ${k}`);
    }
    assert.equal(v.kind, 'CronJob');
    assert.equal(v.namespace, 'prod');
    assert.equal(v.lastScheduleTime, '2026-11-23T02:30:00Z');
    assert.equal(v.nextScheduleTime, '2026-11-23T08:30:00Z');
    for (const c of v.causes) {
      assert.match(c.severity, /^(info|warning|error)$/);
      assert.ok(Array.isArray(c.evidence) && typeof c.message === 'string');
    }
    const active = v.causes.find((c: { code: string }) => c.code === 'JobAlreadyActive');
    assert.match(JSON.stringify(active.evidence), /report-29923350/);
  });

  test('the JSON verdict of a Job carries the controller decision (backing off: no pod created before the retry time)', async () => {
    const r = await why('job/sweep', '-n', 'ml', '-o', 'json');
    const v = JSON.parse(r.stdout);
    assert.equal(v.decision.skipped, null);
    assert.equal(v.decision.condition, null);
    assert.deepEqual(v.decision.create, { count: 0, indexes: null });
    assert.equal(v.decision.nextRetryAt, v.nextRetryAt);
    assert.equal(v.decision.failures.counted, 2);
  });

  test('a bare name is looked up as a CronJob first, then as a Job', async () => {
    assert.equal(JSON.parse((await why('backup', '-o', 'json')).stdout).kind, 'CronJob');
    assert.equal(JSON.parse((await why('migrate-db', '-o', 'json')).stdout).kind, 'Job');
    const missing = await why('nope');
    assert.equal(missing.code, 4);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^error: no cronjob or job named "nope"/);
  });

  test('--all audits every CronJob of the snapshot as one table; exit 1 when any is unhealthy', async () => {
    const r = await why('--all');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+VERDICT\s+CAUSE\s+LAST SCHEDULE\s+NEXT$/);
    assert.equal(lines.length, 1 + 9);
    assert.match(r.stdout, /prod\s+report\s+blocked\s+JobAlreadyActive/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour in a pipe');
  });

  test('-n restricts a snapshot read to one namespace', async () => {
    const r = await why('--all', '-n', 'team-a', '-o', 'json');
    const names = JSON.parse(r.stdout).items.map((v: { name: string }) => v.name);
    assert.deepEqual(names, ['etl', 'nightly', 'sync']);
  });

  test('a selection is a VerdictList however many CronJobs it matches (one, none); a named target is its verdict', async () => {
    const one = JSON.parse(
      (
        await why(
          '--all',
          '-n',
          'prod',
          '--exclude',
          'prod/report',
          '--exclude',
          'prod/cleanup',
          '--exclude',
          'prod/heartbeat',
          '--exclude',
          'prod/digest',
          '-o',
          'json',
        )
      ).stdout,
    );
    assert.equal(one.kind, 'VerdictList');
    assert.deepEqual(
      one.items.map((v: { name: string }) => v.name),
      ['backup'],
    );
    const none = JSON.parse((await why('--all', '-n', 'nowhere', '-o', 'json')).stdout);
    assert.deepEqual([none.kind, none.items], ['VerdictList', []]);
    const named = JSON.parse((await why('cronjob/backup', '-o', 'json')).stdout);
    assert.deepEqual([named.kind, named.name], ['CronJob', 'backup']);
  });

  test('text output names the cause, its evidence and a fix command', async () => {
    const r = await why('cronjob/backup');
    assert.match(r.stdout, /^cronjob\/backup in namespace prod\n/);
    assert.match(r.stdout, /NOT FIRING/);
    assert.match(r.stdout, /kubectl-patch/);
    assert.match(r.stdout, /fix: kubectl job unsuspend backup -n prod/);
  });

  test('usage errors exit 2 with a message and no stack trace', async () => {
    const r = await why('pod/x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: "pod\/x": expected cronjob or job\/NAME/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    const bad = await why('cronjob/backup', '-o', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /allowed formats are: json,yaml,wide,name/);
  });
});
