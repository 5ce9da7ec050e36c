import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMisses, type MissesOptions } from '../../src/cli/commands/misses.js';
import type { RawInput } from '../../src/cli/commands/define.js';
import { EXAMPLE, runCli } from '../support/run-cli.js';
import { assertUsageError } from '../support/usage-error.js';

const misses = (...a: string[]) => runCli(['misses', ...a, '--snapshot', EXAMPLE]);

test('misses: a Forbid CronJob blocked by a hung Job shows each skipped time and the Job that blocked it', async () => {
  const r = await misses('report', '--since', '6h', '-o', 'json');
  assert.equal(r.code, 1);
  const d = JSON.parse(r.stdout);
  assert.equal(d.kind, 'CronJobMisses');
  assert.equal(d.total, 12);
  assert.equal(d.counts.ran, 1);
  assert.equal(d.counts.forbid, 10);
  assert.equal(d.counts.due, 1); // the latest waits for the blocker
  const first = d.slots.find((s: { fate: string }) => s.fate === 'forbid');
  assert.deepEqual(first, {
    time: '2026-11-23T03:00:00Z',
    fate: 'forbid',
    reason: 'after-last-schedule',
    job: 'report-29923350',
  });
});

test('misses: a deadline of 10 s with the controller absent for two days', async () => {
  const d = JSON.parse((await misses('cleanup', '--since', '2026-11-21T00:00:00Z', '-o', 'json')).stdout);
  assert.equal(d.counts['missed-deadline'], 49);
  assert.equal(d.counts.ran, 1);
});

test('misses: nothing missed exits 0', async () => {
  const r = await misses('heartbeat', '--since', '20m');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /NO MISSES/);
});

test('misses: a year of every-minute slots is listed in full', async () => {
  const d = JSON.parse((await misses('archive', '--since', '365d', '-o', 'json')).stdout);
  assert.equal(d.total, 525_600);
  assert.equal(d.slots.length, 525_600);
});

test('misses: --since after --until is a usage error', async () => {
  const r = await misses('report', '--since', '2026-11-23T00:00:00Z', '--until', '2026-11-22T00:00:00Z');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--since must be before --until/);
});

describe('parseMisses (pure): what was typed -> options, or the exact usage error', () => {
  const raw = (args: string[], opts: Record<string, unknown> = {}) =>
    ({ args, opts: { since: '24h', rows: '40', controllerTimeZone: 'UTC', ...opts } }) as RawInput<any>;
  const ok: Array<[string, RawInput<any>, MissesOptions]> = [
    [
      'a name with the defaults: the last 24 h, relative to the evaluation instant',
      raw(['backup']),
      {
        scope: { kind: 'one', name: 'backup' },
        since: { agoMs: 86_400_000 },
        rows: 40,
        format: 'text',
        controllerTimeZone: 'UTC',
      },
    ],
    [
      'instants, -o yaml, --rows',
      raw(['cronjob/report'], {
        since: '2026-11-01T00:00:00Z',
        until: '2026-11-02',
        output: 'yaml',
        rows: '7',
      }),
      {
        scope: { kind: 'one', name: 'report' },
        since: { at: new Date('2026-11-01T00:00:00Z') },
        until: { at: new Date('2026-11-02T00:00:00Z') },
        rows: 7,
        format: 'yaml',
        controllerTimeZone: 'UTC',
      },
    ],
    [
      '-l -A: a selection',
      raw([], { selector: 'team=data', allNamespaces: true, since: '7d', until: '1d' }),
      {
        scope: { kind: 'fleet', selector: 'team=data', allNamespaces: true },
        since: { agoMs: 7 * 86_400_000 },
        until: { agoMs: 86_400_000 },
        rows: 40,
        format: 'text',
        controllerTimeZone: 'UTC',
      },
    ],
    [
      '--all in one namespace; --until now',
      raw([], { all: true, until: 'now', output: 'json' }),
      {
        scope: { kind: 'fleet', allNamespaces: false },
        since: { agoMs: 86_400_000 },
        until: { agoMs: 0 },
        rows: 40,
        format: 'json',
        controllerTimeZone: 'UTC',
      },
    ],
  ];
  for (const [name, input, want] of ok) test(name, () => assert.deepEqual(parseMisses(input), want));
  const bad: Array<[string, RawInput<any>, string]> = [
    ['nothing', raw([]), 'name a CronJob, or select some with -l or --all'],
    ['a Job', raw(['job/x']), '"job/x": expected cronjob/NAME'],
    [
      'a name and -l',
      raw(['x'], { selector: 'a=b' }),
      'a name cannot be given with -l: the selector picks the CronJobs',
    ],
    ['a name and --all', raw(['x'], { all: true }), 'give a name or --all, not both'],
    [
      '-o wide',
      raw(['x'], { output: 'wide' }),
      'unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml',
    ],
    ['--rows 0', raw(['x'], { rows: '0' }), '--rows takes a whole number of at least 1, not "0"'],
    ['--rows 1.5', raw(['x'], { rows: '1.5' }), '--rows takes a whole number of at least 1, not "1.5"'],
    [
      'a malformed --until',
      raw(['x'], { until: 'tomorrow' }),
      'invalid time for --until: "tomorrow" (use RFC 3339, e.g. 2026-11-23T08:00:00Z)',
    ],
    [
      'two instants in the wrong order',
      raw(['x'], { since: '2026-11-23T00:00:00Z', until: '2026-11-22T00:00:00Z' }),
      '--since must be before --until',
    ],
    ['two durations in the wrong order', raw(['x'], { since: '1h', until: '2h' }), '--since must be before --until'],
    ['an empty window at now', raw(['x'], { since: 'now' }), '--since must be before --until'],
  ];
  for (const [name, input, message] of bad) {
    test(`refused: ${name}`, () => assertUsageError(() => parseMisses(input), message));
  }
  test('an instant and a duration are ordered when running, against the evaluation instant', async () => {
    // The example's instant is 2026-11-23T08:00:00Z: 2 h before it is after 2026-11-23T07:00:00Z.
    const r = await misses('report', '--since', '2026-11-23T07:00:00Z', '--until', '2h');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: --since must be before --until\n');
    const fine = await misses('report', '--since', '2026-11-23T05:00:00Z', '--until', '2h', '-o', 'json');
    assert.equal(fine.code, 1, fine.stderr);
    assert.equal(JSON.parse(fine.stdout).until, '2026-11-23T06:00:00Z');
  });
});
