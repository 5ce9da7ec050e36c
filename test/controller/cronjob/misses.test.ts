// `misses`: the fate of every schedule time in a window. One scenario per fate, then the year of
// minutes (525,600 slots) for correctness at size; timing is left to bench/misses.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listMisses, type MissesReport, type SlotFate } from '../../../src/controller/cronjob/index.js';
import type { CronJob, Job } from '../../../src/api/types.js';
import { cronJob, job, scheduledJob } from '../../support/builders.js';
import { date, iso, plusHours, plusMinutes, topOfTheHour } from '../../support/time.js';

const h = (n: number): Date => plusHours(topOfTheHour(), n);
const base = () => cronJob('backup').createdAt(h(-0.5));

interface Scenario {
  name: string;
  cj: CronJob;
  jobs?: (cj: CronJob) => Job[];
  now: Date;
  since?: Date;
  until?: Date;
  /** Expected fate of each slot at h(1), h(2), ... (index i is h(i + 1) when since = h(0)). */
  fates: SlotFate[];
  check?: (r: MissesReport) => void;
}

const scenarios: Scenario[] = [
  {
    name: 'every run present: ran, with outcome and duration',
    cj: base().lastScheduleTime(h(3)).build(),
    now: plusMinutes(h(3), 30),
    jobs: (cj) => [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(1), 2))
        .build(),
      scheduledJob(cj, h(2))
        .failed(plusMinutes(h(2), 7))
        .build(),
      scheduledJob(cj, h(3)).running().build(),
    ],
    fates: ['ran', 'ran', 'ran', 'future'],
    check: (r) =>
      assert.deepEqual(r.slots.slot(1), {
        time: iso(h(2)),
        fate: 'ran',
        job: `backup-${h(2).getTime() / 60000}`,
        outcome: 'failed',
        durationSeconds: 420,
      }),
  },
  {
    // Fewer Jobs are kept than the limits, but no kept Job is older than h(1), h(2): a cleanup by age
    // could have removed their Jobs, so nothing proves they never had one.
    name: 'no Job before lastScheduleTime and no older kept Job: unknown',
    cj: base().lastScheduleTime(h(3)).build(),
    now: plusMinutes(h(3), 30),
    jobs: (cj) => [
      scheduledJob(cj, h(3))
        .succeeded(plusMinutes(h(3), 1))
        .build(),
    ],
    fates: ['unknown', 'unknown', 'ran', 'future'],
    check: (r) => assert.equal(r.slots.slot(0).reason, 'no-trace'),
  },
  {
    // The case: limit 3, none failed, Jobs kept for h(1), h(2) and h(5) (created late). h(1)
    // is older and still kept, successful Jobs go oldest first, and no failed Job is kept although
    // failedJobsHistoryLimit is 1: h(3) and h(4) never had a Job.
    name: 'between two kept Jobs, retention order proves never created: missed',
    cj: base().lastScheduleTime(h(5)).build(),
    now: plusMinutes(h(5), 30),
    jobs: (cj) => [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(1), 1))
        .build(),
      scheduledJob(cj, h(2))
        .succeeded(plusMinutes(h(2), 1))
        .build(),
      scheduledJob(cj, h(5))
        .createdAt(plusMinutes(h(5), 4))
        .startedAt(plusMinutes(h(5), 4))
        .succeeded(plusMinutes(h(5), 6))
        .build(),
    ],
    fates: ['ran', 'ran', 'missed', 'missed', 'ran', 'future'],
    check: (r) => {
      assert.deepEqual([r.slots.slot(2).reason, r.slots.slot(3).reason], ['not-created', 'not-created']);
      assert.deepEqual(r.slots.slot(4), {
        time: iso(h(5)),
        fate: 'ran',
        reason: 'late',
        job: `backup-${h(5).getTime() / 60000}`,
        outcome: 'succeeded',
        durationSeconds: 120,
        lateSeconds: 240,
      });
    },
  },
  {
    name: 'Forbid: times while a Job was active are skipped, blocked by that Job',
    cj: base()
      .forbid()
      .lastScheduleTime(h(1))
      .active(`backup-${h(1).getTime() / 60000}`)
      .build(),
    // The most recent time is not skipped for good: it starts as soon as the blocker finishes, if
    // that is before the next time (the real controller ran such a time 55 s late in e2e).
    now: plusMinutes(h(3), 30),
    jobs: (cj) => [scheduledJob(cj, h(1)).running().build()],
    fates: ['ran', 'forbid', 'due', 'future'],
    check: (r) => {
      assert.equal(r.slots.slot(1).job, `backup-${h(1).getTime() / 60000}`);
      assert.deepEqual(
        [r.slots.slot(2).reason, r.slots.slot(2).job],
        ['waits-for-blocker', `backup-${h(1).getTime() / 60000}`],
      );
    },
  },
  {
    name: 'Forbid: a finished long run explains times before lastScheduleTime',
    cj: base().forbid().lastScheduleTime(h(3)).build(),
    now: plusMinutes(h(3), 30),
    jobs: (cj) => [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(2), 30))
        .build(),
      scheduledJob(cj, h(3)).running().build(),
    ],
    fates: ['ran', 'forbid', 'ran', 'future'],
  },
  {
    name: 'Allow ignores a long run',
    cj: base().lastScheduleTime(h(1)).build(),
    now: plusMinutes(h(2), 30),
    jobs: (cj) => [scheduledJob(cj, h(1)).running().build()],
    fates: ['ran', 'due'],
  },
  {
    name: 'suspended since the managedFields write',
    cj: base()
      .lastScheduleTime(h(1))
      .suspendedBy('kubectl-patch', plusMinutes(h(1), 10))
      .build(),
    now: plusMinutes(h(3), 30),
    jobs: (cj) => [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(1), 1))
        .build(),
    ],
    fates: ['ran', 'suspended', 'suspended', 'future'],
    check: (r) => assert.equal(r.suspendedSince, iso(plusMinutes(h(1), 10))),
  },
  {
    name: 'startingDeadlineSeconds: older unmet times are missed-deadline, the latest is due',
    cj: base().lastScheduleTime(h(1)).startingDeadlineSeconds(600).build(),
    now: plusMinutes(h(3), 5),
    jobs: (cj) => [
      scheduledJob(cj, h(1))
        .succeeded(plusMinutes(h(1), 1))
        .build(),
    ],
    fates: ['ran', 'missed-deadline', 'due', 'future'],
  },
  {
    // Found against the real controller (test/e2e/cronjob): it counts from lastScheduleTime when set,
    // even when that is older than the object, so such times are not "before creation".
    name: 'lastScheduleTime older than the CronJob: times after it count, past the deadline they are missed',
    cj: cronJob('backup')
      .createdAt(plusMinutes(h(2), 30))
      .lastScheduleTime(h(0))
      .startingDeadlineSeconds(600)
      .build(),
    now: plusMinutes(h(3), 5),
    fates: ['missed-deadline', 'missed-deadline', 'due', 'future'],
  },
  {
    // lastScheduleTime proves a Job was created for h(1) (now gone); h(2) comes after it, so no Job
    // was created for it, and only the latest unmet time (h(3)) is still started.
    name: 'no deadline: the time at lastScheduleTime had a Job (gone), later ones none',
    cj: base().lastScheduleTime(h(1)).build(),
    now: plusMinutes(h(3), 5),
    fates: ['unknown', 'missed', 'due', 'future'],
    check: (r) =>
      assert.deepEqual([r.slots.slot(0).reason, r.slots.slot(1).reason], ['job-gone', 'after-last-schedule']),
  },
  {
    name: 'before the CronJob existed',
    cj: base()
      .createdAt(plusMinutes(h(1), 30))
      .build(),
    now: plusMinutes(h(2), 5),
    fates: ['before-creation', 'due'],
  },
];

describe('listMisses: one scenario per fate', () => {
  for (const s of scenarios) {
    it(s.name, () => {
      const r = listMisses({
        cronJob: s.cj,
        jobs: s.jobs?.(s.cj) ?? [],
        events: [],
        now: s.now,
        since: s.since ?? h(0),
        until: s.until ?? h(s.fates.length),
      });
      assert.deepEqual(
        Array.from(r.slots, (x) => x.fate),
        s.fates,
      );
      assert.deepEqual(
        Array.from(r.slots, (x) => x.time),
        s.fates.map((_, i) => iso(h(i + 1))),
      );
      assert.equal(
        Object.values(r.counts).reduce((a, b) => a + b, 0),
        r.total,
      );
      s.check?.(r);
    });
  }
});

describe('listMisses: details', () => {
  it('manual runs are listed apart from schedule times', () => {
    const cj = base().lastScheduleTime(h(1)).build();
    const manual = job('backup-manual-x1')
      .ownedBy(cj)
      .manual()
      .startedAt(plusMinutes(h(1), 20))
      .succeeded(plusMinutes(h(1), 25))
      .build();
    const r = listMisses({
      cronJob: cj,
      jobs: [manual],
      events: [],
      now: plusMinutes(h(1), 30),
      since: h(0),
      until: h(2),
    });
    assert.deepEqual(r.manualRuns, [
      { job: 'backup-manual-x1', time: iso(plusMinutes(h(1), 20)), outcome: 'succeeded' },
    ]);
  });
  it('Jobs of another CronJob are not counted', () => {
    const cj = base().lastScheduleTime(h(1)).build();
    const other = scheduledJob(cronJob('other').build(), h(1)).build();
    const r = listMisses({
      cronJob: cj,
      jobs: [other],
      events: [],
      now: plusMinutes(h(1), 30),
      since: h(0),
      until: h(1),
    });
    assert.deepEqual(r.slots.slot(0), { time: iso(h(1)), fate: 'unknown', reason: 'job-gone' });
  });
  it('an unreadable schedule gives no slots and says why', () => {
    const r = listMisses({
      cronJob: base().schedule('0 0 * *').build(),
      jobs: [],
      events: [],
      now: h(1),
      since: h(0),
      until: h(1),
    });
    assert.equal(r.total, 0);
    assert.match(r.error ?? '', /^unparseable schedule: "0 0 \* \*" : /);
  });
  it('serialises slots as a plain list', () => {
    const r = listMisses({
      cronJob: base().lastScheduleTime(h(1)).build(),
      jobs: [],
      events: [],
      now: h(1),
      since: h(0),
      until: h(2),
    });
    const json = JSON.parse(JSON.stringify(r)) as { slots: unknown[] };
    assert.deepEqual(json.slots, [
      { time: iso(h(1)), fate: 'unknown', reason: 'job-gone' },
      { time: iso(h(2)), fate: 'future' },
    ]);
  });
});

describe('listMisses: a year of every minute', () => {
  const since = date('2023-01-01T00:00:00Z');
  const until = date('2024-01-01T00:00:00Z');
  const cj = cronJob('tick')
    .schedule('* * * * *')
    .forbid()
    .createdAt(since)
    .lastScheduleTime(date('2023-12-31T23:58:00Z'))
    .build();
  const ranAt = [date('2023-03-01T12:00:00Z'), date('2023-07-04T00:01:00Z'), date('2023-12-31T23:58:00Z')];
  const jobs = [
    ...ranAt.map((t) => scheduledJob(cj, t).succeeded(plusMinutes(t, 0.5)).build()),
    // A run that blocked Forbid for five minutes.
    scheduledJob(cj, date('2023-06-01T00:00:00Z')).succeeded(date('2023-06-01T00:05:30Z')).build(),
  ];
  const r = listMisses({ cronJob: cj, jobs, events: [], now: date('2023-12-31T23:59:30Z'), since, until });
  it('has 525,600 slots with fates that add up', () => {
    assert.equal(r.total, 525_600);
    assert.equal(r.slots.length, 525_600);
    assert.deepEqual(
      { ran: r.counts.ran, forbid: r.counts.forbid, due: r.counts.due, future: r.counts.future },
      { ran: 4, forbid: 5, due: 1, future: 1 },
    );
    // Before the oldest kept successful Job finished (2023-03-01T12:00:30Z), a Job could have run and
    // been pruned: unknown. After it, every time without a Job provably never had one.
    const beforeOldest = (date('2023-03-01T12:00:00Z').getTime() - since.getTime()) / 60_000 - 1;
    assert.equal(r.counts.unknown, beforeOldest);
    assert.equal(r.counts.missed, 525_600 - 4 - 5 - 1 - 1 - beforeOldest);
  });
  it('puts each Job on its own minute', () => {
    const idx = (t: Date) => (t.getTime() - since.getTime()) / 60_000 - 1;
    for (const t of ranAt) assert.equal(r.slots.slot(idx(t)).fate, 'ran', iso(t));
    assert.equal(r.slots.slot(idx(date('2023-06-01T00:03:00Z'))).fate, 'forbid');
    assert.deepEqual(r.slots.slot(idx(date('2023-06-01T00:06:00Z'))), {
      time: '2023-06-01T00:06:00Z',
      fate: 'missed',
      reason: 'not-created',
    });
    assert.deepEqual(r.slots.slot(idx(date('2023-02-01T00:06:00Z'))), {
      time: '2023-02-01T00:06:00Z',
      fate: 'unknown',
      reason: 'no-trace',
    });
  });
});
