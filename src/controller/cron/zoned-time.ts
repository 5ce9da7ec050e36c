// A Go time.Time in a fixed Location, reduced to what robfig's Next needs: a unix second,
// its wall-clock fields, and Go's time.Date normalisation of wall times in that zone.
import { daysFromCivil, type ZoneOffsets } from './zone-offsets.js';

/** A mutable instant (whole unix seconds) with its wall clock in one zone, like a Go time.Time with a Location. */
export class ZonedClock {
  /** Unix seconds. */
  t = 0;
  year = 1970;
  /** 1-12 */
  month = 1;
  /** 1-31 */
  day = 1;
  hour = 0;
  minute = 0;
  second = 0;
  /** 0 = Sunday, as Go's Weekday. */
  weekday = 4;
  /** End (exclusive) of the zone period containing `t`: until then the offset cannot change. */
  periodEnd = 0;

  private civilDays = NaN;

  constructor(readonly zone: ZoneOffsets) {}

  /** Moves to unix second `t` and recomputes the wall clock. */
  set(t: number): void {
    const zone = this.zone;
    const local = t + zone.offsetAt(t);
    this.t = t;
    this.periodEnd = zone.periodEnd;
    const days = Math.floor(local / 86400);
    let rest = local - days * 86400;
    const hour = Math.floor(rest / 3600);
    rest -= hour * 3600;
    const minute = Math.floor(rest / 60);
    this.hour = hour;
    this.minute = minute;
    this.second = rest - minute * 60;
    if (days !== this.civilDays) this.setCivil(days);
  }

  /** Go time.Date(year, month, day, hour, min, sec, 0, loc) as unix seconds (fields may overflow; wall times in a gap or overlap resolve as Go does). */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const m0 = month - 1;
    const y = year + Math.floor(m0 / 12);
    const m = m0 - Math.floor(m0 / 12) * 12 + 1;
    const wallAsUtc = (daysFromCivil(y, m, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
    // Go looks up the offset at the wall time taken as UTC, then re-looks it up at the
    // resulting instant; the second offset is the one it uses.
    const first = this.zone.offsetAt(wallAsUtc);
    if (first === 0) return wallAsUtc;
    return wallAsUtc - this.zone.offsetAt(wallAsUtc - first);
  }

  private setCivil(days: number): void {
    this.civilDays = days;
    this.weekday = (((days + 4) % 7) + 7) % 7;
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    this.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    this.month = mp < 10 ? mp + 3 : mp - 9;
    this.year = yoe + era * 400 + (this.month <= 2 ? 1 : 0);
  }
}
