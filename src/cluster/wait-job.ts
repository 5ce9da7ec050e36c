// Waits for a Job to finish with a watch, not polling: a list of that one Job (by field selector)
// gives the object and a resourceVersion; a watch from there delivers each change. A watch the
// server ends (its timeoutSeconds) or the network drops is resumed from the last resourceVersion
// seen; 410 Gone (the version was compacted away) re-lists. While the API server cannot be reached
// the wait retries with backoff and, after `maxOutageMs` without a single answer, gives up with one
// ClusterError (exit 3): never a stack trace, never a loop of error lines.
import type { Readable } from 'node:stream';
import type { Job } from '../api/types.js';
import { ClusterError } from '../errors.js';
import { batchPath } from './actions.js';
import { apiRequest, apiStream } from './http.js';
import type { Connection } from './kubeconfig.js';
import { fieldValue } from './request-parts.js';
import { isRetryable, retryDelayMs, sleep } from './retry.js';

/** One event of a watch stream. */
export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Options of waitForJobEnd. */
export interface JobWaitOptions {
  /** 0 = look once: answer with the Job as it is; Infinity = no limit. */
  timeoutMs: number;
  /** True when the wait is over for this version of the Job. */
  done: (job: Job) => boolean;
  onUpdate?: (job: Job) => void;
  /** How long the API server may be unreachable before giving up (default 2 minutes). */
  maxOutageMs?: number;
  /** Longest watch request (the server's timeoutSeconds; default 5 minutes). */
  watchSeconds?: number;
  /** Told of each resume (for progress lines on stderr). */
  onResume?: (why: 'ended' | 'dropped' | 'gone', detail?: string) => void;
  signal?: AbortSignal;
  /** Injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

interface JobList {
  items?: Job[];
  metadata?: { resourceVersion?: string };
}

/** The wait is over: the Job and why (done, or the time limit passed while it was still going). */
export interface JobWaitResult {
  job: Job;
  timedOut: boolean;
}

/** Thrown inside the watch loop when the server says the resourceVersion is too old. */
class Gone extends Error {}

/** Waits until `done(job)`; resolves with the last version seen and whether the limit passed first. */
export async function waitForJobEnd(
  conn: Connection,
  namespace: string,
  name: string,
  opts: JobWaitOptions,
): Promise<JobWaitResult> {
  const now = opts.now ?? Date.now;
  const pause = opts.sleep ?? sleep;
  const deadline = opts.timeoutMs > 0 ? now() + opts.timeoutMs : -Infinity;
  const maxOutage = opts.maxOutageMs ?? 120_000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    opts.timeoutMs > 0 && Number.isFinite(opts.timeoutMs)
      ? setTimeout(() => stop.abort(), Math.min(opts.timeoutMs, 2 ** 31 - 1))
      : undefined;
  const path = batchPath(namespace, 'jobs');
  const fieldSelector = `metadata.name=${fieldValue(name)}`;
  let job: Job | undefined;
  let rv = '';
  let outageSince: number | null = null;
  let attempt = 0;
  const what = { verb: 'watch', resource: 'jobs', namespace, name };

  // A passing failure: wait a little and go on, unless the server has been gone too long.
  const blip = async (e: ClusterError): Promise<void> => {
    outageSince ??= now();
    attempt++;
    if (now() - outageSince >= maxOutage) {
      throw new ClusterError(
        e.kind,
        `lost the API server for ${Math.round((now() - outageSince) / 1000)}s while waiting for job/${name} in namespace "${namespace}": ${e.message}`,
        `the Job itself is unaffected; wait again with: kubectl job wait job/${name} -n ${namespace}`,
        e.status,
      );
    }
    opts.onResume?.('dropped', e.message);
    await pause(
      Math.min(retryDelayMs(e, attempt, { baseMs: 500, maxMs: 5000 }), Math.max(0, maxOutage - (now() - outageSince))),
      stop.signal,
    );
  };
  const healthy = () => {
    outageSince = null;
    attempt = 0;
  };

  const list = async (): Promise<void> => {
    const res = await apiRequest<JobList>(conn, {
      method: 'GET',
      path,
      query: { fieldSelector },
      what: { verb: 'list', resource: 'jobs', namespace },
    });
    healthy();
    const found = res.items?.[0];
    if (!found) {
      throw new ClusterError(
        'NotFound',
        `job "${name}" not found in namespace "${namespace}" (context "${conn.contextName}")`,
        `kubectl get jobs -n ${namespace} lists what exists`,
        404,
      );
    }
    job = found;
    rv = res.metadata?.resourceVersion ?? found.metadata.resourceVersion ?? '';
    opts.onUpdate?.(found);
  };

  try {
    // The first list: the Job must exist; a blip here is retried like any other.
    for (;;) {
      try {
        await list();
        break;
      } catch (e) {
        if (stop.signal.aborted || !isRetryable(e)) throw e;
        await blip(e);
        if (stop.signal.aborted) break;
      }
    }
    while (job && !opts.done(job) && !stop.signal.aborted && opts.timeoutMs > 0) {
      const started = now();
      try {
        const ended = await watchOnce<Job>(
          conn,
          path,
          fieldSelector,
          rv,
          opts.watchSeconds ?? 300,
          what,
          stop.signal,
          (ev) => {
            healthy();
            if (ev.type === 'ERROR') {
              const st = ev.object as unknown as { code?: number; message?: string; reason?: string };
              if (st.code === 410 || st.reason === 'Expired' || st.reason === 'Gone')
                throw new Gone(st.message ?? 'Gone');
              throw new ClusterError(
                'ServerError',
                `the watch of job/${name} failed: ${st.message ?? st.reason ?? 'an error event'}`,
              );
            }
            const v = ev.object.metadata?.resourceVersion;
            if (v) rv = v;
            if (ev.type === 'BOOKMARK') return false;
            if (ev.type === 'DELETED') {
              throw new ClusterError(
                'NotFound',
                `job/${name} in namespace "${namespace}" was deleted while waiting for it to finish`,
                undefined,
                404,
              );
            }
            const seen = ev.object as Job;
            job = seen;
            opts.onUpdate?.(seen);
            return opts.done(seen);
          },
        );
        if (ended === 'done' || stop.signal.aborted) break;
        opts.onResume?.('ended');
        // A stream that ends at once (a proxy closing it) is not resumed in a tight loop.
        if (now() - started < 1000) await pause(1000, stop.signal);
      } catch (e) {
        if (stop.signal.aborted) break;
        if (e instanceof Gone || (e instanceof ClusterError && e.status === 410)) {
          opts.onResume?.('gone', e.message);
          // The version is too old to watch from: list again, then watch from the new version.
          for (;;) {
            try {
              await list();
              break;
            } catch (e2) {
              if (stop.signal.aborted || !isRetryable(e2)) throw e2;
              await blip(e2);
              if (stop.signal.aborted) break;
            }
          }
          continue;
        }
        if (!isRetryable(e)) throw e;
        await blip(e);
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (!job) throw new ClusterError('Timeout', `timed out before job/${name} in namespace "${namespace}" could be read`);
  return { job, timedOut: !opts.done(job) && (opts.timeoutMs === 0 || now() >= deadline || stop.signal.aborted) };
}

/** One watch request: calls `onEvent` per event until it returns true ('done'), the server ends the stream ('ended'), or `signal` aborts. */
async function watchOnce<T>(
  conn: Connection,
  path: string,
  fieldSelector: string,
  resourceVersion: string,
  seconds: number,
  what: { verb: string; resource: string; namespace?: string; name?: string },
  signal: AbortSignal,
  onEvent: (e: WatchEvent<T & { metadata?: { resourceVersion?: string } }>) => boolean,
): Promise<'done' | 'ended'> {
  const opened = apiStream(conn, {
    method: 'GET',
    path,
    timeoutMs: 0,
    what,
    query: { watch: 'true', fieldSelector, resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: seconds },
  });
  const aborted = new Promise<null>((resolve) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
  });
  const res = await Promise.race([opened, aborted]);
  if (!res) {
    opened.then(
      (r) => r.destroy(),
      () => {},
    );
    return 'ended';
  }
  return readEvents(res, signal, onEvent);
}

/** Reads newline-delimited watch events from a response stream. */
export function readEvents<T>(
  res: Readable,
  signal: AbortSignal,
  onEvent: (e: WatchEvent<T>) => boolean,
): Promise<'done' | 'ended'> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let settled = false;
    const settle = (how: 'done' | 'ended' | Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      if (how instanceof Error) reject(how);
      else resolve(how);
    };
    const onAbort = () => settle('ended');
    if (signal.aborted) return settle('ended');
    signal.addEventListener('abort', onAbort, { once: true });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (settled) return;
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let ev: WatchEvent<T>;
        try {
          ev = JSON.parse(line) as WatchEvent<T>;
        } catch {
          return settle(new ClusterError('ServerError', 'the server sent a watch event that is not JSON'));
        }
        try {
          if (onEvent(ev)) return settle('done');
        } catch (e) {
          return settle(e as Error);
        }
      }
    });
    res.on('end', () => settle('ended'));
    // A dropped connection ends the stream like the server's timeout does: the caller resumes.
    res.on('close', () => settle('ended'));
    res.on('error', () => settle('ended'));
  });
}
