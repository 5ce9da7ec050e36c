// Executes a clean plan: deletes Jobs with bounded concurrency, retrying throttling and server
// errors. Each DELETE carries propagationPolicy Background and the uid + resourceVersion read at
// planning time, so a Job that changed (or was replaced) since is left alone and reported.
// An abort stops new deletions; those in flight finish and are reported.
import type { CleanItem } from '../controller/plans/clean.js';
import type { DryRun } from '../controller/plans/types.js';
import { ClusterError } from '../errors.js';
import { batchPath } from './actions.js';
import { apiRequest } from './http.js';
import type { Connection } from './kubeconfig.js';
import { withRetry, type RetryOptions } from './retry.js';

/** What happened to one planned deletion. */
export type DeleteOutcome =
  | { status: 'deleted'; item: CleanItem }
  /** Left alone for safety: changed since listed, or already gone. */
  | { status: 'skipped'; item: CleanItem; reason: 'changed' | 'gone'; message: string }
  | { status: 'failed'; item: CleanItem; error: ClusterError }
  /** Never sent: interrupted, or stopped after a denial. */
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

/** Options of deleteJobs. */
export interface DeleteOptions {
  dryRun: DryRun;
  /** Deletions in flight at once (default 16, the connection's socket pool). */
  concurrency?: number;
  /** Aborting stops new deletions. */
  signal?: AbortSignal;
  onProgress?: (p: DeleteProgress) => void;
  retry?: RetryOptions;
  /** Replaces the HTTP call (tests). */
  deleteOne?: DeleteOne;
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

/** Classifies one failed DELETE: precondition conflicts and 404s are safe skips, the rest failures. */
function classify(item: CleanItem, e: unknown, attempt: number): DeleteOutcome {
  if (e instanceof ClusterError && e.kind === 'Conflict') {
    return { status: 'skipped', item, reason: 'changed', message: 'changed since it was listed (uid/resourceVersion precondition failed)' };
  }
  if (e instanceof ClusterError && e.kind === 'NotFound') {
    // A 404 after a retried request most likely means our earlier try went through.
    if (attempt > 1) return { status: 'deleted', item };
    return { status: 'skipped', item, reason: 'gone', message: 'already gone' };
  }
  const err = e instanceof ClusterError ? e : new ClusterError('ServerError', (e as Error)?.message ?? String(e));
  return { status: 'failed', item, error: err };
}

/** Deletes the planned Jobs; every item gets an outcome, in plan order. */
export async function deleteJobs(conn: Connection | undefined, items: CleanItem[], opts: DeleteOptions): Promise<DeleteOutcome[]> {
  const results: DeleteOutcome[] = items.map((item) => ({ status: 'not-attempted', item }));
  const progress: DeleteProgress = { done: 0, total: items.length, deleted: 0, skipped: 0, failed: 0, retries: 0 };
  if (opts.dryRun === 'client') {
    items.forEach((item, i) => (results[i] = { status: 'deleted', item }));
    return results;
  }
  const deleteOne = opts.deleteOne ?? httpDeleteOne(conn!, opts.dryRun);
  let next = 0;
  let denied = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !opts.signal?.aborted && !denied) {
      const i = next++;
      const item = items[i]!;
      let attempt = 0;
      try {
        // In-flight deletions are not cut short by the abort: they finish their retries.
        await withRetry((a) => deleteOne(item, (attempt = a)), {
          ...opts.retry,
          onRetry: (e, n, d) => {
            progress.retries++;
            opts.retry?.onRetry?.(e, n, d);
          },
        });
        results[i] = { status: 'deleted', item };
      } catch (e) {
        results[i] = classify(item, e, attempt);
        // A denial applies to every Job alike: stop instead of failing thousands of times.
        if (e instanceof ClusterError && (e.kind === 'Forbidden' || e.kind === 'Unauthorized')) denied = true;
      }
      const r = results[i]!;
      progress.done++;
      if (r.status === 'deleted') progress.deleted++;
      else if (r.status === 'skipped') progress.skipped++;
      else if (r.status === 'failed') progress.failed++;
      opts.onProgress?.({ ...progress });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 16, items.length || 1));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

/** Counts of outcomes, for summaries and exit codes. */
export function countOutcomes(results: DeleteOutcome[]): Record<DeleteOutcome['status'], number> {
  const c = { deleted: 0, skipped: 0, failed: 0, 'not-attempted': 0 };
  for (const r of results) c[r.status]++;
  return c;
}
