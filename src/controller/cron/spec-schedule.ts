// robfig/cron v3.0.1 SpecSchedule.Next re-done over a ZonedClock. The walk is the same as
// robfig's (month, day, hour, minute, second loops with "wrap" restarts, time.Date
// normalisation and absolute-time hour/minute steps, so DST gaps skip and overlaps repeat);
// only runs of steps that cannot cross a zone transition are taken in one jump.
import { CronNextLoopError } from './errors.js';
import { STAR_BIT } from './fields.js';
import type { CronSchedule } from './schedule.js';
import { ZonedClock } from './zoned-time.js';
import { zoneOffsets } from './zone-offsets.js';

/** The five parsed fields as robfig's 64-bit sets (bit n = value n, bit 63 = star). */
export interface SpecFields {
  readonly minute: bigint;
  readonly hour: bigint;
  readonly dom: bigint;
  readonly month: bigint;
  readonly dow: bigint;
}

function flags(bits: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (bits >> BigInt(i)) & 1n ? 1 : 0;
  return out;
}

/** next[i] = smallest allowed value > i, or `size` when none. */
function following(allowed: Uint8Array): Int8Array {
  const out = new Int8Array(allowed.length);
  let next = allowed.length;
  for (let i = allowed.length - 1; i >= 0; i--) {
    out[i] = next;
    if (allowed[i]) next = i;
  }
  return out;
}

/** A 5-field cron schedule evaluated in one zone (robfig's SpecSchedule). */
export class SpecSchedule implements CronSchedule {
  readonly kind = 'spec';
  private readonly months: Uint8Array;
  private readonly doms: Uint8Array;
  private readonly dows: Uint8Array;
  private readonly hours: Uint8Array;
  private readonly minutes: Uint8Array;
  private readonly nextHour: Int8Array;
  private readonly nextMinute: Int8Array;
  /** Either day field has the star bit: day-of-month AND day-of-week, otherwise OR. */
  private readonly daysAnd: boolean;
  /** Some field can never match: robfig walks its 5 years and returns the zero time. */
  private readonly never: boolean;
  private readonly clock: ZonedClock;

  constructor(
    readonly fields: SpecFields,
    readonly zone: string,
  ) {
    this.months = flags(fields.month, 13);
    this.doms = flags(fields.dom, 32);
    this.dows = flags(fields.dow, 7);
    this.hours = flags(fields.hour, 24);
    this.minutes = flags(fields.minute, 60);
    this.nextHour = following(this.hours);
    this.nextMinute = following(this.minutes);
    this.daysAnd = (fields.dom & STAR_BIT) !== 0n || (fields.dow & STAR_BIT) !== 0n;
    const any = (a: Uint8Array) => a.includes(1);
    const dayPossible = this.daysAnd ? any(this.doms) && any(this.dows) : any(this.doms) || any(this.dows);
    this.never = !any(this.months) || !any(this.hours) || !any(this.minutes) || !dayPossible;
    this.clock = new ZonedClock(zoneOffsets(zone));
  }

  /** robfig Next on a Date: first activation strictly after `after`, or null for Go's zero time; throws CronNextLoopError where robfig never returns. */
  next(after: Date): Date | null {
    const ms = this.nextMillis(after.getTime());
    return Number.isNaN(ms) ? null : new Date(ms);
  }

  /** robfig Next on epoch milliseconds; NaN where robfig returns the zero time; throws CronNextLoopError where robfig never returns. */
  nextMillis(afterMs: number): number {
    if (!Number.isFinite(afterMs)) throw new RangeError('cron: invalid time');
    if (this.never) return NaN;
    const s = this.nextSecond(Math.floor(afterMs / 1000) + 1);
    return Number.isNaN(s) ? NaN : s * 1000;
  }

  private dayMatches(c: ZonedClock): boolean {
    const dom = this.doms[c.day] === 1;
    const dow = this.dows[c.weekday] === 1;
    return this.daysAnd ? dom && dow : dom || dow;
  }

  /** The search from unix second `start` (robfig's "upcoming second"). */
  private nextSecond(start: number): number {
    const c = this.clock;
    c.set(start);
    const yearLimit = c.year + 5;
    let added = false;
    // Instants the day loop stepped back (or not forward) to. Every other step moves forward, so
    // robfig loops forever exactly when one of these repeats.
    let stepBacks: Set<number> | undefined;
    wrap: for (;;) {
      if (c.year > yearLimit) return NaN;

      while (this.months[c.month] === 0) {
        if (!added) {
          added = true;
          c.set(c.date(c.year, c.month, 1, 0, 0, 0));
        }
        c.set(c.date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second));
        if (c.month === 1) continue wrap;
      }

      while (!this.dayMatches(c)) {
        if (!added) {
          added = true;
          c.set(c.date(c.year, c.month, c.day, 0, 0, 0));
        }
        const before = c.t;
        c.set(c.date(c.year, c.month, c.day + 1, c.hour, c.minute, c.second));
        // A day that does not start at 00:00 (DST at midnight): robfig nudges back to it.
        if (c.hour !== 0) c.set(c.t + (c.hour > 12 ? 24 - c.hour : -c.hour) * 3600);
        if (c.t <= before) {
          stepBacks ??= new Set();
          if (stepBacks.has(c.t)) throw new CronNextLoopError(this.zone, c.t * 1000);
          stepBacks.add(c.t);
        }
        if (c.day === 1) continue wrap;
      }

      while (this.hours[c.hour] === 0) {
        if (!added) {
          added = true;
          c.set(c.date(c.year, c.month, c.day, c.hour, 0, 0));
        }
        const to = this.nextHour[c.hour] as number;
        const target = c.t + (to - c.hour) * 3600;
        if (target < c.periodEnd) {
          // No transition on the way: each 1h step moves the wall clock 1h.
          if (to === 24) {
            c.set(target);
            continue wrap;
          }
          c.t = target;
          c.hour = to;
        } else {
          c.set(c.t + 3600);
          if (c.hour === 0) continue wrap;
        }
      }

      while (this.minutes[c.minute] === 0) {
        if (!added) {
          added = true;
          c.set(Math.floor(c.t / 60) * 60);
        }
        const to = this.nextMinute[c.minute] as number;
        const target = c.t + (to - c.minute) * 60;
        if (target < c.periodEnd) {
          if (to === 60) {
            c.set(target);
            continue wrap;
          }
          c.t = target;
          c.minute = to;
        } else {
          c.set(c.t + 60);
          if (c.minute === 0) continue wrap;
        }
      }

      // The seconds field of a 5-field spec is always "0".
      while (c.second !== 0) {
        added = true;
        const target = c.t + (60 - c.second);
        if (target < c.periodEnd) {
          c.set(target);
          continue wrap;
        }
        c.set(c.t + 1);
        if (c.second === 0) continue wrap;
      }

      return c.t;
    }
  }
}
