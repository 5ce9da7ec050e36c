// kubectl job unsuspend (and suspend): set .spec.suspend on CronJobs, after saying what the
// CronJob controller does right after a resume. The patch carries the resourceVersion that was
// read, so a concurrent change makes the server refuse it (409) and nothing is overwritten.
import type { Command } from 'commander';
import { argument, flag, outputFlag, Values } from '../flag-values.js';
import { connectionOf, patchSuspend, requireAccess, requireConnection } from '../../cluster/actions.js';
import type { ClusterSource } from '../../cluster/source.js';
import { planSuspend, type SuspendPlan } from '../../controller/plans/suspend.js';
import type { DryRun } from '../../controller/plans/types.js';
import type { CronJob, Job } from '../../api/types.js';
import { ClusterError, ExitCode, UsageError } from '../../errors.js';
import {
  explainNoop,
  explainResume,
  explainSuspendDone,
  explainSuspendEffect,
  SUSPEND_PREVIEW_HEAD,
  suspendPreviewRow,
} from '../../explain/plans.js';
import { renderTable } from '../../output/table.js';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from '../../cluster/request-parts.js';
import { parseOutputFormat, toJson, toYaml, type OutputFormat } from '../../output/format.js';
import type { RunContext } from '../context.js';
import { parseTarget } from '../target.js';
import { defineCommand, type RawInput, type Registration } from './define.js';
import { addDryRunFlag, parseDryRun, refuseSnapshot } from './mutating.js';

/** The formats -o takes (text is the default): the patched CronJobs. */
const FORMATS = ['json', 'yaml', 'name'] as const;

/** What commander reads for `suspend`/`unsuspend`. */
export interface SuspendFlags {
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
  dryRun?: string | boolean;
  output?: string;
}

/** `suspend`/`unsuspend`, validated: which CronJobs, and what to set .spec.suspend to. */
export interface SetSuspendOptions {
  /** true: suspend; false: unsuspend. */
  suspend: boolean;
  /** names: the CronJobs named; namespace: every one (matching -l) in the namespace; all: in every namespace. */
  scope: 'names' | 'namespace' | 'all';
  names: string[];
  /** -l as typed (for messages), and its requirements. */
  selector?: string;
  labels?: LabelRequirement[];
  dryRun: DryRun;
  format: 'text' | (typeof FORMATS)[number];
}

/** The command's name: what .spec.suspend is set to. */
const verbOf = (suspend: boolean) => (suspend ? 'suspend' : 'unsuspend');

/** Validates what was typed for `suspend` (suspend=true) or `unsuspend` (pure). */
export function parseSetSuspend({ args, opts: o }: RawInput<SuspendFlags>, suspend: boolean): SetSuspendOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  const dryRun = parseDryRun(o.dryRun);
  let labels: LabelRequirement[] | undefined;
  if (o.selector !== undefined) {
    if (!o.selector.trim()) throw new UsageError('-l needs a label selector, e.g. -l team=data');
    labels = parseLabelSelector(o.selector);
  }
  const many = o.all || o.allNamespaces || o.selector !== undefined;
  if (many && args.length) throw new UsageError('give CronJob names or --all/-A/-l, not both');
  if (!many && !args.length)
    throw new UsageError('which CronJobs? give one or more names, or --all / -A / -l SELECTOR');
  const names = args.map((a) => parseTarget(a, ['CronJob']).name);
  const scope = o.allNamespaces ? 'all' : many ? 'namespace' : 'names';
  refuseSnapshot(o.snapshot, dryRun, verbOf(suspend));
  return {
    suspend,
    scope,
    names,
    ...(o.selector !== undefined ? { selector: o.selector, labels } : {}),
    dryRun,
    format,
  };
}

/** Validates what was typed for `unsuspend` (pure). */
export function parseUnsuspend(input: RawInput<SuspendFlags>): SetSuspendOptions {
  return parseSetSuspend(input, false);
}

/** Registers `unsuspend`. */
export function registerUnsuspend(program: Command, reg: Registration): void {
  registerSetSuspend(program, reg, false);
}

/** Registers `unsuspend` (suspend=false) or `suspend` (suspend=true). */
export function registerSetSuspend(program: Command, reg: Registration, suspend: boolean): void {
  const verb = suspend ? 'suspend' : 'unsuspend';
  const summary = suspend
    ? 'suspend CronJobs (no new scheduled runs; running Jobs go on)'
    : 'resume CronJobs, after saying what the controller will do at once (catch-up run, TooManyMissedTimes, or nothing)';
  defineCommand(program, reg, {
    name: verb,
    summary,
    setup: (cmd) =>
      addDryRunFlag(
        cmd
          .addArgument(argument('[cronjobs...]', 'cronjob/NAME or NAME, one or more', Values.objects('CronJob')))
          .addOption(flag('--all', 'every CronJob in the namespace'))
          .addOption(flag('-A, --all-namespaces', 'every CronJob in every namespace'))
          .addOption(
            flag(
              '-l, --selector <selector>',
              'the CronJobs whose labels match, e.g. team=data (with -A: in every namespace)',
              Values.none,
            ),
          )
          .addOption(outputFlag(FORMATS, '(the patched CronJobs)')),
      ).addHelpText(
        'after',
        `
The patch is a JSON merge patch of .spec.suspend that includes .metadata.resourceVersion, so if the
CronJob changed since it was read the server answers 409 Conflict and nothing is changed.
With several CronJobs (-l, --all, -A, or several names) one table says, for each, what changes and
what the controller does at once, before anything is patched. Each patch is independent: an
interrupted run leaves each CronJob either patched or not, and running it again patches only the rest.
${
  suspend
    ? ''
    : `
Before patching, the CronJob controller's next sync is re-run locally: a missed time still within
startingDeadlineSeconds starts at once (its Job name is shown), more than 100 missed times give a
TooManyMissedTimes warning, otherwise nothing runs until the next scheduled time.
`
}
Examples:
  kubectl job ${verb} backup -n prod
  kubectl job ${verb} cronjob/backup cronjob/report --dry-run=client
  kubectl job ${verb} --all -n batch
  kubectl job ${verb} -l team=data -A --dry-run=client      # the table only
  kubectl job ${verb} -A --dry-run=server -o name`,
      ),
    parse: (input: RawInput<SuspendFlags>) => parseSetSuspend(input, suspend),
    run: runSetSuspend,
  });
}

async function targetsOf(
  src: ClusterSource,
  ctx: RunContext,
  sel: SetSuspendOptions,
): Promise<{ cronJobs: CronJob[]; errors: ClusterError[] }> {
  const ns = ctx.flags.namespace ?? src.namespace;
  if (sel.scope !== 'names') {
    const listed = await src.listCronJobs(sel.scope === 'all' ? undefined : ns);
    const reqs = sel.labels;
    if (!reqs) return { cronJobs: listed, errors: [] };
    return { cronJobs: listed.filter((c) => matchesLabels(reqs, c.metadata.labels ?? {})), errors: [] };
  }
  const names = sel.names;
  const got = await Promise.allSettled(names.map((n) => src.getCronJob(ns, n)));
  const errors = got.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (names.length === 1 && errors.length) throw errors[0];
  if (errors.some((e) => !(e instanceof ClusterError))) throw errors.find((e) => !(e instanceof ClusterError));
  return { cronJobs: got.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), errors };
}

/** Sets .spec.suspend on the CronJobs selected, after saying what each change does. */
export async function runSetSuspend(ctx: RunContext, sel: SetSuspendOptions): Promise<number> {
  const { format, dryRun, suspend } = sel;
  const src = await ctx.source();
  const { cronJobs, errors } = await targetsOf(src, ctx, sel);
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
    plans.push(
      planSuspend({
        cronJob: cj,
        suspend,
        jobs,
        serverVersion: version,
        now,
        controllerZone: ctx.flags.controllerTimeZone,
      }),
    );
  }
  const toPatch = plans.filter((p) => !p.noop);
  if (dryRun !== 'client' && toPatch.length > 0) {
    const conn = requireConnection(src, verbOf(suspend));
    // Several CronJobs: ask first, so a denial changes none of them rather than some.
    if (toPatch.length > 1)
      await requireAccess(
        conn,
        'patch',
        'batch',
        'cronjobs',
        toPatch.map((p) => p.namespace),
      );
  }
  if (cronJobs.length === 0 && errors.length === 0) {
    ctx.warn(
      `no CronJobs${sel.selector ? ` matching "${sel.selector}"` : ''} found in ${sel.scope === 'all' ? 'any namespace' : `namespace "${ctx.flags.namespace ?? src.namespace}"`}`,
    );
  }

  const say = (line: string) => (format === 'text' ? ctx.out : ctx.err).write(`${line}\n`);
  // Several CronJobs: one table of what each does, before the first patch.
  const table = plans.length > 1 && toPatch.length > 0;
  if (table) {
    const byKey = new Map(cronJobs.map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c.spec.schedule ?? '']));
    (format === 'text' ? ctx.out : ctx.err).write(
      renderTable(
        SUSPEND_PREVIEW_HEAD,
        plans.map((p) => suspendPreviewRow(p, byKey.get(`${p.namespace}/${p.name}`) ?? '')),
        format === 'text' ? ctx.style : ctx.errStyle,
        plans.map((p) => (p.noop ? undefined : p.resume?.reason === 'Create' ? 'warn' : undefined)),
      ),
    );
  }
  const objects: CronJob[] = [];
  for (const p of plans) {
    if (p.noop) {
      if (!table) say(explainNoop(p));
      objects.push(p.result);
      continue;
    }
    const lines = table ? [] : p.suspend ? [explainSuspendEffect(p)] : explainResume(p.name, p.resume!, now);
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
    if (dryRun !== 'client') requireConnection(src, verbOf(p.suspend));
    return p.result;
  }
  return patchSuspend(connectionOf(src)!, p.namespace, p.name, p.patch, dryRun);
}

function printObjects(ctx: RunContext, format: OutputFormat, objects: CronJob[]): void {
  if (format !== 'json' && format !== 'yaml') return;
  const data =
    objects.length === 1
      ? objects[0]
      : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  ctx.out.write(format === 'json' ? toJson(data) : toYaml(data));
}
