// UTC offsets from the pinned tzdata (tzdata.ts), answered the way Go's time.Location does:
// before the first transition the zone Go's lookupFirstZone picks; between transitions the offset
// of the last one; from the last transition on, the POSIX TZ footer (e.g. "CET-1CEST,M3.5.0,M10.5.0/3")
// evaluated for the UTC year of the instant. Zones without transitions use the footer at all times
// (Go adds one transition at the beginning of time for them).
import { TZDATA_VERSION, ZONE_DATA, ZONE_INDEX } from './tzdata.js';

export { TZDATA_VERSION };

const DAY = 86400;

/** One rule date of a POSIX TZ string: Jn (1-365, Feb 29 never counted), n (0-365), or Mm.w.d. */
interface RuleDate {
  kind: 'julian' | 'day' | 'mwd';
  day: number;
  week: number;
  month: number;
  /** Local time of day of the change in seconds (default 02:00; may be negative or past 24h). */
  time: number;
}

/** A parsed POSIX TZ footer: a fixed offset, or standard/daylight offsets with the two change dates. */
interface Footer {
  std: number;
  dst?: { offset: number; start: RuleDate; end: RuleDate };
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to Jan 1 of `year`. */
function yearStartDays(year: number): number {
  const y = year - 1;
  return 365 * (year - 1970) + (Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) - 477;
}

/** The UTC year of unix second `t`. */
function utcYear(t: number): number {
  return new Date(t * 1000).getUTCFullYear();
}

/** Parses a footer; null where it is malformed (Go then keeps the last transition's offset). */
export function parseFooter(s: string): Footer | null {
  let i = 0;
  const name = (): boolean => {
    if (s[i] === '<') {
      const close = s.indexOf('>', i);
      if (close < 0) return false;
      i = close + 1;
      return true;
    }
    const start = i;
    while (i < s.length && !/[0-9,+-]/.test(s[i]!)) i++;
    return i - start >= 3;
  };
  const num = (min: number, max: number): number | null => {
    const m = /^\d+/.exec(s.slice(i));
    if (!m) return null;
    const n = Number(m[0]);
    if (n < min || n > max) return null;
    i += m[0].length;
    return n;
  };
  // [+-]hh[:mm[:ss]], hours up to a week (as Go accepts); returns seconds with the sign as written.
  const offset = (): number | null => {
    let sign = 1;
    if (s[i] === '+') i++;
    else if (s[i] === '-') {
      sign = -1;
      i++;
    }
    const h = num(0, 24 * 7);
    if (h === null) return null;
    let v = h * 3600;
    for (const mul of [60, 1]) {
      if (s[i] !== ':') break;
      i++;
      const n = num(0, 59);
      if (n === null) return null;
      v += n * mul;
    }
    return sign * v;
  };
  const rule = (): RuleDate | null => {
    const r: RuleDate = { kind: 'day', day: 0, week: 0, month: 0, time: 2 * 3600 };
    if (s[i] === 'J') {
      i++;
      const d = num(1, 365);
      if (d === null) return null;
      Object.assign(r, { kind: 'julian', day: d });
    } else if (s[i] === 'M') {
      i++;
      const m = num(1, 12);
      if (m === null || s[i++] !== '.') return null;
      const w = num(1, 5);
      if (w === null || s[i++] !== '.') return null;
      const d = num(0, 6);
      if (d === null) return null;
      Object.assign(r, { kind: 'mwd', month: m, week: w, day: d });
    } else {
      const d = num(0, 365);
      if (d === null) return null;
      r.day = d;
    }
    if (s[i] === '/') {
      i++;
      const t = offset();
      if (t === null) return null;
      r.time = t;
    }
    return r;
  };

  if (!name()) return null;
  const stdWest = offset();
  if (stdWest === null) return null;
  const std = 0 - stdWest || 0;
  if (i >= s.length || s[i] === ',') return { std };
  if (!name()) return null;
  let dstOffset = std + 3600;
  if (i < s.length && s[i] !== ',') {
    const west = offset();
    if (west === null) return null;
    dstOffset = 0 - west || 0;
  }
  let rest = s.slice(i);
  if (rest === '') rest = ',M3.2.0,M11.1.0';
  if (rest[0] !== ',' && rest[0] !== ';') return null;
  s = rest;
  i = 1;
  const start = rule();
  if (!start || s[i++] !== ',') return null;
  const end = rule();
  if (!end || i !== s.length) return null;
  return { std, dst: { offset: dstOffset, start, end } };
}

/** Seconds from the start of `year` (UTC) to a rule date's change, given the offset in force before it. */
function ruleSeconds(year: number, r: RuleDate, offsetBefore: number): number {
  let day: number;
  if (r.kind === 'julian') day = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  else if (r.kind === 'day') day = r.day;
  else {
    const leap = isLeap(year) && r.month === 2 ? 1 : 0;
    const monthLength = MONTH_DAYS[r.month - 1]! + leap;
    let before = 0;
    for (let m = 1; m < r.month; m++) before += MONTH_DAYS[m - 1]! + (m === 2 && isLeap(year) ? 1 : 0);
    const firstWeekday = (((yearStartDays(year) + before + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    let d = (r.day - firstWeekday + 7) % 7; // first such weekday of the month, 0-based
    for (let w = 1; w < r.week && d + 7 < monthLength; w++) d += 7;
    day = before + d;
  }
  return day * DAY + r.time - offsetBefore;
}

/** The footer's offset at unix second `t` (rules of the UTC year of `t`). */
function footerOffset(f: Footer, t: number): number {
  if (!f.dst) return f.std;
  const year = utcYear(t);
  const ystart = yearStartDays(year) * DAY;
  let a = ruleSeconds(year, f.dst.start, f.std);
  let b = ruleSeconds(year, f.dst.end, f.dst.offset);
  let outside = f.std;
  let inside = f.dst.offset;
  if (b < a) {
    [a, b] = [b, a];
    [outside, inside] = [inside, outside];
  }
  const ysec = t - ystart;
  return ysec < a || ysec >= b ? outside : inside;
}

/** Candidate change instants of the footer in [from, to): year starts and both rule dates of each year. */
function footerCandidates(f: Footer, from: number, to: number): number[] {
  if (!f.dst) return [];
  const out: number[] = [];
  for (let y = utcYear(from); y <= utcYear(to); y++) {
    const ystart = yearStartDays(y) * DAY;
    out.push(ystart, ystart + ruleSeconds(y, f.dst.start, f.std), ystart + ruleSeconds(y, f.dst.end, f.dst.offset));
  }
  return out.filter((t) => t >= from && t < to).sort((x, y) => x - y);
}

/** One zone of the pinned tzdata. */
export class PinnedZone {
  private readonly when: number[] = [];
  private readonly offset: number[] = [];
  private readonly first: number;
  private readonly footer: Footer | null;

  constructor(
    readonly name: string,
    encoded: string,
  ) {
    const [paletteText, firstText, tx, footerText] = encoded.split('|') as [string, string, string, string];
    const palette = paletteText.split(',').map(Number);
    this.first = palette[Number(firstText)]!;
    let prev = 0;
    for (const m of tx.matchAll(/([A-Z])(-?[0-9a-z]+)/g)) {
      const n = parseInt(m[2]!, 36);
      prev = this.when.length === 0 ? n : prev + n;
      this.when.push(prev);
      this.offset.push(palette[m[1]!.charCodeAt(0) - 65]!);
    }
    this.footer = footerText ? parseFooter(footerText) : null;
  }

  /** True when the offset is 0 at every instant. */
  get alwaysUtc(): boolean {
    return (
      this.first === 0 &&
      this.offset.every((o) => o === 0) &&
      (this.footer === null || (this.footer.std === 0 && !this.footer.dst))
    );
  }

  /** UTC offset in seconds at unix second `t`, as Go's Location.lookup. */
  offsetAt(t: number): number {
    const n = this.when.length;
    if (n === 0) return this.footer ? footerOffset(this.footer, t) : this.first;
    if (t < this.when[0]!) return this.first;
    let lo = 0;
    let hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t < this.when[mid]!) hi = mid;
      else lo = mid;
    }
    if (lo === n - 1 && this.footer) return footerOffset(this.footer, t);
    return this.offset[lo]!;
  }

  /** Instants in (from, to) where the offset changes, ascending. */
  changes(from: number, to: number): number[] {
    const candidates: number[] = [];
    for (const w of this.when) if (w > from && w < to) candidates.push(w);
    const last = this.when.length ? this.when[this.when.length - 1]! : -Infinity;
    if (this.footer && to > last)
      candidates.push(...footerCandidates(this.footer, Math.max(from + 1, last === -Infinity ? from + 1 : last), to));
    const out: number[] = [];
    let prev = Number.NaN;
    for (const c of [...new Set(candidates)].sort((a, b) => a - b)) {
      if (c <= from || c >= to || c === prev) continue;
      prev = c;
      if (this.offsetAt(c) !== this.offsetAt(c - 1)) out.push(c);
    }
    return out;
  }
}

const cache = new Map<string, PinnedZone>();

/** True when the pinned tzdata has the zone (or link) `name`. */
export function hasPinnedZone(name: string): boolean {
  return Object.hasOwn(ZONE_INDEX, name);
}

/** The pinned zone `name`; throws Error("unknown time zone X") when tzdata has no such zone. */
export function pinnedZone(name: string): PinnedZone {
  let z = cache.get(name);
  if (z) return z;
  if (!hasPinnedZone(name)) throw new Error(`unknown time zone ${name}`);
  z = new PinnedZone(name, ZONE_DATA[ZONE_INDEX[name]!]!);
  cache.set(name, z);
  return z;
}

/** Every zone and link name of the pinned tzdata. */
export function pinnedZoneNames(): string[] {
  return Object.keys(ZONE_INDEX);
}
