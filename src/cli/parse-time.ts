// Parses the time and duration arguments of flags (--now, --from, --since, --until, --older-than).
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration such as 90s, 15m, 2h30m, 7d, 1w (days and weeks allowed, unlike Go). */
export function parseDuration(value: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (!value || matched !== value.length) {
    throw new UsageError(`invalid duration for ${flag}: "${value}" (use e.g. 90s, 15m, 2h, 7d, 1w)`);
  }
  return total;
}

/** An instant: RFC 3339 (2026-11-23T08:00:00Z, with offset or fractional seconds), a date (UTC midnight), or `now`. */
export function parseInstant(value: string, flag: string, now?: Date): Date {
  if (value === 'now' && now) return now;
  const s = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    throw new UsageError(`invalid time for ${flag}: "${value}" (use RFC 3339, e.g. 2026-11-23T08:00:00Z)`);
  }
  const d = new Date(s.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw new UsageError(`invalid time for ${flag}: "${value}"`);
  return d;
}

/** A time given either as an instant or as a duration before now (e.g. --since 24h). */
export function parseInstantOrAgo(value: string, flag: string, now: Date): Date {
  if (/^\d/.test(value) && !/^\d{4}-/.test(value)) return new Date(now.getTime() - parseDuration(value, flag));
  return parseInstant(value, flag, now);
}

/** A positive whole number. */
export function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of at least 1, not "${value}"`);
  return Number(value);
}
