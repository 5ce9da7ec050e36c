// Static rules about a CronJob manifest, from the CronJob controller's behaviour
// (pkg/controller/cronjob, Kubernetes 1.36) and the API's validation (pkg/apis/batch/validation).
import { CronNextLoopError, loadLocation, SpecSchedule, STAR_BIT, type CronSchedule } from '../cron/index.js';
import { everyNeverDue } from '../cronjob/most-recent.js';
import { readSchedule } from '../cronjob/schedule.js';
import { rfc3339 } from '../time.js';
import type { CronJob } from '../../api/types.js';
import { jobSpecFindings } from './job-rules.js';
import type { Finding, LintContext } from './types.js';

/** Longest CronJob name: a Job is named `<cronjob>-<minutes>` (11 more characters) and must fit a 63-character label. */
export const MAX_CRONJOB_NAME = 52;
/** Below this startingDeadlineSeconds a run is easily dropped (see the StartingDeadlineTooShort finding). */
export const REACTION_SECONDS = 10;

const VALIDATION = 'pkg/apis/batch/validation';

/** Findings about a CronJob manifest. */
export function cronJobFindings(cj: CronJob, ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const spec = cj.spec;
  const name = cj.metadata?.name ?? '';
  const schedule = spec.schedule ?? '';
  const tz = spec.timeZone;

  if (name.length > MAX_CRONJOB_NAME) {
    out.push({
      code: 'NameTooLong',
      severity: 'error',
      path: '.metadata.name',
      message: `the name has ${name.length} characters; the controller names each Job <name>-<minutes since 1970> (11 more), which must fit 63, so the API rejects a CronJob name over ${MAX_CRONJOB_NAME}${ctx.exists ? ' on create (this one exists: its Jobs cannot be created)' : ''}`,
      basis: `${VALIDATION} ValidateCronJobCreate (DNS1035LabelMaxLength - 11)`,
    });
  }

  // TZ anywhere in the schedule: the API's check is a plain substring test.
  if (schedule.includes('TZ')) {
    const allowed = ctx.liveSchedule?.includes('TZ') === true;
    if (!allowed) {
      out.push({
        code: 'TimeZoneInSchedule',
        severity: 'error',
        path: '.spec.schedule',
        message: `"${schedule}" contains TZ: the API rejects TZ= and CRON_TZ= in a schedule ("cannot use TZ or CRON_TZ in schedule, use timeZone field instead") unless the stored CronJob already had one; use .spec.timeZone`,
        basis: `${VALIDATION} validateScheduleFormat (allowTZInSchedule only when the old schedule contains TZ)`,
      });
    } else if (tz != null) {
      out.push({
        code: 'TimeZoneInSchedule',
        severity: 'error',
        path: '.spec.schedule',
        message:
          'the schedule has TZ= or CRON_TZ= and .spec.timeZone is set: the API rejects both at once ("cannot use both timeZone field and TZ or CRON_TZ in schedule")',
        basis: `${VALIDATION} validateScheduleFormat`,
      });
    } else {
      out.push({
        code: 'TimeZoneInSchedule',
        severity: 'warning',
        path: '.spec.schedule',
        message:
          'TZ= or CRON_TZ= in the schedule is kept only because the stored CronJob already has it; the controller records UnsupportedSchedule at every sync and a new CronJob with it is rejected: move the zone to .spec.timeZone',
        basis: `${VALIDATION} validateScheduleFormat; pkg/controller/cronjob formatSchedule (UnsupportedSchedule)`,
      });
    }
  }

  if (tz != null) {
    let bad: string | null = null;
    if (tz === '') bad = 'an empty .spec.timeZone is rejected (timeZone must be nil or non-empty string)';
    else if (tz.toLowerCase() === 'local') bad = '"Local" is rejected: the API wants an explicit IANA zone';
    else {
      try {
        loadLocation(tz);
      } catch (e) {
        bad = `"${tz}" is not in the tzdata the tool carries (${(e as Error).message}); the API and the controller use Go's time.LoadLocation and reject or refuse it (UnknownTimeZone)`;
      }
    }
    if (bad) {
      out.push({
        code: 'UnknownTimeZone',
        severity: 'error',
        path: '.spec.timeZone',
        message: bad,
        basis: `${VALIDATION} validateTimeZone; pkg/controller/cronjob syncCronJob (UnknownTimeZone)`,
      });
    }
  }

  const reading = readSchedule(cj, 'v2', ctx.controllerZone);
  const sched = reading.schedule;
  if (!sched) {
    if (reading.error?.reason !== 'UnknownTimeZone') {
      out.push({
        code: 'UnparseableSchedule',
        severity: 'error',
        path: '.spec.schedule',
        message: `the schedule cannot be parsed: ${reading.error?.message ?? 'invalid'}`,
        basis: `${VALIDATION} validateScheduleFormat (robfig/cron v3 ParseStandard)`,
      });
    } else {
      // The zone is reported above; the fields themselves do not depend on it.
      const fields = readSchedule({ ...cj, spec: { ...cj.spec, timeZone: undefined } }, 'v2', 'UTC').schedule;
      if (fields) out.push(...dayFieldFindings(cj, fields));
    }
  } else {
    out.push(...scheduleFindings(cj, sched, ctx));
  }

  const sds = spec.startingDeadlineSeconds;
  if (sds != null && sds >= 0 && !(sched && everyNeverDue(cj, sched))) {
    if (sds === 0) {
      out.push({
        code: 'StartingDeadlineZero',
        severity: 'error',
        path: '.spec.startingDeadlineSeconds',
        message:
          'startingDeadlineSeconds 0 never runs: the controller only considers times after now - 0 s, and a scheduled time is always in the past by the time it syncs',
        basis: 'pkg/controller/cronjob utils.go mostRecentScheduleTime (earliest = now - startingDeadlineSeconds)',
      });
    } else if (sds < REACTION_SECONDS) {
      out.push({
        code: 'StartingDeadlineTooShort',
        severity: 'warning',
        path: '.spec.startingDeadlineSeconds',
        message: `startingDeadlineSeconds ${sds} is under ${REACTION_SECONDS} s: the controller syncs 100 ms after a scheduled time when nothing delays it, but any delay longer than ${sds} s (a kube-controller-manager restart, a leader failover with its 15 s lease, a busy work queue) drops that run, usually without any event; the Kubernetes docs warn that under 10 s a CronJob may not be scheduled`,
        basis:
          "pkg/controller/cronjob nextScheduleDelta (100 ms); component-base leader election LeaseDuration 15 s; CronJob docs (10 s, the legacy controller's poll)",
      });
    }
  }

  if (spec.concurrencyPolicy === 'Forbid') {
    const job = spec.jobTemplate?.spec;
    if (job?.activeDeadlineSeconds == null && job?.template?.spec?.activeDeadlineSeconds == null) {
      out.push({
        code: 'ForbidWithoutDeadline',
        severity: 'warning',
        path: '.spec.jobTemplate.spec.activeDeadlineSeconds',
        message:
          'concurrencyPolicy Forbid and no activeDeadlineSeconds on the Job (or its pods): one hung run blocks every later run (JobAlreadyActive) until someone deletes it',
        basis: 'pkg/controller/cronjob syncCronJob (Forbid skips while .status.active is not empty)',
      });
    }
  }

  if (spec.failedJobsHistoryLimit === 0) {
    out.push({
      code: 'FailedHistoryZero',
      severity: 'warning',
      path: '.spec.failedJobsHistoryLimit',
      message:
        'failedJobsHistoryLimit 0: the controller deletes each failed Job (and its pods and logs) at its next sync, so a failure leaves only events, which expire after 1 h by default',
      basis: 'pkg/controller/cronjob cleanupFinishedJobs / removeOldestJobs',
    });
  }

  out.push(...jobSpecFindings(spec.jobTemplate?.spec, '.spec.jobTemplate.spec', ctx));
  return out;
}

function scheduleFindings(cj: CronJob, sched: CronSchedule, ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  let first: Date | null = null;
  try {
    first = sched.next(ctx.now);
  } catch (e) {
    // Where robfig's Next would never return (a DST corner), the controller gets no time either.
    if (!(e instanceof CronNextLoopError)) throw e;
  }
  if (!first) {
    out.push({
      code: 'ScheduleNeverFires',
      severity: 'error',
      path: '.spec.schedule',
      message: `"${cj.spec.schedule}" has no time within 5 years of ${rfc3339(ctx.now)} (robfig/cron stops searching there): the controller never starts a Job and records InvalidSchedule`,
      basis: 'robfig/cron v3 SpecSchedule.Next (5-year limit); pkg/controller/cronjob mostRecentScheduleTime',
    });
    return out;
  }
  if (everyNeverDue(cj, sched)) {
    const delay = (sched as { delaySeconds?: number }).delaySeconds;
    out.push({
      code: 'EveryDeadlineNeverRuns',
      severity: 'error',
      path: '.spec.startingDeadlineSeconds',
      message: `@every ${delay} s with startingDeadlineSeconds ${cj.spec.startingDeadlineSeconds}: the controller counts @every from now - ${cj.spec.startingDeadlineSeconds} s, so the next time is always in the future and no Job ever starts`,
      basis: 'pkg/controller/cronjob utils.go mostRecentScheduleTime with robfig ConstantDelaySchedule',
    });
  }
  out.push(...dayFieldFindings(cj, sched));
  return out;
}

function dayFieldFindings(cj: CronJob, sched: CronSchedule): Finding[] {
  const out: Finding[] = [];
  if (sched instanceof SpecSchedule) {
    const f = sched.fields;
    if ((f.dom & STAR_BIT) === 0n && (f.dow & STAR_BIT) === 0n) {
      out.push({
        code: 'DayOfMonthOrDayOfWeek',
        severity: 'warning',
        path: '.spec.schedule',
        message: `"${cj.spec.schedule}" restricts both day-of-month and day-of-week: cron runs on days matching EITHER (OR), not both; for "the first Monday" use a day-of-month range and check the weekday in the Job`,
        basis: 'robfig/cron v3 dayMatches (OR unless a day field starts with * or ?)',
      });
    }
  }
  return out;
}
