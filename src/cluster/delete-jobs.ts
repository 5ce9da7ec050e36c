// Executes a clean plan: deletes Jobs with bounded concurrency, retrying throttling and server
// errors. Each DELETE carries propagationPolicy Background and the uid + resourceVersion read at
// planning time, so a Job that changed (or was replaced) since is left alone and reported.
// An abort stops new deletions; those in flight finish and are reported. When the API server
// stops answering, a short run of connection failures (failure-run.ts) stops the whole run, and
// deletions whose answer was lost are checked by name or reported as unknown.
import type { CleanItem } from '../controller/plans/clean.js';
import type { DryRun } from '../controller/plans/types.js';
import { ClusterError } from '../errors.js';
import { batchPath, getJob } from './actions.js';
import { apiRequest } from './http.js';
import {
  connectionCause,
  DEFAULT_FAILURE_RUN,
  FailureRun,
  isConnectionFailure,
  type FailureRunLimit,
} from './failure-run.js';
import type { Connection } from './kubeconfig.js';
import { sleep, withRetry, type RetryOptions } from './retry.js';

/** What happened to one planned deletion. */
export type DeleteOutcome =
  | { status: 'deleted'; item: CleanItem }
  /** Left alone for safety: changed since listed, or already gone. */
  | { status: 'skipped'; item: CleanItem; reason: 'changed' | 'gone'; message: string }
  | { status: 'failed'; item: CleanItem; error: ClusterError }
  /** The DELETE may have reached the server, but no answer came back and the Job could not be checked since. */
  | { status: 'unknown'; item: CleanItem; message: string }
  /** Never sent: interrupted, stopped after a denial, or stopped because the server could not be reached. */
  | { status: 'not-attempted'; item: CleanItem };

/** Progress counters, reported after each deletion. */
export interface DeleteProgress {
  done: number;
  total: number;
  deleted: number;
  skipped: number;
  failed: number;
  retries: number;
}

/** One DELETE; injected in tests. Resolves when the server accepted it. */
export type DeleteOne = (item: CleanItem, attempt: number) => Promise<void>;

/** What a GET of the Job by name found: the Job, or null when it does not exist. Injected in tests. */
export type CheckOne = (item: CleanItem) => Promise<JobIdentity | null>;

/** The fields of a Job a check looks at. */
export interface JobIdentity {
  metadata: { uid?: string; deletionTimestamp?: string | null };
}

/** Options of deleteJobs. */
export interface DeleteOptions {
  dryRun: DryRun;
  /** Deletions in flight at once (default 16, the connection's socket pool). */
  concurrency?: number;
  /** Aborting stops new deletions. */
  signal?: AbortSignal;
  onProgress?: (p: DeleteProgress) => void;
  retry?: RetryOptions;
  /** When to stop on connection failures in a row (default DEFAULT_FAILURE_RUN: 5 failures over 15 s). */
  failureRun?: FailureRunLimit;
  /** The clock of the failure run (tests). */
  now?: () => number;
  /** Replaces the HTTP calls (tests). */
  deleteOne?: DeleteOne;
  checkOne?: CheckOne;
}

/** What deleteJobs did: an outcome per planned item, and why it stopped early, if it did. */
export interface DeleteReport {
  results: DeleteOutcome[];
  /** Set when the run stopped because the API server could not be reached. */
  lostConnection?: { failures: number; ms: number; cause: string };
}

/** The DeleteOptions body: background cascading, guarded by uid and resourceVersion. With a body the
 * API server ignores DELETE query parameters, so a server dry run must be said here, not in the URL. */
export function deleteBody(item: CleanItem, dryRun: DryRun = 'none'): object {
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: 'Background',
    preconditions: { uid: item.uid, resourceVersion: item.resourceVersion },
    ...(dryRun === 'server' ? { dryRun: ['All'] } : {}),
  };
}

/** The real DELETE of one Job. */
export function httpDeleteOne(conn: Connection, dryRun: DryRun): DeleteOne {
  return async (item) => {
    await apiRequest(conn, {
      method: 'DELETE',
      path: batchPath(item.namespace, 'jobs', item.name),
      body: deleteBody(item, dryRun),
      what: { verb: 'delete', resource: 'jobs', namespace: item.namespace, name: item.name },
    });
  };
}

/**
 * What a GET by name says about a DELETE whose answer was lost: no Job, another Job of that name
 * (another uid) or ours marked for deletion => it was deleted; ours without a deletionTimestamp =>
 * it was not (and may be deleted again, with the same preconditions).
 */
export function outcomeOfCheck(item: CleanItem, found: JobIdentity | null): 'deleted' | 'not-deleted' {
  if (found === null) return 'deleted';
  if (found.metadata.uid !== item.uid) return 'deleted';
  return found.metadata.deletionTimestamp ? 'deleted' : 'not-deleted';
}

/** The real GET of one Job for a check; null for 404. */
export function httpCheckOne(conn: Connection): CheckOne {
  return async (item) => {
    try {
      return await getJob(conn, item.namespace, item.name);
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'NotFound') return null;
      throw e;
    }
  };
}

/** Classifies one failed DELETE: precondition conflicts and 404s are safe skips, the rest failures. */
function classify(item: CleanItem, e: unknown, attempt: number, lostBefore: boolean): DeleteOutcome {
  if (e instanceof ClusterError && e.kind === 'Conflict') {
    return {
      status: 'skipped',
      item,
      reason: 'changed',
      message: 'changed since it was listed (uid/resourceVersion precondition failed)',
    };
  }
  if (e instanceof ClusterError && e.kind === 'NotFound') {
    // A 404 after a retried request, or after an earlier DELETE whose answer was lost, most likely
    // means that earlier try went through.
    if (attempt > 1 || lostBefore) return { status: 'deleted', item };
    return { status: 'skipped', item, reason: 'gone', message: 'already gone' };
  }
  const err = e instanceof ClusterError ? e : new ClusterError('ServerError', (e as Error)?.message ?? String(e));
  return { status: 'failed', item, error: err };
}

const IN_FLIGHT =
  'the DELETE was in flight when the connection was lost and the Job could not be checked since: it may or may not be deleted';

/**
 * Deletes the planned Jobs; every item gets an outcome, in plan order.
 *
 * Answers with an error status are retried per item (withRetry: throttling, 5xx). Connection
 * failures are not retried per item: they extend one FailureRun shared by every worker, and the
 * item goes onto the check list: a reset or timed-out DELETE may have arrived, and so may a refused
 * one (fetch retries an idempotent request on a new connection after a kept-alive one dies). Checks are GETs by name, made once the server answers again
 * (outcomeOfCheck); a Job found undeleted is queued for deletion again. When the run reaches its
 * limit, nothing more is sent: unchecked items are `unknown`, unsent ones `not-attempted`.
 */
export async function deleteJobs(
  conn: Connection | undefined,
  items: CleanItem[],
  opts: DeleteOptions,
): Promise<DeleteReport> {
  const results: DeleteOutcome[] = items.map((item) => ({ status: 'not-attempted', item }));
  const progress: DeleteProgress = { done: 0, total: items.length, deleted: 0, skipped: 0, failed: 0, retries: 0 };
  if (opts.dryRun === 'client') {
    for (const [i, item] of items.entries()) results[i] = { status: 'deleted', item };
    return { results };
  }
  const deleteOne = opts.deleteOne ?? httpDeleteOne(conn!, opts.dryRun);
  const checkOne = opts.checkOne ?? httpCheckOne(conn!);
  const run = new FailureRun(opts.failureRun ?? DEFAULT_FAILURE_RUN, opts.now);
  const pause = opts.retry?.sleep ?? sleep;
  // Work left: deletions to send, and items whose DELETE may have arrived, to check by GET.
  const queue: number[] = items.map((_, i) => i);
  const checks: number[] = [];
  const lost = new Set<number>(); // items that ever had a DELETE answer lost
  let busy = 0;
  let denied = false;
  const finish = (i: number, r: DeleteOutcome) => {
    results[i] = r;
    progress.done++;
    if (r.status === 'deleted') progress.deleted++;
    else if (r.status === 'skipped') progress.skipped++;
    else if (r.status === 'failed') progress.failed++;
    opts.onProgress?.({ ...progress });
  };
  /** After a connection failure: the run grows, and this worker waits a little longer each time. */
  const backoff = async (e: ClusterError, streak: number) => {
    run.failed(e);
    if (!run.tripped) await pause(Math.min(2000, 250 * 2 ** Math.min(streak, 3)), opts.signal);
  };

  const worker = async (): Promise<void> => {
    let streak = 0; // this worker's connection failures in a row
    for (;;) {
      if (opts.signal?.aborted || denied || run.tripped) return;
      // Checks first: they settle outcomes and tell whether the server is back.
      const check = checks.shift();
      const i = check ?? queue.shift();
      if (i === undefined) {
        if (busy === 0) return;
        await pause(50); // another worker may put an item back
        continue;
      }
      const item = items[i]!;
      busy++;
      try {
        if (check !== undefined) {
          try {
            const found = await checkOne(item);
            run.answered();
            streak = 0;
            if (outcomeOfCheck(item, found) === 'deleted') finish(i, { status: 'deleted', item });
            else queue.push(i); // not deleted: send it again, with the same preconditions
          } catch (e) {
            if (isConnectionFailure(e)) {
              checks.push(i);
              await backoff(e, ++streak);
            } else {
              run.answered();
              finish(i, {
                status: 'unknown',
                item,
                message: `the DELETE's answer was lost and checking it failed: ${(e as Error).message}`,
              });
            }
          }
          continue;
        }
        let attempt = 0;
        try {
          await withRetry((a) => deleteOne(item, (attempt = a)), {
            ...opts.retry,
            // Connection failures are the run's business, not retried here.
            retryable: (e) => !isConnectionFailure(e),
            onRetry: (e, n, d) => {
              run.answered();
              progress.retries++;
              opts.retry?.onRetry?.(e, n, d);
            },
          });
          run.answered();
          streak = 0;
          finish(i, { status: 'deleted', item });
        } catch (e) {
          if (isConnectionFailure(e)) {
            // Refused included: under Bun, "refused" followed a DELETE that did arrive (seen in CI).
            lost.add(i);
            checks.push(i);
            await backoff(e, ++streak);
            continue;
          }
          run.answered();
          streak = 0;
          finish(i, classify(item, e, attempt, lost.has(i)));
          // A denial applies to every Job alike: stop instead of failing thousands of times.
          if (e instanceof ClusterError && (e.kind === 'Forbidden' || e.kind === 'Unauthorized')) denied = true;
        }
      } finally {
        busy--;
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 16, items.length || 1));
  await Promise.all(Array.from({ length: n }, worker));
  // Items still waiting for a check: their DELETE may have gone through.
  for (const i of checks) results[i] = { status: 'unknown', item: items[i]!, message: IN_FLIGHT };
  const report: DeleteReport = { results };
  if (run.tripped) {
    const s = run.summary;
    report.lostConnection = { failures: s.failures, ms: s.ms, cause: connectionCause(s.lastError) };
  }
  return report;
}

/** Counts of outcomes, for summaries and exit codes. */
export function countOutcomes(results: DeleteOutcome[]): Record<DeleteOutcome['status'], number> {
  const c = { deleted: 0, skipped: 0, failed: 0, unknown: 0, 'not-attempted': 0 };
  for (const r of results) c[r.status]++;
  return c;
}
