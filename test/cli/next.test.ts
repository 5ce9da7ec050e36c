import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE, runCli } from '../support/run-cli.js';

test('next --schedule lists run times in the given zone, skipping the spring-forward gap as robfig does', async () => {
  const r = await runCli(['next', '--schedule', '30 2 * * *', '--time-zone', 'America/New_York', '--from', '2026-03-07T00:00:00Z', '--count', '3', '-o', 'json']);
  assert.equal(r.code, 0);
  const d = JSON.parse(r.stdout);
  assert.equal(d.kind, 'Schedule');
  assert.equal(d.timeZone, 'America/New_York');
  // 2026-03-08 02:30 does not exist in New York: robfig/cron skips that day.
  assert.deepEqual(d.times, ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']);
});

test('next for a CronJob uses .spec.timeZone and the snapshot\'s capture time, and warns when suspended', async () => {
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

test('invalid schedules and unknown zones are usage errors with the controller library\'s words', async () => {
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
