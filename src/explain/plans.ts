// Words for the plans of trigger, suspend/unsuspend and clean: plain sentences, no colour.
import type { CleanPlan, ProtectReason } from '../controller/plans/clean.js';
import type { ResumePrediction, SuspendPlan } from '../controller/plans/suspend.js';
import type { JobProgress, TriggerWarning } from '../controller/plans/trigger.js';
import type { DryRun } from '../controller/plans/types.js';
import { relative, rfc3339 } from '../controller/time.js';

/** kubectl's suffix for dry runs: "", " (dry run)", " (server dry run)". */
export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** One warning of `trigger`, as a sentence. */
export function explainTriggerWarning(w: TriggerWarning): string {
  switch (w.code) {
    case 'ManualNotTracked':
      return (
        `the CronJob controller does not count a manual Job as active: concurrencyPolicy Forbid and Replace ignore it ` +
        `(scheduled runs of cronjob/${w.cronJob} can start while it runs, and Replace will not stop it), ` +
        `and while it runs the controller records UnexpectedJob warning events for it`
      );
    case 'Overlap':
      return (
        `cronjob has concurrencyPolicy ${w.policy} and ${w.active.length === 1 ? 'a Job is' : 'Jobs are'} still running ` +
        `(${w.active.map((n) => `job/${n}`).join(', ')}): this manual run will overlap ${w.active.length === 1 ? 'it' : 'them'}`
      );
    case 'Suspended':
      return `cronjob/${w.cronJob} is suspended; the manual Job runs anyway (suspend only stops scheduled runs)`;
  }
}

/** The line printed when `trigger --wait` ends, and the hint for a failure. */
export function explainJobEnd(name: string, p: JobProgress): { text: string; hint?: string } {
  if (p.state === 'complete') return { text: `job.batch/${name} completed` };
  if (p.state === 'failed') {
    const why = [p.condition.reason, p.condition.message].filter(Boolean).join(': ');
    return { text: `job.batch/${name} failed${why ? `: ${why}` : ''}`, hint: `kubectl job why job/${name}` };
  }
  return { text: `job.batch/${name} is running (active ${p.active}, succeeded ${p.succeeded}, failed ${p.failed})` };
}

/** What the controller does right after the resume, as sentences (first one is the headline). */
export function explainResume(name: string, r: ResumePrediction, now: Date): string[] {
  const at = (iso: string) => `${iso} (${relative(new Date(iso), now)})`;
  const next = r.nextRunAt ? `; the next scheduled run is at ${at(r.nextRunAt)}` : '';
  const lines: string[] = [];
  const tooMany = r.events.some((e) => e.reason === 'TooManyMissedTimes');
  switch (r.reason) {
    case 'Create':
      lines.push(
        r.catchUp
          ? `on resume the controller at once starts job/${r.jobName} for the missed time ${at(r.scheduledTime!)} (startingDeadlineSeconds still allows it)`
          : `on resume the controller starts job/${r.jobName} for ${at(r.scheduledTime!)}`,
      );
      if (r.dropped > 0)
        lines.push(
          `about ${r.dropped} earlier missed ${r.dropped === 1 ? 'time' : 'times'} will not run: the controller only catches up the most recent one`,
        );
      break;
    case 'JobAlreadyActive':
      lines.push(
        `the missed time ${at(r.scheduledTime!)} is skipped: concurrencyPolicy is Forbid and ${r.active.map((n) => `job/${n}`).join(', ')} is still running${next}`,
      );
      break;
    case 'MissSchedule':
      lines.push(`the missed time ${at(r.scheduledTime!)} is past startingDeadlineSeconds and will not run${next}`);
      break;
    case 'AlreadyProcessed':
      lines.push(
        `nothing starts at once: ${r.scheduledTime ? `the time ${r.scheduledTime} already has job/${r.jobName}` : 'the latest time already ran'}${next}`,
      );
      break;
    case 'NotDueYet':
      if (r.pastDeadline) {
        const d = r.pastDeadline;
        const earlier = d.missedCount > 1 ? ` and about ${d.missedCount - 1} earlier` : '';
        lines.push(
          `nothing starts at once: the missed time ${at(d.scheduledTime)}${earlier} is older than startingDeadlineSeconds (${d.deadlineSeconds}s), so the controller skips it${next}`,
        );
      } else {
        lines.push(`nothing starts at once: no scheduled time was missed${next}`);
      }
      break;
    case 'UnknownTimeZone':
    case 'UnparseableSchedule':
    case 'InvalidSchedule':
    case 'FailedNeedsStart': {
      const e = r.events.find((x) => x.type === 'Warning');
      lines.push(
        `nothing will run after the resume: the controller cannot use the schedule${e ? ` (${e.reason}: ${e.message})` : ''}`,
      );
      break;
    }
    default:
      lines.push(`nothing starts at once${next}`);
  }
  if (tooMany)
    lines.push(
      `the controller will record a TooManyMissedTimes warning: more than 100 start times were missed (set .spec.startingDeadlineSeconds to bound the catch-up)`,
    );
  return lines.map((l) => `cronjob/${name}: ${l}`);
}

/** The sentence for a suspend/unsuspend that changes nothing. */
export function explainNoop(p: SuspendPlan): string {
  return p.suspend
    ? `cronjob.batch/${p.name} is already suspended; nothing to do`
    : `cronjob.batch/${p.name} is not suspended; nothing to do`;
}

/** The note printed before suspending (running Jobs go on). */
export function explainSuspendEffect(p: SuspendPlan): string {
  const running = p.active.length
    ? `; running ${p.active.map((n) => `job/${n}`).join(', ')} ${p.active.length === 1 ? 'is' : 'are'} not stopped`
    : '';
  return `cronjob/${p.name}: no scheduled runs will start while it is suspended${running}`;
}

/** kubectl-like result line: `cronjob.batch/x suspended (dry run)`. */
export function explainSuspendDone(p: SuspendPlan, d: DryRun): string {
  return `cronjob.batch/${p.name} ${p.suspend ? 'suspended' : 'unsuspended'}${dryRunSuffix(d)}`;
}

const PROTECT_TEXT: Record<ProtectReason, string> = {
  'being-deleted': 'already being deleted',
  'active-pods': 'still has active pods',
  'uncounted-pods': 'finished pods not yet counted by the Job controller',
  'terminating-pods': 'pods still terminating',
  'no-preconditions': 'no uid/resourceVersion to guard the deletion',
};

/** Why a finished Job is protected, in words. */
export function protectText(r: ProtectReason): string {
  return PROTECT_TEXT[r];
}

/** Summary lines of a clean plan (what is deleted, what is left and why). */
export function explainCleanPlan(p: CleanPlan, d: DryRun): string[] {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const lines = [`${d === 'client' ? 'would delete' : 'deleting'} ${n(p.delete.length, 'Job')} of ${p.listed} listed`];
  const left: string[] = [];
  if (p.notFinished) left.push(`${p.notFinished} not finished`);
  if (p.otherOutcome) left.push(`${p.otherOutcome} of the other outcome`);
  if (p.keptByKeep) left.push(`${p.keptByKeep} kept by --keep`);
  if (p.keptByAge) left.push(`${p.keptByAge} newer than --older-than`);
  if (p.protected.length) left.push(`${p.protected.length} protected`);
  if (left.length) lines.push(`left alone: ${left.join(', ')}`);
  for (const x of p.protected) lines.push(`  protected job/${x.name} in ${x.namespace}: ${protectText(x.reason)}`);
  return lines;
}

/** `2026-11-23T08:00:00Z (5d ago)` or `unknown`. */
export function finishedText(iso: string | null, now: Date): string {
  return iso ? `${rfc3339(new Date(iso))} (${relative(new Date(iso), now)})` : 'unknown';
}

/** What the owner reference chosen with `trigger --owner` means for the Job, as one sentence. */
export function explainOwner(mode: 'controller' | 'plain' | 'none', cronJob: string, backfill: boolean): string {
  switch (mode) {
    case 'controller':
      return backfill
        ? `owned as the controller owns its own Jobs (controller: true, blockOwnerDeletion: true): history limits count and prune it, the garbage collector deletes it with cronjob/${cronJob}`
        : `owned as kubectl owns it (controller: true): history limits count and prune it, the garbage collector deletes it with cronjob/${cronJob}`;
    case 'plain':
      return `--owner plain (controller: false): the CronJob controller ignores this Job (no UnexpectedJob events, the history limits never delete it, why/misses do not list it); the garbage collector still deletes it with cronjob/${cronJob}`;
    case 'none':
      return `--owner none: no ownerReference; the CronJob controller ignores this Job and it outlives cronjob/${cronJob}`;
  }
}

/** One row of `trigger --for/--missed`'s preview: time, Job, what misses says, what happens. */
export function backfillRow(
  i: { time: string; name: string; fate: string | null; refused: string | null },
  d: DryRun,
): string[] {
  const action = i.refused ? `refused: ${i.refused}` : d === 'client' ? 'would create' : 'create';
  return [i.time, `job/${i.name}`, i.fate ?? '-', action];
}

/** One row of the suspend/unsuspend preview: namespace, name, schedule, change, what happens at once, next run, running Jobs. */
export function suspendPreviewRow(p: SuspendPlan, schedule: string): string[] {
  const change = p.noop
    ? `${p.suspended ? 'suspended' : 'active'} (no change)`
    : p.suspend
      ? 'active -> suspended'
      : 'suspended -> active';
  let atOnce = 'nothing to do';
  let next = '-';
  if (!p.noop && p.suspend) atOnce = 'no new scheduled runs';
  const r = p.resume;
  if (!p.noop && r) {
    next = r.nextRunAt ?? '-';
    const tooMany = r.events.some((e) => e.reason === 'TooManyMissedTimes') ? '; TooManyMissedTimes warning' : '';
    switch (r.reason) {
      case 'Create':
        atOnce = `${r.catchUp ? 'catch-up: ' : ''}starts job/${r.jobName} for ${r.scheduledTime}${r.dropped > 0 ? `; ~${r.dropped} earlier missed dropped` : ''}${tooMany}`;
        break;
      case 'JobAlreadyActive':
        atOnce = `skips ${r.scheduledTime} (Forbid: ${r.active.map((n) => `job/${n}`).join(', ')} running)${tooMany}`;
        break;
      case 'MissSchedule':
        atOnce = `skips ${r.scheduledTime} (past startingDeadlineSeconds)${tooMany}`;
        break;
      case 'AlreadyProcessed':
        atOnce = `nothing (${r.scheduledTime} already has job/${r.jobName})`;
        break;
      case 'NotDueYet':
        atOnce = r.pastDeadline
          ? `nothing (missed ${r.pastDeadline.scheduledTime} is past startingDeadlineSeconds)`
          : 'nothing (no missed time)';
        break;
      case 'UnknownTimeZone':
      case 'UnparseableSchedule':
      case 'InvalidSchedule':
      case 'FailedNeedsStart':
        atOnce = `never runs: ${r.reason}`;
        break;
      default:
        atOnce = 'nothing';
    }
  }
  const running = p.active.length ? p.active.map((n) => `job/${n}`).join(', ') : '-';
  return [p.namespace, p.name, schedule, change, atOnce, next, running];
}

/** Column heads of the suspend/unsuspend preview. */
export const SUSPEND_PREVIEW_HEAD = ['namespace', 'name', 'schedule', 'change', 'at once', 'next run', 'running'];
