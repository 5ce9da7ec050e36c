// Small, pure formatting helpers shared by the explanations.

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function partsIn(d: Date, zone: string): Record<string, string> {
  let f = fmtCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    fmtCache.set(zone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** RFC 3339 in UTC without fractional seconds, as the API writes timestamps: 2026-11-23T08:00:00Z. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with the offset of an IANA zone: 2026-11-24T03:00:00+01:00 (Z for UTC). */
export function rfc3339In(d: Date, zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return rfc3339(d);
  const p = partsIn(d, zone);
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  const offMin = Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60000);
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  const off = `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${off}`;
}

/** kubectl-style short duration: 45s, 5m, 3h12m, 4d2h, 2y10d. Negative durations are shown as their absolute value. */
export function shortDuration(ms: number): string {
  let s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 365) return h % 24 && d < 8 ? `${d}d${h % 24}h` : `${d}d`;
  s = Math.floor(d / 365);
  return d % 365 ? `${s}y${d % 365}d` : `${s}y`;
}

/** "in 5m" for future instants, "5m ago" for past ones, relative to now. */
export function relative(d: Date, now: Date): string {
  const delta = d.getTime() - now.getTime();
  if (Math.abs(delta) < 1000) return 'now';
  return delta > 0 ? `in ${shortDuration(delta)}` : `${shortDuration(delta)} ago`;
}
