// Why a Job that has not ended makes no progress: pods that cannot start, pods the controller
// cannot create (FailedCreate events: "Error creating: ..." from job-controller), parallelism 0,
// and Jobs held suspended by a queue (Kueue keeps spec.suspend true until its Workload is admitted).
import type { Cause, Evidence } from '../verdict.js';
import type { KubeEvent, Pod } from '../../api/types.js';
import type { JobContext } from './context.js';
import { parseMillis, rfc3339 } from '../time.js';
import { podCondition, ref } from './util.js';

/** Label (older Kueue: annotation) naming the LocalQueue a Job waits in. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const IMAGE_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
]);

/** When an event last happened (lastTimestamp, eventTime, firstTimestamp, creation). */
export function eventTime(e: KubeEvent): number | undefined {
  return (
    parseMillis(e.lastTimestamp) ??
    parseMillis(e.eventTime) ??
    parseMillis(e.firstTimestamp) ??
    parseMillis(e.metadata.creationTimestamp)
  );
}

/** Events about the Job itself, oldest first. */
export function jobEvents(ctx: JobContext, events: KubeEvent[]): KubeEvent[] {
  return events
    .filter(
      (e) =>
        e.involvedObject.kind === 'Job' &&
        e.involvedObject.name === ctx.name &&
        (!e.involvedObject.namespace || e.involvedObject.namespace === ctx.namespace),
    )
    .sort((a, b) => (eventTime(a) ?? 0) - (eventTime(b) ?? 0));
}

interface PodProblem {
  code: string;
  severity: Cause['severity'];
  title: string;
  fix: string[];
}

function problemOf(pod: Pod): { p: PodProblem; detail: string } | null {
  const sched = podCondition(pod, 'PodScheduled');
  if (pod.status?.phase === 'Pending' && sched?.status === 'False' && sched.reason === 'Unschedulable') {
    return {
      p: {
        code: 'Unschedulable',
        severity: 'error',
        title: 'Pods cannot be scheduled',
        fix: [
          'Check requests, nodeSelector, affinity, tolerations and quota against the nodes: kubectl describe pod <pod>.',
          'Pending pods never fail, so only activeDeadlineSeconds ends such a Job.',
        ],
      },
      detail: sched.message ?? 'PodScheduled=False (Unschedulable)',
    };
  }
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of all) {
    const w = s.state?.waiting;
    if (!w?.reason) continue;
    const detail = `container ${s.name}: ${w.reason}${w.message ? ` (${w.message})` : ''}`;
    if (IMAGE_REASONS.has(w.reason)) {
      return {
        p: {
          code: 'ImagePull',
          severity: 'error',
          title: 'The image cannot be pulled',
          fix: [
            'Fix the image name/tag or the imagePullSecrets; with restartPolicy Never the pod stays Pending and never counts as a failure.',
          ],
        },
        detail,
      };
    }
    if (w.reason === 'CreateContainerConfigError') {
      return {
        p: {
          code: 'CreateContainerConfigError',
          severity: 'error',
          title: 'A container cannot be configured (missing ConfigMap/Secret or key?)',
          fix: ['Create the referenced ConfigMap/Secret (or key), or mark the reference optional.'],
        },
        detail,
      };
    }
    if (w.reason === 'CreateContainerError' || w.reason === 'RunContainerError') {
      return {
        p: {
          code: w.reason,
          severity: 'error',
          title: 'The runtime cannot create or start a container',
          fix: ['kubectl describe pod shows the runtime error.'],
        },
        detail,
      };
    }
    if (w.reason === 'CrashLoopBackOff') {
      return {
        p: {
          code: 'CrashLoopBackOff',
          severity: 'warning',
          title: 'A container keeps crashing and the kubelet backs off restarting it',
          fix: ['kubectl logs -p shows the previous instance.'],
        },
        detail,
      };
    }
  }
  return null;
}

/** One cause per kind of pod problem, with the affected pods as evidence. */
export function podProblemCauses(ctx: JobContext): Cause[] {
  const byCode = new Map<string, { p: PodProblem; ev: Evidence[] }>();
  for (const pod of ctx.active) {
    const found = problemOf(pod);
    if (!found) continue;
    const entry = byCode.get(found.p.code) ?? { p: found.p, ev: [] };
    entry.ev.push({ kind: 'observed', source: 'pod', object: ref('pod', pod.metadata.name), text: found.detail });
    byCode.set(found.p.code, entry);
  }
  return [...byCode.values()].map(({ p, ev }) => ({
    code: p.code,
    severity: p.severity,
    message: p.title,
    evidence: ev,
    fix: p.fix,
  }));
}

/** A FailedCreate cause when the last pod creation attempt failed (quota, webhook, policy). */
export function failedCreateCause(ctx: JobContext, events: KubeEvent[]): Cause | null {
  const mine = jobEvents(ctx, events);
  const failed = mine.filter((e) => e.reason === 'FailedCreate');
  const last = failed[failed.length - 1];
  if (!last) return null;
  const created = mine.filter((e) => e.reason === 'SuccessfulCreate').pop();
  if (created && (eventTime(created) ?? 0) > (eventTime(last) ?? 0)) return null;
  const msg = last.message ?? '';
  const kind = /exceeded quota/i.test(msg)
    ? 'a ResourceQuota is exhausted'
    : /admission webhook/i.test(msg)
      ? 'an admission webhook denied the pod'
      : /PodSecurity/i.test(msg)
        ? 'Pod Security admission rejected the pod'
        : 'the API server rejected the pod';
  const t = eventTime(last);
  return {
    code: 'FailedCreate',
    severity: 'error',
    message: `The controller cannot create pods: ${kind}.`,
    evidence: [
      {
        kind: 'observed',
        source: 'event',
        object: ref('job', ctx.name),
        time: t === undefined ? undefined : rfc3339(t),
        value: msg,
        text: `FailedCreate${last.count && last.count > 1 ? ` (x${last.count})` : ''}: ${msg}`,
      },
    ],
    fix: kind.startsWith('a ResourceQuota')
      ? [`kubectl describe resourcequota -n ${ctx.namespace}`]
      : ['Read the message above; the controller retries with its API backoff (1s doubling up to 1m).'],
  };
}

/** Why a suspended Job stays suspended (queue, external controller, or by hand). */
export function suspendedCauses(ctx: JobContext, events: KubeEvent[]): Cause[] {
  const cond = ctx.job.status?.conditions?.find((c) => c.type === 'Suspended');
  const ev: Evidence[] = [
    {
      kind: 'observed',
      source: 'spec',
      field: '.spec.suspend',
      value: true,
      text: 'spec.suspend is true: the controller deletes active pods and creates none; activeDeadlineSeconds does not run.',
    },
  ];
  if (cond?.status === 'True')
    ev.push({
      kind: 'observed',
      source: 'status',
      field: '.status.conditions[?(@.type=="Suspended")]',
      time: cond.lastTransitionTime,
      text: `Condition Suspended=True, reason ${cond.reason ?? '?'} since ${cond.lastTransitionTime ?? '?'}.`,
    });
  const causes: Cause[] = [
    {
      code: 'JobSuspended',
      severity: 'info',
      message: 'The Job is suspended.',
      evidence: ev,
      fix: [
        `kubectl patch job ${ctx.name} -n ${ctx.namespace} -p '{"spec":{"suspend":false}}'  (or: kubectl job unsuspend)`,
      ],
    },
  ];
  const queue = ctx.job.metadata.labels?.[KUEUE_QUEUE_LABEL] ?? ctx.job.metadata.annotations?.[KUEUE_QUEUE_LABEL];
  if (queue) {
    const wl = jobEvents(ctx, events)
      .filter((e) => e.reason === 'CreatedWorkload')
      .pop();
    causes.unshift({
      code: 'HeldByQueue',
      severity: 'warning',
      message: `Kueue holds the Job suspended until its Workload is admitted by LocalQueue "${queue}".`,
      evidence: [
        {
          kind: 'observed',
          source: 'metadata',
          field: `.metadata.labels["${KUEUE_QUEUE_LABEL}"]`,
          value: queue,
          text: `Queued in LocalQueue ${queue}.`,
        },
        ...(wl
          ? [{ kind: 'observed' as const, source: 'event' as const, text: `CreatedWorkload: ${wl.message ?? ''}` }]
          : []),
      ],
      fix: [
        `kubectl get workloads -n ${ctx.namespace}`,
        `kubectl describe localqueue ${queue} -n ${ctx.namespace}`,
        'Unsuspending by hand bypasses the queue; Kueue may suspend it again.',
      ],
    });
  }
  return causes;
}

/** The Job runs no pods because parallelism is 0. */
export function parallelismZeroCause(ctx: JobContext): Cause | null {
  if (ctx.parallelism !== 0 || ctx.suspended) return null;
  return {
    code: 'ParallelismZero',
    severity: 'error',
    message: 'spec.parallelism is 0: the controller keeps no pods running.',
    evidence: [
      {
        kind: 'observed',
        source: 'spec',
        field: '.spec.parallelism',
        value: 0,
        text: 'parallelism 0 pauses a Job without suspending it (activeDeadlineSeconds still runs).',
      },
    ],
    fix: [`kubectl patch job ${ctx.name} -n ${ctx.namespace} -p '{"spec":{"parallelism":1}}'`],
  };
}
