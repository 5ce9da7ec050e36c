// JobVerdict → Explanation: a headline, key facts, one block per cause, and the attempts table.
// Plain strings only; the output layer decides how tones look.
import type { Cause, JobVerdict } from '../controller/verdict.js';
import type { Attempt, FailureCounts, IndexState, JobDecision } from '../controller/job/types.js';
import type { Explanation, ExplanationCause, ExplanationTable, Tone } from './types.js';

type Extras =
  | 'failures'
  | 'attempts'
  | 'nextRetryAt'
  | 'rule'
  | 'predicted'
  | 'condition'
  | 'startTime'
  | 'pods'
  | 'indexes'
  | 'deleteAt'
  | 'owner'
  | 'terminatingUntil';
/**
 * What explainJob reads: the verdict fields plus the model's details, which a verdict read back
 * from JSON may lack (decideJob's JobDecision has them all).
 */
export type JobExplainInput = Pick<JobVerdict, 'kind' | 'namespace' | 'name' | 'verdict' | 'causes' | 'now'> &
  Partial<Pick<JobDecision, Extras>>;

const SEVERITY_TONE: Record<Cause['severity'], Tone> = { error: 'bad', warning: 'warn', info: 'info' };

const STATE_TONE: Record<JobVerdict['verdict'], Tone> = {
  running: 'ok',
  succeeded: 'ok',
  'backing-off': 'warn',
  suspended: 'muted',
  stuck: 'bad',
  failed: 'bad',
  deleted: 'warn',
};

function secondsBetween(a: string | null | undefined, b: string | null | undefined): number | null {
  if (!a || !b) return null;
  const d = (Date.parse(b) - Date.parse(a)) / 1000;
  return Number.isNaN(d) ? null : d;
}

function dur(seconds: number | null): string {
  if (seconds === null) return '?';
  let s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

function first(v: JobExplainInput, code: string): Cause | undefined {
  return v.causes.find((c) => c.code === code);
}

/** The condition message, written or predicted (the first cause's condition evidence). */
function endingMessage(v: JobExplainInput): string {
  if (v.condition?.message) return v.condition.message;
  const value = v.causes[0]?.evidence[0]?.value as { message?: unknown } | undefined;
  return typeof value?.message === 'string' ? value.message : '';
}

function failedHeadline(v: JobExplainInput, f: FailureCounts | undefined): string {
  const replaced = first(v, 'ReplacedByCronJob');
  if (replaced) return replaced.message;
  const msg = endingMessage(v);
  const L = f?.backoffLimit;
  switch (v.rule) {
    case 'backoffLimit':
      return `failed: ${f?.byPods ?? '?'} failed pods exceeded backoffLimit ${L ?? '?'}`;
    case 'backoffLimitOnFailure':
      return L === 0
        ? 'failed: a container restarted and backoffLimit is 0 (restartPolicy OnFailure counts restarts)'
        : f && f.byRestarts > 0
          ? `failed: ${f.byRestarts} container restarts reached backoffLimit ${L ?? '?'} (restartPolicy OnFailure)`
          : `failed: container restarts reached backoffLimit ${L ?? '?'} (restartPolicy OnFailure; the pod and its restart count are gone)`;
    case 'activeDeadline': {
      const ran = secondsBetween(v.startTime, v.condition?.time ?? v.now);
      const used = f ? ` with ${f.counted} of ${f.backoffLimit} retries used` : '';
      return `killed by activeDeadlineSeconds after ${dur(ran)}${used}, before backoffLimit was reached`;
    }
    case 'podFailurePolicy':
      return `failed by podFailurePolicy: ${msg}`.trim();
    case 'maxFailedIndexes':
    case 'failedIndexes':
      return `failed: ${msg || v.causes[0]?.message || v.rule}`;
    default: {
      const c = v.causes.find((x) => x.severity === 'error');
      return c ? c.message : 'failed';
    }
  }
}

/** The one-line headline for a Job verdict. */
export function jobHeadline(v: JobExplainInput): string {
  const f = v.failures;
  let text: string;
  switch (v.verdict) {
    case 'failed':
      // FailureTarget with pods still running out their grace period: not Failed yet.
      text =
        v.condition?.type === 'FailureTarget' && (v.pods?.terminating ?? 0) > 0
          ? `failing: will be marked Failed when its ${v.pods!.terminating === 1 ? '1 pod has' : `${v.pods!.terminating} pods have`} terminated` +
            `${v.terminatingUntil ? `, expected by ${v.terminatingUntil}` : ''} (${failedHeadline(v, f)})`
          : failedHeadline(v, f);
      break;
    case 'succeeded':
      text = v.rule === 'successPolicy' ? `succeeded: successPolicy met (${endingMessage(v)})` : 'succeeded';
      break;
    case 'backing-off':
      text = `backing off until ${v.nextRetryAt ?? '?'}${f ? ` (${f.counted} of backoffLimit ${f.backoffLimit} failures used)` : ''}`;
      break;
    case 'suspended':
      text =
        first(v, 'HeldByQueue')?.message ??
        first(v, 'ManagedElsewhere')?.message ??
        'suspended: no pods run until spec.suspend is false';
      break;
    case 'stuck':
      text = `stuck: ${(v.causes.find((c) => c.severity === 'error') ?? v.causes[0])?.message ?? 'no progress'}`;
      break;
    default:
      text = `running: ${v.pods?.active ?? 0} active${f && f.counted > 0 ? `, ${f.counted} of backoffLimit ${f.backoffLimit} failures used` : ''}`;
  }
  if (v.predicted) text += ' (the controller has not written the condition yet)';
  return text;
}

function facts(v: JobExplainInput): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (v.owner) out.push(['Owner', `${(v.owner.kind ?? 'object').toLowerCase()}/${v.owner.name}`]);
  if (v.startTime) out.push(['Started', v.startTime]);
  if (v.condition)
    out.push([
      'Condition',
      `${v.condition.type} ${v.condition.reason ?? ''}${v.condition.time ? ` at ${v.condition.time}` : ''}`
        .replace(/\s+/g, ' ')
        .trim(),
    ]);
  if (v.pods)
    out.push([
      'Pods',
      `${v.pods.active} active, ${v.pods.succeeded} succeeded, ${v.pods.failed} failed, ${v.pods.terminating} terminating (${v.pods.visible} still exist)`,
    ]);
  const f = v.failures;
  if (f) {
    const parts = [`${f.byPods} failed pods`];
    if (f.byRestarts) parts.push(`${f.byRestarts} restarts`);
    if (f.ignored) parts.push(`${f.ignored} ignored by podFailurePolicy`);
    out.push(['Failures', `${f.counted} counted of backoffLimit ${f.backoffLimit} (${parts.join(', ')})`]);
  }
  if (v.rule) out.push(['Rule', v.rule]);
  if (v.nextRetryAt) out.push(['Next retry', v.nextRetryAt]);
  if (v.indexes) out.push(['Indexes', `completed ${v.indexes.completed || '-'}, failed ${v.indexes.failed || '-'}`]);
  if (v.deleteAt) out.push(['Deleted at', `${v.deleteAt} (ttlSecondsAfterFinished)`]);
  out.push(['Now', v.now]);
  return out;
}

function attemptTone(a: Attempt): Tone | undefined {
  if (a.reason === 'Completed') return 'ok';
  if (a.phase === 'Failed' || a.reason === 'DeadlineExceeded') return 'bad';
  if (a.phase === 'Running') return 'info';
  if (a.phase === 'Pending') return 'warn';
  return 'muted';
}

/** The per-attempt table: pod, start, end, exit code, reason, restarts. */
export function attemptsTable(attempts: Attempt[]): ExplanationTable {
  const indexed = attempts.some((a) => a.index !== null);
  const head = ['#', 'Pod', ...(indexed ? ['Index'] : []), 'Start', 'End', 'Exit', 'Reason', 'Restarts'];
  const rows = attempts.map((a) => [
    String(a.attempt),
    a.pod,
    ...(indexed ? [a.index === null ? '-' : String(a.index)] : []),
    a.start ?? '-',
    a.end ?? '-',
    a.exitCode === null ? '-' : String(a.exitCode),
    a.reason,
    String(a.restarts),
  ]);
  return { title: 'Attempts', head, rows, tones: attempts.map(attemptTone) };
}

function indexTable(perIndex: IndexState[]): ExplanationTable {
  return {
    title: 'Indexes',
    head: ['Index', 'Failures', 'Ignored', 'State'],
    rows: perIndex.map((s) => [
      String(s.index),
      String(s.failures),
      String(s.ignored),
      s.failed ? 'failed' : s.succeeded ? 'succeeded' : 'pending',
    ]),
    tones: perIndex.map((s) => (s.failed ? 'bad' : s.succeeded ? 'ok' : undefined)),
  };
}

function cause(c: Cause): ExplanationCause {
  return {
    tone: SEVERITY_TONE[c.severity],
    code: c.code,
    title: c.message,
    evidence: c.evidence.map((e) => (e.object && !e.text.includes(e.object) ? `${e.text} [${e.object}]` : e.text)),
    fix: c.fix ?? [],
  };
}

/** Turns a Job verdict into headline, facts, causes, the attempts table and notes. */
export function explainJob(v: JobExplainInput): Explanation {
  const tables: ExplanationTable[] = [];
  if (v.attempts && v.attempts.length > 0) tables.push(attemptsTable(v.attempts));
  if (v.indexes && v.indexes.perIndex.length > 0) tables.push(indexTable(v.indexes.perIndex));
  const notes: string[] = [];
  if (v.attempts && v.attempts.length === 0)
    notes.push('No pods of this Job exist any more: exit codes and logs are gone.');
  if (v.predicted)
    notes.push('The verdict comes from re-running the controller rules; the Job status does not show it yet.');
  notes.push('Times are UTC (RFC 3339).');
  return {
    subject: `job/${v.name} in namespace ${v.namespace}`,
    headline: { tone: STATE_TONE[v.verdict], state: v.verdict, text: jobHeadline(v) },
    facts: facts(v),
    causes: v.causes.map(cause),
    tables,
    notes,
  };
}
