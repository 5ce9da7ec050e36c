// explainJob: headline per verdict, facts, cause blocks and the attempts table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideJob } from '../../src/controller/job/decide.js';
import { explainJob } from '../../src/explain/job.js';
import type { JobInput } from '../../src/controller/job/types.js';
import { at, dateAt, job, pod } from '../support/job-builders.js';

const LIMIT_MSG = 'Job has reached the specified backoff limit';
const explain = (input: Omit<JobInput, 'events'> & { events?: JobInput['events'] }) =>
  explainJob(decideJob({ events: [], ...input }));

const headlines: Array<[string, Omit<JobInput, 'events'>, string, RegExp]> = [
  [
    'backoffLimit',
    {
      job: job('train')
        .backoffLimit(2)
        .counters({ failed: 3 })
        .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(100))
        .build(),
      pods: [],
      now: dateAt(200),
    },
    'failed',
    /^failed: 3 failed pods exceeded backoffLimit 2$/,
  ],
  [
    'OnFailure restarts',
    {
      job: job('train').backoffLimit(3).onFailure().build(),
      pods: [pod('train-a').onFailure().restarts(3).build()],
      now: dateAt(60),
    },
    'failed',
    /^failed: 3 container restarts reached backoffLimit 3 \(restartPolicy OnFailure\) \(the controller has not written the condition yet\)$/,
  ],
  [
    'backoffLimit 0 OnFailure',
    {
      job: job('train').backoffLimit(0).onFailure().build(),
      pods: [pod('train-a').onFailure().restarts(1).build()],
      now: dateAt(60),
    },
    'failed',
    /a container restarted and backoffLimit is 0/,
  ],
  [
    'deadline',
    {
      job: job('train')
        .deadline(300)
        .counters({ failed: 1 })
        .condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline', at(300))
        .build(),
      pods: [],
      now: dateAt(400),
    },
    'failed',
    /^killed by activeDeadlineSeconds after 5m with 1 of 6 retries used, before backoffLimit was reached$/,
  ],
  [
    'pod failure policy',
    {
      job: job('train')
        .podFailurePolicy({ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } })
        .build(),
      pods: [pod('train-abc').failed({ exitCode: 42 }).build()],
      now: dateAt(60),
    },
    'failed',
    /^failed by podFailurePolicy: Container main for pod default\/train-abc failed with exit code 42 matching FailJob rule at index 0/,
  ],
  [
    'backing off',
    {
      job: job('train').counters({ failed: 1 }).build(),
      pods: [
        pod('train-a')
          .failed({ exitCode: 1, finishedAt: at(50) })
          .build(),
      ],
      now: dateAt(55),
    },
    'backing-off',
    /^backing off until 2024-05-01T10:01:00Z \(1 of backoffLimit 6 failures used\)$/,
  ],
  [
    'suspended by Kueue',
    { job: job('train').suspended().label('kueue.x-k8s.io/queue-name', 'team-a').build(), pods: [], now: dateAt(60) },
    'suspended',
    /Kueue holds the Job suspended.*"team-a"/,
  ],
  [
    'stuck',
    { job: job('train').build(), pods: [pod('train-a').pending('ImagePullBackOff').build()], now: dateAt(60) },
    'stuck',
    /^stuck: The image cannot be pulled$/,
  ],
  [
    'running',
    { job: job('train').build(), pods: [pod('train-a').build()], now: dateAt(60) },
    'running',
    /^running: 1 active$/,
  ],
  [
    'succeeded',
    {
      job: job('train').counters({ succeeded: 1 }).condition('Complete', 'CompletionsReached', '', at(50)).build(),
      pods: [],
      now: dateAt(60),
    },
    'succeeded',
    /^succeeded$/,
  ],
];

describe('explainJob headline', () => {
  for (const [name, input, state, text] of headlines) {
    it(name, () => {
      const e = explain(input);
      assert.equal(e.headline.state, state);
      assert.match(e.headline.text, text);
      assert.equal(e.subject, 'job/train in namespace default');
    });
  }
});

describe('explainJob body', () => {
  const e = explain({
    job: job('train')
      .backoffLimit(1)
      .counters({ failed: 2 })
      .condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200))
      .build(),
    pods: [
      pod('train-b')
        .started(at(60))
        .failed({ exitCode: 137, reason: 'OOMKilled', finishedAt: at(150) })
        .build(),
      pod('train-a')
        .failed({ exitCode: 1, finishedAt: at(40) })
        .build(),
    ],
    now: dateAt(300),
  });
  it('renders the attempts table in start order', () => {
    const t = e.tables.find((x) => x.title === 'Attempts');
    assert.deepEqual(t?.head, ['#', 'Pod', 'Start', 'End', 'Exit', 'Reason', 'Restarts']);
    assert.deepEqual(t?.rows, [
      ['1', 'train-a', at(0), at(40), '1', 'Error', '0'],
      ['2', 'train-b', at(60), at(150), '137', 'OOMKilled', '0'],
    ]);
    assert.deepEqual(t?.tones, ['bad', 'bad']);
  });
  it('turns causes into blocks with tone, evidence and fixes', () => {
    const c = e.causes[0];
    assert.equal(c?.code, 'BackoffLimitExceeded');
    assert.equal(c?.tone, 'bad');
    assert.ok(c?.evidence.some((x) => x.includes('2 failed pods counted')));
    assert.ok(c?.fix.some((x) => x.includes('Raise .spec.backoffLimit to at least 2')));
  });
  it('lists key facts', () => {
    const facts = Object.fromEntries(e.facts);
    assert.equal(facts.Failures, '2 counted of backoffLimit 1 (2 failed pods)');
    assert.equal(facts.Rule, 'backoffLimit');
    assert.equal(facts.Condition, `Failed BackoffLimitExceeded at ${at(200)}`);
  });
  it('uses plain strings only (no ANSI escapes)', () => {
    assert.ok(!JSON.stringify(e).includes('\u001b['));
  });
  it('notes when no pod is left', () => {
    const gone = explain({
      job: job('train').counters({ failed: 7 }).condition('Failed', 'BackoffLimitExceeded', LIMIT_MSG, at(200)).build(),
      pods: [],
      now: dateAt(300),
    });
    assert.ok(gone.notes.some((n) => n.includes('No pods of this Job exist any more')));
    assert.equal(gone.tables.length, 0);
  });
  it('works on a bare verdict read back from JSON (no model fields)', () => {
    const bare = explainJob({ kind: 'Job', namespace: 'ns', name: 'x', verdict: 'failed', causes: [], now: at(0) });
    assert.equal(bare.headline.text, 'failed');
    assert.deepEqual(bare.tables, []);
  });
});
