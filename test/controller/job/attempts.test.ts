// listAttempts: order (start time, then name), what each attempt ended with, and the previous
// container instances `logs --all-attempts` reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAttempts } from '../../../src/controller/job/attempts.js';
import type { Pod } from '../../../src/api/types.js';
import { at, job, pod } from '../../support/job-builders.js';

const train = job('train').build();

describe('listAttempts order', () => {
  it('orders by start time, ties by name, and numbers from 1', () => {
    const pods = [
      pod('train-c').started(at(100)).build(),
      pod('train-b').started(at(10)).build(),
      pod('train-a').started(at(10)).build(),
    ];
    assert.deepEqual(
      listAttempts(train, pods).map((a) => [a.attempt, a.pod]),
      [
        [1, 'train-a'],
        [2, 'train-b'],
        [3, 'train-c'],
      ],
    );
  });
  it('falls back to creation time when the pod never started', () => {
    const unscheduled = pod('train-z').unschedulable().build();
    unscheduled.metadata.creationTimestamp = at(5);
    const pods = [pod('train-a').started(at(10)).build(), unscheduled];
    assert.deepEqual(
      listAttempts(train, pods).map((a) => a.pod),
      ['train-z', 'train-a'],
    );
  });
  it('ignores pods of other Jobs', () => {
    assert.equal(listAttempts(train, [pod('other-a').build()]).length, 0);
  });
});

interface Case {
  name: string;
  pod: Pod;
  reason: string;
  exitCode?: number | null;
  end?: string | null;
  detail?: RegExp;
}

const jobWithDeadline = job('train')
  .condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline', at(600))
  .build();

const cases: Case[] = [
  {
    name: 'OOMKilled',
    pod: pod('train-a')
      .failed({ exitCode: 137, reason: 'OOMKilled', finishedAt: at(90) })
      .build(),
    reason: 'OOMKilled',
    exitCode: 137,
    end: at(90),
  },
  { name: 'plain error exit', pod: pod('train-a').failed({ exitCode: 2 }).build(), reason: 'Error', exitCode: 2 },
  {
    name: 'the failing container is reported, not a helper that exited 0',
    pod: pod('train-a').failed({ exitCode: 0, reason: 'Completed' }).container('worker', 5).build(),
    reason: 'Error',
    exitCode: 5,
    detail: /worker/,
  },
  {
    name: 'kubelet eviction (pod reason Evicted)',
    pod: pod('train-a').failed({ exitCode: 137 }).podReason('Evicted', 'The node was low on resource: memory.').build(),
    reason: 'Evicted',
    detail: /low on resource/,
  },
  {
    name: 'preempted (DisruptionTarget PreemptionByKubeScheduler)',
    pod: pod('train-a')
      .failed({ exitCode: 143 })
      .disruption('PreemptionByKubeScheduler', 'Preempted by a pod on node-1')
      .build(),
    reason: 'Preempted',
  },
  {
    name: 'node lost (DisruptionTarget DeletionByTaintManager)',
    pod: pod('train-a').failed({ exitCode: 143 }).disruption('DeletionByTaintManager').build(),
    reason: 'NodeLost',
  },
  {
    name: 'node lost (pod reason NodeLost)',
    pod: pod('train-a').failed({ exitCode: 143 }).podReason('NodeLost').build(),
    reason: 'NodeLost',
  },
  {
    name: 'drained (EvictionByEvictionAPI)',
    pod: pod('train-a').failed({ exitCode: 143 }).disruption('EvictionByEvictionAPI').build(),
    reason: 'Evicted',
  },
  {
    name: 'pod-level activeDeadlineSeconds (pod reason DeadlineExceeded)',
    pod: pod('train-a').failed({ exitCode: 137 }).podReason('DeadlineExceeded').build(),
    reason: 'DeadlineExceeded',
  },
  {
    name: 'the pod reason beats a generic DisruptionTarget',
    pod: pod('train-a')
      .failed({ exitCode: 143 })
      .disruption('DeletionByJobController', 'Job was active longer than specified deadline')
      .podReason('DeadlineExceeded')
      .build(),
    reason: 'DeadlineExceeded',
  },
  {
    name: 'an unknown DisruptionTarget reason is Disrupted',
    pod: pod('train-a').failed({ exitCode: 143 }).disruption('SomethingNew').build(),
    reason: 'Disrupted',
    detail: /SomethingNew/,
  },
  { name: 'succeeded', pod: pod('train-a').succeeded(at(30)).build(), reason: 'Completed', exitCode: 0, end: at(30) },
  { name: 'running has no end', pod: pod('train-a').build(), reason: 'Running', exitCode: null, end: null },
  {
    name: 'unschedulable',
    pod: pod('train-a').unschedulable('0/3 nodes are available').build(),
    reason: 'Unschedulable',
    detail: /0\/3 nodes/,
  },
  { name: 'image pull back-off', pod: pod('train-a').pending('ImagePullBackOff').build(), reason: 'ImagePullBackOff' },
  { name: 'deleted while running', pod: pod('train-a').deleting(at(77)).build(), reason: 'Deleted', end: at(77) },
];

describe('listAttempts reasons', () => {
  for (const c of cases) {
    it(c.name, () => {
      const [a] = listAttempts(train, [c.pod]);
      assert.ok(a);
      assert.equal(a.reason, c.reason);
      if (c.exitCode !== undefined) assert.equal(a.exitCode, c.exitCode);
      if (c.end !== undefined) assert.equal(a.end, c.end);
      if (c.detail) assert.match(a.detail ?? '', c.detail);
    });
  }
  it('a pod deleted because the Job hit its deadline is DeadlineExceeded', () => {
    const [a] = listAttempts(jobWithDeadline, [pod('train-a').deleting(at(600)).build()]);
    assert.equal(a?.reason, 'DeadlineExceeded');
  });
});

describe('listAttempts containers', () => {
  it('exposes restarts and the previous instance of each container', () => {
    const [a] = listAttempts(train, [
      pod('train-a')
        .onFailure()
        .restarts(3, { exitCode: 1, reason: 'Error', finishedAt: at(50) })
        .build(),
    ]);
    assert.equal(a?.restarts, 3);
    assert.deepEqual(
      a?.containers.map((c) => [c.container, c.init, c.restarts, c.state, c.previous?.exitCode]),
      [['main', false, 3, 'running', 1]],
    );
  });
  it('lists init containers first, marked init', () => {
    const p = pod('train-a').build();
    p.status!.initContainerStatuses = [
      { name: 'setup', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    const [a] = listAttempts(train, [p]);
    assert.deepEqual(
      a?.containers.map((c) => [c.container, c.init]),
      [
        ['setup', true],
        ['main', false],
      ],
    );
  });
  it('carries the completion index of Indexed Jobs', () => {
    const [a] = listAttempts(train, [pod('train-3-x', 'train').index(3).build()]);
    assert.equal(a?.index, 3);
  });
});
