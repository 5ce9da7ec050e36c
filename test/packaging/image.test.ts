// `npm run image` (scripts/image.mjs): the audit's container image as an OCI archive, built
// without a registry or a daemon. Two builds from the same executable give the same bytes; the
// layer holds the executable, exactly the shared libraries ldd names for it and the files a
// non-root user needs, and no shell; as root, the image's root file system runs the executable
// read-only as user 65532 (the e2e test runs it in a real pod: test/e2e/fleet/).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/image.mjs');
const linux = process.platform === 'linux' && process.arch === 'x64';
const work = mkdtempSync(join(tmpdir(), 'kubectl-job-image-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The executable to pack: $KUBECTL_JOB_EXE, else the one `npm run package` left, else built now. */
function executable(): string {
  if (process.env.KUBECTL_JOB_EXE) return process.env.KUBECTL_JOB_EXE;
  const exe = join(ROOT, 'dist/exe/linux_amd64/kubectl-job');
  if (!existsSync(exe))
    execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), '--no-manifest'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  return exe;
}

interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  mtime: number;
  data: Buffer;
  linkname: string;
}

/** Reads a ustar archive (what scripts/image.mjs writes). */
function untar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  for (let off = 0; off + 512 <= buf.length; ) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const num = (a: number, n: number) => parseInt(str(a, n).trim() || '0', 8);
    const size = num(124, 12);
    const prefix = str(345, 155);
    out.push({
      name: (prefix ? `${prefix}/` : '') + str(0, 100),
      type: str(156, 1),
      mode: num(100, 8),
      uid: num(108, 8),
      mtime: num(136, 12),
      data: buf.subarray(off + 512, off + 512 + size),
      linkname: str(157, 100),
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('npm run image: the in-cluster audit image', {
  skip: linux ? false : "the image is built on Linux x86-64 (it copies the executable's libraries from this machine)",
}, () => {
  let exe: string;
  let a: Buffer;
  let b: Buffer;
  let digestA: string;
  before(() => {
    exe = executable();
    const build = (out: string) =>
      execFileSync(process.execPath, [SCRIPT, '--exe', exe, '--out', out], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    digestA = build(join(work, 'a', 'image.tar'));
    const digestB = build(join(work, 'b', 'image.tar'));
    assert.equal(digestB, digestA, 'the manifest digests of two builds');
    a = readFileSync(join(work, 'a', 'image.tar'));
    b = readFileSync(join(work, 'b', 'image.tar'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('two builds from the same executable are the same bytes', () => {
    assert.equal(sha(a), sha(b));
    assert.equal(readFileSync(join(work, 'a', 'image.tar.sha256'), 'utf8'), `${sha(a)}  image.tar\n`);
  });

  test('the inputs decide the digest: another executable or another SOURCE_DATE_EPOCH gives another image', () => {
    // /bin/true (dynamically linked too) keeps these builds quick.
    const build = (name: string, env: NodeJS.ProcessEnv = {}) =>
      execFileSync(process.execPath, [SCRIPT, '--exe', '/bin/true', '--out', join(work, name, 'image.tar')], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    const t1 = build('t1');
    assert.equal(build('t2'), t1);
    assert.notEqual(t1, digestA);
    assert.notEqual(build('t3', { SOURCE_DATE_EPOCH: '1700000000' }), t1);
  });

  test("an OCI layout (and Docker's manifest.json): fixed owners and times, names sorted, blobs named by their digest", () => {
    const entries = untar(a);
    assert.deepEqual(
      entries.map((e) => e.name),
      [...entries.map((e) => e.name)].sort(),
    );
    assert.ok(entries.every((e) => e.uid === 0 && e.mtime === 1767225600));
    for (const e of entries.filter((x) => x.name.startsWith('blobs/sha256/') && x.type === '0'))
      assert.equal(sha(e.data), e.name.split('/').pop());
    const file = (n: string) => entries.find((e) => e.name === n)!.data;
    assert.equal(JSON.parse(file('oci-layout').toString()).imageLayoutVersion, '1.0.0');
    const index = JSON.parse(file('index.json').toString());
    assert.equal(index.manifests[0].digest, digestA);
    assert.match(
      index.manifests[0].annotations['io.containerd.image.name'],
      /^kubectl-job\.local\/kubectl-job:\d+\.\d+\.\d+/,
    );
    const docker = JSON.parse(file('manifest.json').toString());
    assert.deepEqual(docker[0].RepoTags, [index.manifests[0].annotations['io.containerd.image.name']]);
  });

  test('runs as user 65532, the executable is the entrypoint; the layer holds exactly the executable, the libraries ldd names, passwd/group and documents', () => {
    const entries = untar(a);
    const blob = (d: string) => entries.find((e) => e.name === `blobs/sha256/${d.replace('sha256:', '')}`)!.data;
    const manifest = JSON.parse(blob(digestA).toString());
    const config = JSON.parse(blob(manifest.config.digest).toString());
    assert.equal(config.config.User, '65532:65532');
    assert.deepEqual(config.config.Entrypoint, ['/kubectl-job']);
    assert.equal(manifest.layers.length, 1);
    const layerGz = blob(manifest.layers[0].digest);
    const layerTar = gunzipSync(layerGz);
    assert.equal(config.rootfs.diff_ids[0], `sha256:${sha(layerTar)}`);
    const layer = untar(layerTar);
    const files = layer.filter((e) => e.type === '0').map((e) => `/${e.name}`);
    const ldd = execFileSync('ldd', [exe], { encoding: 'utf8' })
      .split('\n')
      .flatMap((l) => /(\/\S+)\s+\(0x/.exec(l)?.[1] ?? [])
      .sort();
    assert.ok(ldd.length >= 2, `ldd names the loader and libc: ${ldd.join(' ')}`);
    const docs = ['/usr/share/doc/kubectl-job/LICENSE', '/usr/share/doc/kubectl-job/libraries'];
    const copyrights = files.filter((f) => /^\/usr\/share\/doc\/[^/]+\/copyright$/.test(f));
    assert.deepEqual(
      files.sort(),
      ['/etc/group', '/etc/passwd', '/kubectl-job', ...ldd, ...docs, ...copyrights].sort(),
    );
    assert.equal(layer.filter((e) => e.type === '2').length, 0, 'no symbolic links');
    assert.ok(!files.some((f) => /\/(sh|bash|busybox)$/.test(f)), 'no shell');
    const body = (n: string) => layer.find((e) => `/${e.name}` === n)!;
    assert.deepEqual(body('/kubectl-job').data, readFileSync(exe));
    assert.equal(body('/kubectl-job').mode, 0o755);
    assert.match(body('/etc/passwd').data.toString(), /^nonroot:x:65532:65532:/m);
    const home = layer.find((e) => e.name === 'home/nonroot/')!;
    assert.equal(home.uid, 65532);
    assert.match(body('/usr/share/doc/kubectl-job/libraries').data.toString(), /libc\.so\.6\tlibc6/);
  });

  test('the root file system, mounted read-only, runs the executable as user 65532 (chroot; root only)', {
    skip: process.getuid?.() === 0 ? false : 'needs root for chroot and mounts',
  }, () => {
    const entries = untar(a);
    const blob = (d: string) => entries.find((e) => e.name === `blobs/sha256/${d.replace('sha256:', '')}`)!.data;
    const manifest = JSON.parse(blob(digestA).toString());
    const rootfs = join(work, 'rootfs');
    mkdirSync(rootfs);
    execFileSync('tar', ['-xzf', '-', '-C', rootfs], { input: blob(manifest.layers[0].digest) });
    // A container runtime mounts /proc (Bun reads /proc/self/exe) and /dev; here a private mount namespace does.
    mkdirSync(join(rootfs, 'proc'));
    mkdirSync(join(rootfs, 'dev'));
    const script =
      `mount --bind "$1" "$1" && mount -t proc proc "$1/proc" && mount --bind /dev "$1/dev" && mount -o remount,bind,ro "$1" && ` +
      `chroot --userspec=65532:65532 "$1" /kubectl-job --version && ! touch "$1/x" 2>/dev/null`;
    const r = spawnSync('unshare', ['-m', '-p', '-f', 'sh', '-c', script, 'sh', rootfs], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
