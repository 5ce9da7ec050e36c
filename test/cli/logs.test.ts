// `kubectl job logs` end to end against a fake API server: attempt order, previous instances only
// where they exist, gone instances and pods, --prefix, and --follow picking up a retry pod.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApi, status, type FakeApi } from './fake-api.js';
import { runCli } from '../support/run-cli.js';
import { parseLogs, type LogsOptions } from '../../src/cli/commands/logs.js';
import type { RawInput } from '../../src/cli/commands/define.js';
import { assertUsageError } from '../support/usage-error.js';

const owner = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'train', uid: 'uid-train', controller: true }];
const term = (exitCode: number, reason: string) => ({ terminated: { exitCode, reason } });
const pod = (
  name: string,
  start: string,
  phase: string,
  restartCount: number,
  state: object,
  lastState: object = {},
) => ({
  metadata: { name, namespace: 'prod', uid: `uid-${name}`, labels: { 'job-name': 'train' }, ownerReferences: owner },
  spec: { containers: [{ name: 'main' }] },
  status: { phase, startTime: start, containerStatuses: [{ name: 'main', restartCount, state, lastState }] },
});
const job = (st: object) => ({
  metadata: { name: 'train', namespace: 'prod', uid: 'uid-train' },
  spec: { template: { spec: { containers: [{ name: 'main' }] } } },
  status: st,
});

describe('logs against an API server', () => {
  let api: FakeApi;
  let scene: 'finished' | 'follow' = 'finished';
  let jobGets = 0;
  const LOGS: Record<string, string[]> = {
    'p1:false': ['p1 failed here'],
    'p2:true': ['p2 run 2 said goodbye'],
    'p2:false': ['p2 run 3 OOM'],
    'live:false': ['live 1', 'live 2'],
    'retry:false': ['retry done'],
  };
  before(async () => {
    api = await startFakeApi((r) => {
      if (r.method === 'GET' && r.path === '/apis/batch/v1/namespaces/prod/jobs/train') {
        jobGets++;
        if (scene === 'finished') return { body: job({ failed: 3, conditions: [{ type: 'Failed', status: 'True' }] }) };
        return {
          body:
            jobGets >= 3
              ? job({ succeeded: 1, failed: 1, conditions: [{ type: 'Complete', status: 'True' }] })
              : job({ active: 1 }),
        };
      }
      if (r.method === 'GET' && r.path === '/api/v1/namespaces/prod/pods') {
        if (scene === 'finished') {
          return {
            body: {
              items: [
                pod('p2', '2026-11-23T07:10:00Z', 'Failed', 2, term(137, 'OOMKilled'), term(1, 'Error')),
                pod('p1', '2026-11-23T07:00:00Z', 'Failed', 0, term(1, 'Error')),
                pod('p-lost', '2026-11-23T07:20:00Z', 'Failed', 0, term(2, 'Error')),
              ],
            },
          };
        }
        const live =
          jobGets >= 2
            ? pod('live', '2026-11-23T07:00:00Z', 'Failed', 0, term(1, 'Error'))
            : pod('live', '2026-11-23T07:00:00Z', 'Running', 0, { running: {} });
        return {
          body: {
            items:
              jobGets >= 2
                ? [live, pod('retry', '2026-11-23T07:05:00Z', 'Succeeded', 0, term(0, 'Completed'))]
                : [live],
          },
        };
      }
      const m = /^\/api\/v1\/namespaces\/prod\/pods\/([^/]+)\/log$/.exec(r.path);
      if (m) {
        if (m[1] === 'p-lost') return status(404, 'NotFound', 'pods "p-lost" not found');
        const lines = LOGS[`${m[1]}:${r.query.previous === 'true'}`];
        return lines
          ? { text: lines, delayMs: r.query.follow ? 300 : 0 }
          : status(400, 'BadRequest', `previous terminated container "main" in pod "${m[1]}" not found`);
      }
      return undefined;
    });
  });
  beforeEach(() => {
    api.requests.length = 0;
    jobGets = 0;
    scene = 'finished';
  });
  after(() => api.close());
  const base = () => ['--kubeconfig', api.kubeconfig, '-n', 'prod'];
  const logReqs = () => api.requests.filter((r) => r.path.endsWith('/log'));

  it('--all-attempts: every attempt in start order, previous instances, gone runs and pods', async () => {
    const r = await runCli(['logs', 'job/train', '--all-attempts', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '==> pod/p1 container/main attempt 1 (exit 1 Error) <==',
        'p1 failed here',
        '==> pod/p2 container/main attempt 2, run 1 of 3: logs gone (the API keeps only the latest and the previous instance of a container) <==',
        '==> pod/p2 container/main attempt 2, previous instance: run 2 of 3 (exit 1 Error) <==',
        'p2 run 2 said goodbye',
        '==> pod/p2 container/main attempt 2 (exit 137 OOMKilled, 2 restarts) <==',
        'p2 run 3 OOM',
        '==> pod/p-lost container/main attempt 3: logs gone (the pod no longer exists) <==',
        '',
      ].join('\n'),
    );
    // previous=true only where lastState.terminated exists.
    assert.deepEqual(
      logReqs().map((q) => `${q.path.split('/')[6]}:${q.query.previous ?? 'false'}`),
      ['p1:false', 'p2:true', 'p2:false', 'p-lost:false'],
    );
  });

  it('a previous instance the kubelet has removed: a "gone" header, not its error text as log lines', async () => {
    // Observed on the real e2e node (kubelet v1.36.3, containerd 1.6): once an OnFailure pod has
    // Completed, GET .../log?previous=true answers HTTP 200 with this single line.
    const saved = LOGS['p2:true'];
    LOGS['p2:true'] = [
      'unable to retrieve container logs for containerd://3fe9dff8bf1a1e2a3c6773efe19e7cb4bb4ceb651acccc7a9eae8d82872e3183',
    ];
    try {
      const r = await runCli(['logs', 'job/train', '--all-attempts', ...base()]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout.split('\n').slice(2, 5).join('\n'),
        [
          '==> pod/p2 container/main attempt 2, run 1 of 3: logs gone (the API keeps only the latest and the previous instance of a container) <==',
          '==> pod/p2 container/main attempt 2, previous instance: logs gone (the kubelet no longer has the container: ' +
            '"unable to retrieve container logs for containerd://3fe9dff8bf1a1e2a3c6773efe19e7cb4bb4ceb651acccc7a9eae8d82872e3183") <==',
          '==> pod/p2 container/main attempt 2 (exit 137 OOMKilled, 2 restarts) <==',
        ].join('\n'),
      );
    } finally {
      LOGS['p2:true'] = saved!;
    }
  });

  it('--prefix: tagged lines only on stdout (pipeable), headers on stderr', async () => {
    const r = await runCli(['logs', 'train', '--all-attempts', '--prefix', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      '[p1/main#1] p1 failed here\n[p2/main#2.2] p2 run 2 said goodbye\n[p2/main#2.3] p2 run 3 OOM\n',
    );
    assert.match(r.stderr, /==> pod\/p2 container\/main attempt 2 \(exit 137 OOMKilled, 2 restarts\) <==/);
  });

  it('without --all-attempts: the newest attempt only, and a note saying so', async () => {
    const r = await runCli(['logs', 'train', '--tail', '5', '--timestamps', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /showing attempt 3 of 3 of job\/train \(the newest\)/);
    assert.equal(logReqs().length, 1);
    assert.deepEqual(logReqs()[0]!.query, { container: 'main', tailLines: '5', timestamps: 'true' });
  });

  it('--follow streams the running attempt and picks up the retry pod until the Job finishes', async () => {
    scene = 'follow';
    const r = await runCli(['logs', 'train', '--all-attempts', '--follow', '--prefix', ...base()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '[live/main#1] live 1\n[live/main#1] live 2\n[retry/main#2] retry done\n');
    const follow = logReqs().filter((q) => q.query.follow === 'true');
    assert.deepEqual(
      follow.map((q) => q.path.split('/')[6]),
      ['live'],
    );
  });

  it('a Job that does not exist is a clear NotFound', async () => {
    const r = await runCli(['logs', 'job/nope', ...base()]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /job "nope" not found in namespace "prod"/);
  });

  it('-c naming no container is a usage error', async () => {
    const r = await runCli(['logs', 'train', '-c', 'sidecar', ...base()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no pod of job\/train has a container named "sidecar"/);
  });
});

describe('parseLogs (pure): what was typed -> options, or the usage error', () => {
  const raw = (args: string[], opts: Record<string, unknown> = {}) => ({ args, opts }) as RawInput<any>;
  const none = { allAttempts: false, allContainers: false, follow: false, prefix: false, timestamps: false };
  const cases: Array<[string, RawInput<any>, LogsOptions | string]> = [
    ['job/NAME', raw(['job/train']), { name: 'train', ...none }],
    ['a bare name', raw(['train']), { name: 'train', ...none }],
    ['jobs.batch/NAME', raw(['jobs.batch/train']), { name: 'train', ...none }],
    [
      'the switches',
      raw(['train'], { allAttempts: true, follow: true, prefix: true, timestamps: true }),
      { name: 'train', ...none, allAttempts: true, follow: true, prefix: true, timestamps: true },
    ],
    ['-c', raw(['train'], { container: 'main' }), { name: 'train', ...none, container: 'main' }],
    ['--all-containers', raw(['train'], { allContainers: true }), { name: 'train', ...none, allContainers: true }],
    ['--tail 20', raw(['train'], { tail: '20' }), { name: 'train', ...none, tailLines: 20 }],
    ['--tail 0 (no lines, as kubectl)', raw(['train'], { tail: '0' }), { name: 'train', ...none, tailLines: 0 }],
    ['--tail -1 is every line', raw(['train'], { tail: '-1' }), { name: 'train', ...none }],
    ['--since 10m in seconds', raw(['train'], { since: '10m' }), { name: 'train', ...none, sinceSeconds: 600 }],
    ['--since 7d', raw(['train'], { since: '7d' }), { name: 'train', ...none, sinceSeconds: 604_800 }],
    ['--since 1500ms rounds up', raw(['train'], { since: '1500ms' }), { name: 'train', ...none, sinceSeconds: 2 }],
    ['--since 0s is at least 1 s', raw(['train'], { since: '0s' }), { name: 'train', ...none, sinceSeconds: 1 }],
    ['no Job', raw([]), 'a name is required'],
    ['a CronJob', raw(['cronjob/backup']), '"cronjob/backup": expected job/NAME'],
    ['a slash and no name', raw(['job/']), '"job/": the name is missing after the slash'],
    [
      '-c and --all-containers',
      raw(['train'], { container: 'main', allContainers: true }),
      'give either -c/--container or --all-containers, not both',
    ],
    ['--tail -2', raw(['train'], { tail: '-2' }), '--tail takes a whole number of lines, not "-2"'],
    ['--tail 1.5', raw(['train'], { tail: '1.5' }), '--tail takes a whole number of lines, not "1.5"'],
    ['--tail ten', raw(['train'], { tail: 'ten' }), '--tail takes a whole number of lines, not "ten"'],
    [
      '--since without a unit',
      raw(['train'], { since: '10' }),
      'invalid duration for --since: "10": time: missing unit in duration "10" (use e.g. 90s, 1m30s, 2h, 7d, 1w)',
    ],
    ['--since negative', raw(['train'], { since: '-5m' }), 'invalid duration for --since: "-5m" is negative'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      if (typeof want === 'string') {
        assertUsageError(() => parseLogs(input), want);
      } else {
        assert.deepEqual(parseLogs(input), want);
      }
    });
  }
});
