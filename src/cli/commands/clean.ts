// kubectl job clean: delete finished Jobs (never running ones), guarded by uid/resourceVersion
// preconditions, with confirmation, bounded concurrency, retries, progress and a full report.
import type { Command } from 'commander';
import { flag, outputFlag, Values } from '../flag-values.js';
import { requireAccess, requireConnection, connectionOf } from '../../cluster/actions.js';
import { parseLabelSelector } from '../../cluster/request-parts.js';
import { countOutcomes, deleteJobs, type DeleteOutcome, type DeleteReport } from '../../cluster/delete-jobs.js';
import { DEFAULT_FAILURE_RUN } from '../../cluster/failure-run.js';
import { planClean, type CleanOutcome } from '../../controller/plans/clean.js';
import type { DryRun } from '../../controller/plans/types.js';
import { ExitCode, UsageError } from '../../errors.js';
import { explainCleanPlan } from '../../explain/plans.js';
import { parseOutputFormat } from '../../output/format.js';
import { startProgress } from '../../output/progress.js';
import { startProgressBar } from '../../output/progress-bar.js';
import type { RunContext } from '../context.js';
import { parseCount, parseDuration } from '../parse-time.js';
import { defineCommand, type RawInput, type Registration } from './define.js';
import { addDryRunFlag, confirm, parseDryRun, refuseSnapshot } from './mutating.js';
import { reportClean, type CleanFormat } from './clean-report.js';

/** The formats `-o` takes (the summary text is the default). */
const FORMATS = ['name', 'json'] as const satisfies readonly CleanFormat[];

/** What commander reads for `clean`. */
interface CleanFlags {
  succeeded?: boolean;
  failed?: boolean;
  olderThan?: string;
  keep?: string;
  selector?: string;
  allNamespaces?: boolean;
  yes?: boolean;
  dryRun?: string | boolean;
  output?: string;
}

/** `clean`'s options after validation. */
export interface CleanOptions {
  /** Which finished Jobs: --succeeded, --failed, or both (never empty). */
  outcomes: CleanOutcome[];
  /** --older-than, in milliseconds before the evaluation instant (known when running). */
  olderThanMs?: number;
  /** --keep: the newest N kept per CronJob (or namespace) and outcome. */
  keep?: number;
  /** -l, checked to be a label selector. */
  selector?: string;
  allNamespaces: boolean;
  yes: boolean;
  dryRun: DryRun;
  format: CleanFormat;
}

/** Exit code after Ctrl+C, as shells report SIGINT. */
const INTERRUPTED = 130;

/** Registers `clean`. */
export function registerClean(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'clean',
    summary: 'delete finished Jobs (Complete or Failed), never running ones',
    setup: (cmd) =>
      addDryRunFlag(
        cmd
          .addOption(flag('--succeeded', 'delete Jobs with condition Complete=True'))
          .addOption(flag('--failed', 'delete Jobs with condition Failed=True'))
          .addOption(
            flag('--older-than <duration>', 'only Jobs that finished at least this long ago, e.g. 7d', Values.none),
          )
          .addOption(
            flag(
              '--keep <n>',
              'keep the newest N per CronJob (per namespace for stand-alone Jobs) and outcome',
              Values.none,
            ),
          )
          .addOption(
            flag('-l, --selector <selector>', 'only Jobs matching this label selector, e.g. app=etl', Values.none),
          )
          .addOption(flag('-A, --all-namespaces', 'Jobs of every namespace'))
          .addOption(flag('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)'))
          .addOption(outputFlag(FORMATS)),
      ).addHelpText(
        'after',
        `
Never deleted: Jobs without a Complete=True or Failed=True condition, Jobs with active,
uncounted or terminating pods, and Jobs already being deleted. Each DELETE uses propagationPolicy
Background and the uid and resourceVersion seen when listing as preconditions: a Job that changed
in between is skipped and reported. Ctrl+C stops new deletions and reports what was done.
When the API server stops answering (${DEFAULT_FAILURE_RUN.count} or more connection failures in a row over
${DEFAULT_FAILURE_RUN.ms / 1000} s, with no answer in between), clean stops sending, prints one line saying so and the
summary: deletions whose answer was lost are checked by name once the server answers again, else
reported as unknown. Running the same command again is safe and finishes the work.
Exit status: 0 when every planned deletion succeeded or was skipped for safety, 1 when any failed
or has an unknown outcome, 2 without --yes in non-interactive use, 3 when it stopped because the
API server could not be reached, 130 when interrupted.

Examples:
  kubectl job clean --succeeded --older-than 7d -n prod
  kubectl job clean --failed --keep 3 -A --dry-run=client
  kubectl job clean --succeeded --failed -l team=data --yes -o name`,
      ),
    parse: parseClean,
    run: runClean,
  });
}

/** Validates `clean`'s input (pure). */
export function parseClean({ opts: o }: RawInput<CleanFlags>): CleanOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  const dryRun = parseDryRun(o.dryRun);
  refuseSnapshot(o.snapshot, dryRun, 'clean');
  const outcomes: CleanOutcome[] = [
    ...(o.succeeded ? ['succeeded' as const] : []),
    ...(o.failed ? ['failed' as const] : []),
  ];
  if (!outcomes.length) throw new UsageError('say which finished Jobs to delete: --succeeded, --failed, or both');
  const olderThanMs = o.olderThan === undefined ? undefined : parseDuration(o.olderThan, '--older-than');
  const keep = o.keep === undefined ? undefined : o.keep === '0' ? 0 : parseCount(o.keep, '--keep');
  if (o.selector !== undefined) parseLabelSelector(o.selector, '-l');
  return {
    outcomes,
    ...(olderThanMs === undefined ? {} : { olderThanMs }),
    ...(keep === undefined ? {} : { keep }),
    ...(o.selector === undefined ? {} : { selector: o.selector }),
    allNamespaces: Boolean(o.allNamespaces),
    yes: Boolean(o.yes),
    dryRun,
    format,
  };
}

/** Lists the finished Jobs, asks, deletes them and reports; the exit code says how it went. */
export async function runClean(ctx: RunContext, o: CleanOptions): Promise<number> {
  const { format, dryRun } = o;
  const src = await ctx.source();
  const scope = o.allNamespaces ? undefined : (ctx.flags.namespace ?? src.namespace);
  if (dryRun !== 'client') requireConnection(src, 'clean');
  const listing = startProgress(`listing Jobs in ${scope ? `namespace ${scope}` : 'all namespaces'}`, ctx.interactive);
  const jobs = await src.listJobs(scope, o.selector).finally(() => listing.stop());
  const now = ctx.now(src);
  const plan = planClean({ jobs, outcomes: o.outcomes, olderThanMs: o.olderThanMs, keep: o.keep, now });
  for (const line of explainCleanPlan(plan, dryRun)) ctx.err.write(`${line}\n`);

  if (dryRun === 'client' || plan.delete.length === 0) {
    const results = plan.delete.map(
      (item): DeleteOutcome => ({ status: dryRun === 'client' ? 'deleted' : 'not-attempted', item }),
    );
    reportClean(ctx, format, plan, results, dryRun, false, now);
    return ExitCode.Ok;
  }
  const conn = connectionOf(src)!;
  if (!o.yes && dryRun === 'none') {
    const input = ctx.input();
    if (!input.isTTY) {
      throw new UsageError(
        `refusing to delete ${plan.delete.length} Jobs without confirmation: stdin is not a terminal`,
        'pass --yes to confirm, or --dry-run=client to see the list first',
      );
    }
    const sample = plan.delete
      .slice(0, 5)
      .map((i) => `  job/${i.name} (${i.namespace}, ${i.outcome})`)
      .join('\n');
    ctx.err.write(`${sample}${plan.delete.length > 5 ? `\n  … and ${plan.delete.length - 5} more` : ''}\n`);
    if (!(await confirm(`Delete ${plan.delete.length} finished Jobs?`, ctx.err, input))) {
      ctx.err.write('nothing deleted\n');
      return ExitCode.Ok;
    }
  }
  // Ask before the first DELETE so a denial leaves every Job in place instead of some.
  await requireAccess(
    conn,
    'delete',
    'batch',
    'jobs',
    plan.delete.map((i) => i.namespace),
  );

  const abort = new AbortController();
  const onSigint = () => {
    abort.abort();
    ctx.err.write('\ninterrupted: no new deletions; waiting for those in flight (Ctrl+C again to quit at once)\n');
  };
  const stopListening = ctx.signals.on('SIGINT', onSigint);
  const bar = startProgressBar('deleting', ctx.interactive);
  let done: DeleteReport;
  try {
    done = await deleteJobs(conn, plan.delete, {
      dryRun,
      signal: abort.signal,
      onProgress: (p) =>
        bar.update(
          p.done,
          p.total,
          `deleted ${p.deleted}  skipped ${p.skipped}  failed ${p.failed}${p.retries ? `  retries ${p.retries}` : ''}`,
        ),
    });
  } finally {
    bar.stop();
    stopListening();
  }
  const results = done.results;
  reportClean(ctx, format, plan, results, dryRun, abort.signal.aborted, now, done.lostConnection, conn.server);
  const c = countOutcomes(results);
  if (abort.signal.aborted) return INTERRUPTED;
  if (done.lostConnection) return ExitCode.Cluster;
  return c.failed > 0 || c.unknown > 0 || c['not-attempted'] > 0 ? ExitCode.ProblemFound : ExitCode.Ok;
}
