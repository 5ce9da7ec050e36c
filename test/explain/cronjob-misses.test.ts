// explainMisses and missesTimeline: consecutive slots with the same fate become one line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listMisses } from '../../src/controller/cronjob/index.js';
import { explainMisses, missesTimeline } from '../../src/explain/misses.js';
import { cronJob, job, scheduledJob } from '../support/builders.js';
import { date, plusHours, plusMinutes, topOfTheHour } from '../support/time.js';

const h = (n: number): Date => plusHours(topOfTheHour(), n);

describe('missesTimeline', () => {
  it('groups by fate, runs by outcome, Forbid skips by blocking Job', () => {
    const cj = cronJob('backup').namespace('prod').forbid().createdAt(h(-0.5)).lastScheduleTime(h(6)).build();
    const jobs = [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(1), 2))
        .build(),
      scheduledJob(cj, h(2))
        .succeeded(plusMinutes(h(2), 2))
        .build(),
      scheduledJob(cj, h(3))
        .failed(plusMinutes(h(5), 30))
        .build(),
      scheduledJob(cj, h(6)).running().build(),
    ];
    const r = listMisses({ cronJob: cj, jobs, events: [], now: plusMinutes(h(6), 10), since: h(0), until: h(8) });
    const groups = missesTimeline(r);
    assert.deepEqual(
      groups.map((g) => [g.fate, g.count, g.outcome ?? '', g.firstJob ?? '', g.lastJob ?? '']),
      [
        ['ran', 2, 'succeeded', 'backup-24394260', 'backup-24394320'],
        ['ran', 1, 'failed', 'backup-24394380', 'backup-24394380'],
        ['forbid', 2, 'backup-24394380', 'backup-24394380', 'backup-24394380'],
        ['ran', 1, 'running', 'backup-24394560', 'backup-24394560'],
        ['future', 2, '', '', ''],
      ],
    );
    assert.deepEqual([groups[0]?.from, groups[0]?.to], ['2016-05-19T11:00:00Z', '2016-05-19T12:00:00Z']);
    assert.equal(groups[1]?.durationSeconds, 2.5 * 3600);
  });
});

describe('explainMisses', () => {
  it('headline counts what did not run; facts list non-zero fates; table rows carry tones', () => {
    const cj = cronJob('backup')
      .namespace('prod')
      .createdAt(h(-0.5))
      .lastScheduleTime(h(1))
      .suspendedBy('kubectl-patch', plusMinutes(h(1), 5))
      .build();
    const r = listMisses({
      cronJob: cj,
      jobs: [
        scheduledJob(cj, h(1))
          .succeeded(plusMinutes(h(1), 1))
          .build(),
      ],
      events: [],
      now: plusMinutes(h(4), 1),
      since: h(0),
      until: h(5),
    });
    const x = explainMisses(r);
    assert.equal(x.subject, 'cronjob/backup in namespace prod');
    assert.deepEqual(x.headline, {
      tone: 'warn',
      state: 'missed runs',
      text: '3 of 4 schedule time(s) in the window did not run.',
    });
    assert.deepEqual(
      x.facts.filter(([k]) => ['ran', 'suspended', 'upcoming'].includes(k)),
      [
        ['ran', '1'],
        ['suspended', '3'],
        ['upcoming', '1'],
      ],
    );
    assert.deepEqual(x.tables[0]?.rows, [
      ['2016-05-19T11:00:00Z', '', '1', 'ran', 'job backup-24394260 succeeded in 1m'],
      ['2016-05-19T12:00:00Z', '2016-05-19T14:00:00Z', '3', 'suspended', '.spec.suspend was true (managedFields)'],
      ['2016-05-19T15:00:00Z', '', '1', 'upcoming', ''],
    ]);
    assert.deepEqual(x.tables[0]?.tones, ['ok', 'warn', 'muted']);
  });
  it('shows times in the schedule zone and manual runs in their own table', () => {
    const cj = cronJob('backup')
      .schedule('0 12 * * *')
      .timeZone('Europe/Berlin')
      .createdAt(date('2016-05-01T00:00:00Z'))
      .lastScheduleTime(date('2016-05-18T10:00:00Z'))
      .build();
    const manual = job('backup-manual-1')
      .ownedBy(cj)
      .manual()
      .startedAt(date('2016-05-18T15:00:00Z'))
      .succeeded(date('2016-05-18T15:01:00Z'))
      .build();
    const x = explainMisses(
      listMisses({
        cronJob: cj,
        jobs: [manual],
        events: [],
        now: date('2016-05-19T10:30:00Z'),
        since: date('2016-05-18T00:00:00Z'),
        until: date('2016-05-20T00:00:00Z'),
      }),
    );
    assert.equal(x.tables[0]?.rows[0]?.[0], '2016-05-18T12:00:00+02:00');
    assert.deepEqual(x.tables[1], {
      title: 'Manual runs',
      head: ['time', 'job', 'outcome'],
      rows: [['2016-05-18T17:00:00+02:00', 'backup-manual-1', 'succeeded']],
    });
    assert.equal(x.headline.state, 'no misses found');
  });
  it('a year of minutes stays a few lines; older groups beyond maxRows are noted', () => {
    const since = date('2023-01-01T00:00:00Z');
    const cj = cronJob('tick')
      .schedule('* * * * *')
      .createdAt(since)
      .lastScheduleTime(date('2023-12-31T23:00:00Z'))
      .build();
    const jobs = [date('2023-02-01T00:00:00Z'), date('2023-03-01T00:00:00Z'), date('2023-04-01T00:00:00Z')].map((t) =>
      scheduledJob(cj, t).succeeded(plusMinutes(t, 0.5)).build(),
    );
    const x = explainMisses(
      listMisses({
        cronJob: cj,
        jobs,
        events: [],
        now: date('2023-12-31T23:00:30Z'),
        since,
        until: date('2024-01-01T00:00:00Z'),
      }),
      { maxRows: 4 },
    );
    assert.equal(x.tables[0]?.rows.length, 4);
    assert.deepEqual(x.tables[0]?.rows.at(-1)?.slice(2, 4), ['60', 'upcoming']);
    assert.ok(x.notes.includes('5 earlier group(s) not shown.'), x.notes.join('\n'));
  });
  it('an unreadable schedule is the headline', () => {
    const x = explainMisses(
      listMisses({
        cronJob: cronJob().schedule('0 0 * *').build(),
        jobs: [],
        events: [],
        now: h(1),
        since: h(0),
        until: h(1),
      }),
    );
    assert.equal(x.headline.tone, 'bad');
    assert.match(x.headline.text, /^unparseable schedule/);
  });
});
