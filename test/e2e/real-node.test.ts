// The states the e2e tests rely on, produced by the real node (kubelet of the harness version, v1.37.2 by default; containerd,
// runc) and seen by the real Job controller: OOM kills under a memory limit, image pull
// failures, a missing ConfigMap, an unschedulable request (kube-scheduler), pod-level
// activeDeadlineSeconds, Indexed Jobs with per-index behaviour, kubelet events.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyYaml,
  e2eSkipReason,
  kubectl,
  podTemplate,
  useControlPlane,
  waitFor,
  withNamespace,
  type Behaviour,
  type ControlPlane,
} from './harness/index.js';

const TEST_TIMEOUT = 120_000;

function job(
  name: string,
  behaviour: Behaviour,
  spec: Record<string, unknown> = {},
  podSpec: Record<string, unknown> = {},
) {
  const template = podTemplate(behaviour);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { backoffLimit: 0, ...spec, template: { ...template, spec: { ...template.spec, ...podSpec } } },
  };
}

async function getJob(cp: ControlPlane, ns: string, name: string) {
  return cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
}

function hasCondition(obj: any, type: string) {
  return obj.status?.conditions?.some((c: any) => c.type === type && c.status === 'True');
}

async function pods(cp: ControlPlane, ns: string, jobName: string): Promise<any[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
    query: { labelSelector: `batch.kubernetes.io/job-name=${jobName}` },
  });
  return list.items;
}

async function events(cp: ControlPlane, ns: string, pod: string): Promise<any[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/events`, undefined, {
    query: { fieldSelector: `involvedObject.name=${pod}` },
  });
  return list.items;
}

async function failedJob(cp: ControlPlane, ns: string, name: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const j = await getJob(cp, ns, name);
      return hasCondition(j, 'Failed') && j;
    },
    { what: `Job ${name} Failed`, timeoutMs },
  );
}

describe('real node: pod states from real containers', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('oom: over its memory limit the container is OOMKilled (137), no pod reason; the Job fails with BackoffLimitExceeded', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('oom', [{ oom: true, after: '100ms' }]), ns);
      const j = await failedJob(cp, ns, 'oom');
      assert.equal(j.status.conditions.find((c: any) => c.type === 'Failed').reason, 'BackoffLimitExceeded');
      const [pod] = await pods(cp, ns, 'oom');
      assert.equal(pod.status.phase, 'Failed');
      assert.equal(pod.status.reason, undefined);
      const t = pod.status.containerStatuses[0].state.terminated;
      assert.equal(t.reason, 'OOMKilled');
      assert.equal(t.exitCode, 137);
      assert.equal(
        pod.status.containerStatuses[0].image,
        cp.image.includes('/') ? cp.image : `docker.io/library/${cp.image}`,
      );
      assert.match(pod.status.containerStatuses[0].containerID, /^containerd:\/\//);
      const reasons = (await events(cp, ns, pod.metadata.name)).map((e) => e.reason);
      for (const r of ['Scheduled', 'Pulled', 'Created', 'Started'])
        assert.ok(reasons.includes(r), `event ${r} in ${reasons}`);
    });
  });

  test('a missing image: ErrImagePull / ImagePullBackOff with kubelet events; kubectl logs says the container waits', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('stuck', [{ pending: 'ImagePullBackOff' }]), ns);
      const pod = await waitFor(
        async () =>
          (await pods(cp, ns, 'stuck')).find((p) =>
            /^(ErrImagePull|ImagePullBackOff)$/.test(p.status.containerStatuses?.[0]?.state.waiting?.reason ?? ''),
          ),
        { what: 'a pod waiting on its image' },
      );
      assert.equal(pod.status.phase, 'Pending');
      const logs = await kubectl(['logs', '-n', ns, pod.metadata.name], {
        kubeconfig: cp.kubeconfigPath,
        check: false,
      });
      assert.notEqual(logs.code, 0);
      assert.match(logs.stderr, /is waiting to start: (ErrImagePull|ImagePullBackOff|image can't be pulled)/);
      const evs = await waitFor(
        async () => {
          const e = await events(cp, ns, pod.metadata.name);
          return e.some((x) => x.reason === 'Failed' && /Failed to pull image/.test(x.message)) ? e : undefined;
        },
        { what: 'a Failed (pull) event' },
      );
      assert.ok(evs.some((e: any) => e.source?.component === 'kubelet' || e.reportingComponent === 'kubelet'));
      const j = await getJob(cp, ns, 'stuck');
      assert.equal(j.status.active, 1);
      assert.equal(j.status.ready ?? 0, 0);
    });
  });

  test('a missing ConfigMap: CreateContainerConfigError naming it', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('config', [{ pending: 'CreateContainerConfigError' }]), ns);
      const pod = await waitFor(
        async () =>
          (await pods(cp, ns, 'config')).find(
            (p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError',
          ),
        { what: 'CreateContainerConfigError' },
      );
      assert.match(
        pod.status.containerStatuses[0].state.waiting.message,
        /configmap "kubectl-job-e2e-missing" not found/,
      );
      assert.equal(pod.status.phase, 'Pending');
    });
  });

  test('unschedulable: kube-scheduler leaves the pod Pending with PodScheduled False/Unschedulable and a FailedScheduling event', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const template = podTemplate([{}]);
      const container = { ...(template.spec.containers[0] as object), resources: { requests: { cpu: '500' } } };
      await applyYaml(cp.kubeconfigPath, job('huge', [{}], {}, { containers: [container] }), ns);
      const pod = await waitFor(
        async () =>
          (await pods(cp, ns, 'huge')).find((p) =>
            p.status.conditions?.some((c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'),
          ),
        { what: 'an Unschedulable pod' },
      );
      const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
      assert.equal(cond.status, 'False');
      assert.match(cond.message, /Insufficient cpu/);
      assert.equal(pod.spec.nodeName, undefined);
      const evs = await waitFor(
        async () => (await events(cp, ns, pod.metadata.name)).find((e) => e.reason === 'FailedScheduling'),
        { what: 'FailedScheduling' },
      );
      assert.match(evs.message, /Insufficient cpu/);
    });
  });

  test('pod activeDeadlineSeconds: phase Failed, reason DeadlineExceeded, container killed', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(
        cp.kubeconfigPath,
        job('poddeadline', [{ hang: true }], { backoffLimit: 0 }, { activeDeadlineSeconds: 3 }),
        ns,
      );
      const j = await failedJob(cp, ns, 'poddeadline', 90_000);
      const [pod] = await pods(cp, ns, 'poddeadline');
      assert.equal(pod.status.phase, 'Failed');
      assert.equal(pod.status.reason, 'DeadlineExceeded');
      assert.equal(pod.status.message, 'Pod was active on the node longer than the specified deadline');
      const t = pod.status.containerStatuses[0].state.terminated;
      assert.ok(t, 'the container terminated');
      assert.notEqual(t.exitCode, 0);
      assert.equal(
        j.status.conditions.find((c: any) => c.type === 'Failed').reason,
        'BackoffLimitExceeded',
        'the Job counts the pod as a failure',
      );
    });
  });

  test('Indexed Job: only index 1 fails once (per-index behaviour through JOB_COMPLETION_INDEX)', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const behaviour = {
        steps: [{ log: 'index {pod}' }],
        byIndex: { 1: [{ exit: 1, log: 'index 1 fails' }, { exit: 0 }] },
      };
      await applyYaml(
        cp.kubeconfigPath,
        job('indexed', behaviour, { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 2 }),
        ns,
      );
      const j = await waitFor(
        async () => {
          const j = await getJob(cp, ns, 'indexed');
          return hasCondition(j, 'Complete') && j;
        },
        { timeoutMs: 90_000, what: 'Job indexed Complete' },
      );
      assert.equal(j.status.succeeded, 3);
      assert.equal(j.status.failed, 1);
      const failed = (await pods(cp, ns, 'indexed')).filter((p) => p.status.phase === 'Failed');
      assert.deepEqual(
        failed.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']),
        ['1'],
      );
    });
  });
});
