// Reads one container instance's log for `kubectl job logs`: logs the server no longer has become
// a "gone" line, and with --follow a stream cut by a lost connection is opened again from its last
// printed line without printing any line twice.
import type { Connection } from '../../cluster/kubeconfig.js';
import { isConnectionFailure } from '../../cluster/failure-run.js';
import { LogCursor } from '../../cluster/log-cursor.js';
import { getPod, streamLog, type LogRequest } from '../../cluster/logs.js';
import { sleep } from '../../cluster/retry.js';
import type { LogSource } from '../../controller/plans/logs.js';
import type { Pod } from '../../api/types.js';
import { ClusterError } from '../../errors.js';
import { logGoneHeader } from '../../explain/logs.js';
import { giveUp, reconnectDelay, ridingOut, type Follow } from './logs-reconnect.js';
import type { Sink } from './logs-sink.js';

/**
 * What a real kubelet answers (HTTP 200, as the log body) for an instance whose container it
 * has already removed, e.g. the previous instance of a restarted container once the pod has
 * finished: `unable to retrieve container logs for containerd://<id>`.
 */
const KUBELET_LOGS_REMOVED = /^unable to retrieve container logs for [a-z][\w.+-]*:\/\/[0-9a-f]{12,}$/;

/** Why an instance's log cannot be read, in a few words from the server's answer. */
function goneReason(e: ClusterError): string {
  if (e.kind === 'NotFound') return 'the pod no longer exists';
  const m = /: (.*) \(HTTP \d+\)$/s.exec(e.message);
  return (m?.[1] ?? e.message).split('\n')[0]!;
}

/**
 * Reads one container instance into the sink; logs the server no longer has become a "gone" line.
 * With `f` (--follow) the stream is read with timestamps=true and a LogCursor, so a stream cut by
 * a lost connection is opened again from its last printed line (sinceTime) without printing any
 * line twice; a running instance whose container restarted meanwhile is finished as the previous
 * instance. Then it never rejects: a connection given up is recorded in `f` and every stream stops.
 * Without `f`, a connection failure is the command's error (exit 3). Forbidden and Unauthorized
 * answers go to `failures` (the command ends with the first).
 */
export async function readInstance(
  conn: Connection,
  req: LogRequest,
  s: LogSource,
  sink: Sink,
  failures: ClusterError[],
  f?: Follow,
): Promise<void> {
  const cursor = new LogCursor();
  let started = false;
  let previous = req.previous ?? false;
  let follow = req.follow ?? false;
  let streak = 0;
  const emit = (line: string) => {
    if (!started) sink.begin(s);
    started = true;
    sink.line(s, line);
  };
  for (;;) {
    if (f?.lost) return;
    // A first line that may be the kubelet's "container removed" answer: held until a second line
    // shows it was real output, or the stream ends with it alone (never for a running instance).
    let held: string | undefined;
    const since = f ? cursor.resume() : undefined;
    const open: LogRequest = {
      ...req,
      follow,
      previous,
      timestamps: f ? true : req.timestamps,
      ...(since === undefined ? {} : { tailLines: undefined, sinceSeconds: undefined, sinceTime: since }),
    };
    try {
      await streamLog(
        conn,
        open,
        (raw) => {
          const line = f ? cursor.take(raw) : { text: raw };
          if (!line) return; // printed before the connection was lost
          if (streak) {
            f?.run.answered();
            streak = 0;
          }
          const text = f && !req.timestamps ? line.text : raw;
          if (!started && held === undefined && !follow && KUBELET_LOGS_REMOVED.test(line.text)) {
            held = text;
            return;
          }
          if (held !== undefined) {
            emit(held);
            held = undefined;
          }
          emit(text);
        },
        f?.abort.signal,
      );
      if (f?.lost) return;
      f?.run.answered();
      if (held !== undefined) {
        sink.note(logGoneHeader(s, `the kubelet no longer has the container: "${held}"`));
        return;
      }
      if (!started) sink.begin(s);
      return;
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      if (!isConnectionFailure(e as unknown)) {
        f?.run.answered();
        if (e.kind === 'Forbidden' || e.kind === 'Unauthorized') failures.push(e);
        else sink.note(logGoneHeader(s, goneReason(e)));
        return;
      }
      if (!f) throw e;
      if (f.run.failed(e)) {
        giveUp(conn, f);
        return;
      }
      streak++;
      await sleep(reconnectDelay(streak), f.abort.signal);
      if (!follow) continue;
      // Did the container restart meanwhile? Then what is left of this instance is the previous one.
      const pod = await ridingOut(conn, f, () => getPod(conn, req.namespace, s.pod)).then(
        (p): Pod | null | 'unknown' => p,
        (x: unknown) => (x instanceof ClusterError && x.kind === 'NotFound' ? null : 'unknown'),
      );
      if (f.lost) return;
      if (pod === null) {
        sink.note(logGoneHeader(s, 'the pod no longer exists'));
        return;
      }
      if (pod !== 'unknown' && restartsOf(pod, s) + 1 > s.run) {
        previous = true;
        follow = false;
      }
    }
  }
}

/** The restart count of the instance's container in `pod`'s status now. */
function restartsOf(pod: Pod, s: LogSource): number {
  const list = s.init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return list?.find((c) => c.name === s.container)?.restartCount ?? 0;
}
