// `kubectl job logs --follow` when the connection to the API server is lost mid-stream: it opens
// the stream again from the last printed line's second (sinceTime) and prints no line twice; when
// the server stays away it stops with exit 3 and one line. A fake API server cuts the stream; the
// real kube-apiserver is killed in test/e2e/actions/faults.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startFakeApi, type FakeApi, type SeenRequest } from './fake-api.js';
import { runCli } from '../support/run-cli.js';

const owner = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'train', uid: 'uid-train', controller: true }];
const pod = (state: object) => ({
  metadata: {
    name: 'live',
    namespace: 'prod',
    uid: 'uid-live',
    labels: { 'job-name': 'train' },
    ownerReferences: owner,
  },
  spec: { containers: [{ name: 'main' }] },
  status: {
    phase: 'Running',
    startTime: '2026-12-01T12:00:00Z',
    containerStatuses: [{ name: 'main', restartCount: 0, state }],
  },
});
const job = (st: object) => ({
  metadata: { name: 'train', namespace: 'prod', uid: 'uid-train' },
  spec: { template: { spec: { containers: [{ name: 'main' }] } } },
  status: st,
});

// A second holds several lines, two of them identical and at the same instant.
const LINES = [
  '2026-12-01T12:00:04.900000000Z one',
  '2026-12-01T12:00:05.100000000Z two',
  '2026-12-01T12:00:05.300000000Z same',
  '2026-12-01T12:00:05.300000000Z same',
  '2026-12-01T12:00:05.700000000Z three',
  '2026-12-01T12:00:06.000000000Z four',
  '2026-12-01T12:00:06.500000000Z five',
];
const sinceSecond = (q: SeenRequest) => (q.query.sinceTime ? Date.parse(q.query.sinceTime) / 1000 : -Infinity);
const served = (q: SeenRequest) =>
  LINES.filter((l) => Math.floor(Date.parse(l.split(' ')[0]!) / 1000) >= sinceSecond(q));

describe('logs --follow across a lost connection', () => {
  let api: FakeApi | undefined;
  afterEach(async () => api?.close());

  it('resumes from sinceTime: every line exactly once, identical lines at one instant included', async () => {
    let logs = 0;
    api = await startFakeApi((r) => {
      if (r.path === '/apis/batch/v1/namespaces/prod/jobs/train')
        return {
          body:
            logs >= 2 ? job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }) : job({ active: 1 }),
        };
      if (r.path === '/api/v1/namespaces/prod/pods')
        return {
          body: { items: [pod(logs >= 2 ? { terminated: { exitCode: 0, reason: 'Completed' } } : { running: {} })] },
        };
      if (r.path === '/api/v1/namespaces/prod/pods/live') return { body: pod({ running: {} }) };
      if (r.path === '/api/v1/namespaces/prod/pods/live/log') {
        logs++;
        // First stream: cut after the first "same" (the middle of a second); then the rest.
        return logs === 1 ? { text: LINES, delayMs: 50, cutAfter: 3 } : { text: served(r), delayMs: 20 };
      }
      return undefined;
    });
    const r = await runCli(['logs', 'train', '--follow', '--kubeconfig', api.kubeconfig, '-n', 'prod']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'one\ntwo\nsame\nsame\nthree\nfour\nfive\n');
    const reqs = api.requests.filter((q) => q.path.endsWith('/log'));
    assert.equal(reqs.length, 2);
    assert.deepEqual(
      reqs.map((q) => [q.query.follow, q.query.timestamps, q.query.sinceTime]),
      [
        ['true', 'true', undefined],
        ['true', 'true', '2026-12-01T12:00:05Z'],
      ],
    );
    assert.doesNotMatch(r.stderr, /error|unexpected/);
  });

  it('--timestamps prints the times the stream carries, still without repeats', async () => {
    let logs = 0;
    api = await startFakeApi((r) => {
      if (r.path === '/apis/batch/v1/namespaces/prod/jobs/train')
        return {
          body:
            logs >= 2 ? job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }) : job({ active: 1 }),
        };
      if (r.path === '/api/v1/namespaces/prod/pods') return { body: { items: [pod({ running: {} })] } };
      if (r.path === '/api/v1/namespaces/prod/pods/live') return { body: pod({ running: {} }) };
      if (r.path === '/api/v1/namespaces/prod/pods/live/log') {
        logs++;
        return logs === 1 ? { text: LINES, delayMs: 50, cutAfter: 5 } : { text: served(r), delayMs: 20 };
      }
      return undefined;
    });
    const r = await runCli(['logs', 'train', '--follow', '--timestamps', '--kubeconfig', api.kubeconfig, '-n', 'prod']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${LINES.join('\n')}\n`);
  });

  it('the server stays away: exit 3 and one line, the lines printed so far complete', { timeout: 60_000 }, async () => {
    let logs = 0;
    const dead = await startFakeApi((r) => {
      if (r.path === '/apis/batch/v1/namespaces/prod/jobs/train') return { body: job({ active: 1 }) };
      if (r.path === '/api/v1/namespaces/prod/pods') return { body: { items: [pod({ running: {} })] } };
      if (r.path === '/api/v1/namespaces/prod/pods/live/log') {
        if (++logs === 1) {
          // Cut the stream, then the server is gone for good (connections refused).
          setTimeout(() => void dead.close(), 150);
          return { text: LINES, delayMs: 50, cutAfter: 2 };
        }
      }
      return undefined;
    });
    const t0 = Date.now();
    const r = await runCli(['logs', 'train', '--follow', '--kubeconfig', dead.kubeconfig, '-n', 'prod']);
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'one\ntwo\n');
    // The block header goes to stderr too (kubectl's bare-lines mode); the rest is one line.
    const lines = r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '==> pod/live container/main attempt 1 (running) <==');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^error: lost the connection to the API server at http:\/\/127\.0\.0\.1:\d+: no answer for 1[5-9]s \(\d+ connection failures in a row, last ECONNREFUSED\); the lines printed are complete and none was repeated; run the command again to go on$/,
    );
    assert.ok(seconds < 30, `gave up after ${seconds} s`);
  });
});
