// Which Kubernetes version knows which Job feature, and whether it is on by default.
//
// Stages come from the versioned feature-gate specs in kubernetes/kubernetes
// pkg/features/kube_features.go (the v1.32-era and v1.35-era copies of the file, which list
// every {Version, Default, PreRelease} step), and for SuspendJob from the older unversioned
// copies (Alpha in v1.21, Beta in v1.22/1.23, GA "remove in 1.26"):
//   JobPodFailurePolicy      alpha 1.25 (off)  beta 1.26 (on)  GA 1.31
//   PodDisruptionConditions  alpha 1.25 (off)  beta 1.26 (on)  GA 1.31
//   JobBackoffLimitPerIndex  alpha 1.28 (off)  beta 1.29 (on)  GA 1.33
//   JobPodReplacementPolicy  alpha 1.28 (off)  beta 1.29 (on)  GA 1.34
//   JobSuccessPolicy         alpha 1.30 (off)  beta 1.31 (on)  GA 1.33
//   JobManagedBy             alpha 1.30 (off)  beta 1.32 (on)  GA 1.35
//   SuspendJob               alpha 1.21 (off)  beta 1.22 (on)  GA 1.24
// Delayed terminal conditions (FailureTarget/SuccessCriteriaMet first, Failed/Complete only
// once no pod is terminating) exist since v1.31 (k/k PR #125510; website PR #46808: "In
// Kubernetes v1.31 and later") and apply when JobManagedBy or JobPodReplacementPolicy is on
// (job_controller.go delayTerminalCondition); JobPodReplacementPolicy is beta there, so on.
import type { ServerVersion } from '../../api/types.js';

/** Job feature gates the model knows about. */
export type JobFeature =
  | 'JobPodFailurePolicy'
  | 'PodDisruptionConditions'
  | 'JobBackoffLimitPerIndex'
  | 'JobPodReplacementPolicy'
  | 'JobSuccessPolicy'
  | 'JobManagedBy'
  | 'SuspendJob';

/** Lifecycle stage of a feature on one server version. */
export type FeatureStage = 'absent' | 'alpha' | 'beta' | 'ga';

/** First minor (of 1.x) at which the feature is alpha, beta (on by default) and GA. */
export const JOB_FEATURES: Record<JobFeature, { alpha: number; beta: number; ga: number; field: string }> = {
  JobPodFailurePolicy: { alpha: 25, beta: 26, ga: 31, field: '.spec.podFailurePolicy' },
  PodDisruptionConditions: { alpha: 25, beta: 26, ga: 31, field: 'pod condition DisruptionTarget' },
  JobBackoffLimitPerIndex: { alpha: 28, beta: 29, ga: 33, field: '.spec.backoffLimitPerIndex' },
  JobPodReplacementPolicy: { alpha: 28, beta: 29, ga: 34, field: '.spec.podReplacementPolicy' },
  JobSuccessPolicy: { alpha: 30, beta: 31, ga: 33, field: '.spec.successPolicy' },
  JobManagedBy: { alpha: 30, beta: 32, ga: 35, field: '.spec.managedBy' },
  SuspendJob: { alpha: 21, beta: 22, ga: 24, field: '.spec.suspend' },
};

/** The stage of a feature on a server (`ga` when the version is unknown: assume a current server). */
export function featureStage(feature: JobFeature, version?: ServerVersion): FeatureStage {
  if (!version) return 'ga';
  const f = JOB_FEATURES[feature];
  if (version.major > 1) return 'ga';
  if (version.minor >= f.ga) return 'ga';
  if (version.minor >= f.beta) return 'beta';
  if (version.minor >= f.alpha) return 'alpha';
  return 'absent';
}

/** Whether the feature is on with default gates (beta or GA; unknown version counts as on). */
export function enabledByDefault(feature: JobFeature, version?: ServerVersion): boolean {
  const s = featureStage(feature, version);
  return s === 'beta' || s === 'ga';
}

/** The controller-side switches the model applies, for one server version. */
export interface JobFeatureSet {
  podFailurePolicy: boolean;
  backoffLimitPerIndex: boolean;
  podReplacementPolicy: boolean;
  successPolicy: boolean;
  managedBy: boolean;
  /** FailureTarget / SuccessCriteriaMet come first; Failed / Complete wait for terminating pods. */
  delayTerminalCondition: boolean;
  /**
   * While a pod-failure backoff holds back new pods, v1.36+ writes the real status.active; up to
   * v1.35 that pass wrote active 0 (manageJob returned 0), checked by the controller oracle.
   */
  activeKeptDuringBackoff: boolean;
}

/**
 * Features the model honours. A spec field present on an alpha server is honoured too (the
 * API server drops fields of disabled gates on write, so its presence means the gate is on);
 * fields the server does not know at all are ignored.
 */
export function jobFeatures(
  version?: ServerVersion,
  present: Partial<Record<JobFeature, boolean>> = {},
): JobFeatureSet {
  const on = (f: JobFeature): boolean => {
    const s = featureStage(f, version);
    return s === 'beta' || s === 'ga' || (s === 'alpha' && present[f] === true);
  };
  const managedBy = on('JobManagedBy');
  const podReplacementPolicy = on('JobPodReplacementPolicy');
  return {
    podFailurePolicy: on('JobPodFailurePolicy'),
    backoffLimitPerIndex: on('JobBackoffLimitPerIndex'),
    podReplacementPolicy,
    successPolicy: on('JobSuccessPolicy'),
    managedBy,
    delayTerminalCondition: !version || version.major > 1 || version.minor >= 31,
    activeKeptDuringBackoff: !version || version.major > 1 || version.minor >= 36,
  };
}

/**
 * Cap of the pod-failure backoff, in seconds.
 * - Up to v1.26: `MaxJobBackOff = 360 * time.Second` (the 6 minutes the Job docs still quote).
 * - Since the backoff left the workqueue (PR #114768, v1.27): `MaxJobPodFailureBackOff = 10 * time.Minute`
 *   (seen in the v1.31+ and v1.36.2 job_controller.go). [UNCERTAIN: no 1.27-1.30 copy was readable,
 *   the 1.27 boundary is inferred from that PR.] Unknown versions get the current value.
 */
export function maxBackoffSeconds(version?: ServerVersion): number {
  if (version && version.major === 1 && version.minor < 27) return 360;
  return 600;
}
