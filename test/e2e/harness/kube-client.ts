// A minimal JSON client for the Kubernetes API (requests and watches), used by the
// harness and the tests. Authentication comes from a kubeconfig file.
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** An API error with the HTTP status and the server's Status object (or text). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    what: string,
  ) {
    super(`${what}: HTTP ${status}: ${typeof body === 'string' ? body : (body?.message ?? JSON.stringify(body))}`);
  }
}

/** One watch event. */
export interface WatchEvent<T = any> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Request options: query parameters and the body's content type (for patches). */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  contentType?: string;
}

/** Content types for PATCH requests. */
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** A small Kubernetes API client bound to one kubeconfig's current context. */
export class KubeClient {
  private constructor(
    readonly server: string,
    private readonly tls: https.RequestOptions,
  ) {}

  /** Loads the current context of a kubeconfig file. */
  static async fromKubeconfig(path: string): Promise<KubeClient> {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig ${path} has no current cluster`);
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    return new KubeClient(cluster.server.replace(/\/$/, ''), tls);
  }

  private url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Sends one request; resolves to the parsed JSON body, rejects with ApiError. */
  request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const url = this.url(path, opts.query);
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...(this.tls.headers as Record<string, string>),
      accept: 'application/json',
    };
    if (data !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      // Explicit: Node sends a DELETE body without Content-Length otherwise, and the server drops it.
      headers['content-length'] = String(Buffer.byteLength(data));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { ...this.tls, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* plain text */
          }
          if ((res.statusCode ?? 0) >= 300) reject(new ApiError(res.statusCode ?? 0, parsed, `${method} ${path}`));
          else resolve(parsed as T);
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /** GET returning undefined on 404. */
  async getOrNull<T = any>(path: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Streams watch events of a collection path until the server closes or `signal` aborts. */
  watch(
    path: string,
    query: RequestOptions['query'],
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const url = this.url(path, { ...query, watch: 1, allowWatchBookmarks: true });
    return new Promise((resolve, reject) => {
      const req = https.request(url, { ...this.tls, method: 'GET', signal }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          reject(new ApiError(res.statusCode ?? 0, res.statusMessage, `WATCH ${path}`));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) onEvent(JSON.parse(line) as WatchEvent);
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      req.end();
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    (this.tls.agent as https.Agent | undefined)?.destroy();
  }
}
