// `misses <cronjob>`: a compact timeline of schedule times and their fates, in plain strings.
// Consecutive slots with the same fate (and, for runs, the same outcome; for Forbid, the same
// blocking Job) are grouped, so a year of minutes stays a few lines.

import type { MissesReport } from '../controller/cronjob/misses.js';
import { NOT_RUN_FATES } from '../controller/cronjob/misses.js';
import type { SlotFate, SlotReason } from '../controller/cronjob/timeline.js';
import { relative, rfc3339, rfc3339InZone } from '../controller/time.js';
import { shortDuration } from './format.js';
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
  /** The evidence that decided the fate (see MissSlot.reason). */
  reason?: SlotReason;
  /** For a late run: seconds between the scheduled time and the Job's creation. */
  lateSeconds?: number;
}

/** Fates that mean "a scheduled run did not happen" (proved; `unknown` is not one). */
export const MISSED_FATES: readonly SlotFate[] = NOT_RUN_FATES;

const FATE_TEXT: Record<SlotFate, string> = {
  ran: 'ran',
  due: 'due now',
  forbid: 'skipped (Forbid)',
  replaced: 'replaced',
  missed: 'missed',
  'missed-deadline': 'missed deadline',
  suspended: 'suspended',
  pruned: 'ran, removed',
  unknown: 'unknown',
  'before-creation': 'before creation',
  future: 'upcoming',
};

const FATE_TONE: Record<SlotFate, Tone> = {
  ran: 'ok',
  due: 'info',
  forbid: 'warn',
  replaced: 'bad',
  missed: 'bad',
  'missed-deadline': 'bad',
  suspended: 'warn',
  pruned: 'muted',
  unknown: 'muted',
  'before-creation': 'muted',
  future: 'muted',
};

/** How each reason proves its fate, in a few words (the README explains them in full). */
const REASON_TEXT: Record<SlotReason, string> = {
  '': '',
  late: 'created late',
  'after-last-schedule': 'after .status.lastScheduleTime: no Job was created',
  'not-created': 'no Job ever: older finished Jobs are still kept',
  'same-minute': 'its minute already had a Job (Jobs are named by the minute)',
  'too-many-missed': 'dropped with TooManyMissedTimes',
  'suspended-since': '.spec.suspend was true (managedFields)',
  resumed: 'skipped until the resume (managedFields)',
  'miss-schedule-event': 'MissSchedule event',
  'deadline-passed': 'not started within startingDeadlineSeconds',
  'delete-event': 'SuccessfulDelete event',
  'job-gone': 'a Job was created; it and its events are gone',
  'deleted-by-controller': 'deleted by the controller: Replace or history limit, not recorded which',
  'no-trace': 'no Job and no event left to tell',
  'deleted-while-active': 'deleted while running by someone else (MissingJob)',
  'waits-for-blocker': 'held back by a running Job (Forbid): starts when it finishes, if before the next time',
  'replace-order': 'no Job: under Replace the previous run was deleted only when a later one started',
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
    const detail = fate === 'ran' || fate === 'pruned' ? job?.outcome : fate === 'forbid' ? job?.name : undefined;
    const reason = s.reason(i);
    const key = `${fate}|${detail ?? ''}|${reason}`;
    const cur = groups[groups.length - 1];
    if (cur && key === curKey) {
      cur.count++;
      cur.toMs = s.times[i]!;
      if (fate === 'ran' && job) cur.lastJob = job.name;
      continue;
    }
    const g: TimelineGroup & { fromMs: number; toMs: number } = {
      fate,
      from: '',
      to: '',
      count: 1,
      fromMs: s.times[i]!,
      toMs: s.times[i]!,
    };
    if (reason) g.reason = reason;
    if (reason === 'late' && job?.lateSeconds !== undefined) g.lateSeconds = job.lateSeconds;
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
  const why = g.reason ? REASON_TEXT[g.reason] : '';
  switch (g.fate) {
    case 'ran': {
      const jobs = g.count === 1 ? `job ${g.firstJob}` : `jobs ${g.firstJob} … ${g.lastJob}`;
      const took = g.durationSeconds !== undefined ? ` in ${shortDuration(g.durationSeconds * 1000)}` : '';
      const late =
        g.reason === 'late' && g.lateSeconds !== undefined
          ? `, created ${shortDuration(g.lateSeconds * 1000)} late`
          : g.reason && g.reason !== 'late'
            ? `, ${why}`
            : '';
      return `${jobs} ${g.outcome ?? ''}${took}${late}`.replace(/\s+/g, ' ').trim();
    }
    case 'forbid':
      return `job ${g.outcome} still active`;
    case 'pruned':
      return `job ${g.firstJob}${g.outcome && g.outcome !== 'unknown' ? ` ${g.outcome}` : ''}, removed by a history limit (${why})`;
    case 'replaced':
      return `job ${g.firstJob} deleted by Replace when the next run started (${why})`;
    case 'due':
      return g.reason === 'waits-for-blocker' ? REASON_TEXT['waits-for-blocker'] : 'the controller should start it now';
    default:
      return why;
  }
}

/** Explains a misses report: headline, counts, a grouped timeline (newest `maxRows` groups) and manual runs. */
export function explainMisses(report: MissesReport, opts: { maxRows?: number } = {}): Explanation {
  const maxRows = opts.maxRows ?? 40;
  const now = new Date(report.now);
  const zone = report.zone;
  const local = (iso: string): string => rfc3339InZone(new Date(iso), zone);
  const subject = `cronjob/${report.name} in namespace ${report.namespace}`;
  if (report.error) {
    return {
      subject,
      headline: { tone: 'bad', state: 'unreadable schedule', text: report.error },
      facts: [],
      causes: [],
      tables: [],
      notes: [],
    };
  }
  const c = report.counts;
  const past = report.total - c.future - c['before-creation'];
  const missed = MISSED_FATES.reduce((n, f) => n + c[f], 0) + c.replaced;
  const unknown = c.unknown > 0 ? ` ${c.unknown} cannot be told: their Jobs and events are gone.` : '';
  const headline =
    missed === 0
      ? {
          tone: (c.unknown > 0 ? 'info' : 'ok') as Tone,
          state: 'no misses found',
          text: `None of the ${past} schedule time(s) in the window is known to have been missed (${c.ran} ran with a Job or event to show it).${unknown}`,
        }
      : {
          tone: (c.missed + c.replaced + c['missed-deadline'] > 0 ? 'bad' : 'warn') as Tone,
          state: 'missed runs',
          text: `${missed} of ${past} schedule time(s) in the window did not run${c.replaced ? ' or were killed by Replace' : ''}.${unknown}`,
        };

  const facts: Array<[string, string]> = [
    ['Window', `${local(report.since)} … ${local(report.until)}`],
    ['Schedule', `${report.schedule}  (${zone})`],
    ['Schedule times', String(report.total)],
  ];
  for (const f of Object.keys(FATE_TEXT) as SlotFate[]) if (c[f] > 0) facts.push([FATE_TEXT[f], String(c[f])]);
  if (report.suspendedSince)
    facts.push([
      'Suspended since',
      `${local(report.suspendedSince)} (${relative(new Date(report.suspendedSince), now)})`,
    ]);

  const groups = missesTimeline(report);
  const shown = groups.slice(-maxRows);
  const timeline: ExplanationTable = {
    title: 'Timeline',
    head: ['from', 'to', 'count', 'fate', 'detail'],
    rows: shown.map((g) => [
      local(g.from),
      g.count > 1 ? local(g.to) : '',
      String(g.count),
      FATE_TEXT[g.fate],
      detailOf(g),
    ]),
    tones: shown.map((g) => (g.fate === 'ran' && g.outcome === 'failed' ? 'bad' : FATE_TONE[g.fate])),
  };
  const tables = [timeline];
  if (report.manualRuns.length) {
    tables.push({
      title: 'Manual runs',
      head: ['time', 'job', 'outcome'],
      rows: report.manualRuns.map((m) => [local(m.time), m.job, m.outcome]),
    });
  }
  const notes: string[] = [];
  if (groups.length > shown.length) notes.push(`${groups.length - shown.length} earlier group(s) not shown.`);
  if (c.unknown > 0)
    notes.push(
      '"unknown" times have no Job and no event left, and the Jobs that are kept do not prove that none was created: history limits, ttlSecondsAfterFinished or Replace may have removed it (README: what the tool can know after the fact).',
    );
  return { subject, headline, facts, causes: [], tables, notes };
}
