// kubectl job snapshot: save CronJobs, Jobs, their Pods and Events to a file for offline analysis.
import type { Command } from 'commander';
import { flag, outputFlag } from '../flag-values.js';
import { captureSnapshot } from '../../cluster/capture.js';
import type { LiveSource } from '../../cluster/live.js';
import { UsageError } from '../../errors.js';
import { parseOutputFormat, toJson } from '../../output/format.js';
import { writeYaml } from '../../output/yaml-writer.js';
import { startProgress } from '../../output/progress.js';
import type { RunContext } from '../context.js';
import { defineCommand, type RawInput, type Registration } from './define.js';
import { reportUnreadable } from '../unreadable.js';

/** The formats `-o` takes; YAML is the default. */
const FORMATS = ['json', 'yaml'] as const;

/** What commander reads for `snapshot`. */
export interface SnapshotFlags {
  allNamespaces?: boolean;
  output?: string;
}

/** `snapshot`'s options after validation. */
export interface SnapshotOptions {
  /** Every namespace, else the one of -n or the kubeconfig. */
  allNamespaces: boolean;
  format: (typeof FORMATS)[number];
}

/** Registers `snapshot`. */
export function registerSnapshot(program: Command, reg: Registration): void {
  defineCommand(program, reg, {
    name: 'snapshot',
    summary: 'save CronJobs, Jobs, their Pods and Events to a file, to analyse later with --snapshot',
    setup: (cmd) =>
      cmd
        .addOption(flag('-A, --all-namespaces', 'capture every namespace'))
        .addOption(outputFlag(FORMATS, '(default yaml)'))
        .addHelpText(
          'after',
          `
Examples:
  kubectl job snapshot -n prod > prod.yaml
  kubectl job why cronjob/backup --snapshot prod.yaml     # later, or on another machine`,
        ),
    parse: parseSnapshot,
    run: runSnapshot,
  });
}

/** Validates `snapshot`'s input (pure). */
export function parseSnapshot({ opts: o }: RawInput<SnapshotFlags>): SnapshotOptions {
  const format = parseOutputFormat(o.output, FORMATS);
  if (o.snapshot) throw new UsageError('snapshot reads a live cluster; --snapshot cannot be used with it');
  return { allNamespaces: Boolean(o.allNamespaces), format: format === 'json' ? 'json' : 'yaml' };
}

/** Captures the namespace (or every namespace) and writes it to stdout. */
export async function runSnapshot(ctx: RunContext, o: SnapshotOptions): Promise<number> {
  const format = o.format;
  const src = (await ctx.source()) as LiveSource;
  const ns = o.allNamespaces ? undefined : src.namespace;
  const progress = startProgress(`reading ${ns ? `namespace ${ns}` : 'all namespaces'}…`, ctx.interactive);
  let snap;
  try {
    snap = await captureSnapshot(src, ns, ctx.now(), (what) => progress.update(`read ${what}…`));
  } finally {
    progress.stop();
  }
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    capturedAt: snap.capturedAt,
    serverVersion: snap.serverVersion?.gitVersion,
    // Reads that were forbidden: commands reading this file name them as they would live.
    ...(snap.unreadable.length ? { unreadable: snap.unreadable } : {}),
    metadata: { resourceVersion: '' },
    items: [
      ...snap.cronJobs.map((o) => ({ apiVersion: 'batch/v1', kind: 'CronJob', ...o })),
      ...snap.jobs.map((o) => ({ apiVersion: 'batch/v1', kind: 'Job', ...o })),
      ...snap.pods.map((o) => ({ apiVersion: 'v1', kind: 'Pod', ...o })),
      ...snap.events.map((o) => ({ apiVersion: 'v1', kind: 'Event', ...o })),
    ],
  };
  reportUnreadable(ctx, snap.unreadable);
  ctx.out.write(format === 'json' ? toJson(list) : writeYaml(list));
  ctx.err.write(
    `captured ${snap.cronJobs.length} cronjobs, ${snap.jobs.length} jobs, ${snap.pods.length} pods, ${snap.events.length} events\n`,
  );
  return 0;
}
