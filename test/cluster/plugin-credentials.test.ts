// An exec credential plugin is run through @kubernetes/client-node (src/cluster/plugin-credentials.ts).
// Its 1.x line loaded node-fetch -> whatwg-url -> tr46, which made Node 22+ print
// "[DEP0040] DeprecationWarning: The punycode module is deprecated" for every such kubeconfig
// (EKS, GKE, AKS), though only from code outside a node_modules directory: the bundle. Here the
// sources and the bundle (built into a temporary directory) run with a kubeconfig whose plugin
// leaves a mark, against a server that refuses connections: the only output on stderr must be
// the one-line connection error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TS = join(ROOT, 'src', 'cli', 'run.ts');
const dir = mkdtempSync(join(tmpdir(), 'kubectl-job-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig whose user is an exec plugin that records its run and prints a token. */
export function execPluginKubeconfig(where: string): { kubeconfig: string; mark: string } {
  const mark = join(where, 'plugin-ran');
  const plugin = join(where, 'get-token.sh');
  writeFileSync(
    plugin,
    `#!/bin/sh\necho ran > '${mark}'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'\n`,
  );
  chmodSync(plugin, 0o755);
  const kubeconfig = join(where, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: ns}}]
current-context: x
`,
  );
  return { kubeconfig, mark };
}

for (const variant of ['sources', 'bundle'] as const) {
  test(`an exec-plugin kubeconfig on Node ${process.version}, ${variant}: the plugin runs and stderr holds only the error`, () => {
    const where = mkdtempSync(join(dir, `${variant}-`));
    let args: string[];
    if (variant === 'bundle') {
      const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--outdir', join(where, 'dist')], {
        encoding: 'utf8',
      });
      assert.equal(built.status, 0, built.stderr);
      args = [join(where, 'dist', 'kubectl-job.mjs')];
    } else {
      args = ['--import', 'tsx', RUN_TS];
    }
    const { kubeconfig, mark } = execPluginKubeconfig(where);
    const r = spawnSync(process.execPath, [...args, 'why', 'cronjob/x', '--kubeconfig', kubeconfig], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' },
    });
    assert.ok(existsSync(mark), `the exec plugin did not run (exit ${r.status}, stderr ${r.stderr})`);
    assert.equal(r.status, 3, r.stderr);
    assert.doesNotMatch(r.stderr, /DeprecationWarning|DEP0|Warning/i);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^error: /);
    assert.ok(
      lines.slice(1).every((l) => l.startsWith('hint: ')),
      r.stderr,
    );
  });
}
