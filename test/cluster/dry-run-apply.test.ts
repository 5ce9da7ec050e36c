// dryRunApply (`why -f --validate=server`) over HTTP against a local test server: the request is a
// forced server-side apply with dryRun=All (so an existing Job keeps its generated selector and
// template labels, as `kubectl apply` keeps them), a manifest with only generateName is a dry-run
// create, and the server's field errors come back one per cause.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { applyConfiguration, APPLY_PATCH, dryRunApply } from '../../src/cluster/dry-run-apply.js';
import { closeConnection } from '../../src/cluster/http.js';
import { resolveConnection, type Connection } from '../../src/cluster/kubeconfig.js';
import type { Job } from '../../src/api/types.js';
import { startFakeApi, type FakeApi, type Route } from '../cli/fake-api.js';

const open: Array<{ api: FakeApi; conn: Connection }> = [];
after(async () => {
  for (const o of open) {
    await closeConnection(o.conn);
    await o.api.close();
  }
});
async function serve(route: Route) {
  const api = await startFakeApi(route);
  const conn = resolveConnection({ kubeconfig: api.kubeconfig });
  open.push({ api, conn });
  return { api, conn };
}

// A manifest as `kubectl get job -o yaml` writes it: server-owned metadata, a status, an old apiVersion spelling.
const manifest = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name: 'report',
    namespace: 'ignored',
    labels: { app: 'r' },
    resourceVersion: '7',
    uid: 'u-1',
    creationTimestamp: '2026-11-20T10:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    generation: 1,
  },
  spec: {
    backoffLimit: 2,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
  },
  status: { failed: 1 },
} as unknown as Job;

describe('dryRunApply', () => {
  it("an existing Job: a forced server-side apply with dryRun=All, not a PUT of the manifest's spec (which drops the generated selector)", async () => {
    const { api, conn } = await serve(() => ({ body: {} }));
    const live = {
      ...manifest,
      spec: { ...manifest.spec, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } } },
    } as Job;
    assert.deepEqual(await dryRunApply(conn, 'Job', 'prod', manifest, live), []);
    const [r] = api.requests;
    assert.equal(r!.method, 'PATCH');
    assert.equal(r!.path, '/apis/batch/v1/namespaces/prod/jobs/report');
    assert.equal(r!.contentType, APPLY_PATCH);
    assert.deepEqual(r!.query, { dryRun: 'All', fieldManager: 'kubectl-job', force: 'true' });
    assert.deepEqual(r!.body, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'report', namespace: 'prod', labels: { app: 'r' } },
      spec: manifest.spec,
    });
    assert.equal(r!.body.spec.selector, undefined, 'the live selector is left to the server (an apply keeps it)');
  });

  it('a new object is the same apply (it creates); generateName only: a dry-run create', async () => {
    const { api, conn } = await serve(() => ({ status: 201, body: {} }));
    await dryRunApply(conn, 'Job', 'prod', manifest);
    const gen = { ...manifest, metadata: { generateName: 'report-' } } as Job;
    await dryRunApply(conn, 'Job', 'prod', gen);
    assert.deepEqual(
      api.requests.map((r) => [r.method, r.path]),
      [
        ['PATCH', '/apis/batch/v1/namespaces/prod/jobs/report'],
        ['POST', '/apis/batch/v1/namespaces/prod/jobs'],
      ],
    );
    assert.deepEqual(api.requests[1]!.query, { dryRun: 'All', fieldManager: 'kubectl-job' });
    assert.deepEqual(api.requests[1]!.body.metadata, { generateName: 'report-', namespace: 'prod' });
  });

  it('422 Invalid: one field error per cause; without causes, the message', async () => {
    let causes: unknown[] = [
      { field: 'spec.template', message: 'field is immutable', reason: 'FieldValueInvalid' },
      { field: 'spec.timeZone', message: 'unknown time zone Mars/Olympus' },
    ];
    const { conn } = await serve(() => ({
      status: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message: 'Job "report" is invalid',
        details: { causes },
      },
    }));
    assert.deepEqual(await dryRunApply(conn, 'Job', 'prod', manifest), [
      { field: 'spec.template', message: 'field is immutable' },
      { field: 'spec.timeZone', message: 'unknown time zone Mars/Olympus' },
    ]);
    causes = [];
    const [only] = await dryRunApply(conn, 'Job', 'prod', manifest);
    assert.equal(only!.field, '');
    assert.match(only!.message, /Job "report" is invalid/);
  });

  it('other failures are thrown (Forbidden)', async () => {
    const { conn } = await serve(() => ({
      status: 403,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 403, reason: 'Forbidden', message: 'no' },
    }));
    await assert.rejects(
      dryRunApply(conn, 'Job', 'prod', manifest),
      (e: unknown) => (e as { kind?: string }).kind === 'Forbidden',
    );
  });

  it('applyConfiguration: batch/v1 whatever the manifest spelled, no status', () => {
    const c = applyConfiguration('CronJob', 'ns', {
      ...manifest,
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
    } as never);
    assert.equal(c.apiVersion, 'batch/v1');
    assert.equal('status' in c, false);
  });
});
