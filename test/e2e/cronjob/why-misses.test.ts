// `why <cronjob>` and `misses` against the real kube-controller-manager (the harness version, v1.37.2 by default): for every cause
// the controller can be made to produce here, the tool's prediction (the CLI as a real process
// and/or the model on objects read from the cluster, `now` = the real clock) is made BEFORE the
// controller acts, then the controller acts and the test checks it did exactly what was predicted:
// which Job (`<cronjob>-<unix minutes>`), which events (reason and message), which annotation.
//
// Tricks: the v2 controller syncs a CronJob at once on any update that keeps the schedule, so
// moving `.status.lastScheduleTime` back (status subresource) creates missed times without waiting;
// time-sensitive steps start early in a minute (waitForSecondWindow) so the prediction and the
// controller's sync see the same minute; where a minute boundary still slips in between, the
// prediction is re-made at the controller's own instant (never "any name").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  jobNameFor,
  predictAfterResume,
  rfc3339InZone,
  SCHEDULED_TIMESTAMP_ANNOTATION,
  syncDecision,
  type CronJobInput,
  type SyncDecision,
} from '../../../src/controller/cronjob/index.js';
import { TOO_MANY_MISSED_EVENT } from '../../../src/controller/cronjob/most-recent.js';
import { LATE_CREATION_MS } from '../../../src/controller/cronjob/misses.js';
import { e2eSkipReason, useControlPlane, waitFor, withNamespace, type ControlPlane } from '../harness/index.js';
import {
  CONTROLLER_ZONE,
  createCronJob,
  cronJobManifest,
  DAY,
  eventBaseline,
  eventKey,
  getCronJob,
  HOUR,
  iso,
  jobs,
  MINUTE,
  minuteStart,
  newEvents,
  patchCronJob,
  patchStatus,
  poke,
  readInput,
  sleep,
  wallClock,
  waitForSecondWindow,
  why,
  withCronJob,
  cli,
  cronJobEvents,
} from './support.js';

const TEST_TIMEOUT = 150_000;
/** How long "the controller does nothing" is watched after an update that makes it sync. */
const QUIET_MS = 8_000;

const predict = (input: Omit<CronJobInput, 'now' | 'controllerZone'>, now: number): SyncDecision =>
  syncDecision({ ...input, now: new Date(now), controllerZone: CONTROLLER_ZONE });

/**
 * Checks the Job the controller created (or, with `annotations: null`, tried to create) against the
 * prediction made at `predictedAt`. If a minute boundary passed between that instant and the
 * controller's action (`actedAt`), the controller may have synced in the next minute: then the
 * prediction re-made at `actedAt` must hold instead.
 */
function assertCreatedAsPredicted(
  actual: { name: string; actedAt: string; annotations: Record<string, string> | null },
  decision: SyncDecision,
  predictedAt: number,
  repredict: (now: number) => SyncDecision,
): SyncDecision {
  const actedAt = Date.parse(actual.actedAt);
  let expected = decision;
  if (actual.name !== decision.jobName && minuteStart(actedAt) > minuteStart(predictedAt)) {
    expected = repredict(actedAt);
    process.stderr.write(
      `note: a minute boundary passed before the controller synced; re-predicted at ${iso(actedAt)}: ${expected.jobName}\n`,
    );
  }
  assert.equal(expected.action, 'create', `prediction: ${JSON.stringify(expected)}`);
  assert.equal(actual.name, expected.jobName, 'the controller created the predicted Job');
  if (actual.annotations) {
    assert.equal(
      actual.annotations[SCHEDULED_TIMESTAMP_ANNOTATION],
      expected.job!.annotations[SCHEDULED_TIMESTAMP_ANNOTATION],
      'scheduled-timestamp annotation',
    );
  }
  return expected;
}

/** A created Job as assertCreatedAsPredicted() reads it. */
const created = (job: any) => ({
  name: job.metadata.name,
  actedAt: job.metadata.creationTimestamp,
  annotations: job.metadata.annotations ?? {},
});

/**
 * Drops "Active job went missing" for Jobs the controller itself just deleted: a sync that runs
 * right after the deleting one, before the informer has its own status update, records it (a
 * cache lag of the real controller, after the predicted sync).
 */
function withoutCacheLag(events: string[], deleted: string[]): string[] {
  const lag = new Set(deleted.map((j) => `Normal MissingJob: Active job went missing: ${j}`));
  const kept = events.filter((e) => !lag.has(e));
  if (kept.length !== events.length)
    process.stderr.write(`note: ignored cache-lag events ${JSON.stringify(events.filter((e) => lag.has(e)))}\n`);
  return kept;
}

/** Waits until `name`'s Job exists with a ready pod and is in the CronJob's .status.active (so nothing about it changes any more). */
async function waitActiveAndReady(cp: ControlPlane, ns: string, cronJob: string, job: string): Promise<any> {
  return waitFor(
    async () => {
      const j = (await jobs(cp, ns)).find((x) => x.metadata.name === job);
      const cj = await getCronJob(cp, ns, cronJob);
      return j?.status?.ready === 1 && cj.status?.active?.some((r: any) => r.name === job) && j;
    },
    { timeoutMs: 30_000, what: `job ${job} running and listed in .status.active` },
  );
}

/**
 * Sets up a CronJob with an active, hanging Job for an EARLIER schedule time than the one due now:
 * schedule "<a> * * * *" (a = two minutes ago) makes the controller create `<name>-<that minute>`;
 * the returned schedule "<a>,<b> * * * *" (b = this minute) then makes this minute due, with that
 * Job still active. Applying it does not sync the CronJob at once (a schedule change requeues it
 * for the next time, an hour away), so a prediction can be made before the controller acts.
 */
async function activeJobFromEarlierSlot(cp: ControlPlane, ns: string, name: string, policy: 'Forbid' | 'Replace') {
  const t0 = minuteStart(Date.now());
  const earlier = t0 - 2 * MINUTE;
  const a = wallClock(earlier, CONTROLLER_ZONE).minute;
  const b = wallClock(t0, CONTROLLER_ZONE).minute;
  await createCronJob(cp, ns, cronJobManifest(name, { schedule: `${a} * * * *`, concurrencyPolicy: policy }));
  await patchStatus(cp, ns, name, { lastScheduleTime: iso(earlier - HOUR - MINUTE) });
  const first = jobNameFor(name, new Date(earlier));
  await waitActiveAndReady(cp, ns, name, first);
  return { t0, earlier, first, schedule: `${a},${b} * * * *` };
}

// Two lanes: the misses test spends most of its minute waiting for a real schedule time, so it runs
// beside the cause tests, which run one after another (their time-sensitive steps stay short).
describe('why <cronjob> / misses against the real CronJob controller', {
  skip: e2eSkipReason(),
  concurrency: 2,
}, () => {
  const controlPlane = useControlPlane();

  describe('causes, one at a time', { concurrency: 1 }, () => {
    test('Suspended: no Job while suspended; unsuspending starts the predicted catch-up Job', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'paused';
        await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *', suspend: true }), 'e2e-suspender');
        await waitForSecondWindow(2, 30);
        const t0 = minuteStart(Date.now());
        const baseline = await eventBaseline(cp, ns, name);
        // A status update makes the controller sync at once: suspended, it starts nothing.
        await patchStatus(cp, ns, name, { lastScheduleTime: iso(t0 - 5 * MINUTE) });
        const patchedAt = Date.now();

        const v = await why(cp, ns, name);
        assert.equal(v.verdict, 'not-firing');
        assert.equal(v.exitCode, 1);
        assert.equal(v.action, 'none');
        assert.equal(v.actionReason, 'Suspended');
        assert.equal(v.suspended, true);
        const cause = v.causes[0];
        assert.equal(cause.code, 'Suspended');
        assert.equal(cause.severity, 'error');
        assert.match(cause.message, /suspended \(by "e2e-suspender"\)/);
        const owner = cause.evidence.find((e: any) => e.source === 'managedFields');
        assert.ok(owner, `managedFields evidence in ${JSON.stringify(cause.evidence)}`);
        // The evidence quotes the managedFields entry itself (its time), so it can be checked against the object.
        assert.equal(owner.field, '.metadata.managedFields[?(@.manager=="e2e-suspender")].time');
        assert.match(owner.text, /^\.spec\.suspend is owned by "e2e-suspender"/);

        await sleep(patchedAt + QUIET_MS - Date.now());
        assert.deepEqual(
          (await jobs(cp, ns)).map((j) => j.metadata.name),
          [],
          'no Job while suspended',
        );
        assert.deepEqual(await newEvents(cp, ns, name, baseline), [], 'no event while suspended');

        // Predict what unsuspending does (the CLI's Suspended cause says it too), then unsuspend.
        await waitForSecondWindow(2, 45);
        const cliSaid = (await why(cp, ns, name)).causes[0].evidence.find(
          (e: any) => e.kind === 'prediction' && e.value === 'create',
        );
        const input = await readInput(cp, ns, name);
        const predictedAt = Date.now();
        const resume = predictAfterResume({ ...input, now: new Date(predictedAt), controllerZone: CONTROLLER_ZONE });
        assert.equal(resume.decision.action, 'create', 'a catch-up run is predicted (no startingDeadlineSeconds)');
        assert.equal(resume.catchUp, true);
        assert.ok(cliSaid, 'why predicts a catch-up run');
        assert.equal(
          cliSaid.text,
          `Unsuspending now starts job ${resume.decision.jobName} at once for the missed time ${resume.decision.scheduledTime}; ${resume.dropped} other missed time(s) are dropped.`,
        );
        const before = await eventBaseline(cp, ns, name);
        await patchCronJob(cp, ns, name, { spec: { suspend: false } });

        const job = await waitFor(async () => (await jobs(cp, ns))[0], { timeoutMs: 20_000, what: 'the catch-up Job' });
        const expected = assertCreatedAsPredicted(
          created(job),
          resume.decision,
          predictedAt,
          (now) => predictAfterResume({ ...input, now: new Date(now), controllerZone: CONTROLLER_ZONE }).decision,
        );
        await waitFor(async () => (await newEvents(cp, ns, name, before)).length >= expected.events.length, {
          timeoutMs: 10_000,
          what: 'the events',
        });
        assert.deepEqual(await newEvents(cp, ns, name, before), expected.events.map(eventKey).sort());
        const cj = await getCronJob(cp, ns, name);
        assert.equal(cj.status.lastScheduleTime, expected.scheduledTime);
        assert.deepEqual(
          cj.status.active.map((r: any) => r.name),
          expected.active,
        );
        assert.deepEqual(
          (await jobs(cp, ns)).map((j) => j.metadata.name),
          [expected.jobName],
          'exactly one Job',
        );
      });
    });

    test('Forbid with an active Job: JobAlreadyActive, nothing created; why says blocked by that Job', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'exclusive';
        await waitForSecondWindow(2, 30);
        const { t0, first, schedule } = await activeJobFromEarlierSlot(cp, ns, name, 'Forbid');

        const input = withCronJob(await readInput(cp, ns, name), (cj) => (cj.spec.schedule = schedule));
        const d = predict(input, Date.now());
        assert.equal(d.reason, 'JobAlreadyActive', JSON.stringify(d));
        assert.equal(d.action, 'skip');
        assert.equal(d.scheduledTime, iso(t0));
        assert.deepEqual(d.active, [first]);
        assert.equal(d.job, null);

        const baseline = await eventBaseline(cp, ns, name);
        await patchCronJob(cp, ns, name, { spec: { schedule } });
        await poke(cp, ns, name);
        const pokedAt = Date.now();
        await waitFor(async () => (await newEvents(cp, ns, name, baseline)).length > 0, {
          timeoutMs: 15_000,
          what: 'an event',
        });
        await sleep(pokedAt + 3_000 - Date.now());
        assert.deepEqual(await newEvents(cp, ns, name, baseline), d.events.map(eventKey).sort());
        assert.deepEqual(
          (await jobs(cp, ns)).map((j) => j.metadata.name),
          [first],
          'nothing created',
        );
        const cj = await getCronJob(cp, ns, name);
        assert.deepEqual(
          cj.status.active.map((r: any) => r.name),
          [first],
        );

        const v = await why(cp, ns, name);
        assert.equal(v.verdict, 'blocked');
        assert.equal(v.actionReason, 'JobAlreadyActive');
        const cause = v.causes[0];
        assert.equal(cause.code, 'JobAlreadyActive');
        assert.equal(cause.severity, 'error');
        assert.match(
          cause.message,
          new RegExp(`^Job ${first} has been running for .* and concurrencyPolicy is Forbid`),
        );
        assert.ok(
          cause.evidence.some((e: any) => e.source === 'event' && e.value === 'JobAlreadyActive'),
          'the JobAlreadyActive event is evidence',
        );
        assert.ok(
          cause.evidence.some((e: any) => e.source === 'status' && JSON.stringify(e.value) === JSON.stringify([first])),
        );
      });
    });

    test('Replace with an active Job: the controller deletes it and creates the predicted Job; why reports the kill', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'replacer';
        await waitForSecondWindow(2, 30);
        const { t0, first, schedule } = await activeJobFromEarlierSlot(cp, ns, name, 'Replace');

        const input = withCronJob(await readInput(cp, ns, name), (cj) => (cj.spec.schedule = schedule));
        const d = predict(input, Date.now());
        const next = jobNameFor(name, new Date(t0));
        assert.equal(d.action, 'create', JSON.stringify(d));
        assert.equal(d.jobName, next);
        assert.deepEqual(d.deletes, [{ name: first, why: 'replace' }]);

        const baseline = await eventBaseline(cp, ns, name);
        await patchCronJob(cp, ns, name, { spec: { schedule } });
        await poke(cp, ns, name);
        const job = await waitFor(async () => (await jobs(cp, ns)).find((j) => j.metadata.name !== first), {
          timeoutMs: 15_000,
          what: 'a new Job',
        });
        assertCreatedAsPredicted(created(job), d, Date.now(), () =>
          assert.fail('the due time does not depend on the minute here'),
        );
        await waitFor(async () => (await newEvents(cp, ns, name, baseline)).length >= 2, {
          timeoutMs: 10_000,
          what: 'the events',
        });
        await sleep(1_000);
        assert.deepEqual(
          withoutCacheLag(await newEvents(cp, ns, name, baseline), [first]),
          d.events.map(eventKey).sort(),
        );
        await waitFor(async () => !(await jobs(cp, ns)).some((j) => j.metadata.name === first), {
          timeoutMs: 15_000,
          what: `job ${first} deleted`,
        });
        const cj = await getCronJob(cp, ns, name);
        assert.deepEqual(
          cj.status.active.map((r: any) => r.name),
          d.active,
        );
        assert.equal(cj.status.lastScheduleTime, d.scheduledTime);

        const v = await why(cp, ns, name);
        const kill = v.causes.find((c: any) => c.code === 'SuccessfulDelete');
        assert.ok(kill, `a SuccessfulDelete cause in ${JSON.stringify(v.causes.map((c: any) => c.code))}`);
        assert.equal(kill.severity, 'warning');
        assert.match(kill.message, new RegExp(`deleted running job\\(s\\) ${first} to start the next run`));
        assert.ok(
          kill.evidence.some(
            (e: any) =>
              e.source === 'event' && e.value === 'SuccessfulDelete' && e.text.endsWith(`Deleted job ${first}`),
          ),
        );
      });
    });

    test('startingDeadlineSeconds: the missed time is past the deadline, so no Job and no event', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'deadline';
        await waitForSecondWindow(2, 40);
        const missedAt = minuteStart(Date.now()) - 3 * MINUTE;
        const w = wallClock(missedAt, CONTROLLER_ZONE);
        await createCronJob(
          cp,
          ns,
          cronJobManifest(name, { schedule: `${w.minute} ${w.hour} * * *`, startingDeadlineSeconds: 60 }),
        );
        const input = withCronJob(
          await readInput(cp, ns, name),
          (cj) => (cj.status = { lastScheduleTime: iso(missedAt - DAY) }),
        );
        const d = predict(input, Date.now());
        assert.equal(d.action, 'none', JSON.stringify(d));
        assert.equal(d.reason, 'NotDueYet');
        assert.deepEqual(d.events, []);

        const baseline = await eventBaseline(cp, ns, name);
        await patchStatus(cp, ns, name, { lastScheduleTime: iso(missedAt - DAY) });
        const patchedAt = Date.now();
        const v = await why(cp, ns, name);
        assert.equal(v.verdict, 'not-firing');
        assert.equal(v.action, 'none');
        assert.equal(v.mostRecentUnmetTime, iso(missedAt));
        const cause = v.causes[0];
        assert.equal(cause.code, 'MissSchedule');
        assert.equal(cause.severity, 'error');
        assert.match(cause.message, /^1 run\(s\) were not started within startingDeadlineSeconds \(60s\)/);
        assert.ok(cause.evidence.some((e: any) => e.source === 'computed' && /no MissSchedule event/.test(e.text)));

        await sleep(patchedAt + QUIET_MS - Date.now());
        assert.deepEqual(
          (await jobs(cp, ns)).map((j) => j.metadata.name),
          [],
          'no Job',
        );
        assert.deepEqual(
          await newEvents(cp, ns, name, baseline),
          d.events.map(eventKey),
          'no event (not even MissSchedule)',
        );
      });
    });

    test('more than 100 missed times: TooManyMissedTimes and a Job for the latest time only', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'backlog';
        // Created early in a minute: its own next time (the next minute) is well after the steps below.
        await waitForSecondWindow(2, 40);
        await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *' }));
        const t0 = minuteStart(Date.now());
        const last = iso(t0 - 3 * HOUR);
        const input = withCronJob(await readInput(cp, ns, name), (cj) => (cj.status = { lastScheduleTime: last }));
        const predictedAt = Date.now();
        const d = predict(input, predictedAt);
        assert.equal(d.missed, 'many', JSON.stringify(d));
        assert.ok(d.events.some((e) => e.reason === 'TooManyMissedTimes'));
        assert.deepEqual(
          d.events.find((e) => e.reason === 'TooManyMissedTimes'),
          TOO_MANY_MISSED_EVENT,
        );

        const baseline = await eventBaseline(cp, ns, name);
        assert.deepEqual(await jobs(cp, ns), [], 'no Job before the controller is made to act');
        await patchStatus(cp, ns, name, { lastScheduleTime: last });
        const job = await waitFor(async () => (await jobs(cp, ns))[0], { timeoutMs: 15_000, what: 'a Job' });
        const expected = assertCreatedAsPredicted(created(job), d, predictedAt, (now) => predict(input, now));
        await waitFor(async () => (await newEvents(cp, ns, name, baseline)).length >= expected.events.length, {
          timeoutMs: 10_000,
          what: 'the events',
        });
        const events = await newEvents(cp, ns, name, baseline);
        assert.deepEqual(events, expected.events.map(eventKey).sort());
        assert.ok(
          events.includes(
            'Warning TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
          ),
        );
        assert.deepEqual(
          (await jobs(cp, ns)).map((j) => j.metadata.name),
          [expected.jobName],
          'only the latest time runs',
        );
      });
    });

    test('.spec.timeZone Asia/Kathmandu (+05:45): the Job name and the scheduled-timestamp annotation in that zone', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'kathmandu';
        const zone = 'Asia/Kathmandu';
        await waitForSecondWindow(2, 40);
        const due = minuteStart(Date.now()) - 2 * MINUTE;
        const w = wallClock(due, zone);
        await createCronJob(cp, ns, cronJobManifest(name, { schedule: `${w.minute} ${w.hour} * * *`, timeZone: zone }));
        const last = iso(due - DAY);
        const input = withCronJob(await readInput(cp, ns, name), (cj) => (cj.status = { lastScheduleTime: last }));
        const d = predict(input, Date.now());
        assert.equal(d.action, 'create', JSON.stringify(d));
        assert.equal(d.scheduledTime, iso(due));
        assert.equal(d.reading.zone, zone);
        const stamp = d.job!.annotations[SCHEDULED_TIMESTAMP_ANNOTATION]!;
        assert.equal(stamp, rfc3339InZone(new Date(due), zone));
        assert.match(
          stamp,
          new RegExp(`T${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}:00\\+05:45$`),
        );

        const baseline = await eventBaseline(cp, ns, name);
        await patchStatus(cp, ns, name, { lastScheduleTime: last });
        const job = await waitFor(async () => (await jobs(cp, ns))[0], { timeoutMs: 15_000, what: 'a Job' });
        assertCreatedAsPredicted(created(job), d, Date.now(), () =>
          assert.fail('the due time does not depend on the minute here'),
        );
        await waitFor(async () => (await newEvents(cp, ns, name, baseline)).length > 0, {
          timeoutMs: 10_000,
          what: 'the events',
        });
        assert.deepEqual(await newEvents(cp, ns, name, baseline), d.events.map(eventKey).sort());

        const v = await why(cp, ns, name);
        assert.equal(v.timeZone, zone);
        assert.equal(v.zoneSource, 'timeZone');
        assert.equal(v.lastScheduleTime, iso(due));
        assert.equal(v.nextScheduleTime, iso(due + DAY));
        assert.equal(v.action, 'none');
      });
    });

    test('ResourceQuota count/jobs.batch=0: FailedCreate "exceeded quota"; why says blocked (quota)', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'quota-bound';
        await cp.client.request('POST', `/api/v1/namespaces/${ns}/resourcequotas`, {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'no-jobs' },
          spec: { hard: { 'count/jobs.batch': '0' } },
        });
        await waitFor(
          async () => {
            const q = await cp.client.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/no-jobs`);
            return q.status?.hard?.['count/jobs.batch'] === '0';
          },
          { timeoutMs: 30_000, what: 'the quota status to be populated' },
        );
        await waitForSecondWindow(2, 40);
        await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *' }));
        const last = iso(minuteStart(Date.now()) - 5 * MINUTE);
        const input = withCronJob(await readInput(cp, ns, name), (cj) => (cj.status = { lastScheduleTime: last }));
        const predictedAt = Date.now();
        const d = predict(input, predictedAt);
        assert.equal(d.action, 'create', JSON.stringify(d));

        assert.deepEqual(await cronJobEvents(cp, ns, name), [], 'no event before the controller is made to act');
        await patchStatus(cp, ns, name, { lastScheduleTime: last });
        const failed = await waitFor(
          async () => (await cronJobEvents(cp, ns, name)).find((e) => e.reason === 'FailedCreate'),
          { timeoutMs: 15_000, what: 'FailedCreate' },
        );
        // The first attempt is the predicted one (or, past a minute boundary, the one predicted at that instant).
        const attempted = /^Error creating job: jobs\.batch "([^"]+)" is forbidden: exceeded quota: no-jobs, /.exec(
          failed.message ?? '',
        );
        assert.ok(attempted, `FailedCreate message: ${failed.message}`);
        assertCreatedAsPredicted(
          { name: attempted[1]!, actedAt: failed.firstTimestamp!, annotations: null },
          d,
          predictedAt,
          (now) => predict(input, now),
        );
        assert.equal(failed.type, 'Warning');
        assert.match(
          failed.message!,
          /requested: count\/jobs\.batch=1, used: count\/jobs\.batch=0, limited: count\/jobs\.batch=0$/,
        );
        assert.deepEqual(await jobs(cp, ns), []);

        const v = await why(cp, ns, name);
        assert.equal(v.verdict, 'blocked');
        const cause = v.causes[0];
        assert.equal(cause.code, 'FailedCreate');
        assert.equal(cause.severity, 'error');
        assert.match(cause.message, /ResourceQuota/);
        assert.ok(
          cause.evidence.some((e: any) => e.source === 'computed' && e.value === 'quota'),
          JSON.stringify(cause.evidence),
        );
        assert.ok(cause.evidence.some((e: any) => e.source === 'event' && e.value === 'FailedCreate'));
      });
    });

    test('impossible schedule "0 0 30 2 *": InvalidSchedule with the predicted message; why says blocked', {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const cp = controlPlane();
      await withNamespace(cp, async (ns) => {
        const name = 'february';
        const manifest = cronJobManifest(name, { schedule: '0 0 30 2 *' });
        // Predicted on the manifest before it exists: the controller syncs it as soon as it is created.
        const d = predict(
          {
            cronJob: { ...manifest, metadata: { name, namespace: ns, creationTimestamp: iso(Date.now()) } },
            jobs: [],
            events: [],
          },
          Date.now(),
        );
        assert.equal(d.reason, 'InvalidSchedule', JSON.stringify(d));
        assert.deepEqual(d.events.map(eventKey), [
          'Warning InvalidSchedule: invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second',
        ]);

        await createCronJob(cp, ns, manifest);
        await waitFor(async () => (await cronJobEvents(cp, ns, name)).length > 0, {
          timeoutMs: 15_000,
          what: 'an event',
        });
        await sleep(1_000);
        assert.deepEqual([...new Set((await cronJobEvents(cp, ns, name)).map(eventKey))], d.events.map(eventKey));

        const v = await why(cp, ns, name);
        assert.equal(v.verdict, 'blocked');
        assert.equal(v.actionReason, 'InvalidSchedule');
        assert.equal(v.nextScheduleTime, null);
        const cause = v.causes[0];
        assert.equal(cause.code, 'InvalidSchedule');
        assert.equal(cause.severity, 'error');
        assert.ok(cause.evidence.some((e: any) => e.source === 'event' && e.value === 'InvalidSchedule'));
        assert.deepEqual(await jobs(cp, ns), []);
      });
    });
  });

  test('misses: a Forbid CronJob across a real schedule time: ran, then skipped (forbid) while that Job runs', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const name = 'minutely';
      await waitForSecondWindow(2, 40);
      await createCronJob(cp, ns, cronJobManifest(name, { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }));
      const t0 = minuteStart(Date.now());
      await patchStatus(cp, ns, name, { lastScheduleTime: iso(t0 - 5 * MINUTE) });
      const first = jobNameFor(name, new Date(t0));
      await waitActiveAndReady(cp, ns, name, first);
      assert.equal(
        (await getCronJob(cp, ns, name)).status.lastScheduleTime,
        iso(t0),
        'created by the controller for this minute',
      );

      // Predicted now for the next schedule time, when the controller wakes up by itself (requeue + 100 ms).
      const t1 = t0 + MINUTE;
      const input = await readInput(cp, ns, name);
      const d = predict(input, t1 + 100);
      assert.equal(d.reason, 'JobAlreadyActive', JSON.stringify(d));
      assert.equal(d.scheduledTime, iso(t1));
      assert.deepEqual(d.active, [first]);
      const baseline = await eventBaseline(cp, ns, name);
      await waitFor(async () => (await newEvents(cp, ns, name, baseline)).length > 0, {
        timeoutMs: t1 + 20_000 - Date.now(),
        what: 'the controller at the next schedule time',
      });
      assert.ok(Date.now() >= t1, 'the controller acted at the schedule time, not before');
      assert.deepEqual(await newEvents(cp, ns, name, baseline), d.events.map(eventKey).sort());

      const r = await cli(cp, ['misses', `cronjob/${name}`, '-n', ns, '--since', iso(t0 - 30_000)]);
      const report = r.json;
      // The time held back by the running Job is not lost yet: the controller starts it as soon as the
      // Job finishes, if that is before the next time (seen against the real controller), so it is
      // 'due' (waits-for-blocker), and nothing is known missed: exit 0.
      assert.equal(r.code, 0, 'a time waiting for the blocker is not missed yet');
      const present = await jobs(cp, ns);
      assert.deepEqual(
        present.map((j) => j.metadata.name),
        [first],
        'the only Job',
      );
      const slots = report.slots as any[];
      assert.ok(slots.length >= 2, JSON.stringify(slots));
      // The Job for t0 is the catch-up the status patch started, at whatever second of the minute the
      // test began: created more than LATE_CREATION_MS after t0, the slot says late, and by how much.
      const lateSeconds = Math.round((Date.parse(present[0].metadata.creationTimestamp) - t0) / 1000);
      assert.deepEqual(slots[0], {
        time: iso(t0),
        fate: 'ran',
        job: first,
        outcome: 'running',
        durationSeconds: slots[0].durationSeconds,
        ...(lateSeconds * 1000 > LATE_CREATION_MS ? { reason: 'late', lateSeconds } : {}),
      });
      assert.equal(
        present[0].metadata.annotations[SCHEDULED_TIMESTAMP_ANNOTATION],
        slots[0].time,
        "the ran slot is the Job's scheduled time",
      );
      // Every later time that has passed was skipped by Forbid because of that (still running) Job.
      for (const s of slots.slice(1)) {
        if (Date.parse(s.time) > Date.parse(report.now)) assert.equal(s.fate, 'future');
        else if (Date.parse(s.time) === t1)
          assert.deepEqual(
            s,
            { time: s.time, fate: 'due', reason: 'waits-for-blocker', job: first },
            JSON.stringify(slots),
          );
        else
          assert.deepEqual(
            s,
            { time: s.time, fate: 'forbid', reason: 'after-last-schedule', job: first },
            JSON.stringify(slots),
          );
      }
      assert.equal(slots[1].time, iso(t1));
      assert.equal(report.counts.ran, 1);
      assert.equal(report.counts.forbid, slots.filter((s) => s.fate === 'forbid').length);
      assert.equal(report.counts.due, 1);
      const cj = await getCronJob(cp, ns, name);
      assert.equal(cj.status.lastScheduleTime, iso(t0), 'the skipped time was not scheduled');

      const v = await why(cp, ns, name);
      assert.equal(v.verdict, 'blocked');
      assert.equal(v.causes[0].code, 'JobAlreadyActive');
      assert.match(
        v.causes[0].message,
        report.counts.forbid > 0
          ? new RegExp(`^Job ${first} has been running for .* so ${report.counts.forbid} run\\(s\\) were skipped`)
          : new RegExp(`^Job ${first} has been running for .* so the run for ${iso(t1)} is held back`),
      );
    });
  });
});
