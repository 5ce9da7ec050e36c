// Builds the container image of the in-cluster audit (deploy/) as an OCI image archive:
//
//   dist/kubectl-job-image.tar       an OCI image layout in a tar (index.json, oci-layout, blobs/),
//                                    plus Docker's manifest.json, so `ctr images import`,
//                                    `docker load`, `podman load`, `kind load image-archive` and
//                                    `skopeo copy oci-archive:` all read it
//   dist/kubectl-job-image.tar.sha256
//
//   node scripts/image.mjs                 build the executable (scripts/package.mjs), then the image
//   node scripts/image.mjs --exe PATH      use an executable already built
//   node scripts/image.mjs --out FILE      write the archive elsewhere
//   node scripts/image.mjs --name REF      the image reference (default kubectl-job.local/kubectl-job:<version>)
//
// No registry, no container daemon, no base image: the one layer holds the Bun executable, the
// shared libraries it is linked against (read with ldd: libc6's loader, libc, libm, libpthread,
// libdl, copied from the Debian packages installed on the build machine, with libc6's copyright
// file), /etc/passwd and /etc/group naming the non-root user 65532, and nothing else: no shell.
//
// Reproducible: the same executable and the same libc6 files give the same archive, byte for
// byte. Every entry has mtime SOURCE_DATE_EPOCH (else 2026-01-01T00:00:00Z), owner 0:0 (the home
// directory 65532:65532), fixed modes and sorted names; the layer is compressed with GNU gzip -n;
// the JSON documents are written with a fixed key order and no timestamps but that mtime.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzip as gzipAt, tar } from './archive.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The non-root user the image runs as (the number distroless images use). */
export const USER_ID = 65532;
const EPOCH = Number(process.env.SOURCE_DATE_EPOCH ?? 1767225600);
const ARCH = { x64: 'amd64', arm64: 'arm64' }[process.arch];

function fail(message) {
  console.error(`image: ${message}`);
  process.exit(1);
}

/** The shared objects the executable loads, as ldd resolves them on this machine (absolute paths). */
export function sharedLibraries(exe) {
  const out = execFileSync('ldd', [exe], { encoding: 'utf8' });
  if (/not a dynamic executable/.test(out)) return [];
  const libs = [];
  for (const line of out.split('\n')) {
    if (/not found/.test(line)) fail(`ldd: ${line.trim()}`);
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]);
  }
  return [...new Set(libs)].sort();
}

/** The Debian package that installed a file ("libc6:amd64 2.36-9+deb12u14"), if dpkg knows it. */
function debianPackage(path) {
  for (const p of [path, realpathSync(path)]) {
    const r = spawnSync('dpkg', ['-S', p], { encoding: 'utf8' });
    const name = r.status === 0 ? r.stdout.split(':').slice(0, 2).join(':').split(',')[0].trim() : '';
    if (name) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
      const v = spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
      return { name, version: v.status === 0 ? v.stdout.trim() : 'unknown' };
    }
  }
  return undefined;
}

/** The files of the image's one layer, sorted by path. */
export function rootfsEntries(exe, libs, packages) {
  const entries = new Map();
  const dir = (path, mode = 0o755, uid = 0) => {
    for (let d = path; d !== '/' && !entries.has(d); d = posix.dirname(d))
      entries.set(d, { path: d, type: 'dir', mode: d === path ? mode : 0o755, uid: d === path ? uid : 0 });
  };
  const file = (path, data, mode = 0o644) => {
    dir(posix.dirname(path));
    entries.set(path, { path, type: 'file', data: Buffer.from(data), mode, uid: 0 });
  };
  file('/kubectl-job', readFileSync(exe), 0o755);
  // Each library at the path ldd names (the loader's is the executable's PT_INTERP), with the
  // bytes of the file it resolves to here (Debian links /lib64/ld-linux-x86-64.so.2 into /usr/lib).
  for (const lib of libs) file(lib, readFileSync(realpathSync(lib)), 0o755);
  file(
    '/etc/passwd',
    `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${USER_ID}:${USER_ID}:nonroot:/home/nonroot:/sbin/nologin\n`,
  );
  file('/etc/group', `root:x:0:\nnonroot:x:${USER_ID}:\n`);
  dir('/home/nonroot', 0o700, USER_ID);
  file('/usr/share/doc/kubectl-job/LICENSE', readFileSync(join(root, 'LICENSE')));
  const listing = [
    `kubectl-job ${pkg.version}: the Bun single-file executable /kubectl-job and the shared libraries it is linked against,`,
    'copied from these Debian packages of the machine that built the image:',
    ...libs.map(
      (l) => `${l}\t${packages.get(l) ? `${packages.get(l).name} ${packages.get(l).version}` : 'unknown package'}`,
    ),
    '',
  ].join('\n');
  file('/usr/share/doc/kubectl-job/libraries', listing);
  for (const p of new Set([...packages.values()].map((x) => x.name.split(':')[0]))) {
    const copyright = `/usr/share/doc/${p}/copyright`;
    if (existsSync(copyright)) file(copyright, readFileSync(copyright));
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** The OCI archive (a Buffer) for a layer's entries; `name` is the image reference. */
export function imageArchive(entries, name, epoch = EPOCH) {
  const layerTar = tar(entries, epoch);
  const layer = gzipAt(layerTar, 6, 'image');
  const created = new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const config = Buffer.from(
    JSON.stringify({
      created,
      architecture: ARCH,
      os: 'linux',
      config: {
        User: `${USER_ID}:${USER_ID}`,
        Env: ['PATH=/', 'HOME=/home/nonroot', 'NO_COLOR=1'],
        Entrypoint: ['/kubectl-job'],
        WorkingDir: '/',
        Labels: {
          'org.opencontainers.image.title': 'kubectl-job',
          'org.opencontainers.image.version': pkg.version,
          'org.opencontainers.image.licenses': pkg.license,
          'org.opencontainers.image.description': 'kubectl job why --all: the CronJob audit, run in-cluster (deploy/)',
        },
      },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] },
      history: [{ created, created_by: 'scripts/image.mjs' }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${sha256(config)}`,
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: `sha256:${sha256(layer)}`,
          size: layer.length,
        },
      ],
    }),
  );
  const tag = name.slice(name.lastIndexOf(':') + 1);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha256(manifest)}`,
          size: manifest.length,
          annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': tag },
          platform: { architecture: ARCH, os: 'linux' },
        },
      ],
    }),
  );
  const blob = (b) => `/blobs/sha256/${sha256(b)}`;
  const dockerManifest = Buffer.from(
    JSON.stringify([{ Config: blob(config).slice(1), RepoTags: [name], Layers: [blob(layer).slice(1)] }]),
  );
  const files = [
    { path: '/blobs', type: 'dir', mode: 0o755, uid: 0 },
    { path: '/blobs/sha256', type: 'dir', mode: 0o755, uid: 0 },
    ...[config, layer, manifest].map((b) => ({ path: blob(b), type: 'file', data: b, mode: 0o644, uid: 0 })),
    { path: '/index.json', type: 'file', data: index, mode: 0o644, uid: 0 },
    { path: '/manifest.json', type: 'file', data: dockerManifest, mode: 0o644, uid: 0 },
    { path: '/oci-layout', type: 'file', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}'), mode: 0o644, uid: 0 },
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  return { archive: tar(files, epoch), manifestDigest: `sha256:${sha256(manifest)}`, layerSize: layer.length };
}

function main() {
  if (process.platform !== 'linux')
    fail("the image is built on Linux (it copies the executable's shared libraries from this machine)");
  let exe = opt('--exe');
  if (!exe) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/package.mjs'), '--no-manifest'], { stdio: 'inherit' });
    if (r.status !== 0) fail(`scripts/package.mjs exited with ${r.status}`);
    exe = join(root, 'dist/exe', `linux_${ARCH}`, 'kubectl-job');
  }
  exe = resolve(exe);
  if (!existsSync(exe)) fail(`no executable at ${exe}`);
  const name = opt('--name') ?? `kubectl-job.local/kubectl-job:${pkg.version}`;
  const out = resolve(opt('--out') ?? join(root, 'dist/kubectl-job-image.tar'));
  const libs = sharedLibraries(exe);
  const packages = new Map(libs.map((l) => [l, debianPackage(l)]).filter(([, p]) => p));
  const { archive, manifestDigest, layerSize } = imageArchive(rootfsEntries(exe, libs, packages), name);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, archive);
  writeFileSync(`${out}.sha256`, `${sha256(archive)}  ${basename(out)}\n`);
  const pkgs = [...new Set([...packages.values()].map((p) => `${p.name} ${p.version}`))].join(', ');
  console.error(
    `built ${out} (${name}, layer ${(layerSize / 1e6).toFixed(1)} MB)\nlibraries (ldd): ${libs.join(' ')}${pkgs ? ` from ${pkgs}` : ''}\nmanifest ${manifestDigest}\nsha256 ${sha256(archive)}`,
  );
  process.stdout.write(`${manifestDigest}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
