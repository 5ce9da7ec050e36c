// One controller sync re-run on a snapshot. The first table mirrors upstream's
// TestControllerV2SyncCronJob cases (same names and expectations); the others cover naming,
// annotations, history cleanup, the legacy controller and what happens on unsuspend.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byJobStartTime, predictAfterResume, syncDecision } from '../../../src/controller/cronjob/index.js';
import type { CronJob, Job, ServerVersion } from '../../../src/api/types.js';
import { cronJob, job, scheduledJob, version } from '../../support/builders.js';
import {
  date,
  justAfterTheHour,
  justAfterThePriorHour,
  justBeforeThePriorHour,
  justBeforeTheHour,
  plusHours,
  plusMinutes,
  topOfTheHour,
  unixMinutes,
  weekAfterTheHour,
} from '../../support/time.js';

const shortDead = 10;
const mediumDead = 2 * 60 * 60;
const longDead = 1_000_000;
const errorSchedule = 'obvious error schedule';
const onTheHour = '0 * * * ?';
type P = 'Allow' | 'Forbid' | 'Replace';
const A: P = 'Allow';
const f: P = 'Forbid';
const R: P = 'Replace';
const [T, F] = [true, false];

// [policy, suspend, schedule, deadline, ranPreviously, stillActive, now, expectCreate, expectDelete, expectActive, expectedWarnings]
type Row = [P, boolean, string, number | null, boolean, boolean, Date, boolean, boolean, number, number];
const pastShort = plusMinutes(justAfterTheHour(), shortDead + 1);
const rows: Record<string, Row> = {
  'never ran, not valid schedule, A': [A, F, errorSchedule, null, F, F, justBeforeTheHour(), F, F, 0, 1],
  'never ran, not valid schedule, F': [f, F, errorSchedule, null, F, F, justBeforeTheHour(), F, F, 0, 1],
  'never ran, not time, A': [A, F, onTheHour, null, F, F, justBeforeTheHour(), F, F, 0, 0],
  'never ran, not time, R': [R, F, onTheHour, null, F, F, justBeforeTheHour(), F, F, 0, 0],
  'never ran, is time, A': [A, F, onTheHour, null, F, F, justAfterTheHour(), T, F, 1, 0],
  'never ran, is time, F': [f, F, onTheHour, null, F, F, justAfterTheHour(), T, F, 1, 0],
  'never ran, is time, R': [R, F, onTheHour, null, F, F, justAfterTheHour(), T, F, 1, 0],
  'never ran, is time, suspended': [A, T, onTheHour, null, F, F, justAfterTheHour(), F, F, 0, 0],
  'never ran, is time, past deadline': [A, F, onTheHour, shortDead, F, F, pastShort, F, F, 0, 0],
  'never ran, is time, not past deadline': [A, F, onTheHour, longDead, F, F, justAfterTheHour(), T, F, 1, 0],
  'prev ran but done, not time, A': [A, F, onTheHour, null, T, F, justBeforeTheHour(), F, F, 0, 0],
  'prev ran but done, is time, A': [A, F, onTheHour, null, T, F, justAfterTheHour(), T, F, 1, 0],
  'prev ran but done, is time, F': [f, F, onTheHour, null, T, F, justAfterTheHour(), T, F, 1, 0],
  'prev ran but done, is time, R': [R, F, onTheHour, null, T, F, justAfterTheHour(), T, F, 1, 0],
  'prev ran but done, is time, suspended': [A, T, onTheHour, null, T, F, justAfterTheHour(), F, F, 0, 0],
  'prev ran but done, is time, past deadline': [A, F, onTheHour, shortDead, T, F, justAfterTheHour(), F, F, 0, 0],
  'prev ran but done, is time, not past deadline': [A, F, onTheHour, longDead, T, F, justAfterTheHour(), T, F, 1, 0],
  'still active, not time, F': [f, F, onTheHour, null, T, T, justBeforeTheHour(), F, F, 1, 0],
  'still active, is time, A': [A, F, onTheHour, null, T, T, justAfterTheHour(), T, F, 2, 0],
  'still active, is time, F': [f, F, onTheHour, null, T, T, justAfterTheHour(), F, F, 1, 0],
  'still active, is time, R': [R, F, onTheHour, null, T, T, justAfterTheHour(), T, T, 1, 0],
  'still active, is time, suspended': [A, T, onTheHour, null, T, T, justAfterTheHour(), F, F, 1, 0],
  'still active, is time, past deadline': [A, F, onTheHour, shortDead, T, T, justAfterTheHour(), F, F, 1, 0],
  'still active, is time, not past deadline': [A, F, onTheHour, longDead, T, T, justAfterTheHour(), T, F, 2, 0],
  'prev ran but done, long overdue, not past deadline, A': [
    A,
    F,
    onTheHour,
    longDead,
    T,
    F,
    weekAfterTheHour(),
    T,
    F,
    1,
    1,
  ],
  'prev ran but done, long overdue, not past deadline, F': [
    f,
    F,
    onTheHour,
    longDead,
    T,
    F,
    weekAfterTheHour(),
    T,
    F,
    1,
    1,
  ],
  'prev ran but done, long overdue, no deadline, R': [R, F, onTheHour, null, T, F, weekAfterTheHour(), T, F, 1, 1],
  'prev ran but done, long overdue, past medium deadline, A': [
    A,
    F,
    onTheHour,
    mediumDead,
    T,
    F,
    weekAfterTheHour(),
    T,
    F,
    1,
    0,
  ],
  'prev ran but done, long overdue, past short deadline, F': [
    f,
    F,
    onTheHour,
    shortDead,
    T,
    F,
    weekAfterTheHour(),
    T,
    F,
    1,
    0,
  ],
};

/** The upstream test fixture: a CronJob and, if it ran before, its Job (still active or complete). */
function fixture(row: Row): { cj: CronJob; jobs: Job[] } {
  const [policy, suspend, schedule, deadline, ranPreviously, stillActive] = row;
  const b = cronJob()
    .namespace('snazzycats')
    .schedule(schedule)
    .concurrencyPolicy(policy)
    .suspended(suspend)
    .startingDeadlineSeconds(deadline ?? undefined)
    .createdAt(ranPreviously ? justBeforeThePriorHour() : justBeforeTheHour());
  if (!ranPreviously) return { cj: b.build(), jobs: [] };
  b.lastScheduleTime(justAfterThePriorHour());
  const j = scheduledJob(b.build(), justAfterThePriorHour());
  if (stillActive) return { cj: b.active(j.build()).build(), jobs: [j.running().build()] };
  return { cj: b.build(), jobs: [j.succeeded(plusMinutes(justAfterThePriorHour(), 1)).build()] };
}

describe('syncDecision: upstream sync table', () => {
  for (const [name, row] of Object.entries(rows)) {
    it(name, () => {
      const { cj, jobs } = fixture(row);
      const d = syncDecision({ cronJob: cj, jobs, events: [], now: row[6] });
      const [, , , , , , , expectCreate, expectDelete, expectActive, expectedWarnings] = row;
      assert.equal(d.action === 'create', expectCreate, `create (reason ${d.reason})`);
      assert.equal(
        d.deletes.some((x) => x.why === 'replace'),
        expectDelete,
        'delete',
      );
      assert.equal(d.active.length, expectActive, 'active');
      const warnings = d.events.filter((e) => e.type === 'Warning');
      assert.equal(warnings.length, expectedWarnings, `warnings: ${warnings.map((w) => w.reason).join(', ')}`);
    });
  }
});

describe('syncDecision: details', () => {
  it('names the Job <name>-<unix minutes> and annotates the scheduled time in UTC when timeZone is unset', () => {
    const d = syncDecision({ cronJob: cronJob('backup').build(), jobs: [], events: [], now: justAfterTheHour() });
    assert.equal(d.jobName, `backup-${unixMinutes(topOfTheHour())}`);
    assert.equal(d.job?.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2016-05-19T10:00:00Z');
    assert.equal(d.job?.annotations.x, undefined);
    assert.deepEqual(
      d.events.map((e) => e.reason),
      ['SuccessfulCreate'],
    );
    assert.equal(d.requeueAt, '2016-05-19T11:00:00.100Z');
  });
  it('annotates in .spec.timeZone and keeps template annotations', () => {
    const cj = cronJob('backup')
      .schedule('0 12 * * *')
      .timeZone('Europe/Berlin')
      .templateAnnotations({ team: 'db' })
      .build();
    const d = syncDecision({ cronJob: cj, jobs: [], events: [], now: plusMinutes(topOfTheHour(), 1) });
    assert.equal(d.scheduledTime, '2016-05-19T10:00:00Z');
    assert.deepEqual(d.job?.annotations, {
      team: 'db',
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2016-05-19T12:00:00+02:00',
    });
  });
  it('no scheduled-timestamp annotation before 1.28', () => {
    const d = syncDecision({
      cronJob: cronJob('backup').build(),
      jobs: [],
      events: [],
      now: justAfterTheHour(),
      serverVersion: version(1, 27),
    });
    assert.deepEqual(d.job?.annotations, {});
  });
  it('Forbid records JobAlreadyActive and skips', () => {
    const { cj, jobs } = fixture(rows['still active, is time, F']!);
    const d = syncDecision({ cronJob: cj, jobs, events: [], now: justAfterTheHour() });
    assert.equal(d.reason, 'JobAlreadyActive');
    assert.deepEqual(
      d.events.map((e) => e.message),
      ['Not starting job because prior execution is running and concurrency policy is Forbid'],
    );
  });
  it('Replace deletes the active Job first, then creates', () => {
    const { cj, jobs } = fixture(rows['still active, is time, R']!);
    const d = syncDecision({ cronJob: cj, jobs, events: [], now: justAfterTheHour() });
    assert.deepEqual(d.deletes, [{ name: `mycronjob-${unixMinutes(justAfterThePriorHour())}`, why: 'replace' }]);
    assert.deepEqual(
      d.events.map((e) => e.reason),
      ['SuccessfulDelete', 'SuccessfulCreate'],
    );
    assert.deepEqual(d.active, [`mycronjob-${unixMinutes(topOfTheHour())}`]);
  });
  it('a time already in lastScheduleTime is already processed', () => {
    const cj = cronJob().lastScheduleTime(topOfTheHour()).createdAt(justBeforeThePriorHour()).build();
    assert.equal(syncDecision({ cronJob: cj, jobs: [], events: [], now: justAfterTheHour() }).reason, 'NotDueYet');
    const cj2 = cronJob()
      .lastScheduleTime(justAfterThePriorHour())
      .active(`mycronjob-${unixMinutes(topOfTheHour())}`)
      .build();
    const running = scheduledJob(cj2, topOfTheHour()).running().build();
    assert.equal(
      syncDecision({ cronJob: cj2, jobs: [running], events: [], now: justAfterTheHour() }).reason,
      'AlreadyProcessed',
    );
  });
  it('a manual Job is UnexpectedJob and does not block Forbid', () => {
    const cj = cronJob().forbid().lastScheduleTime(justAfterThePriorHour()).build();
    const manual = job('mycronjob-manual-x7k').ownedBy(cj).manual().startedAt(justBeforeTheHour()).running().build();
    const d = syncDecision({ cronJob: cj, jobs: [manual], events: [], now: justAfterTheHour() });
    assert.equal(d.action, 'create');
    assert.deepEqual(d.events[0], {
      type: 'Warning',
      reason: 'UnexpectedJob',
      message: 'Saw a job that the controller did not create or forgot: mycronjob-manual-x7k',
    });
  });
  it('an active Job that no longer exists is dropped with MissingJob', () => {
    const cj = cronJob().forbid().lastScheduleTime(justAfterThePriorHour()).active('mycronjob-gone').build();
    const d = syncDecision({ cronJob: cj, jobs: [], events: [], now: justAfterTheHour() });
    assert.deepEqual(d.events.slice(0, 1), [
      { type: 'Normal', reason: 'MissingJob', message: 'Active job went missing: mycronjob-gone' },
    ]);
    assert.equal(d.action, 'create');
  });
  it('a finished Job in .status.active is removed with SawCompletedJob', () => {
    const base = cronJob().lastScheduleTime(justAfterThePriorHour());
    const done = scheduledJob(base.build(), justAfterThePriorHour())
      .failed(plusMinutes(justAfterThePriorHour(), 5))
      .build();
    const d = syncDecision({ cronJob: base.active(done).build(), jobs: [done], events: [], now: justBeforeTheHour() });
    assert.deepEqual(d.events, [
      {
        type: 'Normal',
        reason: 'SawCompletedJob',
        message: `Saw completed job: ${done.metadata.name}, condition: Failed`,
      },
    ]);
    assert.deepEqual(d.active, []);
  });
  it('an unknown time zone stops the sync before suspend is even looked at', () => {
    const cj = cronJob().timeZone('Mars/Olympus_Mons').suspended().build();
    const d = syncDecision({ cronJob: cj, jobs: [], events: [], now: justAfterTheHour() });
    assert.equal(d.reason, 'UnknownTimeZone');
    assert.equal(d.events[0]?.message, 'invalid timeZone: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons');
    assert.equal(d.requeueAt, null);
  });
  it('Feb 31 is an InvalidSchedule', () => {
    const d = syncDecision({
      cronJob: cronJob().schedule('0 0 31 2 *').build(),
      jobs: [],
      events: [],
      now: justAfterTheHour(),
    });
    assert.equal(d.reason, 'InvalidSchedule');
    assert.equal(
      d.events[0]?.message,
      'invalid schedule: 0 0 31 2 * : time difference between two schedules is less than 1 second',
    );
  });
  it('a CronJob being deleted only reconciles status', () => {
    const d = syncDecision({
      cronJob: cronJob().deleting(justBeforeTheHour()).build(),
      jobs: [],
      events: [],
      now: justAfterTheHour(),
    });
    assert.deepEqual([d.action, d.reason], ['none', 'Deleting']);
  });
});

describe('history-limit cleanup (byJobStartTime, oldest first)', () => {
  const base = cronJob().lastScheduleTime(plusHours(topOfTheHour(), 10));
  const ok = (h: number, started = true) => {
    const b = scheduledJob(base.build(), plusHours(topOfTheHour(), h)).succeeded(plusHours(topOfTheHour(), h + 0.5));
    return (started ? b : b.startedAt(undefined)).build();
  };
  const bad = (h: number) =>
    scheduledJob(base.build(), plusHours(topOfTheHour(), h))
      .failed(plusHours(topOfTheHour(), h + 0.5))
      .build();
  const jobs = [ok(5), ok(1, false), ok(3), ok(2), ok(4), bad(6), bad(7), bad(8)];
  const now = plusMinutes(plusHours(topOfTheHour(), 10), 5);
  const cases: Array<{ name: string; limits: [number | undefined, number | undefined]; deleted: string[] }> = [
    { name: 'both limits unset: nothing is deleted', limits: [undefined, undefined], deleted: [] },
    {
      name: 'defaults 3 and 1: two oldest successes (no startTime sorts last) and two oldest failures',
      limits: [3, 1],
      deleted: [ok(2), ok(3), bad(6), bad(7)].map((j) => j.metadata.name!),
    },
    {
      name: 'only a failed limit',
      limits: [undefined, 0],
      deleted: [bad(6), bad(7), bad(8)].map((j) => j.metadata.name!),
    },
  ];
  it('byJobStartTime: by startTime, Jobs without one last, name breaks ties', () => {
    const t = (n: number) => plusHours(topOfTheHour(), n);
    const list = [
      job('c').startedAt(t(1)).build(),
      job('none-b').build(),
      job('b').startedAt(t(1)).build(),
      job('none-a').build(),
      job('a').startedAt(t(2)).build(),
    ];
    assert.deepEqual(
      [...list].sort(byJobStartTime).map((j) => j.metadata.name),
      ['b', 'c', 'a', 'none-a', 'none-b'],
    );
  });
  for (const c of cases) {
    it(c.name, () => {
      const d = syncDecision({ cronJob: base.historyLimits(...c.limits).build(), jobs, events: [], now });
      assert.deepEqual(
        d.deletes.filter((x) => x.why === 'history-limit').map((x) => x.name),
        c.deleted,
      );
    });
  }
});

describe('legacy controller (v1) vs v2: more than 100 missed start times', () => {
  const cj = cronJob()
    .schedule(onTheHour)
    .createdAt(justBeforeThePriorHour())
    .lastScheduleTime(justAfterThePriorHour())
    .build();
  const withDeadline = { ...cj, spec: { ...cj.spec, startingDeadlineSeconds: mediumDead } };
  const cases: Array<{
    name: string;
    cj: CronJob;
    v?: ServerVersion;
    action: string;
    reason: string;
    event?: string;
    job?: string;
  }> = [
    {
      name: 'v1.19: refuses with FailedNeedsStart',
      cj,
      v: version(1, 19),
      action: 'skip',
      reason: 'FailedNeedsStart',
      event:
        'Cannot determine if job needs to be started: too many missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    },
    {
      name: 'v1.20 (gate off by default): refuses with FailedNeedsStart',
      cj,
      v: version(1, 20),
      action: 'skip',
      reason: 'FailedNeedsStart',
    },
    {
      name: 'v1.21 (v2 by default): warns TooManyMissedTimes and still creates the latest',
      cj,
      v: version(1, 21),
      action: 'create',
      reason: 'Create',
      event: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    },
    { name: 'v1.36: same as 1.21', cj, v: version(1, 36), action: 'create', reason: 'Create' },
    { name: 'unknown version: assumed current', cj, action: 'create', reason: 'Create' },
    {
      name: 'v1.20 with a deadline: creates, named by unix seconds',
      cj: withDeadline,
      v: version(1, 20),
      action: 'create',
      reason: 'Create',
      job: `mycronjob-${weekAfterTheHour().getTime() / 1000}`,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = syncDecision({ cronJob: c.cj, jobs: [], events: [], now: weekAfterTheHour(), serverVersion: c.v });
      assert.deepEqual([d.action, d.reason], [c.action, c.reason]);
      if (c.event)
        assert.ok(
          d.events.some((e) => e.message === c.event),
          d.events.map((e) => e.message).join('\n'),
        );
      if (c.job) assert.equal(d.jobName, c.job);
    });
  }
});

describe('predictAfterResume: what unsuspend does right away', () => {
  const suspended = (hoursAgo: number, sds?: number) =>
    cronJob('backup')
      .namespace('prod')
      .suspended()
      .startingDeadlineSeconds(sds)
      .createdAt(date('2016-05-01T00:00:00Z'))
      .lastScheduleTime(plusHours(topOfTheHour(), -hoursAgo))
      .build();
  const now = plusMinutes(topOfTheHour(), 20);
  it('suspended two hours, no deadline: a catch-up run for 10:00 at once, one time dropped', () => {
    const r = predictAfterResume({ cronJob: suspended(2), jobs: [], events: [], now });
    assert.deepEqual(
      [r.decision.action, r.decision.scheduledTime, r.catchUp, r.dropped],
      ['create', '2016-05-19T10:00:00Z', true, 1],
    );
  });
  it('suspended a week, no deadline (v2): catch-up run plus TooManyMissedTimes', () => {
    const r = predictAfterResume({ cronJob: suspended(24 * 7), jobs: [], events: [], now });
    assert.equal(r.decision.action, 'create');
    assert.ok(r.decision.events.some((e) => e.reason === 'TooManyMissedTimes'));
  });
  it('suspended a week on 1.20 (v1): nothing runs, FailedNeedsStart', () => {
    const r = predictAfterResume({
      cronJob: suspended(24 * 7),
      jobs: [],
      events: [],
      now,
      serverVersion: version(1, 20),
    });
    assert.deepEqual([r.decision.action, r.decision.reason, r.catchUp], ['skip', 'FailedNeedsStart', false]);
  });
  it('a deadline shorter than the time since the last run: no catch-up, wait for 11:00', () => {
    const r = predictAfterResume({ cronJob: suspended(2, 300), jobs: [], events: [], now });
    assert.deepEqual([r.decision.action, r.decision.reason, r.catchUp], ['none', 'NotDueYet', false]);
    assert.equal(r.decision.requeueAt, '2016-05-19T11:00:00.100Z');
  });
  it('a deadline that still covers the missed time: catch-up run', () => {
    const r = predictAfterResume({ cronJob: suspended(2, 3600), jobs: [], events: [], now });
    assert.deepEqual([r.decision.action, r.catchUp], ['create', true]);
  });
});
