// Issue 13: one test per reasoning rule of the reconstruction (misses.ts, retention.ts,
// job-events.ts) and per look-back incident (causes-history.ts), plus deleted Jobs (job-view.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideCronJob, listMisses, type MissesReport } from '../../../src/controller/cronjob/index.js';
import { explainGoneJob, forbidBlockerCause } from '../../../src/controller/cronjob/job-view.js';
import type { CronJob, Job, KubeEvent } from '../../../src/api/types.js';
import { cronJob, event, scheduledJob } from '../../support/builders.js';
import { date, iso, plusMinutes, plusSeconds } from '../../support/time.js';

// A `*/1` CronJob created at 05:40; times are minutes of that morning.
const m = (minute: number): Date => plusMinutes(date('2026-11-23T05:00:00Z'), minute);
const base = () =>
  cronJob('tick')
    .namespace('ns')
    .schedule('* * * * *')
    .createdAt(plusSeconds(m(40), 30))
    .historyLimits(3, 1);
const name = (minute: number) => `tick-${Math.floor(m(minute).getTime() / 60_000)}`;
const ok = (cj: CronJob, minute: number, lateS = 1) =>
  scheduledJob(cj, m(minute))
    .namespace('ns')
    .createdAt(plusSeconds(m(minute), lateS))
    .startedAt(plusSeconds(m(minute), lateS + 1))
    .succeeded(plusSeconds(m(minute), lateS + 20))
    .build();
const running = (cj: CronJob, minute: number) =>
  scheduledJob(cj, m(minute))
    .namespace('ns')
    .createdAt(plusSeconds(m(minute), 1))
    .startedAt(plusSeconds(m(minute), 2))
    .running()
    .build();
let evN = 0;
const ev = (cj: CronJob, reason: string, message: string, at: Date): KubeEvent => {
  const e = event(reason).about(cj).message(message).at(at).build();
  e.metadata.name = `tick.${++evN}`;
  return e;
};
const fates = (r: MissesReport, from: number, to: number): string[] =>
  Array.from(r.slots)
    .filter((s) => s.time >= iso(m(from)) && s.time <= iso(m(to)))
    .map((s) => `${s.time.slice(11, 16)} ${s.fate}${s.reason ? `/${s.reason}` : ''}`);
const misses = (cj: CronJob, jobs: Job[], events: KubeEvent[], now: Date, since = m(40)) =>
  listMisses({ cronJob: cj, jobs, events, now, since, until: now });

describe('after the fact: slot fates', () => {
  it("retention order: a kept older Job and no failed Job kept prove the gap never ran (the issue's 05:49/05:50/05:57 case)", () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const r = misses(cj, [ok(cj, 49), ok(cj, 50), ok(cj, 57, 35)], [], plusSeconds(m(57), 50), m(48));
    assert.deepEqual(fates(r, 49, 57), [
      '05:49 ran',
      '05:50 ran',
      ...[51, 52, 53, 54, 55, 56].map((x) => `05:${x} missed/not-created`),
      '05:57 ran/late',
    ]);
    assert.equal(r.slots.slot(8).lateSeconds, 35);
  });
  it('a failed Job kept only after the gap does not prove it (a failed run may have been pruned)', () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const failed = scheduledJob(cj, m(52))
      .namespace('ns')
      .startedAt(m(52))
      .failed(plusSeconds(m(52), 30))
      .build();
    const failed2 = scheduledJob(cj, m(56))
      .namespace('ns')
      .startedAt(m(56))
      .failed(plusSeconds(m(56), 30))
      .build();
    // failedJobsHistoryLimit 1 with two failed kept is impossible for the controller alone; with one
    // kept (56), 51-55 could have failed and been pruned: unknown unless a failed Job older than them is kept.
    const r = misses(cj, [ok(cj, 49), ok(cj, 50), failed2], [], plusSeconds(m(57), 50), m(48));
    assert.deepEqual(fates(r, 51, 51), ['05:51 unknown/no-trace']);
    const r2 = misses(
      base().lastScheduleTime(m(57)).historyLimits(3, 3).build(),
      [ok(cj, 49), ok(cj, 50), failed, failed2],
      [],
      plusSeconds(m(57), 50),
      m(48),
    );
    assert.deepEqual(fates(r2, 53, 53), ['05:53 missed/not-created']);
  });
  it('Replace: the gap is unknown without events (a running Job may have been replaced)', () => {
    const cj = base().replace().lastScheduleTime(m(57)).build();
    const r = misses(cj, [ok(cj, 49), ok(cj, 50), ok(cj, 57)], [], plusSeconds(m(57), 50), m(48));
    assert.deepEqual(fates(r, 51, 51), ['05:51 unknown/no-trace']);
  });
  it('after lastScheduleTime no Job was created; the time at lastScheduleTime had one', () => {
    const cj = base().lastScheduleTime(m(50)).build();
    const r = misses(cj, [ok(cj, 49)], [], plusSeconds(m(53), 10), m(48));
    assert.deepEqual(fates(r, 49, 53), [
      '05:49 ran',
      '05:50 unknown/job-gone',
      '05:51 missed/after-last-schedule',
      '05:52 missed/after-last-schedule',
      '05:53 due/after-last-schedule',
    ]);
  });
  it('controller events name what happened to a Job that is gone', () => {
    const cj = base().replace().lastScheduleTime(m(53)).build();
    const events = [
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(50)}`, plusSeconds(m(51), 1)),
      ev(cj, 'SawCompletedJob', `Saw completed job: ${name(49)}, condition: Failed`, plusSeconds(m(49), 30)),
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(49)}`, plusSeconds(m(50), 1)),
      ev(cj, 'MissingJob', `Active job went missing: ${name(51)}`, plusSeconds(m(51), 40)),
      ev(cj, 'SuccessfulCreate', `(combined from similar events): Created job ${name(52)}`, plusSeconds(m(52), 1)),
    ];
    const r = misses(cj, [running(cj, 53)], events, plusSeconds(m(53), 30), m(48));
    assert.deepEqual(fates(r, 49, 53), [
      '05:49 pruned/delete-event',
      '05:50 replaced/delete-event',
      '05:51 ran/deleted-while-active',
      '05:52 unknown/job-gone',
      '05:53 ran',
    ]);
    assert.deepEqual([r.slots.slot(0).outcome, r.slots.slot(1).outcome], ['failed', 'deleted']);
  });
  it("Replace, then MissingJob for the same Job (a sync from a cached CronJob still listing it): the controller's own delete, replaced", () => {
    // Seen on a real v1.37 controller: SuccessfulDelete at the replace, MissingJob a moment later.
    const cj = base().replace().lastScheduleTime(m(53)).build();
    const events = [
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(52)}`, plusSeconds(m(53), 0)),
      ev(cj, 'MissingJob', `Active job went missing: ${name(52)}`, plusSeconds(m(53), 1)),
    ];
    const r = misses(cj, [running(cj, 53)], events, plusSeconds(m(53), 30), m(51));
    assert.deepEqual(fates(r, 52, 52), ['05:52 replaced/delete-event']);
    const v = explainGoneJob({ cronJob: cj, jobs: [running(cj, 53)], events, now: plusSeconds(m(53), 30) }, name(52))!;
    assert.deepEqual([v.verdict, v.causes[0]?.code], ['failed', 'Replaced']);
    // A MissingJob before the controller's delete of that name is not its echo: someone else deleted it.
    const person = [
      ev(cj, 'MissingJob', `Active job went missing: ${name(52)}`, plusSeconds(m(52), 30)),
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(52)}`, plusSeconds(m(53), 0)),
    ];
    assert.deepEqual(fates(misses(cj, [running(cj, 53)], person, plusSeconds(m(53), 30), m(51)), 52, 52), [
      '05:52 ran/deleted-while-active',
    ]);
  });
  it('a controller delete without SawCompletedJob, where a limit may have pruned, is not called Replace', () => {
    const cj = base().replace().historyLimits(0, 0).lastScheduleTime(m(53)).build();
    const r = misses(
      cj,
      [running(cj, 53)],
      [ev(cj, 'SuccessfulDelete', `Deleted job ${name(50)}`, plusSeconds(m(51), 1))],
      plusSeconds(m(53), 30),
      m(48),
    );
    assert.deepEqual(fates(r, 50, 50), ['05:50 unknown/deleted-by-controller']);
  });
  it('a catch-up right after a write of .spec.suspend: the gap was suspended (resume)', () => {
    const cj = base()
      .lastScheduleTime(m(57))
      .managedFields({
        manager: 'kubectl-patch',
        operation: 'Update',
        time: iso(plusSeconds(m(57), 10)),
        fieldsV1: { 'f:spec': { 'f:suspend': {} } },
      })
      .build();
    cj.spec.suspend = false;
    const r = misses(cj, [ok(cj, 49), ok(cj, 50), ok(cj, 57, 12)], [], plusSeconds(m(57), 50), m(48));
    assert.deepEqual(fates(r, 51, 51), ['05:51 suspended/resumed']);
    const v = decideCronJob({
      cronJob: cj,
      jobs: [ok(cj, 49), ok(cj, 50), ok(cj, 57, 12)],
      events: [],
      now: plusSeconds(m(57), 50),
    });
    assert.ok(v.causes.some((c) => c.code === 'Resumed' && c.severity === 'info'));
    assert.ok(!v.causes.some((c) => c.code === 'ControllerOutage'), v.causes.map((c) => c.code).join());
  });
  it('a TooManyMissedTimes event raised as the catch-up Job was created covers the gap', () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const r = misses(
      cj,
      [ok(cj, 49), ok(cj, 50), ok(cj, 57, 35)],
      [ev(cj, 'TooManyMissedTimes', 'too many missed start times', plusSeconds(m(57), 35))],
      plusSeconds(m(57), 50),
      m(48),
    );
    assert.deepEqual(fates(r, 51, 51), ['05:51 missed/too-many-missed']);
  });
  it('a MissSchedule event names a missed-deadline time', () => {
    const cj = base().lastScheduleTime(m(57)).startingDeadlineSeconds(10).build();
    const r = misses(
      cj,
      [ok(cj, 49), ok(cj, 57)],
      [
        ev(
          cj,
          'MissSchedule',
          `Missed scheduled time to start a job: ${m(55).toUTCString().replace('GMT', '+0000')}`,
          plusSeconds(m(55), 20),
        ),
      ],
      plusSeconds(m(57), 50),
      m(48),
    );
    assert.deepEqual(fates(r, 55, 55), ['05:55 missed-deadline/miss-schedule-event']);
  });
  it('sub-minute schedules: a second time in a minute that has a Job gets none (Jobs are named by the minute)', () => {
    const cj = base().schedule('@every 30s').createdAt(m(48)).lastScheduleTime(m(50)).build();
    const r = misses(cj, [ok(cj, 49), ok(cj, 50)], [], plusSeconds(m(50), 20), m(48));
    assert.deepEqual(
      Array.from(r.slots).map((s) => `${s.time.slice(11, 19)} ${s.fate}${s.reason ? `/${s.reason}` : ''}`),
      ['05:48:30 unknown/no-trace', '05:49:00 ran', '05:49:30 missed/same-minute', '05:50:00 ran'],
    );
  });
});

describe('after the fact: verdicts over the look-back window', () => {
  it('outage and catch-up: missed runs, exit 1, cites the late Job and the retention proof', () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const jobs = [ok(cj, 49), ok(cj, 50), ok(cj, 57, 35)];
    const v = decideCronJob({ cronJob: cj, jobs, events: [], now: plusSeconds(m(57), 50) });
    assert.equal(v.verdict, 'missed-runs');
    const c = v.causes.find((x) => x.code === 'ControllerOutage')!;
    assert.match(
      c.message,
      /No Job was created for 6 schedule time\(s\) from 2026-11-23T05:51:00Z to 2026-11-23T05:56:00Z; job tick-\d+ for 2026-11-23T05:57:00Z was created 35s late/,
    );
    assert.deepEqual(
      c.evidence.map((e) => e.kind),
      ['derived', 'derived', 'observed', 'observed', 'derived'],
    );
    assert.ok(c.evidence.some((e) => e.object === `job/${name(57)}` && e.field === '.metadata.creationTimestamp'));
    assert.equal(v.missed, 6);
  });
  it('the same outage outside the look-back window does not make it unhealthy', () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const v = decideCronJob({
      cronJob: cj,
      jobs: [ok(cj, 49), ok(cj, 50), ok(cj, 57, 35)],
      events: [],
      now: plusSeconds(m(57), 50),
      since: plusSeconds(m(57), 40),
    });
    assert.equal(v.verdict, 'healthy');
  });
  it('a late Job after a Forbid blocker finished is Forbid, not an outage', () => {
    const cj = base().forbid().lastScheduleTime(m(52)).build();
    const long = scheduledJob(cj, m(50))
      .namespace('ns')
      .createdAt(plusSeconds(m(50), 1))
      .startedAt(plusSeconds(m(50), 1))
      .succeeded(plusSeconds(m(51), 40))
      .build();
    const v = decideCronJob({
      cronJob: cj,
      jobs: [ok(cj, 49), long, ok(cj, 51, 41)],
      events: [],
      now: plusSeconds(m(52), 30),
    });
    assert.ok(!v.causes.some((c) => c.code === 'ControllerOutage'), v.causes.map((c) => c.message).join('\n'));
  });
  it('TooManyMissedTimes raised in the window, controller caught up since: missed runs', () => {
    const cj = base().lastScheduleTime(m(57)).build();
    const v = decideCronJob({
      cronJob: cj,
      jobs: [ok(cj, 57, 5)],
      events: [ev(cj, 'TooManyMissedTimes', 'too many missed start times', plusSeconds(m(57), 5))],
      now: plusSeconds(m(57), 20),
    });
    assert.equal(v.verdict, 'missed-runs');
    assert.ok(v.causes.some((c) => c.code === 'TooManyMissedTimes' && c.severity === 'error'));
  });
  it('Replace churn: no run finished since lastSuccessfulTime while runs keep starting: failing', () => {
    const cj = base()
      .replace()
      .lastScheduleTime(m(57))
      .lastSuccessfulTime(plusSeconds(m(48), 30))
      .build();
    const events = [50, 51, 52].map((x) =>
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(x)}`, plusSeconds(m(x + 1), 1)),
    );
    const v = decideCronJob({ cronJob: cj, jobs: [running(cj, 57)], events, now: plusSeconds(m(57), 30) });
    assert.equal(v.verdict, 'failing');
    const c = v.causes.find((x) => x.code === 'ReplaceChurn')!;
    assert.match(c.message, /^No run has finished since 2026-11-23T05:48:30Z; each was replaced by the next/);
    assert.ok(c.evidence.some((e) => e.field === '.status.lastSuccessfulTime' && e.value === '2026-11-23T05:48:30Z'));
  });
  it("Forbid blocked: .status.active is quoted as read, never the model's list after its next sync", () => {
    const cj = base().forbid().lastScheduleTime(m(50)).build();
    const v = decideCronJob({ cronJob: cj, jobs: [ok(cj, 50)], events: [], now: plusSeconds(m(51), 10) });
    for (const c of v.causes)
      for (const e of c.evidence)
        if (e.field === '.status.active' || e.field === '.status.active[*].name')
          assert.deepEqual(e.value, cj.status?.active ?? null);
    assert.ok(!v.causes.some((c) => c.code === 'JobAlreadyActive'));
  });
});

describe('after the fact: deleted Jobs and blockers', () => {
  it('why job/<deleted by Replace>: failed, cause Replaced, from the events', () => {
    const cj = base().replace().lastScheduleTime(m(53)).build();
    const events = [
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(52)}`, plusSeconds(m(53), 1)),
      ev(cj, 'SuccessfulCreate', `Created job ${name(53)}`, plusSeconds(m(53), 1)),
    ];
    const v = explainGoneJob({ cronJob: cj, jobs: [running(cj, 53)], events, now: plusSeconds(m(53), 30) }, name(52))!;
    assert.equal(v.verdict, 'failed');
    assert.equal(v.causes[0]?.code, 'Replaced');
    assert.match(
      v.causes[0]!.message,
      new RegExp(`deleted this Job while it was still running at 2026-11-23T05:53:01Z, to start job ${name(53)}`),
    );
  });
  it('why job/<pruned>: deleted, with its outcome from SawCompletedJob', () => {
    const cj = base().lastScheduleTime(m(53)).build();
    const events = [
      ev(cj, 'SawCompletedJob', `Saw completed job: ${name(49)}, condition: Complete`, plusSeconds(m(49), 20)),
      ev(cj, 'SuccessfulDelete', `Deleted job ${name(49)}`, plusSeconds(m(53), 1)),
    ];
    const v = explainGoneJob({ cronJob: cj, jobs: [ok(cj, 53)], events, now: plusSeconds(m(53), 30) }, name(49))!;
    assert.deepEqual([v.verdict, v.causes[0]?.code], ['deleted', 'DeletedByHistoryLimit']);
    assert.match(v.causes[0]!.message, /^The Job succeeded/);
  });
  it('why job/<gone, no event>: nothing to say (the caller reports not found)', () => {
    const cj = base().lastScheduleTime(m(53)).build();
    assert.equal(
      explainGoneJob({ cronJob: cj, jobs: [ok(cj, 53)], events: [], now: plusSeconds(m(53), 30) }, name(49)),
      null,
    );
  });
  it('why job/<running blocker of a Forbid CronJob>: names the runs it blocks', () => {
    const cj0 = base().forbid().build();
    const blocker = running(cj0, 50);
    const cj = base().forbid().lastScheduleTime(m(50)).active(blocker).build();
    const c = forbidBlockerCause({ cronJob: cj, jobs: [blocker], events: [], now: plusSeconds(m(53), 30) }, blocker)!;
    assert.equal(c.code, 'BlocksCronJob');
    assert.match(c.message, /cronjob\/tick starts no run \(concurrencyPolicy Forbid\): 3 run\(s\) skipped so far/);
  });
});

describe('after the fact: rules found against the real controllers (e2e fixtures)', () => {
  it('a controller delete under Allow is a history-limit prune even without SawCompletedJob', () => {
    const cj = base().lastScheduleTime(m(53)).build();
    const r = misses(
      cj,
      [ok(cj, 51), ok(cj, 52), ok(cj, 53)],
      [ev(cj, 'SuccessfulDelete', `Deleted job ${name(50)}`, plusSeconds(m(53), 22))],
      plusSeconds(m(53), 30),
      m(49),
    );
    assert.deepEqual(fates(r, 50, 50), ['05:50 pruned/delete-event']);
  });
  it('a delete event names a time before the CronJob existed (lastScheduleTime written back): not before-creation', () => {
    const cj = base()
      .createdAt(plusSeconds(m(50), 10))
      .lastScheduleTime(m(53))
      .build();
    const r = misses(
      cj,
      [ok(cj, 51), ok(cj, 52), ok(cj, 53)],
      [ev(cj, 'SuccessfulDelete', `Deleted job ${name(50)}`, plusSeconds(m(53), 22))],
      plusSeconds(m(53), 30),
      m(48),
    );
    assert.deepEqual(fates(r, 49, 50), ['05:49 before-creation', '05:50 pruned/delete-event']);
  });
  it('Replace: the Job deleted when the catch-up started was the latest created, so the times between never had one', () => {
    const cj = base().replace().lastScheduleTime(m(54)).build();
    const catchUp = scheduledJob(cj, m(54))
      .namespace('ns')
      .createdAt(plusSeconds(m(54), 21))
      .startedAt(plusSeconds(m(54), 22))
      .running()
      .build();
    const r = misses(
      cj,
      [catchUp],
      [ev(cj, 'SuccessfulDelete', `Deleted job ${name(51)}`, plusSeconds(m(54), 21))],
      plusSeconds(m(54), 40),
      m(50),
    );
    assert.deepEqual(fates(r, 51, 54), [
      '05:51 replaced/delete-event',
      '05:52 missed/replace-order',
      '05:53 missed/replace-order',
      '05:54 ran/late',
    ]);
  });
});

describe('after the fact: @every', () => {
  it('@every times are a chain from lastScheduleTime, not from the window start', () => {
    const cj = base()
      .schedule('@every 90s')
      .createdAt(plusSeconds(m(40), 7))
      .lastScheduleTime(plusSeconds(m(43), 7))
      .build();
    const r = misses(cj, [], [], plusSeconds(m(46), 0), m(41));
    assert.deepEqual(
      Array.from(r.slots).map((s) => s.time.slice(11, 19)),
      ['05:41:37', '05:43:07', '05:44:37'],
    );
  });
  it('@every with a deadline shorter than the period: never starts (NeverDue)', () => {
    const cj = base().schedule('@every 10m').startingDeadlineSeconds(60).build();
    const v = decideCronJob({ cronJob: cj, jobs: [], events: [], now: m(59) });
    assert.equal(v.verdict, 'not-firing');
    assert.ok(v.causes.some((c) => c.code === 'NeverDue' && c.severity === 'error'));
  });
});
