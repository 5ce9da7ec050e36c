// One sync of the CronJob controller, re-run on a snapshot: what it would do right now.
// Order follows ControllerV2.sync / syncCronJob (Kubernetes 1.36): history cleanup, active-list
// reconciliation, deletion, time zone, suspend, parse, unmet time, deadline, already processed,
// Forbid, Replace, create. Clusters ≤1.20 follow the legacy syncOne (release-1.20).

import type { CronJob } from '../types.js';
import { cleanupFinishedJobs, isOwnedBy, jobNameFor, reconcileActive, SCHEDULED_TIMESTAMP_ANNOTATION } from './jobs.js';
import { LEGACY_TOO_MANY_MISSED_EVENT, legacyUnmetScheduleTimes, nextScheduleTime, requeueAt, TOO_MANY_MISSED_EVENT } from './most-recent.js';
import { controllerGeneration, readSchedule, writesScheduledTimestamp } from './schedule.js';
import type { ControllerEvent, CronJobInput, JobDeletion, SyncDecision, SyncReason } from './types.js';
import { parseTime, rfc1123zUtc, rfc3339, rfc3339InZone } from '../time.js';

/** The v1 controller polled every CronJob every 10 seconds. */
const LEGACY_POLL_MS = 10_000;

/** What the controller does when it syncs this CronJob at `input.now` (see SyncDecision). */
export function syncDecision(input: CronJobInput): SyncDecision {
  const { cronJob, now } = input;
  const { generation } = controllerGeneration(input.serverVersion);
  const owned = input.jobs.filter((j) => isOwnedBy(j, cronJob, generation));
  const events: ControllerEvent[] = [];
  const deletes: JobDeletion[] = [];
  const deleted = (d: JobDeletion): void => {
    deletes.push(d);
    events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${d.name}` });
  };

  // v2 cleans up finished Jobs before syncing; v1 did it after.
  const history = cleanupFinishedJobs(cronJob, owned);
  if (generation === 'v2') history.forEach(deleted);
  const rec = reconcileActive(cronJob, owned, generation);
  events.push(...rec.events);
  let active = rec.active.map((r) => r.name ?? '');

  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC');
  const { schedule: sched, ...readingData } = reading;
  let missed: SyncDecision['missed'] = 'none';
  let missedCount = 0;
  let requeue: Date | null = null;

  const finish = (action: SyncDecision['action'], reason: SyncReason, scheduled: Date | null = null, create = false): SyncDecision => {
    if (generation === 'v1') history.forEach(deleted);
    const jobName = scheduled ? jobNameFor(cronJob.metadata.name ?? '', scheduled, generation) : null;
    const job = create && scheduled && jobName ? { name: jobName, scheduledTime: rfc3339(scheduled), annotations: jobAnnotations(input, scheduled) } : null;
    if (generation === 'v1') requeue = new Date(now.getTime() + LEGACY_POLL_MS);
    return {
      generation, action, reason, scheduledTime: scheduled ? rfc3339(scheduled) : null, jobName, job, deletes, events, active,
      missed, missedCount, requeueAt: requeue ? requeue.toISOString() : null, reading: readingData,
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
    if (reading.error) events.push(reading.error);
    return finish('none', generation === 'v2' ? 'UnparseableSchedule' : 'FailedNeedsStart');
  }

  let scheduled: Date | null;
  if (generation === 'v2') {
    const next = nextScheduleTime(cronJob, now, sched);
    missedCount = next.missedCount;
    missed = next.tooMany ? 'many' : next.missedCount > 0 ? 'few' : 'none';
    if (next.error && !next.scheduledTime) {
      events.push({ type: 'Warning', reason: 'InvalidSchedule', message: `invalid schedule: ${cronJob.spec.schedule} : ${next.error}` });
      return finish('none', 'InvalidSchedule');
    }
    if (next.tooMany) events.push(TOO_MANY_MISSED_EVENT);
    scheduled = next.scheduledTime;
  } else {
    const legacy = legacyUnmetScheduleTimes(cronJob, now, sched);
    missedCount = legacy.times.length;
    if (legacy.tooMany) {
      missed = 'many';
      events.push(LEGACY_TOO_MANY_MISSED_EVENT);
      return finish('skip', 'FailedNeedsStart');
    }
    missed = legacy.times.length > 0 ? 'few' : 'none';
    scheduled = legacy.times[legacy.times.length - 1] ?? null;
  }

  const withLast = (t: Date | null): CronJob => (t ? { ...cronJob, status: { ...cronJob.status, lastScheduleTime: rfc3339(t) } } : cronJob);
  if (generation === 'v2') requeue = requeueAt(cronJob, now, sched);
  if (!scheduled) return finish('none', 'NotDueYet');

  const sds = cronJob.spec.startingDeadlineSeconds;
  if (sds != null && scheduled.getTime() + sds * 1000 < now.getTime()) {
    // Effectively unreachable: the deadline already moved the earliest time past this point.
    events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc1123zUtc(scheduled)}` });
    return finish('skip', 'MissSchedule', scheduled);
  }
  const name = jobNameFor(cronJob.metadata.name ?? '', scheduled, generation);
  const last = parseTime(cronJob.status?.lastScheduleTime);
  if (generation === 'v2' && (active.includes(name) || last?.getTime() === scheduled.getTime())) return finish('none', 'AlreadyProcessed', scheduled);

  if (cronJob.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    if (generation === 'v2') {
      events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    }
    return finish('skip', 'JobAlreadyActive', scheduled);
  }
  if (cronJob.spec.concurrencyPolicy === 'Replace') {
    for (const j of active) deleted({ name: j, why: 'replace' });
    active = [];
  }

  const existing = owned.find((j) => j.metadata.name === name);
  if (existing) {
    // AlreadyExists: the controller adopts its own Job into the active list without a new event.
    if (!active.includes(name)) active = [...active, name];
    if (generation === 'v2') requeue = requeueAt(withLast(scheduled), now, sched);
    return finish('none', 'AlreadyProcessed', scheduled);
  }
  events.push({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` });
  active = [...active, name];
  if (generation === 'v2') requeue = requeueAt(withLast(scheduled), now, sched);
  return finish('create', 'Create', scheduled, true);
}

/** Template annotations plus, from 1.28, the scheduled timestamp in the CronJob's `.spec.timeZone` (UTC when unset). */
function jobAnnotations(input: CronJobInput, scheduled: Date): Record<string, string> {
  const out = { ...(input.cronJob.spec.jobTemplate?.metadata?.annotations ?? {}) };
  const { generation } = controllerGeneration(input.serverVersion);
  if (generation === 'v2' && writesScheduledTimestamp(input.serverVersion)) {
    out[SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339InZone(scheduled, input.cronJob.spec.timeZone ?? 'UTC');
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
  const catchUp = decision.action === 'create' && decision.scheduledTime !== null && Date.parse(decision.scheduledTime) < input.now.getTime();
  const dropped = Math.max(0, decision.missedCount - (decision.action === 'create' ? 1 : 0));
  return { decision, catchUp, dropped };
}
