// The apply preview of `why -f`: when the controller syncs a CronJob after kubectl apply
// (updateCronJob's rules) and what that sync does (the sync model), on snapshot-like inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appliedCronJob, containedIn, previewApply } from '../../../src/controller/plans/apply-preview.js';
import type { CronJob } from '../../../src/api/types.js';
import { describePreview } from '../../../src/explain/manifest.js';
import { jobNameFor } from '../../../src/controller/cronjob/index.js';
import { cronJob, scheduledJob } from '../../support/builders.js';

const T = (s: string) => new Date(`2026-11-20T${s}Z`);
const manifestOf = (cj: CronJob, spec: Partial<CronJob['spec']>): CronJob => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: cj.metadata.name, namespace: cj.metadata.namespace },
  spec: { ...structuredClone(cj.spec), ...spec },
});

describe('previewApply', () => {
  it('a CronJob that does not exist yet: synced at once, nothing due (its creation is now)', () => {
    const m = manifestOf(cronJob('new').schedule('* * * * *').build(), {});
    const p = previewApply({ manifest: m, jobs: [], now: T('10:00:30') });
    assert.equal(p.exists, false);
    assert.equal(p.trigger, 'created');
    assert.equal(p.decision!.action, 'none');
    assert.equal(p.decision!.reason, 'NotDueYet');
    assert.equal(p.decision!.requeueAt, '2026-11-20T10:01:00.100Z');
  });

  it('suspend: false on a suspended CronJob keeps the schedule: synced at once, the latest missed time runs (catch-up)', () => {
    const live = cronJob('c')
      .schedule('* * * * *')
      .suspended()
      .createdAt(T('09:00:00'))
      .lastScheduleTime(T('10:00:00'))
      .build();
    const p = previewApply({ live, manifest: manifestOf(live, { suspend: false }), jobs: [], now: T('10:05:30') });
    assert.equal(p.trigger, 'updated');
    assert.equal(p.syncAt, '2026-11-20T10:05:30.000Z');
    assert.equal(p.decision!.action, 'create');
    assert.equal(p.decision!.scheduledTime, '2026-11-20T10:05:00Z');
    assert.equal(p.decision!.jobName, jobNameFor('c', T('10:05:00')));
    assert.equal(p.catchUp, true);
    assert.equal(p.decision!.missedCount, 5);
    assert.equal(p.ifSyncedNow, null);
    assert.match(
      describePreview(p, T('10:05:30')).join('\n'),
      new RegExp(
        `predicted: it starts job/${jobNameFor('c', T('10:05:00'))} for the missed time 2026-11-20T10:05:00Z \\(about 5 times missed; only the latest runs\\)`,
      ),
    );
  });

  it("a schedule change waits for the new schedule's next time (not at once), then runs that time; a sync right away would catch up", () => {
    const live = cronJob('c').schedule('0 0 1 1 *').createdAt(T('08:00:00')).lastScheduleTime(T('09:50:00')).build();
    const p = previewApply({
      live,
      manifest: manifestOf(live, { schedule: '* * * * *' }),
      jobs: [],
      now: T('10:00:20'),
    });
    assert.equal(p.trigger, 'schedule-changed');
    assert.equal(p.syncAt, '2026-11-20T10:01:00.100Z');
    assert.equal(p.decision!.action, 'create');
    assert.equal(p.decision!.scheduledTime, '2026-11-20T10:01:00Z');
    assert.equal(p.catchUp, false);
    assert.equal(p.ifSyncedNow!.scheduledTime, '2026-11-20T10:00:00Z');
    assert.ok(p.notes.some((n) => /any change of one of the CronJob's Jobs/.test(n)));
  });

  it('a schedule change to a later time: the sync already queued for the old schedule comes first', () => {
    const live = cronJob('c').schedule('*/5 * * * *').createdAt(T('08:00:00')).lastScheduleTime(T('10:00:00')).build();
    const p = previewApply({
      live,
      manifest: manifestOf(live, { schedule: '0 * * * *' }),
      jobs: [],
      now: T('10:02:00'),
    });
    assert.equal(p.trigger, 'already-queued');
    assert.equal(p.syncAt, '2026-11-20T10:05:00.100Z');
    assert.equal(p.decision!.action, 'none');
    assert.equal(p.decision!.reason, 'NotDueYet');
  });

  it('more than 100 missed times: the Job still starts and TooManyMissedTimes is recorded', () => {
    const live = cronJob('c')
      .schedule('* * * * *')
      .suspended()
      .createdAt(T('00:00:00'))
      .lastScheduleTime(T('07:00:00'))
      .build();
    const p = previewApply({ live, manifest: manifestOf(live, { suspend: false }), jobs: [], now: T('10:00:10') });
    assert.equal(p.decision!.action, 'create');
    assert.equal(p.decision!.missed, 'many');
    assert.ok(p.decision!.events.some((e) => e.reason === 'TooManyMissedTimes'));
    assert.ok(describePreview(p, T('10:00:10')).some((l) => /TooManyMissedTimes/.test(l)));
  });

  it('Forbid with a running Job: the due time is skipped', () => {
    const live0 = cronJob('c').schedule('* * * * *').createdAt(T('09:00:00')).build();
    const running = scheduledJob(live0, T('09:58:00')).build();
    const live = cronJob('c')
      .schedule('* * * * *')
      .createdAt(T('09:00:00'))
      .lastScheduleTime(T('09:58:00'))
      .active(running)
      .build();
    const p = previewApply({
      live,
      manifest: manifestOf(live, { concurrencyPolicy: 'Forbid' }),
      jobs: [running],
      now: T('10:00:30'),
    });
    assert.equal(p.trigger, 'updated');
    assert.equal(p.decision!.reason, 'JobAlreadyActive');
    assert.equal(p.decision!.action, 'skip');
  });

  it('an unparseable new schedule is not requeued; a suspended live CronJob has nothing queued either: no sync', () => {
    const live = cronJob('c').suspended().build();
    const p = previewApply({
      live,
      manifest: manifestOf(live, { schedule: 'not a schedule' }),
      jobs: [],
      now: T('10:00:00'),
    });
    assert.equal(p.trigger, 'none');
    assert.equal(p.syncAt, null);
    assert.equal(p.decision, null);
  });

  it('a manifest that changes nothing: the controller is not woken', () => {
    const live = cronJob('c').lastScheduleTime(T('10:00:00')).build();
    const m = manifestOf(live, {});
    delete (m.spec as { concurrencyPolicy?: string }).concurrencyPolicy;
    const p = previewApply({ live, manifest: m, jobs: [], now: T('10:20:00') });
    assert.equal(p.trigger, 'unchanged');
    assert.equal(p.syncAt, '2026-11-20T11:00:00.100Z');
  });

  it('notes that a suspend set by another manager survives the apply', () => {
    const live = cronJob('c').suspended().build();
    const m = manifestOf(live, {});
    delete m.spec.suspend;
    m.spec.schedule = '*/5 * * * *';
    assert.ok(
      previewApply({ live, manifest: m, jobs: [], now: T('10:00:00') }).notes.some((n) =>
        /another field manager/.test(n),
      ),
    );
  });

  it("the applied object: the manifest's spec, the live metadata and status", () => {
    const live = cronJob('c').uid('u1').lastScheduleTime(T('10:00:00')).build();
    const a = appliedCronJob(live, manifestOf(live, { schedule: '5 * * * *' }));
    assert.equal(a.metadata.uid, 'u1');
    assert.equal(a.status!.lastScheduleTime, '2026-11-20T10:00:00Z');
    assert.equal(a.spec.schedule, '5 * * * *');
    assert.equal(containedIn({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }], d: 4 }), true);
    assert.equal(containedIn({ a: [1] }, { a: [1, 2] }), false);
  });
});
