// Which CronJobs and which clusters `why` and `misses` read: one by name, the fleet of a namespace
// (or every namespace), a label selection, and for `why --all` one or several kubeconfig contexts.
// Pure: flags in, a scope or a UsageError out (table-tested in test/cli/scope.test.ts).
import { parseLabelSelector } from '../cluster/request-parts.js';
import { UsageError } from '../errors.js';
import type { OutputFormat } from '../output/format.js';

/** Contexts read at once when --max-concurrency is not given. */
export const DEFAULT_MAX_CONCURRENCY = 4;

/** Connection flags that pick one cluster or one user: they cannot apply to several contexts at once. */
export const ONE_CLUSTER_FLAGS: Record<string, string> = {
  server: '--server',
  cluster: '--cluster',
  user: '--user',
  token: '--token',
  username: '--username',
  password: '--password',
  clientCertificate: '--client-certificate',
  clientKey: '--client-key',
  certificateAuthority: '--certificate-authority',
  tlsServerName: '--tls-server-name',
};

/** The flags of `why` that choose what is read. */
export interface WhyScopeInput {
  target?: string;
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
  /** Every distinct --context, in order. */
  contexts: string[];
  allContexts?: boolean;
  maxConcurrency?: string;
  format: OutputFormat;
  snapshot?: string;
  /** The global flags as parsed (to find one-cluster flags set beside several contexts). */
  flags?: Record<string, unknown>;
}

/** What `why` reads. */
export type WhyScope =
  | { kind: 'one'; target: string }
  | {
      kind: 'fleet';
      /** kubectl's -l, already checked; undefined = every CronJob. */
      selector?: string;
      /**
       * undefined: the one cluster of the kubeconfig and flags, printed as before (no CONTEXT column);
       * 'all': every context of the merged kubeconfig; else these contexts. Both print a CONTEXT column.
       */
      contexts?: 'all' | string[];
      maxConcurrency: number;
    };

/** Checks the scope flags of `why`; UsageError for combinations that cannot be meant. */
export function parseWhyScope(i: WhyScopeInput): WhyScope {
  const selector = checkSelector(i.selector);
  const maxConcurrency = parseMaxConcurrency(i.maxConcurrency);
  const several = Boolean(i.allContexts) || i.contexts.length > 1;
  // -A, -l and --all-contexts each mean "every CronJob of …": they imply --all, as -A always has.
  const fleet = Boolean(i.all || i.allNamespaces || i.selector !== undefined || i.allContexts);
  if (i.allContexts && i.contexts.length > 0) throw new UsageError('give --context or --all-contexts, not both');
  if (i.target !== undefined && fleet) {
    const why =
      i.selector !== undefined
        ? '-l selects CronJobs by label'
        : i.allContexts
          ? '--all-contexts audits every CronJob'
          : '--all audits every CronJob';
    throw new UsageError(
      `give a name or --all, not both: ${why}`,
      `kubectl job why cronjob/${i.target.replace(/^[^/]*\//, '')}, or kubectl job why --all`,
    );
  }
  if (!fleet) {
    if (several)
      throw new UsageError(
        `several contexts are audited with --all: why ${i.target ?? 'NAME'} reads one cluster`,
        `kubectl job why --all ${i.contexts.map((c) => `--context ${c}`).join(' ')}`,
      );
    if (i.target === undefined)
      throw new UsageError('name a CronJob or Job, or pass --all', 'kubectl job why cronjob/NAME');
    return { kind: 'one', target: i.target };
  }
  if (!several) return { kind: 'fleet', selector, maxConcurrency };
  if (i.snapshot)
    throw new UsageError(
      '--snapshot is one saved cluster: it cannot be read with several contexts',
      'run why --all --snapshot FILE without --context/--all-contexts',
    );
  if (i.format === 'name')
    throw new UsageError(
      '-o name cannot say which context a CronJob is in: use -o json or -o yaml with several contexts',
    );
  const pinned = Object.keys(ONE_CLUSTER_FLAGS).filter((k) => i.flags?.[k] !== undefined && i.flags[k] !== '');
  if (pinned.length) {
    throw new UsageError(
      `${pinned.map((k) => ONE_CLUSTER_FLAGS[k]).join(', ')} picks one cluster or user: it cannot apply to several contexts`,
      'put the setting into each context of the kubeconfig, or audit one context at a time',
    );
  }
  return { kind: 'fleet', selector, maxConcurrency, contexts: i.allContexts ? 'all' : i.contexts };
}

/** The flags of `misses` that choose which CronJobs are read. */
export interface MissesScopeInput {
  target?: string;
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
}

/** What `misses` reads: one CronJob by name, or every selected CronJob of the namespace (or all). */
export type MissesScope =
  | { kind: 'one'; target: string }
  | { kind: 'fleet'; selector?: string; allNamespaces: boolean };

/** Checks the scope flags of `misses` (kubectl's rule: a name or a selector, not both). */
export function parseMissesScope(i: MissesScopeInput): MissesScope {
  const selector = checkSelector(i.selector);
  const fleet = Boolean(i.all || i.allNamespaces || i.selector !== undefined);
  if (i.target !== undefined && fleet) {
    throw new UsageError(
      i.selector !== undefined
        ? 'a name cannot be given with -l: the selector picks the CronJobs'
        : 'give a name or --all, not both',
      'kubectl job misses NAME, or kubectl job misses -l app=x',
    );
  }
  if (fleet) return { kind: 'fleet', selector, allNamespaces: Boolean(i.allNamespaces) };
  if (i.target === undefined)
    throw new UsageError('name a CronJob, or select some with -l or --all', 'kubectl job misses backup --since 7d');
  return { kind: 'one', target: i.target };
}

/** A -l value checked as kubectl checks it; '' selects everything (undefined). */
function checkSelector(selector: string | undefined): string | undefined {
  if (selector === undefined) return undefined;
  parseLabelSelector(selector, '-l');
  return selector.trim() === '' ? undefined : selector;
}

/** --max-concurrency: a whole number of at least 1. */
export function parseMaxConcurrency(v: string | undefined): number {
  if (v === undefined) return DEFAULT_MAX_CONCURRENCY;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1)
    throw new UsageError(`--max-concurrency takes a whole number of at least 1, not "${v}"`);
  return Number(v);
}

/**
 * The exit code of an audit of several clusters: the worst of the per-cluster codes, where worse
 * is further down the README's exit-code table (0 healthy < 1 a problem found < 3 cluster error
 * < 4 not found < 5 forbidden): a cluster that could not be audited outranks a problem found in
 * another, since the audit is then incomplete.
 */
export function worstExitCode(codes: number[]): number {
  return codes.reduce((worst, c) => Math.max(worst, c), 0);
}

/** Runs `fn` on every item with at most `limit` running at once; results in item order. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
