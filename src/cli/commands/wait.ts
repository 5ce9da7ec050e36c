// kubectl job wait job/NAME: wait for any Job to finish, with one exit code per outcome
// (0 Complete, 1 Failed with the `why` verdict on stderr, 3 cluster error or timeout). The same
// code waits for `trigger --wait`.
import type { Command } from 'commander';
import { argument, flag, Values } from '../flag-values.js';
import { requireConnection } from '../../cluster/actions.js';
import { readJob } from '../../cluster/reads.js';
import type { ClusterSource } from '../../cluster/source.js';
import { waitForJobEnd } from '../../cluster/wait-job.js';
import { decideJob } from '../../controller/job/decide.js';
import { jobProgress } from '../../controller/plans/trigger.js';
import { ClusterError, ExitCode } from '../../errors.js';
import { explainJob } from '../../explain/job.js';
import { explainJobEnd } from '../../explain/plans.js';
import { renderExplanation } from '../../output/explanation.js';
import { startProgress } from '../../output/progress.js';
import type { RunContext } from '../context.js';
import { parseWait, type WaitOptions } from '../trigger-options.js';
import { defineCommand, type Registration } from './define.js';

/** Registers `wait`. */
export function registerWait(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'wait',
    summary: 'wait for a Job to finish: exit 0 when it completes, 1 when it fails (with the why verdict)',
    setup: (cmd) =>
      cmd
        .addArgument(argument('[job]', 'job/NAME or NAME', Values.objects('Job')))
        .addOption(
          flag(
            '--timeout <duration>',
            "give up after this long (kubectl's grammar: 30s, 5m, 1h; 0 = look once)",
            Values.none,
          ).default('30s'),
        )
        .addHelpText(
          'after',
          `
Works on any Job (made by a CronJob, by trigger, or by hand). It lists the Job, then watches it
from that resourceVersion: no polling. A watch the server ends or the network drops is resumed
from the last version seen; 410 Gone re-lists. If the API server stays unreachable for 2 minutes,
the wait stops with one line and exit 3 (the Job itself is unaffected).
Exit status: 0 Complete, 1 Failed (the why verdict on stderr), 3 timed out or cluster error,
4 the Job does not exist (or was deleted while waiting), 5 forbidden.

Examples:
  kubectl job wait job/backup-29399040 -n prod
  kubectl job wait train-x7k2 --timeout 2h && echo done
  kubectl job wait job/report --timeout 0          # look once: 0/1 if finished, 3 if still running`,
        ),
    parse: parseWait,
    run: runWait,
  });
}

/** Waits for the Job and reports its end. */
export async function runWait(ctx: RunContext, o: WaitOptions): Promise<number> {
  const src = await ctx.source();
  const ns = ctx.flags.namespace ?? src.namespace;
  return awaitJob(ctx, src, ns, o.name, o.timeoutMs, 'text', 'wait');
}

/** Waits for job/`name` and reports the end: the shared body of `wait` and `trigger --wait`.
 * `timeoutMs`: 0 looks once, Infinity never gives up. With `-o` the end line goes to stderr. */
export async function awaitJob(
  ctx: RunContext,
  src: ClusterSource,
  namespace: string,
  name: string,
  timeoutMs: number,
  format: string,
  what: string,
): Promise<number> {
  const conn = requireConnection(src, what);
  const spinner = startProgress(`waiting for job/${name}`, ctx.interactive);
  let result;
  try {
    result = await waitForJobEnd(conn, namespace, name, {
      timeoutMs,
      done: (j) => jobProgress(j).state !== 'running',
      onUpdate: (j) => {
        const p = jobProgress(j);
        if (p.state === 'running')
          spinner.update(`waiting for job/${name}: active ${p.active}, succeeded ${p.succeeded}, failed ${p.failed}`);
      },
      onResume: (why, detail) => {
        if (why !== 'ended')
          spinner.update(
            `waiting for job/${name}: ${why === 'gone' ? 'watch expired, listing again' : `connection lost (${detail}), resuming`}`,
          );
      },
    });
  } finally {
    spinner.stop();
  }
  const progress = jobProgress(result.job);
  if (progress.state === 'running') {
    const limit =
      timeoutMs === 0
        ? `job/${name} has not finished`
        : `timed out after ${formatSeconds(timeoutMs)} waiting for job/${name}`;
    throw new ClusterError(
      'Timeout',
      `${limit} in namespace "${namespace}" (active ${progress.active}, succeeded ${progress.succeeded}, failed ${progress.failed})`,
      `it keeps running; follow it with: kubectl job logs job/${name} -n ${namespace} --all-attempts --follow`,
    );
  }
  const end = explainJobEnd(name, progress);
  const sink = format === 'text' ? ctx.out : ctx.err;
  if (progress.state === 'complete') {
    sink.write(`${end.text}\n`);
    return ExitCode.Ok;
  }
  sink.write(`${(format === 'text' ? ctx.style : ctx.errStyle).tone('bad', end.text)}\n`);
  await writeVerdict(ctx, src, namespace, name, result.job);
  if (end.hint) ctx.err.write(`${ctx.errStyle.dim(`hint: ${end.hint} -n ${namespace}`)}\n`);
  return ExitCode.ProblemFound;
}

/** The `why job/NAME` verdict on stderr; if it cannot be built, one line saying so. */
async function writeVerdict(
  ctx: RunContext,
  src: ClusterSource,
  namespace: string,
  name: string,
  job: Awaited<ReturnType<ClusterSource['getJob']>>,
): Promise<void> {
  try {
    const r = await readJob(src, namespace, name, job);
    const v = decideJob({ ...r, now: ctx.current() });
    ctx.err.write(renderExplanation(explainJob(v), ctx.errStyle));
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    ctx.err.write(`(no why verdict: ${e.message})\n`);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
}
