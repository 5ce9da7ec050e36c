// A real node for the e2e control plane: containerd + runc + the bridge CNI plugin
// (Debian packages) and the kubelet built by build.sh, on an address of a veth pair
// this file creates. Everything the node changes on the host is recorded in a state
// file first and undone at stop (or at the next start, if this process died):
// processes, mounts, network namespaces, links, cgroups, iptables chains, sysctls.
// One node per machine: a second start waits on a lock. Needs root.
// See test/e2e/harness/README.md ("The real node") and ../shared notes on the traps.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { hasSetpriv, which } from './binaries.js';
import { type CertAuthority, writeKubeconfig } from './certs.js';
import type { KubeClient } from './kube-client.js';
import { ensureNodeImages } from './node-images.js';

/** Where the node keeps containerd's and the kubelet's files (fixed: one node per machine). */
export const NODE_DIR = '/var/lib/kubectl-job-e2e/node';
const STATE_FILE = '/var/lib/kubectl-job-e2e/node-state.json';
const LOCK_FILE = '/run/kubectl-job-e2e-node.lock';
/** The node's address, on a veth pair the harness creates (the kubelet refuses loopback). */
export const NODE_IP = '10.213.0.1';
const NODE_PEER_IP = '10.213.0.2';
const VETH = 'kjob-node0';
const VETH_PEER = 'kjob-node1';
const CNI_BRIDGE = 'kjob-cni0';
const POD_SUBNET = '10.214.0.0/24';
const CONTAINERD_SOCK = join(NODE_DIR, 'containerd.sock');

/** Debian packages the node needs (installed when missing and running as root). */
export const NODE_PACKAGES = [
  'runc',
  'containerd',
  'containernetworking-plugins',
  'busybox-static',
  'umoci',
  'iptables',
  'conntrack',
];
const PACKAGE_FILES: Record<string, string> = {
  runc: '/usr/sbin/runc',
  containerd: '/usr/bin/containerd',
  'containernetworking-plugins': '/usr/lib/cni/bridge',
  'busybox-static': '/bin/busybox',
  umoci: '/usr/bin/umoci',
  iptables: '/usr/sbin/iptables',
  conntrack: '/usr/sbin/conntrack',
};

/** Sysctls the kubelet (and the bridge plugin) set on the host: restored at stop. */
const SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
  'net/ipv6/conf/all/forwarding',
  'net/bridge/bridge-nf-call-iptables',
];
/** Host paths the node may create outside NODE_DIR: removed at stop when they did not exist before. */
const HOST_PATHS = [
  '/run/containerd',
  '/var/lib/cni',
  '/run/netns',
  '/var/log/containers',
  '/var/log/pods',
  '/var/lib/kubelet',
  '/etc/cni',
  '/opt/cni',
  '/opt/containerd',
];
const IPTABLES = ['iptables', 'ip6tables'];
const TABLES = ['filter', 'nat', 'mangle'];

/** What the host looked like before the node started, and what it started. */
interface NodeState {
  ownerPid: number;
  pids: Record<string, number>;
  sysctls: Record<string, string>;
  chains: Record<string, string[]>;
  netns: string[];
  cgroups: Record<string, string[]>;
  missingPaths: string[];
}

/** Nodes started by this process and not stopped yet. */
const live = new Set<RealNode>();
let exitHook = false;

/** Stops every node of this process at once (for exit and signal hooks). */
export function stopRealNodesNow(): void {
  for (const n of live) n.stopNow();
}

const log = (msg: string) => process.stderr.write(`e2e node: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

function trySh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function readTrim(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Why a real node cannot run here, or undefined. */
export function realNodeUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the real node needs Linux';
  if (process.getuid?.() !== 0) return 'the real node needs root (kubelet, containerd, network setup)';
  return undefined;
}

/** Installs the missing Debian packages (apt-get; root only). */
export function ensureNodePackages(): void {
  const missing = NODE_PACKAGES.filter((p) => !existsSync(PACKAGE_FILES[p]!));
  if (missing.length === 0) return;
  if (!which('apt-get')) throw new Error(`the real node needs these Debian packages: ${missing.join(' ')}`);
  log(`installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!install()) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

/** Waits for the machine-wide node lock; released by ending the returned child's stdin. */
async function acquireLock(): Promise<ChildProcess> {
  const child = spawn('flock', [LOCK_FILE, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = setTimeout(() => log(`waiting for another e2e node to stop (lock ${LOCK_FILE})`), 1000);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`flock ${LOCK_FILE} exited with ${code}`)));
      child.once('error', reject);
    });
  } finally {
    clearTimeout(waiting);
  }
  child.unref();
  for (const s of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) s.unref?.();
  return child;
}

function iptablesChains(cmd: string, table: string): string[] {
  try {
    return sh(cmd, ['-w', '5', '-t', table, '-S'])
      .split('\n')
      .filter((l) => l.startsWith('-N '))
      .map((l) => l.slice(3).trim());
  } catch {
    return [];
  }
}

/** The cgroup v1/v2 hierarchies (deduplicated mount points under /sys/fs/cgroup). */
function cgroupRoots(): string[] {
  const base = '/sys/fs/cgroup';
  if (existsSync(join(base, 'cgroup.controllers'))) return [base];
  const seen = new Set<string>();
  for (const name of listDir(base)) {
    try {
      const real = realpathSync(join(base, name));
      if (lstatSync(real).isDirectory()) seen.add(real);
    } catch {
      /* not a directory */
    }
  }
  return [...seen];
}

function cgroupDirs(root: string): string[] {
  return listDir(root).filter((n) => {
    try {
      return lstatSync(join(root, n)).isDirectory();
    } catch {
      return false;
    }
  });
}

function recordHost(): NodeState {
  const sysctls: Record<string, string> = {};
  for (const s of SYSCTLS) {
    const v = readTrim(`/proc/sys/${s}`);
    if (v !== undefined) sysctls[s] = v;
  }
  const chains: Record<string, string[]> = {};
  for (const cmd of IPTABLES) for (const t of TABLES) chains[`${cmd} ${t}`] = iptablesChains(cmd, t);
  const cgroups: Record<string, string[]> = {};
  for (const r of cgroupRoots()) cgroups[r] = cgroupDirs(r);
  return {
    ownerPid: process.pid,
    pids: {},
    sysctls,
    chains,
    netns: listDir('/run/netns'),
    cgroups,
    missingPaths: HOST_PATHS.filter((p) => !existsSync(p)),
  };
}

function saveState(state: NodeState): void {
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 1));
}

/** True when `pid` runs a program whose command line contains `needle`. */
function pidRuns(pid: number, needle: string): boolean {
  const cmd = readTrim(`/proc/${pid}/cmdline`);
  return !!cmd && cmd.includes(needle);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** True while `pid` exists and is not a zombie (our own children stay zombies until reaped). */
function alive(pid: number): boolean {
  const stat = readTrim(`/proc/${pid}/stat`);
  return !!stat && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

function waitGone(pids: number[], ms: number): void {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
}

/** Pids in a cgroup subtree. */
function cgroupPids(dir: string): number[] {
  const pids = (readTrim(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean).map(Number);
  for (const sub of cgroupDirs(dir)) pids.push(...cgroupPids(join(dir, sub)));
  return pids;
}

function rmdirTree(dir: string): void {
  for (const sub of cgroupDirs(dir)) rmdirTree(join(dir, sub));
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      spawnSync('sleep', ['0.1']);
    }
  }
  log(`could not remove cgroup ${dir}`);
}

function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[4]!.replace(/\\040/g, ' '));
}

/**
 * Undoes everything recorded in `state`: kills the kubelet, the pods' processes, the shims
 * and containerd; unmounts; deletes network namespaces, links, cgroups, iptables chains and
 * files it created; restores the sysctls. Synchronous, so the process exit hook can run it.
 */
function cleanup(state: NodeState): void {
  const problems: string[] = [];
  if (state.pids.kubelet && pidRuns(state.pids.kubelet, 'kubelet')) kill(state.pids.kubelet);
  // Pod processes: everything in cgroups created since the start (kubepods).
  // Only the kubelet's (cgroupfs driver: /kubepods): another program's new cgroups are not ours.
  const newCgroups = Object.entries(state.cgroups).flatMap(([root, before]) =>
    cgroupDirs(root)
      .filter((d) => d.startsWith('kubepods') && !before.includes(d))
      .map((d) => join(root, d)),
  );
  for (let round = 0; round < 20; round++) {
    const pids = [...new Set(newCgroups.flatMap(cgroupPids))];
    if (pids.length === 0) break;
    pids.forEach(kill);
    waitGone(pids, 1000);
  }
  // Shims of our containerd (they are not in the pods' cgroups).
  const shims = listDir('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((p) => pidRuns(p, 'containerd-shim') && pidRuns(p, CONTAINERD_SOCK));
  shims.forEach(kill);
  if (state.pids.containerd && pidRuns(state.pids.containerd, 'containerd')) kill(state.pids.containerd);
  waitGone([...shims, state.pids.containerd ?? 0, state.pids.kubelet ?? 0].filter(Boolean), 5000);

  const newNetns = listDir('/run/netns').filter((n) => !state.netns.includes(n));
  for (const n of newNetns) if (!trySh('ip', ['netns', 'delete', n])) problems.push(`netns ${n}`);
  const ours = (m: string) =>
    m.startsWith(`${NODE_DIR}/`) ||
    m === NODE_DIR ||
    (state.missingPaths.includes('/run/containerd') && m.startsWith('/run/containerd/')) ||
    newNetns.some((n) => m === `/run/netns/${n}`);
  for (const m of mountPoints()
    .filter(ours)
    .sort((a, b) => b.length - a.length)) {
    if (!trySh('umount', [m]) && !trySh('umount', ['-l', m])) problems.push(`mount ${m}`);
  }
  for (const link of [VETH, CNI_BRIDGE])
    if (existsSync(`/sys/class/net/${link}`)) trySh('ip', ['link', 'delete', link]);
  for (const dir of newCgroups) rmdirTree(dir);
  for (const [key, before] of Object.entries(state.chains)) {
    const [cmd, table] = key.split(' ') as [string, string];
    const added = iptablesChains(cmd, table).filter((c) => !before.includes(c));
    if (added.length === 0) continue;
    // Rules jumping to the new chains first, then the chains themselves.
    const rules = sh(cmd, ['-w', '5', '-t', table, '-S'])
      .split('\n')
      .filter((l) => l.startsWith('-A ') && added.some((c) => l.includes(`-j ${c}`) && !l.startsWith(`-A ${c} `)));
    for (const r of rules) trySh('sh', ['-c', `${cmd} -w 5 -t ${table} ${r.replace(/^-A /, '-D ')}`]);
    for (const c of added) trySh(cmd, ['-w', '5', '-t', table, '-F', c]);
    for (const c of added)
      if (!trySh(cmd, ['-w', '5', '-t', table, '-X', c])) problems.push(`${cmd} -t ${table} chain ${c}`);
  }
  for (const [s, v] of Object.entries(state.sysctls)) {
    if (readTrim(`/proc/sys/${s}`) === v) continue;
    try {
      writeFileSync(`/proc/sys/${s}`, v);
    } catch {
      problems.push(`sysctl ${s}`);
    }
  }
  for (const p of state.missingPaths) if (existsSync(p)) trySh('rm', ['-rf', '--one-file-system', p]);
  // Symlinks the kubelet left in an existing /var/log/containers.
  for (const f of listDir('/var/log/containers')) {
    try {
      if (readlinkSync(join('/var/log/containers', f)).startsWith(NODE_DIR))
        trySh('rm', ['-f', join('/var/log/containers', f)]);
    } catch {
      /* not a link */
    }
  }
  if (mountPoints().some(ours)) problems.push('mounts remain');
  else trySh('rm', ['-rf', '--one-file-system', NODE_DIR]);
  trySh('rm', ['-f', STATE_FILE]);
  if (problems.length) log(`cleanup left: ${problems.join(', ')}`);
}

function containerdConfig(sandboxImage: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${NODE_DIR}/containerd/root"
state = "${NODE_DIR}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "${CONTAINERD_SOCK}"
[ttrpc]
  address = "${CONTAINERD_SOCK}.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${NODE_DIR}/containerd/opt"
[${cri}]
  sandbox_image = "${sandboxImage}"
  # This VM's root lacks CAP_SYS_RESOURCE: runc cannot write -998 to oom_score_adj.
  restrict_oom_score_adj = true
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        SystemdCgroup = false
  [${cri}.cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${NODE_DIR}/cni/net.d"
`;
}

function cniConfig(): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'kubectl-job-e2e',
      plugins: [
        {
          type: 'bridge',
          bridge: CNI_BRIDGE,
          isGateway: true,
          ipMasq: false,
          hairpinMode: false,
          ipam: {
            type: 'host-local',
            dataDir: `${NODE_DIR}/cni/ipam`,
            ranges: [[{ subnet: POD_SUBNET }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
      ],
    },
    null,
    1,
  );
}

function kubeletConfig(dir: string, tls: { cert: string; key: string; ca: string }): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // cgroup v1 on these machines: kubelet >= 1.35 refuses it unless told otherwise.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${CONTAINERD_SOCK}`,
    address: NODE_IP,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    tlsCertFile: tls.cert,
    tlsPrivateKeyFile: tls.key,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: tls.ca } },
    authorization: { mode: 'AlwaysAllow' },
    podLogsDir: join(dir, 'pod-logs'),
    // Status sync every 10 s (default 1 min): CrashLoopBackOff shows in the status within ~10 s.
    syncFrequency: '10s',
    failSwapOn: false,
    hairpinMode: 'none',
    // A busy shared test machine must not evict the test pods or collect the local images.
    evictionHard: {
      'memory.available': '1Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    shutdownGracePeriod: '0s',
    rotateCertificates: false,
  });
}

/** Options of RealNode.start. */
export interface RealNodeOptions {
  binDir: string;
  logsDir: string;
  ca: CertAuthority;
  /** The apiserver URL. */
  server: string;
  /** Admin client, to wait for the Node. */
  client: KubeClient;
  nodeName: string;
  timeoutMs?: number;
}

/** A kubelet + containerd node on this machine. */
export class RealNode {
  /** The image with a shell (busybox), e.g. for Job pod templates. */
  readonly image: string;
  readonly nodeName: string;
  readonly nodeIP = NODE_IP;
  readonly logNames = ['containerd', 'kubelet'];
  private stopped = false;
  private readonly procs: ChildProcess[] = [];

  private constructor(
    private readonly state: NodeState,
    private readonly lock: ChildProcess,
    image: string,
    nodeName: string,
  ) {
    this.image = image;
    this.nodeName = nodeName;
  }

  /** Starts containerd and the kubelet and waits until the Node is Ready and untainted. */
  static async start(opts: RealNodeOptions): Promise<RealNode> {
    const why = realNodeUnavailable();
    if (why) throw new Error(why);
    ensureNodePackages();
    const images = ensureNodeImages();
    mkdirSync('/var/lib/kubectl-job-e2e', { recursive: true });
    const lock = await acquireLock();
    const stale = readTrim(STATE_FILE);
    if (stale) {
      log(`cleaning up after an earlier node (${STATE_FILE})`);
      cleanup(JSON.parse(stale) as NodeState);
    }
    const state = recordHost();
    saveState(state);
    const node = new RealNode(state, lock, images.busybox, opts.nodeName);
    live.add(node);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', stopRealNodesNow);
    }
    try {
      await node.run(opts, images.pause, images.archives);
    } catch (e) {
      node.stopNow();
      throw e;
    }
    return node;
  }

  private spawn(name: string, logsDir: string, bin: string, args: string[]): ChildProcess {
    const fd = openSync(join(logsDir, `${name}.log`), 'a');
    const [cmd, argv] = hasSetpriv ? ['setpriv', ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
    const proc = spawn(cmd, argv, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    proc.unref();
    this.procs.push(proc);
    // setpriv execs the program: the pid is the component's.
    this.state.pids[name] = proc.pid!;
    saveState(this.state);
    return proc;
  }

  private async run(opts: RealNodeOptions, pauseImage: string, archives: string[]): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    const left = () => {
      if (Date.now() > deadline)
        throw new Error('the real node did not become Ready in time (see containerd.log and kubelet.log)');
      return true;
    };
    mkdirSync(join(NODE_DIR, 'cni', 'net.d'), { recursive: true });
    writeFileSync(join(NODE_DIR, 'cni', 'net.d', '10-kubectl-job-e2e.conflist'), cniConfig());
    writeFileSync(join(NODE_DIR, 'containerd.toml'), containerdConfig(pauseImage));

    // The node address: a veth pair of our own (this kernel has no dummy links).
    sh('ip', ['link', 'add', VETH, 'type', 'veth', 'peer', 'name', VETH_PEER]);
    sh('ip', ['addr', 'add', `${NODE_IP}/30`, 'dev', VETH]);
    sh('ip', ['addr', 'add', `${NODE_PEER_IP}/30`, 'dev', VETH_PEER]);
    sh('ip', ['link', 'set', VETH, 'up']);
    sh('ip', ['link', 'set', VETH_PEER, 'up']);

    const containerd = this.spawn('containerd', opts.logsDir, '/usr/bin/containerd', [
      '--config',
      join(NODE_DIR, 'containerd.toml'),
    ]);
    while (left() && !trySh('ctr', ['-a', CONTAINERD_SOCK, 'version'])) {
      if (containerd.exitCode !== null) throw new Error('containerd exited during startup (see containerd.log)');
      await sleep(100);
    }
    for (const archive of archives) {
      sh('ctr', [
        '-a',
        CONTAINERD_SOCK,
        '-n',
        'k8s.io',
        'images',
        'import',
        '--base-name',
        baseName(archive, pauseImage),
        archive,
      ]);
    }

    const pki = join(NODE_DIR, 'pki');
    mkdirSync(pki, { recursive: true });
    const [client, serving] = await Promise.all([
      opts.ca.client('kubelet-node', `system:node:${opts.nodeName}`, ['system:nodes']),
      opts.ca.nodeServer('kubelet-node-serving', `system:node:${opts.nodeName}`, opts.nodeName, [NODE_IP]),
    ]);
    const kubeconfig = await writeKubeconfig(join(NODE_DIR, 'kubelet.kubeconfig'), {
      server: opts.server,
      caFile: opts.ca.cert,
      certFile: client.cert,
      keyFile: client.key,
    });
    writeFileSync(
      join(NODE_DIR, 'kubelet.yaml'),
      kubeletConfig(NODE_DIR, { cert: serving.cert, key: serving.key, ca: opts.ca.cert }),
    );
    const kubelet = this.spawn('kubelet', opts.logsDir, join(opts.binDir, 'kubelet'), [
      `--config=${join(NODE_DIR, 'kubelet.yaml')}`,
      `--kubeconfig=${kubeconfig}`,
      `--root-dir=${join(NODE_DIR, 'kubelet')}`,
      `--hostname-override=${opts.nodeName}`,
      `--node-ip=${NODE_IP}`,
      '--v=1',
    ]);
    for (;;) {
      left();
      if (kubelet.exitCode !== null) throw new Error('kubelet exited during startup (see kubelet.log)');
      const n = (await opts.client.request('GET', `/api/v1/nodes/${opts.nodeName}`).catch(() => undefined)) as
        | { spec?: { taints?: { effect: string }[] }; status?: { conditions?: { type: string; status: string }[] } }
        | undefined;
      const ready = n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready && !(n?.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return;
      await sleep(200);
    }
  }

  /** Stops the node and undoes its host changes (processes, mounts, links, cgroups, iptables, sysctls). */
  async stop(): Promise<void> {
    this.stopNow();
  }

  /** Synchronous stop, for process exit hooks. */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    try {
      cleanup(this.state);
    } finally {
      this.lock.stdin?.end();
      this.lock.kill('SIGTERM');
    }
  }
}

/** `ctr images import --base-name` for an archive of ensureNodeImages(). */
function baseName(archive: string, pauseImage: string): string {
  return archive.endsWith('pause.tar') ? pauseImage.replace(/:[^:/]+$/, '') : 'kubectl-job.test/busybox';
}
