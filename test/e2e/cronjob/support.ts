// Helpers for the CronJob e2e tests: the CLI as a real process, the model's inputs read from the
// cluster with the tool's own reads, events, status patches and wall-clock windows.
import { execFile, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { openSource } from '../../../src/cluster/open.js';
import { readCronJob, type CronJobReads } from '../../../src/cluster/reads.js';
import type { KubeEvent } from '../../../src/api/types.js';
import { kubectl, podTemplate, type ControlPlane, type Step } from '../harness/index.js';
import { cliCommand } from '../../support/cli-command.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** kube-controller-manager inherits this process's environment, so it reads schedules in this zone. */
export const CONTROLLER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
export const minuteStart = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
/** RFC 3339 with whole seconds, as the API server writes metav1.Time. */
export const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Waits until the wall clock's second is within [from, to], so that a prediction made now and
 * the controller's sync right after it fall in the same minute.
 */
export async function waitForSecondWindow(from = 2, to = 40): Promise<void> {
  const s = (Date.now() % MINUTE) / 1000;
  if (s >= from && s <= to) return;
  await sleep((s < from ? from - s : 60 - s + from) * 1000 + 50);
}

/** Wall-clock fields of an instant in a zone (what a cron schedule in that zone matches). */
export function wallClock(ms: number, zone: string): { minute: number; hour: number; day: number; month: number } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { minute: p.minute!, hour: p.hour!, day: p.day!, month: p.month! };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

/** Runs `kubectl-job <args> --kubeconfig … -o json` as a real process (exit 1 = "problem found" is not an error). */
export function cli(cp: ControlPlane, args: string[]): Promise<CliResult> {
  const { cmd, args: lead } = cliCommand();
  const full = [
    ...lead,
    ...args,
    '--kubeconfig',
    cp.kubeconfigPath,
    '--controller-time-zone',
    CONTROLLER_ZONE,
    '-o',
    'json',
    '--color',
    'never',
  ];
  return new Promise((resolve, reject) => {
    execFile(cmd, full, { cwd: ROOT, timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 128) : 0;
      if (code > 1) return reject(new Error(`kubectl-job ${args.join(' ')} exited ${code}: ${stderr}`));
      try {
        resolve({ code, stdout, stderr, json: JSON.parse(stdout) });
      } catch (e) {
        reject(
          new Error(
            `kubectl-job ${args.join(' ')}: output is not JSON (${(e as Error).message}): ${stdout}\n${stderr}`,
          ),
        );
      }
    });
  });
}

export interface FileRun {
  code: number;
  report: any;
  stderr: string;
}

/** `kubectl-job why -f - -n <ns> -o json` with the manifests on stdin (as `kustomize build . | kubectl job why -f -`), as a real process. */
export function whyFile(cp: ControlPlane, ns: string, docs: object[], extra: string[] = []): Promise<FileRun> {
  const { cmd, args } = cliCommand();
  const full = [
    ...args,
    'why',
    '-f',
    '-',
    '-n',
    ns,
    '--kubeconfig',
    cp.kubeconfigPath,
    '--controller-time-zone',
    CONTROLLER_ZONE,
    '-o',
    'json',
    '--color',
    'never',
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, full, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === null || code > 1) return reject(new Error(`why -f exited ${code}: ${stderr}`));
      try {
        resolve({ code, report: JSON.parse(stdout), stderr });
      } catch (e) {
        reject(new Error(`why -f: not JSON (${(e as Error).message}): ${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(docs.map((d) => stringify(d)).join('---\n'));
  });
}

/** `kubectl job why cronjob/<name> -n <ns> -o json`. */
export async function why(cp: ControlPlane, ns: string, name: string, extra: string[] = []): Promise<any> {
  const r = await cli(cp, ['why', `cronjob/${name}`, '-n', ns, ...extra]);
  return { ...r.json, exitCode: r.code };
}

/** The model's inputs read from the cluster with the tool's own reads (src/cluster/reads.ts). */
export async function readInput(cp: ControlPlane, ns: string, name: string): Promise<CronJobReads> {
  const src = await openSource({ kubeconfig: cp.kubeconfigPath, namespace: ns });
  try {
    return await readCronJob(src, ns, name);
  } finally {
    await src.close();
  }
}

/** Events about the CronJob, oldest first. */
export async function cronJobEvents(cp: ControlPlane, ns: string, name: string): Promise<KubeEvent[]> {
  const list = await cp.client.request('GET', `/api/v1/namespaces/${ns}/events`, undefined, {
    query: { fieldSelector: `involvedObject.kind=CronJob,involvedObject.name=${name}` },
  });
  return (list.items as KubeEvent[]).sort(
    (a, b) =>
      (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

/** Event counts by event object name: a baseline for newEvents(). */
export async function eventBaseline(cp: ControlPlane, ns: string, name: string): Promise<Map<string, number>> {
  return new Map((await cronJobEvents(cp, ns, name)).map((e) => [e.metadata.name ?? '', e.count ?? 1]));
}

/** Events recorded (or repeated) since the baseline, as `type reason: message` strings, sorted, without repeats. */
export async function newEvents(
  cp: ControlPlane,
  ns: string,
  name: string,
  baseline: Map<string, number>,
): Promise<string[]> {
  const out = new Set<string>();
  for (const e of await cronJobEvents(cp, ns, name)) {
    const before = baseline.get(e.metadata.name ?? '');
    if (before === undefined || (e.count ?? 1) > before) out.add(eventKey(e));
  }
  return [...out].sort();
}

/** `type reason: message` of an event (the model's ControllerEvent or a KubeEvent). */
export function eventKey(e: { type?: string; reason?: string; message?: string }): string {
  return `${e.type ?? 'Normal'} ${e.reason}: ${e.message}`;
}

/** Jobs in the namespace, by name. */
export async function jobs(cp: ControlPlane, ns: string): Promise<any[]> {
  const list = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`);
  return (list.items as any[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

export async function getCronJob(cp: ControlPlane, ns: string, name: string): Promise<any> {
  return cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`);
}

/** Creates a CronJob with a named field manager (it then owns every field it set, e.g. .spec.suspend). */
export async function createCronJob(
  cp: ControlPlane,
  ns: string,
  obj: object,
  fieldManager = 'e2e-test',
): Promise<any> {
  return cp.client.request('POST', `/apis/batch/v1/namespaces/${ns}/cronjobs`, obj, { query: { fieldManager } });
}

/** `kubectl patch cronjob <name> --subresource=status --type=merge`. */
export async function patchStatus(cp: ControlPlane, ns: string, name: string, status: object): Promise<void> {
  await kubectl(
    ['patch', 'cronjob', name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })],
    { kubeconfig: cp.kubeconfigPath },
  );
}

/** `kubectl patch cronjob <name> --type=merge -p <patch>`. */
export async function patchCronJob(cp: ControlPlane, ns: string, name: string, patch: object): Promise<void> {
  await kubectl(['patch', 'cronjob', name, '-n', ns, '--type=merge', '-p', JSON.stringify(patch)], {
    kubeconfig: cp.kubeconfigPath,
  });
}

/** Changes an annotation only: the v2 controller syncs the CronJob at once on any update that keeps the schedule. */
export async function poke(cp: ControlPlane, ns: string, name: string): Promise<void> {
  await patchCronJob(cp, ns, name, { metadata: { annotations: { 'e2e.test/poke': String(Date.now()) } } });
}

/** A CronJob manifest whose pods follow `steps` (default: run until deleted). */
export function cronJobManifest(name: string, spec: Record<string, unknown>, steps: Step[] = [{ hang: true }]): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      ...spec,
      jobTemplate: {
        spec: {
          backoffLimit: 0,
          template: podTemplate(steps),
        },
      },
    },
  };
}

/** The input with the CronJob changed locally (what the cluster will hold after a patch). */
export function withCronJob(input: CronJobReads, change: (cj: any) => void): CronJobReads {
  const cronJob = structuredClone(input.cronJob);
  change(cronJob);
  return { ...input, cronJob };
}
