// Builds and runs test/go/robfig-oracle (the real robfig/cron v3.0.1) for the differential
// test and the benchmark. The binary goes to ${XDG_CACHE_HOME:-~/.cache}/kubectl-job/robfig-oracle;
// `go build` fetches robfig from the module proxy on a fresh machine and is a cache hit after.
// Go is pointed at $GOROOT/lib/time/zoneinfo.zip so it reads the tzdata release Node's ICU has
// (both 2025c here) instead of the host's /usr/share/zoneinfo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../go/robfig-oracle');

/** One `next` question: chained Next() `count` times from `start` (epoch ms, in `zone`). */
export interface OracleCase {
  spec: string;
  zone: string;
  start: number;
  count: number;
}

/** The oracle's answer: activations (epoch ms, "zero" for Go's zero time), or robfig's error/panic text. */
export interface OracleAnswer {
  next?: Array<number | 'zero'>;
  err?: string;
  panic?: string;
}

function goCommand(): string {
  if (process.env.GO) return process.env.GO;
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.status === 0) return 'go';
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('Go toolchain not found (set $GO or put go on PATH); set CRON_DIFF_SKIP=1 to skip the robfig differential tests');
}

let built: { binary: string; zoneinfo: string } | undefined;

/** Builds the oracle (once per process) and returns its path plus the tzdata zip it should read. */
export function buildOracle(): { binary: string; zoneinfo: string } {
  if (built) return built;
  const go = goCommand();
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const outDir = join(cache, 'kubectl-job', 'robfig-oracle');
  mkdirSync(outDir, { recursive: true });
  const binary = join(outDir, process.platform === 'win32' ? 'oracle.exe' : 'oracle');
  const build = spawnSync(go, ['build', '-buildvcs=false', '-o', binary, '.'], {
    cwd: ORACLE_SRC,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' },
  });
  if (build.status !== 0) throw new Error(`building the robfig oracle failed:\n${build.stderr}${build.stdout}`);
  const goroot = spawnSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  const zoneinfo = join(goroot, 'lib', 'time', 'zoneinfo.zip');
  if (!existsSync(zoneinfo)) throw new Error(`no Go tzdata at ${zoneinfo}`);
  built = { binary, zoneinfo };
  return built;
}

/** Feeds JSON lines to the oracle in `mode` and returns its parsed JSON output lines. */
export function runOracle<T>(mode: 'next' | 'bench' | 'transitions', input: readonly object[], args: string[] = []): T[] {
  const { binary, zoneinfo } = buildOracle();
  const res = spawnSync(binary, ['-mode', mode, ...args], {
    input: input.map((o) => JSON.stringify(o)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ZONEINFO: zoneinfo, TZ: 'UTC' },
  });
  if (res.status !== 0) throw new Error(`robfig oracle (${mode}) failed: ${res.stderr || res.error}`);
  return res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Whether the robfig differential tests should be skipped (CRON_DIFF_SKIP=1). */
export const skipDifferential = process.env.CRON_DIFF_SKIP === '1';
