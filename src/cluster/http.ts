// The one place that sends HTTP requests to the API server. Objects come back as the
// server's own JSON (same shape as `kubectl get -o json`), so the pure controller code
// sees identical input whether it reads a live cluster or a snapshot file.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { ClusterError } from '../errors.js';
import type { Connection } from './kubeconfig.js';
import { describeResource, errorFromStatus, errorFromNetwork } from './errors.js';

/** One API request. `resource` names it in error messages, e.g. {verb: 'get', resource: 'cronjobs', namespace, name}. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  what: { verb: string; resource: string; namespace?: string; name?: string };
}

/** Sends a request and parses the JSON answer; maps failures to ClusterError. */
export async function apiRequest<T>(conn: Connection, req: ApiRequest): Promise<T> {
  const res = await send(conn, req);
  const text = await readAll(res);
  if ((res.statusCode ?? 0) >= 400) throw withRetryAfter(errorFromStatus(res.statusCode ?? 0, text, req.what, conn), res);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ClusterError('ServerError', `the server answered ${describeResource(req.what)} with something that is not JSON`);
  }
}

// Throttling answers (429, some 503s) say when to come back; src/cluster/retry.ts honours it.
function withRetryAfter(e: ClusterError, res: http.IncomingMessage): ClusterError {
  const seconds = Number(res.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? Object.assign(e, { retryAfterSeconds: seconds }) : e;
}

/** Sends a request whose answer is a stream (logs); the caller consumes the body. */
export async function apiStream(conn: Connection, req: ApiRequest): Promise<Readable> {
  const res = await send(conn, req);
  if ((res.statusCode ?? 0) >= 400) throw errorFromStatus(res.statusCode ?? 0, await readAll(res), req.what, conn);
  return res;
}

async function send(conn: Connection, req: ApiRequest): Promise<http.IncomingMessage> {
  const url = new URL(conn.server.replace(/\/+$/, '') + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const base = await transportOptions(conn);
  const opts: https.RequestOptions = {
    ...base,
    method: req.method,
    headers: { ...(base.headers as Record<string, string>) },
  };
  const payload = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  if (payload !== undefined) {
    (opts.headers as Record<string, string>)['Content-Type'] = req.contentType ?? 'application/json';
    // Node does not chunk DELETE bodies: without a length the DeleteOptions (preconditions) would be lost.
    (opts.headers as Record<string, string>)['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const r = mod.request(url, opts, resolve);
    if (conn.timeoutMs > 0) {
      r.setTimeout(conn.timeoutMs, () => r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    }
    r.on('error', (e) => reject(errorFromNetwork(e as NodeJS.ErrnoException, conn, req.what)));
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

const transports = new WeakMap<Connection, Promise<https.RequestOptions>>();

// Credentials are resolved once per connection (an exec plugin runs once) and one keep-alive
// agent is shared, so a command that sends many requests does one TLS handshake.
function transportOptions(conn: Connection): Promise<https.RequestOptions> {
  let p = transports.get(conn);
  if (!p) {
    p = (async () => {
      const headers: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'kubectl-job', ...conn.headers };
      const tls = { ...conn.tls };
      if (conn.plugin) {
        const { pluginCredentials } = await import('./plugin-credentials.js');
        const creds = await pluginCredentials(conn, conn.plugin);
        Object.assign(headers, creds.headers);
        if (creds.cert) tls.cert = creds.cert;
        if (creds.key) tls.key = creds.key;
      }
      const agent = conn.server.startsWith('http:')
        ? new http.Agent({ keepAlive: true, maxSockets: 16 })
        : new https.Agent({ ...tls, keepAlive: true, maxSockets: 16 });
      return { ...tls, headers, agent };
    })();
    transports.set(conn, p);
  }
  return p;
}

/** Closes the keep-alive sockets of a connection so the process can exit promptly. */
export async function closeConnection(conn: Connection): Promise<void> {
  const p = transports.get(conn);
  if (!p) return;
  const opts = await p.catch(() => undefined);
  (opts?.agent as http.Agent | undefined)?.destroy();
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}
