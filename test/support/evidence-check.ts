// Evidence honesty: checks that every `observed` evidence item of a verdict quotes something that is
// really in the input (a snapshot's objects): the object exists, the field at the path holds the
// value, the event exists, and no Job is named that the input does not hold. Used by the e2e
// after-the-fact tests and reusable by property tests (pure, no I/O).

/** An evidence item as `why -o json` prints it (only the fields checked here). */
export interface EvidenceItem {
  kind?: string;
  source?: string;
  object?: string;
  field?: string;
  value?: unknown;
  time?: string;
  text?: string;
}

/** What the evidence is checked against. */
export interface EvidenceInput {
  /** Objects of the snapshot (CronJobs, Jobs, Pods, Events), each with `kind` and `metadata.name`. */
  objects: any[];
  /** The subject of the verdict, e.g. `cronjob/backup` or `job/backup-123`: the object of items without `object`. */
  subject: string;
  /** Name prefixes of Jobs whose mention in a text must be backed by the input (default: the subject CronJob's name + '-'). */
  jobNamePrefixes?: string[];
}

export const EVIDENCE_KINDS = ['observed', 'derived', 'prediction'] as const;

/** One path step: a key, an index, every element, or a filter `[?(@.key=="v")]`. */
type Step = { key: string } | { index: number } | { all: true } | { filter: { path: string[]; value: unknown } };

/**
 * Parses a JSONPath-like field path: `.spec.x`, `.status.active[*].name`, `.status.active[0]`,
 * `.metadata.annotations["a/b"]`, `.status.conditions[?(@.type=="Failed")].reason`.
 */
export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`bad field path ${JSON.stringify(path)} at ${i}: ${why}`);
  };
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      const m = /^[A-Za-z_$][\w$-]*/.exec(path.slice(i + 1));
      if (!m) fail('expected a key after "."');
      steps.push({ key: m![0] });
      i += 1 + m![0].length;
    } else if (ch === '[') {
      const rest = path.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[\*\]/.exec(rest))) steps.push({ all: true });
      else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
      else if ((m = /^\[(["'])((?:\\.|(?!\1).)*)\1\]/.exec(rest))) steps.push({ key: m[2]!.replace(/\\(.)/g, '$1') });
      else if (
        (m =
          /^\[\?\(@((?:\.[A-Za-z_$][\w$-]*)+)\s*==\s*(?:(["'])((?:\\.|(?!\2).)*)\2|(-?\d+(?:\.\d+)?|true|false|null))\)\]/.exec(
            rest,
          ))
      ) {
        const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : JSON.parse(m[4]!);
        steps.push({ filter: { path: m[1]!.slice(1).split('.'), value } });
      } else fail('unsupported bracket expression');
      i += m![0].length;
    } else fail(`unexpected ${JSON.stringify(ch)}`);
  }
  if (steps.length === 0) fail('empty path');
  return steps;
}

/**
 * Evaluates a path on an object. Returns `{ found: false }` when a plain path does not exist; with
 * `[*]` or a filter the result is the list of matches (`multi: true`).
 */
export function evalPath(obj: unknown, path: string): { found: boolean; value?: unknown; multi: boolean } {
  const steps = parsePath(path);
  let nodes: unknown[] = [obj];
  let multi = false;
  for (const s of steps) {
    const next: unknown[] = [];
    for (const n of nodes) {
      if ('key' in s) {
        if (n && typeof n === 'object' && !Array.isArray(n) && Object.hasOwn(n, s.key)) next.push((n as any)[s.key]);
      } else if ('index' in s) {
        if (Array.isArray(n) && s.index < n.length) next.push(n[s.index]);
      } else if ('all' in s) {
        multi = true;
        if (Array.isArray(n)) next.push(...n);
      } else {
        multi = true;
        if (Array.isArray(n)) {
          for (const el of n) {
            let v: unknown = el;
            for (const k of s.filter.path) v = v && typeof v === 'object' ? (v as any)[k] : undefined;
            if (deepEqual(v, s.filter.value)) next.push(el);
          }
        }
      }
    }
    nodes = next;
  }
  if (multi) return { found: nodes.length > 0, value: nodes, multi };
  return nodes.length ? { found: true, value: nodes[0], multi } : { found: false, multi };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return deepEqual(ka, kb) && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

/** `job/x` → `{ kind: 'Job', name: 'x' }` (also `cronjob/`, `pod/`, `event/`, `Job/x`). */
export function parseObjectRef(ref: string): { kind: string; name: string } | null {
  const m = /^([A-Za-z]+)\/(.+)$/.exec(ref);
  if (!m) return null;
  const kinds: Record<string, string> = {
    job: 'Job',
    jobs: 'Job',
    cronjob: 'CronJob',
    cronjobs: 'CronJob',
    pod: 'Pod',
    pods: 'Pod',
    event: 'Event',
    events: 'Event',
  };
  const kind = kinds[m[1]!.toLowerCase()];
  return kind ? { kind, name: m[2]! } : null;
}

const seconds = (t: unknown) =>
  typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? Math.floor(Date.parse(t) / 1000) : NaN;

function eventTimes(e: any): number[] {
  return [e.firstTimestamp, e.lastTimestamp, e.eventTime, e.series?.lastObservedTime, e.metadata?.creationTimestamp]
    .map(seconds)
    .filter((x) => !Number.isNaN(x));
}

/** Field value equality as quoted: exact JSON equality, or the same instant for two timestamps. */
function sameValue(actual: unknown, quoted: unknown, multi: boolean): boolean {
  if (deepEqual(actual, quoted)) return true;
  if (multi && Array.isArray(actual) && actual.length === 1 && deepEqual(actual[0], quoted)) return true;
  const a = multi && Array.isArray(actual) && actual.length === 1 ? actual[0] : actual;
  return (
    typeof a === 'string' && typeof quoted === 'string' && /^\d{4}-\d\d-\d\dT/.test(a) && seconds(a) === seconds(quoted)
  );
}

/**
 * Problems with the evidence items (empty = honest). Every item must have a `kind` in
 * EVIDENCE_KINDS; for `observed` items: the object exists; a field+value is what the object holds;
 * an event (source `event`) exists about the object with that reason (and time, if given); Jobs named
 * in the text or value exist (or, for an event, are named by that event's message).
 */
export function checkEvidence(items: EvidenceItem[], input: EvidenceInput): string[] {
  const problems: string[] = [];
  const subject = parseObjectRef(input.subject);
  if (!subject) throw new Error(`bad subject ${input.subject}`);
  const find = (kind: string, name: string) => input.objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const jobNames = new Set(input.objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name as string));
  const cronJobName =
    subject.kind === 'CronJob'
      ? subject.name
      : find('Job', subject.name)?.metadata?.ownerReferences?.find((r: any) => r.kind === 'CronJob')?.name;
  const prefixes = input.jobNamePrefixes ?? (cronJobName ? [`${cronJobName}-`] : []);
  const events = input.objects.filter((o) => o.kind === 'Event');

  items.forEach((item, i) => {
    const where = `evidence[${i}] ${JSON.stringify(item.text ?? '').slice(0, 160)}`;
    if (!EVIDENCE_KINDS.includes(item.kind as any)) {
      problems.push(`${where}: kind ${JSON.stringify(item.kind)} is not one of ${EVIDENCE_KINDS.join(', ')}`);
      return;
    }
    if (item.kind !== 'observed') return;
    const ref = item.object ? parseObjectRef(item.object) : subject;
    if (!ref) {
      problems.push(`${where}: object ${JSON.stringify(item.object)} is not kind/name`);
      return;
    }
    let allowedJobs = new Set<string>();
    if (item.source === 'event') {
      const about = events.filter((e) => e.involvedObject?.kind === ref.kind && e.involvedObject?.name === ref.name);
      const matching = about.filter(
        (e) =>
          (typeof item.value !== 'string' || e.reason === item.value) &&
          (item.time === undefined || eventTimes(e).includes(seconds(item.time))),
      );
      if (matching.length === 0) {
        problems.push(
          `${where}: no event about ${ref.kind}/${ref.name}${typeof item.value === 'string' ? ` with reason ${item.value}` : ''}${item.time ? ` at ${item.time}` : ''} in the input`,
        );
      }
      allowedJobs = new Set(matching.flatMap((e) => String(e.message ?? '').match(/[a-z0-9][a-z0-9.-]*/g) ?? []));
    } else if (ref.kind !== 'Event') {
      const obj = find(ref.kind, ref.name);
      if (!obj) {
        problems.push(`${where}: ${ref.kind}/${ref.name} is not in the input`);
        return;
      }
      if (item.field !== undefined && 'value' in item) {
        let r;
        try {
          r = evalPath(obj, item.field);
        } catch (e) {
          problems.push(`${where}: ${(e as Error).message}`);
          return;
        }
        // An absent field quoted as null (e.g. `.status.lastScheduleTime: null`) is what the object says.
        const holds = r.found
          ? sameValue(r.value, item.value, r.multi)
          : item.value === null || (r.multi && deepEqual(item.value, []));
        if (!holds)
          problems.push(
            `${where}: ${ref.kind}/${ref.name} ${item.field} is ${r.found ? JSON.stringify(r.value) : 'absent'}, evidence says ${JSON.stringify(item.value)}`,
          );
      }
    }
    const mentioned = `${item.text ?? ''} ${typeof item.value === 'string' ? item.value : JSON.stringify(item.value ?? '')} ${item.object ?? ''}`;
    for (const p of prefixes) {
      const re = new RegExp(`(?<![\\w.-])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\d+(?![\\w.-])`, 'g');
      for (const name of mentioned.match(re) ?? []) {
        if (!jobNames.has(name) && !allowedJobs.has(name))
          problems.push(`${where}: names job/${name}, which is not in the input`);
      }
    }
  });
  return problems;
}

/** Every evidence item of a `why -o json` verdict (all causes). */
export function verdictEvidence(verdict: any): EvidenceItem[] {
  return (verdict?.causes ?? []).flatMap((c: any) => c.evidence ?? []);
}
