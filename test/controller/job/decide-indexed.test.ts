// decideJob for Indexed Jobs: backoffLimitPerIndex, FailIndex, maxFailedIndexes, successPolicy
// and per-index backoff.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, dateAt, job, pod, runScenario, v, type Scenario } from '../../support/job-builders.js';

/** A pod of index `ix` of job/train, named train-<ix>-<suffix>. */
const ipod = (ix: number, suffix: string, failures?: number) =>
  pod(`train-${ix}-${suffix}`, 'train').index(ix, failures);

const exit3FailIndex = { action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } };

const scenarios: Scenario[] = [
  {
    name: 'FailIndex with backoffLimitPerIndex fails the index at once; all others done → FailedIndexes',
    job: job('train')
      .indexed(3)
      .perIndex(2)
      .podFailurePolicy(exit3FailIndex)
      .counters({ completedIndexes: '1,2', succeeded: 2 })
      .build(),
    pods: [
      ipod(0, 'a', 0)
        .failed({ exitCode: 3, finishedAt: at(30) })
        .tracked()
        .build(),
    ],
    now: dateAt(40),
    verdict: 'failed',
    rule: 'failedIndexes',
    predicted: true,
    conditionMessage: 'Job has failed indexes',
    mentions: [
      'Indexes 0 failed and every other index finished (2 succeeded of 3)',
      'Index 0: 1 counted failure (backoffLimitPerIndex 2)',
    ],
    check: (d) =>
      assert.deepEqual(
        d.indexes?.perIndex.map((s) => [s.index, s.failures, s.failed]),
        [[0, 1, true]],
      ),
  },
  {
    name: 'without FailIndex the same failure is retried within the index (per-index backoff 10s)',
    job: job('train').indexed(3).perIndex(2).counters({ completedIndexes: '1,2', succeeded: 2 }).build(),
    pods: [
      ipod(0, 'a', 0)
        .failed({ exitCode: 3, finishedAt: at(30) })
        .tracked()
        .build(),
    ],
    now: dateAt(35),
    verdict: 'backing-off',
    rule: null,
    nextRetryAt: at(40),
  },
  {
    name: 'the index fails once its failure-count annotation reaches backoffLimitPerIndex',
    job: job('train').indexed(3).perIndex(2).counters({ completedIndexes: '1,2', succeeded: 2 }).build(),
    pods: [
      ipod(0, 'c', 2)
        .failed({ exitCode: 3, finishedAt: at(90) })
        .tracked()
        .build(),
    ],
    now: dateAt(95),
    verdict: 'failed',
    rule: 'failedIndexes',
    check: (d) => assert.equal(d.indexes?.perIndex[0]?.failures, 3),
  },
  {
    name: 'per-index backoff grows with the annotation: third failure → 40s',
    job: job('train').indexed(2).perIndex(5).counters({ completedIndexes: '1', succeeded: 1 }).build(),
    pods: [
      ipod(0, 'c', 2)
        .failed({ exitCode: 1, finishedAt: at(100) })
        .tracked()
        .build(),
    ],
    now: dateAt(101),
    verdict: 'backing-off',
    nextRetryAt: at(140),
  },
  {
    name: 'per-index backoff does not hold back an index that can start now',
    job: job('train').indexed(3).perIndex(5).parallelism(3).build(),
    pods: [
      ipod(0, 'a', 0)
        .failed({ exitCode: 1, finishedAt: at(100) })
        .tracked()
        .build(),
      ipod(1, 'a').build(),
    ],
    now: dateAt(101),
    verdict: 'running',
    nextRetryAt: null,
  },
  {
    name: 'maxFailedIndexes exceeded',
    job: job('train').indexed(5).perIndex(0).maxFailedIndexes(1).parallelism(5).build(),
    pods: [
      ipod(0, 'a', 0)
        .failed({ exitCode: 1, finishedAt: at(30) })
        .tracked()
        .build(),
      ipod(1, 'a', 0)
        .failed({ exitCode: 1, finishedAt: at(31) })
        .tracked()
        .build(),
      ipod(2, 'a').build(),
    ],
    now: dateAt(40),
    verdict: 'failed',
    rule: 'maxFailedIndexes',
    conditionMessage: 'Job has exceeded the specified maximal number of failed indexes',
    mentions: ['2 failed indexes (0,1) > maxFailedIndexes 1', 'Raise .spec.maxFailedIndexes to at least 2'],
  },
  {
    name: 'failed indexes up to maxFailedIndexes keep the Job going',
    job: job('train')
      .indexed(5)
      .perIndex(0)
      .maxFailedIndexes(2)
      .parallelism(5)
      .counters({ failedIndexes: '0' })
      .build(),
    pods: [
      ipod(1, 'a', 0)
        .failed({ exitCode: 1, finishedAt: at(31) })
        .tracked()
        .build(),
      ipod(2, 'a').build(),
    ],
    now: dateAt(40),
    verdict: 'running',
    rule: null,
    check: (d) => assert.equal(d.indexes?.failed, '0'),
  },
  {
    name: 'successPolicy: succeededIndexes rule met',
    job: job('train').indexed(5).parallelism(5).successPolicy({ succeededIndexes: '0' }).build(),
    pods: [ipod(0, 'a').succeeded(at(50)).tracked().build(), ipod(1, 'a').build(), ipod(2, 'a').build()],
    now: dateAt(60),
    verdict: 'succeeded',
    rule: 'successPolicy',
    predicted: true,
    conditionMessage: 'Matched rules at index 0',
    mentions: ['Succeeded indexes 0 satisfy the successPolicy'],
  },
  {
    name: 'successPolicy: succeededCount rule (second rule) met',
    job: job('train')
      .indexed(5)
      .parallelism(5)
      .successPolicy({ succeededIndexes: '4' }, { succeededCount: 2 })
      .counters({ completedIndexes: '1,3' })
      .build(),
    pods: [ipod(2, 'a').build()],
    now: dateAt(60),
    verdict: 'succeeded',
    rule: 'successPolicy',
    conditionMessage: 'Matched rules at index 1',
  },
  {
    name: 'successPolicy not met yet',
    job: job('train')
      .indexed(5)
      .parallelism(5)
      .successPolicy({ succeededIndexes: '0-2' })
      .counters({ completedIndexes: '0,1' })
      .build(),
    pods: [ipod(2, 'a').build()],
    now: dateAt(60),
    verdict: 'running',
    rule: null,
  },
  {
    name: 'successPolicy on v1.29 is unknown to the server: FieldIgnored, no early success',
    job: job('train').indexed(5).parallelism(5).successPolicy({ succeededIndexes: '0' }).build(),
    pods: [ipod(0, 'a').succeeded(at(50)).tracked().build(), ipod(1, 'a').build()],
    now: dateAt(60),
    version: v(1, 29),
    verdict: 'running',
    codes: ['FieldIgnored'],
  },
  {
    name: 'successPolicy on v1.30 (alpha) works with an AlphaFeature warning',
    job: job('train').indexed(5).parallelism(5).successPolicy({ succeededIndexes: '0' }).build(),
    pods: [ipod(0, 'a').succeeded(at(50)).tracked().build(), ipod(1, 'a').build()],
    now: dateAt(60),
    version: v(1, 30),
    verdict: 'succeeded',
    rule: 'successPolicy',
    codes: ['AlphaFeature'],
  },
  {
    name: 'backoffLimitPerIndex on v1.27 is ignored: the global backoffLimit applies',
    job: job('train').indexed(3).perIndex(0).counters({ failed: 7 }).build(),
    now: dateAt(60),
    version: v(1, 27),
    verdict: 'failed',
    rule: 'backoffLimit',
    codes: ['FieldIgnored'],
    failures: { backoffLimit: 6 },
  },
];

describe('decideJob: indexed Jobs', () => {
  for (const s of scenarios)
    it(s.name, () => {
      runScenario(s);
    });
});
