// Evidence constructors. An `observed` item can only be made by reading the field from the object
// itself, so a model value can never be printed as if it had been read; `derived` and `prediction`
// items say what they are. Used by every cause finder of the CronJob and Job models.

import type { KubeEvent } from '../api/types.js';
import type { Evidence } from './verdict.js';
import { parseTime, rfc3339 } from './time.js';

type Step = { key: string } | { each: true } | { where: string; equals: string };

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\["((?:[^"\\]|\\.)*)"\]|\[\*\]|\[\?\(@\.([\w$-]+)=="((?:[^"\\]|\\.)*)"\)\])/;

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let rest = path;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) throw new Error(`unsupported evidence path ${path}`);
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ key: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) steps.push({ where: m[3], equals: m[4]!.replace(/\\(.)/g, '$1') });
    else steps.push({ each: true });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** The value at a small JSONPath-like path: `.a.b`, `.a["k"]`, `.list[*].name` (a list),
 * `.list[?(@.type=="X")].reason` (the first matching element). Undefined when absent. */
export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  let mapped = false;
  for (const step of parsePath(path)) {
    const one = (v: unknown): unknown => {
      if (v === null || typeof v !== 'object') return undefined;
      if ('key' in step) return (v as Record<string, unknown>)[step.key];
      if (!Array.isArray(v)) return undefined;
      if ('each' in step) return v;
      return v.find(
        (x) => x && typeof x === 'object' && String((x as Record<string, unknown>)[step.where]) === step.equals,
      );
    };
    if (mapped) {
      cur = (cur as unknown[]).map(one).filter((x) => x !== undefined);
    } else {
      cur = one(cur);
      if ('each' in step && Array.isArray(cur)) mapped = true;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Where an observed field lives: the subject itself (no `object`) or another object (`job/x`). */
export interface Observed {
  /** The object as read from the cluster or snapshot. */
  obj: unknown;
  /** `job/x`, `pod/y`, `cronjob/z` when it is not the subject of the verdict. */
  ref?: string;
}

/** Makes an evidence text from the value found at a path (the caller knows what the path holds). */
// biome-ignore lint/suspicious/noExplicitAny: the value's type depends on the path the caller names
export type PathText = (value: any) => string;

/** Evidence read from an object: the value is whatever the object holds at `path`, and the text is
 * made from that value. `source` defaults to the path's first segment for the subject. */
export function observed(
  at: Observed,
  path: string,
  text: PathText,
  opts: { source?: Evidence['source']; time?: Date | string | null } = {},
): Evidence {
  const value = readPath(at.obj, path);
  const first = path.match(/^\.(\w+)/)?.[1];
  const source =
    opts.source ??
    (at.ref ? refSource(at.ref) : first === 'spec' || first === 'status' || first === 'metadata' ? first : 'metadata');
  const t = typeof opts.time === 'string' ? parseTime(opts.time) : opts.time;
  return {
    kind: 'observed',
    source,
    ...(at.ref ? { object: at.ref } : {}),
    field: path,
    value: value === undefined ? null : value,
    ...(t ? { time: rfc3339(t) } : {}),
    text: text(value),
  };
}

/** Evidence that an object exists as read (no particular field). */
export function observedObject(ref: string, text: string, time?: Date | null): Evidence {
  return { kind: 'observed', source: refSource(ref), object: ref, ...(time ? { time: rfc3339(time) } : {}), text };
}

function refSource(ref: string): Evidence['source'] {
  const kind = ref.split('/')[0];
  return kind === 'job' ? 'job' : kind === 'pod' ? 'pod' : 'metadata';
}

/** When an event last happened (lastTimestamp, eventTime, firstTimestamp, then creationTimestamp). */
export function eventTime(e: KubeEvent): Date | null {
  return (
    parseTime(e.lastTimestamp) ??
    parseTime(e.eventTime) ??
    parseTime(e.firstTimestamp) ??
    parseTime(e.metadata.creationTimestamp)
  );
}

/** One event as it was read. */
export function observedEvent(e: KubeEvent, object?: string): Evidence {
  const t = eventTime(e);
  const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
  return {
    kind: 'observed',
    source: 'event',
    ...(object ? { object } : {}),
    ...(e.metadata.name ? { event: e.metadata.name } : {}),
    value: e.reason,
    ...(t ? { time: rfc3339(t) } : {}),
    text: `${e.type ?? 'Normal'} ${e.reason}${count}${t ? ` at ${rfc3339(t)}` : ''}: ${e.message ?? ''}`,
  };
}

/** A fact worked out from observed ones (a count, an absence, an order), no model involved. */
export function derived(text: string, value?: unknown, time?: Date | null): Evidence {
  return {
    kind: 'derived',
    source: 'computed',
    ...(value !== undefined ? { value } : {}),
    ...(time ? { time: rfc3339(time) } : {}),
    text,
  };
}

/** What the controller model expects or would do. */
export function predicted(text: string, value?: unknown, time?: Date | null): Evidence {
  return {
    kind: 'prediction',
    source: 'computed',
    ...(value !== undefined ? { value } : {}),
    ...(time ? { time: rfc3339(time) } : {}),
    text,
  };
}
