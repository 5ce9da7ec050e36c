// The two container images of the e2e node, built here because no image registry is
// reachable: the pod sandbox ("pause", a static Go program from test/go/pause) and a
// small image with a shell (Debian's busybox-static). Both are OCI layouts packed with
// umoci, cached as tarballs under ~/.cache/kubectl-job-e2e/images-<key>/ and imported
// into containerd with `ctr images import` at every node start.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAUSE_MODULE = fileURLToPath(new URL('../../go/pause', import.meta.url));
const BUSYBOX = '/bin/busybox';

/** Image references on the node (non-`latest` tags: pull policy IfNotPresent). */
export interface NodeImages {
  /** The sandbox image (containerd's sandbox_image). */
  pause: string;
  /** busybox: sh, sleep, echo, ... */
  busybox: string;
  /** OCI archives to import. */
  archives: string[];
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function goBinary(): string {
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/** busybox's version, e.g. "1.35.0" (the image tag). */
function busyboxVersion(): string {
  const banner =
    execFileSync(BUSYBOX, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  return /v(\d+\.\d+\.\d+)/.exec(banner)?.[1] ?? 'unknown';
}

/** Packs `files` (path in image -> host file or symlink target) into an OCI archive named `tag`. */
function packImage(work: string, name: string, tag: string, files: (layout: string) => void, config: string[]): string {
  const layout = join(work, `${name}-oci`);
  const bundle = join(work, `${name}-bundle`);
  rmSync(layout, { recursive: true, force: true });
  rmSync(bundle, { recursive: true, force: true });
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', `${layout}:${tag}`]);
  run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
  files(join(bundle, 'rootfs'));
  run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
  run('umoci', ['config', '--image', `${layout}:${tag}`, ...config]);
  const archive = join(work, `${name}.tar`);
  run('tar', ['-C', layout, '-cf', archive, '.']);
  rmSync(layout, { recursive: true, force: true });
  rmSync(bundle, { recursive: true, force: true });
  return archive;
}

/** Builds (once per content) the image archives; returns their references. */
export function ensureNodeImages(
  cacheRoot = process.env.KUBECTL_JOB_E2E_CACHE ?? join(homedir(), '.cache', 'kubectl-job-e2e'),
): NodeImages {
  const bbVersion = busyboxVersion();
  const key = createHash('sha256')
    .update(readFileSync(join(PAUSE_MODULE, 'main.go')))
    .update(readFileSync(join(PAUSE_MODULE, 'go.mod')))
    .update(readFileSync(BUSYBOX))
    .digest('hex')
    .slice(0, 12);
  const images: NodeImages = {
    pause: `kubectl-job.test/pause:${key}`,
    busybox: `kubectl-job.test/busybox:${bbVersion}`,
    archives: [],
  };
  const dir = join(cacheRoot, `images-${key}`);
  const archives = [join(dir, 'pause.tar'), join(dir, 'busybox.tar')];
  images.archives = archives;
  if (archives.every((a) => existsSync(a))) return images;

  const work = `${dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const pauseBin = join(work, 'pause');
  run(goBinary(), ['build', '-trimpath', '-ldflags=-s -w', '-o', pauseBin, '.'], {
    cwd: PAUSE_MODULE,
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' },
  });
  packImage(
    work,
    'pause',
    key,
    (root) => {
      copyFileSync(pauseBin, join(root, 'pause'));
      chmodSync(join(root, 'pause'), 0o755);
    },
    ['--config.entrypoint', '/pause'],
  );
  const applets = run(BUSYBOX, ['--list'])
    .split('\n')
    .filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox');
  packImage(
    work,
    'busybox',
    bbVersion,
    (root) => {
      for (const d of ['bin', 'tmp', 'etc']) mkdirSync(join(root, d), { recursive: true });
      copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
      chmodSync(join(root, 'bin', 'busybox'), 0o755);
      for (const a of applets) if (!existsSync(join(root, 'bin', a))) symlinkSync('busybox', join(root, 'bin', a));
      chmodSync(join(root, 'tmp'), 0o1777);
    },
    ['--config.cmd', 'sh', '--config.env', 'PATH=/bin'],
  );
  rmSync(pauseBin);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return images;
}
