// The npm package is the bundle: `npm pack` (whose prepack builds dist/) then `npm install -g`
// of the tarball into an empty prefix, with no network (--offline: nothing may need fetching),
// installs one package of a few hundred kB that runs with nothing else beside it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'kubectl-job-npm-'));
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'kubectl-job');
const bin = join(prefix, 'bin');

function duBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, e) => sum + duBytes(join(path, e)), 0);
}

before(() => {
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as Array<{ filename: string }>;
  const tarball = join(work, packed[0]!.filename);
  execFileSync(npm, ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('package.json has no runtime dependencies: the bundle inlines them', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
});

test('npm install -g of the packed tarball, offline, installs one package under 10 MB', () => {
  assert.deepEqual(readdirSync(join(prefix, 'lib', 'node_modules')), ['kubectl-job']);
  assert.deepEqual(
    readdirSync(installed).filter((e) => e === 'node_modules'),
    [],
    'no dependencies installed',
  );
  const bytes = duBytes(installed);
  assert.ok(bytes < 10e6, `installed ${bytes} bytes`);
  assert.deepEqual(readdirSync(bin).sort(), ['kubectl-job', 'kubectl_complete-job']);
});

test('the installed kubectl-job runs the bundle: version, a command on the example snapshot, a clean stderr', () => {
  const cache = join(work, 'compile-cache');
  const env = { ...process.env, NODE_COMPILE_CACHE: cache, PATH: `${bin}:${process.env.PATH}` };
  const version = spawnSync(join(bin, 'kubectl-job'), ['--version'], { env, encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  assert.equal(version.stderr, '');
  const why = spawnSync(
    join(bin, 'kubectl-job'),
    ['why', 'cronjob/report', '--snapshot', join(ROOT, 'examples', 'snapshot.yaml')],
    { env, encoding: 'utf8' },
  );
  assert.equal(why.status, 1, why.stderr); // the example CronJob has a problem
  assert.match(why.stdout, /^cronjob\/report/m);
  assert.equal(why.stderr, '');
  // The compile cache (module.enableCompileCache in bin/kubectl-job) was written.
  assert.ok(readdirSync(cache).length > 0, 'compile cache directory is empty');
});

test('the installed completion script finds the installed kubectl-job', () => {
  const r = spawnSync(join(bin, 'kubectl_complete-job'), ['wh'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^why\b/m);
});
