// Checks that a verdict cites only evidence that exists in its input: every `observed` item names
// an object that is in the input and, where it names a field, holds the value the object holds
// there; every event item is an Event of the input. The path reader here is written apart from
// src/controller/observe.ts on purpose, so the check does not trust the code it checks.
import type { CronJob, Job, KubeEvent, Pod } from '../../src/api/types.js';
import type { Evidence } from '../../src/controller/verdict.js';

/** What a verdict was computed from. */
export interface EvidenceInput {
  cronJob?: CronJob;
  /** The subject when it is not the CronJob (a Job's verdict). */
  subject?: unknown;
  jobs: Job[];
  pods?: Pod[];
  events: KubeEvent[];
}

function tokens(path: string): string[] {
  const out: string[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\["((?:[^"\\]|\\.)*)"\]|(\[\*\])|\[\?\(@\.([\w$-]+)=="([^"]*)"\)\]/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(path))) {
    if (m.index !== consumed) throw new Error(`bad path ${path}`);
    consumed = re.lastIndex;
    out.push(m[1] !== undefined ? `k:${m[1]}` : m[2] !== undefined ? `k:${m[2]}` : m[3] ? '*' : `?${m[4]}=${m[5]}`);
  }
  if (consumed !== path.length) throw new Error(`bad path ${path}`);
  return out;
}

/** Value at `path` in `obj` (undefined when absent); `[*]` maps, a filter takes the first match. */
export function valueAt(obj: unknown, path: string): unknown {
  let values: unknown[] = [obj];
  let many = false;
  for (const t of tokens(path)) {
    const next: unknown[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') continue;
      if (t.startsWith('k:')) {
        const x = (v as Record<string, unknown>)[t.slice(2)];
        if (x !== undefined) next.push(x);
      } else if (t === '*') {
        if (Array.isArray(v)) next.push(...v);
      } else {
        const [key, want] = t.slice(1).split('=') as [string, string];
        if (Array.isArray(v)) {
          const hit = v.find((e) => e && typeof e === 'object' && String((e as Record<string, unknown>)[key]) === want);
          if (hit !== undefined) next.push(hit);
        }
      }
    }
    if (t === '*') many = true;
    values = next;
  }
  return many ? values : values[0];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The problems with one evidence item (empty when it is honest). */
export function evidenceProblems(e: Evidence, input: EvidenceInput): string[] {
  const out: string[] = [];
  if (!['observed', 'derived', 'prediction'].includes(e.kind)) return [`evidence without a kind: ${JSON.stringify(e)}`];
  if (e.kind !== 'observed') {
    if (e.source !== 'computed') out.push(`${e.kind} evidence must have source computed: ${e.text}`);
    return out;
  }
  if (e.source === 'computed') return [`observed evidence with source computed: ${e.text}`];
  if (e.source === 'event') {
    const ev = input.events.find((x) => x.metadata.name === e.event);
    if (!e.event || !ev) out.push(`event evidence names no event of the input: ${e.text}`);
    else if (ev.reason !== e.value)
      out.push(`event evidence value ${String(e.value)} is not the event's reason ${ev.reason}`);
    return out;
  }
  let obj: unknown;
  if (e.object) {
    const [kind, name] = e.object.split('/') as [string, string];
    if (kind === 'job') obj = input.jobs.find((j) => j.metadata.name === name);
    else if (kind === 'pod') obj = input.pods?.find((p) => p.metadata.name === name);
    else if (kind === 'cronjob') obj = input.cronJob?.metadata.name === name ? input.cronJob : undefined;
    if (!obj) return [`observed evidence about ${e.object}, which is not in the input: ${e.text}`];
  } else {
    obj = input.subject ?? input.cronJob;
  }
  if (e.field) {
    if (!same(valueAt(obj, e.field), e.value))
      out.push(
        `observed ${e.object ?? 'subject'} ${e.field} = ${JSON.stringify(valueAt(obj, e.field))}, evidence says ${JSON.stringify(e.value)}: ${e.text}`,
      );
  } else if (!e.object) {
    out.push(`observed evidence about the subject without a field: ${e.text}`);
  }
  return out;
}

/** All problems of all evidence items of a list of causes. */
export function causeProblems(causes: Array<{ code: string; evidence: Evidence[] }>, input: EvidenceInput): string[] {
  return causes.flatMap((c) => c.evidence.flatMap((e) => evidenceProblems(e, input).map((p) => `${c.code}: ${p}`)));
}
