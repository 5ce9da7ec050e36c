// A compact, columnar list of schedule times and their fates. A year of `* * * * *` is 525,600
// slots: keeping them as typed arrays (instead of one object and one string each) keeps `misses`
// fast; objects are made only on demand (slot(i), iteration, JSON).

import type { JobOutcome } from './jobs.js';

/** What became of one schedule time (see listMisses for the rules). */
export type SlotFate = 'ran' | 'due' | 'forbid' | 'missed-deadline' | 'suspended' | 'history-deleted' | 'unknown' | 'before-creation' | 'future';

/** All fates, in display order (a fate's index is its code in SlotTimeline.fates). */
export const SLOT_FATES: readonly SlotFate[] = ['ran', 'due', 'forbid', 'missed-deadline', 'suspended', 'history-deleted', 'unknown', 'before-creation', 'future'];

/** Fate codes by name. */
export const FATE_CODE = Object.fromEntries(SLOT_FATES.map((f, i) => [f, i])) as Record<SlotFate, number>;

/** A Job a slot refers to: the one that ran for it, or (Forbid) the one that blocked it. */
export interface SlotJob {
  name: string;
  outcome: JobOutcome;
  /** Run time in seconds (until now for unfinished Jobs), when the start is known. */
  durationSeconds?: number;
}

/** One schedule time as an object. `job` names the Job that ran (or, for `forbid`, the one still active). */
export interface MissSlot {
  time: string;
  fate: SlotFate;
  job?: string;
  outcome?: JobOutcome;
  durationSeconds?: number;
}

const DAY_MS = 86_400_000;
const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Slots in time order: `times[i]` (epoch ms), `fates[i]` (index into SLOT_FATES), `jobRefs[i]` (index into `jobs`, -1 for none). */
export class SlotTimeline implements Iterable<MissSlot> {
  times = new Float64Array(1024);
  fates = new Uint8Array(1024);
  jobRefs = new Int32Array(1024);
  length = 0;
  constructor(readonly jobs: SlotJob[]) {}

  /** Appends one slot (amortised O(1)). */
  push(ms: number, fate: number, jobRef: number): void {
    if (this.length === this.times.length) {
      const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.times = grow(this.times, (n) => new Float64Array(n));
      this.fates = grow(this.fates, (n) => new Uint8Array(n));
      this.jobRefs = grow(this.jobRefs, (n) => new Int32Array(n));
    }
    this.times[this.length] = ms;
    this.fates[this.length] = fate;
    this.jobRefs[this.length] = jobRef;
    this.length++;
  }

  /** The fate of slot i. */
  fate(i: number): SlotFate {
    return SLOT_FATES[this.fates[i]!]!;
  }

  /** Slot i as an object. */
  slot(i: number): MissSlot {
    const fate = this.fate(i);
    const out: MissSlot = { time: isoSeconds(this.times[i]!), fate };
    const ref = this.jobRefs[i]!;
    const job = ref >= 0 ? this.jobs[ref] : undefined;
    if (job) {
      out.job = job.name;
      if (fate === 'ran') {
        out.outcome = job.outcome;
        if (job.durationSeconds !== undefined) out.durationSeconds = job.durationSeconds;
      }
    }
    return out;
  }

  *[Symbol.iterator](): Iterator<MissSlot> {
    for (let i = 0; i < this.length; i++) yield this.slot(i);
  }

  /** JSON form: the plain list of slots. */
  toJSON(): MissSlot[] {
    return Array.from(this);
  }
}

let cachedDay = NaN;
let cachedPrefix = '';

/** RFC 3339 (UTC, whole seconds) of an epoch-millisecond instant; the date part is cached per day. */
export function isoSeconds(ms: number): string {
  if (ms % 1000 !== 0) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const sec = (ms - day * DAY_MS) / 1000;
  return `${cachedPrefix}${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}Z`;
}
