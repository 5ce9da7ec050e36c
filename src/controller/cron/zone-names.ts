// The zone and link names Go's time.LoadLocation finds in its tzdata: exactly the names of the
// pinned tzdata (tzdata.ts, converted from Go's lib/time/zoneinfo.zip by scripts/gen-tzdata.mjs).
import { pinnedZoneNames } from './tz-rules.js';

/** Every zone name Go's LoadLocation accepts from its bundled tzdata (case-sensitive). */
export const GO_ZONE_NAMES: ReadonlySet<string> = new Set(pinnedZoneNames());
