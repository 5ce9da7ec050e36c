import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative, rfc3339, rfc3339InZone } from '../../src/controller/time.js';
import { shortDuration } from '../../src/explain/format.js';

test("RFC 3339 in a zone carries that zone's offset, DST included", () => {
  const d = new Date('2026-07-01T12:00:00Z');
  assert.equal(rfc3339(d), '2026-07-01T12:00:00Z');
  assert.equal(rfc3339InZone(d, 'Europe/Berlin'), '2026-07-01T14:00:00+02:00');
  assert.equal(rfc3339InZone(new Date('2026-01-01T12:00:00Z'), 'Europe/Berlin'), '2026-01-01T13:00:00+01:00');
  assert.equal(rfc3339InZone(d, 'America/St_Johns'), '2026-07-01T09:30:00-02:30');
  assert.equal(rfc3339InZone(d, 'Asia/Kathmandu'), '2026-07-01T17:45:00+05:45');
});

test('short durations read like kubectl ages', () => {
  assert.equal(shortDuration(45_000), '45s');
  assert.equal(shortDuration(5 * 60_000 + 30_000), '5m30s');
  assert.equal(shortDuration(45 * 60_000), '45m');
  assert.equal(shortDuration(3 * 3600_000 + 12 * 60_000), '3h12m');
  assert.equal(shortDuration(4 * 86400_000 + 2 * 3600_000), '4d2h');
  assert.equal(shortDuration(400 * 86400_000), '1y35d');
  const now = new Date('2026-11-23T08:00:00Z');
  assert.equal(relative(new Date('2026-11-23T08:05:00Z'), now), 'in 5m');
  assert.equal(relative(new Date('2026-11-23T07:00:00Z'), now), '1h ago');
});
