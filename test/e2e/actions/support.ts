// Helpers for the e2e tests of the commands that act on the cluster (and bench/clean.ts):
// running kubectl-job against the harness, Job manifests run by the real node,
// finished Jobs made without pods, and a read-only user.
import type { ChildProcess } from 'node:child_process';
import { kubeconfigWithRole, podTemplate, type ControlPlane, type Step } from '../harness/index.js';
import { runCli, type CliResult } from '../../cli/fake-api.js';

/** Runs kubectl-job against the control plane (admin unless `kubeconfig` is given). */
export function cli(
  cp: ControlPlane,
  args: string[],
  opts: { kubeconfig?: string; input?: string; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<CliResult> {
  return runCli([...args, '--kubeconfig', opts.kubeconfig ?? cp.kubeconfigPath], opts);
}

/** A pod template whose real containers follow `steps` (see harness/pod-behaviour.ts). */
export function template(steps: Step[], restartPolicy = 'Never') {
  return podTemplate(steps, restartPolicy);
}

/** A Job manifest run by the real node. */
export function scriptedJob(
  name: string,
  steps: Step[],
  extra: { restartPolicy?: string; backoffLimit?: number; labels?: Record<string, string> } = {},
) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: extra.labels ?? {} },
    spec: { backoffLimit: extra.backoffLimit ?? 0, template: template(steps, extra.restartPolicy) },
  };
}

/** A CronJob manifest whose Jobs run on the real node. */
export function scriptedCronJob(name: string, steps: Step[], spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '0 0 1 1 *',
      concurrencyPolicy: 'Allow',
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { team: 'e2e' } },
        spec: { backoffLimit: 0, template: template(steps) },
      },
    },
  };
}

/** The Jobs of a namespace. */
export async function jobsIn(cp: ControlPlane, ns: string): Promise<any[]> {
  return (await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`)).items;
}

/** True when the Job has condition `type` = True. */
export function hasCondition(job: any, type: string): boolean {
  return (job?.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Creates finished Jobs without pods: `spec.managedBy` keeps the Job controller away and the
 * status (Complete or Failed, as the controller writes it) is set through the status subresource.
 */
export async function createFinishedJobs(
  cp: ControlPlane,
  ns: string,
  names: string[],
  outcome: 'succeeded' | 'failed',
  concurrency = 16,
  labels: Record<string, string> = {},
): Promise<void> {
  const t = rfc3339(new Date(Date.now() - 3600_000));
  const cond = (type: string, reason: string) => ({
    type,
    status: 'True',
    reason,
    message: reason,
    lastTransitionTime: t,
    lastProbeTime: t,
  });
  const status =
    outcome === 'succeeded'
      ? {
          startTime: t,
          completionTime: t,
          succeeded: 1,
          conditions: [cond('SuccessCriteriaMet', 'CompletionsReached'), cond('Complete', 'CompletionsReached')],
        }
      : {
          startTime: t,
          failed: 1,
          conditions: [cond('FailureTarget', 'BackoffLimitExceeded'), cond('Failed', 'BackoffLimitExceeded')],
        };
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, labels },
        spec: {
          managedBy: 'kubectl-job.test/bench',
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'x' }] } },
        },
      };
      const created = await cp.client.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, job);
      await cp.client.request('PUT', `/apis/batch/v1/namespaces/${ns}/jobs/${name}/status`, { ...created, status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A kubeconfig for user `viewer` who may only get/list/watch cronjobs, jobs, pods and pods/log in `ns`. */
export function readOnlyKubeconfig(cp: ControlPlane, ns: string, user = 'viewer'): Promise<string> {
  const rules = [
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch'] },
  ];
  return kubeconfigWithRole(cp, ns, user, rules, 'read-only');
}

/** Waits until the current second of the minute is within [from, to], so a test does not race a minute boundary. */
export async function waitForSecondWithin(from: number, to: number): Promise<void> {
  for (;;) {
    const s = new Date().getUTCSeconds() + new Date().getUTCMilliseconds() / 1000;
    if (s >= from && s <= to) return;
    const wait = s < from ? from - s : 60 - s + from;
    await new Promise((r) => setTimeout(r, Math.ceil(wait * 1000) + 20));
  }
}

/** `n` names `<prefix>-0000`, `<prefix>-0001`, ... */
export function numbered(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}

/** How many Jobs the namespace has, from one small page (the list's remainingItemCount). */
export async function countJobs(cp: ControlPlane, ns: string): Promise<number> {
  const page = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`, undefined, {
    query: { limit: 1 },
  });
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}
