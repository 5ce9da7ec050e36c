// e2e: the reads that settle a disagreement between a CronJob's .status.active and its Jobs (a
// controller action between two reads, src/cluster/read-skew.ts), against the real API server and
// with a user granted only `list` on CronJobs and Jobs (as the in-cluster audit is). The skew is made
// by hand here: the CronJob is read, then its Job is created and written into .status.active.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CronJob, Job } from '../../../src/api/types.js';
import { openSource } from '../../../src/cluster/open.js';
import { readSkew, settleReadSkew } from '../../../src/cluster/read-skew.js';
import {
  e2eSkipReason,
  kubeconfigWithRole,
  putLatest,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
} from '../harness/index.js';
import { cronJobManifest } from '../cronjob/support.js';

const T = 120_000;

/** A kubeconfig for a user who may only list CronJobs and Jobs in `ns`. */
const listOnly = (cp: ControlPlane, ns: string): Promise<string> =>
  kubeconfigWithRole(cp, ns, 'list-only', [{ apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['list'] }]);

describe('read skew settled against the real API server (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('a CronJob read before it listed its new Job, a Job the list missed, a Job really gone: read again by name with only the list verb', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const base = `/apis/batch/v1/namespaces/${ns}`;
      // Suspended and due once a year: the controller creates nothing of its own here.
      const cj: CronJob = await cp.client.request(
        'POST',
        `${base}/cronjobs`,
        cronJobManifest('skew', { schedule: '0 0 1 1 *', suspend: true }),
      );
      const stale: CronJob = await cp.client.request('GET', `${base}/cronjobs/skew`);
      // A suspended Job (no pods) with the controller's owner reference, then listed as active.
      const job: Job = await cp.client.request('POST', `${base}/jobs`, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'skew-1',
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'CronJob', name: 'skew', uid: cj.metadata.uid, controller: true },
          ],
        },
        spec: { suspend: true, template: (cj.spec.jobTemplate.spec as any).template },
      });
      const ref = { apiVersion: 'batch/v1', kind: 'Job', name: 'skew-1', namespace: ns, uid: job.metadata.uid };
      await putLatest(cp, `${base}/cronjobs/skew/status`, (live) => ({
        ...live,
        status: { ...live.status, active: [ref] },
      }));

      const src = await openSource({ kubeconfig: await listOnly(cp, ns), namespace: ns }, {});
      try {
        // The CronJob as read lists nothing; its Job is there: the CronJob is read again.
        assert.deepEqual(readSkew(stale, [job]).unlisted.length, 1);
        const a = await settleReadSkew(src, stale, [job]);
        assert.equal(a.reread, true);
        assert.deepEqual(
          a.cronJob.status?.active?.map((r) => r.uid),
          [job.metadata.uid],
        );
        assert.deepEqual(readSkew(a.cronJob, a.jobs), { unlisted: [], unseen: [] });

        // The CronJob lists a Job the Job list did not have: that Job is read by name.
        const b = await settleReadSkew(src, a.cronJob, []);
        assert.deepEqual(
          b.jobs.map((j) => j.metadata.uid),
          [job.metadata.uid],
        );

        // Deleted for real: it stays gone (whether or not the controller has dropped it from .status.active yet).
        await cp.client.request('DELETE', `${base}/jobs/skew-1`);
        await waitFor(async () => (await cp.client.request('GET', `${base}/jobs`)).items.length === 0, {
          timeoutMs: 30_000,
          what: 'skew-1 gone',
        });
        const c = await settleReadSkew(src, a.cronJob, []);
        assert.deepEqual(c.jobs, []);
      } finally {
        await src.close();
      }
    });
  });
});
