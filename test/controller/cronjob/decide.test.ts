// `why <cronjob>`: one named scenario per cause. Each states the headline it expects, the cause
// codes that must (and must not) appear, and text that must show up in messages, evidence or fixes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideCronJob, type CronJobVerdictDetail } from '../../../src/controller/cronjob/index.js';
import type { CronJob, Job, KubeEvent, ServerVersion } from '../../../src/api/types.js';
import type { CronJobVerdictState } from '../../../src/controller/verdict.js';
import { cronJob, event, job, scheduledJob, version } from '../../support/builders.js';
import {
  date,
  justAfterTheHour,
  justAfterThePriorHour,
  justBeforeThePriorHour,
  plusDays,
  plusHours,
  plusMinutes,
  plusSeconds,
  topOfTheHour,
  unixMinutes,
  weekAfterTheHour,
} from '../../support/time.js';

interface Scenario {
  name: string;
  cj: CronJob;
  jobs?: Job[];
  events?: KubeEvent[];
  now: Date;
  v?: ServerVersion;
  verdict: CronJobVerdictState;
  codes: string[];
  absent?: string[];
  first?: string;
  mentions?: string[];
  check?: (v: CronJobVerdictDetail) => void;
}

const prod = (name = 'backup') => cronJob(name).namespace('prod');
// Created after the 09:00 time, so the first time it could have run is 10:00 (a 09:00 time with no
// Job would be a provable miss).
const hourly = () =>
  prod().createdAt(plusSeconds(justAfterThePriorHour(), -30)).lastScheduleTime(justAfterThePriorHour());
const cjOf = hourly().build();
const runAt = (t: Date) => scheduledJob(cjOf, t);
const ev = (reason: string, cj: CronJob = cjOf) => event(reason).about(cj);

const scenarios: Scenario[] = [
  {
    name: 'healthy: not due yet',
    cj: hourly().lastScheduleTime(topOfTheHour()).build(),
    jobs: [runAt(topOfTheHour()).succeeded(plusMinutes(topOfTheHour(), 2)).build()],
    now: plusMinutes(topOfTheHour(), 37),
    verdict: 'healthy',
    codes: ['NotDueYet', 'ControllerTimeZone'],
    first: 'NotDueYet',
    mentions: [
      'next run is at 2016-05-19T11:00:00Z (in 23m)',
      `kubectl patch cronjob backup -n prod --type=merge -p '{"spec":{"timeZone":"Etc/UTC"}}'`,
    ],
    check: (v) => assert.equal(v.nextScheduleTime, '2016-05-19T11:00:00Z'),
  },
  {
    name: 'due now: the controller is about to create it',
    cj: hourly().build(),
    now: plusSeconds(topOfTheHour(), 20),
    verdict: 'healthy',
    codes: ['DueNow'],
    absent: ['Overdue'],
    mentions: [`backup-${unixMinutes(topOfTheHour())}`],
  },
  {
    name: 'suspended by kubectl-patch: unsuspend would run the 10:00 catch-up',
    cj: hourly().suspendedBy('kubectl-patch', plusMinutes(justAfterThePriorHour(), 4)).build(),
    now: plusMinutes(topOfTheHour(), 20),
    verdict: 'not-firing',
    codes: ['Suspended'],
    first: 'Suspended',
    mentions: [
      'owned by "kubectl-patch" (Update), last written 2016-05-19T09:05:00Z',
      'kubectl job unsuspend backup -n prod',
      `starts job backup-${unixMinutes(topOfTheHour())} at once for the missed time 2016-05-19T10:00:00Z`,
      '1 schedule time(s) passed while suspended',
    ],
    check: (v) => assert.equal(v.nextScheduleTime, null),
  },
  {
    name: 'suspended a week on 1.20: unsuspend alone would not help (FailedNeedsStart)',
    cj: hourly().suspendedBy('k9s', justAfterTheHour()).build(),
    v: version(1, 20),
    now: weekAfterTheHour(),
    verdict: 'not-firing',
    codes: ['Suspended'],
    mentions: ['gives up with FailedNeedsStart', '"startingDeadlineSeconds":300'],
  },
  {
    name: 'never ran, is time, past deadline: MissSchedule with no event',
    cj: prod().createdAt(date('2016-05-19T09:59:00Z')).startingDeadlineSeconds(10).build(),
    check: (v) => assert.deepEqual([v.missed, v.actionReason], [1, 'NotDueYet']),
    now: plusMinutes(justAfterTheHour(), 11),
    verdict: 'not-firing',
    codes: ['MissSchedule'],
    first: 'MissSchedule',
    mentions: ['startingDeadlineSeconds is 10', 'no MissSchedule event', '"startingDeadlineSeconds":300'],
  },
  {
    name: 'controller down: the 10:00 run is 25 minutes overdue with no Job and no event',
    cj: hourly().build(),
    now: plusMinutes(topOfTheHour(), 25),
    verdict: 'not-firing',
    codes: ['Overdue'],
    first: 'Overdue',
    mentions: [
      '25m overdue',
      'no SuccessfulCreate or FailedCreate event',
      'kube-controller-manager',
      'kubectl job trigger backup -n prod',
    ],
  },
  {
    name: 'too many missed start times (v2): warns, still runs the latest',
    cj: hourly().build(),
    now: plusSeconds(weekAfterTheHour(), 30),
    verdict: 'not-firing',
    codes: ['TooManyMissedTimes', 'DueNow'],
    mentions: ['about 169 schedule times', 'still starts the latest one (2016-05-26T10:00:00Z)'],
    check: (v) => assert.equal(v.missed, 168),
  },
  {
    name: 'too many missed start times (v1, 1.19): FailedNeedsStart blocks for good',
    cj: hourly().build(),
    events: [
      ev('FailedNeedsStart')
        .warning()
        .message(
          'Cannot determine if job needs to be started: too many missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew',
        )
        .count(3000)
        .build(),
    ],
    now: weekAfterTheHour(),
    v: version(1, 19),
    verdict: 'blocked',
    codes: ['FailedNeedsStart'],
    absent: ['TooManyMissedTimes', 'DueNow'],
    mentions: [
      'refuses to start any Job',
      'Warning FailedNeedsStart (x3000)',
      `-p '{"spec":{"startingDeadlineSeconds":300}}'`,
    ],
  },
  {
    name: 'Forbid: a Job still active skips the 10:00 run',
    cj: hourly()
      .forbid()
      .active(`backup-${unixMinutes(justAfterThePriorHour())}`)
      .build(),
    jobs: [runAt(justAfterThePriorHour()).running().build()],
    events: [
      ev('JobAlreadyActive')
        .message('Not starting job because prior execution is running and concurrency policy is Forbid')
        .build(),
    ],
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'blocked',
    codes: ['JobAlreadyActive'],
    first: 'JobAlreadyActive',
    mentions: [
      `Job backup-${unixMinutes(justAfterThePriorHour())} has been running for 1h4m`,
      `kubectl job why job/backup-${unixMinutes(justAfterThePriorHour())} -n prod`,
      '"activeDeadlineSeconds":3600',
      'Normal JobAlreadyActive',
    ],
  },
  {
    name: 'Forbid: a Job running before the next time is only a heads-up',
    cj: hourly()
      .lastScheduleTime(topOfTheHour())
      .forbid()
      .active(`backup-${unixMinutes(topOfTheHour())}`)
      .build(),
    jobs: [runAt(topOfTheHour()).running().build()],
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'healthy',
    codes: ['JobAlreadyActive', 'NotDueYet'],
    check: (v) => assert.equal(v.causes.find((c) => c.code === 'JobAlreadyActive')?.severity, 'info'),
  },
  {
    name: 'Replace killed the running Job at 10:00',
    cj: hourly().lastScheduleTime(topOfTheHour()).replace().build(),
    jobs: [runAt(topOfTheHour()).running().build()],
    events: [
      ev('SuccessfulDelete')
        .message(`Deleted job backup-${unixMinutes(justAfterThePriorHour())}`)
        .at(plusSeconds(topOfTheHour(), 1))
        .build(),
    ],
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'healthy',
    codes: ['SuccessfulDelete'],
    mentions: [`deleted running job(s) backup-${unixMinutes(justAfterThePriorHour())}`, '"concurrencyPolicy":"Forbid"'],
  },
  {
    name: 'Replace: a history-limit deletion is not a kill',
    cj: hourly().lastScheduleTime(topOfTheHour()).replace().build(),
    events: [ev('SuccessfulDelete').message('Deleted job backup-1').at(plusMinutes(topOfTheHour(), 30)).build()],
    now: plusMinutes(topOfTheHour(), 35),
    verdict: 'healthy',
    codes: ['NotDueYet'],
    absent: ['SuccessfulDelete'],
  },
  {
    name: 'Replace deletes the active Job right now',
    cj: hourly()
      .replace()
      .active(`backup-${unixMinutes(justAfterThePriorHour())}`)
      .build(),
    jobs: [runAt(justAfterThePriorHour()).running().build()],
    now: plusSeconds(topOfTheHour(), 10),
    verdict: 'healthy',
    codes: ['SuccessfulDelete', 'DueNow'],
    mentions: [
      `at its next sync the controller deletes the running job backup-${unixMinutes(justAfterThePriorHour())}`,
    ],
  },
  ...(
    [
      [
        'quota exceeded',
        'Error creating job: jobs.batch "backup-24404280" is forbidden: exceeded quota: batch-quota, requested: count/jobs.batch=1, used: count/jobs.batch=10, limited: count/jobs.batch=10',
        'kubectl describe resourcequota -n prod',
      ],
      [
        'admission webhook denial',
        'Error creating job: admission webhook "validate.kyverno.svc" denied the request: image tag latest is not allowed',
        'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations',
      ],
      [
        'namespace terminating',
        'Error creating job: jobs.batch "backup-24404280" is forbidden: unable to create new content in namespace prod because it is being terminated',
        `kubectl get namespace prod -o jsonpath='{.status.conditions}'`,
      ],
    ] as const
  ).map(
    ([kind, message, fix]): Scenario => ({
      name: `job creation failed: ${kind}`,
      cj: hourly().build(),
      events: [ev('FailedCreate').warning().message(message).at(plusSeconds(topOfTheHour(), 1)).build()],
      now: plusMinutes(topOfTheHour(), 10),
      verdict: 'blocked',
      codes: ['FailedCreate'],
      absent: ['Overdue'],
      first: 'FailedCreate',
      mentions: [fix, message],
    }),
  ),
  {
    name: 'job creation failed earlier but succeeded since',
    cj: hourly().lastScheduleTime(topOfTheHour()).build(),
    events: [
      ev('FailedCreate')
        .warning()
        .message('Error creating job: exceeded quota')
        .at(plusSeconds(justAfterThePriorHour(), 1))
        .build(),
      ev('SuccessfulCreate').message('Created job backup-x').at(plusSeconds(topOfTheHour(), 1)).build(),
    ],
    now: plusMinutes(topOfTheHour(), 10),
    verdict: 'healthy',
    codes: ['FailedCreate'],
    mentions: ['may be resolved'],
  },
  {
    name: 'invalid schedule (February 31)',
    cj: hourly().schedule('0 0 31 2 *').build(),
    now: justAfterTheHour(),
    verdict: 'blocked',
    codes: ['InvalidSchedule'],
    absent: ['NotDueYet'],
    mentions: ['impossible date', '"schedule":"<minute> <hour> <day-of-month> <month> <day-of-week>"'],
  },
  {
    name: 'unparseable schedule',
    cj: hourly().schedule('obvious error schedule').build(),
    now: justAfterTheHour(),
    verdict: 'blocked',
    codes: ['UnparseableSchedule'],
    mentions: ['unparseable schedule: "obvious error schedule" : '],
  },
  {
    name: 'unknown time zone',
    cj: hourly().timeZone('Europe/Berln').build(),
    now: justAfterTheHour(),
    verdict: 'blocked',
    codes: ['UnknownTimeZone'],
    absent: ['ControllerTimeZone'],
    mentions: ['invalid timeZone: "Europe/Berln": unknown time zone Europe/Berln', '"timeZone":"<Area/City>"'],
  },
  {
    name: 'TZ in the schedule: unsupported, fix moves it to .spec.timeZone',
    cj: hourly().schedule('CRON_TZ=Asia/Tokyo 0 9 * * *').lastScheduleTime(date('2016-05-19T00:00:00Z')).build(),
    now: justAfterTheHour(),
    verdict: 'healthy',
    codes: ['UnsupportedSchedule', 'NotDueYet'],
    absent: ['ControllerTimeZone'],
    mentions: [`'{"spec":{"schedule":"0 9 * * *","timeZone":"Asia/Tokyo"}}'`],
    check: (v) =>
      assert.deepEqual(
        [v.timeZone, v.zoneSource, v.nextScheduleTime],
        ['Asia/Tokyo', 'schedule', '2016-05-20T00:00:00Z'],
      ),
  },
  {
    name: 'manual Job: ignored by Forbid, UnexpectedJob',
    cj: hourly().lastScheduleTime(topOfTheHour()).forbid().build(),
    jobs: [
      job('backup-manual-4xk2p').ownedBy(cjOf).manual().startedAt(plusMinutes(topOfTheHour(), 3)).running().build(),
    ],
    events: [
      ev('UnexpectedJob')
        .warning()
        .message('Saw a job that the controller did not create or forgot: backup-manual-4xk2p')
        .build(),
    ],
    now: plusMinutes(topOfTheHour(), 10),
    verdict: 'healthy',
    codes: ['UnexpectedJob'],
    absent: ['JobAlreadyActive'],
    mentions: [
      'created by hand',
      'concurrencyPolicy Forbid ignores it',
      'kubectl job why job/backup-manual-4xk2p -n prod',
    ],
  },
  {
    name: 'a Job the controller forgot: UnexpectedJob, not counted for Forbid',
    cj: hourly().lastScheduleTime(topOfTheHour()).forbid().build(),
    jobs: [runAt(topOfTheHour()).running().build()],
    now: plusMinutes(topOfTheHour(), 10),
    verdict: 'healthy',
    codes: ['UnexpectedJob'],
    absent: ['JobAlreadyActive'],
    mentions: ['did not create it or lost track of it'],
    check: (v) => assert.equal(v.causes.find((c) => c.code === 'UnexpectedJob')?.severity, 'warning'),
  },
  {
    name: 'last runs failed: names them, their reason, and the next step',
    cj: hourly()
      .lastScheduleTime(topOfTheHour())
      .lastSuccessfulTime(plusMinutes(justBeforeThePriorHour(), -58))
      .build(),
    jobs: [
      runAt(topOfTheHour())
        .failed(plusMinutes(topOfTheHour(), 5), 'DeadlineExceeded', 'Job was active longer than specified deadline')
        .build(),
      runAt(justAfterThePriorHour()).failed(plusMinutes(justAfterThePriorHour(), 6)).build(),
      runAt(plusHours(justAfterThePriorHour(), -1)).succeeded(plusMinutes(justBeforeThePriorHour(), -58)).build(),
    ],
    now: plusMinutes(topOfTheHour(), 20),
    verdict: 'failing',
    codes: ['LastRunsFailed', 'NotDueYet'],
    first: 'LastRunsFailed',
    mentions: [
      'The last 2 runs failed (latest: DeadlineExceeded)',
      'DeadlineExceeded: Job was active longer than specified deadline',
      'BackoffLimitExceeded',
      `kubectl job why job/backup-${unixMinutes(topOfTheHour())} -n prod`,
      'last success 2016-05-19T08:01:00Z',
    ],
  },
  {
    name: 'held by a queue (Kueue): suspended with queue-name, blocks Forbid',
    cj: hourly()
      .lastScheduleTime(topOfTheHour())
      .forbid()
      .active(`backup-${unixMinutes(topOfTheHour())}`)
      .build(),
    jobs: [runAt(topOfTheHour()).queued('team-a').startedAt(undefined).build()],
    events: [
      event('Pending')
        .on('Job', `backup-${unixMinutes(topOfTheHour())}`)
        .message("couldn't assign flavors to pod set main: insufficient quota")
        .from('kueue-admission')
        .build(),
    ],
    now: plusHours(topOfTheHour(), 2),
    verdict: 'blocked',
    codes: ['HeldByQueue', 'JobAlreadyActive'],
    first: 'HeldByQueue',
    mentions: [
      'queue "team-a"',
      'kubectl describe localqueue team-a -n prod',
      'insufficient quota',
      'later runs are skipped',
    ],
  },
  {
    name: 'active Job went missing',
    cj: hourly().lastScheduleTime(topOfTheHour()).active('backup-gone').build(),
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'healthy',
    codes: ['MissingJob'],
    mentions: ['.status.active lists backup-gone'],
  },
  {
    name: 'being deleted',
    cj: hourly().deleting(plusMinutes(topOfTheHour(), 1)).build(),
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'not-firing',
    codes: ['Deleting'],
  },
  {
    name: 'clock skew: lastScheduleTime in the future',
    cj: hourly().lastScheduleTime(plusHours(topOfTheHour(), 2)).build(),
    now: plusMinutes(topOfTheHour(), 5),
    verdict: 'healthy',
    codes: ['ClockSkew'],
    mentions: ['1h55m in the future'],
  },
  {
    name: 'timeZone set: no ControllerTimeZone, next run in that zone',
    cj: hourly()
      .schedule('0 12 * * *')
      .timeZone('Europe/Berlin')
      .lastScheduleTime(date('2016-05-18T10:00:00Z'))
      .build(),
    now: plusMinutes(topOfTheHour(), -30),
    verdict: 'healthy',
    codes: ['NotDueYet'],
    absent: ['ControllerTimeZone'],
    check: (v) =>
      assert.deepEqual(
        [v.nextScheduleTime, v.timeZone, v.zoneSource],
        ['2016-05-19T10:00:00Z', 'Europe/Berlin', 'timeZone'],
      ),
  },
  {
    name: 'unset timeZone read in the controller zone passed in',
    cj: hourly().schedule('0 12 * * *').lastScheduleTime(date('2016-05-18T16:00:00Z')).build(),
    now: plusMinutes(topOfTheHour(), -30),
    verdict: 'healthy',
    codes: ['ControllerTimeZone'],
    mentions: ['times here assume America/New_York'],
    check: (v) => assert.equal(v.nextScheduleTime, '2016-05-19T16:00:00Z'),
  },
];

describe('decideCronJob: one scenario per cause', () => {
  for (const s of scenarios) {
    it(s.name, () => {
      const zone = s.mentions?.some((m) => m.includes('America/New_York')) ? 'America/New_York' : undefined;
      const v = decideCronJob({
        cronJob: s.cj,
        jobs: s.jobs ?? [],
        events: s.events ?? [],
        now: s.now,
        serverVersion: s.v,
        controllerZone: zone,
      });
      const codes = v.causes.map((c) => c.code);
      assert.equal(v.verdict, s.verdict, `verdict (causes: ${codes.join(', ')})`);
      for (const c of s.codes) assert.ok(codes.includes(c), `missing ${c} in [${codes.join(', ')}]`);
      for (const c of s.absent ?? []) assert.ok(!codes.includes(c), `unexpected ${c} in [${codes.join(', ')}]`);
      if (s.first) assert.equal(codes[0], s.first, 'first cause');
      const text = v.causes.flatMap((c) => [c.message, ...c.evidence.map((e) => e.text), ...(c.fix ?? [])]).join('\n');
      for (const m of s.mentions ?? []) assert.ok(text.includes(m), `expected "${m}" in:\n${text}`);
      s.check?.(v);
    });
  }
});

describe('decideCronJob: verdict fields', () => {
  it('is JSON-serialisable and states how the schedule was read', () => {
    const v = decideCronJob({ cronJob: hourly().build(), jobs: [], events: [], now: plusDays(topOfTheHour(), 0) });
    const round = JSON.parse(JSON.stringify(v)) as CronJobVerdictDetail;
    assert.deepEqual(
      [
        round.kind,
        round.namespace,
        round.name,
        round.schedule,
        round.controller,
        round.lastScheduleTime,
        round.mostRecentUnmetTime,
        round.action,
      ],
      ['CronJob', 'prod', 'backup', '0 * * * *', 'v2', '2016-05-19T09:01:00Z', '2016-05-19T10:00:00Z', 'create'],
    );
  });
});
