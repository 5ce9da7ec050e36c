// Requests under Bun (the single executable): the runtime's own fetch, which takes TLS client
// certificates and a CA through its `tls` option and pools keep-alive connections itself.
// Bun's node:https would cost several milliseconds to load and more to connect.
import type { Readable } from 'node:stream';
import type { Transport, WireRequest, WireResponse } from './http.js';
import type { TlsSettings } from './kubeconfig.js';

/** Bun's extension of RequestInit. */
interface BunRequestInit extends RequestInit {
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; serverName?: string };
}

/** A transport over fetch with the connection's TLS settings. */
export function fetchTransport(tls: TlsSettings, plain: boolean): Transport {
  const text = (b: Buffer | undefined) => b?.toString('utf8');
  const options: BunRequestInit['tls'] = plain
    ? undefined
    : { ca: text(tls.ca), cert: text(tls.cert), key: text(tls.key), rejectUnauthorized: tls.rejectUnauthorized, serverName: tls.servername };
  return {
    send: (req) => send(options, req),
    close: () => {},
  };
}

async function send(tls: BunRequestInit['tls'], req: WireRequest): Promise<WireResponse> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v[0] ?? '' : v); // one value each (http.ts)
  const init: BunRequestInit = {
    method: req.method,
    headers,
    body: req.payload,
    tls,
    redirect: 'manual',
    signal: req.timeoutMs > 0 ? AbortSignal.timeout(req.timeoutMs) : undefined,
  };
  let res: Response;
  try {
    res = await fetch(req.url, init);
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
