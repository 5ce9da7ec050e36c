// e2e: the release archive installs with krew and runs through kubectl.
//
// Builds the linux/amd64 archive (`scripts/package.mjs`, unless dist/ already holds one newer
// than everything it is made from), builds krew from the Go module proxy into the e2e cache,
// installs the plugin with `kubectl krew install --manifest --archive` into a temporary
// KREW_ROOT, and runs it as `kubectl job ...`, completion included. Then the repository as a
// custom krew index: a git clone of it (plugins/job.yaml) added with `kubectl krew index add`,
// and `kubectl krew install <index>/job`, the archive served from 127.0.0.1. No cluster is needed.
//
// The manifest's sha256 is the released archives' (written and checked when a release is
// packaged: scripts/package.mjs --fill-manifest / --check-manifest), so it is not compared with
// this build: the tests install with a copy of the manifest that names this build's archive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kubectlPath, which } from '../harness/binaries.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const ARCHIVE = join(ROOT, 'dist', 'kubectl-job_linux_amd64.tar.gz');
const MANIFEST = join(ROOT, 'plugins', 'job.yaml');

/** The krew release this test installs with (sigs.k8s.io/krew on the Go module proxy). */
export const KREW_VERSION = 'v0.5.0';
const CACHE = join(
  process.env.KUBECTL_JOB_E2E_CACHE ?? join(homedir(), '.cache', 'kubectl-job-e2e'),
  `krew-${KREW_VERSION}`,
);

const goBinary = () => which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);

function skipReason(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the krew test installs the linux/amd64 archive';
  if (process.env.CI === 'true' || process.env.CI === '1') return undefined;
  if (!kubectlPath()) return 'kubectl not found (set KUBECTL or put kubectl on PATH)';
  if (!goBinary()) return 'no Go toolchain to build krew';
  return undefined;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr + (err && typeof err.code !== 'number' ? `\n${err.message}` : '') });
      },
    );
  });
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((e) => newestMtime(join(path, e))));
}

/** dist's archive when it is newer than every input of scripts/package.mjs; else a fresh build. */
async function ensureArchive(): Promise<void> {
  const inputs = [
    'src',
    'bin/kubectl_complete-job',
    'scripts/build.mjs',
    'scripts/package.mjs',
    'LICENSE',
    'package-lock.json',
    'node_modules/bun/package.json',
  ].map((p) => join(ROOT, p));
  const fresh = existsSync(ARCHIVE) && statSync(ARCHIVE).mtimeMs > Math.max(...inputs.map(newestMtime));
  if (fresh) return;
  const r = await run(process.execPath, ['scripts/package.mjs', '--no-manifest'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, `scripts/package.mjs failed:\n${r.stderr}`);
}

/** kubectl-krew built from the Go module proxy (once; cached outside the repository). */
async function ensureKrew(): Promise<string> {
  const exe = join(CACHE, 'kubectl-krew');
  if (existsSync(exe)) return exe;
  const go = goBinary();
  assert.ok(go, 'no Go toolchain to build krew');
  // `go install sigs.k8s.io/krew/cmd/krew@version` needs the proxy's version list (for the
  // deprecation check), which the proxy may refuse: build through a wrapper module instead.
  const work = mkdtempSync(join(tmpdir(), 'krew-build-'));
  try {
    writeFileSync(
      join(work, 'go.mod'),
      `module kubectl-job.test/krew\n\ngo 1.25\n\nrequire sigs.k8s.io/krew ${KREW_VERSION}\n`,
    );
    writeFileSync(
      join(work, 'main.go'),
      [
        'package main',
        '',
        'import (',
        '\t"k8s.io/klog/v2"',
        '',
        '\t"sigs.k8s.io/krew/cmd/krew/cmd"',
        ')',
        '',
        'func main() {',
        '\tdefer klog.Flush()',
        '\tcmd.Execute()',
        '}',
        '',
      ].join('\n'),
    );
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
    const tidy = await run(go, ['mod', 'tidy'], { cwd: work, env, timeoutMs: 600_000 });
    assert.equal(tidy.code, 0, `go mod tidy for krew ${KREW_VERSION} failed:\n${tidy.stderr}`);
    const built = await run(go, ['build', '-trimpath', '-o', 'kubectl-krew', '.'], {
      cwd: work,
      env,
      timeoutMs: 600_000,
    });
    assert.equal(built.code, 0, `building krew ${KREW_VERSION} failed:\n${built.stderr}`);
    mkdirSync(CACHE, { recursive: true });
    renameSync(join(work, 'kubectl-krew'), exe);
    return exe;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** plugins/job.yaml with the linux/amd64 entry's sha256 (and, given, its uri) replaced. */
function manifestFor(sha256: string, uri?: string): string {
  const lines = readFileSync(MANIFEST, 'utf8').split('\n');
  const start = lines.findIndex((l, i) => /os: linux/.test(l) && /arch: amd64/.test(lines[i + 1] ?? ''));
  assert.ok(start > 0, 'plugins/job.yaml has a linux/amd64 platform');
  for (let i = start; i < lines.length && !/^\s*-\s+selector:/.test(lines[i]!); i++) {
    if (/^\s+sha256:/.test(lines[i]!)) lines[i] = lines[i]!.replace(/sha256:.*/, `sha256: "${sha256}"`);
    if (uri && /^\s+uri:/.test(lines[i]!)) lines[i] = lines[i]!.replace(/uri:.*/, `uri: ${uri}`);
  }
  return lines.join('\n');
}

describe('krew install of the release archive (e2e)', { skip: skipReason() }, () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let krewRoot = '';
  const kubectl = (args: string[]) => run(kubectlPath()!, args, { env });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubectl-job-krew-'));
    krewRoot = join(dir, 'krew');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const [krew] = await Promise.all([ensureKrew(), ensureArchive()]);
    symlinkSync(krew, join(bin, 'kubectl-krew'));
    // krew's bin first, so no other kubectl-job on PATH can answer for the plugin.
    env = {
      ...process.env,
      KREW_ROOT: krewRoot,
      KREW_NO_UPGRADE_CHECK: '1',
      PATH: [join(krewRoot, 'bin'), bin, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter),
    };
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('kubectl krew install --manifest --archive, then kubectl job runs the installed executable', {
    timeout: 900_000,
  }, async () => {
    const manifest = join(dir, 'job.yaml');
    writeFileSync(manifest, manifestFor(readFileSync(`${ARCHIVE}.sha256`, 'utf8').split(/\s+/)[0]!));
    const install = await kubectl(['krew', 'install', `--manifest=${manifest}`, `--archive=${ARCHIVE}`]);
    assert.equal(install.code, 0, `krew install failed:\n${install.stdout}\n${install.stderr}`);
    assert.match(install.stderr + install.stdout, /Installed plugin: job/);
    const installed = join(krewRoot, 'store', 'job', `v${PKG.version}`);
    for (const f of ['kubectl-job', 'kubectl_complete-job', 'LICENSE'])
      assert.ok(existsSync(join(installed, f)), `${f} is installed`);

    const help = await kubectl(['job', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: kubectl job <command> \[flags\]/);
    assert.match(help.stdout, /\n {2}next\b/);
    assert.equal(help.stderr, '', 'nothing on stderr (no runtime warning)');

    const version = await kubectl(['job', '--version']);
    assert.equal(version.stdout, `${PKG.version}\n`);

    const next = await kubectl([
      'job',
      'next',
      '--schedule',
      '*/5 * * * *',
      '--from',
      '2026-01-01T00:00:00Z',
      '--count',
      '2',
      '-o',
      'json',
    ]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual((JSON.parse(next.stdout) as { times: string[] }).times, [
      '2026-01-01T00:05:00Z',
      '2026-01-01T00:10:00Z',
    ]);
    const text = await kubectl([
      'job',
      'next',
      '--schedule',
      '*/5 * * * *',
      '--from',
      '2026-01-01T00:00:00Z',
      '--count',
      '2',
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^1 +2026-01-01T00:05:00Z/m);
    assert.match(text.stdout, /^2 +2026-01-01T00:10:00Z/m);
  });

  test('kubectl completes `kubectl job` through kubectl_complete-job linked next to the plugin', {
    timeout: 120_000,
  }, async () => {
    // krew links only the plugin itself; `kubectl job completion` documents adding this link.
    const installed = join(krewRoot, 'store', 'job', `v${PKG.version}`);
    symlinkSync(join(installed, 'kubectl_complete-job'), join(krewRoot, 'bin', 'kubectl_complete-job'));
    const printed = await kubectl(['job', 'completion']);
    assert.equal(printed.stdout, readFileSync(join(installed, 'kubectl_complete-job'), 'utf8'));

    const subs = await kubectl(['__complete', 'job', 'ne']);
    assert.equal(subs.code, 0, subs.stderr);
    assert.match(subs.stdout, /^next\t/m);
    assert.match(subs.stdout, /^:4$/m);
    const flags = await kubectl(['__complete', 'job', 'next', '--sch']);
    assert.match(flags.stdout, /^--schedule\t/m);
    const output = await kubectl(['__complete', 'job', 'next', '-o', '']);
    assert.deepEqual(
      output.stdout.split('\n').filter((l) => l && !l.startsWith(':')),
      ['json', 'yaml'],
    );
    const names = await kubectl([
      '__complete',
      'job',
      'next',
      '--snapshot',
      join(ROOT, 'examples', 'snapshot.yaml'),
      '-n',
      'prod',
      'b',
    ]);
    assert.match(names.stdout, /^backup\t/m);
  });
  test('the repository as a custom krew index: kubectl krew index add, then kubectl krew install <index>/job', {
    timeout: 600_000,
  }, async () => {
    const git = which('git');
    assert.ok(git, 'git is needed for a krew index');
    // The archive, served on 127.0.0.1 as a release host would serve it.
    const server = createServer((req, res) => {
      if (req.url !== '/kubectl-job_linux_amd64.tar.gz') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(ARCHIVE));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      // A git repository laid out as this one: plugins/job.yaml, naming the served archive.
      const index = join(dir, 'index-repo');
      mkdirSync(join(index, 'plugins'), { recursive: true });
      const sha = readFileSync(`${ARCHIVE}.sha256`, 'utf8').split(/\s+/)[0]!;
      writeFileSync(
        join(index, 'plugins', 'job.yaml'),
        manifestFor(sha, `http://127.0.0.1:${port}/kubectl-job_linux_amd64.tar.gz`),
      );
      const gitEnv = {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.invalid',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.invalid',
      };
      for (const args of [
        ['init', '-q'],
        ['add', 'plugins'],
        ['commit', '-q', '-m', 'index'],
      ]) {
        const r = await run(git, args, { cwd: index, env: gitEnv });
        assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
      }
      // A fresh KREW_ROOT whose default index is that repository too (krew clones its default
      // index on first use: no network here).
      const root = join(dir, 'krew-index-root');
      const indexEnv = {
        ...env,
        KREW_ROOT: root,
        KREW_DEFAULT_INDEX_URI: index,
        PATH: [join(root, 'bin'), ...(env.PATH ?? '').split(delimiter)].join(delimiter),
      };
      const k = (args: string[]) => run(kubectlPath()!, args, { env: indexEnv, timeoutMs: 300_000 });
      const added = await k(['krew', 'index', 'add', 'kubectl-job', index]);
      assert.equal(added.code, 0, `krew index add failed:\n${added.stdout}\n${added.stderr}`);
      const install = await k(['krew', 'install', 'kubectl-job/job']);
      assert.equal(install.code, 0, `krew install kubectl-job/job failed:\n${install.stdout}\n${install.stderr}`);
      const said = install.stdout + install.stderr;
      assert.match(said, /Installed plugin: job/);
      assert.match(said, /kubectl_complete-job/, 'the caveats (completion) are shown');
      const version = await k(['job', '--version']);
      assert.equal(version.code, 0, version.stderr);
      assert.equal(version.stdout, `${PKG.version}\n`);
      const list = await k(['krew', 'list']);
      assert.match(list.stdout, /kubectl-job\/job/);
    } finally {
      server.close();
    }
  });
});
