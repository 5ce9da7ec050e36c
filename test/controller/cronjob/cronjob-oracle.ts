// Builds and runs test/go/cronjob-oracle: one real sync of k8s.io/kubernetes/pkg/controller/cronjob
// (at a pinned version) per state. build.sh caches the binary in ~/.cache/kubectl-job-oracle.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedState } from './state-generator.js';

const ORACLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../go/cronjob-oracle');

/** Newest patch of each minor the Go module proxy serves (test/go/cronjob-oracle/versions). */
export const ORACLE_VERSIONS = [
  'v1.31.14',
  'v1.32.13',
  'v1.33.13',
  'v1.34.4',
  'v1.35.4',
  'v1.36.3',
  'v1.37.2',
] as const;

/** What the real controller did in one sync (see main.go). */
export interface OracleSync {
  id: string;
  requeueNs: number | null;
  err?: string;
  panic?: string;
  events: Array<{ type: string; reason: string; message: string }>;
  created: Array<{ name: string; annotations: Record<string, string> }>;
  deleted: Array<{ name: string; why: 'replace' | 'history-limit' }>;
  status: { lastScheduleTime: string | null; lastSuccessfulTime: string | null; active: string[] } | null;
  actions: string[];
}

function goEnv(): { path: string; zoneinfo: string } {
  const path = existsSync('/usr/local/go/bin') ? `/usr/local/go/bin:${process.env.PATH}` : (process.env.PATH ?? '');
  const goroot = spawnSync('go', ['env', 'GOROOT'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
  }).stdout.trim();
  return { path, zoneinfo: join(goroot, 'lib', 'time', 'zoneinfo.zip') };
}

/** Builds (or finds in the cache) the oracle for `version`; returns the binary and the build time (0 = cached). */
export function buildCronJobOracle(version: string): { binary: string; seconds: number } {
  const { path } = goEnv();
  const res = spawnSync(join(ORACLE_DIR, 'build.sh'), [version], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
    maxBuffer: 1 << 26,
  });
  if (res.status !== 0)
    throw new Error(
      `building the CronJob oracle ${version} failed (status ${res.status}):\n${res.stderr.slice(-4000)}`,
    );
  const lines = res.stdout.trim().split('\n');
  const built = /built .* in (\d+)s/.exec(res.stderr);
  return { binary: lines[lines.length - 1]!, seconds: built ? Number(built[1]) : 0 };
}

/** Runs every state through the oracle binary (one process); answers come back in input order. */
export function runCronJobOracle(binary: string, states: readonly GeneratedState[]): OracleSync[] {
  const { zoneinfo } = goEnv();
  const input = `${states.map((s) => JSON.stringify({ id: s.id, cronJob: s.cronJob, jobs: s.jobs, now: s.now.toISOString() })).join('\n')}\n`;
  const res = spawnSync(binary, [], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, TZ: 'UTC', ZONEINFO: zoneinfo },
  });
  if (res.status !== 0) throw new Error(`CronJob oracle failed (status ${res.status}): ${res.stderr.slice(-2000)}`);
  const out = res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OracleSync);
  if (out.length !== states.length) throw new Error(`CronJob oracle answered ${out.length} of ${states.length} states`);
  return out;
}
