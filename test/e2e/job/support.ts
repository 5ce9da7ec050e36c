// Shared helpers of the `why <job>` end-to-end tests: Job manifests run by the real node,
// the CLI as a real process, and a recorder of every Job/Pod version in a namespace so a test
// can rebuild the cluster as it was just before the Job controller acted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideJob } from '../../../src/controller/job/index.js';
import type { JobDecision } from '../../../src/controller/job/types.js';
import type { Job, Pod, ServerVersion } from '../../../src/api/types.js';
import { podTemplate, waitFor, withNamespace, type Behaviour, type ControlPlane } from '../harness/index.js';
import { cliCommand } from '../../support/cli-command.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Slack allowed on controller *timing* only (never on codes or counts): how late after the
 * instant the model predicts the real controller may be seen to act. The controller requeues a
 * Job for exactly the remaining backoff / deadline (workqueue AddAfter), then needs a sync, an
 * API write and a watch round trip to this process; measured at 5-50 ms on the 2-core machine
 * at load average 10-14 (other suites and Go builds running). 2 s covers scheduling stalls of
 * the controller, the apiserver, the kubelet or this process under such
 * load. Times written by the API server are whole seconds (truncated), which can only make a
 * written time earlier, never later, so the lower bound needs no slack.
 */
export const CONTROLLER_SLACK_MS = 2000;

/** A Job whose real pods follow `steps` (restartPolicy Never unless `restartPolicy`; see pod-behaviour.ts). */
export function jobManifest(
  name: string,
  steps: Behaviour,
  spec: Record<string, unknown> = {},
  restartPolicy: 'Never' | 'OnFailure' = 'Never',
): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: podTemplate(steps, restartPolicy),
    },
  };
}

/** Creates the Job through the API (no kubectl process: faster). */
export async function createJob(cp: ControlPlane, ns: string, manifest: Record<string, unknown>): Promise<Job> {
  return cp.client.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, manifest);
}

export async function getJob(cp: ControlPlane, ns: string, name: string): Promise<Job> {
  return cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
}

/** The Job's pods, oldest first (creation time, then name). */
export async function jobPods(cp: ControlPlane, ns: string, name: string): Promise<Pod[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
    query: { labelSelector: `batch.kubernetes.io/job-name=${name}` },
  });
  return (list.items as Pod[]).sort(byCreation);
}

function byCreation(a: Pod, b: Pod): number {
  return (
    Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '') ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

/** The Job's condition of that type when True. */
export function trueCond(job: Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** The server version as `why` reads it. */
export async function serverVersion(cp: ControlPlane): Promise<ServerVersion> {
  const v = await cp.client.request('GET', '/version');
  return { major: parseInt(v.major, 10), minor: parseInt(v.minor, 10), gitVersion: v.gitVersion };
}

/** `why` as a real process, `-o json`. Exit 0/1 are verdicts; anything else fails the test. */
export async function why(
  cp: ControlPlane,
  ns: string,
  name: string,
  extra: string[] = [],
): Promise<{ code: number; v: JobDecision; stderr: string }> {
  const { cmd, args: lead } = cliCommand();
  const r = await run(cmd, [
    ...lead,
    'why',
    `job/${name}`,
    '--kubeconfig',
    cp.kubeconfigPath,
    '-n',
    ns,
    '-o',
    'json',
    ...extra,
  ]);
  assert.ok(r.code === 0 || r.code === 1, `why job/${name} exited ${r.code}: ${r.stderr}`);
  let v: JobDecision;
  try {
    v = JSON.parse(r.stdout) as JobDecision;
  } catch {
    throw new Error(`why job/${name} printed no JSON: ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, v, stderr: r.stderr };
}

/** `why` as a real process with the human output. */
export async function whyText(cp: ControlPlane, ns: string, name: string): Promise<string> {
  const { cmd, args: lead } = cliCommand();
  const r = await run(cmd, [...lead, 'why', `job/${name}`, '--kubeconfig', cp.kubeconfigPath, '-n', ns], {
    NO_COLOR: '1',
  });
  assert.ok(r.code === 0 || r.code === 1, `why job/${name} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
}

/** The first cause with that code (assert.ok on the result for a readable failure). */
export function cause(v: JobDecision, code: string) {
  return v.causes.find((c) => c.code === code);
}

/** The codes of the causes, for failure messages. */
export function codes(v: JobDecision): string {
  return v.causes.map((c) => c.code).join(', ');
}

/** Milliseconds of an RFC 3339 time (throws when absent). */
export function t(s: string | null | undefined): number {
  const v = Date.parse(s ?? '');
  assert.ok(!Number.isNaN(v), `not a time: ${s}`);
  return v;
}

/**
 * Asserts the controller acted at or after the `predicted` instant, and at most `slack` ms later.
 * `notBefore` is a time the API server wrote (whole seconds, truncated: it is >= a whole-second
 * prediction exactly when the real instant is); `seenBy` is when this process saw the result
 * through its watch (an upper bound on when the controller acted, at millisecond resolution).
 */
export function assertOnTime(
  notBefore: number,
  seenBy: number,
  predicted: number,
  what: string,
  slack = CONTROLLER_SLACK_MS,
): void {
  const early = notBefore - predicted;
  const late = seenBy - predicted;
  process.stderr.write(
    `# timing: ${what}: written ${early >= 0 ? '+' : ''}${early} ms (whole seconds), seen +${late} ms after the prediction (slack ${slack} ms)\n`,
  );
  assert.ok(
    early >= 0,
    `${what}: ${new Date(notBefore).toISOString()} is ${-early} ms BEFORE the predicted ${new Date(predicted).toISOString()}`,
  );
  assert.ok(
    late <= slack,
    `${what}: seen ${late} ms after the predicted ${new Date(predicted).toISOString()} (slack ${slack} ms)`,
  );
}

/** One recorded object version; `seen` = when this process received it (ms). */
interface Version<T> {
  type: string;
  rv: number;
  object: T;
  seen: number;
}

/**
 * Records every version of the Jobs and Pods of a namespace (list, then watch from the list's
 * resourceVersion, so nothing is missed). resourceVersions are etcd revisions, one global
 * sequence, so `at(rv)` rebuilds exactly what the cluster held at that revision.
 */
export class Recorder {
  private readonly jobs: Version<Job>[] = [];
  private readonly pods: Version<Pod>[] = [];
  private readonly abort = new AbortController();
  private readonly done: Promise<unknown>;

  private constructor(
    readonly ns: string,
    starts: Array<Promise<void>>,
  ) {
    this.done = Promise.all(starts);
  }

  static async start(cp: ControlPlane, ns: string): Promise<Recorder> {
    const paths = { jobs: `/apis/batch/v1/namespaces/${ns}/jobs`, pods: `/api/v1/namespaces/${ns}/pods` };
    const lists = await Promise.all([cp.client.request('GET', paths.jobs), cp.client.request('GET', paths.pods)]);
    const starts: Array<Promise<void>> = [];
    const rec = new Recorder(ns, starts);
    const sinks = [rec.jobs, rec.pods] as Array<Version<any>[]>;
    [paths.jobs, paths.pods].forEach((path, i) => {
      for (const o of lists[i].items)
        sinks[i]!.push({ type: 'ADDED', rv: Number(o.metadata.resourceVersion), object: o, seen: Date.now() });
      starts.push(
        cp.client
          .watch(
            path,
            { resourceVersion: lists[i].metadata.resourceVersion },
            (e) => {
              if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
              sinks[i]!.push({
                type: e.type,
                rv: Number(e.object.metadata.resourceVersion),
                object: e.object,
                seen: Date.now(),
              });
            },
            rec.abort.signal,
          )
          .catch(() => {}),
      );
    });
    return rec;
  }

  stop(): Promise<unknown> {
    this.abort.abort();
    return this.done;
  }

  /** The first recorded version of Job `name` satisfying `pred`. */
  firstJob(name: string, pred: (j: Job) => boolean): Version<Job> | undefined {
    return this.jobs
      .filter((v) => v.object.metadata.name === name && v.type !== 'DELETED')
      .sort((a, b) => a.rv - b.rv)
      .find((v) => pred(v.object));
  }

  /** When a version of a pod satisfying `pred` was first received (ms), if ever. */
  podFirstSeen(pred: (p: Pod) => boolean): number | undefined {
    const seen = this.pods.filter((v) => v.type !== 'DELETED' && pred(v.object)).map((v) => v.seen);
    return seen.length ? Math.min(...seen) : undefined;
  }

  /** Every recorded version of the pods (by revision). */
  podVersions(pred: (p: Pod) => boolean = () => true): Version<Pod>[] {
    return this.pods.filter((v) => v.type !== 'DELETED' && pred(v.object)).sort((a, b) => a.rv - b.rv);
  }

  /** The Job and its pods as they were at revision `rv` (objects deleted by then are left out). */
  at(name: string, rv: number): { job: Job; pods: Pod[] } {
    const latest = <T extends { metadata: { uid?: string } }>(list: Version<T>[]) => {
      const byUid = new Map<string, Version<T>>();
      for (const v of list) {
        if (v.rv > rv) continue;
        const uid = v.object.metadata.uid ?? '';
        const prev = byUid.get(uid);
        if (!prev || v.rv >= prev.rv) byUid.set(uid, v);
      }
      return [...byUid.values()].filter((v) => v.type !== 'DELETED').map((v) => v.object);
    };
    const job = latest(this.jobs).find((j) => j.metadata.name === name);
    assert.ok(job, `Job ${name} did not exist at revision ${rv}`);
    const pods = latest(this.pods)
      .filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === name)
      .sort(byCreation);
    return { job, pods };
  }

  /**
   * The revision at which the controller acted on Job `name`: the first Job version satisfying
   * `pred` (e.g. FailureTarget written) or, if earlier, the first deletion of one of its pods
   * (the controller deletes the active pods *before* it writes FailureTarget).
   */
  actedAt(name: string, pred: (j: Job) => boolean): number {
    const first = this.firstJob(name, pred);
    assert.ok(first, `no recorded version of Job ${name} satisfies the predicate`);
    const deleted = this.podVersions(
      (p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === name && !!p.metadata.deletionTimestamp,
    )[0];
    return deleted && deleted.rv < first.rv ? deleted.rv : first.rv;
  }

  /**
   * The model's decision on the cluster as it was just before the controller acted (see
   * actedAt), evaluated at the instant `now`.
   */
  decideBefore(
    name: string,
    pred: (j: Job) => boolean,
    now: Date,
    version: ServerVersion,
  ): { decision: JobDecision; job: Job; pods: Pod[]; rv: number } {
    const rv = this.actedAt(name, pred);
    const { job, pods } = this.at(name, rv - 1);
    return { decision: decideJob({ job, pods, events: [], now, serverVersion: version }), job, pods, rv };
  }
}

/** Any condition that shows the controller decided the Job's fate. */
export function decided(j: Job): boolean {
  return ['FailureTarget', 'Failed', 'SuccessCriteriaMet', 'Complete'].some((type) => trueCond(j, type) !== undefined);
}

/** What a `why <job>` e2e test works in: the cluster, a fresh namespace, a recorder of it, the server version. */
export interface JobScene {
  cp: ControlPlane;
  ns: string;
  rec: Recorder;
  version: ServerVersion;
}

/** Runs `fn` in a fresh namespace recorded from the start; the recorder stops and the namespace goes afterwards. */
export async function inJobScene<T>(cp: ControlPlane, fn: (scene: JobScene) => Promise<T>): Promise<T> {
  const version = await serverVersion(cp);
  return withNamespace(cp, async (ns) => {
    const rec = await Recorder.start(cp, ns);
    try {
      return await fn({ cp, ns, rec, version });
    } finally {
      await rec.stop();
    }
  });
}

/** The condition the model says the controller is about to write (first cause, first evidence). */
export function predictedCondition(d: JobDecision): { reason: string; message: string } {
  const value = d.causes[0]?.evidence[0]?.value as { reason: string; message: string } | undefined;
  assert.ok(value && typeof value.message === 'string', `no predicted condition in ${codes(d)}`);
  return value;
}

/** Waits for the Job's condition of that type to be True; the Job as then read. */
export async function waitForCondition(
  cp: ControlPlane,
  ns: string,
  name: string,
  type: string,
  timeoutMs = 60_000,
): Promise<Job> {
  return waitFor(
    async () => {
      const j = await getJob(cp, ns, name);
      return trueCond(j, type) ? j : undefined;
    },
    { what: `Job ${name} ${type}`, timeoutMs, intervalMs: 200 },
  );
}
