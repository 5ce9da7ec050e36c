import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE, runCli } from '../support/run-cli.js';

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
