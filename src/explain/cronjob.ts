// `why <cronjob>`: turns a CronJobVerdict into plain sentences (headline, key facts, causes with
// evidence and fixes). No colour here: tones only.

import type { CronJobVerdictExtras } from '../controller/cronjob/decide.js';
import type { Cause, CronJobVerdict, Evidence, Severity } from '../controller/verdict.js';
import { relative, rfc3339InZone } from '../controller/time.js';
import type { Explanation, ExplanationCause, Tone } from './types.js';

const TONE: Record<Severity, Tone> = { error: 'bad', warning: 'warn', info: 'info' };

const STATE_TEXT: Record<CronJobVerdict['verdict'], string> = {
  healthy: 'healthy',
  'not-firing': 'not firing',
  failing: 'failing',
  blocked: 'blocked',
  'missed-runs': 'missed runs',
};

/** One evidence line: `job/x: text` for facts about another object, else the text; a prediction
 * says so, so that nothing the model expects reads as something that was observed. */
export function evidenceLine(e: Evidence): string {
  const text = e.kind === 'prediction' ? `predicted: ${e.text}` : e.text;
  return e.object ? `${e.object}: ${text}` : text;
}

/** A cause as a titled block. */
export function explainCause(c: Cause): ExplanationCause {
  return {
    tone: TONE[c.severity],
    code: c.code,
    title: c.message,
    evidence: c.evidence.map(evidenceLine),
    fix: c.fix ?? [],
  };
}

/** `2016-05-19T12:00:00+02:00 (in 5m)`, in the schedule's zone. */
function when(iso: string | null, zone: string, now: Date): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return `${rfc3339InZone(d, zone)} (${relative(d, now)})`;
}

/** The first sentence of a message (the whole message when it has one sentence). */
function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s)/.exec(text);
  return m ? m[0] : text;
}

function headline(v: CronJobVerdict & Partial<CronJobVerdictExtras>, zone: string, now: Date): Explanation['headline'] {
  const top = v.causes.find((c) => c.severity === 'error');
  if (v.verdict === 'healthy' || !top) {
    const due = v.causes.find((c) => c.code === 'DueNow');
    const base = due
      ? due.message
      : v.nextScheduleTime
        ? `Runs on schedule; next run ${when(v.nextScheduleTime, zone, now)}.`
        : 'No problem found.';
    const unknown = v.fates?.unknown ?? 0;
    const text =
      unknown > 0
        ? `${base} ${unknown} earlier time(s) in the window cannot be checked: their Jobs and events are gone.`
        : base;
    return { tone: 'ok', state: STATE_TEXT.healthy, text };
  }
  const tone: Tone = top.code === 'Suspended' ? 'warn' : 'bad';
  return { tone, state: STATE_TEXT[v.verdict], text: firstSentence(top.message) };
}

/** Explains a CronJob verdict (extra fields such as schedule and zone are used when present). */
export function explainCronJob(v: CronJobVerdict & Partial<CronJobVerdictExtras>): Explanation {
  const now = new Date(v.now);
  const zone = v.timeZone ?? 'UTC';
  const facts: Array<[string, string]> = [];
  if (v.schedule !== undefined) {
    const src =
      v.zoneSource === 'controller'
        ? "kube-controller-manager's zone, assumed"
        : v.zoneSource === 'schedule'
          ? 'TZ in schedule'
          : '.spec.timeZone';
    facts.push(['Schedule', `${v.schedule}  (${zone}, ${src})`]);
  }
  if (v.concurrencyPolicy !== undefined) facts.push(['Concurrency', v.concurrencyPolicy]);
  if (v.suspended !== undefined) facts.push(['Suspended', v.suspended ? 'yes' : 'no']);
  facts.push(['Last scheduled', v.lastScheduleTime ? when(v.lastScheduleTime, zone, now) : 'never']);
  facts.push([
    'Next run',
    v.nextScheduleTime ? when(v.nextScheduleTime, zone, now) : v.suspended ? '- (suspended)' : '-',
  ]);
  if (v.mostRecentUnmetTime) facts.push(['Due, not started', when(v.mostRecentUnmetTime, zone, now)]);
  if (v.window)
    facts.push([
      'Looked back to',
      `${rfc3339InZone(new Date(v.window.since), zone)} (${relative(new Date(v.window.since), now)})`,
    ]);
  if (v.missed > 0) facts.push(['Runs not started', String(v.missed)]);
  if (v.fates && v.fates.unknown > 0)
    facts.push(['Times unknown', `${v.fates.unknown} (their Jobs and events are gone)`]);
  if (v.controller !== undefined)
    facts.push(['Controller', v.controller === 'v1' ? 'v1 (legacy, Kubernetes ≤1.20)' : 'v2']);
  facts.push(['Evaluated at', rfc3339InZone(now, zone)]);

  const notes: string[] = [];
  const hasEvents = v.causes.some((c) => c.evidence.some((e) => e.source === 'event'));
  if (v.verdict !== 'healthy' && !hasEvents) {
    notes.push(
      'No controller events were found; events expire after 1 hour by default (kube-apiserver --event-ttl), so older ones are gone.',
    );
  }
  if (v.zoneSource === 'controller') notes.push(`Times assume kube-controller-manager runs in ${zone}.`);

  return {
    subject: `cronjob/${v.name} in namespace ${v.namespace}`,
    headline: headline(v, zone, now),
    facts,
    causes: v.causes.map(explainCause),
    tables: [],
    notes,
  };
}
