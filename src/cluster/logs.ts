// Reads container logs through the API server (GET .../pods/{pod}/log), line by line.
// Query parameters are sent only when set, but unlike the client library's Log helper a
// tailLines of 0 is sent too.
import type { Readable } from 'node:stream';
import { ClusterError } from '../errors.js';
import type { Pod } from '../api/types.js';
import { apiRequest, apiStream } from './http.js';
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
  /** RFC 3339, whole seconds (how the API takes it): lines from this time on. */
  sinceTime?: string;
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
    sinceTime: r.sinceTime,
    timestamps: r.timestamps ? true : undefined,
  };
}

/**
 * Streams one container's log, calling `onLine` per line (without the newline); resolves at the
 * end of the stream or on abort. A stream cut before its end (the connection to the API server
 * was lost) rejects with an Unreachable ClusterError, and its unfinished last line is not given.
 */
export async function streamLog(
  conn: Connection,
  r: LogRequest,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const res: Readable = await apiStream(conn, {
    method: 'GET',
    path: `/api/v1/namespaces/${segment(r.namespace, 'namespace')}/pods/${segment(r.pod)}/log`,
    query: logQuery(r),
    what: { verb: 'get', resource: 'pods/log', namespace: r.namespace, name: r.pod },
  });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    let settled = false;
    let ended = false;
    const onAbort = () => {
      res.destroy();
      finish();
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (buf) onLine(buf);
      buf = '';
      resolve();
    };
    const cut = (e?: Error) => {
      if (settled) return;
      if (signal?.aborted) return finish();
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      reject(
        new ClusterError(
          'Unreachable',
          `the log stream of pod ${r.pod} from ${conn.server} was cut: ${code && /^E[A-Z]+$/.test(code) ? code : 'ECONNRESET'}${e?.message ? ` (${e.message})` : ''}`,
        ),
      );
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
    res.on('end', () => {
      ended = true;
      finish();
    });
    res.on('close', () => (ended ? finish() : cut()));
    res.on('error', (e) => cut(e));
  });
}

/** GETs one pod (to see whether a followed container restarted while the connection was lost). */
export function getPod(conn: Connection, namespace: string, name: string): Promise<Pod> {
  return apiRequest<Pod>(conn, {
    method: 'GET',
    path: `/api/v1/namespaces/${segment(namespace, 'namespace')}/pods/${segment(name)}`,
    what: { verb: 'get', resource: 'pods', namespace, name },
  });
}
