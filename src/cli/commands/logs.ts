// kubectl job logs: the logs of a Job's attempts. --all-attempts reads every pod in start order and,
// for restarted containers, the previous instance too, saying which instances are gone; --follow
// streams running instances and picks up new retry pods until the Job finishes.
import type { Command } from 'commander';
import { argument, flag, Values } from '../flag-values.js';
import { getJob, requireConnection } from '../../cluster/actions.js';
import type { Connection } from '../../cluster/kubeconfig.js';
import { connectionCause, DEFAULT_FAILURE_RUN, FailureRun, isConnectionFailure } from '../../cluster/failure-run.js';
import { LogCursor } from '../../cluster/log-cursor.js';
import { getPod, streamLog, type LogRequest } from '../../cluster/logs.js';
import { sleep } from '../../cluster/retry.js';
import { entryKeys, instanceEnd, planLogs, type LogSource } from '../../controller/plans/logs.js';
import { jobProgress } from '../../controller/plans/trigger.js';
import type { Job, Pod } from '../../api/types.js';
import { ClusterError, ExitCode, UsageError } from '../../errors.js';
import {
  defaultedNote,
  logEndHeader,
  logGoneHeader,
  logHeader,
  logPrefix,
  newestAttemptNote,
} from '../../explain/logs.js';
import type { RunContext } from '../context.js';
import { parseDuration } from '../parse-time.js';
import { parseTarget } from '../target.js';
import { defineBody, type Registration } from './define.js';

interface LogsOpts {
  allAttempts?: boolean;
  container?: string;
  allContainers?: boolean;
  follow?: boolean;
  tail?: string;
  since?: string;
  prefix?: boolean;
  timestamps?: boolean;
}

/** Streams followed at once; the connection pools 16 sockets and polling needs some. */
const MAX_FOLLOW = 8;
const POLL_MS = 1000;

/** Registers `logs`. */
export function registerLogs(program: Command, reg: Registration): void {
  defineBody<LogsOpts>(
    program,
    reg,
    'logs',
    "logs of a Job's attempts, previous container instances included",
    (cmd) =>
      cmd
        .addArgument(argument('<job>', 'job/NAME or NAME', Values.objects('Job')))
        .addOption(
          flag(
            '--all-attempts',
            'every pod of the Job in start order, with the previous instance of restarted containers',
          ),
        )
        .addOption(flag('-c, --container <name>', 'this container only', Values.none))
        .addOption(flag('--all-containers', 'every container of each pod (init containers first)'))
        .addOption(flag('-f, --follow', 'stream running containers and new retry pods until the Job finishes'))
        .addOption(flag('--tail <lines>', 'the last N lines of each container instance (default: all)', Values.none))
        .addOption(flag('--since <duration>', 'only lines newer than this, e.g. 10m', Values.none))
        .addOption(
          flag(
            '--prefix',
            'start every line with [pod/container#attempt] (.run when the container restarted); headers go to stderr',
          ),
        )
        .addOption(flag('--timestamps', 'start every line with its RFC 3339 timestamp'))
        .addHelpText(
          'after',
          `
Without --all-attempts this prints the newest attempt's latest container instance as bare lines, as
kubectl logs does, with the header on stderr (kubectl logs job/x shows the first pod instead; the
newest attempt is the one that decided the Job). Attempts are
numbered in start order, as \`kubectl job why job/NAME\` numbers them. The API keeps only the latest
and the previous instance of a container: older restarts are listed as gone, and so are pods that
were deleted. Each block starts with a header such as
  ==> pod/train-x7k2-abcde container/main attempt 2 (exit 137 OOMKilled, 3 restarts) <==

With --follow, a lost connection to the API server is survived: each followed stream is opened
again from the time of its last printed line (sinceTime) and the lines already printed are not
printed again. When the server gives no answer for ${DEFAULT_FAILURE_RUN.ms / 1000} s (at least ${DEFAULT_FAILURE_RUN.count} connection failures
in a row), it stops with one line and exit status 3; the lines printed until then are complete.

Examples:
  kubectl job logs job/train-x7k2 --all-attempts
  kubectl job logs train-x7k2 --all-attempts --all-containers --prefix | grep ERROR
  kubectl job logs job/train-x7k2 --all-attempts --follow --tail 20`,
        ),
    runLogs,
  );
}

/** Writes log lines and headers: tail-style headers on stdout between blocks, or (with --prefix, or
 * for the newest attempt alone, as `kubectl logs` prints bare lines) headers on stderr. */
class Sink {
  private last: string | undefined;
  constructor(
    private readonly ctx: RunContext,
    private readonly prefix: boolean,
    private readonly headersToStderr: boolean,
  ) {}

  note(text: string): void {
    this.last = undefined;
    if (this.headersToStderr) this.ctx.err.write(`${text}\n`);
    else this.ctx.out.write(`${this.ctx.style.bold(text)}\n`);
  }

  begin(s: LogSource): void {
    if (this.last === s.key) return;
    this.note(logHeader({ kind: 'read', source: s }));
    this.last = s.key;
  }

  line(s: LogSource, text: string): void {
    if (this.prefix) {
      this.ctx.out.write(`${logPrefix(s)}${text}\n`);
      return;
    }
    this.begin(s);
    this.ctx.out.write(`${text}\n`);
  }
}

async function runLogs(ctx: RunContext, args: string[], o: LogsOpts): Promise<number> {
  const target = parseTarget(args[0] ?? '', ['Job']);
  if (o.container && o.allContainers) throw new UsageError('give either -c/--container or --all-containers, not both');
  const tailLines = o.tail === undefined || o.tail === '-1' ? undefined : Number(o.tail);
  if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0))
    throw new UsageError(`--tail takes a whole number of lines, not "${o.tail}"`);
  const sinceSeconds =
    o.since === undefined ? undefined : Math.max(1, Math.ceil(parseDuration(o.since, '--since') / 1000));
  const src = await ctx.source();
  const conn = requireConnection(src, 'logs');
  let job = await src.getJob(ctx.flags.namespace ?? src.namespace, target.name);
  // With --follow, connection failures are ridden out until the run of them is too long (failure-run.ts).
  const follow: Follow = { run: new FailureRun(), abort: new AbortController() };
  const reconnecting = <T>(what: () => Promise<T>) => (o.follow ? ridingOut(conn, follow, what) : what());
  const namespace = job.metadata.namespace ?? src.namespace;
  const sink = new Sink(ctx, Boolean(o.prefix), Boolean(o.prefix) || !o.allAttempts);
  const seen = new Set<string>();
  const streams = new Map<string, Promise<void>>();
  // Followed instances whose stream ended: their exit is told once the pod status shows it.
  const ended = new Map<string, LogSource>();
  const failures: ClusterError[] = [];
  const base = { namespace, tailLines, sinceSeconds, timestamps: o.timestamps };
  let first = true;
  let final = !o.follow || jobProgress(job).state !== 'running';
  let printed = 0;

  for (;;) {
    const pods = await reconnecting(() => src.listPodsOfJob(job));
    const plan = planLogs({
      job,
      pods,
      container: o.container,
      allContainers: Boolean(o.allContainers),
      allAttempts: Boolean(o.allAttempts),
      exclude: seen,
    });
    for (const [key, s] of ended) {
      const end = instanceEnd(plan.attempts, s);
      if (end || final) {
        sink.note(logEndHeader(s, end));
        ended.delete(key);
      }
    }
    if (first) {
      first = false;
      if (plan.unknownContainer)
        throw new UsageError(`no pod of job/${target.name} has a container named "${plan.unknownContainer}"`);
      if (plan.defaulted) ctx.err.write(`${defaultedNote(plan.defaulted.container, plan.defaulted.of)}\n`);
      if (!o.allAttempts && plan.attempts.length > 1)
        ctx.err.write(`${newestAttemptNote(target.name, plan.attempts.length, plan.attempts.length)}\n`);
    }
    for (const e of plan.entries) {
      if (e.kind === 'read' && o.follow && e.source.running) {
        if (streams.size >= MAX_FOLLOW) continue;
        for (const k of entryKeys(e)) seen.add(k);
        const s = e.source;
        const p = read(
          conn,
          { ...base, pod: s.pod, container: s.container, follow: true },
          s,
          sink,
          failures,
          follow,
        ).finally(() => {
          streams.delete(s.key);
          ended.set(s.key, s);
        });
        streams.set(s.key, p);
        printed++;
        continue;
      }
      if (e.kind === 'waiting' && !final) continue;
      for (const k of entryKeys(e)) seen.add(k);
      printed++;
      if (e.kind === 'read')
        await read(
          conn,
          { ...base, pod: e.source.pod, container: e.source.container, previous: e.source.previous },
          e.source,
          sink,
          failures,
          o.follow ? follow : undefined,
        );
      else sink.note(logHeader(e));
    }
    if (final) break;
    // Keep going while the Job runs; once it has finished, one last pass picks up the final instances.
    await Promise.race([sleep(POLL_MS, follow.abort.signal), ...streams.values()]);
    if (follow.lost) break;
    job = await reconnecting(() => refresh(conn, job, namespace));
    if (jobProgress(job).state !== 'running') {
      await Promise.all(streams.values());
      final = true;
    }
  }
  await Promise.all(streams.values());
  if (follow.lost) throw follow.lost;
  if (printed === 0) ctx.warn(`job/${target.name} has no pods${o.allAttempts ? '' : ' (try --all-attempts)'}`);
  const denied = failures.find((f) => f.kind === 'Forbidden' || f.kind === 'Unauthorized');
  if (denied) throw denied;
  return ExitCode.Ok;
}

async function refresh(conn: Connection, job: Job, namespace: string): Promise<Job> {
  try {
    return await getJob(conn, namespace, job.metadata.name ?? '');
  } catch (e) {
    // A Job deleted while following: stop with what was shown.
    if (e instanceof ClusterError && e.kind === 'NotFound')
      return { ...job, status: { ...job.status, conditions: [{ type: 'Failed', status: 'True', reason: 'Deleted' }] } };
    throw e;
  }
}

/**
 * What a real kubelet answers (HTTP 200, as the log body) for an instance whose container it
 * has already removed, e.g. the previous instance of a restarted container once the pod has
 * finished: `unable to retrieve container logs for containerd://<id>`.
 */
const KUBELET_LOGS_REMOVED = /^unable to retrieve container logs for [a-z][\w.+-]*:\/\/[0-9a-f]{12,}$/;

function goneReason(e: ClusterError): string {
  if (e.kind === 'NotFound') return 'the pod no longer exists';
  const m = /: (.*) \(HTTP \d+\)$/s.exec(e.message);
  return (m?.[1] ?? e.message).split('\n')[0]!;
}

/** What the followed streams and the poll loop share: one failure run, and the stop once it is too long. */
interface Follow {
  run: FailureRun;
  abort: AbortController;
  /** Set when the connection was given up: the one-line error the command ends with. */
  lost?: ClusterError;
}

/** Stops every stream and records the one line the command ends with. */
function giveUp(conn: Connection, f: Follow): ClusterError {
  if (!f.lost) {
    const s = f.run.summary;
    f.lost = new ClusterError(
      'Unreachable',
      `lost the connection to the API server at ${conn.server}: no answer for ${Math.round(s.ms / 1000)}s (${s.failures} connection failures in a row, last ${connectionCause(s.lastError)}); ` +
        'the lines printed are complete and none was repeated; run the command again to go on',
    );
    f.abort.abort();
  }
  return f.lost;
}

/** The wait before the next try after `streak` connection failures in a row: 250 ms doubling to 2 s. */
const reconnectDelay = (streak: number) => Math.min(2000, 250 * 2 ** Math.min(streak - 1, 3));

/** Runs a request again after connection failures, until it is answered or the failure run is too long. */
async function ridingOut<T>(conn: Connection, f: Follow, what: () => Promise<T>): Promise<T> {
  for (let streak = 1; ; streak++) {
    if (f.lost) throw f.lost;
    try {
      const v = await what();
      f.run.answered();
      return v;
    } catch (e) {
      if (!isConnectionFailure(e)) throw e;
      if (f.run.failed(e)) throw giveUp(conn, f);
      await sleep(reconnectDelay(streak), f.abort.signal);
    }
  }
}

/**
 * Reads one container instance into the sink; logs the server no longer has become a "gone" line.
 * With `f` (--follow) the stream is read with timestamps=true and a LogCursor, so a stream cut by
 * a lost connection is opened again from its last printed line (sinceTime) without printing any
 * line twice; a running instance whose container restarted meanwhile is finished as the previous
 * instance. Then it never rejects: a connection given up is recorded in `f` and every stream stops.
 * Without `f`, a connection failure is the command's error (exit 3).
 */
async function read(
  conn: Connection,
  req: Omit<LogRequest, 'namespace'> & { namespace: string },
  s: LogSource,
  sink: Sink,
  failures: ClusterError[],
  f?: Follow,
): Promise<void> {
  const cursor = new LogCursor();
  let started = false;
  let previous = req.previous ?? false;
  let follow = req.follow ?? false;
  let streak = 0;
  const emit = (line: string) => {
    if (!started) sink.begin(s);
    started = true;
    sink.line(s, line);
  };
  for (;;) {
    if (f?.lost) return;
    // A first line that may be the kubelet's "container removed" answer: held until a second line
    // shows it was real output, or the stream ends with it alone (never for a running instance).
    let held: string | undefined;
    const since = f ? cursor.resume() : undefined;
    const open: LogRequest = {
      ...req,
      follow,
      previous,
      timestamps: f ? true : req.timestamps,
      ...(since === undefined ? {} : { tailLines: undefined, sinceSeconds: undefined, sinceTime: since }),
    };
    try {
      await streamLog(
        conn,
        open,
        (raw) => {
          const line = f ? cursor.take(raw) : { text: raw };
          if (!line) return; // printed before the connection was lost
          if (streak) {
            f?.run.answered();
            streak = 0;
          }
          const text = f && !req.timestamps ? line.text : raw;
          if (!started && held === undefined && !follow && KUBELET_LOGS_REMOVED.test(line.text)) {
            held = text;
            return;
          }
          if (held !== undefined) {
            emit(held);
            held = undefined;
          }
          emit(text);
        },
        f?.abort.signal,
      );
      if (f?.lost) return;
      f?.run.answered();
      if (held !== undefined) {
        sink.note(logGoneHeader(s, `the kubelet no longer has the container: "${held}"`));
        return;
      }
      if (!started) sink.begin(s);
      return;
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      if (!isConnectionFailure(e as unknown)) {
        f?.run.answered();
        if (e.kind === 'Forbidden' || e.kind === 'Unauthorized') failures.push(e);
        else sink.note(logGoneHeader(s, goneReason(e)));
        return;
      }
      if (!f) throw e;
      if (f.run.failed(e)) {
        giveUp(conn, f);
        return;
      }
      streak++;
      await sleep(reconnectDelay(streak), f.abort.signal);
      if (!follow) continue;
      // Did the container restart meanwhile? Then what is left of this instance is the previous one.
      const pod = await ridingOut(conn, f, () => getPod(conn, req.namespace, s.pod)).then(
        (p): Pod | null | 'unknown' => p,
        (x: unknown) => (x instanceof ClusterError && x.kind === 'NotFound' ? null : 'unknown'),
      );
      if (f.lost) return;
      if (pod === null) {
        sink.note(logGoneHeader(s, 'the pod no longer exists'));
        return;
      }
      if (pod !== 'unknown' && restartsOf(pod, s) + 1 > s.run) {
        previous = true;
        follow = false;
      }
    }
  }
}

function restartsOf(pod: Pod, s: LogSource): number {
  const list = s.init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return list?.find((c) => c.name === s.container)?.restartCount ?? 0;
}
