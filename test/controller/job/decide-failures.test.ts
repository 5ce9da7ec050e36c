// decideJob: how and why a Job fails — backoffLimit (pods and OnFailure restarts), the deadline,
// podFailurePolicy, and which rule wins when several apply.
import { describe, it } from 'node:test';
import { at, dateAt, event, job, pod, runScenario, v, type Scenario } from '../../support/job-builders.js';

const LIMIT_MSG = 'Job has reached the specified backoff limit';
const DEADLINE_MSG = 'Job was active longer than specified deadline';
const failedPod = (name: string, code = 1, reason = 'Error', end = 30) =>
  pod(name).failed({ exitCode: code, reason, finishedAt: at(end) });

const scenarios: Scenario[] = [
  // --- OnFailure: container restarts count ------------------------------------------------
  {
    name: 'OnFailure restarts reaching backoffLimit fail the Job (not yet written)',
    job: job('train').backoffLimit(2).onFailure().build(),
    pods: [pod('train-abc').onFailure().restarts(2, { exitCode: 1 }).build()],
    now: dateAt(300),
    verdict: 'failed',
    rule: 'backoffLimitOnFailure',
    predicted: true,
    firstCode: 'BackoffLimitExceeded',
    failures: { byRestarts: 2, byPods: 0, counted: 2, backoffLimit: 2 },
    conditionMessage: LIMIT_MSG,
    mentions: ['count as retries and reached backoffLimit 2 (2 restarts >= 2)', 'restartPolicy: Never'],
  },
  {
    name: 'OnFailure restarts below backoffLimit keep it running',
    job: job('train').backoffLimit(2).onFailure().build(),
    pods: [pod('train-abc').onFailure().restarts(1).build()],
    now: dateAt(300),
    verdict: 'running',
    rule: null,
    codes: ['RetriesUsed'],
    failures: { byRestarts: 1, counted: 1 },
  },
  {
    name: 'backoffLimit 0 with OnFailure: a single restart fails the Job',
    job: job('train').backoffLimit(0).onFailure().build(),
    pods: [pod('train-abc').onFailure().restarts(1).build()],
    now: dateAt(60),
    verdict: 'failed',
    rule: 'backoffLimitOnFailure',
    failures: { byRestarts: 1, backoffLimit: 0 },
    mentions: [
      'with backoffLimit 0: any container restart fails the Job',
      'gives FailureTarget, then Failed, with reason BackoffLimitExceeded',
    ],
  },
  {
    name: 'on v1.30 a predicted failure goes straight to Failed (no interim condition)',
    job: job('train').backoffLimit(0).onFailure().build(),
    pods: [pod('train-abc').onFailure().restarts(1).build()],
    now: dateAt(60),
    version: v(1, 30),
    verdict: 'failed',
    rule: 'backoffLimitOnFailure',
    mentions: ['gives Failed with reason BackoffLimitExceeded'],
  },
  {
    name: 'backoffLimit 0 with OnFailure and no restart is fine',
    job: job('train').backoffLimit(0).onFailure().build(),
    pods: [pod('train-abc').onFailure().build()],
    now: dateAt(60),
    verdict: 'running',
    rule: null,
    absent: ['BackoffLimitExceeded'],
  },
  {
    name: 'restarts of Succeeded pods do not count (only Running/Pending)',
    job: job('train').backoffLimit(2).onFailure().completions(2).build(),
    pods: [pod('train-a').onFailure().restarts(5).succeeded(at(50)).build(), pod('train-b').onFailure().build()],
    now: dateAt(60),
    verdict: 'running',
    failures: { byRestarts: 0 },
  },
  {
    name: 'OnFailure Job already failed, pod deleted: restarts inferred, evidence gone',
    job: job('train')
      .backoffLimit(2)
      .onFailure()
      .counters({ failed: 1 })
      .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200))
      .build(),
    now: dateAt(300),
    verdict: 'failed',
    rule: 'backoffLimitOnFailure',
    predicted: false,
    codes: ['BackoffLimitExceeded', 'EvidenceGone'],
    mentions: ['The restarts are no longer visible'],
  },
  {
    // Seen against the real controller (test/e2e/job): after the failure it deletes the running pod
    // and counts it in status.failed, which must not turn into "failed pods exceeded backoffLimit 0".
    name: 'OnFailure, backoffLimit 0, the running pod deleted at failure and counted in status.failed',
    job: job('train')
      .backoffLimit(0)
      .onFailure()
      .counters({ failed: 1 })
      .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200))
      .build(),
    events: [event('SuccessfulDelete').on('Job', 'train').message('Deleted pod: train-abc').at(at(200)).build()],
    now: dateAt(300),
    verdict: 'failed',
    rule: 'backoffLimitOnFailure',
    codes: ['BackoffLimitExceeded'],
  },
  {
    name: 'OnFailure, backoffLimit 1, two evicted pods visible as Failed: the pods exceeded the limit',
    job: job('train')
      .backoffLimit(1)
      .onFailure()
      .counters({ failed: 2 })
      .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200))
      .build(),
    pods: [failedPod('train-a', 137, 'Error', 20).build(), failedPod('train-b', 137, 'Error', 60).build()],
    now: dateAt(300),
    verdict: 'failed',
    rule: 'backoffLimit',
    codes: ['BackoffLimitExceeded'],
  },
  // --- restartPolicy Never: failed pods count ---------------------------------------------
  {
    name: 'failed pods exceeding backoffLimit (condition written)',
    job: job('train')
      .backoffLimit(2)
      .counters({ failed: 3 })
      .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200))
      .build(),
    pods: [
      failedPod('train-a', 137, 'OOMKilled', 20).build(),
      failedPod('train-b', 137, 'OOMKilled', 60).build(),
      failedPod('train-c', 137, 'OOMKilled', 150).build(),
    ],
    now: dateAt(300),
    verdict: 'failed',
    rule: 'backoffLimit',
    firstCode: 'BackoffLimitExceeded',
    conditionMessage: LIMIT_MSG,
    failures: { byPods: 3, counted: 3, backoffLimit: 2 },
    mentions: [
      '3 failed pods counted (status.failed 3, uncounted 0, not yet in status 0) > backoffLimit 2',
      '3× OOMKilled (exit 137)',
      'at least 3',
      'resources.limits.memory',
    ],
  },
  {
    name: 'failures equal to backoffLimit do not fail the Job yet',
    job: job('train').backoffLimit(2).counters({ failed: 2 }).build(),
    pods: [failedPod('train-a', 1, 'Error', 10).build(), failedPod('train-b', 1, 'Error', 40).build()],
    now: dateAt(1000),
    verdict: 'running',
    rule: null,
    failures: { byPods: 2 },
  },
  {
    name: 'tracked failed pods not yet in status.failed are counted',
    job: job('train').backoffLimit(1).counters({ failed: 1 }).build(),
    pods: [
      failedPod('train-a', 3, 'Error', 10).build(),
      pod('train-b')
        .failed({ exitCode: 3, finishedAt: at(40) })
        .tracked()
        .build(),
    ],
    now: dateAt(100),
    verdict: 'failed',
    rule: 'backoffLimit',
    predicted: true,
    failures: { byPods: 2 },
    mentions: ['Every failure exited 3', 'values: [3]'],
  },
  {
    name: 'uncountedTerminatedPods.failed are counted',
    job: job('train')
      .backoffLimit(1)
      .counters({ failed: 1, uncountedFailed: ['uid-x'] })
      .build(),
    now: dateAt(100),
    verdict: 'failed',
    rule: 'backoffLimit',
    failures: { byPods: 2 },
  },
  // --- activeDeadlineSeconds ---------------------------------------------------------------
  {
    name: 'DeadlineExceeded before backoffLimit is reached',
    job: job('train').deadline(600).counters({ failed: 1 }).build(),
    pods: [failedPod('train-a', 1, 'Error', 100).build(), pod('train-b').started(at(120)).build()],
    now: dateAt(601),
    verdict: 'failed',
    rule: 'activeDeadline',
    predicted: true,
    conditionMessage: DEADLINE_MSG,
    firstCode: 'DeadlineExceeded',
    mentions: ['Only 1 of backoffLimit 6 failures were used', 'above the observed runtime of 601s'],
  },
  {
    name: 'deadline fires exactly at startTime + activeDeadlineSeconds',
    job: job('train').deadline(600).build(),
    pods: [pod('train-a').build()],
    now: dateAt(600),
    verdict: 'failed',
    rule: 'activeDeadline',
  },
  {
    name: 'one second before the deadline the Job runs',
    job: job('train').deadline(600).build(),
    pods: [pod('train-a').build()],
    now: dateAt(599),
    verdict: 'running',
    rule: null,
  },
  {
    name: 'past both backoffLimit and the deadline: backoffLimit is checked first',
    job: job('train').deadline(600).backoffLimit(1).counters({ failed: 2 }).build(),
    now: dateAt(900),
    verdict: 'failed',
    rule: 'backoffLimit',
    conditionMessage: LIMIT_MSG,
  },
  {
    name: 'a suspended Job ignores its deadline',
    job: job('train').deadline(60).suspended().build(),
    now: dateAt(100000),
    verdict: 'suspended',
    rule: null,
    codes: ['JobSuspended'],
    absent: ['DeadlineExceeded'],
  },
  {
    name: 'resumed Job: the deadline counts from the reset startTime',
    job: job('train')
      .deadline(600)
      .started(at(1000))
      .condition('Suspended', 'JobResumed', 'Job resumed', at(1000), 'False')
      .build(),
    pods: [pod('train-a').started(at(1001)).build()],
    now: dateAt(1500),
    verdict: 'running',
    rule: null,
  },
  {
    name: 'resumed Job past its reset deadline says startTime was reset',
    job: job('train')
      .deadline(600)
      .started(at(1000))
      .condition('Suspended', 'JobResumed', 'Job resumed', at(1000), 'False')
      .build(),
    pods: [pod('train-a').started(at(1001)).build()],
    now: dateAt(1600),
    verdict: 'failed',
    rule: 'activeDeadline',
    mentions: ['resuming resets startTime'],
  },
  {
    name: 'Job failed DeadlineExceeded: runtime measured to the condition time',
    job: job('train')
      .deadline(600)
      .counters({ failed: 2 })
      .condition('Failed', 'DeadlineExceeded', DEADLINE_MSG, at(600))
      .build(),
    pods: [pod('train-c').started(at(500)).deleting(at(600)).build()],
    now: dateAt(5000),
    verdict: 'failed',
    rule: 'activeDeadline',
    predicted: false,
    mentions: [
      'after 10m active',
      'Only 2 of backoffLimit 6',
      'Raise .spec.activeDeadlineSeconds (600s)',
      'Attempts before the deadline: 1× DeadlineExceeded',
    ],
    check: (d) => {
      if (d.attempts[0]?.reason !== 'DeadlineExceeded') throw new Error(`attempt reason ${d.attempts[0]?.reason}`);
    },
  },
  // --- podFailurePolicy ----------------------------------------------------------------------
  {
    name: 'podFailurePolicy FailJob on exit code 42 (exact message)',
    job: job('train')
      .podFailurePolicy({ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } })
      .build(),
    pods: [failedPod('train-abc', 42).build()],
    now: dateAt(60),
    verdict: 'failed',
    rule: 'podFailurePolicy',
    firstCode: 'PodFailurePolicy',
    predicted: true,
    conditionMessage:
      'Container main for pod default/train-abc failed with exit code 42 matching FailJob rule at index 0',
    mentions: ['change rule 0 to action Count'],
  },
  {
    name: 'FailJob wins over an exceeded backoffLimit',
    job: job('train')
      .backoffLimit(0)
      .counters({ failed: 1 })
      .podFailurePolicy(
        { action: 'Count', onExitCodes: { operator: 'In', values: [1] } },
        { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      )
      .build(),
    pods: [failedPod('train-abc', 42).build()],
    now: dateAt(60),
    verdict: 'failed',
    rule: 'podFailurePolicy',
    conditionMessage:
      'Container main for pod default/train-abc failed with exit code 42 matching FailJob rule at index 1',
  },
  {
    name: 'FailJob on a pod condition (exact message)',
    job: job('train')
      .podFailurePolicy({ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] })
      .build(),
    pods: [failedPod('train-abc', 137).disruption('EvictionByEvictionAPI', 'Eviction API: evicting').build()],
    now: dateAt(60),
    verdict: 'failed',
    rule: 'podFailurePolicy',
    conditionMessage: 'Pod default/train-abc has condition DisruptionTarget matching FailJob rule at index 0',
  },
  {
    name: 'Ignore on DisruptionTarget: evictions do not count towards backoffLimit',
    job: job('train')
      .backoffLimit(1)
      .podFailurePolicy({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] })
      .build(),
    pods: [
      pod('train-a')
        .failed({ exitCode: 143, finishedAt: at(30) })
        .disruption('PreemptionByKubeScheduler')
        .tracked()
        .build(),
      pod('train-b')
        .started(at(40))
        .failed({ exitCode: 143, finishedAt: at(90) })
        .disruption('DeletionByTaintManager')
        .tracked()
        .build(),
    ],
    now: dateAt(100),
    // Ignored failures still grow the backoff: 2 failures → 20s after the last one.
    verdict: 'backing-off',
    rule: null,
    failures: { byPods: 0, ignored: 2, counted: 0 },
    nextRetryAt: at(110),
  },
  {
    name: 'the same evictions without a policy exhaust backoffLimit 1',
    job: job('train').backoffLimit(1).build(),
    pods: [
      pod('train-a')
        .failed({ exitCode: 143, finishedAt: at(30) })
        .disruption('PreemptionByKubeScheduler')
        .tracked()
        .build(),
      pod('train-b')
        .started(at(40))
        .failed({ exitCode: 143, finishedAt: at(90) })
        .disruption('DeletionByTaintManager')
        .tracked()
        .build(),
    ],
    now: dateAt(100),
    verdict: 'failed',
    rule: 'backoffLimit',
    failures: { byPods: 2, ignored: 0 },
    mentions: ['onPodConditions: [{type: DisruptionTarget}]'],
  },
  {
    name: 'podFailurePolicy on a v1.24 server is ignored (FieldIgnored)',
    job: job('train')
      .podFailurePolicy({ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } })
      .build(),
    pods: [failedPod('train-abc', 42, 'Error', 50).build()],
    now: dateAt(55),
    version: v(1, 24),
    verdict: 'backing-off',
    rule: null,
    codes: ['FieldIgnored'],
    nextRetryAt: at(60),
  },
  {
    name: 'podFailurePolicy on v1.25 (alpha) is honoured with a warning',
    job: job('train')
      .podFailurePolicy({ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } })
      .build(),
    pods: [failedPod('train-abc', 42).build()],
    now: dateAt(60),
    version: v(1, 25),
    verdict: 'failed',
    rule: 'podFailurePolicy',
    codes: ['AlphaFeature'],
  },
];

describe('decideJob: failure rules', () => {
  for (const s of scenarios)
    it(s.name, () => {
      runScenario(s);
    });
});
