// `why -f` against the real kube-controller-manager (the harness version, v1.37.2 by default): the tool reads a manifest (on stdin,
// as `kustomize build . | kubectl job why -f -`), says what the controller will do with it, the
// manifest is then applied with kubectl, and the test checks the controller does exactly that:
// the Job it names (or none), when. Scheduling findings that never run are checked against
// controls in the same namespace that do run, so "no Job" is not just "not waited long enough".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobNameFor } from '../../../src/controller/cronjob/index.js';
import {
  applyYaml,
  e2eSkipReason,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
} from '../harness/index.js';
import {
  CONTROLLER_ZONE,
  createCronJob,
  cronJobEvents,
  cronJobManifest,
  getCronJob,
  iso,
  jobs,
  MINUTE,
  minuteStart,
  patchStatus,
  sleep,
  waitForSecondWindow,
  wallClock,
  whyFile,
  type FileRun,
} from './support.js';

const TEST_TIMEOUT = 180_000;

const item = (r: FileRun, name: string) => {
  const i = r.report.items.find((x: any) => x.name === name);
  assert.ok(i, `${name} in the report: ${JSON.stringify(r.report.items.map((x: any) => x.name))}`);
  return i;
};
const codes = (i: any) => i.findings.map((f: any) => `${f.severity}:${f.code}`).sort();
const jobsOf = async (cp: ControlPlane, ns: string, cronJob: string) =>
  (await jobs(cp, ns)).filter((j) => j.metadata.ownerReferences?.[0]?.name === cronJob).map((j) => j.metadata.name);

// The tests are independent (a namespace each, nothing stopped or restarted) and mostly wait for
// minute boundaries: they run at the same time, which takes this file from about 270 s to about 80 s.
describe('why -f against the real CronJob controller', { skip: e2eSkipReason(), concurrency: true }, () => {
  const controlPlane = useControlPlane();

  test('never-running schedules (@every with a shorter deadline, deadline 0) start nothing while their controls run', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const manifests = [
        cronJobManifest('every-short', { schedule: '@every 1m', startingDeadlineSeconds: 30 }),
        cronJobManifest('deadline-zero', { schedule: '* * * * *', startingDeadlineSeconds: 0 }),
        cronJobManifest('every-control', { schedule: '@every 1m' }),
        cronJobManifest('minute-control', { schedule: '* * * * *', startingDeadlineSeconds: 30 }),
      ];
      const r = await whyFile(cp, ns, manifests);
      assert.equal(r.code, 1, 'an error-level finding exits 1');
      assert.deepEqual(codes(item(r, 'every-short')), ['error:EveryDeadlineNeverRuns']);
      assert.deepEqual(codes(item(r, 'deadline-zero')), ['error:StartingDeadlineZero']);
      assert.deepEqual(codes(item(r, 'every-control')), []);
      assert.deepEqual(codes(item(r, 'minute-control')), []);
      for (const n of ['every-short', 'deadline-zero']) assert.equal(item(r, n).preview.trigger, 'created');

      await applyYaml(cp.kubeconfigPath, manifests, ns);
      const appliedAt = Date.now();
      // Both controls must run (the minute one at the next minute, the @every one 1 min after creation).
      await waitFor(
        async () =>
          (await jobsOf(cp, ns, 'every-control')).length > 0 && (await jobsOf(cp, ns, 'minute-control')).length > 0,
        { timeoutMs: 100_000, what: 'a Job of each control' },
      );
      await sleep(appliedAt + 75_000 - Date.now());
      assert.deepEqual(await jobsOf(cp, ns, 'every-short'), [], '@every 1m with startingDeadlineSeconds 30 never runs');
      assert.deepEqual(await jobsOf(cp, ns, 'deadline-zero'), [], 'startingDeadlineSeconds 0 never runs');
      const cj = await getCronJob(cp, ns, 'every-short');
      assert.equal(cj.status?.lastScheduleTime, undefined);
    });
  });

  test('an update that keeps the schedule (suspend: false) fires at once: the catch-up Job why -f named', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const name = 'resumed';
      await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *', suspend: true }));
      await waitForSecondWindow(3, 35);
      const t0 = minuteStart(Date.now());
      await patchStatus(cp, ns, name, { lastScheduleTime: iso(t0 - 5 * MINUTE) });
      await sleep(1500);
      const manifest = cronJobManifest(name, { schedule: '* * * * *', suspend: false });
      const r = await whyFile(cp, ns, [manifest]);
      assert.equal(r.code, 0);
      const p = item(r, name).preview;
      assert.equal(p.kind, 'prediction');
      assert.equal(p.trigger, 'updated');
      assert.equal(p.decision.action, 'create');
      assert.equal(p.catchUp, true);
      assert.equal(p.decision.scheduledTime, iso(t0));
      assert.equal(p.decision.jobName, jobNameFor(name, new Date(t0)));
      assert.ok(p.decision.missedCount >= 5, `about 6 missed: ${p.decision.missedCount}`);

      await applyYaml(cp.kubeconfigPath, [manifest], ns);
      const job = await waitFor(async () => (await jobsOf(cp, ns, name))[0], {
        timeoutMs: 20_000,
        what: 'the catch-up Job',
      });
      assert.equal(job, p.decision.jobName, 'the controller created the Job why -f predicted');
      assert.equal((await getCronJob(cp, ns, name)).status.lastScheduleTime, p.decision.scheduledTime);
    });
  });

  test("a schedule change waits for the new schedule's next time: the Job why -f named, not the missed one", {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const name = 'rescheduled';
      await createCronJob(cp, ns, cronJobManifest(name, { schedule: '0 0 1 1 *' }));
      await waitForSecondWindow(3, 30);
      const t0 = minuteStart(Date.now());
      await patchStatus(cp, ns, name, { lastScheduleTime: iso(t0 - 10 * MINUTE) });
      await sleep(1500);
      const manifest = cronJobManifest(name, { schedule: '* * * * *' });
      const r = await whyFile(cp, ns, [manifest]);
      const p = item(r, name).preview;
      assert.equal(p.trigger, 'schedule-changed');
      assert.equal(minuteStart(Date.parse(p.syncAt)), t0 + MINUTE, `synced at the next minute: ${p.syncAt}`);
      assert.equal(p.decision.action, 'create');
      assert.equal(p.decision.jobName, jobNameFor(name, new Date(t0 + MINUTE)));
      assert.equal(p.catchUp, false);
      assert.equal(
        p.ifSyncedNow?.jobName,
        jobNameFor(name, new Date(t0)),
        'a sync right away would catch up this minute',
      );

      await applyYaml(cp.kubeconfigPath, [manifest], ns);
      await sleep(8_000);
      assert.deepEqual(await jobsOf(cp, ns, name), [], 'nothing at once: the controller waits for the new schedule');
      const job = await waitFor(async () => (await jobsOf(cp, ns, name))[0], {
        timeoutMs: 75_000,
        what: 'the Job at the next minute',
      });
      assert.equal(job, p.decision.jobName);
    });
  });

  test('nothing fires: an update while no time is due starts nothing until the next time', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const name = 'quiet';
      // Created inside the window, so no minute boundary passes before lastScheduleTime is set (a
      // live '* * * * *' CronJob created at second 31-59 would get its first Job at the boundary).
      await waitForSecondWindow(3, 30);
      const t0 = minuteStart(Date.now());
      await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *', concurrencyPolicy: 'Allow' }));
      await patchStatus(cp, ns, name, { lastScheduleTime: iso(t0) });
      await sleep(1500);
      const manifest = cronJobManifest(name, { schedule: '* * * * *', concurrencyPolicy: 'Forbid' });
      const r = await whyFile(cp, ns, [manifest]);
      const i = item(r, name);
      assert.equal(i.preview.trigger, 'updated');
      assert.equal(i.preview.decision.action, 'none');
      assert.equal(i.preview.decision.reason, 'NotDueYet');
      assert.deepEqual(codes(i), ['warning:ForbidWithoutDeadline']);
      assert.equal(r.code, 0, 'warnings alone exit 0');
      await applyYaml(cp.kubeconfigPath, [manifest], ns);
      const appliedAt = Date.now();
      await sleep(Math.min(t0 + MINUTE - 2_000, appliedAt + 10_000) - Date.now());
      assert.deepEqual(await jobsOf(cp, ns, name), [], 'no Job before the next time');
      const job = await waitFor(async () => (await jobsOf(cp, ns, name))[0], {
        timeoutMs: 70_000,
        what: 'the next scheduled Job',
      });
      assert.equal(
        job,
        jobNameFor(name, new Date(Date.parse(i.preview.decision.requeueAt) - 100)),
        'the next run why -f named',
      );
    });
  });

  test('TooManyMissedTimes, a schedule that never fires, and day-of-month OR day-of-week: as why -f said', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      // Today in the controller's zone, and a weekday that is not today: robfig ORs the two day fields.
      await waitForSecondWindow(3, 30);
      const t0 = minuteStart(Date.now());
      const today = wallClock(t0, CONTROLLER_ZONE);
      const next = wallClock(t0 + MINUTE, CONTROLLER_ZONE);
      if (next.day !== today.day)
        process.stderr.write(
          'note: midnight in the controller zone is a minute away; the OR case may see another day\n',
        );
      const weekday = new Intl.DateTimeFormat('en-US', { timeZone: CONTROLLER_ZONE, weekday: 'short' }).format(
        new Date(t0 + MINUTE),
      );
      const other = (['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekday) + 3) % 7;
      await createCronJob(cp, ns, cronJobManifest('backlog', { schedule: '* * * * *', suspend: true }));
      await patchStatus(cp, ns, 'backlog', { lastScheduleTime: iso(t0 - 3 * 60 * MINUTE) });
      await sleep(1500);
      const manifests = [
        cronJobManifest('backlog', { schedule: '* * * * *', suspend: false }),
        cronJobManifest('feb30', { schedule: '0 0 30 2 *' }),
        cronJobManifest('either-day', { schedule: `* * ${next.day} * ${other}` }),
      ];
      const r = await whyFile(cp, ns, manifests);
      assert.equal(r.code, 1);
      const backlog = item(r, 'backlog').preview;
      assert.equal(backlog.trigger, 'updated');
      assert.equal(backlog.decision.action, 'create');
      assert.equal(backlog.decision.missed, 'many');
      assert.equal(backlog.decision.jobName, jobNameFor('backlog', new Date(t0)));
      assert.ok(backlog.decision.events.some((e: any) => e.reason === 'TooManyMissedTimes'));
      const feb30 = item(r, 'feb30');
      assert.deepEqual(codes(feb30), ['error:ScheduleNeverFires']);
      assert.equal(feb30.preview.decision.reason, 'InvalidSchedule');
      const invalid = feb30.preview.decision.events.find((e: any) => e.reason === 'InvalidSchedule');
      assert.ok(invalid, JSON.stringify(feb30.preview.decision.events));
      const either = item(r, 'either-day');
      assert.deepEqual(codes(either), ['warning:DayOfMonthOrDayOfWeek']);
      assert.equal(
        either.preview.decision.requeueAt,
        new Date(t0 + MINUTE + 100).toISOString(),
        'the next run is the next minute (day of month matches, weekday does not)',
      );

      await applyYaml(cp.kubeconfigPath, manifests, ns);
      const job = await waitFor(async () => (await jobsOf(cp, ns, 'backlog'))[0], {
        timeoutMs: 20_000,
        what: 'the backlog catch-up Job',
      });
      assert.equal(job, backlog.decision.jobName);
      const events = async (name: string) =>
        (await cronJobEvents(cp, ns, name)).map((e) => `${e.reason}: ${e.message}`);
      await waitFor(async () => (await events('backlog')).some((e) => e.startsWith('TooManyMissedTimes')), {
        timeoutMs: 15_000,
        what: 'TooManyMissedTimes',
      });
      await waitFor(async () => (await events('feb30')).includes(`InvalidSchedule: ${invalid.message}`), {
        timeoutMs: 15_000,
        what: `the InvalidSchedule event ${invalid.message}`,
      });
      const either1 = await waitFor(async () => (await jobsOf(cp, ns, 'either-day'))[0], {
        timeoutMs: 75_000,
        what: 'a Job on a day matching only the day of month',
      });
      assert.equal(either1, jobNameFor('either-day', new Date(t0 + MINUTE)));
      assert.deepEqual(await jobsOf(cp, ns, 'feb30'), []);
    });
  });

  test("--validate=server adds the API server's own errors (TZ in the schedule, a name over 52 characters)", {
    timeout: 60_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const long = `n${'x'.repeat(52)}`;
      const r = await whyFile(
        cp,
        ns,
        [
          cronJobManifest('with-tz', { schedule: 'TZ=Europe/Berlin 0 3 * * *' }),
          cronJobManifest(long, { schedule: '0 3 * * *' }),
          cronJobManifest('fine', { schedule: '0 3 * * *', startingDeadlineSeconds: 300 }),
        ],
        ['--validate=server'],
      );
      assert.equal(r.code, 1);
      const tz = item(r, 'with-tz').findings;
      assert.ok(tz.some((f: any) => f.code === 'TimeZoneInSchedule' && f.severity === 'error'));
      const server = tz.find((f: any) => f.code === 'ServerRejected');
      assert.ok(server, JSON.stringify(tz));
      assert.equal(server.path, '.spec.schedule');
      assert.match(server.message, /cannot use TZ or CRON_TZ in schedule/);
      const nameFindings = item(r, long).findings;
      assert.ok(nameFindings.some((f: any) => f.code === 'NameTooLong'));
      assert.ok(
        nameFindings.some(
          (f: any) =>
            f.code === 'ServerRejected' &&
            f.path === '.metadata.name' &&
            /must be no more than 52 characters/.test(f.message),
        ),
        JSON.stringify(nameFindings),
      );
      assert.deepEqual(item(r, 'fine').findings, [], 'the server accepts a good one');
      assert.deepEqual(await jobs(cp, ns), []);
      assert.equal(
        (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs`)).items.length,
        0,
        'a dry run stores nothing',
      );
    });
  });
});
