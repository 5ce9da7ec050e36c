// Matching a failed pod against .spec.podFailurePolicy, as kubernetes/kubernetes
// pkg/controller/job/pod_failure_policy.go does (checked against the v1.29+ copy with FailIndex):
// rules are tried in order and the first match wins; onExitCodes looks at terminated app
// containers first, then init containers, skipping exit code 0; onPodConditions needs type and
// status to match; FailIndex only acts when per-index backoff is enabled, otherwise the rule is
// passed over. No match means the failure is counted.
import type {
  ContainerStatus,
  Pod,
  PodFailurePolicyOnExitCodesRequirement,
  PodFailurePolicyOnPodConditionsPattern,
  PodFailurePolicyRule,
} from '../../api/types.js';

/** Outcome of matching one failed pod. */
export interface PolicyMatch {
  /** The action of the matching rule, or null when no rule matched. */
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex' | null;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  counts: boolean;
  /** The Job failure message for FailJob, exactly as the controller writes it. */
  message: string | null;
  ruleIndex: number | null;
  container?: string;
  exitCode?: number;
  conditionType?: string;
}

const NO_MATCH: PolicyMatch = { action: null, counts: true, message: null, ruleIndex: null };

function operatorMatches(code: number, req: PodFailurePolicyOnExitCodesRequirement): boolean {
  if (req.operator === 'In') return req.values.includes(code);
  if (req.operator === 'NotIn') return !req.values.includes(code);
  return false;
}

function matchingContainer(
  list: ContainerStatus[] | undefined,
  req: PodFailurePolicyOnExitCodesRequirement,
): ContainerStatus | undefined {
  return (list ?? []).find((s) => {
    const t = s.state?.terminated;
    if (!t) return false; // still terminating: no exit code yet
    if (req.containerName && req.containerName !== s.name) return false;
    return t.exitCode !== 0 && operatorMatches(t.exitCode, req);
  });
}

function matchingCondition(pod: Pod, patterns: PodFailurePolicyOnPodConditionsPattern[]): string | undefined {
  for (const c of pod.status?.conditions ?? []) {
    // status defaults to "True" in the API; a manifest may omit it.
    if (patterns.some((p) => p.type === c.type && (p.status ?? 'True') === c.status)) return c.type;
  }
  return undefined;
}

function actionOf(rule: PodFailurePolicyRule, failIndexEnabled: boolean): PolicyMatch['action'] | 'skip' {
  switch (rule.action) {
    case 'Ignore':
    case 'Count':
    case 'FailJob':
      return rule.action;
    case 'FailIndex':
      return failIndexEnabled ? 'FailIndex' : 'skip';
    default:
      return 'skip';
  }
}

/** Matches a failed pod against the policy rules; `failIndexEnabled` = backoffLimitPerIndex is in use. */
export function matchPodFailurePolicy(
  rules: PodFailurePolicyRule[] | undefined,
  pod: Pod,
  failIndexEnabled: boolean,
): PolicyMatch {
  if (!rules) return NO_MATCH;
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  for (const [index, rule] of rules.entries()) {
    if (rule.onExitCodes) {
      const req = rule.onExitCodes;
      const c =
        matchingContainer(pod.status?.containerStatuses, req) ??
        matchingContainer(pod.status?.initContainerStatuses, req);
      if (!c) continue;
      const action = actionOf(rule, failIndexEnabled);
      if (action === 'skip' || action === null) continue;
      const exitCode = c.state!.terminated!.exitCode;
      const message =
        action === 'FailJob'
          ? `Container ${c.name} for pod ${ns}/${name} failed with exit code ${exitCode} matching ${rule.action} rule at index ${index}`
          : null;
      return { action, counts: action !== 'Ignore', message, ruleIndex: index, container: c.name, exitCode };
    }
    if (rule.onPodConditions) {
      const type = matchingCondition(pod, rule.onPodConditions);
      if (!type) continue;
      const action = actionOf(rule, failIndexEnabled);
      if (action === 'skip' || action === null) continue;
      const message =
        action === 'FailJob'
          ? `Pod ${ns}/${name} has condition ${type} matching ${rule.action} rule at index ${index}`
          : null;
      return { action, counts: action !== 'Ignore', message, ruleIndex: index, conditionType: type };
    }
  }
  return NO_MATCH;
}

/** A one-line description of a rule, e.g. `FailJob on exit code In [42] (container main)`. */
export function describeRule(rule: PodFailurePolicyRule): string {
  if (rule.onExitCodes) {
    const r = rule.onExitCodes;
    const c = r.containerName ? ` (container ${r.containerName})` : '';
    return `${rule.action} on exit code ${r.operator} [${r.values.join(', ')}]${c}`;
  }
  const conds = (rule.onPodConditions ?? []).map((p) => `${p.type}=${p.status ?? 'True'}`).join(', ');
  return `${rule.action} on pod condition ${conds}`;
}
