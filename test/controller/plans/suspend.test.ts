// suspend / unsuspend plans: no-ops, the guarded merge patch, and what the controller does on resume.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planSuspend, type SuspendInput } from '../../../src/controller/plans/suspend.js';
import { explainResume } from '../../../src/explain/plans.js';
import { cronJob, job } from '../../support/builders.js';
import {
  iso,
  justAfterTheHour,
  plusMinutes,
  plusSeconds,
  topOfTheHour,
  unixMinutes,
  weekAfterTheHour,
} from '../../support/time.js';

const withRv = <T extends { metadata: { resourceVersion?: string } }>(o: T, rv = '42'): T => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: rv },
});

describe('planSuspend: state changes and the patch', () => {
  it('unsuspend of a CronJob that is not suspended is a no-op without prediction', () => {
    const p = planSuspend({ cronJob: cronJob('c').build(), suspend: false, jobs: [], now: justAfterTheHour() });
    assert.equal(p.noop, true);
    assert.equal(p.resume, null);
  });
  it('suspend of a suspended CronJob is a no-op', () => {
    assert.equal(
      planSuspend({ cronJob: cronJob('c').suspended().build(), suspend: true, jobs: [], now: justAfterTheHour() }).noop,
      true,
    );
  });
  it('suspend: merge patch with the resourceVersion read as precondition; running Jobs are listed (they go on)', () => {
    const p = planSuspend({
      cronJob: withRv(cronJob('c').active('c-1').build(), '1234'),
      suspend: true,
      jobs: [],
      now: justAfterTheHour(),
    });
    assert.equal(p.noop, false);
    assert.deepEqual(p.patch, { metadata: { resourceVersion: '1234' }, spec: { suspend: true } });
    assert.equal(p.result.spec.suspend, true);
    assert.deepEqual(p.active, ['c-1']);
    assert.equal(p.resume, null);
  });
  it('unsuspend: spec.suspend false in the patch and the result', () => {
    const p = planSuspend({
      cronJob: withRv(cronJob('c').suspended().lastScheduleTime(topOfTheHour()).build()),
      suspend: false,
      jobs: [],
      now: plusMinutes(topOfTheHour(), 10),
    });
    assert.deepEqual(p.patch, { metadata: { resourceVersion: '42' }, spec: { suspend: false } });
    assert.equal(p.result.spec.suspend, false);
  });
});

describe('planSuspend: what the controller does right after the resume', () => {
  const hourly = () => cronJob('c').suspended();
  type Want = {
    action: string;
    reason: string;
    catchUp?: boolean;
    jobName?: string | null;
    nextRunAt?: string | null;
    tooMany?: boolean;
    dropped?: number;
  };
  const cases: Array<[string, () => SuspendInput, Want]> = [
    [
      'suspended over one scheduled time, no deadline: catch-up run for it at once',
      () => ({
        cronJob: hourly().lastScheduleTime('2016-05-19T09:00:00Z').build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(topOfTheHour(), 20),
      }),
      { action: 'create', reason: 'Create', catchUp: true, jobName: `c-${unixMinutes(topOfTheHour())}`, dropped: 0 },
    ],
    [
      'suspended over three times: one catch-up, two dropped',
      () => ({
        cronJob: hourly().lastScheduleTime('2016-05-19T07:00:00Z').build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(topOfTheHour(), 20),
      }),
      { action: 'create', reason: 'Create', catchUp: true, jobName: `c-${unixMinutes(topOfTheHour())}`, dropped: 2 },
    ],
    [
      'missed time within startingDeadlineSeconds: caught up',
      () => ({
        cronJob: hourly().startingDeadlineSeconds(3600).lastScheduleTime('2016-05-19T09:00:00Z').build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(topOfTheHour(), 30),
      }),
      { action: 'create', reason: 'Create', catchUp: true },
    ],
    [
      'missed time beyond startingDeadlineSeconds: nothing until the next time',
      () => ({
        cronJob: hourly().startingDeadlineSeconds(60).lastScheduleTime('2016-05-19T09:00:00Z').build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(topOfTheHour(), 30),
      }),
      { action: 'none', reason: 'NotDueYet', nextRunAt: '2016-05-19T11:00:00Z' },
    ],
    [
      'nothing missed: nothing until the next time',
      () => ({
        cronJob: hourly().lastScheduleTime(topOfTheHour()).build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(topOfTheHour(), 30),
      }),
      { action: 'none', reason: 'NotDueYet', nextRunAt: '2016-05-19T11:00:00Z' },
    ],
    [
      'suspended for a week without deadline: TooManyMissedTimes, and the latest time still runs',
      () => ({
        cronJob: hourly().lastScheduleTime(topOfTheHour()).build(),
        suspend: false,
        jobs: [],
        now: plusMinutes(weekAfterTheHour(), 5),
      }),
      {
        action: 'create',
        reason: 'Create',
        catchUp: true,
        jobName: `c-${unixMinutes(weekAfterTheHour())}`,
        tooMany: true,
      },
    ],
    [
      'Forbid with a Job still running: the missed time is skipped',
      () => {
        const cj = hourly().forbid().lastScheduleTime('2016-05-19T09:00:00Z').active('c-old').build();
        return {
          cronJob: cj,
          suspend: false,
          jobs: [job('c-old').ownedBy(cj).running().build()],
          now: plusMinutes(topOfTheHour(), 5),
        };
      },
      { action: 'skip', reason: 'JobAlreadyActive' },
    ],
    [
      'unparseable schedule: nothing will run',
      () => ({ cronJob: hourly().schedule('not a schedule').build(), suspend: false, jobs: [], now: topOfTheHour() }),
      { action: 'none', reason: 'UnparseableSchedule' },
    ],
  ];
  for (const [title, make, want] of cases) {
    it(title, () => {
      const r = planSuspend(make()).resume!;
      assert.ok(r, 'a resume prediction');
      assert.equal(r.action, want.action);
      assert.equal(r.reason, want.reason);
      if (want.catchUp !== undefined) assert.equal(r.catchUp, want.catchUp);
      if (want.jobName !== undefined) assert.equal(r.jobName, want.jobName);
      if (want.nextRunAt !== undefined) assert.equal(r.nextRunAt, want.nextRunAt);
      if (want.dropped !== undefined) assert.equal(r.dropped, want.dropped);
      assert.equal(
        r.events.some((e) => e.reason === 'TooManyMissedTimes'),
        want.tooMany ?? false,
      );
    });
  }
});

describe('explainResume says it plainly', () => {
  const now = plusMinutes(topOfTheHour(), 20);
  it('names the catch-up Job and its time', () => {
    const p = planSuspend({
      cronJob: cronJob('c').suspended().lastScheduleTime('2016-05-19T09:00:00Z').build(),
      suspend: false,
      jobs: [],
      now,
    });
    assert.deepEqual(explainResume('c', p.resume!, now), [
      `cronjob/c: on resume the controller at once starts job/c-${unixMinutes(topOfTheHour())} for the missed time 2016-05-19T10:00:00Z (20m ago) (startingDeadlineSeconds still allows it)`,
    ]);
  });
  it('names the next run when nothing starts', () => {
    const p = planSuspend({
      cronJob: cronJob('c').suspended().lastScheduleTime(topOfTheHour()).build(),
      suspend: false,
      jobs: [],
      now,
    });
    assert.deepEqual(explainResume('c', p.resume!, now), [
      'cronjob/c: nothing starts at once: no scheduled time was missed; the next scheduled run is at 2016-05-19T11:00:00Z (in 40m)',
    ]);
  });
  it('says which missed time startingDeadlineSeconds drops', () => {
    const late = plusMinutes(topOfTheHour(), 30);
    const p = planSuspend({
      cronJob: cronJob('c').suspended().startingDeadlineSeconds(60).lastScheduleTime('2016-05-19T08:00:00Z').build(),
      suspend: false,
      jobs: [],
      now: late,
    });
    assert.deepEqual(p.resume!.pastDeadline, {
      scheduledTime: '2016-05-19T10:00:00Z',
      missedCount: 2,
      deadlineSeconds: 60,
    });
    assert.deepEqual(explainResume('c', p.resume!, late), [
      'cronjob/c: nothing starts at once: the missed time 2016-05-19T10:00:00Z (30m ago) and about 1 earlier is older than startingDeadlineSeconds (60s), so the controller skips it; the next scheduled run is at 2016-05-19T11:00:00Z (in 30m)',
    ]);
  });
  it('warns about TooManyMissedTimes', () => {
    const later = plusSeconds(weekAfterTheHour(), 30);
    const p = planSuspend({
      cronJob: cronJob('c').suspended().lastScheduleTime(iso(topOfTheHour())).build(),
      suspend: false,
      jobs: [],
      now: later,
    });
    assert.match(
      explainResume('c', p.resume!, later).join('\n'),
      /TooManyMissedTimes warning: more than 100 start times were missed/,
    );
  });
});
