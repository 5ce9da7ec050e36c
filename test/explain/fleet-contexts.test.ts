// The merged table and JSON of an audit of several contexts: CONTEXT first, a failed context as
// one `error` row / ContextError item, each verdict carrying its context.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CronJobVerdict } from '../../src/controller/verdict.js';
import { contextsDocument, contextsTable, fleetTable, type ContextAudit } from '../../src/explain/fleet.js';

const NOW = new Date('2026-11-23T08:00:00Z');

function verdict(namespace: string, name: string, state: CronJobVerdict['verdict'], code: string): CronJobVerdict {
  return {
    kind: 'CronJob',
    namespace,
    name,
    verdict: state,
    missed: 0,
    causes: [{ code, severity: state === 'healthy' ? 'info' : 'error', message: `${code} happened`, evidence: [] }],
    lastScheduleTime: '2026-11-23T07:00:00Z',
    nextScheduleTime: '2026-11-23T09:00:00Z',
  } as unknown as CronJobVerdict;
}

const audits: ContextAudit[] = [
  {
    context: 'eu',
    namespace: 'prod',
    exitCode: 1,
    verdicts: [verdict('prod', 'backup', 'not-firing', 'Suspended'), verdict('prod', 'report', 'healthy', 'NotDueYet')],
    unreadable: [],
  },
  {
    context: 'down',
    namespace: 'prod',
    exitCode: 3,
    error: {
      reason: 'Unreachable',
      message: 'cannot reach the API server at https://127.0.0.1:1 (context "down"): ECONNREFUSED',
      hint: 'is the cluster running?',
    },
  },
  {
    context: 'us',
    namespace: 'prod',
    exitCode: 0,
    verdicts: [verdict('prod', 'sync', 'healthy', 'NotDueYet')],
    unreadable: [{ verb: 'list', resource: 'events', namespace: 'prod' }],
  },
];

describe('contextsTable', () => {
  test("CONTEXT is the first column, then the one-cluster columns; rows keep the contexts' order", () => {
    const t = contextsTable(audits, NOW);
    assert.deepEqual(t.head, ['context', ...fleetTable([], NOW).head]);
    assert.deepEqual(
      t.rows.map((r) => [r[0], r[2], r[3]]),
      [
        ['eu', 'backup', 'not-firing'],
        ['eu', 'report', 'healthy'],
        ['down', '-', 'error'],
        ['us', 'sync', 'healthy'],
      ],
    );
    assert.deepEqual(t.tones, ['bad', 'ok', 'bad', 'ok']);
  });

  test('a failed context is one row: verdict error and its one-line reason, without repeating the context', () => {
    const row = contextsTable(audits, NOW).rows[2]!;
    assert.deepEqual(row, [
      'down',
      'prod',
      '-',
      'error',
      'cannot reach the API server at https://127.0.0.1:1: ECONNREFUSED',
      '-',
      '-',
    ]);
  });

  test('the verdict rows are the one-cluster rows with the context in front', () => {
    const one = fleetTable((audits[0] as { verdicts: CronJobVerdict[] }).verdicts, NOW);
    assert.deepEqual(
      contextsTable(audits.slice(0, 1), NOW).rows,
      one.rows.map((r) => ['eu', ...r]),
    );
  });

  test('without the namespace column (-n given) and wide (the hint in MESSAGE for an error row)', () => {
    const t = contextsTable(audits, NOW, true, false);
    assert.deepEqual(t.head, ['context', 'name', 'verdict', 'cause', 'last schedule', 'next', 'missed', 'message']);
    assert.deepEqual(t.rows[2], [
      'down',
      '-',
      'error',
      'cannot reach the API server at https://127.0.0.1:1: ECONNREFUSED',
      '-',
      '-',
      '-',
      'is the cluster running?',
    ]);
    assert.ok(t.rows.every((r) => r.length === t.head.length));
  });
});

describe('contextsDocument', () => {
  const doc = contextsDocument(audits);
  test('every verdict carries its context (first), and its unreadable list when there is one', () => {
    const verdicts = doc.items.filter((i) => i.kind === 'CronJob');
    assert.deepEqual(
      verdicts.map((v) => [v.context, v.name]),
      [
        ['eu', 'backup'],
        ['eu', 'report'],
        ['us', 'sync'],
      ],
    );
    assert.equal(Object.keys(verdicts[0]!)[0], 'context');
    assert.equal(verdicts[0]!.unreadable, undefined);
    assert.deepEqual(verdicts[2]!.unreadable, [{ verb: 'list', resource: 'events', namespace: 'prod' }]);
  });

  test('a failed context is an item of kind ContextError with verdict error, reason, message, hint and exit code', () => {
    assert.deepEqual(
      doc.items.find((i) => i.kind === 'ContextError'),
      {
        kind: 'ContextError',
        context: 'down',
        namespace: 'prod',
        verdict: 'error',
        reason: 'Unreachable',
        message: 'cannot reach the API server at https://127.0.0.1:1 (context "down"): ECONNREFUSED',
        hint: 'is the cluster running?',
        exitCode: 3,
      },
    );
  });

  test('contexts sums up each context with its exit code', () => {
    assert.equal(doc.kind, 'VerdictList');
    assert.deepEqual(doc.contexts, [
      { context: 'eu', namespace: 'prod', exitCode: 1, cronJobs: 2 },
      {
        context: 'down',
        namespace: 'prod',
        exitCode: 3,
        error: {
          reason: 'Unreachable',
          message: 'cannot reach the API server at https://127.0.0.1:1 (context "down"): ECONNREFUSED',
        },
      },
      {
        context: 'us',
        namespace: 'prod',
        exitCode: 0,
        cronJobs: 1,
        unreadable: [{ verb: 'list', resource: 'events', namespace: 'prod' }],
      },
    ]);
  });

  test('with -A (no namespace) no namespace key is written', () => {
    const d = contextsDocument([{ context: 'x', exitCode: 0, verdicts: [], unreadable: [] }]);
    assert.deepEqual(d, { kind: 'VerdictList', contexts: [{ context: 'x', exitCode: 0, cronJobs: 0 }], items: [] });
  });
});
