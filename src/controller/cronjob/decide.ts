// `why <cronjob>`: the controller's decision re-run on the snapshot, turned into a verdict with causes.

import type { Cause, CronJobVerdict, CronJobVerdictState } from '../verdict.js';
import { scheduleCauses } from './causes-schedule.js';
import { jobCauses } from './causes-jobs.js';
import { historyCauses } from './causes-history.js';
import { NOT_RUN_FATES } from './misses.js';
import type { SlotFate } from './timeline.js';
import { buildContext } from './context.js';
import { controllerNextRun, mostRecentScheduleTime } from './most-recent.js';
import type { ControllerGeneration, CronJobInput, SyncDecision, ZoneSource } from './types.js';
import { parseTime, rfc3339 } from '../time.js';

/** Extra verdict fields (the contract allows additions): how the schedule is read and what the controller does now. */
export interface CronJobVerdictExtras {
  schedule: string;
  timeZone: string;
  zoneSource: ZoneSource;
  controller: ControllerGeneration;
  concurrencyPolicy: string;
  suspended: boolean;
  /** The controller's action at `now` (create / skip / none) and its reason. */
  action: SyncDecision['action'];
  actionReason: SyncDecision['reason'];
  /** The look-back window the verdict judges (incidents in it make the CronJob unhealthy). */
  window: { since: string; until: string };
  /** How many schedule times of the misses window had each fate. */
  fates: Record<SlotFate, number>;
  /** The controller's decision at its next sync, as data (a prediction): see SyncDecision. */
  decision: SyncDecision;
}

/** The verdict `why <cronjob>` returns. */
export type CronJobVerdictDetail = CronJobVerdict & CronJobVerdictExtras;

/** Causes that decide the headline, most important first, with the state each one means. */
const HEADLINE: Array<[string, CronJobVerdictState]> = [
  ['Deleting', 'not-firing'],
  ['UnknownTimeZone', 'blocked'],
  ['UnparseableSchedule', 'blocked'],
  ['InvalidSchedule', 'blocked'],
  ['NeverDue', 'not-firing'],
  ['ForeignJob', 'blocked'],
  ['AlreadyExistsGetFailed', 'blocked'],
  ['FailedGet', 'blocked'],
  ['Panic', 'blocked'],
  ['Suspended', 'not-firing'],
  ['FailedNeedsStart', 'blocked'],
  ['FailedCreate', 'blocked'],
  ['HeldByQueue', 'blocked'],
  ['JobAlreadyActive', 'blocked'],
  ['Overdue', 'not-firing'],
  ['TooManyMissedTimes', 'not-firing'],
  ['MissSchedule', 'not-firing'],
  ['ReplaceChurn', 'failing'],
  ['ControllerOutage', 'missed-runs'],
  ['LastRunsFailed', 'failing'],
];
const RANK = new Map(HEADLINE.map(([code], i) => [code, i]));
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Orders causes: errors first, then by headline importance. */
export function sortCauses(causes: Cause[]): Cause[] {
  return [...causes].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (RANK.get(a.code) ?? 99) - (RANK.get(b.code) ?? 99),
  );
}

/** The headline state: the state of the most important error cause, else healthy. */
export function verdictState(causes: Cause[]): CronJobVerdictState {
  for (const [code, state] of HEADLINE) if (causes.some((c) => c.code === code && c.severity === 'error')) return state;
  return 'healthy';
}

/** Re-runs the CronJob controller on the snapshot and explains, with evidence, why it fires or not. */
export function decideCronJob(input: CronJobInput): CronJobVerdictDetail {
  const ctx = buildContext(input);
  const { cronJob, now } = input;
  const causes = sortCauses([...scheduleCauses(ctx), ...jobCauses(ctx), ...historyCauses(ctx)]);
  let verdict = verdictState(causes);
  // TooManyMissedTimes predicted for the next sync means nothing runs now; raised in the past (an
  // event, the controller caught up since) means runs were lost.
  if (
    verdict === 'not-firing' &&
    ctx.decision.missed !== 'many' &&
    causes.find((c) => c.severity === 'error')?.code === 'TooManyMissedTimes'
  )
    verdict = 'missed-runs';
  const sched = ctx.reading.schedule;
  const runs = !cronJob.spec.suspend && !cronJob.metadata.deletionTimestamp && !ctx.reading.error && !!sched;
  const next = runs ? controllerNextRun(cronJob, now, sched) : null;
  const unmet = sched && !ctx.reading.error ? mostRecentScheduleTime(cronJob, now, sched, false) : null;
  const c = ctx.misses.counts;
  const last = parseTime(cronJob.status?.lastScheduleTime);
  return {
    kind: 'CronJob',
    namespace: ctx.namespace,
    name: ctx.name,
    verdict,
    causes,
    lastScheduleTime: last ? rfc3339(last) : null,
    nextScheduleTime: next ? rfc3339(next) : null,
    mostRecentUnmetTime: unmet?.mostRecentTime && !unmet.error ? rfc3339(unmet.mostRecentTime) : null,
    missed: NOT_RUN_FATES.reduce((n, f) => n + c[f], 0),
    now: rfc3339(now),
    schedule: cronJob.spec.schedule,
    timeZone: ctx.reading.zone,
    zoneSource: ctx.reading.zoneSource,
    controller: ctx.generation,
    concurrencyPolicy: cronJob.spec.concurrencyPolicy ?? 'Allow',
    suspended: cronJob.spec.suspend === true,
    action: ctx.decision.action,
    actionReason: ctx.decision.reason,
    window: { since: rfc3339(ctx.lookback), until: rfc3339(now) },
    fates: { ...c },
    decision: ctx.decision,
  };
}
