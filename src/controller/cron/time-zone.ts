// Go's time.LoadLocation rules for zone names, checked against the names Go ships.
import { GO_ZONE_NAMES } from './zone-names.js';

/** Marker returned by resolveLocation for Go's "Local" (the zone of the time passed to Next). */
export const LOCAL = Symbol('Local');

/** time.LoadLocation, but "Local" gives the LOCAL marker; throws Error with Go's text. */
export function resolveLocation(name: string): string | typeof LOCAL {
  if (name === '' || name === 'UTC') return 'UTC';
  if (name === 'Local') return LOCAL;
  if (name.includes('..') || name[0] === '/' || name[0] === '\\') {
    throw new Error('time: invalid location name');
  }
  if (!GO_ZONE_NAMES.has(name)) throw new Error(`unknown time zone ${name}`);
  return name;
}

/** Go time.LoadLocation semantics: "" and "UTC" → "UTC", "Local" → "UTC" here, else a case-sensitive IANA name; throws Error("unknown time zone X"). */
export function loadLocation(name: string): string {
  const loc = resolveLocation(name);
  return loc === LOCAL ? 'UTC' : loc;
}
