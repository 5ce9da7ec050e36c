// kubectl job trigger: run a CronJob now, creating the same Job `kubectl create job --from=cronjob/x`
// does, after saying what the CronJob controller will make of it; or, with --for/--missed, create
// the Jobs the controller would have created for past schedule times. Overrides (image, env, args)
// for a one-off run; optionally wait for the end (the code of `kubectl job wait`).
import type { Command } from 'commander';
import { argument, flag, outputFlag, Values } from '../flag-values.js';
import { createJob, requireConnection } from '../../cluster/actions.js';
import { readCronJob, type CronJobReads } from '../../cluster/reads.js';
import type { ClusterSource } from '../../cluster/source.js';
import { predictAfterResume, syncDecision } from '../../controller/cronjob/index.js';
import {
  BackfillError,
  OWNER_MODES,
  ownerReferenceFor,
  planBackfill,
  type BackfillItem,
} from '../../controller/plans/backfill.js';
import { applyOverrides, describeOverrides, noOverrides } from '../../controller/plans/overrides.js';
import { planTrigger } from '../../controller/plans/trigger.js';
import type { DryRun } from '../../controller/plans/types.js';
import type { Job } from '../../api/types.js';
import { ClusterError, ExitCode, UsageError } from '../../errors.js';
import { backfillRow, dryRunSuffix, explainOwner, explainTriggerWarning } from '../../explain/plans.js';
import { toJson, toYaml, type OutputFormat } from '../../output/format.js';
import { renderTable } from '../../output/table.js';
import type { RunContext } from '../context.js';
import { resolveTimeArg } from '../parse-time.js';
import { parseTrigger, sinceInPast, TRIGGER_FORMATS, type TriggerOptions } from '../trigger-options.js';
import { defineCommand, type Registration } from './define.js';
import { addDryRunFlag, confirm, cryptoRandom } from './mutating.js';
import { awaitJob } from './wait.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Registers `trigger`. */
export function registerTrigger(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'trigger',
    summary: 'run a CronJob now (the Job `kubectl create job --from=cronjob/NAME` creates), or backfill missed times',
    setup: (cmd) =>
      addDryRunFlag(
        cmd
          .addArgument(argument('[cronjob]', 'cronjob/NAME or NAME (same as --from)', Values.objects('CronJob')))
          .addArgument(argument('[args...]', "after --: args replacing the container's args", Values.none))
          .addOption(flag('--from <cronjob>', 'the CronJob to run: cronjob/NAME', Values.objects('CronJob')))
          .addOption(
            flag('--name <name>', 'name of the Job (default: <cronjob>-manual-<5 random characters>)', Values.none),
          )
          .addOption(
            flag(
              '--for <time>',
              'create the Job the controller would have created for this schedule time (RFC 3339; repeatable)',
              Values.none,
            ).argParser(collect),
          )
          .addOption(
            flag(
              '--missed',
              'create the Jobs for the times `kubectl job misses` calls not run (missed, suspended, forbid, missed-deadline) in --since',
            ),
          )
          .addOption(
            flag('--since <time|duration>', 'with --missed: start of the window (24h, 7d, or RFC 3339)', Values.none),
          )
          .addOption(flag('--image <image>', "run this image in the container instead of the template's", Values.none))
          .addOption(
            flag(
              '--env <NAME=VALUE>',
              'set an environment variable in the container (repeatable)',
              Values.none,
            ).argParser(collect),
          )
          .addOption(
            flag('--container <name>', 'the container the overrides apply to (default: the first)', Values.none),
          )
          .addOption(
            flag(
              '--owner <mode>',
              'ownerReference to the CronJob: controller (default) | plain | none (see below)',
              Values.oneOf(OWNER_MODES),
            ),
          )
          .addOption(
            flag(
              '-y, --yes',
              'with --for/--missed: do not ask for confirmation (required when stdin is not a terminal)',
            ),
          )
          .addOption(outputFlag(TRIGGER_FORMATS))
          .addOption(flag('--wait', 'wait for the Job to finish: exit 0 when it completes, 1 when it fails'))
          .addOption(
            flag(
              '--timeout <duration>',
              'with --wait: give up after this long, e.g. 10m (0 or unset = no limit)',
              Values.none,
            ),
          ),
      ).addHelpText(
        'after',
        `
Without --for/--missed the Job is shaped exactly as kubectl makes it: annotation
cronjob.kubernetes.io/instantiate=manual (template annotations copied over it), the template's labels
and spec, and an ownerReference to the CronJob with controller=true and no blockOwnerDeletion.
The CronJob controller does not count it as active, so concurrencyPolicy Forbid/Replace ignore it;
this is said on stderr before it is created.

--for TIME / --missed --since W create, for each past schedule time, the Job the controller would
have created: its name <cronjob>-<minutes since the epoch>, the batch.kubernetes.io/cronjob-
scheduled-timestamp annotation, the template's labels, ownerReference controller=true and
blockOwnerDeletion=true. A time that is not a schedule time, not yet due, or already has its Job
(same name, or a Job annotated for that time) is refused. A table of what will be created comes
first; without --yes it asks, and when stdin is not a terminal it stops after the table (exit 2).

--owner: controller (default): controller=true; the CronJob controller reconciles the Job
  (UnexpectedJob events while it runs) and its history limits count and delete it when finished.
  plain: controller=false; the CronJob controller ignores it; the garbage collector still deletes
  it with the CronJob. none: no ownerReference; it outlives the CronJob. In no case do Forbid or
  Replace see it: they look only at .status.active, which lists the Jobs the controller created.

Examples:
  kubectl job trigger --from cronjob/backup -n prod
  kubectl job trigger backup --wait --timeout 30m          # exit 0 on success, 1 on failure
  kubectl job trigger backup --image busybox:1.36 --env DRY_RUN=1 -- --verbose --limit 10
  kubectl job trigger backup --for 2026-11-23T02:00:00Z --yes
  kubectl job trigger backup --missed --since 7d           # asks first; --dry-run=client to look
  kubectl job trigger backup --dry-run=client -o yaml      # the Job, without creating it
  kubectl job trigger backup --dry-run=server -o name      # validated by the server, not stored`,
      ),
    parse: parseTrigger,
    run: runTrigger,
  });
}

/** Creates the Job (or, with --for/--missed, the controller's Jobs for past times). */
export async function runTrigger(ctx: RunContext, o: TriggerOptions): Promise<number> {
  const src = await ctx.source();
  if (o.mode === 'backfill') return runBackfill(ctx, src, o);

  const cronJob = await src.getCronJob(ctx.flags.namespace ?? src.namespace, o.cronJob);
  const namespace = cronJob.metadata.namespace ?? src.namespace;
  // The Jobs only sharpen the overlap warning; a user allowed to create but not list still triggers.
  const jobs = await src.listJobs(namespace).catch(() => [] as Job[]);
  const plan = planTrigger({ cronJob, jobs, name: o.name, random: cryptoRandom });
  if (o.owner && o.owner !== 'controller') {
    plan.job.metadata.ownerReferences = ownerReferenceFor(cronJob, o.owner);
    if (!plan.job.metadata.ownerReferences.length) delete plan.job.metadata.ownerReferences;
  }
  const shaped = applyOverrides(plan.job, o.overrides);
  if ('error' in shaped) throw new UsageError(shaped.error);
  for (const w of plan.warnings) {
    // A Job the controller ignores gets no UnexpectedJob events; the owner line says what applies.
    if (w.code === 'ManualNotTracked' && o.owner && o.owner !== 'controller') continue;
    ctx.warn(explainTriggerWarning(w));
  }
  if (o.owner && o.owner !== 'controller') ctx.warn(explainOwner(o.owner, o.cronJob, false));
  if (!noOverrides(o.overrides)) ctx.err.write(`overrides: ${describeOverrides(o.overrides, shaped.container)}\n`);

  const job =
    o.dryRun === 'client' ? shaped.job : await createJob(requireConnection(src, 'trigger'), shaped.job, o.dryRun);
  const name = job.metadata.name ?? shaped.job.metadata.name!;
  printJobs(ctx, o.format, [job], o.dryRun);
  if (!o.wait) return ExitCode.Ok;
  return awaitJob(ctx, src, namespace, name, o.timeoutMs === 0 ? Infinity : o.timeoutMs, o.format, 'trigger --wait');
}

function printJobs(ctx: RunContext, format: OutputFormat, jobs: Job[], dryRun: DryRun): void {
  if (format === 'json' || format === 'yaml') {
    if (!jobs.length) return;
    const data =
      jobs.length === 1 ? jobs[0] : { apiVersion: 'v1', kind: 'List', items: jobs, metadata: { resourceVersion: '' } };
    ctx.out.write(format === 'json' ? toJson(data) : toYaml(data));
    return;
  }
  for (const j of jobs)
    ctx.out.write(
      format === 'name'
        ? `job.batch/${j.metadata.name}\n`
        : `job.batch/${j.metadata.name} created${dryRunSuffix(dryRun)}\n`,
    );
}

async function runBackfill(ctx: RunContext, src: ClusterSource, o: TriggerOptions): Promise<number> {
  const now = ctx.now(src);
  // Relative windows count back from the evaluation instant (a snapshot's capture time when reading one).
  const missedSince = o.missedSince && sinceInPast(resolveTimeArg(o.missedSince, now), now);
  const r = await readCronJob(src, ctx.flags.namespace ?? src.namespace, o.cronJob);
  const namespace = r.cronJob.metadata.namespace ?? src.namespace;
  // Every Job of the namespace, so a name taken by a Job of another owner is refused too.
  const all = await src.listJobs(namespace).catch(() => r.jobs);
  const owner = o.owner ?? 'controller';
  let plan;
  try {
    plan = planBackfill({
      ...r,
      jobs: all,
      now,
      controllerZone: ctx.flags.controllerTimeZone,
      times: o.times,
      missedSince,
      owner,
    });
  } catch (e) {
    if (e instanceof BackfillError)
      throw new UsageError(e.message, `kubectl job why cronjob/${o.cronJob} -n ${namespace}`);
    throw e;
  }
  let container = '';
  for (const it of plan.items) {
    if (!it.job) continue;
    const shaped = applyOverrides(it.job, o.overrides);
    if ('error' in shaped) throw new UsageError(shaped.error);
    it.job = shaped.job;
    container = shaped.container;
  }
  const todo = plan.items.filter((i): i is BackfillItem & { job: Job } => i.job !== null);
  const refused = plan.items.filter((i) => i.refused);
  const sink = o.format === 'text' ? ctx.out : ctx.err;
  const sinkStyle = o.format === 'text' ? ctx.style : ctx.errStyle;

  if (!plan.items.length) {
    ctx.err.write(`nothing to create: no schedule time of cronjob/${o.cronJob} in the window was missed\n`);
    return ExitCode.Ok;
  }
  sink.write(
    renderTable(
      ['time', 'job', 'misses says', 'action'],
      plan.items.map((i) => backfillRow(i, o.dryRun)),
      sinkStyle,
      plan.items.map((i) => (i.refused ? 'warn' : undefined)),
    ),
  );
  if (todo.length) {
    ctx.err.write(`${explainOwner(owner, o.cronJob, true)}\n`);
    if (!noOverrides(o.overrides)) ctx.err.write(`overrides: ${describeOverrides(o.overrides, container)}\n`);
    for (const w of controllerNotes(r, now, ctx.flags.controllerTimeZone, todo)) ctx.warn(w);
  }
  if (!todo.length) {
    ctx.err.write(`nothing created: every time was refused\n`);
    return ExitCode.ProblemFound;
  }
  // As clean decides: a real write without --yes asks on a terminal, and stops after the preview otherwise.
  if (o.dryRun === 'none' && !o.yes) {
    if (!ctx.input().isTTY) {
      throw new UsageError(
        `dry run only: ${todo.length} Job${todo.length === 1 ? '' : 's'} not created because stdin is not a terminal`,
        'pass --yes to create them, or --dry-run=client to print them',
      );
    }
    if (
      !(await confirm(
        `Create ${todo.length} Job${todo.length === 1 ? '' : 's'} for cronjob/${o.cronJob}?`,
        ctx.err,
        ctx.input(),
      ))
    ) {
      ctx.err.write('nothing created\n');
      return ExitCode.Ok;
    }
  }

  const created: Job[] = [];
  let lateRefusals = 0;
  for (const it of todo) {
    if (o.dryRun === 'client') {
      created.push(it.job);
      continue;
    }
    try {
      created.push(await createJob(requireConnection(src, 'trigger'), it.job, o.dryRun));
    } catch (e) {
      // Someone (the controller, or an earlier run) created it since the list: not created twice.
      if (e instanceof ClusterError && e.kind === 'AlreadyExists') {
        lateRefusals++;
        ctx.err.write(
          `${ctx.errStyle.tone('warn', 'refused')} job/${it.name}: it was created meanwhile (AlreadyExists)\n`,
        );
        continue;
      }
      printJobs(ctx, o.format, created, o.dryRun);
      if (created.length)
        ctx.err.write(
          `created ${created.length} of ${todo.length} before the error; re-running creates only the rest\n`,
        );
      throw e;
    }
  }
  printJobs(ctx, o.format, created, o.dryRun);
  if (o.wait && created.length === 1) {
    return awaitJob(
      ctx,
      src,
      namespace,
      created[0]!.metadata.name!,
      o.timeoutMs === 0 ? Infinity : o.timeoutMs,
      o.format,
      'trigger --wait',
    );
  }
  return refused.length || lateRefusals ? ExitCode.ProblemFound : ExitCode.Ok;
}

/** What the controller's own next sync makes of a backfilled time (it may act on the same time). */
function controllerNotes(r: CronJobReads, now: Date, zone: string, todo: BackfillItem[]): string[] {
  const input = { ...r, now, controllerZone: zone };
  const next = r.cronJob.spec.suspend === true ? predictAfterResume(input).decision : syncDecision(input);
  if (next.action !== 'create' || !next.scheduledTime) return [];
  const hit = todo.find((i) => Date.parse(i.time) === Date.parse(next.scheduledTime!));
  if (!hit) return [];
  return [
    `${r.cronJob.spec.suspend === true ? 'on unsuspend' : 'at its next sync'} the controller would itself create job/${hit.name} for ${hit.time}; ` +
      `after this backfill it finds the name taken (AlreadyExists), so that time does not run twice (prediction; up to Kubernetes 1.36 that sync fails and is retried with backoff until the next schedule time)`,
  ];
}
