// Proves the e2e harness: the real Job and CronJob controllers act on pods the real node
// (kubelet + containerd) runs, and `kubectl logs` reads their logs through the apiserver.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  podTemplate,
  useControlPlane,
  waitFor,
  withNamespace,
  type ControlPlane,
  type Step,
} from './harness/index.js';

const TEST_TIMEOUT = 180_000;

/** A Job manifest whose pods follow `steps`. */
function job(name: string, restartPolicy: string, steps: Step[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: 3,
      ...extra,
      template: podTemplate(steps, restartPolicy),
    },
  };
}

async function jobCondition(cp: ControlPlane, ns: string, name: string, type: string) {
  const j = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
  return j.status?.conditions?.some((c: any) => c.type === type && c.status === 'True') ? j : undefined;
}

async function podsOf(cp: ControlPlane, ns: string, jobName: string): Promise<any[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
    query: { labelSelector: `batch.kubernetes.io/job-name=${jobName}` },
  });
  return list.items.sort(
    (a: any, b: any) =>
      a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}

describe('e2e harness (real kube-apiserver + kube-controller-manager + kube-scheduler + kubelet)', {
  skip: e2eSkipReason(),
}, () => {
  const controlPlane = useControlPlane();

  test('Job (restartPolicy Never): a failing pod then a succeeding one; logs through the apiserver', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const steps = [
        { exit: 1, after: '1s', log: 'boom from {pod}' },
        { exit: 0, after: '500ms', log: 'ok from {pod}' },
      ];
      await applyYaml(cp.kubeconfigPath, job('flaky', 'Never', steps), ns);
      const done = await waitFor(() => jobCondition(cp, ns, 'flaky', 'Complete'), {
        timeoutMs: 90_000,
        what: 'Job flaky Complete',
      });
      assert.equal(done.status.failed, 1);
      assert.equal(done.status.succeeded, 1);

      const [failed, succeeded] = await podsOf(cp, ns, 'flaky');
      assert.equal(failed.status.phase, 'Failed');
      assert.deepEqual(pick(failed.status.containerStatuses[0].state.terminated), { exitCode: 1, reason: 'Error' });
      assert.equal(succeeded.status.phase, 'Succeeded');
      assert.deepEqual(pick(succeeded.status.containerStatuses[0].state.terminated), {
        exitCode: 0,
        reason: 'Completed',
      });

      const logs = async (pod: string, ...args: string[]) =>
        (await kubectl(['logs', '-n', ns, pod, ...args], { kubeconfig: cp.kubeconfigPath })).stdout;
      const first = failed.metadata.name;
      const second = succeeded.metadata.name;
      assert.equal(
        await logs(first),
        `attempt: pod ${ns}/${first} container main run 0 restart 0\nboom from ${first}\n`,
      );
      assert.equal(
        await logs(second),
        `attempt: pod ${ns}/${second} container main run 1 restart 0\nok from ${second}\n`,
      );
      assert.equal(await logs(second, '--tail=1'), `ok from ${second}\n`);
      assert.match(await logs(second, '--timestamps'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z attempt: /);
      const previous = await kubectl(['logs', '-n', ns, first, '--previous'], {
        kubeconfig: cp.kubeconfigPath,
        check: false,
      });
      assert.notEqual(previous.code, 0);
      assert.match(previous.stderr, /previous terminated container "main" in pod .* not found/);
    });
  });

  test('Job (restartPolicy OnFailure): container restart, lastState and kubectl logs --previous', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        job('restarts', 'OnFailure', [
          { exit: 3, log: 'first try' },
          { exit: 0, log: 'second try' },
        ]),
        ns,
      );
      await waitFor(() => jobCondition(cp, ns, 'restarts', 'Complete'), {
        timeoutMs: 60_000,
        what: 'Job restarts Complete',
      });
      const [pod] = await podsOf(cp, ns, 'restarts');
      const status = pod.status.containerStatuses[0];
      assert.equal(status.restartCount, 1);
      assert.deepEqual(pick(status.lastState.terminated), { exitCode: 3, reason: 'Error' });
      assert.deepEqual(pick(status.state.terminated), { exitCode: 0, reason: 'Completed' });
      const name = pod.metadata.name;
      const current = await kubectl(['logs', '-n', ns, name], { kubeconfig: cp.kubeconfigPath });
      const previous = await kubectl(['logs', '-n', ns, name, '--previous'], { kubeconfig: cp.kubeconfigPath });
      assert.equal(current.stdout, `attempt: pod ${ns}/${name} container main run 1 restart 1\nsecond try\n`);
      // Once the pod has Completed the kubelet may already have removed the previous container;
      // the API then answers 200 with its error as the body (seen on this node).
      const removed = `unable to retrieve container logs for ${status.lastState.terminated.containerID}`;
      assert.ok(
        [`attempt: pod ${ns}/${name} container main run 0 restart 0\nfirst try\n`, removed, `${removed}\n`].includes(
          previous.stdout,
        ),
        previous.stdout,
      );
    });
  });

  test('kubectl logs -f streams a running container; deleting the Job stops and removes its pod', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('forever', 'Never', [{ hang: true, tick: '200ms' }]), ns);
      const pod = await waitFor(
        async () => (await podsOf(cp, ns, 'forever')).find((p) => p.status.phase === 'Running'),
        { what: 'a Running pod' },
      );
      const ticks = (text: string) => text.split('\n').filter((l) => l.startsWith('tick ')).length;
      const snapshot = await kubectl(['logs', '-n', ns, pod.metadata.name], { kubeconfig: cp.kubeconfigPath });
      // -f never ends by itself while the container runs: kubectl is killed after 2 s.
      const follow = await kubectl(['logs', '-n', ns, pod.metadata.name, '-f'], {
        kubeconfig: cp.kubeconfigPath,
        check: false,
        timeoutMs: 2000,
      });
      assert.ok(ticks(follow.stdout) > ticks(snapshot.stdout) + 1, `follow streamed new lines:\n${follow.stdout}`);
      assert.ok(follow.stdout.startsWith(snapshot.stdout));
      await kubectl(['delete', 'job', 'forever', '-n', ns, '--wait=false'], { kubeconfig: cp.kubeconfigPath });
      await waitFor(async () => (await podsOf(cp, ns, 'forever')).length === 0, { what: 'the pod to be deleted' });
    });
  });

  test('kubeconfigFor: an unprivileged user is denied by RBAC', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    const kubeconfig = await cp.kubeconfigFor('alice', ['developers']);
    const r = await kubectl(['get', 'jobs', '-n', 'default'], { kubeconfig, check: false });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Forbidden.*User "alice" cannot list resource "jobs"/);
  });

  test('CronJob: the real controller creates <cronjob>-<scheduled time in unix minutes>', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const created = Date.now();
      await applyYaml(
        cp.kubeconfigPath,
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'every-minute' },
          spec: {
            schedule: '*/1 * * * *',
            jobTemplate: { spec: { template: podTemplate([]) } },
          },
        },
        ns,
      );
      // Pretend the last run was 5 minutes ago, so a run is due now rather than at the next minute.
      const past = new Date(Math.floor(created / 60_000) * 60_000 - 5 * 60_000).toISOString().replace('.000Z', 'Z');
      await kubectl(
        [
          'patch',
          'cronjob',
          'every-minute',
          '-n',
          ns,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify({ status: { lastScheduleTime: past } }),
        ],
        { kubeconfig: cp.kubeconfigPath },
      );

      const jobs = await waitFor(
        async () => {
          const list = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`);
          return list.items.length ? list.items : undefined;
        },
        { timeoutMs: 90_000, what: 'a Job created by the CronJob' },
      );
      const j = jobs[0];
      const scheduled = Date.parse(j.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']);
      assert.equal(scheduled % 60_000, 0);
      assert.equal(j.metadata.name, `every-minute-${scheduled / 60_000}`);
      assert.ok(
        scheduled >= Math.floor(created / 60_000) * 60_000,
        'scheduled at or after the minute the CronJob was created',
      );
      assert.ok(scheduled <= Date.parse(j.metadata.creationTimestamp), 'scheduled time is not in the future');
      assert.equal(j.metadata.ownerReferences[0].kind, 'CronJob');
      await waitFor(() => jobCondition(cp, ns, j.metadata.name, 'Complete'), {
        timeoutMs: 60_000,
        what: `Job ${j.metadata.name} Complete`,
      });
    });
  });

  test('stopControllerManager/startControllerManager: nothing acts while it is stopped, it catches up after the start, its log is appended to', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const logFile = join(cp.logsDir, 'kube-controller-manager.log');
      const logBefore = readFileSync(logFile, 'utf8');
      const listJobs = async () =>
        (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`)).items as any[];
      await cp.stopControllerManager();
      try {
        await applyYaml(
          cp.kubeconfigPath,
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: { name: 'while-stopped' },
            spec: {
              schedule: '*/1 * * * *',
              jobTemplate: {
                spec: {
                  template: {
                    spec: {
                      restartPolicy: 'Never',
                      containers: [{ name: 'main', image: 'registry.example/busybox:1' }],
                    },
                  },
                },
              },
            },
          },
          ns,
        );
        // A running controller would create the Job for the most recent missed minute at once (see the test above).
        const past = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000)
          .toISOString()
          .replace('.000Z', 'Z');
        await kubectl(
          [
            'patch',
            'cronjob',
            'while-stopped',
            '-n',
            ns,
            '--subresource=status',
            '--type=merge',
            '-p',
            JSON.stringify({ status: { lastScheduleTime: past } }),
          ],
          { kubeconfig: cp.kubeconfigPath },
        );
        await new Promise((r) => setTimeout(r, 5_000));
        assert.deepEqual(
          (await listJobs()).map((j) => j.metadata.name),
          [],
          'no Job while kube-controller-manager is stopped',
        );
      } finally {
        await cp.startControllerManager();
      }
      const jobs = await waitFor(
        async () => {
          const items = await listJobs();
          return items.length ? items : undefined;
        },
        { timeoutMs: 60_000, what: 'the catch-up Job after the start' },
      );
      assert.equal(jobs.length, 1);
      const logAfter = readFileSync(logFile, 'utf8');
      assert.ok(
        logAfter.startsWith(logBefore) && logAfter.length > logBefore.length,
        'the log of the first run is kept, the restart appended to it',
      );
      assert.match(logAfter.slice(logBefore.length), /restarted at/);
    });
  });
});

function pick(t: any) {
  return { exitCode: t?.exitCode, reason: t?.reason };
}
