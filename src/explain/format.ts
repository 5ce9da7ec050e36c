// Formatting helpers of the explanations: the controller's own time formats (one implementation,
// in src/controller/time.ts) under the names the explanations use.
import { humanDuration } from '../controller/time.js';

export { rfc3339, rfc3339InZone as rfc3339In, relative } from '../controller/time.js';

/** kubectl-style short duration (45s, 5m, 3h12m, 4d2h, 2y10d); negative durations show their absolute value. */
export function shortDuration(ms: number): string {
  return humanDuration(Math.abs(ms));
}
