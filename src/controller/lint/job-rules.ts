// Static rules about a Job spec (a Job manifest, or a CronJob's jobTemplate), from the Job
// controller's behaviour (pkg/controller/job) and the API's validation (pkg/apis/batch/validation).
import { maxBackoffSeconds } from '../job/features.js';
import type { JobSpec, PodFailurePolicyRule } from '../../api/types.js';
import type { Finding, LintContext } from './types.js';

/** The Job controller's first pod-failure backoff (DefaultJobPodFailureBackOff). */
const FIRST_BACKOFF_SECONDS = 10;
/** The kubelet's cap on container restart backoff (MaxContainerBackOff) for restartPolicy OnFailure. */
const KUBELET_MAX_BACKOFF_SECONDS = 300;
/** backoffLimit when unset (API default). */
const DEFAULT_BACKOFF_LIMIT = 6;
/** Exit codes a container can report (a process exit status, or 128 + signal). */
const MAX_EXIT_CODE = 255;
/** Pod condition types set by Kubernetes components (k8s.io/api core/v1 PodConditionType). */
const POD_CONDITION_TYPES = new Set([
  'PodScheduled',
  'Initialized',
  'ContainersReady',
  'Ready',
  'DisruptionTarget',
  'PodReadyToStartContainers',
  'PodResizePending',
  'PodResizeInProgress',
  'AllContainersRestarting',
]);
/** Words often used as condition types that are reasons of something else. */
const REASONS_NOT_CONDITIONS: Record<string, string> = {
  OOMKilled: 'a container termination reason',
  Error: 'a container termination reason',
  Completed: 'a container termination reason',
  ContainerCannotRun: 'a container termination reason',
  DeadlineExceeded: 'a pod status reason and a Job condition reason',
  Evicted: 'a pod status reason (evictions set DisruptionTarget)',
  Preempted: 'a reason of the DisruptionTarget condition (PreemptionByScheduler)',
  Failed: 'a pod phase and a Job condition type',
};

/** The sum of the waits before each of `retries` retries: 10 s doubling, capped. */
export function retryWaitSeconds(retries: number, capSeconds: number): number {
  let total = 0;
  let d = FIRST_BACKOFF_SECONDS;
  for (let i = 0; i < retries; i++) {
    total += Math.min(d, capSeconds);
    d = Math.min(d * 2, capSeconds);
  }
  return total;
}

/** How many retries fit in `seconds` of waiting (pod run time not counted). */
function retriesWithin(seconds: number, capSeconds: number, max: number): number {
  let n = 0;
  while (n < max && retryWaitSeconds(n + 1, capSeconds) <= seconds) n++;
  return n;
}

/** Exit codes 1..255 a rule's onExitCodes matches. */
function exitCodeSet(r: NonNullable<PodFailurePolicyRule['onExitCodes']>): Set<number> {
  const out = new Set<number>();
  const values = new Set(r.values ?? []);
  for (let c = 1; c <= MAX_EXIT_CODE; c++) {
    const listed = values.has(c);
    if ((r.operator === 'In' && listed) || (r.operator === 'NotIn' && !listed)) out.add(c);
  }
  return out;
}

const subset = (a: Set<number>, b: Set<number>) => [...a].every((x) => b.has(x));

/** Findings about one Job spec; `at` is its path (`.spec` or `.spec.jobTemplate.spec`). */
export function jobSpecFindings(spec: JobSpec | undefined, at: string, ctx: LintContext): Finding[] {
  if (!spec) return [];
  const out: Finding[] = [];
  const pod = spec.template?.spec;
  const restart = pod?.restartPolicy;
  const ads = spec.activeDeadlineSeconds;
  const perIndex = spec.backoffLimitPerIndex;
  const limit = perIndex ?? spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;

  if (ads != null && ads > 0 && limit > 0) {
    const onFailure = restart === 'OnFailure';
    const cap = onFailure
      ? KUBELET_MAX_BACKOFF_SECONDS
      : maxBackoffSeconds(ctx.serverVersion ? { ...ctx.serverVersion, gitVersion: '' } : undefined);
    const waits = retryWaitSeconds(limit, cap);
    if (ads < waits) {
      const fit = retriesWithin(ads, cap, limit);
      const whose = onFailure
        ? `the kubelet's restart backoff (restartPolicy OnFailure: 10 s doubling, capped at ${cap} s)`
        : `the Job controller's pod-failure backoff (10 s doubling, capped at ${cap} s)`;
      out.push({
        code: 'DeadlineShorterThanRetries',
        severity: 'warning',
        path: `${at}.activeDeadlineSeconds`,
        message: `activeDeadlineSeconds ${ads} ends the Job before the ${limit} retries ${perIndex != null ? 'backoffLimitPerIndex' : spec.backoffLimit != null ? 'backoffLimit' : 'the default backoffLimit (6)'} allows: ${whose} alone adds up to ${waits} s, so at most ${fit} retr${fit === 1 ? 'y' : 'ies'} can start and the Job fails with DeadlineExceeded, not BackoffLimitExceeded`,
        basis: onFailure
          ? 'pkg/kubelet/apis/config/v1beta1 MaxContainerBackOff (300 s)'
          : 'pkg/controller/job DefaultJobPodFailureBackOff (10 s), MaxJobPodFailureBackOff (10 min since 1.27; 6 min before)',
      });
    }
  }

  if (spec.ttlSecondsAfterFinished != null) {
    const ttl = spec.ttlSecondsAfterFinished;
    if (ttl < 3600) {
      out.push({
        code: 'TTLDestroysEvidence',
        severity: ttl === 0 ? 'warning' : 'info',
        path: `${at}.ttlSecondsAfterFinished`,
        message:
          ttl === 0
            ? 'ttlSecondsAfterFinished 0 deletes every finished Job (failed ones too) and its pods at once: the failure, its pods and their logs are gone before anyone looks'
            : `ttlSecondsAfterFinished ${ttl} deletes finished Jobs (failed ones too) and their pods after ${ttl} s, before the events about them expire (1 h by default): the logs of a failure are gone by then`,
        basis: 'pkg/controller/ttlafterfinished: deletes Jobs with Complete or Failed, pods by cascade',
      });
    }
  }

  const rules = spec.podFailurePolicy?.rules ?? [];
  if (rules.length) out.push(...podFailurePolicyFindings(spec, rules, `${at}.podFailurePolicy.rules`));
  return out;
}

function podFailurePolicyFindings(spec: JobSpec, rules: PodFailurePolicyRule[], at: string): Finding[] {
  const out: Finding[] = [];
  const pod = spec.template?.spec;
  const names = new Set([...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((c) => c.name));
  const gates = new Set(
    ((pod as { readinessGates?: Array<{ conditionType?: string }> } | undefined)?.readinessGates ?? []).map(
      (g) => g.conditionType,
    ),
  );
  const validation = 'pkg/apis/batch/validation validatePodFailurePolicyRuleOnExitCodes';
  if (pod?.restartPolicy !== undefined && pod.restartPolicy !== 'Never') {
    out.push({
      code: 'PodFailurePolicyNeedsNever',
      severity: 'error',
      path: `${at.replace(/\.podFailurePolicy\.rules$/, '')}.template.spec.restartPolicy`,
      message: `restartPolicy ${pod.restartPolicy} with a podFailurePolicy: the API rejects it (only "Never" is supported when podFailurePolicy is specified)`,
      basis: 'pkg/apis/batch/validation validateJobSpec',
    });
  }
  rules.forEach((rule, i) => {
    const path = `${at}[${i}]`;
    const never = (why: string, severity: 'error' | 'warning', field: string, basis: string) =>
      out.push({
        code: 'PodFailurePolicyRuleNeverMatches',
        severity,
        path: `${path}${field}`,
        message: `rule ${i} (${rule.action}) can never match: ${why}`,
        basis,
      });
    const ec = rule.onExitCodes;
    if (ec) {
      if (ec.containerName != null && !names.has(ec.containerName)) {
        never(
          `containerName "${ec.containerName}" is not a container of the pod template (${[...names].join(', ') || 'none'}); the API rejects it`,
          'error',
          '.onExitCodes.containerName',
          validation,
        );
      }
      if (ec.operator === 'In' && (ec.values ?? []).includes(0)) {
        never(
          'exit code 0 is a success, never a failure, and the API rejects 0 with the In operator',
          'error',
          '.onExitCodes.values',
          validation,
        );
      } else if (exitCodeSet(ec).size === 0) {
        never(
          `no exit code from 1 to ${MAX_EXIT_CODE} is ${ec.operator === 'In' ? 'in' : 'outside'} [${(ec.values ?? []).join(', ')}] (a container exits with 0-255, or 128 + the signal)`,
          'warning',
          '.onExitCodes.values',
          'pkg/controller/job pod_failure_policy.go: only terminated containers with a non-zero exit code are matched',
        );
      } else {
        // An earlier exit-code rule that matches every code this one does (for the same containers) always wins first.
        const mine = exitCodeSet(ec);
        const earlier = rules.findIndex(
          (r, j) =>
            j < i &&
            r.onExitCodes &&
            (r.onExitCodes.containerName == null || r.onExitCodes.containerName === ec.containerName) &&
            !(r.action === 'FailIndex' && spec.backoffLimitPerIndex == null) &&
            subset(mine, exitCodeSet(r.onExitCodes)),
        );
        if (earlier >= 0) {
          never(
            `rule ${earlier} (${rules[earlier]!.action}) matches every exit code it does and is tried first`,
            'warning',
            '.onExitCodes',
            'pkg/controller/job pod_failure_policy.go: rules are tried in order, the first match decides',
          );
        }
      }
    }
    (rule.onPodConditions ?? []).forEach((p, k) => {
      if (POD_CONDITION_TYPES.has(p.type) || gates.has(p.type)) return;
      const what = REASONS_NOT_CONDITIONS[p.type];
      never(
        `no Kubernetes component sets a pod condition of type "${p.type}"${what ? ` (${p.type} is ${what})` : ''} and no readinessGate names it`,
        'warning',
        `.onPodConditions[${k}].type`,
        'k8s.io/api core/v1 PodConditionType; pkg/controller/job pod_failure_policy.go matches pod conditions by type and status',
      );
    });
    if (rule.onPodConditions?.length && !rule.onExitCodes) {
      const earlier = rules.findIndex(
        (r, j) =>
          j < i &&
          r.onPodConditions &&
          !(r.action === 'FailIndex' && spec.backoffLimitPerIndex == null) &&
          rule.onPodConditions!.every((p) =>
            r.onPodConditions!.some((q) => q.type === p.type && (q.status ?? 'True') === (p.status ?? 'True')),
          ),
      );
      if (earlier >= 0) {
        never(
          `rule ${earlier} (${rules[earlier]!.action}) matches the same pod conditions and is tried first`,
          'warning',
          '.onPodConditions',
          'pkg/controller/job pod_failure_policy.go: rules are tried in order, the first match decides',
        );
      }
    }
    if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex == null) {
      never(
        'FailIndex needs backoffLimitPerIndex; the API rejects it',
        'error',
        '.action',
        'pkg/apis/batch/validation validatePodFailurePolicyRule',
      );
    }
  });
  return out;
}
