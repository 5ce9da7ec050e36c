// `misses <cronjob>`: a compact timeline of schedule times and their fates, in plain strings.
// Consecutive slots with the same fate (and, for runs, the same outcome; for Forbid, the same
// blocking Job) are grouped, so a year of minutes stays a few lines.

import type { MissesReport } from '../controller/cronjob/misses.js';
import type { SlotFate } from '../controller/cronjob/timeline.js';
import { relative, rfc3339, rfc3339In, shortDuration } from './format.js';
import type { Explanation, ExplanationTable, Tone } from './types.js';

/** A run of consecutive slots with the same fate. */
export interface TimelineGroup {
  fate: SlotFate;
  from: string;
  to: string;
  count: number;
  /** For `ran`: the outcome shared by the group; for `forbid`: the blocking Job. */
  outcome?: string;
  /** First and last Job of the group (ran), or the blocking Job (forbid). */
  firstJob?: string;
  lastJob?: string;
  /** Duration of the single run, when the group is one slot. */
  durationSeconds?: number;
}

/** Fates that mean "a scheduled run did not happen". */
export const MISSED_FATES: readonly SlotFate[] = ['forbid', 'missed-deadline', 'suspended', 'unknown'];

const FATE_TEXT: Record<SlotFate, string> = {
  ran: 'ran',
  due: 'due now',
  forbid: 'skipped (Forbid)',
  'missed-deadline': 'missed deadline',
  suspended: 'suspended',
  'history-deleted': 'Job deleted',
  unknown: 'missed',
  'before-creation': 'before creation',
  future: 'upcoming',
};

const FATE_TONE: Record<SlotFate, Tone> = {
  ran: 'ok', due: 'info', forbid: 'warn', 'missed-deadline': 'bad', suspended: 'warn',
  'history-deleted': 'muted', unknown: 'bad', 'before-creation': 'muted', future: 'muted',
};

/** Groups the report's slots into runs (see TimelineGroup); linear in slots, one object per group. */
export function missesTimeline(report: MissesReport): TimelineGroup[] {
  const s = report.slots;
  const groups: Array<TimelineGroup & { fromMs: number; toMs: number }> = [];
  let curKey = '';
  for (let i = 0; i < s.length; i++) {
    const fate = s.fate(i);
    const ref = s.jobRefs[i]!;
    const job = ref >= 0 ? s.jobs[ref] : undefined;
    const detail = fate === 'ran' ? job?.outcome : fate === 'forbid' ? job?.name : undefined;
    const key = `${fate}|${detail ?? ''}`;
    const cur = groups[groups.length - 1];
    if (cur && key === curKey) {
      cur.count++;
      cur.toMs = s.times[i]!;
      if (fate === 'ran' && job) cur.lastJob = job.name;
      continue;
    }
    const g: TimelineGroup & { fromMs: number; toMs: number } = { fate, from: '', to: '', count: 1, fromMs: s.times[i]!, toMs: s.times[i]! };
    if (detail) g.outcome = detail;
    if (job) [g.firstJob, g.lastJob] = [job.name, job.name];
    if (fate === 'ran' && job?.durationSeconds !== undefined) g.durationSeconds = job.durationSeconds;
    groups.push(g);
    curKey = key;
  }
  return groups.map(({ fromMs, toMs, ...g }) => {
    const out: TimelineGroup = { ...g, from: rfc3339(new Date(fromMs)), to: rfc3339(new Date(toMs)) };
    if (out.count > 1) delete out.durationSeconds;
    return out;
  });
}

function detailOf(g: TimelineGroup): string {
  switch (g.fate) {
    case 'ran': {
      const jobs = g.count === 1 ? `job ${g.firstJob}` : `jobs ${g.firstJob} … ${g.lastJob}`;
      const took = g.durationSeconds !== undefined ? ` in ${shortDuration(g.durationSeconds * 1000)}` : '';
      return `${jobs} ${g.outcome ?? ''}${took}`.trim();
    }
    case 'forbid': return `job ${g.outcome} still active`;
    case 'missed-deadline': return 'not started within startingDeadlineSeconds';
    case 'history-deleted': return 'handled, Job since deleted (history limit or TTL)';
    case 'unknown': return 'no Job, no recorded reason (controller not running?)';
    case 'suspended': return '.spec.suspend was true';
    case 'due': return 'the controller should start it now';
    default: return '';
  }
}

/** Explains a misses report: headline, counts, a grouped timeline (newest `maxRows` groups) and manual runs. */
export function explainMisses(report: MissesReport, opts: { maxRows?: number } = {}): Explanation {
  const maxRows = opts.maxRows ?? 40;
  const now = new Date(report.now);
  const zone = report.zone;
  const local = (iso: string): string => rfc3339In(new Date(iso), zone);
  const subject = `cronjob/${report.name} in namespace ${report.namespace}`;
  if (report.error) {
    return { subject, headline: { tone: 'bad', state: 'unreadable schedule', text: report.error }, facts: [], causes: [], tables: [], notes: [] };
  }
  const c = report.counts;
  const past = report.total - c.future - c['before-creation'];
  const missed = MISSED_FATES.reduce((n, f) => n + c[f], 0);
  const headline = missed === 0
    ? { tone: 'ok' as Tone, state: 'no misses', text: `All ${past} schedule time(s) in the window were handled (${c.ran} with a Job still present).` }
    : { tone: (c.unknown + c['missed-deadline'] > 0 ? 'bad' : 'warn') as Tone, state: 'missed runs', text: `${missed} of ${past} schedule time(s) in the window did not run.` };

  const facts: Array<[string, string]> = [
    ['Window', `${local(report.since)} … ${local(report.until)}`],
    ['Schedule', `${report.schedule}  (${zone})`],
    ['Schedule times', String(report.total)],
  ];
  for (const f of Object.keys(FATE_TEXT) as SlotFate[]) if (c[f] > 0) facts.push([FATE_TEXT[f], String(c[f])]);
  if (report.suspendedSince) facts.push(['Suspended since', `${local(report.suspendedSince)} (${relative(new Date(report.suspendedSince), now)})`]);

  const groups = missesTimeline(report);
  const shown = groups.slice(-maxRows);
  const timeline: ExplanationTable = {
    title: 'Timeline',
    head: ['from', 'to', 'count', 'fate', 'detail'],
    rows: shown.map((g) => [local(g.from), g.count > 1 ? local(g.to) : '', String(g.count), FATE_TEXT[g.fate], detailOf(g)]),
    tones: shown.map((g) => (g.fate === 'ran' && g.outcome === 'failed' ? 'bad' : FATE_TONE[g.fate])),
  };
  const tables = [timeline];
  if (report.manualRuns.length) {
    tables.push({ title: 'Manual runs', head: ['time', 'job', 'outcome'], rows: report.manualRuns.map((m) => [local(m.time), m.job, m.outcome]) });
  }
  const notes: string[] = [];
  if (groups.length > shown.length) notes.push(`${groups.length - shown.length} earlier group(s) not shown.`);
  if (c['history-deleted'] > 0) notes.push('"Job deleted" times were handled by the controller, but history limits or ttlSecondsAfterFinished removed their Jobs, so their outcome is unknown.');
  if (c.suspended > 0 && !report.suspendedSince) notes.push('Suspension time unknown (no managedFields entry for .spec.suspend): assumed since the last scheduled run.');
  return { subject, headline, facts, causes: [], tables, notes };
}
