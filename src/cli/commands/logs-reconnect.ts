// `kubectl job logs --follow` riding out a lost connection to the API server: requests are sent
// again after connection failures, until the run of failures is too long (failure-run.ts); then
// every followed stream stops and the command ends with one line (exit 3).
import { getJob } from '../../cluster/actions.js';
import type { Connection } from '../../cluster/kubeconfig.js';
import { connectionCause, FailureRun, isConnectionFailure } from '../../cluster/failure-run.js';
import { sleep } from '../../cluster/retry.js';
import type { Job } from '../../api/types.js';
import { ClusterError } from '../../errors.js';

/** What the followed streams and the poll loop share: one failure run, and the stop once it is too long. */
export interface Follow {
  run: FailureRun;
  abort: AbortController;
  /** Set when the connection was given up: the one-line error the command ends with. */
  lost?: ClusterError;
}

/** A fresh follow state: no failures yet, nothing stopped. */
export function startFollow(): Follow {
  return { run: new FailureRun(), abort: new AbortController() };
}

/** Stops every stream and records the one line the command ends with. */
export function giveUp(conn: Connection, f: Follow): ClusterError {
  if (!f.lost) {
    const s = f.run.summary;
    f.lost = new ClusterError(
      'Unreachable',
      `lost the connection to the API server at ${conn.server}: no answer for ${Math.round(s.ms / 1000)}s (${s.failures} connection failures in a row, last ${connectionCause(s.lastError)}); ` +
        'the lines printed are complete and none was repeated; run the command again to go on',
    );
    f.abort.abort();
  }
  return f.lost;
}

/** The wait before the next try after `streak` connection failures in a row: 250 ms doubling to 2 s. */
export const reconnectDelay = (streak: number) => Math.min(2000, 250 * 2 ** Math.min(streak - 1, 3));

/** Runs a request again after connection failures, until it is answered or the failure run is too long. */
export async function ridingOut<T>(conn: Connection, f: Follow, what: () => Promise<T>): Promise<T> {
  for (let streak = 1; ; streak++) {
    if (f.lost) throw f.lost;
    try {
      const v = await what();
      f.run.answered();
      return v;
    } catch (e) {
      if (!isConnectionFailure(e)) throw e;
      if (f.run.failed(e)) throw giveUp(conn, f);
      await sleep(reconnectDelay(streak), f.abort.signal);
    }
  }
}

/** The Job as it is now; a Job deleted while following reads as failed ("Deleted"), so the follow stops with what was shown. */
export async function refreshJob(conn: Connection, job: Job, namespace: string): Promise<Job> {
  try {
    return await getJob(conn, namespace, job.metadata.name ?? '');
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'NotFound')
      return { ...job, status: { ...job.status, conditions: [{ type: 'Failed', status: 'True', reason: 'Deleted' }] } };
    throw e;
  }
}
