// Which schedule time the controller acts on: mostRecentScheduleTime, requeueAt and the legacy
// (≤1.20) unmet-times list. Case names follow upstream utils_test.go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStandard } from '../../../src/controller/cron/index.js';
import {
  legacyUnmetScheduleTimes,
  mostRecentScheduleTime,
  NEXT_SCHEDULE_DELTA_MS,
  requeueAt,
} from '../../../src/controller/cronjob/index.js';
import { cronJob } from '../../support/builders.js';
import { iso, plusHours, plusMinutes, plusSeconds, topOfTheHour } from '../../support/time.js';

const after = (mins: number): Date => plusMinutes(topOfTheHour(), mins);

interface Case {
  name: string;
  schedule: string;
  created: Date;
  last?: Date;
  sds?: number;
  includeSDS?: boolean;
  now: Date;
  earliest?: Date;
  recent: Date | null;
  missed?: 'none' | 'few' | 'many';
  error?: boolean;
}

const cases: Case[] = [
  {
    name: 'now before next schedule',
    schedule: '0 * * * *',
    created: topOfTheHour(),
    now: plusSeconds(topOfTheHour(), 30),
    earliest: topOfTheHour(),
    recent: null,
    missed: 'none',
  },
  {
    name: 'now just after next schedule',
    schedule: '0 * * * *',
    created: topOfTheHour(),
    now: after(61),
    earliest: topOfTheHour(),
    recent: after(60),
    missed: 'none',
  },
  {
    name: 'missed 5 schedules',
    schedule: '0 * * * *',
    created: plusSeconds(topOfTheHour(), 10),
    now: after(301),
    recent: after(300),
    missed: 'few',
  },
  {
    name: 'complex schedule',
    schedule: '30 6-16/4 * * 1-5',
    created: topOfTheHour(),
    last: after(30),
    now: after(24 * 60 + 31),
    recent: after(24 * 60 + 30),
    missed: 'few',
  },
  // Upstream's estimate overshoots here and finds nothing: Friday's 10:30-12:30 runs are never started.
  {
    name: 'another complex schedule',
    schedule: '30 10,11,12 * * 1-5',
    created: topOfTheHour(),
    last: after(30),
    now: after(30 * 60 + 30),
    recent: null,
    missed: 'few',
  },
  {
    name: 'complex schedule with longer diff between executions',
    schedule: '30 6-16/4 * * 1-5',
    created: topOfTheHour(),
    last: after(30),
    now: after(96 * 60 + 31),
    recent: after(96 * 60 + 30),
    missed: 'few',
  },
  {
    name: 'complex schedule with shorter diff between executions',
    schedule: '30 6-16/4 * * 1-5',
    created: topOfTheHour(),
    now: after(24 * 60 + 31),
    earliest: topOfTheHour(),
    recent: after(24 * 60 + 30),
    missed: 'few',
  },
  {
    name: '@every schedule',
    schedule: '@every 1h',
    created: after(-59),
    last: after(1),
    sds: 10,
    now: after(7 * 24 * 60),
    earliest: after(1),
    recent: after(6 * 24 * 60 + 23 * 60 + 1),
    missed: 'many',
  },
  {
    name: 'rogue cronjob (February 31)',
    schedule: '59 23 31 2 *',
    created: plusSeconds(topOfTheHour(), 10),
    now: after(60),
    recent: null,
    error: true,
  },
  {
    name: 'earliestTime being CreationTimestamp and LastScheduleTime',
    schedule: '0 * * * *',
    created: topOfTheHour(),
    last: topOfTheHour(),
    now: plusSeconds(topOfTheHour(), 30),
    earliest: topOfTheHour(),
    recent: null,
  },
  {
    name: 'earliestTime being LastScheduleTime',
    schedule: '*/5 * * * *',
    created: topOfTheHour(),
    last: after(30),
    now: after(31),
    earliest: after(30),
    recent: null,
  },
  {
    name: 'earliestTime being LastScheduleTime (within StartingDeadlineSeconds)',
    schedule: '*/5 * * * *',
    created: topOfTheHour(),
    last: after(30),
    sds: 60,
    now: after(31),
    earliest: after(30),
    recent: null,
  },
  {
    name: 'earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)',
    schedule: '*/5 * * * *',
    created: topOfTheHour(),
    last: after(30),
    sds: 60,
    includeSDS: true,
    now: after(32),
    earliest: after(31),
    recent: null,
  },
  {
    name: 'deadline hides a missed time (why MissSchedule is almost never recorded)',
    schedule: '0 * * * *',
    created: after(-61),
    last: after(-60),
    sds: 10,
    includeSDS: true,
    now: after(5),
    earliest: plusSeconds(after(5), -10),
    recent: null,
  },
  {
    name: 'exactly 100 missed is still few',
    schedule: '* * * * *',
    created: topOfTheHour(),
    now: plusSeconds(after(100), 30),
    recent: after(100),
    missed: 'few',
  },
  {
    name: '101 missed is many',
    schedule: '* * * * *',
    created: topOfTheHour(),
    now: plusSeconds(after(101), 30),
    recent: after(101),
    missed: 'many',
  },
];

describe('mostRecentScheduleTime', () => {
  for (const c of cases) {
    it(c.name, () => {
      const cj = cronJob()
        .schedule(c.schedule)
        .createdAt(c.created)
        .lastScheduleTime(c.last)
        .startingDeadlineSeconds(c.sds)
        .build();
      const r = mostRecentScheduleTime(cj, c.now, parseStandard(c.schedule), c.includeSDS ?? false);
      if (c.error) {
        assert.equal(r.error, 'time difference between two schedules is less than 1 second');
        return;
      }
      assert.equal(r.error, undefined);
      if (c.earliest) assert.equal(iso(r.earliestTime), iso(c.earliest), 'earliest time');
      assert.equal(
        r.mostRecentTime ? iso(r.mostRecentTime) : null,
        c.recent ? iso(c.recent) : null,
        'most recent time',
      );
      if (c.missed) assert.equal(r.missed, c.missed, 'missed');
    });
  }
});

describe('requeueAt (nextScheduleTimeDuration as an instant)', () => {
  const table: Array<{ name: string; schedule: string; last?: Date; now: Date; wait: number }> = [
    {
      name: 'complex schedule skipping weekend',
      schedule: '30 6-16/4 * * 1-5',
      last: after(30),
      now: after(24 * 60 + 31),
      wait: (3 * 60 + 59) * 60_000,
    },
    {
      name: 'another complex schedule skipping weekend',
      schedule: '30 10,11,12 * * 1-5',
      last: after(30),
      now: after(30 * 60 + 30),
      wait: 66 * 3600_000,
    },
    {
      name: 'once a week cronjob, missed two runs',
      schedule: '0 12 * * 4',
      last: after(120),
      now: after(19 * 24 * 60 + 90),
      wait: (48 * 60 + 30) * 60_000,
    },
    { name: 'no previous run of a cronjob', schedule: '0 12 * * 5', now: after(6 * 60), wait: 20 * 3600_000 },
  ];
  for (const c of table) {
    it(c.name, () => {
      const cj = cronJob().schedule(c.schedule).createdAt(topOfTheHour()).lastScheduleTime(c.last).build();
      const at = requeueAt(cj, c.now, parseStandard(c.schedule));
      assert.ok(at);
      assert.equal(at.getTime() - c.now.getTime(), c.wait + NEXT_SCHEDULE_DELTA_MS);
    });
  }
  it('an impossible schedule still requeues (from now), or not at all when nothing comes', () => {
    const cj = cronJob().schedule('59 23 31 2 *').createdAt(topOfTheHour()).build();
    assert.equal(requeueAt(cj, after(60), parseStandard('59 23 31 2 *')), null);
  });
});

describe('legacyUnmetScheduleTimes (v1 controller, ≤1.20)', () => {
  const sched = parseStandard('0 * * * *');
  it('lists every unmet time, oldest first', () => {
    const cj = cronJob().createdAt(topOfTheHour()).lastScheduleTime(topOfTheHour()).build();
    const r = legacyUnmetScheduleTimes(cj, plusHours(topOfTheHour(), 3), sched);
    assert.deepEqual(
      r.times.map(iso),
      [1, 2, 3].map((h) => iso(plusHours(topOfTheHour(), h))),
    );
    assert.equal(r.tooMany, false);
  });
  it('100 unmet times are fine', () => {
    const cj = cronJob().createdAt(topOfTheHour()).lastScheduleTime(topOfTheHour()).build();
    assert.equal(legacyUnmetScheduleTimes(cj, plusHours(topOfTheHour(), 100), sched).times.length, 100);
  });
  it('more than 100 gives up with no time at all', () => {
    const cj = cronJob().createdAt(topOfTheHour()).lastScheduleTime(topOfTheHour()).build();
    assert.deepEqual(legacyUnmetScheduleTimes(cj, plusHours(topOfTheHour(), 101), sched), { times: [], tooMany: true });
  });
  it('startingDeadlineSeconds limits how far back it looks', () => {
    const cj = cronJob()
      .createdAt(topOfTheHour())
      .lastScheduleTime(topOfTheHour())
      .startingDeadlineSeconds(200)
      .build();
    const r = legacyUnmetScheduleTimes(cj, plusMinutes(plusHours(topOfTheHour(), 500), 1), sched);
    assert.deepEqual(r.times.map(iso), [iso(plusHours(topOfTheHour(), 500))]);
  });
});
