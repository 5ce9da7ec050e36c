// explainCronJob: verdicts become plain sentences with a tone; no colour codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideCronJob } from '../../src/controller/cronjob/index.js';
import type { CronJobVerdict } from '../../src/controller/verdict.js';
import { explainCronJob } from '../../src/explain/cronjob.js';
import { cronJob, event, scheduledJob } from '../support/builders.js';
import { justAfterThePriorHour, plusMinutes, topOfTheHour } from '../support/time.js';

const now = plusMinutes(topOfTheHour(), 20);
const base = () => cronJob('backup').namespace('prod').lastScheduleTime(justAfterThePriorHour());

const cases: Array<{
  name: string;
  verdict: () => CronJobVerdict;
  tone: string;
  state: string;
  text: RegExp;
  facts?: Array<[string, RegExp]>;
  codes?: string[];
}> = [
  {
    name: 'healthy: next run in the headline, in the schedule zone',
    verdict: () =>
      decideCronJob({
        cronJob: base().schedule('0 12 * * *').timeZone('Europe/Berlin').lastScheduleTime(topOfTheHour()).build(),
        jobs: [],
        events: [],
        now,
      }),
    tone: 'ok',
    state: 'healthy',
    text: /^Runs on schedule; next run 2016-05-20T12:00:00\+02:00 \(in 23h40m\)\. 1 earlier time\(s\) in the window cannot be checked: their Jobs and events are gone\.$/,
    facts: [
      ['Schedule', /^0 12 \* \* \* {2}\(Europe\/Berlin, \.spec\.timeZone\)$/],
      ['Last scheduled', /^2016-05-19T12:00:00\+02:00 \(20m ago\)$/],
      ['Controller', /^v2$/],
    ],
  },
  {
    name: 'suspended: warn, first sentence of the cause',
    verdict: () =>
      decideCronJob({
        cronJob: base().suspendedBy('kubectl-patch', plusMinutes(topOfTheHour(), -50)).build(),
        jobs: [],
        events: [],
        now,
      }),
    tone: 'warn',
    state: 'not firing',
    text: /^The CronJob is suspended \(by "kubectl-patch"\): .*skips\.$/,
    facts: [
      ['Next run', /^- \(suspended\)$/],
      ['Suspended', /^yes$/],
    ],
    codes: ['Suspended', 'ControllerTimeZone'],
  },
  {
    name: 'failing: last runs failed',
    verdict: () => {
      const cj = base().lastScheduleTime(topOfTheHour()).timeZone('Etc/UTC').build();
      return decideCronJob({
        cronJob: cj,
        jobs: [scheduledJob(cj, topOfTheHour()).failed(plusMinutes(topOfTheHour(), 3)).build()],
        events: [],
        now,
      });
    },
    tone: 'bad',
    state: 'failing',
    text: /^The last run failed \(latest: BackoffLimitExceeded\)/,
    codes: ['LastRunsFailed', 'NotDueYet'],
  },
  {
    name: 'blocked: FailedCreate, with its event as evidence',
    verdict: () =>
      decideCronJob({
        cronJob: base().build(),
        jobs: [],
        events: [
          event('FailedCreate')
            .about(base().build())
            .warning()
            .message('Error creating job: exceeded quota: q')
            .at(plusMinutes(topOfTheHour(), 1))
            .build(),
        ],
        now,
      }),
    tone: 'bad',
    state: 'blocked',
    text: /^Creating the Job fails: a ResourceQuota/,
    codes: ['FailedCreate', 'ControllerTimeZone'],
  },
];

describe('explainCronJob', () => {
  for (const c of cases) {
    it(c.name, () => {
      const x = explainCronJob(c.verdict());
      assert.equal(x.subject, 'cronjob/backup in namespace prod');
      assert.equal(x.headline.tone, c.tone);
      assert.equal(x.headline.state, c.state);
      assert.match(x.headline.text, c.text);
      for (const [label, value] of c.facts ?? [])
        assert.match(x.facts.find(([k]) => k === label)?.[1] ?? `(no ${label})`, value);
      if (c.codes)
        assert.deepEqual(
          x.causes.map((k) => k.code),
          c.codes,
        );
      assert.ok(!JSON.stringify(x).includes('\u001b['), 'no ANSI escapes');
    });
  }
  it('renders causes with tones, evidence lines (prefixed by object) and fixes', () => {
    const cj = base().lastScheduleTime(topOfTheHour()).build();
    const v = decideCronJob({
      cronJob: cj,
      jobs: [scheduledJob(cj, topOfTheHour()).failed(plusMinutes(topOfTheHour(), 3)).build()],
      events: [],
      now,
    });
    const failed = explainCronJob(v).causes.find((k) => k.code === 'LastRunsFailed');
    assert.equal(failed?.tone, 'bad');
    assert.match(
      failed?.evidence[0] ?? '',
      /^job\/backup-24394200: failed at 2016-05-19T10:03:00Z: BackoffLimitExceeded: Job has reached the specified backoff limit$/,
    );
    assert.deepEqual(failed?.fix, ['kubectl job why job/backup-24394200 -n prod']);
  });
  it('works on a bare contract verdict (no extra fields)', () => {
    const bare: CronJobVerdict = {
      kind: 'CronJob',
      namespace: 'ns',
      name: 'x',
      verdict: 'healthy',
      causes: [],
      lastScheduleTime: null,
      nextScheduleTime: '2016-05-19T11:00:00Z',
      mostRecentUnmetTime: null,
      missed: 0,
      now: '2016-05-19T10:00:00Z',
    };
    const x = explainCronJob(bare);
    assert.equal(x.headline.text, 'Runs on schedule; next run 2016-05-19T11:00:00Z (in 1h).');
    assert.deepEqual(
      x.facts.map(([k]) => k),
      ['Last scheduled', 'Next run', 'Evaluated at'],
    );
  });
  it('notes that events expire when a problem has no event evidence', () => {
    const x = explainCronJob(
      decideCronJob({ cronJob: base().build(), jobs: [], events: [], now: plusMinutes(topOfTheHour(), 30) }),
    );
    assert.equal(x.headline.state, 'not firing');
    assert.equal(
      x.headline.text,
      'The run for 2016-05-19T10:00:00Z is 30m overdue: no job backup-24394200 exists and the controller recorded nothing.',
    );
    assert.ok(x.notes.some((n) => n.includes('--event-ttl')));
  });
});
