// kubectl job unsuspend (and suspend): set .spec.suspend on CronJobs, after saying what the
// CronJob controller does right after a resume. The patch carries the resourceVersion that was
// read, so a concurrent change makes the server refuse it (409) and nothing is overwritten.
import { Option, type Command } from 'commander';
import { connectionOf, patchSuspend, requireAccess, requireConnection } from '../../cluster/actions.js';
import type { ClusterSource } from '../../cluster/source.js';
import { planSuspend, type SuspendPlan } from '../../controller/plans/suspend.js';
import type { DryRun } from '../../controller/plans/types.js';
import type { CronJob, Job } from '../../controller/types.js';
import { ClusterError, ExitCode, UsageError } from '../../errors.js';
import { explainNoop, explainResume, explainSuspendDone, explainSuspendEffect } from '../../explain/plans.js';
import { parseOutputFormat, toJson, toYaml, type OutputFormat } from '../../output/format.js';
import type { RunContext } from '../context.js';
import { parseTarget } from '../target.js';
import { defineCommand } from './define.js';
import { addDryRunFlag, parseDryRun, refuseSnapshot } from './mutating.js';

interface SuspendOpts {
  all?: boolean;
  allNamespaces?: boolean;
  dryRun?: string | boolean;
  output?: string;
  controllerTimeZone: string;
}

/** Registers `unsuspend`. */
export function registerUnsuspend(program: Command, setCode: (c: number) => void): void {
  registerSetSuspend(program, setCode, false);
}

/** Registers `unsuspend` (suspend=false) or `suspend` (suspend=true). */
export function registerSetSuspend(program: Command, setCode: (c: number) => void, suspend: boolean): void {
  const verb = suspend ? 'suspend' : 'unsuspend';
  const summary = suspend
    ? 'suspend CronJobs (no new scheduled runs; running Jobs go on)'
    : 'resume CronJobs, after saying what the controller will do at once (catch-up run, TooManyMissedTimes, or nothing)';
  defineCommand<SuspendOpts>(program, setCode, verb, summary,
    (cmd) => addDryRunFlag(cmd
      .argument('[cronjobs...]', 'cronjob/NAME or NAME, one or more')
      .option('--all', 'every CronJob in the namespace')
      .option('-A, --all-namespaces', 'every CronJob in every namespace')
      .addOption(new Option('-o, --output <format>', 'output format: json|yaml|name (the patched CronJobs)')))
      .addHelpText('after', `
The patch is a JSON merge patch of .spec.suspend that includes .metadata.resourceVersion, so if the
CronJob changed since it was read the server answers 409 Conflict and nothing is changed.
${suspend ? '' : `
Before patching, the CronJob controller's next sync is re-run locally: a missed time still within
startingDeadlineSeconds starts at once (its Job name is shown), more than 100 missed times give a
TooManyMissedTimes warning, otherwise nothing runs until the next scheduled time.
`}
Examples:
  kubectl job ${verb} backup -n prod
  kubectl job ${verb} cronjob/backup cronjob/report --dry-run=client
  kubectl job ${verb} --all -n batch
  kubectl job ${verb} -A --dry-run=server -o name`),
    (ctx, args, o) => runSetSuspend(ctx, args, o, suspend));
}

async function targetsOf(src: ClusterSource, ctx: RunContext, args: string[], o: SuspendOpts): Promise<{ cronJobs: CronJob[]; errors: ClusterError[] }> {
  const ns = ctx.flags.namespace ?? src.namespace;
  if (o.all || o.allNamespaces) {
    if (args.length) throw new UsageError('give CronJob names or --all/-A, not both');
    return { cronJobs: await src.listCronJobs(o.allNamespaces ? undefined : ns), errors: [] };
  }
  if (!args.length) throw new UsageError('which CronJobs? give one or more names, or --all / -A');
  const names = args.map((a) => parseTarget(a, ['CronJob']).name);
  const got = await Promise.allSettled(names.map((n) => src.getCronJob(ns, n)));
  const errors = got.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (names.length === 1 && errors.length) throw errors[0];
  if (errors.some((e) => !(e instanceof ClusterError))) throw errors.find((e) => !(e instanceof ClusterError));
  return { cronJobs: got.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), errors };
}

async function runSetSuspend(ctx: RunContext, args: string[], o: SuspendOpts, suspend: boolean): Promise<number> {
  const format = parseOutputFormat(o.output, ['json', 'yaml', 'name']);
  const dryRun = parseDryRun(o.dryRun);
  refuseSnapshot(ctx.flags.snapshot, dryRun, suspend ? 'suspend' : 'unsuspend');
  const src = await ctx.source();
  const { cronJobs, errors } = await targetsOf(src, ctx, args, o);
  const now = ctx.now(src);
  const version = await src.serverVersion();
  const jobsByNs = new Map<string, Promise<Job[]>>();
  const jobsOf = (ns: string) => {
    if (!jobsByNs.has(ns)) jobsByNs.set(ns, src.listJobs(ns));
    return jobsByNs.get(ns)!;
  };
  const plans: SuspendPlan[] = [];
  for (const cj of cronJobs) {
    const changes = (cj.spec.suspend === true) !== suspend;
    const jobs = !suspend && changes ? await jobsOf(cj.metadata.namespace ?? 'default') : [];
    plans.push(planSuspend({ cronJob: cj, suspend, jobs, serverVersion: version, now, controllerZone: o.controllerTimeZone }));
  }
  const toPatch = plans.filter((p) => !p.noop);
  if (dryRun !== 'client' && toPatch.length > 0) {
    const conn = requireConnection(src, suspend ? 'suspend' : 'unsuspend');
    // Several CronJobs: ask first, so a denial changes none of them rather than some.
    if (toPatch.length > 1) await requireAccess(conn, 'patch', 'batch', 'cronjobs', toPatch.map((p) => p.namespace));
  }
  if (cronJobs.length === 0 && errors.length === 0) ctx.warn(`no CronJobs found in ${o.allNamespaces ? 'any namespace' : `namespace "${ctx.flags.namespace ?? src.namespace}"`}`);

  const say = (line: string) => (format === 'text' ? ctx.out : ctx.err).write(`${line}\n`);
  const objects: CronJob[] = [];
  for (const p of plans) {
    if (p.noop) {
      say(explainNoop(p));
      objects.push(p.result);
      continue;
    }
    const lines = p.suspend ? [explainSuspendEffect(p)] : explainResume(p.name, p.resume!, now);
    for (const l of lines) say(l);
    try {
      const result = await apply(src, p, dryRun);
      objects.push(result);
      if (format === 'name') ctx.out.write(`cronjob.batch/${p.name}\n`);
      else if (format === 'text') ctx.out.write(`${explainSuspendDone(p, dryRun)}\n`);
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      if (plans.length === 1 && errors.length === 0) throw e;
      errors.push(e);
    }
  }
  printObjects(ctx, format, objects);
  for (const e of errors) ctx.err.write(`${ctx.errStyle.tone('bad', 'error:')} ${e.message}\n`);
  return errors.length ? ExitCode.ProblemFound : ExitCode.Ok;
}

async function apply(src: ClusterSource, p: SuspendPlan, dryRun: DryRun): Promise<CronJob> {
  if (dryRun === 'client' || !connectionOf(src)) {
    if (dryRun !== 'client') requireConnection(src, p.suspend ? 'suspend' : 'unsuspend');
    return p.result;
  }
  return patchSuspend(connectionOf(src)!, p.namespace, p.name, p.patch, dryRun);
}

function printObjects(ctx: RunContext, format: OutputFormat, objects: CronJob[]): void {
  if (format !== 'json' && format !== 'yaml') return;
  const data = objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  ctx.out.write(format === 'json' ? toJson(data) : toYaml(data));
}
