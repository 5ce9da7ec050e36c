// kubectl job next: the next run times of a CronJob (or a bare schedule), exactly as the
// CronJob controller's cron library computes them.
import type { Command } from 'commander';
import { argument, flag, outputFlag, Values } from '../flag-values.js';
import { CronSyntaxError, loadLocation, parseStandard, TZDATA_VERSION } from '../../controller/cron/index.js';
import { nextTimes } from '../../controller/next-times.js';
import type { CronJob } from '../../api/types.js';
import { UsageError } from '../../errors.js';
import { explainNext, type NextReport } from '../../explain/next.js';
import { renderNext } from '../../output/next.js';
import { parseOutputFormat, toJson, toYaml } from '../../output/format.js';
import { parseCount, parseInstant } from '../parse-time.js';
import { parseTarget } from '../target.js';
import type { RunContext } from '../context.js';
import { defineCommand, type RawInput, type Registration } from './define.js';

/** The formats `-o` takes (text is the default). */
const FORMATS = ['json', 'yaml'] as const;

/** What commander reads for `next`. */
interface NextFlags {
  schedule?: string;
  timeZone?: string;
  from?: string;
  count: string;
  output?: string;
  filename?: string;
  controllerTimeZone: string;
}

/** `next`'s options after validation. */
export interface NextOptions {
  /** The CronJob named on the command line. */
  name?: string;
  /** A schedule given with --schedule (may be empty: robfig rejects that as "empty spec string"). */
  schedule?: string;
  /** A manifest file to read the CronJob from (read as a snapshot). */
  filename?: string;
  timeZone?: string;
  /** --from: an instant, or `now` (the evaluation instant, known when running); absent means now. */
  from?: Date | 'now';
  count: number;
  format: 'text' | 'json' | 'yaml';
  controllerTimeZone: string;
}

/** Registers `next`. */
export function registerNext(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'next',
    summary: 'the next run times of a CronJob or schedule, as the controller computes them',
    setup: (cmd) =>
      cmd
        .addArgument(argument('[cronjob]', 'cronjob/NAME or NAME', Values.objects('CronJob')))
        .addOption(
          flag('--schedule <cron>', 'a schedule to evaluate instead of a CronJob, e.g. "*/15 * * * *"', Values.none),
        )
        .addOption(
          flag(
            '--time-zone <zone>',
            'IANA time zone to evaluate in (default: .spec.timeZone, else --controller-time-zone)',
            Values.none,
          ),
        )
        .addOption(flag('--from <time>', 'list runs after this RFC 3339 instant (default: now)', Values.none))
        .addOption(flag('--count <n>', 'how many run times', Values.none).default('5'))
        .addOption(
          flag('-f, --filename <file>', 'read the CronJob from a manifest file instead of the cluster', Values.files),
        )
        .addOption(outputFlag(FORMATS))
        .addHelpText(
          'after',
          `
Examples:
  kubectl job next backup -n prod
  kubectl job next --schedule '30 2 * * *' --time-zone America/New_York --from 2026-03-07T00:00:00Z --count 3
  kubectl job next cronjob/report --snapshot examples/snapshot.yaml -o json`,
        ),
    parse: parseNext,
    globals: (o) => (o.filename ? { snapshot: o.filename } : {}),
    run: runNext,
  });
}

/** Validates `next`'s input (pure). */
export function parseNext({ args, opts: o }: RawInput<NextFlags>): NextOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  const count = parseCount(o.count, '--count');
  // An empty --schedule is a schedule (robfig rejects it: "empty spec string"), not a missing one.
  const hasSchedule = o.schedule !== undefined;
  if (args[0] && hasSchedule) throw new UsageError('give either a CronJob or --schedule, not both');
  if (!args[0] && !hasSchedule && !o.filename)
    throw new UsageError('give a CronJob name or --schedule', 'kubectl job next --schedule "*/5 * * * *"');
  if (o.filename && hasSchedule) throw new UsageError('give either -f FILE or --schedule, not both');
  return {
    ...(args[0] ? { name: parseTarget(args[0], ['CronJob']).name } : {}),
    ...(hasSchedule ? { schedule: o.schedule } : {}),
    ...(o.filename ? { filename: o.filename } : {}),
    ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
    ...(o.from !== undefined ? { from: o.from === 'now' ? 'now' : parseInstant(o.from, '--from') } : {}),
    count,
    format,
    controllerTimeZone: o.controllerTimeZone,
  };
}

/** Lists the run times. */
export async function runNext(ctx: RunContext, o: NextOptions): Promise<number> {
  let cronJob: CronJob | undefined;
  if (o.name) {
    const src = await ctx.source();
    cronJob = await src.getCronJob(ctx.flags.namespace ?? src.namespace, o.name);
  } else if (o.filename) {
    // A manifest with exactly one CronJob needs no name.
    const src = await ctx.source();
    const all = await src.listCronJobs(ctx.flags.namespace);
    if (all.length !== 1) {
      throw new UsageError(
        `${o.filename} holds ${all.length} CronJobs${ctx.flags.namespace ? ` in namespace ${ctx.flags.namespace}` : ''}: name one`,
        `kubectl job next NAME -f ${o.filename}`,
      );
    }
    cronJob = all[0]!;
  }
  const now = ctx.now(ctx.flags.snapshot ? await ctx.source() : undefined);
  const from = o.from instanceof Date ? o.from : now;
  const schedule = o.schedule ?? cronJob!.spec.schedule;
  const zoneName = o.timeZone ?? cronJob?.spec.timeZone ?? o.controllerTimeZone;
  const zoneSource = /^(CRON_)?TZ=/.test(schedule.trim())
    ? 'TZ= prefix in the schedule'
    : o.timeZone
      ? '--time-zone'
      : cronJob?.spec.timeZone
        ? '.spec.timeZone'
        : o.controllerTimeZone === 'UTC'
          ? 'controller zone, assumed UTC: see --controller-time-zone'
          : '--controller-time-zone';
  let zone: string;
  try {
    zone = loadLocation(zoneName);
  } catch {
    throw new UsageError(
      `unknown time zone "${zoneName}" (from ${zoneSource})`,
      'use an IANA name such as Europe/Berlin or America/New_York',
    );
  }
  let sched;
  try {
    sched = parseStandard(schedule, zone);
  } catch (e: unknown) {
    if (e instanceof CronSyntaxError) throw new UsageError(`invalid schedule "${schedule}": ${e.message}`);
    throw e;
  }
  const times = nextTimes(sched, from, o.count);
  const report: NextReport = {
    cronJob: cronJob
      ? { namespace: cronJob.metadata.namespace ?? 'default', name: cronJob.metadata.name ?? '' }
      : undefined,
    schedule,
    timeZone: sched.zone,
    timeZoneSource: zoneSource,
    suspended: cronJob?.spec.suspend === true,
    from,
    now,
    times,
    exhausted: times.length < o.count,
    tzdata: TZDATA_VERSION,
  };
  if (report.suspended)
    ctx.warn(
      `cronjob/${report.cronJob!.name} is suspended: the controller will not start these runs until it is resumed (kubectl job unsuspend ${report.cronJob!.name})`,
    );
  if (o.format === 'json' || o.format === 'yaml') {
    const data = explainNext(report).data;
    ctx.out.write(o.format === 'json' ? toJson(data) : toYaml(data));
  } else {
    ctx.out.write(renderNext(explainNext(report), ctx.style));
  }
  return 0;
}
