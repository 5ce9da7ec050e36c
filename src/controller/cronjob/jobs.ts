// The CronJob controller's view of its Jobs: ownership, naming, finished state, the
// `.status.active` reconciliation and the history-limit cleanup (behaviour of
// cronjob_controllerv2.go / utils.go, Kubernetes 1.36; legacy v1 from release-1.20).

import type { Condition, CronJob, Job, ObjectReference, ServerVersion } from '../../api/types.js';
import type { ControllerEvent, ControllerGeneration, JobDeletion } from './types.js';
import { parseTime } from '../time.js';

/** Annotation kubectl (`create job --from=cronjob/x`) puts on a manual Job. */
export const MANUAL_ANNOTATION = 'cronjob.kubernetes.io/instantiate';
/** Annotation the controller puts on the Jobs it creates (≥1.28), RFC 3339 in the CronJob's zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Kueue's queue label on a Job. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/** Default the API server fills in for successfulJobsHistoryLimit. */
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
/** Default the API server fills in for failedJobsHistoryLimit. */
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/** The Complete=True or Failed=True condition of a Job, if it has finished. */
export function finishedCondition(job: Job): Condition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** 'Complete' / 'Failed' when finished, else null. */
export function finishedStatus(job: Job): 'Complete' | 'Failed' | null {
  const c = finishedCondition(job);
  return c ? (c.type as 'Complete' | 'Failed') : null;
}

/** What a Job is doing, for timelines. */
export type JobOutcome = 'succeeded' | 'failed' | 'running' | 'suspended' | 'deleting';

/** The outcome of one Job. */
export function jobOutcome(job: Job): JobOutcome {
  const f = finishedStatus(job);
  if (f === 'Complete') return 'succeeded';
  if (f === 'Failed') return 'failed';
  if (job.metadata.deletionTimestamp) return 'deleting';
  if (job.spec.suspend) return 'suspended';
  return 'running';
}

/** When a Job started (status.startTime, else creationTimestamp). */
export function jobStart(job: Job): Date | null {
  return parseTime(job.status?.startTime) ?? parseTime(job.metadata.creationTimestamp);
}

/** When a Job stopped being active (completionTime, else the finished condition's transition time), null while it runs. */
export function jobEnd(job: Job): Date | null {
  const c = finishedCondition(job);
  if (!c) return null;
  return parseTime(job.status?.completionTime) ?? parseTime(c.lastTransitionTime) ?? jobStart(job);
}

/** True for a Job created by hand from the CronJob (annotation `cronjob.kubernetes.io/instantiate: manual`). */
export function isManual(job: Job): boolean {
  return job.metadata.annotations?.[MANUAL_ANNOTATION] === 'manual';
}

/** The Kueue queue a Job is submitted to (label kueue.x-k8s.io/queue-name), or null. */
export function queueName(job: Job): string | null {
  return job.metadata.labels?.[KUEUE_QUEUE_LABEL] ?? null;
}

/** The controller reference of a Job, if any. */
export function controllerRef(job: Job) {
  return job.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Whether the controller counts a Job as its child: v2 matches the controller reference by name
 * only; v1 by kind CronJob and UID. */
export function isOwnedBy(job: Job, cronJob: CronJob, generation: ControllerGeneration): boolean {
  const ref = controllerRef(job);
  if (!ref) return false;
  const [jobNs, cjNs] = [job.metadata.namespace, cronJob.metadata.namespace];
  if (jobNs && cjNs && jobNs !== cjNs) return false;
  if (generation === 'v2') return ref.name === cronJob.metadata.name;
  return ref.kind === 'CronJob' && ref.uid === cronJob.metadata.uid;
}

/** The Jobs one v2 sync reconciles: up to 1.36 every Job of the namespace whose controller reference
 * names the CronJob (any UID, any kind); from 1.37 (or unknown version) the Jobs whose controller
 * reference carries the CronJob's UID (an index over all namespaces). */
export function isReconciledChild(job: Job, cronJob: CronJob, v?: ServerVersion): boolean {
  const ref = controllerRef(job);
  if (!ref) return false;
  if (!v || v.major > 1 || v.minor >= 37) return ref.uid !== undefined && ref.uid === cronJob.metadata.uid;
  const [jobNs, cjNs] = [job.metadata.namespace, cronJob.metadata.namespace];
  if (jobNs && cjNs && jobNs !== cjNs) return false;
  return ref.name === cronJob.metadata.name;
}

/** Name of the Job for a schedule time: `<name>-<unix minutes>` (v2) or `<name>-<unix seconds>` (v1). */
export function jobNameFor(cronJobName: string, scheduledTime: Date, generation: ControllerGeneration = 'v2'): string {
  const seconds = Math.floor(scheduledTime.getTime() / 1000);
  return `${cronJobName}-${generation === 'v2' ? Math.floor(seconds / 60) : seconds}`;
}

/** The schedule time a controller-made Job stands for: its scheduled-timestamp annotation, else the
 * number its name ends with (minutes from v2, seconds from v1); null for other Jobs. */
export function scheduledTimeOfJob(job: Job, cronJobName: string): Date | null {
  const ann = parseTime(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION]);
  if (ann) return ann;
  const name = job.metadata.name ?? '';
  if (!name.startsWith(`${cronJobName}-`)) return null;
  const suffix = name.slice(cronJobName.length + 1);
  if (!/^\d{1,11}$/.test(suffix)) return null;
  const n = Number(suffix);
  // Minutes since the epoch stay below 1e9 until the year 3871; seconds passed 1e9 in 2001.
  return new Date(n < 1e9 ? n * 60_000 : n * 1000);
}

/** Compares Jobs the way byJobStartTime sorts them: by startTime, Jobs without one last, name as tie-break. */
export function byJobStartTime(a: Job, b: Job): number {
  const sa = parseTime(a.status?.startTime);
  const sb = parseTime(b.status?.startTime);
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (!sa || !sb || sa.getTime() === sb.getTime())
    return (a.metadata.name ?? '') < (b.metadata.name ?? '')
      ? -1
      : (a.metadata.name ?? '') > (b.metadata.name ?? '')
        ? 1
        : 0;
  return sa.getTime() - sb.getTime();
}

/** Finished Jobs the history limits delete (oldest first by byJobStartTime). Nothing when both limits are unset. */
export function cleanupFinishedJobs(cronJob: CronJob, owned: Job[]): JobDeletion[] {
  const { successfulJobsHistoryLimit: okLimit, failedJobsHistoryLimit: failLimit } = cronJob.spec;
  if (okLimit == null && failLimit == null) return [];
  const out: JobDeletion[] = [];
  const prune = (list: Job[], limit: number | undefined, kind: 'successful' | 'failed'): void => {
    if (limit == null || list.length <= limit) return;
    const sorted = [...list].sort(byJobStartTime);
    for (const j of sorted.slice(0, list.length - limit))
      out.push({ name: j.metadata.name ?? '', why: 'history-limit', list: kind });
  };
  prune(
    owned.filter((j) => finishedStatus(j) === 'Complete'),
    okLimit,
    'successful',
  );
  prune(
    owned.filter((j) => finishedStatus(j) === 'Failed'),
    failLimit,
    'failed',
  );
  return out;
}

/** Result of reconciling `.status.active` with the Jobs that exist:
 * - `active`: the references left
 * - `unexpected`: unfinished owned Jobs missing from the list (UnexpectedJob)
 * - `completed`: listed Jobs that finished (SawCompletedJob)
 * - `missing`: listed Jobs that no longer exist (MissingJob) */
export interface ActiveReconciliation {
  active: ObjectReference[];
  unexpected: Job[];
  completed: Job[];
  missing: ObjectReference[];
  events: ControllerEvent[];
}

/** Reconciles `.status.active` against the owned Jobs, as the first step of every sync. */
export function reconcileActive(
  cronJob: CronJob,
  owned: Job[],
  generation: ControllerGeneration,
): ActiveReconciliation {
  const listed = cronJob.status?.active ?? [];
  const listedUids = new Set(listed.map((r) => r.uid));
  const out: ActiveReconciliation = { active: [], unexpected: [], completed: [], missing: [], events: [] };
  const removed = new Set<string | undefined>();
  const childUids = new Set<string | undefined>();
  for (const j of owned) {
    childUids.add(j.metadata.uid);
    const found = listedUids.has(j.metadata.uid);
    const finished = finishedStatus(j);
    if (!found && !finished) {
      out.unexpected.push(j);
      out.events.push({
        type: 'Warning',
        reason: 'UnexpectedJob',
        message: `Saw a job that the controller did not create or forgot: ${j.metadata.name}`,
      });
    } else if (found && finished) {
      out.completed.push(j);
      removed.add(j.metadata.uid);
      const message =
        generation === 'v2'
          ? `Saw completed job: ${j.metadata.name}, condition: ${finished}`
          : `Saw completed job: ${j.metadata.name}`;
      out.events.push({ type: 'Normal', reason: 'SawCompletedJob', message });
    }
  }
  for (const ref of listed) {
    if (removed.has(ref.uid)) continue;
    if (!childUids.has(ref.uid)) {
      out.missing.push(ref);
      out.events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${ref.name}` });
      continue;
    }
    out.active.push(ref);
  }
  return out;
}
