// Counting failures the way syncJob does (kubernetes/kubernetes pkg/controller/job/job_controller.go,
// v1.31+ copy): failed = status.failed + uncountedTerminatedPods.failed + failed pods that still
// carry the tracking finalizer and are not Ignored by the podFailurePolicy; pastBackoffLimitOnFailure
// sums container restarts of Running/Pending pods (restartPolicy OnFailure only; with backoffLimit 0
// any restart fails the Job, otherwise restarts >= backoffLimit); pastActiveDeadline is false while
// suspended or without startTime, else now - startTime >= activeDeadlineSeconds. Per index
// (indexed_job_utils.go isIndexFailed): a counted failure fails the index once the pod's
// job-index-failure-count annotation has reached backoffLimitPerIndex; FailIndex fails it at once.
import type { Pod } from '../../api/types.js';
import type { JobContext } from './context.js';
import { fromIndexes, has, parseIndexes, union, type Interval } from './indexes.js';
import { matchPodFailurePolicy, type PolicyMatch } from './pod-failure-policy.js';
import {
  annotationCount,
  controllerIndex,
  hasTrackingFinalizer,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  isPodFailed,
  restartSum,
} from './pods.js';
import type { FailureCounts, IndexState } from './types.js';

/** A failed pod with how the policy treated it. */
export interface FailedPod {
  pod: Pod;
  match: PolicyMatch;
}

/** Failed pods (as the controller counts failure) with their policy match, in input order. */
export function failedPods(ctx: JobContext): FailedPod[] {
  return ctx.pods
    .filter((p) => isPodFailed(p, ctx.onlyReplaceFailed))
    .map((pod) => ({ pod, match: matchPodFailurePolicy(ctx.policy, pod, ctx.perIndex !== null) }));
}

/** Container restarts charged by pastBackoffLimitOnFailure (0 unless restartPolicy is OnFailure). */
export function restartsCounted(ctx: JobContext): number {
  if (ctx.restartPolicy !== 'OnFailure') return 0;
  return ctx.pods
    .filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending')
    .reduce((n, p) => n + restartSum(p), 0);
}

/** Whether restarts alone fail the Job (OnFailure): any restart with backoffLimit 0, else restarts >= backoffLimit. */
export function pastBackoffLimitOnFailure(ctx: JobContext, restarts: number): boolean {
  if (ctx.restartPolicy !== 'OnFailure') return false;
  return ctx.backoffLimit === 0 ? restarts > 0 : restarts >= ctx.backoffLimit;
}

/** The failure counters of the Job right now. */
export function countFailures(ctx: JobContext, failed: FailedPod[]): FailureCounts {
  const status = ctx.job.status ?? {};
  const uncounted = new Set(status.uncountedTerminatedPods?.failed ?? []);
  // In an Indexed Job a pod without a valid completion index (annotation missing, unparsable,
  // negative or >= completions) is never counted by the controller.
  const validIndex = (p: Pod) =>
    !ctx.indexed || (ctx.completions !== null && (controllerIndex(p) ?? Infinity) < ctx.completions);
  const fresh = failed.filter(
    (f) =>
      hasTrackingFinalizer(f.pod) && !uncounted.has(f.pod.metadata.uid ?? '') && f.match.counts && validIndex(f.pod),
  ).length;
  const byPods = (status.failed ?? 0) + uncounted.size + fresh;
  const byRestarts = restartsCounted(ctx);
  return {
    counted: byPods + byRestarts,
    ignored: failed.filter((f) => !f.match.counts).length,
    byPods,
    byRestarts,
    backoffLimit: ctx.backoffLimit,
  };
}

/** Seconds the Job has been active at `at`, or null without a startTime. */
export function activeSeconds(ctx: JobContext, at: number): number | null {
  return ctx.startTime === undefined ? null : (at - ctx.startTime) / 1000;
}

/** pastActiveDeadline at `at` (the controller's clock). */
export function pastActiveDeadline(ctx: JobContext, at: number): boolean {
  const ads = ctx.job.spec.activeDeadlineSeconds;
  const ran = activeSeconds(ctx, at);
  if (ads === undefined || ran === null || ctx.suspended) return false;
  return ran >= ads;
}

/** Succeeded / failed index sets and per-index counts of an Indexed Job. */
export interface IndexSets {
  succeeded: Interval[];
  failed: Interval[];
  perIndex: IndexState[];
}

/** Whether a failed pod fails its index: a FailIndex rule, or a counted failure once job-index-failure-count reached backoffLimitPerIndex. */
export function failsIndex(ctx: JobContext, f: FailedPod): boolean {
  if (f.match.action === 'FailIndex') return true;
  return f.match.counts && annotationCount(f.pod, INDEX_FAILURE_COUNT_ANNOTATION) >= (ctx.perIndex ?? 0);
}

/** Index sets from status plus visible pods (union with status is safe: sets only grow). */
export function indexSets(ctx: JobContext, failed: FailedPod[]): IndexSets | null {
  if (!ctx.indexed || ctx.completions === null) return null;
  const n = ctx.completions;
  const valid = (ix: number | null): ix is number => ix !== null && ix < n;
  const succeededNow = ctx.pods
    .filter((p) => p.status?.phase === 'Succeeded')
    .map(controllerIndex)
    .filter(valid);
  const succeeded = union(parseIndexes(ctx.job.status?.completedIndexes, n), fromIndexes(succeededNow));
  let failedIvs: Interval[] = [];
  const per = new Map<number, IndexState>();
  if (ctx.perIndex !== null) {
    const failedNow = failed
      .filter((f) => valid(controllerIndex(f.pod)) && failsIndex(ctx, f))
      .map((f) => controllerIndex(f.pod) as number);
    failedIvs = union(parseIndexes(ctx.job.status?.failedIndexes, n), fromIndexes(failedNow));
    for (const pod of ctx.pods) {
      const ix = controllerIndex(pod);
      if (!valid(ix)) continue;
      const f = failed.find((x) => x.pod === pod);
      const failures = annotationCount(pod, INDEX_FAILURE_COUNT_ANNOTATION) + (f?.match.counts ? 1 : 0);
      const ignored = annotationCount(pod, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION) + (f && !f.match.counts ? 1 : 0);
      const prev = per.get(ix);
      per.set(ix, {
        index: ix,
        failures: Math.max(prev?.failures ?? 0, failures),
        ignored: Math.max(prev?.ignored ?? 0, ignored),
        failed: has(failedIvs, ix),
        succeeded: has(succeeded, ix),
      });
    }
  }
  const perIndex = [...per.values()].sort((a, b) => a.index - b.index);
  return { succeeded, failed: failedIvs, perIndex };
}
