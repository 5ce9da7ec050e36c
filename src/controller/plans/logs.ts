// Plans `logs`: which container instances of a Job's pods to read, in attempt order, and which
// are gone. The API serves two instances per container at most: the latest (`previous=false`)
// and the one before it (`previous=true`, only when lastState.terminated exists); the kubelet
// answers `previous=true` for a container without one with an error, so it is never asked.
import { listAttempts, type Attempt, type ContainerRun } from '../job/index.js';
import type { Job, Pod } from '../../api/types.js';

/** What planLogs needs. */
export interface LogsInput {
  job: Job;
  pods: Pod[];
  /** -c: only this container. */
  container?: string;
  /** --all-containers: init and app containers. */
  allContainers: boolean;
  /** --all-attempts: every pod and previous instances; otherwise the newest attempt's latest instance. */
  allAttempts: boolean;
  /** Keys of instances already handled (follow mode polls and plans again). */
  exclude?: ReadonlySet<string>;
}

/** Where the container is in one pod, for lines that are not logs. */
export interface LogPlace {
  /** `<pod uid>/<container>/<run>`: stable across polls. */
  key: string;
  pod: string;
  container: string;
  init: boolean;
  /** 1-based attempt (pod) number, in start order, as `why job/x` numbers them. */
  attempt: number;
}

/** One container instance whose logs can be read. */
export interface LogSource extends LogPlace {
  /** 1-based instance of the container inside the pod, and how many have run so far. */
  run: number;
  runs: number;
  /** Read with previous=true. */
  previous: boolean;
  /** Still running (worth following). */
  running: boolean;
  exitCode: number | null;
  reason: string | null;
  restarts: number;
}

/** One step of the output, in order. */
export type LogEntry =
  | { kind: 'read'; source: LogSource }
  /** Earlier instances of a restarted container: the API no longer has their logs. */
  | { kind: 'gone'; place: LogPlace; runs: number[]; of: number }
  /** Not started yet (or never will): no logs to read. */
  | { kind: 'waiting'; place: LogPlace; reason: string | null }
  /** Pods the Job counted that no longer exist. */
  | { kind: 'deleted-pods'; key: string; count: number };

/** The entries plus the container defaulting note kubectl prints ("Defaulted container ..."). */
export interface LogsPlan {
  entries: LogEntry[];
  attempts: Attempt[];
  defaulted: { container: string; of: string[] } | null;
  /** -c names a container no pod has. */
  unknownContainer: string | null;
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

function containerNames(pod: Pod | undefined, job: Job): { init: string[]; app: string[]; preferred?: string } {
  const spec = pod?.spec ?? job.spec.template.spec;
  const meta = pod?.metadata ?? job.spec.template.metadata;
  return {
    init: (spec.initContainers ?? []).map((c) => c.name),
    app: (spec.containers ?? []).map((c) => c.name),
    preferred: meta?.annotations?.[DEFAULT_CONTAINER_ANNOTATION],
  };
}

/** The instances of one container in one pod: gone runs, previous, latest (see the file comment). */
function containerEntries(place: LogPlace, uid: string, r: ContainerRun | undefined, all: boolean): LogEntry[] {
  if (!r) return [{ kind: 'waiting', place, reason: null }];
  const started = r.state === 'running' || r.state === 'terminated';
  const hasPrev = r.previous !== null;
  const runs = started ? r.restarts + 1 : Math.max(r.restarts, hasPrev ? 1 : 0);
  const prevRun = started ? runs - 1 : runs;
  const src = (run: number, previous: boolean): LogEntry => ({
    kind: 'read',
    source: {
      key: `${uid}/${place.container}/${run}`,
      pod: place.pod,
      container: place.container,
      init: place.init,
      attempt: place.attempt,
      run,
      runs,
      previous,
      running: !previous && r.state === 'running',
      restarts: r.restarts,
      exitCode: previous ? r.previous!.exitCode : r.exitCode,
      reason: previous ? r.previous!.reason : r.state === 'running' ? null : r.reason,
    },
  });
  if (!all) {
    if (started) return [src(runs, false)];
    return hasPrev ? [src(prevRun, true)] : [{ kind: 'waiting', place, reason: r.reason }];
  }
  const out: LogEntry[] = [];
  const goneUpTo = hasPrev ? prevRun - 1 : started ? runs - 1 : 0;
  if (goneUpTo > 0)
    out.push({ kind: 'gone', place, runs: Array.from({ length: goneUpTo }, (_, i) => i + 1), of: runs });
  if (hasPrev && prevRun > 0) out.push(src(prevRun, true));
  if (started) out.push(src(runs, false));
  if (!started && !hasPrev) out.push({ kind: 'waiting', place, reason: r.reason });
  return out;
}

/** Plans the log blocks of a Job: attempts in start order, containers in spec order, instances oldest first. */
export function planLogs(input: LogsInput): LogsPlan {
  const { job, pods } = input;
  const attempts = listAttempts(job, pods);
  const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
  const shown = input.allAttempts ? attempts : attempts.slice(-1);
  const entries: LogEntry[] = [];
  let defaulted: LogsPlan['defaulted'] = null;
  let unknownContainer: string | null = input.container ?? null;
  if (input.allAttempts) {
    const visible = attempts.filter((a) => a.phase === 'Succeeded' || a.phase === 'Failed').length;
    const counted = (job.status?.succeeded ?? 0) + (job.status?.failed ?? 0);
    if (counted > visible)
      entries.push({ kind: 'deleted-pods', key: `deleted-pods/${job.metadata.uid ?? ''}`, count: counted - visible });
  }
  for (const a of shown) {
    const pod = byName.get(a.pod);
    const uid = pod?.metadata.uid ?? a.pod;
    const names = containerNames(pod, job);
    let chosen: Array<{ name: string; init: boolean }>;
    if (input.container) {
      const init = names.init.includes(input.container);
      if (!init && !names.app.includes(input.container)) continue;
      unknownContainer = null;
      chosen = [{ name: input.container, init }];
    } else if (input.allContainers) {
      chosen = [
        ...names.init.map((n) => ({ name: n, init: true })),
        ...names.app.map((n) => ({ name: n, init: false })),
      ];
    } else {
      const pick = names.preferred && names.app.includes(names.preferred) ? names.preferred : names.app[0];
      if (!pick) continue;
      if (names.app.length > 1) defaulted ??= { container: pick, of: names.app };
      chosen = [{ name: pick, init: false }];
    }
    for (const c of chosen) {
      const place: LogPlace = {
        key: `${uid}/${c.name}`,
        pod: a.pod,
        container: c.name,
        init: c.init,
        attempt: a.attempt,
      };
      const run = a.containers.find((r) => r.container === c.name && r.init === c.init);
      entries.push(...containerEntries(place, uid, run, input.allAttempts));
    }
  }
  const exclude = input.exclude;
  const fresh = exclude
    ? entries.flatMap((e): LogEntry[] => {
        if (e.kind === 'read') return exclude.has(e.source.key) ? [] : [e];
        if (e.kind === 'gone') {
          const runs = e.runs.filter((r) => !exclude.has(`${e.place.key}/${r}`));
          return runs.length ? [{ ...e, runs }] : [];
        }
        if (e.kind === 'waiting') return exclude.has(`${e.place.key}/waiting`) ? [] : [e];
        return exclude.has(e.key) ? [] : [e];
      })
    : entries;
  return {
    entries: fresh,
    attempts,
    defaulted,
    unknownContainer: input.container && pods.length ? unknownContainer : null,
  };
}

/** Keys an entry marks as handled once printed (gone runs individually, so a later poll never repeats them). */
export function entryKeys(e: LogEntry): string[] {
  switch (e.kind) {
    case 'read':
      return [e.source.key];
    case 'gone':
      return e.runs.map((r) => `${e.place.key}/${r}`);
    case 'waiting':
      return [`${e.place.key}/waiting`];
    case 'deleted-pods':
      return [e.key];
  }
}

/** How a followed instance ended, once the pod status shows it: its own terminated state, or lastState after a restart; null while unknown. */
export function instanceEnd(
  attempts: Attempt[],
  s: LogSource,
): { exitCode: number | null; reason: string | null } | null {
  const r = attempts
    .find((a) => a.pod === s.pod)
    ?.containers.find((c) => c.container === s.container && c.init === s.init);
  if (!r) return null;
  if (r.restarts + 1 === s.run && r.state === 'terminated') return { exitCode: r.exitCode, reason: r.reason };
  if (r.restarts === s.run && r.previous) return { exitCode: r.previous.exitCode, reason: r.previous.reason };
  return null;
}
