// A Job seen from its CronJob: a Job that is gone (deleted by Replace or by the history limits)
// answered from the CronJob, its Jobs and the controller's events while they last; and a running
// Job that blocks its Forbid CronJob.

import type { Job } from '../../api/types.js';
import type { Cause, Evidence, JobVerdict } from '../verdict.js';
import { derived, observed, observedEvent } from '../observe.js';
import { eventsAbout, eventTime } from './evidence.js';
import { indexControllerEvents } from './job-events.js';
import { finishedStatus, jobNameFor, jobStart, scheduledTimeOfJob } from './jobs.js';
import { listMisses } from './misses.js';
import { controllerNextRun } from './most-recent.js';
import { controllerGeneration, readSchedule } from './schedule.js';
import type { CronJobInput } from './types.js';
import { humanDuration, rfc3339 } from '../time.js';

/** The CronJob name a controller-made Job name points to (`<cronjob>-<digits>`), or null. */
export function cronJobNameOf(jobName: string): string | null {
  const m = /^(.+)-(\d{1,11})$/.exec(jobName);
  return m ? m[1]! : null;
}

/** `why job/<name>` for a Job that no longer exists, from its CronJob; null when nothing tells. */
export function explainGoneJob(input: CronJobInput, jobName: string): JobVerdict | null {
  const { cronJob, now } = input;
  const cjName = cronJob.metadata.name ?? '';
  const ns = cronJob.metadata.namespace ?? 'default';
  const scheduled = scheduledTimeOfJob({ metadata: { name: jobName } } as Job, cjName);
  const events = eventsAbout(input.events, 'CronJob', cjName, cronJob.metadata.uid);
  const facts = indexControllerEvents(events).byJob.get(jobName);
  if (!scheduled && !facts) return null;
  const { generation } = controllerGeneration(input.serverVersion);
  if (scheduled && jobNameFor(cjName, scheduled, generation) !== jobName && !facts) return null;
  const evidence: Evidence[] = [derived(`job/${jobName} is not in namespace ${ns}`)];
  let slotFate: string | null = null;
  let slotReason: string | undefined;
  if (scheduled) {
    const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC', input.serverVersion);
    if (reading.schedule && !reading.error) {
      const r = listMisses({
        ...input,
        since: new Date(scheduled.getTime() - 1),
        until: new Date(Math.max(scheduled.getTime(), now.getTime())),
      });
      const s = r.slots.length > 0 && r.slots.times[0] === scheduled.getTime() ? r.slots.slot(0) : null;
      if (s) [slotFate, slotReason] = [s.fate, s.reason];
    }
    evidence.push(
      derived(
        `its name is cronjob/${cjName}'s name for the schedule time ${rfc3339(scheduled)}`,
        rfc3339(scheduled),
        scheduled,
      ),
    );
  }
  for (const e of [facts?.created, facts?.completed?.event, facts?.deleted, facts?.missing])
    if (e) evidence.push(observedEvent(e, `cronjob/${cjName}`));
  const base = {
    kind: 'Job' as const,
    namespace: ns,
    name: jobName,
    now: rfc3339(now),
    cronJob: cjName,
    scheduledTime: scheduled ? rfc3339(scheduled) : null,
    fate: slotFate,
  };
  const deletedAt = facts?.deleted ? eventTime(facts.deleted) : null;
  if (slotFate === 'replaced') {
    const next = listNextCreate(events, deletedAt?.getTime());
    return {
      ...base,
      verdict: 'failed',
      causes: [
        {
          code: 'Replaced',
          severity: 'error',
          message: `cronjob/${cjName} (concurrencyPolicy Replace) deleted this Job while it was still running${deletedAt ? ` at ${rfc3339(deletedAt)}` : ''}${next ? `, to start ${next}` : ''}; the run never finished.`,
          evidence: [
            ...evidence,
            observed(
              { obj: cronJob, ref: `cronjob/${cjName}` },
              '.spec.concurrencyPolicy',
              (v) => `concurrencyPolicy is ${v}`,
            ),
          ],
          fix: [`kubectl job why cronjob/${cjName} -n ${ns}`, `kubectl job misses ${cjName} -n ${ns}`],
        },
      ],
    };
  }
  if (slotFate === 'pruned') {
    const cond = facts?.completed?.condition;
    return {
      ...base,
      verdict: 'deleted',
      causes: [
        {
          code: 'DeletedByHistoryLimit',
          severity: 'info',
          message: `The Job ${cond === 'Failed' ? 'failed' : cond === 'Complete' ? 'succeeded' : 'finished'}, and cronjob/${cjName} deleted it${deletedAt ? ` at ${rfc3339(deletedAt)}` : ''} to keep its history limits; its pods and logs are gone.`,
          evidence,
          fix: [`kubectl job misses ${cjName} -n ${ns}`],
        },
      ],
    };
  }
  if (slotFate === 'ran' && slotReason === 'deleted-while-active') {
    return {
      ...base,
      verdict: 'deleted',
      causes: [
        {
          code: 'MissingJob',
          severity: 'warning',
          message:
            'The Job was deleted while it ran, by someone other than its CronJob (the controller recorded MissingJob).',
          evidence,
        },
      ],
    };
  }
  if (facts?.deleted) {
    return {
      ...base,
      verdict: 'deleted',
      causes: [
        {
          code: 'DeletedByCronJob',
          severity: 'warning',
          message: `cronjob/${cjName} deleted this Job${deletedAt ? ` at ${rfc3339(deletedAt)}` : ''}: by Replace while it ran, or by a history limit after it finished; the evidence that would tell (a SawCompletedJob event) is gone.`,
          evidence,
          fix: [`kubectl job misses ${cjName} -n ${ns}`],
        },
      ],
    };
  }
  if (slotFate === 'missed' || slotFate === 'suspended' || slotFate === 'forbid' || slotFate === 'missed-deadline') {
    return {
      ...base,
      verdict: 'deleted',
      causes: [
        {
          code: 'NeverCreated',
          severity: 'warning',
          message: `No Job of that name was ever created: cronjob/${cjName}'s run for ${base.scheduledTime} was ${slotFate === 'forbid' ? 'skipped by Forbid' : slotFate} (${slotReason ?? 'see misses'}).`,
          evidence,
          fix: [`kubectl job misses ${cjName} -n ${ns}`],
        },
      ],
    };
  }
  return null;
}

function listNextCreate(events: ReturnType<typeof eventsAbout>, deletedMs: number | undefined): string | null {
  if (deletedMs === undefined) return null;
  for (const e of events) {
    const t = eventTime(e)?.getTime();
    if (e.reason !== 'SuccessfulCreate' || t === undefined || Math.abs(t - deletedMs) > 2_000) continue;
    const m = /Created job (\S+)$/.exec(e.message ?? '');
    if (m) return `job ${m[1]}`;
  }
  return null;
}

/** A running Job of a Forbid CronJob, listed in its .status.active, blocks every run until it ends. */
export function forbidBlockerCause(input: CronJobInput, job: Job): Cause | null {
  const { cronJob, now } = input;
  if (cronJob.spec.concurrencyPolicy !== 'Forbid' || finishedStatus(job)) return null;
  const listed = (cronJob.status?.active ?? []).some(
    (r) => r.uid === job.metadata.uid || (!r.uid && r.name === job.metadata.name),
  );
  if (!listed) return null;
  const cjName = cronJob.metadata.name ?? '';
  const { generation } = controllerGeneration(input.serverVersion);
  const reading = readSchedule(cronJob, generation, input.controllerZone ?? 'UTC', input.serverVersion);
  const start = jobStart(job);
  const ref = `cronjob/${cjName}`;
  const evidence: Evidence[] = [
    observed({ obj: cronJob, ref }, '.spec.concurrencyPolicy', (v) => `concurrencyPolicy is ${v}`),
    observed({ obj: cronJob, ref }, '.status.active[*].name', (v: string[]) => `.status.active lists ${v.join(', ')}`),
  ];
  let skipped = 0;
  let next: Date | null = null;
  if (reading.schedule && !reading.error && start) {
    const own = scheduledTimeOfJob(job, cjName)?.getTime() ?? start.getTime();
    for (
      let t = reading.schedule.nextMillis(own);
      t <= now.getTime() && skipped < 10_000;
      t = reading.schedule.nextMillis(t)
    )
      skipped++;
    next = controllerNextRun(cronJob, now, reading.schedule);
    evidence.push(
      derived(
        `${skipped} schedule time(s) came since it started at ${rfc3339(start)} (${humanDuration(now.getTime() - start.getTime())} ago)`,
        skipped,
      ),
    );
  }
  if (cronJob.spec.suspend === true) return null;
  return {
    code: 'BlocksCronJob',
    severity: skipped > 0 ? 'warning' : 'info',
    message: `While this Job runs, cronjob/${cjName} starts no run (concurrencyPolicy Forbid)${skipped > 0 ? `: ${skipped} run(s) skipped so far` : ''}${next ? `; the next, at ${rfc3339(next)}, is skipped too if it is still running` : ''}.`,
    evidence,
    fix: [`kubectl job why cronjob/${cjName} -n ${cronJob.metadata.namespace ?? 'default'}`],
  };
}
