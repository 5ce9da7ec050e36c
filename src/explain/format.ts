// Formatting helpers of the explanations (the time formats themselves: src/controller/time.ts).
import { humanDuration } from '../controller/time.js';

/** kubectl-style short duration (45s, 5m, 3h12m, 4d2h, 2y10d); negative durations show their absolute value. */
export function shortDuration(ms: number): string {
  return humanDuration(Math.abs(ms));
}
