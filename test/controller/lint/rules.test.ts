// The static findings of `why -f`, one table row per rule (and rows that must NOT fire).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cronJobFindings,
  jobSpecFindings,
  retryWaitSeconds,
  type LintContext,
} from '../../../src/controller/lint/index.js';
import type { CronJob, JobSpec } from '../../../src/api/types.js';
import { cronJob, jobSpec } from '../../support/builders.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const ctx = (extra: Partial<LintContext> = {}): LintContext => ({ now: NOW, controllerZone: 'UTC', ...extra });
const found = (cj: CronJob, extra?: Partial<LintContext>) =>
  cronJobFindings(cj, ctx(extra))
    .map((f) => `${f.severity}:${f.code}@${f.path}`)
    .sort();
const spec = (patch: Partial<JobSpec>, pod: Record<string, unknown> = {}): JobSpec => {
  const s = jobSpec();
  return { ...s, ...patch, template: { ...s.template, spec: { ...s.template.spec, ...pod } } } as JobSpec;
};

describe('CronJob rules', () => {
  const cases: Array<[string, () => CronJob, string[], Partial<LintContext>?]> = [
    ['a plain hourly CronJob has no finding', () => cronJob('ok').build(), []],
    [
      'Feb 30 never fires within 5 years',
      () => cronJob('c').schedule('0 0 30 2 *').build(),
      ['error:ScheduleNeverFires@.spec.schedule'],
    ],
    ['Feb 29 fires (leap years): no finding', () => cronJob('c').schedule('0 0 29 2 *').build(), []],
    [
      'an unparseable schedule',
      () => cronJob('c').schedule('61 * * * *').build(),
      ['error:UnparseableSchedule@.spec.schedule'],
    ],
    [
      '@every 2m with a 60 s deadline never runs',
      () => cronJob('c').schedule('@every 2m').startingDeadlineSeconds(60).build(),
      ['error:EveryDeadlineNeverRuns@.spec.startingDeadlineSeconds'],
    ],
    [
      '@every 2m with a 120 s deadline runs',
      () => cronJob('c').schedule('@every 2m').startingDeadlineSeconds(120).build(),
      [],
    ],
    [
      '@every 1m with deadline 0 is the @every finding, not both',
      () => cronJob('c').schedule('@every 1m').startingDeadlineSeconds(0).build(),
      ['error:EveryDeadlineNeverRuns@.spec.startingDeadlineSeconds'],
    ],
    [
      'startingDeadlineSeconds 0 never runs',
      () => cronJob('c').startingDeadlineSeconds(0).build(),
      ['error:StartingDeadlineZero@.spec.startingDeadlineSeconds'],
    ],
    [
      'startingDeadlineSeconds 5 is under the reaction time',
      () => cronJob('c').startingDeadlineSeconds(5).build(),
      ['warning:StartingDeadlineTooShort@.spec.startingDeadlineSeconds'],
    ],
    ['startingDeadlineSeconds 10 is fine', () => cronJob('c').startingDeadlineSeconds(10).build(), []],
    [
      'TZ= in the schedule of a new CronJob is rejected',
      () => cronJob('c').schedule('TZ=Europe/Berlin 0 3 * * *').build(),
      ['error:TimeZoneInSchedule@.spec.schedule'],
    ],
    [
      'CRON_TZ= too',
      () => cronJob('c').schedule('CRON_TZ=UTC 0 3 * * *').build(),
      ['error:TimeZoneInSchedule@.spec.schedule'],
    ],
    [
      'TZ kept on update of a CronJob that already had it: warning',
      () => cronJob('c').schedule('TZ=UTC 0 4 * * *').build(),
      ['warning:TimeZoneInSchedule@.spec.schedule'],
      { exists: true, liveSchedule: 'TZ=UTC 0 3 * * *' },
    ],
    [
      'TZ kept plus .spec.timeZone: rejected',
      () => cronJob('c').schedule('TZ=UTC 0 4 * * *').timeZone('UTC').build(),
      ['error:TimeZoneInSchedule@.spec.schedule'],
      { exists: true, liveSchedule: 'TZ=UTC 0 3 * * *' },
    ],
    [
      'an unknown .spec.timeZone',
      () => cronJob('c').timeZone('Mars/Olympus').build(),
      ['error:UnknownTimeZone@.spec.timeZone'],
    ],
    [
      'an empty .spec.timeZone is rejected',
      () => cronJob('c').timeZone('').build(),
      ['error:UnknownTimeZone@.spec.timeZone'],
    ],
    [
      '.spec.timeZone Local is rejected',
      () => cronJob('c').timeZone('Local').build(),
      ['error:UnknownTimeZone@.spec.timeZone'],
    ],
    ['a known .spec.timeZone', () => cronJob('c').timeZone('Europe/Berlin').build(), []],
    [
      'an unknown zone does not hide the day-field finding',
      () => cronJob('c').schedule('0 9 1-7 * 1').timeZone('Mars/Olympus').build(),
      ['error:UnknownTimeZone@.spec.timeZone', 'warning:DayOfMonthOrDayOfWeek@.spec.schedule'],
    ],
    [
      'day-of-month and day-of-week both restricted: OR',
      () => cronJob('c').schedule('0 9 1-7 * 1').build(),
      ['warning:DayOfMonthOrDayOfWeek@.spec.schedule'],
    ],
    ['day-of-week with a * day-of-month: AND, fine', () => cronJob('c').schedule('0 9 * * 1').build(), []],
    ['a */1 day-of-month counts as *: fine', () => cronJob('c').schedule('0 9 */1 * 1').build(), []],
    ['a 53-character name', () => cronJob('x'.repeat(53)).build(), ['error:NameTooLong@.metadata.name']],
    ['a 52-character name is fine', () => cronJob('x'.repeat(52)).build(), []],
    [
      'Forbid without any deadline',
      () => cronJob('c').forbid().build(),
      ['warning:ForbidWithoutDeadline@.spec.jobTemplate.spec.activeDeadlineSeconds'],
    ],
    [
      'Forbid with a pod deadline (activeDeadlineSeconds in the pod template) is bounded too',
      () =>
        cronJob('c')
          .forbid()
          .jobTemplateSpec({
            template: {
              spec: { restartPolicy: 'Never', activeDeadlineSeconds: 600, containers: [{ name: 'main', image: 'x' }] },
            },
          } as never)
          .build(),
      [],
    ],
    [
      'Forbid with a Job deadline',
      () => cronJob('c').forbid().jobTemplateSpec({ activeDeadlineSeconds: 3600 }).build(),
      [],
    ],
    [
      'failedJobsHistoryLimit 0',
      () => cronJob('c').historyLimits(3, 0).build(),
      ['warning:FailedHistoryZero@.spec.failedJobsHistoryLimit'],
    ],
    [
      'job-template rules are reported under .spec.jobTemplate.spec',
      () => cronJob('c').jobTemplateSpec({ ttlSecondsAfterFinished: 0 }).build(),
      ['warning:TTLDestroysEvidence@.spec.jobTemplate.spec.ttlSecondsAfterFinished'],
    ],
  ];
  for (const [name, make, want, extra] of cases) {
    it(name, () => assert.deepEqual(found(make(), extra), want.sort()));
  }

  it('every finding has a message and an upstream basis', () => {
    const cj = cronJob('x'.repeat(60))
      .schedule('0 9 1-7 * 1')
      .forbid()
      .historyLimits(3, 0)
      .startingDeadlineSeconds(3)
      .build();
    const all = cronJobFindings(cj, ctx());
    assert.ok(all.length >= 4);
    for (const f of all) {
      assert.ok(f.message.length > 20 && !f.message.includes('\n'), f.message);
      assert.ok(f.basis.length > 5, f.code);
    }
  });
});

describe('Job rules', () => {
  const f = (s: JobSpec, version?: { major: number; minor: number }) =>
    jobSpecFindings(s, '.spec', ctx(version ? { serverVersion: version } : {}))
      .map((x) => `${x.severity}:${x.code}@${x.path}`)
      .sort();
  const pfp = (...rules: unknown[]) => ({ podFailurePolicy: { rules } }) as Partial<JobSpec>;
  const cases: Array<[string, JobSpec, string[]]> = [
    ['a plain Job', spec({}), []],
    [
      'backoffLimit 6 needs 630 s of backoff; a 300 s deadline cuts it',
      spec({ backoffLimit: 6, activeDeadlineSeconds: 300 }),
      ['warning:DeadlineShorterThanRetries@.spec.activeDeadlineSeconds'],
    ],
    ['a 700 s deadline fits 6 retries', spec({ backoffLimit: 6, activeDeadlineSeconds: 700 }), []],
    [
      'backoffLimit unset counts as 6',
      spec({ backoffLimit: undefined, activeDeadlineSeconds: 100 }),
      ['warning:DeadlineShorterThanRetries@.spec.activeDeadlineSeconds'],
    ],
    [
      'backoffLimitPerIndex 3 needs 70 s of backoff per index; a 60 s deadline cuts it',
      spec({
        backoffLimit: undefined,
        backoffLimitPerIndex: 3,
        completionMode: 'Indexed',
        completions: 2,
        activeDeadlineSeconds: 60,
      } as Partial<JobSpec>),
      ['warning:DeadlineShorterThanRetries@.spec.activeDeadlineSeconds'],
    ],
    ['backoffLimit 0: no retries to cut', spec({ backoffLimit: 0, activeDeadlineSeconds: 5 }), []],
    [
      'ttlSecondsAfterFinished 0',
      spec({ ttlSecondsAfterFinished: 0 }),
      ['warning:TTLDestroysEvidence@.spec.ttlSecondsAfterFinished'],
    ],
    [
      'ttlSecondsAfterFinished 600: info',
      spec({ ttlSecondsAfterFinished: 600 }),
      ['info:TTLDestroysEvidence@.spec.ttlSecondsAfterFinished'],
    ],
    ['ttlSecondsAfterFinished 86400: fine', spec({ ttlSecondsAfterFinished: 86400 }), []],
    [
      'onExitCodes In [0]',
      spec(pfp({ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } })),
      ['error:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[0].onExitCodes.values'],
    ],
    [
      'onExitCodes In [256, 300]',
      spec(pfp({ action: 'FailJob', onExitCodes: { operator: 'In', values: [256, 300] } })),
      ['warning:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[0].onExitCodes.values'],
    ],
    ['onExitCodes In [42]: fine', spec(pfp({ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } })), []],
    [
      'containerName not in the template',
      spec(pfp({ action: 'FailJob', onExitCodes: { containerName: 'sidecar', operator: 'In', values: [1] } })),
      ['error:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[0].onExitCodes.containerName'],
    ],
    [
      'an init container name is fine',
      spec(pfp({ action: 'FailJob', onExitCodes: { containerName: 'init', operator: 'In', values: [1] } }), {
        initContainers: [{ name: 'init', image: 'x' }],
      }),
      [],
    ],
    [
      'a condition type no component sets',
      spec(pfp({ action: 'Ignore', onPodConditions: [{ type: 'OOMKilled', status: 'True' }] })),
      ['warning:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[0].onPodConditions[0].type'],
    ],
    [
      'DisruptionTarget is real',
      spec(pfp({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] })),
      [],
    ],
    [
      'a readinessGate condition is real',
      spec(pfp({ action: 'Ignore', onPodConditions: [{ type: 'example.com/gate', status: 'True' }] }), {
        readinessGates: [{ conditionType: 'example.com/gate' }],
      }),
      [],
    ],
    [
      'a rule shadowed by an earlier wider one',
      spec(
        pfp(
          { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [0] } },
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
        ),
      ),
      ['warning:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[1].onExitCodes'],
    ],
    [
      'a later rule for another container is not shadowed by a container-scoped one',
      spec(
        pfp(
          { action: 'Ignore', onExitCodes: { containerName: 'main', operator: 'In', values: [1] } },
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } },
        ),
      ),
      [],
    ],
    [
      'a condition rule shadowed by the same condition earlier',
      spec(
        pfp(
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ),
      ),
      ['warning:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[1].onPodConditions'],
    ],
    [
      'FailIndex without backoffLimitPerIndex',
      spec(pfp({ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } })),
      ['error:PodFailurePolicyRuleNeverMatches@.spec.podFailurePolicy.rules[0].action'],
    ],
    [
      'podFailurePolicy with OnFailure',
      spec(pfp({ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }), { restartPolicy: 'OnFailure' }),
      ['error:PodFailurePolicyNeedsNever@.spec.template.spec.restartPolicy'],
    ],
  ];
  for (const [name, s, want] of cases) it(name, () => assert.deepEqual(f(s), want.sort()));

  it('the backoff sums: 10 s doubling, capped (10 min from 1.27, 6 min before)', () => {
    assert.equal(retryWaitSeconds(6, 600), 10 + 20 + 40 + 80 + 160 + 320);
    assert.equal(retryWaitSeconds(8, 600), 630 + 600 + 600);
    assert.equal(retryWaitSeconds(8, 360), 10 + 20 + 40 + 80 + 160 + 320 + 360 + 360);
    // 1300 s fits 7 retries (1230 s) under the 10-minute cap but not 8 (1830 s) ...
    assert.deepEqual(f(spec({ backoffLimit: 8, activeDeadlineSeconds: 1300 })), [
      'warning:DeadlineShorterThanRetries@.spec.activeDeadlineSeconds',
    ]);
    // ... and the 6-minute cap of 1.26 and older lets 8 retries fit in 1400 s.
    assert.deepEqual(f(spec({ backoffLimit: 8, activeDeadlineSeconds: 1400 }), { major: 1, minor: 26 }), []);
    const msg = jobSpecFindings(spec({ backoffLimit: 6, activeDeadlineSeconds: 300 }), '.spec', ctx())[0]!.message;
    assert.match(msg, /630 s, so at most 4 retries can start/);
  });
  it('OnFailure uses the kubelet restart backoff cap (300 s)', () => {
    const m = jobSpecFindings(
      spec({ backoffLimit: 8, activeDeadlineSeconds: 1000 }, { restartPolicy: 'OnFailure' }),
      '.spec',
      ctx(),
    )[0]!;
    assert.match(m.message, /kubelet's restart backoff .* capped at 300 s/);
    assert.match(m.message, /1210 s/); // 10+20+40+80+160+300+300+300
  });
});
