// One cron field ("1-5,*/15", "mon-fri", "?") to a 64-bit set, following robfig v3.0.1's
// getField/getRange: bit n set = value n allowed; bit 63 (STAR_BIT) = the field had a * or ?
// (kept for "*/1", dropped for "*/n" with n > 1), which decides the day-of-month/day-of-week AND/OR.
import { CronSyntaxError } from './errors.js';
import { goAtoi } from './go-text.js';

/** Bit 63: the field contained a star (`*` or `?`) not stepped by more than 1. */
export const STAR_BIT = 1n << 63n;
const ALL64 = (1n << 64n) - 1n;

/** Allowed values of one field, with optional names (case-insensitive). */
export interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: ReadonlyMap<string, number>;
}

const names = (list: string[], first: number): ReadonlyMap<string, number> =>
  new Map(list.map((name, i) => [name, i + first]));

/** robfig's bounds for each field. */
export const BOUNDS = {
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  dom: { min: 1, max: 31 },
  month: {
    min: 1,
    max: 12,
    names: names(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1),
  },
  dow: { min: 0, max: 6, names: names(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) },
} satisfies Record<string, Bounds>;

/** All values of the bounds plus the star bit (robfig's `all`). */
export function allBits(r: Bounds): bigint {
  return rangeBits(r.min, r.max, 1n) | STAR_BIT;
}

/** Bits min..max every `step`. */
function rangeBits(min: number, max: number, step: bigint): bigint {
  if (step === 1n) return ~(ALL64 << BigInt(max + 1)) & (ALL64 << BigInt(min)) & ALL64;
  let bits = 0n;
  for (let i = BigInt(min); i <= BigInt(max); i += step) bits |= 1n << i;
  return bits;
}

/** Go strings.ToLower as far as it can produce an ASCII name: A-Z, U+0130 → i, U+212A (Kelvin) → k. */
function lowerForNames(s: string): string {
  return s.replace(/[A-Z\u0130\u212A]/g, (c) => (c === '\u0130' ? 'i' : c === '\u212A' ? 'k' : c.toLowerCase()));
}

/** robfig mustParseInt: strconv.Atoi, then reject negatives. */
function mustParseInt(expr: string): bigint {
  let n: bigint;
  try {
    n = goAtoi(expr);
  } catch (e) {
    throw new CronSyntaxError(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0n) throw new CronSyntaxError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, r: Bounds): bigint {
  const named = r.names?.get(lowerForNames(expr));
  return named !== undefined ? BigInt(named) : mustParseInt(expr);
}

/** One comma-free expression: `*`, `?`, `N`, `N-M`, each optionally `/step`. */
function getRange(expr: string, r: Bounds): bigint {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] as string).split('-');
  const low = lowAndHigh[0] as string;
  let start: bigint;
  let end: bigint;
  let extra = 0n;
  if (low === '*' || low === '?') {
    start = BigInt(r.min);
    end = BigInt(r.max);
    extra = STAR_BIT;
  } else {
    start = parseIntOrName(low, r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1] as string, r);
    else throw new CronSyntaxError(`too many hyphens: ${expr}`);
  }
  let step = 1n;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] as string);
    if (lowAndHigh.length === 1) end = BigInt(r.max); // "N/step" means "N-max/step"
    if (step > 1n) extra = 0n;
  } else if (rangeAndStep.length > 2) {
    throw new CronSyntaxError(`too many slashes: ${expr}`);
  }
  if (start < BigInt(r.min))
    throw new CronSyntaxError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > BigInt(r.max)) throw new CronSyntaxError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0n) throw new CronSyntaxError(`step of range should be a positive number: ${expr}`);
  return rangeBits(Number(start), Number(end), step) | extra;
}

/** A whole field: comma-separated expressions (empty pieces ignored) OR-ed together; throws CronSyntaxError. */
export function getField(field: string, r: Bounds): bigint {
  let bits = 0n;
  for (const expr of field.split(',')) {
    if (expr !== '') bits |= getRange(expr, r);
  }
  return bits;
}
