// e2e: real RBAC users who may read only part of what the tool reads. The answer comes from
// what is readable, the forbidden reads are named (verb, resource, namespace) on stderr and in
// -o json, the verdict's exit code is the admin's, and exit 5 only when nothing useful is readable.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubeconfigWithRole,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
} from '../harness/index.js';
import { cli, hasCondition, scriptedCronJob, scriptedJob } from '../actions/support.js';

const T = 240_000;

/** A kubeconfig for `user`, bound in `ns` to a Role granting get/list/watch on `core` and `batch` resources. */
function userWith(cp: ControlPlane, ns: string, user: string, batch: string[], core: string[]): Promise<string> {
  const rules = [
    ...(batch.length ? [{ apiGroups: ['batch'], resources: batch, verbs: ['get', 'list', 'watch'] }] : []),
    ...(core.length ? [{ apiGroups: [''], resources: core, verbs: ['get', 'list', 'watch'] }] : []),
  ];
  return kubeconfigWithRole(cp, ns, user, rules);
}

describe('partial permissions (e2e, real RBAC users)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('why (CronJob, Job), misses, logs and snapshot answer from what is readable', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        [
          scriptedCronJob('nightly', [{ exit: 0, log: 'ok' }]),
          scriptedJob('broken', [{ exit: 3, after: '200ms', log: 'it broke' }], { backoffLimit: 0 }),
        ],
        ns,
      );
      await waitFor(
        async () =>
          hasCondition(await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/broken`), 'Failed'),
        { timeoutMs: 90_000, what: 'broken Failed' },
      );
      const noEvents = await userWith(cp, ns, 'no-events', ['cronjobs', 'jobs'], ['pods', 'pods/log']);
      const noPods = await userWith(cp, ns, 'no-pods', ['cronjobs', 'jobs'], ['events']);
      const nothing = await userWith(cp, ns, 'nothing', [], ['events']);
      const events = [{ verb: 'list', resource: 'events', namespace: ns }];
      const pods = [{ verb: 'list', resource: 'pods', namespace: ns }];

      for (const args of [
        ['why', 'cronjob/nightly'],
        ['why', 'job/broken'],
        ['misses', 'nightly', '--since', '1h'],
        ['why', '--all'],
      ]) {
        const admin = await cli(cp, [...args, '-n', ns, '-o', 'json']);
        assert.ok([0, 1].includes(admin.code), `${args.join(' ')}: ${admin.stderr}`);
        const r = await cli(cp, [...args, '-n', ns, '-o', 'json'], { kubeconfig: noEvents });
        assert.equal(r.code, admin.code, `${args.join(' ')} without events: ${r.stderr}`);
        const out = JSON.parse(r.stdout);
        assert.deepEqual(out.unreadable ?? out.items?.[0]?.unreadable, events, args.join(' '));
        assert.match(r.stderr, new RegExp(`Warning: answered without list events in namespace ${ns} \\(forbidden\\)`));
        assert.doesNotMatch(r.stderr, /error:/);
        if (args[1] === 'job/broken') assert.equal(out.verdict, JSON.parse(admin.stdout).verdict);
      }

      const job = await cli(cp, ['why', 'job/broken', '-n', ns, '-o', 'json'], { kubeconfig: noPods });
      assert.equal(job.code, 1, job.stderr);
      assert.equal(JSON.parse(job.stdout).verdict, 'failed');
      assert.deepEqual(JSON.parse(job.stdout).unreadable, pods);
      const text = await cli(cp, ['why', 'job/broken', '-n', ns], { kubeconfig: noPods });
      assert.match(text.stdout, new RegExp(`could not list pods in namespace ${ns} \\(forbidden\\): exit codes`));

      // logs: without pods there is nothing to show (exit 5, one line); without events it works.
      const noPodLogs = await cli(cp, ['logs', 'job/broken', '-n', ns], { kubeconfig: noPods });
      assert.equal(noPodLogs.code, 5);
      assert.match(noPodLogs.stderr, new RegExp(`^error: forbidden: you cannot list pods in namespace "${ns}"`));
      const logs = await cli(cp, ['logs', 'job/broken', '-n', ns], { kubeconfig: noEvents });
      assert.equal(logs.code, 0, logs.stderr);
      assert.match(logs.stdout, /it broke/);

      const snap = await cli(cp, ['snapshot', '-n', ns, '-o', 'json'], { kubeconfig: noEvents });
      assert.equal(snap.code, 0, snap.stderr);
      const list = JSON.parse(snap.stdout);
      assert.deepEqual(list.unreadable, events);
      assert.ok(
        list.items.some((i: { kind: string }) => i.kind === 'CronJob') &&
          list.items.some((i: { kind: string }) => i.kind === 'Pod'),
      );

      const none = await cli(cp, ['why', 'cronjob/nightly', '-n', ns], { kubeconfig: nothing });
      assert.equal(none.code, 5);
      assert.equal(none.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1);
    });
  });
});
