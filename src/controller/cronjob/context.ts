// What every cause finder looks at, computed once per verdict, plus small helpers for evidence and fixes.

import type { Job, KubeEvent } from '../types.js';
import type { Evidence } from '../verdict.js';
import { cronJobEvents } from './evidence.js';
import { isOwnedBy } from './jobs.js';
import { listMisses, type MissesReport } from './misses.js';
import { lastKnownStart } from './most-recent.js';
import { controllerGeneration, readSchedule } from './schedule.js';
import { syncDecision } from './sync.js';
import type { ControllerGeneration, CronJobInput, ScheduleReading, SyncDecision } from './types.js';
import { rfc3339 } from '../time.js';

/** How far back a verdict classifies missed schedule times. */
export const VERDICT_WINDOW_MS = 31 * 24 * 3600 * 1000;

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
}

/** Builds the shared context (one sync decision, one misses pass). */
export function buildContext(input: CronJobInput): VerdictContext {
  const { cronJob, now } = input;
  const { generation, certain } = controllerGeneration(input.serverVersion);
  const earliest = lastKnownStart(cronJob);
  const floor = new Date(now.getTime() - VERDICT_WINDOW_MS);
  const windowCapped = earliest < floor;
  return {
    input,
    name: cronJob.metadata.name ?? '',
    namespace: cronJob.metadata.namespace ?? 'default',
    now,
    generation,
    generationCertain: certain,
    reading: readSchedule(cronJob, generation, input.controllerZone ?? 'UTC'),
    decision: syncDecision(input),
    owned: input.jobs.filter((j) => isOwnedBy(j, cronJob, generation)),
    events: cronJobEvents(cronJob, input.events),
    misses: listMisses({ ...input, since: windowCapped ? floor : earliest, until: now }),
    windowCapped,
  };
}

/** `kubectl patch cronjob <name> -n <ns> --type=merge -p '<json>'`. */
export function patchCommand(ctx: VerdictContext, patch: unknown): string {
  return `kubectl patch cronjob ${ctx.name} -n ${ctx.namespace} --type=merge -p '${JSON.stringify(patch)}'`;
}

/** Evidence read from the CronJob's spec/status/metadata. */
export function field(source: Evidence['source'], path: string, value: unknown, text: string, time?: Date | null): Evidence {
  return { source, field: path, value, ...(time ? { time: rfc3339(time) } : {}), text };
}

/** Evidence computed by re-running the controller logic. */
export function computed(text: string, value?: unknown, time?: Date | null): Evidence {
  return { source: 'computed', ...(value !== undefined ? { value } : {}), ...(time ? { time: rfc3339(time) } : {}), text };
}

/** Evidence about a Job. */
export function jobFact(job: Job | string, text: string, path?: string, value?: unknown, time?: Date | null): Evidence {
  const name = typeof job === 'string' ? job : job.metadata.name;
  return {
    source: 'job', object: `job/${name}`, ...(path ? { field: path } : {}), ...(value !== undefined ? { value } : {}),
    ...(time ? { time: rfc3339(time) } : {}), text,
  };
}

/** "`0 * * * *` in Europe/Berlin" style description of how the schedule is read. */
export function describeSchedule(ctx: VerdictContext): string {
  const src = ctx.reading.zoneSource === 'controller' ? " (kube-controller-manager's zone, assumed)" : '';
  return `"${ctx.input.cronJob.spec.schedule}" in ${ctx.reading.zone}${src}`;
}
