// `why --all`: the fleet audit of every CronJob (optionally a label selection) of one cluster,
// or of several kubeconfig contexts read a few at a time into one table with a CONTEXT column.
import { readFleet } from '../../cluster/reads.js';
import type { ClusterSource } from '../../cluster/source.js';
import type { Unreadable } from '../../cluster/unreadable.js';
import { decideCronJob } from '../../controller/cronjob/index.js';
import { verdictExitCode, type CronJobVerdict } from '../../controller/verdict.js';
import { ClusterError, ExitCode } from '../../errors.js';
import {
  contextErrorLine,
  contextsDocument,
  contextsTable,
  fleetTable,
  type ContextAudit,
} from '../../explain/fleet.js';
import { unreadableSummary } from '../../explain/unreadable.js';
import { toJson, toYaml, type OutputFormat } from '../../output/format.js';
import { startProgress } from '../../output/progress.js';
import { renderTable } from '../../output/table.js';
import { renderUnreadable } from '../../output/unreadable.js';
import type { RunContext } from '../context.js';
import { createdAfterNow } from '../existed.js';
import { resolveTimeArg, type TimeArg } from '../parse-time.js';
import { isExcluded, type Excluded } from '../exclude.js';
import { mapBounded, worstExitCode } from '../scope.js';
import { reportUnreadable } from '../unreadable.js';
import { printVerdicts, withUnreadable } from './why-print.js';

/** The flags of `why` the fleet audit reads. */
export interface FleetOpts {
  allNamespaces?: boolean;
  controllerTimeZone: string;
  /** CronJobs left out (--exclude NAMESPACE/NAME), e.g. the in-cluster audit's own. */
  excluded?: Excluded[];
  /** --since: the look-back window of every CronJob (default: each one's own, as for one CronJob). */
  since?: TimeArg;
}

/** Which contexts an audit of several reads, and how. */
export interface ContextsScope {
  /** 'all': every context of the merged kubeconfig; else these. */
  contexts: 'all' | string[];
  maxConcurrency: number;
  /** kubectl's -l, already checked; undefined = every CronJob. */
  selector?: string;
}

interface SourceAudit {
  /** The namespace read; undefined = every namespace. */
  ns?: string;
  verdicts: CronJobVerdict[];
  unreadable: Unreadable[];
}

/** Reads the selected CronJobs of one source and decides each one; `warn` reports CronJobs left out. */
async function auditSource(
  ctx: RunContext,
  src: ClusterSource,
  o: FleetOpts,
  selector: string | undefined,
  warn: (m: string) => void,
  onProgress?: (what: string) => void,
): Promise<SourceAudit> {
  // A snapshot read without -n covers every namespace in the file.
  const everywhere = o.allNamespaces || (Boolean(ctx.flags.snapshot) && !src.namespaceExplicit);
  const ns = everywhere ? undefined : (ctx.flags.namespace ?? src.namespace);
  const now = ctx.now(src);
  const since = o.since ? resolveTimeArg(o.since, now) : undefined;
  let reads = await readFleet(src, ns, { labelSelector: selector, onProgress });
  if (o.excluded?.length)
    reads = reads.filter((r) => !isExcluded(o.excluded!, r.cronJob.metadata.namespace, r.cronJob.metadata.name));
  const later = reads.filter((r) => createdAfterNow(ctx, r.cronJob, now));
  if (later.length) {
    warn(
      `--now ${ctx.flags.now} is before ${later.length} CronJob(s) existed; left out: ${later
        .slice(0, 5)
        .map((r) => `${r.cronJob.metadata.namespace ?? 'default'}/${r.cronJob.metadata.name}`)
        .join(', ')}${later.length > 5 ? ', …' : ''}`,
    );
    reads = reads.filter((r) => !later.includes(r));
  }
  const verdicts = reads
    .map((r) => decideCronJob({ ...r, now, controllerZone: o.controllerTimeZone, ...(since ? { since } : {}) }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { ns, verdicts, unreadable: reads[0]?.unreadable ?? [] };
}

const fleetExitCode = (verdicts: CronJobVerdict[]) =>
  verdicts.some((v) => verdictExitCode(v) !== 0) ? ExitCode.ProblemFound : ExitCode.Ok;
const where = (ns: string | undefined, selector: string | undefined) =>
  `${ns ? `namespace ${ns}` : 'any namespace'}${selector ? ` matching -l ${selector}` : ''}`;

/** One cluster (the kubeconfig's current context, or the one --context): the table as it always was. */
export async function runFleet(
  ctx: RunContext,
  o: FleetOpts,
  format: OutputFormat,
  selector?: string,
): Promise<number> {
  const src = await ctx.source();
  const everywhere = o.allNamespaces || (Boolean(ctx.flags.snapshot) && !src.namespaceExplicit);
  const scope = everywhere ? undefined : (ctx.flags.namespace ?? src.namespace);
  const progress = startProgress(
    `reading CronJobs in ${scope ? `namespace ${scope}` : 'all namespaces'}…`,
    ctx.interactive && format !== 'json' && format !== 'yaml',
  );
  let audit: SourceAudit;
  try {
    audit = await auditSource(
      ctx,
      src,
      o,
      selector,
      (m) => ctx.warn(m),
      (what) => progress.update(`read ${what}…`),
    );
  } finally {
    progress.stop();
  }
  const { ns, verdicts, unreadable } = audit;
  const now = ctx.now(src);
  if (verdicts.length === 0) {
    ctx.err.write(`No CronJobs found in ${where(ns, selector)}.\n`);
    if (format === 'json' || format === 'yaml') ctx.out.write(printVerdicts([], format, '', 'list'));
    return 0;
  }
  reportUnreadable(ctx, unreadable);
  const t = fleetTable(verdicts, now, format === 'wide');
  const table = renderTable(
    ns ? t.head.slice(1) : t.head,
    ns ? t.rows.map((r) => r.slice(1)) : t.rows,
    ctx.style,
    t.tones,
  );
  ctx.out.write(
    printVerdicts(
      verdicts.map((v) => withUnreadable(v, unreadable)),
      format,
      table + renderUnreadable(unreadable, ctx.style),
      'list',
    ),
  );
  return fleetExitCode(verdicts);
}

/**
 * Several contexts (--context repeated, or --all-contexts): each is read on its own connection,
 * at most `maxConcurrency` at a time; one that fails becomes an `error` row and never stops the
 * others. Exit code: the worst of the contexts' (worstExitCode).
 */
export async function runContexts(
  ctx: RunContext,
  o: FleetOpts,
  format: OutputFormat,
  scope: ContextsScope,
): Promise<number> {
  const names = scope.contexts === 'all' ? await ctx.contextNames(ctx.flags) : scope.contexts;
  const progress = startProgress(
    `auditing ${names.length} contexts…`,
    ctx.interactive && format !== 'json' && format !== 'yaml',
  );
  let done = 0;
  let audits: ContextAudit[];
  try {
    audits = await mapBounded(names, scope.maxConcurrency, async (name) => {
      const a = await auditContext(ctx, o, name, scope.selector);
      progress.update(`audited ${++done} of ${names.length} contexts…`);
      return a;
    });
  } finally {
    progress.stop();
  }
  for (const a of audits) {
    if ('error' in a) {
      ctx.warn(`context "${a.context}" was not audited: ${contextErrorLine(a)}`);
    } else if (a.verdicts.length === 0) {
      ctx.err.write(`No CronJobs found in context "${a.context}", ${where(a.namespace, scope.selector)}.\n`);
    } else {
      const line = unreadableSummary(a.unreadable);
      if (line) ctx.warn(`context "${a.context}": ${line}`);
    }
  }
  if (format === 'json' || format === 'yaml') {
    const doc = contextsDocument(audits);
    ctx.out.write(format === 'json' ? toJson(doc) : toYaml(doc));
  } else {
    const t = contextsTable(audits, ctx.now(), format === 'wide', !ctx.flags.namespace || Boolean(o.allNamespaces));
    if (t.rows.length) ctx.out.write(renderTable(t.head, t.rows, ctx.style, t.tones));
    for (const a of audits)
      if ('unreadable' in a) ctx.out.write(renderUnreadable(a.unreadable, ctx.style, ` in context "${a.context}"`));
  }
  return worstExitCode(audits.map((a) => a.exitCode));
}

/**
 * The audit of one context, or the cluster error that stopped it. A usage error (a bad -n or
 * --request-timeout) is the same for every context and a bug is not the cluster's: both end the run.
 */
async function auditContext(
  ctx: RunContext,
  o: FleetOpts,
  context: string,
  selector: string | undefined,
): Promise<ContextAudit> {
  let src: ClusterSource | undefined;
  try {
    src = await ctx.openSource({ ...ctx.flags, context });
    const a = await auditSource(ctx, src, o, selector, (m) => ctx.warn(`context "${context}": ${m}`));
    return {
      context,
      ...(a.ns !== undefined && { namespace: a.ns }),
      exitCode: fleetExitCode(a.verdicts),
      verdicts: a.verdicts,
      unreadable: a.unreadable,
    };
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    const namespace = o.allNamespaces ? undefined : (ctx.flags.namespace ?? src?.namespace);
    return {
      context,
      ...(namespace !== undefined && { namespace }),
      exitCode: e.exitCode,
      error: { reason: e.kind, message: e.message, ...(e.hint && { hint: e.hint }) },
    };
  } finally {
    await src?.close();
  }
}
