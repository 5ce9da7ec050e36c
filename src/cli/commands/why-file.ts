// kubectl job why -f FILE|DIR|-: findings from the controllers' rules about manifests before they
// are applied, and for a CronJob that exists, what the controller does at its next sync after the
// apply (a prediction of the same model `why -o json` carries as `decision`).
// Exit 0 when no finding is an error, 1 when one is (for CI on GitOps repositories).
import { connectionOf } from '../../cluster/actions.js';
import { dryRunApply } from '../../cluster/dry-run-apply.js';
import { readManifests, type ManifestObject, type ManifestSet } from '../../cluster/manifests.js';
import type { ClusterSource } from '../../cluster/source.js';
import { cronJobFindings, jobSpecFindings, type Finding, type LintContext } from '../../controller/lint/index.js';
import { previewApply } from '../../controller/plans/apply-preview.js';
import type { CronJob, Job, ServerVersion } from '../../api/types.js';
import { ClusterError, ExitCode, UsageError } from '../../errors.js';
import {
  explainManifestItem,
  summarise,
  type ManifestReport,
  type ManifestReportItem,
} from '../../explain/manifest.js';
import { renderExplanation } from '../../output/explanation.js';
import { toJson, toYaml, type OutputFormat } from '../../output/format.js';
import type { RunContext } from '../context.js';

/** The options of `why -f` after validation. */
export interface WhyFileOptions {
  inputs: string[];
  recursive: boolean;
  /** No cluster reads at all: static findings only. */
  local: boolean;
  validate: 'server' | 'none';
  format: 'json' | 'yaml' | 'text';
}

/** Raw flags of `why` that matter to `-f`. */
export interface WhyFileFlags {
  filename?: string[];
  recursive?: boolean;
  local?: boolean;
  validate?: string;
  all?: boolean;
  allNamespaces?: boolean;
  since?: string;
  snapshot?: string;
}

/** Validates the flags of `why -f` (pure). */
export function parseWhyFileOptions(args: string[], f: WhyFileFlags, format: OutputFormat): WhyFileOptions {
  const inputs = f.filename ?? [];
  if (!inputs.length) throw new UsageError('-f needs a file, a directory or - (stdin)');
  if (inputs.some((i) => i === ''))
    throw new UsageError('-f needs a file, a directory or - (stdin), not an empty string');
  if (args.length) throw new UsageError('give -f FILE or a name, not both', 'kubectl job why -f cronjob.yaml');
  if (f.all || f.allNamespaces)
    throw new UsageError('--all and -A do not apply to -f: every object in the files is examined');
  if (f.since !== undefined) throw new UsageError('--since does not apply to -f (a manifest has no history)');
  if (format === 'name')
    throw new UsageError('-o name is not supported with -f; use -o json, yaml or the default text');
  const validate =
    f.validate === undefined || f.validate === 'none' || f.validate === 'false'
      ? 'none'
      : f.validate === 'server'
        ? 'server'
        : undefined;
  if (!validate) throw new UsageError(`--validate must be server or none, not "${f.validate}"`);
  if (validate === 'server' && (f.local || f.snapshot))
    throw new UsageError(
      `--validate=server needs the API server; it cannot be combined with ${f.local ? '--local' : '--snapshot'}`,
    );
  if (f.recursive && inputs.every((i) => i === '-')) throw new UsageError('-R applies to directories, not to stdin');
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('-f - (stdin) given more than once');
  return {
    inputs,
    recursive: Boolean(f.recursive),
    local: Boolean(f.local),
    validate,
    format: format === 'json' || format === 'yaml' ? format : 'text',
  };
}

/** Cluster failures that mean "no cluster to compare with": the static findings are still given. */
const NO_CLUSTER = new Set(['Config', 'Unreachable', 'Timeout', 'Unauthorized']);

/** Runs `why -f`. */
export async function runWhyFile(ctx: RunContext, opts: WhyFileOptions, controllerZone: string): Promise<number> {
  // `-f -`: standard input from the context, read whole before the files (it is read once).
  const stdin = opts.inputs.includes('-') ? await readText(ctx.input()) : '';
  const set: ManifestSet = readManifests(opts.inputs, opts.recursive, () => stdin);
  for (const s of set.skipped) {
    const what = `${s.kind ? `${s.kind}${s.name ? `/${s.name}` : ''}` : 'a document'} in ${s.source}`;
    if (s.reason.startsWith('malformed')) ctx.warn(`skipped ${what}: ${s.reason}`);
    else ctx.err.write(`note: skipped ${what}: ${s.reason}\n`);
  }
  let src: ClusterSource | undefined;
  let noCluster: string | null = opts.local ? 'no cluster read (--local)' : null;
  if (!opts.local && set.objects.length) {
    try {
      src = await ctx.source();
    } catch (e) {
      // --validate=server asked for the server: without one that is an error (exit 3), not a silent skip.
      if (!(e instanceof ClusterError) || !NO_CLUSTER.has(e.kind) || opts.validate === 'server') throw e;
      noCluster = `no cluster access (${e.message.split('\n')[0]})`;
      ctx.warn(`${noCluster}: static findings only`);
      src = undefined;
    }
  }
  const now = ctx.now(src);
  const serverVersion = src ? await src.serverVersion() : undefined;
  const defaultNs = ctx.flags.namespace ?? src?.namespace ?? 'default';
  const items: ManifestReportItem[] = [];
  const env: Env = { src, noCluster, now, serverVersion, defaultNs, controllerZone, validate: opts.validate };
  for (const m of set.objects) {
    try {
      items.push(await examine(m, env));
    } catch (e) {
      // The cluster went away (or never answered): the rest is static.
      if (!(e instanceof ClusterError) || !NO_CLUSTER.has(e.kind) || opts.validate === 'server') throw e;
      env.noCluster = `no cluster access (${e.message.split('\n')[0]})`;
      ctx.warn(`${env.noCluster}: static findings only`);
      env.src = undefined;
      items.push(await examine(m, env));
    }
  }
  const report: ManifestReport = {
    kind: 'ManifestReport',
    now: now.toISOString(),
    items,
    skipped: set.skipped,
    summary: summarise(items),
  };
  if (!items.length) ctx.err.write(`note: no CronJob or Job found in ${opts.inputs.join(', ')}\n`);
  if (opts.format === 'json') ctx.out.write(toJson(report));
  else if (opts.format === 'yaml') ctx.out.write(toYaml(report));
  else ctx.out.write(items.map((i) => renderExplanation(explainManifestItem(i, now), ctx.style)).join('\n'));
  return report.summary.errors > 0 ? ExitCode.ProblemFound : ExitCode.Ok;
}

/** All of a stream's text. */
async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

interface Env {
  src?: ClusterSource;
  noCluster: string | null;
  now: Date;
  serverVersion?: ServerVersion;
  defaultNs: string;
  controllerZone: string;
  validate: 'server' | 'none';
}

async function examine(m: ManifestObject, env: Env): Promise<ManifestReportItem> {
  const namespace = m.object.metadata.namespace ?? env.defaultNs;
  const name = m.object.metadata.name ?? '';
  let live: CronJob | Job | undefined;
  let jobs: Job[] = [];
  let previewSkipped: string | null = env.noCluster;
  if (env.src && name) {
    try {
      live = m.kind === 'CronJob' ? await env.src.getCronJob(namespace, name) : await env.src.getJob(namespace, name);
      if (live.metadata.namespace && live.metadata.namespace !== namespace) live = undefined; // a snapshot match in another namespace
    } catch (e) {
      if (!(e instanceof ClusterError)) throw e;
      if (e.kind === 'Forbidden')
        previewSkipped = `cannot read ${m.kind.toLowerCase()}/${name} in namespace ${namespace} (forbidden)`;
      else if (e.kind !== 'NotFound') throw e;
    }
    if (m.kind === 'CronJob' && live) {
      try {
        jobs = await env.src.listJobs(namespace);
      } catch (e) {
        if (!(e instanceof ClusterError) || e.kind !== 'Forbidden') throw e;
        previewSkipped = `cannot list jobs in namespace ${namespace} (forbidden): the controller's active list cannot be checked`;
      }
    }
  }
  const lint: LintContext = {
    now: env.now,
    controllerZone: env.controllerZone,
    exists: Boolean(live),
    ...(live && m.kind === 'CronJob' ? { liveSchedule: (live as CronJob).spec.schedule } : {}),
    ...(env.serverVersion ? { serverVersion: env.serverVersion } : {}),
  };
  const findings: Finding[] =
    m.kind === 'CronJob' ? cronJobFindings(m.object, lint) : jobSpecFindings(m.object.spec, '.spec', lint);
  if (env.validate === 'server' && env.src) {
    const conn = connectionOf(env.src);
    if (conn) {
      for (const e of await dryRunApply(conn, m.kind, namespace, m.object, live)) {
        findings.push({
          code: 'ServerRejected',
          severity: 'error',
          path: e.field ? `.${e.field}` : '',
          message: `the API server rejects it (dry run): ${e.message}`,
          basis: `server-side dry run (${live ? 'update' : 'create'})`,
        });
      }
    }
  }
  let preview = null;
  if (m.kind === 'CronJob' && env.src && (previewSkipped === null || previewSkipped === env.noCluster)) {
    preview = previewApply({
      ...(live ? { live: live as CronJob } : {}),
      manifest: { ...m.object, metadata: { ...m.object.metadata, namespace } },
      jobs,
      serverVersion: env.serverVersion,
      now: env.now,
      controllerZone: env.controllerZone,
    });
    previewSkipped = null;
  }
  return {
    kind: m.kind,
    namespace,
    name,
    source: m.source,
    findings,
    preview,
    previewSkipped: m.kind === 'CronJob' ? previewSkipped : null,
  };
}
