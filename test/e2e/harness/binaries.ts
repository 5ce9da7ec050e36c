// Locating (or building, through build.sh) the control-plane binaries, and deciding
// whether the e2e suite can run on this machine at all.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SH = fileURLToPath(new URL('./build.sh', import.meta.url));
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'];

/** build.sh could not find a Go toolchain. */
export class MissingToolchainError extends Error {}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  if (program.includes('/')) return executable(program) ? program : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/** The kubectl the tests run: $KUBECTL, else kubectl on PATH. */
export function kubectlPath(): string | undefined {
  return which(process.env.KUBECTL ?? 'kubectl');
}

function prebuiltDir(): string | undefined {
  return [process.env.E2E_BIN_DIR, process.env.KUBEBUILDER_ASSETS].find(
    (d) => d && COMPONENTS.every((c) => executable(join(d, c))),
  );
}

/**
 * Why the e2e tests cannot run here, or undefined when they can. Under CI=true this is
 * always undefined: missing tools must make the suite fail, not skip.
 */
export function e2eSkipReason(): string | undefined {
  if (process.env.CI === 'true' || process.env.CI === '1') return undefined;
  if (!kubectlPath()) return 'kubectl not found (set KUBECTL or put kubectl on PATH)';
  if (process.env.E2E_KUBECONFIG) return undefined;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return 'the real node (kubelet + containerd) needs Linux and root';
  }
  if (!which('openssl')) return 'openssl not found (needed to make certificates)';
  if (prebuiltDir() || which('go') || executable('/usr/local/go/bin/go')) return undefined;
  return 'no Go toolchain to build kube-apiserver/etcd (install Go, or set E2E_BIN_DIR / KUBEBUILDER_ASSETS)';
}

/** Directory holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubelet, building them if needed. */
export async function ensureBinaries(): Promise<string> {
  const pre = prebuiltDir();
  if (pre) return pre;
  if (!which('bash') || !which('flock')) throw new Error('build.sh needs bash and flock');
  return new Promise((resolve, reject) => {
    // stderr is inherited: a cold build prints its progress there.
    const child = spawn('bash', [BUILD_SH], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && COMPONENTS.every((c) => executable(join(dir, c)))) resolve(dir);
      else if (code === 3) reject(new MissingToolchainError('build.sh: no Go toolchain to build the control plane'));
      else reject(new Error(`build.sh failed (exit ${code}); output: ${out}`));
    });
  });
}

/** True when `setpriv --pdeathsig` is available (children then die with the test process). */
export const hasSetpriv = (() => {
  const p = which('setpriv');
  return !!p && spawnSync(p, ['--pdeathsig', 'KILL', '--', 'true']).status === 0;
})();
