// kubectl job misses: every schedule time in a window and what became of it.
import { Option, type Command } from 'commander';
import { readCronJob } from '../../cluster/reads.js';
import { listMisses } from '../../controller/cronjob/misses.js';
import { explainMisses } from '../../explain/misses.js';
import { UsageError } from '../../errors.js';
import { renderExplanation } from '../../output/explanation.js';
import { parseOutputFormat, toJson, toYaml } from '../../output/format.js';
import { renderTimeline } from '../../output/timeline.js';
import type { RunContext } from '../context.js';
import { parseInstantOrAgo } from '../parse-time.js';
import { parseTarget } from '../target.js';
import { defineCommand } from './define.js';

interface MissesOpts {
  since: string;
  until?: string;
  output?: string;
  rows: string;
  controllerTimeZone: string;
}

/** Registers `misses`. */
export function registerMisses(program: Command, setCode: (c: number) => void): void {
  defineCommand<MissesOpts>(program, setCode, 'misses', 'every scheduled time of a CronJob in a window, and what became of it',
    (cmd) => cmd
      .argument('<cronjob>', 'cronjob/NAME or NAME')
      .option('--since <time|duration>', 'start of the window: RFC 3339 or a duration before now (24h, 7d)', '24h')
      .option('--until <time|duration>', 'end of the window (default: now)')
      .option('--rows <n>', 'timeline groups to list in text output', '40')
      .addOption(new Option('-o, --output <format>', 'output format: json|yaml (every slot)'))
      .addHelpText('after', `
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
replaced, forbid, suspended, missed-deadline); "unknown" alone does not fail.

Examples:
  kubectl job misses backup -n prod --since 7d
  kubectl job misses report --since 2026-11-01T00:00:00Z --until 2026-11-02T00:00:00Z
  kubectl job misses cleanup --snapshot examples/snapshot.yaml --since 3d -o json`),
    runMisses);
}

async function runMisses(ctx: RunContext, args: string[], o: MissesOpts): Promise<number> {
  const format = parseOutputFormat(o.output, ['json', 'yaml']);
  const target = parseTarget(args[0]!, ['CronJob']);
  const src = await ctx.source();
  const now = ctx.now(src);
  const since = parseInstantOrAgo(o.since, '--since', now);
  const until = o.until ? parseInstantOrAgo(o.until, '--until', now) : now;
  if (since.getTime() >= until.getTime()) throw new UsageError('--since must be before --until');
  const rows = Number(o.rows);
  if (!Number.isInteger(rows) || rows < 1) throw new UsageError(`--rows takes a whole number of at least 1, not "${o.rows}"`);
  const r = await readCronJob(src, ctx.flags.namespace ?? src.namespace, target.name);
  const report = listMisses({ ...r, now, since, until, controllerZone: o.controllerTimeZone });
  if (report.error) throw new UsageError(`cannot list the schedule times of cronjob/${report.name}: ${report.error}`, `kubectl job why cronjob/${report.name}`);
  if (format === 'json' || format === 'yaml') {
    ctx.out.write(format === 'json' ? toJson(report) : toYaml(JSON.parse(JSON.stringify(report))));
  } else {
    ctx.out.write(renderExplanation(explainMisses(report, { maxRows: rows }), ctx.style));
    if (ctx.out.isTTY) {
      const slots = report.slots;
      ctx.out.write('\n' + renderTimeline({
        length: slots.length,
        fate: (i) => slots.fate(i),
        failed: (i) => slots.jobRefs[i]! >= 0 && slots.jobs[slots.jobRefs[i]!]!.outcome === 'failed',
      }, ctx.style));
    }
  }
  const c = report.counts;
  const missed = c.forbid + c['missed-deadline'] + c.suspended + c.missed + c.replaced;
  return missed > 0 ? 1 : 0;
}
