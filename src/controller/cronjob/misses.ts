// `misses`: every schedule time in a window with its fate, reconstructed from what survives: the
// Jobs that still exist (their scheduled-timestamp annotation or name, creationTimestamp, outcome),
// .status.lastScheduleTime (no Job was created for a later time), the order in which Jobs are
// removed (retention.ts: proves a time never had a Job), the spec and managedFields (suspension),
// and the controller's events while they last (job-events.ts). Each fate is proved by one of those,
// or the slot is `unknown` with the evidence that is missing named by its reason. Linear in slots +
// Jobs: the schedule is walked once; Jobs and events are looked up by time or name.

import { eventsAbout, suspendOwner } from './evidence.js';
import { indexControllerEvents, eventMs, type JobEvents } from './job-events.js';
import {
  isManual,
  isOwnedBy,
  jobEnd,
  jobNameFor,
  jobOutcome,
  type JobOutcome,
  jobStart,
  scheduledTimeOfJob,
  SCHEDULED_TIMESTAMP_ANNOTATION,
} from './jobs.js';
import { retentionOf, type Retention } from './retention.js';
import { controllerGeneration, readSchedule } from './schedule.js';
import { syncDecision } from './sync.js';
import { FATE_CODE, REASON_CODE, SLOT_FATES, type SlotFate, type SlotJob, SlotTimeline } from './timeline.js';
import type { CronJobInput, SyncDecision, ZoneSource } from './types.js';
import type { Job, KubeEvent } from '../../api/types.js';
import { parseTime, rfc3339 } from '../time.js';

export {
  SLOT_FATES,
  SLOT_REASONS,
  SlotTimeline,
  type SlotFate,
  type SlotReason,
  type MissSlot,
  type SlotJob,
} from './timeline.js';

/** A Job created more than this long after its scheduled time was created late (the controller
 * normally creates it within a second or two). */
export const LATE_CREATION_MS = 20_000;

/** A catch-up Job created this soon after a write of .spec.suspend was started by the resume. */
export const RESUME_WINDOW_MS = 60_000;

/** Fates that mean "this scheduled run did not happen" (proved; `unknown` is not among them). */
export const NOT_RUN_FATES: readonly SlotFate[] = ['forbid', 'missed', 'missed-deadline', 'suspended'];

/** A Job created by hand from the CronJob (not tied to a schedule time). */
export interface ManualRun {
  job: string;
  time: string;
  outcome: JobOutcome;
}

/** `misses` result: the window, how the schedule was read, per-fate counts and every slot.
 * Fates (each slot's `reason` names the evidence): `ran` (its Job exists, or an event shows it ran and
 * was deleted while running), `due` (the controller should be creating it now), `forbid` (not created:
 * a Job was active under Forbid), `replaced` (its Job was deleted by Replace when the next run
 * started), `missed` (no Job was ever created for it: the controller was down or late), `missed-deadline`,
 * `suspended`, `pruned` (its Job ran, finished and was removed by a history limit), `unknown` (the
 * evidence that would tell is gone), `before-creation`, `future`. */
export interface MissesReport {
  kind: 'CronJobMisses';
  namespace: string;
  name: string;
  schedule: string;
  zone: string;
  zoneSource: ZoneSource;
  since: string;
  until: string;
  now: string;
  total: number;
  counts: Record<SlotFate, number>;
  /** Every slot, oldest first (serialises to a list of MissSlot). */
  slots: SlotTimeline;
  suspendedSince: string | null;
  manualRuns: ManualRun[];
  /** Why no slots could be listed (unreadable schedule), else null. */
  error: string | null;
}

/** Input of listMisses: the usual model input plus the window (since, until]. */
export interface MissesInput extends CronJobInput {
  since: Date;
  until: Date;
  /** The same input's sync decision and retention, when the caller already has them (a verdict). */
  known?: { decision: SyncDecision; retention: Retention };
}

interface Interval {
  start: number;
  end: number;
  ref: number;
}

/** Every schedule time in (since, until] with its fate (see MissesReport). */
export function listMisses(input: MissesInput): MissesReport {
  const { cronJob, now, since, until } = input;
  const name = cronJob.metadata.name ?? '';
  const { generation } = controllerGeneration(input.serverVersion);
  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC', input.serverVersion);
  const counts = Object.fromEntries(SLOT_FATES.map((f) => [f, 0])) as Record<SlotFate, number>;
  const nowMs = now.getTime();
  const jobs: SlotJob[] = [];
  const report: MissesReport = {
    kind: 'CronJobMisses',
    namespace: cronJob.metadata.namespace ?? 'default',
    name,
    schedule: cronJob.spec.schedule,
    zone: reading.zone,
    zoneSource: reading.zoneSource,
    since: rfc3339(since),
    until: rfc3339(until),
    now: rfc3339(now),
    total: 0,
    counts,
    slots: new SlotTimeline(jobs),
    suspendedSince: null,
    manualRuns: [],
    error: reading.error?.message ?? null,
  };
  const sched = reading.schedule;
  if (!sched || reading.error) return report;

  // The controller's Jobs, by exact scheduled time (annotation, or v1's seconds) or by the minute in their name.
  const exact = new Map<number, number>();
  const byMinute = new Map<number, number>();
  const exactMinutes = new Set<number>();
  const intervals: Interval[] = [];
  for (const j of input.jobs) {
    if (!isOwnedBy(j, cronJob, generation)) continue;
    const start = jobStart(j);
    const end = jobEnd(j);
    if (isManual(j)) {
      if (start && start > since && start <= until)
        report.manualRuns.push({ job: j.metadata.name ?? '', time: rfc3339(start), outcome: jobOutcome(j) });
      continue;
    }
    const ref = jobs.length;
    const info: SlotJob = { name: j.metadata.name ?? '', outcome: jobOutcome(j) };
    if (start) info.durationSeconds = Math.round(((end?.getTime() ?? nowMs) - start.getTime()) / 1000);
    jobs.push(info);
    const t = scheduledTimeOfJob(j, name);
    if (t) {
      const created = parseTime(j.metadata.creationTimestamp);
      if (created) info.lateSeconds = Math.round((created.getTime() - t.getTime()) / 1000);
      if (j.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION] || generation === 'v1') {
        exact.set(t.getTime(), ref);
        exactMinutes.add(Math.floor(t.getTime() / 60_000));
      } else {
        byMinute.set(Math.floor(t.getTime() / 60_000), ref);
      }
    }
    if (start) intervals.push({ start: start.getTime(), end: end?.getTime() ?? Infinity, ref });
  }
  intervals.sort((a, b) => a.start - b.start);

  const lastMs = parseTime(cronJob.status?.lastScheduleTime)?.getTime() ?? -Infinity;
  const createdMs = parseTime(cronJob.metadata.creationTimestamp)?.getTime() ?? -Infinity;
  // The controller looks at times after lastScheduleTime, else after creation: a time after a
  // lastScheduleTime older than the object (status written or restored) is still considered.
  const beforeCreationMs = Math.min(createdMs, lastMs > -Infinity ? lastMs + 1 : createdMs);
  const sdsMs = cronJob.spec.startingDeadlineSeconds != null ? cronJob.spec.startingDeadlineSeconds * 1000 : null;
  const forbid = cronJob.spec.concurrencyPolicy === 'Forbid';
  const replace = cronJob.spec.concurrencyPolicy === 'Replace';
  let suspendedFromMs = Infinity;
  const owner = suspendOwner(cronJob);
  if (cronJob.spec.suspend === true && owner?.time) {
    // .spec.suspend has been true since its last write at the latest (nobody else wrote it since).
    suspendedFromMs = owner.time.getTime();
    report.suspendedSince = rfc3339(owner.time);
  }
  const decision = input.known?.decision ?? syncDecision(input);
  const dueMs = decision.action === 'create' && decision.scheduledTime ? Date.parse(decision.scheduledTime) : NaN;
  const events = indexControllerEvents(eventsAbout(input.events, 'CronJob', name, cronJob.metadata.uid));
  const retention = input.known?.retention ?? retentionOf(cronJob, input.jobs, generation);

  const F = FATE_CODE;
  const R = REASON_CODE;
  const slots = report.slots;
  const usedMinute = new Set<number>();
  let iv = 0; // next interval to take in
  let blockEnd = -Infinity;
  let blockRef = -1;
  const untilMs = until.getTime();
  const eventJob = (jobName: string, outcome: SlotJob['outcome']): number => jobs.push({ name: jobName, outcome }) - 1;
  // `@every D` times are a chain from lastScheduleTime (or creation), not from the window start.
  const every = sched as typeof sched & { kind?: string; delaySeconds?: number };
  let walkFrom = since.getTime();
  if (every.kind === 'every' && every.delaySeconds) {
    const anchor = lastMs > -Infinity ? lastMs : createdMs;
    const d = every.delaySeconds * 1000;
    if (anchor > -Infinity) walkFrom = anchor - Math.ceil((anchor - walkFrom) / d) * d;
  }
  let next = sched.nextMillis(walkFrom);
  while (next <= since.getTime()) next = sched.nextMillis(next);
  while (next <= untilMs) {
    const ms = next;
    next = sched.nextMillis(ms);
    const minute = Math.floor(ms / 60_000);
    while (iv < intervals.length && intervals[iv]!.start < ms) {
      const x = intervals[iv++]!;
      if (x.end > blockEnd) [blockEnd, blockRef] = [x.end, x.ref];
    }
    const blocked = forbid && blockEnd > ms;
    let ran = exact.get(ms) ?? -1;
    if (ran < 0 && !usedMinute.has(minute)) {
      ran = byMinute.get(minute) ?? -1;
      if (ran >= 0) usedMinute.add(minute);
    }
    if (ms > nowMs) {
      slots.push(ms, F.future, -1);
      continue;
    }
    if (ran >= 0) {
      const late = (jobs[ran]!.lateSeconds ?? 0) * 1000 > LATE_CREATION_MS;
      slots.push(ms, F.ran, ran, late ? R.late : 0);
      continue;
    }
    const evName = events.byJob.size > 0 ? jobNameFor(name, new Date(ms), generation) : '';
    const ev = evName ? events.byJob.get(evName) : undefined;
    // A time before the object existed can still have had a Job (lastScheduleTime written back):
    // only an event naming it says so.
    if (ms < beforeCreationMs && !ev) {
      slots.push(ms, F['before-creation'], -1);
      continue;
    }
    if (ev?.missing && !deletedByController(ev)) {
      slots.push(ms, F.ran, eventJob(evName, 'deleted'), R['deleted-while-active']);
    } else if (ev?.deleted) {
      const cond = ev.completed?.condition;
      // The controller deletes a Job only for the history limits or, under Replace, to start the next run.
      if (ev.completed)
        slots.push(
          ms,
          F.pruned,
          eventJob(evName, cond === 'Failed' ? 'failed' : cond === 'Complete' ? 'succeeded' : 'unknown'),
          R['delete-event'],
        );
      else if (!replace && retention.policyStableAt(ms))
        slots.push(ms, F.pruned, eventJob(evName, 'unknown'), R['delete-event']);
      else if (replace && retention.noHistoryPruning)
        slots.push(ms, F.replaced, eventJob(evName, 'deleted'), R['delete-event']);
      else slots.push(ms, F.unknown, eventJob(evName, 'unknown'), R['deleted-by-controller']);
    } else if (ev?.created || ms === lastMs) {
      slots.push(ms, F.unknown, -1, R['job-gone']);
    } else if (exactMinutes.has(minute) && generation === 'v2') {
      // The Job name for this minute is taken by an earlier time: the create fails with AlreadyExists.
      slots.push(ms, F.missed, -1, R['same-minute']);
    } else if (ms > lastMs) {
      // Never created: lastScheduleTime moves to every time the controller creates a Job for.
      if (ms >= suspendedFromMs) slots.push(ms, F.suspended, -1, R['suspended-since']);
      else if (blocked && next > nowMs && blockEnd === Infinity)
        slots.push(ms, F.due, blockRef, R['waits-for-blocker']);
      else if (blocked) slots.push(ms, F.forbid, blockRef, R['after-last-schedule']);
      else if (ms === dueMs) slots.push(ms, F.due, -1, R['after-last-schedule']);
      else if (events.missSchedule.has(ms)) slots.push(ms, F['missed-deadline'], -1, R['miss-schedule-event']);
      else if (sdsMs !== null && ms + sdsMs < nowMs) slots.push(ms, F['missed-deadline'], -1, R['deadline-passed']);
      else slots.push(ms, F.missed, -1, R['after-last-schedule']);
    } else if (events.missSchedule.has(ms)) {
      slots.push(ms, F['missed-deadline'], -1, R['miss-schedule-event']);
    } else if (retention.excludesRemovalAt(ms, blocked ? Math.max(ms, blockEnd) : ms)) {
      slots.push(ms, blocked ? F.forbid : F.missed, blocked ? blockRef : -1, R['not-created']);
    } else if (blocked && blockEnd >= next) {
      // Forbid skipped it, and the blocker ran past the next time, so it was never started late either.
      slots.push(ms, F.forbid, blockRef, R['not-created']);
    } else {
      slots.push(ms, F.unknown, -1, R['no-trace']);
    }
  }
  settleCatchUps(report, input, events.tooManyMissed, owner?.time ?? null);
  if (replace) settleReplaceOrder(report, events.byJob, input.jobs);
  const tally = new Float64Array(SLOT_FATES.length);
  for (let i = 0; i < slots.length; i++) tally[slots.fates[i]!]!++;
  for (const [i, f] of SLOT_FATES.entries()) counts[f] = tally[i]!;
  report.total = slots.length;
  return report;
}

/** The controller's SuccessfulDelete names the Job and is not later than its MissingJob: the
 * controller deleted it itself. A sync that works from a cached CronJob still listing the Job as
 * active (its own status write not yet seen) then finds it gone and records MissingJob as well, so
 * the MissingJob is an echo of its own delete, not someone else's (seen on v1.37 under Replace). */
function deletedByController(ev: JobEvents): boolean {
  if (!ev.deleted) return false;
  if (!ev.missing) return true;
  const del = eventMs(ev.deleted);
  const miss = eventMs(ev.missing);
  return Number.isNaN(del) || Number.isNaN(miss) || del <= miss;
}

/** A run of never-created times ends with the catch-up Job the controller created late. When that
 * Job was created right after a write of .spec.suspend, the times were skipped while suspended (a
 * resume); when a TooManyMissedTimes event was raised as it was created, the event covers them. */
function settleCatchUps(
  report: MissesReport,
  input: MissesInput,
  tooMany: KubeEvent[],
  suspendWrite: Date | null,
): void {
  const s = report.slots;
  const F = FATE_CODE;
  const R = REASON_CODE;
  const notCreated = R['not-created'];
  const tooManyMs = tooMany.map(eventMs).filter((t) => !Number.isNaN(t));
  let runStart = -1;
  for (let i = 0; i < s.length; i++) {
    const inRun = s.fates[i] === F.missed && s.reasons[i] === notCreated;
    if (inRun) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart < 0) continue;
    const from = runStart;
    runStart = -1;
    if (s.fates[i] !== F.ran) continue;
    const job = s.jobs[s.jobRefs[i]!];
    if (!job || job.lateSeconds === undefined) continue;
    const created = s.times[i]! + job.lateSeconds * 1000;
    const resumed =
      suspendWrite &&
      input.cronJob.spec.suspend !== true &&
      created >= suspendWrite.getTime() &&
      created - suspendWrite.getTime() <= RESUME_WINDOW_MS;
    const flagged = tooManyMs.some((t) => Math.abs(t - created) <= 5_000);
    if (!resumed && !flagged) continue;
    for (let k = from; k < i; k++)
      s.set(k, resumed ? F.suspended : F.missed, resumed ? R.resumed : R['too-many-missed']);
  }
}

/** Under Replace, a running Job is deleted exactly when the next Job is created. So a Job replaced at
 * T was the latest created until T: the times between its own and that of the Job created at T
 * (a kept Job created within 2 s of T) never had a Job. */
function settleReplaceOrder(report: MissesReport, byJob: Map<string, JobEvents>, jobs: Job[]): void {
  const s = report.slots;
  const F = FATE_CODE;
  const R = REASON_CODE;
  const createdAt = jobs.map((j) => ({
    t: parseTime(j.metadata.creationTimestamp)?.getTime() ?? NaN,
    name: j.metadata.name,
  }));
  for (let i = 0; i < s.length; i++) {
    if (s.fates[i] !== F.replaced) continue;
    const name = s.jobs[s.jobRefs[i]!]?.name;
    const del = name ? byJob.get(name)?.deleted : undefined;
    const t = del ? eventMs(del) : NaN;
    if (Number.isNaN(t)) continue;
    const successor = createdAt.find((c) => Math.abs(c.t - t) <= 2_000)?.name;
    if (!successor) continue;
    let k = i + 1;
    while (k < s.length && s.jobs[s.jobRefs[k]!]?.name !== successor) k++;
    if (k >= s.length) continue;
    for (let x = i + 1; x < k; x++)
      if (s.fates[x] === F.unknown && s.reasons[x] === R['no-trace']) s.set(x, F.missed, R['replace-order']);
  }
}
