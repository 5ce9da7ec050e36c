// The Job with API defaults applied and the server's feature set resolved, computed once per
// decision so every rule reads the same values.
import type { Job, Pod, PodFailurePolicyRule, ServerVersion } from '../../api/types.js';
import { jobFeatures, type JobFeatureSet } from './features.js';
import { isActive, isTerminating, podsOfJob } from './pods.js';
import { parseMillis } from '../time.js';

/** Default backoffLimit when backoffLimitPerIndex is set. */
export const MAX_INT32 = 2147483647;
/** The built-in Job controller's managedBy value. */
export const DEFAULT_MANAGED_BY = 'kubernetes.io/job-controller';

/** The Job as the controller sees it on this server. */
export interface JobContext {
  job: Job;
  pods: Pod[];
  now: number;
  version?: ServerVersion;
  features: JobFeatureSet;
  namespace: string;
  name: string;
  indexed: boolean;
  completions: number | null;
  parallelism: number;
  backoffLimit: number;
  /** backoffLimitPerIndex when the server honours it, else null. */
  perIndex: number | null;
  /** Pod failure policy rules when the server honours them. */
  policy: PodFailurePolicyRule[] | undefined;
  /** Only pods in phase Failed count as failed / get replaced (podReplacementPolicy Failed or a podFailurePolicy). */
  onlyReplaceFailed: boolean;
  suspended: boolean;
  restartPolicy: string;
  /** Another controller named in .spec.managedBy (honoured by the server), else null. */
  managedBy: string | null;
  startTime: number | undefined;
  active: Pod[];
  terminating: Pod[];
}

/** Builds the context: defaults as the API server applies them, gated by the server version. */
export function jobContext(job: Job, allPods: Pod[], now: Date, version?: ServerVersion): JobContext {
  const spec = job.spec;
  const features = jobFeatures(version, {
    JobPodFailurePolicy: spec.podFailurePolicy !== undefined,
    JobBackoffLimitPerIndex: spec.backoffLimitPerIndex !== undefined,
    JobPodReplacementPolicy: spec.podReplacementPolicy !== undefined,
    JobSuccessPolicy: spec.successPolicy !== undefined,
    JobManagedBy: spec.managedBy !== undefined,
  });
  const pods = podsOfJob(job, allPods);
  const indexed = spec.completionMode === 'Indexed';
  const perIndex =
    indexed && features.backoffLimitPerIndex && spec.backoffLimitPerIndex !== undefined
      ? spec.backoffLimitPerIndex
      : null;
  const policy = features.podFailurePolicy ? spec.podFailurePolicy?.rules : undefined;
  const replaceFailedOnly = features.podReplacementPolicy && spec.podReplacementPolicy === 'Failed';
  const managedBy =
    features.managedBy && spec.managedBy && spec.managedBy !== DEFAULT_MANAGED_BY ? spec.managedBy : null;
  return {
    job,
    pods,
    now: now.getTime(),
    version,
    features,
    namespace: job.metadata.namespace ?? 'default',
    name: job.metadata.name ?? '<unnamed>',
    indexed,
    // The API server defaults both completions and parallelism to 1 when neither is set.
    completions: spec.completions ?? (spec.parallelism === undefined ? 1 : null),
    parallelism: spec.parallelism ?? 1,
    // With backoffLimitPerIndex the API defaults backoffLimit to MaxInt32; otherwise to 6.
    backoffLimit: spec.backoffLimit ?? (perIndex !== null ? MAX_INT32 : 6),
    perIndex,
    policy,
    onlyReplaceFailed: replaceFailedOnly || policy !== undefined,
    suspended: spec.suspend === true,
    restartPolicy: spec.template.spec.restartPolicy ?? 'Never',
    managedBy,
    startTime: parseMillis(job.status?.startTime),
    active: pods.filter(isActive),
    terminating: pods.filter(isTerminating),
  };
}

/** How many pods the controller wants running now (manageJob's wantActive). */
export function wantActive(ctx: JobContext, succeeded: number): number {
  if (ctx.suspended) return 0;
  if (ctx.completions === null) return succeeded > 0 ? ctx.active.length : ctx.parallelism;
  return Math.max(0, Math.min(ctx.completions - succeeded, ctx.parallelism));
}
