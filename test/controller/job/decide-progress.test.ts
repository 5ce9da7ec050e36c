// decideJob: Jobs that have not failed — backing off, stuck, suspended, held by a queue, owned by
// another controller — plus indexed Jobs, success, and what happens around the Job (CronJob
// Replace, TTL, evidence already deleted).
import { describe, it } from 'node:test';
import { at, cronJob, dateAt, event, job, pod, runScenario, v, type Scenario } from '../../support/job-builders.js';

/** n failed pods (no success yet), the last finishing at t=100s. */
function failures(n: number) {
  return Array.from({ length: n }, (_, i) =>
    pod(`train-${String.fromCharCode(97 + i)}`)
      .started(at(i))
      .failed({ exitCode: 1, finishedAt: at(100 - (n - 1 - i)) })
      .build(),
  );
}

const backoff: Array<[number, number, ReturnType<typeof v> | undefined]> = [
  [1, 10, undefined],
  [2, 20, undefined],
  [3, 40, undefined],
  [4, 80, undefined],
  [5, 160, undefined],
  [6, 320, undefined],
  [7, 600, undefined],
  [8, 600, undefined],
  [7, 360, v(1, 26)],
  [9, 360, v(1, 26)],
];

const scenarios: Scenario[] = [
  ...backoff.map(
    ([n, delay, version]): Scenario => ({
      name: `backing off after ${n} failures → next pod ${delay}s after the last one${version ? ` (${version.gitVersion})` : ''}`,
      job: job('train').backoffLimit(10).counters({ failed: n }).build(),
      pods: failures(n),
      now: dateAt(101),
      version,
      verdict: 'backing-off',
      nextRetryAt: at(100 + delay),
      codes: ['BackingOff'],
      failures: { byPods: n },
    }),
  ),
  {
    name: 'the backoff has elapsed: the pod is about to be created',
    job: job('train').backoffLimit(10).counters({ failed: 2 }).build(),
    pods: failures(2),
    now: dateAt(121),
    verdict: 'running',
    nextRetryAt: null,
    codes: ['RetriesUsed'],
  },
  {
    name: 'a success resets the backoff count: one failure after it → 10s',
    job: job('train').completions(3).counters({ failed: 2, succeeded: 1 }).build(),
    pods: [
      pod('train-a')
        .failed({ exitCode: 1, finishedAt: at(10) })
        .build(),
      pod('train-b').started(at(20)).succeeded(at(50)).build(),
      pod('train-c')
        .started(at(60))
        .failed({ exitCode: 1, finishedAt: at(100) })
        .build(),
    ],
    now: dateAt(101),
    verdict: 'backing-off',
    nextRetryAt: at(110),
  },
  // --- stuck --------------------------------------------------------------------------------
  {
    name: 'stuck: pod unschedulable',
    job: job('train').build(),
    pods: [pod('train-a').unschedulable('0/3 nodes are available: 3 Insufficient memory.').build()],
    now: dateAt(600),
    verdict: 'stuck',
    firstCode: 'Unschedulable',
    mentions: ['Insufficient memory'],
  },
  ...['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'].map(
    (reason): Scenario => ({
      name: `stuck: ${reason}`,
      job: job('train').build(),
      pods: [pod('train-a').pending(reason, 'Back-off pulling image "busybox:nope"').build()],
      now: dateAt(600),
      verdict: 'stuck',
      firstCode: 'ImagePull',
      mentions: [reason],
    }),
  ),
  {
    name: 'stuck: missing ConfigMap (CreateContainerConfigError)',
    job: job('train').build(),
    pods: [pod('train-a').pending('CreateContainerConfigError', 'configmap "settings" not found').build()],
    now: dateAt(600),
    verdict: 'stuck',
    firstCode: 'CreateContainerConfigError',
    mentions: ['configmap "settings" not found'],
  },
  {
    name: 'stuck: FailedCreate because a quota is exhausted',
    job: job('train').build(),
    events: [
      event('FailedCreate')
        .warning()
        .at(at(30))
        .count(4)
        .message(
          'Error creating: pods "train-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10',
        )
        .build(),
    ],
    now: dateAt(60),
    verdict: 'stuck',
    firstCode: 'FailedCreate',
    mentions: ['ResourceQuota is exhausted', '(x4)'],
  },
  {
    name: 'stuck: FailedCreate because a webhook denied the pod',
    job: job('train').build(),
    events: [
      event('FailedCreate')
        .warning()
        .at(at(30))
        .message('Error creating: admission webhook "policy.example.com" denied the request: no latest tags')
        .build(),
    ],
    now: dateAt(60),
    verdict: 'stuck',
    firstCode: 'FailedCreate',
    mentions: ['an admission webhook denied the pod'],
  },
  {
    name: 'an old FailedCreate followed by SuccessfulCreate is not a problem',
    job: job('train').completions(2).parallelism(2).build(),
    pods: [pod('train-a').started(at(40)).build()],
    events: [
      event('FailedCreate').warning().at(at(10)).message('Error creating: exceeded quota').build(),
      event('SuccessfulCreate').at(at(40)).message('Created pod: train-a').build(),
    ],
    now: dateAt(60),
    verdict: 'running',
    absent: ['FailedCreate'],
  },
  {
    name: 'stuck: parallelism 0',
    job: job('train').parallelism(0).build(),
    now: dateAt(60),
    verdict: 'stuck',
    firstCode: 'ParallelismZero',
  },
  {
    name: 'podReplacementPolicy Failed waits for terminating pods',
    job: job('train').replacement('Failed').counters({ failed: 0 }).build(),
    pods: [pod('train-a').deleting(at(50)).build()],
    now: dateAt(60),
    verdict: 'running',
    codes: ['WaitingForTerminatingPods'],
  },
  {
    name: 'podReplacementPolicy on v1.27 is not supported',
    job: job('train').replacement('Failed').build(),
    pods: [pod('train-a').build()],
    now: dateAt(60),
    version: v(1, 27),
    verdict: 'running',
    codes: ['FieldIgnored'],
  },
  // --- suspended, queues, other controllers --------------------------------------------------
  {
    name: 'suspended by hand',
    job: job('train').suspended().condition('Suspended', 'JobSuspended', 'Job suspended', at(5)).build(),
    now: dateAt(60),
    verdict: 'suspended',
    firstCode: 'JobSuspended',
    absent: ['HeldByQueue'],
    mentions: ['Condition Suspended=True, reason JobSuspended'],
  },
  {
    name: 'Kueue-held: suspended until the Workload is admitted',
    job: job('train').suspended().label('kueue.x-k8s.io/queue-name', 'team-a').build(),
    events: [
      event('CreatedWorkload').from('kueue-admission').message('Created Workload: default/job-train-1a2b3').build(),
    ],
    now: dateAt(600),
    verdict: 'suspended',
    firstCode: 'HeldByQueue',
    codes: ['JobSuspended'],
    mentions: ['LocalQueue "team-a"', 'Created Workload: default/job-train-1a2b3', 'kubectl get workloads -n default'],
  },
  {
    name: 'managedBy another controller: the built-in rules do not apply',
    job: job('train').managedBy('kueue.x-k8s.io/multikueue').backoffLimit(1).counters({ failed: 5 }).build(),
    now: dateAt(600),
    verdict: 'stuck',
    rule: null,
    firstCode: 'ManagedElsewhere',
    absent: ['BackoffLimitExceeded'],
  },
  {
    name: 'suspended with managedBy: held by the other controller',
    job: job('train').managedBy('kueue.x-k8s.io/multikueue').suspended().build(),
    now: dateAt(600),
    verdict: 'suspended',
    firstCode: 'ManagedElsewhere',
    codes: ['JobSuspended'],
  },
  {
    name: 'managedBy on v1.29 (unsupported): the built-in controller still owns it',
    job: job('train').managedBy('example.com/ctl').backoffLimit(1).counters({ failed: 5 }).build(),
    now: dateAt(600),
    version: v(1, 29),
    verdict: 'failed',
    rule: 'backoffLimit',
    codes: ['FieldIgnored'],
    absent: ['ManagedElsewhere'],
  },
  // --- CronJob Replace and history ------------------------------------------------------------
  {
    name: 'Replace deleted it: SuccessfulDelete from cronjob-controller',
    job: job('train').ownedByCronJob('nightly').build(),
    pods: [pod('train-a').build()],
    events: [
      event('SuccessfulDelete')
        .on('CronJob', 'nightly')
        .from('cronjob-controller')
        .at(at(300))
        .message('Deleted job train')
        .build(),
    ],
    now: dateAt(301),
    cronJob: cronJob('nightly', 'Replace'),
    verdict: 'failed',
    firstCode: 'ReplacedByCronJob',
    mentions: ['SuccessfulDelete "Deleted job train"', 'concurrencyPolicy Replace'],
  },
  {
    name: 'Replace deleted it: deletionTimestamp while its CronJob is Replace',
    job: job('train').ownedByCronJob('nightly').deleting(at(300)).build(),
    pods: [pod('train-a').build()],
    now: dateAt(301),
    cronJob: cronJob('nightly', 'Replace'),
    verdict: 'failed',
    firstCode: 'ReplacedByCronJob',
  },
  {
    name: 'a deleted Job of a Forbid CronJob is not blamed on Replace',
    job: job('train').ownedByCronJob('nightly').deleting(at(300)).build(),
    pods: [pod('train-a').build()],
    now: dateAt(301),
    cronJob: cronJob('nightly', 'Forbid'),
    verdict: 'running',
    absent: ['ReplacedByCronJob'],
  },
  {
    name: 'a finished Job deleted by the CronJob history limit',
    job: job('train')
      .ownedByCronJob('nightly')
      .counters({ succeeded: 1 })
      .condition('Complete', '', '', at(100))
      .build(),
    events: [
      event('SuccessfulDelete')
        .on('CronJob', 'nightly')
        .from('cronjob-controller')
        .at(at(400))
        .message('Deleted job train')
        .build(),
    ],
    now: dateAt(401),
    verdict: 'succeeded',
    codes: ['DeletedByHistoryLimit'],
    absent: ['ReplacedByCronJob'],
  },
  // --- success, TTL, interim conditions, evidence gone ----------------------------------------
  {
    name: 'completions reached (not yet written)',
    job: job('train').completions(2).counters({ succeeded: 2 }).build(),
    now: dateAt(60),
    verdict: 'succeeded',
    rule: 'completions',
    predicted: true,
  },
  {
    name: 'TTL: when the finished Job will be deleted',
    job: job('train')
      .ttl(3600)
      .counters({ succeeded: 1 })
      .condition('Complete', 'CompletionsReached', '', at(100))
      .build(),
    pods: [pod('train-a').succeeded(at(99)).build()],
    now: dateAt(200),
    verdict: 'succeeded',
    codes: ['TTLPending'],
    check: (d) => {
      if (d.deleteAt !== at(3700)) throw new Error(`deleteAt ${d.deleteAt}`);
    },
  },
  {
    name: 'FailureTarget set, pods still terminating',
    job: job('train')
      .condition(
        'FailureTarget',
        'PodFailurePolicy',
        'Container main for pod default/train-a failed with exit code 42 matching FailJob rule at index 0',
        at(50),
      )
      .build(),
    pods: [pod('train-b').deleting(at(50)).build()],
    now: dateAt(55),
    verdict: 'failed',
    rule: 'podFailurePolicy',
    codes: ['PodFailurePolicy', 'TerminatingPods'],
  },
  {
    name: 'SuccessCriteriaMet set, pods still terminating',
    job: job('train')
      .indexed(3)
      .condition('SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0', at(50))
      .build(),
    now: dateAt(55),
    verdict: 'succeeded',
    rule: 'successPolicy',
    codes: ['SuccessPolicy', 'TerminatingPods'],
  },
  {
    name: 'evidence gone: failed Job whose pods and events were deleted',
    job: job('train')
      .backoffLimit(6)
      .counters({ failed: 7 })
      .condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', at(900))
      .build(),
    now: dateAt(90000),
    verdict: 'failed',
    rule: 'backoffLimit',
    codes: ['BackoffLimitExceeded', 'EvidenceGone'],
    mentions: ['7 failed pods counted in status no longer exist', 'events expire after the API server --event-ttl'],
  },
];

describe('decideJob: progress, stuck and lifecycle', () => {
  for (const s of scenarios)
    it(s.name, () => {
      runScenario(s);
    });
});
