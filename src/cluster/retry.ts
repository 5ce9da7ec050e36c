// Retries requests that failed for a passing reason: throttling (429), server errors (5xx),
// timeouts and dropped connections. Exponential backoff with jitter, honouring the server's
// Retry-After when the error carries it (`retryAfterSeconds`).
import { ClusterError } from '../errors.js';

/** Retry settings; the defaults suit a burst of deletions. */
export interface RetryOptions {
  /** Total tries, the first included (default 6). */
  attempts?: number;
  /** First backoff (default 250 ms), doubled each time up to maxMs (default 8 s). */
  baseMs?: number;
  maxMs?: number;
  /** Stops waiting between tries (the last error is thrown). */
  signal?: AbortSignal;
  /** Narrows which retryable failures are retried here (default: all of them). */
  retryable?: (e: ClusterError) => boolean;
  /** Called before each wait, e.g. to count throttling. */
  onRetry?: (e: ClusterError, attempt: number, delayMs: number) => void;
  /** Injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** True for failures worth another try: 429, 5xx, timeouts and dropped connections. */
export function isRetryable(e: unknown): e is ClusterError {
  if (!(e instanceof ClusterError)) return false;
  if (e.kind === 'TooManyRequests' || e.kind === 'Timeout') return true;
  if (e.kind === 'ServerError') return (e.status ?? 500) >= 500;
  // Unreachable covers refused/reset connections; TLS and DNS setup errors do not heal by waiting.
  return e.kind === 'Unreachable' && /ECONNRESET|EPIPE|ECONNREFUSED|EAI_AGAIN|socket hang up/.test(e.message);
}

/** The wait before try `attempt + 1`: Retry-After when known, else capped exponential backoff with jitter. */
export function retryDelayMs(e: ClusterError, attempt: number, opts: RetryOptions = {}): number {
  const retryAfter = (e as ClusterError & { retryAfterSeconds?: number }).retryAfterSeconds;
  if (typeof retryAfter === 'number' && retryAfter > 0) return Math.min(retryAfter * 1000, 60_000);
  const base = opts.baseMs ?? 250;
  const cap = opts.maxMs ?? 8000;
  const exp = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (opts.random ?? Math.random)() * (exp / 2));
}

/** Sleeps, waking early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `fn` (given the 1-based try number) until it succeeds, fails for good, or tries run out. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isRetryable(e) || (opts.retryable && !opts.retryable(e)) || attempt >= attempts || opts.signal?.aborted)
        throw e;
      const delay = retryDelayMs(e, attempt, opts);
      opts.onRetry?.(e, attempt, delay);
      await (opts.sleep ?? sleep)(delay, opts.signal);
      if (opts.signal?.aborted) throw e;
    }
  }
}
