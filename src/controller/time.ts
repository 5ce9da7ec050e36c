// Time helpers shared by the controller models and the explanations: parsing API timestamps and
// printing the formats the controllers use (RFC 3339 in a zone for the scheduled-timestamp
// annotation, RFC 1123Z for MissSchedule) and kubectl-style durations.

import { zoneOffsets } from './cron/zone-offsets.js';

/** Parses an API timestamp (RFC 3339); null when absent or invalid. */
export function parseTime(s: string | null | undefined): Date | null {
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Milliseconds since the epoch of an API timestamp; undefined when absent or invalid. */
export function parseMillis(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 3339 in UTC with whole seconds, as the API server serialises metav1.Time (e.g. `2016-05-19T10:00:00Z`). */
export function rfc3339(d: Date | number): string {
  const iso = new Date(d).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** UTC offset of `zone` at instant `d`, in minutes east of UTC, from the pinned tzdata (as Go's
 * Time.In; "" and "UTC" are UTC). Throws Error("unknown time zone X") for a zone tzdata lacks. */
export function zoneOffsetMinutes(d: Date, zone: string): number {
  if (zone === '' || zone === 'UTC') return 0;
  // Go's Format truncates an offset with seconds (local mean time) to whole minutes.
  return Math.trunc(zoneOffsets(zone).offsetAt(Math.floor(d.getTime() / 1000)) / 60);
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** Go's `t.In(zone).Format(time.RFC3339)`: `2016-05-19T12:00:00+02:00`, or `...Z` at offset zero. */
export function rfc3339InZone(d: Date, zone: string): string {
  const off = zoneOffsetMinutes(d, zone);
  const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + off * 60000);
  const base = local.toISOString().slice(0, 19);
  if (off === 0) return `${base}Z`;
  return `${base}${off < 0 ? '-' : '+'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `t.UTC().Format(time.RFC1123Z)`: `Thu, 19 May 2016 10:00:00 +0000` (the MissSchedule message format). */
export function rfc1123zUtc(d: Date): string {
  const t = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${t} +0000`;
}

/** A short kubectl-style duration: `45s`, `5m`, `3h12m`, `4d2h`, `2y10d`. */
export function humanDuration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return m < 10 && s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 365) return d < 8 && h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return d % 365 ? `${Math.floor(d / 365)}y${d % 365}d` : `${Math.floor(d / 365)}y`;
}

/** `in 12m` / `12m ago` relative to now. */
export function relative(t: Date, now: Date): string {
  const d = t.getTime() - now.getTime();
  if (Math.abs(d) < 1000) return 'now';
  return d >= 0 ? `in ${humanDuration(d)}` : `${humanDuration(-d)} ago`;
}
