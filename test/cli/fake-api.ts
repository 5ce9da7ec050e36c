// A tiny fake API server over plain HTTP for command tests that need "a cluster" but not a real
// one: each test routes requests itself and can inspect what was sent. Also runs the CLI.
import { cliCommand } from '../support/cli-command.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  contentType?: string;
}

/** A reply: JSON (status + body), or text lines written over time (logs), optionally cut after `cutAfter` lines. */
export type Reply =
  | { status?: number; body?: unknown; headers?: Record<string, string> }
  | { text: string[]; delayMs?: number; cutAfter?: number };

/** Routes one request; undefined = 404. */
export type Route = (r: SeenRequest) => Reply | undefined | Promise<Reply | undefined>;

/** A running fake API server with a kubeconfig that points at it. */
export interface FakeApi {
  url: string;
  kubeconfig: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts the fake server on 127.0.0.1 with the given route. */
export async function startFakeApi(route: Route): Promise<FakeApi> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? JSON.parse(text) : undefined,
        contentType: req.headers['content-type'],
      };
      requests.push(seen);
      const reply = await route(seen);
      if (!reply) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: `${seen.path} not found` }));
        return;
      }
      if ('text' in reply) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (const [i, line] of reply.text.entries()) {
          if (reply.cutAfter === i) {
            // The connection dies mid-stream, as when the API server is killed.
            res.socket?.destroy();
            return;
          }
          res.write(`${line}\n`);
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        }
        res.end();
        return;
      }
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-fake-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: fake',
      `clusters: [{name: fake, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: fake, user: {token: fake-token}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]',
      '',
    ].join('\n'),
  );
  return {
    url,
    kubeconfig,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A Status error reply. */
export function status(code: number, reason: string, message: string): Reply {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message } };
}

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const root = new URL('../../', import.meta.url).pathname;

/** Runs `kubectl-job <args>` as a process (see cliCommand; stdin is not a terminal unless `input` says otherwise). */
export function runCli(
  args: string[],
  opts: {
    input?: string;
    env?: Record<string, string>;
    signalAfter?: { ms: number; signal: NodeJS.Signals };
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { cmd, args: lead } = cliCommand();
    const child = spawn(cmd, [...lead, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    if (opts.signalAfter) setTimeout(() => child.kill(opts.signalAfter!.signal), opts.signalAfter.ms);
    opts.onSpawn?.(child);
    child.stdin.end(opts.input ?? '');
  });
}
