// Backoff delays (10s doubling, capped by server version) and the re-derived backoff record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelaySeconds, backoffRecord, retryAt } from '../../../src/controller/job/backoff.js';
import { jobContext } from '../../../src/controller/job/context.js';
import { failedPods } from '../../../src/controller/job/failures.js';
import { maxBackoffSeconds } from '../../../src/controller/job/features.js';
import { at, dateAt, job, pod, v } from '../../support/job-builders.js';

describe('backoffDelaySeconds', () => {
  const table: Array<[string, number, number, number]> = [
    ['no failure, no delay', 0, 600, 0],
    ['first failure waits 10s', 1, 600, 10],
    ['second 20s', 2, 600, 20],
    ['third 40s', 3, 600, 40],
    ['sixth 320s', 6, 600, 320],
    ['seventh capped at 10m (v1.27+)', 7, 600, 600],
    ['seventh capped at 6m (up to v1.26)', 7, 360, 360],
    ['many failures stay at the cap', 50, 360, 360],
  ];
  for (const [name, n, cap, want] of table) it(name, () => assert.equal(backoffDelaySeconds(n, cap), want));
  it('cap depends on the server version', () => {
    assert.equal(maxBackoffSeconds(v(1, 26)), 360);
    assert.equal(maxBackoffSeconds(v(1, 27)), 600);
    assert.equal(maxBackoffSeconds(undefined), 600);
  });
});

describe('backoffRecord', () => {
  const record = (pods: ReturnType<typeof pod>[], counters: { failed?: number; succeeded?: number } = {}) => {
    const ctx = jobContext(
      job('train').completions(5).counters(counters).build(),
      pods.map((p) => p.build()),
      dateAt(1000),
    );
    return backoffRecord(ctx, failedPods(ctx));
  };
  it('counts every failure and takes the latest finish time', () => {
    const r = record([
      pod('train-a').failed({ exitCode: 1, finishedAt: at(10) }),
      pod('train-b').failed({ exitCode: 1, finishedAt: at(50) }),
    ]);
    assert.deepEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: Date.parse(at(50)), lastFailedPod: 'train-b' });
    assert.equal(retryAt(r, 600), Date.parse(at(70)));
  });
  it('only failures after the last success count', () => {
    const r = record([
      pod('train-a').failed({ exitCode: 1, finishedAt: at(10) }),
      pod('train-b').succeeded(at(20)),
      pod('train-c').failed({ exitCode: 1, finishedAt: at(30) }),
    ]);
    assert.equal(r.failuresAfterLastSuccess, 1);
    assert.equal(r.lastFailedPod, 'train-c');
  });
  it('deleted failed pods: status.failed is a floor when nothing succeeded', () => {
    const r = record([pod('train-d').failed({ exitCode: 1, finishedAt: at(90) })], { failed: 4 });
    assert.equal(r.failuresAfterLastSuccess, 4);
    assert.equal(retryAt(r, 600), Date.parse(at(90 + 80)));
  });
  it('finish time falls back to Ready=False, then deletionTimestamp minus grace, then creation', () => {
    const ready = pod('train-a').build();
    ready.status = { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(42) }] };
    const deleted = pod('train-b').deleting(at(100)).build();
    (deleted.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds = 30;
    deleted.status = { phase: 'Running' };
    const ctx = jobContext(job('train').build(), [ready, deleted], dateAt(200));
    const r = backoffRecord(ctx, failedPods(ctx));
    assert.equal(r.failuresAfterLastSuccess, 2);
    assert.equal(r.lastFailureTime, Date.parse(at(70)));
  });
});
