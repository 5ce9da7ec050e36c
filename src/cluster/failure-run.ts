// Connection failures in a row: how a command that sends many requests (clean, logs --follow)
// decides that the API server is gone rather than briefly away. Any answer from the server,
// even an error status, ends a run; only failures to get an answer at all extend it.
// The command stops once the run has lasted `ms` and counted at least `count` failures, so one
// slow failure does not stop it and a flapping server that answers now and then does not either.
import { ClusterError } from '../errors.js';

/** When a run of connection failures is long enough to stop. */
export interface FailureRunLimit {
  /** Failures in a row, at least (default 5). */
  count: number;
  /** Milliseconds from the first failure of the run to the latest, at least (default 15 s). */
  ms: number;
}

/** The default limit: 5 failures and 15 s without a single answer. */
export const DEFAULT_FAILURE_RUN: FailureRunLimit = { count: 5, ms: 15_000 };

/** Network errors that leave no doubt the request never reached the server (nothing was done). */
const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/;

/** True for a failure to get any answer (refused, reset, timed out without a status): the kind a run counts. */
export function isConnectionFailure(e: unknown): e is ClusterError {
  if (!(e instanceof ClusterError)) return false;
  return e.kind === 'Unreachable' || (e.kind === 'Timeout' && e.status === undefined);
}

/** For a connection failure: true when the request may have reached the server (reset, timeout), so what it asked for may have happened. */
export function mayHaveArrived(e: ClusterError): boolean {
  return !NOT_SENT.test(e.message);
}

/** Counts connection failures in a row across every worker of a command. */
export class FailureRun {
  private first: number | undefined;
  private n = 0;
  private lastError: ClusterError | undefined;
  private stoppedAt: number | undefined;

  constructor(
    private readonly limit: FailureRunLimit = DEFAULT_FAILURE_RUN,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server answered (any status): the run is over. Has no effect once tripped. */
  answered(): void {
    if (this.stoppedAt !== undefined) return;
    this.first = undefined;
    this.n = 0;
  }

  /** Records one connection failure; returns true when the run has become long enough to stop (and stays so). */
  failed(e: ClusterError): boolean {
    if (this.stoppedAt !== undefined) return true;
    const t = this.now();
    this.first ??= t;
    this.n++;
    this.lastError = e;
    if (this.n >= this.limit.count && t - this.first >= this.limit.ms) this.stoppedAt = t;
    return this.stoppedAt !== undefined;
  }

  /** True once the limit was reached. */
  get tripped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** Failures in the current run. */
  get count(): number {
    return this.n;
  }

  /** The run so far: failures, milliseconds from its first failure to the latest (or to the stop), the last error. */
  get summary(): { failures: number; ms: number; lastError: ClusterError | undefined } {
    const end = this.stoppedAt ?? this.now();
    return { failures: this.n, ms: this.first === undefined ? 0 : end - this.first, lastError: this.lastError };
  }
}

/** "ECONNREFUSED" from a connection failure's message, else its message. */
export function connectionCause(e: ClusterError | undefined): string {
  if (!e) return 'no answer';
  const m = /\b(E[A-Z]{3,}|socket hang up|timed out)\b/.exec(e.message);
  return m ? m[1]! : e.message;
}
