// UTC offsets of an IANA zone at any instant, learnt from Intl.DateTimeFormat once and then
// answered from a per-zone table of transitions (Intl calls cost about a microsecond each).
//
// The timeline is cut into buckets of 2^25 s (about 388 days). A bucket is filled on first use
// by sampling the offset every 24 hours and bisecting every change down to the exact second,
// so the table holds the same offset periods Go's Location.lookup works with. Two transitions
// that cancel out between two samples would go unnoticed: in tzdata 2025c no zone has two
// offset changes less than 48 hours apart between 1900 and 2100 (checked with Go over every
// zone), and the differential test compares these tables with Go's for the zones it uses.

const BUCKET_SECONDS = 2 ** 25;
const SAMPLE_SECONDS = 24 * 3600;

interface Bucket {
  /** Period start instants (unix seconds); starts[0] is the bucket start. */
  readonly starts: number[];
  /** UTC offset in seconds of each period. */
  readonly offsets: number[];
  readonly end: number;
}

/** Offsets of one zone; `periodStart/periodEnd/periodOffset` describe the period last looked up. */
export class ZoneOffsets {
  /** Start (inclusive, unix s) of the period found by the last lookup. */
  periodStart = 0;
  /** End (exclusive, unix s) of the period found by the last lookup; may be a bucket edge rather than a transition. */
  periodEnd = 0;
  /** UTC offset (s) in that period. */
  periodOffset = 0;

  private readonly buckets = new Map<number, Bucket>();

  /** `format` is null for zones that are UTC at all times. */
  constructor(
    readonly name: string,
    private readonly format: Intl.DateTimeFormat | null,
  ) {
    if (format === null) {
      this.periodStart = -Infinity;
      this.periodEnd = Infinity;
    }
  }

  /** UTC offset in seconds at unix second `t` (the offset that applies from a transition instant on). */
  offsetAt(t: number): number {
    if (t >= this.periodStart && t < this.periodEnd) return this.periodOffset;
    return this.lookup(t);
  }

  /** Every offset change in [from, to) as [unix seconds, new offset] pairs (for tests and tools). */
  transitions(from: number, to: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let prev = this.offsetAt(from);
    for (let b = Math.floor(from / BUCKET_SECONDS); b * BUCKET_SECONDS < to; b++) {
      const { starts, offsets } = this.bucket(b);
      for (let i = 0; i < starts.length; i++) {
        const at = starts[i] as number;
        const off = offsets[i] as number;
        if (at <= from || at >= to || off === prev) continue;
        out.push([at, off]);
        prev = off;
      }
    }
    return out;
  }

  private lookup(t: number): number {
    const bucket = this.bucket(Math.floor(t / BUCKET_SECONDS));
    const { starts, offsets } = bucket;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    this.periodStart = starts[lo] as number;
    this.periodEnd = lo + 1 < starts.length ? (starts[lo + 1] as number) : bucket.end;
    this.periodOffset = offsets[lo] as number;
    return this.periodOffset;
  }

  private bucket(index: number): Bucket {
    let bucket = this.buckets.get(index);
    if (bucket === undefined) {
      bucket = this.build(index * BUCKET_SECONDS, (index + 1) * BUCKET_SECONDS);
      this.buckets.set(index, bucket);
    }
    return bucket;
  }

  private build(start: number, end: number): Bucket {
    if (this.format === null) return { starts: [start], offsets: [0], end };
    const starts = [start];
    const offsets = [this.intlOffset(start)];
    let prevT = start;
    let prevOff = offsets[0] as number;
    for (let x = start + SAMPLE_SECONDS; ; x += SAMPLE_SECONDS) {
      const at = Math.min(x, end - 1);
      const off = this.intlOffset(at);
      // Resolve every change between the previous sample and this one.
      let lo = prevT;
      let loOff = prevOff;
      while (off !== loOff) {
        let a = lo;
        let b = at;
        while (b - a > 1) {
          const mid = Math.floor((a + b) / 2);
          if (this.intlOffset(mid) === loOff) a = mid;
          else b = mid;
        }
        loOff = this.intlOffset(b);
        lo = b;
        starts.push(b);
        offsets.push(loOff);
      }
      prevT = at;
      prevOff = off;
      if (at >= end - 1) break;
    }
    return { starts, offsets, end };
  }

  /** Offset at unix second t from Intl: the formatted wall clock minus the instant. */
  private intlOffset(t: number): number {
    const text = (this.format as Intl.DateTimeFormat).format(t * 1000);
    // "M/D/YYYY, HH:MM:SS" (en-US, h23): six numbers
    const parts = [0, 0, 0, 0, 0, 0];
    let field = 0;
    let n = 0;
    let inNumber = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c >= 0 && c <= 9) {
        n = n * 10 + c;
        inNumber = true;
      } else if (inNumber) {
        parts[field++] = n;
        n = 0;
        inNumber = false;
      }
    }
    if (inNumber) parts[field] = n;
    const [month, day, year, hour, minute, second] = parts as [number, number, number, number, number, number];
    const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return wall - t;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day may overflow). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const zones = new Map<string, ZoneOffsets>();

/** tzdata zones that are UTC+0 at every instant (Etc/UTC, Etc/GMT and their links). */
const ALWAYS_UTC = new Set([
  'UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu',
  'Etc/GMT', 'GMT', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/GMT0', 'GMT+0', 'GMT-0', 'GMT0', 'Etc/Greenwich', 'Greenwich',
]);

/** The shared offset table for an IANA zone name Intl knows; throws Error("unknown time zone X") otherwise. */
export function zoneOffsets(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (zone === undefined && (name === 'Factory' || ALWAYS_UTC.has(name))) {
    // Fixed at UTC+0 in tzdata; "Factory" ("-00") is unknown to ICU. Building an
    // Intl.DateTimeFormat costs milliseconds, and the most common zone needs none.
    zone = new ZoneOffsets(name, null);
    zones.set(name, zone);
  }
  if (zone === undefined) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`unknown time zone ${name}`);
    }
    const resolved = format.resolvedOptions().timeZone;
    const alwaysUtc = resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT';
    zone = new ZoneOffsets(name, alwaysUtc ? null : format);
    zones.set(name, zone);
  }
  return zone;
}
