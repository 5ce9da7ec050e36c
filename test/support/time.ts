// Named instants for tests, after the helpers of upstream's CronJob controller tests
// (topOfTheHour = 2016-05-19T10:00:00Z), plus small arithmetic on Dates.

const at = (iso: string): Date => new Date(iso);

/** 2016-05-19T10:00:00Z. */
export const topOfTheHour = (): Date => at('2016-05-19T10:00:00Z');
/** 2016-05-19T09:59:00Z. */
export const justBeforeTheHour = (): Date => at('2016-05-19T09:59:00Z');
/** 2016-05-19T09:59:59Z. */
export const justASecondBeforeTheHour = (): Date => at('2016-05-19T09:59:59Z');
/** 2016-05-19T10:01:00Z. */
export const justAfterTheHour = (): Date => at('2016-05-19T10:01:00Z');
/** 2016-05-19T09:01:00Z. */
export const justAfterThePriorHour = (): Date => at('2016-05-19T09:01:00Z');
/** 2016-05-19T08:59:00Z. */
export const justBeforeThePriorHour = (): Date => at('2016-05-19T08:59:00Z');
/** 2016-05-26T10:00:00Z (a week after topOfTheHour). */
export const weekAfterTheHour = (): Date => at('2016-05-26T10:00:00Z');

/** A Date from an RFC 3339 string (throws on a typo, so tests fail loudly). */
export function date(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test date ${iso}`);
  return d;
}

/** `d` plus seconds. */
export const plusSeconds = (d: Date, s: number): Date => new Date(d.getTime() + s * 1000);
/** `d` plus minutes. */
export const plusMinutes = (d: Date, m: number): Date => plusSeconds(d, m * 60);
/** `d` plus hours. */
export const plusHours = (d: Date, h: number): Date => plusSeconds(d, h * 3600);
/** `d` plus days. */
export const plusDays = (d: Date, n: number): Date => plusSeconds(d, n * 86400);

/** RFC 3339 without milliseconds, as the API server writes timestamps. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/** Unix minutes of an instant (the suffix of a v2 controller Job name). */
export const unixMinutes = (d: Date): number => Math.floor(d.getTime() / 60_000);
