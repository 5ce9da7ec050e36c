// Next(): named cases for robfig v3.0.1's notable behaviour, including DST. Expected instants
// were taken from the Go library (test/go/robfig-oracle) and are written out here in UTC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { between, CronNextLoopError, nextN, parseStandard } from '../../../src/controller/cron/index.js';

const cases: Array<[name: string, spec: string, zone: string, after: string, expected: Array<string | null>]> = [
  [
    'dom and dow both restricted → OR (Friday the 5th comes first)',
    '0 0 13 * 5',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z', '2024-01-13T00:00:00Z'],
  ],
  [
    'dow * → only the dom counts',
    '0 0 13 * *',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-13T00:00:00Z', '2024-02-13T00:00:00Z'],
  ],
  [
    '*/2 in dom clears the star → OR (odd days or Mondays)',
    '0 0 */2 * 1',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-03T00:00:00Z', '2024-01-05T00:00:00Z', '2024-01-07T00:00:00Z'],
  ],
  [
    '*/1 in dom keeps the star → AND (Mondays only)',
    '0 0 */1 * 1',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-08T00:00:00Z', '2024-01-15T00:00:00Z'],
  ],
  ['a list with * keeps the star → AND', '0 0 *,5 * 1', 'UTC', '2024-01-01T00:00:00Z', ['2024-01-08T00:00:00Z']],
  ['? is like *', '0 0 ? * 1', 'UTC', '2024-01-01T00:00:00Z', ['2024-01-08T00:00:00Z']],
  [
    'strictly after: an activation at `after` is skipped',
    '0 0 * * *',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-02T00:00:00Z'],
  ],
  [
    'sub-second part of `after` is dropped',
    '* * * * *',
    'UTC',
    '2024-01-01T12:00:59.999Z',
    ['2024-01-01T12:01:00Z', '2024-01-01T12:02:00Z'],
  ],
  [
    'N/step means N-max/step',
    '5/20 * * * *',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-01T00:05:00Z', '2024-01-01T00:25:00Z', '2024-01-01T00:45:00Z'],
  ],
  ['names, mixed case', '0 0 * JAN-mar Mon', 'UTC', '2024-03-26T00:00:00Z', ['2025-01-06T00:00:00Z']],
  ['Feb 31 → null (nothing within 5 years)', '0 0 31 2 *', 'UTC', '2024-01-01T00:00:00Z', [null]],
  [
    'Feb 29 → the next leap years',
    '0 0 29 2 *',
    'UTC',
    '2025-03-01T00:00:00Z',
    ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z'],
  ],
  [
    '@weekly is Sunday midnight',
    '@weekly',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-07T00:00:00Z', '2024-01-14T00:00:00Z'],
  ],
  [
    '@every 90s counts from `after`, on whole seconds',
    '@every 90s',
    'UTC',
    '2024-01-01T00:00:00.750Z',
    ['2024-01-01T00:01:30Z', '2024-01-01T00:03:00Z'],
  ],
  [
    '@every 300ms is raised to 1s',
    '@every 300ms',
    'UTC',
    '2024-01-01T00:00:00.750Z',
    ['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z'],
  ],
  [
    'CRON_TZ= prefix wins over the default zone',
    'CRON_TZ=Asia/Kolkata 0 9 * * *',
    'UTC',
    '2024-01-01T00:00:00Z',
    ['2024-01-01T03:30:00Z', '2024-01-02T03:30:00Z'],
  ],
  [
    'TZ=Local means the default zone',
    'TZ=Local 0 9 * * *',
    'Asia/Tokyo',
    '2024-01-01T00:00:00Z',
    ['2024-01-02T00:00:00Z'],
  ],
  // DST
  [
    'New York spring-forward: 02:30 does not exist, that day is skipped',
    '30 2 * * *',
    'America/New_York',
    '2020-03-08T05:00:00Z',
    ['2020-03-09T06:30:00Z', '2020-03-10T06:30:00Z'],
  ],
  [
    'New York fall-back: 01:30 happens twice and fires twice',
    '30 1 * * *',
    'America/New_York',
    '2020-11-01T04:00:00Z',
    ['2020-11-01T05:30:00Z', '2020-11-01T06:30:00Z', '2020-11-02T06:30:00Z'],
  ],
  [
    '@hourly through the repeated hour',
    '@hourly',
    'America/New_York',
    '2020-11-01T04:30:00Z',
    ['2020-11-01T05:00:00Z', '2020-11-01T06:00:00Z', '2020-11-01T07:00:00Z', '2020-11-01T08:00:00Z'],
  ],
  [
    'Havana: no midnight on 2020-03-08, so daily midnight skips that day',
    '0 0 * * *',
    'America/Havana',
    '2020-03-07T04:00:00Z',
    ['2020-03-07T05:00:00Z', '2020-03-09T04:00:00Z', '2020-03-10T04:00:00Z'],
  ],
  [
    'Havana: Monday midnight right after the gap',
    '0 0 * * 1',
    'America/Havana',
    '2020-03-07T04:00:00Z',
    ['2020-03-09T04:00:00Z', '2020-03-16T04:00:00Z'],
  ],
  [
    'Beirut: no midnight on 2020-03-29, daily midnight skips it',
    '0 0 * * *',
    'Asia/Beirut',
    '2020-03-28T00:00:00Z',
    ['2020-03-29T21:00:00Z', '2020-03-30T21:00:00Z'],
  ],
  [
    'Sao Paulo 2018: DST began at midnight on Nov 4',
    '0 0 * * *',
    'America/Sao_Paulo',
    '2018-11-03T00:00:00Z',
    ['2018-11-03T03:00:00Z', '2018-11-05T02:00:00Z', '2018-11-06T02:00:00Z'],
  ],
  [
    'Lord Howe: 30-minute DST jump',
    '*/30 * * * *',
    'Australia/Lord_Howe',
    '2020-10-03T15:00:00Z',
    ['2020-10-03T15:30:00Z', '2020-10-03T16:00:00Z', '2020-10-03T16:30:00Z'],
  ],
];

for (const [name, spec, zone, after, expected] of cases) {
  test(`next: ${name}`, () => {
    const s = parseStandard(spec, zone);
    const got: Array<string | null> = [];
    let t = new Date(after);
    for (let i = 0; i < expected.length; i++) {
      const n = s.next(t);
      got.push(n === null ? null : n.toISOString().replace('.000Z', 'Z'));
      if (n === null) break;
      t = n;
    }
    assert.deepEqual(got, expected);
  });
}

test("Pacific/Apia skipped 2011-12-30: robfig's day loop never ends, so next() throws", () => {
  const s = parseStandard('0 0 * * 1', 'Pacific/Apia');
  assert.throws(() => s.next(new Date('2011-12-27T11:00:00Z')), CronNextLoopError);
});

// Speed is measured by bench/misses.ts and bench/cron.ts, not asserted here (a loaded CI machine
// would make a time limit flaky).
test('nextN and between walk a year of minutes (525,600)', () => {
  const s = parseStandard('* * * * *', 'UTC');
  const from = new Date('2023-01-01T00:00:00Z');
  assert.deepEqual(
    nextN(s, from, 2).map((d) => d.toISOString()),
    ['2023-01-01T00:01:00.000Z', '2023-01-01T00:02:00.000Z'],
  );
  const all = between(s, from, new Date('2024-01-01T00:00:00Z'));
  assert.equal(all.length, 525_600);
  assert.equal(all[525_599]!.toISOString(), '2024-01-01T00:00:00.000Z');
});
