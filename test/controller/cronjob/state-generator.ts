// Seeded, reproducible CronJob states for the controller differential (controller-differential.test.ts):
// a CronJob, the Jobs of its namespace and an instant, spread so that every branch of one sync
// is reached: schedules (5 fields, descriptors, @every, TZ=/CRON_TZ= prefixes, invalid ones),
// .spec.timeZone (valid, invalid), suspend, startingDeadlineSeconds, creation / lastScheduleTime /
// now far enough apart that 0, a few and more than 100 times are missed, active lists with stale,
// missing and foreign entries, Jobs with the due name owned and not owned, history limits, every
// concurrency policy, deletion in progress.
//
// Same seed, same states: generateStates(seed, n) is a pure function of its arguments.
import { parseStandard, type CronSchedule } from '../../../src/controller/cron/index.js';
import type { CronJob, Job, ObjectReference } from '../../../src/api/types.js';

/** One state the oracle and the model both sync. */
export interface GeneratedState {
  id: string;
  cronJob: CronJob;
  jobs: Job[];
  now: Date;
}

import { rng } from '../../support/rng.js';
export { rng };

const SCHEDULES = [
  '*/5 * * * *',
  '0 * * * *',
  '0 2 * * *',
  '30 6-16/4 * * 1-5',
  '* * * * *',
  '15,45 * * * *',
  '0 0 1 * *',
  '0 9 * * 1',
  '0 0 29 2 *',
  '0 0 31 2 *',
  '59 23 31 12 *',
  '@hourly',
  '@daily',
  '@midnight',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
  '@every 1h',
  '@every 90m',
  '@every 45s',
  '@every 10m',
  '@every 25h',
  '@every 1h30m10s',
  '@every 1.5s',
  '@every 300ms',
  'TZ=Europe/Berlin 0 3 * * *',
  'CRON_TZ=America/New_York 15 * * * *',
  'TZ=Asia/Kolkata @daily',
  'TZ=UTC @every 2h',
  'TZ=Australia/Lord_Howe 30 1 * * *',
  'TZ=Mars/Olympus 0 * * * *',
  'TZ=UTC',
  'CRON_TZ=Europe/London 0 1 * * 0',
  'obvious error schedule',
  '',
  '61 * * * *',
  '@every',
  '@every -1h',
  '@every 1x',
  '* * * *',
  '0 0 * * * *',
  '@reboot',
  ' 0 * * * *',
  '0 * * * * ',
  'tz=UTC 0 * * * *',
] as const;

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'UTC',
  'Etc/GMT+5',
  'Local',
  'Mars/Olympus',
  '',
] as const;

const DEADLINES = [0, 1, 10, 59, 60, 200, 3599, 3600, 7200, 86400, 1_000_000] as const;

/** Offsets from now back to the creation time, in seconds (scaled by 0.5..1.5). */
const AGES = [20, 150, 3540, 7200, 86400, 3 * 86400, 30 * 86400, 400 * 86400, 3 * 365 * 86400] as const;

const FROM = Date.UTC(2025, 5, 1);
const SPAN = Date.UTC(2027, 5, 1) - FROM;

/** Generates `n` states from `seed`. */
export function generateStates(seed: number, n: number, idPrefix = `s${seed}`): GeneratedState[] {
  const out: GeneratedState[] = [];
  for (let i = 0; i < n; i++) out.push(generateState(seed * 1_000_003 + i, `${idPrefix}-${i}`));
  return out;
}

function parseOrNull(spec: string, zone?: string): CronSchedule | null {
  try {
    return parseStandard(zone && !spec.includes('TZ') ? `TZ=${zone} ${spec}` : spec, 'UTC');
  } catch {
    return null;
  }
}

/** Schedule times in (after, until], at most `cap`, newest last. */
function ticks(s: CronSchedule, after: number, until: number, cap: number): number[] {
  const out: number[] = [];
  for (let t = s.nextMillis(after); Number.isFinite(t) && t <= until && out.length < cap; t = s.nextMillis(t))
    out.push(t);
  return out;
}

/** One state from one seed. */
export function generateState(seed: number, id: string): GeneratedState {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

  const name = pick(['cj', 'backup', 'report-nightly', 'a']);
  const ns = 'ns';
  const uid = `uid-${name}-${seed >>> 0}`;
  let now = FROM + Math.floor(r() * SPAN);
  if (chance(0.5)) now = Math.floor(now / 1000) * 1000;
  if (chance(0.1)) now = Math.floor(now / 60_000) * 60_000; // exactly on a minute
  const created = now - Math.floor(pick(AGES) * (0.5 + r()) * 1000);

  const schedule = pick(SCHEDULES);
  const timeZone = chance(0.35) ? pick(ZONES) : undefined;
  const usable =
    timeZone === undefined || timeZone === 'Mars/Olympus' || timeZone === '' || timeZone === 'Local'
      ? undefined
      : timeZone;
  const sched = parseOrNull(schedule, usable);

  // The schedule times before now, to place lastScheduleTime and Job names on real ticks.
  const window = Math.max(created, now - 40 * 86400_000);
  const recent = sched ? ticks(sched, window - 1, now, 5000) : [];
  const due = recent.length ? recent[recent.length - 1]! : null;

  const cronJob: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns, uid, resourceVersion: '1', creationTimestamp: iso(created) },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } } },
      },
    },
    status: {},
  };
  if (timeZone !== undefined) cronJob.spec.timeZone = timeZone;
  if (chance(0.15))
    cronJob.spec.jobTemplate!.metadata!.annotations = {
      team: 'data',
      'batch.kubernetes.io/cronjob-scheduled-timestamp': 'template',
    };
  if (chance(0.1)) cronJob.spec.suspend = chance(0.8);
  const policy = pick(['Allow', 'Forbid', 'Replace', undefined] as const);
  if (policy) cronJob.spec.concurrencyPolicy = policy;
  if (chance(0.45)) cronJob.spec.startingDeadlineSeconds = pick(DEADLINES);
  else if (schedule.startsWith('@every') && chance(0.5)) cronJob.spec.startingDeadlineSeconds = pick([10, 60, 300]);
  if (chance(0.6)) cronJob.spec.successfulJobsHistoryLimit = pick([0, 1, 3]);
  if (chance(0.6)) cronJob.spec.failedJobsHistoryLimit = pick([0, 1, 3]);
  if (chance(0.03)) cronJob.metadata.deletionTimestamp = iso(now - 1000);

  // lastScheduleTime: none, the due tick, an older tick, a random minute, or in the future (clock skew).
  const lastChoice = r();
  if (lastChoice < 0.3) {
    // never scheduled
  } else if (lastChoice < 0.5 && due !== null) {
    cronJob.status!.lastScheduleTime = iso(due);
  } else if (lastChoice < 0.8 && recent.length > 1) {
    cronJob.status!.lastScheduleTime = iso(recent[Math.floor(r() * (recent.length - 1))]!);
  } else if (lastChoice < 0.96) {
    cronJob.status!.lastScheduleTime = iso(Math.floor((created + r() * (now - created)) / 60_000) * 60_000);
  } else {
    cronJob.status!.lastScheduleTime = iso(now + Math.floor(r() * 7200_000));
  }
  if (chance(0.2)) cronJob.status!.lastSuccessfulTime = iso(created + r() * (now - created));

  const jobs: Job[] = [];
  const names = new Set<string>();
  const active: ObjectReference[] = [];
  const ours = { apiVersion: 'batch/v1', kind: 'CronJob', name, uid, controller: true, blockOwnerDeletion: true };
  const jobName = (ms: number): string => `${name}-${Math.floor(ms / 60_000)}`;
  const addJob = (
    jobNameText: string,
    owner: 'ours' | 'none' | 'other' | 'sameNameOtherUid' | 'notController',
    state: 'running' | 'Complete' | 'Failed',
    listed: boolean,
  ): void => {
    if (names.has(jobNameText)) return;
    names.add(jobNameText);
    const start = created + r() * (now - created);
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobNameText,
        namespace: ns,
        uid: `uid-${jobNameText}-${jobs.length}`,
        creationTimestamp: iso(start),
      },
      spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } } },
      status: {},
    };
    if (owner === 'ours') job.metadata.ownerReferences = [ours];
    else if (owner === 'other') job.metadata.ownerReferences = [{ ...ours, name: 'other', uid: 'uid-other' }];
    else if (owner === 'sameNameOtherUid')
      job.metadata.ownerReferences = [{ ...ours, uid: 'uid-previous-incarnation' }];
    else if (owner === 'notController') job.metadata.ownerReferences = [{ ...ours, controller: false }];
    if (chance(0.85)) job.status!.startTime = iso(chance(0.1) ? Math.floor(start / 60_000) * 60_000 : start);
    if (state !== 'running') {
      const end = Math.min(now, start + r() * 3600_000);
      job.status!.conditions = [{ type: state, status: 'True', lastTransitionTime: iso(end) }];
      if (state === 'Complete' && chance(0.9)) job.status!.completionTime = iso(end);
      if (state === 'Failed' && chance(0.1)) job.status!.conditions.unshift({ type: 'Complete', status: 'False' });
    } else if (chance(0.1)) {
      job.status!.conditions = [{ type: 'Failed', status: 'False' }];
    }
    jobs.push(job);
    if (listed)
      active.push({ apiVersion: 'batch/v1', kind: 'Job', name: jobNameText, namespace: ns, uid: job.metadata.uid });
  };

  const state = (): 'running' | 'Complete' | 'Failed' => pick(['running', 'Complete', 'Complete', 'Failed'] as const);
  // History: Jobs for earlier ticks (or random minutes), mostly ours.
  const nHistory = Math.floor(r() * r() * 8);
  for (let k = 0; k < nHistory; k++) {
    const t =
      recent.length > 1 && chance(0.8)
        ? recent[Math.floor(r() * (recent.length - 1))]!
        : created + r() * (now - created);
    const owner = chance(0.85) ? 'ours' : pick(['none', 'other', 'sameNameOtherUid', 'notController'] as const);
    addJob(jobName(t), owner, state(), chance(0.5));
  }
  // A Job with the due name: ours (lost status update), someone else's, listed or not.
  if (due !== null && chance(0.25)) {
    addJob(jobName(due), pick(['ours', 'ours', 'none', 'other', 'sameNameOtherUid'] as const), state(), chance(0.4));
  }
  // Unrelated Jobs of the namespace, sometimes wrongly listed in .status.active.
  if (chance(0.25))
    addJob(`unrelated-${Math.floor(r() * 1000)}`, pick(['none', 'other'] as const), state(), chance(0.2));
  // Stale active entries: the Job is gone, or its name now belongs to another object.
  if (chance(0.15))
    active.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: `${name}-${Math.floor(r() * 3e7)}`,
      namespace: ns,
      uid: 'uid-gone',
    });
  if (chance(0.08) && jobs.length) {
    const j = pick(jobs);
    active.push({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: ns, uid: 'uid-stale-ref' });
  }
  // A reference to a listed Job under another namespace (or none): the cache has the UID, a GET by name does not.
  if (chance(0.04) && active.length) {
    const k = Math.floor(r() * active.length);
    active[k] = { ...active[k]!, namespace: chance(0.5) ? 'elsewhere' : undefined };
  }
  if (active.length) cronJob.status!.active = chance(0.9) ? active : [...active].reverse();
  // Lister order is by key (namespace/name) in the controller's cache; keep input order random.
  if (chance(0.5)) jobs.reverse();
  return { id, cronJob, jobs, now: new Date(now) };
}
