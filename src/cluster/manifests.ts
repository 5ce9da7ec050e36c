// Reads manifests for `why -f`: files, directories (non-recursive unless asked, as kubectl) and
// stdin; YAML streams of several documents, JSON, and v1 Lists (kind List or any *List with
// items), as `kustomize build` and `kubectl get -o yaml` write them. Only CronJobs and Jobs are
// kept, checked against the shapes the models read; other kinds are counted so they can be named.
import fs from 'node:fs';
import path from 'node:path';
import type { CronJob, Job } from '../api/types.js';
import { UsageError } from '../errors.js';
import { ShapeError, validateObject } from './validate.js';
import { readYamlDocuments, YamlReadError } from './yaml-read.js';

/** A CronJob or Job read from a manifest, with where it came from. */
export type ManifestObject =
  | { kind: 'CronJob'; source: string; object: CronJob }
  | { kind: 'Job'; source: string; object: Job };

/** An object that is not a CronJob or Job, or one too malformed to read. */
export interface SkippedManifest {
  source: string;
  kind: string;
  name: string;
  /** Why it was skipped: another kind, or the field that is wrong. */
  reason: string;
}

/** Everything read from the inputs. */
export interface ManifestSet {
  objects: ManifestObject[];
  skipped: SkippedManifest[];
}

/** kubectl's manifest extensions in a directory. */
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

type AnyObj = Record<string, unknown>;
const isMapping = (v: unknown): v is AnyObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one input's text (JSON or YAML, one or several documents, Lists flattened). Pure. */
export function parseManifests(text: string, source: string): ManifestSet {
  const out: ManifestSet = { objects: [], skipped: [] };
  let docs: unknown[];
  const trimmed = text.trimStart();
  try {
    // JSON is YAML too, but a JSON stream of several objects (kubectl get -o json per object) is not.
    docs = trimmed.startsWith('{') || trimmed.startsWith('[') ? jsonDocuments(text) : readYamlDocuments(text);
  } catch (e) {
    if (e instanceof YamlReadError || e instanceof SyntaxError)
      throw new UsageError(`${source}: not YAML or JSON: ${e.message}`);
    throw e;
  }
  const several = docs.filter((d) => d !== null && d !== undefined).length > 1;
  for (const [i, d] of docs.entries()) visit(d, several ? `${source}#${i + 1}` : source, out);
  return out;
}

function jsonDocuments(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    return readYamlDocuments(text);
  }
}

function visit(o: unknown, where: string, out: ManifestSet): void {
  if (o === null || o === undefined) return;
  if (Array.isArray(o)) {
    for (const [i, x] of o.entries()) visit(x, `${where}[${i}]`, out);
    return;
  }
  if (!isMapping(o)) {
    out.skipped.push({ source: where, kind: '', name: '', reason: `not a Kubernetes object (${typeof o})` });
    return;
  }
  const kind = typeof o.kind === 'string' ? o.kind : '';
  if (Array.isArray(o.items) && (kind === '' || kind.endsWith('List'))) {
    for (const [i, x] of o.items.entries()) visit(x, `${where} item ${i + 1}`, out);
    return;
  }
  const meta = isMapping(o.metadata) ? o.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  if ((kind !== 'CronJob' && kind !== 'Job') || !apiVersion.startsWith('batch/')) {
    out.skipped.push({
      source: where,
      kind: kind || '(no kind)',
      name,
      reason: kind ? `${kind} is not a CronJob or Job` : 'no kind',
    });
    return;
  }
  try {
    validateObject(kind, o);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    out.skipped.push({ source: where, kind, name, reason: `malformed: ${e.message}` });
    return;
  }
  // The whole object is kept (the rules read fields the snapshot shapes leave out, e.g. readinessGates).
  out.objects.push(
    kind === 'CronJob'
      ? { kind, source: where, object: o as unknown as CronJob }
      : { kind, source: where, object: o as unknown as Job },
  );
}

/** The files a path names: itself, or the manifest files of a directory (sorted; subdirectories with `recursive`). */
export function manifestFiles(p: string, recursive: boolean): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new UsageError(`the path "${p}" does not exist`);
  }
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  for (const entry of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...manifestFiles(full, true));
    } else if (EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

/** Reads every -f input (`-` is stdin, read once). */
export function readManifests(
  inputs: string[],
  recursive: boolean,
  readStdin: () => string = () => fs.readFileSync(0, 'utf8'),
): ManifestSet {
  const all: ManifestSet = { objects: [], skipped: [] };
  let stdinRead = false;
  for (const input of inputs) {
    const files = input === '-' ? ['-'] : manifestFiles(input, recursive);
    for (const f of files) {
      let text: string;
      if (f === '-') {
        if (stdinRead) throw new UsageError('-f - (stdin) given more than once');
        stdinRead = true;
        text = readStdin();
      } else {
        try {
          text = fs.readFileSync(f, 'utf8');
        } catch (e) {
          throw new UsageError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
      const set = parseManifests(text, f === '-' ? 'stdin' : f);
      all.objects.push(...set.objects);
      all.skipped.push(...set.skipped);
    }
  }
  return all;
}
