// A compact, columnar list of schedule times and their fates. A year of `* * * * *` is 525,600
// slots: keeping them as typed arrays (instead of one object and one string each) keeps `misses`
// fast; objects are made only on demand (slot(i), iteration, JSON).

import type { JobOutcome } from './jobs.js';

/** What became of one schedule time (see listMisses for the rules and how each is proved). */
export type SlotFate =
  | 'ran'
  | 'due'
  | 'forbid'
  | 'replaced'
  | 'missed'
  | 'missed-deadline'
  | 'suspended'
  | 'pruned'
  | 'unknown'
  | 'before-creation'
  | 'future';

/** All fates, in display order (a fate's index is its code in SlotTimeline.fates). */
export const SLOT_FATES: readonly SlotFate[] = [
  'ran',
  'due',
  'forbid',
  'replaced',
  'missed',
  'missed-deadline',
  'suspended',
  'pruned',
  'unknown',
  'before-creation',
  'future',
];

/** Why a slot has its fate: which evidence decided it ('' when the fate needs no more). */
export type SlotReason =
  | ''
  /** ran: its Job was created more than LATE_CREATION_MS after the scheduled time. */
  | 'late'
  /** missed/suspended/forbid/due/missed-deadline: after .status.lastScheduleTime, so no Job was created for it. */
  | 'after-last-schedule'
  /** missed: before lastScheduleTime, no Job, and the retention order proves none was ever created. */
  | 'not-created'
  /** missed: the controller names Jobs by the minute and the name was taken by an earlier time in that minute. */
  | 'same-minute'
  /** missed: covered by a TooManyMissedTimes event raised when the catch-up Job was created. */
  | 'too-many-missed'
  /** suspended: .spec.suspend is true, written at or before this time (managedFields). */
  | 'suspended-since'
  /** suspended: never created, and the catch-up Job followed a write of .spec.suspend (a resume). */
  | 'resumed'
  /** missed-deadline: a MissSchedule event names this time. */
  | 'miss-schedule-event'
  /** missed-deadline: not created, and startingDeadlineSeconds has passed. */
  | 'deadline-passed'
  /** replaced / pruned: the controller's SuccessfulDelete event names its Job. */
  | 'delete-event'
  /** unknown: an event shows its Job was created; the Job and any delete event are gone. */
  | 'job-gone'
  /** unknown: the controller deleted its Job (event), but not whether by Replace or history limit. */
  | 'deleted-by-controller'
  /** unknown: no Job, no event, and nothing proves it was never created. */
  | 'no-trace'
  /** ran: its Job was deleted while active by someone other than the controller (MissingJob). */
  | 'deleted-while-active'
  /** due: after lastScheduleTime and held back by a running Job under Forbid; it starts when that Job
   * finishes, if that is before the next time. */
  | 'waits-for-blocker'
  /** missed: under Replace, the Job before it was deleted only when a later time's Job was created,
   * so no Job was created in between. */
  | 'replace-order';

export const SLOT_REASONS: readonly SlotReason[] = [
  '',
  'late',
  'after-last-schedule',
  'not-created',
  'same-minute',
  'too-many-missed',
  'suspended-since',
  'resumed',
  'miss-schedule-event',
  'deadline-passed',
  'delete-event',
  'job-gone',
  'deleted-by-controller',
  'no-trace',
  'deleted-while-active',
  'waits-for-blocker',
  'replace-order',
];

/** Reason codes by name. */
export const REASON_CODE = Object.fromEntries(SLOT_REASONS.map((r, i) => [r, i])) as Record<SlotReason, number>;

/** Fate codes by name. */
export const FATE_CODE = Object.fromEntries(SLOT_FATES.map((f, i) => [f, i])) as Record<SlotFate, number>;

/** A Job a slot refers to: the one that ran for it, or (Forbid) the one that blocked it. */
export interface SlotJob {
  name: string;
  /** The Job's outcome; `deleted` for a Job removed while it ran, `unknown` when it is gone and its end was not recorded. */
  outcome: JobOutcome | 'deleted' | 'unknown';
  /** Seconds between the scheduled time and the Job's creationTimestamp, when the Job exists. */
  lateSeconds?: number;
  /** Run time in seconds (until now for unfinished Jobs), when the start is known. */
  durationSeconds?: number;
}

/** One schedule time as an object. `job` names the Job that ran (or, for `forbid`, the one still active). */
export interface MissSlot {
  time: string;
  fate: SlotFate;
  /** Which evidence decided the fate (absent when the fate says it all). */
  reason?: Exclude<SlotReason, ''>;
  job?: string;
  outcome?: SlotJob['outcome'];
  durationSeconds?: number;
  /** For `ran` with reason `late`: seconds between the scheduled time and the Job's creation. */
  lateSeconds?: number;
}

const DAY_MS = 86_400_000;
const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Slots in time order: `times[i]` (epoch ms), `fates[i]` (index into SLOT_FATES), `jobRefs[i]` (index into `jobs`, -1 for none). */
export class SlotTimeline implements Iterable<MissSlot> {
  times = new Float64Array(1024);
  fates = new Uint8Array(1024);
  reasons = new Uint8Array(1024);
  jobRefs = new Int32Array(1024);
  length = 0;
  constructor(readonly jobs: SlotJob[]) {}

  /** Appends one slot (amortised O(1)). */
  push(ms: number, fate: number, jobRef: number, reason = 0): void {
    if (this.length === this.times.length) {
      const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.times = grow(this.times, (n) => new Float64Array(n));
      this.fates = grow(this.fates, (n) => new Uint8Array(n));
      this.reasons = grow(this.reasons, (n) => new Uint8Array(n));
      this.jobRefs = grow(this.jobRefs, (n) => new Int32Array(n));
    }
    this.times[this.length] = ms;
    this.fates[this.length] = fate;
    this.reasons[this.length] = reason;
    this.jobRefs[this.length] = jobRef;
    this.length++;
  }

  /** The fate of slot i. */
  fate(i: number): SlotFate {
    return SLOT_FATES[this.fates[i]!]!;
  }

  /** The reason code of slot i ('' for none). */
  reason(i: number): SlotReason {
    return SLOT_REASONS[this.reasons[i]!]!;
  }

  /** Changes the fate and reason of slot i (used when later evidence settles an earlier slot). */
  set(i: number, fate: number, reason: number, jobRef = this.jobRefs[i]!): void {
    this.fates[i] = fate;
    this.reasons[i] = reason;
    this.jobRefs[i] = jobRef;
  }

  /** Slot i as an object. */
  slot(i: number): MissSlot {
    const fate = this.fate(i);
    const out: MissSlot = { time: isoSeconds(this.times[i]!), fate };
    const reason = this.reason(i);
    if (reason) out.reason = reason;
    const ref = this.jobRefs[i]!;
    const job = ref >= 0 ? this.jobs[ref] : undefined;
    if (job) {
      out.job = job.name;
      if (fate === 'ran' || fate === 'pruned' || fate === 'replaced') {
        out.outcome = job.outcome;
        if (job.durationSeconds !== undefined) out.durationSeconds = job.durationSeconds;
        if (reason === 'late' && job.lateSeconds !== undefined) out.lateSeconds = job.lateSeconds;
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
