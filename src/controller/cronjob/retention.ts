// Could a Job for a past schedule time have existed and been removed since? The CronJob's Jobs
// disappear in only a few ways: the history limits (after every sync the controller deletes the
// OLDEST finished Jobs, successful and failed counted apart, beyond successfulJobsHistoryLimit /
// failedJobsHistoryLimit), ttlSecondsAfterFinished (finish time + TTL, so also oldest-finished
// first), Replace (deletes the running Job when the next run starts) and deletion by hand. The
// first three leave a trace in the Jobs that are still kept: a finished Job kept from BEFORE a time
// proves that no Job of the same class finished after it was removed by a limit or a TTL. From
// that, a time with no Job can be proved never to have had one. Deletion by hand is the stated
// assumption (README): `kubectl job clean --older-than` deletes oldest first too, so a proof that
// rests on a kept older Job stays sound; the count rule (fewer kept than the limit) is only used
// beside such a Job.

import type { CronJob, Job } from '../../api/types.js';
import { derived } from '../observe.js';
import type { Evidence } from '../verdict.js';
import {
  DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
  DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
  finishedStatus,
  isOwnedBy,
  jobEnd,
  scheduledTimeOfJob,
} from './jobs.js';
import { parseTime, rfc3339 } from '../time.js';
import type { ControllerGeneration } from './types.js';

/** What removes a Job, and whether it can be excluded for a given time. */
export interface Retention {
  /** True when no Job created for a time `ms` (epoch ms) can have been removed since: so, if none
   * exists and no event names one, none was ever created. `createdFrom` is the earliest instant
   * such a Job can have been created (later than `ms` when Forbid held it back). */
  excludesRemovalAt(ms: number, createdFrom?: number): boolean;
  /** The derived evidence behind excludesRemovalAt(ms) (call only where it is true). */
  proofAt(ms: number): Evidence;
  /** What may have removed a Job for time `ms` (for "unknown" explanations). */
  removersAt(ms: number): string[];
  /** True when neither history limit can have removed a finished Job (count rule), so a Job the
   * controller deleted must have been deleted while running (Replace). */
  noHistoryPruning: boolean;
  /** True when concurrencyPolicy, the limits and the TTL were last written before `ms` (managedFields). */
  policyStableAt(ms: number): boolean;
}

/** managedFields paths of the spec fields the proof depends on. */
const RULE_FIELDS: string[][] = [
  ['f:spec', 'f:successfulJobsHistoryLimit'],
  ['f:spec', 'f:failedJobsHistoryLimit'],
  ['f:spec', 'f:concurrencyPolicy'],
  ['f:spec', 'f:jobTemplate', 'f:spec', 'f:ttlSecondsAfterFinished'],
];

function owns(fields: unknown, path: string[]): boolean {
  let node = fields;
  for (const key of path) {
    if (!node || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** The latest time any of the rule fields was written (managedFields), or -Infinity when unknown. */
function rulesWrittenAt(cronJob: CronJob): number {
  let latest = -Infinity;
  for (const m of cronJob.metadata.managedFields ?? []) {
    if (m.subresource) continue;
    if (!RULE_FIELDS.some((p) => owns(m.fieldsV1, p))) continue;
    const t = parseTime(m.time)?.getTime();
    if (t !== undefined && t > latest) latest = t;
  }
  return latest;
}

interface ClassFacts {
  label: 'successful' | 'failed';
  limit: number | undefined;
  kept: Job[];
  /** [startTime, end] of the kept Jobs that have a startTime, sorted by start. */
  spans: Array<[number, number]>;
  /** Earliest finish among the kept Jobs of the class (Infinity when none). */
  firstEnd: number;
  firstJob: Job | undefined;
}

function classFacts(label: ClassFacts['label'], limit: number | undefined, kept: Job[]): ClassFacts {
  let firstEnd = Infinity;
  let firstJob: Job | undefined;
  const spans: Array<[number, number]> = [];
  for (const j of kept) {
    // Pruning sorts by startTime, Jobs without one last: only a Job with a startTime proves the order.
    const start = parseTime(j.status?.startTime)?.getTime();
    const end = jobEnd(j)?.getTime();
    if (start === undefined || end === undefined) continue;
    spans.push([start, end]);
    if (end < firstEnd) [firstEnd, firstJob] = [end, j];
  }
  spans.sort((a, b) => a[0] - b[0]);
  return { label, limit, kept, spans, firstEnd, firstJob };
}

/** Works out the retention facts of a CronJob from its Jobs that are still kept. */
export function retentionOf(cronJob: CronJob, jobs: Job[], generation: ControllerGeneration): Retention {
  const owned = jobs.filter((j) => isOwnedBy(j, cronJob, generation));
  const spec = cronJob.spec;
  // The API server defaults unset limits (3 and 1), so an object read from it always has them; a
  // hand-written snapshot without them is read as having the defaults (the cautious reading).
  const ok = classFacts(
    'successful',
    spec.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
    owned.filter((j) => finishedStatus(j) === 'Complete'),
  );
  const failed = classFacts(
    'failed',
    spec.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
    owned.filter((j) => finishedStatus(j) === 'Failed'),
  );
  const cleanupOff = false;
  const ttl = spec.jobTemplate?.spec?.ttlSecondsAfterFinished;
  const anyFirst = ok.firstEnd <= failed.firstEnd ? ok : failed;
  const rulesSince = rulesWrittenAt(cronJob);
  const replace = spec.concurrencyPolicy === 'Replace';
  // The Job for lastScheduleTime was created (the controller moves lastScheduleTime only when it
  // creates one). If it is gone although no limit can have pruned it, something else deletes
  // Jobs here (by hand, a TTL set at the time, a cleanup tool): then the count rule proves nothing.
  const last = parseTime(cronJob.status?.lastScheduleTime)?.getTime();
  const lastGone =
    last !== undefined && !owned.some((j) => scheduledTimeOfJob(j, cronJob.metadata.name ?? '')?.getTime() === last);

  // The count rule: a limit leaves exactly `limit` Jobs of its class and later ones only add, so
  // fewer kept than the limit means that limit never removed one (no TTL, no deletion by hand).
  const countRule = ttl == null && !lastGone;
  const neverPruned = (c: ClassFacts): boolean => countRule && c.limit != null && c.kept.length < c.limit;
  // A kept Job Y of the class that started no later than `ms` and had finished by `createdFrom`
  // is older than any Job X for `ms` and was finished whenever X could be pruned: X went first.
  const olderKept = (c: ClassFacts, ms: number, createdFrom: number): boolean => {
    if (c.firstEnd <= ms) return true;
    if (createdFrom <= ms) return false; // the same test as firstEnd <= ms
    for (const [start, end] of c.spans) {
      if (start > ms) break;
      if (end <= createdFrom) return true;
    }
    return false;
  };
  const classExcluded = (c: ClassFacts, ms: number, createdFrom = ms): boolean =>
    cleanupOff || c.limit == null || olderKept(c, ms, createdFrom) || (neverPruned(c) && rulesSince <= ms);
  // The count rule alone would also "prove" gaps that a cleanup by age (`kubectl job clean
  // --older-than`, a TTL set at the time) made: so it is used only next to an older Job that is
  // still kept, which shows no removal by age reached this far back.
  const anchored = (ms: number, createdFrom = ms): boolean =>
    olderKept(ok, ms, createdFrom) || olderKept(failed, ms, createdFrom);
  const ttlExcluded = (ms: number): boolean => (ttl == null && rulesSince <= ms) || anyFirst.firstEnd <= ms;
  const replaceExcluded = (ms: number): boolean => !replace && rulesSince <= ms;

  const describe = (c: ClassFacts, ms: number): string => {
    if (cleanupOff || c.limit == null) return `no ${c.label} history limit is set`;
    if (c.firstEnd <= ms && c.firstJob)
      return `job/${c.firstJob.metadata.name} (${c.label === 'successful' ? 'succeeded' : 'failed'} ${rfc3339(c.firstEnd)}) is still kept, and ${c.label} Jobs are removed oldest first`;
    if (c.firstEnd <= ms)
      return `job/${c.firstJob!.metadata.name} (${c.label === 'successful' ? 'succeeded' : 'failed'} ${rfc3339(c.firstEnd)}) is still kept, and ${c.label} Jobs are removed oldest first`;
    return `${c.kept.length} ${c.label} Job(s) kept, fewer than ${c.label}JobsHistoryLimit ${c.limit}, so that limit never removed one`;
  };

  return {
    excludesRemovalAt(ms, createdFrom = ms) {
      return (
        anchored(ms, createdFrom) &&
        classExcluded(ok, ms, createdFrom) &&
        classExcluded(failed, ms, createdFrom) &&
        ttlExcluded(ms) &&
        replaceExcluded(ms)
      );
    },
    proofAt(ms) {
      const parts = [describe(ok, ms), describe(failed, ms)];
      if (ttl != null) parts.push(`ttlSecondsAfterFinished removes finished Jobs oldest first too`);
      parts.push(`concurrencyPolicy is ${spec.concurrencyPolicy ?? 'Allow'}, not Replace`);
      return derived(
        `no Job for these times can have been removed: ${parts.join('; ')} (assuming no Job of this CronJob was deleted other than by the controller, oldest first, or by TTL)`,
      );
    },
    removersAt(ms) {
      const out: string[] = [];
      if (!classExcluded(ok, ms)) out.push(`successfulJobsHistoryLimit (${ok.limit})`);
      if (!classExcluded(failed, ms)) out.push(`failedJobsHistoryLimit (${failed.limit})`);
      if (!ttlExcluded(ms))
        out.push(ttl != null ? `ttlSecondsAfterFinished (${ttl}s)` : 'a TTL or limit set at the time');
      if (!replaceExcluded(ms))
        out.push(replace ? 'Replace (deleted while running)' : 'a concurrencyPolicy set at the time');
      return out;
    },
    policyStableAt: (ms) => rulesSince <= ms,
    noHistoryPruning:
      ttl == null &&
      (cleanupOff || ((ok.limit == null || neverPruned(ok)) && (failed.limit == null || neverPruned(failed)))),
  };
}
