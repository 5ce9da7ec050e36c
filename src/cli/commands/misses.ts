// kubectl job misses: every schedule time in a window and what became of it.
import type { Command } from 'commander';
import { argument, flag, outputFlag, Values } from '../flag-values.js';
import { readCronJob, readFleet, type CronJobReads } from '../../cluster/reads.js';
import { listMisses, type MissesReport } from '../../controller/cronjob/misses.js';
import { explainMisses } from '../../explain/misses.js';
import { UsageError } from '../../errors.js';
import { renderExplanation } from '../../output/explanation.js';
import { parseOutputFormat, toJson, toYaml } from '../../output/format.js';
import { renderTimeline } from '../../output/timeline.js';
import type { RunContext } from '../context.js';
import { parseTimeArg, resolveTimeArg, type TimeArg } from '../parse-time.js';
import { renderUnreadable } from '../../output/unreadable.js';
import { reportUnreadable } from '../unreadable.js';
import { createdAfterNow, requireExistedAt } from '../existed.js';
import { parseMissesScope } from '../scope.js';
import { parseTarget } from '../target.js';
import { defineCommand, type RawInput, type Registration } from './define.js';

/** The formats `-o` takes (text is the default). */
const FORMATS = ['json', 'yaml'] as const;

/** What commander reads for `misses`. */
export interface MissesFlags {
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
  since: string;
  until?: string;
  output?: string;
  rows: string;
  controllerTimeZone: string;
}

/** `misses`'s options after validation. */
export interface MissesOptions {
  /** One CronJob by name, or every selected CronJob of the namespace (or of all, `allNamespaces`). */
  scope: { kind: 'one'; name: string } | { kind: 'fleet'; selector?: string; allNamespaces: boolean };
  /** Start and end of the window (since, until]: relative to the evaluation instant or absolute; no until = now. */
  since: TimeArg;
  until?: TimeArg;
  /** Timeline groups listed in text output. */
  rows: number;
  format: 'text' | (typeof FORMATS)[number];
  controllerTimeZone: string;
}

/** Registers `misses`. */
export function registerMisses(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'misses',
    summary: 'every scheduled time of a CronJob in a window, and what became of it',
    setup: (cmd) =>
      cmd
        .addArgument(
          argument('[cronjob]', 'cronjob/NAME or NAME (or select several with -l or --all)', Values.objects('CronJob')),
        )
        .addOption(
          flag(
            '-l, --selector <selector>',
            'every CronJob with these labels, e.g. app=etl (instead of a name)',
            Values.none,
          ),
        )
        .addOption(flag('--all', 'every CronJob in the namespace'))
        .addOption(flag('-A, --all-namespaces', 'every CronJob (with -l: every selected CronJob) in every namespace'))
        .addOption(
          flag(
            '--since <time|duration>',
            'start of the window: RFC 3339 or a duration before now (24h, 7d)',
            Values.none,
          ).default('24h'),
        )
        .addOption(flag('--until <time|duration>', 'end of the window (default: now)', Values.none))
        .addOption(flag('--rows <n>', 'timeline groups to list in text output', Values.none).default('40'))
        .addOption(outputFlag(FORMATS, '(every slot)'))
        .addHelpText(
          'after',
          `
Fates, each proved by what survives (the slot's "reason" names the evidence):
  ran              its Job exists (or an event shows it ran and was deleted while running)
  replaced         its Job was deleted by Replace when the next run started (SuccessfulDelete event)
  pruned           its Job finished and a history limit removed it (SuccessfulDelete + SawCompletedJob)
  missed           no Job was ever created: after .status.lastScheduleTime, or between kept Jobs
                   where the history limits' oldest-first order proves none was removed
  forbid           not started: a Job was running under concurrencyPolicy Forbid
  suspended        .spec.suspend was true (managedFields), or skipped until a resume
  missed-deadline  not started within startingDeadlineSeconds (or a MissSchedule event)
  unknown          the Job and the events that would tell are gone
  due, upcoming, before creation
Exit status: 0 when nothing in the window is known to be missed, 1 when something was (missed,
replaced, forbid, suspended, missed-deadline); "unknown" alone does not fail. With -l or --all:
1 when any selected CronJob had such a time (or a schedule that cannot be listed).

Examples:
  kubectl job misses backup -n prod --since 7d
  kubectl job misses report --since 2026-11-01T00:00:00Z --until 2026-11-02T00:00:00Z
  kubectl job misses cleanup --snapshot examples/snapshot.yaml --since 3d -o json
  kubectl job misses -l team=data -A --since 7d     # every CronJob labelled team=data`,
        ),
    parse: parseMisses,
    run: runMisses,
  });
}

/** Validates `misses`'s input (pure). */
export function parseMisses({ args, opts: o }: RawInput<MissesFlags>): MissesOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  const scope = parseMissesScope({ target: args[0], all: o.all, allNamespaces: o.allNamespaces, selector: o.selector });
  const since = parseTimeArg(o.since, '--since');
  const until = o.until ? parseTimeArg(o.until, '--until') : undefined;
  // Two instants, or two durations before now, are ordered without knowing now (a mix is checked when running).
  const end = until ?? { agoMs: 0 };
  const ordered =
    'at' in since && 'at' in end
      ? since.at.getTime() < end.at.getTime()
      : 'agoMs' in since && 'agoMs' in end
        ? since.agoMs > end.agoMs
        : true;
  if (!ordered) throw new UsageError('--since must be before --until');
  return {
    scope:
      scope.kind === 'one'
        ? { kind: 'one', name: parseTarget(scope.target, ['CronJob']).name }
        : {
            kind: 'fleet',
            ...(scope.selector !== undefined ? { selector: scope.selector } : {}),
            allNamespaces: scope.allNamespaces,
          },
    since,
    ...(until ? { until } : {}),
    rows: parseRows(o.rows),
    format,
    controllerTimeZone: o.controllerTimeZone,
  };
}

/** The window (since, until] at the evaluation instant. */
function missesWindow(ctx: RunContext, o: MissesOptions, src: Parameters<RunContext['now']>[0]) {
  const now = ctx.now(src);
  const since = resolveTimeArg(o.since, now);
  const until = o.until ? resolveTimeArg(o.until, now) : now;
  if (since.getTime() >= until.getTime()) throw new UsageError('--since must be before --until');
  return { now, since, until };
}

/** Lists the schedule times of one CronJob or of a selection. */
export async function runMisses(ctx: RunContext, o: MissesOptions): Promise<number> {
  if (o.scope.kind === 'fleet') return runMissesFleet(ctx, o, o.scope);
  const format = o.format;
  const rows = o.rows;
  const src = await ctx.source();
  const { now, since, until } = missesWindow(ctx, o, src);
  const r = await readCronJob(src, ctx.flags.namespace ?? src.namespace, o.scope.name);
  requireExistedAt(ctx, 'cronjob', r.cronJob, now);
  const report = listMisses({ ...r, now, since, until, controllerZone: o.controllerTimeZone });
  if (report.error)
    throw new UsageError(
      `cannot list the schedule times of cronjob/${report.name}: ${report.error}`,
      `kubectl job why cronjob/${report.name}`,
    );
  reportUnreadable(ctx, r.unreadable);
  if (format === 'json' || format === 'yaml') {
    const data = r.unreadable.length ? { ...JSON.parse(JSON.stringify(report)), unreadable: r.unreadable } : report;
    ctx.out.write(format === 'json' ? toJson(data) : toYaml(JSON.parse(JSON.stringify(data))));
  } else {
    ctx.out.write(
      renderExplanation(explainMisses(report, { maxRows: rows }), ctx.style) +
        renderUnreadable(r.unreadable, ctx.style),
    );
    writeTimeline(ctx, report);
  }
  return anyMissed(report) ? 1 : 0;
}

/** --rows: a whole number of at least 1. */
function parseRows(v: string): number {
  const rows = Number(v);
  if (!Number.isInteger(rows) || rows < 1)
    throw new UsageError(`--rows takes a whole number of at least 1, not "${v}"`);
  return rows;
}

/** True when a time of the window is known not to have run as scheduled. */
function anyMissed(report: MissesReport): boolean {
  const c = report.counts;
  return c.forbid + c['missed-deadline'] + c.suspended + c.missed + c.replaced > 0;
}

/** On a terminal: the one-line-per-60-slots picture under the table. */
function writeTimeline(ctx: RunContext, report: MissesReport): void {
  if (!ctx.out.isTTY) return;
  const slots = report.slots;
  ctx.out.write(
    `\n${renderTimeline(
      {
        length: slots.length,
        fate: (i) => slots.fate(i),
        failed: (i) => slots.jobRefs[i]! >= 0 && slots.jobs[slots.jobRefs[i]!]!.outcome === 'failed',
      },
      ctx.style,
    )}`,
  );
}

/**
 * `misses -l SELECTOR` / `misses --all` (with -n or -A): the report of every selected CronJob,
 * read with three lists as `why --all` reads them. Text: one report after the other; -o json|yaml:
 * a CronJobMissesList. A schedule that cannot be listed is reported in its item and counts as a problem.
 */
async function runMissesFleet(
  ctx: RunContext,
  o: MissesOptions,
  scope: { selector?: string; allNamespaces: boolean },
): Promise<number> {
  const { format, rows } = o;
  const selector = scope.selector;
  const src = await ctx.source();
  const { now, since, until } = missesWindow(ctx, o, src);
  const everywhere = scope.allNamespaces || (Boolean(ctx.flags.snapshot) && !src.namespaceExplicit);
  const ns = everywhere ? undefined : (ctx.flags.namespace ?? src.namespace);
  let reads: CronJobReads[] = await readFleet(src, ns, { labelSelector: selector });
  const later = reads.filter((r) => createdAfterNow(ctx, r.cronJob, now));
  if (later.length) {
    ctx.warn(
      `--now ${ctx.flags.now} is before ${later.length} CronJob(s) existed; left out: ${later
        .slice(0, 5)
        .map((r) => `${r.cronJob.metadata.namespace ?? 'default'}/${r.cronJob.metadata.name}`)
        .join(', ')}${later.length > 5 ? ', …' : ''}`,
    );
    reads = reads.filter((r) => !later.includes(r));
  }
  const reports = reads
    .map((r) => listMisses({ ...r, now, since, until, controllerZone: o.controllerTimeZone }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const unreadable = reads[0]?.unreadable ?? [];
  if (reports.length === 0)
    ctx.err.write(
      `No CronJobs found in ${ns ? `namespace ${ns}` : 'any namespace'}${selector ? ` matching -l ${selector}` : ''}.\n`,
    );
  else reportUnreadable(ctx, unreadable);
  for (const r of reports)
    if (r.error)
      ctx.warn(`cannot list the schedule times of cronjob/${r.name} in namespace ${r.namespace}: ${r.error}`);
  if (format === 'json' || format === 'yaml') {
    const items = reports.map((r) => ({
      ...JSON.parse(JSON.stringify(r)),
      ...(unreadable.length ? { unreadable } : {}),
    }));
    const data = { kind: 'CronJobMissesList', items };
    ctx.out.write(format === 'json' ? toJson(data) : toYaml(data));
  } else {
    reports.forEach((r, i) => {
      if (i > 0) ctx.out.write('\n');
      if (r.error) {
        ctx.out.write(`cronjob/${r.name} in namespace ${r.namespace}: cannot list the schedule times: ${r.error}\n`);
        return;
      }
      ctx.out.write(renderExplanation(explainMisses(r, { maxRows: rows }), ctx.style));
      writeTimeline(ctx, r);
    });
    if (reports.length) ctx.out.write(renderUnreadable(unreadable, ctx.style));
  }
  return reports.some((r) => r.error !== null || anyMissed(r)) ? 1 : 0;
}
