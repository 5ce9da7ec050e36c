// Inputs and outputs of the Job model. JobDecision is the JobVerdict contract plus the extra
// fields `why <job> -o json` carries (failures, attempts, nextRetryAt, rule, ...).
import type { CronJob, Job, KubeEvent, Pod, ServerVersion } from '../../api/types.js';
import type { JobVerdict } from '../verdict.js';

/** Everything decideJob looks at. `now` is the instant to decide for. */
export interface JobInput {
  job: Job;
  pods: Pod[];
  events: KubeEvent[];
  serverVersion?: ServerVersion;
  now: Date;
  cronJob?: CronJob;
}

/** Which controller rule decided the Job's fate (null while it is still undecided). */
export type JobRule =
  | 'podFailurePolicy'
  | 'backoffLimit'
  | 'backoffLimitOnFailure'
  | 'activeDeadline'
  | 'maxFailedIndexes'
  | 'failedIndexes'
  | 'successPolicy'
  | 'completions';

/** How failures were counted against backoffLimit. */
export interface FailureCounts {
  /** byPods + byRestarts: everything charged against backoffLimit. */
  counted: number;
  /** Failed pods a podFailurePolicy Ignore rule kept out of the count (visible pods only). */
  ignored: number;
  /** Failed pods: status.failed + uncounted failed + failed pods not yet in status. */
  byPods: number;
  /** Container restarts of Running/Pending pods (restartPolicy OnFailure only). */
  byRestarts: number;
  /** .spec.backoffLimit after defaulting (6, or 2147483647 with backoffLimitPerIndex). */
  backoffLimit: number;
}

/** One instance of a container inside an attempt (for `logs --all-attempts`). */
export interface ContainerRun {
  container: string;
  init: boolean;
  restarts: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  exitCode: number | null;
  reason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The previous instance (lastState.terminated), whose logs `kubectl logs -p` can still read. */
  previous: { exitCode: number; reason: string | null; startedAt: string | null; finishedAt: string | null } | null;
}

/** One pod of the Job, in the order the attempts happened. */
export interface Attempt {
  /** 1-based position in start order. */
  attempt: number;
  pod: string;
  /** Completion index for Indexed Jobs. */
  index: number | null;
  phase: string;
  start: string | null;
  end: string | null;
  /** Exit code of the failing (else last) terminated container. */
  exitCode: number | null;
  /** OOMKilled, Error, Completed, Evicted, Preempted, NodeLost, DeadlineExceeded, Running, ... */
  reason: string;
  /** Extra words for the reason (termination message, DisruptionTarget reason, ...). */
  detail: string | null;
  restarts: number;
  node: string | null;
  deleted: boolean;
  containers: ContainerRun[];
}

/** Per-index state of an Indexed Job with backoffLimitPerIndex. */
export interface IndexState {
  index: number;
  /** Failures counted for the index (annotation of its latest pod, plus that pod if it failed). */
  failures: number;
  ignored: number;
  failed: boolean;
  succeeded: boolean;
}

/** decideJob's result: the verdict contract plus model details. */
export interface JobDecision extends JobVerdict {
  failures: FailureCounts;
  attempts: Attempt[];
  /** When the controller will create the next pod, while backing off. */
  nextRetryAt: string | null;
  rule: JobRule | null;
  /** True when the rule fired in the model but the controller has not written the condition yet. */
  predicted: boolean;
  /** The terminal (or interim) condition the Job carries, if any. */
  condition: { type: string; reason: string | null; message: string | null; time: string | null } | null;
  startTime: string | null;
  /** Pods: active / succeeded / failed (status counters) / terminating. */
  pods: { active: number; succeeded: number; failed: number; terminating: number; visible: number };
  indexes: { completed: string; failed: string; perIndex: IndexState[] } | null;
  /** When ttlSecondsAfterFinished will delete the Job. */
  deleteAt: string | null;
  /**
   * The latest deletionTimestamp of the Job's terminating pods (the end of their grace period:
   * the kubelet kills what is left then), or null. With an interim FailureTarget the Failed
   * condition is expected by then.
   */
  terminatingUntil: string | null;
  owner: { kind: string; name: string } | null;
  /** What one Job controller pass would write and do now (see sync.ts and the README). */
  decision: JobSyncDecision;
}

/** A condition the pass writes (added, or changed in place). */
export interface DecisionCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** `decision` of `why job/X -o json`: what one controller pass would do now. */
export interface JobSyncDecision {
  /** Why the controller would do nothing at all (finished, managedBy another controller), else null. */
  skipped: 'finished' | 'managedBy' | null;
  /** The most final Job condition this pass writes (e.g. Failed when FailureTarget and Failed are both written), else null. */
  condition: { type: string; reason: string; message: string } | null;
  /** Every condition this pass adds or changes, in the order written. */
  conditions: DecisionCondition[];
  /** Failures counted against backoffLimit after this pass (status.failed + newly counted); per index where backoffLimitPerIndex is used. */
  failures: { counted: number; perIndex: Array<{ index: number; failures: number; ignored: number }> | null };
  /** .status.completedIndexes / .status.failedIndexes after this pass (null when not Indexed / no backoffLimitPerIndex). */
  completedIndexes: string | null;
  failedIndexes: string | null;
  /** The status counters written. */
  status: { active: number; ready: number; terminating: number; failed: number; succeeded: number };
  /** The podFailurePolicy rule that decided (FailJob), else the rule matched by the newest failed pod. */
  podFailurePolicyRule: { index: number; action: string; pod: string } | null;
  /** When the controller would create the next pod, when it waits for a pod-failure backoff. */
  nextRetryAt: string | null;
  /** When it syncs again because of activeDeadlineSeconds. */
  deadlineCheckAt: string | null;
  /** Pods it creates now (with their completion indexes for Indexed Jobs). */
  create: { count: number; indexes: number[] | null };
  /** Pods it deletes now. */
  delete: { count: number; pods: string[] };
  /** Pods whose tracking finalizer it removes now. */
  releaseFinalizers: number;
}
