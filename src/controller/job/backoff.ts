// The delay before the controller creates a replacement pod, re-derived from the pods.
// kubernetes/kubernetes pkg/controller/job/backoff_utils.go (v1.28+): the controller keeps, per
// Job, the number of failures since the last success and the finish time of the latest failure
// (newBackoffRecord: succeeded pods reset the count, then only failures finishing after the last
// success count; Ignored failures count too, PR #119434). The delay is 10s doubled per extra
// failure, capped (see maxBackoffSeconds); nothing is created until lastFailure + delay.
// Per-index backoff (getRemainingTimePerIndex) uses, for an index, the latest failed pod's
// failure-count + ignored-failure-count annotations + 1 and that pod's finish time.
import type { JobContext } from './context.js';
import { maxBackoffSeconds } from './features.js';
import type { FailedPod } from './failures.js';
import {
  annotationCount,
  controllerIndex,
  finishedTime,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
} from './pods.js';

/** The first pod-failure backoff delay (DefaultJobPodFailureBackOff). */
export const DEFAULT_BACKOFF_SECONDS = 10;

/** The delay after `failures` consecutive failures: 10s, 20s, 40s, ... capped at `capSeconds`. */
export function backoffDelaySeconds(failures: number, capSeconds: number): number {
  if (failures <= 0) return 0;
  let d = DEFAULT_BACKOFF_SECONDS;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= capSeconds) return capSeconds;
  }
  return Math.min(d, capSeconds);
}

/** The controller's backoff record as far as the visible pods and status counters tell. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number | null;
  /** The pod whose finish time is lastFailureTime. */
  lastFailedPod: string | null;
}

/** Re-derives the backoff record (failures since the last success, last failure time). */
export function backoffRecord(ctx: JobContext, failed: FailedPod[]): BackoffRecord {
  const finished = (p: FailedPod['pod']) => finishedTime(p) ?? 0;
  const successes = ctx.pods.filter((p) => p.status?.phase === 'Succeeded').map(finished);
  const lastSuccess = successes.length ? Math.max(...successes) : null;
  const since = failed.filter((f) => lastSuccess === null || finished(f.pod) > lastSuccess);
  let count = since.length;
  // Failed pods may already be deleted; with no success at all, status.failed (+ Ignored) is a floor.
  if (lastSuccess === null && (ctx.job.status?.succeeded ?? 0) === 0) {
    const ignored = failed.filter((f) => !f.match.counts).length;
    count = Math.max(count, (ctx.job.status?.failed ?? 0) + ignored);
  }
  let last: FailedPod | null = null;
  for (const f of since) if (!last || finished(f.pod) >= finished(last.pod)) last = f;
  return {
    failuresAfterLastSuccess: count,
    lastFailureTime: last ? finished(last.pod) : null,
    lastFailedPod: last?.pod.metadata.name ?? null,
  };
}

/** When the next pod may be created (ms), or null when there is no pending backoff. */
export function retryAt(record: BackoffRecord, capSeconds: number): number | null {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === null) return null;
  return record.lastFailureTime + backoffDelaySeconds(record.failuresAfterLastSuccess, capSeconds) * 1000;
}

/** Per-index retry times: index → ms when its next pod may be created (indexes with a failed pod only). */
export function indexRetryTimes(
  ctx: JobContext,
  failed: FailedPod[],
): Map<number, { at: number; failures: number; pod: string }> {
  const cap = maxBackoffSeconds(ctx.version);
  const latest = new Map<number, FailedPod>();
  const absolute = (p: FailedPod['pod']) =>
    annotationCount(p, INDEX_FAILURE_COUNT_ANNOTATION) + annotationCount(p, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
  for (const f of failed) {
    const ix = controllerIndex(f.pod);
    if (ix === null || (ctx.completions !== null && ix >= ctx.completions)) continue;
    const prev = latest.get(ix);
    // The latest failure of the index; of failures finishing at the same instant, the one with
    // the highest failure count (the controller's choice, whatever the list order).
    const tf = finishedTime(f.pod) ?? 0;
    const tp = prev ? (finishedTime(prev.pod) ?? 0) : 0;
    if (!prev || tf > tp || (tf === tp && absolute(f.pod) >= absolute(prev.pod))) latest.set(ix, f);
  }
  const out = new Map<number, { at: number; failures: number; pod: string }>();
  for (const [ix, f] of latest) {
    const failures =
      annotationCount(f.pod, INDEX_FAILURE_COUNT_ANNOTATION) +
      annotationCount(f.pod, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION) +
      1;
    const at = (finishedTime(f.pod) ?? 0) + backoffDelaySeconds(failures, cap) * 1000;
    out.set(ix, { at, failures, pod: f.pod.metadata.name ?? '' });
  }
  return out;
}
