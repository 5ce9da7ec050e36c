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

/** Thrown by next() where robfig's Next never returns (its day search cycles, e.g. Pacific/Apia around the skipped 2011-12-30); kube-controller-manager would spin forever there. */
export class CronNextLoopError extends Error {
  constructor(
    readonly zone: string,
    /** Unix ms of the wall time robfig's day loop keeps coming back to. */
    readonly loopAt: number,
  ) {
    super(`robfig/cron Next() never returns: its day search loops at ${new Date(loopAt).toISOString()} in ${zone}`);
    this.name = 'CronNextLoopError';
  }
}
