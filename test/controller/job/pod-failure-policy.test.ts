// matchPodFailurePolicy: rule order, exit-code operators, container names, exit code 0, init
// containers, pod conditions, FailIndex gating and the exact FailJob messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, PodFailurePolicyRule } from '../../../src/api/types.js';
import { matchPodFailurePolicy, describeRule } from '../../../src/controller/job/pod-failure-policy.js';
import { pod } from '../../support/job-builders.js';

const exit = (code: number, container?: string) => pod('train-abc').failed({ exitCode: code, container }).build();
const onCodes = (action: string, operator: string, values: number[], containerName?: string): PodFailurePolicyRule => ({
  action,
  onExitCodes: { operator, values, ...(containerName ? { containerName } : {}) },
});

interface Case {
  name: string;
  rules?: PodFailurePolicyRule[];
  pod: Pod;
  failIndex?: boolean;
  action: string | null;
  counts: boolean;
  ruleIndex?: number | null;
  message?: string;
}

const withInit = (() => {
  const p = pod('train-abc').failed({ exitCode: 0, reason: 'Completed' }).build();
  p.status!.initContainerStatuses = [
    { name: 'setup', restartCount: 0, state: { terminated: { exitCode: 7, reason: 'Error' } } },
  ];
  return p;
})();

const cases: Case[] = [
  { name: 'no policy: counted, no action', pod: exit(1), action: null, counts: true },
  {
    name: 'In matches',
    rules: [onCodes('Count', 'In', [1, 2])],
    pod: exit(2),
    action: 'Count',
    counts: true,
    ruleIndex: 0,
  },
  { name: 'In misses', rules: [onCodes('FailJob', 'In', [42])], pod: exit(41), action: null, counts: true },
  {
    name: 'NotIn matches other codes',
    rules: [onCodes('Ignore', 'NotIn', [1])],
    pod: exit(2),
    action: 'Ignore',
    counts: false,
  },
  {
    name: 'NotIn misses listed codes',
    rules: [onCodes('Ignore', 'NotIn', [1])],
    pod: exit(1),
    action: null,
    counts: true,
  },
  {
    name: 'exit code 0 never matches, even NotIn',
    rules: [onCodes('FailJob', 'NotIn', [1])],
    pod: pod('train-abc').failed({ exitCode: 1 }).container('sidecar', 0, 'Completed').build(),
    action: null,
    counts: true,
  },
  {
    name: 'containerName restricts the match',
    rules: [onCodes('FailJob', 'In', [42], 'other')],
    pod: exit(42),
    action: null,
    counts: true,
  },
  {
    name: 'containerName matching',
    rules: [onCodes('FailJob', 'In', [42], 'main')],
    pod: exit(42),
    action: 'FailJob',
    counts: true,
    message: 'Container main for pod default/train-abc failed with exit code 42 matching FailJob rule at index 0',
  },
  {
    name: 'init container exit codes are checked after app containers',
    rules: [onCodes('FailJob', 'In', [7])],
    pod: withInit,
    action: 'FailJob',
    counts: true,
    message: 'Container setup for pod default/train-abc failed with exit code 7 matching FailJob rule at index 0',
  },
  {
    name: 'first matching rule wins',
    rules: [onCodes('Ignore', 'In', [42]), onCodes('FailJob', 'In', [42])],
    pod: exit(42),
    action: 'Ignore',
    counts: false,
    ruleIndex: 0,
  },
  {
    name: 'onPodConditions DisruptionTarget Ignore',
    rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
    pod: pod('train-abc').failed({ exitCode: 143 }).disruption('PreemptionByKubeScheduler').build(),
    action: 'Ignore',
    counts: false,
  },
  {
    name: 'onPodConditions status must match',
    rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'False' }] }],
    pod: pod('train-abc').failed({ exitCode: 143 }).disruption('PreemptionByKubeScheduler').build(),
    action: null,
    counts: true,
  },
  {
    name: 'onPodConditions FailJob message',
    rules: [onCodes('Count', 'In', [1]), { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }],
    pod: pod('train-abc').failed({ exitCode: 143 }).disruption('DeletionByTaintManager').build(),
    action: 'FailJob',
    counts: true,
    message: 'Pod default/train-abc has condition DisruptionTarget matching FailJob rule at index 1',
  },
  {
    name: 'FailIndex acts when backoffLimitPerIndex is used',
    rules: [onCodes('FailIndex', 'In', [3])],
    pod: exit(3),
    failIndex: true,
    action: 'FailIndex',
    counts: true,
  },
  {
    name: 'FailIndex without per-index backoff is passed over to the next rule',
    rules: [onCodes('FailIndex', 'In', [3]), onCodes('Ignore', 'In', [3])],
    pod: exit(3),
    failIndex: false,
    action: 'Ignore',
    counts: false,
    ruleIndex: 1,
  },
];

describe('matchPodFailurePolicy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const m = matchPodFailurePolicy(c.rules, c.pod, c.failIndex ?? false);
      assert.equal(m.action, c.action);
      assert.equal(m.counts, c.counts);
      if (c.ruleIndex !== undefined) assert.equal(m.ruleIndex, c.ruleIndex);
      if (c.message !== undefined) assert.equal(m.message, c.message);
      if (c.action !== 'FailJob') assert.equal(m.message, null);
    });
  }
  it('describes rules in one line', () => {
    assert.equal(describeRule(onCodes('FailJob', 'In', [42], 'main')), 'FailJob on exit code In [42] (container main)');
    assert.equal(
      describeRule({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }),
      'Ignore on pod condition DisruptionTarget=True',
    );
  });
});
