// Builds (test/go/job-oracle/build.sh, cached under ~/.cache/kubectl-job-oracle) and runs the
// Job controller oracle for one Kubernetes version: JSON lines in, one JSON line per state out.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobState } from './generate.js';

const ORACLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../go/job-oracle');

/** The versions the oracle is pinned to (newest patch of each minor), newest first. */
export const ORACLE_VERSIONS = [
  'v1.37.2',
  'v1.36.3',
  'v1.35.4',
  'v1.34.4',
  'v1.33.13',
  'v1.32.13',
  'v1.31.14',
] as const;

/** What the controller did in one syncJob (see test/go/job-oracle/main.go). */
export interface OracleResult {
  id: string;
  error?: string;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  status: {
    active?: number;
    ready?: number | null;
    terminating?: number | null;
    failed?: number;
    succeeded?: number;
    completedIndexes?: string;
    failedIndexes?: string | null;
    uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] } | null;
  };
  statusWrites: number;
  created: Array<{ index: string | null; failureCount: string | null }>;
  deleted: string[];
  finalizerPatches: number;
  requeueSeconds: number[];
}

/** Builds the oracle for `version` (a cache hit after the first build) and returns its path and the build time. */
export function buildJobOracle(version: string): { binary: string; seconds: number } {
  const t0 = Date.now();
  const res = spawnSync('bash', [resolve(ORACLE_DIR, 'build.sh'), version], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  if (res.status !== 0) throw new Error(`building the Job oracle for ${version} failed:\n${res.stderr}`);
  return { binary: res.stdout.trim().split('\n').pop()!, seconds: (Date.now() - t0) / 1000 };
}

/** Runs the oracle on the states. */
export function runJobOracle(binary: string, states: readonly JobState[]): OracleResult[] {
  const res = spawnSync(binary, [], {
    input: `${states.map((s) => JSON.stringify(s)).join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, TZ: 'UTC' },
  });
  if (res.status !== 0) throw new Error(`the Job oracle failed (${res.status}): ${res.stderr.slice(0, 2000)}`);
  return res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OracleResult);
}
