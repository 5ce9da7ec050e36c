// Causes about the recent past, read off the slot fates of the look-back window (misses.ts): an
// outage and its catch-up, TooManyMissedTimes already raised, Replace churn (runs that never
// finish), a resume, and times lost to the controller's one-Job-per-minute naming.

import type { Job } from '../../api/types.js';
import type { Cause, Evidence } from '../verdict.js';
import { derived, fromCronJob, fromJob, predicted, type VerdictContext } from './context.js';
import { eventEvidence, eventTime, suspendOwner } from './evidence.js';
import { finishedStatus, jobEnd, SCHEDULED_TIMESTAMP_ANNOTATION } from './jobs.js';
import { LATE_CREATION_MS, RESUME_WINDOW_MS } from './misses.js';
import { REASON_CODE } from './timeline.js';
import { humanDuration, parseTime, relative, rfc3339 } from '../time.js';

/** At most this many incidents of one kind are listed (newest first). */
const MAX_INCIDENTS = 3;

/** A late creation this close to a write of the CronJob's spec followed that write, not an outage. */
const SPEC_WRITE_WINDOW_MS = 60_000;

/** All causes about the look-back window. */
export function historyCauses(ctx: VerdictContext): Cause[] {
  return [...outages(ctx), ...tooManyMissedRaised(ctx), ...replaceChurn(ctx), ...resumed(ctx), ...sameMinute(ctx)];
}

interface Incident {
  /** Slot indexes of the never-created times before the late Job (may be empty). */
  first: number;
  last: number;
  /** The Job created late after them, if any: slot index and creation time. */
  late: { slot: number; job: Job; created: number } | null;
}

const jobByName = (ctx: VerdictContext, name: string | undefined): Job | undefined =>
  ctx.owned.find((j) => j.metadata.name === name);

/** Is a late creation at `created` explained by something other than the controller being away? */
function lateExplained(ctx: VerdictContext, created: number): string | null {
  const cj = ctx.input.cronJob;
  if (cj.spec.concurrencyPolicy === 'Forbid') {
    const freed = ctx.owned.some((j) => {
      const end = jobEnd(j)?.getTime();
      return end !== undefined && end <= created && created - end <= 15_000;
    });
    if (freed) return 'forbid';
  }
  const born = parseTime(cj.metadata.creationTimestamp)?.getTime();
  if (born !== undefined && created >= born && created - born <= SPEC_WRITE_WINDOW_MS) return 'created';
  for (const m of cj.metadata.managedFields ?? []) {
    if (m.subresource) continue;
    const t = parseTime(m.time)?.getTime();
    if (t !== undefined && t <= created && created - t <= Math.max(SPEC_WRITE_WINDOW_MS, RESUME_WINDOW_MS))
      return 'spec-write';
  }
  // .spec.suspend written since: an earlier resume (whose time is overwritten) may explain it.
  const owner = suspendOwner(cj);
  if (owner?.time && owner.time.getTime() > created) return 'suspend-rewritten';
  return null;
}

/** Incidents of a verdict, found once per context (two cause finders read them). */
const incidentsOf = new WeakMap<VerdictContext, Incident[]>();
function findIncidents(ctx: VerdictContext): Incident[] {
  let found = incidentsOf.get(ctx);
  if (!found) incidentsOf.set(ctx, (found = scanIncidents(ctx)));
  return found;
}

function scanIncidents(ctx: VerdictContext): Incident[] {
  const s = ctx.misses.slots;
  const R = REASON_CODE;
  const out: Incident[] = [];
  let first = -1;
  for (let i = 0; i < s.length; i++) {
    const fate = s.fate(i);
    const reason = s.reasons[i];
    if (fate === 'missed' && (reason === R['not-created'] || reason === R['too-many-missed'])) {
      if (first < 0) first = i;
      continue;
    }
    let late: Incident['late'] = null;
    if (fate === 'ran' && reason === R.late) {
      const slotJob = s.jobs[s.jobRefs[i]!];
      const job = jobByName(ctx, slotJob?.name);
      const created = parseTime(job?.metadata.creationTimestamp)?.getTime();
      if (job && created !== undefined && !lateExplained(ctx, created)) late = { slot: i, job, created };
    }
    if (first >= 0 || late) out.push({ first, last: first >= 0 ? i - 1 : -1, late });
    first = -1;
  }
  if (first >= 0) out.push({ first, last: s.length - 1, late: null });
  return out;
}

function outages(ctx: VerdictContext): Cause[] {
  const s = ctx.misses.slots;
  const lookback = ctx.lookback.getTime();
  const incidents = findIncidents(ctx).filter((x) => (x.late ? x.late.created : s.times[x.last]!) >= lookback);
  if (incidents.length === 0) return [];
  const retention = ctx.retention;
  const tooMany = ctx.events.filter((e) => e.reason === 'TooManyMissedTimes');
  const shown = incidents.slice(-MAX_INCIDENTS).reverse();
  return shown.map((x, k): Cause => {
    const evidence: Evidence[] = [];
    const n = x.first >= 0 ? x.last - x.first + 1 : 0;
    const from = x.first >= 0 ? rfc3339(s.times[x.first]!) : '';
    const to = x.first >= 0 ? rfc3339(s.times[x.last]!) : '';
    if (n > 0) {
      evidence.push(derived(`${n} schedule time(s) from ${from} to ${to} have no Job and no event naming one`, n));
      if (s.reasons[x.first] === REASON_CODE['not-created']) evidence.push(retention.proofAt(s.times[x.first]!));
    }
    let raised = null as (typeof tooMany)[number] | null;
    let text = n > 0 ? `No Job was created for ${n} schedule time(s) from ${from} to ${to}` : '';
    if (x.late) {
      const { job, created } = x.late;
      const scheduled = s.times[x.late.slot]!;
      const ann = job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION];
      evidence.push(fromJob(job, '.metadata.creationTimestamp', (v) => `created ${v}`, new Date(created)));
      evidence.push(
        ann
          ? fromJob(job, `.metadata.annotations["${SCHEDULED_TIMESTAMP_ANNOTATION}"]`, (v) => `scheduled for ${v}`)
          : fromJob(job, '.metadata.name', () => `named for the scheduled time ${rfc3339(scheduled)}`),
      );
      const lateBy = humanDuration(created - scheduled);
      evidence.push(
        derived(
          `created ${lateBy} after its scheduled time: the controller did not act on ${rfc3339(scheduled)} until then`,
          Math.round((created - scheduled) / 1000),
          new Date(created),
        ),
      );
      raised = tooMany.find((e) => Math.abs((eventTime(e)?.getTime() ?? NaN) - created) <= 5_000) ?? null;
      if (raised) evidence.push(eventEvidence(raised));
      const caught = `job ${job.metadata.name} for ${rfc3339(scheduled)} was created ${lateBy} late, at ${rfc3339(created)}`;
      text =
        n > 0
          ? `${text}; ${caught}, the controller starting only the most recent missed time on its return`
          : `${caught[0]!.toUpperCase()}${caught.slice(1)}`;
    }
    const recent = k === 0 ? '' : ' (an earlier incident)';
    return {
      code: raised ? 'TooManyMissedTimes' : 'ControllerOutage',
      severity: 'error',
      message: `${text}${recent}. kube-controller-manager was down, not leading, or not syncing CronJobs then${raised ? ', and more than 100 times had been missed (TooManyMissedTimes)' : ''}.`,
      evidence,
      fix: [
        'kubectl get pods -n kube-system -l component=kube-controller-manager',
        'kubectl get --raw /metrics  # kube-controller-manager: cronjob_controller_* and leader election',
      ],
    };
  });
}

function tooManyMissedRaised(ctx: VerdictContext): Cause[] {
  if (ctx.decision.missed === 'many') return []; // the prediction (causes-schedule.ts) speaks for it
  const lookback = ctx.lookback.getTime();
  const events = ctx.events.filter(
    (e) => e.reason === 'TooManyMissedTimes' && (eventTime(e)?.getTime() ?? -Infinity) >= lookback,
  );
  if (events.length === 0) return [];
  // An outage incident already carries an event raised with its catch-up Job.
  const claimed = new Set(
    findIncidents(ctx)
      .filter((x) => x.late)
      .map((x) => x.late!.created),
  );
  const free = events.filter((e) => ![...claimed].some((c) => Math.abs((eventTime(e)?.getTime() ?? NaN) - c) <= 5_000));
  if (free.length === 0) return [];
  const e = free[0]!;
  const t = eventTime(e)!;
  const created = ctx.owned
    .filter((j) => Math.abs((parseTime(j.metadata.creationTimestamp)?.getTime() ?? NaN) - t.getTime()) <= 5_000)
    .map((j) => fromJob(j, '.metadata.creationTimestamp', (v) => `created ${v}, as the event was raised`));
  return [
    {
      code: 'TooManyMissedTimes',
      severity: 'error',
      message: `The controller recorded TooManyMissedTimes at ${rfc3339(t)} (${relative(t, ctx.now)}): more than 100 schedule times had passed unmet; it starts only the most recent one and every earlier one is lost.`,
      evidence: [
        eventEvidence(e),
        ...created,
        fromCronJob(ctx, '.spec.startingDeadlineSeconds', (v) =>
          v == null ? 'startingDeadlineSeconds is not set' : `startingDeadlineSeconds is ${v}`,
        ),
      ],
      fix: [
        'kubectl get pods -n kube-system -l component=kube-controller-manager',
        `kubectl job misses ${ctx.name} -n ${ctx.namespace} --since 24h`,
      ],
    },
  ];
}

function replaceChurn(ctx: VerdictContext): Cause[] {
  const cj = ctx.input.cronJob;
  const sched = ctx.reading.schedule;
  if (cj.spec.concurrencyPolicy !== 'Replace' || !sched || ctx.reading.error || cj.spec.suspend === true) return [];
  const nowMs = ctx.now.getTime();
  const lastOk = parseTime(cj.status?.lastSuccessfulTime)?.getTime() ?? null;
  const last = parseTime(cj.status?.lastScheduleTime)?.getTime() ?? null;
  const born = parseTime(cj.metadata.creationTimestamp)?.getTime() ?? -Infinity;
  const since = Math.max(lastOk ?? born, born);
  // Schedule times since the last success (or since creation), up to now.
  const times: number[] = [];
  for (let t = sched.nextMillis(since); t <= nowMs && times.length < 10_000; t = sched.nextMillis(t)) times.push(t);
  const s = ctx.misses.slots;
  let replacedInWindow = 0;
  for (let i = 0; i < s.length; i++)
    if (s.fate(i) === 'replaced' && s.times[i]! >= ctx.lookback.getTime()) replacedInWindow++;
  const failedSince = ctx.owned.some((j) => finishedStatus(j) === 'Failed' && (jobEnd(j)?.getTime() ?? 0) > since);
  const completedSince = ctx.owned.some((j) => finishedStatus(j) === 'Complete' && (jobEnd(j)?.getTime() ?? 0) > since);
  // Runs keep starting (lastScheduleTime at one of the last two times) but none has succeeded for 3 or more.
  const keepsStarting = last !== null && times.length >= 2 && last >= times[times.length - 2]!;
  if (failedSince || completedSince || times.length < 3 || !keepsStarting) return [];
  if (lastOk === null && born > nowMs - 3 * ((times[1] ?? nowMs) - (times[0] ?? nowMs))) return [];
  const evidence: Evidence[] = [
    fromCronJob(ctx, '.spec.concurrencyPolicy', (v) => `concurrencyPolicy is ${v}`),
    fromCronJob(ctx, '.status.lastSuccessfulTime', (v) =>
      v ? `last success ${v} (${relative(new Date(v), ctx.now)})` : 'no successful run recorded',
    ),
    fromCronJob(ctx, '.status.lastScheduleTime', (v) => `last scheduled ${v}: the controller keeps starting runs`),
    derived(`${times.length} schedule time(s) since then; no kept Job succeeded or failed after it`, times.length),
  ];
  const running = ctx.owned.filter((j) => !finishedStatus(j));
  for (const j of running.slice(0, 1))
    evidence.push(fromJob(j, '.status.startTime', (v) => `running since ${v ?? '(not started)'}`));
  const deletes = ctx.events
    .filter((e) => e.reason === 'SuccessfulDelete')
    .slice(0, 3)
    .map((e) => eventEvidence(e));
  evidence.push(...deletes);
  if (replacedInWindow > 0)
    evidence.push(
      derived(
        `${replacedInWindow} run(s) in the window were deleted by Replace (SuccessfulDelete events, not completed)`,
        replacedInWindow,
      ),
    );
  else
    evidence.push(
      predicted('under Replace, a run still going at the next schedule time is deleted when that run starts'),
    );
  const sinceText = lastOk !== null ? rfc3339(lastOk) : `the CronJob was created (${rfc3339(born)})`;
  const period = times.length >= 2 ? humanDuration(times[times.length - 1]! - times[times.length - 2]!) : 'the period';
  return [
    {
      code: 'ReplaceChurn',
      severity: 'error',
      message:
        replacedInWindow > 0
          ? `No run has finished since ${sinceText}; each was replaced by the next: runs take longer than the schedule's period (${period}) and Replace deletes them.`
          : `No run has finished since ${sinceText} although ${times.length} were due and Jobs keep being created: under Replace, runs longer than the period (${period}) are deleted by the next one.`,
      evidence,
      fix: [
        `kubectl job why job/${running[0]?.metadata.name ?? '<running job>'} -n ${ctx.namespace}`,
        `kubectl patch cronjob ${ctx.name} -n ${ctx.namespace} --type=merge -p '{"spec":{"concurrencyPolicy":"Forbid"}}'`,
      ],
    },
  ];
}

function resumed(ctx: VerdictContext): Cause[] {
  const s = ctx.misses.slots;
  let n = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    if (s.reasons[i] !== REASON_CODE.resumed) continue;
    n++;
    if (first < 0) first = i;
    last = i;
  }
  if (n === 0) return [];
  const owner = suspendOwner(ctx.input.cronJob);
  const evidence: Evidence[] = [
    derived(`${n} schedule time(s) from ${rfc3339(s.times[first]!)} to ${rfc3339(s.times[last]!)} have no Job`, n),
  ];
  if (owner?.time) {
    evidence.push({
      kind: 'observed',
      source: 'managedFields',
      field: `.metadata.managedFields[?(@.manager=="${owner.manager}")].time`,
      value: rfc3339(owner.time),
      time: rfc3339(owner.time),
      text: `.spec.suspend last written by "${owner.manager}" at ${rfc3339(owner.time)}; it is ${ctx.input.cronJob.spec.suspend === true ? 'true' : 'false'} now`,
    });
  }
  const next = s.jobs[s.jobRefs[last + 1] ?? -1];
  const job = jobByName(ctx, next?.name);
  if (job)
    evidence.push(
      fromJob(
        job,
        '.metadata.creationTimestamp',
        (v) => `created ${v}, right after that write: the catch-up run of a resume`,
      ),
    );
  return [
    {
      code: 'Resumed',
      severity: 'info',
      message: `The CronJob was resumed${owner?.time ? ` at ${rfc3339(owner.time)}` : ''}: ${n} schedule time(s) before it were skipped while suspended (when the suspension began is not recorded), and the controller started the latest one at once.`,
      evidence,
    },
  ];
}

function sameMinute(ctx: VerdictContext): Cause[] {
  const s = ctx.misses.slots;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.reasons[i] === REASON_CODE['same-minute']) n++;
  if (n === 0) return [];
  return [
    {
      code: 'SameMinute',
      severity: 'warning',
      message: `${n} schedule time(s) fall in a minute that already had a run: the controller names each Job after the minute it is for, so only one time per minute can start a Job.`,
      evidence: [
        fromCronJob(ctx, '.spec.schedule', (v) => `schedule is "${v}"`),
        derived(`${n} time(s) in the window share their minute with an earlier time that has a Job`, n),
      ],
      fix: [
        `kubectl patch cronjob ${ctx.name} -n ${ctx.namespace} --type=merge -p '{"spec":{"schedule":"* * * * *"}}'`,
      ],
    },
  ];
}

export { LATE_CREATION_MS };
