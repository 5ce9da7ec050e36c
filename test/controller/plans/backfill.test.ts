// `trigger --for/--missed`: the Job the controller would have created for a past schedule time
// (name, scheduled-timestamp annotation in the CronJob's zone, labels, controller reference), and
// every refusal: not a schedule time, not yet due, due now, already run (by name or annotation).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controllerJobFor, ownerReferenceFor, planBackfill } from '../../../src/controller/plans/backfill.js';
import { cronJob, job, scheduledJob } from '../../support/builders.js';

const NOW = new Date('2026-11-23T08:30:00Z');
const at = (s: string) => new Date(s);
const minutes = (s: string) => Date.parse(s) / 60_000;
// Hourly since 2026-11-23T00:00, last run 05:00; the template has labels and an annotation.
const hourly = () =>
  cronJob('backup')
    .namespace('prod')
    .uid('u-1')
    .schedule('0 * * * *')
    .createdAt('2026-11-22T00:00:00Z')
    .lastScheduleTime('2026-11-23T05:00:00Z')
    .templateLabels({ app: 'backup' })
    .templateAnnotations({ team: 'data' });

describe("controllerJobFor: the controller's Job for a time", () => {
  it('name <cronjob>-<unix minutes>, template labels and annotations plus the scheduled timestamp, controller reference with blockOwnerDeletion', () => {
    const cj = hourly().build();
    const j = controllerJobFor({ cronJob: cj, jobs: [], events: [], now: NOW }, at('2026-11-23T03:00:00Z'));
    assert.deepEqual(j.metadata, {
      name: `backup-${minutes('2026-11-23T03:00:00Z')}`,
      namespace: 'prod',
      labels: { app: 'backup' },
      annotations: { team: 'data', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-11-23T03:00:00Z' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'backup',
          uid: 'u-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    assert.deepEqual(j.spec, cj.spec.jobTemplate.spec);
    assert.notEqual(j.spec, cj.spec.jobTemplate.spec, 'a copy, not the template itself');
  });

  it('the annotation is in .spec.timeZone, as the controller writes it', () => {
    const cj = hourly().timeZone('Europe/Berlin').build();
    const j = controllerJobFor({ cronJob: cj, jobs: [], events: [], now: NOW }, at('2026-11-23T03:00:00Z'));
    assert.equal(
      j.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      '2026-11-23T04:00:00+01:00',
    );
  });

  it('servers before 1.28 write no scheduled-timestamp annotation', () => {
    const cj = hourly().build();
    const j = controllerJobFor(
      { cronJob: cj, jobs: [], events: [], now: NOW, serverVersion: { major: 1, minor: 27, gitVersion: 'v1.27.0' } },
      at('2026-11-23T03:00:00Z'),
    );
    assert.deepEqual(j.metadata.annotations, { team: 'data' });
  });

  const owners: Array<[Parameters<typeof ownerReferenceFor>[1], unknown[]]> = [
    [
      'controller',
      [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'backup',
          uid: 'u-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    ],
    ['kubectl', [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'u-1', controller: true }]],
    ['plain', [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'u-1', controller: false }]],
    ['none', []],
  ];
  for (const [mode, want] of owners)
    it(`ownerReferenceFor ${mode}`, () => assert.deepEqual(ownerReferenceFor(hourly().build(), mode), want));

  it('--owner none leaves ownerReferences out of the object', () => {
    const j = controllerJobFor(
      { cronJob: hourly().build(), jobs: [], events: [], now: NOW },
      at('2026-11-23T03:00:00Z'),
      'none',
    );
    assert.equal('ownerReferences' in j.metadata, false);
  });
});

describe('planBackfill --for', () => {
  const plan = (times: string[], jobs = [] as ReturnType<ReturnType<typeof job>['build']>[], cj = hourly().build()) =>
    planBackfill({ cronJob: cj, jobs, events: [], now: NOW, times: times.map(at) });

  it('a past schedule time without a Job: created, with what misses says of it', () => {
    const p = plan(['2026-11-23T03:00:00Z']);
    assert.equal(p.items.length, 1);
    const [i] = p.items;
    assert.equal(i!.refused, null);
    assert.equal(i!.name, `backup-${minutes('2026-11-23T03:00:00Z')}`);
    assert.equal(i!.time, '2026-11-23T03:00:00Z');
    assert.equal(i!.job!.metadata.name, i!.name);
  });

  const refusals: Array<[string, string[], () => any[], RegExp]> = [
    [
      'a time that is not a schedule time',
      ['2026-11-23T03:30:00Z'],
      () => [],
      /is not a time of the schedule "0 \* \* \* \*" \(UTC\)/,
    ],
    [
      'a time not due yet',
      ['2026-11-23T10:00:00Z'],
      () => [],
      /not due yet: the controller creates job\/backup-\d+ itself/,
    ],
    [
      'a time whose Job exists by name',
      ['2026-11-23T04:00:00Z'],
      () => [scheduledJob(hourly().build(), at('2026-11-23T04:00:00Z')).succeeded('2026-11-23T04:01:00Z').build()],
      /job\/backup-\d+ already exists/,
    ],
    [
      'a time a Job of another name is annotated for',
      ['2026-11-23T04:00:00Z'],
      () => [
        job('renamed')
          .namespace('prod')
          .ownedBy(hourly().build())
          .annotation('batch.kubernetes.io/cronjob-scheduled-timestamp', '2026-11-23T04:00:00Z')
          .build(),
      ],
      /job\/renamed already ran it \(annotation batch.kubernetes.io\/cronjob-scheduled-timestamp=2026-11-23T04:00:00Z\)/,
    ],
    [
      'a name taken by a Job of another owner',
      ['2026-11-23T04:00:00Z'],
      () => [
        job(`backup-${minutes('2026-11-23T04:00:00Z')}`)
          .namespace('prod')
          .build(),
      ],
      /already exists/,
    ],
    [
      'the time the controller is creating now (due)',
      ['2026-11-23T08:00:00Z'],
      () => [],
      /due now: the controller is about to create job\/backup-\d+ itself/,
    ],
  ];
  for (const [title, times, jobs, why] of refusals) {
    it(`refuses ${title}`, () => {
      const cj = title.includes('due') ? hourly().lastScheduleTime('2026-11-23T07:00:00Z').build() : hourly().build();
      const p = plan(times, jobs(), cj);
      assert.equal(p.items.length, 1);
      assert.equal(p.items[0]!.job, null);
      assert.match(p.items[0]!.refused ?? '', why);
    });
  }

  it('@every: a time of the chain from lastScheduleTime is a schedule time, one off it is not', () => {
    const cj = hourly().schedule('@every 45m').lastScheduleTime('2026-11-23T05:00:00Z').build();
    const p = planBackfill({
      cronJob: cj,
      jobs: [],
      events: [],
      now: at('2026-11-23T07:00:00Z'),
      times: [at('2026-11-23T05:45:00Z'), at('2026-11-23T06:00:00Z')],
    });
    assert.equal(p.items[0]!.refused, null);
    assert.match(p.items[1]!.refused ?? '', /is not a time of the schedule "@every 45m"/);
  });

  it('the same time twice is one item; items come in time order', () => {
    const p = plan(['2026-11-23T03:00:00Z', '2026-11-23T01:00:00Z', '2026-11-23T03:00:00Z']);
    assert.deepEqual(
      p.items.map((i) => i.time),
      ['2026-11-23T01:00:00Z', '2026-11-23T03:00:00Z'],
    );
  });
});

describe('planBackfill --missed: exactly the slots misses calls not run', () => {
  it('a suspended window: every suspended time, none of the ones that ran', () => {
    // Ran at 01:00 and 02:00, suspended by kubectl at 02:30; now 08:30: 03:00 .. 08:00 were suspended.
    const base = hourly().lastScheduleTime('2026-11-23T02:00:00Z').suspendedBy('kubectl-patch', '2026-11-23T02:30:00Z');
    const cj = base.build();
    const jobs = ['2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z'].map((t) =>
      scheduledJob(cj, at(t))
        .namespace('prod')
        .succeeded(new Date(Date.parse(t) + 60_000))
        .build(),
    );
    const p = planBackfill({ cronJob: cj, jobs, events: [], now: NOW, missedSince: at('2026-11-23T00:30:00Z') });
    assert.deepEqual(
      p.items.map((i) => [i.time, i.fate, i.refused]),
      [3, 4, 5, 6, 7, 8].map((h) => [`2026-11-23T0${h}:00:00Z`, 'suspended', null]),
    );
  });

  it('a window with nothing missed plans nothing', () => {
    const cj = hourly().lastScheduleTime('2026-11-23T08:00:00Z').build();
    const jobs = [7, 8].map((h) =>
      scheduledJob(cj, at(`2026-11-23T0${h}:00:00Z`))
        .namespace('prod')
        .succeeded(at(`2026-11-23T0${h}:01:00Z`))
        .build(),
    );
    const p = planBackfill({ cronJob: cj, jobs, events: [], now: NOW, missedSince: at('2026-11-23T06:30:00Z') });
    assert.deepEqual(p.items, []);
  });
});
