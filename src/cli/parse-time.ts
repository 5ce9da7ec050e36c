// Parses the time and duration arguments of flags (--now, --from, --since, --until, --older-than).
import { parseGoDuration } from '../controller/duration.js';
import { UsageError } from '../errors.js';

/** Days and weeks, which Go's durations lack, for --since/--older-than style flags. */
const DAY_WEEK = new Map([
  ['d', 86_400_000_000_000n],
  ['w', 604_800_000_000_000n],
]);

/**
 * A duration in Go's syntax (time.ParseDuration: 90s, 1m30s, 1.5h, 300ms; the one parser of the
 * tool, src/controller/duration.ts), plus d and w units (7d, 1w); not negative. Milliseconds.
 */
export function parseDuration(value: string, flag: string): number {
  return flagDuration(value, flag, DAY_WEEK, '90s, 1m30s, 2h, 7d, 1w');
}

/** A duration in kubectl's grammar (Go's time.ParseDuration: 30s, 1m30s, 1.5h; no days), not negative. */
export function parseKubectlDuration(value: string, flag: string): number {
  return flagDuration(value, flag, undefined, '30s, 5m, 1h30m');
}

/** A flag's value through Go's grammar (with `units` added); one-line usage errors naming the flag. */
function flagDuration(
  value: string,
  flag: string,
  units: ReadonlyMap<string, bigint> | undefined,
  examples: string,
): number {
  let ms: number;
  try {
    ms = parseGoDuration(value, units);
  } catch (e) {
    throw new UsageError(
      `invalid duration for ${flag}: ${quoted(value)}: ${(e as Error).message} (use e.g. ${examples})`,
    );
  }
  if (ms < 0) throw new UsageError(`invalid duration for ${flag}: ${quoted(value)} is negative`);
  return ms;
}

/** A value in double quotes with control characters escaped, so an error message stays one line. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/** An instant: RFC 3339 (2026-11-23T08:00:00Z, with offset or fractional seconds), a date (UTC midnight), or `now`. */
export function parseInstant(value: string, flag: string, now?: Date): Date {
  if (value === 'now' && now) return now;
  const s = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    throw new UsageError(`invalid time for ${flag}: ${quoted(value)} (use RFC 3339, e.g. 2026-11-23T08:00:00Z)`);
  }
  const d = new Date(s.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw new UsageError(`invalid time for ${flag}: ${quoted(value)}`);
  return d;
}

/** A time given either as an instant or as a duration before now (e.g. --since 24h). */
export function parseInstantOrAgo(value: string, flag: string, now: Date): Date {
  return resolveTimeArg(parseTimeArg(value, flag), now);
}

/** A time flag's value before "now" is known: an instant, or milliseconds before now (`now` itself is 0 ago). */
export type TimeArg = { at: Date } | { agoMs: number };

/** Parses a time flag (an instant, `now`, or a duration before now) without reading the clock. */
export function parseTimeArg(value: string, flag: string): TimeArg {
  if (value === 'now') return { agoMs: 0 };
  if (/^\d/.test(value) && !/^\d{4}-/.test(value)) return { agoMs: parseDuration(value, flag) };
  return { at: parseInstant(value, flag) };
}

/** The instant a TimeArg names, given now. */
export function resolveTimeArg(t: TimeArg, now: Date): Date {
  return 'at' in t ? t.at : new Date(now.getTime() - t.agoMs);
}

/** A positive whole number. */
export function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${flag} takes a whole number of at least 1, not "${value}"`);
  return Number(value);
}
