// What every cause finder looks at, computed once per verdict, plus small helpers for evidence and fixes.

import type { Job, KubeEvent } from '../../api/types.js';
import type { Evidence } from '../verdict.js';
import { observed, observedObject, type PathText } from '../observe.js';
import { cronJobEvents } from './evidence.js';
import { isOwnedBy } from './jobs.js';
import { listMisses, type MissesReport } from './misses.js';
import { retentionOf, type Retention } from './retention.js';
import { lastKnownStart } from './most-recent.js';
import { controllerGeneration, readSchedule } from './schedule.js';
import { syncDecision } from './sync.js';
import type { ControllerGeneration, CronJobInput, ScheduleReading, SyncDecision } from './types.js';

export { derived, predicted, observedEvent } from '../observe.js';

/** How far back a verdict classifies missed schedule times. */
export const VERDICT_WINDOW_MS = 31 * 24 * 3600 * 1000;

/** The default look-back of a verdict: incidents in this window (or among the last
 * LOOKBACK_MIN_TIMES schedule times, if they reach further back) make a CronJob unhealthy. */
export const DEFAULT_LOOKBACK_MS = 24 * 3600 * 1000;
export const LOOKBACK_MIN_TIMES = 3;

/** Everything the cause finders share. */
export interface VerdictContext {
  input: CronJobInput;
  name: string;
  namespace: string;
  now: Date;
  generation: ControllerGeneration;
  /** False when the server version only suggests the generation (1.20, 1.21: feature gate). */
  generationCertain: boolean;
  reading: ScheduleReading;
  decision: SyncDecision;
  /** What the kept Jobs prove about the controller's history pruning (one pass per verdict). */
  retention: Retention;
  /** Jobs the controller counts as its children. */
  owned: Job[];
  /** Events about the CronJob, newest first. */
  events: KubeEvent[];
  /** Fates of schedule times since the last scheduled one (at most VERDICT_WINDOW_MS back). */
  misses: MissesReport;
  /** True when the misses window was cut to VERDICT_WINDOW_MS. */
  windowCapped: boolean;
  /** Start of the look-back window: incidents after it count against the verdict. */
  lookback: Date;
}

/** The verdict's look-back: `since` when given, else DEFAULT_LOOKBACK_MS before now, moved back to
 * cover the LOOKBACK_MIN_TIMES most recent schedule times (a weekly job is judged on weeks). */
export function lookbackStart(input: CronJobInput, reading: ScheduleReading): Date {
  if (input.since) return input.since;
  const nowMs = input.now.getTime();
  let start = nowMs - DEFAULT_LOOKBACK_MS;
  const sched = reading.schedule;
  if (sched && !reading.error) {
    // Enough times in the default window: nothing to do. Else look further back, doubling, for the
    // LOOKBACK_MIN_TIMES most recent times (at most VERDICT_WINDOW_MS).
    const lastTimes = (from: number): number[] => {
      const out: number[] = [];
      for (let t = sched.nextMillis(from); t <= nowMs; t = sched.nextMillis(t)) {
        out.push(t);
        if (out.length > LOOKBACK_MIN_TIMES) out.shift();
      }
      return out;
    };
    let span = DEFAULT_LOOKBACK_MS;
    let found = countUpTo(sched, start, nowMs, LOOKBACK_MIN_TIMES);
    while (found < LOOKBACK_MIN_TIMES && span < VERDICT_WINDOW_MS) {
      span = Math.min(span * 4, VERDICT_WINDOW_MS);
      found = countUpTo(sched, nowMs - span, nowMs, LOOKBACK_MIN_TIMES);
    }
    if (span > DEFAULT_LOOKBACK_MS) {
      const recent = lastTimes(nowMs - span);
      if (recent.length > 0 && recent[0]! - 1 < start) start = recent[0]! - 1;
    }
  }
  return new Date(start);
}

/** Schedule times in (from, to], counted up to `cap`. */
function countUpTo(sched: NonNullable<ScheduleReading['schedule']>, from: number, to: number, cap: number): number {
  let n = 0;
  for (let t = sched.nextMillis(from); t <= to && n < cap; t = sched.nextMillis(t)) n++;
  return n;
}

/** Builds the shared context (one sync decision, one misses pass). */
export function buildContext(input: CronJobInput): VerdictContext {
  const { cronJob, now } = input;
  const { generation, certain } = controllerGeneration(input.serverVersion);
  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC', input.serverVersion);
  const lookback = lookbackStart(input, reading);
  const known = lastKnownStart(cronJob);
  // biome-ignore lint/complexity/useMathMinMax: Dates (Math.min would turn them into numbers)
  const earliest = known < lookback ? known : lookback;
  const floor = new Date(now.getTime() - VERDICT_WINDOW_MS);
  const windowCapped = earliest < floor;
  const decision = syncDecision(input);
  const retention = retentionOf(cronJob, input.jobs, generation);
  return {
    input,
    name: cronJob.metadata.name ?? '',
    namespace: cronJob.metadata.namespace ?? 'default',
    now,
    generation,
    generationCertain: certain,
    reading,
    decision,
    retention,
    owned: input.jobs.filter((j) => isOwnedBy(j, cronJob, generation)),
    events: cronJobEvents(cronJob, input.events),
    misses: listMisses({
      ...input,
      since: windowCapped ? floor : earliest,
      until: now,
      known: { decision, retention },
    }),
    windowCapped,
    lookback,
  };
}

/** `kubectl patch cronjob <name> -n <ns> --type=merge -p '<json>'`. */
export function patchCommand(ctx: VerdictContext, patch: unknown): string {
  return `kubectl patch cronjob ${ctx.name} -n ${ctx.namespace} --type=merge -p '${JSON.stringify(patch)}'`;
}

/** Evidence read from the CronJob itself: the value is whatever it holds at `path`. */
export function fromCronJob(ctx: VerdictContext, path: string, text: PathText, time?: Date | string | null): Evidence {
  return observed({ obj: ctx.input.cronJob }, path, text, { time: time ?? null });
}

/** Evidence read from one of the Jobs (a field when `path` is given, else the object itself). */
export function fromJob(job: Job, path: string | null, text: PathText, time?: Date | string | null): Evidence {
  const ref = `job/${job.metadata.name}`;
  if (path === null)
    return observedObject(ref, text(undefined), typeof time === 'string' ? new Date(time) : (time ?? null));
  return observed({ obj: job, ref }, path, text, { time: time ?? null });
}

/** "`0 * * * *` in Europe/Berlin" style description of how the schedule is read. */
export function describeSchedule(ctx: VerdictContext): string {
  const src = ctx.reading.zoneSource === 'controller' ? " (kube-controller-manager's zone, assumed)" : '';
  return `"${ctx.input.cronJob.spec.schedule}" in ${ctx.reading.zone}${src}`;
}
