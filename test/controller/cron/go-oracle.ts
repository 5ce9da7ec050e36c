// Builds and runs test/go/robfig-oracle (the real robfig/cron v3.0.1) for the differential
// test and the benchmark. The binary goes to ${XDG_CACHE_HOME:-~/.cache}/kubectl-job/robfig-oracle;
// `go build` fetches robfig from the module proxy on a fresh machine and is a cache hit after.
// Go is pointed at $GOROOT/lib/time/zoneinfo.zip, the file src/controller/cron/tzdata.ts is generated from
// (both 2025c here) instead of the host's /usr/share/zoneinfo.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
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

/** The oracle's answer: activations (epoch ms, "zero" for Go's zero time; hang = the next call never returned), or robfig's error/panic text. */
export interface OracleAnswer {
  next?: Array<number | 'zero'>;
  hang?: boolean;
  err?: string;
  panic?: string;
}

function goCommand(): string {
  if (process.env.GO) return process.env.GO;
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.status === 0) return 'go';
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error(
    'Go toolchain not found (set $GO or put go on PATH); set CRON_DIFF_SKIP=1 to skip the robfig differential tests',
  );
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
  // Build beside the target and rename, so a concurrent run never executes a half-written file.
  const fresh = `${binary}.${process.pid}.tmp`;
  const build = spawnSync(go, ['build', '-buildvcs=false', '-o', fresh, '.'], {
    cwd: ORACLE_SRC,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building the robfig oracle failed:\n${build.stderr}${build.stdout}`);
  renameSync(fresh, binary);
  const goroot = spawnSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  const zoneinfo = join(goroot, 'lib', 'time', 'zoneinfo.zip');
  if (!existsSync(zoneinfo)) throw new Error(`no Go tzdata at ${zoneinfo}`);
  built = { binary, zoneinfo };
  return built;
}

function spawnOracle(mode: string, input: readonly object[], args: string[], env: Record<string, string> = {}) {
  const { binary, zoneinfo } = buildOracle();
  const res = spawnSync(binary, ['-mode', mode, ...args], {
    input: `${input.map((o) => JSON.stringify(o)).join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ZONEINFO: zoneinfo, TZ: 'UTC', ...env },
  });
  const lines = res.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
  return { status: res.status, stderr: res.stderr || String(res.error ?? ''), lines };
}

/** Feeds JSON lines to the oracle in `mode` and returns its parsed JSON output lines (`env` overrides e.g. ZONEINFO). */
export function runOracle<T>(
  mode: 'bench' | 'transitions',
  input: readonly object[],
  args: string[] = [],
  env?: Record<string, string>,
): T[] {
  const res = spawnOracle(mode, input, args, env);
  if (res.status !== 0) throw new Error(`robfig oracle (${mode}) failed: ${res.stderr}`);
  return res.lines as T[];
}

/** Runs `next` cases in one oracle process through temp files (so it never waits on this
 * process's event loop), restarting it after each case where robfig's Next hangs (status 3). */
async function nextChunk(
  cases: readonly OracleCase[],
  timeoutMs: number,
  dir: string,
  tag: string,
): Promise<OracleAnswer[]> {
  const { binary, zoneinfo } = buildOracle();
  const answers: OracleAnswer[] = [];
  for (let round = 0; answers.length < cases.length; round++) {
    const inPath = join(dir, `${tag}-${round}.in`);
    const outPath = join(dir, `${tag}-${round}.out`);
    writeFileSync(
      inPath,
      `${cases
        .slice(answers.length)
        .map((c) => JSON.stringify(c))
        .join('\n')}\n`,
    );
    const stdin = openSync(inPath, 'r');
    const stdout = openSync(outPath, 'w');
    const child = spawn(binary, ['-mode', 'next', '-timeout', String(timeoutMs)], {
      stdio: [stdin, stdout, 'pipe'],
      env: { ...process.env, ZONEINFO: zoneinfo, TZ: 'UTC' },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', done);
    });
    closeSync(stdin);
    closeSync(stdout);
    if (status !== 0 && status !== 3) throw new Error(`robfig oracle (next) failed with status ${status}: ${stderr}`);
    for (const line of readFileSync(outPath, 'utf8').split('\n')) {
      if (line !== '') answers.push(JSON.parse(line) as OracleAnswer);
    }
    if (status === 0) break;
  }
  return answers;
}

/** Starts answering `next` cases in `parallel` oracle processes; await the result when needed. */
export async function oracleNext(
  cases: readonly OracleCase[],
  { timeoutMs = 300, parallel = Math.max(1, Math.min(4, availableParallelism())) } = {},
): Promise<OracleAnswer[]> {
  const dir = mkdtempSync(join(tmpdir(), 'robfig-oracle-'));
  try {
    const size = Math.ceil(cases.length / parallel);
    const chunks = [];
    for (let i = 0; i < cases.length; i += size)
      chunks.push(nextChunk(cases.slice(i, i + size), timeoutMs, dir, `c${i}`));
    return (await Promise.all(chunks)).flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the robfig differential tests should be skipped (CRON_DIFF_SKIP=1). */
export const skipDifferential = process.env.CRON_DIFF_SKIP === '1';
