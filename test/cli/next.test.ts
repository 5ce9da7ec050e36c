import { describe, test } from 'node:test';
import { parseNext, type NextOptions } from '../../src/cli/commands/next.js';
import type { RawInput } from '../../src/cli/commands/define.js';
import { UsageError } from '../../src/errors.js';
import assert from 'node:assert/strict';
import { EXAMPLE, runCli } from '../support/run-cli.js';

test('next --schedule lists run times in the given zone, skipping the spring-forward gap as robfig does', async () => {
  const r = await runCli([
    'next',
    '--schedule',
    '30 2 * * *',
    '--time-zone',
    'America/New_York',
    '--from',
    '2026-03-07T00:00:00Z',
    '--count',
    '3',
    '-o',
    'json',
  ]);
  assert.equal(r.code, 0);
  const d = JSON.parse(r.stdout);
  assert.equal(d.kind, 'Schedule');
  assert.equal(d.timeZone, 'America/New_York');
  // 2026-03-08 02:30 does not exist in New York: robfig/cron skips that day.
  assert.deepEqual(d.times, ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']);
});

test("next for a CronJob uses .spec.timeZone and the snapshot's capture time, and warns when suspended", async () => {
  const r = await runCli(['next', 'cronjob/backup', '--snapshot', EXAMPLE, '--count', '2', '-o', 'json']);
  assert.equal(r.code, 0);
  const d = JSON.parse(r.stdout);
  assert.equal(d.timeZone, 'Europe/Berlin');
  assert.equal(d.from, '2026-11-23T08:00:00Z');
  assert.deepEqual(d.times, ['2026-11-24T01:00:00Z', '2026-11-25T01:00:00Z']);
  assert.equal(d.suspended, true);
  assert.match(r.stderr, /^Warning: cronjob\/backup is suspended/);
});

test('a schedule that never fires (Feb 30) reports no run time, with the 5-year reason', async () => {
  const r = await runCli(['next', '--schedule', '0 0 30 2 *', '--from', '2026-01-01T00:00:00Z']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /\(no run time\)/);
  assert.match(r.stdout, /no further run within 5 years/);
});

test("invalid schedules and unknown zones are usage errors with the controller library's words", async () => {
  const seven = await runCli(['next', '--schedule', '0 0 * * 7']);
  assert.equal(seven.code, 2);
  assert.equal(seven.stderr, 'error: invalid schedule "0 0 * * 7": end of range (7) above maximum (6): 7\n');
  const six = await runCli(['next', '--schedule', '0 0 0 * * *']);
  assert.equal(six.code, 2);
  assert.match(six.stderr, /expected exactly 5 fields, found 6/);
  const zone = await runCli(['next', '--schedule', '* * * * *', '--time-zone', 'Mars/Olympus_Mons']);
  assert.equal(zone.code, 2);
  assert.match(zone.stderr, /^error: unknown time zone "Mars\/Olympus_Mons" \(from --time-zone\)/);
});

test('next needs exactly one of a CronJob and --schedule', async () => {
  assert.equal((await runCli(['next'])).code, 2);
  assert.equal((await runCli(['next', 'backup', '--schedule', '* * * * *', '--snapshot', EXAMPLE])).code, 2);
});

test('an empty --schedule is robfig\'s "empty spec string" error, not a missing schedule', async () => {
  const r = await runCli(['next', '--schedule', '']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error: invalid schedule "": empty spec string\n');
});

test('next -f FILE with exactly one CronJob needs no name; with several it asks for one', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'next-f-'));
  const one = join(dir, 'one.yaml');
  writeFileSync(
    one,
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\nspec:\n  schedule: "0 2 * * *"\n  timeZone: Europe/Berlin\n  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}], restartPolicy: Never}}}}\n',
  );
  const r = await runCli(['next', '-f', one, '--from', '2026-05-31T12:00:00Z', '--count', '1', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.name, 'nightly');
  assert.deepEqual(d.times, ['2026-06-01T00:00:00Z']);
  const many = await runCli(['next', '-f', EXAMPLE]);
  assert.equal(many.code, 2);
  assert.match(many.stderr, /holds \d+ CronJobs: name one/);
});

test('next shows the pinned tzdata release, in the table and in -o json', async () => {
  const { TZDATA_VERSION } = await import('../../src/controller/cron/index.js');
  assert.match(TZDATA_VERSION, /^20\d\d[a-z]$/);
  const j = await runCli(['next', '--schedule', '0 2 * * *', '--time-zone', 'Europe/Berlin', '-o', 'json']);
  assert.equal(JSON.parse(j.stdout).tzdata, TZDATA_VERSION);
  const t = await runCli(['next', '--schedule', '0 2 * * *', '--time-zone', 'Europe/Berlin']);
  assert.match(t.stdout, new RegExp(`tzdata ${TZDATA_VERSION}`));
});

describe('parseNext (pure): what was typed -> options, or the usage error', () => {
  const raw = (args: string[], opts: Record<string, unknown> = {}) =>
    ({ args, opts: { count: '5', controllerTimeZone: 'UTC', ...opts } }) as RawInput<any>;
  const cases: Array<[string, RawInput<any>, Partial<NextOptions> | RegExp]> = [
    ['a name', raw(['cronjob/backup']), { name: 'backup', count: 5, format: 'text' }],
    ['a bare name', raw(['backup'], { output: 'json' }), { name: 'backup', format: 'json' }],
    ['--schedule', raw([], { schedule: '*/5 * * * *', count: '3' }), { schedule: '*/5 * * * *', count: 3 }],
    ['an empty --schedule is a schedule', raw([], { schedule: '' }), { schedule: '' }],
    ['-f without a name', raw([], { filename: 'cj.yaml' }), { filename: 'cj.yaml' }],
    [
      '--from an instant',
      raw([], { schedule: '* * * * *', from: '2026-03-07' }),
      { from: new Date('2026-03-07T00:00:00Z') },
    ],
    ['--from now', raw([], { schedule: '* * * * *', from: 'now' }), { from: 'now' }],
    ['nothing', raw([]), /give a CronJob name or --schedule/],
    ['both', raw(['x'], { schedule: '* * * * *' }), /either a CronJob or --schedule/],
    ['-f and --schedule', raw([], { schedule: '* * * * *', filename: 'f' }), /either -f FILE or --schedule/],
    ['a Job', raw(['job/x']), /expected cronjob\/NAME/],
    ['--count 0', raw(['x'], { count: '0' }), /--count takes a whole number of at least 1/],
    ['-o wide', raw(['x'], { output: 'wide' }), /wide/],
    ['--from garbage', raw(['x'], { from: 'yesterday' }), /invalid time for --from/],
  ];
  for (const [name, input, want] of cases) {
    test(name, () => {
      if (want instanceof RegExp) {
        assert.throws(
          () => parseNext(input),
          (e: unknown) => e instanceof UsageError && want.test(e.message),
        );
      } else {
        const got = parseNext(input);
        for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof NextOptions], v, k);
      }
    });
  }
  test('-f FILE reads the file as the snapshot', async () => {
    const r = await runCli(['next', '-f', EXAMPLE, 'backup', '-o', 'json', '--count', '1']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.deepEqual([d.namespace, d.name, d.from], ['prod', 'backup', '2026-11-23T08:00:00Z']);
  });
});
