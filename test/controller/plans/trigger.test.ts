// The manual Job of `trigger`: shaped as kubectl's createJobFromCronJob, a valid generated name,
// and the warnings about how the CronJob controller treats it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activeJobsOf,
  invalidJobName,
  jobProgress,
  manualJobName,
  planTrigger,
} from '../../../src/controller/plans/trigger.js';
import { cronJob, job } from '../../support/builders.js';
import { topOfTheHour } from '../../support/time.js';

/** A deterministic random source cycling through `values`. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('planTrigger builds the Job kubectl create job --from=cronjob/x builds', () => {
  it('copies template labels and spec, puts the instantiate annotation first, owner without blockOwnerDeletion', () => {
    const cj = cronJob('backup')
      .namespace('prod')
      .uid('u-1')
      .templateLabels({ app: 'backup' })
      .templateAnnotations({ team: 'data' })
      .jobTemplateSpec({ backoffLimit: 2 })
      .build();
    const plan = planTrigger({ cronJob: cj, jobs: [], name: 'backup-now', random: seq(0) });
    assert.deepEqual(plan.job, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'backup-now',
        namespace: 'prod',
        labels: { app: 'backup' },
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', team: 'data' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'u-1', controller: true }],
      },
      spec: cj.spec.jobTemplate.spec,
    });
    assert.equal('blockOwnerDeletion' in plan.job.metadata.ownerReferences![0]!, false);
    assert.notEqual(plan.job.spec, cj.spec.jobTemplate.spec, 'the spec is a copy, not shared');
  });

  it('a template annotation of the same key overrides instantiate=manual, as in kubectl', () => {
    const cj = cronJob('x').templateAnnotations({ 'cronjob.kubernetes.io/instantiate': 'custom' }).build();
    assert.equal(
      planTrigger({ cronJob: cj, jobs: [], random: seq(0) }).job.metadata.annotations![
        'cronjob.kubernetes.io/instantiate'
      ],
      'custom',
    );
  });

  it('no template labels: no labels key (kubectl leaves it nil)', () => {
    const cj = cronJob('x').build();
    delete cj.spec.jobTemplate.metadata;
    assert.equal('labels' in planTrigger({ cronJob: cj, jobs: [], random: seq(0) }).job.metadata, false);
  });
});

describe('manualJobName', () => {
  const cases: Array<[string, string, number[], string]> = [
    ['short name', 'backup', [0, 0.5, 0.99, 0.1, 0.2], 'backup-manual-br9dh'],
    [
      '52-character CronJob name is cut to 50 so the Job name is 63',
      'a'.repeat(52),
      [0],
      `${'a'.repeat(50)}-manual-bbbbb`,
    ],
    ['dots become dashes (a DNS-1123 label)', 'nightly.report', [0], 'nightly-report-manual-bbbbb'],
    ['a cut that ends in a dash drops it', `${'a'.repeat(49)}-bc`, [0], `${'a'.repeat(49)}-manual-bbbbb`],
  ];
  for (const [title, cj, rnd, want] of cases) {
    it(title, () => {
      const got = manualJobName(cj, seq(...rnd));
      assert.equal(got, want);
      assert.ok(got.length <= 63);
      assert.match(got, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    });
  }

  it("uses only consonants and digits for the random part, like apimachinery's rand.String", () => {
    for (let i = 0; i < 200; i++)
      assert.match(manualJobName('x', Math.random), /^x-manual-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('invalidJobName', () => {
  const cases: Array<[string, boolean]> = [
    ['backup-1', true],
    ['a.b', true],
    ['Backup', false],
    ['-x', false],
    ['x-', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['a_b', false],
  ];
  for (const [name, ok] of cases)
    it(`${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)} is ${ok ? 'valid' : 'invalid'}`, () => {
      assert.equal(invalidJobName(name) === null, ok);
    });
});

describe('trigger warnings', () => {
  const t = topOfTheHour();
  const cases: Array<
    [
      string,
      () => {
        cj: ReturnType<ReturnType<typeof cronJob>['build']>;
        jobs: ReturnType<ReturnType<typeof job>['build']>[];
      },
      string[],
    ]
  > = [
    [
      'Allow with an active Job: only the not-tracked warning',
      () => {
        const cj = cronJob('c').active('c-1').build();
        return { cj, jobs: [job('c-1').ownedBy(cj).running().build()] };
      },
      ['ManualNotTracked'],
    ],
    [
      'Forbid with an active Job (status.active): overlap names it',
      () => {
        const cj = cronJob('c').forbid().active('c-1').build();
        return { cj, jobs: [] };
      },
      ['ManualNotTracked', 'Overlap:c-1'],
    ],
    [
      'Replace with an unfinished manual Job that status.active does not list: overlap names it',
      () => {
        const cj = cronJob('c').replace().build();
        return {
          cj,
          jobs: [
            job('c-manual-abc').ownedBy(cj).manual().running().build(),
            job('c-old').ownedBy(cj).succeeded(t).build(),
          ],
        };
      },
      ['ManualNotTracked', 'Overlap:c-manual-abc'],
    ],
    [
      'Forbid with only finished Jobs: no overlap',
      () => {
        const cj = cronJob('c').forbid().build();
        return { cj, jobs: [job('c-1').ownedBy(cj).failed(t).build()] };
      },
      ['ManualNotTracked'],
    ],
    [
      'Forbid: a Job of another CronJob does not count',
      () => {
        const cj = cronJob('c').forbid().build();
        return { cj, jobs: [job('d-1').ownedBy({ name: 'd' }).running().build()] };
      },
      ['ManualNotTracked'],
    ],
    [
      'suspended CronJob: the manual run still starts, say so',
      () => ({ cj: cronJob('c').suspended().build(), jobs: [] }),
      ['ManualNotTracked', 'Suspended'],
    ],
  ];
  for (const [title, make, want] of cases) {
    it(title, () => {
      const { cj, jobs } = make();
      const got = planTrigger({ cronJob: cj, jobs, random: seq(0) }).warnings.map((w) =>
        w.code === 'Overlap' ? `Overlap:${w.active.join(',')}` : w.code,
      );
      assert.deepEqual(got, want);
    });
  }

  it('activeJobsOf ignores Jobs being deleted', () => {
    const cj = cronJob('c').build();
    assert.deepEqual(activeJobsOf(cj, [job('c-1').ownedBy(cj).running().deleting(t).build()]), []);
  });
});

describe('jobProgress (trigger --wait)', () => {
  const t = topOfTheHour();
  it('Complete=True is complete', () => assert.equal(jobProgress(job('a').succeeded(t).build()).state, 'complete'));
  it('Failed=True is failed, with its reason', () => {
    const p = jobProgress(
      job('a').failed(t, 'DeadlineExceeded', 'Job was active longer than specified deadline').build(),
    );
    assert.equal(p.state, 'failed');
    assert.equal(p.state === 'failed' && p.condition.reason, 'DeadlineExceeded');
  });
  it('FailureTarget alone is still running (pods are terminating)', () => {
    assert.equal(
      jobProgress(job('a').running().condition('FailureTarget', 'BackoffLimitExceeded', '', t).build()).state,
      'running',
    );
  });
  it('Complete=False does not count', () =>
    assert.equal(jobProgress(job('a').condition('Complete', 'x', '', t, 'False').build()).state, 'running'));
});
