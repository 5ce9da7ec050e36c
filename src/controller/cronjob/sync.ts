// One sync of the CronJob controller, re-run on a snapshot: what it would do right now.
// Order follows ControllerV2.sync / syncCronJob (Kubernetes 1.36): history cleanup, active-list
// reconciliation, deletion, time zone, suspend, parse, unmet time, deadline, already processed,
// Forbid, Replace, create. Clusters ≤1.20 follow the legacy syncOne (release-1.20).

import type { CronJob, Job, ObjectReference, ServerVersion } from '../../api/types.js';
import {
  cleanupFinishedJobs,
  controllerRef,
  finishedStatus,
  isOwnedBy,
  isReconciledChild,
  jobNameFor,
  reconcileActive,
  SCHEDULED_TIMESTAMP_ANNOTATION,
} from './jobs.js';
import {
  LEGACY_TOO_MANY_MISSED_EVENT,
  legacyUnmetScheduleTimes,
  nextScheduleTime,
  requeueAt,
  TOO_MANY_MISSED_EVENT,
} from './most-recent.js';
import { controllerGeneration, readSchedule, recoversParserPanics, writesScheduledTimestamp } from './schedule.js';
import type { ControllerEvent, CronJobInput, JobDeletion, JobToCreate, SyncDecision, SyncReason } from './types.js';
import { parseTime, rfc1123zUtc, rfc3339, rfc3339InZone } from '../time.js';

/** The v1 controller polled every CronJob every 10 seconds. */
const LEGACY_POLL_MS = 10_000;

/** What the controller does when it syncs this CronJob at `input.now` (see SyncDecision). */
export function syncDecision(input: CronJobInput): SyncDecision {
  const { generation } = controllerGeneration(input.serverVersion);
  return generation === 'v2' ? syncV2(input) : syncLegacy(input);
}

/** True when the GET after an AlreadyExists create names the CronJob's namespace (≥1.37 or unknown). */
export function refetchesInCronJobNamespace(v?: ServerVersion): boolean {
  return !v || v.major > 1 || v.minor >= 37;
}

/** Whether robfig's parser panics reach the sync (no recovery before Kubernetes 1.35). */
export function parserPanicsCrash(v?: ServerVersion): boolean {
  return !recoversParserPanics(v);
}

/** The Jobs of the namespace as the API server answers GETs by name, with the deletions this sync made. */
class JobsByName {
  private readonly byKey = new Map<string, Job>();
  constructor(
    jobs: Job[],
    private readonly defaultNamespace: string,
  ) {
    for (const j of jobs) this.byKey.set(this.key(j.metadata.namespace, j.metadata.name), j);
  }
  private key(ns: string | undefined, name: string | undefined): string {
    return `${ns ?? this.defaultNamespace}/${name ?? ''}`;
  }
  get(ns: string | undefined, name: string | undefined): Job | undefined {
    // An object reference without a namespace names the empty namespace, where nothing lives.
    return ns === undefined || ns === '' ? undefined : this.byKey.get(this.key(ns, name));
  }
  delete(job: Job): void {
    this.byKey.delete(this.key(job.metadata.namespace, job.metadata.name));
  }
}

/** One sync of the informer-based controller (ControllerV2.sync: cleanupFinishedJobs, then syncCronJob, then UpdateStatus). */
function syncV2(input: CronJobInput): SyncDecision {
  const { cronJob, now } = input;
  const ns = cronJob.metadata.namespace ?? '';
  const owned = input.jobs.filter((j) => isReconciledChild(j, cronJob, input.serverVersion));
  const server = new JobsByName(input.jobs, ns);
  const events: ControllerEvent[] = [];
  const deletes: JobDeletion[] = [];
  let active: ObjectReference[] = [...(cronJob.status?.active ?? [])];
  let lastSchedule = parseTime(cronJob.status?.lastScheduleTime);
  let lastSuccessful = cronJob.status?.lastSuccessfulTime ?? null;
  let update = false;
  const dropFromActive = (uid: string | undefined): void => {
    active = active.filter((r) => r.uid !== uid);
  };
  const deleteJob = (job: Job, d: JobDeletion): void => {
    server.delete(job);
    dropFromActive(job.metadata.uid);
    deletes.push(d);
    events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${job.metadata.name}` });
    update = true;
  };

  // History limits first: deleting a Job also drops it from the active list.
  const byName = new Map(owned.map((j) => [j.metadata.name ?? '', j]));
  for (const d of cleanupFinishedJobs(cronJob, owned)) deleteJob(byName.get(d.name)!, d);

  // Reconcile the active list with the Jobs the informer cache holds (deleted ones included).
  const childUids = new Set(owned.map((j) => j.metadata.uid));
  for (const j of owned) {
    const listed = active.some((r) => r.uid === j.metadata.uid);
    const finished = finishedStatus(j);
    if (!listed && !finished) {
      events.push({
        type: 'Warning',
        reason: 'UnexpectedJob',
        message: `Saw a job that the controller did not create or forgot: ${j.metadata.name}`,
      });
      continue;
    }
    if (!finished) continue;
    if (listed) {
      dropFromActive(j.metadata.uid);
      events.push({
        type: 'Normal',
        reason: 'SawCompletedJob',
        message: `Saw completed job: ${j.metadata.name}, condition: ${finished}`,
      });
      update = true;
    }
    if (finished === 'Complete') {
      const done = j.status?.completionTime ?? null;
      if (lastSuccessful === null) {
        lastSuccessful = done;
        update = true;
      }
      if (done !== null && lastSuccessful !== null && Date.parse(done) > Date.parse(lastSuccessful)) {
        lastSuccessful = done;
        update = true;
      }
    }
  }
  // An entry whose Job is not in the cache is checked with a GET by name: only a 404 removes it.
  for (const ref of [...active]) {
    if (childUids.has(ref.uid) || server.get(ref.namespace, ref.name)) continue;
    events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${ref.name}` });
    dropFromActive(ref.uid);
    update = true;
  }

  const reading = readSchedule(cronJob, 'v2', input.controllerZone ?? 'UTC', input.serverVersion);
  const { schedule: sched, ...readingData } = reading;
  let missed: SyncDecision['missed'] = 'none';
  let missedCount = 0;
  let requeue: Date | null = null;
  let syncError: string | null = null;
  const statusNow = (): CronJob => ({
    ...cronJob,
    status: { ...cronJob.status, lastScheduleTime: lastSchedule ? rfc3339(lastSchedule) : undefined, active },
  });
  const finish = (
    action: SyncDecision['action'],
    reason: SyncReason,
    scheduled: Date | null = null,
    created: JobToCreate | null = null,
  ): SyncDecision => {
    const statusUpdate = update
      ? {
          lastScheduleTime: lastSchedule ? rfc3339(lastSchedule) : null,
          lastSuccessfulTime: lastSuccessful ? rfc3339(Date.parse(lastSuccessful)) : null,
          active: active.map((r) => r.name ?? ''),
        }
      : null;
    return {
      generation: 'v2',
      action,
      reason,
      scheduledTime: scheduled ? rfc3339(scheduled) : null,
      jobName: scheduled ? jobNameFor(cronJob.metadata.name ?? '', scheduled, 'v2') : null,
      job: created,
      deletes,
      events,
      active: active.map((r) => r.name ?? ''),
      missed,
      missedCount,
      requeueAt: requeue ? requeue.toISOString() : null,
      reading: readingData,
      statusUpdate,
      syncError,
    };
  };

  if (cronJob.metadata.deletionTimestamp) return finish('none', 'Deleting');
  if (reading.error?.reason === 'UnknownTimeZone') {
    events.push(reading.error);
    return finish('none', 'UnknownTimeZone');
  }
  if (cronJob.spec.suspend === true) return finish('none', 'Suspended');
  events.push(...reading.events);
  if (reading.error || !sched) {
    if (reading.goPanic !== undefined && parserPanicsCrash(input.serverVersion)) {
      // No status is written: the process dies in the middle of the sync.
      update = false;
      syncError = `panic: ${reading.goPanic}`;
      return finish('none', 'Panic');
    }
    if (reading.error) events.push(reading.error);
    return finish('none', 'UnparseableSchedule');
  }

  const next = nextScheduleTime(cronJob, now, sched);
  missedCount = next.missedCount;
  missed = next.tooMany ? 'many' : next.missedCount > 0 ? 'few' : 'none';
  if (next.error && !next.scheduledTime) {
    events.push({
      type: 'Warning',
      reason: 'InvalidSchedule',
      message: `invalid schedule: ${cronJob.spec.schedule} : ${next.error}`,
    });
    return finish('none', 'InvalidSchedule');
  }
  if (next.tooMany) events.push(TOO_MANY_MISSED_EVENT);
  const scheduled = next.scheduledTime;
  requeue = requeueAt(cronJob, now, sched);
  if (!scheduled) return finish('none', 'NotDueYet');

  const sds = cronJob.spec.startingDeadlineSeconds;
  if (sds != null && scheduled.getTime() + sds * 1000 < now.getTime()) {
    // Effectively unreachable: the deadline already moved the earliest time past this point.
    events.push({
      type: 'Warning',
      reason: 'MissSchedule',
      message: `Missed scheduled time to start a job: ${rfc1123zUtc(scheduled)}`,
    });
    return finish('skip', 'MissSchedule', scheduled);
  }
  const name = jobNameFor(cronJob.metadata.name ?? '', scheduled, 'v2');
  const listedByName = active.some((r) => r.name === name && (r.namespace ?? '') === ns);
  if (listedByName || lastSchedule?.getTime() === scheduled.getTime())
    return finish('none', 'AlreadyProcessed', scheduled);

  if (cronJob.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push({
      type: 'Normal',
      reason: 'JobAlreadyActive',
      message: 'Not starting job because prior execution is running and concurrency policy is Forbid',
    });
    return finish('skip', 'JobAlreadyActive', scheduled);
  }
  if (cronJob.spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...active]) {
      const job = server.get(ref.namespace, ref.name);
      if (!job) {
        events.push({
          type: 'Warning',
          reason: 'FailedGet',
          message: `Get job: jobs.batch ${JSON.stringify(ref.name ?? '')} not found`,
        });
        requeue = null;
        syncError = `jobs.batch ${JSON.stringify(ref.name ?? '')} not found`;
        return finish('none', 'FailedGet', scheduled);
      }
      deleteJob(job, { name: job.metadata.name ?? '', why: 'replace' });
    }
  }

  const taken = server.get(ns, name);
  if (taken) {
    // AlreadyExists: the controller fetches the Job and keeps it only if it controls it (same UID).
    requeue = null;
    if (!refetchesInCronJobNamespace(input.serverVersion)) {
      // Before 1.37 that GET used the namespace of the Job it tried to create, which is empty:
      // the GET fails with NotFound, the sync returns the error and the work queue retries with backoff.
      syncError = `jobs.batch ${JSON.stringify(name)} not found`;
      return finish('none', 'AlreadyExistsGetFailed', scheduled);
    }
    if (controllerRef(taken)?.uid !== cronJob.metadata.uid) return finish('none', 'ForeignJob', scheduled);
    if (active.some((r) => r.uid === taken.metadata.uid)) return finish('none', 'AlreadyProcessed', scheduled);
    active = [...active, { kind: 'Job', name, namespace: ns, uid: taken.metadata.uid }];
    lastSchedule = scheduled;
    update = true;
    requeue = requeueAt(statusNow(), now, sched);
    return finish('none', 'AlreadyProcessed', scheduled);
  }
  events.push({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` });
  active = [...active, { kind: 'Job', name, namespace: ns }];
  lastSchedule = scheduled;
  update = true;
  requeue = requeueAt(statusNow(), now, sched);
  return finish('create', 'Create', scheduled, {
    name,
    scheduledTime: rfc3339(scheduled),
    annotations: jobAnnotations(input, scheduled),
  });
}

/** One sync of the legacy polling controller (syncOne, ≤1.20). Its status writes are not modelled. */
function syncLegacy(input: CronJobInput): SyncDecision {
  const { cronJob, now } = input;
  const generation = 'v1';
  const owned = input.jobs.filter((j) => isOwnedBy(j, cronJob, generation));
  const events: ControllerEvent[] = [];
  const deletes: JobDeletion[] = [];
  const deleted = (d: JobDeletion): void => {
    deletes.push(d);
    events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${d.name}` });
  };

  // v1 cleaned up finished Jobs after the sync.
  const history = cleanupFinishedJobs(cronJob, owned);
  const rec = reconcileActive(cronJob, owned, generation);
  events.push(...rec.events);
  let active = rec.active.map((r) => r.name ?? '');

  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC');
  const { schedule: sched, ...readingData } = reading;
  let missed: SyncDecision['missed'] = 'none';
  let missedCount = 0;

  const finish = (
    action: SyncDecision['action'],
    reason: SyncReason,
    scheduled: Date | null = null,
    create = false,
  ): SyncDecision => {
    history.forEach(deleted);
    const jobName = scheduled ? jobNameFor(cronJob.metadata.name ?? '', scheduled, generation) : null;
    const job =
      create && scheduled && jobName
        ? { name: jobName, scheduledTime: rfc3339(scheduled), annotations: jobAnnotations(input, scheduled) }
        : null;
    const requeue = new Date(now.getTime() + LEGACY_POLL_MS);
    return {
      generation,
      action,
      reason,
      scheduledTime: scheduled ? rfc3339(scheduled) : null,
      jobName,
      job,
      deletes,
      events,
      active,
      missed,
      missedCount,
      requeueAt: requeue.toISOString(),
      reading: readingData,
      statusUpdate: null,
      syncError: null,
    };
  };

  if (cronJob.metadata.deletionTimestamp) return finish('none', 'Deleting');
  if (cronJob.spec.suspend === true) return finish('none', 'Suspended');
  events.push(...reading.events);
  if (reading.error || !sched) {
    if (reading.error) events.push(reading.error);
    return finish('none', 'FailedNeedsStart');
  }

  const legacy = legacyUnmetScheduleTimes(cronJob, now, sched);
  missedCount = legacy.times.length;
  if (legacy.tooMany) {
    missed = 'many';
    events.push(LEGACY_TOO_MANY_MISSED_EVENT);
    return finish('skip', 'FailedNeedsStart');
  }
  missed = legacy.times.length > 0 ? 'few' : 'none';
  const scheduled = legacy.times[legacy.times.length - 1] ?? null;
  if (!scheduled) return finish('none', 'NotDueYet');

  const sds = cronJob.spec.startingDeadlineSeconds;
  if (sds != null && scheduled.getTime() + sds * 1000 < now.getTime()) {
    events.push({
      type: 'Warning',
      reason: 'MissSchedule',
      message: `Missed scheduled time to start a job: ${rfc1123zUtc(scheduled)}`,
    });
    return finish('skip', 'MissSchedule', scheduled);
  }
  const name = jobNameFor(cronJob.metadata.name ?? '', scheduled, generation);
  if (cronJob.spec.concurrencyPolicy === 'Forbid' && active.length > 0)
    return finish('skip', 'JobAlreadyActive', scheduled);
  if (cronJob.spec.concurrencyPolicy === 'Replace') {
    for (const j of active) deleted({ name: j, why: 'replace' });
    active = [];
  }
  if (owned.some((j) => j.metadata.name === name)) {
    if (!active.includes(name)) active = [...active, name];
    return finish('none', 'AlreadyProcessed', scheduled);
  }
  events.push({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` });
  active = [...active, name];
  return finish('create', 'Create', scheduled, true);
}

/** Template annotations plus, from 1.28, the scheduled timestamp in the CronJob's `.spec.timeZone` (UTC when unset). */
export function jobAnnotations(input: CronJobInput, scheduled: Date): Record<string, string> {
  const out = { ...(input.cronJob.spec.jobTemplate?.metadata?.annotations ?? {}) };
  const { generation } = controllerGeneration(input.serverVersion);
  if (generation === 'v2' && writesScheduledTimestamp(input.serverVersion)) {
    // time.LoadLocation: "" is UTC, "Local" is kube-controller-manager's zone.
    const tz = input.cronJob.spec.timeZone;
    const zone = tz === undefined || tz === '' ? 'UTC' : tz === 'Local' ? (input.controllerZone ?? 'UTC') : tz;
    out[SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339InZone(scheduled, zone);
  }
  return out;
}

/** What the controller does right after `.spec.suspend` is set to false:
 * - `decision`: the sync it runs at once (e.g. a catch-up create for a missed time the deadline still allows)
 * - `catchUp`: true when that sync starts a Job for a time that has already passed
 * - `dropped`: approximate count of missed times that will never run */
export function predictAfterResume(input: CronJobInput): { decision: SyncDecision; catchUp: boolean; dropped: number } {
  const cronJob: CronJob = { ...input.cronJob, spec: { ...input.cronJob.spec, suspend: false } };
  const decision = syncDecision({ ...input, cronJob });
  const catchUp =
    decision.action === 'create' &&
    decision.scheduledTime !== null &&
    Date.parse(decision.scheduledTime) < input.now.getTime();
  const dropped = Math.max(0, decision.missedCount - (decision.action === 'create' ? 1 : 0));
  return { decision, catchUp, dropped };
}
