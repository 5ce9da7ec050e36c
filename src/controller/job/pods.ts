// Pod facts the Job controller relies on: phases, finish time, indexes and failure annotations.
// Behaviour follows kubernetes/kubernetes pkg/controller/job (backoff_utils.go getFinishedTime,
// indexed_job_utils.go getCompletionIndex / parseIndexFailureCountAnnotation, job_controller.go
// isPodFailed) and pkg/controller FilterActivePods / FilterTerminatingPods.
import type { ContainerStatus, Job, Pod } from '../../api/types.js';
import { parseMillis } from '../time.js';
import { podCondition } from './util.js';

/** Finalizer the controller keeps on pods it has not counted yet. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Completion index of an Indexed Job's pod (annotation, and label since PodIndexLabel). */
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** Counted failures of the index before this pod (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** Ignored failures of the index before this pod. */
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

const MAX_INT32 = 2147483647;

/** True when the pod reached Succeeded or Failed. */
export function isTerminal(pod: Pod): boolean {
  const p = pod.status?.phase;
  return p === 'Succeeded' || p === 'Failed';
}

/** Active as the controller counts it: not terminal and not being deleted. */
export function isActive(pod: Pod): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** Terminating: being deleted but not yet terminal. */
export function isTerminating(pod: Pod): boolean {
  return !isTerminal(pod) && !!pod.metadata.deletionTimestamp;
}

/**
 * Whether the controller counts the pod as failed: phase Failed, or (unless only failed pods
 * are replaced) deleted before it succeeded.
 */
export function isPodFailed(pod: Pod, onlyReplaceFailedPods: boolean): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** True while the pod still carries the Job tracking finalizer (not yet counted in status). */
export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** The completion index of an Indexed Job's pod, or null when missing or invalid. */
export function completionIndex(pod: Pod): number | null {
  const v =
    pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? pod.metadata.labels?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The completion index as the controller reads it: only the annotation (not the label), parsed as
 * Go's strconv.Atoi does (optional sign, decimal digits, 64-bit range); negative or unparsable
 * values are unknown (null).
 */
export function controllerIndex(pod: Pod): number | null {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return null;
  const n = BigInt(v);
  if (n < 0n || n > 9223372036854775807n) return null;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** An int32 annotation such as job-index-failure-count; 0 when absent, unparsable or out of range. */
export function annotationCount(pod: Pod, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < 0 || n > MAX_INT32 ? 0 : n;
}

function sidecarNames(pod: Pod): Set<string> {
  return new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
}

function latestFinish(statuses: ContainerStatus[], keep: (s: ContainerStatus) => boolean): number | null | undefined {
  let latest: number | undefined;
  for (const s of statuses) {
    if (!keep(s)) continue;
    const f = parseMillis(s.state?.terminated?.finishedAt);
    if (f === undefined) return null; // a container has not finished: no answer from containers
    if (latest === undefined || f > latest) latest = f;
  }
  return latest;
}

/**
 * When the pod finished, as the controller estimates it for backoff:
 * - the latest finishedAt when every (app and sidecar) container terminated;
 * - else the Ready=False transition time;
 * - else deletionTimestamp minus the grace period;
 * - else the creation time.
 */
export function finishedTime(pod: Pod): number | undefined {
  const app = latestFinish(pod.status?.containerStatuses ?? [], () => true);
  if (app !== null) {
    const sidecars = sidecarNames(pod);
    const side = latestFinish(pod.status?.initContainerStatuses ?? [], (s) => sidecars.has(s.name));
    if (side !== null) {
      const both = [app, side].filter((x): x is number => x !== undefined);
      if (both.length > 0) return Math.max(...both);
    }
  }
  const ready = podCondition(pod, 'Ready');
  const readyAt = parseMillis(ready?.lastTransitionTime);
  if (ready?.status === 'False' && readyAt !== undefined) return readyAt;
  const deleted = parseMillis(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) {
    const grace = (pod.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ?? 0;
    return deleted - grace * 1000;
  }
  return parseMillis(pod.metadata.creationTimestamp);
}

/** When the pod started: status.startTime, else its creation time. */
export function startedTime(pod: Pod): number | undefined {
  return parseMillis(pod.status?.startTime) ?? parseMillis(pod.metadata.creationTimestamp);
}

/** Sum of restartCount over init and app containers. */
export function restartSum(pod: Pod): number {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

/** Pods the Job owns: controller ownerReference to the Job's uid, else the job-name label. */
export function podsOfJob(job: Job, pods: Pod[]): Pod[] {
  const uid = job.metadata.uid;
  const name = job.metadata.name;
  return pods.filter((p) => {
    const owner = p.metadata.ownerReferences?.find((r) => r.controller);
    if (owner) return owner.kind === 'Job' && (uid ? owner.uid === uid : owner.name === name);
    const l = p.metadata.labels ?? {};
    return (l['batch.kubernetes.io/job-name'] ?? l['job-name']) === name;
  });
}
