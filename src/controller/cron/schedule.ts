// The schedule shapes parseStandard returns.

/** A parsed cron schedule (robfig's Schedule interface). */
export interface Schedule {
  /** The first activation strictly after `after` (robfig Next semantics), or null where robfig returns Go's zero time (nothing within 5 years). */
  next(after: Date): Date | null;
  /** The IANA zone the schedule is evaluated in. */
  readonly zone: string;
}

/** What parseStandard actually returns: a Schedule with an allocation-free millisecond variant. */
export interface CronSchedule extends Schedule {
  /** "spec" for 5-field specs and @yearly…@hourly, "every" for @every. */
  readonly kind: 'spec' | 'every';
  /** Same as next() on epoch milliseconds; NaN where next() returns null. */
  nextMillis(afterMs: number): number;
}
