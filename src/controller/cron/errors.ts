/** A schedule robfig/cron v3.0.1 `ParseStandard` rejects; `message` is robfig's exact error text. */
export class CronSyntaxError extends Error {
  /** True where robfig panics instead of returning an error (e.g. "TZ=UTC" with no space after the zone); `message` is the Go panic text. */
  readonly goPanic: boolean;

  constructor(message: string, goPanic = false) {
    super(message);
    this.name = 'CronSyntaxError';
    this.goPanic = goPanic;
  }
}
