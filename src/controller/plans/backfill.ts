// Plans `trigger --for TIME` and `trigger --missed --since WINDOW`: the Jobs the CronJob controller
// would have created for past schedule times (its name for the time, its scheduled-timestamp
// annotation, the template's labels, its controller reference), and the times refused: not a
// schedule time, not yet due, or already run (a Job of that name, or one annotated for that time).
// Pure: `now` and the Jobs are passed in; which times count as missed is the misses model's call.
import {
  controllerGeneration,
  isOwnedBy,
  jobNameFor,
  listMisses,
  scheduledTimeOfJob,
  SCHEDULED_TIMESTAMP_ANNOTATION,
  type SlotFate,
} from '../cronjob/index.js';
import { NOT_RUN_FATES } from '../cronjob/misses.js';
import { jobAnnotations } from '../cronjob/sync.js';
import type { CronJobInput } from '../cronjob/types.js';
import { rfc3339 } from '../time.js';
import type { CronJob, Job, OwnerReference } from '../../api/types.js';

/** How the created Job points at its CronJob (see ownerReferenceFor). */
export type OwnerMode = 'controller' | 'plain' | 'none';
export const OWNER_MODES: readonly OwnerMode[] = ['controller', 'plain', 'none'];

/** What planBackfill needs: the model input, and either explicit times or a window for the missed ones. */
export interface BackfillInput extends CronJobInput {
  /** --for: these times, each checked. */
  times?: Date[];
  /** --missed --since: the window (since, now]; the slots the misses model calls not run. */
  missedSince?: Date;
  /** Default 'controller': the reference the controller itself writes. */
  owner?: OwnerMode;
}

/** One time: the Job to create, or why not. */
export interface BackfillItem {
  /** RFC 3339 (UTC). */
  time: string;
  /** The controller's name for the time. */
  name: string;
  /** What `misses` says of the time (null when it is not a schedule time). */
  fate: SlotFate | null;
  job: Job | null;
  /** Why the time is refused (no Job then). */
  refused: string | null;
}

/** The plan: every time asked for (or found missed), in time order. */
export interface BackfillPlan {
  namespace: string;
  cronJob: string;
  items: BackfillItem[];
  /** The missed fates taken by --missed. */
  fates: readonly SlotFate[];
}

/** The ownerReference for a Job made from the CronJob:
 * - controller: `controller: true, blockOwnerDeletion: true`, as the CronJob controller writes it
 * - kubectl: `controller: true` without blockOwnerDeletion, as `kubectl create job --from` writes it
 * - plain: `controller: false`, so the CronJob controller ignores the Job (the garbage collector still deletes it with the CronJob)
 * - none: no reference at all */
export function ownerReferenceFor(cronJob: CronJob, mode: OwnerMode | 'kubectl'): OwnerReference[] {
  const base = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: cronJob.metadata.name ?? '',
    uid: cronJob.metadata.uid ?? '',
  };
  switch (mode) {
    case 'controller':
      return [{ ...base, controller: true, blockOwnerDeletion: true }];
    case 'kubectl':
      return [{ ...base, controller: true }];
    case 'plain':
      return [{ ...base, controller: false }];
    case 'none':
      return [];
  }
}

/** The Job the controller creates for `scheduled` (getJobFromTemplate2's shape), with the chosen reference. */
export function controllerJobFor(input: CronJobInput, scheduled: Date, owner: OwnerMode = 'controller'): Job {
  const { cronJob } = input;
  const { generation } = controllerGeneration(input.serverVersion);
  const template = cronJob.spec.jobTemplate ?? { spec: { template: { spec: { containers: [] } } } };
  const ownerReferences = ownerReferenceFor(cronJob, owner);
  const annotations = jobAnnotations(input, scheduled);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob.metadata.name ?? '', scheduled, generation),
      namespace: cronJob.metadata.namespace ?? 'default',
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(ownerReferences.length ? { ownerReferences } : {}),
    },
    spec: structuredClone(template.spec),
  };
}

/** Plans the Jobs for the times asked for (or the missed times of the window). */
export function planBackfill(input: BackfillInput): BackfillPlan {
  const { cronJob, now } = input;
  const cjName = cronJob.metadata.name ?? '';
  const { generation } = controllerGeneration(input.serverVersion);
  const owner = input.owner ?? 'controller';
  const plan: BackfillPlan = {
    namespace: cronJob.metadata.namespace ?? 'default',
    cronJob: cjName,
    items: [],
    fates: NOT_RUN_FATES,
  };
  const byName = new Map(
    input.jobs
      .filter((j) => !j.metadata.namespace || j.metadata.namespace === plan.namespace)
      .map((j) => [j.metadata.name ?? '', j]),
  );
  // Jobs of this CronJob by the time they stand for (annotation, else the controller's name).
  const byTime = new Map<number, Job>();
  for (const j of input.jobs) {
    if (!isOwnedBy(j, cronJob, generation)) continue;
    const t = j.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION] ? scheduledTimeOfJob(j, cjName) : null;
    if (t) byTime.set(t.getTime(), j);
  }
  const item = (t: Date, fate: SlotFate | null, notSchedule: string | null): BackfillItem => {
    const name = jobNameFor(cjName, t, generation);
    const it: BackfillItem = { time: rfc3339(t), name, fate, job: null, refused: null };
    const sameName = byName.get(name);
    const sameTime = byTime.get(t.getTime());
    if (t.getTime() > now.getTime())
      it.refused = `not due yet: the controller creates job/${name} itself at ${rfc3339(t)}`;
    else if (notSchedule) it.refused = notSchedule;
    else if (sameName)
      it.refused = `job/${name} already exists${sameName.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION] ? ` (scheduled for ${sameName.metadata.annotations[SCHEDULED_TIMESTAMP_ANNOTATION]})` : ''}`;
    else if (sameTime)
      it.refused = `job/${sameTime.metadata.name} already ran it (annotation ${SCHEDULED_TIMESTAMP_ANNOTATION}=${sameTime.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION]})`;
    else if (fate === 'due') it.refused = `due now: the controller is about to create job/${name} itself`;
    else it.job = controllerJobFor(input, t, owner);
    return it;
  };

  if (input.missedSince) {
    const report = listMisses({ ...input, since: input.missedSince, until: now });
    if (report.error) throw new BackfillError(`cannot read the schedule of cronjob/${cjName}: ${report.error}`);
    const s = report.slots;
    for (let i = 0; i < s.length; i++) {
      const fate = s.fate(i);
      if (NOT_RUN_FATES.includes(fate)) plan.items.push(item(new Date(s.times[i]!), fate, null));
    }
  }
  for (const t of input.times ?? []) {
    // A schedule time is a slot of the misses model's walk over (t - 1 ms, t]: the same walk the
    // controller's schedule makes (@every chains from lastScheduleTime or creation included).
    const report = listMisses({ ...input, since: new Date(t.getTime() - 1), until: t });
    if (report.error) throw new BackfillError(`cannot read the schedule of cronjob/${cjName}: ${report.error}`);
    const s = report.slots;
    const at = s.length > 0 && s.times[0] === t.getTime() ? 0 : -1;
    const notSchedule =
      at < 0 ? `${rfc3339(t)} is not a time of the schedule "${cronJob.spec.schedule}" (${report.zone})` : null;
    const fate = at < 0 ? null : s.fate(at);
    if (plan.items.some((x) => x.time === rfc3339(t))) continue;
    plan.items.push(item(t, fate === 'future' ? null : fate, t.getTime() > now.getTime() ? null : notSchedule));
  }
  plan.items.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return plan;
}

/** The schedule cannot be read: nothing can be planned. */
export class BackfillError extends Error {
  override name = 'BackfillError';
}
