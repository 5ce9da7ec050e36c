import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseSnapshot, selectorMatcher, SnapshotSource } from '../../src/cluster/snapshot-file.js';
import { ClusterError, UsageError } from '../../src/errors.js';

const example = fileURLToPath(new URL('../../examples/snapshot.yaml', import.meta.url));

test('the bundled example parses into CronJobs, Jobs, Pods and Events with its capture time and version', () => {
  const s = new SnapshotSource(example, 'default', false);
  assert.equal(s.snap.capturedAt, '2026-11-23T08:00:00Z');
  assert.deepEqual(s.snap.serverVersion, { major: 1, minor: 36, gitVersion: 'v1.36.3' });
  assert.ok(s.snap.cronJobs.length >= 8);
  assert.ok(s.snap.jobs.length >= 10);
  assert.ok(s.snap.pods.length >= 8);
  assert.ok(s.snap.events.length >= 8);
});

test('without -n a name is found in any namespace; with -n only there', async () => {
  const any = new SnapshotSource(example, 'default', false);
  assert.equal((await any.getCronJob('default', 'backup')).metadata.namespace, 'prod');
  const strict = new SnapshotSource(example, 'team-a', true);
  await assert.rejects(strict.getCronJob('team-a', 'backup'), (e: unknown) => e instanceof ClusterError && e.kind === 'NotFound');
});

test('pods are matched to their Job by owner uid', async () => {
  const s = new SnapshotSource(example, 'default', false);
  const job = await s.getJob('default', 'migrate-db');
  const pods = await s.listPodsOfJob(job);
  assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ['migrate-db-5xg7d', 'migrate-db-b9k2w', 'migrate-db-r2n8c']);
});

test('events are selected by involved object', async () => {
  const s = new SnapshotSource(example, 'default', false);
  const ev = await s.listEventsFor('prod', [{ kind: 'CronJob', name: 'report' }]);
  assert.deepEqual(ev.map((e) => e.reason), ['JobAlreadyActive']);
});

test('multi-document YAML and events.k8s.io/v1 events are read', () => {
  const s = parseSnapshot(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: a, namespace: x}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: []}}}}}
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e1, namespace: x}
regarding: {kind: CronJob, name: a, namespace: x}
reason: FailedCreate
note: 'Error creating job: exceeded quota'
type: Warning
reportingController: cronjob-controller
`);
  assert.equal(s.cronJobs.length, 1);
  assert.equal(s.events[0]!.involvedObject.name, 'a');
  assert.equal(s.events[0]!.message, 'Error creating job: exceeded quota');
});

test('a broken file is a usage error, not a crash', () => {
  assert.throws(() => parseSnapshot('items: [\n', 'bad.yaml'), UsageError);
});

test('label selectors: equality, inequality, existence', () => {
  const m = selectorMatcher('app=etl,tier!=db,team,!legacy');
  assert.equal(m({ app: 'etl', tier: 'web', team: 'a' }), true);
  assert.equal(m({ app: 'etl', tier: 'db', team: 'a' }), false);
  assert.equal(m({ app: 'etl', team: 'a', legacy: 'y' }), false);
  assert.equal(m({ app: 'etl' }), false);
});
