// Small helpers for e2e tests: the real kubectl, polling, namespaces, per-suite control plane.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before } from 'node:test';
import { stringify } from 'yaml';
import { kubectlPath } from './binaries.js';
import { ApiError } from './kube-client.js';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';

/** Result of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of kubectl(). */
export interface KubectlOptions {
  kubeconfig: string;
  /** Written to kubectl's stdin. */
  input?: string;
  /** Throw on a non-zero exit (default true). */
  check?: boolean;
  /** Kill kubectl after this long (default 60 s). */
  timeoutMs?: number;
}

/** Runs the real kubectl with --kubeconfig; throws on failure unless check is false. */
export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const bin = kubectlPath();
  if (!bin) return Promise.reject(new Error('kubectl not found (set KUBECTL or put kubectl on PATH)'));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--kubeconfig', opts.kubeconfig, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const r = { code: code ?? 128, stdout, stderr };
      if ((opts.check ?? true) && r.code !== 0) {
        reject(new Error(`kubectl ${args.join(' ')} failed (${signal ?? `exit ${r.code}`}): ${stderr.trim()}`));
      } else resolve(r);
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** `kubectl apply -f -` of YAML text or objects (a list of objects becomes a multi-document stream). */
export async function applyYaml(
  kubeconfig: string,
  docs: string | object | object[],
  namespace?: string,
): Promise<string> {
  const yaml =
    typeof docs === 'string' ? docs : (Array.isArray(docs) ? docs : [docs]).map((d) => stringify(d)).join('---\n');
  const ns = namespace ? ['-n', namespace] : [];
  return (await kubectl(['apply', ...ns, '-f', '-'], { kubeconfig, input: yaml })).stdout;
}

/** Options of waitFor(). */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Described in the timeout error. */
  what?: string;
}

/** Polls `fn` until it returns a truthy value (errors count as "not yet"); returns that value. */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(
        `timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${opts.what ?? 'condition'} (last: ${detail})`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/**
 * What the cluster looks like for a namespace, in a few lines, for a test's failure message: the
 * node's Ready condition and taints, each pod's phase and why it is not running, the newest events.
 */
export async function clusterState(cp: ControlPlane, ns: string): Promise<string> {
  const lines: string[] = [];
  const get = (path: string) => cp.client.request('GET', path).catch((e: Error) => ({ error: e.message }));
  const nodes = await get('/api/v1/nodes');
  for (const n of nodes.items ?? []) {
    const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    const taints = (n.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).join(',') || 'none';
    lines.push(
      `node ${n.metadata.name}: Ready=${ready?.status} (${ready?.reason}, heartbeat ${ready?.lastHeartbeatTime}), taints ${taints}`,
    );
  }
  if (nodes.error) lines.push(`nodes: ${nodes.error}`);
  const pods = await get(`/api/v1/namespaces/${ns}/pods`);
  for (const p of pods.items ?? []) {
    const notTrue = (p.status?.conditions ?? [])
      .filter((c: any) => c.status !== 'True')
      .map((c: any) => `${c.type}=${c.status}/${c.reason ?? ''}`);
    const states = (p.status?.containerStatuses ?? []).map((c: any) =>
      Object.entries(c.state ?? {})
        .map(([k, v]: [string, any]) => `${k}${v?.reason ? `/${v.reason}` : ''}`)
        .join(),
    );
    lines.push(
      `pod ${p.metadata.name}: ${p.status?.phase} on ${p.spec?.nodeName ?? '(unscheduled)'}; ${[...notTrue, ...states].join('; ')}`,
    );
  }
  if (pods.error) lines.push(`pods: ${pods.error}`);
  const events = await get(`/api/v1/namespaces/${ns}/events`);
  for (const e of (events.items ?? []).slice(-10))
    lines.push(`event ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.reason} ${e.message}`);
  if (events.error) lines.push(`events: ${events.error}`);
  return lines.join('\n');
}

/** Runs `fn` in a fresh namespace, deleted afterwards (without waiting). */
/**
 * PUT `path` with `change(live)`, reading the object again when the server answers 409 (a controller wrote it
 * between the read and the write, e.g. the Job controller's status update).
 */
export async function putLatest(
  cp: ControlPlane,
  path: string,
  change: (live: any) => unknown,
  query?: Record<string, string>,
  attempts = 5,
): Promise<any> {
  for (let i = 1; ; i++) {
    const live = await cp.client.request('GET', path.replace(/\/status$/, ''));
    try {
      return await cp.client.request('PUT', path, change(live), query ? { query } : undefined);
    } catch (e) {
      if (i >= attempts || !(e instanceof ApiError && e.status === 409)) throw e;
    }
  }
}

export async function withNamespace<T>(cp: ControlPlane, fn: (ns: string) => Promise<T>, prefix = 'e2e'): Promise<T> {
  const ns = `${prefix}-${randomBytes(3).toString('hex')}`;
  await cp.client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns },
  });
  try {
    return await fn(ns);
  } finally {
    await cp.client.request('DELETE', `/api/v1/namespaces/${ns}`).catch(() => {});
  }
}

let shared: { cp: Promise<ControlPlane>; users: number } | undefined;

/** The control plane shared by this process (this test file), started on first use. */
export function getSharedControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  shared ??= { cp: startControlPlane(opts), users: 0 };
  shared.users++;
  return shared.cp;
}

/** Releases getSharedControlPlane(); the last user stops it. */
export async function releaseSharedControlPlane(): Promise<void> {
  if (!shared || --shared.users > 0) return;
  const { cp } = shared;
  shared = undefined;
  await (await cp.catch(() => undefined))?.stop();
}

/** Budget of the before() hook: a cold build of the binaries can take this long. */
export const START_TIMEOUT_MS = 60 * 60_000;

/**
 * Call inside a describe(): starts the shared control plane before its tests (building the
 * binaries first if needed), prints component logs when a test fails, stops it after.
 */
export function useControlPlane(opts: ControlPlaneOptions = {}): () => ControlPlane {
  let cp: ControlPlane | undefined;
  before(
    async () => {
      cp = await getSharedControlPlane(opts);
      process.stderr.write(`control plane up in ${cp.startMs} ms (${cp.server}, logs in ${cp.logsDir || 'n/a'})\n`);
    },
    { timeout: START_TIMEOUT_MS },
  );
  afterEach((t) => {
    if ('passed' in t && t.passed === false && cp)
      process.stderr.write(`\n"${t.name}" failed; component log tails:\n${cp.logTails()}\n`);
  });
  after(() => releaseSharedControlPlane());
  return () => {
    if (!cp) throw new Error('control plane not started (see the before hook error)');
    return cp;
  };
}

/** A kubeconfig for `user`, bound in `ns` by a RoleBinding to a Role (named `role`, else after the
 * user) with exactly these rules. */
export async function kubeconfigWithRole(
  cp: ControlPlane,
  ns: string,
  user: string,
  rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>,
  role = user,
): Promise<string> {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  await cp.client.request('POST', `${rbac}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: role },
    rules,
  });
  await cp.client.request('POST', `${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: role },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
  return cp.kubeconfigFor(user, []);
}
