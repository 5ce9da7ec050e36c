// kubectl job trigger: run a CronJob now, creating the same Job `kubectl create job --from=cronjob/x`
// does, after saying what the CronJob controller will make of it; optionally wait for the end.
import { Option, type Command } from 'commander';
import { createJob, requireConnection, waitForJob } from '../../cluster/actions.js';
import { invalidJobName, jobProgress, planTrigger } from '../../controller/plans/trigger.js';
import type { Job } from '../../controller/types.js';
import { ExitCode, UsageError } from '../../errors.js';
import { dryRunSuffix, explainJobEnd, explainTriggerWarning } from '../../explain/plans.js';
import { parseOutputFormat, toJson, toYaml } from '../../output/format.js';
import { startProgress } from '../../output/progress.js';
import type { RunContext } from '../context.js';
import { parseDuration } from '../parse-time.js';
import { parseTarget } from '../target.js';
import { defineCommand } from './define.js';
import { addDryRunFlag, cryptoRandom, parseDryRun, refuseSnapshot } from './mutating.js';

interface TriggerOpts {
  from?: string;
  name?: string;
  dryRun?: string | boolean;
  output?: string;
  wait?: boolean;
  timeout: string;
}

/** Registers `trigger`. */
export function registerTrigger(program: Command, setCode: (c: number) => void): void {
  defineCommand<TriggerOpts>(program, setCode, 'trigger', 'run a CronJob now (the Job `kubectl create job --from=cronjob/NAME` creates)',
    (cmd) => addDryRunFlag(cmd
      .argument('[cronjob]', 'cronjob/NAME or NAME (same as --from)')
      .option('--from <cronjob>', 'the CronJob to run: cronjob/NAME')
      .option('--name <name>', 'name of the Job (default: <cronjob>-manual-<5 random characters>)')
      .addOption(new Option('-o, --output <format>', 'output format: json|yaml|name'))
      .option('--wait', 'wait for the Job to finish: exit 0 when it completes, 1 when it fails')
      .option('--timeout <duration>', 'with --wait: give up after this long, e.g. 10m (0 = no limit)', '0'))
      .addHelpText('after', `
The Job is shaped exactly as kubectl makes it: annotation cronjob.kubernetes.io/instantiate=manual
(template annotations copied over it), the template's labels and spec, and an ownerReference to the
CronJob with controller=true and no blockOwnerDeletion. The CronJob controller does not count it as
active, so concurrencyPolicy Forbid/Replace ignore it; this is said on stderr before it is created.

Examples:
  kubectl job trigger --from cronjob/backup -n prod
  kubectl job trigger backup --wait --timeout 30m          # exit 0 on success, 1 on failure
  kubectl job trigger backup --dry-run=client -o yaml      # the Job, without creating it
  kubectl job trigger backup --dry-run=server -o name      # validated by the server, not stored`),
    runTrigger);
}

async function runTrigger(ctx: RunContext, args: string[], o: TriggerOpts): Promise<number> {
  const format = parseOutputFormat(o.output, ['json', 'yaml', 'name']);
  const dryRun = parseDryRun(o.dryRun);
  if (args[0] && o.from) throw new UsageError('give the CronJob either as an argument or with --from, not both');
  const from = o.from ?? args[0];
  if (!from) throw new UsageError('which CronJob? pass --from cronjob/NAME', 'kubectl job trigger --from cronjob/backup');
  const target = parseTarget(from, ['CronJob']);
  if (o.name !== undefined) {
    const bad = invalidJobName(o.name);
    if (bad) throw new UsageError(`invalid --name "${o.name}": ${bad}`);
  }
  const timeoutMs = o.timeout === '0' ? 0 : parseDuration(o.timeout, '--timeout');
  if (o.wait && dryRun !== 'none') throw new UsageError('--wait cannot be combined with --dry-run: nothing would run');
  refuseSnapshot(ctx.flags.snapshot, dryRun, 'trigger');

  const src = await ctx.source();
  const cronJob = await src.getCronJob(ctx.flags.namespace ?? src.namespace, target.name);
  const namespace = cronJob.metadata.namespace ?? src.namespace;
  // The Jobs only sharpen the overlap warning; a user allowed to create but not list still triggers.
  const jobs = await src.listJobs(namespace).catch(() => [] as Job[]);
  const plan = planTrigger({ cronJob, jobs, name: o.name, random: cryptoRandom });
  for (const w of plan.warnings) ctx.warn(explainTriggerWarning(w));

  const job = dryRun === 'client' ? plan.job : await createJob(requireConnection(src, 'trigger'), plan.job, dryRun);
  const name = job.metadata.name ?? plan.job.metadata.name!;
  if (format === 'json') ctx.out.write(toJson(job));
  else if (format === 'yaml') ctx.out.write(toYaml(job));
  else if (format === 'name') ctx.out.write(`job.batch/${name}\n`);
  else ctx.out.write(`job.batch/${name} created${dryRunSuffix(dryRun)}\n`);
  if (!o.wait) return ExitCode.Ok;

  const spinner = startProgress(`waiting for job/${name}`, ctx.interactive);
  let finished: Job;
  try {
    finished = await waitForJob(requireConnection(src, 'trigger --wait'), namespace, name, {
      timeoutMs,
      done: (j) => jobProgress(j).state !== 'running',
      onUpdate: (j) => {
        const p = jobProgress(j);
        if (p.state === 'running') spinner.update(`waiting for job/${name}: active ${p.active}, succeeded ${p.succeeded}, failed ${p.failed}`);
      },
    });
  } finally {
    spinner.stop();
  }
  const progress = jobProgress(finished);
  const end = explainJobEnd(name, progress);
  // With -o the data stays alone on stdout.
  const sink = format === 'text' ? ctx.out : ctx.err;
  if (progress.state === 'complete') {
    sink.write(`${end.text}\n`);
    return ExitCode.Ok;
  }
  sink.write(`${(format === 'text' ? ctx.style : ctx.errStyle).tone('bad', end.text)}\n`);
  if (end.hint) ctx.err.write(`${ctx.errStyle.dim(`hint: ${end.hint} -n ${namespace}`)}\n`);
  return ExitCode.ProblemFound;
}
