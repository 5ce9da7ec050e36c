// Reads a saved snapshot so every read command works offline:
//   kubectl get cronjobs,jobs,pods,events -o yaml > snapshot.yaml
// Accepts a v1 List (YAML or JSON), several YAML documents, or single objects.
// Optional top-level keys written by `kubectl job snapshot`: capturedAt, serverVersion.
import fs from 'node:fs';
import { ClusterError, UsageError } from '../errors.js';
import type { ClusterSnapshot, CronJob, Job, KubeEvent, Pod, ServerVersion } from '../api/types.js';
import { podsOwnedBy, type ClusterSource } from './source.js';
import { matchesLabels, parseLabelSelector } from './request-parts.js';
import { addUnreadable, type Unreadable } from './unreadable.js';
import { NotStreamable, streamJsonObject, type ReadBytes } from './json-stream.js';
import { readSnapshotYaml } from './snapshot-yaml.js';
import { readYamlDocuments, YamlReadError } from './yaml-read.js';
import { SHAPES, ShapeError, validateObject, type ValidatedKind } from './validate.js';

/** A parsed snapshot file plus when it was captured (if recorded). */
export interface SnapshotFile extends ClusterSnapshot {
  capturedAt?: string;
  /** Objects left out because a field had the wrong shape, each named with the field. */
  skipped: SkippedObject[];
  /** Reads that were forbidden when the snapshot was captured (`unreadable` of `kubectl job snapshot`). */
  unreadable: Unreadable[];
  /** Other problems that did not stop the read (a bad capturedAt, a document that is no object). */
  warnings: string[];
}

/** An object of the file that was not used. */
export interface SkippedObject {
  kind: ValidatedKind;
  namespace: string;
  name: string;
  /** e.g. `.spec.schedule is the number 5, not a string` */
  problem: string;
}

type AnyObj = Record<string, unknown>;

const isMapping = (v: unknown): v is AnyObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses snapshot text (JSON, or YAML: List, multi-document or single objects). Objects with a
 * badly shaped field are skipped and named in `skipped`; a file with nothing usable in it (not
 * YAML, empty, no Kubernetes objects, every object bad) is a UsageError of one line.
 */
export function parseSnapshot(text: string, fileName = 'snapshot'): SnapshotFile {
  const docs = parseDocuments(text, fileName);
  if (docs.every((d) => d === null || d === undefined)) {
    throw new UsageError(
      `snapshot ${fileName} is empty`,
      'save one with: kubectl job snapshot > FILE (or kubectl get cronjobs,jobs,pods,events -o yaml)',
    );
  }
  const b = new SnapshotBuilder();
  docs.forEach((d, i) => {
    if (d !== null && d !== undefined) b.visit(d, docs.length > 1 ? `document ${i + 1}` : 'the file');
  });
  return b.finish(fileName);
}

/**
 * The same as parseSnapshot for a document that is one JSON object, read from `read` a chunk at
 * a time: each object of `items` is made lean as soon as it is read, so the file's full text and
 * object tree never exist. Undefined when the document is anything else (not a JSON object,
 * malformed, a List inside the List, ...): then parseSnapshot of the whole text gives the answer
 * or the error, exactly as for a small file.
 */
export function parseSnapshotStream(read: ReadBytes, fileName = 'snapshot', chunk?: number): SnapshotFile | undefined {
  const b = new SnapshotBuilder();
  let streamed;
  try {
    streamed = streamJsonObject(
      read,
      'items',
      (item, i) => {
        // A List in the List: rare, and its capturedAt would have to be applied in file order.
        if (isMapping(item) && 'items' in item) throw new NotStreamable('a List inside the List');
        b.visit(item, `the file, item ${i + 1}`);
      },
      chunk,
    );
  } catch (e) {
    if (e instanceof NotStreamable) return undefined;
    throw e;
  }
  if (!streamed.hasArray) {
    b.visit(streamed.rest, 'the file');
  } else {
    // The List's own warnings (capturedAt) come before those of its items, as parseSnapshot orders them.
    const itemWarnings = b.snap.warnings;
    b.snap.warnings = [];
    b.list({ ...streamed.rest, items: [] }, 'the file', () => {
      for (const w of itemWarnings) b.snap.warnings.push(w);
    });
  }
  return b.finish(fileName);
}

/** Collects the usable objects of the documents visited, and what was wrong with the others. */
class SnapshotBuilder {
  readonly snap: SnapshotFile = {
    cronJobs: [],
    jobs: [],
    pods: [],
    events: [],
    skipped: [],
    warnings: [],
    unreadable: [],
  };
  /** Kubernetes objects or Lists seen, usable or not. */
  private found = 0;
  /** One copy of each string value (a big snapshot repeats kinds, reasons, images, names and times). */
  private readonly strings = new Map<string, string>();

  visit(o: unknown, where: string): void {
    const snap = this.snap;
    if (!isMapping(o)) {
      snap.warnings.push(
        `${where} is ${o === null ? 'empty' : Array.isArray(o) ? 'a list' : `the ${typeof o} ${JSON.stringify(o)?.slice(0, 40)}`}, not a Kubernetes object or List`,
      );
      return;
    }
    if ('items' in o) {
      this.list(o, where, () => {
        for (const [i, item] of ((o.items as unknown[] | null) ?? []).entries())
          this.visit(item, `${where}, item ${i + 1}`);
      });
      return;
    }
    if (typeof o.kind !== 'string') {
      snap.warnings.push(`${where} has no kind: it is not a Kubernetes object`);
      return;
    }
    if (typeof o.kind !== 'string' || !Object.hasOwn(SHAPES, o.kind)) {
      this.found++;
      return; // other kinds (kubectl get all) are not read
    }
    this.found++;
    const kind = o.kind as ValidatedKind;
    let lean: AnyObj;
    try {
      lean = validateObject(kind, kind === 'Event' ? normaliseEvent(o) : o);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      const meta = isMapping(o.metadata) ? o.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : '';
      const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
      snap.skipped.push({ kind, namespace, name, problem: e.message });
      return;
    }
    leanManagedFields(lean);
    shareStrings(lean, this.strings);
    switch (kind) {
      case 'CronJob':
        snap.cronJobs.push(lean as unknown as CronJob);
        break;
      case 'Job':
        snap.jobs.push(lean as unknown as Job);
        break;
      case 'Pod':
        snap.pods.push(lean as unknown as Pod);
        break;
      case 'Event':
        snap.events.push(lean as unknown as KubeEvent);
        break;
    }
  }

  /** A List: its own fields (capturedAt, serverVersion, unreadable), then `items()` visits its items. */
  list(o: AnyObj, where: string, items: () => void): void {
    const snap = this.snap;
    this.found++;
    if (o.items !== null && !Array.isArray(o.items)) {
      snap.warnings.push(
        `${where}: .items is ${Array.isArray(o.items) ? 'a list' : typeof o.items === 'object' ? 'a mapping' : `the ${typeof o.items} ${JSON.stringify(o.items)?.slice(0, 40)}`}, not a list of objects`,
      );
      return;
    }
    if (o.capturedAt !== undefined) {
      if (
        typeof o.capturedAt === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(o.capturedAt) &&
        !Number.isNaN(Date.parse(o.capturedAt))
      ) {
        snap.capturedAt = o.capturedAt;
      } else {
        snap.warnings.push(
          `${where}: capturedAt ${JSON.stringify(o.capturedAt)?.slice(0, 40)} is not an RFC 3339 time; it is ignored (pass --now to fix the evaluation time)`,
        );
      }
    }
    if (o.serverVersion) snap.serverVersion = parseVersion(o.serverVersion);
    if (Array.isArray(o.unreadable)) {
      for (const u of o.unreadable) {
        if (
          isMapping(u) &&
          typeof u.verb === 'string' &&
          typeof u.resource === 'string' &&
          (u.namespace === undefined || typeof u.namespace === 'string')
        ) {
          addUnreadable(snap.unreadable, {
            verb: u.verb,
            resource: u.resource,
            namespace: u.namespace as string | undefined,
          });
        }
      }
    }
    items();
  }

  /** The snapshot, or a UsageError of one line when nothing in it is usable. */
  finish(fileName: string): SnapshotFile {
    const snap = this.snap;
    const usable = snap.cronJobs.length + snap.jobs.length + snap.pods.length + snap.events.length;
    if (usable === 0 && (snap.skipped.length > 0 || snap.warnings.length > 0)) {
      const problems = [...snap.skipped.map(describeSkipped), ...snap.warnings];
      const more =
        problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
      throw new UsageError(
        `snapshot ${fileName} has nothing usable: ${problems[0]}${more}`,
        this.found === 0
          ? 'a snapshot is a v1 List of CronJobs, Jobs, Pods and Events: kubectl job snapshot > FILE'
          : undefined,
      );
    }
    return snap;
  }
}

/** "CronJob prod/backup: .spec.schedule is the number 5, not a string" */
export function describeSkipped(s: SkippedObject): string {
  return `${s.kind} ${s.namespace}/${s.name || '(no name)'}: ${s.problem}`;
}

/** The documents of the file: JSON through JSON.parse, YAML through the fast path (snapshot-yaml.ts) or else the yaml library. */
function parseDocuments(text: string, fileName: string): unknown[] {
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') {
    try {
      return [JSON.parse(text)];
    } catch (e) {
      // YAML flow style also starts with a brace; report the JSON error only if YAML fails too.
      try {
        return yamlDocuments(text, fileName);
      } catch {
        throw new UsageError(`cannot parse ${fileName}: ${jsonErrorWithLocation(text, e as Error)}`);
      }
    }
  }
  return yamlDocuments(text, fileName);
}

function yamlDocuments(text: string, fileName: string): unknown[] {
  // What the tool and kubectl write takes the fast path; anything else the yaml library reads.
  const fast = readSnapshotYaml(text);
  if (fast !== undefined) return fast;
  try {
    return readYamlDocuments(text);
  } catch (e) {
    if (!(e instanceof YamlReadError)) throw e;
    throw new UsageError(`cannot parse ${fileName}: ${e.message}`);
  }
}

/** JSON.parse's message with the line and column of its position (Node 20 gives only the offset). */
function jsonErrorWithLocation(text: string, e: Error): string {
  const msg = e.message.split('\n')[0]!;
  const pos = /at position (\d+)/.exec(msg);
  const offset = pos ? Number(pos[1]) : /end of JSON/i.test(msg) ? text.length : undefined;
  if (offset === undefined || /line \d+ column \d+/.test(msg)) return msg;
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${col}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`;
}

/** managedFields are read only to find who owns .spec.suspend: keep that, not the whole field tree. */
function leanManagedFields(o: AnyObj): void {
  const meta = o.metadata as { managedFields?: Array<{ fieldsV1?: unknown }> };
  for (const m of meta.managedFields ?? []) {
    const spec = isMapping(m.fieldsV1) ? m.fieldsV1['f:spec'] : undefined;
    m.fieldsV1 = isMapping(spec) && 'f:suspend' in spec ? { 'f:spec': { 'f:suspend': {} } } : {};
  }
}

function parseVersion(v: unknown): ServerVersion | undefined {
  const s = typeof v === 'string' ? v : isMapping(v) && typeof v.gitVersion === 'string' ? v.gitVersion : '';
  const m = /^v?(\d+)\.(\d+)/.exec(s);
  return m ? { major: Number(m[1]), minor: Number(m[2]), gitVersion: s } : undefined;
}

// events.k8s.io/v1 Events name the object `regarding` and the text `note`; the tool reads the core/v1 shape.
function normaliseEvent(o: AnyObj): AnyObj {
  if (o.apiVersion === 'events.k8s.io/v1') {
    // biome-ignore lint/suspicious/noExplicitAny: an events.k8s.io/v1 Event read as it is, any shape
    const e = o as Record<string, any>;
    return {
      ...e,
      involvedObject: e.regarding ?? {},
      message: e.note,
      firstTimestamp: e.deprecatedFirstTimestamp ?? null,
      lastTimestamp: e.deprecatedLastTimestamp ?? null,
      count: e.deprecatedCount ?? (isMapping(e.series) ? e.series.count : undefined),
      source: { component: e.reportingController },
    };
  }
  return o;
}

/**
 * Files of at least this many bytes are read a chunk at a time when they are one JSON object.
 * Measured on generated snapshots (2026-12-01, 3 runs each): at 118 kB both reads peak at the same
 * RSS (76-79 MB, the process itself) in the same time; at 1.1 MB the stream peaks 10 MB lower
 * (80-82 MB against 91-92 MB) in no more time; at 9.2 MB 112 against 142 MB. Below it the
 * whole-text read stays, which the fuzz tests exercise.
 */
export const STREAM_ABOVE = 1 << 20;

/** Reads a snapshot file (`-`: standard input): big JSON a chunk at a time, anything else as one text. */
export function readSnapshotFile(file: string, streamAbove = STREAM_ABOVE): SnapshotFile {
  if (file !== '-') {
    const streamed = streamFile(file, streamAbove);
    if (streamed) return streamed;
  }
  let text: string;
  try {
    text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw readError(file, e);
  }
  return parseSnapshot(text, file);
}

const readError = (file: string, e: unknown) =>
  new UsageError(
    `cannot read snapshot ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
  );

/** The snapshot of a big regular file that is one JSON object; undefined for the ordinary read to handle. */
function streamFile(file: string, streamAbove: number): SnapshotFile | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined; // the ordinary read reports why
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size < streamAbove) return undefined;
    return parseSnapshotStream((buf, offset, length) => {
      try {
        return fs.readSync(fd, buf, offset, length, null);
      } catch (e) {
        throw readError(file, e);
      }
    }, file);
  } finally {
    fs.closeSync(fd);
  }
}

/** A ClusterSource over a snapshot file. Without -n, names are looked up in every namespace of the file. */
export class SnapshotSource implements ClusterSource {
  readonly description: string;
  readonly snap: SnapshotFile;

  constructor(
    file: string,
    readonly namespace: string,
    readonly namespaceExplicit: boolean,
  ) {
    this.snap = readSnapshotFile(file);
    this.description = `snapshot ${file}`;
  }

  /** The file's `capturedAt` (checked to be RFC 3339 when read), the instant commands evaluate at by default. */
  get capturedAt(): string | undefined {
    return this.snap.capturedAt;
  }

  /** What the reader should know about the file: skipped objects (by name and field) and other problems. */
  get warnings(): string[] {
    return [...this.snap.skipped.map((s) => `skipped ${describeSkipped(s)}`), ...this.snap.warnings];
  }

  private find<T extends { metadata: { name?: string; namespace?: string } }>(
    items: T[],
    kind: string,
    namespace: string,
    name: string,
  ): T {
    const byName = items.filter((o) => o.metadata.name === name);
    const exact = byName.filter((o) => (o.metadata.namespace ?? 'default') === namespace);
    if (exact.length) return exact[0]!;
    if (!this.namespaceExplicit && byName.length === 1) return byName[0]!;
    if (!this.namespaceExplicit && byName.length > 1) {
      throw new UsageError(
        `${kind} "${name}" exists in several namespaces of the snapshot (${byName.map((o) => o.metadata.namespace).join(', ')}): pass -n`,
      );
    }
    const bad = this.snap.skipped.find(
      (s) => s.kind.toLowerCase() === kind && s.name === name && (!this.namespaceExplicit || s.namespace === namespace),
    );
    if (bad)
      throw new UsageError(
        `${kind} "${name}" in ${this.description} cannot be used: ${bad.problem}`,
        'fix the object in the file, or save a new snapshot',
      );
    throw new ClusterError(
      'NotFound',
      `${kind} "${name}" not found in ${this.description}${this.namespaceExplicit ? ` (namespace "${namespace}")` : ''}`,
    );
  }

  async getCronJob(namespace: string, name: string): Promise<CronJob> {
    return this.find(this.snap.cronJobs, 'cronjob', namespace, name);
  }

  async getJob(namespace: string, name: string): Promise<Job> {
    return this.find(this.snap.jobs, 'job', namespace, name);
  }

  async listCronJobs(namespace: string | undefined, labelSelector?: string): Promise<CronJob[]> {
    const match = selectorMatcher(labelSelector);
    return this.snap.cronJobs.filter(
      (o) =>
        (namespace === undefined || (o.metadata.namespace ?? 'default') === namespace) &&
        match(o.metadata.labels ?? {}),
    );
  }

  /** Lists of `resource` that were forbidden at capture time fail as they did then. */
  private captured(resource: string, namespace: string | undefined): void {
    const u = this.snap.unreadable.find(
      (x) =>
        x.resource === resource && (x.namespace === undefined || namespace === undefined || x.namespace === namespace),
    );
    if (!u) return;
    const e = new ClusterError(
      'Forbidden',
      `forbidden when ${this.description} was captured: ${u.verb} ${resource}${u.namespace ? ` in namespace "${u.namespace}"` : ''}`,
    );
    e.request = { ...u };
    throw e;
  }

  async listJobs(namespace: string | undefined, labelSelector?: string): Promise<Job[]> {
    this.captured('jobs', namespace);
    const match = selectorMatcher(labelSelector);
    return this.snap.jobs.filter(
      (o) =>
        (namespace === undefined || (o.metadata.namespace ?? 'default') === namespace) &&
        match(o.metadata.labels ?? {}),
    );
  }

  async listPodsOfJob(job: Job): Promise<Pod[]> {
    const ns = job.metadata.namespace ?? 'default';
    this.captured('pods', ns);
    return podsOwnedBy(
      job,
      this.snap.pods.filter((p) => (p.metadata.namespace ?? 'default') === ns),
    );
  }

  async listEventsFor(namespace: string, objects: Array<{ kind: string; name: string }>): Promise<KubeEvent[]> {
    this.captured('events', namespace);
    const want = new Set(objects.map((o) => `${o.kind}/${o.name}`));
    return this.snap.events.filter(
      (e) =>
        (e.metadata.namespace ?? e.involvedObject?.namespace ?? 'default') === namespace &&
        want.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`),
    );
  }

  async listEventsOfKind(namespace: string | undefined, kind: string): Promise<KubeEvent[]> {
    this.captured('events', namespace);
    return this.snap.events.filter(
      (e) =>
        e.involvedObject?.kind === kind &&
        (namespace === undefined || (e.metadata.namespace ?? e.involvedObject?.namespace ?? 'default') === namespace),
    );
  }

  async serverVersion(): Promise<ServerVersion | undefined> {
    return this.snap.serverVersion;
  }

  async close(): Promise<void> {}
}

/** Label selectors as -l takes them (equality, set-based, existence), for --selector on snapshots. */
export function selectorMatcher(selector: string | undefined): (labels: Record<string, string>) => boolean {
  const reqs = parseLabelSelector(selector ?? '');
  return (labels) => matchesLabels(reqs, labels);
}

/**
 * Replaces each string value in `o` by the first equal string seen, so repeats share one copy.
 * Fields kept whole (the Job template, volumes) may come from YAML aliases, shared or even
 * cyclic, or nest deeply: each object is visited once, and only the first 64 levels.
 */
function shareStrings(
  o: AnyObj | unknown[],
  strings: Map<string, string>,
  seen = new WeakSet<object>(),
  depth = 0,
): void {
  if (depth > 64 || seen.has(o)) return;
  seen.add(o);
  const rec = o as AnyObj;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (typeof v === 'string') {
      const first = strings.get(v);
      if (first === undefined) strings.set(v, v);
      else rec[k] = first;
    } else if (typeof v === 'object' && v !== null) shareStrings(v as AnyObj, strings, seen, depth + 1);
  }
}
