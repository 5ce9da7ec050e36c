// The clean plan: only finished Jobs, never one with pods in flight; --older-than, --keep per owner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planClean, type CleanInput } from '../../../src/controller/plans/clean.js';
import type { Job } from '../../../src/api/types.js';
import { job, type JobBuilder } from '../../support/builders.js';
import { iso, plusDays, plusHours, topOfTheHour } from '../../support/time.js';

const now = topOfTheHour();
const daysAgo = (d: number) => plusDays(now, -d);
const rv = (b: JobBuilder): Job => {
  const j = b.build();
  j.metadata.resourceVersion = '7';
  return j;
};
const ok = (name: string, finishedDaysAgo = 1) => rv(job(name).succeeded(daysAgo(finishedDaysAgo)));
const bad = (name: string, finishedDaysAgo = 1) => rv(job(name).failed(daysAgo(finishedDaysAgo)));
const plan = (jobs: Job[], o: Partial<CleanInput> = {}) => planClean({ jobs, outcomes: ['succeeded'], now, ...o });
const names = (items: Array<{ name: string }>) => items.map((i) => i.name);

describe('planClean: which Jobs are candidates', () => {
  const cases: Array<[string, Job[], Partial<CleanInput>, string[]]> = [
    ['only Complete=True with --succeeded', [ok('a'), bad('b'), rv(job('c').running())], {}, ['a']],
    ['only Failed=True with --failed', [ok('a'), bad('b')], { outcomes: ['failed'] }, ['b']],
    ['both outcomes', [ok('a', 2), bad('b', 1)], { outcomes: ['succeeded', 'failed'] }, ['a', 'b']],
    ['a running Job is never a candidate', [rv(job('r').running(2))], { outcomes: ['succeeded', 'failed'] }, []],
    [
      'a suspended Job without a finished condition is never a candidate',
      [rv(job('s').suspended())],
      { outcomes: ['succeeded', 'failed'] },
      [],
    ],
    [
      'Complete=False does not count as finished',
      [rv(job('x').condition('Complete', 'r', 'm', daysAgo(1), 'False'))],
      {},
      [],
    ],
    [
      'FailureTarget without Failed is not finished yet',
      [rv(job('x').condition('FailureTarget', 'BackoffLimitExceeded', 'm', daysAgo(1)))],
      { outcomes: ['failed'] },
      [],
    ],
    ['deletion order is oldest first', [ok('new', 1), ok('old', 5), ok('mid', 3)], {}, ['old', 'mid', 'new']],
  ];
  for (const [title, jobs, o, want] of cases) it(title, () => assert.deepEqual(names(plan(jobs, o).delete), want));
});

describe('planClean: finished Jobs that are protected', () => {
  const finished = () => job('j').succeeded(daysAgo(1));
  const cases: Array<[string, Job, string]> = [
    ['already being deleted', rv(finished().deleting(iso(now))), 'being-deleted'],
    ['status.active > 0', rv(finished().running(1)), 'active-pods'],
    [
      'uncounted terminated pods',
      (() => {
        const j = rv(finished());
        j.status!.uncountedTerminatedPods = { failed: ['p-uid'] };
        return j;
      })(),
      'uncounted-pods',
    ],
    [
      'pods still terminating',
      (() => {
        const j = rv(finished());
        j.status!.terminating = 1;
        return j;
      })(),
      'terminating-pods',
    ],
    ['no resourceVersion to use as precondition', finished().build(), 'no-preconditions'],
  ];
  for (const [title, j, reason] of cases) {
    it(title, () => {
      const p = plan([j]);
      assert.deepEqual(p.delete, []);
      assert.deepEqual(
        p.protected.map((x) => x.reason),
        [reason],
      );
    });
  }
});

describe('planClean: --older-than and --keep', () => {
  it('--older-than keeps Jobs that finished more recently', () => {
    const p = plan([ok('a', 10), ok('b', 2), rv(job('c').succeeded(plusHours(now, -1)))], {
      olderThanMs: 3 * 86_400_000,
    });
    assert.deepEqual(names(p.delete), ['a']);
    assert.equal(p.keptByAge, 2);
  });
  it('--older-than: a finish exactly at the cut-off is old enough', () => {
    assert.deepEqual(names(plan([ok('a', 3)], { olderThanMs: 3 * 86_400_000 }).delete), ['a']);
  });
  it('--older-than keeps a Job whose finish time is unknown', () => {
    const j = ok('a', 10);
    delete j.status!.completionTime;
    j.status!.conditions = j.status!.conditions!.map((c) => ({ ...c, lastTransitionTime: undefined }));
    delete j.status!.startTime;
    delete j.metadata.creationTimestamp;
    const p = plan([j], { olderThanMs: 1000 });
    assert.deepEqual(p.delete, []);
    assert.equal(p.keptByAge, 1);
  });
  it('--keep keeps the newest N per CronJob owner', () => {
    const own = (b: JobBuilder, cj: string) => b.ownedBy({ name: cj });
    const jobs = [
      rv(own(job('a1').succeeded(daysAgo(1)), 'a')),
      rv(own(job('a2').succeeded(daysAgo(2)), 'a')),
      rv(own(job('a3').succeeded(daysAgo(3)), 'a')),
      rv(own(job('b1').succeeded(daysAgo(5)), 'b')),
      rv(own(job('b2').succeeded(daysAgo(6)), 'b')),
    ];
    const p = plan(jobs, { keep: 1 });
    assert.deepEqual(names(p.delete), ['b2', 'a3', 'a2']);
    assert.equal(p.keptByKeep, 2);
  });
  it('--keep groups stand-alone Jobs per namespace', () => {
    const jobs = [
      ok('x1', 1),
      ok('x2', 2),
      rv(job('y1').namespace('other').succeeded(daysAgo(3))),
      rv(job('y2').namespace('other').succeeded(daysAgo(4))),
    ];
    assert.deepEqual(names(plan(jobs, { keep: 1 }).delete), ['y2', 'x2']);
  });
  it('--keep counts each outcome separately', () => {
    const p = plan([ok('s1', 1), ok('s2', 2), bad('f1', 1), bad('f2', 2)], {
      keep: 1,
      outcomes: ['succeeded', 'failed'],
    });
    assert.deepEqual(names(p.delete).sort(), ['f2', 's2']);
  });
  it('--keep and --older-than together: beyond the newest N and old enough', () => {
    const p = plan([ok('a', 1), ok('b', 2), ok('c', 10)], { keep: 1, olderThanMs: 5 * 86_400_000 });
    assert.deepEqual(names(p.delete), ['c']);
  });
  it('a protected Job still counts towards --keep (it stays either way)', () => {
    const running = rv(job('newest').succeeded(daysAgo(1)).running(1));
    const p = plan([running, ok('older', 2)], { keep: 1 });
    assert.deepEqual(names(p.delete), ['older']);
    assert.deepEqual(p.protected, []);
  });
  it('counts what it leaves alone', () => {
    const p = plan([ok('a'), bad('b'), rv(job('c').running())]);
    assert.deepEqual(
      { listed: p.listed, notFinished: p.notFinished, otherOutcome: p.otherOutcome },
      { listed: 3, notFinished: 1, otherOutcome: 1 },
    );
  });
  it('each item carries the preconditions and the owner', () => {
    const [it0] = plan([rv(job('a').ownedBy({ name: 'cj', uid: 'u' }).succeeded(daysAgo(1)))]).delete;
    assert.deepEqual(
      { uid: it0!.uid, rv: it0!.resourceVersion, owner: it0!.owner, finishedAt: it0!.finishedAt },
      { uid: 'uid-a', rv: '7', owner: 'cronjob/cj', finishedAt: iso(daysAgo(1)) },
    );
  });
});
