// robfig/cron v3.0.1 ConstantDelaySchedule ("@every <duration>").
import type { CronSchedule } from './schedule.js';

const SECOND_NS = 1_000_000_000n;

/** "@every d": fires every d after the given time, on whole seconds (robfig's ConstantDelaySchedule). */
export class ConstantDelaySchedule implements CronSchedule {
  readonly kind = 'every';
  /** The delay in whole seconds: d rounded down to a second, at least 1s (robfig's Every). */
  readonly delaySeconds: number;

  constructor(
    durationNs: bigint,
    readonly zone: string,
  ) {
    const d = durationNs < SECOND_NS ? SECOND_NS : durationNs;
    this.delaySeconds = Number(d / SECOND_NS);
  }

  /** `after` with its sub-second part dropped, plus the delay. */
  next(after: Date): Date | null {
    return new Date(this.nextMillis(after.getTime()));
  }

  /** Same as next() on epoch milliseconds. */
  nextMillis(afterMs: number): number {
    if (!Number.isFinite(afterMs)) throw new RangeError('cron: invalid time');
    return (Math.floor(afterMs / 1000) + this.delaySeconds) * 1000;
  }
}
