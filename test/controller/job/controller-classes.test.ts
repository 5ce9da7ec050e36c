// One test per class of disagreement the differential test against the Job controller's own
// syncJob (controller-differential.test.ts) found or the issue named, so that each stays fixed
// without Go: the verdict model (decideJob) and the one-pass decision (syncDecision).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideJob } from '../../../src/controller/job/decide.js';
import { syncDecision } from '../../../src/controller/job/sync.js';
import type { Pod } from '../../../src/api/types.js';
import { at, dateAt, job, pod, v } from '../../support/job-builders.js';

const ipod = (ix: number, suffix: string, failures?: number) =>
  pod(`train-${ix}-${suffix}`, 'train').index(ix, failures);
const withIndex = (p: Pod, value: string | undefined): Pod => {
  const a = { ...p.metadata.annotations };
  if (value === undefined) delete a['batch.kubernetes.io/job-completion-index'];
  else a['batch.kubernetes.io/job-completion-index'] = value;
  return { ...p, metadata: { ...p.metadata, annotations: a } };
};

describe('Job controller classes', () => {
  it('Indexed: failed pods whose index is missing, invalid or out of range are not counted (no false BackoffLimitExceeded)', () => {
    const j = job('train').indexed(3).parallelism(3).backoffLimit(1).build();
    const bad = [undefined, 'x', '-1', '7'].map((v, i) =>
      withIndex(
        ipod(0, `bad${i}`)
          .failed({ exitCode: 1, finishedAt: at(30) })
          .tracked()
          .build(),
        v,
      ),
    );
    const d = decideJob({ job: j, pods: bad, events: [], now: dateAt(40) });
    assert.equal(d.failures.byPods, 0);
    assert.notEqual(d.verdict, 'failed');
    const s = syncDecision(j, bad, dateAt(40));
    assert.equal(s.failures.counted, 0);
    assert.equal(s.condition, null);
    // One valid failure plus the four bad ones: still within backoffLimit 1.
    const one = ipod(1, 'ok')
      .failed({ exitCode: 1, finishedAt: at(30) })
      .tracked()
      .build();
    assert.equal(decideJob({ job: j, pods: [...bad, one], events: [], now: dateAt(40) }).failures.byPods, 1);
  });

  it('Indexed: "+1" and "01" are index 1 for the controller (Go strconv.Atoi); the label alone is not read', () => {
    const j = job('train').indexed(3).parallelism(0).backoffLimit(0).build();
    const plus = withIndex(
      ipod(0, 'a')
        .failed({ exitCode: 1, finishedAt: at(30) })
        .tracked()
        .build(),
      '+1',
    );
    assert.equal(syncDecision(j, [plus], dateAt(40)).failures.counted, 1);
    const labelOnly = withIndex(
      ipod(0, 'b')
        .failed({ exitCode: 1, finishedAt: at(30) })
        .tracked()
        .build(),
      undefined,
    );
    labelOnly.metadata.labels = { ...labelOnly.metadata.labels, 'batch.kubernetes.io/job-completion-index': '0' };
    assert.equal(syncDecision(j, [labelOnly], dateAt(40)).failures.counted, 0);
  });

  it('per-index backoff: of failed pods of one index finishing together, the one with the highest failure count decides', () => {
    const j = job('train')
      .indexed(2)
      .perIndex(5)
      .parallelism(1)
      .counters({ completedIndexes: '1', succeeded: 1 })
      .build();
    const high = ipod(0, 'b', 2)
      .failed({ exitCode: 1, finishedAt: at(100) })
      .tracked()
      .build();
    const low = ipod(0, 'a', 0)
      .failed({ exitCode: 1, finishedAt: at(100) })
      .tracked()
      .build();
    for (const pods of [
      [high, low],
      [low, high],
    ]) {
      // 3 failures → 40s after 100s.
      assert.equal(decideJob({ job: j, pods, events: [], now: dateAt(101) }).nextRetryAt, at(140));
      assert.equal(syncDecision(j, pods, dateAt(101)).nextRetryAt, at(140));
    }
  });

  it('a Job with neither completions nor parallelism is defaulted to completions 1: extra pods are deleted once one succeeded', () => {
    const j = job('train').build();
    delete j.spec.completions;
    delete j.spec.parallelism;
    const pods = [
      pod('train-a', 'train').succeeded(at(30)).tracked().build(),
      pod('train-b', 'train').tracked().build(),
    ];
    const s = syncDecision(j, pods, dateAt(40));
    assert.equal(s.delete.count, 1);
    assert.equal(s.condition?.type, 'SuccessCriteriaMet');
  });

  it('a pass that waits for the pod-failure backoff writes status.active 0 up to v1.35, the real count from v1.36', () => {
    const j = job('train').parallelism(2).completions(4).build();
    const pods = [
      pod('train-a', 'train')
        .failed({ exitCode: 1, finishedAt: at(30) })
        .tracked()
        .build(),
      pod('train-b', 'train').tracked().build(),
    ];
    const v135 = syncDecision(j, pods, dateAt(35), v(1, 35), 'fresh');
    const v136 = syncDecision(j, pods, dateAt(35), v(1, 36), 'fresh');
    assert.equal(v135.nextRetryAt, at(40));
    assert.equal(v135.status.active, 0);
    assert.equal(v136.status.active, 1);
    assert.equal(v136.create.count, 0);
  });
});
