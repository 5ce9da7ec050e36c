// Benchmark: how long `kubectl job why cronjob/X` takes, end to end, next to `kubectl describe
// cronjob X` against the same API server. Each command runs N times (interleaved, so load on
// the machine hits all of them alike); prints the median wall time, the median CPU time (user +
// system, from bash's `time`: steadier than wall time on a busy machine) and the ratios to
// describe. Targets: the single executable through kubectl within 1.2x of describe; the npm
// package (bin/kubectl-job running the bundle on Node, with the compile cache) within 1.5x.
//
// For scale it also times `kubectl noop`, a plugin that is /bin/true: what kubectl itself spends
// before any plugin runs, and `node -e 0`, the floor of any Node-based plugin.
//
//   npm run bench:startup                               # starts the e2e harness control plane
//   npm run bench:startup -- --kubeconfig ~/.kube/config [--context C]   # any cluster
//   options: --runs N (default 15), --keep (leave the namespace)
//
// Needs dist/ (npm run build) and the single executable (npm run package); builds them if
// missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kubectlPath } from '../test/e2e/harness/binaries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    runs: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opt.runs);
const KUBECTL = kubectlPath();
if (!KUBECTL) throw new Error('kubectl not found (set KUBECTL or put kubectl on PATH)');

const platform = `${{ linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform as string]}_${{ x64: 'amd64', arm64: 'arm64' }[process.arch as string]}`;
const EXE = join(ROOT, 'dist', 'exe', platform, process.platform === 'win32' ? 'kubectl-job.exe' : 'kubectl-job');
const BUNDLE = join(ROOT, 'dist', 'kubectl-job.mjs');

function sh(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** One timed run: wall and CPU milliseconds of the command alone (bash's `time`), output discarded. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { wall: number; cpu: number } {
  const r = spawnSync(
    'bash',
    ['-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null 2>&1 </dev/null', 'timed', cmd, ...args],
    { env, encoding: 'utf8' },
  );
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
  if (!m) throw new Error(`cannot time ${cmd}: ${r.error?.message ?? r.stderr}`);
  return { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
}

function must(cmd: string, args: string[]): void {
  const r = sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
}

// The artefacts under test.
if (!existsSync(EXE)) {
  console.error('no single executable yet: npm run package --no-manifest ...');
  must(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--no-manifest']);
} else if (!existsSync(BUNDLE)) {
  must(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]);
}

// The cluster.
let kubeconfig = opt.kubeconfig;
let stopCluster = async () => {};
if (!kubeconfig) {
  console.error('starting the e2e harness control plane (test/e2e/harness) ...');
  const { startControlPlane } = await import('../test/e2e/harness/control-plane.js');
  const cp = await startControlPlane({ kubelet: false });
  kubeconfig = cp.kubeconfigPath;
  stopCluster = () => cp.stop();
}
const conn = ['--kubeconfig', kubeconfig, ...(opt.context ? ['--context', opt.context] : [])];
const ns = `bench-startup-${process.pid}`;
const name = 'bench';

// kubectl finds the plugin on PATH: one directory per variant, each with a kubectl-job (or kubectl-noop).
const plugins = mkdtempSync(join(tmpdir(), 'kubectl-job-bench-'));
const pathWith = (variant: string, target: string, plugin = 'kubectl-job'): NodeJS.ProcessEnv => {
  const dir = join(plugins, variant);
  mkdirSync(dir);
  symlinkSync(target, join(dir, plugin));
  return { ...process.env, PATH: [dir, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter) };
};
const exeEnv = pathWith('exe', EXE);
const noopEnv = pathWith('noop', '/bin/true', 'kubectl-noop');
// bin/kubectl-job runs the sources through tsx in a checkout unless told to use dist/.
const nodeEnv = { ...pathWith('node', join(ROOT, 'bin', 'kubectl-job')), KUBECTL_JOB_USE_DIST: '1' };

try {
  must(KUBECTL, [...conn, 'create', 'namespace', ns]);
  must(KUBECTL, [
    ...conn,
    '-n',
    ns,
    'create',
    'cronjob',
    name,
    '--image=registry.example/busybox:1',
    '--schedule=*/5 * * * *',
    '--',
    'true',
  ]);

  const sub = ['why', `cronjob/${name}`];
  const jobArgs = [...sub, '-n', ns, ...conn];
  const snapshot = ['why', 'cronjob/backup', '-n', 'prod', '--snapshot', join(ROOT, 'examples', 'snapshot.yaml')];

  interface Case {
    label: string;
    cmd: string;
    args: string[];
    env?: NodeJS.ProcessEnv;
    wall: number[];
    cpu: number[];
  }
  const cases: Case[] = [
    {
      label: `kubectl describe cronjob ${name}`,
      cmd: KUBECTL,
      args: ['describe', 'cronjob', name, '-n', ns, ...conn],
      wall: [],
      cpu: [],
    },
    {
      label: `kubectl job ${sub.join(' ')}  (single executable)`,
      cmd: KUBECTL,
      args: ['job', ...jobArgs],
      env: exeEnv,
      wall: [],
      cpu: [],
    },
    {
      label: `kubectl job ${sub.join(' ')}  (node bundle)`,
      cmd: KUBECTL,
      args: ['job', ...jobArgs],
      env: nodeEnv,
      wall: [],
      cpu: [],
    },
    { label: `kubectl-job ${sub.join(' ')}  (single executable, direct)`, cmd: EXE, args: jobArgs, wall: [], cpu: [] },
    {
      label: `node dist/kubectl-job.mjs ${sub.join(' ')}  (direct)`,
      cmd: process.execPath,
      args: [BUNDLE, ...jobArgs],
      wall: [],
      cpu: [],
    },
    { label: 'kubectl-job --version  (single executable)', cmd: EXE, args: ['--version'], wall: [], cpu: [] },
    {
      label: 'node dist/kubectl-job.mjs --version',
      cmd: process.execPath,
      args: [BUNDLE, '--version'],
      wall: [],
      cpu: [],
    },
    {
      label: 'kubectl-job why --snapshot …  (single executable, no cluster)',
      cmd: EXE,
      args: snapshot,
      wall: [],
      cpu: [],
    },
    {
      label: 'node dist/kubectl-job.mjs why --snapshot …  (no cluster)',
      cmd: process.execPath,
      args: [BUNDLE, ...snapshot],
      wall: [],
      cpu: [],
    },
    {
      label: "kubectl noop  (kubectl's own plugin dispatch; the plugin is /bin/true)",
      cmd: KUBECTL,
      args: ['noop'],
      env: noopEnv,
      wall: [],
      cpu: [],
    },
    { label: 'node -e 0  (node itself)', cmd: process.execPath, args: ['-e', '0'], wall: [], cpu: [] },
  ];
  // Warm-up (page cache, API server caches), and a check that every command works.
  for (const c of cases) {
    for (let i = 0; i < 2; i++) {
      const r = sh(c.cmd, c.args, c.env);
      if (r.code !== 0 && r.code !== 1) throw new Error(`${c.label} failed (exit ${r.code}):\n${r.stderr}`);
    }
  }
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) {
      const t = timed(c.cmd, c.args, c.env);
      c.wall.push(t.wall);
      c.cpu.push(t.cpu);
    }
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const [base] = cases;
  const width = Math.max(...cases.map((c) => c.label.length));
  const cell = (ms: number, of: number) => `${ms.toFixed(0).padStart(6)} ${`(${(ms / of).toFixed(2)}x)`.padStart(8)}`;
  console.log(
    `\n${RUNS} runs each, interleaved; medians in ms, ratio to describe (node ${process.version}, ${platform}, load ${loadavg()[0]!.toFixed(1)}${process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : ''})\n`,
  );
  console.log(`${'command'.padEnd(width)}       wall            cpu`);
  for (const c of cases)
    console.log(
      `${c.label.padEnd(width)}   ${cell(median(c.wall), median(base!.wall))}   ${cell(median(c.cpu), median(base!.cpu))}`,
    );
  const ratio = median(cases[1]!.wall) / median(base!.wall);
  console.log(
    `\ntarget: kubectl job ${sub[0]} (single executable) within 1.2x of kubectl describe (wall): ${ratio <= 1.2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`,
  );
  const npmRatio = median(cases[2]!.wall) / median(base!.wall);
  console.log(
    `target: kubectl job ${sub[0]} (npm package: bin/kubectl-job, the bundle on Node ${process.version}, compile cache on) within 1.5x of kubectl describe (wall): ${npmRatio <= 1.5 ? 'met' : 'NOT met'} (${npmRatio.toFixed(2)}x)`,
  );
} finally {
  if (!opt.keep) sh(KUBECTL, [...conn, 'delete', 'namespace', ns, '--wait=false']);
  rmSync(plugins, { recursive: true, force: true });
  await stopCluster();
}
