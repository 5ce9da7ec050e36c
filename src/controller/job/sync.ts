// One pass of the Job controller over a Job, as data: what it would write and do if it synced the
// Job at `now` with an empty memory (no earlier backoff record, no pending expectations). This is
// the model that `why job/X -o json` reports as `decision` and that the differential test
// (test/controller/job/controller-differential.test.ts) checks against the controller's own
// syncJob on every supported minor. Behaviour notes (from reading pkg/controller/job at
// v1.31-v1.37, re-expressed here):
// - Only pods that still carry the tracking finalizer are new to the controller; the others are
//   already in status (failed/succeeded/completedIndexes) or in uncountedTerminatedPods.
// - For Indexed Jobs a pod only counts (failed, succeeded, failed index) when its completion
//   index annotation parses as a non-negative int and is below completions.
// - Fate is decided in this order: an existing SuccessCriteriaMet, an existing FailureTarget,
//   a FailJob rule, backoffLimit (pods, or restarts under OnFailure), activeDeadlineSeconds,
//   maxFailedIndexes, FailedIndexes, successPolicy; then, after pods are managed, completions.
// - A failing or succeeding Job first gets its interim condition (FailureTarget /
//   SuccessCriteriaMet, v1.31+); the final one is added in the same pass when nothing is left
//   uncounted or terminating.
import type { Condition, Job, Pod, ServerVersion } from '../../api/types.js';
import { jobContext, type JobContext } from './context.js';
import { failedPods, failsIndex, type FailedPod } from './failures.js';
import {
  formatIndexes,
  fromIndexes,
  has,
  matchSuccessPolicy,
  parseIndexes,
  total,
  union,
  type Interval,
} from './indexes.js';
import { backoffDelaySeconds, backoffRecord, retryAt } from './backoff.js';
import { maxBackoffSeconds } from './features.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  annotationCount,
  controllerIndex,
  finishedTime,
  hasTrackingFinalizer,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  isActive,
  isPodFailed,
  isTerminating,
  restartSum,
} from './pods.js';
import { rfc3339 } from '../time.js';
import { podCondition } from './util.js';
import type { DecisionCondition, JobSyncDecision } from './types.js';

/** Syncs shorter than this are batched (SyncJobBatchPeriod). */
const MIN_REQUEUE_MS = 1000;
/** Pods created or deleted per pass at most (MaxPodCreateDeletePerSync). */
const MAX_PODS_PER_PASS = 500;

interface Cond {
  type: string;
  reason: string;
  message: string;
}

function trueCond(job: Job, type: string): Condition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function ready(p: Pod): boolean {
  return podCondition(p, 'Ready')?.status === 'True';
}

/** Removal order of active pods the controller prefers first (unscheduled, pending, not ready, ...). */
function removalRank(a: Pod, b: Pod): number {
  const node = (p: Pod) => (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  if (node(a) !== node(b) && (node(a) === '' || node(b) === '')) return node(a) === '' ? -1 : 1;
  const phase = (p: Pod) =>
    (({ Pending: 0, Unknown: 1, Running: 2 }) as Record<string, number>)[p.status?.phase ?? ''] ?? -1;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  if (ready(a) !== ready(b)) return ready(a) ? 1 : -1;
  return 0;
}

/** Active pods the controller deletes: repeated or unknown indexes first, then by rank. */
function podsToRemove(ctx: JobContext, active: Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left = active;
  if (ctx.indexed) {
    left = [];
    const byIndex = new Map<number, Pod[]>();
    for (const p of active) {
      const ix = controllerIndex(p);
      if (ix === null || ix >= (ctx.completions ?? 0)) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      const sorted = [...group].sort(removalRank);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]!);
    }
  }
  if (rm.length < atLeast) rm.push(...[...left].sort(removalRank).slice(0, atLeast - rm.length));
  return rm;
}

/**
 * The controller's in-memory pod-failure backoff record: `running` (the default) = a controller
 * that has watched the Job since its first failure (every failure since the last success counts,
 * re-derived from the pods and status as backoff.ts does); `fresh` = a controller that has just
 * started (only pods it has not counted yet), which is what the differential test runs.
 */
export type BackoffMemory = 'running' | 'fresh';

/** Runs one controller pass over the Job at `now` and returns what it writes and does. */
export function syncDecision(
  job: Job,
  allPods: Pod[],
  now: Date,
  version?: ServerVersion,
  memory: BackoffMemory = 'running',
): JobSyncDecision {
  const ctx = jobContext(job, allPods, now, version);
  const t = ctx.now;
  const status = job.status ?? {};
  const none: JobSyncDecision = {
    skipped: null,
    condition: null,
    conditions: [],
    failures: { counted: status.failed ?? 0, perIndex: null },
    completedIndexes: ctx.indexed ? (status.completedIndexes ?? '') : null,
    failedIndexes: ctx.perIndex !== null ? (status.failedIndexes ?? null) : null,
    status: {
      active: status.active ?? 0,
      ready: status.ready ?? 0,
      terminating: status.terminating ?? 0,
      failed: status.failed ?? 0,
      succeeded: status.succeeded ?? 0,
    },
    podFailurePolicyRule: null,
    nextRetryAt: null,
    deadlineCheckAt: null,
    create: { count: 0, indexes: null },
    delete: { count: 0, pods: [] },
    releaseFinalizers: 0,
  };
  if (ctx.managedBy) return { ...none, skipped: 'managedBy' };
  if (trueCond(job, 'Complete') || trueCond(job, 'Failed')) return { ...none, skipped: 'finished' };

  const completions = ctx.completions ?? 0;
  const validIndex = (p: Pod): boolean => {
    if (!ctx.indexed) return true;
    const ix = controllerIndex(p);
    return ix !== null && ix < completions;
  };
  const pods = ctx.pods;
  let active = ctx.active.length;
  let readyN = ctx.active.filter(ready).length;
  let terminating = pods.filter(isTerminating).length;
  const uncSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const uncFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);
  const uid = (p: Pod) => p.metadata.uid ?? '';
  const tracked = pods.filter(hasTrackingFinalizer);
  const fresh = (p: Pod, unc: Set<string>) => !unc.has(uid(p)) && validIndex(p);
  const newSucceeded = tracked.filter((p) => fresh(p, uncSucceeded) && p.status?.phase === 'Succeeded');
  const allFailed: FailedPod[] = failedPods(ctx);
  const matchOf = new Map(allFailed.map((f) => [f.pod, f.match]));
  const newFailed = allFailed.filter((f) => hasTrackingFinalizer(f.pod) && fresh(f.pod, uncFailed));
  let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncSucceeded.size;
  const failed = (status.failed ?? 0) + newFailed.filter((f) => f.match.counts).length + uncFailed.size;
  const startTime = ctx.startTime ?? (ctx.suspended ? undefined : t);
  const conditions: DecisionCondition[] = [];
  let deadlineCheckAt: number | null = null;
  let nextRetryAt: number | null = null;

  // The controller's fate decision.
  const failure = (reason: string, message: string): Cond & { interim: boolean } => ({
    type: ctx.features.delayTerminalCondition ? 'FailureTarget' : 'Failed',
    reason,
    message,
    interim: false,
  });
  let fate: (Cond & { interim: boolean }) | null = null;
  const scm = trueCond(job, 'SuccessCriteriaMet');
  let rule: JobSyncDecision['podFailurePolicyRule'] = null;
  if (scm) fate = { type: 'SuccessCriteriaMet', reason: scm.reason ?? '', message: scm.message ?? '', interim: true };
  else {
    const ft = trueCond(job, 'FailureTarget');
    if (ft) fate = { type: 'Failed', reason: ft.reason ?? '', message: ft.message ?? '', interim: true };
    else {
      const failJob = allFailed.find((f) => f.match.action === 'FailJob');
      if (failJob) {
        fate = {
          type: 'FailureTarget',
          reason: 'PodFailurePolicy',
          message: failJob.match.message ?? '',
          interim: false,
        };
        rule = { index: failJob.match.ruleIndex ?? -1, action: 'FailJob', pod: failJob.pod.metadata.name ?? '' };
      }
    }
  }
  if (!fate) {
    const restarts =
      ctx.restartPolicy === 'OnFailure'
        ? pods
            .filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending')
            .reduce((n, p) => n + restartSum(p), 0)
        : 0;
    const restartsFail =
      ctx.restartPolicy === 'OnFailure' && (ctx.backoffLimit === 0 ? restarts > 0 : restarts >= ctx.backoffLimit);
    const ads = job.spec.activeDeadlineSeconds;
    if (failed > ctx.backoffLimit || restartsFail)
      fate = failure('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    else if (
      ads !== undefined &&
      ctx.job.status?.startTime !== undefined &&
      !ctx.suspended &&
      t - ctx.startTime! >= ads * 1000
    ) {
      fate = failure('DeadlineExceeded', 'Job was active longer than specified deadline');
    } else if (ads !== undefined && !ctx.suspended && startTime !== undefined) deadlineCheckAt = startTime + ads * 1000;
  }

  // Indexes.
  let prevSucceeded: Interval[] = [];
  let succeededIx: Interval[] = [];
  let failedIx: Interval[] | null = null;
  const delayed = new Map<number, Pod>();
  if (ctx.indexed) {
    prevSucceeded = parseIndexes(status.completedIndexes, completions);
    succeededIx = union(
      prevSucceeded,
      fromIndexes(
        tracked.filter((p) => p.status?.phase === 'Succeeded' && validIndex(p)).map((p) => controllerIndex(p)!),
      ),
    );
    succeeded = total(succeededIx);
    if (ctx.perIndex !== null) {
      const newly = tracked.filter((p) => validIndex(p) && indexFailure(ctx, p, matchOf.get(p)));
      failedIx = union(
        parseIndexes(status.failedIndexes ?? undefined, completions),
        fromIndexes(newly.map((p) => controllerIndex(p)!)),
      );
      if (!fate) {
        const max = job.spec.maxFailedIndexes;
        if (max !== undefined && total(failedIx) > max)
          fate = failure('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');
        else if (total(failedIx) > 0 && total(failedIx) + total(succeededIx) >= completions)
          fate = failure('FailedIndexes', 'Job has failed indexes');
      }
      // The failed pod of each waiting index whose finalizer is kept until its replacement exists.
      const activeIx = new Set(ctx.active.map(controllerIndex).filter((i): i is number => i !== null));
      for (const f of allFailed) {
        const p = f.pod;
        if (!hasTrackingFinalizer(p) || !validIndex(p)) continue;
        const ix = controllerIndex(p)!;
        if (has(succeededIx, ix) || has(failedIx, ix) || activeIx.has(ix)) continue;
        const prev = delayed.get(ix);
        if (
          !prev ||
          (absoluteFailures(prev) <= absoluteFailures(p) && (finishedTime(p) ?? 0) >= (finishedTime(prev) ?? 0))
        )
          delayed.set(ix, p);
      }
    }
    if (!fate && ctx.features.successPolicy) {
      const m = matchSuccessPolicy(job.spec.successPolicy?.rules, completions, succeededIx);
      if (m) fate = { type: 'SuccessCriteriaMet', reason: 'SuccessPolicy', message: m.message, interim: false };
    }
  }

  // Pods: delete everything active once the fate is known, else bring active to what is wanted.
  let create: number[] | number = 0;
  let deleted: Pod[] = [];
  let suspendChange: DecisionCondition | null = null;
  if (fate) {
    deleted = ctx.active;
    terminating += deleted.length;
    readyN -= deleted.filter(ready).length;
    active = 0;
  } else {
    if (ctx.suspended) {
      deleted = ctx.active;
      terminating += deleted.length;
      readyN -= deleted.filter(ready).length;
      active = 0;
    } else {
      const want =
        ctx.completions === null
          ? succeeded > 0
            ? active
            : ctx.parallelism
          : Math.max(0, Math.min(completions - succeeded, ctx.parallelism));
      deleted = podsToRemove(ctx, ctx.active, Math.max(0, active - want)).slice(0, MAX_PODS_PER_PASS);
      if (deleted.length > 0) {
        terminating += deleted.length;
        readyN -= deleted.filter(ready).length;
        active -= deleted.length;
      } else {
        const diff = want - (ctx.onlyReplaceFailed ? terminating : 0) - active;
        if (diff > 0) {
          const wait =
            ctx.perIndex !== null
              ? 0
              : memory === 'fresh'
                ? globalBackoffWait(
                    ctx,
                    newSucceeded,
                    newFailed.map((f) => f.pod),
                  )
                : Math.max(0, (retryAt(backoffRecord(ctx, allFailed), maxBackoffSeconds(ctx.version)) ?? 0) - t);
          if (wait > 0) {
            nextRetryAt = t + Math.max(wait, MIN_REQUEUE_MS);
            if (!ctx.features.activeKeptDuringBackoff) active = 0;
          } else if (ctx.indexed) {
            let indexes = pendingIndexes(ctx, Math.min(diff, MAX_PODS_PER_PASS), succeededIx, failedIx);
            if (ctx.perIndex !== null) {
              const now: number[] = [];
              let minWait: number | null = null;
              for (const ix of indexes) {
                const w = indexBackoffWait(ctx, delayed.get(ix));
                if (w === 0) now.push(ix);
                else if (minWait === null || w < minWait) minWait = w;
              }
              indexes = now;
              if (now.length === 0 && minWait !== null && minWait > 0) {
                nextRetryAt = t + Math.max(minWait, MIN_REQUEUE_MS);
                if (!ctx.features.activeKeptDuringBackoff) active = 0;
              }
            }
            create = indexes;
            active += indexes.length;
          } else {
            create = Math.min(diff, MAX_PODS_PER_PASS);
            active += create;
          }
        }
      }
    }
    const done = ctx.completions === null ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
    if (done) {
      const [reason, message] = ctx.features.successPolicy
        ? ['CompletionsReached', 'Reached expected number of succeeded pods']
        : ['', ''];
      fate = {
        type: ctx.features.delayTerminalCondition ? 'SuccessCriteriaMet' : 'Complete',
        reason,
        message,
        interim: false,
      };
    } else {
      const sus = job.status?.conditions?.find((c) => c.type === 'Suspended');
      if (ctx.suspended) {
        if (sus?.status !== 'True' || sus.reason !== 'JobSuspended' || sus.message !== 'Job suspended') {
          suspendChange = { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' };
        }
      } else if (sus && (sus.status !== 'False' || sus.reason !== 'JobResumed' || sus.message !== 'Job resumed')) {
        suspendChange = { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' };
      }
    }
  }
  if (suspendChange) conditions.push(suspendChange);
  const failedFate = fate !== null && fate.type !== 'SuccessCriteriaMet';

  // Counting: pods the controller releases (finalizer removed) move into status.
  let newFailedCount = 0;
  let releases = 0;
  const newSucceededIx: number[] = [];
  let newSucceededN = 0;
  const uncFailedAll = new Set(uncFailed);
  const kept = new Set<string>();
  for (const p of tracked) {
    const considerFailed = isPodFailed(p, ctx.onlyReplaceFailed);
    const ix = controllerIndex(p);
    const keep =
      !fate && p.status?.phase !== 'Succeeded' && (!considerFailed || (ix !== null && delayed.get(ix) === p));
    if (keep) {
      kept.add(uid(p));
      continue;
    }
    releases++;
    if (p.status?.phase === 'Succeeded' && !uncFailed.has(uid(p))) {
      if (ctx.indexed) {
        if (validIndex(p) && !has(prevSucceeded, ix!)) newSucceededIx.push(ix!);
      } else if (!uncSucceeded.has(uid(p))) newSucceededN++;
    } else if (considerFailed || failedFate) {
      if (!uncFailedAll.has(uid(p)) && validIndex(p)) {
        const counts = matchPodFailurePolicy(ctx.policy, p, ctx.perIndex !== null).counts;
        if (counts) {
          newFailedCount++;
          uncFailedAll.add(uid(p));
        }
      }
    }
  }
  // Everything uncounted whose pod no longer holds a finalizer is now counted.
  const uncFailedLeft = [...uncFailed].filter((u) => kept.has(u)).length;
  const uncSucceededLeft = [...uncSucceeded].filter((u) => kept.has(u)).length;
  const statusFailed = (status.failed ?? 0) + (uncFailed.size - uncFailedLeft) + newFailedCount;
  let statusSucceeded = (status.succeeded ?? 0) + (uncSucceeded.size - uncSucceededLeft) + newSucceededN;
  let completedIndexes: string | null = null;
  if (ctx.indexed) {
    succeededIx = union(succeededIx, fromIndexes(newSucceededIx));
    statusSucceeded = total(succeededIx);
    completedIndexes = formatIndexes(succeededIx);
  }

  // Conditions: interim first, the final one when nothing is uncounted or terminating.
  let final: Cond | null = null;
  if (fate) {
    if (fate.type === 'FailureTarget') {
      conditions.push({ type: 'FailureTarget', status: 'True', reason: fate.reason, message: fate.message });
      final = { type: 'Failed', reason: fate.reason, message: fate.message };
    } else if (fate.type === 'SuccessCriteriaMet') {
      if (!scm)
        conditions.push({ type: 'SuccessCriteriaMet', status: 'True', reason: fate.reason, message: fate.message });
      final = { type: 'Complete', reason: fate.reason, message: fate.message };
    } else final = fate;
    if (uncFailedLeft + uncSucceededLeft === 0 && terminating === 0) {
      const existing = job.status?.conditions?.find((c) => c.type === final!.type);
      if (existing?.status !== 'True' || existing.reason !== final.reason || existing.message !== final.message) {
        conditions.push({ type: final.type, status: 'True', reason: final.reason, message: final.message });
      }
    }
  }
  const last = conditions.filter((c) => c.type !== 'Suspended').pop() ?? null;
  if (!rule) {
    const newest = [...allFailed]
      .filter((f) => f.match.ruleIndex !== null)
      .sort((a, b) => (finishedTime(a.pod) ?? 0) - (finishedTime(b.pod) ?? 0))
      .pop();
    if (newest)
      rule = { index: newest.match.ruleIndex!, action: newest.match.action ?? '', pod: newest.pod.metadata.name ?? '' };
  }
  return {
    skipped: null,
    condition: last ? { type: last.type, reason: last.reason, message: last.message } : null,
    conditions,
    failures: {
      counted: failed,
      perIndex: ctx.perIndex !== null ? perIndexFailures(ctx, allFailed, validIndex) : null,
    },
    completedIndexes,
    failedIndexes: failedIx ? formatIndexes(failedIx) : null,
    status: {
      active,
      ready: readyN,
      terminating: ctx.features.podReplacementPolicy ? terminating : 0,
      failed: statusFailed,
      succeeded: statusSucceeded,
    },
    podFailurePolicyRule: rule,
    nextRetryAt: nextRetryAt === null ? null : rfc3339(nextRetryAt),
    deadlineCheckAt: deadlineCheckAt === null ? null : rfc3339(deadlineCheckAt),
    create: typeof create === 'number' ? { count: create, indexes: null } : { count: create.length, indexes: create },
    delete: { count: deleted.length, pods: deleted.map((p) => p.metadata.name ?? '').sort() },
    releaseFinalizers: releases,
  };
}

function absoluteFailures(p: Pod): number {
  return (
    annotationCount(p, INDEX_FAILURE_COUNT_ANNOTATION) + annotationCount(p, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION)
  );
}

function indexFailure(ctx: JobContext, p: Pod, match: FailedPod['match'] | undefined): boolean {
  if (!match) return false;
  return failsIndex(ctx, { pod: p, match });
}

/** Remaining wait (ms) of the Job-wide pod-failure backoff, from the pods new in this pass. */
function globalBackoffWait(ctx: JobContext, newSucceeded: Pod[], newFailed: Pod[]): number {
  const fin = (p: Pod) => finishedTime(p) ?? 0;
  let failures: Pod[] = newFailed;
  if (newSucceeded.length > 0) {
    const lastSuccess = Math.max(...newSucceeded.map(fin));
    failures = newFailed.filter((p) => fin(p) > lastSuccess);
  }
  if (failures.length === 0) return 0;
  const last = Math.max(...failures.map(fin));
  const delay = backoffDelaySeconds(failures.length, maxBackoffSeconds(ctx.version)) * 1000;
  const elapsed = ctx.now - last;
  return delay < elapsed ? 0 : delay - elapsed;
}

/** Remaining wait (ms) before an index may get a new pod, from its last failed pod. */
function indexBackoffWait(ctx: JobContext, lastFailed: Pod | undefined): number {
  if (!lastFailed) return 0;
  const delay = backoffDelaySeconds(absoluteFailures(lastFailed) + 1, maxBackoffSeconds(ctx.version)) * 1000;
  const elapsed = ctx.now - (finishedTime(lastFailed) ?? 0);
  return delay < elapsed ? 0 : delay - elapsed;
}

/** The lowest indexes that have no active (or, with podReplacementPolicy Failed, terminating) pod and are not done. */
function pendingIndexes(ctx: JobContext, count: number, succeeded: Interval[], failedIx: Interval[] | null): number[] {
  const busy = new Set<number>();
  for (const p of ctx.pods) {
    const ix = controllerIndex(p);
    if (ix === null) continue;
    if (isActive(p) || (ctx.onlyReplaceFailed && isTerminating(p))) busy.add(ix);
  }
  const out: number[] = [];
  for (let ix = 0; ix < (ctx.completions ?? 0) && out.length < count; ix++) {
    if (busy.has(ix) || has(succeeded, ix) || (failedIx && has(failedIx, ix))) continue;
    out.push(ix);
  }
  return out;
}

function perIndexFailures(
  ctx: JobContext,
  failed: FailedPod[],
  valid: (p: Pod) => boolean,
): Array<{ index: number; failures: number; ignored: number }> {
  const per = new Map<number, { index: number; failures: number; ignored: number }>();
  for (const p of ctx.pods) {
    if (!valid(p)) continue;
    const ix = controllerIndex(p)!;
    const f = failed.find((x) => x.pod === p);
    const failures = annotationCount(p, INDEX_FAILURE_COUNT_ANNOTATION) + (f?.match.counts ? 1 : 0);
    const ignored = annotationCount(p, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION) + (f && !f.match.counts ? 1 : 0);
    const prev = per.get(ix);
    per.set(ix, {
      index: ix,
      failures: Math.max(prev?.failures ?? 0, failures),
      ignored: Math.max(prev?.ignored ?? 0, ignored),
    });
  }
  return [...per.values()].sort((a, b) => a.index - b.index);
}
