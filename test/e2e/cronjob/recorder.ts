// Ground truth for the after-the-fact tests: list+watch of the Jobs, CronJobs and Events of one
// namespace from the start of a scenario. It records, for every Job, when it was created (and for
// which schedule time), when and how it finished, when it was deleted and which event explains the
// delete; for every event, when it appeared and when it expired. This is what really happened;
// the tests compare the tool's answers (made later, from a snapshot) with it.
import { ApiError, type ControlPlane, type WatchEvent } from '../harness/index.js';

export const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Why a Job disappeared, as the recorder can tell from what it saw. */
export type DeleteCause =
  /** Deleted by the CronJob controller while still running, right when it created the next run (concurrencyPolicy Replace). */
  | 'replace'
  /** Deleted by the CronJob controller after it finished (successful/failed jobs history limit). */
  | 'history'
  /** Deleted without a SuccessfulDelete event from the CronJob controller (a person, GC, TTL, namespace). */
  | 'other';

export interface EventTruth {
  /** Event object name. */
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
  source: string;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  count: number;
  /** Wall clock when the recorder first saw it. */
  seenAt: string;
  /** Wall clock when it disappeared (event TTL), or null. */
  expiredAt: string | null;
}

export interface JobTruth {
  name: string;
  uid: string;
  /** Owner CronJob name (controller ownerReference), or null. */
  cronJob: string | null;
  /** The scheduled-timestamp annotation (the schedule time this Job is for), or null (manual Job). */
  scheduledTime: string | null;
  creationTimestamp: string;
  /** Seconds between the schedule time and the creation (how late the controller was). */
  lateSeconds: number | null;
  /** Wall clock when the recorder first saw it. */
  seenAt: string;
  /** Complete / Failed condition (status True) and its lastTransitionTime. */
  finished: 'Complete' | 'Failed' | null;
  finishedAt: string | null;
  /** metadata.deletionTimestamp, if the recorder saw one. */
  deletionTimestamp: string | null;
  /** Wall clock when the DELETED watch event arrived (or the relist no longer had it). */
  deletedAt: string | null;
  /** Whether it had finished (by its conditions) when it was deleted. */
  finishedWhenDeleted: boolean | null;
  /** The CronJob controller's SuccessfulDelete event naming this Job (`Deleted job <name>`), if seen. */
  deleteEvent: { name: string; reason: string; message: string; time: string | null } | null;
  /** Why it was deleted (see DeleteCause), or null while it exists. */
  deleteCause: DeleteCause | null;
  /** For `replace`: the Job of the same CronJob created within seconds of the delete. */
  replacedBy: string | null;
}

/** One change of a CronJob's schedule-relevant fields, as the watch saw it. */
export interface CronJobChange {
  at: string;
  suspend: boolean;
  lastScheduleTime: string | null;
  lastSuccessfulTime: string | null;
  active: string[];
}

export interface CronJobTruth {
  name: string;
  uid: string;
  creationTimestamp: string;
  schedule: string;
  concurrencyPolicy: string;
  changes: CronJobChange[];
}

/** A moment of the scenario the test marks (controller stopped, suspended, snapshot taken, ...). */
export interface Mark {
  at: string;
  what: string;
}

export interface Truth {
  namespace: string;
  startedAt: string;
  /** When this truth was taken (the recorder may still be running). */
  at: string;
  marks: Mark[];
  cronJobs: CronJobTruth[];
  jobs: JobTruth[];
  events: EventTruth[];
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const REPLACE_WINDOW_MS = 10_000;

function conditionFinished(job: any): { type: 'Complete' | 'Failed'; at: string | null } | null {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
      return { type: c.type, at: c.lastTransitionTime ?? null };
  }
  return null;
}

/** Records Jobs, CronJobs and Events of one namespace until stop(). */
export class Recorder {
  private readonly jobs = new Map<string, JobTruth>();
  private readonly events = new Map<string, EventTruth>();
  private readonly cronJobs = new Map<string, CronJobTruth>();
  private readonly marks: Mark[] = [];
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly startedAt = iso();
  /** Errors of the watch loops (a test asserts there are none). */
  readonly errors: string[] = [];

  private constructor(
    private readonly cp: ControlPlane,
    readonly namespace: string,
  ) {}

  /** Lists and starts watching; resolves once the initial lists are in. */
  static async start(cp: ControlPlane, namespace: string): Promise<Recorder> {
    const r = new Recorder(cp, namespace);
    const ready: Promise<void>[] = [];
    for (const [path, on] of [
      [`/apis/batch/v1/namespaces/${namespace}/jobs`, (e: WatchEvent) => r.onJob(e)],
      [`/apis/batch/v1/namespaces/${namespace}/cronjobs`, (e: WatchEvent) => r.onCronJob(e)],
      [`/api/v1/namespaces/${namespace}/events`, (e: WatchEvent) => r.onEvent(e)],
    ] as const) {
      let resolveReady!: () => void;
      ready.push(new Promise((res) => (resolveReady = res)));
      r.loops.push(r.listWatch(path, on, resolveReady));
    }
    await Promise.all(ready);
    return r;
  }

  mark(what: string, at = Date.now()): void {
    this.marks.push({ at: iso(at), what });
  }

  /** The first mark named `what`, in ms. */
  markTime(what: string): number | undefined {
    const m = this.marks.find((x) => x.what === what);
    return m ? Date.parse(m.at) : undefined;
  }

  /** List, then watch from the list's resourceVersion; on expiry (410) or a closed stream, list again and diff. */
  private async listWatch(path: string, on: (e: WatchEvent) => void, ready: () => void): Promise<void> {
    const known = new Map<string, any>();
    const emit = (e: WatchEvent) => {
      if (e.type === 'BOOKMARK') return;
      if (e.type === 'ERROR') throw new ApiError(e.object?.code ?? 0, e.object, `WATCH ${path}`);
      const uid = e.object?.metadata?.uid;
      if (e.type === 'DELETED') known.delete(uid);
      else known.set(uid, e.object);
      on(e);
    };
    let rv = '';
    let first = true;
    while (!this.abort.signal.aborted) {
      try {
        if (!rv) {
          const list = await this.cp.client.request('GET', path);
          const seen = new Set<string>();
          for (const o of list.items ?? []) {
            seen.add(o.metadata.uid);
            emit({ type: known.has(o.metadata.uid) ? 'MODIFIED' : 'ADDED', object: o });
          }
          for (const [uid, o] of [...known]) if (!seen.has(uid)) emit({ type: 'DELETED', object: o });
          rv = list.metadata?.resourceVersion ?? '';
          if (first) {
            first = false;
            ready();
          }
        }
        await this.cp.client.watch(
          path,
          { resourceVersion: rv, timeoutSeconds: 300 },
          (e) => {
            if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
            emit(e);
          },
          this.abort.signal,
        );
      } catch (e) {
        if (this.abort.signal.aborted) break;
        if (!(e instanceof ApiError && (e.status === 410 || e.status === 0)))
          this.errors.push(`${path}: ${(e as Error).message}`);
        rv = '';
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private onJob(e: WatchEvent): void {
    const j = e.object;
    const key = j.metadata.uid as string;
    let t = this.jobs.get(key);
    if (!t) {
      const owner = (j.metadata.ownerReferences ?? []).find((o: any) => o.controller && o.kind === 'CronJob');
      const scheduled = j.metadata.annotations?.[SCHEDULED_ANNOTATION] ?? null;
      t = {
        name: j.metadata.name,
        uid: key,
        cronJob: owner?.name ?? null,
        scheduledTime: scheduled,
        creationTimestamp: j.metadata.creationTimestamp,
        lateSeconds: scheduled
          ? Math.round((Date.parse(j.metadata.creationTimestamp) - Date.parse(scheduled)) / 1000)
          : null,
        seenAt: iso(),
        finished: null,
        finishedAt: null,
        deletionTimestamp: null,
        deletedAt: null,
        finishedWhenDeleted: null,
        deleteEvent: null,
        deleteCause: null,
        replacedBy: null,
      };
      this.jobs.set(key, t);
    }
    const fin = conditionFinished(j);
    if (fin && !t.finished) [t.finished, t.finishedAt] = [fin.type, fin.at];
    if (j.metadata.deletionTimestamp) t.deletionTimestamp ??= j.metadata.deletionTimestamp;
    if (e.type === 'DELETED' && !t.deletedAt) {
      t.deletedAt = iso();
      t.finishedWhenDeleted = t.finished !== null;
    }
  }

  private onCronJob(e: WatchEvent): void {
    const c = e.object;
    let t = this.cronJobs.get(c.metadata.uid);
    if (!t) {
      t = {
        name: c.metadata.name,
        uid: c.metadata.uid,
        creationTimestamp: c.metadata.creationTimestamp,
        schedule: c.spec.schedule,
        concurrencyPolicy: c.spec.concurrencyPolicy ?? 'Allow',
        changes: [],
      };
      this.cronJobs.set(c.metadata.uid, t);
    }
    if (e.type === 'DELETED') return;
    const change: CronJobChange = {
      at: iso(),
      suspend: c.spec.suspend === true,
      lastScheduleTime: c.status?.lastScheduleTime ?? null,
      lastSuccessfulTime: c.status?.lastSuccessfulTime ?? null,
      active: (c.status?.active ?? []).map((r: any) => r.name).sort(),
    };
    const last = t.changes[t.changes.length - 1];
    const same = last && JSON.stringify({ ...last, at: '' }) === JSON.stringify({ ...change, at: '' });
    if (!same) t.changes.push(change);
  }

  private onEvent(e: WatchEvent): void {
    const ev = e.object;
    const key = ev.metadata.uid as string;
    let t = this.events.get(key);
    if (!t) {
      t = {
        name: ev.metadata.name,
        type: ev.type ?? 'Normal',
        reason: ev.reason ?? '',
        message: ev.message ?? '',
        involvedObject: { kind: ev.involvedObject?.kind ?? '', name: ev.involvedObject?.name ?? '' },
        source: ev.source?.component ?? ev.reportingComponent ?? '',
        firstTimestamp: ev.firstTimestamp ?? ev.eventTime ?? null,
        lastTimestamp: ev.lastTimestamp ?? null,
        count: ev.count ?? 1,
        seenAt: iso(),
        expiredAt: null,
      };
      this.events.set(key, t);
    }
    if (e.type === 'DELETED') {
      t.expiredAt ??= iso();
      return;
    }
    t.count = ev.count ?? t.count;
    t.lastTimestamp = ev.lastTimestamp ?? t.lastTimestamp;
  }

  /** Job truth with the delete causes worked out from the events seen so far. */
  truth(): Truth {
    const jobs = [...this.jobs.values()].map((j) => ({ ...j }));
    const events = [...this.events.values()].map((e) => ({ ...e }));
    for (const j of jobs) {
      if (!j.deletedAt) continue;
      const ev = events.find(
        (e) =>
          e.reason === 'SuccessfulDelete' &&
          e.involvedObject.kind === 'CronJob' &&
          e.involvedObject.name === j.cronJob &&
          e.message === `Deleted job ${j.name}`,
      );
      if (ev)
        j.deleteEvent = {
          name: ev.name,
          reason: ev.reason,
          message: ev.message,
          time: ev.lastTimestamp ?? ev.firstTimestamp,
        };
      const delMs = Date.parse(j.deleteEvent?.time ?? j.deletedAt);
      const next = jobs.find(
        (n) =>
          n !== j &&
          n.cronJob === j.cronJob &&
          Math.abs(Date.parse(n.creationTimestamp) - delMs) <= REPLACE_WINDOW_MS &&
          (n.scheduledTime ?? '') > (j.scheduledTime ?? ''),
      );
      if (!ev) j.deleteCause = 'other';
      else if (!j.finishedWhenDeleted && next) [j.deleteCause, j.replacedBy] = ['replace', next.name];
      else j.deleteCause = 'history';
    }
    jobs.sort((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp) || a.name.localeCompare(b.name));
    events.sort((a, b) => a.seenAt.localeCompare(b.seenAt) || a.name.localeCompare(b.name));
    return {
      namespace: this.namespace,
      startedAt: this.startedAt,
      at: iso(),
      marks: [...this.marks],
      cronJobs: [...this.cronJobs.values()].map((c) => ({ ...c, changes: [...c.changes] })),
      jobs,
      events,
    };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }
}

/** The Job the recorder saw for a schedule time (epoch ms) of a CronJob, if any. */
export function jobForSlot(truth: Truth, cronJob: string, slotMs: number): JobTruth | undefined {
  return truth.jobs.find(
    (j) => j.cronJob === cronJob && j.scheduledTime !== null && Date.parse(j.scheduledTime) === slotMs,
  );
}
