// Container logs of the kubelet stand-in, and the kubelet's HTTPS endpoint that the
// apiserver proxies `kubectl logs` to: GET /containerLogs/{namespace}/{pod}/{container}.
import { EventEmitter } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

interface Line {
  ts: number;
  text: string;
}

/** The output of one run (instance) of a container. */
export class Run extends EventEmitter {
  readonly lines: Line[] = [];
  done = false;

  /** Appends one line (without "\n"). */
  write(text: string): void {
    const line = { ts: Date.now(), text };
    this.lines.push(line);
    this.emit('line', line);
  }

  /** Marks the instance as exited. */
  end(): void {
    this.done = true;
    this.emit('end');
  }
}

interface PodLogs {
  uid: string;
  containers: Map<string, Run[]>;
  waiting: string;
}

/** Log runs per pod and container, keyed by namespace/name (reset when the pod UID changes). */
export class LogStore {
  private readonly pods = new Map<string, PodLogs>();

  /** Registers a pod (dropping logs of an older pod with the same name). */
  pod(ns: string, name: string, uid: string): PodLogs {
    const key = `${ns}/${name}`;
    let p = this.pods.get(key);
    if (!p || p.uid !== uid) this.pods.set(key, (p = { uid, containers: new Map(), waiting: 'ContainerCreating' }));
    return p;
  }

  /** Starts a new instance of a container. */
  start(ns: string, name: string, uid: string, container: string): Run {
    const runs = this.pod(ns, name, uid).containers;
    const run = new Run();
    runs.set(container, [...(runs.get(container) ?? []), run]);
    return run;
  }

  /** Forgets a deleted pod. */
  remove(ns: string, name: string, uid: string): void {
    if (this.pods.get(`${ns}/${name}`)?.uid === uid) this.pods.delete(`${ns}/${name}`);
  }

  /** Current (or previous) instance of a container, or an error message for the caller. */
  find(ns: string, name: string, container: string, previous: boolean): Run | { status: number; error: string } {
    const p = this.pods.get(`${ns}/${name}`);
    if (!p) return { status: 404, error: `pod "${name}" in namespace "${ns}" is not known to this kubelet` };
    const runs = p.containers.get(container) ?? [];
    if (previous) {
      const run = runs[runs.length - 2];
      return run ?? { status: 400, error: `previous terminated container "${container}" in pod "${name}" not found` };
    }
    const run = runs[runs.length - 1];
    return run ?? { status: 400, error: `container "${container}" in pod "${name}" is waiting to start: ${p.waiting}` };
  }
}

/** Kubelet-style timestamp: RFC 3339 with nanoseconds. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Serves container logs over HTTPS on 127.0.0.1 (client certificates checked against `ca` if `verify`). */
export async function serveLogs(store: LogStore, tls: { key: Buffer; cert: Buffer; ca: Buffer }, verify = true): Promise<https.Server> {
  const server = https.createServer({ ...tls, requestCert: verify, rejectUnauthorized: verify }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const fail = (status: number, error: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(error);
    };
    if (url.pathname === '/healthz') return fail(200, 'ok');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return fail(404, `kubelet stand-in: ${req.method} ${url.pathname} is not served`);
    const q = url.searchParams;
    const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
    const [ns, pod, container] = m.slice(1).map(decodeURIComponent) as [string, string, string];
    const found = store.find(ns, pod, container, flag('previous'));
    if (!(found instanceof Run)) return fail(found.status, found.error);

    let cutoff = 0;
    if (q.has('sinceSeconds')) cutoff = Date.now() - Number(q.get('sinceSeconds')) * 1000;
    if (q.has('sinceTime')) cutoff = Date.parse(q.get('sinceTime')!);
    let lines = found.lines.filter((l) => l.ts >= cutoff);
    if (q.has('tailLines')) lines = Number(q.get('tailLines')) <= 0 ? [] : lines.slice(-Number(q.get('tailLines')));
    let budget = q.has('limitBytes') ? Number(q.get('limitBytes')) : Infinity;
    const timestamps = flag('timestamps');
    res.writeHead(200, { 'content-type': 'text/plain' });
    const send = (l: Line): boolean => {
      let text = `${timestamps ? stamp(l.ts) + ' ' : ''}${l.text}\n`;
      if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString();
      budget -= Buffer.byteLength(text);
      res.write(text);
      return budget > 0;
    };
    for (const l of lines) if (!send(l)) return void res.end();
    if (!flag('follow') || found.done) return void res.end();
    const onLine = (l: Line) => { if (!send(l)) finish(); };
    const finish = () => {
      found.off('line', onLine).off('end', finish);
      res.end();
    };
    found.on('line', onLine).on('end', finish);
    res.on('close', finish);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  return server;
}

/** The port a server listens on. */
export function portOf(server: https.Server): number {
  return (server.address() as AddressInfo).port;
}
