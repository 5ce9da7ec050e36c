// e2e: `kubectl job trigger` against a real apiserver and CronJob/Job controllers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyYaml, e2eSkipReason, kubectl, useControlPlane, waitFor, withNamespace } from '../harness/index.js';
import { cli, hasCondition, jobsIn, readOnlyKubeconfig, scriptedCronJob } from './support.js';

const T = 120_000;

/** Drops Go's `creationTimestamp: null` serialisation artefacts from kubectl's output. */
function withoutNullTimestamps(o: any): any {
  if (Array.isArray(o)) return o.map(withoutNullTimestamps);
  if (!o || typeof o !== 'object') return o;
  return Object.fromEntries(
    Object.entries(o)
      .filter(([k, v]) => !(k === 'creationTimestamp' && v === null))
      .map(([k, v]) => [k, withoutNullTimestamps(v)]),
  );
}

describe('trigger (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('the Job matches `kubectl create job --from` field for field; dry runs create nothing', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, scriptedCronJob('nightly', [{ exit: 0, after: '300ms', log: 'hello' }]), ns);
      const ours = JSON.parse(
        (
          await cli(cp, [
            'trigger',
            '--from',
            'cronjob/nightly',
            '--name',
            'same',
            '-n',
            ns,
            '--dry-run=client',
            '-o',
            'json',
          ])
        ).stdout,
      );
      const theirs = JSON.parse(
        (
          await kubectl(
            ['create', 'job', 'same', '--from=cronjob/nightly', '-n', ns, '--dry-run=client', '-o', 'json'],
            { kubeconfig: cp.kubeconfigPath },
          )
        ).stdout,
      );
      const theirsClean = withoutNullTimestamps(theirs);
      for (const k of ['name', 'namespace', 'labels', 'annotations', 'ownerReferences'])
        assert.deepEqual(ours.metadata[k], theirsClean.metadata[k], `metadata.${k}`);
      assert.deepEqual(ours.spec, theirsClean.spec);

      const server = await cli(cp, ['trigger', 'nightly', '-n', ns, '--dry-run=server', '-o', 'name']);
      assert.equal(server.code, 0, server.stderr);
      assert.match(server.stdout, /^job\.batch\/nightly-manual-[a-z0-9]{5}\n$/);
      assert.deepEqual(await jobsIn(cp, ns), [], 'dry runs create no Job');
    });
  });

  test("--wait exits 0 when the Job completes; the created Job has kubectl's shape; the controller then reports UnexpectedJob", {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, scriptedCronJob('ok', [{ exit: 0, after: '2s', log: 'fine' }]), ns);
      const r = await cli(cp, ['trigger', 'ok', '-n', ns, '--wait', '--timeout', '60s']);
      assert.equal(r.code, 0, r.stderr);
      const [, name] = /^job\.batch\/(\S+) created\n/.exec(r.stdout)!;
      assert.equal(r.stdout, `job.batch/${name} created\njob.batch/${name} completed\n`);
      assert.match(r.stderr, /does not count a manual Job as active/);
      const job = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
      assert.ok(hasCondition(job, 'Complete'));
      assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
      const cj = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/ok`);
      assert.deepEqual(job.metadata.ownerReferences, [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: 'ok', uid: cj.metadata.uid, controller: true },
      ]);
      // What the warning said: the controller saw a Job it did not create.
      await waitFor(
        async () => {
          const ev = await cp.client.request('GET', `/api/v1/namespaces/${ns}/events`, undefined, {
            query: { fieldSelector: 'involvedObject.kind=CronJob' },
          });
          return ev.items.some((e: any) => e.reason === 'UnexpectedJob' && e.message.includes(name));
        },
        { timeoutMs: 30_000, what: 'UnexpectedJob event' },
      );
    });
  });

  test('--wait exits 1 when the Job fails, printing the condition and a why hint', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, scriptedCronJob('boom', [{ exit: 3, after: '500ms', log: 'crash' }]), ns);
      const r = await cli(cp, ['trigger', 'boom', '-n', ns, '--name', 'boom-now', '--wait', '--timeout', '60s']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stdout,
        'job.batch/boom-now created\njob.batch/boom-now failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n',
      );
      assert.match(r.stderr, new RegExp(`hint: kubectl job why job/boom-now -n ${ns}`));
    });
  });

  test('--wait gives up at --timeout with a non-zero exit; Forbid overlap is named', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        scriptedCronJob('slow', [{ hang: true }], { concurrencyPolicy: 'Forbid' }),
        ns,
      );
      const first = await cli(cp, ['trigger', 'slow', '-n', ns, '--name', 'slow-1', '--wait', '--timeout', '2s']);
      assert.equal(first.code, 3);
      assert.match(first.stderr, /timed out after 2s waiting for job\/slow-1/);
      const second = await cli(cp, ['trigger', 'slow', '-n', ns, '--name', 'slow-2']);
      assert.equal(second.code, 0, second.stderr);
      assert.match(
        second.stderr,
        /concurrencyPolicy Forbid and a Job is still running \(job\/slow-1\): this manual run will overlap it/,
      );
    });
  });

  test('a read-only user gets a clear Forbidden and nothing is created', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, scriptedCronJob('ro', [{}]), ns);
      const viewer = await readOnlyKubeconfig(cp, ns);
      const r = await cli(cp, ['trigger', 'ro', '-n', ns], { kubeconfig: viewer });
      assert.equal(r.code, 5);
      assert.match(r.stderr, new RegExp(`error: forbidden: you cannot create jobs in namespace "${ns}"`));
      assert.match(r.stderr, new RegExp(`hint: check with: kubectl auth can-i create jobs -n ${ns}`));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.deepEqual(await jobsIn(cp, ns), []);
    });
  });
});
