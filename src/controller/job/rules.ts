// The order in which syncJob decides a Job's fate (kubernetes/kubernetes
// pkg/controller/job/job_controller.go, v1.31+ copy; the same order since backoffLimit existed,
// with newer rules slotted in):
//   1. an existing SuccessCriteriaMet=True condition, 2. an existing FailureTarget=True condition
//   (both handled by the caller), 3. a podFailurePolicy FailJob match, 4. failed > backoffLimit or
//   pastBackoffLimitOnFailure, 5. pastActiveDeadline, 6. (Indexed with backoffLimitPerIndex)
//   failed indexes > maxFailedIndexes, then failed + succeeded indexes >= completions,
//   7. (Indexed) successPolicy, 8. completions reached with no active pod.
// So a Job past both its backoffLimit and its deadline in the same sync fails BackoffLimitExceeded;
// a deadline that expires first wins however many retries are left ("activeDeadlineSeconds takes
// precedence over backoffLimit" in the Job docs).
// Completion: newer controllers write reason CompletionsReached (seen in batch/v1 types and e2e
// tests); older ones leave the Complete reason empty. [UNCERTAIN: the exact message text.]
import type { KubeEvent } from '../../api/types.js';
import type { JobContext } from './context.js';
import { pastActiveDeadline, pastBackoffLimitOnFailure, type FailedPod, type IndexSets } from './failures.js';
import { matchSuccessPolicy, total } from './indexes.js';
import { finishedTime, hasTrackingFinalizer, startedTime } from './pods.js';
import type { FailureCounts, JobRule } from './types.js';

/** A rule that ends the Job: the condition the controller writes for it. */
export interface Finding {
  outcome: 'failed' | 'succeeded';
  rule: JobRule;
  reason: string;
  message: string;
  /** The pod (FailJob) or other detail that triggered it. */
  pod?: string;
}

/** Condition reason → rule (for Jobs that already carry a condition). */
export function ruleForReason(
  reason: string | undefined,
  ctx: JobContext,
  counts: FailureCounts,
  events: KubeEvent[] = [],
): JobRule | null {
  switch (reason) {
    case 'PodFailurePolicy':
      return 'podFailurePolicy';
    case 'BackoffLimitExceeded':
      if (ctx.restartPolicy !== 'OnFailure') return 'backoffLimit';
      // Under OnFailure a failing container restarts in place. When the Job fails, the controller
      // deletes its still-running pods and then counts them in status.failed too, so those pods
      // must not be taken for failures that exceeded backoffLimit.
      return counts.byPods - podsDeletedByController(ctx, events) > counts.backoffLimit
        ? 'backoffLimit'
        : 'backoffLimitOnFailure';
    case 'DeadlineExceeded':
      return 'activeDeadline';
    case 'MaxFailedIndexesExceeded':
      return 'maxFailedIndexes';
    case 'FailedIndexes':
      return 'failedIndexes';
    case 'SuccessPolicy':
      return 'successPolicy';
    default:
      return null;
  }
}

/** Pods the Job controller deleted itself (its `SuccessfulDelete` "Deleted pod: X" events), plus
 * visible pods it is deleting; when the events have expired and the pods are gone, every counted
 * failed pod that is not visible as Failed is assumed to be one of them (OnFailure pods rarely fail
 * any other way than by being deleted). */
function podsDeletedByController(ctx: JobContext, events: KubeEvent[]): number {
  const names = new Set<string>();
  for (const e of events) {
    const m = /^Deleted pod: (\S+)$/.exec(e.message ?? '');
    if (e.reason === 'SuccessfulDelete' && e.involvedObject?.kind === 'Job' && e.involvedObject.name === ctx.name && m)
      names.add(m[1]!);
  }
  for (const p of ctx.pods)
    if (p.metadata.deletionTimestamp && p.status?.phase !== 'Failed') names.add(p.metadata.name ?? '');
  if (names.size > 0) return names.size;
  const visibleFailed = ctx.pods.filter((p) => p.status?.phase === 'Failed').length;
  return Math.max(0, (ctx.job.status?.failed ?? 0) - visibleFailed);
}

/** Succeeded pods counted so far (non-indexed: status + uncounted + new succeeded pods). */
export function succeededCount(ctx: JobContext, sets: IndexSets | null): number {
  if (sets) return total(sets.succeeded);
  const status = ctx.job.status ?? {};
  const uncounted = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const fresh = ctx.pods.filter(
    (p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p) && !uncounted.has(p.metadata.uid ?? ''),
  ).length;
  return (status.succeeded ?? 0) + uncounted.size + fresh;
}

function byStart(a: FailedPod, b: FailedPod): number {
  return (
    (startedTime(a.pod) ?? 0) - (startedTime(b.pod) ?? 0) || (finishedTime(a.pod) ?? 0) - (finishedTime(b.pod) ?? 0)
  );
}

/** Re-runs the controller's rules at ctx.now; null when the Job goes on. */
export function evaluateRules(
  ctx: JobContext,
  failed: FailedPod[],
  counts: FailureCounts,
  sets: IndexSets | null,
): Finding | null {
  const failJob = [...failed].sort(byStart).find((f) => f.pod.status?.phase === 'Failed' && f.match.message);
  if (failJob) {
    return {
      outcome: 'failed',
      rule: 'podFailurePolicy',
      reason: 'PodFailurePolicy',
      message: failJob.match.message!,
      pod: failJob.pod.metadata.name,
    };
  }
  if (counts.byPods > ctx.backoffLimit) {
    return {
      outcome: 'failed',
      rule: 'backoffLimit',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    };
  }
  if (pastBackoffLimitOnFailure(ctx, counts.byRestarts)) {
    return {
      outcome: 'failed',
      rule: 'backoffLimitOnFailure',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    };
  }
  if (pastActiveDeadline(ctx, ctx.now)) {
    return {
      outcome: 'failed',
      rule: 'activeDeadline',
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    };
  }
  if (sets && ctx.completions !== null) {
    if (ctx.perIndex !== null) {
      const failedN = total(sets.failed);
      const max = ctx.job.spec.maxFailedIndexes;
      if (max !== undefined && failedN > max) {
        return {
          outcome: 'failed',
          rule: 'maxFailedIndexes',
          reason: 'MaxFailedIndexesExceeded',
          message: 'Job has exceeded the specified maximal number of failed indexes',
        };
      }
      if (failedN > 0 && failedN + total(sets.succeeded) >= ctx.completions) {
        return { outcome: 'failed', rule: 'failedIndexes', reason: 'FailedIndexes', message: 'Job has failed indexes' };
      }
    }
    if (ctx.features.successPolicy) {
      const m = matchSuccessPolicy(ctx.job.spec.successPolicy?.rules, ctx.completions, sets.succeeded);
      if (m) return { outcome: 'succeeded', rule: 'successPolicy', reason: 'SuccessPolicy', message: m.message };
    }
  }
  const succeeded = succeededCount(ctx, sets);
  const done = ctx.completions === null ? succeeded > 0 : succeeded >= ctx.completions;
  if (done && ctx.active.length === 0) {
    return {
      outcome: 'succeeded',
      rule: 'completions',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    };
  }
  return null;
}
