// Reads a saved snapshot so every read command works offline:
//   kubectl get cronjobs,jobs,pods,events -o yaml > snapshot.yaml
// Accepts a v1 List (YAML or JSON), several YAML documents, or single objects.
// Optional top-level keys written by `kubectl job snapshot`: capturedAt, serverVersion.
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ClusterError, UsageError } from '../errors.js';
import type { ClusterSnapshot, CronJob, Job, KubeEvent, Pod, ServerVersion } from '../controller/types.js';
import { podsOwnedBy, type ClusterSource } from './source.js';

/** A parsed snapshot file plus when it was captured (if recorded). */
export interface SnapshotFile extends ClusterSnapshot {
  capturedAt?: string;
}

type AnyObj = { apiVersion?: string; kind?: string; items?: AnyObj[]; [k: string]: unknown };

/** Parses snapshot text (YAML or JSON; List, multi-document or single objects). */
export function parseSnapshot(text: string, fileName = 'snapshot'): SnapshotFile {
  const snap: SnapshotFile = { cronJobs: [], jobs: [], pods: [], events: [] };
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw d.errors[0];
      return d.toJS();
    });
  } catch (e) {
    throw new UsageError(`cannot parse ${fileName}: ${(e as Error).message.split('\n')[0]}`);
  }
  const visit = (o: AnyObj | null | undefined): void => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o.items)) {
      if (typeof o.capturedAt === 'string') snap.capturedAt = o.capturedAt;
      if (o.serverVersion) snap.serverVersion = parseVersion(o.serverVersion);
      o.items.forEach(visit);
      return;
    }
    switch (o.kind) {
      case 'CronJob': snap.cronJobs.push(o as unknown as CronJob); break;
      case 'Job': snap.jobs.push(o as unknown as Job); break;
      case 'Pod': snap.pods.push(o as unknown as Pod); break;
      case 'Event': snap.events.push(normaliseEvent(o)); break;
      default: break;
    }
  };
  docs.forEach((d) => visit(d as AnyObj));
  return snap;
}

function parseVersion(v: unknown): ServerVersion | undefined {
  const s = typeof v === 'string' ? v : (v as { gitVersion?: string }).gitVersion;
  const m = /^v?(\d+)\.(\d+)/.exec(s ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]), gitVersion: s! } : undefined;
}

// events.k8s.io/v1 Events name the object `regarding` and the text `note`; the tool reads the core/v1 shape.
function normaliseEvent(o: AnyObj): KubeEvent {
  if (o.apiVersion === 'events.k8s.io/v1') {
    const e = o as Record<string, any>;
    return {
      ...e,
      involvedObject: e.regarding ?? {},
      message: e.note,
      firstTimestamp: e.deprecatedFirstTimestamp ?? null,
      lastTimestamp: e.deprecatedLastTimestamp ?? null,
      count: e.deprecatedCount ?? e.series?.count,
      source: { component: e.reportingController },
    } as KubeEvent;
  }
  return o as unknown as KubeEvent;
}

/** A ClusterSource over a snapshot file. Without -n, names are looked up in every namespace of the file. */
export class SnapshotSource implements ClusterSource {
  readonly description: string;
  readonly snap: SnapshotFile;

  constructor(file: string, readonly namespace: string, readonly namespaceExplicit: boolean) {
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read snapshot ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    this.snap = parseSnapshot(text, file);
    this.description = `snapshot ${file}`;
  }

  private find<T extends { metadata: { name?: string; namespace?: string } }>(items: T[], kind: string, namespace: string, name: string): T {
    const byName = items.filter((o) => o.metadata.name === name);
    const exact = byName.filter((o) => (o.metadata.namespace ?? 'default') === namespace);
    if (exact.length) return exact[0]!;
    if (!this.namespaceExplicit && byName.length === 1) return byName[0]!;
    if (!this.namespaceExplicit && byName.length > 1) {
      throw new UsageError(`${kind} "${name}" exists in several namespaces of the snapshot (${byName.map((o) => o.metadata.namespace).join(', ')}): pass -n`);
    }
    throw new ClusterError('NotFound', `${kind} "${name}" not found in ${this.description}${this.namespaceExplicit ? ` (namespace "${namespace}")` : ''}`);
  }

  async getCronJob(namespace: string, name: string): Promise<CronJob> {
    return this.find(this.snap.cronJobs, 'cronjob', namespace, name);
  }

  async getJob(namespace: string, name: string): Promise<Job> {
    return this.find(this.snap.jobs, 'job', namespace, name);
  }

  async listCronJobs(namespace: string | undefined): Promise<CronJob[]> {
    return this.snap.cronJobs.filter((o) => namespace === undefined || (o.metadata.namespace ?? 'default') === namespace);
  }

  async listJobs(namespace: string | undefined, labelSelector?: string): Promise<Job[]> {
    const match = selectorMatcher(labelSelector);
    return this.snap.jobs.filter((o) => (namespace === undefined || (o.metadata.namespace ?? 'default') === namespace) && match(o.metadata.labels ?? {}));
  }

  async listPodsOfJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace ?? 'default';
    return podsOwnedBy(job, this.snap.pods.filter((p) => (p.metadata.namespace ?? 'default') === ns));
  }

  async listEventsFor(namespace: string, objects: Array<{ kind: string; name: string }>): Promise<KubeEvent[]> {
    const want = new Set(objects.map((o) => `${o.kind}/${o.name}`));
    return this.snap.events.filter(
      (e) => (e.metadata.namespace ?? e.involvedObject?.namespace ?? 'default') === namespace && want.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`),
    );
  }

  async listEventsOfKind(namespace: string | undefined, kind: string): Promise<KubeEvent[]> {
    return this.snap.events.filter(
      (e) => e.involvedObject?.kind === kind && (namespace === undefined || (e.metadata.namespace ?? e.involvedObject?.namespace ?? 'default') === namespace),
    );
  }

  async serverVersion(): Promise<ServerVersion | undefined> {
    return this.snap.serverVersion;
  }

  async close(): Promise<void> {}
}

/** Equality-based label selectors (`a=b,c!=d,e`, `!f`), enough for --selector on snapshots. */
export function selectorMatcher(selector: string | undefined): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    let m: RegExpExecArray | null;
    if ((m = /^([^!=]+)!=(.*)$/.exec(t))) return (l: Record<string, string>) => l[m![1]!.trim()] !== m![2]!.trim();
    if ((m = /^([^!=]+)==?(.*)$/.exec(t))) return (l: Record<string, string>) => l[m![1]!.trim()] === m![2]!.trim();
    if ((m = /^!(.+)$/.exec(t))) return (l: Record<string, string>) => !(m![1]!.trim() in l);
    return (l: Record<string, string>) => t in l;
  });
  return (labels) => terms.every((f) => f(labels));
}
