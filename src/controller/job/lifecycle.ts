// What happens around the Job rather than inside it: its CronJob deleting it (Replace or history
// limits, both logged as SuccessfulDelete "Deleted job <name>" by cronjob-controller), the TTL
// controller (deletes ttlSecondsAfterFinished after the Complete/Failed transition), evidence
// that has already been deleted, another controller owning it (.spec.managedBy: the built-in
// controller skips such Jobs), and spec fields this server version does not honour.
import type { CronJob, KubeEvent } from '../../api/types.js';
import type { Cause, Evidence } from '../verdict.js';
import type { JobContext } from './context.js';
import { featureStage, JOB_FEATURES, type JobFeature } from './features.js';
import { eventTime } from './stuck.js';
import { parseMillis, rfc3339 } from '../time.js';
import { duration, plural, ref } from './util.js';

/** The Job's controlling CronJob, if any. */
export function cronJobOwner(ctx: JobContext): string | null {
  const o = ctx.job.metadata.ownerReferences?.find((r) => r.kind === 'CronJob' && r.controller !== false);
  return o?.name ?? null;
}

/** Replace (or history cleanup) by the owning CronJob, from events or deletionTimestamp. */
export function cronJobDeletionCause(
  ctx: JobContext,
  events: KubeEvent[],
  finished: boolean,
  cronJob?: CronJob,
): Cause | null {
  const owner = cronJobOwner(ctx);
  if (!owner) return null;
  const del = events.find(
    (e) =>
      e.reason === 'SuccessfulDelete' &&
      e.involvedObject.kind === 'CronJob' &&
      e.involvedObject.name === owner &&
      (e.source?.component ?? e.reportingComponent ?? 'cronjob-controller').includes('cronjob-controller') &&
      (e.message ?? '').trim() === `Deleted job ${ctx.name}`,
  );
  const deleting = parseMillis(ctx.job.metadata.deletionTimestamp);
  const policy = cronJob?.spec.concurrencyPolicy;
  if (!del && !(deleting !== undefined && policy === 'Replace' && !finished)) return null;
  const ev: Evidence[] = [];
  if (del) {
    const t = eventTime(del);
    ev.push({
      kind: 'observed',
      source: 'event',
      object: ref('cronjob', owner),
      time: t === undefined ? undefined : rfc3339(t),
      text: `cronjob-controller: SuccessfulDelete "${del.message}".`,
    });
  }
  if (deleting !== undefined)
    ev.push({
      kind: 'observed',
      source: 'metadata',
      field: '.metadata.deletionTimestamp',
      time: rfc3339(deleting),
      text: `The Job is being deleted since ${rfc3339(deleting)}.`,
    });
  if (policy)
    ev.push({
      kind: 'observed',
      source: 'spec',
      object: ref('cronjob', owner),
      field: '.spec.concurrencyPolicy',
      value: policy,
      text: `CronJob ${owner} has concurrencyPolicy ${policy}.`,
    });
  if (finished) {
    return {
      code: 'DeletedByHistoryLimit',
      severity: 'info',
      message: `CronJob ${owner} deleted this finished Job to keep its history limits.`,
      evidence: ev,
      fix: ['Raise successfulJobsHistoryLimit / failedJobsHistoryLimit to keep more finished Jobs.'],
    };
  }
  return {
    code: 'ReplacedByCronJob',
    severity: 'error',
    message: `CronJob ${owner} (concurrencyPolicy Replace) deleted this Job while it was still running, to start the next scheduled run.`,
    evidence: ev,
    fix: [
      'Make runs shorter than the schedule interval, or use concurrencyPolicy Forbid (skip overlapping runs) or Allow.',
    ],
  };
}

/** When ttlSecondsAfterFinished deletes the finished Job (ms), or null. */
export function ttlDeleteAt(ctx: JobContext, finishedAt: number | null): number | null {
  const ttl = ctx.job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || finishedAt === null) return null;
  return finishedAt + ttl * 1000;
}

/** The TTLPending cause for a finished Job with ttlSecondsAfterFinished. */
export function ttlCause(ctx: JobContext, deleteAt: number | null): Cause | null {
  if (deleteAt === null) return null;
  const ttl = ctx.job.spec.ttlSecondsAfterFinished ?? 0;
  const due = deleteAt <= ctx.now;
  return {
    code: 'TTLPending',
    severity: 'info',
    message: due
      ? `ttlSecondsAfterFinished (${duration(ttl)}) has passed: the TTL controller deletes the Job and its pods now.`
      : `The Job and its pods will be deleted at ${rfc3339(deleteAt)} (ttlSecondsAfterFinished ${duration(ttl)}).`,
    evidence: [
      {
        kind: 'observed',
        source: 'spec',
        field: '.spec.ttlSecondsAfterFinished',
        value: ttl,
        time: rfc3339(deleteAt),
        text: `Finished + ${ttl}s = ${rfc3339(deleteAt)}.`,
      },
    ],
    fix: ['Collect logs before then: kubectl job logs --all-attempts'],
  };
}

/** EvidenceGone: the status counts pods that no longer exist (logs and exit codes lost). */
export function evidenceGoneCause(ctx: JobContext, events: KubeEvent[], finishedAt: number | null): Cause | null {
  const s = ctx.job.status ?? {};
  // Pods the controller deleted (activeDeadlineSeconds, backoffLimit) are counted failed in
  // status at once, while they still run out their grace period: they are not gone.
  const visibleFailed = ctx.pods.filter(
    (p) => p.status?.phase === 'Failed' || (p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded'),
  ).length;
  const visibleSucceeded = ctx.pods.filter((p) => p.status?.phase === 'Succeeded').length;
  const goneFailed = Math.max(0, (s.failed ?? 0) - visibleFailed);
  const goneSucceeded = Math.max(0, (s.succeeded ?? 0) - visibleSucceeded);
  const ev: Evidence[] = [];
  if (goneFailed > 0)
    ev.push({
      kind: 'observed',
      source: 'status',
      field: '.status.failed',
      value: s.failed,
      text: `${plural(goneFailed, 'failed pod')} counted in status ${goneFailed === 1 ? 'no longer exists: its logs and exit code are' : 'no longer exist: their logs and exit codes are'} gone.`,
    });
  if (goneSucceeded > 0)
    ev.push({
      kind: 'observed',
      source: 'status',
      field: '.status.succeeded',
      value: s.succeeded,
      text: `${plural(goneSucceeded, 'succeeded pod')} no longer ${goneSucceeded === 1 ? 'exists' : 'exist'}.`,
    });
  const mine = events.filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === ctx.name);
  const visible = new Set(ctx.pods.map((p) => p.metadata.name));
  const created = mine
    .filter((e) => e.reason === 'SuccessfulCreate')
    .map((e) => /^Created pod: (\S+)/.exec(e.message ?? '')?.[1])
    .filter((n): n is string => n !== undefined && !visible.has(n));
  if (created.length > 0)
    ev.push({
      kind: 'observed',
      source: 'event',
      value: created,
      text: `Created according to events, now gone: ${created.join(', ')}.`,
    });
  const active = s.active ?? 0;
  if (ctx.pods.length === 0 && active > 0)
    ev.push({
      kind: 'observed',
      source: 'status',
      field: '.status.active',
      value: active,
      text: `status.active is ${active} but no pod of the Job is visible (deleted, or not captured in the snapshot).`,
    });
  if (mine.length === 0 && finishedAt !== null && ctx.now - finishedAt > 3600_000) {
    ev.push({
      kind: 'derived',
      source: 'computed',
      text: 'No events about the Job remain: events expire after the API server --event-ttl (1h by default).',
    });
  }
  if (ev.length === 0) return null;
  return {
    code: 'EvidenceGone',
    severity: 'info',
    message: 'Part of the evidence was deleted; the explanation relies on status counters and conditions.',
    evidence: ev,
    fix: [
      'Pods are deleted by the controller (on failure it deletes running pods), podGC, ttlSecondsAfterFinished or history limits; ship logs elsewhere or keep failed pods longer.',
    ],
  };
}

/** ManagedElsewhere: .spec.managedBy names another controller; the built-in one ignores the Job. */
export function managedElsewhereCause(ctx: JobContext, finished: boolean): Cause | null {
  if (!ctx.managedBy) return null;
  return {
    code: 'ManagedElsewhere',
    severity: finished ? 'info' : 'warning',
    message: `The Job is managed by "${ctx.managedBy}": the built-in Job controller does not sync it, so this tool's re-run of its rules does not apply.`,
    evidence: [
      {
        kind: 'observed',
        source: 'spec',
        field: '.spec.managedBy',
        value: ctx.managedBy,
        text: `spec.managedBy = ${ctx.managedBy} (not kubernetes.io/job-controller).`,
      },
    ],
    fix: [
      `Ask the controller "${ctx.managedBy}" (e.g. MultiKueue mirrors the Job to a worker cluster) for its status.`,
    ],
  };
}

const FIELD_PRESENT: Array<[JobFeature, (ctx: JobContext) => boolean]> = [
  ['JobPodFailurePolicy', (c) => c.job.spec.podFailurePolicy !== undefined],
  [
    'JobBackoffLimitPerIndex',
    (c) => c.job.spec.backoffLimitPerIndex !== undefined || c.job.spec.maxFailedIndexes !== undefined,
  ],
  [
    'JobPodReplacementPolicy',
    (c) => c.job.spec.podReplacementPolicy !== undefined && c.job.spec.podReplacementPolicy !== 'TerminatingOrFailed',
  ],
  ['JobSuccessPolicy', (c) => c.job.spec.successPolicy !== undefined],
  [
    'JobManagedBy',
    (c) => c.job.spec.managedBy !== undefined && c.job.spec.managedBy !== 'kubernetes.io/job-controller',
  ],
];

/** FieldIgnored / AlphaFeature causes for spec fields the known server version does not (fully) honour. */
export function versionCauses(ctx: JobContext): Cause[] {
  const v = ctx.version;
  if (!v) return [];
  const out: Cause[] = [];
  for (const [feature, present] of FIELD_PRESENT) {
    if (!present(ctx)) continue;
    const stage = featureStage(feature, v);
    const f = JOB_FEATURES[feature];
    const ev: Evidence[] = [
      {
        kind: 'derived',
        source: 'computed',
        value: { feature, stage, server: v.gitVersion },
        text: `${feature}: alpha in v1.${f.alpha}, on by default (beta) in v1.${f.beta}, GA in v1.${f.ga}; the server is ${v.gitVersion}.`,
      },
    ];
    if (stage === 'absent') {
      out.push({
        code: 'FieldIgnored',
        severity: 'warning',
        message: `${f.field} is not supported by ${v.gitVersion}: the server ignores it (this model does too).`,
        evidence: ev,
        fix: [`Upgrade to v1.${f.beta}+ or drop ${f.field}.`],
      });
    } else if (stage === 'alpha') {
      out.push({
        code: 'AlphaFeature',
        severity: 'warning',
        message: `${f.field} is alpha in ${v.gitVersion}: it only works if the ${feature} feature gate is enabled on kube-apiserver and kube-controller-manager.`,
        evidence: ev,
      });
    }
  }
  return out;
}
