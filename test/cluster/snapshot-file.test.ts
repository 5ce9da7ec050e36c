import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  parseSnapshot,
  parseSnapshotStream,
  readSnapshotFile,
  selectorMatcher,
  SnapshotSource,
} from '../../src/cluster/snapshot-file.js';
import { ClusterError, UsageError } from '../../src/errors.js';
import { corrupt, damageText, pick, rng } from '../support/fuzz.js';

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
  await assert.rejects(
    strict.getCronJob('team-a', 'backup'),
    (e: unknown) => e instanceof ClusterError && e.kind === 'NotFound',
  );
});

test('pods are matched to their Job by owner uid', async () => {
  const s = new SnapshotSource(example, 'default', false);
  const job = await s.getJob('default', 'migrate-db');
  const pods = await s.listPodsOfJob(job);
  assert.deepEqual(pods.map((p) => p.metadata.name).sort(), [
    'migrate-db-5xg7d',
    'migrate-db-b9k2w',
    'migrate-db-r2n8c',
  ]);
});

test('events are selected by involved object', async () => {
  const s = new SnapshotSource(example, 'default', false);
  const ev = await s.listEventsFor('prod', [{ kind: 'CronJob', name: 'report' }]);
  assert.deepEqual(
    ev.map((e) => e.reason),
    ['JobAlreadyActive'],
  );
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

// Big JSON snapshots are read a chunk at a time (parseSnapshotStream); whatever the file, the
// answer or the error must be the one parseSnapshot gives for the whole text.
const tmp = mkdtempSync(join(tmpdir(), 'kubectl-job-snapshot-file-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const exampleDoc = parse(readFileSync(example, 'utf8')) as { items: unknown[] };

/** Reads `text` as UTF-8 bytes, `step` bytes a call. */
function reader(text: string, step: number) {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  return (buf: Buffer, offset: number, length: number) => {
    const n = Math.min(length, step, bytes.length - at);
    bytes.copy(buf, offset, at, at + n);
    at += n;
    return n;
  };
}

/** The snapshot or the error (message and hint) that reading `text` gives. */
function outcome(read: () => unknown): unknown {
  try {
    return { snap: read() };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { error: e.message, hint: e.hint };
  }
}

test('the example as JSON streams to the same snapshot as the whole-text read, at any read size', () => {
  for (const text of [JSON.stringify(exampleDoc), JSON.stringify(exampleDoc, null, 2)]) {
    const whole = parseSnapshot(text, 'f.json');
    for (const step of [1, 13, 4096, 1 << 20]) {
      assert.deepEqual(parseSnapshotStream(reader(text, step), 'f.json', 64), whole);
    }
    assert.ok(whole.jobs.length >= 10 && whole.capturedAt === '2026-11-23T08:00:00Z');
  }
});

test('warnings keep their order: the capturedAt warning of the List before those of its items', () => {
  const text = JSON.stringify({
    kind: 'List',
    items: [{ kind: 'Nope' }, 5, ...exampleDoc.items.slice(0, 3)],
    capturedAt: 'yesterday',
  });
  const streamed = parseSnapshotStream(reader(text, 7), 'f.json', 16);
  assert.deepEqual(streamed, parseSnapshot(text, 'f.json'));
  assert.match(streamed!.warnings[0]!, /^the file: capturedAt "yesterday" is not an RFC 3339 time/);
  assert.equal(streamed!.warnings.length, 2);
});

test('shapes the stream leaves to the whole-text read: not an object, a List in the List, items not a list', () => {
  for (const doc of [[exampleDoc], { items: [{ items: exampleDoc.items }] }, { items: {} }, { items: null }]) {
    assert.equal(
      parseSnapshotStream(reader(JSON.stringify(doc), 5), 'f.json'),
      undefined,
      JSON.stringify(doc).slice(0, 40),
    );
  }
  const single = exampleDoc.items[0]!;
  assert.deepEqual(
    parseSnapshotStream(reader(JSON.stringify(single), 5), 'f.json'),
    parseSnapshot(JSON.stringify(single), 'f.json'),
  );
});

test('a truncated JSON snapshot, cut anywhere, gives the same one-line error as before (with its line and column)', () => {
  // The smallest object of the example keeps the run short (every cut that is no JSON goes through the yaml library too).
  const smallest = [...exampleDoc.items].sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)[0];
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [smallest] }, null, 1);
  const file = join(tmp, 'cut.json');
  const bytes = Buffer.from(text, 'utf8');
  let located = 0;
  for (let end = 0; end < bytes.length; end++) {
    const cut = bytes.subarray(0, end).toString('utf8');
    writeFileSync(file, cut);
    const got = outcome(() => readSnapshotFile(file, 0));
    assert.deepEqual(
      got,
      outcome(() => parseSnapshot(cut, file)),
      `cut at byte ${end}`,
    );
    const error = (got as { error?: string }).error;
    assert.ok(
      error !== undefined && !error.includes('\n'),
      `cut at byte ${end}: one line, got ${JSON.stringify(got).slice(0, 200)}`,
    );
    if (/^cannot parse /.test(error)) {
      assert.match(error, /line \d+, column \d+|line \d+ column \d+|at line \d+/, `cut at byte ${end}: ${error}`);
      located++;
    }
  }
  assert.ok(located > bytes.length / 2, `${located} of ${bytes.length} cuts are parse errors with a location`);
});

test('seeded: corrupted and damaged JSON snapshots read a chunk at a time give what the whole-text read gives', () => {
  const r = rng(20261202);
  const file = join(tmp, 'fuzz.json');
  let streamedCount = 0;
  let errors = 0;
  for (let n = 0; n < 400; n++) {
    const items = Array.from({ length: 1 + Math.floor(r() * 6) }, () => structuredClone(pick(r, exampleDoc.items)));
    let doc: unknown =
      r() < 0.8
        ? { apiVersion: 'v1', kind: 'List', capturedAt: '2026-11-23T08:00:00Z', serverVersion: 'v1.36.3', items }
        : items[0];
    doc = corrupt(doc, r, 1 + Math.floor(r() * 3));
    const text = Buffer.from(
      damageText(JSON.stringify(doc, null, r() < 0.5 ? 2 : undefined) ?? '', r),
      'utf8',
    ).toString('utf8');
    writeFileSync(file, text);
    const got = outcome(() => readSnapshotFile(file, 0));
    assert.deepEqual(
      got,
      outcome(() => parseSnapshot(text, file)),
      `case ${n}: ${text.slice(0, 300)}`,
    );
    const streamed = outcome(() => parseSnapshotStream(reader(text, 4096), file)) as { snap?: unknown };
    if (!('snap' in streamed) || streamed.snap !== undefined) streamedCount++;
    if ('error' in (got as object)) errors++;
  }
  assert.ok(
    streamedCount > 150 && errors > 30,
    `streamed ${streamedCount}, errors ${errors} of 400: both paths exercised`,
  );
});

test('fields kept whole may be cyclic (a YAML alias of an ancestor) or nested deeply: read, not a crash', () => {
  const cyclic = parseSnapshot(
    `kind: CronJob
metadata: {name: a}
spec:
  schedule: "* * * * *"
  jobTemplate: &t
    spec:
      template:
        spec:
          containers: []
          volumes: [*t]
`,
    'c.yaml',
  );
  assert.equal(cyclic.cronJobs.length, 1);
  const deep = JSON.stringify({
    kind: 'CronJob',
    metadata: { name: 'a' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [], volumes: 'X' } } } } },
  }).replace('"X"', `${'['.repeat(20_000)}"v"${']'.repeat(20_000)}`);
  assert.equal(parseSnapshot(deep, 'd.json').cronJobs.length, 1);
});
