// Causes about the schedule and its timing: deletion, zone, parse errors, suspension, missed times,
// deadlines, overdue runs and the next run.

import type { Cause, Evidence } from '../verdict.js';
import { derived, describeSchedule, fromCronJob, predicted, type VerdictContext, patchCommand } from './context.js';
import { eventEvidence, eventTime, suspendOwner } from './evidence.js';
import { FATE_CODE, REASON_CODE } from './timeline.js';
import { controllerNextRun, everyNeverDue, lastKnownStart, mostRecentScheduleTime } from './most-recent.js';
import { supportsTimeZoneField, zoneInSchedule } from './schedule.js';
import { predictAfterResume } from './sync.js';
import { humanDuration, parseTime, relative, rfc3339 } from '../time.js';

/** A due time younger than this is "due now", older is "overdue". */
export const OVERDUE_GRACE_MS = 90_000;

/** startingDeadlineSeconds suggested by fixes. */
const SUGGESTED_DEADLINE_SECONDS = 300;

const eventsNamed = (ctx: VerdictContext, reason: string): Evidence[] =>
  ctx.events
    .filter((e) => e.reason === reason)
    .slice(0, 3)
    .map((e) => eventEvidence(e));

/** All schedule and timing causes, in order of importance. */
export function scheduleCauses(ctx: VerdictContext): Cause[] {
  return [
    ...deleting(ctx),
    ...readErrors(ctx),
    ...suspended(ctx),
    ...tooManyMissed(ctx),
    ...clockSkew(ctx),
    ...missedDeadline(ctx),
    ...dueOrOverdue(ctx),
    ...notDueYet(ctx),
    ...controllerZone(ctx),
    ...everyNeverStarts(ctx),
    ...syncFails(ctx),
  ];
}

function deleting(ctx: VerdictContext): Cause[] {
  const t = parseTime(ctx.input.cronJob.metadata.deletionTimestamp);
  if (!t) return [];
  return [
    {
      code: 'Deleting',
      severity: 'error',
      message: `The CronJob is being deleted (since ${rfc3339(t)}); the controller only updates its status and starts nothing.`,
      evidence: [fromCronJob(ctx, '.metadata.deletionTimestamp', (v) => `deletionTimestamp is ${v}`, t)],
      fix: [`kubectl get cronjob ${ctx.name} -n ${ctx.namespace} -o jsonpath='{.metadata.finalizers}'`],
    },
  ];
}

function readErrors(ctx: VerdictContext): Cause[] {
  const { cronJob } = ctx.input;
  const err = ctx.reading.error;
  const schedFix = patchCommand(ctx, { spec: { schedule: '<minute> <hour> <day-of-month> <month> <day-of-week>' } });
  const out: Cause[] = [];
  if (err?.reason === 'UnknownTimeZone') {
    out.push({
      code: 'UnknownTimeZone',
      severity: 'error',
      message: `.spec.timeZone "${cronJob.spec.timeZone}" is not a known time zone, so the controller starts no Jobs (${err.message}).`,
      evidence: [
        fromCronJob(ctx, '.spec.timeZone', (v) => `timeZone is "${v}"`),
        ...eventsNamed(ctx, 'UnknownTimeZone'),
      ],
      fix: [patchCommand(ctx, { spec: { timeZone: '<Area/City>' } })],
    });
  } else if (err) {
    const code = err.reason === 'FailedNeedsStart' ? 'FailedNeedsStart' : 'UnparseableSchedule';
    out.push({
      code,
      severity: 'error',
      message: `The schedule "${cronJob.spec.schedule}" cannot be parsed, so the controller starts no Jobs (${err.message}).`,
      evidence: [fromCronJob(ctx, '.spec.schedule', (v) => `schedule is "${v}"`), ...eventsNamed(ctx, err.reason)],
      fix: [schedFix],
    });
  } else if (ctx.reading.schedule && mostRecentScheduleTime(cronJob, ctx.now, ctx.reading.schedule, true).error) {
    out.push({
      code: 'InvalidSchedule',
      severity: 'error',
      message: `The schedule "${cronJob.spec.schedule}" parses but never comes round twice (an impossible date such as February 31), so the controller starts no Jobs.`,
      evidence: [
        fromCronJob(ctx, '.spec.schedule', (v) => `schedule is "${v}"`),
        derived(
          `next two schedule times after ${rfc3339(lastKnownStart(cronJob))}: none within 5 years (time difference between two schedules is less than 1 second)`,
        ),
        ...eventsNamed(ctx, 'InvalidSchedule'),
      ],
      fix: [schedFix],
    });
  }
  const unsupported = ctx.reading.events.find((e) => e.reason === 'UnsupportedSchedule');
  if (unsupported) {
    const zone = zoneInSchedule(cronJob.spec.schedule);
    const rest = cronJob.spec.schedule.replace(/^\s*(?:CRON_)?TZ=\S+\s+/, '');
    out.push({
      code: 'UnsupportedSchedule',
      severity: 'warning',
      message: `The schedule names its zone with TZ/CRON_TZ, which Kubernetes does not officially support${cronJob.spec.timeZone ? ' and which overrides .spec.timeZone' : ''}; use .spec.timeZone instead.`,
      evidence: [
        fromCronJob(ctx, '.spec.schedule', (v) => `schedule is "${v}"`),
        ...eventsNamed(ctx, 'UnsupportedSchedule'),
      ],
      fix: zone ? [patchCommand(ctx, { spec: { schedule: rest, timeZone: zone } })] : [],
    });
  }
  return out;
}

function suspended(ctx: VerdictContext): Cause[] {
  const { cronJob } = ctx.input;
  if (cronJob.spec.suspend !== true) return [];
  const owner = suspendOwner(cronJob);
  const evidence: Evidence[] = [fromCronJob(ctx, '.spec.suspend', (v) => `.spec.suspend is ${v}`)];
  if (owner) {
    const at = `.metadata.managedFields[?(@.manager=="${owner.manager}")]`;
    evidence.push({
      ...fromCronJob(
        ctx,
        `${at}.time`,
        (t) =>
          `.spec.suspend is owned by "${owner.manager}" (${owner.operation})${t ? `, last written ${t} (${relative(new Date(t), ctx.now)})` : ''}`,
        owner.time,
      ),
      source: 'managedFields',
    });
  }
  const last = parseTime(cronJob.status?.lastScheduleTime);
  evidence.push(
    fromCronJob(
      ctx,
      '.status.lastScheduleTime',
      (v) => (v ? `last scheduled ${v} (${relative(new Date(v), ctx.now)})` : 'never scheduled'),
      last,
    ),
  );
  const n = ctx.misses.counts.suspended;
  if (n > 0) evidence.push(derived(`${n}${ctx.windowCapped ? '+' : ''} schedule time(s) passed while suspended`, n));

  const fix = [`kubectl job unsuspend ${ctx.name} -n ${ctx.namespace}`];
  const resume = predictAfterResume(ctx.input);
  const d = resume.decision;
  let after: string;
  if (d.reason === 'FailedNeedsStart' && d.missed === 'many') {
    after =
      'Unsuspending would start nothing: this controller (v1, Kubernetes ≤1.20) gives up with FailedNeedsStart after more than 100 missed times until startingDeadlineSeconds is set.';
    fix.unshift(patchCommand(ctx, { spec: { startingDeadlineSeconds: SUGGESTED_DEADLINE_SECONDS } }));
  } else if (d.action === 'create') {
    const many = d.missed === 'many' ? ` and records TooManyMissedTimes (about ${d.missedCount} missed)` : '';
    after = `Unsuspending now starts job ${d.jobName} at once for the missed time ${d.scheduledTime}${many}; ${resume.dropped} other missed time(s) are dropped.`;
    if (cronJob.spec.startingDeadlineSeconds == null) {
      fix.push(
        `# to resume without the catch-up run, set a deadline first: ${patchCommand(ctx, { spec: { startingDeadlineSeconds: SUGGESTED_DEADLINE_SECONDS } })}`,
      );
    }
  } else if (d.reason === 'JobAlreadyActive') {
    after = `Unsuspending now starts nothing: job ${d.active[0]} is still active and concurrencyPolicy is Forbid.`;
  } else {
    const next = ctx.reading.schedule ? controllerNextRun(cronJob, ctx.now, ctx.reading.schedule) : null;
    after = `Unsuspending now starts nothing until the next run${next ? ` at ${rfc3339(next)}` : ''}.`;
  }
  evidence.push(predicted(after, d.action));
  return [
    {
      code: 'Suspended',
      severity: 'error',
      message: `The CronJob is suspended${owner ? ` (by "${owner.manager}")` : ''}: the controller starts no Jobs and records no event for the times it skips.`,
      evidence,
      fix,
    },
  ];
}

function tooManyMissed(ctx: VerdictContext): Cause[] {
  const d = ctx.decision;
  if (d.missed !== 'many') return [];
  const since = lastKnownStart(ctx.input.cronJob);
  const fix = [patchCommand(ctx, { spec: { startingDeadlineSeconds: SUGGESTED_DEADLINE_SECONDS } })];
  const evidence: Evidence[] = [
    predicted(
      `about ${d.missedCount} schedule times since ${rfc3339(since)} (more than 100) are unmet at the controller's next sync`,
      d.missedCount,
      since,
    ),
    fromCronJob(ctx, '.spec.startingDeadlineSeconds', (v) =>
      v == null ? 'startingDeadlineSeconds is not set' : `startingDeadlineSeconds is ${v}`,
    ),
  ];
  if (d.generation === 'v1') {
    if (!ctx.generationCertain)
      evidence.push(
        derived('Kubernetes 1.20 runs the v1 controller unless the CronJobControllerV2 feature gate was turned on'),
      );
    return [
      {
        code: 'FailedNeedsStart',
        severity: 'error',
        message:
          'More than 100 schedule times were missed, and this controller (v1, Kubernetes ≤1.20) refuses to start any Job until startingDeadlineSeconds limits how far back it looks.',
        evidence: [...evidence, ...eventsNamed(ctx, 'FailedNeedsStart')],
        fix,
      },
    ];
  }
  return [
    {
      // An error, not a warning: the runs are already lost, and "did it stop running?" is answered yes.
      code: 'TooManyMissedTimes',
      severity: 'error',
      message: `More than 100 schedule times were missed; the controller warns but still starts the latest one${d.scheduledTime ? ` (${d.scheduledTime})` : ''}. Every earlier one is lost.`,
      evidence: [...evidence, ...eventsNamed(ctx, 'TooManyMissedTimes')],
      fix,
    },
  ];
}

function clockSkew(ctx: VerdictContext): Cause[] {
  const last = parseTime(ctx.input.cronJob.status?.lastScheduleTime);
  if (!last || last.getTime() <= ctx.now.getTime() + 60_000) return [];
  return [
    {
      code: 'ClockSkew',
      severity: 'warning',
      message: `lastScheduleTime is ${humanDuration(last.getTime() - ctx.now.getTime())} in the future: the controller's clock is ahead of this machine's (or this one is behind), and nothing is scheduled before that time.`,
      evidence: [
        fromCronJob(ctx, '.status.lastScheduleTime', (v) => `last scheduled ${v}`, last),
        derived(`now is ${rfc3339(ctx.now)}`),
      ],
      fix: ['date -u', `kubectl get cronjob ${ctx.name} -n ${ctx.namespace} -o jsonpath='{.status.lastScheduleTime}'`],
    },
  ];
}

function missedDeadline(ctx: VerdictContext): Cause[] {
  const { cronJob } = ctx.input;
  const n = ctx.misses.counts['missed-deadline'];
  const sds = cronJob.spec.startingDeadlineSeconds;
  if (n === 0 || sds == null || cronJob.spec.suspend === true) return [];
  const slots = ctx.misses.slots;
  let latest: string | undefined;
  let lastMissed: string | undefined;
  for (let i = slots.length - 1; i >= 0; i--) {
    const fate = slots.fate(i);
    if (fate === 'future') continue;
    latest ??= fate;
    if (fate === 'missed-deadline') {
      lastMissed = slots.slot(i).time;
      break;
    }
  }
  const evidence: Evidence[] = [
    fromCronJob(ctx, '.spec.startingDeadlineSeconds', (v) => `startingDeadlineSeconds is ${v}`),
    derived(
      `${n} schedule time(s) after lastScheduleTime have no Job and are more than ${sds}s old; the latest is ${lastMissed}`,
      n,
    ),
  ];
  const events = eventsNamed(ctx, 'MissSchedule');
  evidence.push(
    ...(events.length
      ? events
      : [
          derived(
            'no MissSchedule event: the controller moves its earliest time past the deadline before checking it, so it almost never records one',
          ),
        ]),
  );
  if (sds < 10)
    evidence.push(derived('deadlines below 10 seconds often expire before the controller gets to the CronJob'));
  return [
    {
      code: 'MissSchedule',
      severity: latest === 'missed-deadline' ? 'error' : 'warning',
      message: `${n} run(s) were not started within startingDeadlineSeconds (${sds}s) and are skipped for good; the controller was not running, was late, or its clock is skewed.`,
      evidence,
      fix: [
        patchCommand(ctx, { spec: { startingDeadlineSeconds: Math.max(SUGGESTED_DEADLINE_SECONDS, sds * 2) } }),
        'kubectl get pods -n kube-system -l component=kube-controller-manager',
      ],
    },
  ];
}

function dueOrOverdue(ctx: VerdictContext): Cause[] {
  const d = ctx.decision;
  if (d.action !== 'create' || !d.scheduledTime) return [];
  const t = new Date(d.scheduledTime);
  const lag = ctx.now.getTime() - t.getTime();
  if (lag <= OVERDUE_GRACE_MS) {
    return [
      {
        code: 'DueNow',
        severity: 'info',
        message: `The run for ${d.scheduledTime} is due; the controller should create job ${d.jobName} now.`,
        evidence: [
          predicted(
            `most recent unmet schedule time ${d.scheduledTime} (${relative(t, ctx.now)}): the controller creates job ${d.jobName} at its next sync`,
            d.scheduledTime,
            t,
          ),
        ],
      },
    ];
  }
  // A FailedCreate since this time was due explains it instead.
  const failed = ctx.events.some(
    (e) => e.reason === 'FailedCreate' && (eventTime(e)?.getTime() ?? 0) >= t.getTime() - 60_000,
  );
  if (failed) return [];
  const missedBefore = countAfterLast(ctx, t.getTime());
  return [
    {
      code: 'Overdue',
      severity: 'error',
      message: `The run for ${d.scheduledTime} is ${humanDuration(lag)} overdue: no job ${d.jobName} exists and the controller recorded nothing. kube-controller-manager is probably not running (or not leading), its cronjob controller is disabled, clocks are skewed, or the namespace is being deleted (the controller records no event for that).`,
      evidence: [
        fromCronJob(ctx, '.status.lastScheduleTime', (v) =>
          v ? `last scheduled ${v}: no Job was created for a later time` : 'never scheduled',
        ),
        derived(
          `schedule time ${d.scheduledTime} (${relative(t, ctx.now)}) is after it, schedule ${describeSchedule(ctx)}`,
          d.scheduledTime,
          t,
        ),
        derived(`no job named ${d.jobName} and no SuccessfulCreate or FailedCreate event`),
        ...(missedBefore > 0
          ? [
              predicted(
                `${missedBefore} earlier time(s) after lastScheduleTime also have no Job; the controller starts only the latest`,
                missedBefore,
              ),
            ]
          : []),
      ],
      fix: [
        'kubectl get pods -n kube-system -l component=kube-controller-manager',
        `kubectl job trigger ${ctx.name} -n ${ctx.namespace}`,
      ],
    },
  ];
}

function notDueYet(ctx: VerdictContext): Cause[] {
  const d = ctx.decision;
  if (d.reason !== 'NotDueYet' && d.reason !== 'AlreadyProcessed') return [];
  const next = ctx.reading.schedule ? controllerNextRun(ctx.input.cronJob, ctx.now, ctx.reading.schedule) : null;
  const last = parseTime(ctx.input.cronJob.status?.lastScheduleTime);
  return [
    {
      code: 'NotDueYet',
      severity: 'info',
      message: next
        ? `Not due yet: the next run is at ${rfc3339(next)} (${relative(next, ctx.now)}).`
        : 'No further schedule time within 5 years.',
      evidence: [
        fromCronJob(ctx, '.spec.schedule', () => `schedule ${describeSchedule(ctx)}`),
        ...(next ? [predicted(`next schedule time ${rfc3339(next)}`, rfc3339(next), next)] : []),
        fromCronJob(
          ctx,
          '.status.lastScheduleTime',
          (v) => (v ? `last scheduled ${v} (${relative(new Date(v), ctx.now)})` : 'never scheduled yet'),
          last,
        ),
      ],
    },
  ];
}

function controllerZone(ctx: VerdictContext): Cause[] {
  if (ctx.reading.zoneSource !== 'controller' || ctx.reading.error) return [];
  const canFix = supportsTimeZoneField(ctx.input.serverVersion);
  return [
    {
      code: 'ControllerTimeZone',
      severity: 'info',
      message: `.spec.timeZone is unset, so "${ctx.input.cronJob.spec.schedule}" is read in kube-controller-manager's local time zone, which this tool cannot see; times here assume ${ctx.reading.zone}.`,
      evidence: [
        fromCronJob(ctx, '.spec.timeZone', (v) => (v == null ? '.spec.timeZone is not set' : `.spec.timeZone is ${v}`)),
      ],
      fix: canFix ? [patchCommand(ctx, { spec: { timeZone: 'Etc/UTC' } })] : [],
    },
  ];
}

/** Slots before `beforeMs` that were never created because they come after lastScheduleTime. */
function countAfterLast(ctx: VerdictContext, beforeMs: number): number {
  const s = ctx.misses.slots;
  let n = 0;
  for (let i = 0; i < s.length && s.times[i]! < beforeMs; i++) {
    if (s.reasons[i] === REASON_CODE['after-last-schedule'] && s.fates[i] !== FATE_CODE.due) n++;
  }
  return n;
}

/** `@every D` with startingDeadlineSeconds below D: the controller never starts a Job. */
function everyNeverStarts(ctx: VerdictContext): Cause[] {
  const sched = ctx.reading.schedule;
  const cj = ctx.input.cronJob;
  if (!sched || ctx.reading.error || cj.spec.suspend === true || !everyNeverDue(cj, sched)) return [];
  return [
    {
      code: 'NeverDue',
      severity: 'error',
      message: `With "${cj.spec.schedule}" and startingDeadlineSeconds ${cj.spec.startingDeadlineSeconds}, the controller never starts a Job: the earliest time it considers is now minus the deadline, and the next tick after that is always still to come.`,
      evidence: [
        fromCronJob(ctx, '.spec.schedule', (v) => `schedule is "${v}"`),
        fromCronJob(ctx, '.spec.startingDeadlineSeconds', (v) => `startingDeadlineSeconds is ${v}`),
        predicted('no sync ever finds a due time'),
      ],
      fix: [patchCommand(ctx, { spec: { startingDeadlineSeconds: null } })],
    },
  ];
}

/** The controller's sync fails (the work queue retries it with backoff): nothing is created meanwhile. */
function syncFails(ctx: VerdictContext): Cause[] {
  const d = ctx.decision;
  if (!d.syncError) return [];
  const text: Partial<Record<string, string>> = {
    ForeignJob: 'a Job with the name the controller wants exists and is not controlled by this CronJob',
    AlreadyExistsGetFailed:
      'a Job with the due name exists, and this controller version cannot read it back (it asks with an empty namespace)',
    FailedGet: 'the controller cannot read a Job it lists',
    Panic: 'the schedule makes the cron parser panic in this controller version',
  };
  return [
    {
      code: d.reason,
      severity: 'error',
      message: `At its next sync the controller fails and retries with backoff: ${text[d.reason] ?? d.syncError}; no Job is created for ${d.scheduledTime ?? 'the due time'}.`,
      evidence: [
        predicted(`sync error: ${d.syncError}`, d.syncError),
        ...(d.jobName ? [derived(`the due Job name is ${d.jobName}`)] : []),
      ],
      fix: d.jobName
        ? [`kubectl get job ${d.jobName} -n ${ctx.namespace} -o jsonpath='{.metadata.ownerReferences}'`]
        : [],
    },
  ];
}
