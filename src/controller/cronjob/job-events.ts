// What the CronJob controller's own events say about its Jobs, while they last (1 h by default):
// "Created job X" (SuccessfulCreate), "Deleted job X" (SuccessfulDelete), "Saw completed job: X,
// condition: Complete" (SawCompletedJob), "Active job went missing: X" (MissingJob), and the missed
// time of MissSchedule. The event recorder folds more than ten similar events in ten minutes into
// one "(combined from similar events): ..." event that names only the latest Job, so absence of an
// event never proves anything here; only presence is used.

import type { KubeEvent } from '../../api/types.js';
import { eventTime } from '../observe.js';

/** Events that name one Job. */
export interface JobEvents {
  created?: KubeEvent;
  deleted?: KubeEvent;
  completed?: { event: KubeEvent; condition: string };
  missing?: KubeEvent;
}

/** The controller's events about the CronJob, by the Job they name; MissSchedule times (epoch ms);
 * the TooManyMissedTimes events. Input: events about the CronJob, newest first. */
export interface ControllerEventIndex {
  byJob: Map<string, JobEvents>;
  missSchedule: Map<number, KubeEvent>;
  tooManyMissed: KubeEvent[];
}

const COMBINED = /^\(combined from similar events\):\s*/;

function named(message: string, prefix: RegExp): string | null {
  const m = prefix.exec(message.replace(COMBINED, ''));
  return m ? m[1]! : null;
}

export function indexControllerEvents(events: KubeEvent[]): ControllerEventIndex {
  const byJob = new Map<string, JobEvents>();
  const missSchedule = new Map<number, KubeEvent>();
  const tooManyMissed: KubeEvent[] = [];
  const entry = (name: string): JobEvents => {
    let e = byJob.get(name);
    if (!e) byJob.set(name, (e = {}));
    return e;
  };
  // Newest first: keep the newest event of each kind per Job.
  for (const e of events) {
    const msg = e.message ?? '';
    switch (e.reason) {
      case 'SuccessfulCreate': {
        const n = named(msg, /^Created job (\S+)$/);
        if (n) entry(n).created ??= e;
        break;
      }
      case 'SuccessfulDelete': {
        const n = named(msg, /^Deleted job (\S+)$/);
        if (n) entry(n).deleted ??= e;
        break;
      }
      case 'SawCompletedJob': {
        const m =
          /^Saw completed job: (\S+?),? condition: (\w+)/.exec(msg.replace(COMBINED, '')) ??
          /^Saw completed job: (\S+)$/.exec(msg.replace(COMBINED, ''));
        if (m) entry(m[1]!).completed ??= { event: e, condition: m[2] ?? '' };
        break;
      }
      case 'MissingJob': {
        const n = named(msg, /^Active job went missing: (\S+)$/);
        if (n) entry(n).missing ??= e;
        break;
      }
      case 'MissSchedule': {
        const m = /start a job: (.+)$/.exec(msg.replace(COMBINED, ''));
        const t = m ? Date.parse(m[1]!) : NaN;
        if (!Number.isNaN(t) && !missSchedule.has(t)) missSchedule.set(t, e);
        break;
      }
      case 'TooManyMissedTimes':
        tooManyMissed.push(e);
        break;
      default:
    }
  }
  return { byJob, missSchedule, tooManyMissed };
}

/** The time of an event (see eventTime), as epoch ms, or NaN. */
export function eventMs(e: KubeEvent): number {
  return eventTime(e)?.getTime() ?? NaN;
}
