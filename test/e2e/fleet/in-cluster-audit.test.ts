// e2e: the audit runs inside the cluster (deploy/), from the image `npm run image` builds, on the
// real node: a broken CronJob makes the audit Job fail with that CronJob in its log; once it is
// repaired, the next audit Job succeeds. Then the ClusterRole is checked to be exactly what the
// audit reads: each rule removed loses an answer, and the full role forbids nothing.
//
// How the pod reaches the API server. A pod finds it through the `kubernetes` Service: the kubelet
// sets KUBERNETES_SERVICE_HOST/PORT to its ClusterIP (10.0.0.1:443 here), and in a real cluster
// kube-proxy (or a CNI that replaces it) forwards that address to the API server. The harness runs
// no kube-proxy, and its API server listens on 127.0.0.1 only. So this test plays kube-proxy's part
// for that one Service, as kube-proxy's old userspace mode did: it puts the ClusterIP on the node's
// own link (kjob-node0, removed when the node stops) and forwards TCP connections to it, byte for
// byte, to the real API server. TLS is end to end (the serving certificate names 10.0.0.1) and the
// pod authenticates with its own projected service account token; nothing answers in the API
// server's place. The deploy/ manifests are applied as they are but for the schedule (every minute).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { cli, hasCondition, scriptedCronJob } from '../actions/support.js';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  NODE_DIR,
  useControlPlane,
  waitFor,
  type ControlPlane,
} from '../harness/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const AUDIT_NS = 'kubectl-job-audit';
const NODE_LINK = 'kjob-node0';
const work = mkdtempSync(join(tmpdir(), 'kubectl-job-audit-e2e-'));

/** deploy/*.yaml as objects, the CronJob's schedule replaced. */
function deployObjects(schedule: string): any[] {
  const docs = readdirSync(join(ROOT, 'deploy'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(ROOT, 'deploy', f), 'utf8')).map((d) => d.toJSON()))
    .filter(Boolean);
  for (const d of docs) if (d.kind === 'CronJob') d.spec.schedule = schedule;
  return docs;
}

/** A copy of deploy/ with the CronJob's schedule replaced (a text edit of that one line), for `kubectl apply -f DIR`. */
function deployDir(schedule: string): string {
  const dir = join(work, 'deploy');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(join(ROOT, 'deploy'))) {
    const text = readFileSync(join(ROOT, 'deploy', f), 'utf8');
    const edited = text.replace(/^( {2}schedule: ).*$/m, `$1"${schedule}"`);
    if (text.includes('kind: CronJob')) assert.notEqual(edited, text, `${f}: the schedule line was found`);
    writeFileSync(join(dir, f), edited);
  }
  return dir;
}

/** Builds the executable (unless KUBECTL_JOB_EXE names one) and the image; returns the archive and its manifest digest. */
function buildImage(): { archive: string; digest: string; ref: string } {
  let exe = process.env.KUBECTL_JOB_EXE;
  if (!exe) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), '--no-manifest'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    exe = join(ROOT, 'dist/exe/linux_amd64/kubectl-job');
  }
  const archive = join(work, 'image.tar');
  const digest = execFileSync(process.execPath, [join(ROOT, 'scripts/image.mjs'), '--exe', exe, '--out', archive], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return { archive, digest, ref: `kubectl-job.local/kubectl-job:${VERSION}` };
}

/** Forwards connections to `ip:port` (added to the node's link) to the API server: the `kubernetes` Service, as kube-proxy would. */
async function serviceProxy(ip: string, port: number, apiserver: URL): Promise<() => Promise<void>> {
  execFileSync('ip', ['addr', 'add', `${ip}/32`, 'dev', NODE_LINK]);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(apiserver.port), apiserver.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, ip, resolve));
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    try {
      execFileSync('ip', ['addr', 'del', `${ip}/32`, 'dev', NODE_LINK], { stdio: 'ignore' });
    } catch {
      // the node's link is gone already
    }
  };
}

/** The audit CronJob's Jobs, oldest first. */
async function auditJobs(cp: ControlPlane): Promise<any[]> {
  const jobs = (await cp.client.request('GET', `/apis/batch/v1/namespaces/${AUDIT_NS}/jobs`)).items as any[];
  return jobs.sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp));
}

/** The audit's log (its JSON verdicts) of a Job's pod. */
async function auditLog(cp: ControlPlane, job: string): Promise<any> {
  const r = await kubectl(['logs', `job/${job}`, '-n', AUDIT_NS], { kubeconfig: cp.kubeconfigPath, check: false });
  assert.equal(r.code, 0, r.stderr);
  try {
    return JSON.parse(r.stdout);
  } catch {
    assert.fail(`the audit log is not the JSON verdicts:\n${r.stdout}`);
  }
}

const verdictsOf = (out: any): any[] => (out.kind === 'VerdictList' ? out.items : [out]);

describe('the audit in-cluster (deploy/, the image, the real node)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane({ serviceAccounts: true });
  let image: { archive: string; digest: string; ref: string };
  let stopProxy: (() => Promise<void>) | undefined;
  const fixtureNs = 'audit-fixture';

  before(
    async () => {
      const cp = controlPlane();
      if (!cp.node) throw new Error('this test needs the real node (the control plane was started without one)');
      const t0 = Date.now();
      image = buildImage();
      const t1 = Date.now();
      const sock = join(NODE_DIR, 'containerd.sock');
      execFileSync('ctr', ['-a', sock, '-n', 'k8s.io', 'images', 'import', image.archive], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const listed = execFileSync('ctr', ['-a', sock, '-n', 'k8s.io', 'images', 'ls'], { encoding: 'utf8' });
      const line = listed.split('\n').find((l) => l.startsWith(`${image.ref} `));
      assert.ok(line, `the node has ${image.ref} after the import:\n${listed}`);
      assert.ok(line.includes(image.digest), `the node's image is the one built (${image.digest}):\n${line}`);
      process.stderr.write(
        `image built in ${t1 - t0} ms, imported in ${Date.now() - t1} ms: ${image.ref} ${image.digest}\n`,
      );
      const svc = await cp.client.request('GET', '/api/v1/namespaces/default/services/kubernetes');
      stopProxy = await serviceProxy(svc.spec.clusterIP, svc.spec.ports[0].port, new URL(cp.server));
    },
    { timeout: 20 * 60_000 },
  );

  after(async () => {
    await stopProxy?.();
    rmSync(work, { recursive: true, force: true });
  });

  test('a broken CronJob fails the audit Job, its log names it; repaired, the next audit succeeds', {
    timeout: 8 * 60_000,
  }, async () => {
    const cp = controlPlane();
    await cp.client.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: fixtureNs },
    });
    // Broken: suspended, so its every-minute times pass without a run.
    await applyYaml(
      cp.kubeconfigPath,
      [scriptedCronJob('every-minute', [{ exit: 0, log: 'ran' }], { schedule: '*/1 * * * *', suspend: true })],
      fixtureNs,
    );
    const host = await cli(cp, ['why', 'cronjob/every-minute', '-n', fixtureNs, '-o', 'json']);
    assert.equal(JSON.parse(host.stdout).verdict, 'not-firing', host.stdout);

    // As the README says: kubectl apply -f deploy/ (a copy, with the schedule every minute).
    await kubectl(['apply', '-f', deployDir('*/1 * * * *')], { kubeconfig: cp.kubeconfigPath });
    const failed = await waitFor(
      async () => (await auditJobs(cp)).find((j) => hasCondition(j, 'Failed') || hasCondition(j, 'Complete')),
      { timeoutMs: 4 * 60_000, intervalMs: 2000, what: 'the first audit Job to finish' },
    );
    assert.ok(hasCondition(failed, 'Failed'), `the audit Job failed: ${JSON.stringify(failed.status)}`);
    const failedCond = failed.status.conditions.find((c: any) => c.type === 'Failed');
    assert.equal(failedCond.reason, 'BackoffLimitExceeded', 'one failed pod with backoffLimit 0');
    const pods = (
      await cp.client.request('GET', `/api/v1/namespaces/${AUDIT_NS}/pods`, undefined, {
        query: { labelSelector: `job-name=${failed.metadata.name}` },
      })
    ).items;
    assert.equal(pods.length, 1);
    assert.equal(pods[0].status.containerStatuses[0].state.terminated.exitCode, 1, 'exit 1: a problem was found');
    assert.equal(pods[0].spec.serviceAccountName, 'kubectl-job-audit');
    assert.ok(
      pods[0].spec.volumes.some((v: any) => v.projected?.sources?.some((s: any) => s.serviceAccountToken)),
      'the token is the projected service account token',
    );
    const out = await auditLog(cp, failed.metadata.name);
    const broken = verdictsOf(out).find((v) => v.namespace === fixtureNs && v.name === 'every-minute');
    assert.ok(broken, `the log names the broken CronJob: ${JSON.stringify(out).slice(0, 500)}`);
    assert.equal(broken.verdict, 'not-firing');
    assert.equal(broken.causes[0].code, 'Suspended');
    assert.equal(broken.unreadable, undefined, 'the role lets the audit read everything it reads');
    assert.ok(!verdictsOf(out).some((v) => v.namespace === AUDIT_NS), 'the audit leaves out its own CronJob');

    // Repair: resume it. The controller starts the missed run at once; the next audit is healthy.
    const repairedAt = Date.now();
    await kubectl(
      ['patch', 'cronjob/every-minute', '-n', fixtureNs, '--type=merge', '-p', '{"spec":{"suspend":false}}'],
      { kubeconfig: cp.kubeconfigPath },
    );
    const ok = await waitFor(
      async () =>
        (await auditJobs(cp)).find(
          (j) =>
            Date.parse(j.metadata.creationTimestamp) > repairedAt &&
            (hasCondition(j, 'Failed') || hasCondition(j, 'Complete')),
        ),
      { timeoutMs: 4 * 60_000, intervalMs: 2000, what: 'an audit Job created after the repair to finish' },
    );
    const okOut = await auditLog(cp, ok.metadata.name);
    assert.ok(
      hasCondition(ok, 'Complete'),
      `the audit after the repair succeeded: ${JSON.stringify(okOut).slice(0, 1500)}`,
    );
    const repaired = verdictsOf(okOut).find((v) => v.namespace === fixtureNs && v.name === 'every-minute');
    assert.equal(repaired.verdict, 'healthy');
    assert.ok(
      hasCondition(
        (await auditJobs(cp)).find((j) => j.metadata.name === failed.metadata.name),
        'Failed',
      ),
      'the failed audit Job is kept (failedJobsHistoryLimit) for alerting',
    );
  });

  test('the ClusterRole is exactly what the audit reads: each rule removed loses an answer, the full role forbids nothing', {
    timeout: 6 * 60_000,
  }, async () => {
    const cp = controlPlane();
    // No audit runs meanwhile: the role is changed under it. The every-minute CronJob goes, so
    // that the answers compared below do not change between two runs.
    await kubectl(
      ['patch', 'cronjob/kubectl-job-audit', '-n', AUDIT_NS, '--type=merge', '-p', '{"spec":{"suspend":true}}'],
      { kubeconfig: cp.kubeconfigPath },
    );
    await kubectl(['delete', 'cronjob/every-minute', '-n', fixtureNs, '--ignore-not-found'], {
      kubeconfig: cp.kubeconfigPath,
    });
    // A run that failed: without the Jobs the verdict is another.
    await applyYaml(
      cp.kubeconfigPath,
      [scriptedCronJob('flaky', [{ exit: 3, log: 'broke' }], { schedule: '0 0 1 1 *' })],
      fixtureNs,
    );
    await kubectl(['create', 'job', '--from=cronjob/flaky', 'flaky-manual', '-n', fixtureNs], {
      kubeconfig: cp.kubeconfigPath,
    });
    await waitFor(
      async () =>
        hasCondition(
          await cp.client.request('GET', `/apis/batch/v1/namespaces/${fixtureNs}/jobs/flaky-manual`),
          'Failed',
        ),
      { timeoutMs: 120_000, what: 'flaky-manual Failed' },
    );

    // The service account's own token, used from this host against the same API server.
    const token = (
      await kubectl(['create', 'token', 'kubectl-job-audit', '-n', AUDIT_NS, '--duration', '1h'], {
        kubeconfig: cp.kubeconfigPath,
      })
    ).stdout.trim();
    const admin = parseAllDocuments(readFileSync(cp.kubeconfigPath, 'utf8'))[0]!.toJSON();
    const saKubeconfig = join(work, 'sa.kubeconfig');
    writeFileSync(
      saKubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'sa',
        clusters: [{ name: 'e2e', cluster: admin.clusters[0].cluster }],
        users: [{ name: 'sa', user: { token } }],
        contexts: [{ name: 'sa', context: { cluster: 'e2e', user: 'sa' } }],
      }),
      { mode: 0o600 },
    );
    const args = ['why', '--all', '-A', '-o', 'json', '--exclude', `${AUDIT_NS}/kubectl-job-audit`];
    const summary = (stdout: string) =>
      verdictsOf(JSON.parse(stdout)).map(
        (v) => `${v.namespace}/${v.name} ${v.verdict} ${v.causes.map((c: any) => c.code).join(',')}`,
      );

    const role = deployObjects('*/1 * * * *').find((d) => d.kind === 'ClusterRole');
    const rules = role.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    assert.deepEqual(
      rules.map((r) => r.verbs),
      [['list'], ['list'], ['list']],
      'one verb per rule: list',
    );
    const canI = async (verb: string, resource: string) =>
      (
        await kubectl(['auth', 'can-i', verb, resource, '-A'], { kubeconfig: saKubeconfig, check: false })
      ).stdout.trim() === 'yes';
    const setRules = async (kept: typeof rules, removed?: (typeof rules)[number]) => {
      await applyYaml(cp.kubeconfigPath, { ...role, rules: kept });
      // The authorizer sees the change through its informer: wait until the removed read is refused and the kept ones allowed.
      await waitFor(
        async () =>
          (!removed ||
            !(await canI(
              'list',
              `${removed.resources[0]}${removed.apiGroups[0] ? `.${removed.apiGroups[0]}` : ''}`,
            ))) &&
          (
            await Promise.all(
              kept.map((r) => canI('list', `${r.resources[0]}${r.apiGroups[0] ? `.${r.apiGroups[0]}` : ''}`)),
            )
          ).every(Boolean),
        { timeoutMs: 30_000, what: 'the role change to take effect' },
      );
    };

    try {
      // The full role: the same answer as the cluster admin's, nothing forbidden.
      await setRules(rules);
      const asAdmin = await cli(cp, args);
      const full = await cli(cp, args, { kubeconfig: saKubeconfig });
      assert.equal(full.code, asAdmin.code, full.stderr);
      assert.equal(full.stderr, '', 'no warning: no read was forbidden');
      assert.ok(verdictsOf(JSON.parse(full.stdout)).every((v) => v.unreadable === undefined));
      assert.deepEqual(summary(full.stdout), summary(asAdmin.stdout));
      assert.ok(
        summary(full.stdout).some((s) => s.startsWith(`${fixtureNs}/flaky failing LastRunsFailed`)),
        summary(full.stdout).join('\n'),
      );
      for (const [verb, resource] of [
        ['get', 'pods'],
        ['list', 'pods'],
        ['watch', 'jobs.batch'],
        ['get', 'secrets'],
        ['create', 'jobs.batch'],
      ]) {
        assert.equal(await canI(verb!, resource!), false, `the role does not allow ${verb} ${resource}`);
      }

      for (const removed of rules) {
        const what = `${removed.verbs[0]} ${removed.resources[0]}`;
        await setRules(
          rules.filter((r) => r !== removed),
          removed,
        );
        const r = await cli(cp, args, { kubeconfig: saKubeconfig });
        if (removed.resources[0] === 'cronjobs') {
          // Nothing to audit without the CronJobs: the whole answer is lost.
          assert.equal(r.code, 5, `without ${what}: ${r.stderr}`);
          assert.match(r.stderr, /forbidden/i);
          continue;
        }
        assert.ok(r.code === 0 || r.code === 1, `without ${what}: an answer, exit ${r.code}: ${r.stderr}`);
        const verdicts = verdictsOf(JSON.parse(r.stdout));
        assert.deepEqual(
          verdicts[0].unreadable,
          [{ verb: 'list', resource: removed.resources[0] }],
          `without ${what} the answer names the read it lacks`,
        );
        assert.match(r.stderr, new RegExp(`Warning: answered without list ${removed.resources[0]}`));
        if (removed.resources[0] === 'jobs') {
          assert.notDeepEqual(
            summary(r.stdout),
            summary(full.stdout),
            'without the Jobs a verdict changes (the failed run is not seen)',
          );
        }
      }
    } finally {
      await applyYaml(cp.kubeconfigPath, role);
    }
  });
});
