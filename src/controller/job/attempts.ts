// The Job's pods as an ordered list of attempts: who ran when, how it ended, and which previous
// container instances still have logs. Order: start time (status.startTime, else creation), then
// name. Shared with `logs --all-attempts`.
import type { ContainerStatus, Job, Pod } from '../../api/types.js';
import { completionIndex, finishedTime, isTerminal, podsOfJob, restartSum, startedTime } from './pods.js';
import type { Attempt, ContainerRun } from './types.js';
import { parseMillis, rfc3339 } from '../time.js';
import { podCondition, trueCondition } from './util.js';

// DisruptionTarget reasons (KEP-3329; website PR #46896) mapped to what happened to the pod.
const DISRUPTION: Record<string, string> = {
  PreemptionByKubeScheduler: 'Preempted',
  DeletionByTaintManager: 'NodeLost',
  EvictionByEvictionAPI: 'Evicted',
  DeletionByPodGC: 'NodeLost',
  TerminationByKubelet: 'Evicted',
};

function run(s: ContainerStatus, init: boolean): ContainerRun {
  const st = s.state ?? {};
  const t = st.terminated;
  const prev = s.lastState?.terminated;
  return {
    container: s.name,
    init,
    restarts: s.restartCount ?? 0,
    state: t ? 'terminated' : st.running ? 'running' : st.waiting ? 'waiting' : 'unknown',
    exitCode: t ? t.exitCode : null,
    reason: t?.reason ?? st.waiting?.reason ?? null,
    startedAt: t?.startedAt ?? st.running?.startedAt ?? null,
    finishedAt: t?.finishedAt ?? null,
    previous: prev
      ? {
          exitCode: prev.exitCode,
          reason: prev.reason ?? null,
          startedAt: prev.startedAt ?? null,
          finishedAt: prev.finishedAt ?? null,
        }
      : null,
  };
}

/** The container that decided the pod's outcome: first non-zero exit (app, then init), else the last terminated. */
function decisive(runs: ContainerRun[]): ContainerRun | undefined {
  const app = runs.filter((r) => !r.init);
  const init = runs.filter((r) => r.init);
  return (
    app.find((r) => r.exitCode !== null && r.exitCode !== 0) ??
    init.find((r) => r.exitCode !== null && r.exitCode !== 0) ??
    app.filter((r) => r.exitCode !== null).pop()
  );
}

function waitingReason(runs: ContainerRun[]): ContainerRun | undefined {
  return runs.find(
    (r) => r.state === 'waiting' && r.reason && r.reason !== 'PodInitializing' && r.reason !== 'ContainerCreating',
  );
}

/** What happened to the pod, in one word, plus detail. */
export function classifyPod(
  pod: Pod,
  runs: ContainerRun[],
  jobDeadlineHit = false,
): { reason: string; detail: string | null; exitCode: number | null } {
  const phase = pod.status?.phase ?? 'Unknown';
  const d = decisive(runs);
  const exitCode = d?.exitCode ?? null;
  const disruption = podCondition(pod, 'DisruptionTarget');
  if (phase === 'Succeeded') return { reason: 'Completed', detail: null, exitCode: exitCode ?? 0 };
  // The pod's own reason is the most specific (kubelet eviction, pod or Job deadline, lost node).
  const podReason = pod.status?.reason;
  if (
    podReason === 'Evicted' ||
    podReason === 'NodeLost' ||
    podReason === 'DeadlineExceeded' ||
    podReason === 'Preempting'
  ) {
    return {
      reason: podReason === 'Preempting' ? 'Preempted' : podReason,
      detail: pod.status?.message ?? null,
      exitCode,
    };
  }
  if (disruption?.status === 'True' && disruption.reason) {
    return {
      reason: DISRUPTION[disruption.reason] ?? 'Disrupted',
      detail: `DisruptionTarget ${disruption.reason}: ${disruption.message ?? ''}`.trim(),
      exitCode,
    };
  }
  if (phase === 'Failed') {
    if (d?.reason === 'OOMKilled') return { reason: 'OOMKilled', detail: `container ${d.container}`, exitCode };
    if (d) return { reason: d.reason ?? 'Error', detail: `container ${d.container}`, exitCode };
    return { reason: podReason ?? 'Failed', detail: pod.status?.message ?? null, exitCode };
  }
  if (pod.metadata.deletionTimestamp) {
    return { reason: jobDeadlineHit ? 'DeadlineExceeded' : 'Deleted', detail: 'deleted before it finished', exitCode };
  }
  const sched = podCondition(pod, 'PodScheduled');
  if (phase === 'Pending' && sched?.status === 'False')
    return { reason: sched.reason ?? 'Unschedulable', detail: sched.message ?? null, exitCode };
  const w = waitingReason(runs);
  if (w) return { reason: w.reason!, detail: `container ${w.container}`, exitCode };
  return { reason: phase, detail: null, exitCode };
}

/** The Job's pods as attempts, oldest first (start time, then name). */
export function listAttempts(job: Job, pods: Pod[]): Attempt[] {
  const deadlineHit =
    trueCondition(job, 'Failed')?.reason === 'DeadlineExceeded' ||
    trueCondition(job, 'FailureTarget')?.reason === 'DeadlineExceeded';
  const mine = podsOfJob(job, pods);
  const sorted = [...mine].sort((a, b) => {
    const d = (startedTime(a) ?? Infinity) - (startedTime(b) ?? Infinity);
    if (d !== 0 && !Number.isNaN(d)) return d;
    return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
  return sorted.map((pod, i) => {
    const runs = [
      ...(pod.status?.initContainerStatuses ?? []).map((s) => run(s, true)),
      ...(pod.status?.containerStatuses ?? []).map((s) => run(s, false)),
    ];
    const c = classifyPod(pod, runs, deadlineHit);
    const start = startedTime(pod);
    const end = isTerminal(pod) || pod.metadata.deletionTimestamp ? finishedTime(pod) : undefined;
    return {
      attempt: i + 1,
      pod: pod.metadata.name ?? '',
      index: completionIndex(pod),
      phase: pod.status?.phase ?? 'Unknown',
      start: start === undefined ? null : rfc3339(start),
      end: end === undefined ? null : rfc3339(end),
      exitCode: c.exitCode,
      reason: c.reason,
      detail: c.detail,
      restarts: restartSum(pod),
      node: pod.spec?.nodeName ?? null,
      deleted: parseMillis(pod.metadata.deletionTimestamp) !== undefined,
      containers: runs,
    };
  });
}
