// e2e: `kubectl job clean` against a real apiserver with the Job controller and garbage collector.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deleteJobs } from '../../../src/cluster/delete-jobs.js';
import { closeConnection } from '../../../src/cluster/http.js';
import { resolveConnection } from '../../../src/cluster/kubeconfig.js';
import { LiveSource } from '../../../src/cluster/live.js';
import { planClean } from '../../../src/controller/plans/clean.js';
import { applyYaml, e2eSkipReason, MERGE_PATCH, useControlPlane, waitFor, withNamespace } from '../harness/index.js';
import {
  cli,
  countJobs,
  createFinishedJobs,
  hasCondition,
  jobsIn,
  numbered as names,
  readOnlyKubeconfig,
  scriptedJob,
} from './support.js';

const T = 240_000;

describe('clean (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('12 real Jobs, finished and running: only the finished ones are deleted, with their pods', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const manifests = [
        ...names('ok', 6).map((n) => scriptedJob(n, [{ exit: 0, after: '300ms' }])),
        ...names('bad', 3).map((n) => scriptedJob(n, [{ exit: 1, after: '300ms' }])),
        ...names('busy', 3).map((n) => scriptedJob(n, [{ hang: true }])),
      ];
      await applyYaml(cp.kubeconfigPath, manifests, ns);
      await waitFor(
        async () =>
          (await jobsIn(cp, ns)).filter((j) => hasCondition(j, 'Complete') || hasCondition(j, 'Failed')).length === 9,
        { timeoutMs: 90_000, what: '9 finished Jobs' },
      );
      await waitFor(async () => (await jobsIn(cp, ns)).filter((j) => j.status?.active === 1).length === 3, {
        timeoutMs: 30_000,
        what: '3 running Jobs',
      });

      const refused = await cli(cp, ['clean', '--succeeded', '-n', ns]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /refusing to delete 6 Jobs without confirmation/);
      const dry = await cli(cp, ['clean', '--succeeded', '--failed', '-n', ns, '--dry-run=server']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.equal((await jobsIn(cp, ns)).length, 12, 'a server dry run deletes nothing');

      const r = await cli(cp, ['clean', '--succeeded', '--failed', '--yes', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'deleted 9, skipped 0, failed 0\n');
      assert.match(r.stderr, /deleting 9 Jobs of 12 listed\nleft alone: 3 not finished/);
      assert.deepEqual((await jobsIn(cp, ns)).map((j) => j.metadata.name).sort(), names('busy', 3));
      // Background propagation: the garbage collector removes the deleted Jobs' pods.
      await waitFor(
        async () => {
          const pods = (await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`)).items;
          return pods.every((p: any) => p.metadata.labels['job-name'].startsWith('busy'));
        },
        { timeoutMs: 60_000, what: 'pods of deleted Jobs collected' },
      );
    });
  });

  test('a Job modified between planning and deleting is skipped (precondition), the others deleted', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await createFinishedJobs(cp, ns, names('done', 5), 'succeeded');
      const conn = resolveConnection({ kubeconfig: cp.kubeconfigPath, namespace: ns });
      try {
        const jobs = await new LiveSource(conn, ns, true).listJobs(ns);
        const plan = planClean({ jobs, outcomes: ['succeeded'], now: new Date() });
        assert.equal(plan.delete.length, 5);
        await cp.client.request(
          'PATCH',
          `/apis/batch/v1/namespaces/${ns}/jobs/done-0002`,
          { metadata: { labels: { keep: 'me' } } },
          { contentType: MERGE_PATCH },
        );
        const { results } = await deleteJobs(conn, plan.delete, { dryRun: 'none' });
        const byName = Object.fromEntries(
          results.map((x) => [x.item.name, x.status === 'skipped' ? `skipped:${x.reason}` : x.status]),
        );
        assert.deepEqual(byName, {
          'done-0000': 'deleted',
          'done-0001': 'deleted',
          'done-0002': 'skipped:changed',
          'done-0003': 'deleted',
          'done-0004': 'deleted',
        });
      } finally {
        await closeConnection(conn);
      }
      assert.deepEqual(
        (await jobsIn(cp, ns)).map((j) => j.metadata.name),
        ['done-0002'],
      );
    });
  });

  test('Ctrl+C midway: stops issuing deletions, reports what was done, loses nothing that should stay', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const total = 1500;
      await createFinishedJobs(cp, ns, names('old', total), 'succeeded');
      // Unfinished Jobs (managed elsewhere, no condition): they must survive whatever happens.
      await applyYaml(
        cp.kubeconfigPath,
        names('live', 5).map((n) => ({
          ...scriptedJob(n, [{ hang: true }]),
          spec: { ...scriptedJob(n, []).spec, managedBy: 'kubectl-job.test/bench' },
        })),
        ns,
      );
      let interrupted = false;
      const r = await cli(cp, ['clean', '--succeeded', '--yes', '-n', ns], {
        onSpawn: (child) => {
          let busy = false;
          // One SIGINT only: a second one is "quit at once" by design.
          const poll = setInterval(async () => {
            if (interrupted || busy) return;
            busy = true;
            const left = await countJobs(cp, ns).catch(() => total);
            busy = false;
            if (!interrupted && left < total - 100) {
              interrupted = true;
              clearInterval(poll);
              child.kill('SIGINT');
            }
          }, 20);
          child.on('close', () => clearInterval(poll));
        },
      });
      assert.ok(interrupted, 'the run was interrupted');
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stderr, /interrupted: no new deletions; waiting for those in flight/);
      const m = /^deleted (\d+), skipped 0, failed 0, not attempted (\d+) \(interrupted\)$/m.exec(r.stdout);
      assert.ok(m, r.stdout);
      const [deleted, notAttempted] = [Number(m[1]), Number(m[2])];
      assert.equal(deleted + notAttempted, total);
      assert.ok(notAttempted > 0, 'some deletions were never issued');
      const left = (await jobsIn(cp, ns)).map((j) => j.metadata.name);
      assert.equal(
        left.filter((n) => n.startsWith('old-')).length,
        notAttempted,
        'exactly the reported deletions happened',
      );
      assert.deepEqual(left.filter((n) => n.startsWith('live-')).sort(), names('live', 5));
    });
  });

  test('a read-only user gets a clear Forbidden before any deletion', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await createFinishedJobs(cp, ns, names('done', 4), 'failed');
      const viewer = await readOnlyKubeconfig(cp, ns);
      const r = await cli(cp, ['clean', '--failed', '--yes', '-n', ns], { kubeconfig: viewer });
      assert.equal(r.code, 5);
      assert.match(r.stderr, new RegExp(`error: forbidden: you cannot delete jobs in namespace "${ns}"`));
      assert.match(r.stderr, new RegExp(`hint: check with: kubectl auth can-i delete jobs.batch -n ${ns}`));
      assert.equal((await jobsIn(cp, ns)).length, 4);
    });
  });
});
