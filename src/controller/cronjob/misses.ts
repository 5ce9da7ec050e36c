// `misses`: every schedule time in a window with its fate, worked out from the Jobs that exist, the
// CronJob's status and spec, and the controller's rules. Linear in slots + Jobs: the schedule is
// walked once, and two sweeps (Jobs sorted by scheduled minute, run intervals sorted by start)
// replace any per-slot search.

import { suspendOwner } from './evidence.js';
import { isManual, isOwnedBy, jobEnd, jobOutcome, type JobOutcome, jobStart, scheduledTimeOfJob } from './jobs.js';
import { controllerGeneration, readSchedule } from './schedule.js';
import { syncDecision } from './sync.js';
import { FATE_CODE, SLOT_FATES, type SlotFate, type SlotJob, SlotTimeline } from './timeline.js';
import type { CronJobInput, ZoneSource } from './types.js';
import { parseTime, rfc3339 } from '../time.js';

export { SLOT_FATES, SlotTimeline, type SlotFate, type MissSlot, type SlotJob } from './timeline.js';

/** A Job created by hand from the CronJob (not tied to a schedule time). */
export interface ManualRun {
  job: string;
  time: string;
  outcome: JobOutcome;
}

/** `misses` result: the window, how the schedule was read, per-fate counts and every slot.
 * Fates: `ran` (a Job exists for it), `due` (the controller should be creating it now), `forbid`
 * (skipped: a Job was still active under Forbid), `missed-deadline` (not started within
 * startingDeadlineSeconds), `suspended` (after the suspend write in managedFields), `history-deleted`
 * (at or before lastScheduleTime, so handled, but its Job is gone: history limit or TTL), `unknown`
 * (no Job and no rule explains it: controller down then; only the latest missed time ever runs),
 * `before-creation`, `future`. */
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
  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC');
  const counts = Object.fromEntries(SLOT_FATES.map((f) => [f, 0])) as Record<SlotFate, number>;
  const nowMs = now.getTime();
  const jobs: SlotJob[] = [];
  const report: MissesReport = {
    kind: 'CronJobMisses', namespace: cronJob.metadata.namespace ?? 'default', name, schedule: cronJob.spec.schedule,
    zone: reading.zone, zoneSource: reading.zoneSource, since: rfc3339(since), until: rfc3339(until), now: rfc3339(now),
    total: 0, counts, slots: new SlotTimeline(jobs), suspendedSince: null, manualRuns: [], error: reading.error?.message ?? null,
  };
  const sched = reading.schedule;
  if (!sched || reading.error) return report;

  // Index the controller's Jobs: by scheduled minute (sorted) and by run interval (sorted by start).
  const byMinute: Array<{ minute: number; ref: number }> = [];
  const intervals: Interval[] = [];
  for (const j of input.jobs) {
    if (!isOwnedBy(j, cronJob, generation)) continue;
    const start = jobStart(j);
    const end = jobEnd(j);
    if (isManual(j)) {
      if (start && start > since && start <= until) report.manualRuns.push({ job: j.metadata.name ?? '', time: rfc3339(start), outcome: jobOutcome(j) });
      continue;
    }
    const ref = jobs.length;
    const info: SlotJob = { name: j.metadata.name ?? '', outcome: jobOutcome(j) };
    if (start) info.durationSeconds = Math.round(((end?.getTime() ?? nowMs) - start.getTime()) / 1000);
    jobs.push(info);
    const t = scheduledTimeOfJob(j, name);
    if (t) byMinute.push({ minute: Math.floor(t.getTime() / 60_000), ref });
    if (start) intervals.push({ start: start.getTime(), end: end?.getTime() ?? Infinity, ref });
  }
  byMinute.sort((a, b) => a.minute - b.minute);
  intervals.sort((a, b) => a.start - b.start);

  const lastMs = parseTime(cronJob.status?.lastScheduleTime)?.getTime() ?? -Infinity;
  const createdMs = parseTime(cronJob.metadata.creationTimestamp)?.getTime() ?? -Infinity;
  // The controller looks at times after lastScheduleTime, else after creation: a time after a
  // lastScheduleTime older than the object (status written or restored) is still considered.
  const beforeCreationMs = Math.min(createdMs, lastMs > -Infinity ? lastMs + 1 : createdMs);
  const sdsMs = cronJob.spec.startingDeadlineSeconds != null ? cronJob.spec.startingDeadlineSeconds * 1000 : null;
  const forbid = cronJob.spec.concurrencyPolicy === 'Forbid';
  let suspendedFromMs = Infinity;
  if (cronJob.spec.suspend === true) {
    const owner = suspendOwner(cronJob);
    // Without managedFields, assume it has been suspended since it was last scheduled.
    suspendedFromMs = owner?.time ? owner.time.getTime() : lastMs > -Infinity ? lastMs + 1 : createdMs;
    report.suspendedSince = owner?.time ? rfc3339(owner.time) : null;
  }
  const decision = syncDecision(input);
  const dueMs = decision.action === 'create' && decision.scheduledTime ? Date.parse(decision.scheduledTime) : NaN;

  const F = FATE_CODE;
  const tally = new Float64Array(SLOT_FATES.length);
  const slots = report.slots;
  let jm = 0; // next Job in byMinute
  let iv = 0; // next interval to take in
  let blockEnd = -Infinity;
  let blockRef = -1;
  const untilMs = until.getTime();
  for (let ms = sched.nextMillis(since.getTime()); ms <= untilMs; ms = sched.nextMillis(ms)) {
    const minute = Math.floor(ms / 60_000);
    while (jm < byMinute.length && byMinute[jm]!.minute < minute) jm++;
    const ran = jm < byMinute.length && byMinute[jm]!.minute === minute ? byMinute[jm]!.ref : -1;
    while (iv < intervals.length && intervals[iv]!.start < ms) {
      const x = intervals[iv++]!;
      if (x.end > blockEnd) [blockEnd, blockRef] = [x.end, x.ref];
    }
    const blocked = forbid && blockEnd > ms;
    let fate: number;
    let ref = -1;
    if (ms > nowMs) fate = F.future;
    else if (ran >= 0) [fate, ref] = [F.ran, ran];
    else if (ms < beforeCreationMs) fate = F['before-creation'];
    else if (ms <= lastMs) [fate, ref] = blocked ? [F.forbid, blockRef] : [F['history-deleted'], -1];
    else if (ms >= suspendedFromMs) fate = F.suspended;
    else if (blocked) [fate, ref] = [F.forbid, blockRef];
    else if (ms === dueMs) fate = F.due;
    else if (sdsMs !== null && ms + sdsMs < nowMs) fate = F['missed-deadline'];
    else fate = F.unknown;
    tally[fate]!++;
    slots.push(ms, fate, ref);
  }
  SLOT_FATES.forEach((f, i) => (counts[f] = tally[i]!));
  report.total = slots.length;
  return report;
}
