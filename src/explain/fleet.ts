// The fleet view of `why --all`: one row per CronJob.
import type { CronJobVerdict } from '../controller/verdict.js';
import { relative } from './format.js';
import type { ExplanationTable, Tone } from './types.js';

const TONE: Record<CronJobVerdict['verdict'], Tone> = { healthy: 'ok', 'not-firing': 'bad', failing: 'bad', blocked: 'warn', 'missed-runs': 'bad' };

/** A table of verdicts: namespace, name, verdict, the leading cause, last and next schedule. */
export function fleetTable(verdicts: Array<CronJobVerdict & { schedule?: string }>, now: Date, wide = false): ExplanationTable {
  const head = ['namespace', 'name', 'verdict', 'cause', 'last schedule', 'next'];
  if (wide) head.push('missed', 'message');
  const rows = verdicts.map((v) => {
    const top = v.causes.find((c) => c.severity === 'error') ?? v.causes.find((c) => c.severity === 'warning') ?? v.causes[0];
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
