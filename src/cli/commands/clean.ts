// kubectl job clean: delete finished Jobs (never running ones), guarded by uid/resourceVersion
// preconditions, with confirmation, bounded concurrency, retries, progress and a full report.
import type { Command } from 'commander';
import { flag, Values } from '../flag-values.js';
import { requireAccess, requireConnection, connectionOf } from '../../cluster/actions.js';
import { countOutcomes, deleteJobs, type DeleteOutcome, type DeleteReport } from '../../cluster/delete-jobs.js';
import { DEFAULT_FAILURE_RUN } from '../../cluster/failure-run.js';
import { planClean, type CleanOutcome, type CleanPlan } from '../../controller/plans/clean.js';
import type { DryRun } from '../../controller/plans/types.js';
import { ExitCode, UsageError } from '../../errors.js';
import { explainCleanPlan, finishedText } from '../../explain/plans.js';
import { parseOutputFormat, toJson, type OutputFormat } from '../../output/format.js';
import { startProgress } from '../../output/progress.js';
import { startProgressBar } from '../../output/progress-bar.js';
import { renderTable } from '../../output/table.js';
import type { RunContext } from '../context.js';
import { parseCount, parseDuration } from '../parse-time.js';
import { defineBody, type Registration } from './define.js';
import { addDryRunFlag, confirm, parseDryRun, refuseSnapshot } from './mutating.js';

interface CleanOpts {
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

/** Exit code after Ctrl+C, as shells report SIGINT. */
const INTERRUPTED = 130;

/** Registers `clean`. */
export function registerClean(program: Command, reg: Registration): void {
  defineBody<CleanOpts>(
    program,
    reg,
    'clean',
    'delete finished Jobs (Complete or Failed), never running ones',
    (cmd) =>
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
          .addOption(flag('-o, --output <format>', 'output format: name|json', Values.oneOf(['name', 'json']))),
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
    runClean,
  );
}

async function runClean(ctx: RunContext, _args: string[], o: CleanOpts): Promise<number> {
  const format = parseOutputFormat(o.output, ['name', 'json']);
  const dryRun = parseDryRun(o.dryRun);
  refuseSnapshot(ctx.flags.snapshot, dryRun, 'clean');
  const outcomes: CleanOutcome[] = [
    ...(o.succeeded ? ['succeeded' as const] : []),
    ...(o.failed ? ['failed' as const] : []),
  ];
  if (!outcomes.length) throw new UsageError('say which finished Jobs to delete: --succeeded, --failed, or both');
  const olderThanMs = o.olderThan === undefined ? undefined : parseDuration(o.olderThan, '--older-than');
  const keep = o.keep === undefined ? undefined : o.keep === '0' ? 0 : parseCount(o.keep, '--keep');

  const src = await ctx.source();
  const scope = o.allNamespaces ? undefined : (ctx.flags.namespace ?? src.namespace);
  if (dryRun !== 'client') requireConnection(src, 'clean');
  const listing = startProgress(`listing Jobs in ${scope ? `namespace ${scope}` : 'all namespaces'}`, ctx.interactive);
  const jobs = await src.listJobs(scope, o.selector).finally(() => listing.stop());
  const now = ctx.now(src);
  const plan = planClean({ jobs, outcomes, olderThanMs, keep, now });
  for (const line of explainCleanPlan(plan, dryRun)) ctx.err.write(`${line}\n`);

  if (dryRun === 'client' || plan.delete.length === 0) {
    const results = plan.delete.map(
      (item): DeleteOutcome => ({ status: dryRun === 'client' ? 'deleted' : 'not-attempted', item }),
    );
    report(ctx, format, plan, results, dryRun, false, now);
    return ExitCode.Ok;
  }
  const conn = connectionOf(src)!;
  if (!o.yes && dryRun === 'none') {
    if (!ctx.input().isTTY) {
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
    if (!(await confirm(`Delete ${plan.delete.length} finished Jobs?`, ctx.err, ctx.input()))) {
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
  report(ctx, format, plan, results, dryRun, abort.signal.aborted, now, done.lostConnection, conn.server);
  const c = countOutcomes(results);
  if (abort.signal.aborted) return INTERRUPTED;
  if (done.lostConnection) return ExitCode.Cluster;
  return c.failed > 0 || c.unknown > 0 || c['not-attempted'] > 0 ? ExitCode.ProblemFound : ExitCode.Ok;
}

/** Up to `n` names, then "and N more". */
function someNames(results: DeleteOutcome[], n = 3): string {
  const names = results
    .slice(0, n)
    .map((r) => `job/${r.item.name}`)
    .join(', ');
  return results.length > n ? `${names} and ${results.length - n} more` : names;
}

/** The one line said when the run stopped because the API server could not be reached. */
export function lostConnectionLine(
  server: string,
  lost: NonNullable<DeleteReport['lostConnection']>,
  results: DeleteOutcome[],
): string {
  const unknown = results.filter((r) => r.status === 'unknown');
  const unsent = results.filter((r) => r.status === 'not-attempted').length;
  const parts = [
    `stopped: no answer from the API server at ${server} for ${Math.round(lost.ms / 1000)}s (${lost.failures} connection failures in a row, last ${lost.cause})`,
  ];
  if (unknown.length)
    parts.push(
      `${unknown.length} deletion${unknown.length === 1 ? ' was' : 's were'} in flight, outcome unknown (${someNames(unknown)})`,
    );
  if (unsent) parts.push(`${unsent} not sent`);
  return `${parts.join('; ')}; running the same command again is safe`;
}

function report(
  ctx: RunContext,
  format: OutputFormat,
  plan: CleanPlan,
  results: DeleteOutcome[],
  dryRun: DryRun,
  interrupted: boolean,
  now: Date,
  lost?: DeleteReport['lostConnection'],
  server = 'the API server',
): void {
  const c = countOutcomes(results);
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  if (format === 'json') {
    const pick = (s: DeleteOutcome['status']) => results.filter((r) => r.status === s);
    ctx.out.write(
      toJson({
        dryRun,
        interrupted,
        deleted: pick('deleted').map((r) => ({
          namespace: r.item.namespace,
          name: r.item.name,
          outcome: r.item.outcome,
          finishedAt: r.item.finishedAt,
        })),
        skipped: pick('skipped').map((r) => ({
          namespace: r.item.namespace,
          name: r.item.name,
          reason: r.status === 'skipped' ? r.message : '',
        })),
        failed: pick('failed').map((r) => ({
          namespace: r.item.namespace,
          name: r.item.name,
          error: r.status === 'failed' ? r.error.message : '',
        })),
        unknown: pick('unknown').map((r) => ({
          namespace: r.item.namespace,
          name: r.item.name,
          reason: r.status === 'unknown' ? r.message : '',
        })),
        notAttempted: pick('not-attempted').map((r) => ({ namespace: r.item.namespace, name: r.item.name })),
        protected: plan.protected.map((p) => ({ namespace: p.namespace, name: p.name, reason: p.reason })),
        lostConnection: lost ?? null,
        left: {
          notFinished: plan.notFinished,
          otherOutcome: plan.otherOutcome,
          keptByKeep: plan.keptByKeep,
          keptByAge: plan.keptByAge,
        },
      }),
    );
  } else if (format === 'name') {
    for (const r of results) if (r.status === 'deleted') ctx.out.write(`job.batch/${r.item.name}\n`);
  } else if (dryRun === 'client') {
    const rows = plan.delete.map((i) => [
      i.namespace,
      i.name,
      i.outcome,
      finishedText(i.finishedAt, now),
      i.owner ?? '-',
    ]);
    if (rows.length) ctx.out.write(renderTable(['namespace', 'name', 'outcome', 'finished', 'owner'], rows, ctx.style));
  }
  const sink = format === 'text' ? ctx.out : ctx.err;
  for (const r of results) {
    if (r.status === 'skipped') sink.write(`skipped job/${r.item.name} in ${r.item.namespace}: ${r.message}\n`);
  }
  for (const r of results) {
    if (r.status === 'failed')
      ctx.err.write(
        `${ctx.errStyle.tone('bad', 'failed')} job/${r.item.name} in ${r.item.namespace}: ${r.error.message}\n`,
      );
  }
  if (lost) {
    ctx.err.write(`${ctx.errStyle.tone('bad', 'error:')} ${lostConnectionLine(server, lost, results)}\n`);
  } else {
    for (const r of results) {
      if (r.status === 'unknown')
        ctx.err.write(
          `${ctx.errStyle.tone('warn', 'unknown')} job/${r.item.name} in ${r.item.namespace}: ${r.message}\n`,
        );
    }
  }
  const parts = [`deleted ${c.deleted}${suffix}`, `skipped ${c.skipped}`, `failed ${c.failed}`];
  if (c.unknown) parts.push(`unknown ${c.unknown}`);
  if (c['not-attempted'])
    parts.push(
      `not attempted ${c['not-attempted']}${interrupted ? ' (interrupted)' : lost ? ' (connection lost)' : ''}`,
    );
  if (plan.protected.length) parts.push(`protected ${plan.protected.length}`);
  const tone = c.failed || lost ? 'bad' : interrupted || c.unknown || c['not-attempted'] ? 'warn' : 'ok';
  sink.write(`${(format === 'text' ? ctx.style : ctx.errStyle).tone(tone, `${parts.join(', ')}`)}\n`);
}
