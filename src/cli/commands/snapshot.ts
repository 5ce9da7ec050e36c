// kubectl job snapshot: save CronJobs, Jobs, their Pods and Events to a file for offline analysis.
import type { Command } from 'commander';
import { flag, Values } from '../flag-values.js';
import { captureSnapshot } from '../../cluster/capture.js';
import type { LiveSource } from '../../cluster/live.js';
import { UsageError } from '../../errors.js';
import { parseOutputFormat, toJson } from '../../output/format.js';
import { writeYaml } from '../../output/yaml-writer.js';
import { startProgress } from '../../output/progress.js';
import type { RunContext } from '../context.js';
import { defineBody, type Registration } from './define.js';
import { reportUnreadable } from '../unreadable.js';

interface SnapshotOpts {
  allNamespaces?: boolean;
  output?: string;
}

/** Registers `snapshot`. */
export function registerSnapshot(program: Command, reg: Registration): void {
  defineBody<SnapshotOpts>(
    program,
    reg,
    'snapshot',
    'save CronJobs, Jobs, their Pods and Events to a file, to analyse later with --snapshot',
    (cmd) =>
      cmd
        .addOption(flag('-A, --all-namespaces', 'capture every namespace'))
        .addOption(flag('-o, --output <format>', 'yaml (default) or json', Values.oneOf(['json', 'yaml'])))
        .addHelpText(
          'after',
          `
Examples:
  kubectl job snapshot -n prod > prod.yaml
  kubectl job why cronjob/backup --snapshot prod.yaml     # later, or on another machine`,
        ),
    runSnapshot,
  );
}

async function runSnapshot(ctx: RunContext, _args: string[], o: SnapshotOpts): Promise<number> {
  const format = parseOutputFormat(o.output, ['json', 'yaml']);
  if (ctx.flags.snapshot) throw new UsageError('snapshot reads a live cluster; --snapshot cannot be used with it');
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
