// Builds the self-contained `kubectl-job` executable for a platform and its krew archive
//
//   dist/kubectl-job_<os>_<arch>.tar.gz   kubectl-job[.exe], kubectl_complete-job (not on Windows), LICENSE
//   dist/kubectl-job_<os>_<arch>.tar.gz.sha256
//
// then writes the archive's sha256 into plugins/job.yaml for that platform.
//
//   node scripts/package.mjs                    this machine's platform; build, update the manifest
//   node scripts/package.mjs --target OS_ARCH   another platform (linux_arm64, darwin_amd64, windows_amd64, ...)
//   node scripts/package.mjs --check-manifest   build, and fail if the manifest's sha256 differs
//   node scripts/package.mjs --no-manifest      build only
//   node scripts/package.mjs --fill-manifest [--homepage URL]
//                                               no build: write the sha256 of every
//                                               dist/kubectl-job_*.tar.gz.sha256 into the manifest and,
//                                               with --homepage, point homepage and uris there (release)
//
// KUBECTL_JOB_SIGN_COMMAND, when set, is run (through the shell) with the executable's path
// appended, before archiving: e.g. signtool on Windows, or codesign with a Developer ID on macOS.
//
// The executable is a Bun single-file executable (`bun build --compile`, Bun pinned in
// package.json's devDependencies): the esbuild CommonJS bundle (scripts/build.mjs --exe)
// compiled to JavaScriptCore bytecode inside the Bun runtime. Bun starts in a few
// milliseconds where Node takes tens (and Node 20 parses every NODE_EXTRA_CA_CERTS
// certificate before running any code), which is what lets `kubectl job why` stay close to
// `kubectl describe` (bench/startup.ts). Other platforms are cross-compiled: Bun fetches that
// platform's runtime from the npm registry. The npm package keeps running on Node.
//
// Reproducible: the same sources, lockfile and Bun give the same executable (the output path
// is part of it, so it is always dist/exe/<os>_<arch>/kubectl-job) and the same archive, byte
// for byte. The tar is written here: fixed order, mtime, owner and modes; it is compressed with
// GNU gzip -n when available, whose output does not depend on the CPU (Node's zlib picks its
// hash function by CPU feature).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzip, tar } from './archive.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const args = new Set(argv);
const manifestMode = args.has('--check-manifest') ? 'check' : args.has('--no-manifest') ? 'none' : 'update';

const MANIFEST = `${root}plugins/job.yaml`;
/** The archive's timestamps: SOURCE_DATE_EPOCH when set, else a fixed instant. */
const MTIME = Number(process.env.SOURCE_DATE_EPOCH ?? 1767225600); // 2026-01-01T00:00:00Z

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
/** This machine's krew platform, e.g. linux_amd64. */
const HOST = `${{ linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform]}_${{ x64: 'amd64', arm64: 'arm64' }[process.arch]}`;
const platform = argv.includes('--target') ? argv[argv.indexOf('--target') + 1] : HOST;
const [os, arch] = platform.split('_');
/** Bun's --target names for krew's os/arch labels. */
const BUN_TARGETS = {
  linux_amd64: 'bun-linux-x64',
  linux_arm64: 'bun-linux-arm64',
  darwin_amd64: 'bun-darwin-x64',
  darwin_arm64: 'bun-darwin-arm64',
  windows_amd64: 'bun-windows-x64',
};
if (!BUN_TARGETS[platform])
  fail(`no executable target for ${platform} (one of ${Object.keys(BUN_TARGETS).join(', ')})`);
const native = platform === HOST;
const exeName = os === 'windows' ? 'kubectl-job.exe' : 'kubectl-job';

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
  return r;
}

if (args.has('--fill-manifest')) {
  fillManifest(argv.includes('--homepage') ? argv[argv.indexOf('--homepage') + 1] : undefined);
  process.exit(0);
}

// 1. The CommonJS bundle, compiled into a Bun executable.
run(process.execPath, ['scripts/build.mjs', '--exe']);
const stage = `${root}dist/exe/${platform}`;
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const exe = `${stage}/${exeName}`;
// No .env or bunfig.toml from the working directory may change what the executable does (Bun
// reads both by default); JIT tiers start 10x later than usual, as a run of `why` is over
// before compiling would pay for itself, while hot loops in long runs still get compiled.
run(
  bunBinary(),
  [
    'build',
    '--compile',
    '--bytecode',
    '--format=cjs',
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    '--compile-jit-policy=10',
    `--target=${BUN_TARGETS[platform]}`,
    'dist/exe/kubectl-job.cjs',
    '--outfile',
    exe,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
chmodSync(exe, 0o755);
if (process.env.KUBECTL_JOB_SIGN_COMMAND) {
  const signed = spawnSync(`${process.env.KUBECTL_JOB_SIGN_COMMAND} "${exe}"`, {
    cwd: root,
    shell: true,
    stdio: 'inherit',
  });
  if (signed.status !== 0) fail(`KUBECTL_JOB_SIGN_COMMAND exited with ${signed.status}`);
}

// 2. Smoke tests (this platform only): it prints the version and nothing on stderr; against a
// cluster that refuses the connection it reports the error, without warnings.
if (native) smokeTest();

function smokeTest() {
  const smoke = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (smoke.status !== 0 || smoke.stdout.trim() !== pkg.version || smoke.stderr !== '') {
    fail(
      `the built executable misbehaves: exit ${smoke.status}, stdout ${JSON.stringify(smoke.stdout)}, stderr ${JSON.stringify(smoke.stderr)}`,
    );
  }
  const kubeconfig = `${stage}/unreachable.kubeconfig`;
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  const live = spawnSync(exe, ['next', 'cronjob/x', '--kubeconfig', kubeconfig], { encoding: 'utf8' });
  rmSync(kubeconfig);
  if (live.status !== 3 || !/^error: /.test(live.stderr) || /warning/i.test(live.stderr)) {
    fail(
      `the built executable misbehaves against an unreachable cluster: exit ${live.status}, stderr ${JSON.stringify(live.stderr)}`,
    );
  }
}

// 3. The archive.
const files = [
  { name: 'LICENSE', data: readFileSync(`${root}LICENSE`), mode: 0o644 },
  { name: exeName, data: readFileSync(exe), mode: 0o755 },
  ...(os === 'windows'
    ? []
    : [{ name: 'kubectl_complete-job', data: readFileSync(`${root}bin/kubectl_complete-job`), mode: 0o755 }]),
].sort((a, b) => (a.name < b.name ? -1 : 1));
const archiveName = `kubectl-job_${platform}.tar.gz`;
const archive = gzip(
  tar(
    files.map((f) => ({ path: f.name, type: 'file', data: f.data, mode: f.mode, uid: 0 })),
    MTIME,
  ),
  9,
  'package',
);
writeFileSync(`${root}dist/${archiveName}`, archive);
const sha256 = createHash('sha256').update(archive).digest('hex');
writeFileSync(`${root}dist/${archiveName}.sha256`, `${sha256}  ${archiveName}\n`);
console.error(
  `built dist/${archiveName} (${(archive.length / 1e6).toFixed(1)} MB, bun ${require('bun/package.json').version})\nsha256 ${sha256}`,
);

// 4. The manifest.
const manifest = readFileSync(MANIFEST, 'utf8');
const versionInManifest = /^\s+version:\s*(\S+)/m.exec(manifest)?.[1];
if (versionInManifest !== `v${pkg.version}`)
  fail(`plugins/job.yaml has version ${versionInManifest}, package.json ${pkg.version}`);
const updated = setPlatformSha(manifest, os, arch, sha256);
if (manifestMode === 'update' && updated !== manifest) {
  writeFileSync(MANIFEST, updated);
  console.error(`plugins/job.yaml: ${platform} sha256 updated (commit it)`);
} else if (manifestMode === 'check' && updated !== manifest) {
  fail(
    `plugins/job.yaml's ${platform} sha256 is not the archive's ${sha256}: run \`npm run package\` and commit plugins/job.yaml (the build is reproducible for the same sources and lockfile)`,
  );
}

/** The pinned Bun (devDependencies): its npm package's binary, put in place by its install script. */
function bunBinary() {
  const dir = dirname(require.resolve('bun/package.json'));
  const candidates = [join(dir, 'bin', 'bun.exe'), join(dir, 'bin', 'bun')];
  for (const c of candidates) {
    if (
      existsSync(c) &&
      spawnSync(c, ['--version'], { encoding: 'utf8' }).stdout?.trim() === require('bun/package.json').version
    )
      return c;
  }
  fail(`no working Bun in ${dir}/bin (its install script did not run?): run \`node ${join(dir, 'install.js')}\``);
}

/** Release: every built platform's sha256 into the manifest; optionally a new homepage (and uris under it). */
function fillManifest(homepage) {
  let text = readFileSync(MANIFEST, 'utf8');
  const sums = readdirSync(`${root}dist`).filter((f) => /^kubectl-job_[a-z0-9]+_[a-z0-9]+\.tar\.gz\.sha256$/.test(f));
  if (sums.length === 0) fail('no dist/kubectl-job_<os>_<arch>.tar.gz.sha256 files');
  for (const f of sums) {
    const [, o, a] = /^kubectl-job_([a-z0-9]+)_([a-z0-9]+)\./.exec(f);
    text = setPlatformSha(text, o, a, readFileSync(`${root}dist/${f}`, 'utf8').split(/\s+/)[0]);
    console.error(`plugins/job.yaml: ${o}/${a} from ${f}`);
  }
  if (homepage) {
    const old = /^\s+homepage:\s*(\S+)/m.exec(text)?.[1];
    if (!old) fail('plugins/job.yaml has no homepage');
    text = text.split(old).join(homepage.replace(/\/$/, ''));
  }
  writeFileSync(MANIFEST, text);
}

/** Replaces the sha256 of the platform entry whose selector is {os, arch}. */
function setPlatformSha(text, wantOs, wantArch, sha) {
  const lines = text.split('\n');
  let inEntry = false;
  let labels = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*-\s+selector:/.test(line)) {
      inEntry = true;
      labels = {};
    }
    const label = /^\s+(os|arch):\s*(\S+)/.exec(line);
    if (inEntry && label) labels[label[1]] = label[2];
    const shaLine = /^(\s+sha256:\s*)\S*/.exec(line);
    if (inEntry && shaLine && labels.os === wantOs && labels.arch === wantArch) {
      lines[i] = `${shaLine[1]}"${sha}"`;
      return lines.join('\n');
    }
  }
  fail(`plugins/job.yaml has no platform entry with os: ${wantOs} and arch: ${wantArch}`);
}
