// Benchmark: `kubectl job clean --succeeded --yes` against the real kubectl's
// `kubectl delete jobs --field-selector status.successful=1` over the same set of finished Jobs,
// on the e2e harness control plane (real etcd + kube-apiserver + controllers). Prints both wall
// times and the ratio. The Jobs are made finished without pods (spec.managedBy keeps the Job
// controller away; the status is written as the controller writes it).
//
//   node --import tsx bench/clean.ts                 # 2,000 Jobs
//   node --import tsx bench/clean.ts --jobs 10000    # scale up
//   options: --runs N (default 1: alternate the two tools N times), --bundle (time dist/kubectl-job.mjs
//   instead of the sources through tsx; build it first with `npm run build`), --only-ours (skip
//   kubectl, which deletes one Job at a time under its client-side rate limit: ~0.2 s per Job here)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kubectlPath, startControlPlane, type ControlPlane } from '../test/e2e/harness/index.js';
import { createFinishedJobs } from '../test/e2e/actions/support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '1' },
    bundle: { type: 'boolean', default: false },
    'only-ours': { type: 'boolean', default: false },
  },
});
const N = Number(opt.jobs);
const RUNS = Number(opt.runs);
if (!(N > 0) || !(RUNS > 0)) throw new Error('--jobs and --runs take positive numbers');
const KUBECTL = kubectlPath();
if (!KUBECTL) throw new Error('kubectl not found (set KUBECTL or put kubectl on PATH)');
const BUNDLE = join(ROOT, 'dist', 'kubectl-job.mjs');
if (opt.bundle && !existsSync(BUNDLE)) throw new Error('no dist/kubectl-job.mjs: run npm run build first');
const ours = opt.bundle ? [BUNDLE] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'run.ts')];

/** Runs a command to completion; returns its wall time in ms (throws on failure). */
function timed(cmd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${stderr.slice(-2000)}`));
    });
  });
}

async function countJobs(cp: ControlPlane, ns: string): Promise<number> {
  const page = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`, undefined, {
    query: { limit: 1 },
  });
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}

async function fill(cp: ControlPlane, ns: string): Promise<number> {
  const t0 = Date.now();
  await createFinishedJobs(
    cp,
    ns,
    Array.from({ length: N }, (_, i) => `done-${i}`),
    'succeeded',
    32,
  );
  const have = await countJobs(cp, ns);
  if (have !== N) throw new Error(`expected ${N} Jobs, found ${have}`);
  return Date.now() - t0;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cp = await startControlPlane({ kubelet: false });
const ns = 'bench-clean';
const tools: Record<string, (ns: string) => string[]> = {
  'kubectl job clean --succeeded --yes': (n) => [
    process.execPath,
    ...ours,
    'clean',
    '--succeeded',
    '--yes',
    '-n',
    n,
    '--kubeconfig',
    cp.kubeconfigPath,
  ],
  'kubectl delete jobs --field-selector status.successful=1': (n) => [
    KUBECTL,
    '--kubeconfig',
    cp.kubeconfigPath,
    'delete',
    'jobs',
    '-n',
    n,
    '--field-selector',
    'status.successful=1',
  ],
};
if (opt['only-ours']) delete tools['kubectl delete jobs --field-selector status.successful=1'];
const times: Record<string, number[]> = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
try {
  await cp.client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns },
  });
  console.error(
    `control plane up in ${cp.startMs} ms; ${N} finished Jobs per run, ${RUNS} run(s); kubectl-job from ${opt.bundle ? 'dist/kubectl-job.mjs' : 'sources (tsx)'}`,
  );
  for (let run = 0; run < RUNS; run++) {
    for (const [label, argv] of Object.entries(tools)) {
      const made = await fill(cp, ns);
      const [cmd, ...args] = argv(ns);
      const { ms } = await timed(cmd!, args);
      const left = await countJobs(cp, ns);
      if (left !== 0) throw new Error(`${label} left ${left} Jobs`);
      times[label]!.push(ms);
      console.error(`  run ${run + 1}: ${label}: ${fmt(ms)} (setup ${fmt(made)})`);
    }
  }
  const [oursLabel, theirsLabel] = Object.keys(tools) as [string, string | undefined];
  const a = median(times[oursLabel]!);
  console.log(`${N} finished Jobs, median of ${RUNS} run(s):`);
  console.log(`  ${oursLabel.padEnd(58)} ${fmt(a)}`);
  if (theirsLabel) {
    const b = median(times[theirsLabel]!);
    console.log(`  ${theirsLabel.padEnd(58)} ${fmt(b)}`);
    console.log(`  ratio (kubectl delete / kubectl job clean): ${(b / a).toFixed(2)}x`);
  }
} finally {
  await cp.stop();
}
