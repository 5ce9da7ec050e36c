// The cause (evidence + "what would have let it finish") for the rule that ended a Job.
import type { Cause, Evidence } from '../verdict.js';
import type { JobContext } from './context.js';
import { activeSeconds, type FailedPod, type IndexSets } from './failures.js';
import { formatIndexes, total } from './indexes.js';
import { describeRule } from './pod-failure-policy.js';
import type { Attempt, FailureCounts, JobRule } from './types.js';
import { parseMillis, rfc3339 } from '../time.js';
import { duration, findCondition, plural, ref } from './util.js';

/** What the caller knows about the ending. */
export interface Ending {
  rule: JobRule | null;
  outcome: 'failed' | 'succeeded';
  conditionType: string | null;
  reason: string;
  message: string;
  /** When it happened: the condition's transition time, or now for a prediction. */
  at: number;
  predicted: boolean;
}

/** Data the evidence draws on. */
export interface EndingData {
  counts: FailureCounts;
  failed: FailedPod[];
  attempts: Attempt[];
  sets: IndexSets | null;
}

function tally(attempts: Attempt[]): string {
  const by = new Map<string, number>();
  for (const a of attempts.filter((x) => x.phase === 'Failed' || x.reason === 'DeadlineExceeded')) {
    const k = a.exitCode !== null ? `${a.reason} (exit ${a.exitCode})` : a.reason;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by.entries()].map(([k, n]) => `${n}× ${k}`).join(', ');
}

function conditionEvidence(ctx: JobContext, e: Ending): Evidence {
  if (e.predicted) {
    const final = e.outcome === 'failed' ? 'Failed' : 'Complete';
    // v1.31+ (delayTerminalCondition): the interim condition comes first, the final one once no pod is terminating.
    const conds = ctx.features.delayTerminalCondition
      ? `${e.outcome === 'failed' ? 'FailureTarget' : 'SuccessCriteriaMet'}, then ${final},`
      : final;
    return {
      kind: 'prediction',
      source: 'computed',
      value: { reason: e.reason, message: e.message },
      text: `No condition yet: re-running the controller's rules at ${rfc3339(e.at)} gives ${conds} with reason ${e.reason} ("${e.message}"), written on its next sync.`,
    };
  }
  return {
    kind: 'observed',
    source: 'status',
    field: `.status.conditions[?(@.type=="${e.conditionType}")]`,
    value: { reason: e.reason, message: e.message },
    time: rfc3339(e.at),
    text: `Condition ${e.conditionType}=True, reason ${e.reason || '(none)'}${e.message ? `: "${e.message}"` : ''}.`,
  };
}

function backoffEvidence(ctx: JobContext, d: EndingData, ev: Evidence[], fix: string[]): void {
  const s = ctx.job.status ?? {};
  const unc = s.uncountedTerminatedPods?.failed?.length ?? 0;
  const fresh = d.counts.byPods - (s.failed ?? 0) - unc;
  ev.push({
    kind: 'derived',
    source: 'computed',
    value: d.counts,
    text: `${plural(d.counts.byPods, 'failed pod')} counted (status.failed ${s.failed ?? 0}, uncounted ${unc}, not yet in status ${fresh}) > backoffLimit ${ctx.backoffLimit}.`,
  });
  if (d.counts.ignored > 0)
    ev.push({
      kind: 'derived',
      source: 'computed',
      text: `${plural(d.counts.ignored, 'more failure')} matched a podFailurePolicy Ignore rule and did not count.`,
    });
  const t = tally(d.attempts);
  if (t) ev.push({ kind: 'observed', source: 'pod', text: `Failed attempts still visible: ${t}.` });
  fix.push(
    `Raise .spec.backoffLimit to at least ${d.counts.byPods} (it is ${ctx.backoffLimit}); this only buys retries if the failures are transient.`,
  );
  const failedA = d.attempts.filter((a) => a.phase === 'Failed');
  const oom = failedA.find((a) => a.reason === 'OOMKilled');
  if (oom) fix.push(`Attempts were OOMKilled (${oom.detail ?? oom.pod}): raise resources.limits.memory.`);
  const codes = new Set(failedA.map((a) => a.exitCode).filter((c): c is number => c !== null && c !== 0));
  if (codes.size === 1 && !oom) {
    const [code] = [...codes];
    fix.push(
      `Every failure exited ${code}: if that is permanent, a podFailurePolicy rule {action: FailJob, onExitCodes: {operator: In, values: [${code}]}} fails fast; if transient, action Ignore keeps it out of backoffLimit.`,
    );
  }
  if (failedA.some((a) => ['Evicted', 'Preempted', 'NodeLost'].includes(a.reason))) {
    fix.push(
      'Disruptions counted as failures: a podFailurePolicy rule {action: Ignore, onPodConditions: [{type: DisruptionTarget}]} stops evictions and preemptions from using up backoffLimit.',
    );
  }
}

function deadlineEvidence(ctx: JobContext, e: Ending, d: EndingData, ev: Evidence[], fix: string[]): void {
  const ads = ctx.job.spec.activeDeadlineSeconds ?? 0;
  const ran = activeSeconds(ctx, e.at) ?? 0;
  const start = ctx.startTime;
  ev.push({
    kind: 'observed',
    source: 'status',
    field: '.status.startTime',
    value: ctx.job.status?.startTime,
    text: `Started ${start !== undefined ? rfc3339(start) : '(unknown)'}; activeDeadlineSeconds ${ads} (${duration(ads)}) ran out at ${start !== undefined ? rfc3339(start + ads * 1000) : '(unknown)'}, after ${duration(ran)} active.`,
  });
  const resumed = findCondition(ctx.job.status?.conditions, 'Suspended');
  if (resumed?.status === 'False' && resumed.reason === 'JobResumed') {
    ev.push({
      kind: 'observed',
      source: 'status',
      field: '.status.conditions[?(@.type=="Suspended")]',
      time: resumed.lastTransitionTime,
      text: `The Job was resumed at ${resumed.lastTransitionTime}: resuming resets startTime, so the deadline counts from then.`,
    });
  }
  if (d.counts.counted <= ctx.backoffLimit) {
    ev.push({
      kind: 'derived',
      source: 'computed',
      value: d.counts,
      text: `Only ${d.counts.counted} of backoffLimit ${ctx.backoffLimit} failures were used: the deadline ended the Job before backoffLimit was reached.`,
    });
  }
  const t = tally(d.attempts);
  if (t) ev.push({ kind: 'observed', source: 'pod', text: `Attempts before the deadline: ${t}.` });
  fix.push(
    `Raise .spec.activeDeadlineSeconds (${ads}s) above the observed runtime of ${Math.ceil(ran)}s: it bounds the whole Job (${plural(d.attempts.length, 'attempt')} here, plus the backoff delays between them).`,
  );
}

function policyEvidence(ctx: JobContext, e: Ending, d: EndingData, ev: Evidence[], fix: string[]): void {
  const hit = d.failed.find((f) => f.match.message === e.message) ?? d.failed.find((f) => f.match.action === 'FailJob');
  const rules = ctx.job.spec.podFailurePolicy?.rules ?? [];
  if (!hit || hit.match.ruleIndex === null) {
    ev.push({
      kind: 'observed',
      source: 'status',
      text: 'The matching pod is gone; the condition message above names it.',
    });
    return;
  }
  const rule = rules[hit.match.ruleIndex];
  const what =
    hit.match.exitCode !== undefined
      ? `container ${hit.match.container} exited ${hit.match.exitCode}`
      : `it has condition ${hit.match.conditionType}`;
  ev.push({
    kind: 'observed',
    source: 'pod',
    object: ref('pod', hit.pod.metadata.name),
    text: `${what}, matching rule ${hit.match.ruleIndex} (${rule ? describeRule(rule) : '?'}): FailJob ends the Job at the first match, without consulting backoffLimit (${d.counts.counted} of ${ctx.backoffLimit} used).`,
  });
  fix.push(
    hit.match.exitCode !== undefined
      ? `If exit code ${hit.match.exitCode} should be retried, change rule ${hit.match.ruleIndex} to action Count (or Ignore), or remove it.`
      : `If pods with condition ${hit.match.conditionType} should be retried, change rule ${hit.match.ruleIndex} to action Ignore or Count.`,
  );
}

function indexEvidence(ctx: JobContext, e: Ending, d: EndingData, ev: Evidence[], fix: string[]): void {
  const sets = d.sets;
  if (!sets) return;
  const n = total(sets.failed);
  const list = formatIndexes(sets.failed);
  if (e.rule === 'maxFailedIndexes') {
    const max = ctx.job.spec.maxFailedIndexes ?? 0;
    ev.push({
      kind: 'derived',
      source: 'computed',
      value: list,
      text: `${plural(n, 'failed index', 'failed indexes')} (${list}) > maxFailedIndexes ${max}.`,
    });
    fix.push(
      `Raise .spec.maxFailedIndexes to at least ${n}, or .spec.backoffLimitPerIndex (${ctx.perIndex}) so indexes survive more failures.`,
    );
  } else {
    ev.push({
      kind: 'derived',
      source: 'computed',
      value: list,
      text: `Indexes ${list} failed and every other index finished (${total(sets.succeeded)} succeeded of ${ctx.completions}).`,
    });
    fix.push(`Raise .spec.backoffLimitPerIndex (it is ${ctx.perIndex}) if the failing indexes can succeed on retry.`);
  }
  for (const s of sets.perIndex.filter((x) => x.failed)) {
    ev.push({
      kind: 'observed',
      source: 'pod',
      text: `Index ${s.index}: ${plural(s.failures, 'counted failure')}${s.ignored ? `, ${s.ignored} ignored` : ''} (backoffLimitPerIndex ${ctx.perIndex}).`,
    });
  }
}

/** The cause describing how the Job ended (or is about to end). */
export function endingCause(ctx: JobContext, e: Ending, d: EndingData): Cause {
  const ev: Evidence[] = [conditionEvidence(ctx, e)];
  const fix: string[] = [];
  switch (e.rule) {
    case 'backoffLimit':
      backoffEvidence(ctx, d, ev, fix);
      break;
    case 'backoffLimitOnFailure': {
      const r = d.counts.byRestarts;
      const seen = r === 0 && !e.predicted ? 'restarts no longer visible' : plural(r, 'restart');
      ev.push({
        kind: 'derived',
        source: 'computed',
        value: d.counts,
        text:
          ctx.backoffLimit === 0
            ? `restartPolicy OnFailure with backoffLimit 0: any container restart fails the Job (${seen}).`
            : `restartPolicy OnFailure: container restarts of running/pending pods count as retries and reached backoffLimit ${ctx.backoffLimit} (${r === 0 && !e.predicted ? seen : `${seen} >= ${ctx.backoffLimit}`}).`,
      });
      if (r === 0 && !e.predicted)
        ev.push({
          kind: 'derived',
          source: 'computed',
          text: 'The restarts are no longer visible: the controller deleted the running pod when the Job failed.',
        });
      fix.push(
        `Raise .spec.backoffLimit above ${Math.max(r, ctx.backoffLimit)} to allow more restarts.`,
        'Or use restartPolicy: Never: each retry becomes a new pod whose logs survive until the Job is deleted.',
      );
      break;
    }
    case 'activeDeadline':
      deadlineEvidence(ctx, e, d, ev, fix);
      break;
    case 'podFailurePolicy':
      policyEvidence(ctx, e, d, ev, fix);
      break;
    case 'maxFailedIndexes':
    case 'failedIndexes':
      indexEvidence(ctx, e, d, ev, fix);
      break;
    case 'successPolicy':
      ev.push({
        kind: 'derived',
        source: 'computed',
        value: d.sets ? formatIndexes(d.sets.succeeded) : null,
        text: `Succeeded indexes ${d.sets ? formatIndexes(d.sets.succeeded) : '?'} satisfy the successPolicy (${e.message}); the remaining pods were terminated.`,
      });
      break;
    case 'completions':
      ev.push({
        kind: 'observed',
        source: 'status',
        field: '.status.succeeded',
        value: ctx.job.status?.succeeded,
        text: `${ctx.job.status?.succeeded ?? 0} succeeded of completions ${ctx.completions ?? '(any one pod)'}.`,
      });
      break;
    default:
      break;
  }
  const code = e.reason || (e.outcome === 'succeeded' ? 'Completed' : 'Failed');
  const sentence = e.outcome === 'succeeded' ? `The Job succeeded (${code}).` : `The Job failed: ${e.message || code}.`;
  return {
    code,
    severity: e.outcome === 'failed' ? 'error' : 'info',
    message: sentence,
    evidence: ev,
    ...(fix.length ? { fix } : {}),
  };
}

/** When a condition took effect (lastTransitionTime, else now). */
export function conditionTime(time: string | undefined, now: number): number {
  return parseMillis(time) ?? now;
}
