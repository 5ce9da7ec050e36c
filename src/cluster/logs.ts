// Reads container logs through the API server (GET .../pods/{pod}/log), line by line.
// Query parameters are sent only when set, but unlike the client library's Log helper a
// tailLines of 0 is sent too.
import type { Readable } from 'node:stream';
import { apiStream } from './http.js';
import type { Connection } from './kubeconfig.js';
import { segment } from './request-parts.js';

/** One log read: which container instance and how much of it. */
export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  /** The container's previous instance (lastState.terminated). */
  previous?: boolean;
  /** Keep the stream open while the container runs. */
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
}

/** The query string of a log request. */
export function logQuery(r: LogRequest): Record<string, string | number | boolean | undefined> {
  return {
    container: r.container,
    previous: r.previous ? true : undefined,
    follow: r.follow ? true : undefined,
    tailLines: r.tailLines,
    sinceSeconds: r.sinceSeconds,
    timestamps: r.timestamps ? true : undefined,
  };
}

/** Streams one container's log, calling `onLine` per line (without the newline); resolves at the end of the stream or on abort. */
export async function streamLog(conn: Connection, r: LogRequest, onLine: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const res: Readable = await apiStream(conn, {
    method: 'GET',
    path: `/api/v1/namespaces/${segment(r.namespace, 'namespace')}/pods/${segment(r.pod)}/log`,
    query: logQuery(r),
    what: { verb: 'get', resource: 'pods/log', namespace: r.namespace, name: r.pod },
  });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const onAbort = () => {
      res.destroy();
      finish();
    };
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      if (buf) onLine(buf);
      buf = '';
      resolve();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', (e) => (signal?.aborted ? finish() : reject(e)));
  });
}
