// The stable verdict object `kubectl job why` returns (also its `-o json` form).
// Field names are part of the tool's contract: add fields, never rename or remove them.

/** How bad a cause is: info = expected behaviour, warning = worth a look, error = it is why things fail. */
export type Severity = 'info' | 'warning' | 'error';

/** Headline states of a CronJob verdict. */
export type CronJobVerdictState = 'healthy' | 'not-firing' | 'failing' | 'blocked' | 'missed-runs';

/** Headline states of a Job verdict. */
export type JobVerdictState =
  | 'running'
  | 'backing-off'
  | 'failed'
  | 'succeeded'
  | 'stuck'
  | 'suspended'
  /** The Job no longer exists; its CronJob and events tell what became of it. */
  | 'deleted';

/** What an evidence item is:
 * - `observed`: a field, object or event as it was read (the object, field and value are in the input);
 * - `derived`: a fact worked out from observed ones (a count, an absence, an order of times), no model involved;
 * - `prediction`: what the controller model expects or would do; never phrased as something that happened. */
export type EvidenceKind = 'observed' | 'derived' | 'prediction';

/** One fact supporting a cause: where it was read and what it says. */
export interface Evidence {
  kind: EvidenceKind;
  /** Where the fact comes from. `computed` = derived or predicted (see `kind`). */
  source: 'spec' | 'status' | 'metadata' | 'event' | 'job' | 'pod' | 'managedFields' | 'computed';
  /** The object the fact was read from, e.g. `job/backup-29012345` (omitted for the subject itself). */
  object?: string;
  /** JSON path of the field, e.g. `.spec.startingDeadlineSeconds`. */
  field?: string;
  /** The value as read (JSON-serialisable). */
  value?: unknown;
  /** When it happened or was written (RFC 3339), if known. */
  time?: string;
  /** For `source: 'event'`: the Event object's metadata.name, when known. */
  event?: string;
  /** One human sentence. */
  text: string;
}

/** One reason for the verdict. `code` reuses the controller's event/condition reason where one exists. */
export interface Cause {
  code: string;
  severity: Severity;
  message: string;
  evidence: Evidence[];
  /** Exact commands or spec changes that fix or confirm it. */
  fix?: string[];
}

/** `why <cronjob>` result. */
export interface CronJobVerdict {
  kind: 'CronJob';
  namespace: string;
  name: string;
  verdict: CronJobVerdictState;
  causes: Cause[];
  lastScheduleTime: string | null;
  nextScheduleTime: string | null;
  mostRecentUnmetTime: string | null;
  missed: number;
  /** The instant the verdict was computed for (RFC 3339). */
  now: string;
}

/** `why <job>` result. */
export interface JobVerdict {
  kind: 'Job';
  namespace: string;
  name: string;
  verdict: JobVerdictState;
  causes: Cause[];
  now: string;
  [extra: string]: unknown;
}

export type Verdict = CronJobVerdict | JobVerdict;

/** Exit code of `why`: 0 when the subject is healthy (CronJob) or running/succeeded (Job), 4 for a
 * Job that no longer exists (explained from its CronJob), 1 otherwise. */
export function verdictExitCode(v: Verdict): 0 | 1 | 4 {
  if (v.kind === 'CronJob') return v.verdict === 'healthy' ? 0 : 1;
  if (v.verdict === 'deleted') return 4;
  return v.verdict === 'running' || v.verdict === 'succeeded' ? 0 : 1;
}
