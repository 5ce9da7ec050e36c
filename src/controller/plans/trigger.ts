// The Job `kubectl create job --from=cronjob/<name>` builds (create_job.go, createJobFromCronJob),
// plus what the CronJob controller will make of it. Pure: the random source is passed in.
import { finishedCondition, MANUAL_ANNOTATION } from '../cronjob/index.js';
import type { Condition, CronJob, Job } from '../../api/types.js';

/** What planTrigger needs. */
export interface TriggerInput {
  cronJob: CronJob;
  /** Jobs of the CronJob's namespace (to name the ones still running). */
  jobs: Job[];
  /** --name; a name is generated when absent. */
  name?: string;
  /** Uniform numbers in [0, 1) for the generated name (crypto in the CLI, seeded in tests). */
  random: () => number;
}

/** Something the user should know before the manual Job is created. */
export type TriggerWarning =
  /** Manual Jobs are not in `.status.active`: Forbid/Replace ignore them; UnexpectedJob events while it runs. */
  | { code: 'ManualNotTracked'; cronJob: string }
  /** Forbid/Replace with a Job running: this run overlaps it. */
  | { code: 'Overlap'; policy: 'Forbid' | 'Replace'; active: string[] }
  /** The CronJob is suspended: the manual run starts anyway. */
  | { code: 'Suspended'; cronJob: string };

/** The Job to create and the warnings to print first. */
export interface TriggerPlan {
  namespace: string;
  cronJob: string;
  job: Job;
  warnings: TriggerWarning[];
}

/** Label values (and so Job names, copied into the job-name label) are at most 63 characters. */
export const MAX_JOB_NAME = 63;
// k8s.io/apimachinery/pkg/util/rand: consonants and digits only, so no words are spelt by accident.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` cannot name a Job, or null when it can. */
export function invalidJobName(name: string): string | null {
  if (name.length > MAX_JOB_NAME)
    return `must be no more than ${MAX_JOB_NAME} characters (it becomes the job-name label of the pods)`;
  if (!DNS1123_SUBDOMAIN.test(name))
    return "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";
  return null;
}

/** `<cronjob>-manual-<5 random>`: a DNS-1123 label of at most 63 characters (the CronJob part is cut to fit). */
export function manualJobName(cronJobName: string, random: () => number): string {
  let suffix = '-manual-';
  for (let i = 0; i < 5; i++)
    suffix += ALPHANUMS[Math.min(ALPHANUMS.length - 1, Math.floor(random() * ALPHANUMS.length))];
  const base = cronJobName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, MAX_JOB_NAME - suffix.length)
    .replace(/^-+|-+$/g, '');
  return (base || 'cronjob') + suffix;
}

/** Jobs the CronJob still has running: its `.status.active` plus unfinished Jobs it controls (manual ones too). */
export function activeJobsOf(cronJob: CronJob, jobs: Job[]): string[] {
  const names = new Set((cronJob.status?.active ?? []).map((r) => r.name ?? '').filter(Boolean));
  for (const j of jobs) {
    const ref = j.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === 'CronJob');
    const mine = ref && (cronJob.metadata.uid ? ref.uid === cronJob.metadata.uid : ref.name === cronJob.metadata.name);
    if (mine && !finishedCondition(j) && !j.metadata.deletionTimestamp) names.add(j.metadata.name ?? '');
  }
  return [...names].sort();
}

/** The manual Job, shaped exactly like kubectl's, and the warnings that go with it. */
export function planTrigger(input: TriggerInput): TriggerPlan {
  const { cronJob } = input;
  const cjName = cronJob.metadata.name ?? '';
  const namespace = cronJob.metadata.namespace ?? 'default';
  const template = cronJob.spec.jobTemplate ?? { spec: { template: { spec: { containers: [] } } } };
  const name = input.name ?? manualJobName(cjName, input.random);
  // The instantiate annotation goes first so a template annotation of the same key wins, as in kubectl.
  const annotations: Record<string, string> = {
    [MANUAL_ANNOTATION]: 'manual',
    ...(template.metadata?.annotations ?? {}),
  };
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      annotations,
      // No blockOwnerDeletion: kubectl leaves it out because it would need the cronjobs/finalizers permission.
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: cjName, uid: cronJob.metadata.uid ?? '', controller: true },
      ],
    },
    spec: structuredClone(template.spec),
  };
  const warnings: TriggerWarning[] = [{ code: 'ManualNotTracked', cronJob: cjName }];
  const policy = cronJob.spec.concurrencyPolicy;
  const active = activeJobsOf(cronJob, input.jobs);
  if ((policy === 'Forbid' || policy === 'Replace') && active.length > 0)
    warnings.push({ code: 'Overlap', policy, active });
  if (cronJob.spec.suspend === true) warnings.push({ code: 'Suspended', cronJob: cjName });
  return { namespace, cronJob: cjName, job, warnings };
}

/** Where a Job stands for `trigger --wait`: finished (with its condition) or still going. */
export type JobProgress =
  | { state: 'complete'; condition: Condition }
  | { state: 'failed'; condition: Condition }
  | { state: 'running'; active: number; succeeded: number; failed: number };

/** Reads the Job's finished condition (Complete=True / Failed=True); anything else is still running. */
export function jobProgress(job: Job): JobProgress {
  const c = finishedCondition(job);
  if (c?.type === 'Complete') return { state: 'complete', condition: c };
  if (c?.type === 'Failed') return { state: 'failed', condition: c };
  const s = job.status ?? {};
  return { state: 'running', active: s.active ?? 0, succeeded: s.succeeded ?? 0, failed: s.failed ?? 0 };
}
