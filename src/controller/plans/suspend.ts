// Plans `suspend` / `unsuspend` of one CronJob: whether anything changes, the guarded patch, and
// (for unsuspend) what the CronJob controller does right after the resume, from its own model.
import { predictAfterResume, type ControllerEvent, type MissedSchedules, type SyncReason } from '../cronjob/index.js';
import type { CronJob, Job, ServerVersion } from '../../api/types.js';

/** What planSuspend needs; `now` is the instant the prediction is made for. */
export interface SuspendInput {
  cronJob: CronJob;
  /** The state wanted: true = suspend, false = resume. */
  suspend: boolean;
  /** Jobs of the CronJob's namespace (the controller reconciles its active list against them). */
  jobs: Job[];
  serverVersion?: ServerVersion;
  now: Date;
  /** kube-controller-manager's zone for CronJobs without .spec.timeZone. */
  controllerZone?: string;
}

/** What the controller does at its first sync after the resume. */
export interface ResumePrediction {
  /** create = a Job starts at once; skip = a due time is skipped; none = nothing until the next time. */
  action: 'create' | 'skip' | 'none';
  reason: SyncReason;
  /** True when the Job it starts is for a time that has already passed (a catch-up run). */
  catchUp: boolean;
  /** The schedule time it acts on (RFC 3339), if any. */
  scheduledTime: string | null;
  /** The Job it creates (or would have created). */
  jobName: string | null;
  missed: MissedSchedules;
  /** Upstream's approximate count of missed start times since the first unmet one. */
  missedCount: number;
  /** Missed times that will never run (all but the one caught up). */
  dropped: number;
  /** When the controller next wakes up for this CronJob (RFC 3339, whole seconds), if known. */
  nextRunAt: string | null;
  /** Events it records at that sync (TooManyMissedTimes, JobAlreadyActive, InvalidSchedule, ...). */
  events: ControllerEvent[];
  /** `.status.active` after its reconciliation. */
  active: string[];
  /** Missed times the controller skips because they are older than startingDeadlineSeconds (null when none). */
  pastDeadline: { scheduledTime: string; missedCount: number; deadlineSeconds: number } | null;
}

/** The merge patch sent: `metadata.resourceVersion` makes the server refuse it (409) if the CronJob changed since it was read. */
export interface SuspendPatch {
  metadata: { resourceVersion: string };
  spec: { suspend: boolean };
}

/** One CronJob's suspend/unsuspend plan. */
export interface SuspendPlan {
  namespace: string;
  name: string;
  /** Current `.spec.suspend` (unset counts as false). */
  suspended: boolean;
  /** The state wanted. */
  suspend: boolean;
  /** Already in the wanted state: no patch is sent. */
  noop: boolean;
  patch: SuspendPatch;
  /** The CronJob as the patch leaves it (printed by --dry-run=client). */
  result: CronJob;
  /** Running Jobs, which suspend does not stop. */
  active: string[];
  /** For a resume that changes something: what happens at once. */
  resume: ResumePrediction | null;
}

const floorSecond = (iso: string | null): string | null =>
  iso === null ? null : new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

/** Plans setting `.spec.suspend` to `input.suspend`, with the resume prediction when resuming. */
export function planSuspend(input: SuspendInput): SuspendPlan {
  const { cronJob, suspend } = input;
  const suspended = cronJob.spec.suspend === true;
  const noop = suspended === suspend;
  const rv = cronJob.metadata.resourceVersion ?? '';
  const result: CronJob = { ...cronJob, spec: { ...cronJob.spec, suspend } };
  let resume: ResumePrediction | null = null;
  if (!suspend && !noop) {
    const { decision, catchUp, dropped } = predictAfterResume({
      cronJob,
      jobs: input.jobs,
      events: [],
      serverVersion: input.serverVersion,
      now: input.now,
      controllerZone: input.controllerZone,
    });
    resume = {
      action: decision.action,
      reason: decision.reason,
      catchUp,
      scheduledTime: decision.scheduledTime,
      jobName: decision.jobName,
      missed: decision.missed,
      missedCount: decision.missedCount,
      dropped,
      // requeueAt carries the controller's 100 ms of padding; the run itself is on the second.
      nextRunAt: floorSecond(decision.requeueAt),
      events: decision.events.filter((e) => e.reason !== 'SuccessfulCreate' && e.reason !== 'SuccessfulDelete'),
      active: decision.active,
      pastDeadline: null,
    };
    const sds = cronJob.spec.startingDeadlineSeconds;
    if (decision.reason === 'NotDueYet' && sds != null) {
      // Without the deadline the controller would have caught up: say which time the deadline drops.
      const free = predictAfterResume({
        cronJob: { ...cronJob, spec: { ...cronJob.spec, startingDeadlineSeconds: undefined } },
        jobs: input.jobs,
        events: [],
        serverVersion: input.serverVersion,
        now: input.now,
        controllerZone: input.controllerZone,
      }).decision;
      if (free.scheduledTime)
        resume.pastDeadline = {
          scheduledTime: free.scheduledTime,
          missedCount: free.missedCount,
          deadlineSeconds: sds,
        };
    }
  }
  return {
    namespace: cronJob.metadata.namespace ?? 'default',
    name: cronJob.metadata.name ?? '',
    suspended,
    suspend,
    noop,
    patch: { metadata: { resourceVersion: rv }, spec: { suspend } },
    result,
    active: (cronJob.status?.active ?? []).map((r) => r.name ?? '').filter(Boolean),
    resume,
  };
}
