// The one place that sends HTTP requests to the API server. Objects come back as the
// server's own JSON (same shape as `kubectl get -o json`), so the pure controller code
// sees identical input whether it reads a live cluster or a snapshot file.
//
// Two transports carry the requests: node:https with a keep-alive agent under Node
// (transport-node.ts), and the runtime's fetch under Bun, which runs the single executable
// (transport-fetch.ts; Bun's node:https is much slower to load and to connect). Each is
// loaded only when a request is sent.
import type { Readable } from 'node:stream';
import { ClusterError } from '../errors.js';
import type { Connection, TlsSettings } from './kubeconfig.js';
import { describeResource, errorFromStatus, errorFromNetwork } from './errors.js';
import { tokenFromFile } from './token-file.js';
import type { Transport, WireResponse } from './wire.js';

/** One API request. `resource` names it in error messages, e.g. {verb: 'get', resource: 'cronjobs', namespace, name}. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  what: { verb: string; resource: string; namespace?: string; name?: string };
  /** Overrides the connection's --request-timeout (a watch stays quiet for long; 0 = none). */
  timeoutMs?: number;
}

/** Sends a request and parses the JSON answer; maps failures to ClusterError. */
export async function apiRequest<T>(conn: Connection, req: ApiRequest): Promise<T> {
  const res = await send(conn, req);
  const text = await res.text();
  if (res.status >= 400) throw withRetryAfter(errorFromStatus(res.status, text, req.what, conn), res);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ClusterError(
      'ServerError',
      `the server answered ${describeResource(req.what)} with something that is not JSON`,
    );
  }
}

// Throttling answers (429, some 503s) say when to come back; src/cluster/retry.ts honours it.
function withRetryAfter(e: ClusterError, res: WireResponse): ClusterError {
  const seconds = Number(res.header('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Object.assign(e, { retryAfterSeconds: seconds }) : e;
}

/** Sends a request whose answer is a stream (logs); the caller consumes the body. */
export async function apiStream(conn: Connection, req: ApiRequest): Promise<Readable> {
  const res = await send(conn, req);
  if (res.status >= 400) throw errorFromStatus(res.status, await res.text(), req.what, conn);
  return res.stream();
}

async function send(conn: Connection, req: ApiRequest): Promise<WireResponse> {
  const url = new URL(conn.server.replace(/\/+$/, '') + req.path);
  for (const [k, v] of Object.entries(req.query ?? {}))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const { transport, headers: base } = await connectionTransport(conn);
  const headers = { ...base };
  // A rotated token file (in-cluster): its current token, re-read at most once a minute.
  if (conn.tokenFile && conn.server.startsWith('https:'))
    headers.Authorization = `Bearer ${tokenFromFile(conn.tokenFile)}`;
  const payload =
    req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  if (payload !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    // Node does not chunk DELETE bodies: without a length the DeleteOptions (preconditions) would be lost.
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  try {
    return await transport.send({
      method: req.method,
      url,
      headers,
      payload,
      timeoutMs: req.timeoutMs ?? conn.timeoutMs,
    });
  } catch (e) {
    throw e instanceof ClusterError ? e : errorFromNetwork(e as NodeJS.ErrnoException, conn, req.what);
  }
}

interface Prepared {
  transport: Transport;
  headers: Record<string, string | string[]>;
}

const prepared = new WeakMap<Connection, Promise<Prepared>>();

// Credentials are resolved once per connection (an exec plugin runs once) and one transport
// is shared, so a command that sends many requests reuses its connections.
function connectionTransport(conn: Connection): Promise<Prepared> {
  let p = prepared.get(conn);
  if (!p) {
    p = (async () => {
      const headers: Record<string, string | string[]> = {
        Accept: 'application/json',
        'User-Agent': 'kubectl-job',
        ...conn.headers,
      };
      const tls: TlsSettings = { ...conn.tls };
      if (conn.plugin) {
        const { pluginCredentials } = await import('./plugin-credentials.js');
        const creds = await pluginCredentials(conn, conn.plugin);
        Object.assign(headers, creds.headers);
        if (creds.cert) tls.cert = creds.cert;
        if (creds.key) tls.key = creds.key;
      }
      const plain = conn.server.startsWith('http:');
      // fetch joins repeated headers into one line ("a, b"), which the API server reads as one
      // value: several impersonated groups or extras need node:https, whatever the runtime.
      const repeated = Object.values(headers).some((v) => Array.isArray(v) && v.length > 1);
      // Bun's fetch takes http(s) proxies, not SOCKS: those go through node:https there too.
      const socks = conn.proxy?.protocol === 'socks5:';
      const transport =
        process.versions.bun && !repeated && !socks
          ? (await import('./transport-fetch.js')).fetchTransport(tls, plain, conn.proxy)
          : await (await import('./transport-node.js')).nodeTransport(tls, plain, conn.proxy);
      return { transport, headers };
    })();
    prepared.set(conn, p);
  }
  return p;
}

/** Closes the keep-alive connections of a connection so the process can exit promptly. */
export async function closeConnection(conn: Connection): Promise<void> {
  const p = prepared.get(conn);
  if (!p) return;
  (await p.catch(() => undefined))?.transport.close();
}
