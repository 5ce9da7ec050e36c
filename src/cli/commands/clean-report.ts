// What `kubectl job clean` prints once it has run: the deleted Jobs (names, JSON, or the dry run's
// table) on stdout, skipped, failed and unknown deletions, the lost-connection line and the summary.
import type { DeleteOutcome, DeleteReport } from '../../cluster/delete-jobs.js';
import { countOutcomes } from '../../cluster/delete-jobs.js';
import type { CleanPlan } from '../../controller/plans/clean.js';
import type { DryRun } from '../../controller/plans/types.js';
import { finishedText } from '../../explain/plans.js';
import { toJson } from '../../output/format.js';
import { renderTable } from '../../output/table.js';
import type { RunContext } from '../context.js';

/** How clean prints: the summary text (default), the deleted names, or JSON. */
export type CleanFormat = 'text' | 'name' | 'json';

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

/** Prints what was done: the table, names or JSON on stdout, problems and the summary line. */
export function reportClean(
  ctx: RunContext,
  format: CleanFormat,
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
