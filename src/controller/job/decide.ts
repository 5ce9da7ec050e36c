// decideJob: re-runs the Job controller's decision on the live objects and says why the Job is
// where it is. Pure: everything comes from the input, `now` included.
import type { Cause, JobVerdictState } from '../verdict.js';
import { listAttempts } from './attempts.js';
import { backoffDelaySeconds, backoffRecord, indexRetryTimes, retryAt } from './backoff.js';
import { jobContext, wantActive, type JobContext } from './context.js';
import { maxBackoffSeconds } from './features.js';
import { countFailures, failedPods, indexSets, type FailedPod, type IndexSets } from './failures.js';
import { has } from './indexes.js';
import {
  cronJobDeletionCause,
  cronJobOwner,
  evidenceGoneCause,
  managedElsewhereCause,
  ttlCause,
  ttlDeleteAt,
  versionCauses,
} from './lifecycle.js';
import { completionIndex } from './pods.js';
import { evaluateRules, ruleForReason, succeededCount } from './rules.js';
import { failedCreateCause, parallelismZeroCause, podProblemCauses, suspendedCauses } from './stuck.js';
import { conditionTime, endingCause, type EndingData } from './termination.js';
import { syncDecision } from './sync.js';
import type { FailureCounts, JobDecision, JobInput, JobRule } from './types.js';
import { rfc3339 } from '../time.js';
import { duration, plural, ref, trueCondition } from './util.js';

interface Retry {
  at: number;
  failures: number;
  pod: string | null;
  delay: number;
}

function nextRetry(ctx: JobContext, failed: FailedPod[], sets: IndexSets | null): Retry | null {
  const cap = maxBackoffSeconds(ctx.version);
  if (ctx.perIndex === null || !sets || ctx.completions === null) {
    const rec = backoffRecord(ctx, failed);
    const at = retryAt(rec, cap);
    if (at === null) return null;
    return {
      at,
      failures: rec.failuresAfterLastSuccess,
      pod: rec.lastFailedPod,
      delay: backoffDelaySeconds(rec.failuresAfterLastSuccess, cap),
    };
  }
  // Per index: the Job waits only if every index that needs a pod is still inside its own backoff.
  const busy = new Set(ctx.active.map(completionIndex).filter((i): i is number => i !== null));
  if (ctx.onlyReplaceFailed)
    for (const p of ctx.terminating) {
      const i = completionIndex(p);
      if (i !== null) busy.add(i);
    }
  const times = indexRetryTimes(ctx, failed);
  let best: Retry | null = null;
  for (let ix = 0; ix < ctx.completions; ix++) {
    if (busy.has(ix) || has(sets.succeeded, ix) || has(sets.failed, ix)) continue;
    const t = times.get(ix);
    if (!t || t.at <= ctx.now) return null; // this index can get a pod now
    if (!best || t.at < best.at)
      best = { at: t.at, failures: t.failures, pod: t.pod, delay: backoffDelaySeconds(t.failures, cap) };
  }
  return best;
}

function backingOffCause(ctx: JobContext, r: Retry, counts: FailureCounts): Cause {
  const seq = [1, 2, 3, 4, 5, 6, 7]
    .map((n) => duration(backoffDelaySeconds(n, maxBackoffSeconds(ctx.version))))
    .join(', ');
  return {
    code: 'BackingOff',
    severity: 'warning',
    message: `Backing off after ${plural(r.failures, 'failure')}: the next pod is created at ${rfc3339(r.at)}.`,
    evidence: [
      {
        kind: 'prediction',
        source: 'computed',
        value: { failures: r.failures, delaySeconds: r.delay },
        time: rfc3339(r.at),
        text: `${plural(r.failures, 'failure')} since the last success → delay ${duration(r.delay)} (sequence ${seq}, capped at ${duration(maxBackoffSeconds(ctx.version))}).`,
      },
      ...(r.pod
        ? [
            {
              kind: 'observed' as const,
              source: 'pod' as const,
              object: ref('pod', r.pod),
              text: `Last failure: pod ${r.pod} finished at ${rfc3339(r.at - r.delay * 1000)}.`,
            },
          ]
        : []),
      {
        kind: 'derived',
        source: 'computed',
        value: counts,
        text: `${counts.counted} of backoffLimit ${counts.backoffLimit} failures used.`,
      },
    ],
  };
}

function retriesUsedCause(counts: FailureCounts, ctx: JobContext): Cause | null {
  if (counts.counted === 0 || ctx.perIndex !== null) return null;
  const how = counts.byRestarts > 0 ? ` (${counts.byPods} failed pods, ${counts.byRestarts} container restarts)` : '';
  return {
    code: 'RetriesUsed',
    severity: 'warning',
    message: `${counts.counted} of backoffLimit ${counts.backoffLimit} failures used${how}.`,
    evidence: [
      {
        kind: 'prediction',
        source: 'computed',
        value: counts,
        text: `The Job fails when failed pods exceed ${counts.backoffLimit}${ctx.restartPolicy === 'OnFailure' ? ' or restarts reach it' : ''}.`,
      },
    ],
  };
}

/** The latest deletionTimestamp of the terminating pods, or null. */
function terminatingUntil(ctx: JobContext): string | null {
  const times = ctx.terminating
    .map((p) => p.metadata.deletionTimestamp)
    .filter((t): t is string => !!t)
    .sort();
  return times.at(-1) ?? null;
}

function waitingForTerminating(ctx: JobContext): Cause {
  return {
    code: 'WaitingForTerminatingPods',
    severity: 'info',
    message: `${plural(ctx.terminating.length, 'pod')} still terminating: replacements wait until they are fully terminated (podReplacementPolicy Failed${ctx.policy ? ', implied by podFailurePolicy' : ''}).`,
    evidence: ctx.terminating.map((p) => ({
      kind: 'observed' as const,
      source: 'pod' as const,
      object: ref('pod', p.metadata.name),
      time: p.metadata.deletionTimestamp,
      text: `Terminating since ${p.metadata.deletionTimestamp}.`,
    })),
  };
}

/** Re-runs the Job controller's decision and returns the verdict with its causes and evidence. */
export function decideJob(input: JobInput): JobDecision {
  const ctx = jobContext(input.job, input.pods, input.now, input.serverVersion);
  const failed = failedPods(ctx);
  const counts = countFailures(ctx, failed);
  const sets = indexSets(ctx, failed);
  const attempts = listAttempts(ctx.job, ctx.pods);
  const data: EndingData = { counts, failed, attempts, sets };
  const causes: Cause[] = [];
  let verdict: JobVerdictState = 'running';
  let rule: JobRule | null = null;
  let predicted = false;
  let finishedAt: number | null = null;
  let nextRetryAt: string | null = null;

  const terminal = trueCondition(ctx.job, 'Failed') ?? trueCondition(ctx.job, 'Complete');
  const interim = terminal
    ? undefined
    : (trueCondition(ctx.job, 'FailureTarget') ?? trueCondition(ctx.job, 'SuccessCriteriaMet'));
  const cond = terminal ?? interim;
  if (cond) {
    const outcome = cond.type === 'Failed' || cond.type === 'FailureTarget' ? 'failed' : 'succeeded';
    rule = ruleForReason(cond.reason, ctx, counts, input.events) ?? (outcome === 'succeeded' ? 'completions' : null);
    const at = conditionTime(cond.lastTransitionTime, ctx.now);
    causes.push(
      endingCause(
        ctx,
        {
          rule,
          outcome,
          conditionType: cond.type,
          reason: cond.reason ?? '',
          message: cond.message ?? '',
          at,
          predicted: false,
        },
        data,
      ),
    );
    if (interim) {
      const left = ctx.active.length + ctx.terminating.length;
      const until = terminatingUntil(ctx);
      causes.push({
        code: 'TerminatingPods',
        severity: 'info',
        message:
          `${cond.type} is set; the ${outcome === 'failed' ? 'Failed' : 'Complete'} condition follows once ${plural(left, 'remaining pod')} terminate` +
          `${until && ctx.active.length === 0 ? `, expected by ${until} (the end of the grace period)` : ''}.`,
        evidence: [
          {
            kind: 'observed',
            source: 'status',
            field: `.status.conditions[?(@.type=="${cond.type}")].type`,
            value: cond.type,
            time: cond.lastTransitionTime,
            text: `Interim condition ${cond.type} (v1.31+ controllers add the terminal condition only when no pod is terminating).`,
          },
          ...ctx.terminating.map((p) => ({
            kind: 'observed' as const,
            source: 'pod' as const,
            object: ref('pod', p.metadata.name),
            field: '.metadata.deletionTimestamp',
            value: p.metadata.deletionTimestamp,
            time: p.metadata.deletionTimestamp,
            text: `Deleted, still ${p.status?.phase ?? 'in an unknown phase'}; its grace period ends at ${p.metadata.deletionTimestamp} (deletionTimestamp), when the kubelet kills what is left.`,
          })),
        ],
      });
    }
    verdict = outcome;
    finishedAt = terminal ? at : null;
  } else if (ctx.managedBy) {
    verdict = ctx.suspended ? 'suspended' : ctx.active.length > 0 ? 'running' : 'stuck';
    if (ctx.suspended) causes.push(...suspendedCauses(ctx, input.events));
  } else {
    const f = evaluateRules(ctx, failed, counts, sets);
    if (f) {
      predicted = true;
      rule = f.rule;
      verdict = f.outcome;
      causes.push(
        endingCause(
          ctx,
          {
            rule,
            outcome: f.outcome,
            conditionType: null,
            reason: f.reason,
            message: f.message,
            at: ctx.now,
            predicted: true,
          },
          data,
        ),
      );
    } else if (ctx.suspended) {
      verdict = 'suspended';
      causes.push(...suspendedCauses(ctx, input.events));
    } else {
      const want = wantActive(ctx, succeededCount(ctx, sets));
      const blocking = ctx.onlyReplaceFailed ? ctx.terminating.length : 0;
      // A snapshot without the Job's pods: trust status.active rather than assume pods are missing.
      const activeNow = ctx.pods.length === 0 ? (ctx.job.status?.active ?? 0) : ctx.active.length;
      const missing = want - blocking - activeNow;
      const retry = missing > 0 ? nextRetry(ctx, failed, sets) : null;
      if (retry && retry.at > ctx.now) {
        verdict = 'backing-off';
        nextRetryAt = rfc3339(retry.at);
        causes.push(backingOffCause(ctx, retry, counts));
      } else if (blocking > 0 && want - ctx.active.length > 0) {
        causes.push(waitingForTerminating(ctx));
      }
      const stuck = [
        parallelismZeroCause(ctx),
        missing > 0 && verdict !== 'backing-off' ? failedCreateCause(ctx, input.events) : null,
        ...podProblemCauses(ctx),
      ].filter((c): c is Cause => c !== null);
      causes.push(...stuck);
      if (verdict === 'running' && stuck.some((c) => c.severity === 'error')) verdict = 'stuck';
      const used = verdict === 'backing-off' ? null : retriesUsedCause(counts, ctx);
      if (used) causes.push(used);
    }
  }

  const managed = managedElsewhereCause(ctx, terminal !== undefined);
  if (managed) causes.unshift(managed);
  const replaced = cronJobDeletionCause(ctx, input.events, terminal !== undefined, input.cronJob);
  if (replaced) {
    if (replaced.code === 'ReplacedByCronJob') {
      causes.unshift(replaced);
      verdict = 'failed';
    } else causes.push(replaced);
  }
  const deleteAt = ttlDeleteAt(ctx, finishedAt);
  const ttl = ttlCause(ctx, deleteAt);
  if (ttl) causes.push(ttl);
  const gone = verdict === 'succeeded' ? null : evidenceGoneCause(ctx, input.events, finishedAt);
  if (gone) causes.push(gone);
  causes.push(...versionCauses(ctx));

  const owner = ctx.job.metadata.ownerReferences?.find((r) => r.controller) ?? null;
  const s = ctx.job.status ?? {};
  return {
    kind: 'Job',
    namespace: ctx.namespace,
    name: ctx.name,
    verdict,
    causes,
    now: rfc3339(ctx.now),
    failures: counts,
    attempts,
    nextRetryAt,
    rule,
    predicted,
    condition: cond
      ? {
          type: cond.type,
          reason: cond.reason ?? null,
          message: cond.message ?? null,
          time: cond.lastTransitionTime ?? null,
        }
      : null,
    startTime: s.startTime ?? null,
    pods: {
      active: ctx.pods.length === 0 ? (s.active ?? 0) : ctx.active.length,
      succeeded: s.succeeded ?? 0,
      failed: s.failed ?? 0,
      terminating: ctx.terminating.length,
      visible: ctx.pods.length,
    },
    indexes: sets
      ? { completed: s.completedIndexes ?? '', failed: s.failedIndexes ?? '', perIndex: sets.perIndex }
      : null,
    deleteAt: deleteAt === null ? null : rfc3339(deleteAt),
    terminatingUntil: terminatingUntil(ctx),
    owner: owner
      ? { kind: owner.kind, name: owner.name }
      : cronJobOwner(ctx)
        ? { kind: 'CronJob', name: cronJobOwner(ctx)! }
        : null,
    decision: syncDecision(input.job, input.pods, input.now, input.serverVersion, 'running'),
  };
}
