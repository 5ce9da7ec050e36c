// The next activations of a schedule after an instant, as the controller's cron library yields them.
import type { Schedule } from './cron/index.js';

/** Up to `count` successive activations strictly after `from`; fewer when the 5-year search limit ends the schedule. */
export function nextTimes(schedule: Schedule, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let t = from;
  while (out.length < count) {
    const n = schedule.next(t);
    if (!n) break;
    out.push(n);
    t = n;
  }
  return out;
}
