// The kubelet stand-in's script options against the real Job controller: OOM kills,
// disruption conditions with a podFailurePolicy, pods stuck Pending, Indexed Jobs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SCRIPT_ANNOTATION, applyYaml, e2eSkipReason, kubectl, script, useControlPlane, waitFor, withNamespace,
  type ControlPlane, type Step,
} from './harness/index.js';

const TEST_TIMEOUT = 120_000;

function job(name: string, annotation: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: 0,
      ...spec,
      template: {
        metadata: { annotations: { [SCRIPT_ANNOTATION]: annotation } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.example/app:1' }] },
      },
    },
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

describe('kubelet stand-in scripts', { skip: e2eSkipReason() }, () => {
  const controlPlane = useControlPlane();

  test('oom: the container is OOMKilled (137) and the Job fails with BackoffLimitExceeded', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('oom', script([{ oom: true, after: '300ms' }])), ns);
      const j = await waitFor(async () => {
        const j = await getJob(cp, ns, 'oom');
        return hasCondition(j, 'Failed') && j;
      }, { what: 'Job oom Failed' });
      assert.equal(j.status.conditions.find((c: any) => c.type === 'Failed').reason, 'BackoffLimitExceeded');
      const [pod] = await pods(cp, ns, 'oom');
      assert.equal(pod.status.phase, 'Failed');
      const t = pod.status.containerStatuses[0].state.terminated;
      assert.equal(t.reason, 'OOMKilled');
      assert.equal(t.exitCode, 137);
    });
  });

  test('condition: a DisruptionTarget failure is ignored by the podFailurePolicy; exit 42 fails the Job', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const podFailurePolicy = {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        ],
      };
      const evicted: Step = { condition: { type: 'DisruptionTarget', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, podReason: 'Evicted' };
      await applyYaml(cp.kubeconfigPath, [
        job('disrupted', script([evicted, { exit: 0 }]), { podFailurePolicy }),
        job('fatal', script([{ exit: 42, message: 'fatal error' }]), { podFailurePolicy, backoffLimit: 6 }),
      ], ns);

      const disrupted = await waitFor(async () => {
        const j = await getJob(cp, ns, 'disrupted');
        return hasCondition(j, 'Complete') && j;
      }, { what: 'Job disrupted Complete' });
      assert.equal(disrupted.status.succeeded, 1);
      assert.equal(disrupted.status.failed ?? 0, 0, 'ignored failures are not counted');
      const failedPod = (await pods(cp, ns, 'disrupted')).find((p) => p.status.phase === 'Failed');
      assert.ok(failedPod);
      assert.equal(failedPod.status.reason, 'Evicted');
      assert.ok(failedPod.status.conditions.some((c: any) => c.type === 'DisruptionTarget' && c.reason === 'EvictionByEvictionAPI'));

      const fatal = await waitFor(async () => {
        const j = await getJob(cp, ns, 'fatal');
        return hasCondition(j, 'Failed') && j;
      }, { what: 'Job fatal Failed' });
      assert.equal(fatal.status.conditions.find((c: any) => c.type === 'Failed').reason, 'PodFailurePolicy');
      const [fatalPod] = await pods(cp, ns, 'fatal');
      assert.equal(fatalPod.status.containerStatuses[0].state.terminated.message, 'fatal error');
    });
  });

  test('pending: the pod stays Pending with a waiting reason; kubectl logs says so', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('stuck', script([{ pending: 'ImagePullBackOff', pendingMessage: 'Back-off pulling image' }])), ns);
      const pod = await waitFor(async () => (await pods(cp, ns, 'stuck')).find((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff'), { what: 'a pod waiting in ImagePullBackOff' });
      assert.equal(pod.status.phase, 'Pending');
      const logs = await kubectl(['logs', '-n', ns, pod.metadata.name], { kubeconfig: cp.kubeconfigPath, check: false });
      assert.notEqual(logs.code, 0);
      assert.match(logs.stderr, /is waiting to start: ImagePullBackOff/);
      const j = await getJob(cp, ns, 'stuck');
      assert.equal(j.status.active, 1);
      assert.equal(j.status.ready ?? 0, 0);
    });
  });

  test('byIndex: in an Indexed Job only index 1 fails once', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      const annotation = script({ steps: [{ log: 'index {pod}' }], byIndex: { 1: [{ exit: 1, log: 'index 1 fails' }, { exit: 0 }] } });
      await applyYaml(cp.kubeconfigPath, job('indexed', annotation, { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 2 }), ns);
      const j = await waitFor(async () => {
        const j = await getJob(cp, ns, 'indexed');
        return hasCondition(j, 'Complete') && j;
      }, { timeoutMs: 90_000, what: 'Job indexed Complete' });
      assert.equal(j.status.succeeded, 3);
      assert.equal(j.status.failed, 1);
      const failed = (await pods(cp, ns, 'indexed')).filter((p) => p.status.phase === 'Failed');
      assert.deepEqual(failed.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']), ['1']);
    });
  });

  test('an invalid script keeps the pod Pending with CreateContainerConfigError', { timeout: TEST_TIMEOUT }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await applyYaml(cp.kubeconfigPath, job('invalid', '[{"exit":1,"sleep":"1s"}]'), ns);
      const pod = await waitFor(async () => (await pods(cp, ns, 'invalid')).find((p) => p.status.containerStatuses?.[0]?.state.waiting), { what: 'a waiting pod' });
      const waiting = pod.status.containerStatuses[0].state.waiting;
      assert.equal(waiting.reason, 'CreateContainerConfigError');
      assert.match(waiting.message, /unknown key "sleep"/);
    });
  });
});
