// Walking many activations quickly (e.g. every minute of a year for "missed runs" reports).
import type { CronSchedule } from './schedule.js';

/** Up to `n` successive activations after `after` (stops early where Next returns the zero time). */
export function nextN(schedule: CronSchedule, after: Date, n: number): Date[] {
  const out: Date[] = [];
  let t = after.getTime();
  for (let i = 0; i < n; i++) {
    t = schedule.nextMillis(t);
    if (Number.isNaN(t)) break;
    out.push(new Date(t));
  }
  return out;
}

/** Epoch milliseconds of every activation in (fromMs, toMs], in order; stops after `limit` entries. */
export function betweenMillis(schedule: CronSchedule, fromMs: number, toMs: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (
    let t = schedule.nextMillis(fromMs);
    !Number.isNaN(t) && t <= toMs && out.length < limit;
    t = schedule.nextMillis(t)
  ) {
    out.push(t);
  }
  return out;
}

/** Number of activations in (fromMs, toMs] without materialising them. */
export function countBetween(schedule: CronSchedule, fromMs: number, toMs: number): number {
  let n = 0;
  for (let t = schedule.nextMillis(fromMs); !Number.isNaN(t) && t <= toMs; t = schedule.nextMillis(t)) n++;
  return n;
}

/** Every activation in (from, to] as Dates; stops after `limit` entries. */
export function between(schedule: CronSchedule, from: Date, to: Date, limit = Infinity): Date[] {
  return betweenMillis(schedule, from.getTime(), to.getTime(), limit).map((t) => new Date(t));
}
