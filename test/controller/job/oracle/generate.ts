// Seeded, reproducible generator of Job states (a Job with its pods and an instant) for the
// differential test against the Job controller's own syncJob. States respect the API server's
// validation (what a real cluster can hold): Indexed Jobs have completions, backoffLimitPerIndex
// and successPolicy only on Indexed Jobs, podFailurePolicy only with restartPolicy Never and
// podReplacementPolicy Failed, FailIndex only with backoffLimitPerIndex, managedBy only where the
// server honours it (1.32+). Pods are owned by the Job (controller ownerReference and the
// controller-uid label) as the controller creates them.
import type {
  Condition,
  ContainerStatus,
  Job,
  Pod,
  PodFailurePolicyRule,
  SuccessPolicyRule,
} from '../../../../src/api/types.js';

import { rng } from '../../../support/rng.js';
export { rng };

export interface JobState {
  id: string;
  job: Job;
  pods: Pod[];
  now: string;
}

const BASE = Date.parse('2026-06-01T12:00:00Z');
const EXIT_CODES = [1, 2, 3, 42, 137];
const UID = 'uid-job-0000';
const TRACKING = 'batch.kubernetes.io/job-tracking';
const INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILS = 'batch.kubernetes.io/job-index-failure-count';
const IGNORED = 'batch.kubernetes.io/job-index-ignored-failure-count';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One state for `seed` against a server of minor `minor` (1.x). */
export function generateState(seed: number, minor: number): JobState {
  const r = rng(seed * 7919 + minor);
  const chance = (p: number) => r() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const now = BASE + int(0, 86_400) * 1000;

  const indexed = chance(0.45);
  const restartPolicy = chance(0.2) ? 'OnFailure' : 'Never';
  const completions = indexed ? int(1, 6) : chance(0.3) ? undefined : int(1, 6);
  const spec: Job['spec'] = {
    template: {
      metadata: { labels: { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'j' } },
      spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox' }] },
    },
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
  };
  if (completions !== undefined) spec.completions = completions;
  if (chance(0.85)) spec.parallelism = int(0, 5);
  if (indexed) spec.completionMode = 'Indexed';
  else if (chance(0.5)) spec.completionMode = 'NonIndexed';
  if (chance(0.7)) spec.backoffLimit = int(0, 6);
  const perIndex = indexed && chance(0.5);
  if (perIndex) {
    spec.backoffLimitPerIndex = int(0, 3);
    if (chance(0.5)) spec.maxFailedIndexes = int(0, completions!);
  }
  if (restartPolicy === 'Never' && chance(0.4)) {
    const rules: PodFailurePolicyRule[] = [];
    for (let i = int(1, 3); i > 0; i--) {
      const actions = perIndex ? ['FailJob', 'Ignore', 'Count', 'FailIndex'] : ['FailJob', 'Ignore', 'Count'];
      const action = pick(actions);
      if (chance(0.6)) {
        const values = [...new Set([pick(EXIT_CODES), pick(EXIT_CODES)])].sort((a, b) => a - b);
        const req: PodFailurePolicyRule['onExitCodes'] = { operator: chance(0.75) ? 'In' : 'NotIn', values };
        if (chance(0.2)) req!.containerName = chance(0.7) ? 'main' : 'other';
        rules.push({ action, onExitCodes: req });
      } else {
        rules.push({ action, onPodConditions: [{ type: pick(['DisruptionTarget', 'ConfigIssue']), status: 'True' }] });
      }
    }
    spec.podFailurePolicy = { rules };
    if (chance(0.5)) spec.podReplacementPolicy = 'Failed';
  } else if (chance(0.4)) {
    spec.podReplacementPolicy = chance(0.5) ? 'Failed' : 'TerminatingOrFailed';
  }
  if (indexed && chance(0.25)) {
    const rules: SuccessPolicyRule[] = [];
    for (let i = int(1, 2); i > 0; i--) {
      const a = int(0, completions! - 1);
      const b = int(a, completions! - 1);
      if (chance(0.5)) {
        const rule: SuccessPolicyRule = { succeededIndexes: a === b ? `${a}` : `${a}-${b}` };
        if (chance(0.4)) rule.succeededCount = int(1, b - a + 1);
        rules.push(rule);
      } else rules.push({ succeededCount: int(1, completions!) });
    }
    spec.successPolicy = { rules };
  }
  if (chance(0.2)) spec.activeDeadlineSeconds = int(30, 900);
  const suspended = chance(0.12);
  if (suspended) spec.suspend = true;
  else if (chance(0.1)) spec.suspend = false;
  if (minor >= 32 && chance(0.03)) spec.managedBy = chance(0.5) ? 'example.com/other' : 'kubernetes.io/job-controller';

  // Pods.
  const pods: Pod[] = [];
  const nPods = int(0, 7);
  const indexedPods: Array<{ ix: number; finished: number; annotations: Record<string, string>; has: boolean }> = [];
  for (let i = 0; i < nPods; i++) {
    const name = `j-${i}-${seed.toString(36)}`;
    const created = now - int(30, 1200) * 1000;
    const phase = pick(['Pending', 'Running', 'Running', 'Succeeded', 'Failed', 'Failed', 'Failed']);
    const annotations: Record<string, string> = {};
    const labels: Record<string, string> = {
      'batch.kubernetes.io/controller-uid': UID,
      'batch.kubernetes.io/job-name': 'j',
    };
    let ix: number | null = null;
    if (indexed) {
      const roll = r();
      if (roll < 0.85) ix = int(0, completions! - 1);
      if (roll < 0.85) annotations[INDEX] = String(ix);
      else if (roll < 0.89) annotations[INDEX] = String(completions! + int(0, 2));
      else if (roll < 0.92) annotations[INDEX] = pick(['x', '-1', '+1', '01', ' 1', '1.0', '99999999999999999999']);
      else if (roll < 0.95) labels[INDEX] = '0'; // label only, no annotation
      // else: no index at all
      if (annotations[INDEX] !== undefined && roll < 0.85) labels[INDEX] = annotations[INDEX]!;
    }
    // Finish time: ties are frequent on purpose (several pods of one index finishing together).
    const finished = now - pick([5, 5, 12, 30, 61, 200, 700]) * 1000 - (chance(0.3) ? 0 : int(0, 3) * 1000);
    if (perIndex && ix !== null) indexedPods.push({ ix, finished, annotations, has: chance(0.9) });
    const deleting = chance(0.15);
    const tracked = phase === 'Pending' || phase === 'Running' ? chance(0.97) : chance(0.7);
    const conditions: Condition[] = [];
    const containerStatuses: ContainerStatus[] = [];
    const restarts = restartPolicy === 'OnFailure' && chance(0.4) ? int(0, 4) : 0;
    if (phase === 'Running') {
      const isReady = chance(0.7);
      conditions.push({ type: 'Ready', status: isReady ? 'True' : 'False', lastTransitionTime: iso(created + 2000) });
      containerStatuses.push({
        name: 'main',
        restartCount: restarts,
        ready: isReady,
        state: { running: { startedAt: iso(created + 1000) } },
      });
    } else if (phase === 'Pending') {
      containerStatuses.push({
        name: 'main',
        restartCount: restarts,
        state: { waiting: { reason: 'ContainerCreating' } },
      });
    } else {
      const exitCode = phase === 'Succeeded' ? 0 : pick(EXIT_CODES);
      const term = {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : exitCode === 137 ? 'OOMKilled' : 'Error',
        startedAt: iso(created + 1000),
        finishedAt: iso(finished),
      };
      if ((perIndex && ix !== null) || chance(0.9))
        containerStatuses.push({ name: 'main', restartCount: 0, state: { terminated: term } });
      if (phase === 'Failed' && chance(0.2)) {
        conditions.push({
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'EvictionByEvictionAPI',
          lastTransitionTime: iso(finished - 1000),
        });
      }
      if (phase === 'Failed' && chance(0.05))
        conditions.push({ type: 'ConfigIssue', status: 'True', lastTransitionTime: iso(finished - 1000) });
      if (chance(0.6))
        conditions.push({
          type: 'Ready',
          status: 'False',
          lastTransitionTime: iso(finished + (chance(0.5) ? 0 : 1000)),
        });
    }
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-pod-${i}`,
        creationTimestamp: iso(created),
        labels,
        annotations,
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: UID, controller: true, blockOwnerDeletion: true },
        ],
        ...(tracked ? { finalizers: [TRACKING] } : {}),
        ...(deleting
          ? { deletionTimestamp: iso(now - int(0, 60) * 1000), deletionGracePeriodSeconds: pick([0, 30]) }
          : {}),
      },
      spec: {
        restartPolicy,
        containers: [{ name: 'main', image: 'busybox' }],
        ...(chance(0.8) && phase !== 'Pending' ? { nodeName: 'node-1' } : {}),
      },
      status: { phase, conditions, containerStatuses, startTime: iso(created + 500) },
    };
    pods.push(pod);
  }

  // Failure counts never decrease with finish time within an index, as the controller writes them;
  // pods finishing at the same instant may still carry different counts.
  const byIx = new Map<number, typeof indexedPods>();
  for (const p of indexedPods) byIx.set(p.ix, [...(byIx.get(p.ix) ?? []), p]);
  for (const group of byIx.values()) {
    let count = int(0, 2);
    let ignored = 0;
    for (const p of group.sort((a, b) => a.finished - b.finished)) {
      if (p.has || group.length > 1) p.annotations[FAILS] = String(count);
      if (chance(0.15)) ignored++;
      if (ignored > 0) p.annotations[IGNORED] = String(ignored);
      count += int(0, 1);
    }
  }

  // Status: counters consistent with what a controller could have written before.
  const active = pods.filter(
    (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp,
  ).length;
  const status: NonNullable<Job['status']> = {};
  if (!suspended || chance(0.3)) status.startTime = iso(now - int(0, 1000) * 1000);
  if (chance(0.8)) status.active = chance(0.85) ? active : int(0, 3);
  const untrackedFailed = pods.filter((p) => p.status?.phase === 'Failed' && !p.metadata.finalizers).length;
  status.failed = untrackedFailed + (chance(0.3) ? int(0, 3) : 0);
  if (indexed) {
    const done = new Set<number>();
    for (let k = 0; k < completions!; k++) if (chance(0.2)) done.add(k);
    status.completedIndexes = compress([...done]);
    status.succeeded = done.size;
    if (perIndex) {
      const failedIx = new Set<number>();
      for (let k = 0; k < completions!; k++) if (!done.has(k) && chance(0.12)) failedIx.add(k);
      status.failedIndexes = compress([...failedIx]);
    }
  } else {
    status.succeeded =
      pods.filter((p) => p.status?.phase === 'Succeeded' && !p.metadata.finalizers).length +
      (chance(0.2) ? int(0, 2) : 0);
    if (chance(0.15)) {
      const unc = pods.filter(
        (p) => p.metadata.finalizers && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded'),
      );
      const failedU = unc.filter((p) => p.status?.phase === 'Failed').map((p) => p.metadata.uid!);
      const succU = unc.filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.uid!);
      if (chance(0.3)) failedU.push('uid-gone-1');
      status.uncountedTerminatedPods = { failed: failedU, succeeded: succU };
    }
  }
  if (!status.uncountedTerminatedPods) status.uncountedTerminatedPods = {};
  const conds: Condition[] = [];
  if (suspended && chance(0.5))
    conds.push({
      type: 'Suspended',
      status: 'True',
      reason: 'JobSuspended',
      message: 'Job suspended',
      lastTransitionTime: iso(now - 60_000),
    });
  if (!suspended && chance(0.1))
    conds.push({
      type: 'Suspended',
      status: chance(0.5) ? 'True' : 'False',
      reason: 'JobResumed',
      message: 'Job resumed',
      lastTransitionTime: iso(now - 60_000),
    });
  if (chance(0.04))
    conds.push({
      type: 'FailureTarget',
      status: 'True',
      reason: pick(['BackoffLimitExceeded', 'PodFailurePolicy', 'DeadlineExceeded']),
      message: 'earlier',
      lastTransitionTime: iso(now - 30_000),
    });
  // biome-ignore lint/suspicious/noDuplicateElseIf: chance() draws a new random number on each call
  else if (chance(0.04))
    conds.push({
      type: 'SuccessCriteriaMet',
      status: 'True',
      reason: pick(['SuccessPolicy', 'CompletionsReached']),
      message: 'earlier',
      lastTransitionTime: iso(now - 30_000),
    });
  if (conds.length) status.conditions = conds;

  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'j',
      namespace: 'default',
      uid: UID,
      creationTimestamp: iso(now - 1200_000),
      labels: { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'j' },
    },
    spec,
    status,
  };
  return { id: `${minor}:${seed}`, job, pods, now: iso(now) };
}

function compress(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(j === i ? `${s[i]}` : j === i + 1 ? `${s[i]},${s[j]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
