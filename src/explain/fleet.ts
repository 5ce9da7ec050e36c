// The fleet view of `why --all`: one row per CronJob.
import type { Unreadable } from '../cluster/unreadable.js';
import type { CronJobVerdict } from '../controller/verdict.js';
import { relative } from '../controller/time.js';
import type { ExplanationTable, Tone } from './types.js';

const TONE: Record<CronJobVerdict['verdict'], Tone> = {
  healthy: 'ok',
  'not-firing': 'bad',
  failing: 'bad',
  blocked: 'warn',
  'missed-runs': 'bad',
};

/** A table of verdicts: namespace, name, verdict, the leading cause, last and next schedule. */
export function fleetTable(
  verdicts: Array<CronJobVerdict & { schedule?: string }>,
  now: Date,
  wide = false,
): ExplanationTable {
  const head = ['namespace', 'name', 'verdict', 'cause', 'last schedule', 'next'];
  if (wide) head.push('missed', 'message');
  const rows = verdicts.map((v) => {
    const top =
      v.causes.find((c) => c.severity === 'error') ?? v.causes.find((c) => c.severity === 'warning') ?? v.causes[0];
    const row = [
      v.namespace,
      v.name,
      v.verdict,
      top?.code ?? '-',
      v.lastScheduleTime ? relative(new Date(v.lastScheduleTime), now) : '<none>',
      v.nextScheduleTime ? relative(new Date(v.nextScheduleTime), now) : '<none>',
    ];
    if (wide) row.push(String(v.missed), top?.message ?? '');
    return row;
  });
  return { title: '', head, rows, tones: verdicts.map((v) => TONE[v.verdict]) };
}

/** One context's part of an audit of several clusters: its verdicts, or why it could not be audited. */
export type ContextAudit = {
  context: string;
  /** The namespace audited; undefined with -A. */
  namespace?: string;
  /** 0 healthy, 1 a problem found, else the error's exit code (README table). */
  exitCode: number;
} & (
  | { verdicts: CronJobVerdict[]; unreadable: Unreadable[] }
  | { error: { reason: string; message: string; hint?: string } }
);

/** The one-line reason of a failed context, without the context name the row already shows. */
export function contextErrorLine(a: { context: string; error: { message: string } }): string {
  return a.error.message.split('\n')[0]!.replace(` (context "${a.context}")`, '');
}

/**
 * The table of an audit of several contexts: a CONTEXT column first, then the columns of
 * fleetTable (NAMESPACE only when `showNamespace`); a context that failed is one row with verdict
 * `error` and its reason in CAUSE (MESSAGE holds the hint with -o wide).
 */
export function contextsTable(audits: ContextAudit[], now: Date, wide = false, showNamespace = true): ExplanationTable {
  const base = fleetTable([], now, wide);
  const head = ['context', ...(showNamespace ? base.head : base.head.slice(1))];
  const rows: string[][] = [];
  const tones: Tone[] = [];
  for (const a of audits) {
    if ('error' in a) {
      rows.push([
        a.context,
        ...(showNamespace ? [a.namespace ?? '-'] : []),
        '-',
        'error',
        contextErrorLine(a),
        '-',
        '-',
        ...(wide ? ['-', a.error.hint ?? ''] : []),
      ]);
      tones.push('bad');
      continue;
    }
    const t = fleetTable(a.verdicts, now, wide);
    rows.push(...t.rows.map((r) => [a.context, ...(showNamespace ? r : r.slice(1))]));
    tones.push(...(t.tones as Tone[]));
  }
  return { title: '', head, rows, tones };
}

/**
 * `-o json|yaml` of an audit of several contexts: every verdict carries its `context`; a context
 * that failed is an item of kind ContextError (verdict `error`); `contexts` sums up each one.
 */
export function contextsDocument(audits: ContextAudit[]): {
  kind: 'VerdictList';
  contexts: Array<Record<string, unknown>>;
  items: Array<Record<string, unknown>>;
} {
  const ns = (a: ContextAudit) => (a.namespace !== undefined ? { namespace: a.namespace } : {});
  return {
    kind: 'VerdictList',
    contexts: audits.map((a) =>
      'error' in a
        ? {
            context: a.context,
            ...ns(a),
            exitCode: a.exitCode,
            error: { reason: a.error.reason, message: a.error.message },
          }
        : {
            context: a.context,
            ...ns(a),
            exitCode: a.exitCode,
            cronJobs: a.verdicts.length,
            ...(a.unreadable.length ? { unreadable: a.unreadable } : {}),
          },
    ),
    items: audits.flatMap(
      (a): Array<Record<string, unknown>> =>
        'error' in a
          ? [
              {
                kind: 'ContextError',
                context: a.context,
                ...ns(a),
                verdict: 'error',
                reason: a.error.reason,
                message: a.error.message,
                ...(a.error.hint ? { hint: a.error.hint } : {}),
                exitCode: a.exitCode,
              },
            ]
          : a.verdicts.map((v) => ({
              context: a.context,
              ...v,
              ...(a.unreadable.length ? { unreadable: a.unreadable } : {}),
            })),
    ),
  };
}
