// The logs plan: attempts in start order, previous instances only where the API keeps one,
// gone instances and deleted pods listed, container defaulting as kubectl does it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryKeys, planLogs, type LogEntry, type LogsInput } from '../../../src/controller/plans/logs.js';
import type { ContainerStatus, Job, Pod } from '../../../src/api/types.js';
import { logHeader, logPrefix } from '../../../src/explain/logs.js';
import { job } from '../../support/builders.js';

const J = 'train';
const theJob = (status: Job['status'] = {}): Job => ({ ...job(J).build(), status });

const term = (exitCode: number, reason = exitCode ? 'Error' : 'Completed') => ({ terminated: { exitCode, reason } });
const cs = (
  name: string,
  restartCount: number,
  state: ContainerStatus['state'],
  lastState: ContainerStatus['lastState'] = {},
): ContainerStatus => ({ name, restartCount, state, lastState });

function podOf(
  name: string,
  start: string,
  phase: string,
  statuses: ContainerStatus[],
  extra: Partial<Pod['metadata']> = {},
  containers = ['main'],
): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: J, uid: `uid-${J}`, controller: true }],
      ...extra,
    },
    spec: { containers: containers.map((c) => ({ name: c })) },
    status: { phase, startTime: start, containerStatuses: statuses },
  };
}

/** One word per entry: read:<pod>/<container>#<run>[p][r], gone:<runs>, waiting, deleted:<n>. */
function shape(entries: LogEntry[]): string[] {
  return entries.map((e) => {
    switch (e.kind) {
      case 'read':
        return `read:${e.source.pod}/${e.source.container}#${e.source.run}${e.source.previous ? 'p' : ''}${e.source.running ? 'r' : ''}`;
      case 'gone':
        return `gone:${e.place.pod}/${e.place.container}:${e.runs.join(',')}/${e.of}`;
      case 'waiting':
        return `waiting:${e.place.pod}/${e.place.container}:${e.reason}`;
      case 'deleted-pods':
        return `deleted:${e.count}`;
      default:
        throw new Error(`unknown entry ${JSON.stringify(e)}`);
    }
  });
}

const plan = (pods: Pod[], o: Partial<LogsInput> = {}, j = theJob()) =>
  planLogs({ job: j, pods, allContainers: false, allAttempts: true, ...o });

describe('planLogs --all-attempts', () => {
  const cases: Array<[string, Pod[], Partial<LogsInput>, Job | undefined, string[]]> = [
    [
      'Never retries: every pod in start order (not name order)',
      [
        podOf('train-b', '2024-01-01T10:05:00Z', 'Succeeded', [cs('main', 0, term(0))]),
        podOf('train-a', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(1))]),
      ],
      {},
      undefined,
      ['read:train-a/main#1', 'read:train-b/main#1'],
    ],
    [
      'OnFailure with one restart: previous then current',
      [podOf('p', '2024-01-01T10:00:00Z', 'Succeeded', [cs('main', 1, term(0), term(3))])],
      {},
      undefined,
      ['read:p/main#1p', 'read:p/main#2'],
    ],
    [
      'three restarts: runs 1-2 are gone, 3 is previous, 4 current and running',
      [podOf('p', '2024-01-01T10:00:00Z', 'Running', [cs('main', 3, { running: {} }, term(137, 'OOMKilled'))])],
      {},
      undefined,
      ['gone:p/main:1,2/4', 'read:p/main#3p', 'read:p/main#4r'],
    ],
    [
      'no previous=true for a container without lastState.terminated',
      [podOf('p', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(2))])],
      {},
      undefined,
      ['read:p/main#1'],
    ],
    [
      'in back-off between restarts only the previous instance is read (the latest request would repeat it)',
      [
        podOf('p', '2024-01-01T10:00:00Z', 'Running', [
          cs('main', 1, { waiting: { reason: 'CrashLoopBackOff' } }, term(1)),
        ]),
      ],
      {},
      undefined,
      ['read:p/main#1p'],
    ],
    [
      'not started yet: a waiting line',
      [podOf('p', '2024-01-01T10:00:00Z', 'Pending', [cs('main', 0, { waiting: { reason: 'ImagePullBackOff' } })])],
      {},
      undefined,
      ['waiting:p/main:ImagePullBackOff'],
    ],
    [
      'pods the Job counted that no longer exist are listed first',
      [podOf('p3', '2024-01-01T10:10:00Z', 'Failed', [cs('main', 0, term(1))])],
      {},
      theJob({ failed: 3 }),
      ['deleted:2', 'read:p3/main#1'],
    ],
    [
      '--all-containers: init containers first, then app containers in spec order',
      [
        {
          ...podOf('p', '2024-01-01T10:00:00Z', 'Succeeded', [cs('main', 0, term(0)), cs('side', 0, term(0))], {}, [
            'main',
            'side',
          ]),
          spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'main' }, { name: 'side' }] },
          status: {
            phase: 'Succeeded',
            startTime: '2024-01-01T10:00:00Z',
            initContainerStatuses: [cs('setup', 0, term(0))],
            containerStatuses: [cs('main', 0, term(0)), cs('side', 0, term(0))],
          },
        },
      ],
      { allContainers: true },
      undefined,
      ['read:p/setup#1', 'read:p/main#1', 'read:p/side#1'],
    ],
    [
      '-c picks one container; pods without it are skipped',
      [
        podOf('p', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(1)), cs('side', 0, term(0))], {}, [
          'main',
          'side',
        ]),
      ],
      { container: 'side' },
      undefined,
      ['read:p/side#1'],
    ],
  ];
  for (const [title, pods, o, j, want] of cases)
    it(title, () => assert.deepEqual(shape(plan(pods, o, j).entries), want));

  it("the default container is the annotated one, else the first, with kubectl's note", () => {
    const two = (ann?: string) =>
      podOf(
        'p',
        '2024-01-01T10:00:00Z',
        'Failed',
        [cs('main', 0, term(1)), cs('side', 0, term(0))],
        ann ? { annotations: { 'kubectl.kubernetes.io/default-container': ann } } : {},
        ['main', 'side'],
      );
    assert.deepEqual(shape(plan([two()]).entries), ['read:p/main#1']);
    assert.deepEqual(plan([two()]).defaulted, { container: 'main', of: ['main', 'side'] });
    assert.deepEqual(shape(plan([two('side')]).entries), ['read:p/side#1']);
  });

  it('-c naming no container of any pod is reported', () => {
    assert.equal(
      plan([podOf('p', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(1))])], { container: 'nope' })
        .unknownContainer,
      'nope',
    );
  });

  it('excluded keys are not planned again (follow mode), gone runs included', () => {
    const first = plan([podOf('p', '2024-01-01T10:00:00Z', 'Running', [cs('main', 2, { running: {} }, term(1))])]);
    const seen = new Set(first.entries.flatMap(entryKeys));
    const later = plan([podOf('p', '2024-01-01T10:00:00Z', 'Running', [cs('main', 3, { running: {} }, term(1))])], {
      exclude: seen,
    });
    // Run 3 was read as the running instance before; only run 4 is new.
    assert.deepEqual(shape(later.entries), ['read:p/main#4r']);
  });
});

describe("planLogs without --all-attempts: the newest attempt's latest instance", () => {
  it('picks the last pod to start and only its latest instance', () => {
    const pods = [
      podOf('old', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(1))]),
      podOf('new', '2024-01-01T10:05:00Z', 'Running', [cs('main', 2, { running: {} }, term(1))]),
    ];
    assert.deepEqual(shape(plan(pods, { allAttempts: false }).entries), ['read:new/main#3r']);
  });
  it('no deleted-pods line', () => {
    assert.deepEqual(shape(plan([], { allAttempts: false }, theJob({ failed: 2 })).entries), []);
  });
});

describe('headers and prefixes', () => {
  const pods = [podOf('train-x', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 3, term(137, 'OOMKilled'), term(1))])];
  const entries = plan(pods).entries;
  it('tail-style headers with attempt, exit code, reason and restarts', () => {
    assert.deepEqual(entries.map(logHeader), [
      '==> pod/train-x container/main attempt 1, runs 1-2 of 4: logs gone (the API keeps only the latest and the previous instance of a container) <==',
      '==> pod/train-x container/main attempt 1, previous instance: run 3 of 4 (exit 1 Error) <==',
      '==> pod/train-x container/main attempt 1 (exit 137 OOMKilled, 3 restarts) <==',
    ]);
  });
  it('prefix: [pod/container#attempt] plus .run when the container restarted', () => {
    const reads = entries.flatMap((e) => (e.kind === 'read' ? [logPrefix(e.source)] : []));
    assert.deepEqual(reads, ['[train-x/main#1.3] ', '[train-x/main#1.4] ']);
    const single = plan([podOf('p', '2024-01-01T10:00:00Z', 'Failed', [cs('main', 0, term(1))])]).entries[0]!;
    assert.equal(single.kind === 'read' && logPrefix(single.source), '[p/main#1] ');
  });
});
