// The evidence checker itself: paths, values, events, Jobs named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEvidence, evalPath, parsePath } from './evidence-check.js';

const cronJob = {
  kind: 'CronJob',
  metadata: { name: 'cj', annotations: { 'a/b': 'x' } },
  spec: { schedule: '*/1 * * * *', suspend: false, startingDeadlineSeconds: 30 },
  status: { active: [{ kind: 'Job', name: 'cj-100' }], lastScheduleTime: '2026-12-01T09:00:00Z' },
};
const job = {
  kind: 'Job',
  metadata: { name: 'cj-100', ownerReferences: [{ kind: 'CronJob', name: 'cj', controller: true }] },
  status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
};
const event = {
  kind: 'Event',
  metadata: { name: 'cj.1' },
  involvedObject: { kind: 'CronJob', name: 'cj' },
  reason: 'SuccessfulDelete',
  message: 'Deleted job cj-99',
  firstTimestamp: '2026-12-01T09:00:01Z',
  lastTimestamp: '2026-12-01T09:00:01Z',
};
const objects = [cronJob, job, event];
const check = (items: any[], subject = 'cronjob/cj') => checkEvidence(items, { objects, subject });

test('paths: keys, quoted keys, indexes, [*], filters', () => {
  assert.equal(evalPath(cronJob, '.spec.startingDeadlineSeconds').value, 30);
  assert.equal(evalPath(cronJob, '.metadata.annotations["a/b"]').value, 'x');
  assert.deepEqual(evalPath(cronJob, '.status.active[*].name').value, ['cj-100']);
  assert.equal(evalPath(cronJob, '.status.active[0].name').value, 'cj-100');
  assert.deepEqual(evalPath(job, '.status.conditions[?(@.type=="Failed")].reason').value, ['BackoffLimitExceeded']);
  assert.equal(evalPath(cronJob, '.spec.nope').found, false);
  assert.throws(() => parsePath('spec'), /bad field path/);
});

test('honest evidence passes; every kind of lie is caught', () => {
  assert.deepEqual(
    check([
      { kind: 'observed', source: 'spec', field: '.spec.startingDeadlineSeconds', value: 30, text: 'deadline 30s' },
      {
        kind: 'observed',
        source: 'status',
        field: '.status.lastScheduleTime',
        value: '2026-12-01T09:00:00.000Z',
        text: 'last',
      },
      {
        kind: 'observed',
        source: 'job',
        object: 'job/cj-100',
        field: '.status.conditions[?(@.type=="Failed")].reason',
        value: 'BackoffLimitExceeded',
        text: 'job/cj-100 failed',
      },
      {
        kind: 'observed',
        source: 'event',
        value: 'SuccessfulDelete',
        time: '2026-12-01T09:00:01Z',
        text: 'Deleted job cj-99',
      },
      { kind: 'derived', text: 'cj-42 was probably pruned' },
      { kind: 'prediction', text: 'next run cj-200' },
    ]),
    [],
  );
  const bad = check([
    { source: 'spec', text: 'no kind' },
    { kind: 'observed', object: 'job/cj-7', text: 'gone' },
    { kind: 'observed', field: '.spec.suspend', value: true, text: 'suspended' },
    { kind: 'observed', source: 'event', value: 'TooManyMissedTimes', text: 'x' },
    {
      kind: 'observed',
      source: 'status',
      field: '.status.active[*].name',
      value: ['cj-100'],
      text: 'cj-55 and cj-100 active',
    },
  ]);
  assert.equal(bad.length, 5, bad.join('\n'));
  assert.match(bad[0]!, /kind undefined/);
  assert.match(bad[1]!, /Job\/cj-7 is not in the input/);
  assert.match(bad[2]!, /\.spec\.suspend is false/);
  assert.match(bad[3]!, /no event about CronJob\/cj with reason TooManyMissedTimes/);
  assert.match(bad[4]!, /names job\/cj-55/);
});

test('a Job verdict: items without object are about the Job', () => {
  assert.deepEqual(
    check(
      [{ kind: 'observed', source: 'job', field: '.metadata.ownerReferences[0].name', value: 'cj', text: 'owned' }],
      'job/cj-100',
    ),
    [],
  );
  assert.equal(check([{ kind: 'observed', source: 'job', text: 'x' }], 'job/cj-1').length, 1);
});
