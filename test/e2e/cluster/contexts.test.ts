// e2e: `why --all` across several contexts on two real control planes (etcd, kube-apiserver,
// kube-controller-manager each; no node: the fixtures are CronJobs whose verdicts need no pods),
// one kubeconfig holding both, a context whose server is down and one whose user may read nothing.
// Asserts the CONTEXT column, per-context JSON, the error rows, the worst exit code, -l filtering
// (server-side labelSelector) and that one --context prints what it always printed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { cliCommand } from '../../support/cli-command.js';
import { e2eSkipReason, START_TIMEOUT_MS, startControlPlane, waitFor, type ControlPlane } from '../harness/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NS = 'fleet-e2e';
const T = 180_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl-job <args>` as a real process. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { cmd, args: lead } = cliCommand();
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...lead, ...args, '--color', 'never'],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20, env: { ...process.env, KUBECONFIG: '', ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 128) : 0, stdout, stderr }),
    );
  });
}

/** A CronJob that needs no pods to be judged: a yearly schedule (healthy, not due) or suspended (not firing). */
function cronJob(name: string, labels: Record<string, string>, suspended: boolean): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, labels },
    spec: {
      schedule: suspended ? '*/1 * * * *' : '0 0 1 1 *',
      timeZone: 'UTC',
      suspend: suspended,
      jobTemplate: {
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    },
  };
}

async function create(cp: ControlPlane, objects: object[]): Promise<void> {
  await cp.client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  for (const o of objects) await cp.client.request('POST', `/apis/batch/v1/namespaces/${NS}/cronjobs`, o);
}

/** A TCP port nothing listens on (taken and released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** One kubeconfig holding each (context name → a harness kubeconfig, renamed), plus extra raw contexts. */
function mergeKubeconfigs(
  file: string,
  named: Record<string, string>,
  current: string,
  extra: { clusters: object[]; users: object[]; contexts: object[] } = { clusters: [], users: [], contexts: [] },
): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: [...extra.clusters],
    users: [...extra.users],
    contexts: [...extra.contexts],
  } as any;
  for (const [name, path] of Object.entries(named)) {
    const k = parse(readFileSync(path, 'utf8'));
    doc.clusters.push({ name, cluster: k.clusters[0].cluster });
    doc.users.push({ name, user: k.users[0].user });
    doc.contexts.push({ name, context: { cluster: name, user: name, namespace: NS } });
  }
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}

describe('why --all across contexts (e2e, two real control planes)', { skip: e2eSkipReason() }, () => {
  let alpha: ControlPlane;
  let beta: ControlPlane;
  let dir: string;
  let kubeconfig: string;
  let alphaOnly: string;
  let now: string;
  const why = (...a: string[]) => run(['why', ...a, '--kubeconfig', kubeconfig]);

  before(
    async () => {
      // Both at once; neither runs a node, so neither waits for the machine's node lock.
      [alpha, beta] = await Promise.all([startControlPlane({ kubelet: false }), startControlPlane({ kubelet: false })]);
      await Promise.all([
        create(alpha, [cronJob('nightly', { team: 'data' }, true), cronJob('yearly', { team: 'web' }, false)]),
        create(beta, [cronJob('report', { team: 'data' }, false), cronJob('yearly', { team: 'web' }, false)]),
      ]);
      dir = mkdtempSync(join(tmpdir(), 'kubectl-job-contexts-e2e-'));
      const nobody = await beta.kubeconfigFor('nobody', []);
      const downPort = await closedPort();
      const nobodyDoc = parse(readFileSync(nobody, 'utf8'));
      const alphaDoc = parse(readFileSync(alpha.kubeconfigPath, 'utf8'));
      const extra = {
        clusters: [
          { name: 'down', cluster: { server: `https://127.0.0.1:${downPort}`, 'insecure-skip-tls-verify': true } },
          { name: 'beta-nobody', cluster: nobodyDoc.clusters[0].cluster },
          { name: 'alpha-expired', cluster: alphaDoc.clusters[0].cluster },
        ],
        // A bearer token the API server does not know: what an expired token gets (401).
        users: [
          { name: 'down', user: { token: 'x' } },
          { name: 'beta-nobody', user: nobodyDoc.users[0].user },
          { name: 'alpha-expired', user: { token: 'expired-token' } },
        ],
        contexts: ['down', 'beta-nobody', 'alpha-expired'].map((name) => ({
          name,
          context: { cluster: name, user: name, namespace: NS },
        })),
      };
      kubeconfig = mergeKubeconfigs(
        join(dir, 'kubeconfig'),
        { alpha: alpha.kubeconfigPath, beta: beta.kubeconfigPath },
        'beta',
        extra,
      );
      alphaOnly = mergeKubeconfigs(join(dir, 'alpha'), { alpha: alpha.kubeconfigPath }, 'alpha');
      // The controllers have seen the CronJobs (a suspended one gets no status; wait for the objects to be listed).
      await waitFor(
        async () => (await alpha.client.request('GET', `/apis/batch/v1/namespaces/${NS}/cronjobs`)).items.length === 2,
        { what: 'alpha CronJobs' },
      );
      now = new Date(Date.now() + 5000).toISOString().replace(/\.\d+Z$/, 'Z');
    },
    { timeout: START_TIMEOUT_MS },
  );

  after(async () => {
    await Promise.all([alpha?.stop(), beta?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('two contexts: one table with CONTEXT first; exit 1 (alpha has a suspended CronJob)', {
    timeout: T,
  }, async () => {
    const r = await why('--all', '--context', 'alpha', '--context', 'beta', '--now', now);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^CONTEXT\s+NAMESPACE\s+NAME\s+VERDICT\s+CAUSE\s+LAST SCHEDULE\s+NEXT$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s{3,}/).slice(0, 5)),
      [
        ['alpha', NS, 'nightly', 'not-firing', 'Suspended'],
        ['alpha', NS, 'yearly', 'healthy', 'NotDueYet'],
        ['beta', NS, 'report', 'healthy', 'NotDueYet'],
        ['beta', NS, 'yearly', 'healthy', 'NotDueYet'],
      ],
    );
  });

  test('an unreachable and a forbidden context are rows of their own; the others are audited; exit is the worst (5)', {
    timeout: T,
  }, async () => {
    const r = await why(
      '--all',
      '--context',
      'alpha',
      '--context',
      'down',
      '--context',
      'beta',
      '--context',
      'beta-nobody',
      '--now',
      now,
    );
    assert.equal(r.code, 5, r.stderr);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{3,}/));
    assert.deepEqual(
      rows.map((x) => `${x[0]} ${x[2]} ${x[3]}`),
      [
        'alpha nightly not-firing',
        'alpha yearly healthy',
        'down - error',
        'beta report healthy',
        'beta yearly healthy',
        'beta-nobody - error',
      ],
    );
    assert.match(rows[2]![4]!, /^cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
    assert.match(
      rows[5]![4]!,
      new RegExp(
        `^forbidden: you cannot list cronjobs in namespace "${NS}": .*User "nobody" cannot list resource "cronjobs"`,
      ),
    );
    assert.match(r.stderr, /^Warning: context "down" was not audited: cannot reach/m);
    assert.match(r.stderr, /^Warning: context "beta-nobody" was not audited: forbidden/m);
    // Without the forbidden one, the unreachable cluster (3) outranks alpha's problem (1).
    assert.equal((await why('--all', '--context', 'alpha', '--context', 'down', '--now', now)).code, 3);
  });

  test('-o json: each verdict carries its context; the unreachable one is a ContextError item', {
    timeout: T,
  }, async () => {
    const r = await why(
      '--all',
      '--context',
      'alpha',
      '--context',
      'beta',
      '--context',
      'down',
      '--now',
      now,
      '-o',
      'json',
    );
    assert.equal(r.code, 3, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.items.map((i: any) => [i.context, i.kind, i.name ?? null, i.verdict]),
      [
        ['alpha', 'CronJob', 'nightly', 'not-firing'],
        ['alpha', 'CronJob', 'yearly', 'healthy'],
        ['beta', 'CronJob', 'report', 'healthy'],
        ['beta', 'CronJob', 'yearly', 'healthy'],
        ['down', 'ContextError', null, 'error'],
      ],
    );
    assert.equal(doc.items[4].reason, 'Unreachable');
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.context, c.exitCode]),
      [
        ['alpha', 1],
        ['beta', 0],
        ['down', 3],
      ],
    );
  });

  test('--all-contexts audits every context of the kubeconfig; rejected credentials are a row too', {
    timeout: T,
  }, async () => {
    const r = await why('--all-contexts', '--now', now, '-o', 'json');
    assert.equal(r.code, 5);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.context, c.exitCode, c.error?.reason ?? c.cronJobs]),
      [
        ['alpha', 1, 2],
        ['alpha-expired', 5, 'Unauthorized'],
        ['beta', 0, 2],
        ['beta-nobody', 5, 'Forbidden'],
        ['down', 3, 'Unreachable'],
      ],
    );
    assert.match(
      doc.items.find((i: any) => i.context === 'alpha-expired').message,
      /^unauthorized: the server at https:\/\/127\.0\.0\.1:\d+ rejected the credentials of context "alpha-expired"/,
    );
  });

  test('-l filters on the server by CronJob labels, in every context; the exit code follows what is selected', {
    timeout: T,
  }, async () => {
    const data = await why('-l', 'team=data', '--context', 'alpha', '--context', 'beta', '--now', now, '-o', 'json');
    assert.equal(data.code, 1, data.stderr);
    assert.deepEqual(
      JSON.parse(data.stdout).items.map((i: any) => `${i.context}/${i.name}`),
      ['alpha/nightly', 'beta/report'],
    );
    const web = await why('--all', '-l', 'team in (web)', '--context', 'alpha', '--context', 'beta', '--now', now);
    assert.equal(web.code, 0, web.stderr);
    assert.deepEqual(
      web.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) =>
          l
            .split(/\s{3,}/)
            .slice(0, 3)
            .join(' '),
        ),
      [`alpha ${NS} yearly`, `beta ${NS} yearly`],
    );
    const none = await why('-l', 'team=nobody', '--context', 'alpha', '--context', 'beta', '--now', now);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.match(
      none.stderr,
      new RegExp(`^No CronJobs found in context "alpha", namespace ${NS} matching -l team=nobody\\.$`, 'm'),
    );
  });

  test('misses -l: every selected CronJob of one cluster', { timeout: T }, async () => {
    const r = await run([
      'misses',
      '-l',
      'team=web',
      '--context',
      'alpha',
      '--kubeconfig',
      kubeconfig,
      '--now',
      now,
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).items.map((m: any) => `${m.namespace}/${m.name}`),
      [`${NS}/yearly`],
    );
    const all = await run([
      'misses',
      '--all',
      '--context',
      'alpha',
      '--kubeconfig',
      kubeconfig,
      '--now',
      now,
      '-o',
      'json',
    ]);
    assert.deepEqual(
      JSON.parse(all.stdout).items.map((m: any) => m.name),
      ['nightly', 'yearly'],
    );
  });

  test('one --context prints exactly what that context prints as the current one (no CONTEXT column)', {
    timeout: T,
  }, async () => {
    for (const format of [[], ['-o', 'json'], ['-o', 'name']]) {
      const one = await why('--all', '--context', 'alpha', '--now', now, ...format);
      const current = await run(['why', '--all', '--kubeconfig', alphaOnly, '--now', now, ...format]);
      assert.equal(one.code, 1, one.stderr);
      assert.deepEqual(one, current, format.join(' '));
    }
  });
});
