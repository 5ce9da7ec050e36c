// `why <job>` against the real Job controller (kube-controller-manager of the harness version, v1.37.2 by default): podFailurePolicy
// (FailJob on an exit code, Ignore on DisruptionTarget), Indexed Jobs with backoffLimitPerIndex,
// Jobs that make no progress (image pull back-off, parallelism 0) and suspended Jobs. The tool's
// cause code must be the reason of the condition the controller writes (or, for Jobs without a
// condition, agree with what the controller did), with matching counts and index lists.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eSkipReason, useControlPlane, waitFor, withNamespace } from '../harness/index.js';
import { decideJob } from '../../../src/controller/job/index.js';
import type { Pod } from '../../../src/api/types.js';
import {
  assertOnTime,
  cause,
  codes,
  createJob,
  decided,
  getJob,
  jobManifest,
  jobPods,
  t,
  trueCond,
  why,
  inJobScene,
  predictedCondition,
  waitForCondition,
} from './support.js';

const TIMEOUT = 120_000;
const INDEX = 'batch.kubernetes.io/job-completion-index';

function finishedAt(p: Pod): number {
  return t(p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt);
}

function indexOf(p: Pod): string | undefined {
  return p.metadata.annotations?.[INDEX];
}

describe('why <job>: podFailurePolicy, indexes, stuck and suspended Jobs against the real Job controller', {
  skip: e2eSkipReason(),
}, () => {
  const controlPlane = useControlPlane();

  test("4. podFailurePolicy FailJob onExitCodes [42]: PodFailurePolicy with exactly the controller's message", {
    timeout: TIMEOUT,
  }, async () => {
    await inJobScene(controlPlane(), async ({ cp, ns, rec, version }) => {
      // The FailJob rule is the second one (index 1): the message names the rule index.
      const podFailurePolicy = {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        ],
      };
      await createJob(
        cp,
        ns,
        jobManifest('fatal', [{ exit: 42, after: '300ms', message: 'fatal error' }], {
          backoffLimit: 6,
          podFailurePolicy,
        }),
      );
      const job = await waitForCondition(cp, ns, 'fatal', 'Failed');
      const target = trueCond(job, 'FailureTarget');
      const failed = trueCond(job, 'Failed')!;
      assert.ok(target, 'FailureTarget');
      const [pod] = await jobPods(cp, ns, 'fatal');
      assert.ok(pod);
      assert.equal(failed.reason, 'PodFailurePolicy');
      assert.equal(
        failed.message,
        `Container main for pod ${ns}/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 1`,
      );

      // The model's prediction from the state just before the controller acted.
      const before = rec.decideBefore('fatal', decided, new Date(t(target.lastTransitionTime)), version);
      assert.equal(before.pods[0]?.status?.phase, 'Failed');
      assert.equal(before.decision.predicted, true);
      assert.equal(before.decision.rule, 'podFailurePolicy');
      assert.equal(before.decision.causes[0]!.code, target.reason);
      assert.equal(
        predictedCondition(before.decision).message,
        target.message,
        'predicted message == controller message',
      );

      const { code, v } = await why(cp, ns, 'fatal');
      assert.equal(code, 1);
      assert.equal(v.verdict, 'failed');
      assert.equal(v.causes[0]!.code, failed.reason);
      assert.equal(v.rule, 'podFailurePolicy');
      assert.equal(v.condition?.message, failed.message);
      const ev = v.causes[0]!.evidence.find((e) => e.object === `pod/${pod.metadata.name}`);
      assert.ok(
        ev && /exited 42, matching rule 1 \(FailJob on exit code In \[42\] \(container main\)\)/.test(ev.text),
        JSON.stringify(v.causes[0]),
      );
      // A FailJob failure still counts as a failed pod.
      assert.equal(job.status?.failed, 1);
      assert.equal(v.failures.counted, job.status?.failed);
      assert.equal(v.failures.byPods, job.status?.failed);
      assert.equal(v.failures.ignored, 0);
      assert.deepEqual(
        v.attempts.map((a) => [a.pod, a.exitCode]),
        [[pod.metadata.name, 42]],
      );
    });
  });

  test('5. podFailurePolicy Ignore onPodConditions DisruptionTarget: a pod evicted through the Eviction API is ignored (backoff still applies), the Job completes with failed 0', {
    timeout: TIMEOUT,
  }, async () => {
    await inJobScene(controlPlane(), async ({ cp, ns, rec, version }) => {
      // backoffLimit 0: had the disruption counted, the Job would fail at once.
      const podFailurePolicy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
      await createJob(
        cp,
        ns,
        jobManifest('disrupted', [{ hang: true }, { exit: 0, after: '300ms' }], {
          backoffLimit: 0,
          podFailurePolicy,
        }),
      );
      const [p1] = await waitFor(
        async () => {
          const ps = await jobPods(cp, ns, 'disrupted');
          return ps.length === 1 && ps[0]!.status?.containerStatuses?.[0]?.state?.running ? ps : undefined;
        },
        { what: 'the first pod running', intervalMs: 100 },
      );
      // The Eviction API adds DisruptionTarget (EvictionByEvictionAPI) and deletes the pod; the
      // container traps SIGTERM and exits 143, the kubelet writes phase Failed.
      await cp.client.request('POST', `/api/v1/namespaces/${ns}/pods/${p1!.metadata.name}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: p1!.metadata.name, namespace: ns },
      });
      const job = await waitForCondition(cp, ns, 'disrupted', 'Complete', 90_000);

      // The evicted pod as the kubelet last wrote it: Failed, with the API server's condition.
      const failedV = rec.podVersions((p) => p.metadata.uid === p1!.metadata.uid && p.status?.phase === 'Failed')[0];
      assert.ok(failedV, 'the evicted pod was seen Failed');
      const evicted = failedV.object;
      const dt = evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      assert.equal(dt?.status, 'True');
      assert.equal(dt?.reason, 'EvictionByEvictionAPI');
      assert.equal(evicted.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 143);

      // The model on the cluster as it was when the pod had failed: ignored, backing off.
      const { job: jobThen, pods: podsThen } = rec.at('disrupted', failedV.rv);
      const b = decideJob({
        job: jobThen,
        pods: podsThen,
        events: [],
        now: new Date(failedV.seen),
        serverVersion: version,
      });
      assert.equal(b.verdict, 'backing-off', `causes: ${codes(b)}`);
      assert.ok(b.nextRetryAt);
      assert.equal(t(b.nextRetryAt), finishedAt(evicted) + 10_000);
      assert.equal(b.failures.ignored, 1);
      assert.equal(b.failures.counted, 0);

      const pods = await jobPods(cp, ns, 'disrupted');
      assert.deepEqual(
        pods.map((p) => p.metadata.uid === p1!.metadata.uid),
        [false],
        'the evicted pod is gone; only the second remains',
      );
      const uid2 = pods[0]!.metadata.uid;
      assertOnTime(
        t(pods[0]!.metadata.creationTimestamp),
        rec.podFirstSeen((p) => p.metadata.uid === uid2)!,
        t(b.nextRetryAt),
        'creation of the second pod',
      );
      assert.equal(trueCond(job, 'Failed'), undefined);
      assert.equal(job.status?.failed ?? 0, 0, 'the controller did not count the disruption');
      assert.equal(job.status?.succeeded, 1);
      const complete = trueCond(job, 'Complete')!;
      const met = trueCond(job, 'SuccessCriteriaMet');
      assert.ok(met, 'SuccessCriteriaMet');

      // Just before the controller wrote SuccessCriteriaMet (decideBefore would stop at the
      // eviction's deletion, which was ours, not the controller's).
      const metRv = rec.firstJob('disrupted', decided)!.rv;
      const at = rec.at('disrupted', metRv - 1);
      const before = {
        decision: decideJob({ ...at, events: [], now: new Date(t(met.lastTransitionTime)), serverVersion: version }),
      };
      assert.equal(before.decision.predicted, true);
      assert.equal(before.decision.verdict, 'succeeded');
      assert.equal(before.decision.rule, 'completions');
      assert.equal(before.decision.causes[0]!.code, met.reason);
      assert.deepEqual(predictedCondition(before.decision), { reason: met.reason, message: met.message });

      const { code, v } = await why(cp, ns, 'disrupted');
      assert.equal(code, 0);
      assert.equal(v.verdict, 'succeeded');
      assert.equal(v.causes[0]!.code, complete.reason);
      assert.equal(v.rule, 'completions');
      assert.equal(v.failures.counted, job.status?.failed ?? 0);
      assert.equal(v.failures.byPods, job.status?.failed ?? 0);
      assert.deepEqual(
        v.attempts.map((a) => [a.pod, a.phase, a.reason]),
        [[pods[0]!.metadata.name, 'Succeeded', 'Completed']],
      );
    });
  });

  test('6. Indexed Job, backoffLimitPerIndex: MaxFailedIndexesExceeded and FailedIndexes match the controller, failed indexes match status.failedIndexes', {
    timeout: TIMEOUT,
  }, async () => {
    await inJobScene(controlPlane(), async ({ cp, ns, rec, version }) => {
      // perindex: index 0 succeeds, index 2 exits 3 (FailIndex: failed at once), index 1 exits 1
      // twice (backoffLimitPerIndex 1: failed at its second failure) → 2 failed indexes > 1.
      const podFailurePolicy = { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] };
      // Index 1 runs 3 s, so it fails after the others have settled even when the real node
      // starts the three containers seconds apart: its 10 s back-off is then all prediction window.
      await createJob(
        cp,
        ns,
        jobManifest(
          'perindex',
          { byIndex: { 0: [{ after: '300ms' }], 1: [{ exit: 1, after: '3s' }], 2: [{ exit: 3, after: '300ms' }] } },
          {
            completionMode: 'Indexed',
            completions: 3,
            parallelism: 3,
            backoffLimitPerIndex: 1,
            maxFailedIndexes: 1,
            podFailurePolicy,
          },
        ),
      );
      // failedindexes: index 0 succeeds, index 1 fails once with backoffLimitPerIndex 0 → FailedIndexes.
      await createJob(
        cp,
        ns,
        jobManifest(
          'failedindexes',
          { byIndex: { 0: [{ after: '1s' }], 1: [{ exit: 1, after: '300ms' }] } },
          {
            completionMode: 'Indexed',
            completions: 2,
            parallelism: 2,
            backoffLimitPerIndex: 0,
          },
        ),
      );

      // While index 1 backs off: the model's index sets and per-index retry instant.
      const [mid, midPods] = await waitFor(
        async () => {
          const j = await getJob(cp, ns, 'perindex');
          const ps = await jobPods(cp, ns, 'perindex');
          // Settled: nothing left in uncountedTerminatedPods.
          const ok =
            j.status?.failedIndexes === '2' &&
            j.status.completedIndexes === '0' &&
            ps.length === 3 &&
            (j.status.uncountedTerminatedPods?.failed ?? []).length === 0 &&
            (j.status.uncountedTerminatedPods?.succeeded ?? []).length === 0 &&
            ps.find((p) => indexOf(p) === '1')?.status?.phase === 'Failed';
          return ok ? ([j, ps] as const) : undefined;
        },
        {
          what: 'perindex: index 0 completed, index 2 failed, index 1 failed once',
          intervalMs: 100,
          timeoutMs: 30_000,
        },
      );
      const { v: b } = await why(cp, ns, 'perindex');
      assert.equal(b.attempts.length, 3, 'the prediction was made before index 1 got a second pod');
      assert.equal(b.verdict, 'backing-off', `causes: ${codes(b)}`);
      assert.equal(b.indexes?.failed, mid.status?.failedIndexes);
      assert.equal(b.indexes?.completed, mid.status?.completedIndexes);
      const first1 = midPods.find((p) => indexOf(p) === '1')!;
      assert.equal(t(b.nextRetryAt), finishedAt(first1) + 10_000, 'index 1: first failure → 10 s');
      assert.deepEqual(
        b.indexes?.perIndex.map((s) => [s.index, s.failures, s.failed, s.succeeded]),
        [
          [0, 0, false, true],
          [1, 1, false, false],
          [2, 1, true, false],
        ],
      );
      // The controller keeps the tracking finalizer on index 1's failed pod until its replacement
      // exists (getPodsWithDelayedDeletionPerIndex), so status.failed does not include it yet; the
      // model counts it, as the controller's own sync does (status.failed + new failed pods).
      const pending = midPods.filter(
        (p) => p.status?.phase === 'Failed' && p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'),
      );
      assert.deepEqual(pending.map(indexOf), ['1'], "only index 1's failed pod is not counted in status yet");
      assert.equal(b.failures.byPods, (mid.status?.failed ?? 0) + pending.length);

      const job = await waitForCondition(cp, ns, 'perindex', 'Failed');
      const target = trueCond(job, 'FailureTarget');
      const failed = trueCond(job, 'Failed')!;
      assert.ok(target);
      assert.equal(failed.reason, 'MaxFailedIndexesExceeded');
      const second1 = (await jobPods(cp, ns, 'perindex')).filter((p) => indexOf(p) === '1')[1];
      assert.ok(second1, 'index 1 was retried');
      assertOnTime(
        t(second1.metadata.creationTimestamp),
        rec.podFirstSeen((p) => p.metadata.uid === second1.metadata.uid)!,
        t(b.nextRetryAt),
        'creation of the second pod of index 1',
      );

      const before = rec.decideBefore('perindex', decided, new Date(t(target.lastTransitionTime)), version);
      assert.equal(before.decision.predicted, true);
      assert.equal(before.decision.rule, 'maxFailedIndexes');
      assert.equal(before.decision.causes[0]!.code, target.reason);
      assert.deepEqual(predictedCondition(before.decision), { reason: target.reason, message: target.message });

      const { code, v } = await why(cp, ns, 'perindex');
      assert.equal(code, 1);
      assert.equal(v.verdict, 'failed');
      assert.equal(v.causes[0]!.code, failed.reason);
      assert.equal(v.rule, 'maxFailedIndexes');
      assert.equal(v.condition?.message, failed.message);
      assert.equal(job.status?.failedIndexes, '1,2');
      assert.equal(v.indexes?.failed, job.status?.failedIndexes);
      assert.equal(v.indexes?.completed, job.status?.completedIndexes);
      assert.equal(v.failures.byPods, job.status?.failed);

      const job2 = await waitForCondition(cp, ns, 'failedindexes', 'Failed');
      const failed2 = trueCond(job2, 'Failed')!;
      const target2 = trueCond(job2, 'FailureTarget')!;
      assert.equal(failed2.reason, 'FailedIndexes');
      const before2 = rec.decideBefore('failedindexes', decided, new Date(t(target2.lastTransitionTime)), version);
      assert.equal(before2.decision.rule, 'failedIndexes');
      assert.deepEqual(predictedCondition(before2.decision), { reason: target2.reason, message: target2.message });
      const { v: v2 } = await why(cp, ns, 'failedindexes');
      assert.equal(v2.verdict, 'failed');
      assert.equal(v2.causes[0]!.code, failed2.reason);
      assert.equal(v2.rule, 'failedIndexes');
      assert.equal(job2.status?.failedIndexes, '1');
      assert.equal(v2.indexes?.failed, job2.status?.failedIndexes);
      assert.equal(v2.indexes?.completed, job2.status?.completedIndexes);
    });
  });

  test('7. stuck: a pod kept Pending in ImagePullBackOff → cause ImagePull; parallelism 0 → cause ParallelismZero', {
    timeout: TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await createJob(cp, ns, jobManifest('imagepull', [{ pending: 'ImagePullBackOff' }], { backoffLimit: 0 }));
      await createJob(cp, ns, jobManifest('paused', [{}], { parallelism: 0 }));
      const pod = await waitFor(
        async () =>
          (await jobPods(cp, ns, 'imagepull')).find(
            (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff',
          ),
        { what: 'a pod in ImagePullBackOff', intervalMs: 100 },
      );
      const job = await waitFor(
        async () => {
          const j = await getJob(cp, ns, 'imagepull');
          return j.status?.active === 1 ? j : undefined;
        },
        { what: 'imagepull active 1' },
      );
      // The controller synced the paused Job (startTime set) and created no pod for it.
      const paused = await waitFor(
        async () => {
          const j = await getJob(cp, ns, 'paused');
          return j.status?.startTime ? j : undefined;
        },
        { what: 'paused synced' },
      );

      const [{ code, v }, { code: code0, v: v0 }] = await Promise.all([
        why(cp, ns, 'imagepull'),
        why(cp, ns, 'paused'),
      ]);
      // The controller sees nothing wrong: no condition, the pod is active, no failure counted.
      assert.equal(job.status?.conditions?.length ?? 0, 0);
      assert.equal(job.status?.failed ?? 0, 0);
      assert.equal(code, 1);
      assert.equal(v.verdict, 'stuck', `causes: ${codes(v)}`);
      assert.equal(v.condition, null);
      const pull = cause(v, 'ImagePull');
      assert.ok(pull, `causes: ${codes(v)}`);
      assert.equal(pull.severity, 'error');
      assert.ok(
        pull.evidence.some((e) => e.object === `pod/${pod.metadata.name}` && e.text.includes('ImagePullBackOff')),
        JSON.stringify(pull.evidence),
      );
      assert.equal(v.failures.counted, 0);
      assert.equal(v.pods.active, job.status?.active);

      assert.deepEqual(await jobPods(cp, ns, 'paused'), []);
      assert.equal(paused.status?.active ?? 0, 0);
      assert.equal(paused.status?.conditions?.length ?? 0, 0);
      assert.equal(code0, 1);
      assert.equal(v0.verdict, 'stuck', `causes: ${codes(v0)}`);
      assert.equal(v0.causes[0]?.code, 'ParallelismZero', `causes: ${codes(v0)}`);
    });
  });

  test("8. suspended Job: verdict suspended, cause JobSuspended = the controller's Suspended condition reason", {
    timeout: TIMEOUT,
  }, async () => {
    const cp = controlPlane();
    await withNamespace(cp, async (ns) => {
      await createJob(cp, ns, jobManifest('held', [{}], { suspend: true }));
      const job = await waitForCondition(cp, ns, 'held', 'Suspended');
      const suspended = trueCond(job, 'Suspended')!;
      const { code, v } = await why(cp, ns, 'held');
      assert.equal(code, 1);
      assert.equal(v.verdict, 'suspended', `causes: ${codes(v)}`);
      assert.equal(v.causes[0]?.code, suspended.reason);
      assert.equal(suspended.reason, 'JobSuspended');
      assert.ok(
        v.causes[0]!.evidence.some(
          (e) =>
            e.field === '.status.conditions[?(@.type=="Suspended")]' && e.text.includes(`reason ${suspended.reason}`),
        ),
        JSON.stringify(v.causes[0]),
      );
      assert.equal(job.status?.startTime, undefined, 'a suspended Job never started');
      assert.deepEqual(await jobPods(cp, ns, 'held'), []);
      assert.deepEqual(v.attempts, []);
    });
  });
});
