// A real local cluster for e2e tests: etcd + kube-apiserver + kube-controller-manager +
// kube-scheduler + a real node (kubelet + containerd, node.ts), all built from source by
// build.sh or Debian packages; or an existing cluster with real nodes (E2E_KUBECONFIG).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { ensureBinaries, hasSetpriv, kubectlPath } from './binaries.js';
import { CertAuthority, writeKubeconfig } from './certs.js';
import { KubeClient } from './kube-client.js';
import { RealNode, stopRealNodesNow } from './node.js';
import { nodeImage } from './pod-behaviour.js';

/** Options of startControlPlane. */
export interface ControlPlaneOptions {
  /**
   * Start the real node: kube-scheduler, then kubelet + containerd on this machine (needs root).
   * Default true; false gives a control plane without any node (pods stay Pending), for tests
   * that need only the API. Ignored for E2E_KUBECONFIG.
   */
  kubelet?: boolean;
  /** Directory with the binaries (default: E2E_BIN_DIR / KUBEBUILDER_ASSETS / build.sh). */
  binDir?: string;
  /** kube-controller-manager --controllers (default: see DEFAULT_CONTROLLERS). */
  controllers?: string[];
  /** Timeout for each component to become healthy (default 60 s). */
  timeoutMs?: number;
  /** kube-apiserver --event-ttl, e.g. '90s' or '2m' (default: the apiserver's, 1h). */
  eventTTL?: string;
  /**
   * Service accounts as in a real cluster: the ServiceAccount admission plugin on (pods get the
   * projected token, CA and namespace at /var/run/secrets/kubernetes.io/serviceaccount), and the
   * serviceaccount and root-ca-certificate-publisher controllers (the `default` ServiceAccount and
   * the kube-root-ca.crt ConfigMap of every namespace). Default off: pods need no ServiceAccount.
   */
  serviceAccounts?: boolean;
}

/** A running cluster that tests talk to. */
export interface ControlPlane {
  /** Admin kubeconfig (system:masters). */
  readonly kubeconfigPath: string;
  /** The apiserver URL. */
  readonly server: string;
  /** Directory with the component logs (empty string for an existing cluster). */
  readonly logsDir: string;
  /** Admin API client. */
  readonly client: KubeClient;
  /** The real node, if running. */
  readonly node?: RealNode;
  /** An image with a shell the node can run without a registry (busybox); $E2E_IMAGE for an existing cluster. */
  readonly image: string;
  /** Milliseconds the start took. */
  readonly startMs: number;
  /** A kubeconfig authenticating as `user` in `groups` (for RBAC tests). */
  kubeconfigFor(user: string, groups?: string[]): Promise<string>;
  /** The last lines of each component log, for failure reports. */
  logTails(lines?: number): string;
  /** Stops kube-controller-manager (SIGTERM, then SIGKILL after 5 s); the rest keeps running. Local control plane only. */
  stopControllerManager(): Promise<void>;
  /** Starts kube-controller-manager again with the same flags (its log is appended to) and waits for /healthz. */
  startControllerManager(): Promise<void>;
  /**
   * Kills kube-apiserver (SIGKILL by default, as a crash: open connections are cut, new ones refused);
   * etcd and everything else keep running. Local control plane only.
   */
  killApiServer(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts kube-apiserver again with the same flags, etcd, certificates and port (clients reconnect) and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** killApiServer, `downMs` of outage, startApiServer. */
  restartApiServer(downMs?: number): Promise<void>;
  /** Stops everything this control plane started and removes its temp dir. */
  stop(): Promise<void>;
}

/** Controllers run by kube-controller-manager. */
export const DEFAULT_CONTROLLERS = [
  'cronjob-controller',
  'job-controller',
  'garbage-collector-controller',
  'ttl-after-finished-controller',
  'resourcequota-controller',
  'namespace-controller',
];

/** Controllers a real node needs besides DEFAULT_CONTROLLERS (not-ready taints, orphaned pods). */
export const NODE_CONTROLLERS = ['node-lifecycle-controller', 'pod-garbage-collector-controller'];

/** Controllers that make service accounts work in pods (ControlPlaneOptions.serviceAccounts). */
export const SERVICE_ACCOUNT_CONTROLLERS = ['serviceaccount-controller', 'root-ca-certificate-publisher-controller'];

/** Node name of the local cluster. */
export const NODE_NAME = 'e2e-node';

const TMP_PREFIX = 'kubectl-job-e2e-';
const run = promisify(execFile);
const live = new Set<LocalControlPlane>();
let exitHookInstalled = false;

/** Last resort: kill children and remove temp dirs when the test process exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const cp of live) cp.killNow();
    stopRealNodesNow();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal); // listener removed by once(): the default action ends us
    });
  }
}

/** Removes temp dirs of earlier runs whose owning process is gone. */
function sweepStale(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const pid = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Free TCP ports on 127.0.0.1 (all held open until every one is picked, so they differ). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Component {
  name: string;
  proc: ChildProcess;
  exited: boolean;
}

/** A control plane made of child processes in a temp dir. */
class LocalControlPlane implements ControlPlane {
  readonly logsDir: string;
  readonly kubeconfigPath: string;
  server = '';
  client!: KubeClient;
  node?: RealNode;
  image = 'busybox';
  startMs = 0;
  private ca!: CertAuthority;
  /** The admin's TLS material, for health checks of a restarted kube-apiserver. */
  private adminTls?: https.RequestOptions;
  private readonly components: Component[] = [];
  private users = 0;
  private stopped = false;
  /** Arguments each component was started with (for a restart with the same flags). */
  private readonly spawnArgs = new Map<string, string[]>();

  constructor(
    readonly dir: string,
    private readonly binDir: string,
  ) {
    this.logsDir = join(dir, 'logs');
    this.kubeconfigPath = join(dir, 'admin.kubeconfig');
    mkdirSync(this.logsDir);
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  }

  private spawn(name: string, args: string[]): Component {
    this.spawnArgs.set(name, args);
    // Append: a restarted component (startControllerManager) keeps its earlier log.
    const fd = openSync(join(this.logsDir, `${name}.log`), 'a');
    const bin = join(this.binDir, name);
    // setpriv --pdeathsig: the child is killed even if this process dies by SIGKILL.
    const [cmd, argv] = hasSetpriv ? ['setpriv', ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
    const proc = spawn(cmd, argv, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    proc.unref();
    const c: Component = { name, proc, exited: false };
    proc.on('exit', () => (c.exited = true));
    proc.on('error', () => (c.exited = true));
    this.components.push(c);
    return c;
  }

  /** Polls `url` until it answers 200; fails early if the component exits. */
  private async waitHealthy(c: Component, url: string, tls: https.RequestOptions, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (c.exited) throw new Error(`${c.name} exited during startup`);
      last = await new Promise<string>((resolve) => {
        const mod = url.startsWith('https:') ? https : http;
        const req = mod.get(url, { ...tls, timeout: 2000 }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(res.statusCode === 200 ? '' : `HTTP ${res.statusCode}: ${body.slice(0, 2000)}`));
        });
        req.on('error', (e) => resolve(String(e)));
        req.on('timeout', () => req.destroy(new Error('timeout')));
      });
      if (last === '') return;
      await sleep(100);
    }
    throw new Error(`${c.name} not healthy at ${url} after ${timeoutMs} ms: ${last}`);
  }

  /** Stops one running component: `signal`, then SIGKILL after 5 s; it is forgotten (a restart spawns it anew). */
  private async stopComponent(name: string, signal: NodeJS.Signals): Promise<void> {
    const c = this.components.find((x) => x.name === name && !x.exited);
    if (!c) throw new Error(`${name} is not running`);
    const done = new Promise((r) => c.proc.once('exit', r));
    c.proc.kill(signal);
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
    this.components.splice(this.components.indexOf(c), 1);
  }

  /** Spawns a stopped component again with the flags of its first start (its log is appended to). */
  private respawn(name: string): { c: Component; args: string[] } {
    const args = this.spawnArgs.get(name);
    if (!args) throw new Error(`${name} was never started`);
    if (this.components.some((x) => x.name === name && !x.exited)) throw new Error(`${name} is already running`);
    appendFileSync(join(this.logsDir, `${name}.log`), `----- ${name} restarted at ${new Date().toISOString()} -----\n`);
    return { c: this.spawn(name, args), args };
  }

  stopControllerManager(): Promise<void> {
    return this.stopComponent('kube-controller-manager', 'SIGTERM');
  }

  async startControllerManager(): Promise<void> {
    const { c, args } = this.respawn('kube-controller-manager');
    const port = args.find((a) => a.startsWith('--secure-port='))!.split('=')[1];
    await this.waitHealthy(c, `https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false }, 60_000);
  }

  killApiServer(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    return this.stopComponent('kube-apiserver', signal);
  }

  async startApiServer(): Promise<void> {
    const { c } = this.respawn('kube-apiserver');
    await this.waitHealthy(c, `${this.server}/readyz`, this.adminTls!, 120_000);
  }

  async restartApiServer(downMs = 0): Promise<void> {
    await this.killApiServer();
    if (downMs > 0) await sleep(downMs);
    await this.startApiServer();
  }

  async start(opts: ControlPlaneOptions): Promise<void> {
    const t0 = Date.now();
    const timeout = opts.timeoutMs ?? 60_000;
    const withNode = opts.kubelet !== false;
    const [etcdPort, peerPort, apiPort, kcmPort, schedulerPort] = (await freePorts(5)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = this.spawn('etcd', [
      '--name=e2e',
      `--data-dir=${join(this.dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=e2e=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);

    const pki = join(this.dir, 'pki');
    this.ca = await CertAuthority.create(pki);
    const [serving, admin, kcm, kubeletClient] = await Promise.all([
      this.ca.server('apiserver', 'kube-apiserver'),
      this.ca.client('admin', 'kubectl-job-e2e-admin', ['system:masters']),
      this.ca.client('kcm', 'system:kube-controller-manager', ['system:masters']),
      this.ca.client('kubelet-client', 'kube-apiserver-kubelet-client', ['system:masters']),
    ]);
    const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(pki, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(pki, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));

    this.server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = { server: this.server, caFile: this.ca.cert };
    await writeKubeconfig(this.kubeconfigPath, {
      ...kubeconfig,
      certFile: admin.cert,
      keyFile: admin.key,
      user: 'admin',
    });
    const kcmKubeconfig = await writeKubeconfig(join(this.dir, 'kcm.kubeconfig'), {
      ...kubeconfig,
      certFile: kcm.cert,
      keyFile: kcm.key,
    });

    await this.waitHealthy(etcd, `${etcdUrl}/health`, {}, timeout);
    const apiserver = this.spawn('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--client-ca-file=${this.ca.cert}`,
      '--authorization-mode=Node,RBAC',
      ...(opts.serviceAccounts ? [] : ['--disable-admission-plugins=ServiceAccount']),
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      `--kubelet-client-certificate=${kubeletClient.cert}`,
      `--kubelet-client-key=${kubeletClient.key}`,
      `--kubelet-certificate-authority=${this.ca.cert}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--endpoint-reconciler-type=none',
      '--v=1',
      ...(opts.eventTTL ? [`--event-ttl=${opts.eventTTL}`] : []),
    ]);
    const adminTls = { ca: readFileSync(this.ca.cert), cert: readFileSync(admin.cert), key: readFileSync(admin.key) };
    this.adminTls = adminTls;
    await this.waitHealthy(apiserver, `${this.server}/readyz`, adminTls, timeout);
    this.client = await KubeClient.fromKubeconfig(this.kubeconfigPath);

    const controllerManager = this.spawn('kube-controller-manager', [
      `--kubeconfig=${kcmKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--controllers=${[...(opts.controllers ?? DEFAULT_CONTROLLERS), ...(withNode ? NODE_CONTROLLERS : []), ...(opts.serviceAccounts ? SERVICE_ACCOUNT_CONTROLLERS : [])].join(',')}`,
      ...(opts.serviceAccounts ? [`--root-ca-file=${this.ca.cert}`] : []),
      '--resource-quota-sync-period=10s',
      '--kube-api-qps=100',
      '--kube-api-burst=200',
      '--profiling=false',
      '--v=1',
    ]);
    await this.waitHealthy(
      controllerManager,
      `https://127.0.0.1:${kcmPort}/healthz`,
      { rejectUnauthorized: false },
      timeout,
    );
    if (withNode) await this.startRealNode(kcmKubeconfig, schedulerPort, timeout);
    this.startMs = Date.now() - t0;
  }

  /** kube-scheduler, then the real node (kubelet + containerd), until the Node is Ready. */
  private async startRealNode(kubeconfig: string, schedulerPort: number, timeout: number): Promise<void> {
    const scheduler = this.spawn('kube-scheduler', [
      `--kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
      '--leader-elect=false',
      '--profiling=false',
      '--v=1',
    ]);
    await this.waitHealthy(
      scheduler,
      `https://127.0.0.1:${schedulerPort}/healthz`,
      { rejectUnauthorized: false },
      timeout,
    );
    this.node = await RealNode.start({
      binDir: this.binDir,
      logsDir: this.logsDir,
      ca: this.ca,
      server: this.server,
      client: this.client,
      nodeName: NODE_NAME,
      timeoutMs: Math.max(timeout, 120_000),
    });
    this.image = this.node.image;
  }

  async kubeconfigFor(user: string, groups: string[] = []): Promise<string> {
    const name = `user-${++this.users}`;
    const files = await this.ca.client(name, user, groups);
    return writeKubeconfig(join(this.dir, `${name}.kubeconfig`), {
      server: this.server,
      caFile: this.ca.cert,
      certFile: files.cert,
      keyFile: files.key,
      user,
    });
  }

  logTails(lines = 40): string {
    const names = [...this.components.map((c) => c.name), ...(this.node?.logNames ?? [])];
    return names
      .map(
        (n) => `----- ${n} (${join(this.logsDir, `${n}.log`)}) -----\n${tail(join(this.logsDir, `${n}.log`), lines)}`,
      )
      .join('\n');
  }

  /** Synchronous kill + cleanup, for the process 'exit' hook. */
  killNow(): void {
    this.node?.stopNow();
    for (const c of this.components) if (!c.exited) c.proc.kill('SIGKILL');
    if (!process.env.E2E_KEEP_TMP) rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.node?.stop();
    this.client?.close();
    for (const c of [...this.components].reverse()) {
      if (c.exited) continue;
      const done = new Promise((r) => c.proc.once('exit', r));
      c.proc.kill('SIGTERM');
      const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    if (process.env.E2E_KEEP_TMP) process.stderr.write(`control plane files kept in ${this.dir}\n`);
    this.killNow();
  }
}

/** An existing cluster given by a kubeconfig (E2E_KUBECONFIG): nothing is started. */
class ExistingCluster implements ControlPlane {
  readonly logsDir = '';
  readonly startMs = 0;
  readonly image = nodeImage();
  private users = 0;

  constructor(
    readonly kubeconfigPath: string,
    readonly server: string,
    readonly client: KubeClient,
    private readonly dir: string,
  ) {}

  /** Impersonation (kubeconfig `as`/`as-groups`): we do not hold that cluster's CA key. */
  async kubeconfigFor(user: string, groups: string[] = []): Promise<string> {
    // A flattened copy, so relative certificate paths of the original keep working.
    const { stdout } = await run(kubectlPath() ?? 'kubectl', [
      '--kubeconfig',
      this.kubeconfigPath,
      'config',
      'view',
      '--raw',
      '--minify',
      '--flatten',
      '-o',
      'json',
    ]);
    const doc = JSON.parse(stdout);
    const u = doc.users[0];
    u.user = { ...u.user, as: user, ...(groups.length && { 'as-groups': groups }) };
    const path = join(this.dir, `user-${++this.users}.kubeconfig`);
    writeFileSync(path, stringify(doc), { mode: 0o600 });
    return path;
  }

  logTails(): string {
    return '(existing cluster: no component logs)';
  }

  stopControllerManager(): Promise<void> {
    return Promise.reject(new Error('stopControllerManager: not possible on an existing cluster (E2E_KUBECONFIG)'));
  }

  startControllerManager(): Promise<void> {
    return Promise.reject(new Error('startControllerManager: not possible on an existing cluster (E2E_KUBECONFIG)'));
  }

  killApiServer(): Promise<void> {
    return Promise.reject(new Error('killApiServer: not possible on an existing cluster (E2E_KUBECONFIG)'));
  }

  startApiServer(): Promise<void> {
    return Promise.reject(new Error('startApiServer: not possible on an existing cluster (E2E_KUBECONFIG)'));
  }

  restartApiServer(): Promise<void> {
    return Promise.reject(new Error('restartApiServer: not possible on an existing cluster (E2E_KUBECONFIG)'));
  }

  async stop(): Promise<void> {
    this.client.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The e2e tests assert what real kubelets write, so an existing cluster is accepted only with a
 * real node: Ready, reporting a container runtime, and whose kubelet answers /healthz through the
 * apiserver's node proxy (a program that merely registers a Node object does not).
 */
async function requireRealNode(client: KubeClient, kubeconfig: string): Promise<void> {
  const nodes = (await client.request<{ items: any[] }>('GET', '/api/v1/nodes')).items;
  const problems: string[] = [];
  for (const n of nodes) {
    const name: string = n.metadata.name;
    const ready = (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    const runtime: string = n.status?.nodeInfo?.containerRuntimeVersion ?? '';
    if (!ready || !/^[a-z][a-z0-9.+-]*:\/\/\S/.test(runtime) || n.spec?.unschedulable) {
      problems.push(
        `${name}: ${!ready ? 'not Ready' : n.spec?.unschedulable ? 'unschedulable' : `container runtime ${JSON.stringify(runtime)}`}`,
      );
      continue;
    }
    try {
      const body = await client.request<unknown>('GET', `/api/v1/nodes/${encodeURIComponent(name)}/proxy/healthz`);
      if (String(body).trim() === 'ok') return;
      problems.push(`${name}: kubelet /healthz answered ${JSON.stringify(body).slice(0, 80)}`);
    } catch (e) {
      problems.push(`${name}: kubelet /healthz through the node proxy failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `E2E_KUBECONFIG=${kubeconfig}: the e2e tests need a real, Ready, schedulable node; ` +
      (nodes.length ? problems.join('; ') : 'the cluster has no Node'),
  );
}

/** Starts a local control plane, or connects to $E2E_KUBECONFIG when that is set. */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  if (process.env.E2E_KUBECONFIG) {
    const dir = mkdtempSync(join(tmpdir(), TMP_PREFIX));
    writeFileSync(join(dir, 'owner.pid'), String(process.pid));
    const client = await KubeClient.fromKubeconfig(process.env.E2E_KUBECONFIG);
    try {
      await requireRealNode(client, process.env.E2E_KUBECONFIG);
    } catch (e) {
      client.close();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return new ExistingCluster(process.env.E2E_KUBECONFIG, client.server, client, dir);
  }
  const binDir = opts.binDir ?? (await ensureBinaries());
  installExitHook();
  sweepStale();
  const cp = new LocalControlPlane(mkdtempSync(join(tmpdir(), TMP_PREFIX)), binDir);
  live.add(cp);
  try {
    await cp.start(opts);
  } catch (e) {
    const logs = cp.logTails();
    await cp.stop();
    throw new Error(`control plane failed to start: ${(e as Error).message}\n${logs}`);
  }
  return cp;
}
