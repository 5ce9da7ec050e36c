// After the fact (issue 13): what `misses` and `why` say about a CronJob's PAST runs, checked against
// what the real controllers did. One control plane, `*/1` CronJobs in separate namespaces, one
// kube-controller-manager outage that covers them all, a short event TTL so that events expire
// during the file. A recorder (list+watch) notes every Job's creation, finish and delete, and the
// event that explains the delete: the ground truth. The tool is evaluated offline on snapshots
// taken at two moments (right after the catch-up, events present; later, events expired) with
// `--snapshot FILE --now T`, so its input is exactly known.
//
// Timeline (M0 = the first minute boundary after the CronJobs exist):
//   M0, M1   every CronJob runs; `suspend` is suspended at M1+5s
//   M1+20s   kube-controller-manager stopped; `late` created (must not run while stopped)
//   M4+20s   kube-controller-manager started: catch-up of the most recent missed slot
//   then     `toomany` created and its lastScheduleTime moved 3 h back (TooManyMissedTimes);
//            `suspend` resumed (its catch-up run starts); snapshot 1 once history cleanup pruned
//   then     snapshot 2 once every event of snapshot 1 expired (--event-ttl=90s)
//
// AFTER_THE_FACT_WRITE_FIXTURES=1 writes both snapshots and the ground truth of every scenario to
// test/fixtures/after-the-fact/ (the unit tests of the model read them).
// AFTER_THE_FACT_FROM_FIXTURES=1 runs no cluster: the same assertions on the committed fixtures
// (seconds instead of minutes; for checking a model change against the recorded real behaviour).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  e2eSkipReason,
  getSharedControlPlane,
  releaseSharedControlPlane,
  START_TIMEOUT_MS,
  waitFor,
  type ControlPlane,
} from '../harness/index.js';
import { checkEvidence, verdictEvidence } from '../../support/evidence-check.js';
import { cliCommand } from '../../support/cli-command.js';
import { jobForSlot, Recorder, type Truth } from './recorder.js';
import {
  CONTROLLER_ZONE,
  createCronJob,
  cronJobManifest,
  HOUR,
  iso,
  MINUTE,
  minuteStart,
  patchCronJob,
  patchStatus,
  sleep,
  waitForSecondWindow,
} from './support.js';

// The scenarios' pods run on the harness's node (a real kubelet by default): `hang` and `after`
// steps become busybox shell programs (test/e2e/harness/pod-behaviour.ts).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'after-the-fact');
const WRITE_FIXTURES = process.env.AFTER_THE_FACT_WRITE_FIXTURES === '1';
const FROM_FIXTURES = process.env.AFTER_THE_FACT_FROM_FIXTURES === '1';
const EVENT_TTL = '90s';

/** The fates of the misses contract (issue 13). */
const FATES = [
  'ran',
  'replaced',
  'forbid',
  'missed',
  'missed-deadline',
  'suspended',
  'pruned',
  'unknown',
  'due',
  'before-creation',
  'future',
];
const VERDICTS = ['healthy', 'not-firing', 'failing', 'blocked', 'missed-runs'];
/** Fates that claim the controller never created a Job for the slot. */
const NEVER_CREATED = ['missed', 'suspended', 'missed-deadline', 'forbid'];

type Key = 'outage' | 'replace' | 'toomany' | 'suspend' | 'forbid' | 'history' | 'late';
type Moment = 'early' | 'expired';
const KEYS: Key[] = ['outage', 'replace', 'toomany', 'suspend', 'forbid', 'history', 'late'];
const MOMENTS: Moment[] = ['early', 'expired'];

/** What `why cronjob/…` must say, per scenario and moment (the issue-13 contract). */
const WHY_EXPECTED: Partial<Record<Key, { moments: Moment[]; causes: string[] }>> = {
  outage: { moments: ['early'], causes: ['ControllerOutage'] },
  replace: { moments: ['early', 'expired'], causes: ['ReplaceChurn'] },
  toomany: { moments: ['early'], causes: ['TooManyMissedTimes'] },
  forbid: { moments: ['early', 'expired'], causes: ['JobAlreadyActive', 'ForbidBacklog'] },
};

interface Snap {
  file: string;
  now: string;
  objects: any[];
  truth: Truth;
}

interface Scenario {
  key: Key;
  ns: string;
  name: string;
  /** Absent when read from fixtures. */
  recorder?: Recorder;
  snaps: { early?: Snap; expired?: Snap };
  /** The recorder's truth at the end of the timeline (after both snapshots). */
  final?: Truth;
}

const quick = [{ after: '1s' }];
const hang = [{ hang: true }];
const longer = [{ after: '90s' }];

const SPECS: Record<Key, { spec: Record<string, unknown>; steps: object[] }> = {
  // A history limit above the file's run count: nothing is pruned, every outage slot lies between retained Jobs.
  outage: {
    spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 10 },
    steps: quick,
  },
  replace: { spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Replace' }, steps: hang },
  toomany: { spec: { schedule: '*/1 * * * *' }, steps: quick },
  suspend: { spec: { schedule: '*/1 * * * *' }, steps: quick },
  forbid: { spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Forbid' }, steps: longer },
  history: {
    spec: { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 },
    steps: quick,
  },
  late: { spec: { schedule: '*/1 * * * *' }, steps: quick },
};

const jobScheduled = (o: any): number =>
  Date.parse(o.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '');
const jobFinished = (o: any): 'Complete' | 'Failed' | null =>
  (o.status?.conditions ?? []).find((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
    ?.type ?? null;

/**
 * Every slot of `misses -o json` against the recorder (as of the snapshot):
 * ran => that Job is in the snapshot; replaced => the recorder saw Replace delete it; pruned => the
 * recorder saw history cleanup delete it; missed/suspended/missed-deadline/forbid => no Job was ever
 * created for it. Per scenario, what must not be `unknown`: a slot without a Job is provably never
 * run when fewer Jobs than the history limit that finished after it are retained (a Job for it would
 * still be there) and a later retained Job finished: then `missed` (`suspended` or `missed` while
 * the CronJob was suspended); slots in the suspension are never `pruned`/`ran`/`replaced` (and
 * `unknown` only once the retention order no longer proves them: the suspend time itself is gone
 * from managedFields after the resume).
 * Where the evidence is all there, the exact fate: a slot whose Job is in the snapshot is `ran`; a
 * slot whose Job was deleted and whose SuccessfulDelete event is in the snapshot is `replaced` or
 * `pruned`, as the recorder saw it.
 */
function slotProblems(
  s: Scenario,
  snap: Snap,
  slots: any[],
): { problems: string[]; unknown: number; fates: Record<string, number> } {
  const problems: string[] = [];
  const fates: Record<string, number> = {};
  const nowMs = Date.parse(snap.now);
  const cronJob = snap.objects.find((o) => o.kind === 'CronJob' && o.metadata.name === s.name);
  const jobs = snap.objects.filter(
    (o) =>
      o.kind === 'Job' &&
      o.metadata.ownerReferences?.some((r: any) => r.kind === 'CronJob' && r.name === s.name) &&
      !Number.isNaN(jobScheduled(o)),
  );
  const successLimit = cronJob?.spec?.successfulJobsHistoryLimit ?? 3;
  const failedLimit = cronJob?.spec?.failedJobsHistoryLimit ?? 1;
  const suspendedAt = markTime(s.final!, 'suspended');
  const resumedAt = markTime(s.final!, 'resumed') ?? Infinity;
  for (const slot of slots) {
    const t = Date.parse(slot.time);
    const at = `${slot.time} ${slot.fate}${slot.job ? ` (${slot.job})` : ''}`;
    fates[slot.fate] = (fates[slot.fate] ?? 0) + 1;
    if (!FATES.includes(slot.fate)) problems.push(`${at}: fate not in the contract`);
    if (t > nowMs) continue;
    // Never created = not by the end of the file (a blocked or missed slot may still run later);
    // replaced/pruned = deleted that way by the snapshot's time.
    const truth = jobForSlot(s.final!, s.name, t);
    const goneBy = truth?.deletedAt && Date.parse(truth.deletedAt) <= nowMs + 5_000 ? truth.deleteCause : null;
    const inSnap = jobs.find((o) => jobScheduled(o) === t);
    if (slot.fate === 'ran' && !inSnap) problems.push(`${at}: ran, but no Job for it is in the snapshot`);
    if (inSnap && slot.fate !== 'ran')
      problems.push(`${at}: its Job ${inSnap.metadata.name} is in the snapshot: must be ran`);
    if (slot.fate === 'ran' && slot.job && inSnap && slot.job !== inSnap.metadata.name)
      problems.push(`${at}: names ${slot.job}, the snapshot's Job is ${inSnap.metadata.name}`);
    if (slot.fate === 'replaced' && goneBy !== 'replace')
      problems.push(
        `${at}: replaced, but the recorder saw ${truth ? `its Job ${truth.name} ${truth.deletedAt ? `deleted (${truth.deleteCause})` : 'not deleted'}` : 'no Job for it'}`,
      );
    if (slot.fate === 'pruned' && goneBy !== 'history')
      problems.push(
        `${at}: pruned, but the recorder saw ${truth ? `its Job ${truth.name} ${truth.deletedAt ? `deleted (${truth.deleteCause})` : 'not deleted'}` : 'no Job for it'}`,
      );
    if (NEVER_CREATED.includes(slot.fate) && truth)
      problems.push(
        `${at}: says no Job was created, but the recorder saw ${truth.name} created at ${truth.creationTimestamp}${Date.parse(truth.creationTimestamp) > nowMs ? ' (after the snapshot: the slot was still pending)' : ''}`,
      );
    // A Job deleted before the snapshot whose SuccessfulDelete event is in it: the event and the
    // CronJob tell how (next run created at that instant under Replace, or history cleanup).
    const deleteEvent =
      goneBy &&
      snap.objects.some(
        (o) => o.kind === 'Event' && o.reason === 'SuccessfulDelete' && o.message === `Deleted job ${truth!.name}`,
      );
    if (deleteEvent && goneBy === 'replace' && slot.fate !== 'replaced')
      problems.push(
        `${at}: Replace deleted its Job ${truth!.name} and the SuccessfulDelete event is in the snapshot: must be replaced`,
      );
    if (deleteEvent && goneBy === 'history' && slot.fate !== 'pruned')
      problems.push(
        `${at}: history cleanup deleted its Job ${truth!.name} and the SuccessfulDelete event is in the snapshot: must be pruned`,
      );
    if (truth || t <= Date.parse(cronJob?.metadata?.creationTimestamp ?? '')) continue;
    // Provably never run (see above): what the fate must be.
    const later = jobs.filter((o) => jobScheduled(o) > t);
    // The tool also allows Jobs removed oldest-first by age (`kubectl job clean --older-than`, a TTL):
    // the count of later Jobs proves nothing unless a finished Job older than the slot is kept too.
    const olderKept = jobs.some((o) => jobScheduled(o) < t && jobFinished(o));
    const provable =
      olderKept &&
      later.some((o) => jobFinished(o)) &&
      later.filter((o) => jobFinished(o) === 'Complete').length < successLimit &&
      later.filter((o) => jobFinished(o) === 'Failed').length < failedLimit &&
      s.key !== 'replace' &&
      s.key !== 'forbid';
    const inSuspension = suspendedAt !== undefined && t > suspendedAt && t <= resumedAt;
    if (inSuspension && ['ran', 'pruned', 'replaced'].includes(slot.fate))
      problems.push(`${at}: scheduled while suspended and never run: never ${slot.fate}`);
    else if (inSuspension && provable && !['suspended', 'missed'].includes(slot.fate))
      problems.push(
        `${at}: scheduled while suspended and never run, and a Job for it would still be retained: must be suspended or missed`,
      );
    else if (provable && !inSuspension && slot.fate !== 'missed')
      problems.push(
        `${at}: never run, and a Job for it would still be retained (later finished Jobs: ${later.filter((o) => jobFinished(o)).length}): must be missed`,
      );
  }
  return { problems, unknown: fates.unknown ?? 0, fates };
}

let running = 0;
const queue: Array<() => void> = [];
/** At most 3 tool processes at once (2 cores, shared with the control plane). */
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 3) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** The first mark named `what`, in ms. */
function markTime(truth: Truth, what: string): number | undefined {
  const m = truth.marks.find((x) => x.what === what);
  return m ? Date.parse(m.at) : undefined;
}

/** Scenarios as the committed fixtures recorded them (AFTER_THE_FACT_FROM_FIXTURES=1). */
function loadFixtures(): Map<Key, Scenario> {
  const out = new Map<Key, Scenario>();
  for (const key of KEYS) {
    const truth = JSON.parse(readFileSync(join(FIXTURES, `${key}.truth.json`), 'utf8'));
    const snaps: Scenario['snaps'] = {};
    for (const moment of MOMENTS) {
      const { file, now } = truth.snapshots[moment];
      const path = join(FIXTURES, file);
      snaps[moment] = { file: path, now, objects: parseYaml(readFileSync(path, 'utf8')).items, truth };
    }
    out.set(key, { key, ns: truth.namespace, name: truth.cronJob, snaps, final: truth });
  }
  return out;
}

/** Runs kubectl-job as a process; never throws for an exit code. */
function tool(args: string[], timeoutMs = 90_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const { cmd, args: lead } = cliCommand();
  return slot(
    () =>
      new Promise((resolve) => {
        execFile(
          cmd,
          [...lead, ...args, '--controller-time-zone', CONTROLLER_ZONE, '--color', 'never'],
          { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 << 20 },
          (err, stdout, stderr) =>
            resolve({
              code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 128) : 0,
              stdout,
              stderr,
            }),
        );
      }),
  );
}

/** `why`/`misses` on a snapshot file at its capture instant, as JSON. */
async function offline(snap: Snap, args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  const r = await tool([...args, '--snapshot', snap.file, '--now', snap.now, '-o', 'json']);
  let json: any;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { code: r.code, json, stderr: r.stderr.trim() };
}

const log = (s: string) => process.stderr.write(`[after-the-fact ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** Sleeps until the wall clock reaches `ms`. */
const until = (ms: number) => sleep(ms - Date.now());

describe('after the fact: misses and why against what the real controllers did', {
  skip: FROM_FIXTURES ? false : e2eSkipReason(),
}, () => {
  // Not useControlPlane(): the control plane is needed by the timeline only (released at its end),
  // and log tails are printed once, if the timeline fails, not after every failed assertion.
  let cpRef: ControlPlane | undefined;
  before(
    async () => {
      if (FROM_FIXTURES) return;
      cpRef = await getSharedControlPlane({ eventTTL: EVENT_TTL });
      log(`control plane up in ${cpRef.startMs} ms (logs in ${cpRef.logsDir || 'n/a'})`);
    },
    { timeout: START_TIMEOUT_MS },
  );
  const controlPlane = () => {
    if (!cpRef) throw new Error('control plane not started (see the before hook error)');
    return cpRef;
  };
  const scenarios = new Map<Key, Scenario>();
  const facts: Record<string, unknown> = {};
  const workDir = mkdtempSync(join(tmpdir(), 'after-the-fact-'));
  let timelineOk = false;

  after(async () => {
    await Promise.all([...scenarios.values()].map((s) => s.recorder?.stop()));
    if (!FROM_FIXTURES) await releaseSharedControlPlane();
  });

  async function addScenario(cp: ControlPlane, key: Key): Promise<Scenario> {
    const ns = `att-${key}-${Math.random().toString(16).slice(2, 6)}`;
    await cp.client.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    const recorder = await Recorder.start(cp, ns);
    // Marks made for every scenario before this one existed (e.g. the controller stopped).
    for (const m of globalMarks) recorder.mark(m.what, Date.parse(m.at));
    const s: Scenario = { key, ns, name: key, recorder, snaps: {} };
    scenarios.set(key, s);
    await createCronJob(cp, ns, cronJobManifest(key, SPECS[key].spec, SPECS[key].steps as any));
    recorder.mark('created');
    return s;
  }

  const globalMarks: Array<{ what: string; at: string }> = [];
  const markAll = (what: string, at = Date.now()) => {
    globalMarks.push({ what, at: new Date(at).toISOString() });
    for (const s of scenarios.values()) s.recorder!.mark(what, at);
  };
  const jobsOf = (key: Key) => scenarios.get(key)!.recorder!.truth().jobs;
  const waitJob = (key: Key, pred: (j: Truth['jobs'][number]) => boolean, what: string, timeoutMs = 90_000) =>
    waitFor(() => jobsOf(key).find(pred), { timeoutMs, intervalMs: 250, what: `${key}: ${what}` });

  /** A Job of the scenario created, finished or deleted between `from` and `to` (watch wall clock). */
  const changedBetween = (s: Scenario, from: number, to: number): string | undefined =>
    s
      .recorder!.truth()
      .jobs.flatMap((j) =>
        [
          ['created', j.seenAt],
          ['finished', j.finished ? j.finishedAt : null],
          ['deleted', j.deletedAt],
        ].map(([what, at]) =>
          at && Date.parse(at) >= from && Date.parse(at) <= to ? `${j.name} ${what} at ${at}` : '',
        ),
      )
      .find(Boolean);

  /** The tool's snapshot of one scenario. Its lists (CronJobs, Jobs, events) are read at about the same
   * time, not at one resourceVersion: a Job created or deleted while they are read can be in one list
   * and not in another (a delete event with its Job still listed). Such a snapshot is taken again,
   * so the comparison with the recorder is about the reasoning, not about that race. */
  async function snapshot(cp: ControlPlane, s: Scenario, moment: 'early' | 'expired'): Promise<void> {
    let r: Awaited<ReturnType<typeof tool>>;
    for (let attempt = 1; ; attempt++) {
      const from = Date.now() - 1000;
      r = await tool(['snapshot', '-n', s.ns, '-o', 'yaml', '--kubeconfig', cp.kubeconfigPath]);
      await sleep(500); // the recorder's watch (same API server) sees a change within this
      const change = changedBetween(s, from, Date.now());
      if (!change || attempt === 5) break;
      log(`${s.key}: snapshot ${moment} again (${change} while the lists were read)`);
    }
    assert.equal(r.code, 0, `snapshot of ${s.ns}: ${r.stderr}`);
    const doc = parseYaml(r.stdout);
    const file = join(workDir, `${s.key}.${moment}.snapshot.yaml`);
    writeFileSync(file, r.stdout);
    s.snaps[moment] = { file, now: doc.capturedAt, objects: doc.items, truth: s.recorder!.truth() };
    s.recorder!.mark(`snapshot-${moment}`, Date.parse(doc.capturedAt));
  }

  test('timeline: outage, Replace churn, TooManyMissedTimes, suspend/resume, Forbid backlog, history limit', {
    timeout: 13 * MINUTE,
  }, async () => {
    if (FROM_FIXTURES) {
      for (const [k, v] of loadFixtures()) scenarios.set(k, v);
      timelineOk = true;
      return;
    }
    try {
      await timeline(controlPlane());
    } catch (e) {
      if (cpRef) process.stderr.write(`component log tails:\n${cpRef.logTails(30)}\n`);
      throw e;
    }
    // The rest is offline: free the machine.
    await Promise.all([...scenarios.values()].map((s) => s.recorder?.stop()));
    await releaseSharedControlPlane();
    cpRef = undefined;
  });

  async function timeline(cp: ControlPlane): Promise<void> {
    const t0 = Date.now();
    for (const key of ['outage', 'replace', 'suspend', 'forbid', 'history'] as Key[]) await addScenario(cp, key);
    const m0 = minuteStart(Date.now() + 5_000) + MINUTE;
    const m = (n: number, s = 0) => m0 + n * MINUTE + s * 1000;
    facts.m0 = iso(m0);
    log(`CronJobs created; M0 = ${iso(m0)}`);

    for (const n of [0, 1]) {
      for (const key of ['outage', 'replace', 'suspend', 'forbid', 'history'] as Key[]) {
        if (key === 'forbid' && n === 1) continue; // blocked by the 90 s run of M0
        await waitJob(key, (j) => j.scheduledTime === iso(m(n)), `job for M${n}`, m(n, 40) - Date.now());
      }
    }
    await until(m(1, 5));
    await patchCronJob(cp, scenarios.get('suspend')!.ns, 'suspend', { spec: { suspend: true } });
    scenarios.get('suspend')!.recorder!.mark('suspended');
    // Let the M1 quick runs finish and be seen as finished by the Job controller before the outage.
    await waitFor(
      () => ['outage', 'history', 'suspend'].every((k) => jobsOf(k as Key).filter((j) => j.finished).length >= 2),
      { timeoutMs: 15_000, what: 'M0 and M1 quick runs complete' },
    );

    await until(m(1, 20));
    const kcmLog = join(cp.logsDir, 'kube-controller-manager.log');
    const logBefore = readFileSync(kcmLog, 'utf8');
    await cp.stopControllerManager();
    markAll('controller-stopped');
    log('kube-controller-manager stopped');
    await addScenario(cp, 'late');

    await until(m(2, 15));
    facts.lateJobsWhileStopped = jobsOf('late').length;
    facts.outageJobsForM2WhileStopped = jobsOf('outage').filter((j) => j.scheduledTime === iso(m(2))).length;

    await until(m(4, 20));
    await cp.startControllerManager();
    markAll('controller-started');
    log('kube-controller-manager started');
    facts.logKeptAcrossRestart =
      readFileSync(kcmLog, 'utf8').startsWith(logBefore) && statSync(kcmLog).size > logBefore.length;
    facts.logHasRestartMarker = readFileSync(kcmLog, 'utf8').slice(logBefore.length).includes('restarted at');
    const started = Date.now();
    // Catch-up: the most recent missed slot, late.
    for (const key of ['outage', 'replace', 'history', 'late'] as Key[]) {
      await waitJob(
        key,
        (j) => Date.parse(j.creationTimestamp) >= started - 1000,
        'catch-up job after the restart',
        120_000,
      );
    }
    log('catch-up jobs created');

    // TooManyMissedTimes: a fresh CronJob whose lastScheduleTime is moved 3 h back (180 missed > 100).
    await waitForSecondWindow(3, 40);
    const toomany = await addScenario(cp, 'toomany');
    await patchStatus(cp, toomany.ns, 'toomany', { lastScheduleTime: iso(Date.now() - 3 * HOUR) });
    toomany.recorder!.mark('status-patched');
    const suspend = scenarios.get('suspend')!;
    await patchCronJob(cp, suspend.ns, 'suspend', { spec: { suspend: false } });
    suspend.recorder!.mark('resumed');
    const resumed = Date.now();
    await waitJob('toomany', () => true, 'catch-up job after the lastScheduleTime patch', 30_000);
    await waitFor(() => toomany.recorder!.truth().events.some((e) => e.reason === 'TooManyMissedTimes'), {
      timeoutMs: 30_000,
      what: 'TooManyMissedTimes event',
    });
    // Seconds after the event: its own first snapshot.
    await snapshot(cp, toomany, 'early');
    await waitJob(
      'suspend',
      (j) => Date.parse(j.creationTimestamp) >= resumed - 1000,
      'catch-up job after the resume',
      30_000,
    );
    // History limit: the 4th finished Job makes the controller delete the oldest.
    await waitFor(() => jobsOf('history').some((j) => j.deleteCause === 'history'), {
      timeoutMs: 90_000,
      what: 'history: a Job pruned by the history limit',
    });
    await waitFor(
      () => jobsOf('replace').some((j) => j.deleteCause === 'replace' && Date.parse(j.deletedAt!) >= started),
      { timeoutMs: 30_000, what: 'replace: catch-up replaced the running Job' },
    );
    log('taking snapshot 1 (events present)');
    for (const s of scenarios.values()) if (!s.snaps.early) await snapshot(cp, s, 'early');
    // Evaluate snapshot 1 while the events expire.
    for (const s of scenarios.values()) void evaluate(s, 'early');

    // Snapshot 2 once every event of snapshot 1 expired (or was updated since: counted repeats live on).
    const early = new Map(
      [...scenarios.values()].map((s) => [s.key, s.snaps.early!.objects.filter((o) => o.kind === 'Event')]),
    );
    await waitFor(
      async () => {
        for (const s of scenarios.values()) {
          const now = (await cp.client.request('GET', `/api/v1/namespaces/${s.ns}/events`)).items as any[];
          const byUid = new Map(now.map((e) => [e.metadata.uid, e]));
          for (const e of early.get(s.key)!) {
            const cur = byUid.get(e.metadata.uid);
            if (cur && cur.count === e.count) return false;
          }
        }
        return true;
      },
      { timeoutMs: 5 * MINUTE, intervalMs: 2000, what: 'events of snapshot 1 expired' },
    );
    log('taking snapshot 2 (events expired)');
    for (const s of scenarios.values()) await snapshot(cp, s, 'expired');
    facts.wallSeconds = Math.round((Date.now() - t0) / 1000);
    for (const s of scenarios.values()) {
      await s.recorder!.stop();
      s.final = s.recorder!.truth();
    }
    for (const s of scenarios.values()) void evaluate(s, 'expired');

    for (const s of scenarios.values()) {
      const t = s.final!;
      log(
        `${s.key}: jobs ${t.jobs.map((j) => `${j.name}(${j.scheduledTime?.slice(11, 16)}, late ${j.lateSeconds}s, ${j.finished ?? 'running'}${j.deleteCause ? `, deleted:${j.deleteCause}` : ''})`).join(' ')}`,
      );
      log(
        `${s.key}: events ${t.events
          .filter((e) => e.involvedObject.kind === 'CronJob')
          .map(
            (e) => `${e.reason}@${(e.lastTimestamp ?? '').slice(11, 19)}x${e.count}${e.expiredAt ? '(expired)' : ''}`,
          )
          .join(' ')}`,
      );
      assert.deepEqual(s.recorder!.errors, [], `${s.key}: recorder errors`);
    }
    if (WRITE_FIXTURES) {
      mkdirSync(FIXTURES, { recursive: true });
      for (const s of scenarios.values()) {
        writeFileSync(join(FIXTURES, `${s.key}.snapshot.yaml`), readFileSync(s.snaps.early!.file));
        writeFileSync(join(FIXTURES, `${s.key}.expired.snapshot.yaml`), readFileSync(s.snaps.expired!.file));
        const truth = {
          scenario: s.key,
          cronJob: s.name,
          controllerZone: CONTROLLER_ZONE,
          eventTTL: EVENT_TTL,
          snapshots: {
            early: { file: `${s.key}.snapshot.yaml`, now: s.snaps.early!.now },
            expired: { file: `${s.key}.expired.snapshot.yaml`, now: s.snaps.expired!.now },
          },
          ...s.final!,
        };
        writeFileSync(join(FIXTURES, `${s.key}.truth.json`), `${JSON.stringify(truth, null, 2)}\n`);
      }
      log(`fixtures written to ${FIXTURES}`);
    }
    timelineOk = true;
  }

  // ---- The tool against the ground truth ----

  const evaluations = new Map<
    string,
    Promise<{ misses: Awaited<ReturnType<typeof offline>>; why: Awaited<ReturnType<typeof offline>> }>
  >();
  /** `misses` and `why` of a scenario's snapshot (cached: each runs once). */
  function evaluate(s: Scenario, moment: Moment) {
    const k = `${s.key}/${moment}`;
    if (!evaluations.has(k)) {
      const snap = s.snaps[moment]!;
      const since = iso(minuteStart(Date.parse((s.final ?? snap.truth).startedAt)) - MINUTE);
      evaluations.set(
        k,
        Promise.all([
          offline(snap, ['misses', s.name, '-n', s.ns, '--since', since]),
          offline(snap, ['why', `cronjob/${s.name}`, '-n', s.ns]),
        ]).then(([misses, why]) => ({ misses, why })),
      );
    }
    return evaluations.get(k)!;
  }

  const snapOf = (key: Key, moment: Moment): [Scenario, Snap] => {
    assert.ok(timelineOk, 'the timeline test failed: no snapshots');
    const s = scenarios.get(key)!;
    return [s, s.snaps[moment]!];
  };

  for (const key of KEYS) {
    for (const moment of MOMENTS) {
      test(`${key} (${moment}): every misses slot agrees with what the controllers did`, async () => {
        const [s, snap] = snapOf(key, moment);
        const { misses } = await evaluate(s, moment);
        assert.ok(misses.json?.slots, `misses printed no slots (exit ${misses.code}): ${misses.stderr}`);
        const r = slotProblems(s, snap, misses.json.slots);
        log(`${key} (${moment}): fates ${JSON.stringify(r.fates)}; unknown ${r.unknown}`);
        assert.deepEqual(r.problems, []);
      });

      test(`${key} (${moment}): why -o json quotes only evidence that exists`, async () => {
        const [s, snap] = snapOf(key, moment);
        const { why } = await evaluate(s, moment);
        assert.ok(why.json, `why printed no JSON (exit ${why.code}): ${why.stderr}`);
        assert.ok(VERDICTS.includes(why.json.verdict), `verdict ${why.json.verdict}`);
        assert.equal(why.code, why.json.verdict === 'healthy' ? 0 : 1, 'exit code follows the verdict');
        assert.deepEqual(
          checkEvidence(verdictEvidence(why.json), { objects: snap.objects, subject: `cronjob/${s.name}` }),
          [],
        );
      });
    }
  }

  for (const [key, expect] of Object.entries(WHY_EXPECTED) as Array<[Key, (typeof WHY_EXPECTED)[Key] & object]>) {
    for (const moment of expect.moments) {
      test(`${key} (${moment}): why says ${expect.causes.join(' or ')}, not healthy`, async () => {
        const [s] = snapOf(key, moment);
        const { why } = await evaluate(s, moment);
        assert.ok(why.json, `why printed no JSON (exit ${why.code}): ${why.stderr}`);
        const codes = (why.json.causes ?? []).map((c: any) => c.code);
        log(`${key} (${moment}): verdict ${why.json.verdict}, causes ${codes.join(', ')}`);
        assert.notEqual(why.json.verdict, 'healthy');
        assert.equal(why.code, 1);
        assert.ok(
          codes.some((c: string) => expect.causes.includes(c)),
          `causes ${JSON.stringify(codes)} include one of ${expect.causes.join(', ')}`,
        );
      });
    }
  }

  test('replace (early): why job/<the Job Replace deleted at the catch-up> answers from the CronJob and events', async () => {
    const [s, snap] = snapOf('replace', 'early');
    const started = markTime(s.final!, 'controller-started')!;
    const gone = s.final!.jobs.find(
      (j) =>
        j.deleteCause === 'replace' &&
        Date.parse(j.deletedAt!) >= started &&
        Date.parse(j.deletedAt!) <= Date.parse(snap.now),
    );
    assert.ok(gone, 'the recorder saw the catch-up replace a Job');
    assert.ok(
      !snap.objects.some((o) => o.kind === 'Job' && o.metadata.name === gone!.name),
      'that Job is gone from the snapshot',
    );
    assert.ok(
      snap.objects.some(
        (o) => o.kind === 'Event' && o.reason === 'SuccessfulDelete' && o.message === `Deleted job ${gone!.name}`,
      ),
      'its SuccessfulDelete event is in the snapshot',
    );
    const r = await offline(snap, ['why', `job/${gone!.name}`, '-n', s.ns]);
    log(
      `why job/${gone!.name}: exit ${r.code}, verdict ${r.json?.verdict}, causes ${(r.json?.causes ?? []).map((c: any) => c.code).join(', ')} ${r.stderr}`,
    );
    assert.notEqual(r.code, 4, `not "not found": ${r.stderr}`);
    assert.equal(r.json?.verdict, 'failed');
    assert.ok(
      (r.json?.causes ?? []).some((c: any) => c.code === 'Replaced'),
      'cause Replaced',
    );
    assert.deepEqual(
      checkEvidence(verdictEvidence(r.json), {
        objects: snap.objects,
        subject: `job/${gone!.name}`,
        jobNamePrefixes: [`${s.name}-`],
      }),
      [],
    );
  });

  test('harness: a stopped kube-controller-manager acts on nothing; restarted, it catches up; its log is appended to', {
    skip: FROM_FIXTURES && 'needs the live timeline',
  }, () => {
    assert.ok(timelineOk, 'the timeline test failed');
    assert.equal(facts.lateJobsWhileStopped, 0, 'CronJob created during the stop got no Job while stopped');
    assert.equal(facts.outageJobsForM2WhileStopped, 0, 'no Job for M2 while stopped');
    const late = scenarios.get('late')!.final!;
    const started = markTime(scenarios.get('late')!.final!, 'controller-started')!;
    assert.ok(
      late.jobs.length >= 1 && late.jobs.every((j) => Date.parse(j.creationTimestamp) >= started - 1000),
      'its Jobs all come after the start',
    );
    assert.equal(facts.logKeptAcrossRestart, true, 'log appended, not overwritten');
    assert.equal(facts.logHasRestartMarker, true);
  });
});
