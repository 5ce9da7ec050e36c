// Executing plans without a cluster: the deletion pool (bounded, retrying, interruptible, safe on
// conflicts), the retry policy, and the exact requests sent for create / patch / delete / logs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJob, patchSuspend, requireAccess } from '../../src/cluster/actions.js';
import { deleteJobs, httpDeleteOne, type DeleteOne } from '../../src/cluster/delete-jobs.js';
import { resolveConnection } from '../../src/cluster/kubeconfig.js';
import { streamLog } from '../../src/cluster/logs.js';
import { isRetryable, retryDelayMs, withRetry } from '../../src/cluster/retry.js';
import type { CleanItem } from '../../src/controller/plans/clean.js';
import { ClusterError } from '../../src/errors.js';
import { startFakeApi, status } from '../cli/fake-api.js';

const item = (name: string): CleanItem => ({
  namespace: 'ns',
  name,
  uid: `uid-${name}`,
  resourceVersion: '5',
  outcome: 'succeeded',
  finishedAt: null,
  owner: null,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => item(`j${i}`));
const err = (kind: ConstructorParameters<typeof ClusterError>[0], status?: number) =>
  new ClusterError(kind, kind, undefined, status);
const noWait = { sleep: async () => {} };

describe('deleteJobs', () => {
  it('never has more than `concurrency` deletions in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const deleteOne: DeleteOne = async () => {
      max = Math.max(max, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
    };
    const { results: res } = await deleteJobs(undefined, items(100), { dryRun: 'none', concurrency: 8, deleteOne });
    assert.equal(max, 8);
    assert.ok(res.every((r) => r.status === 'deleted'));
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    const tries = new Map<string, number>();
    const deleteOne: DeleteOne = async (it) => {
      const n = (tries.get(it.name) ?? 0) + 1;
      tries.set(it.name, n);
      if (n === 1) throw err('TooManyRequests', 429);
      if (n === 2) throw err('ServerError', 503);
    };
    const progress: number[] = [];
    const { results: res } = await deleteJobs(undefined, items(3), {
      dryRun: 'none',
      deleteOne,
      retry: noWait,
      onProgress: (p) => progress.push(p.retries),
    });
    assert.deepEqual(
      res.map((r) => r.status),
      ['deleted', 'deleted', 'deleted'],
    );
    assert.equal(progress.at(-1), 6);
  });

  it('a precondition conflict is a safe skip; a 404 is "already gone"; after a retry a 404 means our delete went through', async () => {
    const deleteOne: DeleteOne = async (it, attempt) => {
      if (it.name === 'changed') throw err('Conflict', 409);
      if (it.name === 'gone') throw err('NotFound', 404);
      if (it.name === 'flaky' && attempt === 1) throw err('Timeout', 504);
      if (it.name === 'flaky') throw err('NotFound', 404);
    };
    const { results: res } = await deleteJobs(undefined, [item('changed'), item('gone'), item('flaky')], {
      dryRun: 'none',
      deleteOne,
      retry: noWait,
    });
    assert.deepEqual(
      res.map((r) => (r.status === 'skipped' ? `skipped:${r.reason}` : r.status)),
      ['skipped:changed', 'skipped:gone', 'deleted'],
    );
  });

  it('persistent server errors fail that Job only, after the retries', async () => {
    let calls = 0;
    const deleteOne: DeleteOne = async (it) => {
      if (it.name === 'j1') {
        calls++;
        throw err('ServerError', 500);
      }
    };
    const { results: res } = await deleteJobs(undefined, items(3), {
      dryRun: 'none',
      deleteOne,
      retry: { ...noWait, attempts: 4 },
    });
    assert.deepEqual(
      res.map((r) => r.status),
      ['deleted', 'failed', 'deleted'],
    );
    assert.equal(calls, 4);
  });

  it('a denial stops all further deletions (nothing else is attempted)', async () => {
    const deleteOne: DeleteOne = async () => {
      throw err('Forbidden', 403);
    };
    const { results: res } = await deleteJobs(undefined, items(50), { dryRun: 'none', concurrency: 4, deleteOne });
    assert.equal(res.filter((r) => r.status === 'failed').length, 4);
    assert.equal(res.filter((r) => r.status === 'not-attempted').length, 46);
  });

  it('an abort stops new deletions but lets those in flight finish', async () => {
    const abort = new AbortController();
    let started = 0;
    const deleteOne: DeleteOne = async () => {
      if (++started === 10) abort.abort();
      await new Promise((r) => setTimeout(r, 5));
    };
    const { results: res } = await deleteJobs(undefined, items(100), {
      dryRun: 'none',
      concurrency: 4,
      deleteOne,
      signal: abort.signal,
    });
    const deleted = res.filter((r) => r.status === 'deleted').length;
    assert.equal(deleted, started, 'every started deletion completed');
    assert.ok(deleted >= 10 && deleted <= 13, `deleted ${deleted}`);
    assert.equal(res.filter((r) => r.status === 'not-attempted').length, 100 - deleted);
  });

  it('--dry-run=client sends nothing', async () => {
    const { results: res } = await deleteJobs(undefined, items(3), {
      dryRun: 'client',
      deleteOne: async () => assert.fail('no request'),
    });
    assert.ok(res.every((r) => r.status === 'deleted'));
  });
});

describe('retry policy', () => {
  it('retries throttling, server errors, timeouts and reset connections; not denials, conflicts or bad requests', () => {
    assert.equal(isRetryable(err('TooManyRequests', 429)), true);
    assert.equal(isRetryable(err('ServerError', 503)), true);
    assert.equal(isRetryable(err('Timeout', 504)), true);
    assert.equal(isRetryable(new ClusterError('Unreachable', 'cannot reach the API server: ECONNRESET')), true);
    assert.equal(isRetryable(new ClusterError('Unreachable', 'TLS failure')), false);
    for (const k of ['Forbidden', 'Conflict', 'NotFound', 'Invalid'] as const)
      assert.equal(isRetryable(err(k)), false, k);
    assert.equal(isRetryable(err('ServerError', 400)), false);
  });
  it('honours Retry-After when the error carries it, else capped exponential backoff with jitter', () => {
    const e = Object.assign(err('TooManyRequests', 429), { retryAfterSeconds: 3 });
    assert.equal(retryDelayMs(e, 1), 3000);
    assert.equal(retryDelayMs(err('TooManyRequests'), 1, { random: () => 1 }), 250);
    assert.equal(retryDelayMs(err('TooManyRequests'), 3, { random: () => 0 }), 500);
    assert.equal(retryDelayMs(err('TooManyRequests'), 20, { random: () => 1 }), 8000);
  });
  it('gives up after `attempts` and throws the last error', async () => {
    let n = 0;
    await assert.rejects(
      withRetry(
        async () => {
          n++;
          throw err('ServerError', 502);
        },
        { attempts: 3, ...noWait },
      ),
      (e: unknown) => e instanceof ClusterError && e.status === 502,
    );
    assert.equal(n, 3);
  });
});

describe('requests sent to the API server', () => {
  it('DELETE carries Background propagation and uid + resourceVersion preconditions; a server dry run says dryRun in the body', async () => {
    const api = await startFakeApi(() => ({ body: { kind: 'Status', status: 'Success' } }));
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      await httpDeleteOne(conn, 'server')(item('a'), 1);
      const [r] = api.requests;
      assert.equal(r!.method, 'DELETE');
      assert.equal(r!.path, '/apis/batch/v1/namespaces/ns/jobs/a');
      // The API server ignores DELETE query parameters when a body is sent.
      assert.deepEqual(r!.query, {});
      assert.deepEqual(r!.body, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: 'Background',
        preconditions: { uid: 'uid-a', resourceVersion: '5' },
        dryRun: ['All'],
      });
    } finally {
      await api.close();
    }
  });

  it('a 429 with Retry-After is retried after exactly that long', async () => {
    let n = 0;
    const api = await startFakeApi(() =>
      ++n === 1 ? { ...status(429, 'TooManyRequests', 'slow down'), headers: { 'retry-after': '2' } } : { body: {} },
    );
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      const waits: number[] = [];
      const { results: res } = await deleteJobs(conn, [item('a')], {
        dryRun: 'none',
        retry: { sleep: async (ms) => void waits.push(ms) },
      });
      assert.equal(res[0]!.status, 'deleted');
      assert.deepEqual(waits, [2000]);
      assert.equal(api.requests.length, 2);
    } finally {
      await api.close();
    }
  });

  it('suspend PATCH is a merge patch with the resourceVersion; 409 becomes a clear "nothing was changed"', async () => {
    const api = await startFakeApi(() =>
      status(409, 'Conflict', 'Operation cannot be fulfilled on cronjobs.batch "c": the object has been modified'),
    );
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      await assert.rejects(
        patchSuspend(conn, 'ns', 'c', { metadata: { resourceVersion: '9' }, spec: { suspend: false } }, 'none'),
        (e: unknown) =>
          e instanceof ClusterError &&
          e.kind === 'Conflict' &&
          /changed since it was read \(resourceVersion 9\): nothing was changed/.test(e.message),
      );
      assert.equal(api.requests[0]!.contentType, 'application/merge-patch+json');
      assert.deepEqual(api.requests[0]!.body, { metadata: { resourceVersion: '9' }, spec: { suspend: false } });
    } finally {
      await api.close();
    }
  });

  it("create POSTs to the Job's namespace; server dry run adds dryRun=All", async () => {
    const api = await startFakeApi((r) => ({ status: 201, body: r.body }));
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'x', namespace: 'prod' },
        spec: { template: { spec: { containers: [] } } },
      };
      await createJob(conn, job, 'server');
      assert.equal(api.requests[0]!.path, '/apis/batch/v1/namespaces/prod/jobs');
      assert.equal(api.requests[0]!.query.dryRun, 'All');
    } finally {
      await api.close();
    }
  });

  it('requireAccess refuses before any write when the access review says no', async () => {
    const api = await startFakeApi((r) => ({
      status: 201,
      body: { status: { allowed: r.body.spec.resourceAttributes.namespace !== 'locked' } },
    }));
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      await requireAccess(conn, 'delete', 'batch', 'jobs', ['open']);
      await assert.rejects(
        requireAccess(conn, 'delete', 'batch', 'jobs', ['open', 'locked']),
        (e: unknown) =>
          e instanceof ClusterError &&
          e.kind === 'Forbidden' &&
          /cannot delete jobs in namespace "locked"/.test(e.message),
      );
    } finally {
      await api.close();
    }
  });

  it('log reads send only the parameters given (tailLines=0 included) and split lines', async () => {
    const api = await startFakeApi(() => ({ text: ['one', 'two'] }));
    try {
      const conn = resolveConnection({ kubeconfig: api.kubeconfig });
      const lines: string[] = [];
      await streamLog(conn, { namespace: 'ns', pod: 'p', container: 'main', previous: true, tailLines: 0 }, (l) =>
        lines.push(l),
      );
      assert.deepEqual(lines, ['one', 'two']);
      assert.equal(api.requests[0]!.path, '/api/v1/namespaces/ns/pods/p/log');
      assert.deepEqual(api.requests[0]!.query, { container: 'main', previous: 'true', tailLines: '0' });
    } finally {
      await api.close();
    }
  });
});
