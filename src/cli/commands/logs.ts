// kubectl job logs: the logs of a Job's attempts. --all-attempts reads every pod in start order and,
// for restarted containers, the previous instance too, saying which instances are gone; --follow
// streams running instances and picks up new retry pods until the Job finishes.
import type { Command } from 'commander';
import { argument, flag, Values } from '../flag-values.js';
import { requireConnection } from '../../cluster/actions.js';
import { DEFAULT_FAILURE_RUN } from '../../cluster/failure-run.js';
import { sleep } from '../../cluster/retry.js';
import { entryKeys, instanceEnd, planLogs, type LogSource } from '../../controller/plans/logs.js';
import { jobProgress } from '../../controller/plans/trigger.js';
import { type ClusterError, ExitCode, UsageError } from '../../errors.js';
import { defaultedNote, logEndHeader, logHeader, newestAttemptNote } from '../../explain/logs.js';
import type { RunContext } from '../context.js';
import { parseDuration } from '../parse-time.js';
import { parseTarget } from '../target.js';
import { defineCommand, type RawInput, type Registration } from './define.js';
import { readInstance } from './logs-read.js';
import { refreshJob, ridingOut, startFollow } from './logs-reconnect.js';
import { Sink } from './logs-sink.js';

/** What commander reads for `logs`. */
interface LogsFlags {
  allAttempts?: boolean;
  container?: string;
  allContainers?: boolean;
  follow?: boolean;
  tail?: string;
  since?: string;
  prefix?: boolean;
  timestamps?: boolean;
}

/** `logs`'s options after validation. */
export interface LogsOptions {
  /** The Job's name. */
  name: string;
  allAttempts: boolean;
  /** -c: this container only. */
  container?: string;
  allContainers: boolean;
  follow: boolean;
  /** --tail: the last N lines of each instance (absent: all, as --tail -1). */
  tailLines?: number;
  /** --since, in whole seconds (at least 1), as the API takes it. */
  sinceSeconds?: number;
  prefix: boolean;
  timestamps: boolean;
}

/** Streams followed at once; the connection pools 16 sockets and polling needs some. */
const MAX_FOLLOW = 8;
const POLL_MS = 1000;

/** Registers `logs`. */
export function registerLogs(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'logs',
    summary: "logs of a Job's attempts, previous container instances included",
    setup: (cmd) =>
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
    parse: parseLogs,
    run: runLogs,
  });
}

/** Validates `logs`'s input (pure). */
export function parseLogs({ args, opts: o }: RawInput<LogsFlags>): LogsOptions {
  const target = parseTarget(args[0] ?? '', ['Job']);
  if (o.container && o.allContainers) throw new UsageError('give either -c/--container or --all-containers, not both');
  const tailLines = o.tail === undefined || o.tail === '-1' ? undefined : Number(o.tail);
  if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0))
    throw new UsageError(`--tail takes a whole number of lines, not "${o.tail}"`);
  const sinceSeconds =
    o.since === undefined ? undefined : Math.max(1, Math.ceil(parseDuration(o.since, '--since') / 1000));
  return {
    name: target.name,
    allAttempts: Boolean(o.allAttempts),
    ...(o.container !== undefined ? { container: o.container } : {}),
    allContainers: Boolean(o.allContainers),
    follow: Boolean(o.follow),
    ...(tailLines === undefined ? {} : { tailLines }),
    ...(sinceSeconds === undefined ? {} : { sinceSeconds }),
    prefix: Boolean(o.prefix),
    timestamps: Boolean(o.timestamps),
  };
}

/**
 * Prints the logs. Each pass lists the Job's pods, plans what to read (planLogs) and reads what it
 * has not read yet; without --follow there is one pass. With --follow, running instances are
 * streamed (at most MAX_FOLLOW at once) while the loop polls for new pods and the Job's state;
 * once the Job has finished, one last pass picks up the final instances.
 */
export async function runLogs(ctx: RunContext, o: LogsOptions): Promise<number> {
  const src = await ctx.source();
  const conn = requireConnection(src, 'logs');
  let job = await src.getJob(ctx.flags.namespace ?? src.namespace, o.name);
  // With --follow, connection failures are ridden out until the run of them is too long (logs-reconnect.ts).
  const follow = startFollow();
  const reconnecting = <T>(what: () => Promise<T>) => (o.follow ? ridingOut(conn, follow, what) : what());
  const namespace = job.metadata.namespace ?? src.namespace;
  const sink = new Sink(ctx, o.prefix, o.prefix || !o.allAttempts);
  const seen = new Set<string>();
  const streams = new Map<string, Promise<void>>();
  // Followed instances whose stream ended: their exit is told once the pod status shows it.
  const ended = new Map<string, LogSource>();
  const failures: ClusterError[] = [];
  const base = { namespace, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, timestamps: o.timestamps };
  let first = true;
  let final = !o.follow || jobProgress(job).state !== 'running';
  let printed = 0;

  for (;;) {
    const pods = await reconnecting(() => src.listPodsOfJob(job));
    const plan = planLogs({
      job,
      pods,
      container: o.container,
      allContainers: o.allContainers,
      allAttempts: o.allAttempts,
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
        throw new UsageError(`no pod of job/${o.name} has a container named "${plan.unknownContainer}"`);
      if (plan.defaulted) ctx.err.write(`${defaultedNote(plan.defaulted.container, plan.defaulted.of)}\n`);
      if (!o.allAttempts && plan.attempts.length > 1)
        ctx.err.write(`${newestAttemptNote(o.name, plan.attempts.length, plan.attempts.length)}\n`);
    }
    for (const e of plan.entries) {
      if (e.kind === 'read' && o.follow && e.source.running) {
        if (streams.size >= MAX_FOLLOW) continue;
        for (const k of entryKeys(e)) seen.add(k);
        const s = e.source;
        const p = readInstance(
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
        await readInstance(
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
    job = await reconnecting(() => refreshJob(conn, job, namespace));
    if (jobProgress(job).state !== 'running') {
      await Promise.all(streams.values());
      final = true;
    }
  }
  await Promise.all(streams.values());
  if (follow.lost) throw follow.lost;
  if (printed === 0) ctx.warn(`job/${o.name} has no pods${o.allAttempts ? '' : ' (try --all-attempts)'}`);
  const denied = failures.find((f) => f.kind === 'Forbidden' || f.kind === 'Unauthorized');
  if (denied) throw denied;
  return ExitCode.Ok;
}
