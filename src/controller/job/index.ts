// Public surface of the Job model.
export { decideJob } from './decide.js';
export { listAttempts, classifyPod } from './attempts.js';
export { matchPodFailurePolicy, describeRule, type PolicyMatch } from './pod-failure-policy.js';
export { backoffDelaySeconds, DEFAULT_BACKOFF_SECONDS } from './backoff.js';
export {
  featureStage,
  enabledByDefault,
  jobFeatures,
  maxBackoffSeconds,
  JOB_FEATURES,
  type JobFeature,
  type FeatureStage,
} from './features.js';
export { parseIndexes, formatIndexes, matchSuccessPolicy, type Interval } from './indexes.js';
export type { Attempt, ContainerRun, FailureCounts, IndexState, JobDecision, JobInput, JobRule } from './types.js';
export { syncDecision } from './sync.js';
export type { JobSyncDecision, DecisionCondition } from './types.js';
