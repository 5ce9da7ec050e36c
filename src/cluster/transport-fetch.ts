// Requests under Bun (the single executable): the runtime's own fetch, which takes TLS client
// certificates and a CA through its `tls` option, an http(s) proxy through `proxy`, and pools
// keep-alive connections itself.
// Bun's node:https would cost several milliseconds to load and more to connect.
import type { Readable } from 'node:stream';
import type { Transport, WireRequest, WireResponse } from './wire.js';
import type { TlsSettings } from './kubeconfig.js';

/** Bun's extension of RequestInit. */
interface BunRequestInit extends RequestInit {
  proxy?: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; serverName?: string };
}

/** A transport over fetch with the connection's TLS settings. */
export function fetchTransport(tls: TlsSettings, plain: boolean, proxy?: URL): Transport {
  const text = (b: Buffer | undefined) => b?.toString('utf8');
  const options: BunRequestInit['tls'] = plain
    ? undefined
    : {
        ca: text(tls.ca),
        cert: text(tls.cert),
        key: text(tls.key),
        rejectUnauthorized: tls.rejectUnauthorized,
        serverName: tls.servername,
      };
  return {
    send: (req) => send(options, req, proxy?.href),
    close: () => {},
  };
}

async function send(tls: BunRequestInit['tls'], req: WireRequest, proxy: string | undefined): Promise<WireResponse> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? (v[0] ?? '') : v); // one value each (http.ts)
  const init: BunRequestInit = {
    method: req.method,
    headers,
    body: req.payload,
    tls,
    ...(proxy ? { proxy } : {}),
    redirect: 'manual',
    signal: req.timeoutMs > 0 ? AbortSignal.timeout(req.timeoutMs) : undefined,
  };
  let res: Response;
  try {
    res = await (proxy ? fetch(req.url, init) : fetchDirect(req.url, init));
  } catch (e) {
    throw networkError(e);
  }
  return {
    status: res.status,
    header: (name) => res.headers.get(name) ?? undefined,
    text: () => res.text().catch((e: unknown) => Promise.reject(networkError(e))),
    stream: async (): Promise<Readable> => {
      const { Readable } = await import('node:stream');
      return Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream);
    },
  };
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * A fetch that connects directly. Bun's fetch honours HTTPS_PROXY by itself, also for loopback
 * addresses, where kubectl (Go) never uses it: when proxy.ts decided on a direct connection,
 * NO_PROXY=* is in force while fetch reads it (synchronously, in the call) and put back at once,
 * so child processes (exec plugins) see the user's environment.
 */
function fetchDirect(url: URL, init: BunRequestInit): Promise<Response> {
  if (!PROXY_VARIABLES.some((v) => process.env[v])) return fetch(url, init);
  const saved = { NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
  process.env.NO_PROXY = '*';
  process.env.no_proxy = '*';
  try {
    return fetch(url, init);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** fetch's failures under the errno-style codes the rest of the tool maps (ECONNREFUSED, ETIMEDOUT, TLS codes). */
function networkError(e: unknown): NodeJS.ErrnoException {
  const err = (e instanceof Error ? e : new Error(String(e))) as NodeJS.ErrnoException;
  const code = err.code ?? err.name;
  const errno: Record<string, string> = {
    ConnectionRefused: 'ECONNREFUSED',
    ConnectionReset: 'ECONNRESET',
    ConnectionClosed: 'ECONNRESET',
    FailedToOpenSocket: 'ECONNREFUSED',
    TimeoutError: 'ETIMEDOUT',
    Timeout: 'ETIMEDOUT',
    DNSError: 'ENOTFOUND',
    ENOTFOUND: 'ENOTFOUND',
  };
  // Bun's text ends with ` fetching "<url>". For more information, pass `verbose: true`...`.
  const message = err.message.replace(/ fetching "[\s\S]*$/, '');
  return Object.assign(new Error(message), { code: errno[code] ?? code });
}
