// How the controller reads the schedule and its zone, which controller generation a version
// runs, and what that means around daylight-saving changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  controllerGeneration,
  jobNameFor,
  readSchedule,
  rfc1123zUtc,
  rfc3339InZone,
  scheduledTimeOfJob,
  syncDecision,
} from '../../../src/controller/cronjob/index.js';
import { cronJob, job, version } from '../../support/builders.js';
import { date, iso, topOfTheHour } from '../../support/time.js';

describe('readSchedule (formatSchedule + zone check)', () => {
  const cases: Array<{
    name: string;
    schedule: string;
    timeZone?: string;
    gen?: 'v1' | 'v2';
    controllerZone?: string;
    spec: string;
    zone: string;
    source: string;
    error?: string;
    events?: string[];
  }> = [
    {
      name: 'no timeZone: the controller zone (default UTC)',
      schedule: '0 2 * * *',
      spec: '0 2 * * *',
      zone: 'UTC',
      source: 'controller',
    },
    {
      name: 'no timeZone: the controller zone passed in',
      schedule: '0 2 * * *',
      controllerZone: 'Asia/Kolkata',
      spec: '0 2 * * *',
      zone: 'Asia/Kolkata',
      source: 'controller',
    },
    {
      name: 'timeZone set: TZ= prefix',
      schedule: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      spec: 'TZ=Europe/Berlin 0 2 * * *',
      zone: 'Europe/Berlin',
      source: 'timeZone',
    },
    {
      name: 'TZ in schedule: used as is, UnsupportedSchedule',
      schedule: 'TZ=Asia/Tokyo 0 9 * * *',
      spec: 'TZ=Asia/Tokyo 0 9 * * *',
      zone: 'Asia/Tokyo',
      source: 'schedule',
      events: ['UnsupportedSchedule'],
    },
    {
      name: 'CRON_TZ in schedule wins over timeZone',
      schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *',
      timeZone: 'Europe/Berlin',
      spec: 'CRON_TZ=Asia/Tokyo 0 9 * * *',
      zone: 'Asia/Tokyo',
      source: 'schedule',
      events: ['UnsupportedSchedule'],
    },
    {
      name: 'unknown timeZone',
      schedule: '0 2 * * *',
      timeZone: 'Europe/Berln',
      spec: '0 2 * * *',
      zone: 'Europe/Berln',
      source: 'timeZone',
      error: 'invalid timeZone: "Europe/Berln": unknown time zone Europe/Berln',
    },
    {
      name: 'unparseable',
      schedule: '61 * * * *',
      spec: '61 * * * *',
      zone: 'UTC',
      source: 'controller',
      error: 'UnparseableSchedule',
    },
    {
      name: 'v1 ignores timeZone (the field did not exist)',
      schedule: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      gen: 'v1',
      spec: '0 2 * * *',
      zone: 'UTC',
      source: 'controller',
    },
    {
      name: 'v1 records a parse error as FailedNeedsStart',
      schedule: 'obvious error schedule',
      gen: 'v1',
      spec: 'obvious error schedule',
      zone: 'UTC',
      source: 'controller',
      error: 'FailedNeedsStart',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = readSchedule(
        cronJob().schedule(c.schedule).timeZone(c.timeZone).build(),
        c.gen ?? 'v2',
        c.controllerZone,
      );
      assert.deepEqual([r.spec, r.zone, r.zoneSource], [c.spec, c.zone, c.source]);
      if (c.error)
        assert.ok(r.error && (r.error.message === c.error || r.error.reason === c.error), JSON.stringify(r.error));
      else assert.equal(r.error, undefined);
      assert.deepEqual(
        r.events.map((e) => e.reason),
        c.events ?? [],
      );
    });
  }
  it('UnsupportedSchedule text', () => {
    const r = readSchedule(cronJob().schedule('TZ=UTC 0 * * * *').build(), 'v2');
    assert.equal(
      r.events[0]?.message,
      'CRON_TZ or TZ used in schedule "TZ=UTC 0 * * * *" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
    );
  });
});

describe('controllerGeneration', () => {
  const cases: Array<[string, ReturnType<typeof version> | undefined, 'v1' | 'v2', boolean]> = [
    ['1.19: legacy only', version(1, 19), 'v1', true],
    ['1.20: legacy by default (CronJobControllerV2 alpha, off)', version(1, 20), 'v1', false],
    ['1.21: v2 by default (beta, could be switched off)', version(1, 21), 'v2', false],
    ['1.22: v2 (GA, locked)', version(1, 22), 'v2', true],
    ['unknown: v2 assumed', undefined, 'v2', false],
  ];
  for (const [name, v, gen, certain] of cases)
    it(name, () => assert.deepEqual(controllerGeneration(v), { generation: gen, certain }));
});

describe('names and formats', () => {
  it('v2 Job names use unix minutes, v1 unix seconds', () => {
    assert.equal(jobNameFor('hello', topOfTheHour()), 'hello-24394200');
    assert.equal(jobNameFor('hello', topOfTheHour(), 'v1'), 'hello-1463652000');
  });
  it('the scheduled time of a Job comes from its annotation, else its name', () => {
    const t = topOfTheHour();
    assert.equal(iso(scheduledTimeOfJob(job('hello-24394200').build(), 'hello')!), iso(t));
    assert.equal(iso(scheduledTimeOfJob(job('hello-1463652000').build(), 'hello')!), iso(t));
    assert.equal(
      iso(
        scheduledTimeOfJob(
          job('x').annotation('batch.kubernetes.io/cronjob-scheduled-timestamp', '2016-05-19T12:00:00+02:00').build(),
          'hello',
        )!,
      ),
      iso(t),
    );
    assert.equal(scheduledTimeOfJob(job('hello-manual-abc').build(), 'hello'), null);
  });
  it('RFC 1123Z in UTC (MissSchedule) and RFC 3339 in a zone (the annotation)', () => {
    assert.equal(rfc1123zUtc(topOfTheHour()), 'Thu, 19 May 2016 10:00:00 +0000');
    assert.equal(rfc3339InZone(topOfTheHour(), 'America/St_Johns'), '2016-05-19T07:30:00-02:30');
    assert.equal(rfc3339InZone(topOfTheHour(), 'UTC'), '2016-05-19T10:00:00Z');
  });
});

describe('time zones and daylight saving', () => {
  const run = (schedule: string, timeZone: string | undefined, last: string, now: string, controllerZone?: string) =>
    syncDecision({
      cronJob: cronJob('tz')
        .schedule(schedule)
        .timeZone(timeZone)
        .createdAt(date('2024-01-01T00:00:00Z'))
        .lastScheduleTime(date(last))
        .build(),
      jobs: [],
      events: [],
      now: date(now),
      controllerZone,
    });

  const cases: Array<{
    name: string;
    args: Parameters<typeof run>;
    scheduled: string | null;
    annotation?: string;
    requeue?: string;
  }> = [
    {
      name: '09:00 Berlin in winter is 08:00Z',
      args: ['0 9 * * *', 'Europe/Berlin', '2024-03-29T08:00:00Z', '2024-03-30T08:00:30Z'],
      scheduled: '2024-03-30T08:00:00Z',
      annotation: '2024-03-30T09:00:00+01:00',
    },
    {
      name: '09:00 Berlin the day clocks go forward is 07:00Z',
      args: ['0 9 * * *', 'Europe/Berlin', '2024-03-30T08:00:00Z', '2024-03-31T07:00:30Z'],
      scheduled: '2024-03-31T07:00:00Z',
      annotation: '2024-03-31T09:00:00+02:00',
    },
    {
      name: '02:30 Berlin does not exist on 31 March 2024: that day is skipped',
      args: ['30 2 * * *', 'Europe/Berlin', '2024-03-30T01:30:00Z', '2024-03-31T12:00:00Z'],
      scheduled: null,
      requeue: '2024-04-01T00:30:00.100Z',
    },
    {
      name: 'the same schedule without timeZone follows the controller zone',
      args: ['0 9 * * *', undefined, '2024-03-30T13:00:00Z', '2024-03-31T13:00:30Z', 'America/New_York'],
      scheduled: '2024-03-31T13:00:00Z',
      annotation: '2024-03-31T13:00:00Z',
    },
    {
      name: 'New York 09:00 after the US change (EDT) is 13:00Z',
      args: ['0 9 * * *', 'America/New_York', '2024-03-09T14:00:00Z', '2024-03-10T13:00:30Z'],
      scheduled: '2024-03-10T13:00:00Z',
      annotation: '2024-03-10T09:00:00-04:00',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = run(...c.args);
      assert.equal(d.scheduledTime, c.scheduled, `reason ${d.reason}`);
      if (c.annotation)
        assert.equal(d.job?.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], c.annotation);
      if (c.requeue) assert.equal(d.requeueAt, c.requeue);
    });
  }
});
