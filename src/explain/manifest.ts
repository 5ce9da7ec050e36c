// `why -f`: the report about each manifest (findings before it is applied, and for a CronJob that
// exists the controller's next sync after the apply, labelled a prediction) as data and as words.
import type { ApplyPreview } from '../controller/plans/apply-preview.js';
import type { Finding, Severity } from '../controller/lint/index.js';
import type { Explanation, Tone } from './types.js';
import { relative, rfc3339 } from '../controller/time.js';

/** One manifest object's report (an item of `-o json`). */
export interface ManifestReportItem {
  kind: 'CronJob' | 'Job';
  namespace: string;
  name: string;
  /** Where it came from: `path[#document][ item n]` or `stdin`. */
  source: string;
  findings: Finding[];
  /** The controller's next sync after the apply (CronJobs only), or null. */
  preview: ApplyPreview | null;
  /** Why there is no preview, when there is none for a CronJob. */
  previewSkipped: string | null;
}

/** The whole report. */
export interface ManifestReport {
  kind: 'ManifestReport';
  now: string;
  items: ManifestReportItem[];
  /** Objects of the input that were not examined (other kinds, malformed). */
  skipped: Array<{ source: string; kind: string; name: string; reason: string }>;
  summary: { errors: number; warnings: number; infos: number };
}

const TONE: Record<Severity, Tone> = { error: 'bad', warning: 'warn', info: 'info' };

/** Counts findings by severity. */
export function summarise(items: ManifestReportItem[]): ManifestReport['summary'] {
  const all = items.flatMap((i) => i.findings);
  return {
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
    infos: all.filter((f) => f.severity === 'info').length,
  };
}

const at = (iso: string, now: Date) => `${rfc3339(new Date(iso))} (${relative(new Date(iso), now)})`;

/** What the preview predicts, in sentences (each starts with "predicted:"). */
export function describePreview(p: ApplyPreview, now: Date): string[] {
  const d = p.decision;
  const lines: string[] = [];
  const when = p.syncAt ? at(p.syncAt, now) : null;
  const trigger: Record<ApplyPreview['trigger'], string> = {
    created: 'the CronJob is new: the controller syncs it at once',
    updated: 'the change keeps the schedule, so the controller syncs at once',
    'schedule-changed': `the schedule changes, so the controller waits for the new schedule's next time and syncs at ${when}`,
    'already-queued': `the schedule changes; the controller already had a sync queued for ${when}, before the new schedule's next time`,
    unchanged: `nothing changes; the controller's next sync stays at ${when ?? 'no time'}`,
    none: 'the new schedule does not parse, so the controller queues no sync for it',
  };
  lines.push(`predicted: ${trigger[p.trigger]}`);
  if (!d) return lines;
  const many = d.events.some((e) => e.reason === 'TooManyMissedTimes');
  switch (d.reason) {
    case 'Create':
      lines.push(
        p.catchUp
          ? `predicted: it starts job/${d.jobName} for the missed time ${d.scheduledTime}${d.missedCount > 1 ? ` (about ${d.missedCount} times missed; only the latest runs)` : ''}`
          : `predicted: it starts job/${d.jobName} for ${d.scheduledTime}${d.missedCount > 1 ? ` (about ${d.missedCount} times since the last run; only the latest runs)` : ''}`,
      );
      break;
    case 'JobAlreadyActive':
      lines.push(
        `predicted: it skips ${d.scheduledTime}: concurrencyPolicy Forbid and ${d.active.map((n) => `job/${n}`).join(', ')} still running`,
      );
      break;
    case 'MissSchedule':
      lines.push(`predicted: it skips ${d.scheduledTime}, past startingDeadlineSeconds`);
      break;
    case 'Suspended':
      lines.push('predicted: nothing runs: the CronJob is suspended');
      break;
    case 'NotDueYet':
    case 'AlreadyProcessed':
      lines.push(
        `predicted: nothing starts${d.requeueAt ? `; the next run is at ${at(new Date(Math.floor(Date.parse(d.requeueAt) / 1000) * 1000).toISOString(), now)}` : ''}`,
      );
      break;
    default: {
      const w = d.events.find((e) => e.type === 'Warning');
      lines.push(`predicted: nothing starts (${d.reason}${w ? `: ${w.message}` : ''})`);
    }
  }
  if (many) lines.push('predicted: it records TooManyMissedTimes (more than 100 start times missed)');
  for (const del of d.deletes)
    lines.push(
      `predicted: it deletes job/${del.name} (${del.why === 'replace' ? 'concurrencyPolicy Replace' : `${del.list ?? ''} history limit`.trim()})`,
    );
  if (p.ifSyncedNow)
    lines.push(
      `predicted: a sync right away would instead start job/${p.ifSyncedNow.jobName} for the missed time ${p.ifSyncedNow.scheduledTime}`,
    );
  return lines;
}

/** The explanation of one item. */
export function explainManifestItem(item: ManifestReportItem, now: Date): Explanation {
  const worst: Severity | null = item.findings.some((f) => f.severity === 'error')
    ? 'error'
    : item.findings.some((f) => f.severity === 'warning')
      ? 'warning'
      : null;
  const counts = summarise([item]);
  const headline =
    worst === 'error'
      ? {
          tone: 'bad' as Tone,
          state: 'error',
          text: `${counts.errors} error${counts.errors === 1 ? '' : 's'}${counts.warnings ? `, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}` : ''}: this manifest will not work as written.`,
        }
      : worst === 'warning'
        ? {
            tone: 'warn' as Tone,
            state: 'warning',
            text: `${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}: it works, probably not as meant.`,
          }
        : { tone: 'ok' as Tone, state: 'ok', text: "no problem found by the controllers' rules." };
  const facts: Array<[string, string]> = [['Source', item.source]];
  if (item.preview) {
    const [first, ...rest] = describePreview(item.preview, now);
    facts.push([item.preview.exists ? 'After apply' : 'On create', first!]);
    for (const l of rest) facts.push(['', l]);
  } else if (item.previewSkipped) {
    facts.push(['After apply', `not predicted: ${item.previewSkipped}`]);
  }
  return {
    subject: `${item.kind.toLowerCase()}/${item.name} in namespace ${item.namespace}`,
    headline,
    facts,
    causes: item.findings.map((f) => ({
      tone: TONE[f.severity],
      code: f.code,
      title: f.message,
      evidence: [`${f.severity} at ${f.path}`, `based on ${f.basis}`],
      fix: [],
    })),
    tables: [],
    notes: item.preview?.notes ?? [],
  };
}
