// Which schedule time the controller acts on, re-implemented from the behaviour of
// pkg/controller/cronjob/utils.go (mostRecentScheduleTime, nextScheduleTime,
// nextScheduleTimeDuration; Kubernetes 1.36) and, for clusters ≤1.20, the legacy
// getRecentUnmetScheduleTimes of the v1 controller (release-1.20).

import type { Schedule } from '../cron/index.js';
import type { CronJob } from '../../api/types.js';
import type { ControllerEvent, MostRecentScheduleTime } from './types.js';
import { parseTime } from '../time.js';

/** Padding the v2 controller adds to every requeue (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** Above this many missed start times the controller warns (v2) or gives up (v1). */
export const TOO_MANY_MISSED = 100;

/** The impossible-schedule error text (e.g. `0 0 31 2 *`). */
export const INVALID_SCHEDULE_ERROR = 'time difference between two schedules is less than 1 second';

/** The v2 TooManyMissedTimes warning. */
export const TOO_MANY_MISSED_EVENT: ControllerEvent = {
  type: 'Warning',
  reason: 'TooManyMissedTimes',
  message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
};

/** The legacy v1 controller's refusal when more than 100 times were missed. */
export const LEGACY_TOO_MANY_MISSED_EVENT: ControllerEvent = {
  type: 'Warning',
  reason: 'FailedNeedsStart',
  message:
    'Cannot determine if job needs to be started: too many missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew',
};

/** lastScheduleTime, else creationTimestamp (epoch when both are missing). */
export function lastKnownStart(cronJob: CronJob): Date {
  return parseTime(cronJob.status?.lastScheduleTime) ?? parseTime(cronJob.metadata.creationTimestamp) ?? new Date(0);
}

/** Returns the upstream tuple as an object (see MostRecentScheduleTime). `includeStartingDeadlineSeconds`
 * moves the earliest time up to now - startingDeadlineSeconds, as the scheduling path does; the
 * requeue path leaves it out. */
export function mostRecentScheduleTime(
  cronJob: CronJob,
  now: Date,
  schedule: Schedule,
  includeStartingDeadlineSeconds: boolean,
): MostRecentScheduleTime {
  let earliest = lastKnownStart(cronJob);
  const sds = cronJob.spec.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && sds != null) {
    // Nothing older than the deadline will ever be scheduled.
    const deadline = now.getTime() - sds * 1000;
    if (deadline > earliest.getTime()) earliest = new Date(deadline);
  }
  const none = (mostRecentTime: Date | null): MostRecentScheduleTime => ({
    earliestTime: earliest,
    mostRecentTime,
    missed: 'none',
    missedCount: 0,
  });

  const t1 = schedule.next(earliest);
  const t2 = t1 ? schedule.next(t1) : null;
  // A null result stands for Go's zero time, which is never after now.
  if (t1 && now < t1) return none(null);
  if (t1 && t2 && now < t2) return none(t1);

  const between = t1 && t2 ? Math.round((t2.getTime() - t1.getTime()) / 1000) : 0;
  if (!t1 || between < 1) return { ...none(null), error: INVALID_SCHEDULE_ERROR };

  // A rough count, as upstream: how many intervals of (t2 - t1) fit between t1 and now.
  const elapsed = Math.trunc((now.getTime() - t1.getTime()) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  // Start one interval before the estimate and let the schedule find the real slots, so
  // irregular schedules (`30 6-16/4 * * 1-5`) land on true times.
  const potentialEarliest = new Date(t1.getTime() + (missedCount - 2) * between * 1000);
  let mostRecent: Date | null = null;
  for (let t = schedule.next(potentialEarliest); t && t <= now; t = schedule.next(t)) mostRecent = t;

  const missed = missedCount > TOO_MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliestTime: earliest, mostRecentTime: mostRecent, missed, missedCount };
}

/** The unmet schedule time the v2 controller acts on now (deadline included), or null; `tooMany`
 * is true when it also records TooManyMissedTimes; `error` is the InvalidSchedule detail. */
export function nextScheduleTime(
  cronJob: CronJob,
  now: Date,
  schedule: Schedule,
): { scheduledTime: Date | null; tooMany: boolean; missedCount: number; error?: string } {
  const r = mostRecentScheduleTime(cronJob, now, schedule, true);
  const base = { missedCount: r.missedCount, ...(r.error ? { error: r.error } : {}) };
  if (!r.mostRecentTime || r.mostRecentTime > now) return { scheduledTime: null, tooMany: false, ...base };
  return { scheduledTime: r.mostRecentTime, tooMany: r.missed === 'many', ...base };
}

/** When the v2 controller wakes up again for this CronJob (nextScheduleTimeDuration as an instant), or null. */
export function requeueAt(cronJob: CronJob, now: Date, schedule: Schedule): Date | null {
  const r = mostRecentScheduleTime(cronJob, now, schedule, false);
  let from: Date;
  if (r.error) from = now;
  else if (r.mostRecentTime) from = r.mostRecentTime;
  else from = r.missed === 'none' ? r.earliestTime : now;
  const next = schedule.next(from);
  return next ? new Date(next.getTime() + NEXT_SCHEDULE_DELTA_MS) : null;
}

/** The first schedule time strictly after `now` (what "next run" means to a user), or null. */
export function upcomingScheduleTime(schedule: Schedule, now: Date): Date | null {
  return schedule.next(now);
}

/** The legacy (v1, ≤1.20) list of unmet times, oldest first: more than 100 is an error and no time at all. */
export function legacyUnmetScheduleTimes(
  cronJob: CronJob,
  now: Date,
  schedule: Schedule,
): { times: Date[]; tooMany: boolean } {
  let earliest = lastKnownStart(cronJob);
  const sds = cronJob.spec.startingDeadlineSeconds;
  if (sds != null && now.getTime() - sds * 1000 > earliest.getTime()) earliest = new Date(now.getTime() - sds * 1000);
  if (earliest > now) return { times: [], tooMany: false };
  const times: Date[] = [];
  for (let t = schedule.next(earliest); t && t <= now; t = schedule.next(t)) {
    times.push(t);
    if (times.length > TOO_MANY_MISSED) return { times: [], tooMany: true };
  }
  return { times, tooMany: false };
}

/** Counts schedule times in (after, until], stopping at `cap` (then `capped` is true). */
export function countScheduleTimes(
  schedule: Schedule,
  after: Date,
  until: Date,
  cap = 10_000,
): { count: number; capped: boolean; last: Date | null } {
  let count = 0;
  let last: Date | null = null;
  for (let t = schedule.next(after); t && t <= until; t = schedule.next(t)) {
    last = t;
    if (++count >= cap) return { count, capped: true, last };
  }
  return { count, capped: false, last };
}

/** The instant the controller next acts on this CronJob by itself (its requeue time without the
 * 100 ms padding), or null. Unlike `schedule.next(now)`, this counts `@every` from lastScheduleTime
 * (else creation) as the controller does, not from now. */
export function controllerNextRun(cronJob: CronJob, now: Date, schedule: Schedule): Date | null {
  const r = requeueAt(cronJob, now, schedule);
  return r ? new Date(r.getTime() - NEXT_SCHEDULE_DELTA_MS) : null;
}

/** True for `@every D` with startingDeadlineSeconds shorter than D: the earliest time the controller
 * considers is now - deadline, whose next tick (+D) is always after now, so no Job ever starts. */
export function everyNeverDue(cronJob: CronJob, schedule: Schedule): boolean {
  const sds = cronJob.spec.startingDeadlineSeconds;
  const s = schedule as Schedule & { kind?: string; delaySeconds?: number };
  const delay = s.kind === 'every' ? s.delaySeconds : undefined;
  return sds != null && delay !== undefined && delay > sds;
}
