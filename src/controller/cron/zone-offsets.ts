// UTC offsets of an IANA zone at any instant, from the tzdata pinned in tzdata.ts (the release
// embedded in the Go toolchain that builds the newest supported Kubernetes; see
// scripts/gen-tzdata.mjs), never from the JavaScript runtime's ICU: Node 20, 22, 24, 26 and Bun
// all answer alike, and like a kube-controller-manager built with that Go release.
//
// The timeline is cut into buckets of 2^25 s (about 388 days); a bucket holds the offset periods
// of its span (the zone's transitions, and its POSIX footer rule after the last one), the same
// periods Go's Location.lookup works with.

import { pinnedZone, type PinnedZone } from './tz-rules.js';

const BUCKET_SECONDS = 2 ** 25;

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

  /** `zone` is null for zones that are UTC at all times. */
  constructor(
    readonly name: string,
    private readonly zone: PinnedZone | null,
  ) {
    if (zone === null) {
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
    if (this.zone === null) return { starts: [start], offsets: [0], end };
    const starts = [start];
    const offsets = [this.zone.offsetAt(start)];
    for (const at of this.zone.changes(start, end)) {
      starts.push(at);
      offsets.push(this.zone.offsetAt(at));
    }
    return { starts, offsets, end };
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

/** tzdata zones that are UTC+0 at every instant (Etc/UTC, Etc/GMT and their links): no data lookup needed. */
const ALWAYS_UTC = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
  'Etc/GMT',
  'GMT',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'Etc/GMT0',
  'GMT+0',
  'GMT-0',
  'GMT0',
  'Etc/Greenwich',
  'Greenwich',
]);

/** The shared offset table for a zone name of the pinned tzdata; throws Error("unknown time zone X") otherwise. */
export function zoneOffsets(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (zone === undefined) {
    const pinned = ALWAYS_UTC.has(name) ? null : pinnedZone(name);
    zone = new ZoneOffsets(name, pinned === null || pinned.alwaysUtc ? null : pinned);
    zones.set(name, zone);
  }
  return zone;
}
