// kubectl job why: re-run the CronJob or Job controller's decision on the live objects and
// name the cause, with evidence and a fix. Exit 0 healthy, 1 problem found, 2+ errors.
import type { Command } from 'commander';
import { argument, flag, outputFlag, Values } from '../flag-values.js';
import { readCronJob, readJob, resolveByName } from '../../cluster/reads.js';
import { decideCronJob } from '../../controller/cronjob/index.js';
import { cronJobNameOf, explainGoneJob, forbidBlockerCause } from '../../controller/cronjob/job-view.js';
import { ClusterError, UsageError } from '../../errors.js';
import { explainGoneJob as explainGone } from '../../explain/gone-job.js';
import { parseTimeArg, resolveTimeArg, type TimeArg } from '../parse-time.js';
import { decideJob } from '../../controller/job/decide.js';
import { verdictExitCode, type Verdict } from '../../controller/verdict.js';
import { explainCronJob } from '../../explain/cronjob.js';
import { explainJob } from '../../explain/job.js';
import { renderExplanation } from '../../output/explanation.js';
import { parseOutputFormat } from '../../output/format.js';
import { renderUnreadable } from '../../output/unreadable.js';
import type { Unreadable } from '../../cluster/unreadable.js';
import { reportUnreadable } from '../unreadable.js';
import type { RunContext } from '../context.js';
import { requireExistedAt } from '../existed.js';
import { DEFAULT_MAX_CONCURRENCY, parseWhyScope } from '../scope.js';
import { parseTarget, type Target } from '../target.js';
import { parseExcludes } from '../exclude.js';
import { defineCommand, type RawInput, type Registration } from './define.js';
import { parseWhyFileOptions, runWhyFile, type WhyFileOptions } from './why-file.js';
import { runContexts, runFleet, type FleetOpts } from './why-fleet.js';
import { printVerdicts, withUnreadable } from './why-print.js';

/** The formats `-o` takes (text is the default). */
const FORMATS = ['json', 'yaml', 'wide', 'name'] as const;

/** What commander reads for `why`. */
export interface WhyFlags {
  since?: string;
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
  allContexts?: boolean;
  maxConcurrency?: string;
  output?: string;
  exclude?: string[];
  controllerTimeZone: string;
  filename?: string[];
  recursive?: boolean;
  local?: boolean;
  validate?: string;
}

/** `-o` of `why`: text (the default) or one of FORMATS. */
export type WhyFormat = 'text' | (typeof FORMATS)[number];

/** `why`'s options after validation: manifests (-f), one object, or the fleet of one or several clusters. */
export type WhyOptions =
  | { mode: 'file'; file: WhyFileOptions; controllerTimeZone: string }
  | {
      mode: 'one';
      target: Target;
      /** --since: the start of the look-back window (relative to the evaluation instant, or absolute). */
      since?: TimeArg;
      format: WhyFormat;
      controllerTimeZone: string;
    }
  | {
      mode: 'fleet';
      fleet: FleetOpts;
      /** kubectl's -l, checked; undefined = every CronJob. */
      selector?: string;
      /** undefined: the one cluster of the kubeconfig and flags; 'all' or these: several contexts. */
      contexts?: 'all' | string[];
      maxConcurrency: number;
      format: WhyFormat;
    };

/** Registers `why`. */
export function registerWhy(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'why',
    summary: 'why a CronJob did or did not run, or why a Job failed: the cause, the evidence, the fix',
    setup: (cmd) =>
      cmd
        .addArgument(
          argument(
            '[target]',
            'cronjob/NAME, job/NAME, or NAME (a CronJob is tried first)',
            Values.objects('CronJob', 'Job'),
          ),
        )
        .addOption(flag('--all', 'audit every CronJob in the namespace (fleet view)'))
        .addOption(flag('-A, --all-namespaces', 'audit every CronJob in every namespace (implies --all)'))
        .addOption(
          flag(
            '--exclude <namespace/name>',
            "with --all: leave out this CronJob (repeatable), e.g. the in-cluster audit's own",
            Values.none,
          ).argParser((v: string, prev: string[] = []) => [...prev, v]),
        )
        .addOption(
          flag(
            '-l, --selector <selector>',
            "audit only CronJobs with these labels, e.g. app=etl or 'tier in (batch,etl)' (implies --all)",
            Values.none,
          ),
        )
        .addOption(
          flag(
            '--all-contexts',
            'audit every context of the kubeconfig (implies --all); --context NAME, given several times, audits those',
          ),
        )
        .addOption(
          flag(
            '--max-concurrency <n>',
            `contexts read at the same time with several contexts (default ${DEFAULT_MAX_CONCURRENCY})`,
            Values.none,
          ),
        )
        .addOption(
          flag(
            '--since <time|duration>',
            'look-back window for past incidents (outages, TooManyMissedTimes, Replace churn): RFC 3339 or a duration before now (default 24h, or the last 3 schedule times if they reach further back)',
            Values.none,
          ),
        )
        .addOption(outputFlag(FORMATS))
        .addOption(
          flag(
            '-f, --filename <path>',
            'examine manifests instead of live objects: a file, a directory or - (stdin); repeatable',
            Values.files,
          ).argParser((v: string, prev: string[] = []) => [...prev, v]),
        )
        .addOption(flag('-R, --recursive', 'with -f DIR: also read the directories under it'))
        .addOption(
          flag('--local', "with -f: read nothing from the cluster (only the findings from the controllers' rules)"),
        )
        .addOption(
          flag(
            '--validate <mode>',
            'with -f: server = also send each object to the API server as a dry run and report its errors; none (default)',
            Values.oneOf(['server', 'none']),
          ),
        )
        .addHelpText(
          'after',
          `
A CronJob is judged on the look-back window too: runs missed while the controller was down, a
TooManyMissedTimes it raised, or runs that never finish under Replace make it unhealthy (exit 1) even
when its next run will be fine. A Job that no longer exists is explained from its CronJob and the
controller's events while they last (deleted by Replace, or by the history limits).

Several clusters: --all with --context given more than once, or --all-contexts, reads each
context on its own connection (--max-concurrency at a time) into one table whose first column is
CONTEXT; -o json|yaml items carry their "context". A context that cannot be read (unreachable,
forbidden, expired credentials, unknown) is one row with verdict "error" and the reason, and the
others are still audited. One --context prints exactly what it always did (no CONTEXT column).

Exit status: 0 healthy (CronJob) or running/succeeded (Job), 1 a problem was found, 2 usage error,
3 cluster error, 4 not found (also a deleted Job that is explained), 5 forbidden. With several
contexts: the worst (highest) of the contexts' codes, so a cluster that could not be audited
(3, 4, 5) outranks a problem found elsewhere (1).

Examples:
  kubectl job why cronjob/backup -n prod
  kubectl job why job/train-x7k2 -n ml -o json
  kubectl job why --all -A                          # fleet audit
  kubectl job why --all -A --exclude ops/audit      # ... leaving one CronJob out
  kubectl job why --all -A -l team=data             # only CronJobs labelled team=data
  kubectl job why --all -A --context prod-eu --context prod-us
  kubectl job why --all -A --all-contexts -o json   # every context of the kubeconfig
  kubectl job why cronjob/backup --since 7d         # judge the last week, not only the next run
  kubectl job why cronjob/backup --snapshot examples/snapshot.yaml

Manifests (-f): CronJobs and Jobs in files, directories, Lists, multi-document YAML or stdin are
checked against the controllers' rules (each finding has a code, a severity and a field path);
for a CronJob that exists, it also predicts what the controller does at its next sync after
kubectl apply. Exit 1 when a finding is an error, else 0.
  kubectl job why -f cronjob.yaml
  kustomize build . | kubectl job why -f - -o json
  kubectl job why -f manifests/ -R --validate=server`,
        ),
    parse: parseWhy,
    run: runWhy,
    severalContexts: true,
  });
}

/** Validates `why`'s input (pure): which mode, what is read, the formats and every flag value. */
export function parseWhy({ args, opts: o }: RawInput<WhyFlags>): WhyOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  const contexts = o.contexts ?? [];
  if (o.filename || o.recursive || o.local || o.validate !== undefined) {
    if (contexts.length > 1)
      throw new UsageError(
        `--context names ${contexts.length} contexts (${contexts.join(', ')}): why -f reads one cluster`,
        'only `kubectl job why --all` audits several contexts',
      );
    return { mode: 'file', file: parseWhyFileOptions(args, o, format), controllerTimeZone: o.controllerTimeZone };
  }
  const scope = parseWhyScope({
    target: args[0],
    all: o.all,
    allNamespaces: o.allNamespaces,
    selector: o.selector,
    contexts,
    allContexts: o.allContexts,
    maxConcurrency: o.maxConcurrency,
    format,
    snapshot: o.snapshot,
    flags: o as unknown as Record<string, unknown>,
  });
  if (scope.kind === 'fleet') {
    return {
      mode: 'fleet',
      fleet: {
        allNamespaces: Boolean(o.allNamespaces),
        controllerTimeZone: o.controllerTimeZone,
        excluded: parseExcludes(o.exclude),
        ...(o.since !== undefined ? { since: parseTimeArg(o.since, '--since') } : {}),
      },
      ...(scope.selector !== undefined ? { selector: scope.selector } : {}),
      ...(scope.contexts !== undefined ? { contexts: scope.contexts } : {}),
      maxConcurrency: scope.maxConcurrency,
      format,
    };
  }
  if (o.exclude?.length) throw new UsageError('--exclude needs --all or -A');
  return {
    mode: 'one',
    target: parseTarget(scope.target),
    ...(o.since !== undefined ? { since: parseTimeArg(o.since, '--since') } : {}),
    format,
    controllerTimeZone: o.controllerTimeZone,
  };
}

/** Explains one object, audits the fleet, or examines manifests. */
export async function runWhy(ctx: RunContext, options: WhyOptions): Promise<number> {
  if (options.mode === 'file') return runWhyFile(ctx, options.file, options.controllerTimeZone);
  if (options.mode === 'fleet') {
    const { fleet, format, selector } = options;
    return options.contexts
      ? runContexts(ctx, fleet, format, {
          contexts: options.contexts,
          maxConcurrency: options.maxConcurrency,
          ...(selector !== undefined ? { selector } : {}),
        })
      : runFleet(ctx, fleet, format, selector);
  }
  return runOne(ctx, options);
}

/** The verdict of one CronJob or Job (or of a Job that is gone, from its CronJob and events). */
async function runOne(ctx: RunContext, o: Extract<WhyOptions, { mode: 'one' }>): Promise<number> {
  const { target, format } = o;
  const src = await ctx.source();
  const ns = ctx.flags.namespace ?? src.namespace;
  const now = ctx.now(src);
  const since = o.since ? resolveTimeArg(o.since, now) : undefined;
  const textOut = format === 'text' || format === 'wide';
  // A bare name is looked up once here; the object found is not read again below.
  let found;
  try {
    found = target.kind ? undefined : await resolveByName(src, ns, target.name);
  } catch (e) {
    const gone = await goneJobVerdict(ctx, src, ns, target.name, now, o.controllerTimeZone, e);
    ctx.out.write(printVerdicts([gone], format, textOut ? renderExplanation(explainGone(gone), ctx.style) : '', 'one'));
    return verdictExitCode(gone);
  }
  const kind = target.kind ?? found!.kind;
  let verdict: Verdict;
  let text: string;
  let unreadable: Unreadable[];
  if (kind === 'CronJob') {
    const r = await readCronJob(src, ns, target.name, found?.kind === 'CronJob' ? found.cronJob : undefined);
    requireExistedAt(ctx, 'cronjob', r.cronJob, now);
    const v = decideCronJob({ ...r, now, controllerZone: o.controllerTimeZone, ...(since ? { since } : {}) });
    verdict = v;
    unreadable = r.unreadable;
    text = textOut ? renderExplanation(explainCronJob(v), ctx.style) : '';
  } else {
    let r;
    try {
      r = await readJob(src, ns, target.name, found?.kind === 'Job' ? found.job : undefined);
    } catch (e) {
      const gone = await goneJobVerdict(ctx, src, ns, target.name, now, o.controllerTimeZone, e);
      ctx.out.write(
        printVerdicts([gone], format, textOut ? renderExplanation(explainGone(gone), ctx.style) : '', 'one'),
      );
      return verdictExitCode(gone);
    }
    requireExistedAt(ctx, 'job', r.job, now);
    const v = decideJob({ ...r, now });
    if (r.cronJob) {
      const blocks = forbidBlockerCause(
        {
          cronJob: r.cronJob,
          jobs: [r.job],
          events: r.events,
          now,
          serverVersion: r.serverVersion,
          controllerZone: o.controllerTimeZone,
        },
        r.job,
      );
      if (blocks) v.causes.push(blocks);
    }
    verdict = v;
    unreadable = r.unreadable;
    text = textOut ? renderExplanation(explainJob(v), ctx.style) : '';
  }
  // Forbidden reads do not change the verdict's exit code; they are named on stderr, in the text and in -o json.
  reportUnreadable(ctx, unreadable);
  ctx.out.write(
    printVerdicts(
      [withUnreadable(verdict, unreadable)],
      format,
      text && text + renderUnreadable(unreadable, ctx.style),
      'one',
    ),
  );
  return verdictExitCode(verdict);
}

/** A Job that is not found: explained from its CronJob (`<cronjob>-<minutes>`) and the controller's
 * events, else the original not-found error with a hint. */
async function goneJobVerdict(
  ctx: RunContext,
  src: Awaited<ReturnType<RunContext['source']>>,
  ns: string,
  name: string,
  now: Date,
  zone: string,
  err: unknown,
): Promise<ReturnType<typeof explainGoneJob> & object> {
  if (!(err instanceof ClusterError) || err.kind !== 'NotFound') throw err;
  const cjName = cronJobNameOf(name);
  if (!cjName) throw err;
  let reads;
  try {
    reads = await readCronJob(src, ns, cjName);
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'NotFound') throw err;
    throw e;
  }
  const v = explainGoneJob({ ...reads, now, controllerZone: zone }, name);
  if (!v)
    throw new ClusterError(
      'NotFound',
      `${err.message}; cronjob/${cjName} exists, but neither its Jobs nor its events (kept 1 h) tell what became of it`,
      err.hint ?? `kubectl job misses ${cjName} -n ${ns}`,
    );
  void ctx;
  return v;
}
