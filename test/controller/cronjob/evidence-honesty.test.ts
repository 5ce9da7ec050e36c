// Property test (issue 13): over generated snapshots, every evidence line of `why` cites something
// present in the input (observed fields hold the quoted value, objects and events exist), and every
// `misses` fate that claims a Job, an event or a field has it. Seeded and reproducible.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStandard } from '../../../src/controller/cron/index.js';
import { decideCronJob, listMisses } from '../../../src/controller/cronjob/index.js';
import { explainGoneJob, forbidBlockerCause } from '../../../src/controller/cronjob/job-view.js';
import type { CronJob, Job, KubeEvent } from '../../../src/api/types.js';
import { cronJob, event, job, scheduledJob } from '../../support/builders.js';
import { causeProblems } from '../../support/evidence-honesty.js';
import { rng } from '../../support/rng.js';

const CASES = Number(process.env.EVIDENCE_CASES ?? 500);

const SCHEDULES = [
  '* * * * *',
  '*/5 * * * *',
  '0 * * * *',
  '30 2 * * *',
  '@every 90s',
  '*/2 * * * *',
  '15,45 * * * *',
  '@every 20s',
];
const MIN = 60_000;
const rfc1123 = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

interface Generated {
  cj: CronJob;
  jobs: Job[];
  events: KubeEvent[];
  now: Date;
  /** Names of Jobs that were created and are gone. */
  gone: string[];
}

function generate(seed: number): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const now = new Date(Date.parse('2026-11-23T08:00:00Z') + Math.floor(r() * 1440) * MIN);
  const created = new Date(now.getTime() - Math.floor(1 + r() * 2 * 1440) * MIN);
  const schedule = pick(SCHEDULES);
  const b = cronJob('cj')
    .namespace('ns')
    .schedule(schedule)
    .createdAt(created)
    .concurrencyPolicy(pick(['Allow', 'Forbid', 'Replace'] as const));
  if (r() < 0.8) b.historyLimits(Math.floor(r() * 5), Math.floor(r() * 3));
  if (r() < 0.2) b.startingDeadlineSeconds(pick([10, 60, 300, 3600]));
  if (r() < 0.15) b.jobTemplateSpec({ ttlSecondsAfterFinished: pick([0, 60, 3600]) });
  const sched = parseStandard(schedule, 'UTC');
  const slots: number[] = [];
  for (let t = sched.nextMillis(created.getTime()); t <= now.getTime() && slots.length < 3000; t = sched.nextMillis(t))
    slots.push(t);
  const base = b.build();
  const all: Job[] = [];
  const down = r() < 0.5 ? [Math.floor(r() * slots.length), Math.floor(r() * 40)] : [-1, 0];
  let last: number | undefined;
  for (let i = 0; i < slots.length; i++) {
    const t = slots[i]!;
    if (i >= down[0]! && i < down[0]! + down[1]! && i !== down[0]! + down[1]! - 1) continue; // an outage
    if (r() < 0.1) continue;
    const late = i === down[0]! + down[1]! - 1 ? Math.floor(r() * 50) * 1000 + 20_000 : Math.floor(r() * 3) * 1000;
    const j = scheduledJob(base, new Date(t))
      .namespace('ns')
      .createdAt(new Date(t + late))
      .startedAt(new Date(t + late + 1000));
    // Job names are per minute: a second time in the same minute gets no Job (AlreadyExists).
    if (all.some((x) => x.metadata.name === `cj-${Math.floor(t / MIN)}`)) continue;
    const end = t + late + Math.floor(1 + r() * 4) * MIN;
    if (end < now.getTime() && r() < 0.9) r() < 0.75 ? j.succeeded(new Date(end)) : j.failed(new Date(end));
    else j.running();
    all.push(j.build());
    last = t;
  }
  // Jobs removed since: oldest finished first mostly, and some at random.
  const keep = Math.floor(r() * 8);
  const kept: Job[] = [];
  const gone: string[] = [];
  all.forEach((j, i) => {
    const finished = j.status?.conditions?.some(
      (c) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'),
    );
    if ((finished && i < all.length - keep) || r() < 0.05) gone.push(j.metadata.name!);
    else kept.push(j);
  });
  if (r() < 0.1)
    kept.push(
      job('cj-manual-abc')
        .namespace('ns')
        .ownedBy(base)
        .manual()
        .createdAt(new Date(now.getTime() - 30 * MIN))
        .startedAt(new Date(now.getTime() - 30 * MIN))
        .running()
        .build(),
    );
  if (r() < 0.1) kept.push(job('other-1').namespace('ns').createdAt(now).build());
  const status: CronJob['status'] = {};
  if (last !== undefined && r() < 0.9)
    status.lastScheduleTime = new Date(r() < 0.9 ? last : last - 7 * MIN).toISOString().replace('.000Z', 'Z');
  const running = kept.filter(
    (j) => !j.status?.conditions?.length && j.metadata.annotations?.['cronjob.kubernetes.io/instantiate'] !== 'manual',
  );
  status.active = [...running.filter(() => r() < 0.8), ...(r() < 0.1 ? [job('cj-1').build()] : [])].map((j) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: j.metadata.name,
    namespace: 'ns',
    uid: j.metadata.uid,
  }));
  if (r() < 0.5)
    status.lastSuccessfulTime = new Date(now.getTime() - Math.floor(r() * 600) * MIN)
      .toISOString()
      .replace('.000Z', 'Z');
  const cj: CronJob = { ...base, status };
  if (r() < 0.25) {
    cj.spec.suspend = r() < 0.6;
    cj.metadata.managedFields = [
      {
        manager: pick(['kubectl-patch', 'kubectl-job', 'argocd']),
        operation: 'Update',
        time: new Date(now.getTime() - Math.floor(r() * 300) * MIN).toISOString().replace('.000Z', 'Z'),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:suspend': {} } },
      },
    ];
  }
  const events: KubeEvent[] = [];
  const names = [...all.map((j) => j.metadata.name!), 'cj-12345'];
  const nEvents = Math.floor(r() * 12);
  for (let k = 0; k < nEvents; k++) {
    const name = pick(names);
    const at = new Date(now.getTime() - Math.floor(r() * 90) * MIN);
    const kind = pick([
      'SuccessfulCreate',
      'SuccessfulDelete',
      'SawCompletedJob',
      'MissingJob',
      'JobAlreadyActive',
      'TooManyMissedTimes',
      'FailedCreate',
      'UnexpectedJob',
      'MissSchedule',
    ]);
    const message = {
      SuccessfulCreate: `${r() < 0.2 ? '(combined from similar events): ' : ''}Created job ${name}`,
      SuccessfulDelete: `Deleted job ${name}`,
      SawCompletedJob: `Saw completed job: ${name}, condition: ${pick(['Complete', 'Failed'])}`,
      MissingJob: `Active job went missing: ${name}`,
      JobAlreadyActive: 'Not starting job because prior execution is running and concurrency policy is Forbid',
      TooManyMissedTimes:
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      FailedCreate: 'Error creating job: exceeded quota: q',
      UnexpectedJob: `Saw a job that the controller did not create or forgot: ${name}`,
      MissSchedule: `Missed scheduled time to start a job: ${rfc1123(slots.length ? pick(slots) : now.getTime())}`,
    }[kind]!;
    const e = event(kind).about(cj).message(message).at(at).build();
    e.metadata.name = `cj.${seed}.${k}`;
    events.push(e);
  }
  return { cj, jobs: kept, events, now, gone };
}

describe('evidence honesty over generated snapshots', () => {
  it(`every evidence item of ${CASES} verdicts cites what is in the input`, () => {
    let evidenceItems = 0;
    let goneExplained = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const g = generate(seed);
      const input = { cronJob: g.cj, jobs: g.jobs, events: g.events, now: g.now };
      const v = decideCronJob(input);
      const problems = causeProblems(v.causes, { cronJob: g.cj, jobs: g.jobs, events: g.events });
      evidenceItems += v.causes.reduce((n, c) => n + c.evidence.length, 0);
      for (const name of g.gone.slice(0, 2)) {
        const gv = explainGoneJob(input, name);
        if (!gv) continue;
        goneExplained++;
        problems.push(
          ...causeProblems(gv.causes, { cronJob: g.cj, jobs: g.jobs, events: g.events }).map(
            (p) => `gone ${name}: ${p}`,
          ),
        );
      }
      for (const j of g.jobs) {
        const c = forbidBlockerCause(input, j);
        if (c) problems.push(...causeProblems([c], { cronJob: g.cj, subject: j, jobs: g.jobs, events: g.events }));
      }
      assert.deepEqual(problems, [], `seed ${seed} (EVIDENCE_CASES): ${problems.join('\n')}`);
    }
    assert.ok(evidenceItems > CASES, `only ${evidenceItems} evidence items checked`);
    console.log(
      `# evidence honesty: ${CASES} snapshots, ${evidenceItems} evidence items, ${goneExplained} deleted Jobs explained, 0 problems`,
    );
  });

  it('every misses fate that claims a Job, an event or a field has it in the input', () => {
    for (let seed = 1; seed <= Math.min(CASES, 300); seed++) {
      const g = generate(seed);
      const r = listMisses({
        cronJob: g.cj,
        jobs: g.jobs,
        events: g.events,
        now: g.now,
        since: new Date(g.now.getTime() - 1440 * MIN),
        until: g.now,
      });
      const jobAt = new Map(
        g.jobs.map((j) => [
          Date.parse(j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? ''),
          j.metadata.name,
        ]),
      );
      const named = (reason: string, name: string | undefined) =>
        g.events.some((e) => e.reason === reason && (e.message ?? '').includes(` ${name}`));
      for (const s of r.slots) {
        const t = Date.parse(s.time);
        const at = `seed ${seed} ${s.time} ${s.fate}/${s.reason ?? ''}`;
        if (s.fate === 'ran' && s.reason !== 'deleted-while-active') assert.equal(jobAt.get(t), s.job, at);
        if (s.reason === 'deleted-while-active') assert.ok(named('MissingJob', s.job), at);
        if (s.fate === 'pruned' || s.fate === 'replaced') assert.ok(named('SuccessfulDelete', s.job), at);
        if (s.fate === 'missed' || s.fate === 'forbid' || s.fate === 'suspended' || s.fate === 'missed-deadline')
          assert.ok(!jobAt.has(t), at);
        if (s.reason === 'suspended-since') assert.equal(g.cj.spec.suspend, true, at);
        if (s.reason === 'after-last-schedule')
          assert.ok(t > Date.parse(g.cj.status?.lastScheduleTime ?? '1970-01-01T00:00:00Z'), at);
      }
    }
  });
});
