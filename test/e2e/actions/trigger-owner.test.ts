// e2e: `trigger --owner controller|plain|none` and the consequences the README's table claims,
// against the real CronJob controller, garbage collector and a real node: which Job the CronJob
// controller reconciles (UnexpectedJob), which its history limit deletes, which the garbage
// collector deletes with the CronJob, and which outlives it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyYaml, e2eSkipReason, MERGE_PATCH, useControlPlane, waitFor, withNamespace } from '../harness/index.js';
import { cli, hasCondition, jobsIn, scriptedCronJob } from './support.js';

describe('trigger --owner (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('controller: UnexpectedJob and pruned by the history limit; plain: ignored, deleted with the CronJob; none: outlives it', {
    timeout: 240_000,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      // Never due in the test (1 January), successfulJobsHistoryLimit 0: every finished Job it owns as controller goes at its next sync.
      const cj = scriptedCronJob('own', [{ exit: 0, after: '6s' }], { successfulJobsHistoryLimit: 0 });
      await applyYaml(cp.kubeconfigPath, cj, ns);
      const cjPath = `/apis/batch/v1/namespaces/${ns}/cronjobs/own`;
      const uid = (await cp.client.request('GET', cjPath)).metadata.uid;
      const owners: Record<string, unknown> = {};
      for (const mode of ['controller', 'plain', 'none']) {
        const r = await cli(cp, ['trigger', 'own', '-n', ns, '--name', `own-${mode}`, '--owner', mode]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `job.batch/own-${mode} created\n`);
        if (mode !== 'controller') assert.match(r.stderr, mode === 'plain' ? /garbage collector/ : /outlives/);
        owners[mode] = (
          await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/own-${mode}`)
        ).metadata.ownerReferences;
      }
      assert.deepEqual(owners, {
        controller: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'own', uid, controller: true }],
        plain: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'own', uid, controller: false }],
        none: undefined,
      });

      // While they run, make the controller sync the CronJob (an annotation change): only the controller-owned one is "unexpected".
      await cp.client.request(
        'PATCH',
        cjPath,
        { metadata: { annotations: { 'e2e.test/poke': '1' } } },
        { contentType: MERGE_PATCH },
      );
      const events = async () =>
        (
          await cp.client.request('GET', `/api/v1/namespaces/${ns}/events`, undefined, {
            query: { fieldSelector: 'involvedObject.kind=CronJob' },
          })
        ).items as any[];
      await waitFor(
        async () => (await events()).some((e) => e.reason === 'UnexpectedJob' && e.message.includes('own-controller')),
        { timeoutMs: 30_000, what: 'UnexpectedJob for own-controller' },
      );
      const unexpected = (await events()).filter((e) => e.reason === 'UnexpectedJob').map((e) => e.message);
      assert.ok(
        unexpected.every((msg) => !/own-plain|own-none/.test(msg)),
        `the controller ignores the others: ${JSON.stringify(unexpected)}`,
      );

      // All three complete; the history limit (0) deletes the controller-owned one only.
      for (const mode of ['controller', 'plain', 'none']) {
        const w = await cli(cp, ['wait', `job/own-${mode}`, '-n', ns, '--timeout', '90s']);
        assert.equal(w.code, 0, `own-${mode}: ${w.stdout}${w.stderr}`);
      }
      await cp.client.request(
        'PATCH',
        cjPath,
        { metadata: { annotations: { 'e2e.test/poke': '2' } } },
        { contentType: MERGE_PATCH },
      );
      const names = async () => (await jobsIn(cp, ns)).map((j) => j.metadata.name).sort();
      await waitFor(async () => !(await names()).includes('own-controller') || undefined, {
        timeoutMs: 30_000,
        what: 'own-controller deleted by the history limit',
      });
      assert.ok((await events()).some((e) => e.reason === 'SuccessfulDelete' && e.message.includes('own-controller')));
      assert.deepEqual(await names(), ['own-none', 'own-plain'], 'plain and none are not counted by the history limit');
      assert.ok((await jobsIn(cp, ns)).every((j) => hasCondition(j, 'Complete')));

      // Deleting the CronJob (background, as kubectl): the garbage collector deletes the plain Job, not the unowned one.
      await cp.client.request('DELETE', cjPath, undefined, { query: { propagationPolicy: 'Background' } });
      await waitFor(async () => !(await names()).includes('own-plain') || undefined, {
        timeoutMs: 60_000,
        what: 'own-plain deleted by the garbage collector',
      });
      await new Promise((r) => setTimeout(r, 3000));
      assert.deepEqual(await names(), ['own-none'], 'the Job without an ownerReference outlives the CronJob');
    });
  });
});
