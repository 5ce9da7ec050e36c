// One test per mismatch class the controller differential (controller-differential.test.ts) found
// between the model and the real CronJob controller's sync. Each expectation is what the oracle
// (test/go/cronjob-oracle, pkg/controller/cronjob) printed for the same state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syncDecision } from '../../../src/controller/cronjob/index.js';
import type { CronJob, Job } from '../../../src/api/types.js';
import { cronJob, job, scheduledJob, version } from '../../support/builders.js';

const T0 = new Date('2026-03-10T10:00:00Z'); // a tick of '0 * * * *'
const NOW = new Date('2026-03-10T10:00:30Z');
const at = (h: number) => new Date(T0.getTime() + h * 3600_000);
const sync = (cj: CronJob, jobs: Job[], minor = 36, now = NOW) =>
  syncDecision({ cronJob: cj, jobs, events: [], serverVersion: version(1, minor), now });
const reasons = (d: ReturnType<typeof syncDecision>) => d.events.map((e) => e.reason);

describe('controller differential classes', () => {
  it('a finished Job the history limit deletes leaves the active list without a SawCompletedJob event', () => {
    const cj0 = cronJob('cj').historyLimits(0, 0).lastScheduleTime(at(-1)).build();
    const old = scheduledJob(cj0, at(-1)).succeeded(at(-0.9)).build();
    const cj = cronJob('cj').historyLimits(0, 0).lastScheduleTime(at(-1)).active(old).build();
    const d = sync(cj, [old]);
    assert.deepEqual(reasons(d).sort(), ['SuccessfulCreate', 'SuccessfulDelete']);
    assert.deepEqual(d.deletes, [{ name: old.metadata.name, why: 'history-limit', list: 'successful' }]);
    assert.deepEqual(d.statusUpdate?.active, [`cj-${T0.getTime() / 60_000}`]);
  });

  it('an active entry whose Job is not in the cache stays when a GET by name finds a Job of that name (any owner)', () => {
    const foreign = job('cj-29000000').namespace('default').uid('uid-foreign').build();
    const cj = cronJob('cj').forbid().lastScheduleTime(at(-1)).active('cj-29000000').build(); // ref uid-cj-29000000
    const d = sync(cj, [foreign]);
    assert.equal(d.action, 'skip');
    assert.deepEqual(reasons(d), ['JobAlreadyActive']);
    assert.equal(d.statusUpdate, null);
  });

  it('Replace deletes such a Job by name, and the entry stays because its UID differs', () => {
    const foreign = job('cj-29000000').namespace('default').uid('uid-foreign').build();
    const cj = cronJob('cj').replace().lastScheduleTime(at(-1)).active('cj-29000000').build();
    const d = sync(cj, [foreign]);
    assert.equal(d.action, 'create');
    assert.deepEqual(d.deletes, [{ name: 'cj-29000000', why: 'replace' }]);
    assert.deepEqual(d.statusUpdate?.active, ['cj-29000000', d.job!.name]);
  });

  it('the due Job name exists: before 1.37 the GET after AlreadyExists fails and the sync errors (no requeue, no create)', () => {
    const cj = cronJob('cj').lastScheduleTime(at(-1)).build();
    const mine = scheduledJob(cj, T0).build();
    for (const jobs of [[mine], [job(mine.metadata.name!).build()]]) {
      const d = sync(cj, jobs, 36);
      assert.equal(d.action, 'none');
      assert.equal(d.reason, 'AlreadyExistsGetFailed');
      assert.equal(d.syncError, `jobs.batch "${mine.metadata.name}" not found`);
      assert.equal(d.requeueAt, null);
    }
  });

  it('from 1.37 a Job with the due name that the CronJob does not control makes the controller give up (ForeignJob, no requeue)', () => {
    const cj = cronJob('cj').lastScheduleTime(at(-1)).build();
    const name = `cj-${T0.getTime() / 60_000}`;
    for (const taken of [job(name).build(), job(name).ownedBy({ name: 'cj', uid: 'uid-previous-cj' }).build()]) {
      const d = sync(cj, [taken], 37);
      assert.equal(d.action, 'none');
      assert.equal(d.reason, 'ForeignJob');
      assert.equal(d.requeueAt, null);
      assert.equal(d.syncError, null);
    }
  });

  it('from 1.37 its own unlisted Job with the due name is adopted: listed, lastScheduleTime written, requeued', () => {
    const cj = cronJob('cj').lastScheduleTime(at(-1)).build();
    const mine = scheduledJob(cj, T0).build();
    const d = sync(cj, [mine], 37);
    assert.equal(d.action, 'none');
    assert.deepEqual(reasons(d), ['UnexpectedJob']);
    assert.deepEqual(d.statusUpdate, {
      lastScheduleTime: '2026-03-10T10:00:00Z',
      lastSuccessfulTime: null,
      active: [mine.metadata.name],
    });
    assert.equal(d.requeueAt, '2026-03-10T11:00:00.100Z');
  });

  it('a due-name Job deleted by the history limit in the same sync is created again', () => {
    const cj0 = cronJob('cj').historyLimits(0, 0).lastScheduleTime(at(-1)).build();
    const due = scheduledJob(cj0, T0).succeeded(NOW).build();
    const d = sync(cj0, [due]);
    assert.equal(d.action, 'create');
    assert.equal(d.job?.name, due.metadata.name);
  });

  it('.spec.timeZone "Local" is kube-controller-manager\'s zone for the scheduled-timestamp annotation', () => {
    const cj = cronJob('cj').timeZone('Local').lastScheduleTime(at(-1)).build();
    const d = sync(cj, []);
    assert.equal(d.job?.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-03-10T10:00:00Z');
  });

  it('lastSuccessfulTime takes the latest completionTime of succeeded Jobs and is written', () => {
    const cj0 = cronJob('cj').lastScheduleTime(T0).build();
    const a = scheduledJob(cj0, at(-2)).succeeded(at(-1.5)).build();
    const b = scheduledJob(cj0, at(-1)).succeeded(at(-0.5)).build();
    const d = sync(cj0, [a, b]);
    assert.equal(d.statusUpdate?.lastSuccessfulTime, '2026-03-10T09:30:00Z');
    assert.equal(d.action, 'none');
  });

  it('Replace with an active entry that nothing answers for fails the sync with FailedGet', () => {
    // The Job is in the cache (same UID, so no GET while reconciling) but the reference names another namespace.
    const cj = cronJob('cj').replace().lastScheduleTime(at(-1)).build();
    const running = scheduledJob(cj, at(-1)).build();
    const withRef: CronJob = {
      ...cj,
      status: {
        ...cj.status,
        active: [{ kind: 'Job', name: running.metadata.name, namespace: 'elsewhere', uid: running.metadata.uid }],
      },
    };
    const d = sync(withRef, [running]);
    assert.equal(d.reason, 'FailedGet');
    assert.equal(d.requeueAt, null);
    assert.match(d.syncError ?? '', /not found/);
  });

  it('before 1.35 a schedule that makes robfig panic crashes the sync; from 1.35 it is UnparseableSchedule', () => {
    const cj = cronJob('cj').schedule('TZ=UTC').build();
    const old = sync(cj, [], 34);
    assert.equal(old.reason, 'Panic');
    assert.equal(old.statusUpdate, null);
    const now = sync(cj, [], 35);
    assert.equal(now.reason, 'UnparseableSchedule');
    assert.deepEqual(
      now.events.find((e) => e.reason === 'UnparseableSchedule')?.message,
      'unparseable schedule: "TZ=UTC" : invalid schedule format: runtime error: slice bounds out of range [:-1]',
    );
  });

  it('up to 1.36 a Job whose controller reference names the CronJob (another UID) is a child; from 1.37 only the UID counts', () => {
    const cj = cronJob('cj').lastScheduleTime(T0).build();
    const stranger = job('cj-28000000').ownedBy({ name: 'cj', uid: 'uid-previous-cj' }).build(); // running, not listed
    assert.deepEqual(reasons(sync(cj, [stranger], 36)), ['UnexpectedJob']);
    assert.deepEqual(reasons(sync(cj, [stranger], 37)), []);
  });

  it('@every: the next run counts from lastScheduleTime, and a deadline shorter than the period means never', async () => {
    const { controllerNextRun, everyNeverDue } = await import('../../../src/controller/cronjob/index.js');
    const { parseStandard } = await import('../../../src/controller/cron/index.js');
    const every = parseStandard('@every 1h', 'UTC');
    const cj = cronJob('cj').schedule('@every 1h').lastScheduleTime('2026-03-10T09:20:00Z').build();
    // now 10:00:30: the controller created nothing yet for 10:20 and wakes at 10:20, not at now + 1h.
    assert.equal(controllerNextRun(cj, NOW, every)?.toISOString(), '2026-03-10T10:20:00.000Z');
    assert.equal(sync(cj, []).requeueAt, '2026-03-10T10:20:00.100Z');
    const short = cronJob('cj')
      .schedule('@every 1h')
      .startingDeadlineSeconds(300)
      .lastScheduleTime('2026-03-10T07:00:00Z')
      .build();
    assert.equal(everyNeverDue(short, every), true);
    for (const h of [0, 1, 5, 24]) assert.equal(sync(short, [], 36, at(h)).action, 'none', `${h}h later`);
    assert.equal(
      everyNeverDue(cronJob('cj').schedule('@every 1h').startingDeadlineSeconds(3600).build(), every),
      false,
    );
  });
});
