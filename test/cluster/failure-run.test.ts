// Connection failures in a row (src/cluster/failure-run.ts) and what `clean` does with them
// (src/cluster/delete-jobs.ts): stop after the run's limit, check deletions whose answer was lost,
// never report a deleted Job as failed. A simulated server on a virtual clock stands in for the
// API server; the real one is killed in test/e2e/actions/faults.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deleteJobs, outcomeOfCheck, type CheckOne, type DeleteOne } from '../../src/cluster/delete-jobs.js';
import { connectionCause, FailureRun, isConnectionFailure, mayHaveArrived } from '../../src/cluster/failure-run.js';
import type { CleanItem } from '../../src/controller/plans/clean.js';
import { ClusterError } from '../../src/errors.js';

const refused = () =>
  new ClusterError('Unreachable', 'cannot reach the API server at https://127.0.0.1:6443 (context "x"): ECONNREFUSED');
const reset = () =>
  new ClusterError('Unreachable', 'cannot reach the API server at https://127.0.0.1:6443 (context "x"): ECONNRESET');
const item = (name: string): CleanItem => ({
  namespace: 'ns',
  name,
  uid: `uid-${name}`,
  resourceVersion: '5',
  outcome: 'succeeded',
  finishedAt: null,
  owner: null,
});
const names = (n: number) => Array.from({ length: n }, (_, i) => `j${String(i).padStart(2, '0')}`);

describe('FailureRun', () => {
  it('trips only after both the count and the duration are reached, with no answer in between', () => {
    let t = 0;
    const run = new FailureRun({ count: 5, ms: 15_000 }, () => t);
    for (let i = 0; i < 10; i++) assert.equal(run.failed(refused()), false, 'ten quick failures are not 15 s');
    t = 14_999;
    assert.equal(run.failed(refused()), false);
    t = 15_000;
    assert.equal(run.failed(refused()), true);
    assert.equal(run.tripped, true);
    assert.deepEqual({ ...run.summary, lastError: undefined }, { failures: 12, ms: 15_000, lastError: undefined });
    run.answered();
    assert.equal(run.tripped, true, 'a trip is final');
  });

  it('an answer (any status) ends the run; a slow failure alone does not trip it', () => {
    let t = 0;
    const run = new FailureRun({ count: 5, ms: 15_000 }, () => t);
    run.failed(refused());
    t = 20_000;
    assert.equal(run.failed(refused()), false, 'two failures over 20 s: the count is not reached');
    for (let i = 0; i < 3; i++) run.failed(refused());
    assert.equal(run.tripped, true);

    const other = new FailureRun({ count: 5, ms: 15_000 }, () => t);
    t = 0;
    for (let i = 0; i < 6; i++) other.failed(refused());
    run.answered();
    other.answered();
    t = 16_000;
    assert.equal(other.failed(refused()), false, 'the answer started a new run');
    assert.equal(other.count, 1);
  });

  it('classifies failures: refused never arrived, reset and timeouts may have; statuses are answers', () => {
    assert.equal(isConnectionFailure(refused()), true);
    assert.equal(isConnectionFailure(new ClusterError('Timeout', 'timed out talking to x')), true);
    assert.equal(isConnectionFailure(new ClusterError('Timeout', 'the server timed out', undefined, 504)), false);
    assert.equal(isConnectionFailure(new ClusterError('ServerError', 'boom', undefined, 503)), false);
    assert.equal(isConnectionFailure(new Error('ECONNREFUSED')), false);
    assert.equal(mayHaveArrived(refused()), false);
    assert.equal(mayHaveArrived(reset()), true);
    assert.equal(mayHaveArrived(new ClusterError('Timeout', 'timed out talking to x')), true);
    assert.equal(connectionCause(reset()), 'ECONNRESET');
    assert.equal(connectionCause(undefined), 'no answer');
  });
});

describe('outcomeOfCheck (a GET by name after a lost DELETE answer)', () => {
  const it0 = item('a');
  it('gone, replaced by another uid, or being deleted => deleted; ours untouched => not deleted', () => {
    assert.equal(outcomeOfCheck(it0, null), 'deleted');
    assert.equal(outcomeOfCheck(it0, { metadata: { uid: 'uid-other' } }), 'deleted');
    assert.equal(
      outcomeOfCheck(it0, { metadata: { uid: 'uid-a', deletionTimestamp: '2026-12-01T00:00:00Z' } }),
      'deleted',
    );
    assert.equal(outcomeOfCheck(it0, { metadata: { uid: 'uid-a' } }), 'not-deleted');
    assert.equal(outcomeOfCheck(it0, { metadata: { uid: 'uid-a', deletionTimestamp: null } }), 'not-deleted');
  });
});

/**
 * A server on a virtual clock: each request costs 10 ms; the outage starts at the `downAt`-th
 * DELETE; DELETEs listed in `appliedThenReset` are carried out but their answer is lost, those in
 * `lostBeforeArrival` are lost without being carried out.
 */
function simulated(
  n: number,
  o: { downAt: number; downMs: number; appliedThenReset: number[]; lostBeforeArrival: number[] },
) {
  const jobs = new Set(names(n));
  let clock = 0;
  let calls = 0;
  let downFrom = Infinity;
  const gets: string[] = [];
  const deleted: string[] = [];
  const up = () => !(clock >= downFrom && clock < downFrom + o.downMs);
  const deleteOne: DeleteOne = async (it) => {
    clock += 10;
    await Promise.resolve();
    const call = ++calls;
    if (call === o.downAt) downFrom = clock;
    if (o.appliedThenReset.includes(call)) {
      jobs.delete(it.name);
      throw reset();
    }
    if (o.lostBeforeArrival.includes(call)) throw reset();
    if (!up()) throw refused();
    if (!jobs.delete(it.name)) throw new ClusterError('NotFound', 'not found', undefined, 404);
    deleted.push(it.name);
  };
  const checkOne: CheckOne = async (it) => {
    clock += 10;
    await Promise.resolve();
    if (!up()) throw refused();
    gets.push(it.name);
    return jobs.has(it.name) ? { metadata: { uid: it.uid } } : null;
  };
  const opts = {
    dryRun: 'none' as const,
    concurrency: 4,
    deleteOne,
    checkOne,
    now: () => clock,
    retry: { sleep: async (ms: number) => void (clock += ms) },
  };
  return { opts, jobs, gets, items: names(n).map(item) };
}

describe('deleteJobs when the API server goes away', () => {
  it('an outage longer than the limit: stops, nothing reported failed, lost answers are unknown, unsent ones not attempted', async () => {
    const sim = simulated(40, {
      downAt: 10,
      downMs: Infinity,
      appliedThenReset: [10, 11, 12, 13],
      lostBeforeArrival: [],
    });
    const { results, lostConnection } = await deleteJobs(undefined, sim.items, sim.opts);
    const by = (s: string) => results.filter((r) => r.status === s).map((r) => r.item.name);
    assert.ok(lostConnection, 'stopped on the connection');
    assert.ok(lostConnection.failures >= 5 && lostConnection.ms >= 15_000, JSON.stringify(lostConnection));
    assert.equal(lostConnection.cause, 'ECONNREFUSED');
    assert.deepEqual(by('failed'), []);
    assert.deepEqual(by('unknown'), ['j09', 'j10', 'j11', 'j12']);
    assert.equal(by('deleted').length, 9);
    // What was reported matches the server: deleted ones are gone, unsent ones remain.
    for (const n of by('deleted')) assert.equal(sim.jobs.has(n), false, n);
    for (const n of by('not-attempted')) assert.equal(sim.jobs.has(n), true, n);
    assert.equal(by('deleted').length + by('unknown').length + by('not-attempted').length, 40);
  });

  it('an outage shorter than the limit: resumes, checks lost answers by name, deletes again what was not deleted', async () => {
    const sim = simulated(40, { downAt: 10, downMs: 5_000, appliedThenReset: [10, 11], lostBeforeArrival: [12, 13] });
    const { results, lostConnection } = await deleteJobs(undefined, sim.items, sim.opts);
    assert.equal(lostConnection, undefined);
    assert.deepEqual(
      results.map((r) => r.status),
      Array(40).fill('deleted'),
    );
    assert.equal(sim.jobs.size, 0);
    // The four items whose answer was lost were each looked up by name once the server was back.
    assert.deepEqual([...sim.gets].sort(), ['j09', 'j10', 'j11', 'j12']);
  });

  it('a refused DELETE is checked by GET before it is sent again: fetch may have retried one that arrived', async () => {
    const sim = simulated(8, { downAt: 2, downMs: 3_000, appliedThenReset: [], lostBeforeArrival: [] });
    const { results } = await deleteJobs(undefined, sim.items, sim.opts);
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill('deleted'),
    );
    assert.ok(sim.gets.length > 0, 'the refused items were checked by name');
  });
});

describe('the line clean ends with when it gives up', () => {
  it('one line: how long, how many failures, the unknown ones by name (3, then a count), how many were not sent', async () => {
    const { lostConnectionLine } = await import('../../src/cli/commands/clean-report.js');
    const results = [
      ...names(5).map((n) => ({ status: 'unknown' as const, item: item(n), message: 'in flight' })),
      { status: 'deleted' as const, item: item('d') },
      ...names(2).map((n) => ({ status: 'not-attempted' as const, item: item(`x${n}`) })),
    ];
    const line = lostConnectionLine(
      'https://10.0.0.1:6443',
      { failures: 41, ms: 15_400, cause: 'ECONNREFUSED' },
      results,
    );
    assert.equal(
      line,
      'stopped: no answer from the API server at https://10.0.0.1:6443 for 15s (41 connection failures in a row, last ECONNREFUSED); ' +
        '5 deletions were in flight, outcome unknown (job/j00, job/j01, job/j02 and 2 more); 2 not sent; running the same command again is safe',
    );
    assert.doesNotMatch(line, /\n/);
  });
});
