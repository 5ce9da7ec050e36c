// e2e: `kubectl job logs --all-attempts` with logs served by the real kubelet through the apiserver.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
} from '../harness/index.js';
import { cli, hasCondition, scriptedJob } from './support.js';

const T = 180_000;

async function podsOf(cp: ControlPlane, ns: string, job: string): Promise<any[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
    query: { labelSelector: `job-name=${job}` },
  });
  return list.items.sort((a: any, b: any) => a.status.startTime.localeCompare(b.status.startTime));
}

async function finished(cp: ControlPlane, ns: string, name: string, type = 'Complete'): Promise<void> {
  await waitFor(
    async () => hasCondition(await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`), type),
    { timeoutMs: 90_000, what: `${name} ${type}` },
  );
}

describe('logs --all-attempts (e2e)', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('OnFailure restarts: the previous instance is read, older runs are listed as gone', { timeout: T }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const steps = [
        { exit: 3, log: 'first try' },
        { exit: 4, log: 'second try' },
        { exit: 0, log: 'third try' },
      ];
      await applyYaml(
        cp.kubeconfigPath,
        scriptedJob('restarts', steps, { restartPolicy: 'OnFailure', backoffLimit: 5 }),
        ns,
      );
      await finished(cp, ns, 'restarts');
      const [p] = await podsOf(cp, ns, 'restarts');
      const pod = p.metadata.name;
      const r = await cli(cp, ['logs', 'job/restarts', '--all-attempts', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      // Once the pod has Completed, the real kubelet may already have removed the previous
      // container: then the API answers its log with "unable to retrieve container logs for
      // containerd://…" and the tool says the instance's logs are gone (both seen here).
      const previousId = p.status.containerStatuses[0].lastState.terminated.containerID as string;
      const previous = [
        [
          `==> pod/${pod} container/main attempt 1, previous instance: run 2 of 3 (exit 4 Error) <==`,
          `attempt: pod ${ns}/${pod} container main run 1 restart 1`,
          'second try',
        ],
        [
          `==> pod/${pod} container/main attempt 1, previous instance: logs gone (the kubelet no longer has the container: "unable to retrieve container logs for ${previousId}") <==`,
        ],
      ];
      const expected = (prev: string[]) =>
        [
          `==> pod/${pod} container/main attempt 1, run 1 of 3: logs gone (the API keeps only the latest and the previous instance of a container) <==`,
          ...prev,
          `==> pod/${pod} container/main attempt 1 (exit 0 Completed, 2 restarts) <==`,
          `attempt: pod ${ns}/${pod} container main run 2 restart 2`,
          'third try',
          '',
        ].join('\n');
      assert.ok(
        previous.some((prev) => r.stdout === expected(prev)),
        `unexpected output:\n${r.stdout}\nwanted one of:\n${previous.map(expected).join('\n--- or ---\n')}`,
      );
      const tail = await cli(cp, ['logs', 'restarts', '--all-attempts', '--tail', '1', '--prefix', '-n', ns]);
      assert.ok(
        [`[${pod}/main#1.2] second try\n[${pod}/main#1.3] third try\n`, `[${pod}/main#1.3] third try\n`].includes(
          tail.stdout,
        ),
        tail.stdout,
      );
    });
  });

  test('Never retries: every pod in order, as kubectl logs shows each; a deleted pod is listed as gone', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        scriptedJob(
          'retries',
          [
            { exit: 1, after: '300ms', log: 'boom' },
            { exit: 0, after: '300ms', log: 'ok' },
          ],
          { backoffLimit: 3 },
        ),
        ns,
      );
      await finished(cp, ns, 'retries');
      const [first, second] = (await podsOf(cp, ns, 'retries')).map((x) => x.metadata.name as string);
      const real = async (pod: string) =>
        (await kubectl(['logs', '-n', ns, pod], { kubeconfig: cp.kubeconfigPath })).stdout;
      const r = await cli(cp, ['logs', 'retries', '--all-attempts', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        [
          `==> pod/${first} container/main attempt 1 (exit 1 Error) <==`,
          (await real(first!)).trimEnd(),
          `==> pod/${second} container/main attempt 2 (exit 0 Completed) <==`,
          (await real(second!)).trimEnd(),
          '',
        ].join('\n'),
      );
      const newest = await cli(cp, ['logs', 'retries', '-n', ns]);
      assert.equal(newest.stdout, await real(second!));
      assert.match(newest.stderr, /showing attempt 2 of 2 of job\/retries \(the newest\)/);

      await cp.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/${first}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
      });
      await waitFor(async () => (await podsOf(cp, ns, 'retries')).length === 1, {
        timeoutMs: 30_000,
        what: 'first pod gone',
      });
      const after = await cli(cp, ['logs', 'retries', '--all-attempts', '-n', ns]);
      assert.equal(after.code, 0, after.stderr);
      assert.equal(
        after.stdout.split('\n')[0],
        '==> 1 pod of this Job no longer exists (deleted): its logs are gone <==',
      );
      assert.match(
        after.stdout,
        new RegExp(`==> pod/${second} container/main attempt 1 \\(exit 0 Completed\\) <==\\n.*\\nok\\n$`),
      );
    });
  });

  test('--follow streams the running attempt, picks up the retry pod and ends with the Job', {
    timeout: T,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const steps = [
        { exit: 1, after: '6s', tick: '400ms', log: 'attempt one' },
        { exit: 0, after: '4s', log: 'attempt two' },
      ];
      await applyYaml(cp.kubeconfigPath, scriptedJob('live', steps, { backoffLimit: 2 }), ns);
      await waitFor(
        async () => (await podsOf(cp, ns, 'live').catch(() => [])).some((p) => p.status?.phase === 'Running'),
        { timeoutMs: 30_000, what: 'a running pod' },
      );
      const r = await cli(cp, ['logs', 'live', '--all-attempts', '--follow', '--prefix', '-n', ns]);
      assert.equal(r.code, 0, r.stderr);
      const [first, second] = (await podsOf(cp, ns, 'live')).map((x) => x.metadata.name as string);
      const lines = r.stdout.trimEnd().split('\n');
      assert.ok(lines.includes(`[${first}/main#1] attempt one`), r.stdout);
      assert.ok(
        lines.some((l) => l === `[${first}/main#1] tick 1`),
        'the ticks of the first attempt',
      );
      assert.equal(lines.at(-1), `[${second}/main#2] attempt two`);
      // The retry pod starts after the Job controller's 10 s back-off, so it is surely followed live;
      // the first attempt is too unless the CLI was slower to start than its 6 s run.
      assert.match(r.stderr, new RegExp(`==> pod/${first} container/main attempt 1 (ended )?\\(exit 1 Error\\) <==`));
      assert.match(
        r.stderr,
        new RegExp(
          `==> pod/${second} container/main attempt 2 \\(running\\) <==\\n(.*\\n)*==> pod/${second} container/main attempt 2 ended \\(exit 0 Completed\\) <==`,
        ),
      );
    });
  });
});
