// Job states observed on the real e2e node (kubelet v1.36.3 + containerd 1.6, kube-controller-manager
// v1.36.3), copied verbatim (minus managedFields) into test/fixtures/real-node/:
// failuretarget-*.json: activeDeadlineSeconds 4, one pod whose process ignores SIGTERM, read 7 s
// after the deadline: the Job has FailureTarget/DeadlineExceeded, status.failed 1 and
// terminating 1, while the pod still runs (phase Running, deletionTimestamp = deletion + 30 s).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decideJob } from '../../../src/controller/job/index.js';
import type { Job, Pod } from '../../../src/api/types.js';
import { jobHeadline } from '../../../src/explain/job.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/real-node/${name}`, import.meta.url), 'utf8'));
const job = fixture('failuretarget-job.json') as Job;
const pod = fixture('failuretarget-pod.json') as Pod;
const serverVersion = { major: 1, minor: 36, gitVersion: 'v1.36.3' };
const now = new Date(Date.parse(job.status!.conditions![0]!.lastTransitionTime!) + 8_000);

describe('real node: FailureTarget while the deleted pod runs out its grace period', () => {
  const d = decideJob({ job, pods: [pod], events: [], now, serverVersion });

  it('the observed state is what the fixture claims', () => {
    assert.equal(job.status?.conditions?.map((c) => c.type).join(), 'FailureTarget');
    assert.equal(job.status?.terminating, 1);
    assert.equal(job.status?.failed, 1);
    assert.equal(pod.status?.phase, 'Running');
    assert.ok(pod.metadata.deletionTimestamp);
  });

  it('headline: failing, will be marked Failed when its pod has terminated, expected by its deletionTimestamp', () => {
    assert.equal(d.verdict, 'failed');
    assert.equal(d.terminatingUntil, pod.metadata.deletionTimestamp);
    assert.equal(d.pods.terminating, 1);
    assert.equal(
      jobHeadline(d),
      `failing: will be marked Failed when its 1 pod has terminated, expected by ${pod.metadata.deletionTimestamp} ` +
        '(killed by activeDeadlineSeconds after 4s with 1 of 6 retries used, before backoffLimit was reached)',
    );
  });

  it('TerminatingPods names the pod, its phase and when its grace period ends', () => {
    const c = d.causes.find((x) => x.code === 'TerminatingPods');
    assert.ok(c);
    assert.match(c.message, new RegExp(`expected by ${pod.metadata.deletionTimestamp}`));
    const e = c.evidence.find((x) => x.object === `pod/${pod.metadata.name}`);
    assert.equal(e?.time, pod.metadata.deletionTimestamp);
    assert.match(e?.text ?? '', /still Running/);
  });

  it('no EvidenceGone: the failed pod counted in status is the terminating one, still there', () => {
    assert.equal(
      d.causes.find((x) => x.code === 'EvidenceGone'),
      undefined,
      JSON.stringify(d.causes.map((c) => c.code)),
    );
  });

  it('once Failed (pod gone), the headline is the plain failure again', () => {
    const failed = structuredClone(job);
    failed.status!.terminating = 0;
    failed.status!.conditions!.push({ ...failed.status!.conditions![0]!, type: 'Failed' });
    const after = decideJob({ job: failed, pods: [], events: [], now, serverVersion });
    assert.match(jobHeadline(after), /^killed by activeDeadlineSeconds/);
    assert.equal(after.terminatingUntil, null);
  });
});
