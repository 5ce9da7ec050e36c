// What every cause finder looks at, computed once per verdict, plus small helpers for evidence and fixes.

import type { Job, KubeEvent } from '../types.js';
import type { Evidence } from '../verdict.js';
import { observed, observedObject } from '../observe.js';
import { cronJobEvents } from './evidence.js';
import { isOwnedBy } from './jobs.js';
import { listMisses, type MissesReport } from './misses.js';
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
  let start = input.now.getTime() - DEFAULT_LOOKBACK_MS;
  const sched = reading.schedule;
  if (sched && !reading.error) {
    // Walk back: the earliest of the last N times is found by stepping from well before.
    const floor = input.now.getTime() - VERDICT_WINDOW_MS;
    const recent: number[] = [];
    for (let t = sched.nextMillis(Math.max(floor, start - VERDICT_WINDOW_MS)); t <= input.now.getTime(); t = sched.nextMillis(t)) {
      recent.push(t);
      if (recent.length > LOOKBACK_MIN_TIMES) recent.shift();
    }
    if (recent.length === LOOKBACK_MIN_TIMES && recent[0]! - 1 < start) start = recent[0]! - 1;
  }
  return new Date(start);
}

/** Builds the shared context (one sync decision, one misses pass). */
export function buildContext(input: CronJobInput): VerdictContext {
  const { cronJob, now } = input;
  const { generation, certain } = controllerGeneration(input.serverVersion);
  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC');
  const lookback = lookbackStart(input, reading);
  const known = lastKnownStart(cronJob);
  const earliest = known < lookback ? known : lookback;
  const floor = new Date(now.getTime() - VERDICT_WINDOW_MS);
  const windowCapped = earliest < floor;
  return {
    input,
    name: cronJob.metadata.name ?? '',
    namespace: cronJob.metadata.namespace ?? 'default',
    now,
    generation,
    generationCertain: certain,
    reading,
    decision: syncDecision(input),
    owned: input.jobs.filter((j) => isOwnedBy(j, cronJob, generation)),
    events: cronJobEvents(cronJob, input.events),
    misses: listMisses({ ...input, since: windowCapped ? floor : earliest, until: now }),
    windowCapped,
    lookback,
  };
}

/** `kubectl patch cronjob <name> -n <ns> --type=merge -p '<json>'`. */
export function patchCommand(ctx: VerdictContext, patch: unknown): string {
  return `kubectl patch cronjob ${ctx.name} -n ${ctx.namespace} --type=merge -p '${JSON.stringify(patch)}'`;
}

/** Evidence read from the CronJob itself: the value is whatever it holds at `path`. */
export function fromCronJob(ctx: VerdictContext, path: string, text: (value: any) => string, time?: Date | string | null): Evidence {
  return observed({ obj: ctx.input.cronJob }, path, text, { time: time ?? null });
}

/** Evidence read from one of the Jobs (a field when `path` is given, else the object itself). */
export function fromJob(job: Job, path: string | null, text: (value: any) => string, time?: Date | string | null): Evidence {
  const ref = `job/${job.metadata.name}`;
  if (path === null) return observedObject(ref, text(undefined), typeof time === 'string' ? new Date(time) : time ?? null);
  return observed({ obj: job, ref }, path, text, { time: time ?? null });
}

/** "`0 * * * *` in Europe/Berlin" style description of how the schedule is read. */
export function describeSchedule(ctx: VerdictContext): string {
  const src = ctx.reading.zoneSource === 'controller' ? " (kube-controller-manager's zone, assumed)" : '';
  return `"${ctx.input.cronJob.spec.schedule}" in ${ctx.reading.zone}${src}`;
}
