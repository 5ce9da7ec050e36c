// Causes about the CronJob's Jobs: Forbid blocked by an active Job, Replace killing runs, failed
// creations, Jobs the controller does not track, failing runs and Jobs held by a queue.

import type { Job } from '../../api/types.js';
import type { Cause, Evidence } from '../verdict.js';
import { derived, fromCronJob, fromJob, patchCommand, predicted, type VerdictContext } from './context.js';
import { classifyFailedCreate, eventEvidence, eventsAbout, eventTime, type FailedCreateKind } from './evidence.js';
import {
  finishedCondition,
  finishedStatus,
  isManual,
  jobEnd,
  jobStart,
  KUEUE_QUEUE_LABEL,
  MANUAL_ANNOTATION,
  queueName,
  reconcileActive,
} from './jobs.js';
import { indexControllerEvents } from './job-events.js';
import { controllerNextRun } from './most-recent.js';
import { humanDuration, parseTime, relative, rfc3339 } from '../time.js';

/** How many failed runs LastRunsFailed lists. */
const MAX_LISTED = 5;

/** All Job-related causes, in order of importance. */
export function jobCauses(ctx: VerdictContext): Cause[] {
  return [
    ...failedCreate(ctx),
    ...heldByQueue(ctx),
    ...forbidBlocked(ctx),
    ...replaceKills(ctx),
    ...lastRunsFailed(ctx),
    ...untracked(ctx),
  ];
}

const why = (ctx: VerdictContext, job: string): string => `kubectl job why job/${job} -n ${ctx.namespace}`;

function forbidBlocked(ctx: VerdictContext): Cause[] {
  const { cronJob } = ctx.input;
  if (cronJob.spec.concurrencyPolicy !== 'Forbid' || cronJob.spec.suspend === true) return [];
  // What blocks is a Job listed in .status.active as read that still exists unfinished (the
  // controller's own reconciliation), not the model's idea of the list after its next sync.
  const listedUids = new Set((cronJob.status?.active ?? []).map((r) => r.uid));
  const running = ctx.owned.filter((j) => !finishedStatus(j) && listedUids.has(j.metadata.uid));
  if (running.length === 0) return [];
  running.sort((a, b) => (jobStart(a)?.getTime() ?? 0) - (jobStart(b)?.getTime() ?? 0));
  const oldest = running[0]!;
  const blocker = oldest.metadata.name ?? '';
  const start = jobStart(oldest);
  const age = start ? humanDuration(ctx.now.getTime() - start.getTime()) : 'an unknown time';
  const skipped = ctx.misses.counts.forbid;
  const blocking = skipped > 0 || ctx.decision.reason === 'JobAlreadyActive';
  const evidence: Evidence[] = [
    fromCronJob(ctx, '.spec.concurrencyPolicy', (v) => `concurrencyPolicy is ${v}`),
    fromCronJob(ctx, '.status.active[*].name', (v: string[] | undefined) =>
      v?.length ? `.status.active lists ${v.join(', ')}` : '.status.active is empty',
    ),
    fromJob(
      oldest,
      '.status.startTime',
      (v) =>
        v
          ? `started ${v} (${relative(new Date(v), ctx.now)}), not finished`
          : `created ${oldest.metadata.creationTimestamp}, not finished`,
      start,
    ),
    ...(skipped > 0
      ? [derived(`${skipped} schedule time(s) in the window have no Job and fall while it was running`, skipped)]
      : []),
    ...(ctx.decision.reason === 'JobAlreadyActive'
      ? [
          predicted(
            `the controller skips the due time ${ctx.decision.scheduledTime} (JobAlreadyActive)`,
            ctx.decision.scheduledTime,
          ),
        ]
      : []),
    ...ctx.events
      .filter((e) => e.reason === 'JobAlreadyActive')
      .slice(0, 1)
      .map((e) => eventEvidence(e)),
  ];
  const next = ctx.reading.schedule ? controllerNextRun(cronJob, ctx.now, ctx.reading.schedule) : null;
  const fix = [why(ctx, blocker), `kubectl delete job ${blocker} -n ${ctx.namespace}`];
  if (cronJob.spec.jobTemplate?.spec?.activeDeadlineSeconds == null) {
    fix.push(patchCommand(ctx, { spec: { jobTemplate: { spec: { activeDeadlineSeconds: 3600 } } } }));
  }
  return [
    {
      code: 'JobAlreadyActive',
      severity: blocking ? 'error' : 'info',
      message:
        blocking && skipped > 0
          ? `Job ${blocker} has been running for ${age} and concurrencyPolicy is Forbid, so ${skipped} run(s) were skipped; every run is skipped until it finishes.`
          : blocking
            ? `Job ${blocker} has been running for ${age} and concurrencyPolicy is Forbid, so the run for ${ctx.decision.scheduledTime} is held back: it starts when ${blocker} finishes if that is before ${next ? rfc3339(next) : 'the next time'}, else it is skipped.`
            : `Job ${blocker} is running (for ${age}); if it is still running at ${next ? rfc3339(next) : 'the next run'}, Forbid skips that run.`,
      evidence,
      fix,
    },
  ];
}

function replaceKills(ctx: VerdictContext): Cause[] {
  const { cronJob } = ctx.input;
  if (cronJob.spec.concurrencyPolicy !== 'Replace') return [];
  const now = ctx.decision.deletes.filter((d) => d.why === 'replace').map((d) => d.name);
  // A Job the controller deleted (event) that it had not seen complete, where no history limit can
  // have pruned anything, was deleted while it ran: by Replace.
  const retention = ctx.retention;
  const kills = retention.noHistoryPruning
    ? [...indexControllerEvents(ctx.events).byJob.entries()]
        .filter(([, e]) => e.deleted && !e.completed)
        .map(([name, e]) => ({ name, event: e.deleted! }))
    : [];
  if (now.length === 0 && kills.length === 0) return [];
  return [
    {
      code: 'SuccessfulDelete',
      severity: 'warning',
      message: now.length
        ? `concurrencyPolicy is Replace: at its next sync the controller deletes the running job ${now.join(', ')} to start ${ctx.decision.jobName}; a deleted run never finishes.`
        : `concurrencyPolicy is Replace and the controller deleted running job(s) ${kills.map((k) => k.name).join(', ')} to start the next run; those runs never finished.`,
      evidence: [
        fromCronJob(ctx, '.spec.concurrencyPolicy', (v) => `concurrencyPolicy is ${v}`),
        ...now.map((n) =>
          predicted(
            `job ${n} is still running at the due time ${ctx.decision.scheduledTime}, so Replace deletes it`,
            n,
          ),
        ),
        ...kills.slice(0, 3).map((k) => eventEvidence(k.event)),
        ...(kills.length
          ? [retention.proofAt(ctx.now.getTime()), derived('no SawCompletedJob event for them: they had not finished')]
          : []),
      ],
      fix: [
        patchCommand(ctx, { spec: { concurrencyPolicy: 'Forbid' } }),
        `kubectl job misses ${ctx.name} -n ${ctx.namespace}`,
      ],
    },
  ];
}

const FAILED_CREATE_TEXT: Record<FailedCreateKind, string> = {
  quota: 'a ResourceQuota in the namespace is exhausted',
  webhook: 'an admission webhook denies it',
  'namespace-terminating': 'the namespace is being deleted',
  invalid:
    'the API server rejects the Job as invalid (check the job template, and that the CronJob name is at most 52 characters)',
  forbidden: 'an admission policy forbids it',
  other: 'the API server returns an error',
};

function failedCreate(ctx: VerdictContext): Cause[] {
  const evs = ctx.events.filter((e) => e.reason === 'FailedCreate');
  const latest = evs[0];
  if (!latest) return [];
  const kind = classifyFailedCreate(latest.message ?? '');
  const failedAt = eventTime(latest);
  // Resolved when a Job was created (event) or scheduled (status) after the failure.
  const created = ctx.events
    .filter((e) => e.reason === 'SuccessfulCreate')
    .map(eventTime)
    .find((t) => t);
  const scheduled = parseTime(ctx.input.cronJob.status?.lastScheduleTime);
  const resolved = !!failedAt && [created, scheduled].some((t) => t && t > failedAt);
  const ns = ctx.namespace;
  const webhook = /admission webhook "([^"]+)"/.exec(latest.message ?? '')?.[1];
  const fixes: Record<FailedCreateKind, string[]> = {
    quota: [`kubectl describe resourcequota -n ${ns}`],
    webhook: ['kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations'],
    'namespace-terminating': [`kubectl get namespace ${ns} -o jsonpath='{.status.conditions}'`],
    invalid: [`kubectl get cronjob ${ctx.name} -n ${ns} -o yaml`],
    forbidden: [`kubectl get events -n ${ns} --field-selector involvedObject.name=${ctx.name}`],
    other: [`kubectl get events -n ${ns} --field-selector involvedObject.name=${ctx.name}`],
  };
  return [
    {
      code: 'FailedCreate',
      severity: resolved ? 'warning' : 'error',
      message: `Creating the Job fails: ${FAILED_CREATE_TEXT[kind]}.${resolved ? ' A Job was created successfully since, so this may be resolved.' : ''}`,
      evidence: [
        derived(`failure kind (from the event message): ${kind}${webhook ? ` (webhook "${webhook}")` : ''}`, kind),
        ...evs.slice(0, 3).map((e) => eventEvidence(e)),
      ],
      fix: fixes[kind],
    },
  ];
}

function heldByQueue(ctx: VerdictContext): Cause[] {
  const held = ctx.owned.filter((j) => !finishedStatus(j) && j.spec.suspend === true && queueName(j));
  if (held.length === 0) return [];
  const forbid = ctx.input.cronJob.spec.concurrencyPolicy === 'Forbid';
  const first = held[0]!;
  const queue = queueName(first)!;
  const since = parseTime(first.metadata.creationTimestamp);
  const evidence: Evidence[] = [];
  for (const j of held.slice(0, 3)) {
    evidence.push(
      fromJob(j, '.spec.suspend', (v) => `.spec.suspend is ${v}`),
      fromJob(j, `.metadata.labels["${KUEUE_QUEUE_LABEL}"]`, (v) => `label ${KUEUE_QUEUE_LABEL}=${v}`),
    );
    evidence.push(
      ...eventsAbout(ctx.input.events, 'Job', j.metadata.name ?? '')
        .slice(0, 2)
        .map((e) => eventEvidence(e, `job/${j.metadata.name}`)),
    );
  }
  return [
    {
      code: 'HeldByQueue',
      severity: 'error',
      message: `Job ${first.metadata.name} is held suspended by a queue (Kueue, queue "${queue}")${since ? ` for ${humanDuration(ctx.now.getTime() - since.getTime())}` : ''}: it gets no pods until its Workload is admitted.${forbid ? ' With Forbid, later runs are skipped meanwhile.' : ''}`,
      evidence,
      fix: [`kubectl get workloads -n ${ctx.namespace}`, `kubectl describe localqueue ${queue} -n ${ctx.namespace}`],
    },
  ];
}

function lastRunsFailed(ctx: VerdictContext): Cause[] {
  const finished = ctx.owned.filter((j) => finishedStatus(j));
  finished.sort((a, b) => (jobEnd(b)?.getTime() ?? 0) - (jobEnd(a)?.getTime() ?? 0));
  const failed: Job[] = [];
  for (const j of finished) {
    if (finishedStatus(j) !== 'Failed') break;
    failed.push(j);
  }
  if (failed.length === 0) return [];
  const lastOk = parseTime(ctx.input.cronJob.status?.lastSuccessfulTime);
  const evidence: Evidence[] = failed.slice(0, MAX_LISTED).map((j) => {
    const c = finishedCondition(j)!;
    const end = jobEnd(j);
    const manual = isManual(j) ? ' (manual run)' : '';
    return fromJob(
      j,
      '.status.conditions[?(@.type=="Failed")].reason',
      (r) =>
        `failed${end ? ` at ${rfc3339(end)}` : ''}${manual}: ${r ?? 'no reason'}${c.message ? `: ${c.message}` : ''}`,
      end,
    );
  });
  evidence.push(
    fromCronJob(
      ctx,
      '.status.lastSuccessfulTime',
      (v) => (v ? `last success ${v} (${relative(new Date(v), ctx.now)})` : 'no successful run recorded'),
      lastOk,
    ),
  );
  const newest = failed[0]!.metadata.name ?? '';
  const reason = finishedCondition(failed[0]!)?.reason;
  return [
    {
      code: 'LastRunsFailed',
      severity: 'error',
      message: `The last ${failed.length === 1 ? 'run' : `${failed.length} runs`} failed${reason ? ` (latest: ${reason})` : ''}; the CronJob fires but its Jobs fail.`,
      evidence,
      fix: [why(ctx, newest)],
    },
  ];
}

function untracked(ctx: VerdictContext): Cause[] {
  const rec = reconcileActive(ctx.input.cronJob, ctx.owned, ctx.generation);
  const out: Cause[] = [];
  const policy = ctx.input.cronJob.spec.concurrencyPolicy ?? 'Allow';
  const events = ctx.events
    .filter((e) => e.reason === 'UnexpectedJob')
    .slice(0, 2)
    .map((e) => eventEvidence(e));
  const manual = rec.unexpected.filter(isManual);
  const other = rec.unexpected.filter((j) => !isManual(j));
  if (manual.length) {
    const names = manual.map((j) => j.metadata.name).join(', ');
    out.push({
      code: 'UnexpectedJob',
      severity: policy === 'Allow' ? 'info' : 'warning',
      message: `Job ${names} was created by hand from this CronJob. The controller does not track it: it is not in .status.active, concurrencyPolicy ${policy} ignores it, and the controller records UnexpectedJob while it runs.`,
      evidence: [
        ...manual.map((j) =>
          fromJob(
            j,
            `.metadata.annotations["${MANUAL_ANNOTATION}"]`,
            (v) => `annotation ${MANUAL_ANNOTATION}=${v}, not in .status.active`,
          ),
        ),
        ...events,
      ],
      fix: manual.map((j) => why(ctx, j.metadata.name ?? '')),
    });
  }
  if (other.length) {
    const names = other.map((j) => j.metadata.name).join(', ');
    out.push({
      code: 'UnexpectedJob',
      severity: 'warning',
      message: `Job ${names} is controlled by this CronJob but not in .status.active: the controller did not create it or lost track of it, and it does not count for concurrencyPolicy.`,
      evidence: [
        ...other.map((j) =>
          fromJob(
            j,
            '.metadata.ownerReferences[?(@.controller=="true")].name',
            (v) => `unfinished, controller reference to cronjob/${v}, not in .status.active`,
          ),
        ),
        ...events,
      ],
      fix: other.map((j) => why(ctx, j.metadata.name ?? '')),
    });
  }
  if (rec.missing.length) {
    const names = rec.missing.map((r) => r.name).join(', ');
    out.push({
      code: 'MissingJob',
      severity: 'info',
      message: `.status.active lists ${names}, which no longer exists; the controller drops it on its next sync (MissingJob).`,
      evidence: [
        fromCronJob(ctx, '.status.active[*].name', (v: string[]) => `.status.active lists ${v.join(', ')}`),
        derived(`no Job named ${names} in namespace ${ctx.namespace}`),
        predicted(`the controller removes ${names} from .status.active at its next sync`),
      ],
    });
  }
  return out;
}
