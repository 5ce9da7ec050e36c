// waitForJobEnd over HTTP (a local test server stands in for the API server's watch protocol):
// list then watch from the list's resourceVersion, resume a watch that ends from the last version
// seen, re-list on 410 Gone (an ERROR event or an HTTP 410), stop on DELETED, give up with one
// line when the server stays unreachable, and the time limit.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeConnection } from '../../src/cluster/http.js';
import { resolveConnection, type Connection } from '../../src/cluster/kubeconfig.js';
import { waitForJobEnd } from '../../src/cluster/wait-job.js';
import type { Job } from '../../src/api/types.js';
import { ClusterError } from '../../src/errors.js';
import { startFakeApi, status, type FakeApi, type Route } from '../cli/fake-api.js';

const jobAt = (rv: string, state: 'running' | 'complete' | 'failed'): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'x', namespace: 'prod', resourceVersion: rv },
  spec: { template: { spec: { containers: [] } } },
  status:
    state === 'running'
      ? { active: 1 }
      : { conditions: [{ type: state === 'complete' ? 'Complete' : 'Failed', status: 'True' }] },
});
const finished = (j: Job) =>
  (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const line = (type: string, object: unknown) => JSON.stringify({ type, object });

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
  const lists = () =>
    api.requests.filter((r) => r.path === '/apis/batch/v1/namespaces/prod/jobs' && r.query.watch !== 'true');
  const watches = () => api.requests.filter((r) => r.query.watch === 'true');
  return { api, conn, lists, watches };
}
const isList = (r: { path: string; query: Record<string, string> }) =>
  r.path === '/apis/batch/v1/namespaces/prod/jobs' && r.query.watch !== 'true';

describe('waitForJobEnd', () => {
  it("lists by field selector, watches from the list's version, resumes an ended watch from the last version seen", async () => {
    const s = await serve((r) => {
      if (isList(r)) return { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true' && r.query.resourceVersion === '5')
        return {
          text: [line('MODIFIED', jobAt('6', 'running')), line('BOOKMARK', { metadata: { resourceVersion: '8' } })],
        };
      if (r.query.watch === 'true' && r.query.resourceVersion === '8')
        return { text: [line('MODIFIED', jobAt('9', 'complete'))] };
      return undefined;
    });
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 10_000, done: finished });
    assert.equal(r.timedOut, false);
    assert.equal(r.job.metadata.resourceVersion, '9');
    assert.equal(s.lists().length, 1);
    assert.equal(s.lists()[0]!.query.fieldSelector, 'metadata.name=x');
    assert.deepEqual(
      s.watches().map((w) => [w.query.resourceVersion, w.query.fieldSelector, w.query.allowWatchBookmarks]),
      [
        ['5', 'metadata.name=x', 'true'],
        ['8', 'metadata.name=x', 'true'],
      ],
    );
  });

  it('an ERROR event with code 410 re-lists and watches from the new version', async () => {
    let listed = 0;
    const s = await serve((r) => {
      if (isList(r))
        return { body: { metadata: { resourceVersion: listed++ === 0 ? '5' : '20' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true' && r.query.resourceVersion === '5')
        return {
          text: [
            line('ERROR', {
              kind: 'Status',
              code: 410,
              reason: 'Expired',
              message: 'too old resource version: 5 (15)',
            }),
          ],
        };
      if (r.query.watch === 'true' && r.query.resourceVersion === '20')
        return { text: [line('MODIFIED', jobAt('21', 'failed'))] };
      return undefined;
    });
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 10_000, done: finished });
    assert.equal(r.job.metadata.resourceVersion, '21');
    assert.equal(s.lists().length, 2);
    assert.deepEqual(
      s.watches().map((w) => w.query.resourceVersion),
      ['5', '20'],
    );
  });

  it('an HTTP 410 on the watch request re-lists too', async () => {
    let listed = 0;
    const s = await serve((r) => {
      if (isList(r))
        return {
          body: {
            metadata: { resourceVersion: listed++ === 0 ? '5' : '30' },
            items: [jobAt('4', listed > 1 ? 'complete' : 'running')],
          },
        };
      if (r.query.watch === 'true') return status(410, 'Expired', 'too old resource version');
      return undefined;
    });
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 10_000, done: finished });
    assert.equal(r.timedOut, false);
    assert.equal(s.lists().length, 2);
  });

  it('a Job deleted while waiting: NotFound (exit 4), saying so', async () => {
    const s = await serve((r) => {
      if (isList(r)) return { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true') return { text: [line('DELETED', jobAt('6', 'running'))] };
      return undefined;
    });
    await assert.rejects(
      waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 10_000, done: finished }),
      (e: unknown) => e instanceof ClusterError && e.exitCode === 4 && /was deleted while waiting/.test(e.message),
    );
  });

  it('a Job that does not exist: NotFound at once, no watch', async () => {
    const s = await serve((r) => (isList(r) ? { body: { metadata: { resourceVersion: '5' }, items: [] } } : undefined));
    await assert.rejects(
      waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 10_000, done: finished }),
      (e: unknown) =>
        e instanceof ClusterError && e.kind === 'NotFound' && /job "x" not found in namespace "prod"/.test(e.message),
    );
    assert.equal(s.watches().length, 0);
  });

  it('the time limit: resolves with timedOut while the watch is still open', async () => {
    const s = await serve((r) => {
      if (isList(r)) return { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true') return new Promise((res) => setTimeout(() => res({ text: [] }), 5000));
      return undefined;
    });
    const t0 = Date.now();
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 400, done: finished });
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - t0 < 3000, 'does not wait for the watch to end');
  });

  it('timeout 0 looks once: no watch', async () => {
    const s = await serve((r) =>
      isList(r) ? { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } } : undefined,
    );
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 0, done: finished });
    assert.equal(r.timedOut, true);
    assert.equal(s.watches().length, 0);
  });

  it('the server goes away for good: one ClusterError (exit 3, one line) after maxOutageMs, resumed in between', async () => {
    const s = await serve((r) => {
      if (isList(r)) return { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true') return { text: [] };
      return undefined;
    });
    const resumes: string[] = [];
    const p = waitForJobEnd(s.conn, 'prod', 'x', {
      timeoutMs: 20_000,
      maxOutageMs: 1500,
      done: finished,
      onResume: (w) => resumes.push(w),
    });
    // Let the first watch end, then take the server down.
    await new Promise((r) => setTimeout(r, 300));
    await s.api.close();
    await assert.rejects(
      p,
      (e: unknown) =>
        e instanceof ClusterError &&
        e.exitCode === 3 &&
        !e.message.includes('\n') &&
        /^lost the API server for \d+s while waiting for job\/x in namespace "prod": /.test(e.message),
    );
    assert.ok(resumes.includes('dropped'), `resumed while the server was gone (${resumes.join(',')})`);
  });

  it('a short outage is survived: the watch resumes from the last version when the server is back', async () => {
    let down = true;
    setTimeout(() => (down = false), 1200);
    let watchCount = 0;
    const s = await serve((r) => {
      if (isList(r)) return { body: { metadata: { resourceVersion: '5' }, items: [jobAt('4', 'running')] } };
      if (r.query.watch === 'true') {
        watchCount++;
        if (down) return status(503, 'ServiceUnavailable', 'apiserver is shutting down');
        return { text: [line('MODIFIED', jobAt('7', 'complete'))] };
      }
      return undefined;
    });
    const r = await waitForJobEnd(s.conn, 'prod', 'x', { timeoutMs: 20_000, maxOutageMs: 10_000, done: finished });
    assert.equal(r.job.metadata.resourceVersion, '7');
    assert.ok(watchCount >= 2);
    assert.ok(
      s.watches().every((w) => w.query.resourceVersion === '5'),
      'every resume starts from the last version seen',
    );
  });
});
